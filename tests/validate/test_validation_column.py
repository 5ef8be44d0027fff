"""The Validation column: issue text on rows with issues, old text cleared, notes kept."""

from datetime import date

from ims_xl.model.document import Decision
from ims_xl.validate import NOTE_PREFIX, validate_rows, validation_updates
from tests.validate.vhelp import example, rows_of

TODAY = date(2026, 4, 5)


def test_text_on_rows_with_issues_and_old_text_cleared_on_clean_rows():
    rows = rows_of(
        (example("SE/1187A"), Decision("P")),                        # row 2: error
        (example("TT-2026-0093"), Decision("A")),                    # row 3: warning
        (example("MC/25-26/0451"), Decision("A"), None, {"validation": "ERROR: old"}),
        (example("MC/CN/0012"), None),                               # row 5: clean, empty
    )
    updates = validation_updates(rows, validate_rows(rows, today=TODAY))["validation"]
    assert updates[2].startswith("ERROR: Pending is not allowed")
    assert updates[3].startswith("WARNING: the supplier has not filed")
    assert updates[4] == ""                                          # cleared
    assert 5 not in updates                                          # unchanged: no write


def test_nothing_to_write_when_the_column_already_says_it():
    rows = rows_of((example("MC/25-26/0451"), Decision("A")))
    assert validation_updates(rows, validate_rows(rows, today=TODAY)) == {}


def test_a_note_from_a_re_import_stays_until_an_action_is_chosen():
    note = NOTE_PREFIX + "the supplier changed this record since your action 'Accept'"
    waiting = rows_of((example("MC/25-26/0451"), None, None, {"validation": note}))
    assert validation_updates(waiting, validate_rows(waiting, today=TODAY)) == {}
    chosen = rows_of((example("MC/25-26/0451"), Decision("A"), None, {"validation": note}))
    assert validation_updates(chosen, validate_rows(chosen, today=TODAY)) == {
        "validation": {2: ""}}
