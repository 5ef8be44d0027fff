"""What real Excel does that a kind engine would not (issue 12): each test fails on the code
before the fix, under the strict in-memory engine (see test_memengine_contract)."""

from __future__ import annotations

import json

import pytest
import xlwings as xw

import memengine
from xlbench import Month, alerts, click, column, fresh_book, last_alert, table
from ims_xl.excel import sheets
from ims_xl.workbook.layout import IMS_COLUMNS, SHEET_IMS, SHEET_SUMMARY, STATUS_COLOURS, index_of

KEY = "Record Key"


def bugs(book) -> list[str]:
    return [a["prompt"] for a in alerts(book) if "Something went wrong" in a["prompt"]]


@pytest.fixture
def reconciled(book, month):
    click(book, "import_ims", month.ims)
    click(book, "import_books", month.books)
    click(book, "reconcile")
    return book


def _suggested_rows(book) -> set[int]:
    t = table(book, SHEET_IMS)
    i = t.header.index("Suggested Action")
    return {t.first_row + n for n, r in enumerate(t.rows) if r[i]}


def _rows_with_action(book) -> set[int]:
    t = table(book, SHEET_IMS)
    i = t.header.index("Action")
    return {t.first_row + n for n, r in enumerate(t.rows) if r[i]}


# 2. Apply Suggestions and the selection --------------------------------------------------

def test_apply_suggestions_with_the_whole_sheet_selected(reconciled):
    book = reconciled
    memengine.select(book, SHEET_IMS, "1:1048576")           # Ctrl+A: 17 billion cells
    click(book, "apply_suggestions")
    assert bugs(book) == []
    assert _rows_with_action(book) == _suggested_rows(book)
    assert "selected" in last_alert(book)["prompt"]


def test_apply_suggestions_to_every_area_of_a_ctrl_click_selection(reconciled):
    book = reconciled
    want = sorted(_suggested_rows(book))
    a, b, c = want[1], want[2], want[6]
    memengine.select(book, SHEET_IMS, f"J{a}:J{b},C{c}")
    click(book, "apply_suggestions")
    assert bugs(book) == []
    assert _rows_with_action(book) == {a, b, c}


def test_apply_suggestions_skips_rows_a_filter_hides(reconciled):
    book = reconciled
    want = sorted(_suggested_rows(book))[:8]
    hidden = want[2:4]
    memengine.hide_rows(book, SHEET_IMS, hidden)
    memengine.select(book, SHEET_IMS, f"J{want[0]}:J{want[-1]}")
    click(book, "apply_suggestions")
    assert bugs(book) == []
    assert _rows_with_action(book) == set(want) - set(hidden)


def test_a_selection_below_the_table_applies_nothing(reconciled):
    book = reconciled
    last = table(book, SHEET_IMS).first_row + len(table(book, SHEET_IMS).rows)
    memengine.select(book, SHEET_IMS, f"A{last + 5}:A{last + 9}")
    click(book, "apply_suggestions")
    assert bugs(book) == []
    assert _rows_with_action(book) == _suggested_rows(book)   # as with no selection


# 3. AutoFilter and End(xlUp) -------------------------------------------------------------

def test_reimport_and_export_see_rows_a_filter_hides(book, month, tmp_path):
    click(book, "import_ims", month.ims)
    t = table(book, SHEET_IMS)
    n, key_at, action_at = len(t.rows), t.header.index(KEY), t.header.index("Action")
    last_three = range(t.first_row + n - 3, t.first_row + n)
    keys = [t.rows[r - t.first_row][key_at] for r in last_three]
    sh = book.sheets[SHEET_IMS]
    for r in last_three:
        sh.range((r, action_at + 1)).value = "Reject"
        sh.range((r, t.header.index("Remarks") + 1)).value = "wrong GSTIN"
    memengine.hide_rows(book, SHEET_IMS, last_three)          # filtered out, e.g. by Action
    click(book, "import_ims", month.ims)
    assert bugs(book) == []
    after = table(book, SHEET_IMS)
    assert len(after.rows) == n
    kept = {r[key_at]: r[action_at] for r in after.rows}
    assert [kept[k] for k in keys] == ["Reject"] * 3
    out = tmp_path / "upload.json"
    click(book, "export", out)
    assert bugs(book) == [] and last_alert(book)["mode"] == "info", last_alert(book)["prompt"]
    sent = json.loads(out.read_text(encoding="utf-8"))["invdata"]
    assert sum(len(v) for v in sent.values()) == 3


