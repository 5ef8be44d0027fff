"""Manual links through real files: typed into a saved workbook, honoured by
`ims-xl reconcile --previous` and `ims-xl batch`, kept for the next run, checked by Validate."""

import json

import openpyxl
import pytest
from click.testing import CliRunner

from ims_xl.month.batch import RESULT_NAME
from ims_xl.workbook.data import read_workbook
from ims_xl.cli import main
from ims_xl.testdata.generate import book_entries, make_case, write_books_csv
from ims_xl.workbook.layout import IMS_COLUMNS, PURCHASE_COLUMNS, SHEET_IMS
from ims_xl.portal.upload import dumps

SITUATIONS = {"link_other_number": 0.08, "link_moved": 0.08, "link_none": 0.08,
              "club_books": 0.05, "club_ims": 0.05, "missing": 0.05}
HEADER = {c.key: c.header for c in IMS_COLUMNS}
PURCHASE = [c.header for c in PURCHASE_COLUMNS]


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    folder = tmp_path_factory.mktemp("links")
    case = make_case(240, seed=41, suppliers=8, perturb=SITUATIONS)
    (folder / "march.json").write_text(dumps(case.download))
    write_books_csv(case.books, folder / "register.csv")
    books = book_entries(case.books)              # CSV lines: the register's row numbers
    typed = {k: v if v == "none" else books[v].row for k, v in case.links.items()}
    assert {type(v) for v in typed.values()} == {str, int} and len(typed) >= 20
    return folder, case, books, typed


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def type_links(path, typed: dict) -> None:
    """What a user does in Excel: type the row (a number) or `none` in Link Books Row."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_IMS]
    header = [c.value for c in ws[1]]
    key_at, link_at = header.index(HEADER["key"]), header.index(HEADER["link"])
    for row in ws.iter_rows(min_row=2):
        if row[key_at].value in typed:
            row[link_at].value = typed[row[key_at].value]
    wb.save(path)


def sheet(path) -> dict:
    """Record key -> {column key: cell} of the IMS sheet of a saved workbook."""
    data = read_workbook(path)
    at = {h: i for i, h in enumerate(data.ims_header)}
    return {r[at[HEADER["key"]]]: {c.key: r[at[c.header]] for c in IMS_COLUMNS}
            for r in data.ims_rows}


def expected(case, books, key) -> tuple:
    index, how = case.truth[key]
    rows = [books[i].row for i in case.groups.get(key, [] if index is None else [index])]
    return ", ".join(map(str, sorted(rows))), how


def check_links_held(case, books, cells: dict, doc: dict) -> None:
    by_doc = {(d["section"], d["stin"], d["doc_num"]): d for d in doc["ims"]}
    for key, cell in cells.items():
        rows, how = expected(case, books, key)
        section, stin, number, _ = key.split("|")
        d = by_doc[(section, stin, number)]
        assert cell["books_rows"] == rows, (how, cell["reason"])
        assert d["manual"] is (how in ("link_other_number", "link_moved", "link_none")), how
        if how in ("link_other_number", "link_moved"):
            assert cell["reason"].startswith("Manual match: you linked books row")
        if how == "link_lost":
            assert "is linked by hand to IMS" in cell["reason"]


def check_clubs_on_the_purchase_sheet(case, books, path) -> None:
    """A clubbed books row is Probable match and names one of its records' IMS rows."""
    data = read_workbook(path)
    key_at = data.ims_header.index(HEADER["key"])
    ims_row_of = {r[key_at]: n for n, r in enumerate(data.ims_rows, 2)}
    purchase = {int(r[0]): r for r in data.purchase_rows}
    status_at, ims_at = PURCHASE.index("Match Status"), PURCHASE.index("IMS Row")
    clubbed = 0
    for key, (index, how) in case.truth.items():
        for i in case.groups.get(key, [index] if how.startswith("club") else []):
            row = purchase[books[i].row]
            members = {ims_row_of[k] for k, (j, h) in case.truth.items()
                       if h == how and (j == i or k == key)}
            assert row[status_at] == "Probable match" and int(row[ims_at]) in members
            clubbed += 1
    assert clubbed >= 10


