"""Data rows as `<sheetData>` XML, written straight into the package (a fast path).

XlsxWriter lays out each data sheet (header, column formats, filters, lists, colours); its
per-cell writer costs ~6 µs a cell, ~25 s for 100,000 IMS rows. These rows are instead
written here as inline-string / number cells (~0.3 µs a cell) and spliced into the sheet part
by `package.finish_package`. Each cell takes its column's style (the `<col style>` XlsxWriter
wrote), so text columns keep `@` and money columns their format.

Values: `str` always becomes a text cell (a remark `=SUM(A1)` stays text); `int`/`float`
become numbers, except in text columns, where they become the text a person would type
(27, not 27.0); `None` and `""` stay blank; `bool` is `Y`/`N`; dates become text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import zip_longest
from operator import itemgetter
from typing import Any, NamedTuple

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
             batch: int = 500) -> Iterator[tuple[int, str | bytes]]:
    """`<row>` elements for `rows` from 1-based `first_row`: (rows done, text) per batch,
    the text as UTF-8 for rows partly written ahead (`PartlyWritten`).

    `styles[c]` is the ` s="N"` attribute of column c (or ""); `numeric[c]` says whether
    numbers stay numbers there. Rows longer than `styles` are an error of the caller.
    Each batch is laid out column by column as "pieces" (`_Pieces`), then woven into rows
    and joined once: a column with no blank cell that is all plain text (no escaping, no
    edge spaces, nothing near the cell limit, checked once for the whole column) or all
    finite numbers costs no Python step per cell; a column with blanks is written per cell
    in one comprehension; anything else goes cell by cell through `_cell`. A batch of 500
    rows (~1 MB of text) stays in the CPU's cache over its several passes: 100,000 IMS rows
    take a fifth less time than in batches of 2,000.
    """
    count = _row_count(rows)
    if first_row - 1 + count > MAX_ROWS:
        raise ValueError(f"{count:,} rows do not fit in one sheet (Excel's limit is "
                         f"{MAX_ROWS:,} rows)")
    if isinstance(rows, PartlyWritten):           # in the batches it was written in
        yield from _partly_written_xml(rows, styles, numeric, first_row)
        return
    yield from _laid_out_xml(rows, styles, numeric, first_row, batch)


class Columns(list):
    """Rows given column by column (one list of cells per column, all as long): `rows_xml`
    and `rows_with_gaps` take them as the rows they stand for, without making the rows."""

    def rows(self) -> int:
        return len(self[0]) if self else 0


class NumberTexts(list):
    """A numeric column given as the texts `repr` writes for its numbers (`number_texts`
    makes one, checked): written as they are, no float parsed and written again (a Purchase
    sheet's 600,000 amounts, from the register's texts: ~0.3 s). A slice is one too."""

    def __getitem__(self, at: Any) -> Any:
        got = super().__getitem__(at)
        return NumberTexts(got) if isinstance(at, slice) else got


_NOT_NUMBER_TEXT = {c: None for c in b"0123456789.\n"}


def number_texts(texts: list[str]) -> NumberTexts | None:
    """`texts` (a column of amounts) as `NumberTexts`, "0" as "0.0"; None unless every text
    is `repr` of its float: digits with one point inside, no leading zero but one before the
    point, no trailing zero but one after it, at most 15 digits, at least 0.0001 (else repr
    writes `1e-05`), not blank. Checked on the joined column, in C."""
    joined = "\n" + "\n".join(texts) + "\n"
    zero = "\n0\n"
    joined = joined.replace(zero, "\n0.0\n").replace(zero, "\n0.0\n")    # "0\n0": twice
    ok = (not joined.translate(_NOT_NUMBER_TEXT)
          and joined.count(".") == len(texts)
          and not ("\n." in joined or ".\n" in joined or "0.0000" in joined)
          and joined.count("0\n") == joined.count(".0\n")
          and joined.count("\n0") == joined.count("\n0.")
          and max(map(len, texts), default=0) <= 16)
    return NumberTexts(joined[1:-1].split("\n")) if ok and texts else None


def _row_count(rows) -> int:
    return rows.rows() if isinstance(rows, Columns) else len(rows)


def _laid_out_xml(rows, styles: list[str], numeric: list[bool], first_row: int, batch: int,
                  gaps: set[int] | frozenset = frozenset()) -> Iterator[tuple[int, str]]:
    """`rows_xml` of plain rows (or `Columns`); each cell of a `gaps` column is `_GAP`
    instead."""
    letters = column_letters(len(styles))
    by_column = isinstance(rows, Columns)
    for start in range(0, _row_count(rows), batch):
        columns: Iterable[Sequence]
        if by_column:
            columns = [column[start:start + batch] for column in rows]
            count = len(columns[0])
        else:
            chunk = rows[start:start + batch]
            columns, count = zip_longest(*chunk), len(chunk)
        numbers = _row_numbers(first_row + start, count)
        pieces = _Pieces(numbers)
        pieces.add('<row r="', [n + '">' for n in numbers])
        for c, col in enumerate(columns):
            if c in gaps:
                pieces.add(_GAP)
            else:
                _column(pieces, col, c, letters[c], styles[c], numeric[c], numbers)
        pieces.add("</row>")
        yield start + count, pieces.text()


class Packed(NamedTuple):
    """A sheet's rows deflated ahead, by the process that wrote them (`package.pack`): a
    piece of a raw deflate stream that ends on a byte (a sync flush) and refers to nothing
    before it, so it follows the deflated part above the rows as it is. `crc` and `size` are
    the rows' CRC-32 and length; `chunks()` gives the deflated bytes (as often as asked)."""
    crc: int
    size: int
    chunks: Callable[[], Iterator[bytes]]


