"""ims_xl.excel.sheets: whole blocks in, whole blocks out, text stays text."""

from __future__ import annotations

import pytest

import memengine
from memengine import MemApp, new_book, select
from ims_xl.model.errors import WorkbookError
from ims_xl.excel import sheets
from ims_xl.workbook.layout import (IMS_COLUMNS, LOG_COLUMNS, PURCHASE_COLUMNS, SHEET_HOME,
                                    SHEET_IMS, SHEET_LOG, SHEET_PURCHASE, Column, index_of)

COLS = (Column("num", "Document No"), Column("amt", "Amount", "money"),
        Column("note", "Remarks"), Column("act", "Action"))


@pytest.fixture
def wb():
    return new_book(sheets=("Sheet1",))


def trips(wb) -> int:
    return memengine.app_of(wb).round_trips


def test_read_table_of_a_missing_empty_header_only_one_row_and_many_row_sheet(wb):
    assert sheets.read_table(wb, "Nope").header == []
    sheets.sheet(wb, "T")
    assert sheets.read_table(wb, "T").header == []
    sheets.sheet(wb, "H", COLS)
    t = sheets.read_table(wb, "H")
    assert (t.header, t.rows) == (["Document No", "Amount", "Remarks", "Action"], [])
    sheets.write_table(wb, "H", COLS, [["INV1", 10, "ok", "Accept"]])
    assert sheets.read_table(wb, "H").rows == [["INV1", 10.0, "ok", "Accept"]]  # not 1-D
    sheets.write_table(wb, "H", COLS, [["A", 1, None, None], ["B", 2, "x", None]])
    assert sheets.read_table(wb, "H").rows == [["A", 1.0, None, None], ["B", 2.0, "x", None]]


def test_write_table_keeps_16_digit_numbers_dates_and_formula_like_text(wb):
    rows = [["2025000000001234", 5, "=SUM(A1)", "-"], ["05-03-2026", 6, "+91 call", "@x"]]
    sheets.write_table(wb, "H", COLS, rows)
    got = sheets.read_table(wb, "H").rows
    assert got == [["2025000000001234", 5.0, "=SUM(A1)", "-"],
                   ["05-03-2026", 6.0, "+91 call", "@x"]]


def test_write_table_is_constant_calls_and_leaves_nothing_stale(wb):
    counts = []
    for n in (500, 3):
        before = trips(wb)
        sheets.write_table(wb, "H", COLS, [[f"I{i}", i, "", ""] for i in range(n)])
        counts.append(trips(wb) - before)
    assert sheets.read_table(wb, "H").rows == [[f"I{i}", float(i), None, None]
                                               for i in range(3)]
    assert wb.sheets["H"]["A5"].value is None
    assert counts[1] == counts[0] - 1       # the second call skips adding the sheet


def test_write_updates_one_write_per_run_of_adjacent_columns(wb):
    sheets.write_table(wb, "H", COLS, [[f"I{i}", i, "", ""] for i in range(100)])
    t = sheets.read_table(wb, "H")
    app = memengine.app_of(wb)
    app.reset_counts()
    writes = sheets.write_updates(wb, t, {"note": {3: "n3", 50: "n50"}, "act": {4: "Reject"},
                                          "num": {2: "0000123"}}, COLS)
    assert writes == 2                          # Document No | Remarks+Action
    assert app.calls["write"] == 2
    got = sheets.read_table(wb, "H")
    assert got.rows[1][2:] == ["n3", None] and got.rows[2][2:] == [None, "Reject"]
    assert got.rows[0][0] == "0000123"          # leading zeros kept (text format first)
    assert got.rows[48][2] == "n50"
    assert t.rows == got.rows                   # the Table in memory was kept in step


def test_write_updates_past_the_last_row_and_unknown_column(wb):
    sheets.write_table(wb, "H", COLS, [["A", 1, "", ""]])
    t = sheets.read_table(wb, "H")
    sheets.write_updates(wb, t, {"act": {4: "Pending"}}, COLS)
    assert sheets.read_table(wb, "H").rows[-1] == [None, None, None, "Pending"]
    with pytest.raises(WorkbookError, match="no column"):
        sheets.write_updates(wb, sheets.Table("H", ["Document No"], [["A"]]),
                             {"act": {2: "x"}}, COLS)
    assert sheets.write_updates(wb, t, {"act": {}}, COLS) == 0


def test_columns_are_found_by_header_so_a_reordered_sheet_still_works(wb):
    sh = sheets.sheet(wb, "H")
    sh["A1"].value = [["Action", "Document No"], [None, "A"], [None, "B"]]
    t = sheets.read_table(wb, "H")
    sheets.write_updates(wb, t, {"act": {3: "Accept"}}, COLS)
    assert sheets.read_table(wb, "H").rows == [[None, "A"], ["Accept", "B"]]


