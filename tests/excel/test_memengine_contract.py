"""The xlwings calls ims_xl makes, on the in-memory engine: an xlwings bump that changes any
of them (xlwings' `base_classes` is internal API) fails here first, loudly.

Each test names the ims_xl code that relies on the behaviour.
"""

from __future__ import annotations

import datetime as dt

import pytest
import xlwings as xw
from xlwings import base_classes as base

import memengine
from memengine import MemApp, new_book, select
from ims_xl.excel.actions import pinned_xlwings


@pytest.fixture
def wb():
    b = new_book(sheets=("IMS", "Home"))
    yield b
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller


def test_xlwings_is_the_pinned_version():
    # The workbook embeds this version's VBA; the fake is checked against this version.
    assert xw.__version__ == (pinned_xlwings() or xw.__version__) == "0.37.8"


@pytest.mark.parametrize("cls, members", [
    (base.App, ["screen_updating", "calculation", "display_alerts", "enable_events",
                "status_bar", "alert", "selection", "books", "pid"]),
    (base.Book, ["name", "fullname", "sheets", "app", "names"]),
    (base.Sheets, ["__call__", "__len__", "__iter__", "active", "add"]),
    (base.Sheet, ["name", "book", "index", "range", "cells", "used_range", "clear_contents",
                  "autofit", "visible"]),
    (base.Range, ["coords", "row", "column", "shape", "__len__", "raw_value", "end",
                  "get_address", "address", "number_format", "clear_contents", "autofit",
                  "conditional_formats", "__call__", "max_cells_per_read",
                  "max_cells_per_write", "expand", "has_array"]),
    (base.Names, ["__call__", "contains", "__len__", "add", "snapshot"]),
    (base.Name, ["name", "refers_to", "refers_to_range", "delete"]),
    (base.ConditionalFormats, ["add_custom", "clear"]),
])
def test_base_classes_still_have_what_the_fake_implements(cls, members):
    missing = [m for m in members if not hasattr(cls, m)]
    assert missing == []


def test_a_mem_book_is_a_genuine_xlwings_book(wb):
    assert type(wb) is xw.Book
    assert wb.name == "IMS_Reconciler.xlsm"
    assert wb.fullname == "IMS_Reconciler.xlsm"
    assert new_book(folder="/tmp/x").fullname == "/tmp/x/IMS_Reconciler.xlsm"
    assert type(wb.sheets["IMS"]) is xw.Sheet
    assert type(wb.sheets["IMS"]["A1"]) is xw.Range
    assert wb.app.engine.name == "mem"


def test_mock_caller_round_trip(wb):
    # ribbon._run: xw.Book.caller() inside the call.
    wb.set_mock_caller()
    assert xw.Book.caller() == wb
    assert xw.Book.caller().impl is wb.impl


def test_value_2d_and_the_one_row_collapse(wb):
    # sheets.read_table: .expand().options(ndim=2).value
    s = wb.sheets["IMS"]
    s["A1"].value = [["Key", "Action"], ["k1", "Accept"]]
    assert s["A1"].expand().value == [["Key", "Action"], ["k1", "Accept"]]
    assert s["A2"].expand().value == ["k1", "Accept"]                     # collapsed
    assert s["A2"].expand().options(ndim=2).value == [["k1", "Accept"]]
    assert s["A2"].options(ndim=2).expand().value == ["k1", "Accept"]     # options dropped!
    assert s["A1"].expand("down").last_cell.row == 2


def test_table_edges_by_expand_right_and_ctrl_up_from_the_bottom(wb):
    # sheets.read_table: width from the header, height from the last value (gaps allowed).
    s = wb.sheets["IMS"]
    s["A1"].value = [["Section", "Key", "Raw"], ["B2B", "k1", "{}"], [None, "k2", "{}"],
                     ["B2B", None, "{}"]]
    assert s.range((1, 1)).expand("right").shape == (1, 3)
    assert s.range((1_048_576, 1)).end("up").row == 4
    assert s.range((1_048_576, 2)).end("up").row == 3
    assert s.range((1_048_576, 9)).end("up").row == 1          # an empty column
    assert s["A1"].expand().shape == (2, 3)                     # expand() stops at the gap
    assert s.range((1, 1), (4, 3)).options(ndim=2).value[3] == ["B2B", None, "{}"]


def test_an_empty_table_reads_as_one_empty_cell(wb):
    assert wb.sheets["IMS"]["A1"].expand().options(ndim=2).value == [[None]]


def test_numbers_dates_and_empties_come_back_as_excel_gives_them(wb):
    s = wb.sheets["IMS"]
    s["A1"].value = [[1, 2.5, None, "", dt.date(2026, 3, 5), True]]
    assert s["A1:F1"].value == [1.0, 2.5, None, None, dt.datetime(2026, 3, 5), True]