def test_links_typed_into_last_months_workbook_hold_in_the_next_run(month, tmp_path):
    folder, case, books, typed = month
    first = tmp_path / "march.xlsx"
    run("reconcile", "--ims", folder / "march.json", "--books", folder / "register.csv",
        "--out", first)
    before = sheet(first)
    linked = [k for k, (_, how) in case.truth.items() if how in ("link_other_number",
                                                                 "link_moved")]
    assert all(before[k]["books_rows"] == "" for k in linked)     # the rules alone miss them
    type_links(first, typed)
    again = tmp_path / "march-2.xlsx"
    run("reconcile", "--ims", folder / "march.json", "--books", folder / "register.csv",
        "--previous", first, "--out", again, "--json", tmp_path / "result.json")
    cells = sheet(again)
    check_links_held(case, books, cells, json.loads((tmp_path / "result.json").read_text()))
    # the link cells came along, so a third run (from the new workbook) still has them
    assert {k: c["link"] for k, c in cells.items() if c["link"] not in ("", None)} == \
        {k: str(v) for k, v in typed.items()}
    check_clubs_on_the_purchase_sheet(case, books, again)
    third = tmp_path / "march-3.xlsx"
    run("reconcile", "--ims", folder / "march.json", "--books", folder / "register.csv",
        "--previous", again, "--out", third, "--json", tmp_path / "result3.json")
    check_links_held(case, books, sheet(third),
                     json.loads((tmp_path / "result3.json").read_text()))


def test_batch_keeps_the_links_typed_into_its_last_workbook(month, tmp_path):
    folder, case, books, typed = month
    client = tmp_path / "clients" / "Acme"
    client.mkdir(parents=True)
    for name in ("march.json", "register.csv"):
        (client / name).write_bytes((folder / name).read_bytes())
    run("batch", tmp_path / "clients", "--jobs", 1)
    type_links(client / RESULT_NAME, typed)
    for _ in range(2):                             # and again: the links were written back
        run("batch", tmp_path / "clients", "--jobs", 1)
        cells = sheet(client / RESULT_NAME)
        for key in typed:
            assert cells[key]["books_rows"] == expected(case, books, key)[0]
            assert cells[key]["link"] == str(typed[key])


def test_validate_names_the_row_of_a_link_that_cannot_hold(month, tmp_path):
    folder, case, books, typed = month
    out = tmp_path / "march.xlsx"
    run("reconcile", "--ims", folder / "march.json", "--books", folder / "register.csv",
        "--out", out)
    keys = list(sheet(out))
    type_links(out, {keys[0]: 99999, keys[1]: "row 7", keys[2]: books[0].row,
                     keys[3]: books[0].row})
    result = CliRunner().invoke(main, ["validate", str(out)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith("ERROR row 2 [Link Books Row]") and "there is no books row "
               "99999" in line for line in lines), result.output
    assert any(line.startswith("ERROR row 3 [Link Books Row]") and "'row 7' is not a books "
               "row" in line for line in lines)
    assert any(line.startswith("ERROR row 5 [Link Books Row]") and "also linked from row 4"
               in line for line in lines)
    assert not any(line.startswith("ERROR row 4 [Link Books Row]") for line in lines)


def test_next_months_books_hold_the_linked_documents_on_other_rows(month, tmp_path):
    """A link names a row of the books it was typed against: it follows the document."""
    folder, case, books, typed = month
    first = tmp_path / "march.xlsx"
    run("reconcile", "--ims", folder / "march.json", "--books", folder / "register.csv",
        "--out", first)
    type_links(first, typed)
    rows = {k: v for k, v in typed.items() if v != "none"}
    dropped_key = next(iter(rows))                 # its document is left out of the new books
    dropped = case.links[dropped_key]
    reordered = [b for i, b in enumerate(case.books) if i != dropped][::-1]
    write_books_csv(reordered, tmp_path / "april.csv")
    new_row = {id(b): n for n, b in enumerate(reordered, 2)}      # CSV line of each document
    run("reconcile", "--ims", folder / "march.json", "--books", tmp_path / "april.csv",
        "--previous", first, "--out", tmp_path / "april.xlsx", "--json", tmp_path / "r.json")
    cells = sheet(tmp_path / "april.xlsx")
    moved = 0
    for key, old in rows.items():
        got = cells[key]
        if key == dropped_key:
            assert got["link"].startswith(f"row {old} of the earlier books: ")
            assert got["link"].endswith("is not in these books")
            assert "Your Link Books Row was not used" in got["reason"]
            assert not got["reason"].startswith("Manual match")
            continue
        now = new_row[id(case.books[case.links[key]])]
        assert (got["link"], got["books_rows"]) == (str(now), str(now))
        assert got["reason"].startswith(f"Manual match: you linked books row {now}.")
        moved += now != old
    assert moved >= 10
    log = read_workbook(tmp_path / "april.xlsx").log_rows
    assert any(r[1] == "Manual links" and "is not in these books; link it again" in r[2]
               for r in log)
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "april.xlsx")])
    assert result.exit_code == 1 and "[Link Books Row]" in result.output
