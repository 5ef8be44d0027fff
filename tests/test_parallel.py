"""Work on the other core (the register read while the download is read, RESULT.json made
while the workbook is written): same files, same errors, no process left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ims_xl import pipeline
from ims_xl.cli import main
from ims_xl.parallel import in_background

GOLDEN = Path(__file__).parent / "workbook" / "golden"


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def reconcile(tmp_path, ims=GOLDEN / "ims.json", books=GOLDEN / "books.csv"):
    return CliRunner().invoke(main, ["reconcile", "--ims", str(ims), "--books", str(books),
                                     "--gstin", "27AJICO7272Q1Z0", "--out",
                                     str(tmp_path / "OUT.xlsx"), "--json",
                                     str(tmp_path / "R.json")])


@pytest.fixture
def every_register_is_big(monkeypatch):
    monkeypatch.setattr(pipeline, "BIG_REGISTER", 0)
    monkeypatch.setattr(pipeline, "BIG_RESULT", 0)


def test_work_done_meanwhile_gives_the_golden_result(tmp_path, every_register_is_big):
    done = reconcile(tmp_path)
    assert done.exit_code == 0, done.output
    assert (tmp_path / "R.json").read_bytes() == (GOLDEN / "result.json").read_bytes()
    assert no_children_left()


def test_a_bad_register_read_meanwhile_fails_as_it_always_did(tmp_path, monkeypatch):
    bad = tmp_path / "books.csv"
    bad.write_text("Name,Amount\nX,10\n", encoding="utf-8")
    here = reconcile(tmp_path, books=bad)
    monkeypatch.setattr(pipeline, "BIG_REGISTER", 0)
    meanwhile = reconcile(tmp_path, books=bad)
    assert meanwhile.exit_code == here.exit_code == 1
    assert meanwhile.output == here.output
    assert "books.csv" in here.output and "no header row" in here.output
    assert no_children_left()


def test_a_bad_download_stops_the_register_read_meanwhile(tmp_path, every_register_is_big):
    bad = tmp_path / "ims.json"
    bad.write_text('{"imsDetails": {"b2b": [{"stin": "x"', encoding="utf-8")
    done = reconcile(tmp_path, ims=bad)
    assert done.exit_code == 1 and "cut short" in done.output
    assert no_children_left()
    assert not (tmp_path / "OUT.xlsx").exists()


def test_a_child_that_dies_is_replaced_by_running_here():
    def dies():
        if os.getpid() != parent:
            os._exit(9)
        return "ran here"
    parent = os.getpid()
    assert in_background(dies).result() == "ran here"
    assert no_children_left()


def test_a_failure_while_laying_out_stops_the_summary_made_meanwhile(tmp_path, monkeypatch,
                                                                    every_register_is_big):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug while laying out")
    monkeypatch.setattr(pipeline, "ims_row", broken)
    done = reconcile(tmp_path)
    assert done.exit_code == 3 and "a bug while laying out" in done.output
    assert no_children_left()
    assert not (tmp_path / "OUT.xlsx").exists() and not (tmp_path / "R.json").exists()
