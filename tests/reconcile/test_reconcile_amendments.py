"""Amendments are found under their original number as well as their new one."""

from datetime import date

import pytest

from ims_xl.reconcile import reconcile
from ims_xl.reconcile.result import MATCHED, MISMATCH, PROBABLE
from rhelp import book, books_only_rows, ims

AMENDMENTS = [("b2ba", "invoice"), ("b2bdna", "debit"), ("b2bcna", "credit"),
              ("ecoma", "invoice")]


@pytest.mark.parametrize("section, kind", AMENDMENTS)
def test_books_holding_the_original_number_pair_through_it(section, kind):
    rec = ims("AB/25-26/0017A", section=section, orig="AB/25-26/0017",
              orig_date="10-02-2026", date_="05-03-2026")
    m = reconcile([rec], [book(2, "AB/25-26/17", kind=kind, day=date(2026, 2, 10))]).ims[0][1]
    assert (m.status, m.books_rows) == (PROBABLE, [2])
    assert m.rule == "number-normalised/original"
    assert "books hold the original number 'AB/25-26/17' of this amendment" in m.reason


@pytest.mark.parametrize("section, kind", AMENDMENTS)
def test_books_holding_the_new_number_match(section, kind):
    rec = ims("AB/25-26/0017A", section=section, orig="AB/25-26/0017",
              orig_date="10-02-2026")
    m = reconcile([rec], [book(2, "AB/25-26/0017A", kind=kind)]).ims[0][1]
    assert (m.status, m.books_rows, m.rule) == (MATCHED, [2], "number-exact")


def test_the_new_number_wins_when_the_books_hold_both():
    rec = ims("AB/0017A", section="b2ba", orig="AB/0017", orig_date="10-02-2026")
    result = reconcile([rec], [book(2, "AB/0017", day=date(2026, 2, 10)),
                               book(3, "AB/0017A")])
    assert result.ims[0][1].books_rows == [3]
    assert books_only_rows(result) == {2}
    assert "books row 2 'AB/0017'" in result.ims[0][1].runner_up


def test_an_amendment_that_changed_amounts_is_a_mismatch_with_the_original_booking():
    rec = ims("AB/0017A", section="b2ba", orig="AB/0017", orig_date="10-02-2026",
              taxable=800.0, cgst=72.0, sgst=72.0)
    m = reconcile([rec], [book(2, "AB/0017", day=date(2026, 2, 10))]).ims[0][1]
    assert (m.status, m.books_rows) == (MISMATCH, [2])
    assert m.differences["taxable"] == (800.0, 1000.0)
    assert "original number" in m.reason


def test_the_original_date_is_what_the_books_are_compared_with():
    rec = ims("AB/0017A", section="b2ba", orig="AB/0017", orig_date="10-02-2026",
              date_="05-03-2026")
    m = reconcile([rec], [book(2, "AB/0017", day=date(2026, 2, 10))]).ims[0][1]
    assert "days apart" not in m.reason
    assert "orig_doc_date" not in m.differences and "doc_date" not in m.differences
