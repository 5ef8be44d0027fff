"""The month end to end through files, and the column updates the live workbook writes."""

import json

from click.testing import CliRunner

from ims_xl.register import entries_from_rows, purchase_rows, read_register
from ims_xl.cli import main
from ims_xl.portal.download import read_ims
from ims_xl.testdata.generate import make_case, write_books_csv
from ims_xl.workbook.layout import FIRST_ROW
from ims_xl.month.pipeline import result_updates
from ims_xl.reconcile import reconcile
from ims_xl.workbook.ims_sheet import ims_row, read_ims_rows
from ims_xl.workbook.layout import IMS_COLUMNS, headers
from ims_xl.portal.upload import dumps


def _month(tmp_path, n=30, seed=5):
    case = make_case(n, seed=seed, perturb={"missing": 0.2, "amount_diff": 0.1})
    ims = tmp_path / "ims.json"
    ims.write_text(dumps(case.download))
    books = tmp_path / "books.csv"
    write_books_csv(case.books, books)
    return case, ims, books


def test_reconcile_command_writes_workbook_and_result_json(tmp_path):
    case, ims, books = _month(tmp_path)
    out, res = tmp_path / "march.xlsx", tmp_path / "result.json"
    r = CliRunner().invoke(main, ["reconcile", "--ims", str(ims), "--books", str(books),
                                  "--out", str(out), "--json", str(res),
                                  "--gstin", case.recipient])
    assert r.exit_code == 0, r.output
    doc = json.loads(res.read_text())
    lines = books.read_text().splitlines()
    assert len(doc["ims"]) == 30
    for item in doc["ims"]:
        assert set(item) >= {"section", "stin", "doc_num", "doc_date", "status", "books_rows",
                             "suggested_action", "reason"}
        index, how = case.truth["|".join((item["section"], item["stin"], item["doc_num"],
                                          item["doc_date"][3:5] + item["doc_date"][6:]))]
        if how == "missing":
            assert item["status"] == "missing_in_books" and item["books_rows"] == []
        else:                       # books_rows are the CSV's line numbers, header counted
            (row,) = item["books_rows"]
            assert lines[row - 1].split(",")[2].upper().replace(" ", "") == \
                case.books[index]["Bill No"].upper().replace(" ", "")
    for item in doc["books_only"]:
        assert lines[item["row"] - 1].startswith(item["stin"])
    assert "Only in IMS" in r.output and out.exists()


def test_purchase_results_land_on_their_rows_past_a_blank_row(tmp_path):
    case, ims, books = _month(tmp_path)
    register = read_register(books)
    rows = purchase_rows(register.entries)
    rows.insert(3, [""] * len(rows[0]))              # a user left a blank line on the sheet
    entries = entries_from_rows(rows)
    records = read_ims(ims).records
    sheet = read_ims_rows(headers(IMS_COLUMNS), [ims_row(r) for r in records])
    result = reconcile(records, entries)
    _, purchase = result_updates(result, sheet, entries)
    assert FIRST_ROW + 3 not in purchase["status"]    # the blank row gets nothing
    for entry in entries:
        j = result.books_match.get(entry.row)
        want = "" if j is None else sheet[j].row
        assert purchase["ims_row"][entry.sheet_row] == want
        doc_at = rows[entry.sheet_row - FIRST_ROW][3]
        assert doc_at == entry.doc_number


def test_first_run_saves_the_detected_mapping_for_next_month(tmp_path):
    case, ims, books = _month(tmp_path)
    settings = tmp_path / "client.json"
    args = ["reconcile", "--ims", str(ims), "--books", str(books), "--out",
            str(tmp_path / "m.xlsx"), "--gstin", case.recipient, "--mapping", str(settings)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0 and "saved the column mapping" in r.output
    saved = json.loads(settings.read_text())["mapping"]
    assert saved["doc_number"] == "Bill No" and saved["supplier_gstin"] == "GSTIN"
    settings.write_text(json.dumps({"mapping": saved, "ToleranceRupees": 5}))
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0 and "saved the column mapping" not in r.output   # reused as is
    assert json.loads(settings.read_text())["ToleranceRupees"] == 5


def test_past_excels_sheet_size_the_json_is_written_and_the_workbook_refused(tmp_path,
                                                                             monkeypatch):
    """A download with more records than a sheet has rows (limit shrunk to 50 here)."""
    from pathlib import Path

    from ims_xl.workbook.build import sheetdata
    golden = Path(__file__).parent / "workbook" / "golden"
    monkeypatch.setattr(sheetdata, "MAX_ROWS", 51)
    args = ["reconcile", "--ims", str(golden / "ims.json"), "--books", str(golden / "books.csv"),
            "--gstin", "27AJICO7272Q1Z0", "--out", str(tmp_path / "OUT.xlsx")]
    done = CliRunner().invoke(main, args + ["--json", str(tmp_path / "R.json")])
    assert done.exit_code == 1
    assert "120 IMS records do not fit in one Excel sheet (at most 50 rows)" in done.output
    assert "wrote" in done.output and "R.json only" in done.output
    assert not (tmp_path / "OUT.xlsx").exists()
    result = json.loads((tmp_path / "R.json").read_text(encoding="utf-8"))
    assert len(result["ims"]) == 120 and result["ims"][0]["status"]

    (tmp_path / "R.json").unlink()
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 1 and "Add --json" in done.output
    assert "Traceback" not in done.output and not list(tmp_path.iterdir())
