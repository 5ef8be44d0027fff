"""Read a purchase register into one `RegisterEntry` per document.

`read_register()` opens the file (`files`), finds the sheet and header (`sheets`), maps the
columns (`mapping`), then reads the rows column by column (each column's cells converted
once per distinct text, the rows grouped into documents in one pass):

- blank rows, subtotal/total rows ("Grand Total") and label-only rows are skipped;
- adjacent rows of the same document (GSTR-2: one row per rate; Zoho: one per item) fold
  into one entry; amounts are summed per head, the document value is not double counted;
- a row with amounts but no GSTIN, number or date continues the document above it;
- ledger columns are summed per head; amounts end up absolute, the sign and the type column
  decide invoice / credit / debit.

Cells that cannot be read stop the import with one `RegisterFormatError` listing them.
Then the books checks (`checks`) add their issues to the entries (with `checked=False`, when
`Register.checked()` is called).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache, partial
from operator import attrgetter, itemgetter, ne
from pathlib import Path
from typing import Any, Callable, NamedTuple

from .. import progress
from ..memory import paused_gc
from ..model.document import Entries, RegisterEntry, column_of
from ..model.errors import RegisterFormatError
from ..model.issue import WARNING, Issue, Report
from . import cells
from . import headers
from .checks import check_entries
from .columns import amount_column, convert, money_text, money_texts, row_total, text_column
from .source import Source
from .mapping import Mapping, detect, missing
from .locate import column_names, locate

MAX_LISTED = 10          # cell problems quoted in the error message


@dataclass
class Register:
    file: str                       # the file's name
    sheet: str                      # sheet read (CSV: the file name)
    header_row: int                 # 1-based row of the (last) header row
    mapping: Mapping
    entries: Sequence[RegisterEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)   # register-level + every entry's
    skipped: list[int] = field(default_factory=list)    # total, subtotal and label-only rows
    # our GSTIN, whose state stands in for a place of supply the register lacks (the checks)
    recipient: str = ""
    # the books checks, when read with `checked=False`: what `checked()` runs them with
    _unchecked: _Checks | None = field(default=None, repr=False, compare=False)

    @property
    def report(self) -> Report:
        return Report(list(self.issues))

    def checked(self) -> Register:
        """This register with the books checks' findings (`checks`) on its entries and in
        `issues`, as `read_register` gives it by default; run once, when asked for."""
        if self._unchecked is not None:
            run, self._unchecked = self._unchecked, None
            check_entries(self.entries, today=run.today, columns=run.columns,
                          company_state=run.company_state or self.recipient[:2])
            self.issues = _in_row_order(run.issues, self.entries)
        return self

    def __reduce__(self) -> tuple[Callable[..., Register], tuple]:
        """Pickled column by column (a register read on the other core is handed back so):
        at 100,000 documents 0.35 s to pickle and 0.4 s to load, against 1.3 s and 0.6 s
        for its entries one by one; the reader's `Entries` are columns already."""
        entries = self.entries
        if isinstance(entries, Entries):
            columns = entries.texts()
        else:
            columns = [list(map(attrgetter(name), entries)) for name in Entries.FIELDS]
            for at in Entries.AMOUNTS_AT:
                columns[at] = ["" if v is None else str(v) for v in columns[at]]
        # an amount column as one text, not an object per amount
        packed = ["\n".join(column) if at in Entries.AMOUNTS_AT else column
                  for at, column in enumerate(columns)]
        return _unpacked, (self.file, self.sheet, self.header_row, self.mapping, len(entries),
                           packed, self.issues, self.skipped, self.recipient,
                           self._unchecked)


class _Checks(NamedTuple):
    """What the books checks of a register read with `checked=False` take, but our GSTIN."""
    today: date
    columns: dict
    company_state: str              # from a Company GSTIN column, if the register has one
    issues: list                    # the register's own (its entries' are added to them)




