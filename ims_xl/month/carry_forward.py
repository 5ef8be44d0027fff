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
from operator import itemgetter

from ..workbook.data import WorkbookData
from ..workbook.layout import IMS_COLUMNS, headers
from ..model.document import ImsRecord
from .merge_download import USER_KEYS, merged_row, pair_download
from ..reports.summary import effective_action
from ..workbook.ims_sheet import UNWRITTEN, SheetRow, read_ims_rows, untyped_cells

__all__ = ["Carry", "Gone", "carry_forward"]

# Cells that hold the user's work or its history, taken from the merge; every other cell
# (match status, reason, amounts, portal state) is this month's.
FROM_MERGE = (*USER_KEYS, "validation")
_AT = {c.key: i for i, c in enumerate(IMS_COLUMNS)}
_KEY = _AT["key"]
_FROM_MERGE_AT = tuple(_AT[key] for key in FROM_MERGE)
_kept_cells = itemgetter(*USER_KEYS)       # an unchanged record's cells, from its old row
_new_cells = itemgetter(*FROM_MERGE)       # a new record's, from `ims_sheet.untyped_cells`


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
    paired = pair_download(before, records)
    by_key = {rec.key: _taken(row, rec, changed) for row, rec, changed in paired.pairs}
    rows, carried = [], 0
    for values in current_rows:
        row = list(values)
        cells = by_key.get(values[_KEY])
        if cells is not None:
            for at, value in zip(_FROM_MERGE_AT, cells):
                row[at] = value
            carried += row != values if values.__class__ is list else row != list(values)
        rows.append(row)
    gone = [_gone(r) for r in paired.gone if effective_action(r) == "P"]
    counts = {**paired.counts, "carried": carried, "pending gone": len(gone)}
    return Carry(rows, counts, gone, paired.changed)


def _taken(old: SheetRow | None, rec: ImsRecord, changed: bool) -> tuple:
    """The `FROM_MERGE` cells of the row `merge_download` lays out for `rec`.

    Only these are carried, so the rest of that row is not laid out (~2.5 s for 100,000
    rows): a new record's are the untyped cells of its own row, an unchanged one's come from
    its old row as read, with a blank Validation (`ims_row` with nothing typed: `UNWRITTEN`).
    A changed record, or an old sheet without some of these columns, gets the row laid out."""
    if old is None:
        return _new_cells(untyped_cells(rec))
    if not changed:
        try:
            return (*_kept_cells(old.cells), UNWRITTEN)
        except KeyError:                          # a column the old sheet did not have
            pass
    row = merged_row(old, rec, changed)
    return tuple(row[at] for at in _FROM_MERGE_AT)


def _gone(r) -> Gone:
    rec = r.record
    return Gone(rec.key, rec.sec.label, rec.supplier_gstin, rec.supplier_name,
                rec.doc_number, rec.doc_date, rec.tax, r.decision.remarks or rec.remarks)
