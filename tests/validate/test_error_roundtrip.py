"""The portal's error file back into the workbook; the export -> errors -> fix -> export cycle."""

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from ims_xl.cli import main
from ims_xl.model.document import Decision
from ims_xl.portal.download import parse_document, read_ims
from ims_xl.month.import_errors import ERROR_STATUS, SYNCED_STATUS, apply_error_file, sent_records
from ims_xl.model.errors import ImsFormatError
from ims_xl.workbook.data import read_workbook
from ims_xl.month.export import EXPORTED, plan_export
from ims_xl.workbook.ims_sheet import _parse_portal_state, apply_updates, ims_row, read_ims_rows
from tests.validate.test_worked_example import DECISIONS
from tests.validate.vhelp import (HEADER, as_list, assert_valid_upload, cell, example_records,
                                  load_rows, record, rows_of, save_book)

# docs/reference/ims-format.md#example-error-file, verbatim.
ERROR_TEXT = """{ "imsDetailsErr": { "b2b": [
  { "stin": "29AAFFT5678M1Z9", "inum": "TT-2026-0093", "inv_typ": "R", "idt": "12-03-2026", "val": 59000.00,
    "action": "P", "pos": "27", "txval": 50000.00, "iamt": 9000.00, "camt": 0, "samt": 0, "cess": 0,
    "srcform": "R1", "rtnprd": "032026",
    "error_msg": "Either previous action is incorrect/ invoice might have edited by supplier" } ] } }"""

STAMP = EXPORTED.format(time="2026-04-05 10:15", file="upload.json")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def errors(doc):
    return parse_document("errors.json", json.loads(doc, parse_float=Decimal) if isinstance(
        doc, str) else doc)


def exported_rows(status=STAMP):
    """The docs/reference/ims-format.md#worked-example rows as they stand after an export: the four
    changed rows stamped."""
    specs = []
    for rec in example_records():
        dec = DECISIONS[rec.doc_number]
        stamp = status if not dec.same_as(Decision.portal_state(rec)) else ""
        specs.append((rec, dec, None, {"upload_status": stamp}))
    return rows_of(*specs)


def test_messages_on_their_rows_and_the_rest_of_the_export_synced():
    rows = exported_rows()
    result = apply_error_file(rows, errors(ERROR_TEXT))
    tt, mc, se, cn, eco = (next(r for r in rows if r.record.doc_number == n) for n in
                           ("TT-2026-0093", "MC/25-26/0451", "SE/1187A", "MC/CN/0012",
                            "ECO/TN/55421"))
    u = result.updates
    assert u["portal_error"] == {tt.row: "Either previous action is incorrect/ invoice might "
                                         "have edited by supplier"}
    assert u["upload_status"][tt.row] == ERROR_STATUS
    assert {n: u["upload_status"][n] for n in (mc.row, se.row, cn.row)} == dict.fromkeys(
        (mc.row, se.row, cn.row), SYNCED_STATUS)
    assert eco.row not in u["upload_status"] and tt.row not in u["portal_state"]
    assert _parse_portal_state(u["portal_state"][cn.row]).same_as(cn.decision)
    assert u["portal_action"][mc.row] == "Accept"
    assert result.counts == {"errors": 1, "rows": 1, "unmatched": 0, "synced": 3}
    # The next export holds exactly the row to fix.
    after = read_ims_rows(HEADER, apply_updates(HEADER, [as_list(r) for r in rows], u))
    assert [r.record.doc_number for r in plan_export(after)] == ["TT-2026-0093"]


def test_api_error_report_matches_without_period_and_on_inum_in_note_sections():
    report = {"error_report": {
        "B2B": [{"stin": "29AAFFT5678M1Z9", "error_cd": "IMSSAV0010",
                 "error_msg": "Either previous action is incorrect",
                 "inv": [{"inum": "TT-2026-0093"}]}],
        "CN": [{"stin": "27AAHCM1357N1Z2", "error_cd": "IMSSAV0054",
                "error_msg": "ITC reduction declaration required",
                "inv": [{"inum": "MC/CN/0012", "rtnprd": "03"}]}],         # MM, not MMYYYY
        "B2BA": [{"stin": "07AAGPS9876Q1ZE", "error_msg": "unknown record",
                  "inv": [{"inum": "NOPE-1", "rtnprd": "022026"}]}]}}
    dl = errors({"data": report})
    assert dl.kind == "errors" and all(r.raw == {} for r in dl.records)
    assert [r.section for r in dl.records] == ["b2b", "b2bcn", "b2ba"]
    rows = exported_rows()
    result = apply_error_file(rows, dl)
    by_number = {r.record.doc_number: r.row for r in rows}
    assert result.updates["portal_error"] == {
        by_number["TT-2026-0093"]: "IMSSAV0010: Either previous action is incorrect",
        by_number["MC/CN/0012"]: "IMSSAV0054: ITC reduction declaration required"}
    assert [r.doc_number for r in result.unmatched] == ["NOPE-1"]
    assert result.counts["synced"] == 2                       # MC and SE


def test_a_download_is_not_an_error_file():
    from tests.validate.vhelp import DOWNLOAD_TEXT
    with pytest.raises(ImsFormatError, match="not a portal error file"):
        apply_error_file(exported_rows(), errors(DOWNLOAD_TEXT))


