"""Checks on what the user typed: Action, Remarks and the ITC-reduction block
(docs/reference/ims-format.md#business-rules).

Each rule is `rule(row, today) -> Iterator[Issue]` with its own stable `code`. Rules about
content check only rows that will be uploaded (`is_changed`): a row the export leaves out
cannot fail on the portal, so it must not block the export either.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Iterator

from ..portal import dialects
from ..model.action import label_of
from ..model.document import HEADS
from ..model.issue import ERROR, WARNING, Issue
from ..workbook.layout import IMS_COLUMNS
from ..workbook.ims_sheet import SheetRow
from ..portal.upload import is_changed

HEADER = {c.key: c.header for c in IMS_COLUMNS}
DECL_KEYS = {h: f"decl_{h}" for h in HEADS}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_YES_NO = {"Y", "N", "YES", "NO"}
_CENT = Decimal("0.01")


def issue(row: SheetRow, code: str, message: str, key: str = "",
          severity: str = ERROR) -> Issue:
    """An `Issue` naming the sheet row, the column header and the record."""
    return Issue(code, message, severity, row.row, HEADER.get(key, key), row.record.label())


def sent(row: SheetRow) -> bool:
    return is_changed(row.decision, row.portal)


# Cells that could not be read -------------------------------------------------------------

def unreadable_cells(row: SheetRow, today: date) -> Iterator[Issue]:
    for key, message in row.problems:
        value = row.get(key)
        if key == "action":
            yield issue(row, "action-unknown",
                        f"Action {value!r} is not an action: type Accept, Reject, Pending or "
                        "No Action (or A, R, P, N; any case), or leave it blank", key)
        elif key.startswith("decl_"):
            yield issue(row, "declared-not-number",
                        f"{HEADER[key]} {value!r} is not a number: type an amount such as "
                        "450 or 450.50, or leave it blank", key)
        else:
            yield issue(row, "cell-unreadable", f"{message}; correct the cell", key)


def itc_answer_invalid(row: SheetRow, today: date) -> Iterator[Issue]:
    text = str(row.get("itc_red_req") or "").strip()
    if text and text.upper() not in _YES_NO:
        yield issue(row, "itc-answer-invalid",
                    f"ITC Reduction {text!r} is not an answer: type Y (reduce ITC) or "
                    "N (ITC was never availed), or leave it blank", "itc_red_req")


# Action -----------------------------------------------------------------------------------

def pending_blocked(row: SheetRow, today: date) -> Iterator[Issue]:
    if sent(row) and row.decision.action == "P" and row.record.pending_blocked:
        yield issue(row, "pending-blocked",
                    "Pending is not allowed for this record: the portal blocks it (Pending "
                    "Blocked = Y, e.g. a credit note or amendment past its one-period window); "
                    "choose Accept or Reject", "action")


def filing_warnings(row: SheetRow, today: date) -> Iterator[Issue]:
    """Acting on a record the supplier has only saved (docs/reference/ims-format.md#timing,
    docs/reference/ims-format.md#validation-checklist item 7)."""
    action = row.decision.action
    if not sent(row) or row.record.supplier_filed is not False:
        return
    if action == "A":
        yield issue(row, "accept-not-filed",
                    "the supplier has not filed this record yet (Supplier Filing = "
                    f"{row.record.filing_status or 'not filed'}): it reaches GSTR-2B only once "
                    "filed, and an edit by the supplier resets your action (portal error "
                    "IMSSAV0010); consider Pending until it is filed", "action", WARNING)
    elif action == "R":
        yield issue(row, "reject-not-filed",
                    "the supplier has only saved this record: an edit by the supplier resets "
                    "your Reject (portal error IMSSAV0010); check again after they file",
                    "action", WARNING)


def reject_credit_note(row: SheetRow, today: date) -> Iterator[Issue]:
    if sent(row) and row.decision.action == "R" and row.record.sec.kind == "credit":
        yield issue(row, "reject-credit-note",
                    "rejecting a credit note adds its tax back to the supplier's liability; "
                    "reject only a credit note that is wrong, otherwise Accept it", "action",
                    WARNING)


def blank_action(row: SheetRow, today: date) -> Iterator[Issue]:
    """Remarks or an ITC answer typed on a row whose Action is blank go nowhere."""
    dec, portal = row.decision, row.portal
    if dec.action is not None or any(k == "action" for k, _ in row.problems):
        return
    if dec.same_as(portal):
        return
    key = "remarks" if dec.remarks.strip() != portal.remarks.strip() else "itc_red_req"
    yield issue(row, "blank-action",
                f"{HEADER[key]} was typed but the Action is blank, so this row will not be "
                "uploaded: choose an Action, or undo the edit", key, WARNING)


# Remarks (docs/reference/ims-format.md#remarks) -----------------------------------------

def remarks(row: SheetRow, today: date) -> Iterator[Issue]:
    text = row.decision.remarks.strip()
    if not text or not sent(row):
        return
    if row.record.remarks_blocked:
        if text != row.portal.remarks.strip():
            yield issue(row, "remarks-blocked",
                        "the portal does not accept remarks for this record (Remarks Blocked = "
                        "Y); clear the Remarks cell", "remarks")
        return                      # blocked remarks are never sent: nothing else to check
    if not remarks_allowed(row):
        yield issue(row, "remarks-not-allowed",
                    f"remarks are not sent with {_action_label(row)}: only with Reject or "
                    "Pending, or with an Accept that declares a partial or no ITC reduction; "
                    "clear the Remarks cell or change the Action", "remarks")
    if len(text) > dialects.REMARKS_MAX:
        yield issue(row, "remarks-too-long",
                    f"remarks are {len(text)} characters long; the portal takes at most "
                    f"{dialects.REMARKS_MAX}: shorten them", "remarks")
    if _CONTROL.search(text):
        yield issue(row, "remarks-control-chars",
                    "remarks contain a line break or another control character; type them on "
                    "one line (in Excel, Alt+Enter inserts a line break)", "remarks")


def remarks_allowed(row: SheetRow) -> bool:
    """Remarks go with R and P, and with an Accept declaring a partial or no reduction."""
    dec = row.decision
    if dec.action in ("R", "P"):
        return True
    return dec.action == "A" and _itc_case(row) and (dec.itc_red_req == "N" or _partial(row))


def _action_label(row: SheetRow) -> str:
    return label_of(row.decision.action) or "a blank Action"


# ITC-reduction declaration (docs/reference/ims-format.md#itc-reduction) -----------------

def _itc_case(row: SheetRow) -> bool:
    """The record's section carries the declaration and the portal does not block it."""
    return row.record.sec.itc_declaration and not row.record.itc_blocked


def _partial(row: SheetRow) -> bool:
    return row.decision.itc_red_req == "Y" and bool(_declared(row))


def _declared(row: SheetRow) -> dict:
    return {h: v for h, v in row.decision.declared.items() if v not in (None, "")}


def itc_placement(row: SheetRow, today: date) -> Iterator[Issue]:
    """The block is sent only on Accept, only in its sections, only when not blocked."""
    dec = row.decision
    if not sent(row) or not (dec.itc_red_req or _declared(row)):
        return
    clear = "clear ITC Reduction and the Declared amounts"
    if not row.record.sec.itc_declaration:
        yield issue(row, "itc-not-applicable",
                    f"{row.record.sec.label} records carry no ITC-reduction answer (only "
                    f"credit notes and amendments do); {clear}", "itc_red_req")
    elif row.record.itc_blocked:
        yield issue(row, "itc-blocked",
                    "the portal blocks the ITC-reduction answer for this record (ITC Red. "
                    f"Blocked = Y); {clear}", "itc_red_req")
    elif dec.action != "A":
        yield issue(row, "itc-not-accept",
                    f"the ITC-reduction answer is only sent with Accept; {clear}, or choose "
                    "Accept", "itc_red_req")


def itc_answer_missing(row: SheetRow, today: date) -> Iterator[Issue]:
    dec = row.decision
    if sent(row) and dec.action == "A" and _itc_case(row) and not dec.itc_red_req:
        yield issue(row, "itc-answer-missing",
                    f"accepting a {row.record.sec.label} record needs the ITC-reduction answer "
                    "(the portal refuses it with IMSSAV0054): set ITC Reduction to Y (reduce "
                    "ITC: leave the Declared amounts blank for a full reduction, fill them for "
                    "a partial one) or N (the ITC was never availed)", "itc_red_req")


def declared_amounts(row: SheetRow, today: date) -> Iterator[Issue]:
    declared = _declared(row)
    if not sent(row) or not declared or row.decision.action != "A" or not _itc_case(row):
        return                      # misplaced blocks are itc_placement's to report
    if row.decision.itc_red_req != "Y":
        yield issue(row, "declared-without-yes",
                    "declared amounts are only sent with ITC Reduction = Y; set it to Y or "
                    "clear the Declared amounts", "itc_red_req")
    tax = {"igst": row.record.igst, "cgst": row.record.cgst, "sgst": row.record.sgst,
           "cess": row.record.cess}
    for head, value in declared.items():
        key = DECL_KEYS[head]
        value = Decimal(str(value))
        if value < 0:
            yield issue(row, "declared-negative",
                        f"{HEADER[key]} is negative ({value}); declare the reduction as a "
                        "positive amount", key)
        elif value > tax[head]:
            yield issue(row, "declared-above-tax",
                        f"{HEADER[key]} {value} is more than the document's "
                        f"{head.upper()} {tax[head]}: declare at most {tax[head]}", key)
        if value != value.quantize(_CENT):
            yield issue(row, "declared-precision",
                        f"{HEADER[key]} {value} has more than 2 decimals; round it to paise",
                        key)
    cgst, sgst = declared.get("cgst"), declared.get("sgst")
    if (cgst is None) != (sgst is None) or (cgst is not None
                                            and Decimal(str(cgst)) != Decimal(str(sgst))):
        yield issue(row, "declared-cgst-sgst",
                    f"Declared CGST ({_shown(cgst)}) and Declared SGST ({_shown(sgst)}) must be "
                    "equal: the reduction splits evenly between the two heads",
                    "decl_sgst" if cgst is not None else "decl_cgst")


def itc_remarks_missing(row: SheetRow, today: date) -> Iterator[Issue]:
    dec = row.decision
    if (sent(row) and dec.action == "A" and _itc_case(row) and not dec.remarks.strip()
            and not row.record.remarks_blocked and (dec.itc_red_req == "N" or _partial(row))):
        yield issue(row, "itc-remarks-missing",
                    "the portal expects remarks when an Accept declares a partial or no ITC "
                    "reduction; say why in Remarks", "remarks", WARNING)


def _shown(v: object) -> str:
    return "blank" if v is None else str(v)


RULES = (unreadable_cells, itc_answer_invalid, pending_blocked, filing_warnings,
         reject_credit_note, blank_action, remarks, itc_placement, itc_answer_missing,
         declared_amounts, itc_remarks_missing)
