"""A whole month through the ribbon functions, on real `xw.Book` objects (issue 6)."""

from __future__ import annotations

import json
import memengine
from xlbench import alerts, click, column, last_alert, table, write_json
from ims_xl.excel import sheets
from ims_xl.workbook.layout import (IMS_COLUMNS, SHEET_HOME, SHEET_IMS, SHEET_LOG, SHEET_MAPPING,
                                    SHEET_PURCHASE, STATUS_COLOURS, index_of)
from ims_xl.model.section import SECTIONS
from ims_xl.portal.upload import dumps

KEY = "Record Key"


def cell_of(book, key_value: str, header: str):
    """The IMS cell in column `header` on the row whose Record Key is `key_value`."""
    t = table(book, SHEET_IMS)
    row = [r[t.header.index(KEY)] for r in t.rows].index(key_value) + t.first_row
    return book.sheets[SHEET_IMS].range((row, t.header.index(header) + 1))


def no_critical(book) -> None:
    bad = [a["prompt"] for a in alerts(book) if a["mode"] == "critical"]
    assert bad == []


def error_file(upload: dict, key: str, message: str) -> dict:
    """The portal's imsDetailsErr for one uploaded record
    (docs/reference/ims-format.md#example-error-file)."""
    for section, records in upload["invdata"].items():
        for r in records:
            number = r[SECTIONS[section].number_key]
            if f"{section}|{r['stin']}|{number}|{r['rtnprd']}" == key:
                return {"imsDetailsErr": {section: [dict(r, error_msg=message)]}}
    raise AssertionError(f"{key} not in the upload")


def upload_keys(path) -> set[str]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {f"{s}|{r['stin']}|{r[SECTIONS[s].number_key]}|{r['rtnprd']}"
            for s, records in doc["invdata"].items() for r in records}


def test_a_whole_month_through_the_ribbon(book, month, tmp_path):
    n = sum(len(v) for v in month.case.download["imsDetails"].values())

    click(book, "import_ims", month.ims)
    no_critical(book)
    assert len(table(book, SHEET_IMS).rows) == n
    assert sheets.read_settings(book)["RecipientGSTIN"] == month.case.recipient

    click(book, "import_books", month.books)
    no_critical(book)
    assert len(table(book, SHEET_PURCHASE).rows) == len(month.case.books)
    assert table(book, SHEET_MAPPING).rows
    assert "Columns used" in last_alert(book)["prompt"]

    click(book, "reconcile")
    no_critical(book)
    statuses = column(book, SHEET_IMS, "Match Status")
    assert all(statuses) and "Matched" in statuses
    assert any(column(book, SHEET_PURCHASE, "Match Status"))

    sheets.home(book)
    memengine.select(book, SHEET_HOME, "C4")          # not on the IMS sheet: all blank rows
    click(book, "apply_suggestions")
    no_critical(book)
    actions = column(book, SHEET_IMS, "Action")
    assert sum(1 for a in actions if a) > n // 2

    # The user overrides one suggestion by hand.
    keys = column(book, SHEET_IMS, KEY)
    mine = next(k for k, a in zip(keys, actions) if a == "Accept" and k.startswith("b2b|"))
    cell_of(book, mine, "Action").value = "Reject"
    cell_of(book, mine, "Remarks").value = "-Goods returned; see debit note"

    click(book, "validate")
    report_alert = last_alert(book)
    assert report_alert["mode"] == "info", report_alert["prompt"]

    out = tmp_path / "out" / "upload.json"
    out.parent.mkdir()
    click(book, "export", out)
    no_critical(book)
    first = json.loads(out.read_text(encoding="utf-8"))
    sent = upload_keys(out)
    chosen = {k for k, a in zip(keys, column(book, SHEET_IMS, "Action"))
              if a and a != "No Action"}                 # the portal holds No Action for all
    assert sent == chosen and mine in sent
    mine_sent = next(r for r in first["invdata"]["b2b"]
                     if f"b2b|{r['stin']}|{r['inum']}|{r['rtnprd']}" == mine)
    assert mine_sent["action"] == "R"
    assert mine_sent["remarks"] == "-Goods returned; see debit note"
    assert all(s.startswith("Exported") for k, s in zip(keys, column(book, SHEET_IMS,
                                                                    "Upload Status"))
               if k in sent)

    # The portal refuses one record.
    failing = next(k for k in sorted(sent) if k != mine)
    errors = write_json(tmp_path / "error.json",
                        dumps(error_file(first, failing, "Invoice might have edited")))
    click(book, "import_errors", errors)
    assert "Invoice might have edited" in cell_of(book, failing, "Portal Error").value
    synced = [s for k, s in zip(keys, column(book, SHEET_IMS, "Upload Status"))
              if k in sent and k != failing]
    assert synced and all("Exported" not in s for s in synced)

    # Fix it and export again: the second upload carries exactly the fixed record.
    cell_of(book, failing, "Action").value = "Pending" if not _pending_blocked(book, failing) \
        else "Reject"
    cell_of(book, failing, "Remarks").value = "Asked the supplier to confirm"
    click(book, "validate")
    assert last_alert(book)["mode"] == "info", last_alert(book)["prompt"]
    again = tmp_path / "out" / "upload_2.json"
    click(book, "export", again)
    no_critical(book)
    assert upload_keys(again) == {failing}

    log = [r[1] for r in table(book, SHEET_LOG).rows]
    assert log[:4] == ["Import IMS", "Import books", "Reconcile", "Apply suggestions"]
    assert log.count("Export") == 2
    exports = table(book, "_Exports")
    assert [r[1][:6] for r in exports.rows] == ["upload", "upload"]
    assert json.loads("".join(exports.rows[1][3:])) == json.loads(again.read_text())


