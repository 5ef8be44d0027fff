"""Checks on the books, the Purchase sheet rows, and cleaning as users type values."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import books_layouts
from ims_xl.register import entries_from_rows, purchase_rows, read_register
from ims_xl.model.issue import ERROR, WARNING
from ims_xl.workbook.layout import PURCHASE_COLUMNS, SHEET_PURCHASE, headers, index_of

TODAY = date(2026, 4, 15)


def by_row(reg):
    return {i.row: i for i in reg.issues if i.row}


def test_books_checks_flag_rows_without_dropping_them(tmp_path):
    reg = read_register(books_layouts.write_generic_csv(tmp_path), today=TODAY)
    assert len(reg.entries) == 8                              # nothing dropped
    found = {(i.row, i.code, i.severity) for i in reg.issues}
    assert found == {
        (2, "duplicate-document", WARNING), (8, "duplicate-document", WARNING),
        (6, "tax-head-pos", WARNING),                         # Gujarat to Gujarat, IGST
        (9, "itc-time-barred", WARNING),                      # 15-06-2024
        (10, "gstin-checksum", ERROR),
        (11, "number-scientific", WARNING),
    }
    bad = by_row(reg)[10]
    assert bad.field == "GSTIN" and "fails the check character" in bad.message
    assert "until 30-11-2025" in by_row(reg)[9].message
    assert reg.report.valid is False and len(reg.report.errors) == 1
    # the same issues sit on the entries, next to their rows
    assert [i.code for i in reg.entries[0].warnings] == ["duplicate-document"]


def test_checks_left_for_later_find_the_same_when_run(tmp_path):
    """`ims-xl reconcile` reads the books unchecked (matching needs no checks) and runs them
    where the Purchase sheet is written: then every entry and the register carry what a
    checked read gives, in the same order, the reading notes included."""
    path = books_layouts.write_generic_csv(tmp_path)
    now = read_register(path, today=TODAY)
    later = read_register(path, today=TODAY, checked=False)
    assert [i.code for i in later.issues] == ["number-scientific"]    # a reading note only
    assert not any(e.warnings for e in later.entries if e.row != 11)
    assert later.checked() is later and later.issues == now.issues
    assert [e.warnings for e in later.entries] == [e.warnings for e in now.entries]
    assert later.entries == now.entries
    later.checked()                                                   # once: nothing twice
    assert later.issues == now.issues and later.entries[0].warnings == now.entries[0].warnings


def test_checks_put_their_findings_on_entries_made_or_not(tmp_path):
    """The checks add their findings to the reader's entries without making them (most
    never are); an entry made before the checks gets its own, and the Purchase rows and the
    entries, once made, are those of a checked read."""
    path = books_layouts.write_generic_csv(tmp_path)
    now = read_register(path, today=TODAY)
    later = read_register(path, today=TODAY, checked=False)
    at = [e.row for e in now.entries].index(10)     # its GSTIN's check character
    made = later.entries[at]
    later.checked()
    assert [i.code for i in made.warnings] == ["gstin-checksum"]
    assert purchase_rows(later.entries) == purchase_rows(now.entries)
    assert [e.warnings for e in later.entries] == [e.warnings for e in now.entries]
    assert later.entries[at] is made


def _one_row_register(tmp_path, number, day, kind="Purchase", gstin=books_layouts.A):
    rows = [books_layouts.GENERIC_HEADER,
            [gstin, "X", number, day.strftime("%d-%m-%Y"), kind, "100", "", "9", "9", "", "118",
             "27"]]
    return books_layouts.write_generic_csv(tmp_path, f"{number}.csv", rows)


def test_itc_time_limit_is_30_november_after_the_financial_year(tmp_path):
    path = _one_row_register(tmp_path, "OLD-1", date(2024, 6, 10))       # FY 2024-25
    on_deadline = read_register(path, today=date(2025, 11, 30))
    after = read_register(path, today=date(2025, 12, 1))
    assert on_deadline.issues == []
    assert [i.code for i in after.issues] == ["itc-time-barred"]
    march = _one_row_register(tmp_path, "OLD-2", date(2025, 3, 31))      # still FY 2024-25
    assert [i.code for i in read_register(march, today=date(2025, 12, 1)).issues] == \
        ["itc-time-barred"]
    note = _one_row_register(tmp_path, "CN-1", date(2024, 6, 10), kind="Credit Note")
    assert read_register(note, today=date(2025, 12, 1)).issues == []     # not an ITC claim


def test_the_benchmarks_month_is_within_the_itc_time_limit(tmp_path):
    """The benchmarks reconcile last month (`generate.last_month`), as a user does: none of
    its documents is past the ITC time limit, whereas on 1 December 2026 the generator's
    fixed March 2026 has every document past it (and a warning on every row to write)."""
    from ims_xl.testdata.generate import last_month, make_case, write_books_csv
    today = date(2026, 12, 1)
    assert last_month(today) == (2026, 11) and last_month(date(2027, 1, 5)) == (2026, 12)
    barred = {}
    for period in (last_month(today), (2026, 3)):
        path = tmp_path / f"{period}.csv"
        write_books_csv(make_case(60, seed=3, period=period).books, path)
        issues = read_register(path, today=today).issues
        barred[period] = sum(i.code == "itc-time-barred" for i in issues)
    assert barred[(2026, 11)] == 0
    assert barred[(2026, 3)] >= 50


def test_future_dated_document_is_flagged(tmp_path):
    path = _one_row_register(tmp_path, "F-1", TODAY + timedelta(days=3))
    assert [i.code for i in read_register(path, today=TODAY).issues] == ["date-future"]


def test_same_number_in_another_financial_year_is_not_a_duplicate(tmp_path):
    rows = [books_layouts.GENERIC_HEADER,
            [books_layouts.A, "X", "INV/7", "05-03-2026", "Purchase", "100", "", "9", "9", "", "",
             "27"],
            [books_layouts.A, "X", "INV-7", "05-04-2026", "Purchase", "100", "", "9", "9", "", "",
             "27"],
            [books_layouts.B, "Y", "INV/7", "05-03-2026", "Purchase", "100", "18", "", "", "", "",
             "27"]]
    reg = read_register(books_layouts.write_generic_csv(tmp_path, "fy.csv", rows), today=TODAY)
    assert [i.code for i in reg.issues] == []


def test_purchase_sheet_rows_round_trip_through_a_workbook(tmp_path):
    from python_calamine import CalamineWorkbook
    reg = read_register(books_layouts.write_generic_csv(tmp_path), today=TODAY)
    rows = purchase_rows(reg.entries)

    first = dict(zip(headers(PURCHASE_COLUMNS), rows[0]))
    assert first["Source Row"] == 2 and first["Document Date"] == "05-03-2026"
    assert first["Type"] == "Invoice" and first["Supplier GSTIN"] == books_layouts.A
    assert first["Match Status"] == "" and first["IMS Row"] == ""
    assert rows[2][index_of(PURCHASE_COLUMNS, "kind")] == "Credit Note"
    assert rows[6][index_of(PURCHASE_COLUMNS, "warnings")].startswith("ERROR: GSTIN")

    path = books_layouts._xlsx(tmp_path / "book.xlsx",
                               {SHEET_PURCHASE: [headers(PURCHASE_COLUMNS)] + rows})
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET_PURCHASE).to_python()
    back = entries_from_rows(sheet)
    assert len(back) == len(reg.entries)
    for old, new in zip(reg.entries, back):
        assert (new.row, new.supplier_gstin, new.doc_number, new.doc_date, new.kind) == \
            (old.row, old.supplier_gstin, old.doc_number, old.doc_date, old.kind)
        assert (new.taxable, new.igst, new.cgst, new.sgst, new.cess, new.value, new.pos) == \
            (old.taxable, old.igst, old.cgst, old.sgst, old.cess, old.value, old.pos)
        assert [(i.message, i.severity) for i in new.warnings] == \
            [(i.message, i.severity) for i in old.warnings]


def indian(n: int) -> str:
    """12345678 -> "1,23,45,678" (lakh/crore grouping)."""
    s = str(n)
    if len(s) <= 3:
        return s
    head, tail = s[:-3], s[-3:]
    groups = []
    while len(head) > 2:
        head, groups = head[:-2], [head[-2:]] + groups
    return ",".join(([head] if head else []) + groups + [tail])


STYLES = ("{s}", "₹{s}", "Rs. {s}", "INR {s}", "{s} Dr", "{s}/-")
NEGATIVE = ("-{s}", "({s})", "{s} Cr", "{s}-")
DATES = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%b-%Y", "%d-%b-%y", "{d}/{m}/{yy}")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**11), st.integers(0, 99), st.sampled_from(STYLES),
                          st.sampled_from(NEGATIVE), st.booleans(),
                          st.dates(date(2017, 7, 1), date(2030, 3, 31)),
                          st.sampled_from(DATES)), min_size=1, max_size=8))
def test_amounts_and_dates_as_people_type_them(cases):
    rows, expected = [["GSTIN", "Bill No", "Bill Date", "Taxable Value"]], []
    for n, (rupees, paise, style, neg_style, negative, day, fmt) in enumerate(cases):
        text = f"{indian(rupees)}.{paise:02d}"
        text = (neg_style if negative else style).format(s=text)
        typed = fmt.format(d=day.day, m=day.month, yy=day.year % 100) if "{" in fmt \
            else day.strftime(fmt)
        rows.append([books_layouts.B, f"INV/{n}", typed, text])
        expected.append((day, Decimal(f"{rupees}.{paise:02d}"), negative and (rupees or paise)))
    with tempfile.TemporaryDirectory() as tmp:
        reg = read_register(books_layouts.write_generic_csv(Path(tmp), "typed.csv", rows),
                            today=TODAY)
    got = [(e.doc_date, e.taxable, e.kind == "credit") for e in reg.entries]
    assert got == [(d, amount, bool(neg)) for d, amount, neg in expected]


def test_our_gstin_stands_in_for_a_missing_place_of_supply(tmp_path):
    """Tally registers rarely carry a place of supply: the recipient's state decides."""
    from ims_xl.register import read_register
    path = tmp_path / "books.csv"
    path.write_text("GSTIN,Bill No,Bill Date,Taxable Value,IGST,CGST,SGST\n"
                    "27AAHCM1357N1Z2,A1,05-03-2026,1000,180,0,0\n"
                    "29AAFFT5678M1Z9,B1,05-03-2026,1000,180,0,0\n")
    plain = read_register(path)
    ours = read_register(path, recipient="27AABCZ1234K1Z9")
    assert not [i for i in plain.issues if i.code == "tax-head-pos"]
    flagged = [i for i in ours.issues if i.code == "tax-head-pos"]
    assert [i.row for i in flagged] == [2]            # same state, yet IGST booked


