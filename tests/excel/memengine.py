"""An in-memory xlwings engine: real `xw.Book` objects without Excel (excel-integration.md §3.1).

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
_UNSET = object()


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


def typed_like_excel(s: str):
    """What Excel stores when `s` is entered into a General cell (Indian locale, d-m-y)."""
    t = s.strip()
    if s.startswith("'"):
        return s[1:] or None              # the apostrophe prefix forces text
    if _NUMBER.match(t):
        x = float(t.rstrip("%").replace(",", "")) / (100 if t.endswith("%") else 1)
        return float(f"{x:.15g}")         # Excel keeps 15 significant digits
    for rx, order in ((_DATE, (2, 1, 0)), (_ISO_DATE, (0, 1, 2))):
        m = rx.match(t)
        if m:
            y, mo, d = (int(m.group(i + 1)) for i in order)
            try:
                return dt.datetime(y, mo, d)
            except ValueError:
                return s
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

    def __init__(self, *, max_cells_per_read=_UNSET, max_cells_per_write=_UNSET) -> None:
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

    engine = property(lambda self: MemEngine())
    pid = property(lambda self: self._pid)
    api = property(lambda self: self)
    version = property(lambda self: "16.0")
    visible = property(lambda self: True, lambda self, v: None)

    @property
    def selection(self):
        self.count("navigate", "selection")
        return self.selected

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
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons,
                            "mode": mode})
        return self.responses.pop(0) if self.responses else "ok"


class MemBook(base.Book):
    def __init__(self, name="IMS_Reconciler.xlsm", *, app: MemApp | None = None,
                 sheets=("Sheet1",), folder: str | Path = "") -> None:
        self._app = app or MemApp()
        self._name = name
        self._fullname = str(Path(folder) / name) if folder else name
        self.sheet_list: list[MemSheet] = [MemSheet(self, n) for n in sheets]
        self.active_sheet = self.sheet_list[0] if self.sheet_list else None
        self.defined: dict[str, MemName] = {}

    api = property(lambda self: self)
    name = property(lambda self: self._name)
    fullname = property(lambda self: self._fullname)
    app = property(lambda self: self._app)
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
        self.cond_formats: list[tuple] = []  # (r1, c1, r2, c2, spec)
        self._visible = True

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
        if not last_row:
            return MemRange(self, 1, 1, 1, 1)
        width = max(_last_filled(r) for r in self.rows[:last_row])
        first_row = next(i for i, r in enumerate(self.rows) if _last_filled(r)) + 1
        first_col = min(next(i for i, v in enumerate(r) if v is not None)
                        for r in self.rows[:last_row] if _last_filled(r)) + 1
        return MemRange(self, first_row, first_col, last_row, width)

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
        filled = self.is_filled
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


class MemRange(base.Range):
    def __init__(self, sheet: MemSheet, r1, c1, r2, c2) -> None:
        self._sheet = sheet
        self.r1, self.c1 = max(1, r1), max(1, c1)
        self.r2, self.c2 = min(MAX_ROWS, r2), min(MAX_COLS, c2)
        self.options = {}
        self.arg1_input = self.address

    def _count(self, kind, what):
        self._sheet.book.app.count(kind, f"{what} {self._sheet.name}!{self.address}")

    api = property(lambda self: self)
    sheet = property(lambda self: self._sheet)
    row = property(lambda self: self.r1)
    column = property(lambda self: self.c1)
    shape = property(lambda self: (self.r2 - self.r1 + 1, self.c2 - self.c1 + 1))
    coords = property(lambda self: (self._sheet.name, self.r1, self.c1, *self.shape))
    has_array = property(lambda self: False)
    max_cells_per_read = property(lambda self: self._sheet.book.app.max_cells_per_read)
    max_cells_per_write = property(lambda self: self._sheet.book.app.max_cells_per_write)

    def __len__(self):
        rows, cols = self.shape
        return rows * cols

    def __bool__(self):
        return True

    @property
    def raw_value(self):
        self._count("read", "value")
        values = self._sheet.get(self.r1, self.c1, self.r2, self.c2)
        return values[0][0] if self.r1 == self.r2 and self.c1 == self.c2 else values

    @raw_value.setter
    def raw_value(self, data):
        self._count("write", "value")
        if not isinstance(data, (list, tuple)):
            data = [[data] * self.shape[1] for _ in range(self.shape[0])]
        elif data and not isinstance(data[0], (list, tuple)):
            data = [data]
        self._sheet.put(self.r1, self.c1, [list(r) for r in data])

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
        addr = cell(self.r1, self.c1)
        if (self.r1, self.c1) != (self.r2, self.c2):
            addr += ":" + cell(self.r2, self.c2)
        return f"[{self._sheet.book.name}]{self._sheet.name}!{addr}" if external else addr

    address = property(lambda self: self.get_address())

    @property
    def number_format(self):
        self._count("format", "get number_format")
        return self._sheet.format_at(self.r1, self.c1)

    @number_format.setter
    def number_format(self, value):
        self._count("format", f"number_format={value!r}")
        self._sheet.formats.append((self.r1, self.c1, self.r2, self.c2, value))

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
        self._sheet.book.app.selected = self


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
        r = self.rng
        r._count("format", f"conditional format {spec.get('formula')}")
        entry = (r.r1, r.c1, r.r2, r.c2, dict(spec))
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


def app_of(book: xw.Book) -> MemApp:
    return book.impl.app


def select(book: xw.Book, sheet: str, address: str) -> None:
    """What the user selected before clicking a ribbon button."""
    s = book.impl.sheet(sheet)
    s.activate()
    book.impl.app.selected = MemRange(s, *parse_address(address))


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
