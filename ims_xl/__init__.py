"""ims_xl: reconcile GST IMS downloads with purchase registers and write the upload JSON.

The functional core, without Excel: read the IMS download, read the books, reconcile,
validate, write the upload. The shells (`ims_xl.cli`, and `ims_xl.ribbon` behind the
workbook's ribbon) call these. The matcher itself is `ims_xl.reconcile.reconcile`. Names load on first use: every ribbon click starts a fresh
Python, so `import ims_xl` must not pull in pandas before it is needed.
"""

from importlib import import_module

__version__ = "0.1.0"

_WHERE = {
    "BookEntry": "document", "Decision": "document", "ImsRecord": "document",
    "Download": "download", "read_ims": "download",
    "ImsFormatError": "errors", "ImsXlError": "errors", "InputError": "errors",
    "RegisterFormatError": "errors", "ValidationFailed": "errors", "WorkbookError": "errors",
    "Issue": "issue", "Report": "issue",
    "MatchResult": "reconcile", "Reconciliation": "reconcile", "Settings": "reconcile",
    "Register": "books", "purchase_rows": "books", "read_register": "books",
    "SheetRow": "table", "read_ims_rows": "table",
    "WorkbookData": "book", "read_workbook": "book",
    "build_upload": "upload", "write_upload": "upload",
    "reconcile_client": "pipeline", "validate_rows": "validate",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
