"""Month to month: last month's work carried onto this month's rows
(docs/reference/matching.md#user-asks item 6).

Pending records come back in the next download. `carry_forward()` lets `merge.merge_download`
decide what survives (same record unchanged: the user's Action, Remarks, ITC answer and
history; changed by the supplier: the Action is dropped with a note), keeps this month's
reconciliation and row order, and lists what was Pending last month and is not in this
download any more (filed, amended or expired), so nobody loses track of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..workbook.data import WorkbookData
from ..workbook.layout import IMS_COLUMNS, headers
from .merge_download import merge_download
from ..reports.summary import effective_action
from ..workbook.ims_sheet import read_ims_rows

__all__ = ["Carry", "Gone", "carry_forward"]

# Cells that hold the user's work or its history, taken from the merge; every other cell
# (match status, reason, amounts, portal state) is this month's.
FROM_MERGE = tuple(c.key for c in IMS_COLUMNS if c.editable) + ("upload_status",
                                                               "portal_error", "validation")
_AT = {c.key: i for i, c in enumerate(IMS_COLUMNS)}
_KEY = _AT["key"]


@dataclass(frozen=True)
class Gone:
    """A record that was Pending last month and is not in this download."""

    key: str
    section: str                 # label: B2B, B2B-CN ...
    supplier_gstin: str
    supplier_name: str
    doc_number: str
    doc_date: str
    tax: Decimal
    remarks: str = ""

    def __str__(self) -> str:
        return (f"{self.section} {self.supplier_gstin} {self.doc_number} dated "
                f"{self.doc_date} (tax {self.tax:,.2f}) was Pending last month and is not in "
                "this download: filed, amended or expired")


@dataclass
class Carry:
    rows: list                   # this month's rows, in their order, with last month's work
    counts: dict = field(default_factory=dict)
    gone: list = field(default_factory=list)      # Gone
    changed: list = field(default_factory=list)   # ImsRecord the supplier changed since


def carry_forward(previous: WorkbookData, current_rows: list[list],
                  records: list | None = None) -> Carry:
    """Last month's work onto `current_rows` (IMS sheet rows in `layout.IMS_COLUMNS` order).

    Row order stays this month's: the Purchase sheet's IMS Row column points into it.
    `records` are the rows' `ImsRecord`s in that order when the caller has them (they are
    parsed from the rows' hidden columns otherwise: 9 s for 100,000 rows).
    """
    before = previous.ims_sheet_rows
    if before is None:
        before = read_ims_rows(previous.ims_header, previous.ims_rows) if previous.ims_rows \
            else []
    if records is None:
        records = [r.record for r in read_ims_rows(headers(IMS_COLUMNS), current_rows)]
    merged = merge_download(before, records)
    by_key = {row[_KEY]: row for row in merged.rows}
    rows, carried = [], 0
    for values in current_rows:
        row = _overlay(values, by_key.get(values[_KEY]))
        carried += row != list(values)
        rows.append(row)
    gone = [_gone(r) for r in merged.gone if effective_action(r) == "P"]
    counts = {**merged.counts, "carried": carried, "pending gone": len(gone)}
    return Carry(rows, counts, gone, merged.changed)


def _overlay(current: list, merged: list | None) -> list:
    """This month's row with the user's cells (and their notes) from the merge."""
    row = list(current)
    if merged is not None:
        for key in FROM_MERGE:
            row[_AT[key]] = merged[_AT[key]]
    return row


def _gone(r) -> Gone:
    rec = r.record
    return Gone(rec.key, rec.sec.label, rec.supplier_gstin, rec.supplier_name,
                rec.doc_number, rec.doc_date, rec.tax, r.decision.remarks or rec.remarks)
