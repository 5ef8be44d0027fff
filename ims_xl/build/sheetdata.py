"""Data rows as `<sheetData>` XML, written straight into the package (a fast path).

XlsxWriter lays out each data sheet (header, column formats, filters, lists, colours); its
per-cell writer costs ~6 µs a cell, ~25 s for 100,000 IMS rows. These rows are instead
written here as inline-string / number cells (~0.6 µs a cell) and spliced into the sheet part
by `package.finish_package`. Each cell takes its column's style (the `<col style>` XlsxWriter
wrote), so text columns keep `@` and money columns their format.

Values: `str` always becomes a text cell (a remark `=SUM(A1)` stays text); `int`/`float`
become numbers, except in text columns, where they become the text a person would type
(27, not 27.0); `None` and `""` stay blank; `bool` is `Y`/`N`; dates become text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from .constants import CELL_LIMIT

MAX_ROWS = 1_048_576
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPED_LOOKALIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


class CellTooLong(ValueError):
    """A text longer than Excel's limit; `.row` and `.column` are 0-based."""

    def __init__(self, row: int, column: int) -> None:
        super().__init__(f"row {row + 1}, column {column + 1}: text longer than {CELL_LIMIT:,} "
                         "characters")
        self.row, self.column = row, column
        self.part = ""          # the sheet part, filled in by package.finish_package


def column_letters(n: int) -> list[str]:
    out, letters = [], ""
    for i in range(n):
        index, letters = i + 1, ""
        while index:
            index, rest = divmod(index - 1, 26)
            letters = chr(65 + rest) + letters
        out.append(letters)
    return out


def escape_text(s: str) -> str:
    """Text for `<t>`: XML-escaped; control characters as OOXML `_xHHHH_` (as Excel writes)."""
    s = _ESCAPED_LOOKALIKE.sub(r"_x005F_\1", s)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", s)


def number_text(v) -> str:
    """A number bound for a text column, as a person would type it (27, not 27.0)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)


def rows_xml(rows, styles: list[str], numeric: list[bool], *, first_row: int = 2,
             batch: int = 2000) -> Iterator[str]:
    """`<row>` elements for `rows` from 1-based `first_row`: (rows done, text) per batch.

    `styles[c]` is the ` s="N"` attribute of column c (or ""); `numeric[c]` says whether
    numbers stay numbers there. Rows longer than `styles` are an error of the caller.
    """
    if first_row - 1 + len(rows) > MAX_ROWS:
        raise ValueError(f"{len(rows):,} rows do not fit in one sheet (Excel's limit is "
                         f"{MAX_ROWS:,} rows)")
    letters = column_letters(len(styles))
    needs_escape = _NEEDS_ESCAPE.search
    parts: list[str] = []
    add = parts.append
    for r, row in enumerate(rows, start=first_row):
        rs = str(r)
        add(f'<row r="{rs}">')
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            t = type(v)
            if t is str:
                pass
            elif (t is float or t is int) and numeric[c]:
                if t is int or math.isfinite(v):
                    add(f'<c r="{letters[c]}{rs}"{styles[c]}><v>{v!r}</v></c>')
                continue
            else:
                v = _other(v, numeric[c])
                if v is None:
                    continue
                if type(v) is not str:
                    add(f'<c r="{letters[c]}{rs}"{styles[c]}><v>{v!r}</v></c>')
                    continue
            if len(v) > CELL_LIMIT // 2 and len(v.encode("utf-16-le")) > 2 * CELL_LIMIT:
                raise CellTooLong(r - 1, c)
            if needs_escape(v):
                v = escape_text(v)
            space = ' xml:space="preserve"' if v[:1].isspace() or v[-1:].isspace() else ""
            add(f'<c r="{letters[c]}{rs}"{styles[c]} t="inlineStr"><is><t{space}>{v}</t></is></c>')
        add("</row>")
        if len(parts) > batch * 8:
            yield r - first_row + 1, "".join(parts)
            parts.clear()
    if parts:
        yield len(rows), "".join(parts)


def _other(v, numeric: bool):
    """The rare values: bool, Decimal, numbers in text columns, dates, anything else as text."""
    if isinstance(v, bool):
        return "Y" if v else "N"
    if isinstance(v, (int, float, Decimal)):
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, Decimal) and not v.is_finite():
            return None
        return float(v) if numeric else number_text(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, date):
        return v.strftime("%d-%m-%Y")
    return str(v)
