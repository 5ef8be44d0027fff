"""An in-memory xlwings engine: real `xw.Book` objects without Excel
(docs/reference/excel.md#testing).

The classes subclass xlwings' BSD `base_classes`, so `xw.Book(impl=MemBook(...))` is a
genuine `xw.Book`: `.options()`, `.expand()`, the 1-D collapse, chunking and `Book.caller()`
are xlwings' own code. Only the workbook is fake. It behaves like desktop Excel where that
matters to us:

- a string written into a cell that is not text-formatted (`"@"`) is typed in as Excel
  would: `"1234567890123456"` becomes the number 1234567890123460, `"05-03-2026"` a date,
  `"=x"` / `"-x"` / `"@x"` a formula (read back as an error, i.e. None);
- numbers read back as floats, empty cells as None, dates as `datetime`;
- `"IMS" in book.sheets` is False even when the sheet exists (the Windows engine's Sheets
  has no `__contains__` either); use `book.sheet_names`.

It is also as strict as the desktop engines we cannot run here (xlwings 0.37.8's
`_xlwindows.py` and `_xlmac.py`); test_memengine_contract checks each rule:

- `len()` of a range is COM `Range.Count`, which overflows past 2**31-1 cells (the whole
  sheet), and a range has no `__bool__`: `bool()` asks `len()`, as xlwings'
  `App.selection` / `Book.selection` do (`if self.impl.selection`);
- a Ctrl+click selection has several areas: `address` lists them all, while `row`,
  `shape` and `value` are the first area's (COM `Range.Row`, `Rows.Count`, `Value`);
- rows can be hidden (`hide_rows`, an AutoFilter); `end()` passes over them as Ctrl+Up
  does on a filtered sheet, and `get_special_cells("visible")` leaves them out;
- `used_range` never shrinks below a cell once written or formatted (Excel's UsedRange);
- one value transfer carries at most `max_bytes_per_transfer` bytes (AppleScript's Apple
  Event limit, `_xlmac.Range.max_cells_per_read`); more fails as AppleScript does (-1741);
- a conditional-format formula is read relative to the active cell when the rule is added
  (`FormatConditions.Add`), as Excel does;
- a message box while screen updating is off raises (Excel shows it over a frozen screen);
- `fullname` can be an https:// URL or raise, as for a workbook opened from OneDrive.

Every call that would cross the COM/AppleScript bridge (value reads and writes, formats,
`end`, `used_range`, sheets, names, app properties, alerts) is counted on the `MemApp`, so
tests can prove the number of round trips does not grow with the number of rows.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import xlwings as xw
from xlwings import base_classes as base

MAX_ROWS, MAX_COLS = 1_048_576, 16_384
COUNT_MAX = 2**31 - 1            # COM Range.Count is a Long; CountLarge exists for more
# An Apple Event reply fails between 1.5M and 2M float cells (_xlmac.max_cells_per_read):
# taken as 16 MB, with a float cell 16 bytes and a text cell 16 + 2 per character (UTF-16).
MAC_BYTES_PER_TRANSFER = 16_000_000
_UNSET = object()


class MemComError(Exception):
    """What pywin32's com_error / AppleScript's CommandError would raise."""


def transfer_bytes(block) -> int:
    """Bytes of one value transfer as we model the Apple Event: see MAC_BYTES_PER_TRANSFER."""
    if not isinstance(block, (list, tuple)):
        block = [[block]]
    total = 0
    for row in block:
        for v in (row if isinstance(row, (list, tuple)) else (row,)):
            total += 16 + 2 * len(v) if isinstance(v, str) else 16
    return total


class MemError:
    """A cell holding an Excel error, e.g. a formula that could not be computed."""

    def __init__(self, text: str = "#NAME?") -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


# Excel's typing of strings entered into a General-formatted cell --------------------------

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+(\.\d*)?|\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")
_DATE = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})[-/](\d{1,2})$")            # 1-2: 1 Feb this year
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/](\d{4})$")             # 3-2026: 1 Mar 2026
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
           "dec")
_NAMED = re.compile(r"^(?:(\d{1,2})[- /])?([A-Za-z]{3,9})(?:[- /,]+(\d{2}|\d{4}))?$")
_NEGATIVE = re.compile(r"^\((\d+(\.\d*)?)\)$")                 # (120): -120


def _named_date(t: str):
    """`May 2026`, `5 May 2026`, `5-May`, `May-26`: what Excel takes for a date."""
    m = _NAMED.match(t)
    if not m or m.group(2)[:3].lower() not in _MONTHS:
        return None
    name = m.group(2).lower()
    month = _MONTHS.index(name[:3]) + 1
    full = ("january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december")[month - 1]
    if name not in (name[:3], full) or not (m.group(1) or m.group(3)):
        return None
    year = m.group(3)
    y = dt.date.today().year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    try:
        return dt.datetime(y, month, int(m.group(1) or 1))
    except ValueError:
        return None


def typed_like_excel(s: str):
    """What Excel stores when `s` is entered into a General cell (Indian locale, d-m-y)."""
    t = s.strip()
    if s.startswith("'"):
        return s[1:] or None              # the apostrophe prefix forces text
    if _NUMBER.match(t):
        x = float(t.rstrip("%").replace(",", "")) / (100 if t.endswith("%") else 1)
        return float(f"{x:.15g}")         # Excel keeps 15 significant digits
    if t.upper() in ("TRUE", "FALSE"):
        return t.upper() == "TRUE"
    if _NEGATIVE.match(t):
        return -float(_NEGATIVE.match(t).group(1))
    this_year = dt.date.today().year
    for rx, build in ((_DATE, lambda d, m, y: (y, m, d)), (_ISO_DATE, lambda y, m, d: (y, m, d)),
                      (_DAY_MONTH, lambda d, m: (this_year, m, d)),
                      (_MONTH_YEAR, lambda m, y: (y, m, 1))):
        m = rx.match(t)
        if m:
            y, mo, d = build(*(int(g) for g in m.groups()))
            try:
                return dt.datetime(y, mo, d)
            except ValueError:
                return s
    named = _named_date(t)
    if named is not None:
        return named
    if t[:1] in ("=", "+", "-", "@"):
        return MemError()                 # a formula; we cannot compute it
    return s


def _stored(v, text: bool):
    """A Python value as the cell would hold it."""
    if v is None or v == "":
        return None
    t = type(v)
    if t is str:
        if len(v) > 32_767:
            raise ValueError(f"Excel cells hold at most 32,767 characters ({len(v)} given)")
        return v if text else typed_like_excel(v)
    if t is bool or t is float or t is MemError:
        return v
    if t is int or t is Decimal:
        return float(v)
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None)
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    if isinstance(v, (int, float)):       # numpy scalars
        return float(v)
    raise TypeError(f"cannot write a {t.__name__} into a cell: {v!r}")


# Addresses -----------------------------------------------------------------------------

def col_letters(c: int) -> str:
    s = ""
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


_REF = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?$")


def parse_address(text: str) -> tuple[int, int, int, int]:
    """`A1`, `$A$1:$C$3`, `A:C`, `2:5` -> (r1, c1, r2, c2)."""
    parts = text.split(":")
    if len(parts) > 2:
        raise ValueError(f"bad address {text!r}")
    cells = []
    for p in parts:
        m = _REF.match(p.strip())
        if not m or not (m.group(1) or m.group(2)):
            raise ValueError(f"bad address {text!r}")
        cells.append((int(m.group(2)) if m.group(2) else None,
                      _col_number(m.group(1)) if m.group(1) else None))
    (ra, ca), (rb, cb) = cells[0], cells[-1]
    r1, r2 = (ra or 1, rb or MAX_ROWS) if ra is None or rb is None else (ra, rb)
    c1, c2 = (ca or 1, cb or MAX_COLS) if ca is None or cb is None else (ca, cb)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def split_sheet(ref: str) -> tuple[str, str]:
    """`='My Sheet'!$A$1` -> ("My Sheet", "$A$1")."""
    ref = ref.lstrip("=")
    sheet, _, addr = ref.rpartition("!")
    return sheet.strip("'").replace("''", "'"), addr


# The engine ----------------------------------------------------------------------------

class MemEngine:
    """What `xlwings.conversion` asks of an engine."""

    name, type = "mem", "desktop"

    @staticmethod
    def prepare_xl_data_element(x, options):
        if isinstance(x, float) and x != x:       # NaN
            return ""
        try:
            import pandas as pd
            if x is pd.NaT or (not isinstance(x, (str, list)) and pd.isna(x) is True):
                return ""
        except ImportError:  # pragma: no cover
            pass
        return "" if x is None else x

    @staticmethod
    def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
        def clean(c):
            if c is None:
                return empty_as
            if isinstance(c, dt.datetime):
                if datetime_builder is dt.datetime:
                    return c
                return datetime_builder(year=c.year, month=c.month, day=c.day, hour=c.hour,
                                        minute=c.minute, second=c.second)
            if isinstance(c, MemError):
                return c.text if err_to_str else None
            if number_builder is not None and isinstance(c, float):
                return number_builder(c)
            return c
        plain = (str, bool) if number_builder is not None else (str, bool, float)
        return [[c if c.__class__ in plain else clean(c) for c in row] for row in data]


class MemApp(base.App):
    _pids = iter(range(90_000, 10**9))

    def __init__(self, *, max_cells_per_read=_UNSET, max_cells_per_write=_UNSET,
                 max_bytes_per_transfer=MAC_BYTES_PER_TRANSFER) -> None:
        self.calls: Counter = Counter()    # kind -> round trips
        self.log: list[tuple] = []         # (kind, detail), in order
        self.alerts: list[dict] = []
        self.responses: list[str] = []     # what the next alert() calls return
        self.status_history: list = []
        self._pid = next(self._pids)
        self.selected: MemRange | None = None
        self.max_cells_per_read = (base.DEFAULT_MAX_CELLS_PER_READ
                                   if max_cells_per_read is _UNSET else max_cells_per_read)
        self.max_cells_per_write = (base.DEFAULT_MAX_CELLS_PER_WRITE
                                    if max_cells_per_write is _UNSET else max_cells_per_write)
        self.max_bytes_per_transfer = max_bytes_per_transfer
        self.largest_transfer = 0          # bytes of the largest value read/write so far
        self.bytes_moved = 0               # bytes of all value reads/writes since reset
        self._props = {"screen_updating": True, "display_alerts": True,
                       "enable_events": True, "calculation": "automatic", "status_bar": False}

    def count(self, kind: str, detail="") -> None:
        self.calls[kind] += 1
        self.log.append((kind, detail))

    @property
    def round_trips(self) -> int:
        return sum(self.calls.values())

    def reset_counts(self) -> None:
        self.calls.clear()
        self.log.clear()
        self.bytes_moved = 0

    engine = property(lambda self: MemEngine())
    pid = property(lambda self: self._pid)
    api = property(lambda self: self)
    version = property(lambda self: "16.0")
    visible = property(lambda self: True, lambda self, v: None)

    @property
    def selection(self):
        self.count("navigate", "selection")
        return self.selected

    def transfer(self, what: str, block) -> None:
        """One value read/write over the bridge: refused past the byte budget (-1741)."""
        n = transfer_bytes(block)
        self.largest_transfer = max(self.largest_transfer, n)
        self.bytes_moved += n
        if self.max_bytes_per_transfer is not None and n > self.max_bytes_per_transfer:
            raise MemComError(f"AppleEvent buffer too small (-1741): {what} of {n:,} bytes, "
                              f"at most {self.max_bytes_per_transfer:,} in one transfer")

    def _prop(name):  # noqa: N805 - builds the property objects below
        def get(self):
            self.count("app", f"get {name}")
            return self._props[name]

        def put(self, value):
            self.count("app", f"set {name}={value!r}")
            self._props[name] = value
            if name == "status_bar":
                self.status_history.append(value)
        return property(get, put)

    screen_updating = _prop("screen_updating")
    display_alerts = _prop("display_alerts")
    enable_events = _prop("enable_events")
    calculation = _prop("calculation")
    status_bar = _prop("status_bar")
    del _prop

    def calculate(self):
        self.count("app", "calculate")

    def activate(self, steal_focus=False):
        pass

    def alert(self, prompt, title, buttons, mode, callback):
        self.count("app", "alert")
        if not self._props["screen_updating"]:
            raise MemComError("a message box while screen updating is off: Excel shows it "
                              f"over a frozen screen ({prompt[:60]!r})")
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons,
                            "mode": mode})
        return self.responses.pop(0) if self.responses else "ok"


class MemBook(base.Book):
    def __init__(self, name="IMS_Reconciler.xlsm", *, app: MemApp | None = None,
                 sheets=("Sheet1",), folder: str | Path = "") -> None:
        self._app = app or MemApp()
        self._name = name
        self._fullname = str(Path(folder) / name) if folder else name
        self.fullname_error: Exception | None = None   # xlwings failing on a OneDrive URL
        self.sheet_list: list[MemSheet] = [MemSheet(self, n) for n in sheets]
        self.active_sheet = self.sheet_list[0] if self.sheet_list else None
        self.defined: dict[str, MemName] = {}

    api = property(lambda self: self)
    name = property(lambda self: self._name)
    app = property(lambda self: self._app)

    @property
    def fullname(self):
        if self.fullname_error is not None:
            raise self.fullname_error
        return self._fullname
    sheets = property(lambda self: MemSheets(self))
    names = property(lambda self: MemNames(self))

    def activate(self):
        pass

    def sheet(self, name: str) -> "MemSheet":
        for s in self.sheet_list:
            if s.name.lower() == name.lower():
                return s
        raise KeyError(f"no sheet {name!r}")     # COM raises com_error here


class MemSheets(base.Sheets):
    def __init__(self, book: MemBook) -> None:
        self.book = book

    api = property(lambda self: self)
    active = property(lambda self: self.book.active_sheet)

    def __call__(self, name_or_index):
        if isinstance(name_or_index, int):
            return self.book.sheet_list[name_or_index - 1]
        return self.book.sheet(name_or_index)

    def __len__(self):
        return len(self.book.sheet_list)

    def __iter__(self):
        return iter(list(self.book.sheet_list))

    def add(self, before=None, after=None, name=None):
        self.book.app.count("structure", f"add sheet {name}")
        lst = self.book.sheet_list
        n = len(lst) + 1
        while name is None and any(s.name == f"Sheet{n}" for s in lst):
            n += 1
        sheet = MemSheet(self.book, name or f"Sheet{n}")
        at = lst.index(before) if before else lst.index(after) + 1 if after else 0
        lst.insert(at, sheet)
        self.book.active_sheet = sheet
        return sheet


class MemSheet(base.Sheet):
    def __init__(self, book: MemBook, name: str) -> None:
        self._book, self._name = book, name
        self.rows: list[list] = []           # rows[r-1][c-1]; None = empty
        self.formats: list[tuple] = []       # (r1, c1, r2, c2, number format), last wins
        self.cond_formats: list[tuple] = []  # (r1, c1, r2, c2, spec, anchor cell)
        self._visible = True
        self.hidden: set[int] = set()        # hidden rows (an AutoFilter, or by hand)
        self.active_cell = (1, 1)
        self.high_water = (0, 0)             # UsedRange's corner: never shrinks on clear

    api = property(lambda self: self)
    book = property(lambda self: self._book)
    index = property(lambda self: self._book.sheet_list.index(self) + 1)
    cells = property(lambda self: MemRange(self, 1, 1, MAX_ROWS, MAX_COLS))
    names = property(lambda self: MemNames(self._book, scope=self))

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self._book.app.count("structure", f"rename {self._name}")
        self._name = value

    @property
    def visible(self):
        return self._visible

    @visible.setter
    def visible(self, value):
        self._book.app.count("format", f"{self._name} visible={value}")
        self._visible = bool(value)

    def range(self, arg1, arg2=None):
        if arg2 is None and isinstance(arg1, str) and "," in arg1:
            return MemRange.areas_of(self, [parse_address(p) for p in arg1.split(",")])
        a = self._bounds(arg1)
        if arg2 is None:
            return MemRange(self, *a)
        b = self._bounds(arg2)
        return MemRange(self, min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]),
                        max(a[3], b[3]))

    def _bounds(self, arg):
        if isinstance(arg, MemRange):
            return arg.r1, arg.c1, arg.r2, arg.c2
        if isinstance(arg, tuple):
            r, c, *size = arg
            nr, nc = size if size else (1, 1)
            return r, c, r + max(nr, 1) - 1, c + max(nc, 1) - 1
        try:
            return parse_address(arg)
        except ValueError:
            name = self._book.defined.get(arg.lower())
            if name is None:
                raise
            return self._bounds(name.refers_to_range_impl())

    def activate(self):
        self._book.active_sheet = self

    select = activate

    def clear_contents(self):
        self._book.app.count("format", f"{self._name} clear_contents")
        self.rows = []

    def clear(self):
        self._book.app.count("format", f"{self._name} clear")
        self.rows, self.formats, self.cond_formats = [], [], []
        self.high_water = (0, 0)

    def autofit(self, axis=None):
        self._book.app.count("format", f"{self._name} autofit")

    def delete(self):
        self._book.app.count("structure", f"delete {self._name}")
        self._book.sheet_list.remove(self)

    @property
    def used_range(self):
        self._book.app.count("navigate", f"{self._name} used_range")
        last_row = len(self.rows)
        while last_row and not any(v is not None for v in self.rows[last_row - 1]):
            last_row -= 1
        hw_row, hw_col = self.high_water
        if not last_row:
            return MemRange(self, 1, 1, max(hw_row, 1), max(hw_col, 1))
        width = max(_last_filled(r) for r in self.rows[:last_row])
        first_row = next(i for i, r in enumerate(self.rows) if _last_filled(r)) + 1
        first_col = min(next(i for i, v in enumerate(r) if v is not None)
                        for r in self.rows[:last_row] if _last_filled(r)) + 1
        return MemRange(self, first_row, first_col, max(last_row, hw_row), max(width, hw_col))

    def touch(self, r2, c2) -> None:
        """A cell written or formatted up to (r2, c2) stays in UsedRange."""
        self.high_water = (max(self.high_water[0], r2), max(self.high_water[1], c2))

    # The grid --------------------------------------------------------------------------

    def get(self, r1, c1, r2, c2) -> list[list]:
        width = c2 - c1 + 1
        out = []
        for row in self.rows[r1 - 1:r2]:
            part = row[c1 - 1:c2]
            out.append(part + [None] * (width - len(part)) if len(part) < width else part)
        out.extend([None] * width for _ in range(r2 - r1 + 1 - len(out)))
        return out

    def put(self, r1, c1, block: list[list]) -> None:
        width = max(map(len, block))
        self.touch(r1 + len(block) - 1, c1 + width - 1)
        flags = self._text_flags(r1, c1, r1 + len(block) - 1, c1 + width - 1)
        need = r1 - 1 + len(block)
        self.rows.extend([] for _ in range(need - len(self.rows)))
        for i, values in enumerate(block):
            row = self.rows[r1 - 1 + i]
            end = c1 - 1 + len(values)
            if len(row) < end:
                row.extend([None] * (end - len(row)))
            row[c1 - 1:end] = [
                _stored(v, flags[j] if flags[j] is not None
                        else self.format_at(r1 + i, c1 + j) == "@")
                for j, v in enumerate(values)]

    def clear_cells(self, r1, c1, r2, c2) -> None:
        for row in self.rows[r1 - 1:r2]:
            n = min(len(row), c2) - (c1 - 1)
            if n > 0:
                row[c1 - 1:c1 - 1 + n] = [None] * n

    def format_at(self, r, c) -> str:
        for (a, b, x, y, fmt) in reversed(self.formats):
            if a <= r <= x and b <= c <= y:
                return fmt
        return "General"

    def _text_flags(self, r1, c1, r2, c2) -> list:
        """Per column of the block: True/False when one format covers it, None when mixed."""
        flags = []
        for c in range(c1, c2 + 1):
            flag = False
            for (a, b, x, y, fmt) in reversed(self.formats):
                if b <= c <= y and a <= r2 and x >= r1:
                    flag = fmt == "@" if a <= r1 and r2 <= x else None
                    break
            flags.append(flag)
        return flags

    def end(self, r, c, direction) -> tuple[int, int]:
        dr, dc = {"d": (1, 0), "down": (1, 0), "u": (-1, 0), "up": (-1, 0),
                  "r": (0, 1), "right": (0, 1), "l": (0, -1), "left": (0, -1)}[direction]
        hidden = self.hidden
        # Ctrl+Up/Down passes over hidden rows: on a filtered sheet it stops at the last
        # *visible* value (Range.End, _xlwindows.Range.end / _xlmac.Range.end).
        filled = (lambda r, c: r not in hidden and self.is_filled(r, c)) if hidden \
            else self.is_filled
        nxt = (r + dr, c + dc)
        inside = lambda p: 1 <= p[0] <= MAX_ROWS and 1 <= p[1] <= MAX_COLS  # noqa: E731
        if not inside(nxt):
            return r, c
        if filled(r, c) and filled(*nxt):          # run to the end of this block
            while inside((r + dr, c + dc)) and filled(r + dr, c + dc):
                r, c = r + dr, c + dc
            return r, c
        # Skip the gap to the next value; past the last stored row/column all is empty.
        last_r, last_c = len(self.rows), max(map(len, self.rows), default=0)
        r, c = nxt
        if dr < 0 and r > last_r:
            r = max(last_r, 1)
        if dc < 0 and c > last_c:
            c = max(last_c, 1)
        while inside((r, c)) and not filled(r, c):
            if (dr > 0 and r > last_r) or (dc > 0 and c > last_c):
                return (MAX_ROWS, c) if dr else (r, MAX_COLS)
            r, c = r + dr, c + dc
        return (r, c) if inside((r, c)) else (r - dr, c - dc)

    def is_filled(self, r, c) -> bool:
        if r > len(self.rows):
            return False
        row = self.rows[r - 1]
        return c <= len(row) and row[c - 1] is not None


def _last_filled(row: list) -> int:
    i = len(row)
    while i and row[i - 1] is None:
        i -= 1
    return i


class _Dispatch:
    """What `Range.api` is on Windows: a COM object, always truthy (pywin32's CDispatch)."""

    def __init__(self, rng) -> None:
        self._rng = rng

    def __bool__(self):
        return True

    def __getattr__(self, name):
        return getattr(self._rng, name)


class MemRange(base.Range):
    def __init__(self, sheet: MemSheet, r1, c1, r2, c2) -> None:
        self._sheet = sheet
        self.r1, self.c1 = max(1, r1), max(1, c1)
        self.r2, self.c2 = min(MAX_ROWS, r2), min(MAX_COLS, c2)
        self.areas = [(self.r1, self.c1, self.r2, self.c2)]
        self.options = {}
        self.arg1_input = self.address

    @classmethod
    def areas_of(cls, sheet: MemSheet, areas: list[tuple]) -> "MemRange":
        """A multi-area range (Ctrl+click): row, shape and value are the first area's."""
        rng = cls(sheet, *areas[0])
        rng.areas = [(max(1, a), max(1, b), min(MAX_ROWS, c), min(MAX_COLS, d))
                     for a, b, c, d in areas]
        rng.arg1_input = rng.address
        return rng

    def _count(self, kind, what):
        self._sheet.book.app.count(kind, f"{what} {self._sheet.name}!{self.address}")

    api = property(lambda self: _Dispatch(self))
    sheet = property(lambda self: self._sheet)
    row = property(lambda self: self.r1)
    column = property(lambda self: self.c1)
    shape = property(lambda self: (self.r2 - self.r1 + 1, self.c2 - self.c1 + 1))
    coords = property(lambda self: (self._sheet.name, self.r1, self.c1, *self.shape))
    has_array = property(lambda self: False)
    max_cells_per_read = property(lambda self: self._sheet.book.app.max_cells_per_read)
    max_cells_per_write = property(lambda self: self._sheet.book.app.max_cells_per_write)

    def __len__(self):
        # COM Range.Count (_xlwindows.Range.__len__): all areas, and a Long. No __bool__,
        # as in base.Range: bool() of a range asks Count too.
        self._count("navigate", "Count")
        n = sum((c - a + 1) * (d - b + 1) for a, b, c, d in self.areas)
        if n > COUNT_MAX:
            raise MemComError(f"Overflow: Range.Count of {n:,} cells (Excel has CountLarge)")
        return n

    @property
    def raw_value(self):
        self._count("read", "value")
        values = self._sheet.get(self.r1, self.c1, self.r2, self.c2)
        self._sheet.book.app.transfer("read", values)
        return values[0][0] if self.r1 == self.r2 and self.c1 == self.c2 else values

    @raw_value.setter
    def raw_value(self, data):
        self._count("write", "value")
        if not isinstance(data, (list, tuple)):
            data = [[data] * self.shape[1] for _ in range(self.shape[0])]
        elif data and not isinstance(data[0], (list, tuple)):
            data = [data]
        self._sheet.book.app.transfer("write", data)
        self._sheet.put(self.r1, self.c1, [list(r) for r in data])

    @property
    def row_hidden(self):
        rows = {r in self._sheet.hidden for r in range(self.r1, self.r2 + 1)}
        return rows.pop() if len(rows) == 1 else None

    @row_hidden.setter
    def row_hidden(self, value):
        self._count("format", f"rows hidden={value}")
        rows = set(range(self.r1, self.r2 + 1))
        if value:
            self._sheet.hidden |= rows
        else:
            self._sheet.hidden -= rows

    def get_special_cells(self, cell_type, value_type):
        """Only "visible": each area cut into runs of visible rows (xlCellTypeVisible)."""
        if cell_type != "visible":
            raise NotImplementedError(cell_type)
        self._count("navigate", "SpecialCells(visible)")
        out = []
        for a, b, c, d in self.areas:
            start = None
            for r in range(a, c + 2):
                shown = r <= c and r not in self._sheet.hidden
                if shown and start is None:
                    start = r
                elif not shown and start is not None:
                    out.append(MemRange(self._sheet, start, b, r - 1, d))
                    start = None
        return out

    def clear_contents(self):
        self._count("format", "clear_contents")
        self._sheet.clear_cells(self.r1, self.c1, self.r2, self.c2)

    def clear(self):
        self.clear_contents()
        self._sheet.formats.append((self.r1, self.c1, self.r2, self.c2, "General"))

    def end(self, direction):
        self._count("navigate", f"end({direction})")
        r, c = self._sheet.end(self.r1, self.c1, direction)
        return MemRange(self._sheet, r, c, r, c)

    def get_address(self, row_absolute=True, col_absolute=True, external=False):
        def cell(r, c):
            return (f"{'$' if col_absolute else ''}{col_letters(c)}"
                    f"{'$' if row_absolute else ''}{r}")
        def area(r1, c1, r2, c2):
            return cell(r1, c1) + ("" if (r1, c1) == (r2, c2) else ":" + cell(r2, c2))
        addr = ",".join(area(*a) for a in self.areas)
        return f"[{self._sheet.book.name}]{self._sheet.name}!{addr}" if external else addr

    address = property(lambda self: self.get_address())

    @property
    def number_format(self):
        self._count("format", "get number_format")
        return self._sheet.format_at(self.r1, self.c1)

    @number_format.setter
    def number_format(self, value):
        self._count("format", f"number_format={value!r}")
        for a, b, c, d in self.areas:
            self._sheet.formats.append((a, b, c, d, value))
            if c < MAX_ROWS:                 # whole columns are kept apart from UsedRange
                self._sheet.touch(c, d)

    def autofit(self, axis=None):
        self._count("format", "autofit")

    @property
    def conditional_formats(self):
        return MemConditionalFormats(self)

    def __call__(self, arg1, arg2=None):
        if arg2 is None:                     # 1-based index, row by row
            row, col = divmod(arg1 - 1, self.shape[1])
            arg1, arg2 = row + 1, col + 1
        r, c = self.r1 + arg1 - 1, self.c1 + arg2 - 1
        return MemRange(self._sheet, r, c, r, c)

    def select(self):
        # COM: "Select method of Range class failed" unless the sheet is the active one.
        if self._sheet.book.active_sheet is not self._sheet:
            raise MemComError("Select method of Range class failed (sheet not active)")
        self._count("navigate", "select")
        self._sheet.book.app.selected = self
        self._sheet.active_cell = (self.r1, self.c1)


class MemConditionalFormats(base.ConditionalFormats):
    def __init__(self, rng: MemRange) -> None:
        self.rng = rng

    def _mine(self):
        s, r = self.rng.sheet, self.rng
        return [f for f in s.cond_formats
                if f[0] <= r.r2 and f[2] >= r.r1 and f[1] <= r.c2 and f[3] >= r.c1]

    def __len__(self):
        return len(self._mine())

    def __iter__(self):
        return iter(self._mine())

    def add_custom(self, spec):
        # Excel reads the formula as written for the *active cell* (FormatConditions.Add),
        # whatever the range: on a new sheet that is A1.
        r = self.rng
        r._count("format", f"conditional format {spec.get('formula')}")
        active = r.sheet.book.active_sheet
        entry = (r.r1, r.c1, r.r2, r.c2, dict(spec),
                 active.active_cell if active is not None else (1, 1))
        r.sheet.cond_formats.insert(0, entry)   # new rules go on top, as in Excel
        return entry

    def clear(self):
        self.rng._count("format", "clear conditional formats")
        mine = self._mine()
        self.rng.sheet.cond_formats[:] = [f for f in self.rng.sheet.cond_formats
                                         if f not in mine]


class MemNames(base.Names):
    def __init__(self, book: MemBook, scope: MemSheet | None = None) -> None:
        self.book, self.scope = book, scope

    api = property(lambda self: self)

    def _all(self):
        if self.scope is not None:
            return []                        # we keep workbook-scoped names only
        return list(self.book.defined.values())

    def __call__(self, name_or_index):
        self.book.app.count("structure", f"name {name_or_index}")
        if isinstance(name_or_index, int):
            return self._all()[name_or_index - 1]
        return self.book.defined[name_or_index.lower()]

    def snapshot(self):
        return [(n.name, n) for n in self._all()]

    def contains(self, name_or_index):
        self.book.app.count("structure", f"contains name {name_or_index}")
        return self.scope is None and str(name_or_index).lower() in self.book.defined

    def __len__(self):
        return len(self._all())

    def add(self, name, refers_to):
        self.book.app.count("structure", f"add name {name}")
        n = MemName(self.book, name, refers_to)
        self.book.defined[name.lower()] = n
        return n


class MemName(base.Name):
    def __init__(self, book: MemBook, name: str, refers_to: str) -> None:
        self.book, self._name, self._refers_to = book, name, refers_to

    api = property(lambda self: self)
    name = property(lambda self: self._name)

    @property
    def refers_to(self):
        return self._refers_to

    @refers_to.setter
    def refers_to(self, value):
        self.book.app.count("structure", f"refers_to {self._name}")
        self._refers_to = value

    def delete(self):
        self.book.app.count("structure", f"delete name {self._name}")
        self.book.defined.pop(self._name.lower(), None)

    def refers_to_range_impl(self) -> MemRange:
        sheet, addr = split_sheet(self._refers_to)
        return MemRange(self.book.sheet(sheet), *parse_address(addr))

    @property
    def refers_to_range(self):
        self.book.app.count("structure", f"refers_to_range {self._name}")
        return self.refers_to_range_impl()


# Helpers for tests ---------------------------------------------------------------------

def new_book(name="IMS_Reconciler.xlsm", sheets=("Sheet1",), *, folder="", app=None,
             **app_options) -> xw.Book:
    """A genuine `xw.Book` on a fresh in-memory workbook."""
    app = app or MemApp(**app_options)
    return xw.Book(impl=MemBook(name, app=app, sheets=sheets, folder=folder))


def mem(book: xw.Book) -> MemBook:
    return book.impl


_A1 = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)")


