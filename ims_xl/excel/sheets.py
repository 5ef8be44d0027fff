"""The live workbook as plain values: the only module that touches ranges.

Every function reads or writes whole blocks: one `.value` call per table or per run of
adjacent columns, formats set on whole columns, never a call per row
(docs/reference/excel.md#speed). Reads find the table's edges first (`expand("right")` on the
header, the sheet's UsedRange for the last row), then read it with `.options(ndim=2)`
applied to that final range - options set before `expand()` are dropped, and a one-row
table would collapse to a flat list (docs/reference/excel.md#pitfalls).

Big blocks go in chunks sized by bytes, not cells: on a Mac one transfer is one Apple Event,
which fails past a size in bytes (xlwings measured ~1.5M float cells; an IMS row carries
~750 characters). `BYTES_PER_TRANSFER` keeps each chunk at a quarter of that.

Text safety: before values are written, text columns get the number format `"@"`. A string
written into a text-formatted cell is stored as typed, so 16-digit invoice numbers keep
every digit, `05-03-2026` stays a string, and a remark starting with `=`, `+`, `-` or `@`
is never taken for a formula. (A leading apostrophe would also force text, but not every
engine strips it again on read, so the apostrophe would leak into the upload.)
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import xlwings as xw

from ..workbook.data import read_settings as settings_from_rows
from ..model.errors import WorkbookError
from ..workbook.layout import (EDITABLE_KEYS, FIRST_ROW, HOME_TITLE, IMS_COLUMNS, INT, LOG_COLUMNS,
                               MONEY, MONEY_FORMAT, PATH_NAME, SETTINGS, SETTINGS_FIRST_ROW,
                               SHEET_HOME, SHEET_LOG, SHEET_UNDO, STATUS_COLOURS, STEPS,
                               TEXT_FORMAT, column_letter, headers)

TITLE = "IMS Reconciler"
MAX_ROWS = 1_048_576                    # Excel's last row
# One value transfer at most: a quarter of what we take one Apple Event to carry (16 MB),
# counting a cell as 16 bytes plus 2 per character (UTF-16). Room for rows longer than
# the rows a read was sized on.
BYTES_PER_TRANSFER = 4_000_000
MAX_CELL_BYTES = 16 + 2 * 32_767       # a full cell: what a first read must allow for
ADDRESS_LIMIT = 255                     # Excel refuses longer Range("...") addresses
PATHS_CELL = "$Z$1"                      # Home!Z1 when a workbook lacks the named cell
EDITABLE = EDITABLE_KEYS
_FORMATS = {MONEY: MONEY_FORMAT, INT: "0"}     # every other kind is text


@dataclass
class Table:
    """A sheet's table as read: header row and data rows (each as wide as the header)."""

    sheet: str
    header: list
    rows: list = field(default_factory=list)
    first_row: int = FIRST_ROW

    @property
    def positions(self) -> dict[str, int]:
        """Header text (lower case) -> 0-based column."""
        return {str(h).strip().lower(): i for i, h in enumerate(self.header) if h}

    def in_layout(self, columns) -> list[list]:
        """Rows re-ordered into `columns` order (found by header; missing -> "")."""
        pos = self.positions
        idx = [pos.get(c.header.lower()) for c in columns]
        return [[("" if i is None or i >= len(r) else r[i]) for i in idx] for r in self.rows]


# App -------------------------------------------------------------------------------------

@contextmanager
def busy(book: xw.Book, message: str):
    """Screen updating and recalculation off while a step runs; the status bar says what."""
    from ..progress import reporting
    app = book.app
    with app.properties(screen_updating=False, calculation="manual"):
        app.status_bar = message
        try:
            with reporting(StageOnStatusBar(book, message)):
                yield
        finally:
            app.status_bar = False       # hand the status bar back to Excel


class StageOnStatusBar:
    """The core's stages (`ims_xl.progress`) on Excel's status bar: one write per stage, none
    per count, and none when the bar already says it, since every write is a round trip."""

    def __init__(self, book: xw.Book, shown: str = ""):
        self.book, self.shown = book, shown

    def __call__(self, stage: str, done: int, total) -> None:
        message = f"IMS: {stage}..."
        if not done and message.lower() != self.shown.lower():
            status(self.book, message)
            self.shown = message


def status(book: xw.Book, message: str) -> None:
    book.app.status_bar = message


