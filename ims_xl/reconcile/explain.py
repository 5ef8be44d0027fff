"""Plain-language reasons, differences and "closest other" texts
(docs/reference/matching.md#explanations).

Everything here is wording; the decisions were made in candidates.py and assign.py.
"""

from __future__ import annotations

from datetime import date

from ..model.rupees import rupees

from .result import MATCHED, PROBABLE
from .settings import Settings
from .columns import AMOUNTS, day_text

HEAD_NAMES = {"taxable": "taxable", "igst": "IGST", "cgst": "CGST", "sgst": "SGST",
              "cess": "cess"}
_PAISE = 0.005          # amounts closer than half a paisa are equal
_HEADS = tuple((h, f"ims_{h}") for h in AMOUNTS)    # (books column, IMS column) of a pair


def differences(p: dict, rec_number: str, rec_date: str, settings: Settings) -> dict:
    """Every field that differs between the IMS record and its books document, both values.

    `p` is one chosen candidate as a dict (see match.py). Amounts within tolerance are
    listed too: the user sees the rounding the status tolerated.
    """
    out = {}
    if rec_number.strip().upper() != str(p["number_b"]).strip().upper():
        out["doc_number"] = (rec_number, p["number_b"])
    if p["day_i"] != p["day_b"]:
        out["orig_doc_date" if p["orig"] else "doc_date"] = (rec_date, day_text(p["day_b"]))
    if p["gstin_i"] != p["books_gstin"]:
        out["supplier_gstin"] = (p["gstin_i"], p["books_gstin"])
    if p["cross"]:
        names = settings.kind_names
        out["kind"] = (names.get(p["kind_i"], p["kind_i"]),
                       names.get(p["book_kind"], p["book_kind"]))
    for h, ims_h in _HEADS:
        a, b = p[ims_h], p[h]
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
    if p["swap"]:
        ims_heads, books_heads = heads_text(diff)
        glance = [n for n in glance if n != _swap_text(diff)]
        tail = f" Also: {'; '.join(glance)}." if glance else ""
        return (f"Same document as books row {row}, but the supplier charged {ims_heads} "
                f"where the books have {books_heads} (total tax agrees): the wrong tax head "
                f"puts the ITC at risk, so the supplier should amend it.{tail}")
    gaps = amount_gaps(diff)
    tail = f" Also: {'; '.join(glance)}." if glance else ""
    return (f"Same document as books row {row}, but amounts differ beyond "
            f"{settings.tolerance_text()}: {gaps}.{tail}")


def heads_text(diff: dict) -> tuple[str, str]:
    """('IGST', 'CGST+SGST') when IMS has IGST and the books the two halves, or the reverse;
    ('', '') when the heads do not differ."""
    if "igst" not in diff:
        return "", ""
    if diff["igst"][0]:
        return "IGST", "CGST+SGST"
    return "CGST+SGST", "IGST"


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
    if p["cross"]:
        kinds = diff["kind"]
        notes.append(f"booked as {kinds[1]}; the supplier reports a {kinds[0]}")
    if p["slip"]:
        notes.append(_slip_text(p))
    elif not p["same_gstin"]:
        notes.append(f"booked under the supplier's other GSTIN {p['gstin_b']}")
    if p["swap"]:
        notes.append(_swap_text(diff))
    if p["day_b"] != p["day_b"]:
        notes.append("books have no date")
    elif p["day_i"] != p["day_i"]:
        notes.append("the IMS date could not be read")
    elif p["days"]:
        notes.append(_dates_apart(p["day_i"], p["day_b"]))
    return notes


def _slip_text(p: dict) -> str:
    if p["books_gstin"]:
        return (f"the books GSTIN {p['books_gstin']} is not a valid GSTIN; correct it to "
                f"{p['gstin_i']} in the books")
    return (f"the books have no supplier GSTIN; by the supplier name it is {p['gstin_i']}: "
            "enter it in the books")


def _dates_apart(day_i: float, day_b: float) -> str:
    """'dates 3 days apart', plus the financial year when the books date is in another."""
    n = int(abs(day_i - day_b))
    text = f"dates {n} day{'s' if n != 1 else ''} apart"
    fy_i, fy_b = _fy(day_i), _fy(day_b)
    if fy_i != fy_b:
        text += (f"; the books date is in another financial year "
                 f"({fy_b}-{(fy_b + 1) % 100:02d}, IMS {fy_i}-{(fy_i + 1) % 100:02d})")
    return text


def _fy(day: float) -> int:
    d = date.fromordinal(int(day))
    return d.year if d.month >= 4 else d.year - 1


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
    if c["ambiguous"]:
        why = ("the books GSTIN is blank or mistyped and more than one supplier has this "
               "number and amounts: not paired on a guess")
    elif c["cross"] and not (c["heads_ok"] or c["swap"]):
        why = "same number, but another document type and the amounts differ"
    elif c["rule"].startswith("number-") and not c["rule"].startswith("number-core"):
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
