"""Books entries <-> rows of the workbook's Purchase sheet (`layout.PURCHASE_COLUMNS`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from ..model.document import ZERO, RegisterEntry, column_of
from ..model.errors import RegisterFormatError
from ..model.issue import ERROR, WARNING, Issue
from ..workbook.build.sheetdata import number_texts
from ..workbook.layout import (AMOUNT_COLUMNS, FIRST_ROW, PURCHASE_COLUMNS, SHEET_PURCHASE,
                               headers)
from . import cells as cells_
from .headers import KIND_LABELS
from .reader import _kind

JOIN = " | "                    # between warnings in one cell (messages may contain "; ")
_ERROR = "ERROR: "
_KIND_BY_LABEL = {label.casefold(): kind for kind, label in KIND_LABELS.items()}


def warnings_text(issues: Iterable[Issue]) -> str:
    """The Warnings cell: messages in order, errors marked."""
    return JOIN.join((_ERROR if i.severity == ERROR else "") + i.message for i in issues)


def purchase_rows(entries: Iterable[RegisterEntry]) -> list[list]:
    """One Purchase-sheet row per entry, in `layout.PURCHASE_COLUMNS` order."""
    return list(map(list, zip(*purchase_columns(entries))))


def purchase_columns(entries: Iterable[RegisterEntry], spelled: bool = False) -> list[list]:
    """`purchase_rows` column by column, as they are built (dates and labels once per
    distinct value): the Purchase sheet's process writes them so (`workbook/ahead.py`).
    The entries' columns are read (`column_of`: the reader's are not made). Amounts become
    float here: a cell holds a double, and some writers mishandle `Decimal`. `spelled`: for
    the cell writer only, an amount column whose texts are their floats' `repr` (the
    reader's, nearly always) stays those texts (`sheetdata.NumberTexts`)."""
    if not isinstance(entries, Sequence):
        entries = list(entries)
    get = partial(column_of, entries)
    days = get("doc_date")
    dates = {d: d.strftime("%d-%m-%Y") for d in set(days) if d}
    columns: dict[str, list] = {
        "row": get("row"), "stin": get("supplier_gstin"), "name": get("supplier_name"),
        "doc_num": get("doc_number"), "doc_date": [dates[d] if d else "" for d in days],
        "kind": [KIND_LABELS.get(k, k) for k in get("kind")],
        **amount_cells(entries, spelled=spelled),
        "pos": get("pos"),
        "warnings": [warnings_text(w) if w else "" for w in get("warnings")],
    }
    blank = [""] * len(entries)
    return [columns.get(c.key, blank) for c in PURCHASE_COLUMNS]


def _text_floats(texts: list[str]) -> list:
    """Amount texts as floats, "" (none: a document value only) kept as it is."""
    try:
        return list(map(float, texts))
    except ValueError:
        return ["" if t == "" else float(t) for t in texts]


def amount_cells(entries: Sequence[RegisterEntry], at: list[int] | None = None, *,
                 spelled: bool = False) -> dict[str, list]:
    """The amount columns (`AMOUNT_COLUMNS`) as the doubles the cells hold ("" for none), of
    every entry or of those at `at`, no entry made: parsed from the reader's texts (a Decimal
    converts through its text anyway); of other entries, the shared zero (most heads of most
    documents) without a conversion. `spelled`: see `purchase_columns`."""
    def pick(column: list) -> list:
        return column if at is None else [column[i] for i in at]

    def cells(texts: list[str]) -> list:
        return (spelled and number_texts(texts)) or _text_floats(texts)
    texts = getattr(entries, "amount_texts", None)
    if texts is not None:
        return {key: cells(pick(texts(name))) for key, name in AMOUNT_COLUMNS.items()}
    return {key: ["" if a is None else 0.0 if a is ZERO else float(a)
                  for a in pick(column_of(entries, name))]
            for key, name in AMOUNT_COLUMNS.items()}


def entries_from_rows(rows: list[list[Any]], *, header: list[Any] | None = None
                      ) -> list[RegisterEntry]:
    """Entries back from Purchase-sheet rows (as read from the workbook).

    Columns are found by header text when `header` is given or the first row is the header
    (the user may have moved columns); otherwise rows are in `PURCHASE_COLUMNS` order.
    """
    rows = [list(r) for r in rows]
    expected = headers(PURCHASE_COLUMNS)
    if header is None and rows and [str(v).strip() for v in rows[0][:3]] == expected[:3]:
        header, rows = rows[0], rows[1:]
    where = _positions(header or expected)
    out = []
    for n, r in enumerate(rows, FIRST_ROW):
        if any(v not in ("", None) for v in r):
            out.append(_entry(r, n, where))
    return out


def _positions(header: list[Any]) -> dict[str, int]:
    by_text = {str(h).strip().casefold(): i for i, h in enumerate(header)}
    return {c.key: by_text[c.header.casefold()] for c in PURCHASE_COLUMNS
            if c.header.casefold() in by_text}


def _entry(r: list, n: int, where: dict) -> RegisterEntry:
    def get(key: str) -> Any:
        i = where.get(key)
        return r[i] if i is not None and i < len(r) else ""

    def money(key: str) -> Decimal:
        try:
            return cells_.money(cells_.amount(get(key)) or 0.0)
        except cells_.CellError as e:
            raise _error(e, n, key) from None

    try:
        doc_date = cells_.to_date(get("doc_date"))
    except cells_.CellError as err:
        raise _error(err, n, "doc_date") from None
    kind_text = cells_.text(get("kind"))
    raw_value = get("val")
    e = RegisterEntry(
        row=int(cells_.amount(get("row")) or 0), supplier_gstin=cells_.gstin(get("stin")),
        doc_number=cells_.text(get("doc_num")), doc_date=doc_date,
        kind=_KIND_BY_LABEL.get(kind_text.casefold()) or _kind(kind_text, False),
        supplier_name=cells_.text(get("name")), taxable=money("txval"), igst=money("iamt"),
        cgst=money("camt"), sgst=money("samt"), cess=money("cess"),
        value=None if raw_value in ("", None) else money("val"),
        pos=cells_.state_code(get("pos")) or cells_.text(get("pos")))
    e.rows = (e.row,)
    e.sheet_row = n
    e.warnings = _issues(cells_.text(get("warnings")), e)
    return e


def _issues(text: str, e: RegisterEntry) -> list[Issue]:
    out = []
    for part in (p.strip() for p in text.split(JOIN) if p.strip()):
        error = part.startswith(_ERROR)
        out.append(Issue("books", part[len(_ERROR):] if error else part,
                         ERROR if error else WARNING, row=e.row,
                         record=f"{e.supplier_gstin} {e.doc_number}".strip()))
    return out


def _error(e: Exception, n: int, key: str) -> RegisterFormatError:
    header = next(c.header for c in PURCHASE_COLUMNS if c.key == key)
    return RegisterFormatError(f"{SHEET_PURCHASE} sheet: {e}", row=n, field=header)
