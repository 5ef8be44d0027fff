"""Generated cases turned into IMS and Purchase sheet rows without the reconcile engine.

The truth from `generate.make_case` decides each record's Match Status, so the practice
features can be tested on their own; `test_end_to_end.py` runs them on the real pipeline.
"""

from __future__ import annotations

from ims_xl.workbook.data import WorkbookData
from ims_xl.model.document import Decision
from ims_xl.portal.download import parse_document
from ims_xl.workbook.layout import IMS_COLUMNS, PURCHASE_COLUMNS, headers
from ims_xl.reconcile.result import MATCHED, MISMATCH, MISSING, MatchResult, STATUS_LABELS
from ims_xl.workbook.ims_sheet import ims_row, read_ims_rows

FIRST_BOOKS_ROW = 2           # books file: header on row 1


def records(case):
    return parse_document("gen.json", case.download).records


def result_for(case, rec) -> MatchResult:
    idx, how = case.truth[rec.key]
    if idx is None:
        return MatchResult(MISSING, reason="not in books", suggested_action="P")
    book = case.books[idx]
    if how == "amount_diff":
        diff = {"taxable": (float(rec.taxable), abs(book["Taxable Value"]))}
        for head, col in (("igst", "IGST"), ("cgst", "CGST"), ("sgst", "SGST")):
            if float(getattr(rec, head)) != abs(book[col]):
                diff[head] = (float(getattr(rec, head)), abs(book[col]))
        return MatchResult(MISMATCH, [idx + FIRST_BOOKS_ROW], "R", "amounts differ", diff)
    return MatchResult(MATCHED, [idx + FIRST_BOOKS_ROW], "A", "same document")


def ims_lists(case, decide=None) -> list[list]:
    """IMS sheet rows; `decide(rec) -> Decision | None` sets the user's choices."""
    out = []
    for rec in records(case):
        decision = decide(rec) if decide else None
        out.append(ims_row(rec, result_for(case, rec), decision))
    return out


def sheet_rows(case, decide=None):
    return read_ims_rows(headers(IMS_COLUMNS), ims_lists(case, decide))


def purchase_lists(case) -> list[list]:
    """Purchase sheet rows; books rows no IMS record points at are Only in books."""
    paired = {idx for idx, _ in case.truth.values() if idx is not None}
    keys = [c.key for c in PURCHASE_COLUMNS]
    out = []
    for i, b in enumerate(case.books):
        kind = {"Purchase": "invoice", "Credit Note": "credit", "Debit Note": "debit"}[b["Type"]]
        cells = {"row": i + FIRST_BOOKS_ROW, "stin": b["GSTIN"], "name": b["Supplier"],
                 "doc_num": b["Bill No"], "doc_date": b["Bill Date"], "kind": kind,
                 "txval": abs(b["Taxable Value"]), "iamt": abs(b["IGST"]),
                 "camt": abs(b["CGST"]), "samt": abs(b["SGST"]), "cess": abs(b["Cess"]),
                 "val": abs(b["Invoice Value"]), "pos": b["Place of Supply"],
                 "status": STATUS_LABELS["matched"] if i in paired else
                 STATUS_LABELS["books_only"], "ims_row": "", "warnings": ""}
        out.append([cells[k] for k in keys])
    return out


def workbook_data(case, decide=None, settings=None) -> WorkbookData:
    return WorkbookData(settings=dict(settings or {"RecipientGSTIN": case.recipient,
                                                   "ReturnPeriod": "032026"}),
                        ims_rows=ims_lists(case, decide), purchase_rows=purchase_lists(case))


def decide_by(actions: dict):
    """Decision factory: action per section kind (or None), e.g. {"credit": "A"}."""
    def decide(rec):
        a = actions.get(rec.sec.kind)
        return Decision(a, "", rec.itc_red_req, dict(rec.declared)) if a else None
    return decide