def test_settings_read_as_one_block_and_written_as_text(wb):
    assert sheets.read_settings(wb)["DateWindowDays"] == 10      # no Home: defaults
    sheets.home(wb)
    app = memengine.app_of(wb)
    app.reset_counts()
    settings = sheets.read_settings(wb)
    assert app.calls["read"] == 1
    assert settings["ToleranceRupees"] == 1
    sheets.write_setting(wb, "ReturnPeriod", "032026")
    assert sheets.read_settings(wb)["ReturnPeriod"] == "032026"


def test_paths_cell(wb):
    with pytest.raises(WorkbookError, match="ImsXlPaths"):
        sheets.read_paths(wb)
    sheets.write_paths(wb, ["C:\\a b\\x.json", "C:\\y.zip"])
    assert sheets.read_paths(wb) == ["C:\\a b\\x.json", "C:\\y.zip"]
    assert wb.names["ImsXlPaths"].refers_to == "=Home!$Z$1"
    sheets.write_paths(wb, "")
    assert sheets.read_paths(wb) == []


def test_log_appends_below_the_last_row(wb):
    sheets.append_log(wb, "Import IMS", "12 records")
    sheets.append_log(wb, "Reconcile", "a", "b")
    t = sheets.read_table(wb, SHEET_LOG)
    assert t.header == [c.header for c in LOG_COLUMNS]
    assert [r[1:] for r in t.rows] == [["Import IMS", "12 records"], ["Reconcile", "a"],
                                       ["Reconcile", "b"]]


def test_snapshot_round_trip_keeps_keys_and_editable_columns(wb):
    header = [c.header for c in IMS_COLUMNS]
    row = [None] * len(IMS_COLUMNS)
    row[index_of(IMS_COLUMNS, "key")] = "b2b|X|1|032026"
    row[index_of(IMS_COLUMNS, "action")] = "Reject"
    row[index_of(IMS_COLUMNS, "remarks")] = "=not a formula"
    row[index_of(IMS_COLUMNS, "decl_cgst")] = 450.0
    sheets.snapshot(wb, sheets.Table(SHEET_IMS, header, [row]), "Apply Suggestions")
    step, snap = sheets.read_snapshot(wb)
    assert step == "Apply Suggestions"
    assert snap.header[:3] == ["Record Key", "Action", "Remarks"]
    assert snap.rows[0][:3] == ["b2b|X|1|032026", "Reject", "=not a formula"]
    assert 450.0 in snap.rows[0]
    assert not wb.sheets["_Undo"].visible


def test_selected_rows(wb):
    sheets.write_table(wb, SHEET_IMS, COLS, [["A", 1, "", ""]] * 5)
    t = sheets.read_table(wb, SHEET_IMS)
    assert sheets.selected_rows(wb, t) is None
    select(wb, SHEET_IMS, "C3:D4")
    assert sheets.selected_rows(wb, t) == {3, 4}
    select(wb, SHEET_IMS, "A1")                     # the header: not a data row
    assert sheets.selected_rows(wb, t) is None
    select(wb, SHEET_IMS, "D:D")                    # a whole column: every data row
    assert sheets.selected_rows(wb, t) == {2, 3, 4, 5, 6}
    sheets.home(wb)
    select(wb, SHEET_HOME, "C4")
    assert sheets.selected_rows(wb, t) is None


def test_busy_turns_screen_updating_off_and_hands_the_status_bar_back(wb):
    app = memengine.app_of(wb)
    with sheets.busy(wb, "working"):
        assert app._props["screen_updating"] is False
        assert app._props["calculation"] == "manual"
    assert app._props["screen_updating"] is True
    assert app._props["calculation"] == "automatic"
    assert app.status_history == ["working", False]


def test_missing_sheets_are_added_with_header_and_formats(wb):
    sheets.write_table(wb, SHEET_PURCHASE, PURCHASE_COLUMNS, [[1, "27AAA", "N", "0001"]])
    assert SHEET_PURCHASE in wb.sheet_names
    s = wb.sheets[SHEET_PURCHASE]
    assert s["D2"].value == "0001" and s["D2"].number_format == "@"
    assert s["G2"].number_format != "@"             # Taxable Value: money


def test_write_updates_on_ten_thousand_rows_is_the_same_number_of_calls():
    counts = []
    for n in (10, 10_000):
        wb = new_book(sheets=("Sheet1",), app=MemApp(max_cells_per_write=None,
                                                     max_cells_per_read=None))
        sheets.write_table(wb, "H", COLS, [[f"I{i}", i, "", ""] for i in range(n)])
        t = sheets.read_table(wb, "H")
        app = memengine.app_of(wb)
        app.reset_counts()
        sheets.write_updates(wb, t, {"note": {r: "x" for r in range(2, n + 2)},
                                     "act": {2: "Accept"}}, COLS)
        counts.append(app.round_trips)
    assert counts[0] == counts[1]
