"""Which books document each record pairs with, by hand-made cases a user would recognise."""

import random
from datetime import date

import pytest

from ims_xl.reconcile import Settings, reconcile
from ims_xl.reconcile.number import spelling_texts
from ims_xl.reconcile.result import MATCHED, MISMATCH, MISSING, PROBABLE
from rhelp import SUP_A, SUP_A_KA, SUP_B, book, books_only_rows, by_number, ims


@pytest.mark.parametrize("portal, books", [
    ("INV 5", "INV 50"),
    ("BILL-23-00040", "BILL-23-00045"),
    ("1234", "12345"),
    ("QKI/055190", "QKI/053612"),
    ("INV/24-25/7", "INV/25-26/7"),
])
def test_look_alike_numbers_with_equal_amounts_never_pair(portal, books):
    result = reconcile([ims(portal)], [book(2, books)])
    m = result.ims[0][1]
    assert (m.status, m.books_rows) == (MISSING, [])
    assert books_only_rows(result) == {2}
    assert "Books row 2" in m.reason and "same amounts but another number" in m.reason
    assert m.runner_up.startswith(f"closest other: books row 2 '{books}'")
    assert m.suggested_action != "A"


def test_a_number_match_beats_an_amount_only_coincidence():
    # books row 2 has the same amounts but another number; row 3 the same number and other
    # amounts: the record is row 3's document, with its amounts in question.
    result = reconcile([ims("QKI/055190")],
                       [book(2, "QKI/053612"), book(3, "QKI/055190", taxable=1500.0)])
    m = result.ims[0][1]
    assert (m.status, m.books_rows) == (MISMATCH, [3])
    assert m.differences["taxable"] == (1000.0, 1500.0)
    assert books_only_rows(result) == {2}


def test_a_weaker_earlier_pair_does_not_block_a_better_one():
    # Row 2 is the record's number with other amounts, row 3 the same document spelled with
    # a slash and the right amounts. First-fit by books order would take row 2.
    result = reconcile([ims("INV-7")], [book(2, "INV-7", taxable=700.0), book(3, "INV/7")])
    m = result.ims[0][1]
    assert (m.status, m.books_rows) == (MATCHED, [3])
    assert "books row 2 'INV-7'" in m.runner_up and "scored lower" in m.runner_up
    assert books_only_rows(result) == {2}


def test_a_prefix_match_does_not_steal_another_records_exact_match():
    # Row 2 ("12") shares only the serial with A-12, row 3 is A-12 itself. A-12 takes row 3;
    # B-12 (other amounts) cannot take row 2 on the serial alone.
    result = reconcile([ims("A-12"), ims("B-12", taxable=5000.0)],
                       [book(2, "12"), book(3, "A-12")])
    got = by_number(result)
    assert (got["A-12"].status, got["A-12"].books_rows) == (MATCHED, [3])
    assert (got["B-12"].status, got["B-12"].books_rows) == (MISSING, [])
    assert "only the serial agrees and amounts differ" in got["B-12"].runner_up
    assert books_only_rows(result) == {2}


def test_a_dropped_prefix_pairs_as_probable_when_amounts_and_date_agree():
    m = reconcile([ims("MH/25-26/0042")], [book(2, "42")]).ims[0][1]
    assert (m.status, m.books_rows, m.rule) == (PROBABLE, [2], "number-core")
    assert "number written differently in books ('42')" in m.reason
    assert m.differences["doc_number"] == ("MH/25-26/0042", "42")


def test_a_dropped_prefix_far_in_time_does_not_pair():
    m = reconcile([ims("MH/25-26/0042")], [book(2, "42", day=date(2026, 6, 1))]).ims[0][1]
    assert m.status == MISSING
    assert "dates are 88 days apart" in m.runner_up


def test_a_document_taken_by_a_better_record_is_named_in_the_runner_up():
    # Two portal records spell the same number; the books hold one copy.
    result = reconcile([ims("INV-9", taxable=2000.0), ims("INV/9")], [book(2, "INV 9")])
    got = by_number(result)
    assert got["INV/9"].books_rows == [2]
    assert got["INV-9"].status == MISSING
    assert "paired with IMS INV/9" in got["INV-9"].runner_up