def alert(book: xw.Book, message: str, *, critical: bool = False) -> None:
    book.app.alert(message, title=TITLE, buttons="ok", mode="critical" if critical else "info")


# Sheets ----------------------------------------------------------------------------------

def sheet(book: xw.Book, name: str, columns=None, *, hidden: bool = False) -> xw.Sheet:
    """The sheet `name`, added (with its header and formats) when the workbook lacks it."""
    # `name in book.sheets` is always False on Windows (its Sheets has no __contains__).
    for s in book.sheets:
        if s.name.lower() == name.lower():
            return s
    new = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    if columns:
        format_columns(new, columns)
        new["A1"].value = headers(columns)
    if hidden:
        new.visible = False
    return new


def has_sheet(book: xw.Book, name: str) -> bool:
    return any(s.name.lower() == name.lower() for s in book.sheets)


def format_columns(sh: xw.Sheet, columns, first: int = 0) -> None:
    """Number formats on whole columns, one call per run of same-format columns."""
    for start, end, fmt in _runs([_FORMATS.get(c.kind, TEXT_FORMAT) for c in columns]):
        sh.range(f"{column_letter(first + start)}:{column_letter(first + end)}").number_format = fmt


def _runs(values: list[Any]) -> list[tuple[int, int, Any]]:
    """[a, a, b] -> [(0, 1, a), (2, 2, b)]."""
    out: list = []
    for i, v in enumerate(values):
        if out and out[-1][2] == v and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i, v)
        else:
            out.append((i, i, v))
    return out


def colour_statuses(book: xw.Book, name: str, status_col: int, last_row: int) -> None:
    """One conditional-format rule per status label (never a colour per row).

    Excel reads a rule's formula relative to the *active cell*, not to the range: with A1
    active, `=$F2=...` would colour each row by the row below. So the rule's first cell is
    selected first, and the formula is written for it. (Called on the sheet just added,
    which Excel made the active one; Range.Select fails on any other sheet.)
    """
    sh = book.sheets[name]
    letter = column_letter(status_col)
    sh.range(f"{letter}{FIRST_ROW}").select()
    rng = sh.range(f"{letter}{FIRST_ROW}:{letter}{max(last_row, FIRST_ROW)}")
    for label, colour in STATUS_COLOURS.items():
        rng.conditional_formats.add_custom(f'=${letter}{FIRST_ROW}="{label}"',
                                           fill_color=colour)


# Tables ----------------------------------------------------------------------------------

def read_table(book: xw.Book, name: str, *, header_row: int = 1) -> Table:
    """Header and rows of the table whose header starts in column A (one read, or byte-sized
    chunks when big).

    The width is the header row (`expand("right")`); the height is the sheet's UsedRange,
    trimmed of blank rows at the bottom. Not Ctrl+Up (`end("up")`): on a filtered sheet it
    stops at the last *visible* row, and the hidden records would look deleted (re-import
    would wipe their Action, export would leave them out). Unlike `expand()`, a blank cell
    in column A (a user's deleted Section) does not cut the table short: blank rows come
    back as rows of None and the readers skip them.
    """
    if not has_sheet(book, name):
        return Table(name, [], first_row=header_row + 1)
    sh = book.sheets[name]
    width = sh.range((header_row, 1)).expand("right").shape[1]
    last = max(last_used_row(sh), header_row)
    values = read_rows(sh, header_row, last, width, header=True)
    while len(values) > 1 and all(v in (None, "") for v in values[-1]):
        values.pop()
    if not values or values[0][0] in (None, ""):
        return Table(name, [], first_row=header_row + 1)
    return Table(name, list(values[0]), [list(r) for r in values[1:]], header_row + 1)


def last_used_row(sh: xw.Sheet) -> int:
    """The last row of the sheet's UsedRange: never above the last value, filtered or not."""
    return sh.used_range.last_cell.row


def _cell_bytes(v) -> int:
    return 16 + 2 * len(v) if isinstance(v, str) else 16


def _column_bytes(rows: list, width: int, seen: list | None = None) -> list[int]:
    """The largest cell of each column in `rows`, in bytes (at least what `seen` says)."""
    out = list(seen) if seen else [16] * width
    for r in rows:
        for i, v in enumerate(r):
            if v.__class__ is str:
                n = 16 + 2 * len(v)
                if n > out[i]:
                    out[i] = n
    return out


