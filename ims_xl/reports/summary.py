"""ITC impact before upload: what flows into GSTR-2B, what is rejected, deferred or reduced.

`compute(rows)` turns IMS sheet rows (`ims_sheet.SheetRow`) into a `Summary`; `summary_rows()` lays
it out for the Summary sheet, `chart_spec()` describes the chart drawn on it and `summary_lines()`
is the `ims-xl summary` command. Effects of each action: docs/reference/ims-format.md#action-codes
(A and N give ITC, R none, P defers it) and docs/reference/ims-format.md#itc-reduction (credit notes
reduce ITC: fully, as declared, or not at all when the recipient declares `itcRedReq` N).
"""

from __future__ import annotations

from ..model.rupees import rupees

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model.document import HEADS, ZERO
from ..workbook.layout import PURCHASE_COLUMNS, SHEET_SUMMARY, index_of
from ..reconcile.result import MISMATCH, MISSING, STATUS_BY_LABEL, STATUS_LABELS

__all__ = ["Summary", "SupplierRisk", "Tally", "chart_spec", "compute", "figures",
           "insert_chart", "summary_lines", "summary_rows", "to_json"]

HEAD_LABELS = {"igst": "IGST", "cgst": "CGST", "sgst": "SGST", "cess": "Cess"}
# Outcome rows of the ITC table, in the order they are shown.
OUTCOMES = {
    "accepted": "Accepted",
    "no_action": "No Action (deemed accepted)",
    "cn_reduction": "Credit notes: ITC reduction",
    "net": "ITC to GSTR-2B (net)",
    "rejected": "Rejected (no ITC)",
    "pending": "Pending (deferred)",
    "cn_rejected": "Credit notes rejected (no reduction)",
    "cn_pending": "Credit notes pending (reduction deferred)",
}
# What the chart stacks per tax head; the reduction is drawn below zero.
CHART_OUTCOMES = ("accepted", "no_action", "cn_reduction", "rejected", "pending")
CHART_COLOURS = {"accepted": "#63BE7B", "no_action": "#A9D08E", "cn_reduction": "#7F7F7F",
                 "rejected": "#F8696B", "pending": "#FFC000"}
RISK_STATUSES = (MISMATCH, MISSING)
NOT_RECONCILED = "Not reconciled"
TOP_SUPPLIERS = 10
OUTCOME_TITLE = "ITC by outcome"        # first cell of the outcome table; the chart finds it


def _zero_heads() -> dict:
    return {h: ZERO for h in HEADS}


@dataclass
class Tally:
    """Records and amounts of one group (a match status, a section)."""

    count: int = 0
    taxable: Decimal = ZERO
    heads: dict = field(default_factory=_zero_heads)

    @property
    def tax(self) -> Decimal:
        return sum(self.heads.values(), ZERO)

    def add(self, taxable, amounts: dict) -> None:
        self.count += 1
        self.taxable += taxable
        for h in HEADS:
            self.heads[h] += amounts.get(h, ZERO)


@dataclass
class SupplierRisk:
    """ITC a supplier's documents put at risk: mismatched, missing in books, or not filed."""

    gstin: str
    name: str = ""
    records: int = 0
    mismatch: int = 0
    missing: int = 0
    not_filed: int = 0
    amount: Decimal = ZERO


@dataclass
class Summary:
    records: int = 0
    to_act: int = 0                   # no decision yet: Action blank and portal still N
    problems: int = 0                 # rows whose Action or declared amount could not be read
    outcomes: dict = field(default_factory=lambda: {k: _zero_heads() for k in OUTCOMES})
    by_status: dict = field(default_factory=dict)     # status label -> Tally
    by_section: dict = field(default_factory=dict)    # section label -> Tally
    suppliers: list = field(default_factory=list)     # SupplierRisk, most at risk first
    gone: list = field(default_factory=list)          # carry.Gone: pending last month, gone now
    by_action: dict = field(default_factory=dict)     # effective action code -> records

    @property
    def at_risk(self) -> Decimal:
        return sum((s.amount for s in self.suppliers), ZERO)

    @property
    def pending(self) -> int:
        return self.by_action.get("P", 0)

    def total(self, outcome: str) -> Decimal:
        return sum(self.outcomes[outcome].values(), ZERO)


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
        return _zero_heads()
    declared = {h: Decimal(str(v)) for h, v in dec.declared.items() if v not in (None, "")}
    if dec.itc_red_req == "Y" and declared:
        return {h: declared.get(h, ZERO) for h in HEADS}
    return full


def outcome_of(row) -> tuple[str, dict]:
    """(outcome key, amounts per head) of one IMS row."""
    rec, act = row.record, effective_action(row)
    if rec.sec.kind == "credit":
        if act in ("A", "N"):
            return "cn_reduction", cn_reduction(row)
        key = "cn_rejected" if act == "R" else "cn_pending"
    else:
        key = {"A": "accepted", "N": "no_action", "R": "rejected"}.get(act, "pending")
    return key, {h: getattr(rec, h) for h in HEADS}


# Compute ---------------------------------------------------------------------------------

