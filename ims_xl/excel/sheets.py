"""The live workbook as plain values: the only module that touches ranges (style.md §3).

Every function reads or writes whole blocks: one `.value` call per table or per run of
adjacent columns, formats set on whole columns, never a call per row
(excel-integration.md §4). Reads find the table's edges first (`expand("right")` on the
header, Ctrl+Up for the last row), then read it with `.options(ndim=2)` applied to that
final range - options set before `expand()` are dropped, and a one-row table would collapse
to a flat list (§6 pitfall 6).

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

import xlwings as xw

from ..book import read_settings as settings_from_rows
from ..errors import WorkbookError
from ..layout import (EDITABLE_KEYS, FIRST_ROW, HOME_TITLE, IMS_COLUMNS, INT, LOG_COLUMNS,
                      MONEY, MONEY_FORMAT, PATH_NAME, SETTINGS, SETTINGS_FIRST_ROW,
                      SHEET_HOME, SHEET_LOG, SHEET_UNDO, STATUS_COLOURS, STEPS, TEXT_FORMAT,
                      column_letter, headers)

TITLE = "IMS Reconciler"
MAX_ROWS = 1_048_576                    # Excel's last row
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
            with reporting(StageOnStatusBar(book)):
                yield
        finally:
            app.status_bar = False       # hand the status bar back to Excel


class StageOnStatusBar:
    """The core's stages (`ims_xl.progress`) on Excel's status bar: one write per stage, none
    per count, since every write is a round trip to Excel."""

    def __init__(self, book: xw.Book):
        self.book = book

    def __call__(self, stage: str, done: int, total) -> None:
        if not done:
            status(self.book, f"IMS: {stage}...")


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


def _runs(values: list) -> list[tuple[int, int, object]]:
    """[a, a, b] -> [(0, 1, a), (2, 2, b)]."""
    out: list = []
    for i, v in enumerate(values):
        if out and out[-1][2] == v and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i, v)
        else:
            out.append((i, i, v))
    return out


def colour_statuses(book: xw.Book, name: str, status_col: int, last_row: int) -> None:
    """One conditional-format rule per status label (never a colour per row)."""
    sh = book.sheets[name]
    letter = column_letter(status_col)
    rng = sh.range(f"{letter}{FIRST_ROW}:{letter}{max(last_row, FIRST_ROW)}")
    for label, colour in STATUS_COLOURS.items():
        rng.conditional_formats.add_custom(f'=${letter}{FIRST_ROW}="{label}"',
                                           fill_color=colour)


# Tables ----------------------------------------------------------------------------------

def read_table(book: xw.Book, name: str, *, header_row: int = 1) -> Table:
    """Header and rows of the table whose header starts in column A, in one read.

    The width is the header row (`expand("right")`); the height is the last value in the
    first or the last column (Ctrl+Up from the sheet's bottom; on the IMS sheet the last
    column is the hidden downloaded record, always filled). Unlike `expand()`, a blank cell
    in column A (a user's deleted Section) does not cut the table short: blank rows come
    back as rows of None and the readers skip them.
    """
    if not has_sheet(book, name):
        return Table(name, [], first_row=header_row + 1)
    sh = book.sheets[name]
    width = sh.range((header_row, 1)).expand("right").shape[1]
    last = max(_last_row(sh, 1), _last_row(sh, width) if width > 1 else 0, header_row)
    # options() on the final range: a one-row table must stay a list of rows (§6.6).
    values = sh.range((header_row, 1), (last, width)).options(ndim=2).value
    if not values or values[0][0] in (None, ""):
        return Table(name, [], first_row=header_row + 1)
    return Table(name, list(values[0]), [list(r) for r in values[1:]], header_row + 1)


def _last_row(sh: xw.Sheet, column: int) -> int:
    """Row of the last value in `column` (Ctrl+Up from the bottom of the sheet)."""
    return sh.range((MAX_ROWS, column)).end("up").row


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
    sh["A1"].value = [headers(columns)] + body
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
    from ..table import patch_column
    by_key = {c.key: c for c in columns}
    pos = table.positions
    cols = {}
    for key, changes in updates.items():
        if not changes:
            continue
        col = by_key.get(key)
        i = pos.get(col.header.lower()) if col else None
        if i is None:
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
        sh.range((table.first_row, start + 1)).value = data
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


def has_paths_cell(book: xw.Book) -> bool:
    return PATH_NAME in book.names


def folder(book: xw.Book):
    """The workbook's folder, or None when it is not a local file (unsaved, OneDrive URL)."""
    here = Path(book.fullname).parent
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

    `expand("down")` stops at the first blank in that column, so formatted empty rows (which
    Excel's used_range counts) do not push the new rows down. `header=True` rewrites the
    header row too (the columns may have grown).
    """
    sh = sheet(book, name, hidden=hidden)
    columns = tuple(columns or ())
    width = max([len(columns)] + [len(r) for r in rows])
    format_columns(sh, columns)
    if width > len(columns):             # columns without a spec (JSON pieces): text
        sh.range(f"{column_letter(len(columns))}:{column_letter(width - 1)}"
                 ).number_format = TEXT_FORMAT
    top = sh[f"{anchor}1"]
    if top.value in (None, ""):
        below = 1
        if columns:
            rows = [headers(columns)] + rows
    else:
        below = top.expand("down").last_cell.row + 1
        if header and columns:
            sh["A1"].value = [headers(columns)]
    sh.range((below, 1)).value = [_pad(r, width) for r in rows]


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
    sh["A1"].value = meta + [[by_key[k].header for k in keep]] + rows
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
    """Sheet rows of `table` covered by the selection; None when it is elsewhere."""
    rng = book.selection
    if rng is None or rng.sheet.name.lower() != table.sheet.lower():
        return None
    first = max(rng.row, table.first_row)
    last = min(rng.row + rng.shape[0] - 1, table.first_row + len(table.rows) - 1)
    return set(range(first, last + 1)) or None


# Free-form sheets ------------------------------------------------------------------------

def write_block(book: xw.Book, name: str, rows: list[list]) -> None:
    """Replace a free-form sheet's content (Summary) with one write; formats are kept."""
    sh = sheet(book, name)
    width = max((len(r) for r in rows), default=1)
    sh.clear_contents()
    if rows:
        sh["A1"].value = [_pad(r, width) for r in rows]
