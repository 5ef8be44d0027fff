"""The practice features on the real pipeline: reconcile, summary, statements, --previous."""

import copy
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from ims_xl.workbook.data import read_workbook
from ims_xl.cli import main
from ims_xl.testdata.generate import make_case, write_books_csv
from ims_xl.workbook.ims_sheet import apply_updates, read_ims_rows
from ims_xl.portal.upload import dumps

CREDIT = {"b2bcn", "b2bcna"}
PORTAL_KEYS = {"igst": "iamt", "cgst": "camt", "sgst": "samt", "cess": "cess"}


def _cli(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def march(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("march")
    case = make_case(300, seed=51, perturb={"amount_diff": 0.1, "missing": 0.1})
    (tmp / "march.json").write_text(dumps(case.download))
    write_books_csv(case.books, tmp / "register.csv")
    _cli("reconcile", "--ims", tmp / "march.json", "--books", tmp / "register.csv",
         "--out", tmp / "march.xlsx")
    return case, tmp


def test_summary_of_a_reconciled_workbook(march):
    case, tmp = march
    doc = json.loads(_cli("summary", tmp / "march.xlsx", "--json"), parse_float=Decimal)
    sections = case.download["imsDetails"]
    for h, k in PORTAL_KEYS.items():
        inv = sum(r[k] for s, items in sections.items() if s not in CREDIT for r in items)
        cn = sum(r[k] for s, items in sections.items() if s in CREDIT for r in items)
        assert doc["itc"]["no_action"][h] == inv
        assert doc["itc"]["cn_reduction"][h] == cn
        assert doc["itc"]["net"][h] == inv - cn
    n = sum(len(v) for v in sections.values())
    assert doc["records"] == n == sum(v["records"] for k, v in doc["by_status"].items()
                                      if k != "Only in books")
    assert doc["by_status"]["Only in books"]["records"] >= 1


def test_statements_of_a_reconciled_workbook(march):
    _, tmp = march
    out = tmp / "statements"
    _cli("statements", tmp / "march.xlsx", "--out", out)
    from python_calamine import CalamineWorkbook
    combined = CalamineWorkbook.from_path(str(out / "_All_suppliers.xlsx"))
    lines = combined.get_sheet_by_name("Differences").to_python()
    head, body = lines[0], lines[1:]
    diffs = [dict(zip(head, r)) for r in body if r[2] == "Details differ"]
    assert diffs and all(d["As reported by supplier"] != "" and d["As in our books"] != ""
                         for d in diffs)
    assert {d["Field"] for d in diffs} >= {"Taxable value"}


def test_previous_month_carried_and_pending_gone_logged(march, tmp_path):
    case, tmp = march
    # March: the user keeps some records Pending with a remark.
    data = read_workbook(tmp / "march.xlsx")
    rows = read_ims_rows(data.ims_header, data.ims_rows)
    pending = [r for r in rows if int(r.record.raw["hash"][-1], 16) < 3]
    updates = {"action": {r.row: "Pending" for r in pending},
               "remarks": {r.row: f"ask for {r.record.doc_number}" for r in pending}}
    data.ims_rows = apply_updates(data.ims_header, data.ims_rows, updates)
    from ims_xl.workbook.writer import write_workbook
    write_workbook(tmp_path / "march.xlsx", data)
    # April: half the pending records come back; everything else was filed into 2B.
    back = {r.record.key for r in pending if int(r.record.raw["hash"][-2], 16) % 2}
    gone = {r.record.key for r in pending} - back
    april = {"imsDetails": {}}
    for section, items in case.download["imsDetails"].items():
        for raw in items:
            key = f"{section}|{raw['stin']}|{raw.get('inum') or raw.get('nt_num')}|{raw['rtnprd']}"
            if key in back:
                april["imsDetails"].setdefault(section, []).append(dict(copy.deepcopy(raw),
                                                                        action="P"))
    new = make_case(50, seed=52)
    for section, items in new.download["imsDetails"].items():
        april["imsDetails"].setdefault(section, []).extend(items)
    (tmp_path / "april.json").write_text(dumps(april))
    write_books_csv(new.books, tmp_path / "april.csv")
    _cli("reconcile", "--ims", tmp_path / "april.json", "--books", tmp_path / "april.csv",
         "--previous", tmp_path / "march.xlsx", "--out", tmp_path / "april.xlsx")
    out = read_workbook(tmp_path / "april.xlsx")
    now = {r.record.key: r for r in read_ims_rows(out.ims_header, out.ims_rows)}
    assert back and all(now[k].decision.action == "P" for k in back)
    assert all(now[k].decision.remarks.startswith("ask for") for k in back)
    logged = " ".join(str(r[2]) for r in out.log_rows if r[1] == "Pending gone")
    assert gone and all(k.split("|")[2] in logged for k in gone)
