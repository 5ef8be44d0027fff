"""`read_ims_rows` builds plain records in one step per section (`download.plain_reader`) and
leaves the rest to `record_from_raw` row by row: the same rows, and the same first error, as
reading every row with `record_from_raw`."""

import dataclasses
import json

import pytest

from ims_xl.portal.download import parse_document
from ims_xl.testdata.generate import make_case
from ims_xl.workbook import ims_sheet
from ims_xl.workbook.ims_sheet import _sheet_row, column_positions, ims_row, read_ims_rows
from ims_xl.workbook.layout import FIRST_ROW, IMS_COLUMNS, headers

HEADER = headers(IMS_COLUMNS)
_AT = {c.key: i for i, c in enumerate(IMS_COLUMNS)}


def _row_by_row(header, rows):
    """Every row through `record_from_raw` (what `read_ims_rows` did before)."""
    pos = column_positions(header)
    out = []
    for n, values in enumerate(rows, FIRST_ROW):
        cells = {k: (values[i] if i < len(values) else None) for k, i in pos.items()}
        key = ims_sheet.cell_text(cells.get("key"))
        if key:
            out.append(_sheet_row(n, cells, key))
    return out


def _seen(rows):
    """A row as the rest of the program sees it: every field of the record (its raw's values
    compare equal: an integer is a Decimal in one step, an int row by row), the decision,
    the portal state, the cells and the problems."""
    return [(r.row, repr(dataclasses.replace(r.record, raw={})), r.record.raw, repr(r.decision),
             repr(r.portal), r.cells, r.problems) for r in rows]


def _rows():
    case = make_case(120, seed=7)
    rows = [ims_row(rec) for rec in parse_document("gen.json", case.download).records]
    odd = {                      # raws neither reader path sees in a download of ours
        0: {"inum": 123},                                       # a number where text goes
        1: {"iamt": -0, "camt": 5, "cess": 10 ** 20},           # integers, -0 among them
        2: {"rtnTyp": "R1", "srcform": None},                   # an alias
        3: {"itcRedReq": "Y", "decl_iamt": "12.5"},             # a declaration
        4: {"pos": 27, "ispendactblocked": True},               # odd types, no error
        5: {"nested": {"a": [1, 2.5]}},
        6: {"val": "1,000.50"},                                 # an amount as text
    }
    for i, change in odd.items():
        raw = json.loads(rows[i][_AT["raw"]])
        raw.update(change)
        rows[i][_AT["raw"]] = json.dumps(raw).replace('"iamt": 0', '"iamt": -0')
    rows[7][_AT["action"]] = "Acept"
    rows[8][_AT["decl_igst"]] = "1,2x"
    rows.insert(9, [""] * len(HEADER))                          # a blank line
    return rows


def test_the_same_rows_as_reading_each_row_with_record_from_raw():
    rows = _rows()
    fast, slow = read_ims_rows(HEADER, rows), _row_by_row(HEADER, rows)
    assert len(fast) == len(rows) - 1
    assert _seen(fast) == _seen(slow)
    moved = list(reversed(range(len(HEADER))))
    header = [HEADER[i] for i in moved] + ["My notes"]
    shuffled = [[r[i] if i < len(r) else "" for i in moved] + ["x"] for r in rows]
    assert _seen(read_ims_rows(header, shuffled)) == _seen(slow)


@pytest.mark.parametrize("edits", [
    {5: ("raw", '{"stin": "27AAAAA0000A1Z5"}'), 7: ("raw", "{not json")},  # a record, then JSON
    {5: ("raw", "{not json"), 7: ("key", "xyz|1")},                       # JSON, then the key
    {5: ("key", "xyz|1"), 7: ("raw", "[1, 2]")},
    {5: ("portal_state", "{"), 6: ("raw", '{"inum": true}')},
    {5: ("raw", '{"inum": "A", "stin": "B", "idt": "C", "val": true}')},
    {5: ("raw", "[" * 100_000)},                                          # too deep to parse
])
def test_the_same_first_error(edits):
    rows = _rows()
    for i, (key, text) in edits.items():
        rows[i][_AT[key]] = text
    errors = []
    for read in (read_ims_rows, _row_by_row):
        with pytest.raises(Exception) as e:
            read(HEADER, rows)
        errors.append((type(e.value), str(e.value)))
    assert errors[0] == errors[1]


def _typed_as_before(cells):
    """`ims_sheet._typed` before it read each distinct row of text cells once."""
    from decimal import Decimal, InvalidOperation
    from ims_xl.model import action as actions
    from ims_xl.model.document import HEADS, Decision
    problems = []
    try:
        action = actions.code_of(cells.get("action"))
    except ValueError as e:
        action = None
        problems.append(("action", str(e)))
    declared = {}
    for h in HEADS:
        v = cells.get(f"decl_{h}")
        if v in (None, ""):
            continue
        try:
            declared[h] = Decimal(str(v).replace(",", "").strip())
        except InvalidOperation:
            problems.append((f"decl_{h}", f"declared amount {v!r} is not a number"))
    return Decision(action, ims_sheet.cell_text(cells.get("remarks")),
                    ims_sheet.cell_text(cells.get("itc_red_req")).upper()[:1], declared), problems


def test_typed_cells_read_as_each_row_was_read_alone():
    """Rows of text cells are read once per distinct row: equal cells of other types (1, 1.0,
    True) are still read as themselves, and no two rows share a decision's amounts."""
    from ims_xl.workbook.ims_sheet import RowCells, _typed, sheet_rows_typed
    values = [None, "", "A", " accept ", "Acept", 1, 1.0, True, 12.0, "1,000.5", "x", " y "]
    rows = []
    for key in ("action", "remarks", "itc_red_req", "decl_igst"):
        for v in values:
            cells = dict.fromkeys(["action", "remarks", "itc_red_req", "decl_igst", "decl_cgst",
                                   "decl_sgst", "decl_cess"])
            cells[key] = v
            rows.append(cells)
    for cells in rows + rows:
        assert repr(_typed(cells)) == repr(_typed_as_before(cells))
    first, again = _typed(rows[-3]), _typed(rows[-3])          # 1,000.5 declared
    assert first[0].declared == again[0].declared and first[0].declared is not again[0].declared
    laid = [[cells.get(c.key, "") for c in IMS_COLUMNS] for cells in rows]
    records = [parse_document("gen.json", make_case(1, seed=3).download).records[0]] * len(laid)
    assert [repr((r.decision, r.problems)) for r in sheet_rows_typed(records, laid)] == \
        [repr(_typed_as_before(RowCells(row))) for row in laid]