def test_a_register_handed_to_another_process_is_the_register_read(tmp_path):
    """`ims-xl reconcile` reads the register on the other core and hands it back pickled
    (column by column); our GSTIN, known only once the download is read, is given then.
    The register and the checks run on it afterwards are those of a register read here."""
    import pickle
    path = tmp_path / "books.csv"
    path.write_text("GSTIN,Bill No,Bill Date,Taxable Value,IGST,CGST,SGST,Invoice Value\n"
                    "27AAHCM1357N1Z2,A1,05-03-2026,1000.10,180.02,0,0,\n"
                    "27AAHCM1357N1Z2,A1,05-03-2026,1000,0,90,90,1180\n"
                    "29AAFFT5678M1Z9,1.5E+11,05-03-2026,0.1,-0.0,0,0,0.1\n"
                    "27AAHCM1357N1Z2,B2,06-03-2026,500,0,45,45,\n")
    here = read_register(path, recipient="27AABCZ1234K1Z9")
    handed = pickle.loads(pickle.dumps(read_register(path, checked=False), 5))
    assert handed.entries == read_register(path, checked=False).entries
    assert [(str(e.taxable), str(e.cgst), e.value) for e in handed.entries] == [
        ("2000.1", "90.0", Decimal("1180.0")), ("0.1", "0", Decimal("0.1")),
        ("500.0", "45.0", None)]
    assert [i.code for i in handed.issues] == ["number-scientific"]     # not checked yet
    handed.recipient = "27AABCZ1234K1Z9"
    assert handed.checked() == here
    assert [i.code for i in handed.issues] == [i.code for i in here.issues]
    assert "tax-head-pos" in [i.code for i in here.issues]             # our state stood in
    assert [e.warnings for e in handed.entries] == [e.warnings for e in here.entries]
    empty = tmp_path / "empty.csv"
    empty.write_text("GSTIN,Bill No,Bill Date,Taxable Value,IGST,CGST,SGST\n")
    assert pickle.loads(pickle.dumps(read_register(empty, checked=False))).entries == []