def test_strings_in_general_cells_are_typed_like_excel(wb):
    # Why sheets.py sets "@" first: Excel would eat digits, dates and formulas.
    s = wb.sheets["IMS"]
    s["A1"].value = [["1234567890123456", "05-03-2026", "=A2", "-x", "007", "'=y"]]
    got = s["A1:F1"].value
    assert got[0] == 1234567890123460.0
    assert got[1] == dt.datetime(2026, 3, 5)
    assert got[2] is None and got[3] is None              # formula errors
    assert got[4] == 7.0
    assert got[5] == "=y"


def test_text_format_keeps_strings_as_typed(wb):
    s = wb.sheets["IMS"]
    s["A:B"].number_format = "@"
    s["A1"].value = [["1234567890123456", "=SUM(A1)"]]
    assert s["A1:B1"].value == ["1234567890123456", "=SUM(A1)"]
    assert s["A5"].number_format == "@"
    assert s["C1"].number_format == "General"


def test_ranges_by_tuple_letters_and_columns(wb):
    s = wb.sheets["IMS"]
    assert s.range((2, 3)).address == "$C$2"
    assert s.range((2, 1), (5, 3)).address == "$A$2:$C$5"
    assert s.range("A:C").shape == (1_048_576, 3)
    assert s.range((2, 1), (1_048_576, 3)).shape == (1_048_575, 3)


def test_clear_contents_of_a_range_and_a_sheet(wb):
    s = wb.sheets["IMS"]
    s["A1"].value = [[1, 2], [3, 4], [5, 6]]
    s.range((2, 1), (1_048_576, 2)).clear_contents()
    assert s["A1"].expand().options(ndim=2).value == [[1.0, 2.0]]
    s.clear_contents()
    assert s["A1"].value is None


def test_sheets_add_hide_and_the_contains_trap(wb):
    # sheets.sheet(): looks names up by iterating, because `in` is always False on Windows.
    assert "IMS" not in wb.sheets
    assert wb.sheet_names == ["IMS", "Home"]
    new = wb.sheets.add("_Undo", after=wb.sheets[len(wb.sheets) - 1])
    new.visible = False
    assert wb.sheet_names == ["IMS", "Home", "_Undo"]
    assert not wb.sheets["_Undo"].visible


def test_names_and_refers_to_range(wb):
    # sheets.read_paths / write_paths: the hidden cell named ImsXlPaths.
    assert "ImsXlPaths" not in wb.names
    wb.names.add("ImsXlPaths", "=Home!$Z$1")
    assert "ImsXlPaths" in wb.names
    cell = wb.names["ImsXlPaths"].refers_to_range
    cell.value = "C:\\a.json\nC:\\b.json"
    assert wb.sheets["Home"]["Z1"].value == "C:\\a.json\nC:\\b.json"
    assert wb.names["ImsXlPaths"].refers_to == "=Home!$Z$1"


def test_app_properties_status_bar_and_alert(wb):
    # sheets.busy / sheets.alert / ribbon._run.
    app = memengine.app_of(wb)
    with wb.app.properties(screen_updating=False, calculation="manual"):
        assert app._props["screen_updating"] is False
        assert wb.app.calculation == "manual"
        wb.app.status_bar = "working"
    assert app._props["screen_updating"] is True and wb.app.calculation == "automatic"
    wb.app.status_bar = False
    assert app.status_history == ["working", False]
    app.responses.append("cancel")
    assert wb.app.alert("Sure?", title="IMS Reconciler", buttons="ok_cancel",
                        mode="critical") == "cancel"
    assert app.alerts == [{"prompt": "Sure?", "title": "IMS Reconciler",
                           "buttons": "ok_cancel", "mode": "critical"}]


def test_selection(wb):
    # sheets.selected_rows.
    assert wb.selection is None
    select(wb, "IMS", "B3:C7")
    rng = wb.selection
    assert (rng.sheet.name, rng.row, rng.shape) == ("IMS", 3, (5, 2))


def test_conditional_format_rule(wb):
    # sheets.colour_statuses: one rule per label, never a colour per row.
    rng = wb.sheets["IMS"]["F2:F100"]
    rng.conditional_formats.add_custom('=$F2="Matched"', fill_color="#C6EFCE")
    assert len(rng.conditional_formats) == 1
    rng.conditional_formats.clear()
    assert len(rng.conditional_formats) == 0


def test_autofit_is_counted_and_does_nothing(wb):
    app = memengine.app_of(wb)
    app.reset_counts()
    wb.sheets["IMS"].autofit()
    wb.sheets["IMS"]["A:B"].autofit()
    assert app.calls["format"] == 2