def _unpacked(file: str, sheet: str, header_row: int, mapping: Mapping, count: int,
              columns: list, issues: list, skipped: list, recipient: str,
              unchecked: _Checks | None) -> Register:
    """`Register.__reduce__`'s register back, its entries made when asked for (`Entries`)."""
    for at in Entries.AMOUNTS_AT:
        columns[at] = columns[at].split("\n") if count else []
    return Register(file, sheet, header_row, mapping, Entries(count, columns), issues, skipped,
                    recipient, unchecked)


def read_register(path: str | Path, *, mapping: Mapping | dict | None = None,
                  sheet: str | None = None, today: date | None = None,
                  recipient: str = "", checked: bool = True) -> Register:
    """Read a purchase register (`.xlsx`, `.xlsm`, `.xls`, `.xlsb`, `.ods`, `.csv`).

    `mapping` is the client's saved mapping (a `Mapping`, or the dict from the settings file);
    the columns it names are used as given, the rest are detected. `today` dates the ITC
    time-limit check (default: the computer's date). `recipient` (our GSTIN) stands in for a
    place of supply the register does not have (Tally rarely exports one), for the tax-head
    check. `checked=False` leaves the books checks until `Register.checked()`: matching does
    not need them, and `ims-xl reconcile` runs them where the Purchase sheet is written, on
    the other core (~0.45 s at 100,000 documents).
    """
    saved = Mapping.from_dict(mapping) if isinstance(mapping, dict) else mapping
    progress.stage("Reading the purchase register")
    with paused_gc():
        register = _read(Source(path), saved, sheet, today or date.today(), recipient)
    return register.checked() if checked else register


def _read(source: Source, saved: Mapping | None, sheet: str | None, today: date,
          recipient: str) -> Register:
    """The register, its books checks left to `checked()`."""
    if not sheet and saved and saved.sheet in source.sheet_names:
        sheet = saved.sheet
    header, issues = locate(source, sheet, known=saved.known_headers() if saved else None)
    rows = source.rows(header.sheet)
    data_start = header.bottom + 1
    names = column_names(rows, header, rows[data_start:data_start + headers.SAMPLE_ROWS])
    found, more = detect(names, rows[data_start:data_start + headers.SAMPLE_ROWS], saved=saved)
    found.sheet = header.sheet
    issues += more
    if lacking := missing(found):
        seen = ", ".join(repr(n) for n in names if n and not n.startswith("Column "))
        raise RegisterFormatError(
            f"no column for {' and '.join(lacking)} in sheet {header.sheet!r}. Headers seen "
            f"in row {header.row}: {seen}. Name the column in the Mapping sheet (Field, "
            "Source Column) or in the settings file", file=source.file, row=header.row,
            field=lacking[0])
    reader = _Reader(source.file, names, found, rows)
    entries = reader.read(data_start)
    issues += reader.issues
    _say_types(found, reader.kinds)
    columns = {f: cols[0] for f, cols in found.fields.items()}
    return Register(source.file, header.sheet, header.row, found, entries,
                    _in_row_order(issues, entries), reader.skipped, recipient,
                    _Checks(today, columns, reader.company_state, issues))


def _in_row_order(issues: list[Issue], entries: Sequence[RegisterEntry]) -> list[Issue]:
    """The register's own issues and every entry's, by row (stable: as found within one)."""
    return sorted(issues + [i for found in column_of(entries, "warnings") for i in found],
                  key=lambda i: (i.row or 0))


_SUMMED = ("taxable", "igst", "cgst", "sgst", "cess", "rcm_tax", "value", "tax_total")
_TAXES = ("taxable", "igst", "cgst", "sgst", "cess", "rcm_tax")   # summed per document


class _Docs:
    """Rows grouped into documents. Positions index the kept (non-blank) rows: document j
    starts at `start[j]`; `members` are the rows feeding a document, `owner` says which."""

    def __init__(self) -> None:
        self.start: list[int] = []
        self.rows: list[list[int]] = []          # row numbers per document
        self.members: list[int] = []
        self.owner: list[int] = []
        self.loose: dict[int, list[int]] = {}    # document -> rows without identity folded in

    @property
    def one_row(self) -> bool:
        """Every document is a single row (the common CSV export)."""
        return len(self.members) == len(self.start)


