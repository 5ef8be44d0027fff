"""Work on the second core (`files.aside`): an output written by a child is the same file as
written here, and all or nothing with the other outputs of its command; a value read by a
child is the value read here, and its error the error raised here."""

from __future__ import annotations

import json
import os
import time

import pytest

from ims_xl.files import aside
from ims_xl.files.aside import Handed, Sent, done_aside, read_aside, written_aside
from ims_xl.files.atomic import Transaction
from ims_xl.model.errors import OutputError, WorkbookError

fork_only = pytest.mark.skipif(not aside.CAN_FORK, reason="no fork on this platform")


def _old_files(tmp_path):
    olds = {tmp_path / n: f"old {n}".encode() for n in ("OUT.xlsx", "R.json")}
    for p, data in olds.items():
        p.write_bytes(data)
    return olds


def _pid_text() -> bytes:
    return json.dumps({"made_by": os.getpid()}).encode()


@fork_only
def test_the_output_is_made_in_another_process_and_lands_with_the_others(tmp_path):
    _old_files(tmp_path)
    with Transaction() as tx:
        with written_aside(tx, tmp_path / "R.json", _pid_text):
            tx.write_bytes(tmp_path / "OUT.xlsx", b"new workbook")
            assert (tmp_path / "R.json").read_bytes() == b"old R.json"   # not before commit
    made_by = json.loads((tmp_path / "R.json").read_bytes())["made_by"]
    assert made_by != os.getpid()
    assert (tmp_path / "OUT.xlsx").read_bytes() == b"new workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["OUT.xlsx", "R.json"]


def test_without_fork_the_same_output_is_written_here(tmp_path, monkeypatch):
    monkeypatch.setattr(aside, "CAN_FORK", False)
    with Transaction() as tx, written_aside(tx, tmp_path / "R.json", _pid_text):
        pass
    assert json.loads((tmp_path / "R.json").read_bytes())["made_by"] == os.getpid()


@fork_only
def test_a_child_that_fails_is_replaced_by_writing_here(tmp_path):
    parent = os.getpid()

    def make() -> bytes:
        if os.getpid() != parent:
            raise MemoryError("the child ran out")
        return b"made here"
    with Transaction() as tx, written_aside(tx, tmp_path / "R.json", make):
        pass
    assert (tmp_path / "R.json").read_bytes() == b"made here"


@fork_only
def test_a_child_killed_from_outside_is_replaced_by_writing_here(tmp_path):
    parent = os.getpid()

    def make() -> bytes:
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)                   # as the OOM killer would
        return b"made here"
    with Transaction() as tx, written_aside(tx, tmp_path / "R.json", make):
        pass
    assert (tmp_path / "R.json").read_bytes() == b"made here"


def test_an_error_making_the_output_keeps_every_old_file(tmp_path):
    olds = _old_files(tmp_path)

    def make() -> bytes:
        raise OutputError("R.json: cannot be written (No space left on device)")
    with pytest.raises(OutputError, match="No space left"):
        with Transaction() as tx, written_aside(tx, tmp_path / "R.json", make):
            tx.write_bytes(tmp_path / "OUT.xlsx", b"new workbook")
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == olds


@fork_only
def test_a_failure_beside_it_stops_the_child_and_keeps_every_old_file(tmp_path):
    olds = _old_files(tmp_path)
    started = tmp_path / "started"

    def slow() -> bytes:
        started.write_text(str(os.getpid()))
        time.sleep(30)                       # would hold the command up if not stopped
        return b"new R.json"
    t = time.monotonic()
    with pytest.raises(OutputError, match="disk full"):
        with Transaction() as tx, written_aside(tx, tmp_path / "R.json", slow):
            while not started.exists() or not started.read_text():
                time.sleep(0.01)
            child = int(started.read_text())
            started.unlink()
            raise OutputError("OUT.xlsx: disk full")
    assert time.monotonic() - t < 10
    with pytest.raises(ProcessLookupError):             # stopped and reaped, not left running
        os.kill(child, 0)
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == olds


# A value read aside ---------------------------------------------------------------------------

def _rows_and_pid() -> dict:
    return {"rows": [["B2B", 1.5, None, "12/ABC"]] * 3, "made_by": os.getpid()}


@fork_only
def test_a_value_read_aside_comes_back_from_the_child_as_read_here():
    with read_aside(_rows_and_pid) as value:
        got = value()
        assert value() is got                            # asked twice: read once
    assert got["made_by"] != os.getpid()
    assert got["rows"] == _rows_and_pid()["rows"]


