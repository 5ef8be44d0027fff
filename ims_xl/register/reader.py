"""Read a purchase register into one `RegisterEntry` per document.

`read_register()` opens the file (`files`), finds the sheet and header (`sheets`), maps the
columns (`mapping`), then walks the rows once:

- blank rows, subtotal/total rows ("Grand Total") and label-only rows are skipped;
- adjacent rows of the same document (GSTR-2: one row per rate; Zoho: one per item) fold
  into one entry; amounts are summed per head, the document value is not double counted;
- a row with amounts but no GSTIN, number or date continues the document above it;
- ledger columns are summed per head; amounts end up absolute, the sign and the type column
  decide invoice / credit / debit.

Cells that cannot be read stop the import with one `RegisterFormatError` listing them.
Then the books checks (`checks`) add their issues to the entries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from operator import itemgetter

from .. import progress
from ..memory import paused_gc
from ..model.document import RegisterEntry
from ..model.errors import RegisterFormatError
from ..model.issue import WARNING, Issue, Report
from . import cells
from . import headers
from .checks import check_entries
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
    entries: list[RegisterEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)   # register-level + every entry's
    skipped: list[int] = field(default_factory=list)    # total, subtotal and label-only rows

    @property
    def report(self) -> Report:
        return Report(list(self.issues))


def read_register(path: str | Path, *, mapping: Mapping | dict | None = None,
                  sheet: str | None = None, today: date | None = None,
                  recipient: str = "") -> Register:
    """Read a purchase register (`.xlsx`, `.xlsm`, `.xls`, `.xlsb`, `.ods`, `.csv`).

    `mapping` is the client's saved mapping (a `Mapping`, or the dict from the settings file);
    the columns it names are used as given, the rest are detected. `today` dates the ITC
    time-limit check (default: the computer's date). `recipient` (our GSTIN) stands in for a
    place of supply the register does not have (Tally rarely exports one), for the tax-head
    check.
    """
    saved = Mapping.from_dict(mapping) if isinstance(mapping, dict) else mapping
    progress.stage("Reading the purchase register")
    with paused_gc():
        return _read(Source(path), saved, sheet, today or date.today(), recipient[:2])


def _read(source: Source, saved: Mapping | None, sheet: str | None, today: date,
          our_state: str) -> Register:
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
    check_entries(entries, today=today, columns=columns,
                  company_state=reader.company_state or our_state)
    all_issues = issues + [i for e in entries for i in e.warnings]
    all_issues.sort(key=lambda i: (i.row or 0))
    return Register(source.file, header.sheet, header.row, found, entries, all_issues,
                    reader.skipped)


_ZERO = dict.fromkeys(("taxable", "igst", "cgst", "sgst", "cess", "rcm_tax"), 0.0)


class _Doc:
    """A document being folded from one or more rows."""

    __slots__ = ("row", "rows", "key", "gstin", "number", "raw_number", "date", "vdate",
                 "name", "kind_text", "pos", "rc", "voucher", "sums", "values", "loose")

    gstin: str
    number: str
    raw_number: Any                 # the cell as read: kept to warn about lost digits
    date: dt.date | None            # (the attribute hides the name `date` in here)
    vdate: dt.date | None
    name: str
    kind_text: str
    pos: Any
    rc: bool
    voucher: str

    def __init__(self, row: int, key: tuple[Any, ...]) -> None:
        self.row, self.rows, self.key = row, [row], key
        self.sums = _ZERO.copy()
        self.values: list[float] = []
        self.loose: list[int] = []          # rows without identity folded into this one


_IDENT = ("supplier_gstin", "doc_number", "doc_date", "voucher", "kind")
_FIRST = ("supplier_name", "pos", "reverse_charge", "voucher_date", "company_gstin")
_SUMMED = ("taxable", "igst", "cgst", "sgst", "cess", "rcm_tax", "value", "tax_total")


class _Reader:
    def __init__(self, file: str, names: list[str], mapping: Mapping, rows: list[list]) -> None:
        self.file, self.names, self.rows = file, names, rows
        index = {n: i for i, n in enumerate(names) if n}
        self.cols = {f: [index[c] for c in cs if c in index] for f, cs in mapping.fields.items()}
        self.one = {f: cs[0] for f, cs in self.cols.items() if cs}
        self.header = {f: names[i] for f, i in self.one.items()}
        # Every row gets one blank cell appended; unmapped fields read it (no per-cell ifs).
        self.width = len(names)
        self.at = {f: self.one.get(f, self.width) for f in headers.FIELDS}
        self.ident = itemgetter(*(self.at[f] for f in _IDENT))
        self.first = itemgetter(*(self.at[f] for f in _FIRST))
        self.summed = [(f, self.cols[f]) for f in _SUMMED if self.cols.get(f)]
        self.derive = "tax_total" in self.one and not any(h in self.cols for h in headers.HEADS)
        self.problems: list[tuple[int, str, str]] = []
        self.issues: list[Issue] = []
        self.skipped: list[int] = []
        self.company_state = ""
        self.kinds: Counter = Counter()     # (type text, negative, kind) -> documents
        self.month_first = self._month_first()

    def _month_first(self) -> bool:
        i = self.one.get("doc_date")
        if i is None:
            return False
        column = [r[i] for r in self.rows if len(r) > i]
        example = cells.month_first_example([v for v in column if type(v) is str])
        if example:
            self.issues.append(Issue(
                "dates-month-first", f"dates such as {example!r} only make sense as "
                "month/day/year, so this column was read month-first; check a few dates",
                WARNING, field=self.names[i]))
        return bool(example)

    def read(self, start: int) -> list[RegisterEntry]:
        docs: list[_Doc] = []
        width, rows = self.width, self.rows
        for k in range(start, len(rows)):
            r = rows[k]
            if r.count("") == len(r):
                continue
            if len(r) == width:
                r.append("")
            else:                               # ragged CSV rows
                r = (r + [""] * width)[:width] + [""]
            self._row(r, k + 1, docs)
        if self.problems:
            raise self._problem_error()
        return [self._entry(d) for d in docs]

    def _row(self, r: list, n: int, docs: list[_Doc]) -> None:
        raw_g, raw_num, raw_date, raw_voucher, raw_kind = self.ident(r)
        g, num = cells.gstin(raw_g), cells.text(raw_num)
        if not (g and num) and _is_total(r):
            self.skipped.append(n)
            return
        amounts = self._amounts(r, n)
        if not g and not num and not cells.text(raw_date):
            self._loose(r, n, amounts, docs)
            return
        d = self._date(raw_date, n, "doc_date")
        key = (g, num, d, raw_voucher, raw_kind)      # raw cells: cheap to compare
        doc = docs[-1] if docs and docs[-1].key == key else None
        if doc is None:
            doc = self._start(r, n, key, raw_num)
            docs.append(doc)
        else:
            doc.rows.append(n)
        self._add(doc, amounts, r)

    def _loose(self, r: list, n: int, amounts: dict, docs: list[_Doc]) -> None:
        """A row with no GSTIN, number or date: item lines of the document above, or junk."""
        if not any(amounts.values()):
            self.skipped.append(n)              # narration or a label: nothing to lose
        elif not docs:
            self.skipped.append(n)
            self.issues.append(Issue("row-without-document", "amounts on a row with no "
                                     "GSTIN, document number or date, before any document; "
                                     "skipped", WARNING, row=n))
        else:
            docs[-1].rows.append(n)
            docs[-1].loose.append(n)
            self._add(docs[-1], amounts, r)

    def _start(self, r: list, n: int, key: tuple, raw_num: Any) -> _Doc:
        doc = _Doc(n, key)
        doc.gstin, doc.number, doc.date = key[:3]
        doc.voucher, doc.kind_text = cells.text(key[3]), cells.text(key[4])
        doc.raw_number = raw_num
        name, doc.pos, rc, vdate, company = self.first(r)
        doc.name, doc.rc = cells.text(name), cells.flag(rc)
        doc.vdate = self._date(vdate, n, "voucher_date") if vdate != "" else None
        if company != "" and not self.company_state:
            self.company_state = cells.gstin(company)[:2]
        return doc

    def _amounts(self, r: list, n: int) -> dict:
        out = {}
        for name, cols in self.summed:
            total, seen = 0.0, False
            for i in cols:
                v = r[i]
                if type(v) is float:
                    total, seen = total + v, True
                elif v != "":
                    try:
                        a = cells.amount(v)
                    except cells.CellError as e:
                        self.problems.append((n, self.names[i], str(e)))
                        continue
                    if a is not None:
                        total, seen = total + a, True
            if seen:
                out[name] = total
        return out

    def _add(self, doc: _Doc, amounts: dict, r: list) -> None:
        sums = doc.sums
        for name, v in amounts.items():
            if name in sums:
                sums[name] += v
        if "value" in amounts:
            doc.values.append(amounts["value"])
        if self.derive and "tax_total" in amounts:
            self._split(doc, amounts["tax_total"], cells.text(r[self.at["tax_name"]]).upper())
        if doc.pos == "":
            doc.pos = r[self.at["pos"]]

    def _split(self, doc: _Doc, tax: float, name: str) -> None:
        """Zoho-style single tax column: `IGST18` is IGST, `GST18` half CGST, half SGST."""
        pos = cells.state_code(doc.pos) or self.company_state
        inter = "IGST" in name or (not name and pos and doc.gstin[:2] != pos)
        if inter:
            doc.sums["igst"] += tax
        else:
            half = round(tax / 2, 2)
            doc.sums["cgst"] += half
            doc.sums["sgst"] += tax - half

    def _date(self, v: Any, n: int, name: str) -> date | None:
        try:
            return cells.to_date(v, month_first=self.month_first and name == "doc_date")
        except cells.CellError as e:
            self.problems.append((n, self.header.get(name, name), str(e)))
            return None

    def _problem_error(self) -> RegisterFormatError:
        n, col, msg = self.problems[0]
        rest = [f"row {r} [{c}] {m}" for r, c, m in self.problems[1:MAX_LISTED]]
        more = len(self.problems) - MAX_LISTED
        tail = (f"; also {'; '.join(rest)}" if rest else "") + \
            (f"; and {more} more" if more > 0 else "")
        return RegisterFormatError(f"{msg}{tail}. Fix the cell(s) in the register, or map "
                                   "the column differently", file=self.file, row=n, field=col)

    def _entry(self, d: _Doc) -> RegisterEntry:
        s = d.sums
        taxable, igst, cgst, sgst, cess = s["taxable"], s["igst"], s["cgst"], s["sgst"], s["cess"]
        basis = taxable or (igst + cgst + sgst + cess) or sum(d.values)
        tax = abs(igst) + abs(cgst) + abs(sgst) + abs(cess)
        kind = _kind(d.kind_text, basis < 0)
        self.kinds[(d.kind_text, basis < 0, kind)] += 1
        e = RegisterEntry(
            row=d.row, supplier_gstin=d.gstin, doc_number=d.number, doc_date=d.date,
            kind=kind, supplier_name=d.name,
            taxable=_money(taxable), igst=_money(igst), cgst=_money(cgst), sgst=_money(sgst),
            cess=_money(cess), value=_value(d.values, abs(taxable) + tax) if d.values else None,
            reverse_charge=d.rc or abs(s["rcm_tax"]) >= 0.005, rows=tuple(d.rows),
            voucher=d.voucher)
        if d.pos != "":
            e.pos = self._pos(d, e)
        if d.date is None or not d.number or d.loose or type(d.raw_number) is not str \
                or "e" in d.number or "E" in d.number:
            self._notes(d, e)                   # rare: skip the checks for clean rows
        return e

    def _pos(self, d: _Doc, e: RegisterEntry) -> str:
        code = cells.state_code(d.pos)
        if code is None:
            e.warnings.append(self._warn(e, "pos-unknown", f"place of supply {d.pos!r} is not "
                                         "a state code or name; left blank", "pos"))
            return ""
        return code

    def _notes(self, d: _Doc, e: RegisterEntry) -> None:
        """Reading notes the user should see next to the row."""
        if d.date is None and d.vdate is not None and "doc_date" in self.one:
            e.doc_date = d.vdate
            e.warnings.append(self._warn(e, "date-from-voucher", "no supplier invoice date: "
                                         f"used the voucher date {d.vdate:%d-%m-%Y}", "doc_date"))
        if not d.number:
            e.warnings.append(self._warn(e, "number-missing", "no document number: this row "
                                         "cannot be matched with IMS", "doc_number"))
        elif cells.long_number(d.raw_number):
            e.warnings.append(self._warn(
                e, "number-stored-as-number", f"document number {d.number} is stored as a "
                "number; Excel keeps only 15 digits, so the last digits may be wrong. Format the "
                "column as Text in your books and export again", "doc_number"))
        elif cells.scientific(d.number):
            e.warnings.append(self._warn(
                e, "number-scientific", f"document number {d.number!r} was saved in scientific "
                "notation and its digits are lost; export the column as text", "doc_number"))
        if d.loose:
            e.warnings.append(self._warn(e, "rows-folded", "row(s) " + ", ".join(map(str, d.loose))
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


def _is_total(r: list) -> bool:
    return any(isinstance(v, str) and v.strip() and headers.TOTAL_ROW.match(headers.normalise(v))
               for v in r)


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


_money = cells.money


def _value(values: list[float], expected: float) -> Decimal | None:
    """Document value over folded rows: GSTR-2 repeats the invoice value on every rate row,
    item-wise exports give each line's value. Take the reading closer to taxable + tax."""
    if not values:
        return None
    once, total = abs(values[0]), abs(sum(values))
    if len(values) > 1 and all(v == values[0] for v in values) and \
            abs(once - expected) <= abs(total - expected):
        return _money(once)
    return _money(total)