@dataclass
class PartlyWritten:
    """Data rows some of whose columns were written as XML ahead of the others (on the other
    core, while the rest was still being worked out): `rows_xml` takes it as rows.

    `written()` gives what was written, when the sheet is written (the other core may still
    be at it until then): the `styles` and `numeric` the rows were written with, and
    `batches()`, the rows `batch` at a time as `rows_with_gaps` wrote them (UTF-8 XML with a
    `%s` slot for each cell of the held-back columns); None if they were not all written.
    `columns` hold the held-back columns' values (column index -> one value per row). A
    sheet whose columns came out styled otherwise, or whose rows were not written, takes
    `laid_out()`, the whole rows, instead (`fits`). `packed()`: the same rows, the held-back
    cells filled in, deflated by the process that wrote them (`Packed`), or None.
    """
    rows: int
    width: int
    batch: int
    written: Callable[[], tuple[list[str], list[bool], Callable[[], Iterator[bytes]]] | None]
    columns: dict[int, list]
    laid_out: Callable[[], list]
    packed: Callable[[], Packed | None] = lambda: None

    def __len__(self) -> int:
        return self.rows

    def fits(self, styles: list[str], numeric: list[bool]) -> bool:
        """Whether the rows were written, and with these column styles."""
        got = self.written()
        return got is not None and (got[0], got[1]) == (styles, numeric)


def widest(rows) -> int:
    """The number of columns of the longest row (0 for no rows)."""
    if isinstance(rows, PartlyWritten):
        return rows.width
    return len(rows) if isinstance(rows, Columns) else max(map(len, rows), default=0)


_GAP = "\x00"                 # a cell's place; control characters never reach the XML


def rows_with_gaps(rows, styles: list[str], numeric: list[bool], gaps: set[int], *,
                   batch: int = 500, first_row: int = 2) -> Iterator[bytes]:
    """Per batch of `rows_xml` (same size, same rows): its XML as UTF-8, but for the cells
    of the `gaps` columns, each left as a `%s` slot (a literal `%` doubled), so that
    `bytes % cells` fills them in one step (`PartlyWritten`)."""
    done = 0
    for end, text in _laid_out_xml(rows, styles, numeric, first_row, batch, gaps):
        text = text.replace("%", "%%")
        slotted = text.replace(_GAP, "%s")      # each slot one character longer: counted so
        if len(slotted) - len(text) != (end - done) * len(gaps):
            raise ValueError("a control character inside a cell")    # never in escaped XML
        done = end
        yield slotted.encode("utf-8", "replace")


