"""Supplier statements: who gets one, what each line says, and the files."""

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import FIRST_BOOKS_ROW, purchase_lists, sheet_rows, workbook_data
from workbooks import save

from ims_xl.cli import main
from ims_xl.workbook.layout import PURCHASE_COLUMNS, index_of
from ims_xl.reports.statements import (COMBINED_NAME, DIFFERS, NOT_IN_BOOKS, NOT_REPORTED,
                                       build_statements, file_names, parse_differences,
                                       period_label, safe_name, write_statement_files)

SETTINGS = {"RecipientGSTIN": "27AAAAA0000A1Z5", "ReturnPeriod": "032026"}


def _key(section, raw):
    return f"{section}|{raw['stin']}|{raw.get('inum') or raw.get('nt_num')}|{raw['rtnprd']}"


def expected_issues(case):
    """GSTIN -> {issue: documents}, straight from the generator's truth."""
    out: dict = {}
    for section, items in case.download["imsDetails"].items():
        for raw in items:
            idx, how = case.truth[_key(section, raw)]
            issue = NOT_IN_BOOKS if idx is None else DIFFERS if how == "amount_diff" else None
            if issue:
                d = out.setdefault(raw["stin"], {})
                d[issue] = d.get(issue, 0) + 1
    paired = {i for i, _ in case.truth.values() if i is not None}
    for i, b in enumerate(case.books):
        if i not in paired:
            d = out.setdefault(b["GSTIN"], {})
            d[NOT_REPORTED] = d.get(NOT_REPORTED, 0) + 1
    return out


@pytest.fixture(scope="module")
def statements(case):
    return build_statements(sheet_rows(case), purchase_lists(case), SETTINGS)


def test_one_statement_per_supplier_with_differences(case, statements):
    want = expected_issues(case)
    assert [s.supplier_gstin for s in statements] == sorted(want)
    for st in statements:
        got = {i: st.count(i) for i in (DIFFERS, NOT_IN_BOOKS, NOT_REPORTED) if st.count(i)}
        assert got == want[st.supplier_gstin]
        assert st.our_gstin == SETTINGS["RecipientGSTIN"] and st.period == "March 2026"
        assert st.supplier_name


def test_mismatch_lines_carry_both_values_and_the_difference(case, statements):
    books = {(b["GSTIN"], b["Bill No"]): (i, b) for i, b in enumerate(case.books)}
    lines = [ln for st in statements for ln in st.lines if ln.issue == DIFFERS]
    assert lines
    for ln in lines:
        assert isinstance(ln.supplier_value, float) and isinstance(ln.books_value, float)
        assert ln.difference == round(ln.supplier_value - ln.books_value, 2) != 0
        assert ln.books_row
    # the taxable line of each mismatch shows the books figure of the booked copy
    taxable = [ln for ln in lines if ln.field == "Taxable value"]
    for st in statements:
        for ln in st.lines:
            if ln in taxable:
                i, b = books[(st.supplier_gstin, ln.doc_number)]
                assert ln.books_value == abs(b["Taxable Value"])
                assert int(ln.books_row) == i + FIRST_BOOKS_ROW


def test_missing_and_books_only_lines(case, statements):
    missing = [ln for st in statements for ln in st.lines if ln.issue == NOT_IN_BOOKS]
    only = [ln for st in statements for ln in st.lines if ln.issue == NOT_REPORTED]
    assert {ln.field for ln in missing} == {ln.field for ln in only} == {"Taxable value",
                                                                       "Total tax"}
    assert all(ln.books_value == "" and ln.difference == ln.supplier_value for ln in missing)
    assert all(ln.supplier_value == "" and ln.difference == -ln.books_value for ln in only)
    paired = {i for i, _ in case.truth.values() if i is not None}
    want = sum(abs(b["Taxable Value"]) for i, b in enumerate(case.books) if i not in paired)
    assert sum(ln.books_value for ln in only if ln.field == "Taxable value") == \
        pytest.approx(want)


def test_draft_email(statements):
    st = next(s for s in statements if s.count(NOT_REPORTED) and s.count(DIFFERS))
    text = st.email
    assert text.startswith("Subject: GST reconciliation March 2026")
    assert st.supplier_gstin in text and SETTINGS["RecipientGSTIN"] in text
    assert f"{st.count(NOT_REPORTED)} document(s) in our books" in text
    assert f"Dear {st.supplier_name}" in text


