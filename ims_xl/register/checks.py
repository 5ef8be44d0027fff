"""Checks on the books, run after reading: each returns `Issue`s for the rows concerned.

Nothing here drops a document; the issues go on `RegisterEntry.warnings` and into the register's
issue list, so the user sees them next to the row.
"""

from __future__ import annotations

import re
from datetime import date

from ..model.document import RegisterEntry
from ..model.gstin import STATES, problem
from ..model.issue import ERROR, WARNING, Issue

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
TAX_EPSILON = 0.5          # rupees: a head below this counts as not booked (rounding)


def fy_start(d: date) -> int:
    """Financial year (April-March) of `d`, as its first calendar year: 05-03-2026 -> 2025."""
    return d.year if d.month >= 4 else d.year - 1


def fy_label(d: date) -> str:
    y = fy_start(d)
    return f"{y}-{(y + 1) % 100:02d}"


def itc_deadline(d: date) -> date:
    """CGST Act s.16(4): ITC on a document lapses after 30 November following the end of
    the financial year of the document (invoice or debit note) date."""
    return date(fy_start(d) + 1, 11, 30)


def doc_key(number: str) -> str:
    """Simple normalised number for the duplicate check: upper-case, alphanumerics only."""
    return _NOT_ALNUM.sub("", number.upper())


def check_entries(entries: list[RegisterEntry], *, today: date, columns: dict | None = None,
                  company_state: str = "") -> list[Issue]:
    """Run every check; add each issue to its entry's `warnings`; return them all.

    `columns` maps a field to its source column header, so issues name the column the user
    knows. `company_state` (from a Company GSTIN column) stands in for a missing place of supply.
    """
    columns = columns or {}
    problems: dict[str, str] = {}            # GSTIN -> problem text, each GSTIN checked once
    out: list[Issue] = []
    for e in entries:
        found = [*_gstin(e, problems, columns), *_dates(e, today, columns),
                 *_heads(e, company_state, columns)]
        e.warnings.extend(found)
        out.extend(found)
    dups = duplicates(entries, columns)
    return out + dups


def _record(e: RegisterEntry) -> str:
    return f"{e.supplier_gstin} {e.doc_number}".strip()


def _issue(e: RegisterEntry, code: str, message: str, severity: str, field: str) -> Issue:
    return Issue(code, message, severity, row=e.row, field=field, record=_record(e))


def _gstin(e: RegisterEntry, cache: dict, columns: dict) -> list[Issue]:
    col = columns.get("supplier_gstin", "Supplier GSTIN")
    g = e.supplier_gstin
    if not g:
        return [_issue(e, "gstin-missing", "no supplier GSTIN: an unregistered supplier's "
                       "document never reaches IMS; add the GSTIN if the supplier is registered",
                       WARNING, col)]
    if g not in cache:
        cache[g] = problem(g)
    if not cache[g]:
        return []
    # Right shape, wrong last character: a typo the checksum caught.
    shape_ok = re.fullmatch(r"[0-9]{2}[0-9A-Z]{13}", g) and g[:2] in STATES
    code = "gstin-checksum" if shape_ok else "gstin-invalid"
    return [_issue(e, code, cache[g] + "; correct it in your books", ERROR, col)]


def _dates(e: RegisterEntry, today: date, columns: dict) -> list[Issue]:
    col = columns.get("doc_date", "Document Date")
    d = e.doc_date
    if d is None:
        return [_issue(e, "date-missing", "no document date: the financial year and the ITC "
                       "time limit cannot be checked", WARNING, col)]
    if d > today:
        return [_issue(e, "date-future", f"document date {d:%d-%m-%Y} is after today "
                       f"({today:%d-%m-%Y}); check the date", WARNING, col)]
    if e.kind != "credit" and today > itc_deadline(d):
        return [_issue(e, "itc-time-barred", f"dated {d:%d-%m-%Y} (FY {fy_label(d)}): ITC "
                       f"could be claimed only until {itc_deadline(d):%d-%m-%Y} (CGST Act "
                       "s.16(4)); it cannot be claimed now", WARNING, col)]
    return []


def _heads(e: RegisterEntry, company_state: str, columns: dict) -> list[Issue]:
    """Supplier state vs place of supply: same state -> CGST+SGST, different -> IGST."""
    pos = e.pos or company_state
    supplier = e.supplier_gstin[:2]
    if not pos or supplier not in STATES or pos in ("96", "97"):
        return []
    where = f"place of supply {pos}" + ("" if e.pos else " (the Company GSTIN's state)")
    igst, local = e.igst >= TAX_EPSILON, (e.cgst + e.sgst) >= TAX_EPSILON
    if supplier == pos and igst:
        return [_issue(e, "tax-head-pos", f"supplier state {supplier} is the {where} but IGST "
                       "was booked: an intra-state supply carries CGST+SGST (SEZ supplies "
                       "excepted)", WARNING, columns.get("igst", "IGST"))]
    if supplier != pos and local:
        return [_issue(e, "tax-head-pos", f"supplier state {supplier} differs from the {where} "
                       "but CGST+SGST was booked: an inter-state supply carries IGST",
                       WARNING, columns.get("cgst", "CGST"))]
    return []


def duplicates(entries: list[RegisterEntry], columns: dict | None = None) -> list[Issue]:
    """Documents booked more than once: same supplier, financial year, type and number."""
    groups: dict[tuple, list[RegisterEntry]] = {}
    for e in entries:
        key = doc_key(e.doc_number)
        if key and e.supplier_gstin:
            fy = fy_start(e.doc_date) if e.doc_date else None
            groups.setdefault((e.supplier_gstin, fy, e.kind, key), []).append(e)
    col = (columns or {}).get("doc_number", "Document No")
    out = []
    for same in (g for g in groups.values() if len(g) > 1):
        for e in same:
            others = ", ".join(str(o.row) for o in same if o is not e)
            issue = _issue(e, "duplicate-document", f"booked more than once: row(s) {others} "
                           "have the same supplier, number and financial year", WARNING, col)
            e.warnings.append(issue)
            out.append(issue)
    return out
