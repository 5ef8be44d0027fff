"""Generated months: every perturbation and decoy, checked against the generator's truth.

Each IMS record must pair with exactly the books row the generator made for it (or none
when it was left out), with the status its perturbation calls for; every decoy and every
document the portal never had must stay books-only.
"""

from collections import Counter
from decimal import Decimal

import pytest

from ims_xl.register import read_register
from ims_xl.testdata.generate import (DECOYS, LAYOUTS, PERTURBATIONS, book_entries, booked_kind,
                                      expected, ims_records, make_case, write_register)
from ims_xl.reconcile import reconcile
from ims_xl.reconcile.result import MISSING

PERTURB = {p: 0.07 for p in PERTURBATIONS if p != "exact"}      # ~9% exact
DECOY_RATES = {d: 0.04 for d in DECOYS}


@pytest.fixture(scope="module", params=[11, 12, 13])
def month(request):
    case = make_case(1500, seed=request.param, suppliers=60, perturb=PERTURB,
                     decoys=DECOY_RATES, books_only=0.05)
    books = book_entries(case.books)
    return case, books, reconcile(ims_records(case), books)


def wrong_pairs(case, books, result, layout: str) -> list:
    """Every record whose books row or status is not what the generator's truth says."""
    wrong = []
    for rec, m in result.ims:
        index, want = expected(case, rec, layout)
        row = None if index is None else books[index].row
        got_row = m.books_rows[0] if m.books_rows else None
        if (got_row, m.status) != (row, want):
            wrong.append((case.truth[rec.key][1], rec.section, rec.doc_number, row, want,
                          got_row, m.status, m.reason))
    return wrong


def test_every_record_pairs_with_its_own_books_row_and_status(month):
    case, books, result = month
    assert wrong_pairs(case, books, result, "generic_csv") == []


def test_every_perturbation_and_decoy_really_occurs(month):
    """Guards the test above: a perturbation that never changed anything proves nothing."""
    case, books, result = month
    changed = Counter()
    recs = {rec.key: rec for rec, _ in result.ims}
    for key, (index, how) in case.truth.items():
        if index is None:
            changed[how] += 1
            continue
        b, rec = books[index], recs[key]
        if (b.doc_number != rec.doc_number or b.doc_date.strftime("%d-%m-%Y") != rec.doc_date
                or b.supplier_gstin != rec.supplier_gstin or b.kind != rec.sec.kind
                or abs(b.igst - rec.igst) > Decimal("0.01")
                or abs(b.taxable - rec.taxable) > Decimal("0.01")):
            changed[how] += 1
    assert set(changed) >= set(PERTURB)
    assert set(kind for _, kind in case.decoy_of.values()) == set(DECOYS)


def test_decoys_and_documents_unknown_to_the_portal_stay_books_only(month):
    case, books, result = month
    truth_rows = {books[i].row for i, _ in case.truth.values() if i is not None}
    only = {b.row for b in result.books_only}
    assert {books[i].row for i in case.decoys} <= only
    assert only == {b.row for b in books} - truth_rows


def test_a_missing_record_names_its_same_amount_decoy_but_does_not_take_it(month):
    case, books, result = month
    by_key = {rec.key: m for rec, m in result.ims}
    decoy_rows: dict = {}
    own_number = {key for key, kind in case.decoy_of.values()
                  if kind in ("slip_amounts", "type_amounts")}
    for i, (key, kind) in case.decoy_of.items():
        # the real books copy is missing (a decoy under the record's own number is a
        # number candidate: Closest Other names it instead, see the layout tests)
        if case.truth[key][0] is None and key not in own_number:
            decoy_rows.setdefault(key, set()).add(books[i].row)
    assert decoy_rows, "the generator made no decoy for a missing record"
    for key, rows in decoy_rows.items():
        m = by_key[key]
        assert m.status == MISSING and m.books_rows == []
        assert "same amounts but another number" in m.reason
        assert any(f"books row {r} " in m.runner_up for r in rows), m.runner_up


def test_books_match_points_back_at_the_paired_record(month):
    case, books, result = month
    for row, i in result.books_match.items():
        assert result.ims[i][1].books_rows == [row]
    paired = sum(1 for _, m in result.ims if m.books_rows)
    assert len(result.books_match) == paired
    assert paired + len(result.books_only) == len(books)


@pytest.fixture(scope="module", params=LAYOUTS)
def layout_month(request, tmp_path_factory):
    """One generated month written in each register layout and read back from the file."""
    case = make_case(900, seed=21, suppliers=40, perturb=PERTURB, decoys=DECOY_RATES,
                     books_only=0.05)
    path = write_register(case.books, tmp_path_factory.mktemp(request.param), request.param)
    books = read_register(path).entries
    assert len(books) == len(case.books)          # one document per generated row
    return request.param, case, books, reconcile(ims_records(case), books)


def test_every_layout_pairs_every_record_as_the_rules_say(layout_month):
    layout, case, books, result = layout_month
    assert wrong_pairs(case, books, result, layout) == []


def test_every_layout_keeps_decoys_and_unknown_documents_unpaired(layout_month):
    _, case, books, result = layout_month
    paired = {row for _, m in result.ims for row in m.books_rows}
    assert not paired & {books[i].row for i in case.decoys}
    assert {books[i].row for i in case.decoys} <= {b.row for b in result.books_only}


def test_every_layout_has_each_new_situation(layout_month):
    """Guards the tests above: each situation issue #10 names is really in the register."""
    layout, case, books, result = layout_month
    by_how = Counter()
    recs = {rec.key: rec for rec, _ in result.ims}
    for key, (index, how) in case.truth.items():
        if index is not None:
            b, rec = books[index], recs[key]
            by_how[how, b.kind != rec.sec.kind, b.supplier_gstin == "",
                   b.supplier_gstin != rec.supplier_gstin] += 1
    assert any(how == "gstin_blank" and blank for how, _, blank, _ in by_how)
    assert any(how == "gstin_slip" and differs for how, _, _, differs in by_how)
    assert any(cross for _, cross, _, _ in by_how)
    assert {"squashed", "glued"} <= {how for how, *_ in by_how}
    if layout == "tally_xlsx":     # every credit note is a Debit Note voucher, positive
        credit = [books[i] for i, _ in case.truth.values() if i is not None
                  and case.books[i]["Type"] == "Credit Note"]
        assert credit and all(b.kind == "debit" for b in credit)
    statuses = Counter(m.status for _, m in result.ims)
    assert set(statuses) == {"matched", "probable", "mismatch", MISSING}


def test_every_layout_explains_types_and_slips_in_the_reason(layout_month):
    result = layout_month[3]
    reasons = [m.reason for _, m in result.ims]
    assert any("; the supplier reports a Credit Note" in r and "booked as Debit Note" in r
               for r in reasons)
    assert any("is not a valid GSTIN; correct it to" in r for r in reasons)
    assert any("the books have no supplier GSTIN; by the supplier name it is" in r
               for r in reasons)


def test_booked_kind_follows_the_layout():
    row = {"Type": "Credit Note"}
    assert [booked_kind(row, layout) for layout in LAYOUTS] == ["credit", "credit", "credit",
                                                                "debit"]