def compute(rows, purchase_rows=(), gone=()) -> Summary:
    """Figures for the Summary sheet from IMS `SheetRow`s and Purchase sheet rows.

    `gone` (`carry.Gone` from `carry.carry_forward`) is listed as it is; it adds to no figure.
    """
    s = Summary(gone=list(gone))
    risks: dict[str, SupplierRisk] = {}
    for row in rows:
        _add_row(s, row, risks)
    _net(s)
    _add_books_only(s, purchase_rows)
    s.suppliers = sorted((r for r in risks.values() if r.amount),
                         key=lambda r: (-r.amount, r.gstin))
    return s


def _add_row(s: Summary, row, risks: dict) -> None:
    rec = row.record
    s.records += 1
    s.problems += bool(row.problems)
    act = effective_action(row)
    s.by_action[act] = s.by_action.get(act, 0) + 1
    if row.decision.action is None and (row.portal.action or "N") == "N":
        s.to_act += 1
    key, amounts = outcome_of(row)
    for h in HEADS:
        s.outcomes[key][h] += amounts[h]
    amounts = {h: getattr(rec, h) for h in HEADS}
    label = status_label(row.get("status"))
    s.by_status.setdefault(label, Tally()).add(rec.taxable, amounts)
    s.by_section.setdefault(rec.sec.label, Tally()).add(rec.taxable, amounts)
    _add_risk(risks, row, label)


def _net(s: Summary) -> None:
    o = s.outcomes
    for h in HEADS:
        o["net"][h] = o["accepted"][h] + o["no_action"][h] - o["cn_reduction"][h]


def _add_risk(risks: dict, row, label: str) -> None:
    """Credit notes put no ITC at risk (they take it away), so only invoices and DNs count."""
    rec = row.record
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
    """Books documents the portal does not have: counted under their own status."""
    for r in purchase_rows:
        if _cell(r, "status") != BOOKS_ONLY:
            continue
        amounts = {h: _money(_cell(r, k)) for h, k in _P_HEADS.items()}
        s.by_status.setdefault(BOOKS_ONLY, Tally()).add(_money(_cell(r, "txval")), amounts)


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


# Sheet rows ------------------------------------------------------------------------------

def _f(d: Decimal) -> float:
    return float(round(d, 2)) + 0.0          # + 0.0: a reduction of nothing shows 0, not -0


def _heads_row(label: str, heads: dict, sign: int = 1) -> list:
    values = [_f(sign * heads[h]) for h in HEADS]
    return [label, *values, _f(sign * sum(heads.values(), ZERO))]


def _tally_rows(title: str, groups: dict) -> list:
    head = [title, "Records", "Taxable Value", *HEAD_LABELS.values(), "Tax"]
    rows: list[list[Any]] = [head]
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
        *_tally_rows("Match status", _ordered_status(s.by_status)),
        [],
        *_tally_rows("Section", s.by_section),
        [],
        *supplier_rows(s),
    ]
    if s.gone:
        rows += [[], *gone_rows(s.gone)]
    return rows