@pytest.mark.parametrize("seed", range(5))
def test_result_does_not_depend_on_books_order(seed):
    records = [ims("INV-7"), ims("A-12"), ims("B-12", taxable=5000.0), ims("INV-9"),
               ims("INV/9"), ims("X-1", gstin=SUP_B), ims("DUP-1")]
    books = [book(2, "INV-7", taxable=700.0), book(3, "INV/7"), book(4, "12"),
             book(5, "A-12"), book(6, "INV 9"), book(7, "X-1", gstin=SUP_B, taxable=10.0),
             book(8, "DUP-1"), book(9, "DUP-1")]        # the same bill booked twice
    base = reconcile(records, books)
    shuffled = books[:]
    random.Random(seed).shuffle(shuffled)
    again = reconcile(records, shuffled)
    assert [_view(m) for _, m in again.ims] == [_view(m) for _, m in base.ims]
    assert books_only_rows(again) == books_only_rows(base)
    assert again.books_match == base.books_match
    assert by_number(base)["DUP-1"].books_rows == [8]   # the duplicate: lower source row wins


def _view(m):
    return (m.status, m.books_rows, m.rule, m.score, m.reason, m.runner_up, m.differences)


def test_other_registration_of_the_same_pan_is_probable():
    m = reconcile([ims("INV-3")], [book(2, "INV-3", gstin=SUP_A_KA)]).ims[0][1]
    assert (m.status, m.books_rows, m.rule) == (PROBABLE, [2], "number-exact/pan")
    assert f"other GSTIN {SUP_A_KA}" in m.reason
    assert m.differences["supplier_gstin"] == (SUP_A, SUP_A_KA)


def test_the_suppliers_own_gstin_wins_over_its_other_registration():
    result = reconcile([ims("INV-3")], [book(2, "INV-3", gstin=SUP_A_KA), book(3, "INV-3")])
    assert result.ims[0][1].books_rows == [3]
    assert books_only_rows(result) == {2}


def test_another_business_with_the_same_number_never_pairs():
    result = reconcile([ims("INV-3")], [book(2, "INV-3", gstin=SUP_B)])
    assert result.ims[0][1].status == MISSING
    assert books_only_rows(result) == {2}


@pytest.mark.parametrize("ims_heads, book_heads, swapped", [
    (dict(igst=180.0, cgst=0.0, sgst=0.0), dict(igst=0.0, cgst=90.0, sgst=90.0),
     ("IGST", "CGST+SGST")),
    (dict(igst=0.0, cgst=90.0, sgst=90.0), dict(igst=180.0, cgst=0.0, sgst=0.0),
     ("CGST+SGST", "IGST")),
])
def test_igst_where_books_hold_cgst_sgst_is_a_mismatch_kept_pending(ims_heads, book_heads,
                                                                     swapped):
    # docs/reference/matching.md#statuses: a wrong tax head is a real ITC risk, never Accept
    m = reconcile([ims("INV-4", **ims_heads)], [book(2, "INV-4", **book_heads)]).ims[0][1]
    assert (m.status, m.books_rows) == (MISMATCH, [2])
    assert (f"the supplier charged {swapped[0]} where the books have {swapped[1]} "
            "(total tax agrees)") in m.reason
    assert m.suggested_action == "P"
    assert m.suggested_remarks == (f"Tax charged as {swapped[0]}; for this supply we expect "
                                   f"{swapped[1]}. Please amend INV-4 dated 05-03-2026.")


def test_a_wrong_tax_head_on_a_pending_blocked_note_is_no_action_never_accept():
    m = reconcile([ims("CN-4", section="b2bcn", igst=180.0, cgst=0.0, sgst=0.0,
                       pending_blocked=True)],
                  [book(2, "CN-4", kind="credit")]).ims[0][1]
    assert (m.status, m.suggested_action) == (MISMATCH, "N")


