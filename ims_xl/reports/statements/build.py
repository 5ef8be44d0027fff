"""The statements of a month from its IMS rows and Purchase rows (pure: no file)."""

from __future__ import annotations

import calendar
import re
from decimal import Decimal

from ...reconcile.result import MISMATCH, MISSING, STATUS_BY_LABEL, STATUS_LABELS
from ...workbook.ims_sheet import cell_text
from ...workbook.layout import PURCHASE_COLUMNS, index_of
from .model import (DIFFERS, NOT_IN_BOOKS, NOT_REPORTED, Statement, StatementLine, exact,
                    number)

# Field names the reconcile engine uses in `MatchResult.differences` -> readable labels.
FIELD_LABELS = {"taxable": "Taxable value", "txval": "Taxable value", "value": "Document value",
                "val": "Document value", "igst": "IGST", "cgst": "CGST", "sgst": "SGST",
                "cess": "Cess", "tax": "Total tax", "date": "Document date",
                "doc_date": "Document date", "number": "Document number",
                "doc_number": "Document number", "gstin": "Supplier GSTIN", "pos":
                "Place of supply", "kind": "Document type", "heads": "Tax heads"}


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
    tax = sum((exact(number(_raw(prow, k)) or 0.0) for k in ("iamt", "camt", "samt", "cess")),
              Decimal(0))
    row = _pcell(prow, "row")
    return [StatementLine(NOT_REPORTED, *doc, "Taxable value", "",
                          number(_raw(prow, "txval")) or 0.0, row),
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
    n = number(text) if key.lower() in _AMOUNT_FIELDS else None
    return text if n is None else n





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
