"""What ims-xl never overwrites: inputs, typed work, read-only files; outputs all or nothing.

Every test runs the command line on real files and checks what a user would find afterwards:
the exit code, the message, and every file that was there before (byte for byte and mode).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ims_xl.workbook.data import read_workbook
from tests.safety.helpers import reconciled, run, samples, snapshot, type_work, work_in

ROOT = Path(__file__).resolve().parents[2]
WORK = {2: ("Reject", "no such purchase"), 5: ("Pending", "waiting for the credit note")}


# Typed work -------------------------------------------------------------------------------

def test_reconcile_onto_a_worked_workbook_carries_the_work_forward(tmp_path):
    book, ims, books = reconciled(tmp_path)
    type_work(book, WORK)
    typed = work_in(book)
    assert len(typed) == 2
    r = run("reconcile", "--ims", ims, "--books", books, "--out", book)
    assert r.exit_code == 0, r.output
    assert f"kept the work typed in {book}: 2 row(s)" in r.output
    assert work_in(book) == typed


def test_batch_run_again_keeps_the_work_typed_in_each_client_workbook(tmp_path):
    clients = tmp_path / "clients"
    samples(clients / "acme")
    (clients / "acme" / "settings.json").unlink()
    assert run("batch", clients, "--jobs", "1").exit_code == 0
    book = clients / "acme" / "IMS_Reconciled.xlsx"
    type_work(book, WORK)
    typed = work_in(book)
    r = run("batch", clients, "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert work_in(book) == typed and len(typed) == 2


def test_import_errors_out_onto_another_worked_workbook_is_refused(tmp_path):
    book, _, _ = reconciled(tmp_path)
    other, _, _ = reconciled(tmp_path / "b", "other.xlsx")
    type_work(other, WORK)
    errors = tmp_path / "errors.json"
    errors.write_text('{"imsDetailsErr": {"b2b": []}}')
    before = snapshot(tmp_path)
    r = run("import-errors", book, errors, "--out", other)
    assert r.exit_code == 1
    assert f"--out {other} holds work typed in another workbook" in r.output
    assert snapshot(tmp_path) == before


def test_a_file_that_is_not_an_ims_xl_workbook_is_not_replaced(tmp_path):
    ims, books, _ = samples(tmp_path / "in")
    theirs = tmp_path / "budget.xlsx"
    from openpyxl import Workbook
    wb = Workbook()
    wb.active["A1"] = "the client's budget"
    wb.save(theirs)
    before = snapshot(tmp_path)
    r = run("reconcile", "--ims", ims, "--books", books, "--out", theirs)
    assert r.exit_code == 1
    assert f"{theirs} exists and is not a reconciled ims-xl workbook" in r.output
    assert snapshot(tmp_path) == before


# Outputs that name inputs -------------------------------------------------------------------

def _cases(tmp_path):
    book, ims, books = reconciled(tmp_path)
    link = tmp_path / "link-to-books.csv"
    link.symlink_to(books)
    errors = tmp_path / "errors.json"
    errors.write_text('{"imsDetailsErr": {"b2b": []}}')
    return {
        "out is books": (["reconcile", "--ims", ims, "--books", books, "--out", books],
                         f"--out {books} is the --books file"),
        "out links to books": (["reconcile", "--ims", ims, "--books", link, "--out", books],
                               "is the --books file"),
        "json is ims": (["reconcile", "--ims", ims, "--books", books, "--out",
                         tmp_path / "new.xlsx", "--json", ims], f"--json {ims} is the --ims file"),
        "json is out": (["reconcile", "--ims", ims, "--books", books, "--out",
                         tmp_path / "new.xlsx", "--json", tmp_path / "new.xlsx"],
                        "--out and --json both name"),
        "export onto its workbook": (["export", book, "--out", book],
                                     f"--out {book} is the WORKBOOK file"),
        "upload over a workbook": (["export", book, "--out", tmp_path / "b" / "march.xlsx"],
                                   "is a workbook; the upload is JSON"),
        "errors out onto error file": (["import-errors", book, errors, "--out", errors],
                                       f"--out {errors} is the ERRORFILE file"),
        "parse onto its input": (["parse", ims, "--out", ims], f"--out {ims} is the FILES file"),
    }


@pytest.mark.parametrize("case", ["out is books", "out links to books", "json is ims",
                                  "json is out", "export onto its workbook",
                                  "upload over a workbook", "errors out onto error file",
                                  "parse onto its input"])
def test_an_output_that_names_an_input_is_refused_before_anything_runs(tmp_path, case):
    reconciled(tmp_path / "b")                      # a second workbook, for the upload case
    args, message = _cases(tmp_path)[case]
    before = snapshot(tmp_path)
    r = run(*args)
    assert r.exit_code == 1, r.output
    assert message in r.output and "Nothing was written" in r.output
    assert "Traceback" not in r.output and "internal error" not in r.output
    assert snapshot(tmp_path) == before


# All or nothing; read-only stays read-only ----------------------------------------------------

def test_when_the_second_output_cannot_be_written_the_first_is_not_replaced(tmp_path):
    book, ims, books = reconciled(tmp_path)
    result = tmp_path / "result.json"
    result.write_text("{}")
    result.chmod(0o444)
    before = snapshot(tmp_path)
    r = run("reconcile", "--ims", ims, "--books", books, "--out", book, "--json", result)
    assert r.exit_code == 1
    assert f"{result}: cannot be written: the file is read-only" in r.output
    assert snapshot(tmp_path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # no temp left


def test_a_rename_that_fails_midway_puts_the_first_file_back(tmp_path, monkeypatch):
    book, ims, books = reconciled(tmp_path)
    result = tmp_path / "result.json"
    result.write_text('{"last": "month"}')
    before = snapshot(tmp_path)
    real = os.replace

    def replace(src, dst):             # the workbook goes through; the JSON's rename fails
        if str(dst) == str(result):
            raise OSError(28, "No space left on device")
        real(src, dst)
    monkeypatch.setattr("ims_xl.files.atomic.os.replace", replace)
    r = run("reconcile", "--ims", ims, "--books", books, "--out", book, "--json", result)
    assert r.exit_code == 1
    assert f"{result}: cannot be written (No space left on device)" in r.output
    assert snapshot(tmp_path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_read_only_workbook_stays_read_only_and_unchanged(tmp_path):
    book, ims, books = reconciled(tmp_path)
    book.chmod(0o444)
    before = snapshot(tmp_path)
    for args in (["reconcile", "--ims", ims, "--books", books, "--out", book],
                 ["export", book, "--out", tmp_path / "upload.json"]):
        r = run(*args)
        assert r.exit_code == 1, r.output
        assert f"{book}: cannot be written: the file is read-only" in r.output
        assert snapshot(tmp_path) == before                   # still 444, same bytes


def test_a_new_file_keeps_the_permissions_of_the_one_it_replaces(tmp_path):
    book, ims, books = reconciled(tmp_path)
    book.chmod(0o600)
    assert run("reconcile", "--ims", ims, "--books", books, "--out", book).exit_code == 0
    assert book.stat().st_mode & 0o777 == 0o600


def test_a_read_only_output_folder_is_named(tmp_path):
    ims, books, _ = samples(tmp_path / "in")
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o555)
    try:
        r = run("reconcile", "--ims", ims, "--books", books, "--out", out / "march.xlsx")
        assert r.exit_code == 1
        assert f"the folder {out} is read-only" in r.output
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o755)


def test_a_locked_target_is_said_to_be_unwritable(tmp_path):
    book, ims, books = reconciled(tmp_path)
    book.chmod(0o000)
    errors = tmp_path / "errors.json"
    errors.write_text('{"imsDetailsErr": {"b2b": []}}')
    try:
        for args in (["reconcile", "--ims", ims, "--books", books, "--out", book],
                     ["export", book, "--out", tmp_path / "upload.json"],
                     ["import-errors", book, errors]):
            r = run(*args)
            assert r.exit_code == 1, r.output
            assert f"{book}: cannot be written" in r.output and "not readable" not in r.output
    finally:
        book.chmod(0o644)


def test_sigterm_removes_the_temp_files_as_ctrl_c_does(tmp_path):
    """A run stopped by SIGTERM while the workbook is being written leaves no temp behind,
    nor the RESULT.json written meanwhile by a second process."""
    ims, books, _ = samples(tmp_path / "in")
    out = tmp_path / "out"
    script = (
        "import time, ims_xl.workbook.build.package as x\n"
        "real = x.finish_package\n"
        "def slow(*a, **k):\n"
        "    print('writing', flush=True); time.sleep(30); return real(*a, **k)\n"
        "x.finish_package = slow\n"
        "from ims_xl.cli import main\n"
        f"main(['reconcile', '--ims', {str(ims)!r}, '--books', {str(books)!r}, "
        f"'--out', {str(out / 'march.xlsx')!r}, '--json', {str(out / 'march.json')!r}])\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdout.readline().strip() == "writing"
    assert [p for p in out.iterdir() if p.name.endswith((".tmp", ".sheets"))]
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    assert proc.returncode == 128 + signal.SIGTERM
    assert list(out.iterdir()) == []


def test_demo_run_again_keeps_the_work_typed_in_its_workbook(tmp_path):
    assert run("demo", "--out", tmp_path).exit_code == 0
    book = tmp_path / "IMS_Reconciled.xlsm"
    type_work(book, WORK)
    typed = work_in(book)
    r = run("demo", "--out", tmp_path)
    assert r.exit_code == 0, r.output
    after = work_in(book)
    assert {k: after[k] for k in typed} == typed