def test_used_range(wb):
    s = wb.sheets["IMS"]
    assert s.used_range.address == "$A$1"
    s["B2"].value = [[1, 2], [3, 4]]
    assert s.used_range.address == "$B$2:$C$3"


def test_xlwings_chunks_big_writes_itself():
    # Why the round-trip tests switch the budget off: past 100,000 cells xlwings splits a
    # write into row chunks on its own (any engine); that is xlwings' transport, not ours.
    wb = new_book(sheets=("IMS",))
    app = memengine.app_of(wb)
    app.reset_counts()
    wb.sheets["IMS"]["A1"].value = [[i, i] for i in range(60_000)]
    assert app.calls["write"] == 2
    quiet = new_book(sheets=("IMS",), app=MemApp(max_cells_per_write=None))
    app = memengine.app_of(quiet)
    app.reset_counts()
    quiet.sheets["IMS"]["A1"].value = [[i, i] for i in range(60_000)]
    assert app.calls["write"] == 1


def test_every_value_call_is_a_counted_round_trip(wb):
    app = memengine.app_of(wb)
    app.reset_counts()
    s = wb.sheets["IMS"]
    s["A1"].value = [["a"], ["b"], ["c"]]
    s["A1:A3"].value
    s["A:A"].number_format = "@"
    assert (app.calls["write"], app.calls["read"], app.calls["format"]) == (1, 1, 1)


def test_book_from_file_reads_values_names_and_hidden_sheets(tmp_path):
    import xlsxwriter
    path = tmp_path / "t.xlsx"
    x = xlsxwriter.Workbook(str(path))
    home = x.add_worksheet("Home")
    home.write_string("B4", "Recipient GSTIN")
    home.write_number("C6", 1)
    hidden = x.add_worksheet("_Undo")
    hidden.hide()
    x.define_name("ImsXlPaths", "=Home!$Z$1")
    x.close()
    wb = memengine.book_from_file(path)
    assert wb.sheet_names == ["Home", "_Undo"]
    assert not wb.sheets["_Undo"].visible
    assert wb.sheets["Home"]["B4"].value == "Recipient GSTIN"
    assert wb.sheets["Home"]["C6"].value == 1.0
    assert wb.names["ImsXlPaths"].refers_to_range.address == "$Z$1"


# The strict Excel (issue 12): each fact below is what xlwings' desktop engines do -----------

def test_len_and_bool_of_a_range_are_com_count_which_overflows(wb):
    # _xlwindows.Range.__len__ is `self.xl.Count` (a Long); base.Range has no __bool__, so
    # main.App.selection / main.Book.selection (`if self.impl.selection`) ask Count too.
    s = wb.sheets["IMS"]
    assert len(s.range("A:A")) == 1_048_576
    assert bool(s.range("A:B"))
    with pytest.raises(memengine.MemComError, match="Overflow"):
        len(s.cells)                                   # 17 billion cells
    with pytest.raises(memengine.MemComError, match="Overflow"):
        bool(s.range("A:XFD"))
    select(wb, "IMS", "1:1048576")                     # Ctrl+A, the whole sheet
    with pytest.raises(memengine.MemComError, match="Overflow"):
        wb.selection
    assert bool(s.cells.api)                           # the COM object itself is truthy


def test_a_ctrl_click_selection_has_areas_and_the_first_one_answers(wb):
    # COM Range.Address lists every area; Row, Rows.Count and Value are the first area's
    # (_xlwindows.Range.coords, _xlmac.Range.coords on the address of `selection`).
    s = wb.sheets["IMS"]
    s["A1"].value = [[f"r{i}"] for i in range(1, 11)]
    select(wb, "IMS", "A2:A3,A7:A9")
    rng = wb.selection
    assert rng.address == "$A$2:$A$3,$A$7:$A$9"
    assert (rng.row, rng.shape) == (2, (2, 1))
    assert rng.value == ["r2", "r3"]
    assert len(rng) == 5
    assert [a.address for a in rng.get_special_cells("visible")] == ["$A$2:$A$3", "$A$7:$A$9"]
    assert s.range("B2:B3,D5").address == "$B$2:$B$3,$D$5"