# 4. Large months on macOS: transfers sized by bytes --------------------------------------

def test_a_month_bigger_than_one_apple_event(tmp_path, monkeypatch):
    """A 400-row month with both byte budgets scaled down 40x: no transfer fails."""
    monkeypatch.setattr(sheets, "BYTES_PER_TRANSFER", 100_000)
    m = Month(tmp_path, 400)
    book = fresh_book(tmp_path, max_bytes_per_transfer=400_000)
    book.set_mock_caller()
    try:
        click(book, "import_ims", m.ims)
        click(book, "import_books", m.books)
        click(book, "reconcile")
        click(book, "validate")
        click(book, "import_ims", m.ims)
        app = memengine.app_of(book)
        assert [a["prompt"] for a in alerts(book) if a["mode"] == "critical"] == []
        # chunks are sized on the cells seen so far: a few may pass 100 KB, none 400 KB
        assert app.largest_transfer <= 400_000
        assert len(table(book, SHEET_IMS).rows) == 400
        app.reset_counts()
        table(book, SHEET_IMS)
        assert app.bytes_moved > 400_000                 # the sheet is more than one Event
    finally:
        del xw.Book._mock_caller


def test_rows_wider_than_one_transfer_go_in_column_bands(tmp_path, monkeypatch):
    """The hidden _Exports sheet keeps whole upload files (up to 4 MB of JSON) on one row."""
    monkeypatch.setattr(sheets, "BYTES_PER_TRANSFER", 10_000)
    book = memengine.new_book(sheets=("Wide",), max_bytes_per_transfer=40_000)
    sh = book.sheets["Wide"]
    sh["A:Z"].number_format = "@"
    rows = [[f"{r}-{c}-" + "x" * 4_000 for c in range(6)] for r in range(5)]
    sheets.write_rows(sh, (1, 1), rows)
    assert sheets.read_rows(sh, 1, 5, 6) == rows
    assert memengine.app_of(book).largest_transfer <= 10_000


# 5. Conditional formats on a new IMS sheet -----------------------------------------------

def test_status_colours_follow_their_own_row(bare_book, month):
    click(bare_book, "import_ims", month.ims)
    assert bugs(bare_book) == []
    col = index_of(IMS_COLUMNS, "status") + 1
    letter = memengine.col_letters(col)
    formulas = memengine.rule_formula_at(bare_book, SHEET_IMS, 5, col)
    assert len(formulas) == len(STATUS_COLOURS)
    assert all(f.startswith(f"=${letter}5=") for f in formulas), formulas


# 6. Text Excel would retype --------------------------------------------------------------

TRICKY_NAMES = ["@Home", "+91 Traders", "May 2026", "1-2", "=x", "007 Agencies", "0012"]


def test_summary_keeps_names_excel_would_retype(book, month):
    doc = json.loads(month.ims.read_text(encoding="utf-8"))
    names = {}
    for records in doc["imsDetails"].values():
        for r in records:
            r["tradenm"] = names.setdefault(r["stin"], TRICKY_NAMES[len(names) % len(TRICKY_NAMES)])
    month.ims.write_text(json.dumps(doc), encoding="utf-8")
    click(book, "import_ims", month.ims)
    click(book, "import_books", month.books)
    click(book, "reconcile")
    click(book, "summary")
    assert bugs(book) == []
    values = book.sheets[SHEET_SUMMARY].used_range.options(ndim=2).value
    head = next(n for n, r in enumerate(values) if r[:2] == ["Supplier GSTIN", "Supplier Name"])
    listed = [r for r in values[head + 1:] if r[0]]
    assert listed
    assert [r[1] for r in listed] == [names[r[0]] for r in listed]


# 7. Message boxes and OneDrive -----------------------------------------------------------

def test_statements_with_nothing_to_write_say_so(book, month):
    click(book, "import_ims", month.ims)
    t = table(book, SHEET_IMS)
    # Every record accepted and matched: no supplier has anything to explain.
    for header, value in (("Match Status", "Matched"),):
        i = t.header.index(header)
        book.sheets[SHEET_IMS].range((t.first_row, i + 1)).value = [[value]] * len(t.rows)
    click(book, "statements")
    assert bugs(book) == []
    assert "Nothing was written" in last_alert(book)["prompt"]


