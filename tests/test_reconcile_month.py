"""`reconcile_month`: the month on data already read, stamped with the `now` it is given."""

import copy
from datetime import datetime

from ims_xl.month.pipeline import reconcile_client, reconcile_month
from ims_xl.portal.download import parse_document
from ims_xl.portal.upload import dumps
from ims_xl.reconcile.result import MISSING
from ims_xl.register import read_register
from ims_xl.testdata.generate import make_case, write_books_csv
from ims_xl.workbook.layout import IMS_COLUMNS, index_of

MARCH, APRIL = datetime(2026, 3, 5, 9, 7, 41), datetime(2026, 4, 6, 18, 30)
KEY, ACTION = index_of(IMS_COLUMNS, "key"), index_of(IMS_COLUMNS, "action")


def _inputs(tmp_path, seed=5):
    case = make_case(30, seed=seed, perturb={"missing": 0.2, "amount_diff": 0.1})
    (tmp_path / "ims.json").write_text(dumps(case.download))
    write_books_csv(case.books, tmp_path / "books.csv")
    return case, parse_document("ims.json", case.download), read_register(tmp_path / "books.csv")


def test_the_month_is_stamped_with_the_given_now_and_reads_no_file(tmp_path):
    case, download, register = _inputs(tmp_path)
    settings = {"RecipientGSTIN": case.recipient}
    by_files = reconcile_client([tmp_path / "ims.json"], tmp_path / "books.csv",
                               settings=settings, now=MARCH)
    for f in tmp_path.iterdir():
        f.unlink()                    # anything it tried to read now would be missing
    data, doc = reconcile_month(download, register, settings=settings, now=MARCH)
    assert [row[:2] for row in data.log_rows] == [["2026-03-05 09:07", "Import IMS"],
                                                 ["2026-03-05 09:07", "Import books"],
                                                 ["2026-03-05 09:07", "Reconcile"]]
    assert data.log_rows[0][2] == "30 record(s) from ims.json"
    assert data.log_rows[1][2].startswith(f"{len(case.books)} document(s) from books.csv")
    assert len(doc["ims"]) == 30 and data.settings["RecipientGSTIN"] == case.recipient
    missing = sum(1 for item in doc["ims"] if item["status"] == MISSING)
    assert missing == sum(1 for i, _ in case.truth.values() if i is None) > 0
    assert (data.log_rows, data.ims_rows, doc) == (by_files[0].log_rows, by_files[0].ims_rows,
                                                   by_files[1])     # the wrapper adds nothing


def test_earlier_workbooks_carry_the_work_typed_in_them_under_the_new_stamp(tmp_path):
    case, download, register = _inputs(tmp_path)
    march, _ = reconcile_month(download, register, settings={}, now=MARCH)
    typed = copy.deepcopy(march)
    typed.ims_rows[3][ACTION] = "Reject"
    april, _ = reconcile_month(download, register, settings={}, earlier=[typed], now=APRIL)
    carried = [row for row in april.log_rows if row[1] == "Carry forward"]
    assert [row[0] for row in carried] == ["2026-04-06 18:30"]
    rows = {row[KEY]: row for row in april.ims_rows}
    assert rows[typed.ims_rows[3][KEY]][ACTION] == "Reject"
    assert sum(1 for row in april.ims_rows if row[ACTION] == "Reject") == 1
    assert march.log_rows[0][0] == "2026-03-05 09:07"        # the earlier month is untouched


def test_reconcile_stops_when_gstin_and_the_settings_name_other_clients(tmp_path):
    from click.testing import CliRunner
    from ims_xl.cli import main
    case, _, _ = _inputs(tmp_path)
    settings = tmp_path / "settings.json"
    settings.write_text('{"RecipientGSTIN": "29AAFFT5678M1Z9"}')
    r = CliRunner().invoke(main, ["reconcile", "--ims", str(tmp_path / "ims.json"), "--books",
                                  str(tmp_path / "books.csv"), "--out", str(tmp_path / "m.xlsx"),
                                  "--mapping", str(settings), "--gstin", case.recipient])
    assert r.exit_code == 1 and not (tmp_path / "m.xlsx").exists()
    assert (f"--gstin {case.recipient} differs from RecipientGSTIN in the settings "
            "29AAFFT5678M1Z9: is this the right workbook?") in r.output, r.output
    assert "Traceback" not in r.output