def test_igst_swap_with_a_different_total_is_a_mismatch():
    m = reconcile([ims("INV-4", igst=180.0, cgst=0.0, sgst=0.0)],
                  [book(2, "INV-4", cgst=100.0, sgst=100.0)]).ims[0][1]
    assert m.status == MISMATCH
    assert m.differences["igst"] == (180.0, 0.0)


@pytest.mark.parametrize("kind, section", [("credit", "b2bcn"), ("debit", "b2bdn"),
                                           ("invoice", "b2b")])
def test_documents_of_their_own_type_pair_plainly(kind, section):
    m = reconcile([ims("7", section=section)], [book(2, "7", kind=kind)]).ims[0][1]
    assert (m.status, m.books_rows) == (MATCHED, [2])


@pytest.mark.parametrize("books_kind, section, booked, reported", [
    ("debit", "b2bcn", "Debit Note", "Credit Note"),    # Tally: a purchase return voucher
    ("invoice", "b2bdn", "Invoice", "Debit Note"),      # a supplier debit note booked as bill
    ("credit", "b2b", "Credit Note", "Invoice"),
])
def test_another_type_with_the_same_number_and_amounts_is_probable(books_kind, section,
                                                                   booked, reported):
    m = reconcile([ims("MC/CN/12", section=section)],
                  [book(2, "MC/CN/12", kind=books_kind)]).ims[0][1]
    assert (m.status, m.books_rows) == (PROBABLE, [2])
    assert f"booked as {booked}; the supplier reports a {reported}" in m.reason
    assert m.differences["kind"] == (reported, booked)
    assert m.rule == "number-exact/type"


def test_another_type_with_other_amounts_never_pairs_and_says_why():
    result = reconcile([ims("MC/CN/12", section="b2bcn")],
                       [book(2, "MC/CN/12", kind="debit", taxable=5000.0)])
    m = result.ims[0][1]
    assert (m.status, m.books_rows) == (MISSING, [])
    assert "another document type and the amounts differ" in m.runner_up
    assert books_only_rows(result) == {2}


def test_the_own_type_wins_over_another_type_with_the_same_number():
    m = reconcile([ims("7", section="b2bcn")],
                  [book(2, "7", kind="debit"), book(3, "7", kind="credit")]).ims[0][1]
    assert (m.status, m.books_rows) == (MATCHED, [3])


def test_any_date_difference_is_probable_and_says_by_how_many_days():
    records = [ims("INV-1", date_="01-03-2026"), ims("INV-2", date_="01-03-2026"),
               ims("INV-3", date_="01-03-2026")]
    result = reconcile(records, [book(2, "INV-1", day=date(2026, 3, 2)),
                                 book(3, "INV-2", day=date(2026, 3, 12)),
                                 book(4, "INV-3", day=date(2026, 3, 1))])
    got = by_number(result)
    assert got["INV-1"].status == PROBABLE and "dates 1 day apart" in got["INV-1"].reason
    assert got["INV-2"].status == PROBABLE and "dates 11 days apart" in got["INV-2"].reason
    assert got["INV-2"].differences["doc_date"] == ("01-03-2026", "12-03-2026")
    assert got["INV-3"].status == MATCHED


def test_a_date_in_another_financial_year_says_so():
    m = reconcile([ims("INV-1", date_="31-03-2026")],
                  [book(2, "INV-1", day=date(2026, 4, 2))]).ims[0][1]
    assert m.status == PROBABLE
    assert ("dates 2 days apart; the books date is in another financial year (2026-27, IMS "
            "2025-26)") in m.reason


def test_a_books_document_without_a_date_still_pairs_by_number_but_needs_a_glance():
    m = reconcile([ims("INV-1")], [book(2, "INV-1", day=None)]).ims[0][1]
    assert (m.status, m.books_rows) == (PROBABLE, [2])
    assert "books have no date" in m.reason


