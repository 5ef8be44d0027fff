"""ims_xl: reconcile GST IMS downloads with purchase registers and write the upload JSON.

The functional core, without Excel: read the IMS download, read the books, reconcile,
validate, write the upload. The shells (`ims_xl.cli`, and `ims_xl.ribbon` behind the
workbook's ribbon) call these. The matcher itself is `ims_xl.reconcile.reconcile`. Names load on first use: every ribbon click starts a fresh
Python, so `import ims_xl` must not pull in pandas before it is needed.
"""

from importlib import import_module

__version__ = "0.1.0"

_WHERE = {
    "Decision": "model.document", "ImsRecord": "model.document", "RegisterEntry": "model.document",
    "Download": "portal.download", "read_ims": "portal.download",
    "ImsFormatError": "model.errors", "ImsXlError": "model.errors", "InputError": "model.errors",
    "RegisterFormatError": "model.errors", "ValidationFailed": "model.errors",
    "WorkbookError": "model.errors",
    "Issue": "model.issue", "Report": "model.issue",
    "MatchResult": "reconcile", "Reconciliation": "reconcile", "Settings": "reconcile",
    "Register": "register", "purchase_rows": "register", "read_register": "register",
    "SheetRow": "workbook.ims_sheet", "read_ims_rows": "workbook.ims_sheet",
    "WorkbookData": "workbook.data", "read_workbook": "workbook.data",
    "build_upload": "portal.upload", "write_upload": "portal.upload",
    "reconcile_client": "month.pipeline", "validate_rows": "validate",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
