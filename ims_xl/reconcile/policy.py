"""Suggested action per record: the client's policy table, then the portal's guard rails.

The policy (settings.ACTION_POLICY) says what to do per match status. The guard rails then make sure
a suggestion is never one the portal refuses or one that hurts the user
(docs/reference/ims-format.md#pending, docs/reference/ims-format.md#remarks,
docs/reference/matching.md#action-policy), whatever the policy says:

- never Pending where the record's Pending is blocked (`ispendactblocked`);
- never Accept when the supplier has not filed (only filed records reach GSTR-2B);
- never an automatic Reject of a credit note (it adds the note back to the supplier's
  liability);
- never a remark where remarks are blocked, and remarks only with Reject or Pending;
- an Accept on a section with the ITC-reduction question always carries the declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.action import LABELS
from ..model.document import ImsRecord
from ..model.section import SECTIONS
from .settings import Settings

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True, slots=True)
class Suggestion:
    action: str             # A R P N
    remarks: str = ""
    itc_red_req: str = ""   # Y/N when an Accept must declare the ITC reduction
    reason: str = ""        # why this action, in one or two short sentences


@dataclass(frozen=True, slots=True)
class Plan:
    """A suggestion before its remark is filled in; the same for every record that shares
    section, status and portal flags, so a run computes each plan once."""

    action: str
    template: str           # remark template, "" for none
    itc_red_req: str
    reason: str


def situation_key(rec: ImsRecord, status: str, detail: str = "") -> tuple:
    """Everything a plan depends on besides the settings. `detail` names a situation inside
    the status with a remark of its own (e.g. `tax_head`: IGST where CGST+SGST is due)."""
    return (rec.section, status, rec.supplier_filed, rec.pending_blocked, rec.remarks_blocked,
            rec.itc_blocked, detail)


def suggest(rec: ImsRecord, status: str, settings: Settings, facts: dict) -> Suggestion:
    """The action to suggest for `rec` whose match status is `status`.

    `facts` fills the remark template: number, date, differences.
    """
    return fill(plan(situation_key(rec, status), settings), facts, settings)


def fill(p: Plan, facts: dict, settings: Settings) -> Suggestion:
    """The plan with its remark written out (`facts` may be a callable, called if needed)."""
    return Suggestion(p.action, remark(p, facts, settings), p.itc_red_req, p.reason)


def remark(p: Plan, facts: dict, settings: Settings) -> str:
    """The plan's remark for one record; "" when it has none."""
    if not p.template:
        return ""
    values = facts() if callable(facts) else facts
    text = p.template.format_map(_Blank(values))
    if not text.isprintable():          # rare: a control character from the record
        text = _CONTROL.sub(" ", text)
    text = text.strip()
    return text[: settings.remark_max]


def plan(key: tuple, settings: Settings) -> Plan:
    section, status, filed, pending_blocked, remarks_blocked, itc_blocked, detail = key
    sec = SECTIONS[section]
    never_reject = sec.kind in settings.never_reject_kinds
    not_filed = filed is False
    situation = detail if detail in settings.remark_templates else status
    guards: list[str] = []              # why the policy's action was changed
    action = _valid(settings.action_policy.get(status, "N"))
    if action == "R" and never_reject:
        action = "P"
        guards.append("credit notes are never rejected automatically")
    if action == "A" and not_filed:
        action, situation = _valid(settings.not_filed_action), "not_filed"
        guards.append("the supplier has not filed the return yet, so do not accept")
    if action == "P" and pending_blocked:
        action = _valid(settings.not_filed_pending_blocked_action if not_filed
                        else settings.pending_blocked_policy.get(status, "N"))
        guards.append("Pending is not allowed for this record on the portal")
    # Whatever the tables say, end on an action the portal and the rules allow.
    if (action == "P" and pending_blocked) or (action == "A" and not_filed) \
            or (action == "R" and never_reject):
        action = "N"
    notes = [n for n in (guards or [settings.action_reasons.get(status, "")]) if n]
    template = _template(action, situation, remarks_blocked, settings, notes)
    itc = _itc_red_req(action, sec.itc_declaration, itc_blocked, settings, notes)
    return Plan(action, template, itc, _reason(action, notes))


def _valid(code: str) -> str:
    code = str(code or "N").strip().upper()[:1]
    return code if code in LABELS else "N"


def _template(action: str, situation: str, remarks_blocked: bool, settings: Settings,
              notes: list) -> str:
    if action not in ("R", "P"):
        return ""              # the portal takes remarks with Reject and Pending only
    template = settings.remark_templates.get(situation, "")
    if template and remarks_blocked:
        notes.append("remarks are blocked for this record, so none is suggested")
        return ""
    return template


def _itc_red_req(action: str, declares: bool, itc_blocked: bool, settings: Settings,
                 notes: list) -> str:
    if action != "A" or not declares:
        return ""
    if itc_blocked:
        notes.append("the portal blocks the ITC-reduction answer on this record")
        return ""
    answer = settings.accept_itc_red_req if settings.accept_itc_red_req in ("Y", "N") else "Y"
    notes.append(f"set ITC Reduction = {answer} (the portal requires it)")
    return answer


def _reason(action: str, notes: list) -> str:
    head = f"Suggest {LABELS[action]}"
    if action == "N":
        head += " (deemed accepted when GSTR-2B is generated; decide before filing)"
    return head + (": " + "; ".join(notes) if notes else "") + "."


class _Blank(dict):
    """format_map helper: unknown template fields become empty instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""
