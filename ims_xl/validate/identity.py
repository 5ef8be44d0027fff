"""Checks on what the portal sent: visible copies not edited, records not repeated, formats.

The upload always echoes the hidden downloaded copy (`raw`), never the visible cells; a visible cell
that differs means someone typed over it believing it matters, so say so
(docs/reference/ims-format.md#validation-checklist item 5). Format checks on portal data only warn
(docs/reference/ims-format.md#validation-checklist item 6, docs/reference/ims-format.md#gstin).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Iterator

from ..portal import dialects
from ..model.gstin import STATES, problem as gstin_problem
from ..model.issue import WARNING, Issue
from ..workbook.ims_sheet import SheetRow
from ..workbook.layout import AMOUNT_COLUMNS
from .rules import HEADER, issue, sent

# Visible column -> how to get the downloaded value from the record.
_TEXT_FIELDS = {
    "section": lambda r: r.sec.label, "stin": lambda r: r.supplier_gstin,
    "doc_num": lambda r: r.doc_number, "doc_date": lambda r: r.doc_date,
    "pos": lambda r: r.pos, "inv_typ": lambda r: r.supply_type,
    "orig_num": lambda r: r.orig_doc_number, "orig_date": lambda r: r.orig_doc_date,
    "rtnprd": lambda r: r.return_period, "srcform": lambda r: r.source_form,
}


def edited_cells(row: SheetRow, today: date) -> Iterator[Issue]:
    rec = row.record
    for key, get in _TEXT_FIELDS.items():
        if key in row.cells and not _same_text(row.cells[key], get(rec)):
            yield _edited(row, "identity-edited", key, row.cells[key], get(rec))
    for key, attr in AMOUNT_COLUMNS.items():
        if key in row.cells and not _same_amount(row.cells[key], getattr(rec, attr)):
            yield _edited(row, "amount-edited", key, row.cells[key], getattr(rec, attr))


def _edited(row: SheetRow, code: str, key: str, shown: Any, downloaded: Any) -> Issue:
    return issue(row, code,
                 f"{HEADER[key]} shows {_display(shown)} but the download has "
                 f"{_display(downloaded)}; the upload always sends the downloaded value: "
                 "restore the cell (or re-import the download if the supplier changed it)", key)


def _same_text(cell: Any, expected: str) -> bool:
    if isinstance(cell, (datetime, date)):              # Excel turned dd-mm-yyyy into a date
        return cell.strftime("%d-%m-%Y") == expected
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        # A text cell retyped as a number: same digits is no edit ("07" vs 7, "032026" vs
        # 32026); past 15 digits Excel rounds, which is a real change.
        try:
            return Decimal(expected) == Decimal(repr(cell))
        except InvalidOperation:
            return False
    return str(cell if cell is not None else "").strip().upper() == expected.strip().upper()


def _same_amount(cell: Any, expected: Decimal) -> bool:
    if cell in (None, ""):
        return expected == 0
    try:
        return abs(Decimal(str(cell).replace(",", "").strip()) - expected) < Decimal("0.005")
    except InvalidOperation:
        return False


def _display(v: Any) -> str:
    if v in (None, ""):
        return "a blank cell"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return repr(str(v)) if not isinstance(v, (int, float, Decimal)) else str(v)


def portal_formats(row: SheetRow, today: date) -> Iterator[Issue]:
    """Odd portal data on an uploaded row: the portal may refuse its own record back."""
    if not sent(row):
        return
    rec = row.record
    fix = "this is the portal's own data and is sent back unchanged; if the upload fails, " \
          "download again"
    why = gstin_problem(rec.supplier_gstin)
    if why:
        yield issue(row, "gstin-checksum", f"{why}; {fix}", "stin", WARNING)
    for key, text in (("doc_date", rec.doc_date), ("orig_date", rec.orig_doc_date)):
        if not text and key == "orig_date":
            continue
        when = _date(text)
        if when is None:
            yield issue(row, "date-format", f"date {text!r} is not dd-mm-yyyy; {fix}", key,
                        WARNING)
        elif when > today:
            yield issue(row, "date-future", f"date {text} is after today ({today:%d-%m-%Y}); "
                        f"{fix}", key, WARNING)
    if rec.pos and rec.pos not in STATES:
        yield issue(row, "pos-unknown", f"place of supply {rec.pos!r} is not a state code; "
                    f"{fix}", "pos", WARNING)
    if len(rec.doc_number) > dialects.DOC_NUMBER_MAX:
        yield issue(row, "doc-number-length",
                    f"document number has {len(rec.doc_number)} characters, more than "
                    f"{dialects.DOC_NUMBER_MAX}; {fix}", "doc_num", WARNING)


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%d-%m-%Y").date()
    except ValueError:
        return None


def duplicate_records(rows: list[SheetRow]) -> Iterator[Issue]:
    """A record copied onto a second row would be uploaded twice, perhaps with two actions."""
    first: dict[str, int] = {}
    for row in rows:
        key = row.record.key
        if key in first:
            yield issue(row, "duplicate-record",
                        f"this record is also on row {first[key]}; delete one of the two rows",
                        "doc_num")
        else:
            first[key] = row.row


ROW_RULES = (edited_cells, portal_formats)
