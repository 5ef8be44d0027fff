"""Register amounts are exact decimals from the cell to the figures the user reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import books_layouts
from books_layouts import B, B_NAME, GENERIC_HEADER
from ims_xl.month.purchase import books_only_cells
from ims_xl.reconcile.result import STATUS_LABELS
from ims_xl.register import purchase_rows, read_register
from ims_xl.register.cells import money, money_text
from ims_xl.reports.statements import NOT_REPORTED, build_statements
from ims_xl.reports.summary import compute, summary_rows
from ims_xl.workbook.layout import PURCHASE_COLUMNS, index_of

TODAY = date(2026, 4, 15)
BOOKS_ONLY = STATUS_LABELS["books_only"]


def _register(tmp_path):
    """Ten bills of IGST 0.10 as number cells, one bill's IGST split over two item rows
    (0.1 + 0.2, which binary floats sum to 0.30000000000000004), one taxable of 1234.10."""
    day = date(2026, 3, 5)
    rows = [GENERIC_HEADER]
    for n in range(10):
        rows.append([B, B_NAME, f"TEN/{n}", day, "Purchase", 1.0, 0.1, "", "", "", 1.1, "29"])
    rows.append([B, B_NAME, "SPLIT/1", day, "Purchase", 1000.0, 0.1, "", "", "", "", "29"])
    rows.append([B, B_NAME, "SPLIT/1", day, "Purchase", 234.1, 0.2, "", "", "", "", "29"])
    return books_layouts._xlsx(tmp_path / "books.xlsx", {"Purchases": rows})


def test_register_amounts_sum_exactly(tmp_path):
    reg = read_register(_register(tmp_path), today=TODAY)
    split = reg.entries[-1]
    assert (split.doc_number, split.rows) == ("SPLIT/1", (12, 13))
    assert (split.taxable, split.igst, split.tax) == \
        (Decimal("1234.10"), Decimal("0.30"), Decimal("0.30"))
    ten = reg.entries[:10]
    assert sum((e.igst for e in ten), Decimal(0)) == Decimal("1.00")   # floats: 0.9999999999999999


def test_books_only_figures_show_exact_paise(tmp_path):
    """The Summary's books-only line and the supplier statement show what the books say."""
    reg = read_register(_register(tmp_path), today=TODAY)
    prows = purchase_rows(reg.entries)
    status = index_of(PURCHASE_COLUMNS, "status")
    for r in prows:
        r[status] = BOOKS_ONLY
    split = prows[-1]
    assert split[index_of(PURCHASE_COLUMNS, "txval")] == 1234.1       # the Purchase sheet cell
    assert split[index_of(PURCHASE_COLUMNS, "iamt")] == 0.3

    line = next(r for r in summary_rows(compute([], prows)) if r and r[0] == BOOKS_ONLY)
    assert line[1:4] == [11, 1244.1, 1.3]                  # records, taxable, IGST
    (st,) = build_statements([], prows[-1:], {})
    total_tax = [ln for ln in st.lines if ln.issue == NOT_REPORTED and ln.field == "Total tax"]
    assert [ln.books_value for ln in total_tax] == [0.3]


def test_the_months_books_only_figures_are_those_of_its_purchase_rows(tmp_path):
    """A month sums its books-only documents from the register's amounts without laying out
    their rows (`books_only_cells`): the same Summary as the Purchase rows read back, for
    the reader's entries and for entries made one by one."""
    reg = read_register(_register(tmp_path), today=TODAY)
    labels = [BOOKS_ONLY if n % 2 else STATUS_LABELS["matched"] for n in range(len(reg.entries))]
    labels[-1] = BOOKS_ONLY                              # the split bill: 1234.10, IGST 0.30
    prows = purchase_rows(reg.entries)
    for r, label in zip(prows, labels):
        r[index_of(PURCHASE_COLUMNS, "status")] = label
    from_rows = compute([], prows)
    assert from_rows.by_status[BOOKS_ONLY].count == labels.count(BOOKS_ONLY) == 6
    for entries in (reg.entries, list(reg.entries)):
        cells = books_only_cells(entries, {"status": labels})
        assert compute([], cells) == from_rows
    assert from_rows.by_status[BOOKS_ONLY].taxable == Decimal("1239.10")
    assert from_rows.by_status[BOOKS_ONLY].heads["igst"] == Decimal("0.80")


@given(st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                 st.decimals(min_value=-10**14, max_value=10**14, places=2).map(float),
                 st.sampled_from([0.0, -0.0, 0.001, 0.005, 1.005, 2.675, 0.1 + 0.2, 1e13,
                                  12345678901234.56, 1.5e16, -500.0])))
def test_an_amount_kept_as_text_is_the_text_of_its_money(x):
    """The reader keeps each document's amounts as texts until one is asked for
    (`model.document.Entries`); the Decimal made from one, and the one written back, is
    the amount `money` gives."""
    text = money_text(x)
    assert text == str(money(x))
    assert Decimal(text) == money(x) and str(Decimal(text)) == text
