"""Supplier statements: each difference between a supplier's GSTR-1 (as IMS shows it) and our books,
with both values and a draft e-mail, ready to send (docs/reference/matching.md#user-asks item 8).

`build_statements()` is pure (IMS `SheetRow`s + Purchase sheet rows + Home settings);
`write_statement_files()` writes one `.xlsx` per supplier and a combined one, atomically;
`write_statements()` is the `ims-xl statements` command.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..files.atomic import Transaction, atomic_path
from ..workbook.layout import MONEY_FORMAT, PURCHASE_COLUMNS, index_of
from ..reconcile.result import MISMATCH, MISSING, STATUS_BY_LABEL, STATUS_LABELS
from ..workbook.ims_sheet import cell_text

__all__ = ["Statement", "StatementLine", "build_statements", "write_statement_files",
           "write_statements"]

DIFFERS = "Details differ"
NOT_IN_BOOKS = "Reported by you, not in our books"
NOT_REPORTED = "In our books, not reported by you"
ISSUES = (DIFFERS, NOT_IN_BOOKS, NOT_REPORTED)
COMBINED_NAME = "_All_suppliers.xlsx"    # the leading _ keeps it apart from GSTIN-named files
# Field names the reconcile engine uses in `MatchResult.differences` -> readable labels.
FIELD_LABELS = {"taxable": "Taxable value", "txval": "Taxable value", "value": "Document value",
                "val": "Document value", "igst": "IGST", "cgst": "CGST", "sgst": "SGST",
                "cess": "Cess", "tax": "Total tax", "date": "Document date",
                "doc_date": "Document date", "number": "Document number",
                "doc_number": "Document number", "gstin": "Supplier GSTIN", "pos":
                "Place of supply", "kind": "Document type", "heads": "Tax heads"}


@dataclass
class StatementLine:
    issue: str                  # one of ISSUES
    section: str                # B2B, B2B-CN, ... or the books document type
    doc_number: str
    doc_date: str
    field: str
    supplier_value: object      # as the supplier reported it (IMS); "" when not reported
    books_value: object         # as in our books; "" when not booked
    books_row: str = ""         # row of the books file, so the accountant can find it

    @property
    def difference(self) -> float | None:
        """Supplier's figure minus ours; a side that is missing counts as zero."""
        a, b = _number(self.supplier_value), _number(self.books_value)
        if a is None and b is None:
            return None
        if (a is None and self.supplier_value != "") or (b is None and self.books_value != ""):
            return None                 # one side is text (a date, a number): no arithmetic
        return float(round(_exact(a or 0.0) - _exact(b or 0.0), 2)) + 0.0   # + 0.0: never -0


@dataclass
class Statement:
    supplier_gstin: str
    supplier_name: str = ""
    our_gstin: str = ""
    period: str = ""
    lines: list = field(default_factory=list)

    def count(self, issue: str) -> int:
        """Documents (not lines) with this issue."""
        return len({(ln.section, ln.doc_number) for ln in self.lines if ln.issue == issue})

    @property
    def subject(self) -> str:
        docs = sum(self.count(i) for i in ISSUES)
        period = f" {self.period}" if self.period else ""
        ours = f" (GSTIN {self.our_gstin})" if self.our_gstin else ""
        return (f"GST reconciliation{period}: {docs} document(s) to check between your "
                f"GSTR-1 and our books{ours}")

    @property
    def email(self) -> str:
        return draft_email(self)


# Build -----------------------------------------------------------------------------------

def build_statements(rows, purchase_rows, settings: dict | None = None) -> list[Statement]:
    """One `Statement` per supplier with mismatches, records missing in books or books-only
    documents, ordered by supplier GSTIN. `settings`: the Home sheet (`RecipientGSTIN`,
    `ReturnPeriod`)."""
    settings = settings or {}
    rows = list(rows)
    our = str(settings.get("RecipientGSTIN") or "").strip()
    period = period_label(settings.get("ReturnPeriod")) or _periods(rows)
    by_gstin: dict[str, Statement] = {}

    def statement(gstin: str, name: str) -> Statement:
        st = by_gstin.setdefault(gstin, Statement(gstin, name, our, period))
        st.supplier_name = st.supplier_name or name
        return st

    for row in rows:
        lines = ims_lines(row)
        if lines:
            statement(row.record.supplier_gstin, row.record.supplier_name).lines += lines
    for prow in purchase_rows:
        lines = books_only_lines(prow)
        if lines:
            statement(_pcell(prow, "stin"), _pcell(prow, "name")).lines += lines
    return [by_gstin[k] for k in sorted(by_gstin)]


