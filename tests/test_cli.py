"""The command line as a user meets it: real files in, exit codes and messages out."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ims_xl.cli import main
from ims_xl.testdata.samples import write_samples
from tests.core.example import DOWNLOAD_TEXT

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_parse_counts_sections_and_writes_the_merge(tmp_path):
    a = tmp_path / "a.json"
    a.write_text(DOWNLOAD_TEXT)
    out = tmp_path / "merged.json"
    r = run("parse", a, a, "--out", out)
    assert r.exit_code == 0, r.output
    assert "5 record(s) from 2 file(s)" in r.output and "b2bcn   1" in r.output
    assert "5 record(s) appeared more than once" in r.output
    merged = out.read_text()
    assert '"val": 118000.00' in merged          # written back digit for digit


@pytest.mark.parametrize("content, message", [
    ("", "file bad.json: the file is empty"),
    ('{"imsDetails": {"b2b": [{"inum": "X1", "idt": "01-03-2026"}]}}',
     "section b2b, record #1 (X1), field 'stin': supplier GSTIN is missing"),
])
def test_bad_input_exits_1_with_a_message_and_no_traceback(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    r = CliRunner().invoke(main, ["parse", str(bad)])
    assert r.exit_code == 1
    assert message in r.output and "Traceback" not in r.output


def test_bundled_samples_are_what_the_generator_makes(tmp_path):
    for fresh in write_samples(tmp_path):
        assert fresh.read_bytes() == (ROOT / "samples" / fresh.name).read_bytes(), fresh.name


def test_bundled_samples_are_a_month_whose_itc_can_still_be_claimed():
    """The demo reconciles a recent month: made on 1 December 2026, the samples' books carry
    no ITC time-limit warning until that month's limit (30 November 2027). The March 2026
    they held before warned on every Purchase row from 1 December 2026 on."""
    from datetime import date
    from ims_xl.register.reader import read_register
    books = ROOT / "samples" / "purchase_register.csv"
    for today in (date(2026, 12, 1), date(2027, 11, 30)):
        assert not [i for i in read_register(books, today=today).issues
                    if i.code == "itc-time-barred"], today
    assert any(i.code == "itc-time-barred"
               for i in read_register(books, today=date(2027, 12, 1)).issues)


def test_every_command_is_documented_in_the_readme():
    readme = "\n".join(p.read_text(encoding="utf-8")
                       for p in sorted((ROOT / "docs").rglob("*.md")))
    for name in main.commands:
        assert re.search(rf"ims-xl {re.escape(name)}\b", readme), name


def test_books_shows_the_mapping_and_a_saved_correction_fixes_it(tmp_path):
    register = tmp_path / "books.csv"
    register.write_text("GSTIN,Our Ref,Bill Date,Taxable Value,IGST\n"
                        "29AAFFT5678M1Z9,TT-2026-0093,12-03-2026,50000,9000\n")
    r = CliRunner().invoke(main, ["books", str(register)])
    assert r.exit_code == 1 and "no column for Document No" in r.output
    assert "'Our Ref'" in r.output                     # the headers seen are listed
    settings = tmp_path / "client.json"
    settings.write_text(json.dumps({"mapping": {"doc_number": "Our Ref"}}))
    r = run("books", register, "--mapping", settings)
    assert r.exit_code == 0, r.output
    assert "1 document(s)" in r.output and "Document No <- 'Our Ref'" in r.output


def test_an_error_file_given_as_the_download_is_named_as_such(tmp_path):
    errors = tmp_path / "errors.json"
    errors.write_text(DOWNLOAD_TEXT.replace('"imsDetails"', '"imsDetailsErr"'))
    books = tmp_path / "books.csv"
    books.write_text("GSTIN,Bill No,Bill Date,Taxable Value,IGST\n")
    r = CliRunner().invoke(main, ["reconcile", "--ims", str(errors), "--books", str(books),
                                  "--out", str(tmp_path / "out.xlsx")])
    assert r.exit_code == 1 and not (tmp_path / "out.xlsx").exists()
    assert "errors.json: is a portal error file, not an IMS download" in r.output
    assert "ims-xl import-errors" in r.output


def test_the_program_ends_with_its_lines_flushed_and_its_exit_code(tmp_path):
    """`python -m ims_xl` ends the process at once once a command is done (`cli.run`): every
    line still reaches a pipe, and errors keep exit 1 and their message."""
    import subprocess
    import sys
    ims, books, _ = write_samples(tmp_path / "in")
    out = tmp_path / "march.xlsx"
    done = subprocess.run([sys.executable, "-m", "ims_xl", "reconcile", "--ims", str(ims),
                           "--books", str(books), "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}" in done.stdout and "IMS record(s):" in done.stdout.splitlines()[-1]
    bad = tmp_path / "bad.json"
    bad.write_text("")
    done = subprocess.run([sys.executable, "-m", "ims_xl", "parse", str(bad)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 1 and "the file is empty" in done.stderr
