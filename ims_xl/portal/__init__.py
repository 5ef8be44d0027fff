"""The GST portal's IMS files: the download (every dialect), the upload JSON, the
error file's records, the one table of uncertain format details (dialects) and
the upload's JSON Schema.
"""
