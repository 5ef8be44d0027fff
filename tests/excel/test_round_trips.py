"""Workbook round trips per button do not grow with the rows (docs/reference/excel.md#speed).

Each button reads and writes whole blocks, so 100 rows and 10,000 rows cost the same number
of calls into Excel - except that a big block moves in chunks of at most
`sheets.BYTES_PER_TRANSFER` bytes (one Apple Event on a Mac carries only so much; the engine
refuses more, as a Mac does). So value reads and writes may grow with the *bytes* moved,
never with the rows; every other call stays the same. xlwings' own chunking by cell count is
switched off here (test_memengine_contract.test_xlwings_chunks_big_writes_itself).
"""

from __future__ import annotations

import json
import math

import pytest
import xlwings as xw

import memengine
import xlbench
from xlbench import Month, fresh_book, write_json
from ims_xl.excel import sheets
from ims_xl.workbook.layout import SHEET_HOME, SHEET_IMS

BUTTONS = ("import_ims", "import_books", "reconcile", "apply_suggestions", "validate",
           "export", "import_errors", "summary", "statements", "undo", "check_setup", "help",
           "reimport_ims")
MOST = 40                      # no button needs more round trips than this


class Trips(dict):
    """button -> round trips; `.values_moved[button]` = (value transfers, bytes moved)."""

    def __init__(self):
        super().__init__()
        self.values_moved: dict[str, tuple[int, int]] = {}


def month_counts(folder, n: int) -> Trips:
    """Round trips of every button over one generated month of `n` IMS records."""
    folder.mkdir(parents=True, exist_ok=True)
    m = Month(folder, n, suppliers=20)
    book = fresh_book(folder, max_cells_per_write=None, max_cells_per_read=None)
    book.set_mock_caller()
    app = memengine.app_of(book)
    counts = Trips()

    def click(book, button, *paths):
        trips = xlbench.click(book, button, *paths)
        name = "reimport_ims" if button == "import_ims" and "import_ims" in counts else button
        counts.values_moved[name] = (app.calls["read"] + app.calls["write"], app.bytes_moved)
        return trips

    try:
        counts["import_ims"] = click(book, "import_ims", m.ims)
        counts["import_books"] = click(book, "import_books", m.books)
        counts["reconcile"] = click(book, "reconcile")
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


def assert_bounded_by_bytes(big: Trips, small: Trips) -> None:
    """Only value transfers grow, by at most 2 per BYTES_PER_TRANSFER moved (chunks are
    sized on a block's longest row, so a chunk can be under half full)."""
    assert set(big) == set(small)
    for button in small:
        transfers, moved = big.values_moved.get(button, (0, 0))
        small_transfers = small.values_moved.get(button, (0, 0))[0]
        assert big[button] - transfers == small[button] - small_transfers, button
        chunks = math.ceil(moved / sheets.BYTES_PER_TRANSFER)
        assert transfers <= small_transfers + 2 * chunks, (button, transfers, moved)


def test_ten_thousand_rows_cost_the_same_round_trips_but_for_chunks(small, tmp_path):
    big = month_counts(tmp_path, 10_000)
    assert_bounded_by_bytes(big, small)
    # the IMS sheet of 10,000 rows is more than one Apple Event: chunks were needed
    assert big.values_moved["reimport_ims"][1] > memengine.MAC_BYTES_PER_TRANSFER
    assert big["reimport_ims"] > small["reimport_ims"]


@pytest.mark.slow
def test_a_hundred_thousand_rows_cost_the_same_round_trips_but_for_chunks(small, tmp_path):
    big = month_counts(tmp_path, 100_000)
    assert_bounded_by_bytes(big, small)