def rule_formula_at(book: xw.Book, sheet: str, r: int, c: int) -> list[str]:
    """The conditional-format formulas Excel evaluates for cell (r, c), relative refs moved.

    A rule's formula was read for the active cell at the time it was added; for cell (r, c)
    its relative references move by the distance from that cell.
    """
    s = book.impl.sheet(sheet)
    out = []
    for (a, b, x, y, spec, (ar, ac)) in s.cond_formats:
        if a <= r <= x and b <= c <= y:
            out.append(_shift(spec["formula"], r - ar, c - ac))
    return out


def _shift(formula: str, dr: int, dc: int) -> str:
    def move(m):
        col, row = m.group(2), int(m.group(4))
        if not m.group(1):
            col = col_letters(_col_number(col) + dc)
        if not m.group(3):
            row += dr
        return f"{m.group(1)}{col}{m.group(3)}{row}"
    parts = formula.split('"')                 # leave string literals alone
    return '"'.join(_A1.sub(move, p) if i % 2 == 0 else p for i, p in enumerate(parts))


def hide_rows(book: xw.Book, sheet: str, rows) -> None:
    """What an AutoFilter does to the rows it filters out (or the user hiding them)."""
    book.impl.sheet(sheet).hidden |= set(rows)


def app_of(book: xw.Book) -> MemApp:
    return book.impl.app