def test_a_handed_back_register_matches_as_the_register_read(tmp_path):
    """The entries of a register handed back are made when first asked for: matching reads
    their columns and makes only the few it words (leftovers, clubbed, linked). The month
    comes out the same, and an entry asked for twice is the same entry."""
    import pickle
    from ims_xl.reconcile import Settings, reconcile
    from ims_xl.testdata.generate import ims_records, make_case, write_books_csv
    case = make_case(400, seed=5, perturb={"amount_diff": 0.1, "missing": 0.1,
                                           "igst_swap": 0.05, "separators": 0.1})
    path = tmp_path / "books.csv"
    write_books_csv(case.books, path)
    records = ims_records(case)
    here = read_register(path, checked=False)
    handed = pickle.loads(pickle.dumps(here, 5))
    assert len(handed.entries) == len(here.entries) > 300
    assert handed.entries[3] is handed.entries[3]
    mine, theirs = (reconcile(records, r.entries, Settings()) for r in (here, handed))
    assert [(m.status, m.books_rows, m.reason, m.runner_up) for _, m in theirs.ims] == \
        [(m.status, m.books_rows, m.reason, m.runner_up) for _, m in mine.ims]
    assert theirs.books_match == mine.books_match and theirs.books_only == mine.books_only
    made = sum(e is not None for e in handed.entries._made)
    assert made < len(handed.entries) // 4           # the books-only and few others
    assert list(handed.entries) == here.entries       # and all of them, when asked


