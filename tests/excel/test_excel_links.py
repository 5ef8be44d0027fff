"""Link Books Row on real `xw.Book` objects: typed link -> Reconcile -> manual match; a
re-import keeps it; a moved row says so on both rows; a bad link is a validation error."""

from __future__ import annotations

import copy

import pytest

from test_excel_month import cell_of, no_critical
from xlbench import click, column, table
from ims_xl.testdata.generate import book_entries, make_case, write_books_csv
from ims_xl.workbook.layout import IMS_COLUMNS, SHEET_IMS, SHEET_PURCHASE
from ims_xl.portal.upload import dumps

H = {c.key: c.header for c in IMS_COLUMNS}
KEY = H["key"]


@pytest.fixture
def linked(book, tmp_path):
    """A month with link situations, imported; returns the case and the typed links."""
    case = make_case(120, seed=51, suppliers=6,
                     perturb={"link_other_number": 0.1, "link_moved": 0.1, "link_none": 0.1})
    ims = tmp_path / "ims.json"
    ims.write_text(dumps({"rtin": case.recipient, **case.download}), encoding="utf-8")
    books = tmp_path / "register.csv"
    write_books_csv(case.books, books)
    click(book, "import_ims", ims)
    click(book, "import_books", books)
    rows = book_entries(case.books)
    typed = {k: "none" if v == "none" else rows[v].row for k, v in case.links.items()}
    for n, (key, link) in enumerate(typed.items()):
        # some typed as text, some as a number (a cell the user re-formatted)
        cell_of(book, key, H["link"]).value = str(link) if n % 2 else link
    return case, rows, typed, ims


def cells(book, key: str) -> dict:
    return {k: cell_of(book, key, h).value for k, h in H.items()
            if k in ("status", "reason", "books_rows", "link", "validation")}


def test_a_typed_link_makes_a_manual_match(book, linked):
    case, rows, typed, _ = linked
    click(book, "reconcile")
    no_critical(book)
    hows = {k: how for k, (_, how) in case.truth.items()}
    checked = 0
    for key, link in typed.items():
        got = cells(book, key)
        if link == "none":
            assert got["status"] == "Only in IMS" and got["books_rows"] in ("", None)
            assert got["reason"].startswith("Kept unpaired: your Link Books Row says none.")
        else:
            assert str(got["books_rows"]) in (str(link), f"{link}.0")
            assert got["status"] == "Matched", (hows[key], got["reason"])
            assert got["reason"].startswith(f"Manual match: you linked books row {link}.")
        checked += 1
    assert checked >= 10 and {"link_other_number", "link_moved", "link_none"} <= \
        {hows[k] for k in typed}


def test_a_moved_row_says_so_on_both_ims_rows_and_the_purchase_sheet(book, linked):
    case, rows, typed, _ = linked
    click(book, "reconcile")
    moved = [k for k, (_, how) in case.truth.items() if how == "link_moved"]
    keys = column(book, SHEET_IMS, KEY)
    numbers = dict(zip(keys, column(book, SHEET_IMS, H["doc_num"])))
    purchase = table(book, SHEET_PURCHASE)
    at = {h: i for i, h in enumerate(purchase.header)}
    by_row = {int(r[at["Source Row"]]): r for r in purchase.rows}
    for key in moved:
        row = typed[key]
        lost = next(k for k in keys if k.split("|")[2] == case.books[case.links[key]]["Bill No"]
                    and k.split("|")[1] == key.split("|")[1])
        assert f"The rules had paired that row with IMS {numbers[lost]}; it was moved here." \
            in cells(book, key)["reason"]
        assert cells(book, lost)["reason"].startswith(
            f"Books row {row}, which the rules paired with this record, is linked by hand to "
            f"IMS {numbers[key]}, so it was moved there.")
        assert cells(book, lost)["status"] == "Only in IMS"
        assert int(by_row[row][at["IMS Row"]]) == keys.index(key) + 2   # points at the linker
        assert by_row[row][at["Match Status"]] == "Matched"


def test_reimporting_the_download_keeps_the_links(book, linked, tmp_path):
    case, rows, typed, ims = linked
    newer = copy.deepcopy(case.download)
    changed = next(k for k in typed if typed[k] != "none")
    for r in newer["imsDetails"]["b2b"]:            # the supplier amended one linked record
        if r["inum"] == changed.split("|")[2] and r["stin"] == changed.split("|")[1]:
            r["txval"] += 1
    path = tmp_path / "newer.json"
    path.write_text(dumps({"rtin": case.recipient, **newer}), encoding="utf-8")
    click(book, "import_ims", path)
    no_critical(book)
    assert "changed 1" in column(book, "Log", "Detail")[-2]
    for key, link in typed.items():
        assert str(cell_of(book, key, H["link"]).value).removesuffix(".0") == str(link)
    click(book, "reconcile")
    assert all(cells(book, k)["reason"].startswith(("Manual match", "Kept unpaired"))
               for k in typed)


def test_a_link_to_a_row_that_does_not_exist_is_a_validation_error(book, linked):
    case, rows, typed, _ = linked
    key = next(iter(typed))
    cell_of(book, key, H["link"]).value = 99999
    click(book, "reconcile")
    assert "Your Link Books Row was not used: there is no books row 99999" in \
        cells(book, key)["reason"]
    click(book, "validate")
    text = cells(book, key)["validation"]
    assert text.startswith("ERROR: Link Books Row 99999: there is no books row 99999"), text
    others = [cells(book, k)["validation"] for k in typed if k != key]
    assert not any("Link Books Row" in (t or "") for t in others)


def test_importing_other_books_re_aims_the_links_at_their_documents(book, linked, tmp_path):
    case, rows, typed, _ = linked
    numbered = {k: v for k, v in typed.items() if v != "none"}
    dropped_key = next(iter(numbered))
    dropped = case.links[dropped_key]
    reordered = [b for i, b in enumerate(case.books) if i != dropped][::-1]
    write_books_csv(reordered, tmp_path / "april.csv")
    new_row = {id(b): n for n, b in enumerate(reordered, 2)}
    click(book, "import_books", tmp_path / "april.csv")
    no_critical(book)
    click(book, "reconcile")
    for key in numbered:
        got = cells(book, key)
        if key == dropped_key:
            assert got["link"].endswith("is not in these books")
            assert not got["reason"].startswith("Manual match")
            continue
        now = new_row[id(case.books[case.links[key]])]
        assert str(got["link"]).removesuffix(".0") == str(now)
        assert got["reason"].startswith(f"Manual match: you linked books row {now}.")
    assert any("link it again" in line for line in column(book, "Log", "Detail"))
    click(book, "validate")
    assert cells(book, dropped_key)["validation"].startswith("ERROR: Link Books Row")