def _plan(col_bytes: list[int]) -> tuple[list[tuple[int, int]], int]:
    """Column bands (first, last; 0-based) and rows per chunk, so a chunk of one band stays
    within BYTES_PER_TRANSFER. A band is all the columns unless one row is bigger than that
    (the _Exports sheet keeps whole upload files: 4 MB of JSON in 32,000-character cells)."""
    bands, start, size = [], 0, 0
    for i, n in enumerate(col_bytes):
        if size and size + n > BYTES_PER_TRANSFER:
            bands.append((start, i - 1))
            start, size = i, 0
        size += n
    bands.append((start, len(col_bytes) - 1))
    widest = max(sum(col_bytes[a:b + 1]) for a, b in bands)
    return bands, max(1, BYTES_PER_TRANSFER // widest)


def read_rows(sh: xw.Sheet, first: int, last: int, width: int, column: int = 1, *,
              header: bool = False) -> list[list]:
    """Rows first..last, `width` columns from `column`, in transfers sized by bytes.

    Until a data row has been seen (`header`: the first row is a header, not a guide), a
    chunk is planned as if each cell held a quarter of the most a cell can (32,767
    characters), so it fits one Apple Event even if every cell were full; later chunks are
    planned on the largest cells seen so far. Should a chunk still be refused, it is read
    again in halves. options() on each range: a one-row block stays a list of rows
    (docs/reference/excel.md#pitfalls).
    """
    rows: list[list] = []
    seen = None
    top = first - 1
    while top < last:
        bands, size = _plan(seen or [MAX_CELL_BYTES // 4] * width)
        start, top = top + 1, min(last, top + size)
        chunk: list[list] = [[] for _ in range(top - start + 1)]
        for a, b in bands:
            part = _read_block(sh, start, top, column + a, column + b)
            for row, cells in zip(chunk, part):
                row.extend(cells)
        guide = chunk[1:] if header and start == first else chunk
        if guide:
            seen = _column_bytes(guide, width, seen)
        rows += chunk
    return rows


def _read_block(sh: xw.Sheet, r1: int, r2: int, c1: int, c2: int) -> list[list]:
    """One read; if Excel refuses it (a Mac's Apple Event too big), two reads of half."""
    try:
        return sh.range((r1, c1), (r2, c2)).options(ndim=2).value
    except Exception:  # noqa: BLE001 - AppleScript's -1741 has no portable exception type
        if r1 == r2:
            raise
        mid = (r1 + r2) // 2
        return _read_block(sh, r1, mid, c1, c2) + _read_block(sh, mid + 1, r2, c1, c2)


def write_rows(sh: xw.Sheet, top: tuple, rows: list[list]) -> None:
    """Write a block from cell `top` (row, column) in transfers sized by bytes."""
    if not rows:
        return
    width = max(map(len, rows))
    rows = [r if len(r) == width else list(r) + [None] * (width - len(r)) for r in rows]
    bands, size = _plan(_column_bytes(rows, width))
    if len(bands) == 1 and size >= len(rows):
        sh.range(top).value = rows
        return
    row, column = top
    for at in range(0, len(rows), size):
        for a, b in bands:
            sh.range((row + at, column + a)).value = [r[a:b + 1] for r in rows[at:at + size]]


def write_table(book: xw.Book, name: str, columns, rows: list, *,
                hidden: bool = False) -> Table:
    """Replace the table on sheet `name` (header + rows): formats, one clear, one write.

    Formats come first, so text columns are text before any value lands. The clear covers
    the table's columns from row 2 down, so a shorter table leaves nothing stale below;
    clearing whole columns is one call however many rows were there.
    """
    sh = sheet(book, name, hidden=hidden)
    width = len(columns)
    format_columns(sh, columns)
    sh.range((FIRST_ROW, 1), (MAX_ROWS, width)).clear_contents()
    body = [_pad(r, width) for r in rows]
    write_rows(sh, (1, 1), [headers(columns)] + body)
    return Table(name, headers(columns), body)


def _pad(row: list, width: int) -> list:
    row = list(row)
    return row + [None] * (width - len(row)) if len(row) < width else row[:width]


def write_updates(book: xw.Book, table: Table, updates: dict, columns) -> int:
    """Apply `{column key: {sheet row: value}}`: one write per run of adjacent columns.

    Each column block is the column as read with the changes patched in (table.patch_column),
    so the rows in between keep their values. `table.rows` is updated to match. Returns the
    number of block writes.
    """
    from ..workbook.ims_sheet import patch_column
    by_key = {c.key: c for c in columns}
    pos = table.positions
    cols = {}
    for key, changes in updates.items():
        if not changes:
            continue
        col = by_key.get(key)
        i = pos.get(col.header.lower()) if col else None
        if i is None or col is None:
            raise WorkbookError(f"sheet {table.sheet!r} has no column "
                                f"{col.header if col else key!r}; rebuild it with the "
                                "import button")
        values = patch_column([r[i] if i < len(r) else None for r in table.rows], changes,
                              table.first_row)
        cols[i] = (values, col)
    if not cols:
        return 0
    sh = book.sheets[table.sheet]
    height = max(len(v) for v, _ in cols.values())
    _grow(table, height)
    writes = 0
    for start, end in _adjacent(sorted(cols)):
        block = [cols[i] for i in range(start, end + 1)]
        text = [c.kind not in _FORMATS for _, c in block]
        for a, b, is_text in _runs(text):
            if is_text:
                sh.range(f"{column_letter(start + a)}:{column_letter(start + b)}"
                         ).number_format = TEXT_FORMAT
        data = [[(v[n] if n < len(v) else None) for v, _ in block] for n in range(height)]
        write_rows(sh, (table.first_row, start + 1), data)
        for n, row in enumerate(data):
            table.rows[n][start:end + 1] = row
        writes += 1
    return writes


def _adjacent(positions: list[int]) -> list[tuple[int, int]]:
    """[3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    out: list = []
    for p in positions:
        if out and out[-1][1] == p - 1:
            out[-1] = (out[-1][0], p)
        else:
            out.append((p, p))
    return out


def _grow(table: Table, height: int) -> None:
    width = len(table.header)
    for r in table.rows:
        r.extend([None] * (width - len(r)))
    table.rows.extend([None] * width for _ in range(height - len(table.rows)))


# Home: settings and the paths cell -------------------------------------------------------

def read_settings(book: xw.Book) -> dict:
    """Home settings {defined name: value}, read as one block B..C (found by label)."""
    if not has_sheet(book, SHEET_HOME):
        return settings_from_rows([])
    last = SETTINGS_FIRST_ROW + len(SETTINGS) - 1
    rows = book.sheets[SHEET_HOME].range((1, 1), (last, 3)).options(ndim=2).value
    return settings_from_rows(rows)


def write_setting(book: xw.Book, name: str, value) -> None:
    """One Home setting (column C, in `layout.SETTINGS` order), stored as text if a string."""
    index = [n for _, n, _ in SETTINGS].index(name)
    cell = home(book).range((SETTINGS_FIRST_ROW + index, 3))
    if isinstance(value, str):
        cell.number_format = TEXT_FORMAT       # "032026" must not become 32026
    cell.value = value


def home(book: xw.Book) -> xw.Sheet:
    """The Home sheet; laid out (title, settings, steps) when the workbook lacks it."""
    if has_sheet(book, SHEET_HOME):
        return book.sheets[SHEET_HOME]
    sh = sheet(book, SHEET_HOME)
    # As the file writer lays it out: title in B1, settings labels in B, values in C.
    rows: list[list] = [[None, HOME_TITLE, None]] + [[None] * 3] * (SETTINGS_FIRST_ROW - 2)
    rows += [[None, label, default] for label, _, default in SETTINGS]
    rows += [[None] * 3] + [[None, step, None] for step in STEPS]
    sh.range("A:C").number_format = TEXT_FORMAT
    sh["A1"].value = rows
    return sh


def read_paths(book: xw.Book) -> list[str]:
    """The file path(s) VBA left in the named cell ImsXlPaths (one per line)."""
    value = _paths_cell(book).value
    return [p.strip() for p in str(value or "").splitlines() if p.strip()]


def write_paths(book: xw.Book, text) -> None:
    """Put text in ImsXlPaths (what VBA does; Check Setup writes its verdict there)."""
    cell = _paths_cell(book, create=True)
    cell.number_format = TEXT_FORMAT
    cell.value = "\n".join(map(str, text)) if isinstance(text, (list, tuple)) else text


def clear_busy(book: xw.Book) -> None:
    """Empty the busy marker the ribbon's VBA sets below ImsXlPaths while a button runs.

    On a Mac RunPython returns before Python starts, so only Python knows when the work is
    over; until the marker is empty the buttons refuse a second click.
    """
    try:
        cell = book.names[PATH_NAME].refers_to_range
    except Exception:  # noqa: BLE001 - a workbook without the cell has no marker either
        return
    cell.offset(1, 0).value = None


def has_paths_cell(book: xw.Book) -> bool:
    return PATH_NAME in book.names


def folder(book: xw.Book):
    """The workbook's folder, or None when it is not a local file (unsaved, OneDrive URL).

    A workbook opened from OneDrive or SharePoint has a web address for a name; xlwings
    maps it to the synced folder when it can and raises when it cannot.
    """
    try:
        name = str(book.fullname)
    except Exception:  # noqa: BLE001 - xlwings' OneDrive mapping failed: not a local file
        return None
    if "://" in name:
        return None
    here = Path(name).parent
    return here if str(here) not in ("", ".") and here.is_dir() else None


def _paths_cell(book: xw.Book, create: bool = False) -> xw.Range:
    if PATH_NAME in book.names:
        return book.names[PATH_NAME].refers_to_range
    if not create:
        raise WorkbookError(f"this workbook has lost its hidden cell {PATH_NAME}; make a "
                            "fresh copy with: ims-xl workbook <folder>")
    home(book)
    book.names.add(PATH_NAME, f"={SHEET_HOME}!{PATHS_CELL}")
    return book.names[PATH_NAME].refers_to_range


# Log and other appended sheets ----------------------------------------------------------

def append_log(book: xw.Book, step: str, *details: str) -> None:
    """One Log row per detail line: time, step, detail."""
    now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    append_rows(book, SHEET_LOG, [[now, step, d] for d in details or ("",)], LOG_COLUMNS)


def append_rows(book: xw.Book, name: str, rows: list[list], columns=None, *,
                hidden: bool = False, anchor: str = "A", header: bool = False) -> None:
    """Write `rows` below the last value of column `anchor` (one write; header if new).

    The anchor column is read down to the UsedRange's last row and the new rows go below
    its last value: formatted empty rows (which UsedRange counts) do not push them down,
    and rows a filter hides are not written over (Ctrl+Down would skip them). `header=True`
    rewrites the header row too (the columns may have grown).
    """
    sh = sheet(book, name, hidden=hidden)
    columns = tuple(columns or ())
    width = max([len(columns)] + [len(r) for r in rows])
    format_columns(sh, columns)
    if width > len(columns):             # columns without a spec (JSON pieces): text
        sh.range(f"{column_letter(len(columns))}:{column_letter(width - 1)}"
                 ).number_format = TEXT_FORMAT
    below = _last_value_row(sh, anchor) + 1
    if below == 1:
        if columns:
            rows = [headers(columns)] + rows
    elif header and columns:
        sh["A1"].value = [headers(columns)]
    write_rows(sh, (below, 1), [_pad(r, width) for r in rows])


def _last_value_row(sh: xw.Sheet, letter: str) -> int:
    """Row of the last value in column `letter` (0 when empty), hidden rows included."""
    values = read_rows(sh, 1, last_used_row(sh), 1, column=sh.range(f"{letter}1").column)
    filled = [n for n, (v,) in enumerate(values, 1) if v not in (None, "")]
    return filled[-1] if filled else 0


# Undo ------------------------------------------------------------------------------------

def snapshot(book: xw.Book, table: Table, step: str) -> int:
    """Keep Record Key + the editable columns on the hidden _Undo sheet (one write)."""
    keep = ("key",) + EDITABLE
    by_key = {c.key: c for c in IMS_COLUMNS}
    pos = table.positions
    idx = [pos.get(by_key[k].header.lower()) for k in keep]
    rows = [[(r[i] if i is not None and i < len(r) else None) for i in idx]
            for r in table.rows]
    sh = sheet(book, SHEET_UNDO, hidden=True)
    sh.clear_contents()
    format_columns(sh, [by_key[k] for k in keep])
    meta = [["Undo snapshot", step, datetime.now().strftime("%Y-%m-%d %H:%M:%S")]
            + [None] * (len(keep) - 3)]
    write_rows(sh, (1, 1), meta + [[by_key[k].header for k in keep]] + rows)
    return len(rows)


def read_snapshot(book: xw.Book) -> tuple[str, Table]:
    """(step, table of Record Key + editable columns) from _Undo; empty table if none."""
    if not has_sheet(book, SHEET_UNDO):
        return "", Table(SHEET_UNDO, [])
    step = book.sheets[SHEET_UNDO]["B1"].value
    table = read_table(book, SHEET_UNDO, header_row=2)
    return (str(step or "") if table.rows else ""), table


# Selection -------------------------------------------------------------------------------

def selected_rows(book: xw.Book, table: Table) -> set[int] | None:
    """Visible sheet rows of `table` in the selection (every area); None when elsewhere.

    As Excel's own fill does on a filtered sheet, rows a filter hides are left out.
    Never `book.selection` or `len()`/`bool()` of the range: xlwings' `if selection` asks
    COM `Range.Count`, which overflows with the whole sheet selected (Ctrl+A). A Ctrl+click
    selection has several areas, and `row`/`shape` describe only the first; its address
    lists them all.
    """
    impl = book.app.impl.selection
    if impl is None:
        return None
    rng = xw.Range(impl=impl)
    if rng.sheet.name.lower() != table.sheet.lower():
        return None
    top, bottom = table.first_row, table.first_row + len(table.rows) - 1
    sh = book.sheets[table.sheet]
    rows: set[int] = set()
    for r1, r2 in area_rows(rng.address):
        first, last = max(r1, top), min(r2, bottom)
        if first <= last:
            # xlwings' own annotation adds the awaitable of its remote interpreter
            visible = sh.range((first, 1), (last, 1)).get_special_cells("visible")
            for area in visible:                            # type: ignore[union-attr]
                rows.update(range(area.row, area.row + area.shape[0]))
    return rows or None


def area_rows(address: str) -> list[tuple[int, int]]:
    """`$A$2:$C$3,$E$7,$1:$4,$B:$C` -> [(2, 3), (7, 7), (1, 4), (1, MAX_ROWS)]."""
    out = []
    for area in address.replace("$", "").split(","):
        ends = [int("".join(ch for ch in end if ch.isdigit()) or 0)
                for end in area.split(":")]
        out.append((1, MAX_ROWS) if 0 in ends else (min(ends), max(ends)))
    return out


# Free-form sheets ------------------------------------------------------------------------

def write_block(book: xw.Book, name: str, rows: list[list]) -> None:
    """Replace a free-form sheet's content (Summary) with one write; formats are kept.

    Its text cells are text-formatted first: in a General cell Excel would turn a supplier
    called `+91 Traders` or `@Home` into a formula and `May 2026` or `1-2` into a date.
    """
    sh = sheet(book, name)
    width = max((len(r) for r in rows), default=1)
    sh.clear_contents()
    for address in _addresses([(r, c) for r, row in enumerate(rows, 1)
                               for c, v in enumerate(row) if isinstance(v, str)]):
        sh.range(address).number_format = TEXT_FORMAT
    if rows:
        write_rows(sh, (1, 1), [_pad(r, width) for r in rows])


# Probes ----------------------------------------------------------------------------------

def column_has_values(book: xw.Book, name: str, columns, key: str) -> bool:
    """Whether layout column `key` holds anything below its header, reading that column only:
    lets a step skip reading a whole table for a column that is nearly always empty. A sheet
    whose columns were moved answers True (the caller then reads the table by header). Rows a
    filter hides count: the extent comes from the used range, not from End(xlUp)."""
    if not has_sheet(book, name):
        return False
    sh = book.sheets[name]
    at = next(i for i, c in enumerate(columns) if c.key == key)
    values = sh.range((1, at + 1), (max(last_used_row(sh), 1), at + 1)).options(ndim=1).value
    if str(values[0] or "").strip().lower() != columns[at].header.lower():
        return True
    return any(v not in (None, "") for v in values[1:])


def _addresses(cells: list[tuple[int, int]]) -> list[str]:
    """Cells (row, 0-based column) as few multi-area addresses of at most ADDRESS_LIMIT chars.

    Runs of cells down a column make one area each; Excel takes up to 255 characters.
    """
    areas, out, current = [], [], ""
    for c in sorted({c for _, c in cells}):
        rows = sorted(r for r, cc in cells if cc == c)
        letter = column_letter(c)
        for start, end in _adjacent(rows):
            areas.append(f"{letter}{start}" + (f":{letter}{end}" if end > start else ""))
    for area in areas:
        if current and len(current) + 1 + len(area) > ADDRESS_LIMIT:
            out.append(current)
            current = ""
        current = f"{current},{area}" if current else area
    return out + ([current] if current else [])