class _Reader:
    """Reads the rows column by column: a column's cells are converted once per distinct
    text, the rows are grouped into documents in one pass, then one loop builds the entries
    from per-document columns. Per-row Python is kept to the grouping and to rare rows."""

    def __init__(self, file: str, names: list[str], mapping: Mapping, rows: list[list]) -> None:
        self.file, self.names, self.rows = file, names, rows
        index = {n: i for i, n in enumerate(names) if n}
        self.cols = {f: [index[c] for c in cs if c in index] for f, cs in mapping.fields.items()}
        self.one = {f: cs[0] for f, cs in self.cols.items() if cs}
        self.header = {f: names[i] for f, i in self.one.items()}
        self.width = len(names)
        self.summed = [(f, self.cols[f]) for f in _SUMMED if self.cols.get(f)]
        self.derive = "tax_total" in self.one and not any(h in self.cols for h in headers.HEADS)
        # (row, place in the row's reading order, column, message); sorted when reported
        self.problems: list[tuple[int, int, str, str]] = []
        self.issues: list[Issue] = []
        self.skipped: list[int] = []
        self.company_state = ""
        self.kinds: Counter = Counter()     # (type text, negative, kind) -> documents
        self.month_first = self._month_first()
        self.numbers: list[int] = []        # row number of each kept (non-blank) row
        self.kept: list[list] = []
        self.cells: dict[int, list] = {}    # mapped column -> its cells in the kept rows
        self.totals: set[int] = set()       # positions of subtotal / total rows
        self.loose_rows: set[int] = set()   # positions of rows without GSTIN, number, date

    def _month_first(self) -> bool:
        i = self.one.get("doc_date")
        if i is None:
            return False
        try:
            cells_ = dict.fromkeys([r[i] for r in self.rows])
        except IndexError:                                  # ragged rows
            cells_ = dict.fromkeys([r[i] for r in self.rows if len(r) > i])
        texts = [v for v in cells_ if type(v) is str]       # distinct texts, first-seen order
        example = cells.month_first_example(texts)
        if example:
            self.issues.append(Issue(
                "dates-month-first", f"dates such as {example!r} only make sense as "
                "month/day/year, so this column was read month-first; check a few dates",
                WARNING, field=self.names[i]))
        return bool(example)

    def read(self, start: int) -> Entries:
        self.numbers, self.kept = self._body(start)
        self.cells = self._mapped_columns()
        g = convert(self._column("supplier_gstin"), cells.gstin)[0]
        number = text_column(self._column("doc_number"))
        self.totals = {p for p, (a, b) in enumerate(zip(g, number))
                       if not (a and b) and _is_total(self.kept[p])} \
            if "" in g or "" in number else set()       # a total row lacks one of them
        amounts = self._amounts()
        dates, refused = convert(self._column("doc_date"),
                                  partial(cells.to_date, month_first=self.month_first))
        docs = self._fold(g, number, dates, amounts)
        self._refused(refused, self.date_order, self.header.get("doc_date", "doc_date"),
                      skip=self.totals | self.loose_rows)
        vdates, refused = convert(self._column("voucher_date", docs.start), cells.to_date)
        self._refused({docs.start[j]: m for j, m in refused.items()}, self.date_order + 1,
                      self.header.get("voucher_date", "voucher_date"))
        if self.problems:
            raise self._problem_error()
        return self._entries(docs, g, number, dates, vdates, amounts)

    def _body(self, start: int) -> tuple[list[int], list[list]]:
        """Row numbers and cells of the rows that are not blank, ragged CSV rows evened."""
        rows, width = self.rows, self.width
        body = rows[start:]
        numbers = [n for n, r in enumerate(body, start + 1)      # any(): most rows at once
                   if any(r) or r.count("") != len(r)]
        kept = body if len(numbers) == len(body) else [rows[n - 1] for n in numbers]
        if set(map(len, kept)) - {width}:
            kept = [r if len(r) == width else (r + [""] * width)[:width] for r in kept]
        return numbers, kept

    def _mapped_columns(self) -> dict[int, list]:
        """The cells of every mapped column in the kept rows, in one transpose: a register
        reads most of its columns, some twice (numbers, dates), and one pass over the rows
        is cheaper than one per column."""
        mapped = sorted({i for cs in self.cols.values() for i in cs})
        if len(mapped) < 2 or not self.kept:
            return {i: [r[i] for r in self.kept] for i in mapped}
        return dict(zip(mapped, map(list, zip(*map(itemgetter(*mapped), self.kept)))))

    def _column(self, name: str, at: list[int] | None = None) -> list:
        """A field's cells in the kept rows, or at the positions `at`; blank when unmapped.
        The kept rows' column is shared: read it, do not change it."""
        i = self.one.get(name)
        n = len(self.kept) if at is None else len(at)
        if i is None:
            return [""] * n
        column = self.cells[i]
        if at is None or n == len(self.kept):       # every kept row (starts a document)
            return column
        return [column[p] for p in at]

    def _amounts(self) -> dict[str, list]:
        """Each summed field's amount per kept row (None: no amount); ledger columns added."""
        converted: dict[int, tuple[list, dict[int, str]]] = {}
        out: dict[str, list] = {}
        order = 0                                   # place of the cell in a row's reading
        for name, cols in self.summed:
            for i in cols:
                if i not in converted:
                    converted[i] = amount_column(self.cells[i])
                self._refused(converted[i][1], order, self.names[i], skip=self.totals)
                order += 1
            parts = [converted[i][0] for i in cols]
            out[name] = parts[0] if len(parts) == 1 else [row_total(t) for t in zip(*parts)]
        self.date_order = order                     # the dates are read after the amounts
        return out

    def _refused(self, refused: dict[int, str], order: int, column: str,
                 skip: set[int] | None = None) -> None:
        """Note the refused cells as problems, except on rows that never read them."""
        self.problems += [(self.numbers[p], order, column, m) for p, m in refused.items()
                          if not skip or p not in skip]

    def _fold(self, g: list[str], number: list[str], dates: list, amounts: dict) -> _Docs:
        """Group the rows into documents: adjacent rows with the same GSTIN, number, date,
        voucher and type; total rows are skipped, rows without identity join the one above."""
        docs, totals = _Docs(), self.totals
        # No total row, no row without a number (so none without an identity), and no two
        # adjacent rows of one supplier and number: every row is its own document.
        if not totals and "" not in number and _adjacent_differ(list(zip(g, number))):
            return self._one_row_docs(docs)
        keys = zip(g, number, dates, self._column("voucher"), self._column("kind"))
        raw_dates = self._column("doc_date")
        start, doc_rows, members, owner = docs.start, docs.rows, docs.members, docs.owner
        last: tuple | None = None
        rows: list[int] = []
        j = -1                                  # the document being folded
        for p, (n, key) in enumerate(zip(self.numbers, keys)):
            if not (key[0] and key[1]):
                if p in totals:
                    self.skipped.append(n)
                    continue
                if not key[0] and not key[1] and not cells.text(raw_dates[p]):
                    self._loose(p, n, docs, amounts)
                    continue
            if key != last:
                last, rows, j = key, [n], j + 1
                start.append(p)
                doc_rows.append(rows)
            else:
                rows.append(n)
            members.append(p)
            owner.append(j)
        return docs

    def _one_row_docs(self, docs: _Docs) -> _Docs:
        """Each row a document (the common CSV export), as the fold would group them."""
        every = range(len(self.numbers))
        docs.start, docs.members, docs.owner = list(every), list(every), list(every)
        docs.rows = [[n] for n in self.numbers]
        return docs

    def _loose(self, p: int, n: int, docs: _Docs, amounts: dict) -> None:
        """A row with no GSTIN, number or date: item lines of the document above, or junk."""
        self.loose_rows.add(p)
        if not any(column[p] for column in amounts.values()):
            self.skipped.append(n)              # narration or a label: nothing to lose
        elif not docs.rows:
            self.skipped.append(n)
            self.issues.append(Issue("row-without-document", "amounts on a row with no "
                                     "GSTIN, document number or date, before any document; "
                                     "skipped", WARNING, row=n))
        else:
            j = len(docs.rows) - 1
            docs.rows[j].append(n)
            docs.loose.setdefault(j, []).append(n)
            docs.members.append(p)
            docs.owner.append(j)

    def _entries(self, docs: _Docs, g: list[str], number: list[str], dates: list,
                 vdates: list, amounts: dict) -> Entries:
        """One entry per document, kept as per-document columns (`Entries`: an entry is
        made when asked for)."""
        start = docs.start
        state, since = self._company_state(start)
        self.company_state = state
        sums = {name: self._per_doc(amounts.get(name), docs) for name in _TAXES}
        if self.derive and "tax_total" in amounts:
            self._split(docs, g, amounts["tax_total"], sums, state, since)
        heads = [sums[h] for h in _TAXES[:5]]          # taxable, igst, cgst, sgst, cess
        values = self._values(amounts.get("value"), docs)
        kinds = self._kinds(text_column(self._column("kind", start)), heads, values)
        reverse = [f or abs(r) >= 0.005 for f, r in zip(
            convert(self._column("reverse_charge", start), cells.flag)[0], sums["rcm_tax"])]
        taxable, igst, cgst, cess = (money_texts(sums[h])
                                     for h in ("taxable", "igst", "cgst", "cess"))
        # SGST equals CGST on nearly every intra-state document: reuse its text.
        sgst = [m if b == a else money_text(b)
                for a, b, m in zip(sums["cgst"], sums["sgst"], cgst)]
        value = self._value(values, heads, docs.one_row)
        place, codes = self._places(docs)
        pos = list(map({w: c or "" for w, c in codes.items()}.__getitem__, place))
        per_doc = (lambda column: list(column)) if len(start) == len(self.numbers) else \
            (lambda column: [column[p] for p in start])      # the document's first row
        count = len(start)
        entries = Entries(count, [      # RegisterEntry's fields, in order (Entries.FIELDS)
            per_doc(self.numbers), per_doc(g), per_doc(number), per_doc(dates), kinds,
            text_column(self._column("supplier_name", start)), taxable, igst, cgst, sgst, cess,
            value, pos, reverse, list(map(tuple, docs.rows)),
            text_column(self._column("voucher", start)), [0] * count, [()] * count])
        self._unknown_places(entries, place, codes)
        raw = self._column("doc_number", start)
        # Scientific notation starts with a digit: `SEI/25/1` needs no note.
        rare = [j for j, (p, cell) in enumerate(zip(start, raw)) if dates[p] is None or
                type(cell) is not str or not (num := number[p]) or
                ("e" in num or "E" in num) and num[0].isdigit()]
        for j in sorted({*rare, *docs.loose}):     # reading notes: most rows have none
            self._notes(entries[j], vdates[j], raw[j], docs.loose.get(j))
        return entries

    def _kinds(self, texts: list[str], heads: list[list[float]], values: list) -> list[str]:
        """Invoice / credit / debit per document from its type text and sign; counted for
        the Mapping sheet."""
        negative = [(t or (i + c + s + x) or sum(v)) < 0 for t, i, c, s, x, v in zip(*heads, values)]
        pairs = list(zip(texts, negative))
        counts = Counter(pairs)
        known = {pair: _kind(*pair) for pair in counts}
        self.kinds = Counter({(*pair, known[pair]): n for pair, n in counts.items()})
        return [known[pair] for pair in pairs]

    @staticmethod
    def _value(values: list[list[float]], heads: list[list[float]],
               one_row: bool) -> list[str]:
        """Document value as its text ("" for none): the one cell's; over folded rows,
        `_value` chooses."""
        out = [money_text(v[0]) if v else "" for v in values]
        for j, v in enumerate(() if one_row else values):
            if len(v) > 1:
                t, i, c, s, x = (column[j] for column in heads)
                out[j] = money_text(_value(v, abs(t) + (abs(i) + abs(c) + abs(s) + abs(x))))
        return out

    def _company_state(self, start: list[int]) -> tuple[str, int]:
        """Our state from the first Company GSTIN column cell, and the document it is on."""
        for j, cell in enumerate(self._column("company_gstin", start)):
            if cell != "" and (state := cells.gstin(cell)[:2]):
                return state, j
        return "", len(start)

    def _per_doc(self, column: list | None, docs: _Docs) -> list[float]:
        """A per-row amount summed per document, in row order (float sums depend on it)."""
        if column is None:
            return [0.0] * len(docs.start)
        if docs.one_row:
            return [0.0 if a is None else a for a in [column[p] for p in docs.start]]
        sums = [0.0] * len(docs.start)
        for p, j in zip(docs.members, docs.owner):
            if column[p] is not None:
                sums[j] += column[p]
        return sums

    def _values(self, column: list | None, docs: _Docs) -> list[list[float]]:
        """The document-value cells of each document's rows."""
        if column is None:
            return [[] for _ in docs.start]
        if docs.one_row:
            return [[] if a is None else [a] for a in (column[p] for p in docs.start)]
        values: list[list[float]] = [[] for _ in docs.start]
        for p, j in zip(docs.members, docs.owner):
            if column[p] is not None:
                values[j].append(column[p])
        return values

    def _places(self, docs: _Docs) -> tuple[list, dict]:
        """Place of supply: each document's first non-blank cell, and the cell -> state code
        table (None: the cell names no state)."""
        cells_ = self._column("pos")
        place = [cells_[p] for p in docs.start]
        if not docs.one_row:
            for p, j in zip(docs.members, docs.owner):
                if place[j] == "":
                    place[j] = cells_[p]
        return place, {where: cells.state_code(where) for where in set(place)}

    def _unknown_places(self, entries: Entries, place: list, codes: dict) -> None:
        """A warning on each document whose place of supply names no state (left blank)."""
        if None in codes.values():
            for j, where in enumerate(place):
                if codes[where] is None:
                    self._pos(where, entries[j])

    def _split(self, docs: _Docs, g: list[str], tax: list, sums: dict, state: str,
               since: int) -> None:
        """Zoho-style single tax column: `IGST18` is IGST, `GST18` half CGST, half SGST.
        Row by row, as the document's place of supply and our state are known so far."""
        names, places = self._column("tax_name"), self._column("pos")
        igst, cgst, sgst = sums["igst"], sums["cgst"], sums["sgst"]
        current = -1
        where: Any = ""
        for p, j in zip(docs.members, docs.owner):
            if j != current:
                current, where = j, places[p]
            if tax[p] is not None:
                name = cells.text(names[p]).upper()
                pos = cells.state_code(where) or (state if j >= since else "")
                if "IGST" in name or (not name and pos and g[docs.start[j]][:2] != pos):
                    igst[j] += tax[p]
                else:
                    half = round(tax[p] / 2, 2)
                    cgst[j] += half
                    sgst[j] += tax[p] - half
            if where == "":
                where = places[p]

    def _problem_error(self) -> RegisterFormatError:
        problems = sorted(self.problems, key=lambda q: q[:2])     # reading order
        n, _, col, msg = problems[0]
        rest = [f"row {r} [{c}] {m}" for r, _, c, m in problems[1:MAX_LISTED]]
        more = len(problems) - MAX_LISTED
        tail = (f"; also {'; '.join(rest)}" if rest else "") + \
            (f"; and {more} more" if more > 0 else "")
        return RegisterFormatError(f"{msg}{tail}. Fix the cell(s) in the register, or map "
                                   "the column differently", file=self.file, row=n, field=col)

    def _pos(self, where: Any, e: RegisterEntry) -> str:
        code = cells.state_code(where)
        if code is None:
            e.warnings.append(self._warn(e, "pos-unknown", f"place of supply {where!r} is not "
                                         "a state code or name; left blank", "pos"))
            return ""
        return code

    def _notes(self, e: RegisterEntry, vdate: date | None, raw_number: Any,
               loose: list[int] | None) -> None:
        """Reading notes the user should see next to the row."""
        if e.doc_date is None and vdate is not None and "doc_date" in self.one:
            e.doc_date = vdate
            e.warnings.append(self._warn(e, "date-from-voucher", "no supplier invoice date: "
                                         f"used the voucher date {vdate:%d-%m-%Y}", "doc_date"))
        if not e.doc_number:
            e.warnings.append(self._warn(e, "number-missing", "no document number: this row "
                                         "cannot be matched with IMS", "doc_number"))
        elif cells.long_number(raw_number):
            e.warnings.append(self._warn(
                e, "number-stored-as-number", f"document number {e.doc_number} is stored as a "
                "number; Excel keeps only 15 digits, so the last digits may be wrong. Format the "
                "column as Text in your books and export again", "doc_number"))
        elif cells.scientific(e.doc_number):
            e.warnings.append(self._warn(
                e, "number-scientific", f"document number {e.doc_number!r} was saved in "
                "scientific notation and its digits are lost; export the column as text",
                "doc_number"))
        if loose:
            e.warnings.append(self._warn(e, "rows-folded", "row(s) " + ", ".join(map(str, loose))
                                         + " had no GSTIN, number or date and were added to "
                                         "this document", "doc_number"))

    def _warn(self, e: RegisterEntry, code: str, message: str, name: str) -> Issue:
        return Issue(code, message, WARNING, row=e.row, field=self.header.get(name, ""),
                     record=f"{e.supplier_gstin} {e.doc_number}".strip())


