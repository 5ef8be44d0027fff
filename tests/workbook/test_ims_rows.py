"""`ims_rows` (the month's fast layout) writes the same rows as `ims_row` record by record."""

from decimal import Decimal

from ims_xl.model.document import ImsRecord
from ims_xl.reconcile.result import MatchResult
from ims_xl.workbook.ims_sheet import ims_row, ims_rows


def _record(n: int, **kw) -> ImsRecord:
    raw = {"stin": "27AAAAA0000A1Z5", "inum": f"INV{n}", "val": Decimal("118.00"), "camt": 0,
           "note": 'say "hi" & <bye>\n', "x": None, "flag": True}
    return ImsRecord("b2b", "27AAAAA0000A1Z5", f"INV{n}", "01-03-2026", raw,
                     supplier_name="A & B", value=Decimal("118.00"), taxable=Decimal("100"),
                     igst=Decimal("18"), cgst=Decimal("-0"), return_period="032026", **kw)


def test_same_rows_as_ims_row_for_every_kind_of_record():
    records = [_record(1), _record(2, declared={"igst": Decimal("5.5")}, action="A"),
               _record(3, pending_blocked=True, itc_blocked=True, remarks="late",
                       itc_red_req="Y", error_msg="bad"),
               _record(4, action=None)]
    records[3].raw = {"nested": {"a": [1, Decimal("2.50")]}, "nan": Decimal("NaN")}
    results = [MatchResult("matched", [7, 9], "A", "same", {"igst": (1, 2)}, runner_up="r"),
               MatchResult("odd-status", [], None),
               None,
               MatchResult("missing_in_books", suggested_action="P", suggested_remarks="ask")]
    pairs = list(zip(records, results))
    # repr: -0.0 and 0.0, 1 and 1.0 compare equal but are written differently
    assert repr(ims_rows(pairs)) == repr([ims_row(rec, m) for rec, m in pairs])
    assert ims_rows([]) == []
