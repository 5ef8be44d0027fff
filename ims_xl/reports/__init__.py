"""Reports on a reconciled month: the ITC summary and supplier statements.
"""