def ims_lines(row) -> list[StatementLine]:
    """Lines for one IMS row: one per differing field, or the whole document when unbooked."""
    rec = row.record
    status = STATUS_BY_LABEL.get(str(row.get("status") or "").strip(), row.get("status"))
    books_row = cell_text(row.get("books_rows"))
    doc = (rec.sec.label, rec.doc_number, rec.doc_date)
    if status == MISMATCH:
        diffs = parse_differences(cell_text(row.get("differences")))
        if not diffs:                   # the engine gave no detail: say so, keep the document
            diffs = [("Details", cell_text(row.get("reason")) or "differs", "see books")]
        return [StatementLine(DIFFERS, *doc, label, ims, books, books_row)
                for label, ims, books in diffs]
    if status == MISSING:
        return [StatementLine(NOT_IN_BOOKS, *doc, "Taxable value", float(rec.taxable), ""),
                StatementLine(NOT_IN_BOOKS, *doc, "Total tax", float(rec.tax), "")]
    return []


_P = {c.key: index_of(PURCHASE_COLUMNS, c.key) for c in PURCHASE_COLUMNS}
BOOKS_ONLY = STATUS_LABELS["books_only"]
_KIND_LABELS = {"invoice": "Invoice", "credit": "Credit note", "debit": "Debit note"}


def books_only_lines(prow: list) -> list[StatementLine]:
    if _pcell(prow, "status") != BOOKS_ONLY:
        return []
    kind = _pcell(prow, "kind")
    doc = (_KIND_LABELS.get(kind.lower(), kind), _pcell(prow, "doc_num"),
           _pcell(prow, "doc_date"))
    tax = sum((_exact(_number(_raw(prow, k)) or 0.0) for k in ("iamt", "camt", "samt", "cess")),
              Decimal(0))
    row = _pcell(prow, "row")
    return [StatementLine(NOT_REPORTED, *doc, "Taxable value", "",
                          _number(_raw(prow, "txval")) or 0.0, row),
            StatementLine(NOT_REPORTED, *doc, "Total tax", "", float(round(tax, 2)), row)]


_DIFF = re.compile(r"^\s*(?P<field>[^:]+):\s*IMS\s+(?P<ims>.*?)\s+vs\s+books\s+(?P<books>.*?)\s*$")


def parse_differences(text: str) -> list[tuple[str, object, object]]:
    """`table._differences` text ("igst: IMS 180.0 vs books 190.0; ...") -> (label, ims, books).

    Numbers come back as float so the statement can show the difference.
    """
    out = []
    for part in text.split("; "):
        m = _DIFF.match(part)
        if not m:
            continue
        key = m["field"].strip()
        out.append((FIELD_LABELS.get(key.lower(), key), _value(key, m["ims"]),
                    _value(key, m["books"])))
    return out


_AMOUNT_FIELDS = {"taxable", "txval", "value", "val", "igst", "cgst", "sgst", "cess", "tax"}


def _value(key: str, text: str):
    """Amounts as numbers; document numbers, dates and GSTINs stay text (0451 is not 451)."""
    n = _number(text) if key.lower() in _AMOUNT_FIELDS else None
    return text if n is None else n


def _number(v) -> float | None:
    if isinstance(v, bool) or v in (None, ""):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).replace(",", "").strip())
    except ValueError:
        return None


def _exact(x: float) -> Decimal:
    """A cell's amount as the decimal it shows (shortest repr), so 0.1 + 0.2 sums to 0.3."""
    return Decimal(repr(float(x)))


def _raw(prow: list, key: str):
    i = _P[key]
    return prow[i] if i < len(prow) else None


def _pcell(prow: list, key: str) -> str:
    return cell_text(_raw(prow, key))


def period_label(value) -> str:
    """`032026` (MMYYYY, as the Home sheet and rtnprd hold it) -> `March 2026`."""
    text = cell_text(value)
    if text.isdigit() and len(text) in (5, 6):
        text = text.zfill(6)
        month, year = int(text[:2]), text[2:]
        if 1 <= month <= 12:
            return f"{calendar.month_name[month]} {year}"
    return text


def _periods(rows) -> str:
    seen = sorted({r.record.return_period for r in rows if r.record.return_period},
                  key=lambda p: (p[2:], p[:2]))
    return ", ".join(period_label(p) for p in seen)


