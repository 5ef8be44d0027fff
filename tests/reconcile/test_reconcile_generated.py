"""Generated months: every perturbation and decoy, checked against the generator's truth.

Each IMS record must pair with exactly the books row the generator made for it (or none
when it was left out), with the status its perturbation calls for; every decoy and every
document the portal never had must stay books-only.
"""

import re
from collections import Counter

import pytest

from ims_xl.generate import DECOYS, PERTURBATIONS, book_entries, ims_records, make_case
from ims_xl.reconcile import reconcile
from ims_xl.reconcile.result import MATCHED, MISMATCH, MISSING, PROBABLE

PERTURB = {p: 0.07 for p in PERTURBATIONS if p != "exact"}      # ~9% exact
DECOY_RATES = {d: 0.04 for d in DECOYS}


def expected_status(how: str, rec, books_row: dict | None) -> str:
    if how == "missing":
        return MISSING
    if how in ("amount_diff", "igst_swap"):       # a wrong tax head is a real ITC risk
        return MISMATCH
    if how in ("other_gstin", "date_far", "date_shift"):   # any differing date: a glance
        return PROBABLE
    if how in ("fy_token", "fy_spelling", "zeros"):   # written differently beyond case/separators
        return PROBABLE if _alnum(books_row["Bill No"]) != _alnum(rec.doc_number) else MATCHED
    if how == "prefix":                # an all-digit number has no prefix to drop
        return PROBABLE if books_row["Bill No"] != rec.doc_number else MATCHED
    if how == "amend_orig":            # only amendments have an original number
        return PROBABLE if rec.sec.is_amendment else MATCHED
    return MATCHED                     # case, separators, exact


def _alnum(number: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", number.upper())


@pytest.fixture(scope="module", params=[11, 12, 13])
def month(request):
    case = make_case(1500, seed=request.param, suppliers=60, perturb=PERTURB,
                     decoys=DECOY_RATES, books_only=0.05)
    books = book_entries(case.books)
    return case, books, reconcile(ims_records(case), books)


def test_every_record_pairs_with_its_own_books_row_and_status(month):
    case, books, result = month
    wrong = []
    for rec, m in result.ims:
        index, how = case.truth[rec.key]
        row = None if index is None else books[index].row
        want = expected_status(how, rec, None if index is None else case.books[index])
        got_row = m.books_rows[0] if m.books_rows else None
        if (got_row, m.status) != (row, want):
            wrong.append((how, rec.section, rec.doc_number, row, want, got_row, m.status,
                          m.reason))
    assert wrong == []


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
                or b.supplier_gstin != rec.supplier_gstin
                or abs(b.igst - float(rec.igst)) > 0.01 or abs(b.taxable - float(rec.taxable))
                > 0.01):
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
    for i, (key, kind) in case.decoy_of.items():
        if case.truth[key][0] is None:          # the real books copy is missing
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
