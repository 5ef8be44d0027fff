"""Files handled safely: atomic writes, guarded JSON loading, and what ims-xl never
overwrites (guard).
"""
