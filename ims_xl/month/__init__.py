"""The month's work, step by step and end to end: reconcile a client, carry last
month forward, merge a newer download, apply suggestions, export, import the
error file, many clients in one run.
"""