def _say_types(mapping: Mapping, kinds: Counter, shown: int = 6) -> None:
    """Append to the type column's reason what its values were read as, so the Mapping
    sheet and `ims-xl books` show it: `'Debit Note' (positive) -> Debit Note: 3`."""
    at = next((k for k, l in enumerate(mapping.links) if l.field == "kind"), None)
    if at is None or not kinds:
        return
    link = mapping.links[at]
    signs: dict = {}
    for (text, negative, _), n in kinds.items():
        signs.setdefault(text, set()).add(negative)
    parts = []
    for (text, negative, kind), n in kinds.most_common(shown):
        sign = (" (negative)" if negative else " (positive)") if len(signs[text]) > 1 or \
            text and kind != _kind(text, not negative) else ""
        parts.append(f"{text or '(blank)'!r}{sign} -> {headers.KIND_LABELS[kind]}: {n}")
    more = len(kinds) - shown
    mapping.links[at] = replace(link, reason=link.reason + "; read as " + ", ".join(parts)
                                + (f" and {more} more" if more > 0 else ""))


def _adjacent_differ(keys: list) -> bool:
    return all(map(ne, keys, keys[1:]))


def _is_total(r: list) -> bool:
    return any(isinstance(v, str) and _total_label(v) for v in r)


@lru_cache(maxsize=1 << 14)
def _total_label(v: str) -> bool:
    """`Grand Total`, `Sub Total`, `Closing Balance` ... (rows without a GSTIN repeat cells)."""
    folded = v.casefold()           # every such label has one of these words: most texts don't
    if "total" not in folded and "balance" not in folded and "forward" not in folded:
        return False
    return bool(v.strip() and headers.TOTAL_ROW.match(headers.normalise(v)))


@lru_cache(maxsize=1024)
def _kind(text: str, negative: bool) -> str:
    """Type text and sign -> invoice / credit / debit (headers.KINDS)."""
    norm = headers.normalise(text)
    for pattern, kind in headers.KINDS:
        if norm and re.search(pattern, norm):
            # A books debit note with negative amounts is a purchase return: the supplier's
            # credit note. A positive one is the supplier's debit note.
            return "credit" if kind == "debit" and negative else kind
    return "credit" if negative else "invoice"


def _value(values: list[float], expected: float) -> float:
    """Document value over folded rows: GSTR-2 repeats the invoice value on every rate row,
    item-wise exports give each line's value. Take the reading closer to taxable + tax."""
    once, total = abs(values[0]), abs(sum(values))
    if len(values) > 1 and all(v == values[0] for v in values) and \
            abs(once - expected) <= abs(total - expected):
        return once
    return total