def select(book: xw.Book, sheet: str, address: str) -> None:
    """What the user selected before clicking a ribbon button (`A2:A3,A7` = Ctrl+click)."""
    s = book.impl.sheet(sheet)
    s.activate()
    rng = MemRange.areas_of(s, [parse_address(p) for p in address.split(",")])
    book.impl.app.selected = rng
    s.active_cell = (rng.r1, rng.c1)


def book_from_file(path, *, folder="", **app_options) -> xw.Book:
    """Fill a MemBook from an `.xlsx`/`.xlsm` (values, visibility, workbook names).

    Values come through python-calamine as the file holds them (text cells stay text).
    Number formats are not loaded (calamine does not report them), so every cell starts
    General: stricter than the real file, which is what tests of our formatting want.
    """
    from python_calamine import CalamineWorkbook, SheetVisibleEnum
    path = Path(path)
    wb = CalamineWorkbook.from_path(str(path))
    app = MemApp(**app_options)
    book = MemBook(path.name, app=app, sheets=(), folder=folder or path.parent)
    for meta in wb.sheets_metadata:
        sheet = MemSheet(book, meta.name)
        sheet._visible = meta.visible == SheetVisibleEnum.Visible
        rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        sheet.rows = [[_from_file(v) for v in r] for r in rows]
        book.sheet_list.append(sheet)
    book.active_sheet = book.sheet_list[0] if book.sheet_list else None
    for name, ref in _defined_names(path).items():
        book.defined[name.lower()] = MemName(book, name, ref)
    return xw.Book(impl=book)


def _from_file(v):
    if v == "" or v is None:
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return dt.datetime(v.year, v.month, v.day)
    return v


def _defined_names(path: Path) -> dict[str, str]:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("xl/workbook.xml"))
    return {d.get("name"): "=" + (d.text or "")
            for d in root.iterfind("m:definedNames/m:definedName", ns)
            if d.get("localSheetId") is None and not d.get("name", "").startswith("_xlnm")}
