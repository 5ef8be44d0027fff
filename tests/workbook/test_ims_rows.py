"""The positional layout (`ims_rows`, and `ims_row` when nothing is typed) writes the same
rows as the layout by column key (`_row_by_key`, which also handles typed decisions)."""

from decimal import Decimal

from ims_xl.model.document import ImsRecord
from ims_xl.reconcile.result import MatchResult
from ims_xl.workbook.ims_sheet import _row_by_key, ims_row, ims_rows


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
    by_key = [_row_by_key(rec, m, None, None, None) for rec, m in pairs]
    # repr: -0.0 and 0.0, 1 and 1.0 compare equal but are written differently
    assert repr(ims_rows(pairs)) == repr(by_key)
    assert repr([ims_row(rec, m) for rec, m in pairs]) == repr(by_key)
    assert ims_rows([]) == []


def test_cells_handed_in_land_in_their_columns_as_by_key():
    """The merge refills a kept row with the user's cells (`extra`), blank or odd ones too."""
    rec = _record(5, declared={"cgst": Decimal("1")})
    extra = {"action": "Reject", "remarks": None, "decl_igst": "12,5x", "status": "Matched",
             "upload_status": "Uploaded 01-04-2026", "link": 7.0, "not_a_column": "x"}
    for result in (None, MatchResult("matched", [3])):
        assert repr(ims_row(rec, result, extra=extra)) == \
            repr(_row_by_key(rec, result, None, None, extra))


def test_untyped_cells_are_those_of_the_laid_out_row():
    """Carrying work onto a new record takes `untyped_cells` instead of laying out its row."""
    from ims_xl.workbook.ims_sheet import _KEYS, untyped_cells
    records = [_record(1), _record(2, declared={"igst": Decimal("5.5"), "cess": Decimal("-0")}),
               _record(3, remarks="late", itc_red_req="Y", error_msg="bad", action="R")]
    for rec in records:
        row = dict(zip(_KEYS, ims_row(rec)))
        cells = untyped_cells(rec)
        assert repr(cells) == repr({k: row[k] for k in cells})
    assert set(cells) == {c for c in _KEYS if c.startswith("decl_")} | {
        "action", "remarks", "link", "itc_red_req", "validation", "portal_error", "upload_status"}


def test_the_columns_written_ahead_are_those_of_the_rows_and_write_the_same_xml():
    """The IMS sheet's process lays out records without results column by column
    (`ims_columns`); the cells, their types and the XML are those of `ims_rows`."""
    from itertools import repeat

    from ims_xl.workbook.build.sheetdata import Columns, rows_with_gaps, rows_xml, widest
    from ims_xl.reconcile.columns import AMOUNTS, ims_side
    from ims_xl.workbook.ims_sheet import _KEYS, ims_columns
    odd = [_record(1), _record(2, declared={"igst": Decimal("5.5")}, action="A"),
           _record(3, pending_blocked=True, itc_blocked=True, remarks="late",
                   itc_red_req="Y", error_msg="bad", pos="07", orig_doc_number="I0"),
           _record(4, action=None, remarks_blocked=True)]
    odd[3].raw = {"nested": {"a": [1, Decimal("2.50")]}, "nan": Decimal("NaN")}
    plain = [_record(n, action="RPA"[n % 3], supplier_filed=bool(n % 2)) for n in range(7)]
    for records in (odd, plain, odd[:1]):
        rows = ims_rows(zip(records, repeat(None)))
        columns = ims_columns(records)
        assert repr(columns) == repr([list(column) for column in zip(*rows)])
        side = ims_side(records)            # its floats, as the IMS sheet's process uses them
        floats = {h: side[h].tolist() for h in AMOUNTS}
        assert repr(ims_columns(records, None, floats)) == repr(columns)
        styles, numeric = [""] * len(_KEYS), [k in ("val", "txval") for k in _KEYS]
        gaps = {_KEYS.index("status"), _KEYS.index("runner_up")}
        assert list(rows_with_gaps(Columns(columns), styles, numeric, gaps, batch=3)) == \
            list(rows_with_gaps(rows, styles, numeric, gaps, batch=3))
        assert list(rows_xml(Columns(columns), styles, numeric, batch=3)) == \
            list(rows_xml(rows, styles, numeric, batch=3))
        assert widest(Columns(columns)) == widest(rows) == len(_KEYS)
    assert ims_columns([]) == []                   # no records, no columns: zip(*[])
