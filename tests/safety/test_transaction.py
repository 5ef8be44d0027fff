"""Several files of one command: all replaced, or every old file as it was."""

from __future__ import annotations

import os

import pytest

from ims_xl.files.atomic import Transaction
from ims_xl.model.errors import OutputError


def _files(tmp_path):
    olds = {tmp_path / n: f"old {n}".encode() for n in ("a.xlsx", "b.json")}
    for p, data in olds.items():
        p.write_bytes(data)
    return olds


def test_a_failed_third_rename_puts_back_the_first_two(tmp_path, monkeypatch):
    olds = _files(tmp_path)
    new = tmp_path / "c.json"                        # did not exist before
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if str(dst) == str(tmp_path / "b.json") and len(calls) == 3:
            raise OSError(5, "Input/output error")
        real(src, dst)
    monkeypatch.setattr("ims_xl.files.atomic.os.replace", replace)
    with pytest.raises(OutputError, match="b.json: cannot be written"):
        with Transaction() as tx:
            for p in (tmp_path / "a.xlsx", new, tmp_path / "b.json"):
                tx.write_bytes(p, b"new")
    assert {p: p.read_bytes() for p in olds} == olds
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.json"]


def test_an_old_file_that_cannot_be_put_back_keeps_its_backup_and_is_named(tmp_path,
                                                                           monkeypatch):
    olds = _files(tmp_path)
    real = os.replace

    def replace(src, dst):
        if str(dst) == str(tmp_path / "b.json") or str(src).endswith(".bak"):
            raise OSError(5, "Input/output error")
        real(src, dst)
    monkeypatch.setattr("ims_xl.files.atomic.os.replace", replace)
    with pytest.raises(OutputError, match=r"a.xlsx is saved as .*\.bak") as e:
        with Transaction() as tx:
            for p in olds:
                tx.write_bytes(p, b"new")
    bak = str(e.value).rsplit(" is saved as ", 1)[1]
    assert open(bak, "rb").read() == olds[tmp_path / "a.xlsx"]
