"""The shape of a `Reconciliation`: what the workbook and RESULT.json rely on."""

from ims_xl.reconcile import MatchResult, Reconciliation, Settings, reconcile
from ims_xl.reconcile.result import MATCHED, MISSING, STATUSES
from rhelp import SUP_B, book, books_only_rows, ims


def test_public_api():
    import ims_xl.reconcile as package
    assert sorted(package.__all__) == ["MatchResult", "Reconciliation", "Settings",
                                       "reconcile"]
    assert isinstance(reconcile([], []), Reconciliation)
    assert "suggested_itc_red_req" in MatchResult.__dataclass_fields__


def test_ims_keeps_input_order_and_books_match_points_into_it():
    records = [ims("C-3"), ims("A-1"), ims("B-2", gstin=SUP_B), ims("Z-9")]
    books = [book(7, "B-2", gstin=SUP_B), book(5, "A-1"), book(6, "C-3"), book(8, "Q-1")]
    result = reconcile(records, books)
    assert [rec.doc_number for rec, _ in result.ims] == ["C-3", "A-1", "B-2", "Z-9"]
    assert result.books_match == {6: 0, 5: 1, 7: 2}
    assert books_only_rows(result) == {8}
    assert result.counts() == {MATCHED: 3, "probable": 0, "mismatch": 0, MISSING: 1,
                               "books_only": 1}


def test_empty_sides():
    only_ims = reconcile([ims("A-1")], [])
    assert only_ims.ims[0][1].status == MISSING and only_ims.books_only == []
    only_books = reconcile([], [book(2, "A-1")])
    assert only_books.ims == [] and books_only_rows(only_books) == {2}
    assert reconcile([], []).counts() == {**{s: 0 for s in STATUSES}, "books_only": 0}


def test_every_result_carries_rule_score_reason_and_action():
    result = reconcile([ims("A-1"), ims("B-1")], [book(2, "a1")])
    got = {rec.doc_number: m for rec, m in result.ims}
    a, b = got["A-1"], got["B-1"]
    assert (a.rule, a.books_rows) == ("number-trivial", [2]) and 90 <= a.score <= 100
    assert a.reason == "Same document as books row 2 (books write 'a1'). Suggest Accept."
    assert (b.rule, b.score, b.books_rows) == ("", 0.0, [])
    assert b.reason.startswith("No books document of this supplier has this number.")
    assert b.suggested_action == "P"


def test_books_kind_and_sign_are_read_loosely():
    # importers may pass "Credit" or negative amounts; both still pair
    result = reconcile([ims("CN-1", section="b2bcn")],
                       [book(2, "CN-1", kind="Credit", taxable=-1000.0, cgst=-90.0,
                             sgst=-90.0)])
    assert result.ims[0][1].status == MATCHED


def test_a_default_settings_object_is_used_when_none_is_given():
    records, books = [ims("A-1")], [book(2, "A-1", taxable=1003.0)]
    assert _status(reconcile(records, books)) == _status(reconcile(records, books, Settings()))


def _status(result):
    return [m.status for _, m in result.ims]


def test_reverse_charge_documents_are_not_only_in_books():
    """Reverse-charge supplies never reach IMS (docs/reference/ims-format.md#not-in-ims): not a
    books-only gap."""
    from ims_xl.reconcile.result import STATUS_LABELS
    rcm = book(3, "RCM-7")
    rcm.reverse_charge = True
    result = reconcile([ims("A-1")], [book(2, "A-1"), rcm, book(4, "Z-9")])
    assert [b.row for b in result.books_only] == [4]
    assert [b.row for b in result.not_in_ims] == [3]
    assert result.books_statuses([rcm]) == ([STATUS_LABELS["not_in_ims"]], [None])
    assert result.counts()["not_in_ims"] == 1 and result.counts()["books_only"] == 1


def test_plain_pairs_are_kept_as_columns_and_made_when_asked_for():
    """Most of a month pairs plainly (same number, date and amounts): matching keeps those
    results as columns and makes a `MatchResult` only when one is asked for, the same object
    every time. What the IMS sheet, RESULT.json and the counts read (`column`) is the
    results' own fields, and a result changed once made is what its column then gives."""
    from ims_xl.reconcile.result import Results, results_of
    from ims_xl.workbook.ims_sheet import result_columns
    records = [ims(f"A-{k}") for k in range(6)] + [ims("B-1", taxable=900.0), ims("Z-9")]
    books = [book(10 + k, f"A-{k}") for k in range(6)] + [book(20, "B-1")]
    result = reconcile(records, books)
    results = results_of(result.ims)
    assert sum(m is None for m in results._made) == 6       # the plain six: not made yet
    columns = {f: result.column(f) for f in Results.FIELDS}
    cells = result_columns(results)
    assert sum(m is None for m in results._made) == 6       # reading columns makes none
    made = [m for _, m in result.ims]
    assert all(a is b for a, b in zip(made, results)) and results[-1] is made[-1]
    assert columns == {f: [getattr(m, f) for m in made] for f in Results.FIELDS}
    assert cells == result_columns(list(made))
    assert result.ims == list(zip(records, made)) and result.ims[1:3] == list(zip(
        records[1:3], made[1:3]))
    first = made[0]
    assert (first.status, first.books_rows, first.differences) == (MATCHED, [10], {})
    assert first.reason == "Same document as books row 10. Suggest Accept."
    assert made[1].books_rows is not first.books_rows        # each result has its own list
    assert [m.status for m in made[6:]] == ["mismatch", MISSING]
    made[2].reason = "changed after matching"
    assert result.column("reason")[2] == "changed after matching"
    assert result_columns(results)["reason"][2] == "changed after matching"
