"""Export: only changed rows, echoed exactly; files, kept copies and the workbook's record."""

import json
from datetime import datetime
from decimal import Decimal

import pytest

from ims_xl.workbook.data import read_workbook
from click.testing import CliRunner

from ims_xl.portal import dialects
from ims_xl.cli import main
from ims_xl.model.document import Decision
from ims_xl.month.export import EXPORTED, build_export, plan_export
from ims_xl.workbook.ims_sheet import ims_row
from tests.validate.vhelp import (RECIPIENT, assert_valid_upload, cell, example, load_rows,
                                  record, rows_of, save_book)

NOW = datetime(2026, 4, 5, 10, 15, 30)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _book(tmp_path, *specs, settings=None, name="march.xlsx"):
    rows = [ims_row(rec, decision=dec) for rec, dec in specs]
    return save_book(tmp_path / name, rows, settings)


# plan_export / build_export -------------------------------------------------------------------

def test_plan_takes_rows_whose_action_remarks_or_itc_answer_changed():
    cn_accepted = record("b2bcn", "CN-2", action="A", itcRedReq="Y")
    rows = rows_of(
        (example("MC/25-26/0451"), Decision("A")),                           # action changed
        (example("ECO/TN/55421"), Decision("A")),                            # same as portal
        (example("TT-2026-0093"), None),                                     # blank action
        (record("b2b", "R-1", action="R"), Decision("R", "wrong GSTIN")),    # remarks only
        (cn_accepted, Decision("A", "", "Y", {"cgst": Decimal(100), "sgst": Decimal(100)})),
        (record("b2bcn", "CN-3", action="A", itcRedReq="Y"), Decision("A", "", "Y")),
    )
    assert [r.row for r in plan_export(rows)] == [2, 5, 6]


def test_build_export_marks_rows_logs_and_keeps_copies():
    rows = rows_of((example("MC/25-26/0451"), Decision("A")),
                   (example("ECO/TN/55421"), Decision("A")),
                   (example("TT-2026-0093"), Decision("P", "awaiting filing")))
    exp = build_export(rows, RECIPIENT, now=NOW, out_name="march-upload.json")
    assert [r.row for r in exp.rows] == [2, 4]
    assert exp.updates == {"upload_status": {
        2: "Exported 2026-04-05 10:15 march-upload.json",
        4: "Exported 2026-04-05 10:15 march-upload.json"}}
    assert exp.log[:2] == ["2026-04-05 10:15", "Export"] and "2 record(s)" in exp.log[2]
    [(name, text)] = exp.files
    assert name == "march-upload.json"
    assert exp.sent == [("2026-04-05 10:15", "march-upload-20260405-101530.json", 2, text)]
    assert assert_valid_upload(text)["rtin"] == RECIPIENT


def test_nothing_changed_builds_no_files():
    exp = build_export(rows_of((example("ECO/TN/55421"), Decision("A"))), RECIPIENT, now=NOW)
    assert exp.rows == [] and exp.files == [] and exp.updates == {}


def test_a_large_upload_is_split_and_each_row_names_its_file():
    recs = [record("b2b", f"INV-{i:04d}") for i in range(60)]
    rows = rows_of(*[(r, Decision("A")) for r in recs])
    exp = build_export(rows, RECIPIENT, now=NOW, out_name="up.json", max_bytes=4000)
    names = [n for n, _ in exp.files]
    assert len(names) > 2 and names[:2] == ["up_1.json", "up_2.json"]
    per_file = {n: json.loads(t)["invdata"]["b2b"] for n, t in exp.files}
    assert sum(len(v) for v in per_file.values()) == 60
    for name, text in exp.files:
        assert len(text.encode()) <= 4000
        assert_valid_upload(text)
    for row in rows:
        file = exp.updates["upload_status"][row.row].rsplit(" ", 1)[1]
        assert row.record.doc_number in {r["inum"] for r in per_file[file]}


# Through files and the command line ----------------------------------------------------------

