"""The statement files: one `.xlsx` per supplier and a combined one, written atomically."""

from __future__ import annotations

import re
from pathlib import Path

from ...files.atomic import Transaction, atomic_path
from ...workbook.layout import MONEY_FORMAT
from .model import ISSUES, Statement, StatementLine

COMBINED_NAME = "_All_suppliers.xlsx"    # the leading _ keeps it apart from GSTIN-named files


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
