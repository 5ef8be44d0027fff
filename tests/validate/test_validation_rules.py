"""Every validation rule (docs/reference/ims-format.md#validation-checklist), each with a failing
and a passing row."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from ims_xl.model.document import Decision
from ims_xl.model.issue import ERROR, WARNING
from ims_xl.workbook.ims_sheet import SheetRow
from ims_xl.validate import validate_rows
from tests.validate.vhelp import example, record, row_of, rows_of

TODAY = date(2026, 4, 5)


def D(action, remarks="", itc="", **declared):
    return Decision(action, remarks, itc, {h: Decimal(str(v)) for h, v in declared.items()})


def MC():                 # b2b, supplier filed
    return example("MC/25-26/0451")


def TT():                 # b2b, supplier has not filed
    return example("TT-2026-0093")


def SE():                 # b2ba, Pending blocked
    return example("SE/1187A")


def CN():                 # b2bcn, CGST 900 + SGST 900
    return example("MC/CN/0012")


def CN_BLOCKED():
    return record("b2bcn", "CN-9", itcRedReqBlocked="Y")


def issues(rec, decision=None, cells=None):
    return validate_rows([row_of(rec(), decision, **(cells or {}))], today=TODAY).issues


# code, severity, failing (record, decision, cells), passing (record, decision, cells)
CASES = [
    ("action-unknown", ERROR, (MC, None, {"action": "Acept"}), (MC, None, {"action": "accept"})),
    ("pending-blocked", ERROR, (SE, D("P")), (TT, D("P"))),
    ("remarks-too-long", ERROR, (TT, D("P", "x" * 251)), (TT, D("P", "x" * 250))),
    ("remarks-control-chars", ERROR, (TT, D("P", "goods\nnot received")),
     (TT, D("P", "goods not received"))),
    ("remarks-blocked", ERROR, (lambda: record(isRemarksBlocked="Y"), D("R", "wrong rate")),
     (lambda: record(isRemarksBlocked="Y"), D("R"))),
    ("remarks-not-allowed", ERROR, (MC, D("A", "matched")), (MC, D("R", "not our purchase"))),
    ("itc-answer-invalid", ERROR, (CN, D("A"), {"itc_red_req": "maybe"}),
     (CN, D("A"), {"itc_red_req": "yes"})),
    ("itc-not-applicable", ERROR, (MC, D("A", itc="Y")), (MC, D("A"))),
    ("itc-blocked", ERROR, (CN_BLOCKED, D("A", itc="Y")), (CN_BLOCKED, D("A"))),
    ("itc-not-accept", ERROR, (CN, D("P", itc="Y")), (CN, D("P"))),
    ("itc-answer-missing", ERROR, (CN, D("A")), (CN, D("A", itc="Y"))),
    ("declared-without-yes", ERROR, (CN, D("A", "half", "N", cgst=450, sgst=450)),
     (CN, D("A", "half", "Y", cgst=450, sgst=450))),
    ("declared-negative", ERROR, (CN, D("A", "x", "Y", cgst=-1, sgst=-1)),
     (CN, D("A", "x", "Y", cgst=0, sgst=0))),
    ("declared-above-tax", ERROR, (CN, D("A", "x", "Y", cgst=900.01, sgst=900.01)),
     (CN, D("A", "x", "Y", cgst=900, sgst=900))),
    ("declared-cgst-sgst", ERROR, (CN, D("A", "x", "Y", cgst=450, sgst=400)),
     (CN, D("A", "x", "Y", cgst=450, sgst=450))),
    ("declared-precision", ERROR, (CN, D("A", "x", "Y", cgst=450.125, sgst=450.125)),
     (CN, D("A", "x", "Y", cgst=450.12, sgst=450.12))),
    ("declared-not-number", ERROR, (CN, D("A", itc="Y"), {"decl_cgst": "half"}),
     (CN, D("A", itc="Y"), {"decl_cgst": ""})),
    ("identity-edited", ERROR, (MC, None, {"doc_num": "MC/25-26/0452"}),
     (MC, None, {"doc_date": datetime(2026, 3, 5), "pos": 27.0})),
    ("amount-edited", ERROR, (MC, None, {"val": 118001.0}), (MC, None, {"val": "1,18,000.00"})),
    ("accept-not-filed", WARNING, (TT, D("A")), (MC, D("A"))),
    ("reject-not-filed", WARNING, (TT, D("R", "not ours")), (MC, D("R", "not ours"))),
    ("reject-credit-note", WARNING, (CN, D("R", "wrong note")), (MC, D("R", "wrong invoice"))),
    ("blank-action", WARNING, (TT, None, {"remarks": "call the supplier"}), (TT, None, {})),
    ("itc-remarks-missing", WARNING, (CN, D("A", itc="N")), (CN, D("A", "never availed", "N"))),
    ("gstin-checksum", WARNING, (lambda: record(stin="27AAHCM1357N1Z3"), D("A")), (MC, D("A"))),
    ("date-format", WARNING, (lambda: record(idt="2026-03-05"), D("A")), (MC, D("A"))),
    ("date-future", WARNING, (lambda: record(idt="06-04-2026"), D("A")),
     (lambda: record(idt="05-04-2026"), D("A"))),
    ("pos-unknown", WARNING, (lambda: record(pos="99"), D("A")), (MC, D("A"))),
    ("doc-number-length", WARNING, (lambda: record(number="A" * 17), D("A")),
     (lambda: record(number="A" * 16), D("A"))),
]


@pytest.mark.parametrize("code, severity, failing, passing", CASES, ids=[c[0] for c in CASES])
def test_rule_fails_and_passes(code, severity, failing, passing):
    found = [i for i in issues(*failing) if i.code == code]
    assert found, f"{code} not raised"
    assert {i.severity for i in found} == {severity}
    text = str(found[0])
    assert "row 2" in text and f"[{found[0].field}]" in text and found[0].field
    assert code not in {i.code for i in issues(*passing)}


def test_duplicate_record_fails_on_the_second_row_and_distinct_rows_pass():
    rows = rows_of((MC(), D("A")), (TT(), D("P")), (MC(), D("R", "no")))
    dup = [i for i in validate_rows(rows, today=TODAY).issues if i.code == "duplicate-record"]
    assert [(i.row, i.severity) for i in dup] == [(4, ERROR)] and "row 2" in dup[0].message
    assert not any(i.code == "duplicate-record"
                   for i in validate_rows(rows[:2], today=TODAY).issues)


def test_unreadable_cell_fails_and_a_readable_one_passes():
    good = row_of(MC(), D("A"))
    bad = SheetRow(good.row, good.record, good.decision, good.portal, good.cells,
                   [("remarks", "odd cell")])
    assert "cell-unreadable" in {i.code for i in validate_rows([bad]).issues}
    assert "cell-unreadable" not in {i.code for i in validate_rows([good]).issues}


@pytest.mark.parametrize("typed", ["Accept", "accept", "ACCEPT", "A", "a", "Reject", "r",
                                   "Pending", "p", "No Action", "no action", "N", "n", ""])
def test_action_labels_and_codes_in_any_case_are_accepted(typed):
    assert not validate_rows([row_of(MC(), action=typed)], today=TODAY).errors


def test_rows_not_uploaded_are_not_checked_for_content():
    """A Pending-blocked record already Pending on the portal, left as it is: nothing to send."""
    portal = D("P")
    row = row_of(SE(), D("P"), portal)
    assert validate_rows([row], today=TODAY).issues == []


def test_remarks_go_with_an_accept_declaring_partial_or_no_reduction():
    for dec in (D("A", "half availed", "Y", cgst=450, sgst=450), D("A", "never availed", "N")):
        assert validate_rows([row_of(CN(), dec)], today=TODAY).issues == []
    full = validate_rows([row_of(CN(), D("A", "all reversed", "Y"))], today=TODAY)
    assert [i.code for i in full.issues] == ["remarks-not-allowed"]


def test_no_action_with_remarks_is_refused():
    report = validate_rows([row_of(example("ECO/TN/55421"), D("N", "reset"))], today=TODAY)
    assert [i.code for i in report.issues] == ["remarks-not-allowed"]


def test_warnings_do_not_block_errors_do():
    warned = validate_rows([row_of(TT(), D("A"))], today=TODAY)
    assert warned.warnings and warned.valid
    failed = validate_rows([row_of(SE(), D("P"))], today=TODAY)
    assert not failed.valid


def test_messages_name_row_field_record_and_the_fix():
    issue = validate_rows([row_of(SE(), D("P"), row=7)], today=TODAY).errors[0]
    assert str(issue).startswith("ERROR row 7 [Action] B2BA 07AAGPS9876Q1ZE SE/1187A: ")
    assert "choose Accept or Reject" in issue.message


def test_the_worked_example_decisions_are_valid():
    rows = rows_of((MC(), D("A")), (TT(), D("P", "Goods not yet received"), ),
                   (SE(), D("A", itc="Y")),
                   (CN(), D("A", "Only 50% ITC availed", "Y", igst=0, cgst=450, sgst=450,
                            cess=0)),
                   (example("ECO/TN/55421"), D("A")))
    report = validate_rows(rows, today=TODAY)
    assert report.errors == []
    assert [i.code for i in report.warnings] == []      # TT is Pending: no filing warning
