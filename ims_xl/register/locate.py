"""Find the register in a file: which sheet, which row is the header, what each column is called.

Registers carry title rows above the header (Tally: company, "Purchase Register", period),
sometimes a two-row header (GSTR-2B Excel: "Invoice details" over "Invoice number"), and
workbooks may hold several sheets. The header is the row among the first
`headers.HEADER_SCAN_ROWS` that names the most fields (`mapping.score_row`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.errors import RegisterFormatError
from ..model.issue import WARNING, Issue
from ..workbook.layout import column_letter
from . import headers
from .cells import CellError, amount, to_date
from .source import Source
from .mapping import score_row

MIN_SCORE = 2             # a header names at least two fields
OTHER_REGISTER = 4        # another sheet scoring this much is worth a warning


@dataclass
class Header:
    sheet: str
    top: int              # 0-based index of the first header row
    bottom: int           # 0-based index of the last header row; data starts below it
    score: float

    @property
    def row(self) -> int:
        """The header's (last) row number as a spreadsheet shows it."""
        return self.bottom + 1


def locate(source: Source, sheet: str | None = None, *,
           known: dict | None = None) -> tuple[Header, list[Issue]]:
    """The sheet holding the register and its header; raises when there is none.

    `known`: headers of the saved mapping (`Mapping.known_headers`) count as field names.
    """
    if sheet and sheet not in source.sheet_names:
        raise RegisterFormatError(f"no sheet named {sheet!r}; the sheets are "
                                  f"{', '.join(source.sheet_names)}", file=source.file)
    names = [sheet] if sheet else source.sheet_names
    heads = {n: source.head(n, headers.HEADER_SCAN_ROWS) for n in names}
    found = [h for n in names if (h := find_header(n, heads[n], known))]
    if not found:
        raise _no_header(source, heads)
    best = max(found, key=lambda h: h.score)        # max keeps the first of equal scores
    others = [h.sheet for h in found if h is not best and h.score >= OTHER_REGISTER
              and _has_data(heads[h.sheet][h.bottom + 1:])]
    issues = [Issue("other-register-sheets", f"read sheet {best.sheet!r}; sheet(s) "
                    f"{', '.join(others)} also look like a register and were not read (choose "
                    "the sheet to read it instead)", WARNING)] if others else []
    return best, issues


def _has_data(rows: list[list]) -> bool:
    return any(v not in ("", None) for r in rows for v in r)


def find_header(sheet: str, head: list[list], known: dict | None = None) -> Header | None:
    if not head:
        return None
    scores = [score_row(r, known) for r in head]
    best = max(range(len(head)), key=lambda i: scores[i])
    if scores[best] < MIN_SCORE:
        return None
    top = bottom = best
    # A two-row header: the neighbour is all labels and names fields as well.
    if best > 0 and scores[best - 1] >= MIN_SCORE and _labels_only(head[best - 1]):
        top = best - 1
    elif best + 1 < len(head) and scores[best + 1] >= MIN_SCORE and _labels_only(head[best + 1]):
        bottom = best + 1
    return Header(sheet, top, bottom, scores[best] + (scores[top] if top != best else 0)
                  + (scores[bottom] if bottom != best else 0))


def _labels_only(row: list) -> bool:
    """True when no cell looks like data (a number, a date, an amount, a GSTIN)."""
    for v in row:
        if v in ("", None):
            continue
        if not isinstance(v, str):
            return False
        try:
            if amount(v) is not None or to_date(v):
                return False
        except CellError:
            pass
    return True


def column_names(rows: list[list], header: Header, sample: list[list]) -> list[str]:
    """One unique, non-empty name per column that has a header or data.

    Two-row headers take the lower cell, else the upper (merged cells keep their text in
    the first cell). A blank header over data becomes "Column F"; a repeated header gets
    " (2)" so the Mapping sheet can tell the two apart.
    """
    width = max(len(r) for r in rows[header.top:header.bottom + 1] + sample[:50] or [[]])
    names: list[str] = []
    seen: dict[str, int] = {}
    for c in range(width):
        text = ""
        for r in reversed(rows[header.top:header.bottom + 1]):
            if c < len(r) and str(r[c]).strip():
                text = " ".join(str(r[c]).split())
                break
        if not text and any(c < len(r) and r[c] not in ("", None) for r in sample):
            text = f"Column {column_letter(c)}"
        if text:
            seen[text.casefold()] = seen.get(text.casefold(), 0) + 1
            if seen[text.casefold()] > 1:
                text = f"{text} ({seen[text.casefold()]})"
        names.append(text)
    return names


def _no_header(source: Source, heads: dict) -> RegisterFormatError:
    filled = {n: [r for r in rows if any(v not in ("", None) for v in r)]
              for n, rows in heads.items()}
    if not any(filled.values()):
        what = f"sheet {next(iter(heads))!r} is" if len(heads) == 1 else "every sheet is"
        return RegisterFormatError(f"{what} empty: there is no register to read",
                                   file=source.file)
    seen = []
    for name, rows in filled.items():
        for r in rows[:3]:
            cells = [str(v).strip() for v in r if str(v).strip()][:6]
            seen.append(f"{name!r}: " + ", ".join(repr(c) for c in cells))
    return RegisterFormatError(
        f"no header row found in the first {headers.HEADER_SCAN_ROWS} rows: expected column "
        "headers such as Supplier GSTIN (or GSTIN/UIN), Invoice No, Invoice Date, Taxable "
        "Value, IGST, CGST, SGST. First rows seen: " + "; ".join(seen[:6]), file=source.file)