def _ordered_status(groups: dict) -> dict:
    order = list(STATUS_LABELS.values()) + [NOT_RECONCILED]
    return dict(sorted(groups.items(),
                       key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def supplier_rows(s: Summary, top: int = TOP_SUPPLIERS) -> list:
    rows: list[list[Any]]
    rows = [["Top suppliers by ITC at risk (mismatch, only in IMS, supplier not filed)"],
            ["Supplier GSTIN", "Supplier Name", "Records", "Mismatch", "Only in IMS",
             "Not filed", "ITC at risk"]]
    for r in s.suppliers[:top]:
        rows.append([r.gstin, r.name, r.records, r.mismatch, r.missing, r.not_filed,
                     _f(r.amount)])
    if not s.suppliers:
        rows.append(["No ITC at risk."])
    return rows


def gone_rows(gone) -> list:
    rows: list[list[Any]]
    rows = [["Pending last month, not in this download (filed, amended or expired)"],
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
    """{label: records} of one `_tally_rows` table: from its header to the next blank row."""
    start = next((i for i, r in enumerate(rows) if r and r[0] == title), None)
    counts = {}
    for r in rows[start + 1:] if start is not None else []:
        if not r:
            break
        counts[r[0]] = r[1]
    return counts


# Chart -----------------------------------------------------------------------------------

def chart_spec(s: Summary | None = None, rows: list | None = None) -> dict | None:
    """The chart for the Summary sheet: a stacked column of ITC by outcome per tax head.

    Cell references are 0-based (row, col) into the sheet holding `summary_rows(s)` from A1
    (or `rows`, when given: the writer may only have `WorkbookData.summary_rows`). `values`
    repeat the figures for a drawer that cannot use references. None when there is no table.
    """
    if rows is None:
        assert s is not None, "chart_spec needs the Summary or its rows"
        rows = summary_rows(s)
    top = next((i for i, r in enumerate(rows) if r and r[0] == OUTCOME_TITLE), None)
    if top is None:
        return None
    labels = {v: k for k, v in OUTCOMES.items()}
    series = []
    for i in range(top + 1, top + 1 + len(OUTCOMES)):
        key = labels.get(rows[i][0]) if i < len(rows) and rows[i] else None
        if key in CHART_OUTCOMES:
            series.append({"key": key, "name": rows[i][0], "name_cell": (i, 0),
                           "row": i, "first_col": 1, "last_col": len(HEADS),
                           "values": list(rows[i][1:1 + len(HEADS)]),
                           "colour": CHART_COLOURS[key]})
    return {"sheet": SHEET_SUMMARY, "type": "column", "subtype": "stacked",
            "title": "ITC by outcome per tax head", "y_axis": "Rs",
            "categories": {"row": top, "first_col": 1, "last_col": len(HEADS),
                           "values": list(HEAD_LABELS.values())},
            "series": series, "anchor": (1, len(HEADS) + 5),
            "size": {"width": 640, "height": 320}}


def insert_chart(workbook, worksheet, rows: list) -> None:
    """Draw `chart_spec(rows=rows)` with XlsxWriter on `worksheet` (the Summary sheet)."""
    spec = chart_spec(rows=rows)
    if spec is None:
        return
    chart = workbook.add_chart({"type": spec["type"], "subtype": spec["subtype"]})
    name = worksheet.get_name()
    cat = spec["categories"]
    for ser in spec["series"]:
        chart.add_series({
            "name": [name, *ser["name_cell"]],
            "categories": [name, cat["row"], cat["first_col"], cat["row"], cat["last_col"]],
            "values": [name, ser["row"], ser["first_col"], ser["row"], ser["last_col"]],
            "fill": {"color": ser["colour"]}, "gap": 60,
        })
    chart.set_title({"name": spec["title"]})
    chart.set_y_axis({"name": spec["y_axis"], "num_format": "#,##0"})
    chart.set_legend({"position": "bottom"})
    chart.set_size(spec["size"])
    worksheet.insert_chart(*spec["anchor"], chart)


# Command ---------------------------------------------------------------------------------

def summary_of_workbook(path, gone=()) -> Summary:
    from ..workbook.data import read_workbook
    from ..workbook.ims_sheet import read_ims_rows
    from ..progress import stage
    data = read_workbook(path)
    rows = read_ims_rows(data.ims_header, data.ims_rows)
    stage("Summing up")
    return compute(rows, data.purchase_rows, gone)


def to_json(s: Summary) -> dict:
    """The figures as a JSON-ready dict (amounts as `Decimal`: write with `upload.dumps`)."""
    def tally(groups):
        return {k: {"records": t.count, "taxable": t.taxable, **t.heads, "tax": t.tax}
                for k, t in groups.items()}
    return {
        "records": s.records, "to_act": s.to_act, "pending": s.pending,
        "problems": s.problems, "by_action": dict(s.by_action), "at_risk": s.at_risk,
        "itc": {k: {**v, "total": sum(v.values(), ZERO)} for k, v in s.outcomes.items()},
        "by_status": tally(s.by_status), "by_section": tally(s.by_section),
        "suppliers": [{"gstin": r.gstin, "name": r.name, "records": r.records,
                       "mismatch": r.mismatch, "missing_in_books": r.missing,
                       "not_filed": r.not_filed, "at_risk": r.amount}
                      for r in s.suppliers[:TOP_SUPPLIERS]],
        "gone": [g.key for g in s.gone],
    }


def summary_lines(workbook, as_json: bool = False):
    """`ims-xl summary`: the Summary figures as printable lines, or one line of JSON."""
    s = summary_of_workbook(workbook)
    if as_json:
        from ..portal.upload import dumps
        yield dumps(to_json(s))
        return
    yield from text_lines(s)


def text_lines(s: Summary):
    yield (f"{s.records:,} records; {s.to_act:,} without an action yet; {s.pending:,} "
           f"pending; ITC at risk {rupees(s.at_risk)}")
    if s.problems:
        yield f"{s.problems:,} row(s) have an unreadable Action or declared amount (run validate)"
    yield ""
    for r in outcome_rows(s):
        yield _line(r, 42)
    yield ""
    for r in _tally_rows("Match status", _ordered_status(s.by_status)):
        yield _line([r[0], r[1], r[-1]], 22)
    yield ""
    rows = supplier_rows(s)
    yield rows[0][0]
    for r in rows[2:]:
        yield f"  {r[0]:<17}{str(r[1])[:30]:<31}{_cell_text(r[-1]):>16}" if len(r) > 1 else \
            f"  {r[0]}"
    if s.gone:
        yield ""
        yield f"{len(s.gone)} record(s) pending last month are not in this download:"
        for g in s.gone:
            yield f"  {g.section} {g.supplier_gstin} {g.doc_number} {g.doc_date}"


def _line(cells: list, first: int) -> str:
    head, *rest = cells
    return f"{str(head):<{first}}" + "".join(f"{_cell_text(c):>16}" for c in rest)


def _cell_text(v) -> str:
    if isinstance(v, float):
        return rupees(v)
    return f"{v:,}" if isinstance(v, int) else str(v)[:15]