def test_the_entries_read_are_their_columns_and_a_changed_entry_is_kept(tmp_path):
    """The reader keeps the entries as columns (`Entries`), made when asked for: the books
    checks and the Purchase rows read the columns. They give what entries made one by one
    give, an entry changed after it was made (a date taken from the voucher, a warning) is
    read back as changed, and so is it in a register handed to another process."""
    import pickle
    from ims_xl.model.document import column_of, rows_between
    from ims_xl.register.checks import check_entries
    path = books_layouts.write_generic_csv(tmp_path)
    reg = read_register(path, today=TODAY, checked=False)
    one_by_one = list(read_register(path, today=TODAY, checked=False).entries)   # all made
    assert purchase_rows(reg.entries) == purchase_rows(one_by_one)
    assert purchase_rows(rows_between(reg.entries, 2, 6)) == purchase_rows(one_by_one[2:6])
    issues = check_entries(reg.entries, today=TODAY, company_state="24")
    assert [(i.row, i.code) for i in issues] == [
        (i.row, i.code) for i in check_entries(one_by_one, today=TODAY, company_state="24")]
    assert [e.warnings for e in reg.entries] == [e.warnings for e in one_by_one]
    assert purchase_rows(reg.entries) == purchase_rows(one_by_one)     # warnings shown
    fresh = read_register(path, today=TODAY, checked=False)
    fresh.entries[4].doc_date = date(2026, 3, 31)
    fresh.entries[4].warnings.append(issues[0])
    assert column_of(fresh.entries, "doc_date")[4] == date(2026, 3, 31)
    assert column_of(fresh.entries, "warnings")[4] == [issues[0]]
    assert column_of(fresh.entries, "warnings")[3] == []
    handed = pickle.loads(pickle.dumps(fresh, 5)).entries
    assert handed[4].doc_date == date(2026, 3, 31) and handed[4].warnings == [issues[0]]
    assert handed == fresh.entries