def test_nothing_to_send_gives_no_statement(case):
    rows = [r for r in sheet_rows(case) if r.get("status") == "Matched"]
    assert build_statements(rows, [], SETTINGS) == []


def test_differences_text_is_parsed_back():
    text = "taxable: IMS 1000.0 vs books 1120.0; doc_number: IMS 0451 vs books 451; x: junk"
    assert parse_differences(text) == [("Taxable value", 1000.0, 1120.0),
                                       ("Document number", "0451", "451")]


@pytest.mark.parametrize("raw, safe", [
    ("27AAAAA0000A1Z5", "27AAAAA0000A1Z5"), ("../../etc/passwd", "etc_passwd"),
    ("CON", "CON_"), ("M/s Shree: Steel * <Pvt> Ltd.", "M_s_Shree_Steel_Pvt_Ltd"),
    ("श्री ट्रेडर्स", ""), ("a" * 100, "a" * 60)])
def test_safe_names(raw, safe):
    assert safe_name(raw) == safe


def test_file_names_are_unique_and_safe(statements):
    from ims_xl.reports.statements import Statement
    clash = [Statement("27AAAAA0000A1Z5", "A/B"), Statement("27AAAAA0000A1Z5", "a b"),
             Statement("", ""), Statement("", "")]
    names = file_names(clash)
    assert names == ["27AAAAA0000A1Z5_A_B.xlsx", "27AAAAA0000A1Z5_a_b_2.xlsx",
                     "supplier.xlsx", "supplier_2.xlsx"]
    names = file_names(statements)
    assert len(set(n.lower() for n in names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+\.xlsx", n) for n in names)


def test_files_written_whole_and_readable(tmp_path, statements):
    from python_calamine import CalamineWorkbook
    paths = write_statement_files(statements, tmp_path / "out")
    assert len(paths) == len(statements) + 1 and paths[-1].name == COMBINED_NAME
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    st, path = statements[0], paths[0]
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == ["Statement", "E-mail"]
    cells = wb.get_sheet_by_name("Statement").to_python()
    flat = [v for r in cells for v in r]
    assert st.our_gstin in flat and st.supplier_gstin in flat and "March 2026" in flat
    combined = CalamineWorkbook.from_path(str(paths[-1]))
    diffs = combined.get_sheet_by_name("Differences").to_python()
    assert len(diffs) - 1 == sum(len(s.lines) for s in statements)


def test_text_is_never_a_formula(tmp_path):
    from ims_xl.reports.statements import Statement, StatementLine
    evil = Statement("27AAAAA0000A1Z5", '=HYPERLINK("http://x","y")', period="@SUM(A1)",
                     lines=[StatementLine(DIFFERS, "B2B", "=1+1", "01-03-2026", "Document no",
                                          "+CMD", "-2+3", "7")])
    path = write_statement_files([evil], tmp_path)[0]
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet
    assert "=HYPERLINK" in strings and "=1+1" in strings


def test_books_only_rows_without_ims(case):
    """A supplier we only have in the books still gets a statement."""
    rows = purchase_lists(case)
    status = index_of(PURCHASE_COLUMNS, "status")
    rows[0][status] = "Only in books"
    sts = build_statements([], rows[:1], {})
    assert len(sts) == 1 and sts[0].count(NOT_REPORTED) == 1
    assert sts[0].period == "" and sts[0].our_gstin == ""


def test_period_labels():
    assert period_label("032026") == "March 2026"
    assert period_label(32026.0) == "March 2026"   # a number cell on the Home sheet
    assert period_label("Q4 2025-26") == "Q4 2025-26"
    assert period_label("") == ""


def test_statements_command(tmp_path, case):
    wb = tmp_path / "march.xlsx"
    save(wb, workbook_data(case, settings=SETTINGS))
    out = tmp_path / "statements"
    res = CliRunner().invoke(main, ["statements", str(wb), "--out", str(out)])
    assert res.exit_code == 0, res.output
    written = sorted(p.name for p in Path(out).iterdir())
    assert COMBINED_NAME in written and len(written) == len(expected_issues(case)) + 1
    assert not [n for n in written if n.endswith(".tmp")]
    assert f"Wrote {len(written) - 1} supplier statement(s)" in res.output
