"""Checks on the books, run after reading: each returns `Issue`s for the rows concerned.

Nothing here drops a document; the issues go on `RegisterEntry.warnings` and into the register's
issue list, so the user sees them next to the row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ..model.document import ZERO, RegisterEntry, column_of
from ..model.gstin import STATES, problem
from ..model.issue import ERROR, WARNING, Issue

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_ASCII_NOT_ALNUM = bytes(c for c in range(256) if _NOT_ALNUM.match(chr(c)))    # deleted
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
    upper = number.upper()
    if not upper.isascii():
        return _NOT_ALNUM.sub("", upper)
    if upper.isalnum():                             # ASCII: only 0-9 A-Z already
        return upper
    return upper.encode().translate(None, _ASCII_NOT_ALNUM).decode()    # a byte table


def check_entries(entries: Sequence[RegisterEntry], *, today: date, columns: dict | None = None,
                  company_state: str = "") -> list[Issue]:
    """Run every check; add each issue to its entry's `warnings`; return them all.

    `columns` maps a field to its source column header, so issues name the column the user
    knows. `company_state` (from a Company GSTIN column) stands in for a missing place of supply.
    The checks read the entries' columns (`column_of`: the reader's entries are made only
    where an issue is found); the GSTIN and date checks run once per distinct GSTIN and date.
    """
    columns = columns or {}
    gstin_col = columns.get("supplier_gstin", "Supplier GSTIN")
    date_col = columns.get("doc_date", "Document Date")
    heads_col = columns.get("igst", "IGST"), columns.get("cgst", "CGST")
    g = column_of(entries, "supplier_gstin")
    when = list(zip(column_of(entries, "doc_date"),
                    [k != "credit" for k in column_of(entries, "kind")]))
    gstins = {x: (*_gstin(x), gstin_col) for x in set(g)}
    dates = {key: (*_dates(*key, today), date_col) for key in set(when)}
    heads = _heads(entries, g, company_state, heads_col)
    wrong_g = {x for x, about in gstins.items() if about[0]}
    wrong_d = {key for key, about in dates.items() if about[0]}
    found_at = set(heads)
    if wrong_g:
        found_at.update(j for j, x in enumerate(g) if x in wrong_g)
    if wrong_d:
        found_at.update(j for j, key in enumerate(when) if key in wrong_d)
    out: list[Issue] = []
    rows, numbers = column_of(entries, "row"), column_of(entries, "doc_number")
    warn = getattr(entries, "warn", None)       # the reader's entries: none made for it
    for j in sorted(found_at):                  # in the entries' order, as found in each
        record = _record(g[j], numbers[j])
        found = [_issue(rows[j], record, *about) for about in (gstins[g[j]], dates[when[j]],
                                                                heads.get(j, _NONE)) if about[0]]
        if warn is not None:
            warn(j, found)
        else:
            entries[j].warnings.extend(found)
        out.extend(found)
    dups = duplicates(entries, columns)
    return out + dups


def _record(gstin: str, number: str) -> str:
    return f"{gstin} {number}".strip()


def _issue(row: int, record: str, code: str, message: str, severity: str, field: str) -> Issue:
    return Issue(code, message, severity, row=row, field=field, record=record)


_NONE = ("", "", "")                       # (code, message, severity): nothing to say


def _gstin(g: str) -> tuple[str, str, str]:
    if not g:
        return ("gstin-missing", "no supplier GSTIN: an unregistered supplier's document never "
                "reaches IMS; add the GSTIN if the supplier is registered", WARNING)
    found = problem(g)
    if not found:
        return _NONE
    # Right shape, wrong last character: a typo the checksum caught.
    shape_ok = re.fullmatch(r"[0-9]{2}[0-9A-Z]{13}", g) and g[:2] in STATES
    code = "gstin-checksum" if shape_ok else "gstin-invalid"
    return (code, found + "; correct it in your books", ERROR)


def _dates(d: date | None, claimed: bool, today: date) -> tuple[str, str, str]:
    """`claimed`: not a credit note, so the ITC time limit applies."""
    if d is None:
        return ("date-missing", "no document date: the financial year and the ITC time limit "
                "cannot be checked", WARNING)
    if d > today:
        return ("date-future", f"document date {d:%d-%m-%Y} is after today "
                f"({today:%d-%m-%Y}); check the date", WARNING)
    if claimed and today > itc_deadline(d):
        return ("itc-time-barred", f"dated {d:%d-%m-%Y} (FY {fy_label(d)}): ITC could be "
                f"claimed only until {itc_deadline(d):%d-%m-%Y} (CGST Act s.16(4)); it cannot "
                "be claimed now", WARNING)
    return _NONE


_EPSILON = Decimal(TAX_EPSILON)            # exact: compares as the float did


def _heads(entries: Sequence[RegisterEntry], g: list[str], company_state: str,
           columns: tuple[str, str]) -> dict[int, tuple[str, str, str, str]]:
    """Supplier state vs place of supply: same state -> CGST+SGST, different -> IGST. The
    issue of each entry booked otherwise, by its place."""
    pos = column_of(entries, "pos")
    (igst, cgst, sgst), zero = _heads_amounts(entries)
    out = {}
    for j, (gstin, booked_pos, i, c, s) in enumerate(zip(g, pos, igst, cgst, sgst)):
        where = booked_pos or company_state
        supplier = gstin[:2]
        if not where or supplier not in STATES or where in ("96", "97"):
            continue
        # most heads are nothing: no Decimal made for them
        if supplier == where:
            if i != zero and Decimal(i) >= _EPSILON:
                out[j] = ("tax-head-pos", f"supplier state {supplier} is the place of supply "
                          f"{where}{_given(booked_pos)} but IGST was booked: an intra-state "
                          "supply carries CGST+SGST (SEZ supplies excepted)", WARNING,
                          columns[0])
        elif (c != zero or s != zero) and Decimal(c) + Decimal(s) >= _EPSILON:
            out[j] = ("tax-head-pos", f"supplier state {supplier} differs from the place of "
                      f"supply {where}{_given(booked_pos)} but CGST+SGST was booked: an "
                      "inter-state supply carries IGST", WARNING, columns[1])
    return out


def _heads_amounts(entries: Sequence[RegisterEntry]) -> tuple[list, Decimal | str]:
    """The IGST, CGST and SGST columns, and how nothing is written in them: the reader's
    entries' texts ("0"), or Decimals (ZERO: a Decimal compared with a text goes through an
    ABC check, about 1 µs)."""
    texts = getattr(entries, "amount_texts", None)
    if texts is not None:
        return [texts(h) for h in _HEADS], "0"
    return [column_of(entries, h) for h in _HEADS], ZERO


_HEADS = ("igst", "cgst", "sgst")


def _given(booked_pos: str) -> str:
    return "" if booked_pos else " (the Company GSTIN's state)"


def duplicates(entries: Sequence[RegisterEntry], columns: dict | None = None) -> list[Issue]:
    """Documents booked more than once: same supplier, financial year, type and number."""
    number, day = column_of(entries, "doc_number"), column_of(entries, "doc_date")
    numbers = {n: doc_key(n) for n in set(number)}
    years = {d: fy_start(d) if d else None for d in set(day)}
    keys = list(zip(column_of(entries, "supplier_gstin"), map(years.__getitem__, day),
                    column_of(entries, "kind"), map(numbers.__getitem__, number)))
    # A key repeats: a duplicate, unless the supplier or the number is blank.
    twice = {key for key, n in Counter(keys).items() if n > 1 and key[0] and key[3]}
    groups: dict[tuple, list[RegisterEntry]] = {}
    for j, key in enumerate(keys) if twice else ():       # only the few booked twice
        if key in twice:
            groups.setdefault(key, []).append(entries[j])
    col = (columns or {}).get("doc_number", "Document No")
    out = []
    for same in groups.values():
        for e in same:
            others = ", ".join(str(o.row) for o in same if o is not e)
            issue = _issue(e.row, _record(e.supplier_gstin, e.doc_number), "duplicate-document",
                           f"booked more than once: row(s) {others} have the same supplier, "
                           "number and financial year", WARNING, col)
            e.warnings.append(issue)
            out.append(issue)
    return out
