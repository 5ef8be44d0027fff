"""Synthetic, seeded IMS downloads and matching purchase registers of any size.

Every GSTIN passes the mod-36 check. `make_case()` returns the download (offline dialect),
the books rows (generic CA-template columns) and the truth: which books row each IMS record
is, and how the books copy was perturbed. The bundled samples are made with it.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ..model.document import ImsRecord, RegisterEntry, record_key
from ..model.gstin import STATES, check_char
from ..model.section import SECTIONS

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NAMES = ("MEHTA", "TECHNO", "SHARMA", "GANESH", "SHREE", "VIJAY", "NAVKAR", "AMBIKA",
          "PARAS", "SUNRISE", "BHARAT", "KRISHNA", "OM SAI", "JAY", "RADHE", "ANAND")
_TRADES = ("COMPONENTS PVT LTD", "TRADERS", "ENTERPRISES", "STEEL LLP", "AGENCIES",
           "PACKAGING", "ELECTRICALS", "LOGISTICS", "CHEMICALS", "TEXTILES")
RATES = (Decimal(5), Decimal(12), Decimal(18), Decimal(28))
# How the books copy of a record may differ (truth labels used by the tests).
# squashed    separators dropped, lower case (MC/25-26/0451 -> mc25260451: the plain spelling)
# glued       a year glued into the digits (MC/25-26/0451 -> MC2025260451), in the books or,
#             half the time, in the portal's number (the books then write it apart)
# type_cross  booked under another type: a credit note as a Debit Note voucher with positive
#             amounts (Tally's purchase return), a supplier debit note as a Purchase
# gstin_slip  books GSTIN with one character typed wrong or two neighbours swapped
# gstin_blank books GSTIN left blank; the supplier name written as people write it
PERTURBATIONS = ("exact", "case", "separators", "fy_token", "zeros", "date_shift",
                 "amount_diff", "igst_swap", "other_gstin", "missing",
                 "fy_spelling", "prefix", "date_far", "amend_orig",
                 "squashed", "glued", "type_cross", "gstin_slip", "gstin_blank")
# Books documents that look like a record but are another document (must never pair):
# digit_appended  INV 5 -> INV 50        serial_near   BILL-23-00040 -> BILL-23-00045
# same_amounts    another serial, same amounts and date
# other_fy        same serial in the previous financial year (INV/24-25/5 vs INV/25-26/5)
# slip_amounts    the record's number under a mistyped or blank GSTIN, other amounts
# type_amounts    the record's number booked as another type, other amounts
DECOYS = ("digit_appended", "serial_near", "same_amounts", "other_fy", "slip_amounts",
          "type_amounts")
# Situations beyond one books row per record (b2b records only; see `_situation`), given in
# `perturb` like a perturbation:
# club_books         the record and 1-2 more of the supplier's month booked as ONE books row
# club_ims           the record booked as 2-3 books rows (parts) that add up to it
# link_other_number  booked under an unrelated voucher number: only a manual link pairs it
# link_moved         another record's books row carries this record's number; the user
#                    links the right record to it (truth "link_moved"; the record whose
#                    number it carries is "link_lost": its own copy is missing)
# link_none          a books row with this number is another document; the user types none
SITUATIONS = ("club_books", "club_ims", "link_other_number", "link_moved", "link_none")


def make_gstin(rng: random.Random, state: str | None = None, pan: str | None = None,
               entity: str = "1") -> str:
    state = state or rng.choice([s for s in STATES if s not in ("96", "97", "25", "28")])
    if pan is None:
        pan = ("".join(rng.choice(_LETTERS) for _ in range(3)) + rng.choice("CPFH")
               + rng.choice(_LETTERS) + f"{rng.randrange(10000):04d}" + rng.choice(_LETTERS))
    first14 = f"{state}{pan}{entity}Z"
    return first14 + check_char(first14)


@dataclass
class Supplier:
    gstin: str
    name: str
    prefix: str
    style: int            # how this supplier numbers documents

    @property
    def series(self) -> int:
        """Where the supplier's numbering stands: real suppliers are years into their
        series, so the same number rarely comes from two of them (all starting from 1, a
        100,000-record month had 35,933 distinct numbers in the download and the register,
        against 95,302 now). Taken from the GSTIN, so the random stream, and every case made
        from a seed, is otherwise the same."""
        return zlib.crc32(self.gstin.encode()) % 20_000


@dataclass
class Case:
    recipient: str
    download: dict                                    # {"imsDetails": {...}}
    books: list[dict]                                 # generic register rows, in file order
    truth: dict = field(default_factory=dict)         # IMS key -> (books index or None, how)
    decoys: list[int] = field(default_factory=list)   # books indexes that must stay unpaired
    decoy_of: dict = field(default_factory=dict)      # books index -> (IMS key, decoy kind)
    links: dict = field(default_factory=dict)         # IMS key -> books index or "none": what
                                                      # the user types in Link Books Row
    groups: dict = field(default_factory=dict)        # IMS key -> books indexes of its parts


def make_suppliers(rng: random.Random, n: int, recipient_state: str) -> list[Supplier]:
    out = []
    for i in range(n):
        state = recipient_state if rng.random() < 0.6 else None
        name = f"{rng.choice(_NAMES)} {rng.choice(_TRADES)}"
        prefix = "".join(w[0] for w in name.split()[:2]) + rng.choice(("", "I", "S"))
        out.append(Supplier(make_gstin(rng, state), name, prefix, rng.randrange(4)))
    return out


def doc_number(sup: Supplier, serial: int, d: date, kind: str, fy: int | None = None) -> str:
    fy = fy if fy is not None else (d.year if d.month >= 4 else d.year - 1)
    fy_token = f"{fy % 100:02d}-{(fy + 1) % 100:02d}"
    tag = {"invoice": "", "credit": "CN", "debit": "DN"}[kind]
    style, serial = sup.style, sup.series + serial
    if style == 0:
        return f"{sup.prefix}{tag}/{fy_token}/{serial:04d}"
    if style == 1:
        return f"{sup.prefix}{tag}-{fy}-{serial:05d}"
    if style == 2:
        return f"{tag or 'INV'}{serial:06d}"
    return f"{fy:04d}{serial:012d}" if kind == "invoice" else f"{tag}{serial:05d}"  # 16 digits


def _money(x: float) -> Decimal:
    return Decimal(str(round(x, 2))).quantize(Decimal("0.01"))


def make_record(rng: random.Random, sup: Supplier, section: str, serial: int, d: date,
                recipient: str) -> dict:
    sec = SECTIONS[section]
    kind = sec.kind
    taxable = _money(rng.uniform(500, 250000) if kind == "invoice" else rng.uniform(100, 20000))
    rate = rng.choice(RATES)
    tax = _money(float(taxable * rate / 100))
    inter = sup.gstin[:2] != recipient[:2]
    igst = tax if inter else Decimal("0")
    cgst = Decimal("0") if inter else _money(float(tax / 2))
    sgst = cgst
    cess = _money(float(taxable) * 0.01) if rng.random() < 0.03 else Decimal("0")
    rec: dict[str, Any] = {"stin": sup.gstin, "tradenm": sup.name}
    number = doc_number(sup, serial, d, kind)
    if sec.orig_number_key and sec.orig_date_key:      # an amendment
        od = d - timedelta(days=rng.randrange(20, 60))
        rec[sec.orig_number_key] = doc_number(sup, serial, od, kind)
        rec[sec.orig_date_key] = od.strftime("%d-%m-%Y")
        number = number[1:] + "A" if len(number) >= 16 else number + "A"
    rec.update({sec.number_key: number, "inv_typ": "R", sec.date_key: d.strftime("%d-%m-%Y"),
                "val": taxable + igst + cgst + sgst + cess, "action": "N",
                "pos": recipient[:2], "txval": taxable, "iamt": igst, "camt": cgst,
                "samt": sgst, "cess": cess, "srcform": "R1" if not sec.is_amendment else "R1A",
                "rtnprd": f"{d.month:02d}{d.year}",
                "srcfilstatus": "Filed" if rng.random() < 0.85 else "Not Filed",
                "ispendactblocked": "Y" if kind == "credit" and rng.random() < 0.5 else "N",
                "isRemarksBlocked": "N"})
    if sec.itc_declaration:
        rec["itcRedReqBlocked"] = "N"
    rec["hash"] = "%064x" % rng.getrandbits(256)
    return rec


SECTION_WEIGHTS = {"b2b": 80, "b2ba": 3, "b2bdn": 3, "b2bdna": 1, "b2bcn": 8, "b2bcna": 1,
                   "ecom": 3, "ecoma": 1}


def last_month(today: date | None = None) -> tuple[int, int]:
    """The return period a user reconciles on `today` (default: the computer's date): the
    month before. Its documents are within the ITC time limit, so the books checks warn on
    none for that reason, as in a real month; the default period of `make_case` is fixed
    (tests compare its output) and, since 30 November 2026, past that limit."""
    today = today or date.today()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def make_case(n: int = 40, *, seed: int = 1, suppliers: int | None = None,
              perturb: dict | None = None, books_only: float = 0.05,
              period: tuple[int, int] = (2026, 3), decoys: dict | None = None) -> Case:
    """A download of `n` records and its books.

    `perturb` maps a perturbation name (see PERTURBATIONS) or a situation (SITUATIONS:
    clubbed bills, manual links; truth in `truth`, `groups` and `links`) to its probability;
    the rest of the records are booked exactly. `books_only` adds that share of documents the portal
    does not have. `decoys` maps a decoy kind (see DECOYS) to the probability that a record
    gets such a look-alike in the books. Decoys never reuse a number of the supplier,
    except `slip_amounts` and `type_amounts`: the record's number under a mistyped GSTIN or
    another type, with other amounts.
    """
    rng = random.Random(seed)
    recipient = make_gstin(rng, "27")
    sups = make_suppliers(rng, suppliers or max(1, n // 20), recipient[:2])
    year, month = period
    sections: dict[str, list[dict[str, Any]]] = {code: [] for code in SECTIONS}
    books: list[dict] = []
    truth: dict = {}
    weights = perturb or {}
    names = list(weights) + ["exact"]
    probs = list(weights.values()) + [max(0.0, 1 - sum(weights.values()))]
    serials: dict[str, int] = {}
    extra = Case(recipient, {}, books)         # links and groups of the situations
    wanted: list = []                       # (key, raw, section, supplier, serial, decoy kind)
    for _ in range(n):
        sup = rng.choice(sups)
        section = rng.choices(list(SECTION_WEIGHTS), list(SECTION_WEIGHTS.values()))[0]
        serials[sup.gstin] = serials.get(sup.gstin, 0) + rng.randrange(1, 4)
        d = date(year, month, rng.randrange(1, 29))
        raw = make_record(rng, sup, section, serials[sup.gstin], d, recipient)
        sections[section].append(raw)
        how = rng.choices(names, probs)[0]
        sec = SECTIONS[section]
        booked_number = None
        if how == "glued" and _fy_token(raw[sec.number_key]) and rng.random() < 0.5:
            booked_number = _FY_TOKEN.sub(lambda m: f"/20{m[1]}-{m[2]}/",
                                          raw[sec.number_key], count=1)
            raw[sec.number_key] = _glue(raw[sec.number_key])     # the portal's is glued
        key = record_key(section, raw["stin"], raw[sec.number_key], raw["rtnprd"])
        for kind, p in (decoys or {}).items():
            if rng.random() < p:
                wanted.append((key, raw, sec, sup, serials[sup.gstin], kind))
        if how == "missing":
            truth[key] = (None, how)
            continue
        if how in SITUATIONS and section == "b2b":
            more = _situation(rng, how, raw, sup, recipient, serials, books, truth, extra)
            sections[section].extend(more)
            continue
        if how in SITUATIONS:                  # other sections: booked as they are
            how = "exact"
        truth[key] = (len(books), how)
        books.append(_books_row(rng, raw, sec, sup, how))
        if booked_number is not None:
            books[-1]["Bill No"] = booked_number
    used = {g: set(range(1, s + 1)) for g, s in serials.items()}   # every serial is taken
    for _ in range(int(n * books_only)):
        sup = rng.choice(sups)
        serials[sup.gstin] = serials.get(sup.gstin, 0) + 1
        d = date(year, month, rng.randrange(1, 29))
        raw = make_record(rng, sup, "b2b", serials[sup.gstin] + 5000, d, recipient)
        used.setdefault(sup.gstin, set()).add(serials[sup.gstin] + 5000)
        books.append(_books_row(rng, raw, SECTIONS["b2b"], sup, "exact"))
    decoy_of = {}
    for key, raw, sec, sup, serial, kind in wanted:
        row = _decoy_row(rng, raw, sec, sup, serial, kind, used.setdefault(sup.gstin, set()))
        if row is not None:
            decoy_of[len(books)] = (key, kind)
            books.append(row)
    order = list(range(len(books)))
    rng.shuffle(order)                     # books come in their own order, not the portal's
    where = {old: new for new, old in enumerate(order)}
    books = [books[i] for i in order]
    truth = {k: (None if i is None else where[i], how) for k, (i, how) in truth.items()}
    download = {"imsDetails": {k: v for k, v in sections.items() if v}}
    decoy_of = {where[i]: v for i, v in decoy_of.items()}
    links = {k: v if v == "none" else where[v] for k, v in extra.links.items()}
    groups = {k: [where[i] for i in v] for k, v in extra.groups.items()}
    return Case(recipient, download, books, truth, sorted(decoy_of), decoy_of, links, groups)


def _situation(rng: random.Random, how: str, raw: dict, sup: Supplier, recipient: str,
               serials: dict, books: list, truth: dict, extra: Case) -> list[dict]:
    """Books rows (and truth) for one of SITUATIONS; returns the extra IMS records it made."""
    sec = SECTIONS["b2b"]
    d = _date(raw[sec.date_key])

    def another(day: date) -> dict:
        serials[sup.gstin] += rng.randrange(1, 3)
        return make_record(rng, sup, "b2b", serials[sup.gstin], day, recipient)

    def key(r: dict) -> str:
        return record_key("b2b", r["stin"], r[sec.number_key], r["rtnprd"])

    at = len(books)
    if how == "club_books":
        members = [raw] + [another(date(d.year, d.month, rng.randrange(1, 29)))
                           for _ in range(rng.choice((1, 2)))]
        row = _books_row(rng, raw, sec, sup, "exact")
        for h, k in (("Taxable Value", "txval"), ("IGST", "iamt"), ("CGST", "camt"),
                     ("SGST", "samt"), ("Cess", "cess")):
            row[h] = float(sum(Decimal(str(m[k])) for m in members))
        row["Invoice Value"] = round(sum(row[h] for h in ("Taxable Value", "IGST", "CGST",
                                                          "SGST", "Cess")), 2)
        row["Bill No"] = f"{sup.prefix} BILLS " + "".join(rng.choice(_LETTERS) for _ in "abc")
        books.append(row)
        truth.update({key(m): (at, how) for m in members})
        return members[1:]
    if how == "club_ims":
        parts = _parts(rng, raw, rng.choice((2, 3)))
        for n, amounts in enumerate(parts):
            row = _books_row(rng, raw, sec, sup, "exact")
            row.update(amounts, **{"Bill No": f"{raw[sec.number_key]}-{'ABC'[n]}"})
            books.append(row)
        truth[key(raw)] = (at, how)
        extra.groups[key(raw)] = list(range(at, at + len(parts)))
        return []
    if how == "link_other_number":
        row = _books_row(rng, raw, sec, sup, "exact")
        row["Bill No"] = f"PV-{rng.randrange(60000, 99999)}"
        books.append(row)
        truth[key(raw)] = (at, how)
        extra.links[key(raw)] = at
        return []
    if how == "link_moved":
        other = another(date(d.year, d.month, rng.randrange(1, 29)))
        row = _books_row(rng, other, sec, sup, "exact")
        row["Bill No"] = raw[sec.number_key]         # a slip: this record's number on it
        books.append(row)
        truth[key(raw)] = (None, "link_lost")
        truth[key(other)] = (at, how)
        extra.links[key(other)] = at
        return [other]
    # link_none: another document (a ghost the portal never shows) under this number
    ghost = make_record(rng, sup, "b2b", serials[sup.gstin], d, recipient)
    row = _books_row(rng, ghost, sec, sup, "exact")
    row["Bill No"] = raw[sec.number_key]
    books.append(row)
    truth[key(raw)] = (None, how)
    extra.links[key(raw)] = "none"
    return []


def _parts(rng: random.Random, raw: dict, n: int) -> list[dict]:
    """A record's amounts split into `n` books rows that add up to it to the paisa."""
    shares = [(j + rng.uniform(0.3, 0.7)) / n for j in range(n - 1)]   # no tiny part
    out: list[dict[str, Any]] = [{} for _ in range(n)]
    for h, k in (("Taxable Value", "txval"), ("IGST", "iamt"), ("CGST", "camt"),
                 ("SGST", "samt"), ("Cess", "cess")):
        total = Decimal(str(raw[k]))
        cuts = [_money(float(total) * s) for s in shares]
        pieces = [b - a for a, b in zip([Decimal(0)] + cuts, cuts + [total])]
        for part, piece in zip(out, pieces):
            part[h] = float(piece)
    for part in out:
        part["Invoice Value"] = round(sum(part[h] for h in ("Taxable Value", "IGST", "CGST",
                                                            "SGST", "Cess")), 2)
    return out


def _decoy_row(rng: random.Random, raw: dict, sec, sup: Supplier, serial: int, kind: str,
               used: set) -> dict | None:
    """A books row with the record's amounts and date but another document's number."""
    d = _date(raw[sec.date_key])
    fy = d.year if d.month >= 4 else d.year - 1
    if kind == "other_fy":
        number = doc_number(sup, serial, d, sec.kind, fy=fy - 1)
        if number in (doc_number(sup, serial, d, sec.kind), raw.get(sec.orig_number_key)):
            return None                    # numbering without a year, or the original itself
    elif kind in ("slip_amounts", "type_amounts"):
        how = "exact"
        if kind == "slip_amounts":
            how = "gstin_slip" if rng.random() < 0.5 else "gstin_blank"
        row = _books_row(rng, raw, sec, sup, how)
        if kind == "type_amounts":
            row["Type"] = "Purchase" if sec.kind != "invoice" else "Credit Note"
        factor = rng.choice((1.5, 0.5, 3.0))
        for h in ("Taxable Value", "IGST", "CGST", "SGST", "Cess", "Invoice Value"):
            row[h] = round(abs(row[h]) * factor, 2) * (-1 if row["Type"] == "Credit Note"
                                                         else 1)
        # a day later, so it never folds into the record's own row when they sit together
        row["Bill Date"] = (_date(row["Bill Date"]) + timedelta(days=1)).strftime("%d-%m-%Y")
        return row
    else:
        other = {"digit_appended": serial * 10, "serial_near": serial + 5,
                 "same_amounts": serial + 700 + rng.randrange(100)}[kind]
        if other in used:
            return None
        used.add(other)
        number = doc_number(sup, other, d, sec.kind)
    row = _books_row(rng, raw, sec, sup, "exact")
    row["Bill No"] = number
    return row


_FY_TOKEN = re.compile(r"/(\d\d)-(\d\d)/")


def _fy_token(number: str):
    return _FY_TOKEN.search(number)


def _glue(number: str) -> str:
    """`MC/25-26/0451` -> `MC2025260451`: the year written long and glued to the serial.
    Numbers without a year token only lose their separators."""
    m = _fy_token(number)
    if not m:
        return re.sub(r"[^A-Za-z0-9]", "", number)
    return number[:m.start()] + f"20{m[1]}{m[2]}" + number[m.end():]


def _slip(rng: random.Random, gstin: str) -> str:
    """The GSTIN with one character typed wrong or two neighbours swapped; never valid."""
    from ..model.gstin import is_valid
    while True:
        at = rng.randrange(2, 14)
        if rng.random() < 0.5 and gstin[at] != gstin[at + 1]:
            typed = gstin[:at] + gstin[at + 1] + gstin[at] + gstin[at + 2:]
        else:
            pool = "0123456789" if gstin[at].isdigit() else _LETTERS
            typed = gstin[:at] + rng.choice(pool.replace(gstin[at], "")) + gstin[at + 1:]
        if not is_valid(typed):
            return typed


def _date(text: str) -> date:
    return datetime.strptime(text, "%d-%m-%Y").date()


def _books_row(rng: random.Random, raw: dict, sec, sup: Supplier, how: str) -> dict:
    number = raw[sec.number_key]
    d = date(*reversed([int(x) for x in raw[sec.date_key].split("-")]))
    gstin = raw["stin"]
    igst, cgst, sgst = float(raw["iamt"]), float(raw["camt"]), float(raw["samt"])
    taxable = float(raw["txval"])
    if how == "case":
        number = number.lower()
    elif how == "separators":
        number = number.replace("/", "-") if "/" in number else number.replace("-", " ")
    elif how == "fy_token":
        number = number.replace("/25-26/", "/2025-26/").replace("/26-27/", "/2026-27/")
    elif how == "fy_spelling":             # 25-26 written any other way
        m = re.search(r"/(\d\d)-(\d\d)/", number)
        if m:
            a, b = m.groups()
            spelling = rng.choice((f"20{a}-{b}", f"{a}{b}", f"20{a}{b}", f"20{a}-20{b}",
                                   f"20{a}/{b}"))
            number = number[:m.start()] + f"/{spelling}/" + number[m.end():]
    elif how == "zeros":                   # zeros at the start of every numeric token
        number = re.sub(r"(?<![0-9])0+(?=[0-9])", "", number)
    elif how == "date_shift":
        d = d + timedelta(days=rng.choice((-3, -1, 1, 2, 5)))
    elif how == "date_far":                # beyond the default 10-day window
        d = d + timedelta(days=rng.choice((20, 30, 45)))
    elif how == "prefix":                  # the books drop the supplier's letters
        number = re.sub(r"^[A-Za-z]+[^A-Za-z0-9]*", "", number)
    elif how == "amend_orig" and sec.is_amendment:   # books still hold the original document
        number = raw[sec.orig_number_key]
        d = _date(raw[sec.orig_date_key])
    elif how == "amount_diff":
        delta = rng.choice((50.0, 120.0, 1000.0))
        taxable += delta
        if igst:
            igst = round(igst + delta * 0.18, 2)
        else:
            cgst = sgst = round(cgst + delta * 0.09, 2)
    elif how == "igst_swap":
        total = igst + cgst + sgst
        igst, cgst, sgst = (0.0, round(total / 2, 2), round(total / 2, 2)) if igst else \
            (round(total, 2), 0.0, 0.0)
    elif how == "other_gstin":             # another registration (state) of the same PAN
        state = rng.choice([s for s in STATES if s not in ("96", "97", "25", "28", gstin[:2])])
        gstin = make_gstin(rng, state, pan=gstin[2:12])
    elif how == "squashed":
        number = re.sub(r"[^A-Za-z0-9]", "", number).lower()
    elif how == "glued":
        number = _glue(number)
    elif how == "gstin_slip":
        gstin = _slip(rng, gstin)
    name = sup.name
    if how == "gstin_blank":
        gstin = ""
        name = rng.choice(("M/s. ", "", "M/S ")) + rng.choice((name.title(), name,
                                                               name.replace(" PVT LTD",
                                                                            " Private Limited")))
    kind = sec.kind
    if how == "type_cross":
        kind = {"invoice": "invoice", "credit": "debit", "debit": "invoice"}[kind]
    sign = -1 if kind == "credit" else 1
    return {
        "GSTIN": gstin, "Supplier": name, "Bill No": number,
        "Bill Date": d.strftime("%d-%m-%Y"),
        "Type": {"invoice": "Purchase", "credit": "Credit Note", "debit": "Debit Note"}[kind],
        "Taxable Value": sign * taxable, "IGST": sign * igst, "CGST": sign * cgst,
        "SGST": sign * sgst, "Cess": sign * float(raw["cess"]),
        "Invoice Value": sign * round(taxable + igst + cgst + sgst + float(raw["cess"]), 2),
        "Place of Supply": raw["pos"],
    }


BOOKS_HEADERS = ("GSTIN", "Supplier", "Bill No", "Bill Date", "Type", "Taxable Value", "IGST",
                 "CGST", "SGST", "Cess", "Invoice Value", "Place of Supply")


def write_books_csv(rows: list[dict], path) -> None:
    import csv
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=BOOKS_HEADERS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def write_books_xlsx(rows: list[dict], path, *, title_rows: tuple = ()) -> None:
    """A generic register as `.xlsx`; bill numbers and GSTINs as text cells."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Purchase Register")
    r = 0
    for t in title_rows:
        ws.write_string(r, 0, t)
        r += 1
    for c, h in enumerate(BOOKS_HEADERS):
        ws.write_string(r, c, h)
    for row in rows:
        r += 1
        for c, h in enumerate(BOOKS_HEADERS):
            v = row[h]
            if isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
    wb.close()


# In-memory sides for tests and benchmarks (the file readers do the same from disk) -------

_KINDS = {"Purchase": "invoice", "Credit Note": "credit", "Debit Note": "debit"}


def ims_records(case: Case) -> list[ImsRecord]:
    """The case's download parsed as the importer would."""
    from ..portal.download import parse_document
    return parse_document("generated.json", case.download).records


def book_entries(rows: list[dict], first_row: int = 2) -> list[RegisterEntry]:
    """Register rows -> `RegisterEntry`s; `row` is the CSV line (header on line 1)."""
    out = []
    for n, r in enumerate(rows, first_row):
        out.append(RegisterEntry(
            row=n, supplier_gstin=r["GSTIN"], doc_number=r["Bill No"],
            doc_date=_date(r["Bill Date"]) if r["Bill Date"] else None,
            kind=_KINDS[r["Type"]], supplier_name=r["Supplier"],
            taxable=_exact(r["Taxable Value"]), igst=_exact(r["IGST"]), cgst=_exact(r["CGST"]),
            sgst=_exact(r["SGST"]), cess=_exact(r["Cess"]), value=_exact(r["Invoice Value"]),
            pos=r["Place of Supply"], rows=(n,)))
    return out


def _exact(x) -> Decimal:
    """An absolute register amount as the decimal written in the cell (shortest repr)."""
    return abs(Decimal(str(x)))


# Register layouts the generator writes, and what the engine must make of each record -----

# generic_csv / generic_xlsx  the CA template above (`Type`: Purchase / Credit Note / Debit
#                             Note, credit notes negative)
# doctype_csv                 a `Doc Type` column with short values (CN, Cr Note, DN, Dr Note)
# tally_xlsx                  Tally's columnar register: title rows, `Voucher Type`, ledger
#                             columns, a Grand Total; a credit note is a purchase return, i.e.
#                             a *Debit Note* voucher with POSITIVE amounts, and a supplier's
#                             debit note is booked as a Purchase
LAYOUTS = ("generic_csv", "generic_xlsx", "doctype_csv", "tally_xlsx")
_HEADS = ("Taxable Value", "IGST", "CGST", "SGST", "Cess")
_DOC_TYPES = {"invoice": ("Purchase",), "credit": ("CN", "Cr Note", "Credit Note"),
              "debit": ("DN", "Dr Note", "Debit Note")}


def booked_kind(row: dict, layout: str) -> str:
    """The type the register says a generated row has, as the reader will take it."""
    kind = _KINDS[row["Type"]]
    if layout == "tally_xlsx":
        return "debit" if kind == "credit" else "invoice"
    return kind


def write_register(rows: list[dict], folder, layout: str):
    """Write the generated books rows in `layout` (see LAYOUTS); returns the file's path.

    One register row per document, in the order of `rows`."""
    from pathlib import Path
    folder = Path(folder)
    if layout == "generic_csv":
        path = folder / "register.csv"
        write_books_csv(rows, path)
    elif layout == "generic_xlsx":
        path = folder / "register.xlsx"
        write_books_xlsx(rows, path, title_rows=("Generated Traders", "Purchase Register", ""))
    elif layout == "doctype_csv":
        path = folder / "doctype.csv"
        _write_doctype(rows, path)
    elif layout == "tally_xlsx":
        path = folder / "tally.xlsx"
        _write_tally(rows, path)
    else:
        raise ValueError(f"unknown layout {layout!r}; choose from {', '.join(LAYOUTS)}")
    return path


def _write_doctype(rows: list[dict], path) -> None:
    import csv
    header = ["Supplier GSTIN", "Party Name", "Invoice No", "Invoice Date", "Doc Type",
              *_HEADS, "Invoice Value", "POS"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for n, r in enumerate(rows):
            kind = _KINDS[r["Type"]]
            spellings = _DOC_TYPES[kind]
            w.writerow([r["GSTIN"], r["Supplier"], r["Bill No"], r["Bill Date"],
                        spellings[n % len(spellings)], *(r[h] for h in _HEADS),
                        r["Invoice Value"], r["Place of Supply"]])


def _write_tally(rows: list[dict], path) -> None:
    """Tally Prime columnar purchase register, amounts positive whatever the voucher type."""
    import xlsxwriter
    header = ["Date", "Particulars", "Voucher Type", "Voucher No.", "Supplier Invoice No.",
              "Supplier Invoice Date", "GSTIN/UIN", "Gross Total", "Purchase Account",
              "Input IGST", "Input CGST", "Input SGST", "Input Cess"]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Purchase Register")
    fmt = wb.add_format({"num_format": "d-mmm-yy"})
    for r, title in enumerate(("Generated Traders", "Purchase Register",
                               "1-Apr-2025 to 31-Mar-2026")):
        ws.write_string(r, 0, title)
    for c, h in enumerate(header):
        ws.write_string(4, c, h)
    totals = [0.0] * 6
    r = 4
    for n, row in enumerate(rows, 1):
        r += 1
        d = _date(row["Bill Date"])
        vtype = {"credit": "Debit Note", "debit": "Purchase", "invoice": "Purchase"}[
            _KINDS[row["Type"]]]
        amounts = [abs(row["Invoice Value"]), *(abs(row[h]) for h in _HEADS)]
        ws.write_datetime(r, 0, datetime(d.year, d.month, d.day), fmt)
        ws.write_string(r, 1, row["Supplier"])
        ws.write_string(r, 2, vtype)
        ws.write_number(r, 3, n)
        ws.write_string(r, 4, row["Bill No"])
        ws.write_datetime(r, 5, datetime(d.year, d.month, d.day), fmt)
        if row["GSTIN"]:
            ws.write_string(r, 6, row["GSTIN"])
        for c, v in enumerate(amounts, 7):
            if v:
                ws.write_number(r, c, v)
        totals = [t + v for t, v in zip(totals, amounts)]
    ws.write_string(r + 1, 1, "Grand Total")
    for c, v in enumerate(totals, 7):
        ws.write_number(r + 1, c, round(v, 2))
    wb.close()


def expected(case: Case, rec: ImsRecord, layout: str) -> tuple[int | None, str]:
    """The books index a record must pair with (None: none) and its status, by the rules
    of docs/reference/matching.md#statuses applied to how the generator booked it.

    Same number spelt the same way (case and separators aside), same date, GSTIN and type,
    amounts within tolerance: matched. Amounts (or the tax head) differ: mismatch. Anything
    else that differs: probable. Another type or a slipped GSTIN pairs only on the number
    itself (not on a bare serial) and agreeing amounts.
    """
    index, how = case.truth[rec.key]
    if index is None:
        return None, "missing_in_books"
    row = case.books[index]
    cross = booked_kind(row, layout) != rec.sec.kind
    serial_only = how == "prefix" and _plain(row["Bill No"]) != _plain(rec.doc_number)
    if (cross or how in ("gstin_slip", "gstin_blank")) and (serial_only
                                                            or how == "amount_diff"):
        return None, "missing_in_books"
    if how in ("amount_diff", "igst_swap"):
        return index, "mismatch"
    same = (_plain(row["Bill No"]) == _plain(rec.doc_number)
            and row["Bill Date"] == rec.doc_date and row["GSTIN"] == rec.supplier_gstin
            and not cross)
    return index, "matched" if same else "probable"


def _plain(number: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", number.upper())