def draft_email(st: Statement) -> str:
    """A short e-mail to send with the statement; the user adds the signature."""
    points = []
    if st.count(DIFFERS):
        points.append(f"- {st.count(DIFFERS)} document(s) whose details in your GSTR-1/IFF "
                      "differ from our books;")
    if st.count(NOT_IN_BOOKS):
        points.append(f"- {st.count(NOT_IN_BOOKS)} document(s) you reported that we have not "
                      "recorded (please send us a copy, or amend the return if reported in "
                      "error);")
    if st.count(NOT_REPORTED):
        points.append(f"- {st.count(NOT_REPORTED)} document(s) in our books that you have not "
                      "reported (please report them in GSTR-1/IFF or GSTR-1A);")
    ours = f" (our GSTIN {st.our_gstin})" if st.our_gstin else ""
    period = f" for {st.period}" if st.period else ""
    return "\n".join([
        f"Subject: {st.subject}",
        "",
        f"Dear {st.supplier_name or 'Sir/Madam'},",
        "",
        f"We have reconciled the documents you reported to us{period} (your GSTIN "
        f"{st.supplier_gstin}), as they appear in the Invoice Management System on the GST "
        f"portal, with our purchase books{ours}. We found:",
        *points,
        "",
        "The attached statement lists each document with your value and ours. Please check "
        "it and correct your return or write back to us, so that we can accept these "
        "documents in IMS before we file GSTR-3B.",
        "",
        "Regards,",
    ])


# Files -----------------------------------------------------------------------------------

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def safe_name(text: str, limit: int = 60) -> str:
    """A file name part safe on Windows, macOS and Linux: letters, digits, _ and -."""
    name = re.sub(r"[^A-Za-z0-9-]+", "_", text).strip("_-.")[:limit].rstrip("_-")
    if name.upper() in _RESERVED:
        name = f"{name}_"
    return name


def file_names(statements) -> list[str]:
    """`<GSTIN>_<name>.xlsx` per statement, unique even when names clash case-insensitively."""
    used = {COMBINED_NAME.lower()}
    out = []
    for st in statements:
        base = "_".join(p for p in (safe_name(st.supplier_gstin, 20),
                                    safe_name(st.supplier_name, 40)) if p) or "supplier"
        name, n = f"{base}.xlsx", 1
        while name.lower() in used:
            n += 1
            name = f"{base}_{n}.xlsx"
        used.add(name.lower())
        out.append(name)
    return out


LINE_HEADERS = ("Issue", "Section / Type", "Document No", "Document Date", "Field",
                "As reported by supplier", "As in our books", "Difference", "Books Row")
_WIDTHS = (32, 14, 20, 13, 16, 20, 20, 14, 10)


def write_statement_files(statements, out_dir) -> list[Path]:
    """One workbook per supplier and `_All_suppliers.xlsx`, all replaced together or none."""
    out_dir = Path(out_dir)
    paths = []
    with Transaction() as tx:
        for st, name in zip(statements, file_names(statements)):
            paths.append(_write(out_dir / name, lambda wb, f, st=st: _supplier_book(wb, f, st),
                                tx))
        if statements:
            names = file_names(statements)
            paths.append(_write(out_dir / COMBINED_NAME,
                                lambda wb, f: _combined_book(wb, f, statements, names), tx))
    return paths


def _write(target: Path, fill, tx=None) -> Path:
    import xlsxwriter
    with atomic_path(target, tx) as tmp:
        # Text from suppliers and books must never turn into formulas or links.
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                            "strings_to_urls": False,
                                            "strings_to_numbers": False})
        fill(wb, _formats(wb))
        wb.close()
    return target


def _formats(wb) -> dict:
    # Text cells are text-formatted ("@"): in a General cell, editing a supplier's name such
    # as "+91 Traders" or "May 2026" would make Excel retype it as a formula or a date.
    text = {"num_format": "@"}
    return {"title": wb.add_format({"bold": True, "font_size": 14, **text}),
            "bold": wb.add_format({"bold": True, **text}),
            "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                   "text_wrap": True, "valign": "top", **text}),
            "money": wb.add_format({"num_format": MONEY_FORMAT}),
            "text": wb.add_format(text),
            "wrap": wb.add_format({"text_wrap": True, "valign": "top", **text})}