def test_a_split_export_syncs_only_the_files_the_error_file_answers_for():
    recs = [record("b2b", f"INV-{i}") for i in range(4)]
    files = ["up_1.json", "up_1.json", "up_2.json", "up_2.json"]
    rows = rows_of(*[(r, Decision("A"), None,
                      {"upload_status": EXPORTED.format(time="2026-04-05 10:15", file=f)})
                     for r, f in zip(recs, files)])
    dl = errors({"imsDetailsErr": {"b2b": [dict(recs[0].raw, error_msg="bad")]}})
    result = apply_error_file(rows, dl)
    assert result.updates["upload_status"] == {2: ERROR_STATUS, 3: SYNCED_STATUS}
    assert result.uncovered == ["up_2.json"]


def test_a_row_edited_after_export_gets_the_sent_state_and_stays_due():
    rec = example_records()[0]
    sent_doc = {"rtin": "X", "reqtyp": "SAVE", "invdata": {"b2b": [
        {**{k: rec.raw[k] for k in ("stin", "inum", "rtnprd")}, "action": "A"}]}}
    rows = rows_of((rec, Decision("R", "changed my mind"), None, {"upload_status": STAMP}))
    result = apply_error_file(rows, errors({"imsDetailsErr": {}}),
                              sent=sent_records([("copy.json", json.dumps(sent_doc))]))
    state = _parse_portal_state(result.updates["portal_state"][2])
    assert state.action == "A"                                   # what the portal holds
    assert not rows[0].decision.same_as(state)                   # the edit is exported next


def test_no_recorded_export_syncs_nothing():
    rows = exported_rows(status="")
    result = apply_error_file(rows, errors(ERROR_TEXT))
    assert result.counts["synced"] == 0 and result.counts["rows"] == 1


# The whole cycle through real files and the command line ---------------------------------------

def test_export_error_file_fix_export(tmp_path):
    book = save_book(tmp_path / "march.xlsx",
                     [ims_row(rec, decision=DECISIONS[rec.doc_number])
                      for rec in example_records()])
    r = run("export", book, "--out", tmp_path / "upload.json")
    assert r.exit_code == 0, r.output
    assert_valid_upload(tmp_path / "upload.json")

    err = tmp_path / "error_report.json"
    err.write_text(ERROR_TEXT, encoding="utf-8")
    r = run("import-errors", book, err)
    assert r.exit_code == 0, r.output
    assert "messages on 1 row(s)" in r.output and "3 row(s) of the last export marked synced" \
        in r.output and "row 3: Either previous action" in r.output
    data, rows = load_rows(book)
    assert cell(data.ims_rows, 3, "portal_error").startswith("Either previous action")
    assert cell(data.ims_rows, 3, "upload_status") == ERROR_STATUS
    assert cell(data.ims_rows, 3, "action") == "Pending"                 # the user's action kept
    assert [r.record.doc_number for r in plan_export(rows)] == ["TT-2026-0093"]
    assert data.log_rows[-1][1] == "Import errors"

    # Fix in "Excel": the supplier's edit is confirmed, so reject with a remark.
    fixed = apply_updates(data.ims_header, data.ims_rows,
                          {"action": {3: "Reject"}, "remarks": {3: "Amount differs from PO"}})
    save_book(book, fixed, data.settings, log_rows=data.log_rows, exports=read_workbook(book).exports)
    r = run("export", book, "--out", tmp_path / "upload2.json")
    assert r.exit_code == 0, r.output
    second = assert_valid_upload(tmp_path / "upload2.json")
    assert second["invdata"] == {"b2b": [{
        "stin": "29AAFFT5678M1Z9", "inum": "TT-2026-0093", "inv_typ": "R", "idt": "12-03-2026",
        "val": 59000.0, "action": "R", "pos": "27", "txval": 50000.0, "iamt": 9000.0,
        "camt": 0, "samt": 0, "cess": 0, "remarks": "Amount differs from PO", "srcform": "R1",
        "rtnprd": "032026"}]}
    assert len(read_workbook(book).exports) == 2                                  # both uploads kept


def test_unmatched_error_records_are_reported_not_dropped(tmp_path):
    book = save_book(tmp_path / "march.xlsx", [ims_row(r) for r in example_records()])
    err = tmp_path / "err.json"
    err.write_text(json.dumps({"imsDetailsErr": {"b2b": [dict(
        json.loads(json.dumps(record("b2b", "GHOST-1").raw, default=str)),
        error_msg="no such record")]}}), encoding="utf-8")
    r = run("import-errors", book, err, "--out", tmp_path / "march2.xlsx")
    assert r.exit_code == 0, r.output
    assert "not in march.xlsx: B2B 27AAHCM1357N1Z2 GHOST-1 (period 032026): no such record" \
        in r.output
    assert (tmp_path / "march2.xlsx").exists()


def test_import_errors_reads_the_error_file_by_content_not_name(tmp_path):
    err = tmp_path / "whatever.json"
    err.write_text(ERROR_TEXT, encoding="utf-8")
    assert read_ims(err).kind == "errors"
