"""The Summary sheet's rows, from a `Summary`, and its headline figures read back from them."""

from __future__ import annotations

from decimal import Decimal

from ...model.document import HEADS, ZERO
from ...reconcile.result import STATUS_LABELS
from .model import (
    HEAD_LABELS,
    NOT_RECONCILED,
    OUTCOME_TITLE,
    OUTCOMES,
    TOP_SUPPLIERS,
    Summary,
)

# Sheet rows ------------------------------------------------------------------------------

def _f(d: Decimal) -> float:
    return float(round(d, 2)) + 0.0          # + 0.0: a reduction of nothing shows 0, not -0


def _heads_row(label: str, heads: dict, sign: int = 1) -> list:
    values = [_f(sign * heads[h]) for h in HEADS]
    return [label, *values, _f(sign * sum(heads.values(), ZERO))]


def tally_rows(title: str, groups: dict) -> list:
    head: list = [title, "Records", "Taxable Value", *HEAD_LABELS.values(), "Tax"]
    rows = [head]
    for label, t in groups.items():
        rows.append([label, t.count, _f(t.taxable), *(_f(t.heads[h]) for h in HEADS),
                     _f(t.tax)])
    return rows


def outcome_rows(s: Summary) -> list:
    """The ITC table: one row per outcome, one column per head; reductions shown negative."""
    rows = [[OUTCOME_TITLE, *HEAD_LABELS.values(), "Total"]]
    for key, label in OUTCOMES.items():
        rows.append(_heads_row(label, s.outcomes[key], -1 if key == "cn_reduction" else 1))
    return rows


def summary_rows(s: Summary) -> list[list]:
    """Rows for the Summary sheet, written from A1 (numbers as float, text as str)."""
    rows: list[list] = [
        ["ITC impact before upload"],
        ["Records", s.records, "To act", s.to_act, "Pending", s.pending,
         "ITC at risk", _f(s.at_risk)],
        ["Effective action = your Action if set, else the portal's. No Action is deemed "
         "accepted when GSTR-2B is generated."],
        [],
        *outcome_rows(s),
        [],
        *tally_rows("Match status", ordered_status(s.by_status)),
        [],
        *tally_rows("Section", s.by_section),
        [],
        *supplier_rows(s),
    ]
    if s.gone:
        rows += [[], *gone_rows(s.gone)]
    return rows


def ordered_status(groups: dict) -> dict:
    order = list(STATUS_LABELS.values()) + [NOT_RECONCILED]
    return dict(sorted(groups.items(),
                       key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def supplier_rows(s: Summary, top: int = TOP_SUPPLIERS) -> list:
    rows: list[list] = [
        ["Top suppliers by ITC at risk (mismatch, only in IMS, supplier not filed)"],
        ["Supplier GSTIN", "Supplier Name", "Records", "Mismatch", "Only in IMS",
         "Not filed", "ITC at risk"]]
    for r in s.suppliers[:top]:
        rows.append([r.gstin, r.name, r.records, r.mismatch, r.missing, r.not_filed,
                     _f(r.amount)])
    if not s.suppliers:
        rows.append(["No ITC at risk."])
    return rows


def gone_rows(gone) -> list:
    rows: list[list] = [
        ["Pending last month, not in this download (filed, amended or expired)"],
        ["Supplier GSTIN", "Section", "Supplier Name", "Document No", "Document Date", "Tax"]]
    for g in gone:
        rows.append([g.supplier_gstin, g.section, g.supplier_name, g.doc_number, g.doc_date,
                     _f(g.tax)])
    return rows


def figures(rows: list) -> dict | None:
    """Headline figures read back from `summary_rows()` output, or None if `rows` is not one.

    `batch` uses this for its cover so a client's 10,000 rows are not parsed a second time.
    """
    if len(rows) < 2 or not rows[0] or rows[0][0] != "ITC impact before upload":
        return None
    head = rows[1]
    out = {head[i]: head[i + 1] for i in range(0, len(head) - 1, 2)}
    labels = {v: k for k, v in OUTCOMES.items()}
    # as `Summary.total()`: the reduction positive (the sheet shows it negative)
    out["itc"] = {labels[r[0]]: -r[-1] if labels[r[0]] == "cn_reduction" else r[-1]
                  for r in rows if r and r[0] in labels}
    out["status"] = _table_counts(rows, "Match status")
    return out


def _table_counts(rows: list, title: str) -> dict:
    """{label: records} of one `tally_rows` table: from its header to the next blank row."""
    start = next((i for i, r in enumerate(rows) if r and r[0] == title), None)
    counts = {}
    for r in rows[start + 1:] if start is not None else []:
        if not r:
            break
        counts[r[0]] = r[1]
    return counts
