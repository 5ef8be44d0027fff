"""Test data, not used at run time except by `ims-xl demo`: seeded synthetic
downloads and registers (generate) and the bundled samples (samples).
"""
