"""Workbook round trips per button do not grow with the rows (excel-integration.md §4).

Each button reads and writes whole blocks, so 100 rows and 10,000 rows cost the same number
of calls into Excel. xlwings' own chunking of very large ranges is switched off here (see
test_memengine_contract.test_xlwings_chunks_big_writes_itself): it splits one of our calls
into several on the wire, which is xlwings' transport, not a per-row call of ours.
"""

from __future__ import annotations

import json

import pytest
import xlwings as xw

import memengine
from xlbench import Month, click, fresh_book, write_json
from ims_xl.excel import sheets
from ims_xl.layout import SHEET_HOME, SHEET_IMS

BUTTONS = ("import_ims", "import_books", "reconcile", "apply_suggestions", "validate",
           "export", "import_errors", "summary", "statements", "undo", "check_setup", "help",
           "reimport_ims")
MOST = 40                      # no button needs more round trips than this


def month_counts(folder, n: int) -> dict[str, int]:
    """Round trips of every button over one generated month of `n` IMS records."""
    folder.mkdir(parents=True, exist_ok=True)
    m = Month(folder, n, suppliers=20)
    book = fresh_book(folder, max_cells_per_write=None, max_cells_per_read=None)
    book.set_mock_caller()
    try:
        counts = {"import_ims": click(book, "import_ims", m.ims),
                  "import_books": click(book, "import_books", m.books),
                  "reconcile": click(book, "reconcile")}
        memengine.select(book, SHEET_HOME, "C4")
        counts["apply_suggestions"] = click(book, "apply_suggestions")
        # A stale message from an earlier run, so Validate has a block to write at any
        # size (whether the data has problems would otherwise decide one write).
        stale = sheets.read_table(book, SHEET_IMS)
        book.sheets[SHEET_IMS].range((2, stale.header.index("Validation") + 1)).value = "old"
        counts["validate"] = click(book, "validate")
        out = folder / "upload.json"
        counts["export"] = click(book, "export", out)
        errors = write_json(folder / "errors.json", _one_error(folder))
        counts["import_errors"] = click(book, "import_errors", errors)
        counts["summary"] = click(book, "summary")
        counts["statements"] = click(book, "statements")
        counts["undo"] = click(book, "undo")
        counts["check_setup"] = click(book, "check_setup")
        counts["help"] = click(book, "help")
        counts["reimport_ims"] = click(book, "import_ims", m.ims)
        bad = [a["prompt"] for a in memengine.app_of(book).alerts if a["mode"] == "critical"]
        assert bad == []
        return counts
    finally:
        del xw.Book._mock_caller


def _one_error(folder) -> dict:
    """An error file for the first record of the (first part of the) upload."""
    first = sorted(folder.glob("upload*.json"))[0]          # big uploads are split
    doc = json.loads(first.read_text(encoding="utf-8"))
    section, records = next(iter(doc["invdata"].items()))
    return {"imsDetailsErr": {section: [dict(records[0], error_msg="edited by supplier")]}}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return month_counts(tmp_path_factory.mktemp("small"), 100)


def test_every_button_is_measured(small):
    assert set(small) == set(BUTTONS)
    assert max(small.values()) <= MOST, small


def test_ten_thousand_rows_cost_the_same_round_trips(small, tmp_path):
    big = month_counts(tmp_path, 10_000)
    assert big == small


@pytest.mark.slow
def test_a_hundred_thousand_rows_cost_the_same_round_trips(small, tmp_path):
    big = month_counts(tmp_path, 100_000)
    assert big == small

