"""Generated months with clubbed bills and manual links, checked against the generator's truth.

Every record must end with exactly its own books row(s) and the status its situation calls
for: clubbed bills pair with all their parts (Probable), linked records with the row the user
typed, and every decoy still stays books-only.
"""

from collections import Counter

import pytest

from ims_xl.reconcile import reconcile
from ims_xl.reconcile.result import MATCHED, MISSING, PROBABLE
from ims_xl.register import read_register
from ims_xl.testdata.generate import (DECOYS, LAYOUTS, PERTURBATIONS, SITUATIONS, book_entries,
                                      expected, ims_records, make_case, write_register)

MIXED = {p: 0.04 for p in PERTURBATIONS if p != "exact"}
MIXED.update({s: 0.04 for s in SITUATIONS})
SITUATION_STATUS = {"club_books": PROBABLE, "club_ims": PROBABLE, "link_other_number": MATCHED,
                    "link_moved": MATCHED, "link_lost": MISSING, "link_none": MISSING}
# What the rules alone make of the link situations (the reason a user types a link).
WITHOUT_LINKS = {"link_other_number": (False, MISSING), "link_moved": (False, MISSING),
                 "link_lost": (False, "mismatch"), "link_none": (False, "mismatch")}


def typed_links(case, books) -> dict:
    """Link Books Row as the user types it: the books row number, or none."""
    return {k: v if v == "none" else str(books[v].row) for k, v in case.links.items()}


def own_rows(case, books, key) -> list:
    index, _ = case.truth[key]
    at = case.groups.get(key, [] if index is None else [index])
    return sorted(books[i].row for i in at)


@pytest.fixture(scope="module", params=[21, 22])
def month(request):
    case = make_case(1500, seed=request.param, suppliers=60, perturb=MIXED,
                     decoys={d: 0.04 for d in DECOYS}, books_only=0.05)
    books = book_entries(case.books)
    records = ims_records(case)
    return case, books, records, reconcile(records, books, links=typed_links(case, books))


def wrong_records(case, books, result, layout: str) -> list:
    """Records whose books rows or status differ from the truth: clubs and links as the
    situation says, every other record by the rules for the layout (`generate.expected`)."""
    wrong = []
    for rec, m in result.ims:
        how = case.truth[rec.key][1]
        if how in SITUATION_STATUS:
            rows, want = own_rows(case, books, rec.key), SITUATION_STATUS[how]
        else:
            at, want = expected(case, rec, layout)
            rows = [] if at is None else [books[at].row]
        if (m.books_rows, m.status) != (rows, want):
            wrong.append((how, rec.doc_number, rows, want, m.books_rows, m.status, m.reason))
    return wrong


def test_every_record_ends_with_its_own_books_rows_and_status(month):
    case, books, _, result = month
    assert wrong_records(case, books, result, "generic_csv") == []


@pytest.fixture(scope="module", params=LAYOUTS)
def layout_month(request, tmp_path_factory):
    """Clubbed bills and typed links in each register layout, read back from the file."""
    case = make_case(900, seed=23, suppliers=40, perturb=MIXED,
                     decoys={d: 0.04 for d in DECOYS}, books_only=0.05)
    path = write_register(case.books, tmp_path_factory.mktemp(request.param), request.param)
    books = read_register(path).entries
    assert len(books) == len(case.books)
    result = reconcile(ims_records(case), books, links=typed_links(case, books))
    return request.param, case, books, result


def test_every_layout_pairs_clubs_and_links_as_typed(layout_month):
    layout, case, books, result = layout_month
    hows = Counter(how for _, how in case.truth.values())
    assert set(SITUATION_STATUS) <= set(hows)
    assert wrong_records(case, books, result, layout) == []


def test_every_situation_occurs_and_clubs_have_several_parts(month):
    case, books, _, _ = month
    hows = Counter(how for _, how in case.truth.values())
    assert set(SITUATION_STATUS) <= set(hows)
    club_books = Counter(i for i, how in case.truth.values() if how == "club_books")
    assert min(club_books.values()) >= 2                      # several records, one row
    assert min(len(v) for v in case.groups.values()) >= 2     # one record, several rows


def test_decoys_and_unknown_documents_stay_books_only(month):
    case, books, _, result = month
    mine = {r for key in case.truth for r in own_rows(case, books, key)}
    only = {b.row for b in result.books_only}
    assert {books[i].row for i in case.decoys} <= only
    assert only == {b.row for b in books} - mine


def test_without_the_links_the_rules_alone_miss_those_records(month):
    case, books, records, _ = month
    result = reconcile(records, books)
    seen = Counter()
    for rec, m in result.ims:
        how = case.truth[rec.key][1]
        if how in WITHOUT_LINKS:
            right, status = WITHOUT_LINKS[how]
            assert ((m.books_rows == own_rows(case, books, rec.key)), m.status) == (right, status)
            seen[how] += 1
        elif how.startswith("club"):               # clubs need no link
            assert m.status == PROBABLE and m.books_rows == own_rows(case, books, rec.key)
    assert set(seen) == set(WITHOUT_LINKS)


def test_reasons_say_manual_moved_and_clubbed(month):
    case, books, _, result = month
    numbers = {rec.key: rec.doc_number for rec, _ in result.ims}
    for rec, m in result.ims:
        how = case.truth[rec.key][1]
        if how in ("link_other_number", "link_moved"):
            assert m.rule == "manual"
            assert m.reason.startswith(f"Manual match: you linked books row {m.books_rows[0]}.")
        if how == "link_moved":
            assert "The rules had paired that row with IMS" in m.reason
        if how == "link_lost":
            assert "is linked by hand to IMS" in m.reason and m.rule != "manual"
        if how == "link_none":
            assert m.rule == "manual" and m.reason.startswith("Kept unpaired")
        if how == "club_books":
            others = [numbers[k] for k, (i, h) in case.truth.items()
                      if h == "club_books" and i == case.truth[rec.key][0] and k != rec.key]
            assert m.rule == "clubbed" and all(o in m.reason for o in others), m.reason
        if how == "club_ims":
            assert f"books rows {', '.join(map(str, m.books_rows))} together" in m.reason


def test_books_match_names_a_record_of_each_paired_row(month):
    _, books, _, result = month
    for row, i in result.books_match.items():
        assert row in result.ims[i][1].books_rows
    paired = {r for _, m in result.ims for r in m.books_rows}
    assert set(result.books_match) == paired
    assert len(paired) + len(result.books_only) == len(books)
