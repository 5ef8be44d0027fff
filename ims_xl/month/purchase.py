"""The month's Purchase sheet: each books document's match status and the IMS row it paired
with, as columns (`purchase_status`), and the rows that carry them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..reconcile.result import STATUS_LABELS
from ..workbook.layout import FIRST_ROW, PURCHASE_COLUMNS, index_of

if TYPE_CHECKING:
    from ..reconcile.result import Reconciliation


def purchase_status(entries: Sequence, result: Reconciliation) -> dict[str, list]:
    """The Purchase sheet's result columns, one value per entry: each document's match
    status and the IMS row it paired with (blank when unpaired)."""
    status, at = result.books_statuses(entries)
    return {"status": status, "ims_row": ["" if i is None else FIRST_ROW + i for i in at]}


def purchase_with_status(entries: Sequence, status: dict) -> list:
    """Purchase sheet rows of `entries` with their `purchase_status` columns."""
    from ..register import purchase_rows          # the register's modules, when needed
    rows = purchase_rows(entries)
    for key, values in status.items():
        at = index_of(PURCHASE_COLUMNS, key)
        for row, value in zip(rows, values):
            row[at] = value
    return rows


def books_only_cells(entries: Sequence, status: dict) -> dict[str, list]:
    """What the Summary adds of the books-only documents: their Purchase rows' amount cells
    (`register.amount_cells`), no row laid out."""
    from ..register.purchase_sheet import amount_cells
    books_only = STATUS_LABELS["books_only"]
    return amount_cells(entries, [i for i, label in enumerate(status["status"])
                                  if label == books_only])
