"""Plain-language reasons, differences and "closest other" texts (matching.md §5.6).

Everything here is wording; the decisions were made in candidates.py and assign.py.
"""

from __future__ import annotations

from ..rupees import rupees

from .result import MATCHED, PROBABLE
from .settings import Settings
from .sides import AMOUNTS, day_text

HEAD_NAMES = {"taxable": "taxable", "igst": "IGST", "cgst": "CGST", "sgst": "SGST",
              "cess": "cess"}
_PAISE = 0.005          # amounts closer than half a paisa are equal


def differences(p: dict, rec_number: str, rec_date: str) -> dict:
    """Every field that differs between the IMS record and its books document, both values.

    `p` is one chosen candidate as a dict (see match.py). Amounts within tolerance are
    listed too: the user sees the rounding the status tolerated.
    """
    out = {}
    if rec_number.strip().upper() != str(p["number_b"]).strip().upper():
        out["doc_number"] = (rec_number, p["number_b"])
    books_date = day_text(p["day_b"])
    if p["day_i"] != p["day_b"]:
        out["orig_doc_date" if p["orig"] else "doc_date"] = (rec_date, books_date)
    if p["gstin_i"] != p["gstin_b"]:
        out["supplier_gstin"] = (p["gstin_i"], p["gstin_b"])
    for h in AMOUNTS:
        a, b = p[f"ims_{h}"], p[h]
        if abs(a - b) > _PAISE:
            out[h] = (round(a, 2), round(b, 2))
    return out


def pair_reason(p: dict, diff: dict, settings: Settings) -> str:
    """Why the record has its status, naming the books row."""
    row = p["row"]
    glance = _glance_notes(p, diff, settings)
    if p["status"] == MATCHED:
        extra = "; ".join(n for n in (_spelling(diff), _days(p)) if n)
        return f"Same document as books row {row}" + (f" ({extra})" if extra else "") + "."
    if p["status"] == PROBABLE:
        glance = glance or ["check the differences"]
        return f"Probably the same document as books row {row}: {'; '.join(glance)}."
    gaps = amount_gaps(diff)
    tail = f" Also: {'; '.join(glance)}." if glance else ""
    return (f"Same document as books row {row}, but amounts differ beyond "
            f"{settings.tolerance_text()}: {gaps}.{tail}")


def amount_gaps(diff: dict) -> str:
    """'taxable 1,000.00 vs 1,050.00, IGST 180.00 vs 189.00' (IMS first)."""
    return ", ".join(f"{HEAD_NAMES[h]} {rupees(diff[h][0])} vs {rupees(diff[h][1])}"
                     for h in AMOUNTS if h in diff)


def _glance_notes(p: dict, diff: dict, settings: Settings) -> list[str]:
    notes = []
    rule = p["rule"]
    if p["orig"]:
        notes.append(f"books hold the original number '{p['number_b']}' of this amendment")
    elif rule.split("/")[0] not in settings.matched_rules:
        notes.append(f"number written differently in books ('{p['number_b']}')")
    if not p["same_gstin"]:
        notes.append(f"booked under the supplier's other GSTIN {p['gstin_b']}")
    if p["swap"]:
        notes.append(_swap_text(diff))
    if p["day_b"] != p["day_b"]:
        notes.append("books have no date")
    elif p["day_i"] != p["day_i"]:
        notes.append("the IMS date could not be read")
    elif p["days"] > settings.date_window_days:
        notes.append(f"dates {int(p['days'])} days apart (window {settings.date_window_days})")
    return notes


def _swap_text(diff: dict) -> str:
    ims_igst = diff.get("igst", (0, 0))[0]
    if ims_igst:
        return "IMS has IGST, books CGST+SGST (total tax agrees)"
    return "IMS has CGST+SGST, books IGST (total tax agrees)"


def _spelling(diff: dict) -> str:
    if "doc_number" in diff:
        return f"books write '{diff['doc_number'][1]}'"
    return ""


def _days(p: dict) -> str:
    if p["days"] and p["days"] == p["days"]:
        return f"dates {int(p['days'])} day{'s' if p['days'] != 1 else ''} apart"
    return ""


def missing_reason(near: dict | None) -> str:
    text = "No books document of this supplier has this number."
    if near is not None and near["same"]:
        text += (f" Books row {near['row']} ('{near['number']}') has the same amounts but "
                 "another number; not paired on amounts alone.")
    return text


def runner_up_text(c: dict, taken_by: str, settings: Settings) -> str:
    """Why the best other number candidate lost."""
    head = f"books row {c['row']} '{c['number_b']}' (score {c['score']:g})"
    taken = f"paired with IMS {taken_by}" if taken_by else ""
    if c["eligible"]:
        return f"{head}: {taken}, a better fit" if taken else f"{head}: scored lower"
    if c["rule"].startswith("number-") and not c["rule"].startswith("number-core"):
        why = (f"same number but dated {int(c['days'])} days apart: another year's document "
               "with a restarted serial?")
    elif not (c["heads_ok"] or c["swap"]):
        why = "only the serial agrees and amounts differ"
    elif c["day_b"] != c["day_b"]:
        why = "only the serial agrees and the books date is empty"
    else:
        why = (f"only the serial agrees and dates are {int(c['days'])} days apart "
               f"(window {settings.date_window_days})")
    return f"{head}: {why}" + (f"; it is {taken}" if taken else "")


def lookalike_text(near: dict) -> str:
    """'closest other: books row 7 'INV 50' dated 04-03-2026: same amounts, other number'."""
    amounts = "same amounts" if near["same"] else f"total differs by {rupees(near['total_gap'])}"
    dated = day_text(near["day_b"])
    return (f"closest other: books row {near['row']} '{near['number']}'"
            + (f" dated {dated}" if dated else "") + f": {amounts}, but another number")
