"""An output written on the second core (`files.aside`): the same file as written here, and
all or nothing with the other outputs of its command."""

from __future__ import annotations

import json
import os
import time

import pytest

from ims_xl.files import aside
from ims_xl.files.aside import written_aside
from ims_xl.files.atomic import Transaction
from ims_xl.model.errors import OutputError

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