def test_amount_difference_lists_both_values_and_the_remark_quotes_them():
    m = reconcile([ims("INV-8", taxable=1000.0, cgst=90.0, sgst=90.0)],
                  [book(2, "INV-8", taxable=1050.0, cgst=94.5, sgst=94.5)]).ims[0][1]
    assert (m.status, m.books_rows) == (MISMATCH, [2])
    assert m.differences == {"taxable": (1000.0, 1050.0), "cgst": (90.0, 94.5),
                             "sgst": (90.0, 94.5)}
    assert "taxable 1,000.00 vs 1,050.00" in m.reason
    assert m.suggested_action == "P"
    assert "taxable 1,000.00 vs 1,050.00" in m.suggested_remarks


def test_the_same_serial_a_year_apart_is_another_document():
    # "INV000012" without a year token: the supplier restarted its serial in April.
    result = reconcile([ims("INV000012", date_="05-03-2026")],
                       [book(2, "INV000012", day=date(2025, 3, 7))])
    m = result.ims[0][1]
    assert (m.status, m.books_rows) == (MISSING, [])
    assert "same number but dated 363 days apart" in m.runner_up
    assert books_only_rows(result) == {2}


def test_the_same_number_booked_months_late_still_pairs():
    m = reconcile([ims("INV000012", date_="05-03-2026")],
                  [book(2, "INV000012", day=date(2026, 6, 20))]).ims[0][1]
    assert (m.status, m.books_rows) == (PROBABLE, [2])


@pytest.mark.parametrize("portal, books, status, rule", [
    ("ABC-123", "abc123", MATCHED, "number-trivial"),             # case and separators only
    ("MC/25-26/0451", "MC 25 26 0451", MATCHED, "number-trivial"),
    ("INV/23-24/12", "INV/2023-24/0012", PROBABLE, "number-normalised"),   # FY spelling, zeros
    ("INV/25-26/0007", "INV/25-26/7", PROBABLE, "number-normalised"),
])
def test_trivial_spellings_match_other_spellings_need_a_glance(portal, books, status, rule):
    result = reconcile([ims(portal)], [book(2, books)])
    m = result.ims[0][1]
    assert (m.status, m.rule, m.books_rows) == (status, rule, [2])
    if status == PROBABLE:
        assert f"number written differently in books ('{books}')" in m.reason


@pytest.mark.parametrize("portal, books, status, rule", [
    ("ABC/2024-25/317", "ABC202425317", MATCHED, "number-trivial"),    # plain spelling
    ("INV-26-01958", "inv2601958", MATCHED, "number-trivial"),
    ("ABC/24-25/317", "ABC202425317", PROBABLE, "number-normalised"),  # year glued in books
    ("INV242500012", "INV/24-25/00012", MATCHED, "number-trivial"),
    ("INV242500012", "INV/2024-25/12", PROBABLE, "number-normalised"),  # glued in IMS
])
def test_plain_spelling_first_then_a_glued_year(portal, books, status, rule):
    m = reconcile([ims(portal, date_="05-03-2025")],
                  [book(2, books, day=date(2025, 3, 5))]).ims[0][1]
    assert (m.status, m.rule, m.books_rows) == (status, rule, [2])


def test_a_glued_year_never_pairs_with_another_year_or_serial():
    result = reconcile([ims("INV242500012")],
                       [book(2, "INV/25-26/12"), book(3, "INV/24-25/13"), book(4, "INV/12")])
    assert result.ims[0][1].books_rows == []
    assert books_only_rows(result) == {2, 3, 4}


def _slipped(gstin: str, at: int, to: str) -> str:
    return gstin[:at] + to + gstin[at + 1:]


SLIP_A = _slipped(SUP_A, 7, "9" if SUP_A[7] != "9" else "8")     # one digit typed wrong
SWAP_A = SUP_A[:8] + SUP_A[9] + SUP_A[8] + SUP_A[10:]              # two neighbours swapped


