"""Apply Suggestions: the suggested action into blank (or selected) rows, never over typing."""

from ims_xl.month.apply_suggestions import apply_suggestions
from ims_xl.model.document import Decision
from tests.validate.vhelp import example, record, rows_of


def _rows():
    return rows_of(
        (example("MC/25-26/0451"), None, None, {"suggested": "Accept"}),               # 2
        (example("TT-2026-0093"), None, None,
         {"suggested": "Pending", "suggested_remarks": "not in books"}),               # 3
        (example("MC/CN/0012"), None, None, {"suggested": "Accept"}),                  # 4
        (example("SE/1187A"), Decision("R", "typed"), None,
         {"suggested": "Accept"}),                                                     # 5
        (record("b2b", "X-1", isRemarksBlocked="Y"), None, None,
         {"suggested": "Reject", "suggested_remarks": "not ours"}),                    # 6
        (record("b2bcn", "CN-B", itcRedReqBlocked="Y"), None, None,
         {"suggested": "Accept"}),                                                     # 7
        (record("b2b", "X-2"), None, None, {"suggested": ""}),                         # 8
    )


def test_blank_rows_get_the_suggestion_and_typed_actions_are_never_overwritten():
    u = apply_suggestions(_rows())
    assert u["action"] == {2: "Accept", 3: "Pending", 4: "Accept", 6: "Reject", 7: "Accept"}
    assert u["remarks"] == {3: "not in books"}                 # row 6: remarks blocked
    assert u["itc_red_req"] == {4: "Y"}                        # CN, not blocked, was blank


def test_selected_rows_are_overwritten_remarks_and_itc_only_when_blank():
    rows = _rows()
    u = apply_suggestions(rows, selected={5, 3})
    assert u["action"] == {3: "Pending", 5: "Accept"}
    assert u["remarks"] == {3: "not in books"}
    assert u["itc_red_req"] == {5: "Y"}                        # b2ba, answer was blank


def test_no_remark_is_put_on_an_accept_and_a_typed_remark_stays():
    rows = rows_of((example("MC/25-26/0451"), None, None,
                    {"suggested": "Accept", "suggested_remarks": "matched"}),
                   (example("TT-2026-0093"), None, None,
                    {"suggested": "Pending", "suggested_remarks": "x", "remarks": "mine"}))
    u = apply_suggestions(rows)
    assert "remarks" not in u and u["action"] == {2: "Accept", 3: "Pending"}


def test_nothing_to_do_gives_no_updates():
    rows = rows_of((example("MC/25-26/0451"), Decision("A"), None, {"suggested": "Reject"}))
    assert apply_suggestions(rows) == {}