@pytest.mark.parametrize("where", ["url", "error"])
def test_a_workbook_opened_from_onedrive(reconciled, month, tmp_path, monkeypatch, where):
    book = reconciled
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    impl = memengine.mem(book)
    impl._fullname = "https://d.docs.live.net/5a1/Clients/IMS_Reconciler.xlsm"
    if where == "error":
        impl.fullname_error = xw.XlwingsError("Couldn't find your local OneDrive folder")
    click(book, "statements")
    assert bugs(book) == []
    prompt = last_alert(book)["prompt"]
    assert "OneDrive" in prompt and str(tmp_path / "home") in prompt
    assert any((tmp_path / "home").glob("Supplier statements */*.xlsx"))


def test_the_log_grows_below_rows_a_filter_hides(book, month):
    """Found on the way: the Log was appended where Ctrl+Down stopped, and Ctrl+Down passes
    over hidden rows (to the sheet's last row, 1,048,576, when nothing visible follows)."""
    from ims_xl.workbook.layout import SHEET_LOG
    click(book, "import_ims", month.ims)
    click(book, "validate")
    click(book, "validate")
    before = table(book, SHEET_LOG).rows
    assert len(before) == 3
    last = table(book, SHEET_LOG).first_row + len(before) - 1
    memengine.hide_rows(book, SHEET_LOG, range(3, last + 1))
    click(book, "validate")
    after = table(book, SHEET_LOG).rows
    assert after[:len(before)] == before
    assert after[-1][1] == "Validate"
    assert all(r[0] for r in after), "a gap in the Log"
    assert len(after) == 4


# 1. The Mac's RunPython returns at once: Python ends the ribbon's busy marker -------------

@pytest.mark.parametrize("button", ["validate", "undo"])      # a success and an error
def test_python_clears_the_busy_marker_when_done(book, month, button):
    from ims_xl.workbook.layout import PATH_NAME
    click(book, "import_ims", month.ims)
    marker = book.names[PATH_NAME].refers_to_range.offset(1, 0)
    marker.value = "Validate|13700000"                   # what the VBA wrote before RunPython
    click(book, button)
    assert last_alert(book)["mode"] == ("critical" if button == "undo" else "info")
    assert marker.value is None
    assert memengine.app_of(book).status_history[-1] is False


def test_a_file_the_computer_refuses_gets_a_message_not_a_bug_box(book, month, monkeypatch):
    """Found on the way: macOS privacy (~/Downloads) or a locked file raised PermissionError,
    shown as "Something went wrong inside ims-xl (a bug)"."""
    import builtins
    from pathlib import Path
    click(book, "import_ims", month.ims)

    def refusing(real):
        def call(f, *a, **k):
            if str(f).endswith(month.books.name):
                raise PermissionError(1, "Operation not permitted", str(f))
            return real(f, *a, **k)
        return call
    monkeypatch.setattr(builtins, "open", refusing(builtins.open))
    monkeypatch.setattr(Path, "open", refusing(Path.open))
    monkeypatch.setattr(Path, "read_bytes", refusing(Path.read_bytes))
    click(book, "import_books", month.books)
    assert bugs(book) == []
    prompt = last_alert(book)["prompt"]
    assert str(month.books) in prompt and "Privacy & Security" in prompt


def test_a_header_does_not_size_the_chunks_of_rows_far_longer(tmp_path, monkeypatch):
    """_Exports: a short header over rows of whole upload files (found at 100,000 rows)."""
    monkeypatch.setattr(sheets, "BYTES_PER_TRANSFER", 40_000)
    book = memengine.new_book(sheets=("Wide",), max_bytes_per_transfer=160_000)
    sh = book.sheets["Wide"]
    sh["A:Z"].number_format = "@"
    rows = [[f"h{c}" for c in range(6)]] + [["x" * 8_000] * 6 for _ in range(30)]
    sheets.write_rows(sh, (1, 1), rows)
    assert sheets.read_rows(sh, 1, 31, 6, header=True) == rows
    assert memengine.app_of(book).largest_transfer <= 160_000


def test_a_refused_read_is_read_again_in_halves(monkeypatch):
    """Rows that grow down the sheet past the plan: the chunk Excel refuses is halved."""
    monkeypatch.setattr(sheets, "BYTES_PER_TRANSFER", 40_000)
    book = memengine.new_book(sheets=("Grow",), max_bytes_per_transfer=100_000)
    sh = book.sheets["Grow"]
    sh["A:A"].number_format = "@"
    rows = [["a"]] * 50 + [["y" * 4_000]] * 40          # 50 tiny rows, then 8 KB rows
    sheets.write_rows(sh, (1, 1), rows)
    assert sheets.read_rows(sh, 1, 90, 1) == rows