@pytest.mark.parametrize("typed", [SLIP_A, SWAP_A])
def test_a_mistyped_books_gstin_pairs_with_the_one_supplier_it_must_be(typed):
    from ims_xl.model.gstin import is_valid
    assert not is_valid(typed) and typed != SUP_A
    m = reconcile([ims("INV-9"), ims("INV-9", gstin=SUP_B)],
                  [book(2, "INV-9", gstin=typed)]).ims[0][1]
    assert (m.status, m.books_rows) == (PROBABLE, [2])
    assert f"the books GSTIN {typed} is not a valid GSTIN; correct it to {SUP_A}" in m.reason
    assert m.differences["supplier_gstin"] == (SUP_A, typed)
    assert m.rule == "number-exact/gstin-slip"


def test_a_mistyped_gstin_with_other_amounts_does_not_pair():
    result = reconcile([ims("INV-9")], [book(2, "INV-9", gstin=SLIP_A, taxable=2000.0)])
    assert result.ims[0][1].books_rows == [] and books_only_rows(result) == {2}


def test_a_blank_gstin_pairs_by_the_supplier_name():
    rec = ims("INV-9")
    rec.supplier_name = "MEHTA COMPONENTS PVT LTD"
    other = ims("INV-9", gstin=SUP_B, taxable=5000.0)
    other.supplier_name = "TECHNO TRADERS"
    entry = book(2, "INV-9", gstin="")
    entry.supplier_name = "M/s. Mehta Components Private Limited"
    m = reconcile([rec, other], [entry]).ims[0][1]
    assert (m.status, m.books_rows) == (PROBABLE, [2])
    assert f"the books have no supplier GSTIN; by the supplier name it is {SUP_A}" in m.reason


def test_two_suppliers_that_fit_a_slip_mean_no_pair():
    # SUP_A and a GSTIN one more character away from the typed one both have INV-9 with
    # these amounts: pairing would be a guess.
    typed = SLIP_A
    near_too = _slipped(typed, 3, "Q" if typed[3] != "Q" else "R")
    from ims_xl.model.gstin import check_char
    near_too = near_too[:14] + check_char(near_too[:14])
    records = [ims("INV-9"), ims("INV-9", gstin=near_too)]
    result = reconcile(records, [book(2, "INV-9", gstin=typed)])
    assert [m.books_rows for _, m in result.ims] == [[], []]
    assert "more than one supplier has this number and amounts" in result.ims[0][1].runner_up


def test_a_gstin_some_ims_record_carries_is_never_a_slip():
    odd = _slipped(SUP_A, 7, "9" if SUP_A[7] != "9" else "8")
    m = reconcile([ims("INV-9", gstin=odd)], [book(2, "INV-9", gstin=odd)]).ims[0][1]
    assert (m.status, m.books_rows) == (MATCHED, [2])


def test_spellings_worked_out_ahead_pair_as_those_worked_out_while_matching():
    """The download's number spellings may be worked out on the other core before matching
    (`number.spelling_texts`): matching gives them their codes and pairs as before, and it
    takes them as given."""
    pairs = [("ABC/24-25/317", "ABC202425317"), ("INV242500012", "INV/2024-25/12"),
             ("INV/23-24/12", "INV/2023-24/0012"), ("INV-26-01958", "inv2601958")]
    records = [ims(p, date_="05-03-2025") for p, _ in pairs]
    books = [book(2 + k, b, day=date(2025, 3, 5)) for k, (_, b) in enumerate(pairs)]
    here = reconcile(records, books)
    spelled = spelling_texts([r.doc_number for r in records], Settings().fy_years)
    ahead = reconcile(records, books, spelled=spelled)
    assert [m for _, m in ahead.ims] == [m for _, m in here.ims]
    assert [m.books_rows for _, m in here.ims] == [[2], [3], [4], [5]]
    # taken as given: the first record's spelling worked out as the second's, it no longer
    # pairs with its own document
    spelled["ABC/24-25/317"] = spelled["INV242500012"]
    assert reconcile(records, books, spelled=spelled).ims[0][1].books_rows != [2]