def test_hidden_rows_end_up_and_used_range(wb):
    # Range.End (_xlwindows.Range.end / _xlmac.Range.end) is Ctrl+Up: on a filtered sheet it
    # stops at the last *visible* value; UsedRange does not care about filters.
    s = wb.sheets["IMS"]
    s["A1"].value = [[f"r{i}"] for i in range(1, 11)]
    memengine.hide_rows(wb, "IMS", [8, 9, 10])
    assert s.range((1_048_576, 1)).end("up").row == 7
    assert s.used_range.last_cell.row == 10
    assert s.range("A8:A10").rows.hidden is True
    assert s.range("A6:A10").rows.hidden is None
    assert [a.address for a in s.range("A5:A10").get_special_cells("visible")] == ["$A$5:$A$7"]
    s.range("A3:A4").rows.hidden = True
    assert [a.address for a in s.range("A1:A10").get_special_cells("visible")] == [
        "$A$1:$A$2", "$A$5:$A$7"]


def test_used_range_does_not_shrink_when_cells_are_cleared(wb):
    # Excel keeps cleared cells in UsedRange until the file is saved and reopened.
    s = wb.sheets["IMS"]
    s["A1"].value = [[i] for i in range(20)]
    s.range("A5:A20").clear_contents()
    assert s.used_range.last_cell.row == 20
    s["C30:C31"].number_format = "@"                   # formatted cells count too
    assert s.used_range.last_cell.row == 31


def test_one_transfer_is_limited_in_bytes_like_an_apple_event():
    # _xlmac.Range.max_cells_per_read: "The cap is in bytes, not cells, so a text-heavy
    # range can still hit it and needs a smaller explicit chunksize."
    wb = new_book(sheets=("IMS",), max_bytes_per_transfer=100_000)
    s = wb.sheets["IMS"]
    s["A:A"].number_format = "@"
    rows = [["x" * 1000] for _ in range(60)]           # ~121 KB
    with pytest.raises(memengine.MemComError, match="-1741"):
        s["A1"].value = rows
    s["A1"].options(chunksize=30).value = rows
    with pytest.raises(memengine.MemComError, match="-1741"):
        s["A1:A60"].value
    assert s["A1:A60"].options(chunksize=20).value == [r[0] for r in rows]
    assert memengine.transfer_bytes([["ab", 1.0]]) == 16 + 4 + 16


def test_a_conditional_format_formula_is_read_for_the_active_cell(wb):
    # FormatConditions.Add (_xlwindows.ConditionalFormats.add_custom, _xlmac's `make new
    # format condition`) takes relative references from the active cell, not the range.
    s = wb.sheets.add("New")                           # a new sheet: A1 is active
    s["F2:F10"].conditional_formats.add_custom('=$F2="Matched"', fill_color="#C6EFCE")
    assert memengine.rule_formula_at(wb, "New", 5, 6) == ['=$F6="Matched"']
    s["F2:F10"].conditional_formats.clear()
    s["F2"].select()
    s["F2:F10"].conditional_formats.add_custom('=$F2="Matched"', fill_color="#C6EFCE")
    assert memengine.rule_formula_at(wb, "New", 5, 6) == ['=$F5="Matched"']
    with pytest.raises(memengine.MemComError):
        wb.sheets["IMS"]["A1"].select()                # not the active sheet


@pytest.mark.parametrize("text, typed", [
    ("@Home", None), ("+91 Traders", None), ("=x", None), ("-x", None),
    ("May 2026", dt.datetime(2026, 5, 1)), ("5 May 2026", dt.datetime(2026, 5, 5)),
    ("1-2", dt.datetime(dt.date.today().year, 2, 1)), ("3-2026", dt.datetime(2026, 3, 1)),
    ("007", 7.0), ("12345678901234567890", 12345678901234600000.0), ("TRUE", True),
    ("(120)", -120.0), ("Mayfair Traders", "Mayfair Traders"), ("B2B", "B2B")])
def test_general_cells_retype_text(wb, text, typed):
    s = wb.sheets["IMS"]
    s["A1"].value = text
    assert s["A1"].value == typed
    s["B1"].number_format = "@"
    s["B1"].value = text
    assert s["B1"].value == text


def test_a_message_box_while_screen_updating_is_off_fails(wb):
    # Excel would show it over a frozen, unpainted window.
    with wb.app.properties(screen_updating=False):
        with pytest.raises(memengine.MemComError, match="screen updating"):
            wb.app.alert("done", title="t", buttons="ok", mode="info")


def test_a_workbook_on_onedrive(wb):
    # _xlwindows.Book.fullname / _xlmac.Book.fullname turn an https:// FullName into a
    # local path with utils.fullname_url_to_local_path, which raises when it cannot.
    memengine.mem(wb)._fullname = "https://d.docs.live.net/abc/IMS_Reconciler.xlsm"
    assert wb.fullname.startswith("https://")
    memengine.mem(wb).fullname_error = xw.XlwingsError("Couldn't find your local OneDrive")
    with pytest.raises(xw.XlwingsError):
        wb.fullname