def _put(ws, r: int, c: int, v, f: dict) -> None:
    """Numbers as numbers (money format), everything else as a string: never a formula."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        ws.write_number(r, c, v, f["money"])
    else:
        ws.write_string(r, c, "" if v is None else str(v), f["text"])


def _supplier_book(wb, f: dict, st: Statement) -> None:
    ws = wb.add_worksheet("Statement")
    ws.write_string(0, 0, "Reconciliation statement: your GSTR-1 vs our books", f["title"])
    header = (("Our GSTIN", st.our_gstin), ("Supplier GSTIN", st.supplier_gstin),
              ("Supplier name", st.supplier_name), ("Period", st.period))
    for r, (label, value) in enumerate(header, 2):
        ws.write_string(r, 0, label, f["bold"])
        ws.write_string(r, 1, value, f["text"])
    r = 7
    for issue in ISSUES:
        ws.write_string(r, 0, issue, f["bold"])
        ws.write_number(r, 1, st.count(issue))
        r += 1
    _table(ws, r + 1, 0, LINE_HEADERS, [_line_cells(ln) for ln in st.lines], f)
    for c, w in enumerate(_WIDTHS):
        ws.set_column(c, c, w)
    mail = wb.add_worksheet("E-mail")
    mail.set_column(0, 0, 110, f["wrap"])
    for r, text in enumerate(st.email.split("\n")):
        mail.write_string(r, 0, text, f["wrap"])


def _combined_book(wb, f: dict, statements, names) -> None:
    ws = wb.add_worksheet("Suppliers")
    heads = ("Supplier GSTIN", "Supplier Name", *ISSUES, "File", "E-mail subject", "E-mail")
    rows = [[st.supplier_gstin, st.supplier_name, *(st.count(i) for i in ISSUES), name,
             st.subject, st.email] for st, name in zip(statements, names)]
    _table(ws, 0, 0, heads, rows, f)
    for c, w in enumerate((17, 30, 14, 14, 14, 40, 50, 80)):
        ws.set_column(c, c, w, f["wrap"] if c == 7 else None)
    lines = wb.add_worksheet("Differences")
    rows = [[st.supplier_gstin, st.supplier_name, *_line_cells(ln)]
            for st in statements for ln in st.lines]
    _table(lines, 0, 0, ("Supplier GSTIN", "Supplier Name", *LINE_HEADERS), rows, f)
    for c, w in enumerate((17, 30, *_WIDTHS)):
        lines.set_column(c, c, w)
    if statements:
        first = statements[0]
        wb.set_properties({"title": f"Supplier statements {first.period}".strip(),
                           "subject": f"Recipient {first.our_gstin}".strip()})


def _table(ws, r0: int, c0: int, heads, rows, f: dict) -> None:
    for c, h in enumerate(heads):
        ws.write_string(r0, c0 + c, h, f["head"])
    for r, row in enumerate(rows, r0 + 1):
        for c, v in enumerate(row):
            _put(ws, r, c0 + c, v, f)
    if rows:
        ws.autofilter(r0, c0, r0 + len(rows), c0 + len(heads) - 1)
    ws.freeze_panes(r0 + 1, 0)


def _line_cells(ln: StatementLine) -> list:
    diff = ln.difference
    return [ln.issue, ln.section, ln.doc_number, ln.doc_date, ln.field, ln.supplier_value,
            ln.books_value, "" if diff is None else diff, ln.books_row]


# Command ---------------------------------------------------------------------------------

def write_statements(workbook, out):
    """`ims-xl statements WORKBOOK --out DIR`: read the workbook, write the statements."""
    from ..workbook.data import read_workbook
    from ..workbook.ims_sheet import read_ims_rows
    data = read_workbook(workbook)
    from ..progress import stage
    rows = read_ims_rows(data.ims_header, data.ims_rows)
    stage("Finding the differences per supplier")
    statements = build_statements(rows, data.purchase_rows, data.settings)
    if not statements:
        yield "No supplier has mismatches, records missing in books or books-only documents; " \
              "nothing written."
        return
    from ..files.guard import refuse_overlap
    refuse_overlap({"WORKBOOK": workbook},
                   {"--out": [Path(out) / n for n in file_names(statements) + [COMBINED_NAME]]})
    stage(f"Writing {len(statements):,} statements")
    paths = write_statement_files(statements, out)
    for st, path in zip(statements, paths):
        yield f"{path.name}: {len(st.lines)} line(s)"
    yield f"Wrote {len(statements)} supplier statement(s) and {paths[-1].name} to {Path(out)}"