def test_export_writes_upload_copy_and_records_it_in_the_workbook(tmp_path):
    book = _book(tmp_path, (example("MC/25-26/0451"), Decision("A")),
                 (example("ECO/TN/55421"), Decision("A")))
    out = tmp_path / "out" / "upload.json"
    r = run("export", book, "--out", out)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert_valid_upload(text)
    [copy] = (tmp_path / "out" / "sent").iterdir()
    assert copy.name.startswith("upload-") and copy.read_text(encoding="utf-8") == text
    data, rows = load_rows(book)
    assert cell(data.ims_rows, 2, "upload_status").startswith("Exported ")
    assert cell(data.ims_rows, 2, "upload_status").endswith(" upload.json")
    assert cell(data.ims_rows, 3, "upload_status") in ("", None)
    assert data.log_rows[-1][1] == "Export"
    assert [e[1] for e in read_workbook(book).exports] == [copy.name]
    assert read_workbook(book).exports[0][3] == text


def test_a_16_digit_numeric_invoice_number_stays_a_string(tmp_path):
    long = record("b2b", "1234567890123456", val=Decimal("118000.00"))
    book = _book(tmp_path, (long, Decision("A")))
    out = tmp_path / "upload.json"
    assert run("export", book, "--out", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert '"inum":"1234567890123456"' in text and '"val":118000.00' in text
    assert json.loads(text)["invdata"]["b2b"][0]["inum"] == "1234567890123456"


def test_nothing_changed_writes_no_file_and_exits_0(tmp_path):
    book = _book(tmp_path, (example("ECO/TN/55421"), Decision("A")),
                 (example("MC/25-26/0451"), None))
    before = book.read_bytes()
    out = tmp_path / "upload.json"
    r = run("export", book, "--out", out)
    assert r.exit_code == 0 and "Nothing changed" in r.output and "no upload file" in r.output
    assert not out.exists() and not (tmp_path / "sent").exists()
    assert book.read_bytes() == before


def test_validation_errors_write_nothing_and_exit_1(tmp_path):
    book = _book(tmp_path, (example("SE/1187A"), Decision("P")),
                 (example("MC/25-26/0451"), Decision("A")))
    before = book.read_bytes()
    out = tmp_path / "upload.json"
    r = run("export", book, "--out", out)
    assert r.exit_code == 1
    assert "ERROR row 2 [Action] in march.xlsx (B2BA 07AAGPS9876Q1ZE SE/1187A)" in r.output
    assert "nothing was written" in r.output
    assert not out.exists() and book.read_bytes() == before


def test_warnings_are_shown_and_do_not_block(tmp_path):
    book = _book(tmp_path, (example("TT-2026-0093"), Decision("A")))
    r = run("export", book, "--out", tmp_path / "u.json")
    assert r.exit_code == 0 and "WARNING row 2 [Action]" in r.output
    assert (tmp_path / "u.json").exists()


@pytest.mark.parametrize("settings, args, message", [
    ({}, [], "no recipient GSTIN"),
    ({"RecipientGSTIN": "27AABCZ1234K1Z8"}, [], "fails the check character"),
    ({}, ["--gstin", "27AABCZ1234K1Z8"], "fails the check character"),
    ({"RecipientGSTIN": RECIPIENT}, ["--gstin", "29AAFFT5678M1Z9"], "differs from the workbook"),
])
def test_recipient_gstin_problems_stop_the_export(tmp_path, settings, args, message):
    book = _book(tmp_path, (example("MC/25-26/0451"), Decision("A")), settings=settings)
    r = run("export", book, "--out", tmp_path / "u.json", *args)
    assert r.exit_code == 1 and message in r.output, r.output
    assert not (tmp_path / "u.json").exists()


def test_gstin_option_is_used_and_then_stored_in_the_workbook(tmp_path):
    book = _book(tmp_path, (example("MC/25-26/0451"), Decision("A")), settings={})
    r = run("export", book, "--out", tmp_path / "u.json", "--gstin", RECIPIENT.lower())
    assert r.exit_code == 0, r.output
    assert json.loads((tmp_path / "u.json").read_text())["rtin"] == RECIPIENT
    assert load_rows(book)[0].settings["RecipientGSTIN"] == RECIPIENT


def test_a_split_export_writes_numbered_files(tmp_path, monkeypatch):
    monkeypatch.setattr(dialects, "UPLOAD_MAX_BYTES", 3000)
    book = _book(tmp_path, *[(record("b2b", f"INV-{i:03d}"), Decision("A")) for i in range(30)])
    r = run("export", book, "--out", tmp_path / "upload.json")
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in tmp_path.glob("upload*.json"))
    assert files[0] == "upload_1.json" and "upload.json" not in files and len(files) > 1
    total = sum(len(assert_valid_upload(tmp_path / f)["invdata"]["b2b"]) for f in files)
    assert total == 30 and len(list((tmp_path / "sent").iterdir())) == len(files)