def _pending_blocked(book, key) -> bool:
    return cell_of(book, key, "Pending Blocked").value == "Y"


def test_undo_restores_the_actions_and_redoes(book, month):
    click(book, "import_ims", month.ims)
    click(book, "import_books", month.books)
    click(book, "reconcile")
    keys = column(book, SHEET_IMS, KEY)
    cell_of(book, keys[0], "Action").value = "Reject"
    cell_of(book, keys[0], "Remarks").value = "typed by hand"
    before = column(book, SHEET_IMS, "Action")
    click(book, "apply_suggestions")
    after = column(book, SHEET_IMS, "Action")
    assert after != before and after[0] == "Reject"           # typed action kept
    click(book, "undo")
    no_critical(book)
    assert column(book, SHEET_IMS, "Action") == before
    assert column(book, SHEET_IMS, "Remarks")[0] == "typed by hand"
    click(book, "undo")                                        # again: redo
    assert column(book, SHEET_IMS, "Action") == after


def test_undo_with_nothing_saved_says_so(book):
    click(book, "undo")
    assert last_alert(book)["mode"] == "critical"
    assert "Nothing to undo" in last_alert(book)["prompt"]


def test_apply_suggestions_to_the_selected_rows_only(book, month):
    click(book, "import_ims", month.ims)
    click(book, "import_books", month.books)
    click(book, "reconcile")
    memengine.select(book, SHEET_IMS, "J3:J4")
    click(book, "apply_suggestions")
    actions = column(book, SHEET_IMS, "Action")
    assert [bool(a) for a in actions[:4]] == [False, True, True, False]
    assert not any(actions[4:])


def test_reimport_keeps_typed_actions_and_remarks(book, month):
    click(book, "import_ims", month.ims)
    keys = column(book, SHEET_IMS, KEY)
    cell_of(book, keys[3], "Action").value = "Pending"
    cell_of(book, keys[3], "Remarks").value = "=call supplier"
    click(book, "import_ims", month.ims)
    no_critical(book)
    assert cell_of(book, keys[3], "Action").value == "Pending"
    assert cell_of(book, keys[3], "Remarks").value == "=call supplier"
    assert len(table(book, SHEET_IMS).rows) == len(keys)


def test_a_16_digit_invoice_number_stays_text(book, tmp_path):
    from ims_xl.testdata.generate import make_case
    case = make_case(40, seed=3)
    raw = case.download["imsDetails"]["b2b"][0]
    raw["inum"] = "2025000000012345"
    path = tmp_path / "ims.json"
    path.write_text(dumps(case.download), encoding="utf-8")
    click(book, "import_ims", path)
    numbers = column(book, SHEET_IMS, "Document No")
    assert "2025000000012345" in numbers
    dates = column(book, SHEET_IMS, "Document Date")
    assert all(isinstance(d, str) for d in dates)
    assert all(isinstance(p, str) for p in column(book, SHEET_IMS, "Return Period"))
    amounts = column(book, SHEET_IMS, "Taxable Value")
    assert all(isinstance(a, float) for a in amounts)


