"""Clubbed bills and manual links by hand-made cases: what pairs, and what never does."""

from datetime import date

from ims_xl.reconcile import reconcile
from ims_xl.reconcile.result import MATCHED, MISMATCH, MISSING, PROBABLE
from rhelp import SUP_A, SUP_B, book, books_only_rows, by_number, ims


def _bill(number, taxable, **kw):
    """An intra-state invoice at 18%."""
    tax = round(taxable * 0.09, 2)
    return ims(number, taxable=taxable, cgst=tax, sgst=tax, **kw)


def _books(row, number, taxable, **kw):
    tax = round(taxable * 0.09, 2)
    return book(row, number, taxable=taxable, cgst=tax, sgst=tax, **kw)


def test_one_books_entry_for_three_bills_pairs_with_all_three():
    recs = [_bill("MC/101", 1000), _bill("MC/102", 2500), _bill("MC/103", 400)]
    result = reconcile(recs, [_books(7, "MARCH BILLS", 3900)])
    got = by_number(result)
    assert {n: (m.status, m.books_rows, m.rule) for n, m in got.items()} == {
        n: (PROBABLE, [7], "clubbed") for n in ("MC/101", "MC/102", "MC/103")}
    assert "with IMS MC/102, MC/103: books row 7 equals the sum of these 3" in \
        got["MC/101"].reason
    assert result.books_match == {7: 0} and books_only_rows(result) == set()


def test_one_bill_booked_in_two_parts_pairs_with_both():
    result = reconcile([_bill("MC/101", 3000)], [_books(4, "MC/101-A", 1000.5),
                                                  _books(9, "MC/101-B", 1999.5)])
    m = by_number(result)["MC/101"]
    assert (m.status, m.books_rows) == (PROBABLE, [4, 9])
    assert "books rows 4, 9 together equal this record" in m.reason
    assert result.books_match == {4: 0, 9: 0}


def test_sums_never_cross_suppliers_months_or_an_ambiguous_choice():
    other_supplier = [_bill("MC/1", 1000), _bill("MC/2", 2000, gstin=SUP_B)]
    other_month = [_bill("MC/3", 1000), _bill("MC/4", 2000, date_="05-04-2026")]
    recs = other_supplier + other_month
    result = reconcile(recs, [_books(2, "ALL", 3000), _books(3, "ALL2", 3000,
                                                             day=date(2026, 3, 20))])
    assert {m.status for m in by_number(result).values()} == {MISSING}
    # 1000 + 2000 and 1500 + 1500 both make 3000: a coincidence, not evidence
    recs = [_bill("MC/5", 1000), _bill("MC/6", 2000), _bill("MC/7", 1500), _bill("MC/8", 1500)]
    result = reconcile(recs, [_books(2, "ALL", 3000)])
    assert {m.status for m in by_number(result).values()} == {MISSING}
    assert books_only_rows(result) == {2}


def test_a_number_match_is_never_broken_up_for_a_sum():
    recs = [_bill("MC/1", 1000), _bill("MC/2", 2000)]
    result = reconcile(recs, [_books(2, "MC/1", 3000)])     # same number, amounts differ
    got = by_number(result)
    assert (got["MC/1"].status, got["MC/1"].books_rows) == (MISMATCH, [2])
    assert got["MC/2"].status == MISSING


def test_a_link_to_another_suppliers_row_is_honoured_but_probable():
    recs = [_bill("MC/1", 1000)]
    books = [_books(5, "X-77", 1000, gstin=SUP_B)]
    result = reconcile(recs, books, links={recs[0].key: "5"})
    m = by_number(result)["MC/1"]
    assert (m.status, m.books_rows, m.rule) == (PROBABLE, [5], "manual")
    assert m.differences["supplier_gstin"] == (SUP_A, SUP_B)


def test_links_that_cannot_hold_leave_the_rules_in_charge_and_say_why():
    recs = [_bill("MC/1", 1000), _bill("MC/2", 2000), _bill("MC/3", 3000)]
    books = [_books(5, "MC/1", 1000), _books(6, "MC/2", 2000)]
    links = {recs[0].key: "row five", recs[1].key: "99", recs[2].key: "6"}
    got = by_number(reconcile(recs, books, links=links))
    assert (got["MC/1"].status, got["MC/1"].books_rows) == (MATCHED, [5])
    assert "'row five' is not a books row" in got["MC/1"].reason
    assert "there is no books row 99" in got["MC/2"].reason
    # MC/3 holds row 6 by hand (amounts differ: Mismatch); MC/2 lost it and says so
    assert (got["MC/3"].status, got["MC/3"].books_rows) == (MISMATCH, [6])
    assert got["MC/2"].status == MISSING
    assert "Books row 6, which the rules paired with this record, is linked by hand to IMS " \
           "MC/3" in got["MC/2"].reason


def test_two_records_linking_one_row_first_one_wins():
    recs = [_bill("MC/1", 1000), _bill("MC/2", 1000)]
    result = reconcile(recs, [_books(5, "PV-1", 1000)],
                       links={recs[0].key: "5", recs[1].key: 5.0})
    got = by_number(result)
    assert (got["MC/1"].status, got["MC/1"].books_rows) == (MATCHED, [5])
    assert got["MC/2"].books_rows == []
    assert "books row 5 is already linked to IMS MC/1" in got["MC/2"].reason
