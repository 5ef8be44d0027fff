"""`ims-xl summary`: a workbook's Summary figures as text or JSON."""

from __future__ import annotations

from ...model.document import ZERO
from ...model.rupees import rupees
from .calculate import compute
from .model import TOP_SUPPLIERS, Summary
from .rows import ordered_status, outcome_rows, supplier_rows, tally_rows

# Command ---------------------------------------------------------------------------------

def summary_of_workbook(path, gone=()) -> Summary:
    from ...progress import stage
    from ...workbook.data import read_workbook
    from ...workbook.ims_sheet import read_ims_rows
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
        from ...portal.upload import dumps
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
    for r in tally_rows("Match status", ordered_status(s.by_status)):
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
