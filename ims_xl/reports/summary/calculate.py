"""The figures of a month from its IMS rows and Purchase rows.

Effects of each action: docs/reference/ims-format.md#action-codes (A and N give ITC, R none,
P defers it) and docs/reference/ims-format.md#itc-reduction (credit notes reduce ITC: fully,
as declared, or not at all when the recipient declares `itcRedReq` N).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from operator import attrgetter

from ...model.document import HEADS, ZERO
from ...model.section import SECTIONS
from ...reconcile.result import MISMATCH, MISSING, STATUS_BY_LABEL, STATUS_LABELS
from ...workbook.ims_sheet import FreshSheetRow
from ...workbook.layout import FIRST_ROW, PURCHASE_COLUMNS, index_of
from .model import NOT_RECONCILED, Summary, SupplierRisk, Tally, zero_heads

RISK_STATUSES = (MISMATCH, MISSING)


# Effective decision ------------------------------------------------------------------------

def effective_action(row) -> str:
    """The user's Action when set; else the portal's action stands (blank cell = no change)."""
    return row.decision.action or row.portal.action or "N"


def cn_reduction(row) -> dict:
    """ITC a credit note takes away when it is accepted or deemed accepted
    (docs/reference/ims-format.md#itc-reduction), per head.

    Accept with `itcRedReq` Y: the declared amounts, or the full tax when none is declared;
    with N: nothing. No Action, blocked or undeclared: the full tax.
    """
    rec = row.record
    full = {h: getattr(rec, h) for h in HEADS}
    # The declaration that counts is the one that will be on the portal after upload.
    dec = row.decision if row.decision.action is not None else row.portal
    if effective_action(row) != "A" or not rec.sec.itc_declaration or rec.itc_blocked:
        return full
    if dec.itc_red_req == "N":
        return zero_heads()
    declared = {h: Decimal(str(v)) for h, v in dec.declared.items() if v not in (None, "")}
    if dec.itc_red_req == "Y" and declared:
        return {h: declared.get(h, ZERO) for h in HEADS}
    return full


def outcome_of(row) -> tuple[str, dict]:
    """(outcome key, amounts per head) of one IMS row."""
    rec = row.record
    key = outcome_key(rec.sec.kind, effective_action(row))
    if key == "cn_reduction":
        return key, cn_reduction(row)
    return key, {h: getattr(rec, h) for h in HEADS}


def outcome_key(kind: str, act: str) -> str:
    """The row of the ITC table a document of `kind` with effective action `act` adds to."""
    if kind == "credit":
        return ("cn_reduction" if act in ("A", "N") else
                "cn_rejected" if act == "R" else "cn_pending")
    return {"A": "accepted", "N": "no_action", "R": "rejected"}.get(act, "pending")


# Compute ---------------------------------------------------------------------------------

def compute(rows, purchase_rows=(), gone=()) -> Summary:
    """Figures for the Summary sheet from IMS `SheetRow`s and Purchase sheet rows (or the
    books-only documents' amount cells: `_add_books_only`).

    `gone` (`carry.Gone` from `carry.carry_forward`) is listed as it is; it adds to no figure.
    Rows are grouped by what decides their figures (section, action, status, declaration)
    and each group's amounts summed once: 100,000 rows fall into a few dozen groups. A
    fresh month's rows are summed up from their records and status cells (`compute_fresh`).
    """
    s = Summary(gone=list(gone))
    risks: dict[str, SupplierRisk] = {}
    groups: dict[tuple, list] = {}
    for row in rows:
        _group_row(s, row, groups, risks)
    for (section, act, label, _), members in groups.items():
        _add_group(s, section, act, label, [row.record for row in members], members[0])
    return _finished(s, risks, purchase_rows)


def compute_fresh(records: list, statuses: list, purchase_rows=()) -> Summary:
    """`compute` of rows just laid out from `records` (nothing typed: each record's portal
    action is its effective one, no cell is unreadable, nothing was carried forward, so no
    record is gone), given their Match Status cells.

    Column by column: no row object per record; the status cells are labelled once per
    distinct text, and only the records that may put ITC at risk are looked at one by one.
    """
    s = Summary()
    risks: dict[str, SupplierRisk] = {}
    labels = {cell: status_label(cell) for cell in set(statuses)}
    sections = list(map(attrgetter("section"), records))
    acts = [a or "N" for a in map(attrgetter("action"), records)]
    credit = {code for code in set(sections) if SECTIONS[code].kind == "credit"}
    groups: dict[tuple, list] = {}
    # an accepted credit note is a group of its own: its reduction is its own declaration
    for i, key in enumerate(zip(sections, acts, map(labels.__getitem__, statuses))):
        own = i if key[1] == "A" and key[0] in credit else None
        groups.setdefault((*key, own), []).append(i)
    for (section, act, label, _), at in groups.items():
        first = FreshSheetRow(FIRST_ROW + at[0], records[at[0]], [])
        _add_group(s, section, act, label, [records[i] for i in at], first)
    risky = {label for label in labels.values()
             if STATUS_BY_LABEL.get(label, label) in RISK_STATUSES}
    for rec, status, section in zip(records, statuses, sections):
        if section not in credit and (labels[status] in risky or rec.supplier_filed is False):
            _add_risk(risks, rec, labels[status])
    s.by_action.update(Counter(acts))
    s.to_act += s.by_action.get("N", 0)
    return _finished(s, risks, purchase_rows)


def _finished(s: Summary, risks: dict, purchase_rows) -> Summary:
    """The figures that follow from the groups: net ITC, books-only, suppliers at risk."""
    _net(s)
    _add_books_only(s, purchase_rows)
    s.suppliers = sorted((r for r in risks.values() if r.amount),
                         key=lambda r: (-r.amount, r.gstin))
    return s


def _group_row(s: Summary, row, groups: dict, risks: dict) -> None:
    """Count one row and file it under its group; a credit note whose reduction depends on
    its own declaration is a group of its own (the row's identity is in the key)."""
    rec, act = row.record, effective_action(row)
    s.problems += bool(row.problems)
    s.by_action[act] = s.by_action.get(act, 0) + 1
    s.to_act += row.decision.action is None and (row.portal.action or "N") == "N"
    label = status_label(row.get("status"))
    own = id(row) if act == "A" and rec.sec.kind == "credit" else None
    groups.setdefault((rec.section, act, label, own), []).append(row)
    _add_risk(risks, rec, label)


def _add_group(s: Summary, section: str, act: str, label: str, recs: list, first) -> None:
    """One group's records added up; `first` is its first row (a group of one may be an
    accepted credit note, whose reduction is its own)."""
    amounts = {h: sum(map(attrgetter(h), recs), ZERO) for h in HEADS}
    taxable = sum(map(attrgetter("taxable"), recs), ZERO)
    s.records += len(recs)
    key, outcome = outcome_of(first) if len(recs) == 1 else (
        outcome_key(SECTIONS[section].kind, act), amounts)
    for h in HEADS:
        s.outcomes[key][h] += outcome[h]
    s.by_status.setdefault(label, Tally()).add_many(len(recs), taxable, amounts)
    s.by_section.setdefault(SECTIONS[section].label, Tally()).add_many(len(recs), taxable,
                                                                       amounts)


def _net(s: Summary) -> None:
    o = s.outcomes
    for h in HEADS:
        o["net"][h] = o["accepted"][h] + o["no_action"][h] - o["cn_reduction"][h]


def _add_risk(risks: dict, rec, label: str) -> None:
    """Credit notes put no ITC at risk (they take it away), so only invoices and DNs count."""
    status = STATUS_BY_LABEL.get(label, label)
    not_filed = rec.supplier_filed is False
    if rec.sec.kind == "credit" or not (status in RISK_STATUSES or not_filed):
        return
    r = risks.setdefault(rec.supplier_gstin, SupplierRisk(rec.supplier_gstin))
    r.name = r.name or rec.supplier_name
    r.records += 1
    r.mismatch += status == MISMATCH
    r.missing += status == MISSING
    r.not_filed += not_filed
    r.amount += rec.tax


def status_label(value) -> str:
    """The Match Status cell as its label; machine codes are accepted too."""
    text = str(value or "").strip()
    if not text:
        return NOT_RECONCILED
    return STATUS_LABELS.get(text, text)


_P = {k: index_of(PURCHASE_COLUMNS, k) for k in ("status", "txval", "iamt", "camt", "samt",
                                                 "cess")}
_P_HEADS = {"igst": "iamt", "cgst": "camt", "sgst": "samt", "cess": "cess"}
BOOKS_ONLY = STATUS_LABELS["books_only"]


def _add_books_only(s: Summary, purchase_rows) -> None:
    """Books documents the portal does not have: counted under their own status.
    `purchase_rows`: the Purchase sheet's rows, or the books-only documents' amount cells
    by column (`month.purchase.books_only_cells`)."""
    if isinstance(purchase_rows, dict):
        cells = purchase_rows
    else:
        mine = [r for r in purchase_rows if _cell(r, "status") == BOOKS_ONLY]
        cells = {k: [_cell(r, k) for r in mine] for k in ("txval", *_P_HEADS.values())}
    if cells["txval"]:
        s.by_status.setdefault(BOOKS_ONLY, Tally()).add_many(
            len(cells["txval"]), _total(cells["txval"]),
            {h: _total(cells[k]) for h, k in _P_HEADS.items()})


def _total(cells: list) -> Decimal:
    return sum(map(_money, cells), ZERO)


def _cell(row: list, key: str):
    i = _P[key]
    v = row[i] if i < len(row) else None
    return v.strip() if isinstance(v, str) else v


def _money(v) -> Decimal:
    """Books amounts are absolute per the Purchase sheet; blanks and text count as zero."""
    try:
        return abs(Decimal(str(v).replace(",", ""))) if v not in (None, "") else ZERO
    except ArithmeticError:
        return ZERO
