"""Register columns converted as a whole: a cell converter run once per distinct text, a
column of plain amounts read in one go, float sums turned into the texts of their money.

The reader (`reader`) works column by column; these are its column-level helpers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from . import cells


class Refused(str):
    """The message for a cell its converter refused, standing in for the value."""


def convert(column: list, read: Callable[[Any], Any]) -> tuple[list, dict[int, str]]:
    """`read` over a column, once per distinct text (registers repeat suppliers, dates and
    zeros; numbers and dates from a workbook go one by one). Returns the values and, for the
    cells `read` refused (left None), {position: message}."""
    def safe(v: Any) -> Any:
        try:
            return read(v)
        except cells.CellError as e:
            return Refused(e)
    distinct = set(column)
    known = {v: safe(v) for v in distinct if type(v) is str}
    if len(known) == len(distinct):             # all text (a CSV)
        values = list(map(known.__getitem__, column))
    else:
        values = [known[v] if type(v) is str else safe(v) for v in column]
    refused: dict[int, str] = {}
    if len(known) < len(distinct) or any(type(v) is Refused for v in known.values()):
        for p, v in enumerate(values):
            if type(v) is Refused:
                refused[p], values[p] = str(v), None
    return values, refused


def text_column(column: list) -> list[str]:
    """`cells.text` over a column. Text with no cell starting `'` or `=` (the common export:
    document numbers are nearly all distinct) is only stripped, in one go."""
    try:
        stripped = list(map(str.strip, column))
    except TypeError:                           # not all text: a workbook's numbers
        return convert(column, cells.text)[0]
    joined = "".join(stripped)
    if "'" in joined or "=" in joined:          # maybe quoted to stay text: cell by cell
        return convert(column, cells.text)[0]
    return stripped


def amount_column(column: list) -> tuple[list, dict[int, str]]:
    """`cells.amount` over a column. A column of plain numbers only (the common export) is
    read in one go; one with blanks, `1,18,000.00 Dr` or text goes once per distinct text."""
    try:
        plain = "_" not in "".join(column)      # float() also reads 1_000; amount() does not
    except TypeError:                           # not all text: a workbook's numbers
        plain = set(map(type, column)) <= {float, int}
    if plain:
        try:
            values = list(map(float, column))
        except ValueError:
            return convert(column, cells.amount)
        total = sum(values)
        if total - total == 0:          # no nan or inf: float read them, amount does not
            return values, {}
    return convert(column, cells.amount)


money_text = cells.money_text


def money_texts(sums: list[float]) -> list[str]:
    """`money_text` over a column of sums, zeros (most IGST or CGST heads, nearly every
    cess) without a call. A cache per distinct sum measured slower: sums are mostly
    distinct."""
    return [money_text(x) if x else "0" for x in sums]


def row_total(parts: tuple) -> float | None:
    """One row's ledger columns of a field added up; None when none has an amount."""
    total, seen = 0.0, False
    for a in parts:
        if a is not None:
            total, seen = total + a, True
    return total if seen else None