def test_without_fork_the_value_is_read_here(monkeypatch):
    monkeypatch.setattr(aside, "CAN_FORK", False)
    with read_aside(_rows_and_pid) as value:
        assert value()["made_by"] == os.getpid()


def test_the_error_of_the_read_is_raised_where_the_value_is_asked_for():
    def bad():
        raise WorkbookError("march.xlsx: no sheet named 'IMS'")
    with read_aside(bad) as value:
        with pytest.raises(WorkbookError, match="no sheet named 'IMS'"):
            value()


@fork_only
def test_an_error_that_does_not_pickle_back_is_raised_from_a_read_here():
    parent = os.getpid()

    class Odd(Exception):
        def __init__(self, row, column):             # pickling rebuilds it with one argument
            super().__init__(f"row {row}, column {column}: too long")

    def bad():
        raise Odd(3, 4) if os.getpid() != parent else OutputError("read here: row 3, column 4")
    with read_aside(bad) as value:
        with pytest.raises(OutputError, match="read here"):
            value()


@fork_only
def test_a_value_never_asked_for_stops_its_child(tmp_path):
    started = tmp_path / "started"

    def slow():
        started.write_text(str(os.getpid()))
        time.sleep(30)
    with read_aside(slow):
        while not started.exists() or not started.read_text():
            time.sleep(0.01)
    with pytest.raises(ProcessLookupError):
        os.kill(int(started.read_text()), 0)


# A value handed back first (`Handed`): the child's first work, back before its other work ends


@fork_only
def test_a_value_handed_first_comes_back_while_the_child_works_on():
    first = Handed(_rows_and_pid)

    def work():
        first.make_first()
        time.sleep(30)                               # the child's other work
    with done_aside(work) as finished:
        first.forked()
        started = time.monotonic()
        got = first.value()
        assert time.monotonic() - started < 10       # not after the child's other work
        assert first.value() is got                  # asked twice: handed back once
    assert got["made_by"] != os.getpid()
    assert got["rows"] == _rows_and_pid()["rows"]
    assert not finished()                            # the child was stopped, not waited for


def test_a_value_handed_first_without_a_child_is_made_here():
    first = Handed(_rows_and_pid)
    first.forked()                                   # no child was started
    assert first.value()["made_by"] == os.getpid()


@fork_only
def test_a_child_that_dies_before_handing_its_value_back_leaves_it_to_be_made_here():
    first = Handed(_rows_and_pid)

    def work():
        os._exit(1)                                  # killed before its first work
    with done_aside(work) as finished:
        first.forked()
        assert first.value()["made_by"] == os.getpid()
        assert not finished()


@fork_only
def test_the_error_of_a_value_handed_first_is_raised_where_it_is_asked_for():
    def bad():
        raise WorkbookError("march.xlsx: no sheet named 'IMS'")
    first = Handed(bad)
    with done_aside(first.make_first):
        first.forked()
        with pytest.raises(WorkbookError, match="no sheet named 'IMS'"):
            first.value()


# A value sent to a child forked before it was made (`Sent`): the match results the sheets'
# processes fill in


def _received_into(out, sent: Sent):
    """A child's work: what it received, as text, into `out`."""
    def work():
        out.write_text(repr(sent.received()))
    return work


@fork_only
def test_a_value_sent_later_reaches_the_child_that_waits_for_it(tmp_path):
    out, sent = tmp_path / "got", Sent()
    with done_aside(_received_into(out, sent)) as finished:
        time.sleep(0.2)                             # the child is waiting by now
        assert not out.exists()
        assert sent.send({3: ["Matched", None, 1.5]})
        assert not sent.send({3: ["again"]})        # once only
        assert finished()
    sent.close()
    assert out.read_text() == "{3: ['Matched', None, 1.5]}"


@fork_only
def test_a_value_that_cannot_be_sent_leaves_the_child_without_it(tmp_path):
    out, sent = tmp_path / "got", Sent()
    with done_aside(_received_into(out, sent)) as finished:
        assert not sent.send({"cells": lambda: None})       # does not pickle
        assert finished()
    assert out.read_text() == "None"


@fork_only
def test_a_child_waiting_for_a_value_never_sent_is_stopped(tmp_path):
    out, sent = tmp_path / "got", Sent()
    started = time.monotonic()
    with done_aside(_received_into(out, sent)) as finished:
        time.sleep(0.2)
    assert time.monotonic() - started < 10 and not out.exists()
    assert not finished()
