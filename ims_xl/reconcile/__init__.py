"""Reconciliation engine: IMS records against the purchase register, every record explained.

`reconcile(records, books, settings)` -> `Reconciliation`; tunables in `Settings`
(settings.py). User documentation: `.readme/30-reconcile.md`.
"""

from typing import Any

from .result import MatchResult, Reconciliation
from .settings import Settings

__all__ = ["MatchResult", "Reconciliation", "Settings", "reconcile"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `ims_xl.reconcile.result` (read by the workbook code) should not
    # pull in pandas.
    if name == "reconcile":
        from .match import reconcile
        return reconcile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
