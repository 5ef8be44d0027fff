"""ims_xl.ribbon: one entry point per button, the caller found at click time, errors shown in
a message box instead of a traceback."""

from __future__ import annotations

import importlib
import sys

import pytest
import xlwings as xw

import memengine
from xlbench import click, fresh_book, last_alert, table
from ims_xl import ribbon
from ims_xl.model.errors import ImsXlError
from ims_xl.excel import actions, sheets
from ims_xl.workbook.layout import PATH_NAME, RIBBON_BUTTONS, SHEET_IMS, SHEET_SUMMARY, STEPS


def test_every_ribbon_button_has_its_function():
    for button in RIBBON_BUTTONS:
        assert callable(getattr(ribbon, button.function, None)), button.function


def test_importing_the_ribbon_never_asks_for_the_caller():
    assert not hasattr(xw.Book, "_mock_caller")
    importlib.reload(ribbon)                  # would raise: no Excel, no mock caller


@pytest.mark.parametrize("function", [b.function for b in RIBBON_BUTTONS])
def test_each_button_on_an_empty_workbook_answers_with_a_message(book, function):
    sheets.write_paths(book, "")              # as if the dialog had been skipped
    click(book, function)
    alert = last_alert(book)
    assert alert["title"] == "IMS Reconciler"
    assert "went wrong" not in alert["prompt"], alert["prompt"]
    app = memengine.app_of(book)
    assert app._props["screen_updating"] is True and app._props["status_bar"] is False


def test_the_caller_is_looked_up_at_each_click(tmp_path):
    first, second = fresh_book(tmp_path), fresh_book(tmp_path)
    try:
        first.set_mock_caller()
        ribbon.help()
        second.set_mock_caller()
        ribbon.help()
    finally:
        del xw.Book._mock_caller
    assert len(memengine.app_of(first).alerts) == len(memengine.app_of(second).alerts) == 1


def test_an_ims_xl_error_becomes_a_critical_message(book, monkeypatch):
    def fail(b):
        raise ImsXlError("file march.json, section b2b: bad record")
    monkeypatch.setattr(actions, "validate", fail)
    ribbon.validate()
    assert last_alert(book) == {"prompt": "file march.json, section b2b: bad record",
                                "title": "IMS Reconciler", "buttons": "ok",
                                "mode": "critical"}


def test_a_bug_becomes_a_short_message_and_a_log_entry(book, monkeypatch, tmp_path):
    def crash(b):
        with sheets.busy(b, "working"):
            raise KeyError("boom")
    monkeypatch.setattr(actions, "reconcile", crash)
    ribbon.reconcile()
    prompt = last_alert(book)["prompt"]
    assert "a bug" in prompt and "KeyError" in prompt
    log = tmp_path / "logs" / "ims_xl_error.log"
    assert str(log) in prompt
    assert "Traceback" in log.read_text() and "boom" in log.read_text()
    app = memengine.app_of(book)
    assert app._props["screen_updating"] is True and app._props["status_bar"] is False


def test_a_workbook_without_the_paths_cell_is_explained(bare_book):
    ribbon.import_ims()
    assert PATH_NAME in last_alert(bare_book)["prompt"]
    assert last_alert(bare_book)["mode"] == "critical"


def test_no_file_chosen(book):
    sheets.write_paths(book, "")
    ribbon.import_books()
    assert "No file was chosen" in last_alert(book)["prompt"]


def test_check_setup_reports_versions_and_leaves_a_verdict_for_the_vba(book):
    sheets.write_paths(book, "")              # the VBA empties the cell first
    ribbon.check_setup()
    prompt = last_alert(book)["prompt"]
    assert sys.executable in prompt and xw.__version__ in prompt
    assert "Everything is set up" in prompt
    assert sheets.read_paths(book) == ["OK"]


def test_check_setup_says_how_to_fix_a_version_mismatch(book, monkeypatch):
    monkeypatch.setattr(actions, "pinned_xlwings", lambda: "0.99.1")
    ribbon.check_setup()
    a = last_alert(book)
    assert a["mode"] == "critical"
    assert 'pip install "xlwings==0.99.1"' in a["prompt"]
    assert "xlwings runpython install" in a["prompt"]
    assert sheets.read_paths(book) == ["PROBLEMS"]


def test_check_setup_on_a_foreign_workbook_lists_what_is_missing(bare_book):
    ribbon.check_setup()
    prompt = last_alert(bare_book)["prompt"]
    assert "IMS" in prompt and "ims-xl workbook" in prompt


def test_help_lists_the_steps(book):
    ribbon.help()
    assert all(step in last_alert(book)["prompt"] for step in STEPS)


def test_summary_and_statements_after_a_reconcile(book, month):
    click(book, "import_ims", month.ims)
    click(book, "import_books", month.books)
    click(book, "reconcile")
    click(book, "summary")
    rows = table(book, SHEET_SUMMARY)
    assert book.sheets[SHEET_SUMMARY]["A1"].value == "ITC impact before upload"
    assert rows is not None
    click(book, "statements")
    prompt = last_alert(book)["prompt"]
    assert last_alert(book)["mode"] == "info", prompt
    folder = next(month.folder.glob("Supplier statements *"))
    assert any(folder.glob("*.xlsx"))
    assert len(table(book, SHEET_IMS).rows) > 0
