"""Progress of long work: a line on a terminal's stderr, nothing when stderr is not one, and
each stage on Excel's status bar."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

GOLDEN = Path(__file__).parent / "workbook" / "golden"


def run(args: list, tmp_path: Path, *, terminal: bool) -> tuple[str, str]:
    """Run `python -m ims_xl ARGS`; stderr on a pseudo-terminal or a pipe. (stdout, stderr)."""
    env = {**os.environ, "IMS_XL_PROGRESS_AFTER": "0", "PYTHONPATH": os.getcwd()}
    cmd = [sys.executable, "-m", "ims_xl", *args]
    if not terminal:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave, env=env, cwd=tmp_path)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:                     # the child closed the terminal (Linux: EIO)
            break
        if not chunk:
            break
        seen += chunk
    out = proc.stdout.read().decode()
    assert proc.wait() == 0, seen
    os.close(master)
    return out, seen.decode("utf-8", "replace")


def reconcile_args(tmp_path: Path) -> list:
    return ["reconcile", "--ims", str(GOLDEN / "ims.json"), "--books", str(GOLDEN / "books.csv"),
            "--gstin", "27AJICO7272Q1Z0", "--out", str(tmp_path / "OUT.xlsx"),
            "--json", str(tmp_path / "R.json")]


def test_reconcile_shows_its_stages_on_a_terminal_and_erases_the_line(tmp_path):
    out, err = run(reconcile_args(tmp_path), tmp_path, terminal=True)
    for stage in ("Reading the IMS download", "Reading the purchase register", "Matching 1",
                  "Writing the workbook", "Writing R.json"):
        assert stage in err
    assert re.search(r"\[[#.]{20}\] [\d,]+/[\d,]+", err)   # a bar where the count is known
    assert err.endswith("\r\x1b[K")                         # nothing left on the line
    assert "wrote" in out and "\r" not in out               # stdout stays plain


def test_summary_shows_its_stages_on_a_terminal(tmp_path):
    run(reconcile_args(tmp_path), tmp_path, terminal=False)
    out, err = run(["summary", str(tmp_path / "OUT.xlsx")], tmp_path, terminal=True)
    assert "Reading OUT.xlsx" in err and "Reading the IMS rows" in err
    assert "records;" in out


def test_nothing_but_results_when_stderr_is_not_a_terminal(tmp_path):
    out, err = run(reconcile_args(tmp_path), tmp_path, terminal=False)
    assert err == ""
    assert "wrote" in out and "Reading" not in out


def test_a_short_job_draws_nothing(tmp_path, monkeypatch):
    from ims_xl.progress import TerminalProgress, stage

    class Tty:
        text = ""

        def isatty(self):
            return True

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    tty = Tty()
    with TerminalProgress(tty, after=1).shown():
        stage("Quick")
    assert tty.text == ""


def test_excel_status_bar_shows_the_core_stages(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent / "excel"))
    import memengine
    import xlwings as xw
    from xlbench import Month, click, fresh_book
    book = fresh_book(tmp_path)
    book.set_mock_caller()
    try:
        month = Month(tmp_path, 20)
        click(book, "import_ims", month.ims)
        click(book, "import_books", month.books)
    finally:
        del xw.Book._mock_caller
    history = memengine.app_of(book).status_history
    assert "IMS: Reading the IMS download..." in history
    # the button's own message already says this stage: shown once, not written twice
    shown = [str(h).lower() for h in history]
    assert shown.count("ims: reading the purchase register...") == 1
    assert history[-1] is False                       # handed back to Excel