def _partly_written_xml(table: PartlyWritten, styles: list[str], numeric: list[bool],
                        first_row: int) -> Iterator[tuple[int, bytes]]:
    """Each batch's written rows with the held-back cells filled in: those cells laid out
    row after row, apart by `_GAP`, encoded and split once, then one `%`. No row is split
    or joined here."""
    if not table.fits(styles, numeric):
        raise ValueError("the rows were not written ahead, or with other column styles")
    batches = table.written()[2]            # type: ignore[index]   # fits: it is there
    letters, batch = column_letters(table.width), table.batch
    gaps = sorted(table.columns.items())
    for start, written in zip(range(0, table.rows, batch), batches()):
        end = min(start + batch, table.rows)
        numbers = _row_numbers(first_row + start, end - start)
        pieces = _Pieces(numbers)
        for c, values in gaps:
            _column(pieces, tuple(values[start:end]), c, letters[c], styles[c], numeric[c],
                    numbers)
            pieces.add(_GAP)
        cells = pieces.text().encode("utf-8", "replace").split(_GAP.encode())
        if len(cells) != (end - start) * len(gaps) + 1:
            raise ValueError("a control character inside a cell")    # never in escaped XML
        yield end, written % tuple(cells[:-1])


def filled(table: PartlyWritten, styles: list[str], numeric: list[bool]) -> Iterator[bytes]:
    """`table`'s rows as `rows_xml` writes them (UTF-8, from row 2), the held-back cells
    filled in: what the process that wrote the rows deflates (`workbook/ahead.py`)."""
    return (xml for _, xml in _partly_written_xml(table, styles, numeric, 2))


def _row_numbers(first: int, count: int) -> list[str]:
    """The 1-based sheet row numbers of a batch, as text."""
    return list(map(str, range(first, first + count)))


class _Pieces:
    """A batch of rows as a sequence of pieces, each one text for every row or a list of
    one text per row; `text()` interleaves them (slice assignment, in C) and joins once."""

    def __init__(self, numbers: list[str]) -> None:
        self.rows, self.numbers = len(numbers), numbers
        self.parts: list = []          # str (same in every row) or a list (one per row)
        self._numbered: dict = {}      # text -> [row number + text for each row]

    def cells(self, letter: str, attributes: str, values, close: str) -> None:
        """A cell in every row: `<c r="{letter}{row}{attributes}{value}{close}`. The row
        number and the attributes after it are one piece, shared by like columns."""
        numbered = self._numbered.get(attributes)
        if numbered is None:
            numbered = self._numbered[attributes] = [n + attributes for n in self.numbers]
        self.add(f'<c r="{letter}', numbered, values, close)

    def add(self, *parts) -> None:
        for part in parts:
            if part.__class__ is str and self.parts and self.parts[-1].__class__ is str:
                self.parts[-1] += part
            else:
                self.parts.append(part)

    def text(self) -> str:
        width = len(self.parts)
        flat: list = [None] * (self.rows * width)
        for i, part in enumerate(self.parts):
            flat[i::width] = [part] * self.rows if part.__class__ is str else part
        return "".join(flat)


_PLAIN_TEXT = frozenset((str, type(None)))
_TEXT = frozenset((str,))
_PLAIN_NUMBER = frozenset((int, float, type(None)))
_NUMBERS = (frozenset((int,)), frozenset((float,)), frozenset((int, float)))
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_OTHER_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def _escaped(texts, joined: str | None = None) -> tuple[list | None, bool]:
    """`texts` (none blank) as `_cell` would write them, escaped for `<t>`, and whether
    any has an edge space (xml:space); (None, _) when one needs a step of its own (a length
    near the cell limit, a line break). One pass over the joined column (`joined`, when the
    caller joined them already): str.find, str.replace and bytes.translate run in C; a
    regex per cell does not. The texts are `texts` itself when none changes."""
    if joined is None:
        joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return None, False
    if len(joined) > CELL_LIMIT // 2 and max(map(len, texts)) > CELL_LIMIT // 2:
        return None, False
    ascii = joined.isascii()
    text = _escape_joined(joined, ascii)
    out = texts if text is joined else text.split("\n")
    if ascii and len(text) < 32 * len(texts) and "\t" not in text and "\r" not in text:
        # ASCII without tab or CR (control characters are escaped by now): the only edge
        # space a text can have is " ", next to the separator or at either end. A search
        # costs per character, so long texts (the hidden JSON) are checked one by one.
        return out, (text[0] == " " or text[-1] == " " or "\n " in text or " \n" in text)
    return out, (any(map(str.isspace, map(itemgetter(0), out)))
                 or any(map(str.isspace, map(itemgetter(-1), out))))