def test_a_bad_file_gives_a_message_not_a_traceback(book, tmp_path):
    bad = write_json(tmp_path / "bad.json", '{"imsDetails": {"b2b": [')
    click(book, "import_ims", bad)
    a = last_alert(book)
    assert a["mode"] == "critical" and a["title"] == "IMS Reconciler"
    assert "bad.json" in a["prompt"] and "not valid JSON" in a["prompt"]
    assert memengine.app_of(book)._props["screen_updating"] is True
    assert memengine.app_of(book)._props["status_bar"] is False
    assert table(book, SHEET_IMS).rows == []


def test_an_error_file_given_to_import_ims_is_refused(book, month, tmp_path):
    doc = json.loads(month.ims.read_text(encoding="utf-8"))
    errors = write_json(tmp_path / "err.json", {"imsDetailsErr": doc["imsDetails"]})
    click(book, "import_ims", errors)
    assert "Import Error File" in last_alert(book)["prompt"]


def test_buttons_before_an_import_explain_what_to_do(book):
    for button in ("reconcile", "apply_suggestions", "validate"):
        click(book, button)
        assert "Import IMS JSON first" in last_alert(book)["prompt"], button


def test_export_without_changes_writes_nothing(book, month, tmp_path):
    click(book, "import_ims", month.ims)
    out = tmp_path / "upload.json"
    click(book, "export", out)
    assert not out.exists()
    assert "nothing to upload" in last_alert(book)["prompt"]


def test_export_refused_while_validation_finds_errors(book, month, tmp_path):
    click(book, "import_ims", month.ims)
    keys = column(book, SHEET_IMS, KEY)
    cell_of(book, keys[0], "Action").value = "Maybe"
    out = tmp_path / "upload.json"
    click(book, "export", out)
    assert not out.exists()
    assert last_alert(book)["mode"] == "critical"
    assert "error" in last_alert(book)["prompt"]
    assert cell_of(book, keys[0], "Validation").value


def test_declared_amounts_travel_as_numbers(book, month):
    click(book, "import_ims", month.ims)
    t = table(book, SHEET_IMS)
    at = t.header.index("Declared CGST")
    assert IMS_COLUMNS[index_of(IMS_COLUMNS, "decl_cgst")].header == "Declared CGST"
    assert all(r[at] is None or isinstance(r[at], float) for r in t.rows)


def test_a_workbook_without_our_sheets_gets_them_laid_out(bare_book, month):
    click(bare_book, "import_ims", month.ims)
    no_critical(bare_book)
    names = bare_book.sheet_names
    assert {SHEET_IMS, SHEET_HOME, SHEET_LOG} <= set(names)
    status = index_of(IMS_COLUMNS, "status") + 1
    rules = memengine.mem(bare_book).sheet(SHEET_IMS).cond_formats
    assert len(rules) == len(STATUS_COLOURS) and all(r[1] == status for r in rules)
    assert sheets.read_settings(bare_book)["RecipientGSTIN"] == month.case.recipient
    assert bare_book.sheets[SHEET_IMS]["D2"].number_format == "@"


def test_another_clients_download_is_refused(book, month):
    sheets.write_setting(book, "RecipientGSTIN", "29AAFFT5678M1Z9")
    click(book, "import_ims", month.ims)
    a = last_alert(book)
    assert a["mode"] == "critical" and "right workbook" in a["prompt"]
    assert table(book, SHEET_IMS).rows == []


def test_export_needs_a_valid_recipient_gstin(book, month, tmp_path):
    click(book, "import_ims", month.ims)
    keys = column(book, SHEET_IMS, KEY)
    cell_of(book, keys[0], "Action").value = "Reject"
    cell_of(book, keys[0], "Remarks").value = "not ours"
    sheets.write_setting(book, "RecipientGSTIN", "27AAAAA0000A1Z0")
    out = tmp_path / "upload.json"
    click(book, "export", out)
    assert not out.exists()
    assert "Recipient GSTIN" in last_alert(book)["prompt"]
    sheets.write_setting(book, "RecipientGSTIN", "")
    click(book, "export", out)
    assert "blank" in last_alert(book)["prompt"] and not out.exists()
