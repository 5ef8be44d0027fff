"""Suggested actions: the policy table and the portal's guard rails, for all 8 sections."""

import itertools

import pytest

from ims_xl.reconcile import Settings, reconcile
from ims_xl.reconcile.policy import suggest
from ims_xl.reconcile.result import MATCHED, MISMATCH, MISSING, PROBABLE, STATUSES
from ims_xl.model.section import SECTIONS
from rhelp import book, ims

DECLARING = {"b2ba", "b2bdna", "b2bcn", "b2bcna", "ecoma"}
KIND = {code: s.kind for code, s in SECTIONS.items()}
FACTS = {"number": "INV-1", "date": "05-03-2026", "differences": "taxable 1.00 vs 2.00"}

# Policies a client might set, including careless ones: the guard rails must hold anyway.
POLICIES = {
    "default": Settings(),
    "reject-heavy": Settings.from_mapping({"action_policy": {
        "probable": "R", "mismatch": "R", "missing_in_books": "R"}}),
    "pending-everywhere": Settings.from_mapping({
        "action_policy": {s: "P" for s in STATUSES},
        "pending_blocked_policy": {s: "P" for s in STATUSES},
        "not_filed_action": "A", "not_filed_pending_blocked_action": "P"}),
    "accept-everything": Settings.from_mapping({
        "action_policy": {s: "A" for s in STATUSES},
        "pending_blocked_policy": {s: "A" for s in STATUSES}}),
}


def _record(section, filed, pending_blocked, remarks_blocked, itc_blocked):
    return ims("INV-1", section=section, filed=filed, pending_blocked=pending_blocked,
               remarks_blocked=remarks_blocked, itc_blocked=itc_blocked)


FLAGS = list(itertools.product(STATUSES, (True, False, None), (False, True), (False, True),
                               (False, True)))


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("section", SECTIONS)
def test_guard_rails_hold_for_every_status_and_flag(section, policy):
    broken = []
    for status, filed, pend, rem, itc in FLAGS:
        rec = _record(section, filed, pend, rem, itc)
        s = suggest(rec, status, POLICIES[policy], FACTS)
        wants_declaration = s.action == "A" and section in DECLARING and not itc
        problems = [
            s.action not in ("A", "R", "P", "N") and "unknown action",
            s.action == "P" and pend and "Pending where the portal blocks it",
            s.action == "A" and filed is False and "Accept before the supplier filed",
            s.action == "R" and KIND[section] == "credit" and "automatic Reject of a CN",
            s.remarks and (s.action not in ("R", "P") or rem) and "remark not allowed",
            len(s.remarks) > 250 and "remark too long",
            s.itc_red_req != ("Y" if wants_declaration else "") and "ITC declaration",
            not s.reason.startswith("Suggest ") and "no reason",
        ]
        broken += [(status, filed, pend, rem, itc, p) for p in problems if p]
    assert broken == []


@pytest.mark.parametrize("section", SECTIONS)
def test_default_policy_per_section(section):
    declares = "Y" if section in DECLARING else ""
    matched = suggest(_record(section, True, False, False, False), MATCHED, Settings(), FACTS)
    assert (matched.action, matched.itc_red_req, matched.remarks) == ("A", declares, "")
    probable = suggest(_record(section, True, False, False, False), PROBABLE, Settings(), FACTS)
    assert (probable.action, probable.itc_red_req) == ("A", declares)
    mismatch = suggest(_record(section, True, False, False, False), MISMATCH, Settings(), FACTS)
    assert mismatch.action == "P" and "taxable 1.00 vs 2.00" in mismatch.remarks
    missing = suggest(_record(section, True, False, False, False), MISSING, Settings(), FACTS)
    assert missing.action == "P" and "not found in our books" in missing.remarks


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("status", [MISMATCH, MISSING])
def test_pending_blocked_falls_back_to_no_action_and_says_why(section, status):
    s = suggest(_record(section, True, True, False, False), status, Settings(), FACTS)
    assert (s.action, s.remarks) == ("N", "")
    assert "Pending is not allowed for this record" in s.reason
    assert "deemed accepted" in s.reason


@pytest.mark.parametrize("section", SECTIONS)
def test_supplier_not_filed_is_kept_pending_not_accepted(section):
    s = suggest(_record(section, False, False, False, False), MATCHED, Settings(), FACTS)
    assert s.action == "P" and s.itc_red_req == ""
    assert "has not filed" in s.reason and "until you file" in s.remarks
    blocked = suggest(_record(section, False, True, False, False), MATCHED, Settings(), FACTS)
    assert blocked.action == "N"
    assert "has not filed" in blocked.reason and "Pending is not allowed" in blocked.reason


@pytest.mark.parametrize("section", SECTIONS)
def test_blocked_remarks_are_dropped_with_a_reason(section):
    s = suggest(_record(section, True, False, True, False), MISSING, Settings(), FACTS)
    assert (s.action, s.remarks) == ("P", "")
    assert "remarks are blocked" in s.reason


@pytest.mark.parametrize("section", sorted(DECLARING))
def test_accept_where_the_portal_blocks_the_declaration_sends_none(section):
    s = suggest(_record(section, True, False, False, True), MATCHED, Settings(), FACTS)
    assert (s.action, s.itc_red_req) == ("A", "")
    assert "blocks the ITC-reduction answer" in s.reason


@pytest.mark.parametrize("section", SECTIONS)
def test_a_reject_policy_never_rejects_a_credit_note(section):
    s = suggest(_record(section, True, False, False, False), MISMATCH,
                POLICIES["reject-heavy"], FACTS)
    if KIND[section] == "credit":
        assert s.action == "P" and "never rejected automatically" in s.reason
    else:
        assert s.action == "R" and s.remarks


def test_remarks_are_cut_to_the_portal_limit_and_single_line():
    settings = Settings.from_mapping({"remark_templates": {"missing_in_books": "x\n" * 300}})
    s = suggest(_record("b2b", True, False, False, False), MISSING, settings, FACTS)
    assert len(s.remarks) == 250 and "\n" not in s.remarks


@pytest.mark.parametrize("section", SECTIONS)
def test_reconcile_suggests_accept_with_declaration_for_matched_records(section):
    rec = ims("AB/0017", section=section, orig="AB/0017-O")
    result = reconcile([rec], [book(2, "AB/0017", kind=KIND[section])])
    m = result.ims[0][1]
    assert (m.status, m.suggested_action) == (MATCHED, "A")
    assert m.suggested_itc_red_req == ("Y" if section in DECLARING else "")