def _escape_joined(joined: str, ascii: bool) -> str:
    """`escape_text`, each step only where the text needs it (the same text; the same
    object when nothing changes)."""
    if "x" in joined and "_x" in joined:          # "x" alone is a memchr, "_x" is not
        joined = _ESCAPED_LOOKALIKE.sub(r"_x005F_\1", joined)
    if "&" in joined:
        joined = joined.replace("&", "&amp;")
    if "<" in joined:
        joined = joined.replace("<", "&lt;")
    if ">" in joined:
        joined = joined.replace(">", "&gt;")
    if (not ascii and ("\ufffe" in joined or "\uffff" in joined)) \
            or joined.encode("utf-8", "surrogatepass").translate(None, _OTHER_BYTES):
        joined = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", joined)
    return joined


def _column(pieces: _Pieces, col: Sequence, c: int, letter: str, style: str, numeric: bool,
            numbers: list) -> None:
    """The cells of one column of a batch, added to `pieces`."""
    if col.__class__ is NumberTexts and numeric:
        pieces.cells(letter, f'"{style}><v>', col, "</v></c>")
        return
    try:        # a column of texts (most are): joined once, no type looked at per cell
        joined: str | None = "\n".join(col)
        kinds: Set[type] = _TEXT
    except TypeError:
        joined, kinds = None, set(map(type, col))
    if kinds <= _PLAIN_TEXT:
        if not any(col):
            return                                  # every cell blank
        full = None not in kinds and all(col)
        texts = col if full else [v for v in col if v]
        escaped, spaced = _escaped(texts, joined if full else None)
        if escaped is not None:
            tail = f'"{style} t="inlineStr"><is><t>'
            if full and not spaced:                 # nothing to write per cell
                pieces.cells(letter, tail, escaped, "</t></is></c>")
                return
            if escaped is not texts:
                it = iter(escaped)
                col = tuple([next(it) if v else "" for v in col])
            head = f'<c r="{letter}'
            if spaced:
                kept = f'"{style} t="inlineStr"><is><t xml:space="preserve">'
                pieces.add([f"{head}{r}{kept if v[0].isspace() or v[-1].isspace() else tail}"
                            f"{v}</t></is></c>" if v else "" for v, r in zip(col, numbers)])
                return
            pieces.add([f"{head}{r}{tail}{v}</t></is></c>" if v else ""
                        for v, r in zip(col, numbers)])
            return
    elif numeric and kinds in _NUMBERS and math.isfinite(sum(col)):
        pieces.cells(letter, f'"{style}><v>', list(map(repr, col)), "</v></c>")
        return
    elif numeric and kinds <= _PLAIN_NUMBER and math.isfinite(sum(filter(None, col))):
        head = f'<c r="{letter}'
        pieces.add([f'{head}{r}"{style}><v>{v!r}</v></c>' if v is not None else ""
                    for v, r in zip(col, numbers)])
        return
    pieces.add([_cell(v, c, letter, style, numeric, r) for v, r in zip(col, numbers)])


def _cell(v, c: int, letter: str, style: str, numeric: bool, rs: str) -> str:
    """One cell of any value, "" when it stays blank."""
    if v is None or v == "":
        return ""
    t = type(v)
    if t is not str:
        if (t is float or t is int) and numeric:
            return f'<c r="{letter}{rs}"{style}><v>{v!r}</v></c>' if t is int or \
                math.isfinite(v) else ""
        v = _other(v, numeric)
        if v is None:
            return ""
        if type(v) is not str:
            return f'<c r="{letter}{rs}"{style}><v>{v!r}</v></c>'
    if len(v) > CELL_LIMIT // 2 and len(v.encode("utf-16-le")) > 2 * CELL_LIMIT:
        raise CellTooLong(int(rs) - 1, c)
    if _NEEDS_ESCAPE.search(v):
        v = escape_text(v)
    space = ' xml:space="preserve"' if v[:1].isspace() or v[-1:].isspace() else ""
    return f'<c r="{letter}{rs}"{style} t="inlineStr"><is><t{space}>{v}</t></is></c>'


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