def test_a_workbook_open_elsewhere_leaves_every_file_as_it_was(tmp_path, monkeypatch):
    """The upload and the workbook recording it are written together or not at all."""
    import os
    book = _book(tmp_path, (example("MC/25-26/0451"), Decision("A")))
    (tmp_path / "u.json").write_text("last month's upload")
    before = {p: p.read_bytes() for p in (book, tmp_path / "u.json")}
    real_replace = os.replace

    def locked(src, dst):              # Excel holds the workbook: its rename is refused
        if str(dst) == str(book):
            raise PermissionError(13, "locked by Excel")
        real_replace(src, dst)
    monkeypatch.setattr("ims_xl.files.atomic.os.replace", locked)
    r = run("export", book, "--out", tmp_path / "u.json")
    assert r.exit_code == 1
    assert f"{book}: cannot be written (is it open in Excel" in r.output
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["march.xlsx", "u.json"]


def test_exporting_again_before_confirmation_says_so(tmp_path):
    book = _book(tmp_path, (example("MC/25-26/0451"), Decision("A")))
    assert run("export", book, "--out", tmp_path / "u1.json").exit_code == 0
    r = run("export", book, "--out", tmp_path / "u2.json")
    assert r.exit_code == 0 and "exported before and not yet confirmed" in r.output


def test_validate_command_lists_issues_with_the_file_and_exits_1(tmp_path):
    book = _book(tmp_path, (example("SE/1187A"), Decision("P")),
                 (example("TT-2026-0093"), Decision("A")),
                 settings={"RecipientGSTIN": "27AABCZ1234K1Z8"})
    r = run("validate", book)
    assert r.exit_code == 1
    assert "ERROR [Recipient GSTIN] in march.xlsx: " in r.output
    assert "ERROR row 2 [Action] in march.xlsx" in r.output
    assert "WARNING row 3 [Action] in march.xlsx" in r.output
    assert "2 error(s), 1 warning(s)" in r.output


def test_validate_command_passes_a_clean_workbook(tmp_path):
    book = _book(tmp_path, (example("MC/25-26/0451"), Decision("A")))
    r = run("validate", book)
    assert r.exit_code == 0 and "0 error(s), 0 warning(s)" in r.output


def test_exported_status_format_is_what_the_error_import_reads():
    from ims_xl.month.export import exported_as
    row = rows_of((example("MC/25-26/0451"), Decision("A"), None,
                   {"upload_status": EXPORTED.format(time="2026-04-05 10:15", file="a b.json")}))[0]
    assert exported_as(row) == ("2026-04-05 10:15", "a b.json")


def test_export_keeps_the_summary_and_earlier_copies(tmp_path):
    summary = [["ITC impact"], ["Accepted", 2, 18000.0]]
    book = save_book(tmp_path / "march.xlsx",
                     [ims_row(example("MC/25-26/0451"), decision=Decision("A"))],
                     summary_rows=summary, exports=[("2026-04-01 09:00", "old.json", 0, "{}")])
    assert run("export", book, "--out", tmp_path / "u.json").exit_code == 0
    back = read_workbook(book)
    assert back.summary_rows[:2] == [["ITC impact", None, None], ["Accepted", 2, 18000.0]]
    assert [e[1] for e in back.exports][0] == "old.json" and len(back.exports) == 2
