"""Small builders for reconciliation tests: IMS records as the parser makes them, books
documents as the register reader makes them."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from ims_xl.model.document import RegisterEntry
from ims_xl.portal.download import record_from_raw
from ims_xl.testdata.generate import make_gstin
from ims_xl.model.section import SECTIONS

PAN_A = "AAHCM1357N"
SUP_A = make_gstin(random.Random(1), "27", pan=PAN_A)              # Maharashtra
SUP_A_KA = make_gstin(random.Random(2), "29", pan=PAN_A)           # same PAN, Karnataka
SUP_B = make_gstin(random.Random(3), "27", pan="BBBPS2468K")


def ims(number: str, *, section: str = "b2b", date_: str = "05-03-2026",
        taxable: float = 1000.0, igst: float = 0.0, cgst: float = 90.0, sgst: float = 90.0,
        cess: float = 0.0, gstin: str = SUP_A, orig: str = "", orig_date: str = "",
        filed: bool | None = True, pending_blocked: bool = False,
        remarks_blocked: bool = False, itc_blocked: bool = False):
    """One IMS record of `section`, through the real parser (flags as the portal sends them)."""
    sec = SECTIONS[section]
    money = {k: str(Decimal(str(v)).quantize(Decimal("0.01"))) for k, v in
             (("txval", taxable), ("iamt", igst), ("camt", cgst), ("samt", sgst),
              ("cess", cess))}
    raw = {"stin": gstin, sec.number_key: number, sec.date_key: date_, "inv_typ": "R",
           "val": str(Decimal(str(taxable + igst + cgst + sgst + cess)).quantize(
               Decimal("0.01"))),
           "pos": "27", "action": "N", "srcform": "R1", "rtnprd": "032026", **money,
           "ispendactblocked": "Y" if pending_blocked else "N",
           "isRemarksBlocked": "Y" if remarks_blocked else "N"}
    if filed is not None:
        raw["srcfilstatus"] = "Filed" if filed else "Not Filed"
    if sec.is_amendment:
        raw[sec.orig_number_key] = orig or number + "-O"
        raw[sec.orig_date_key] = orig_date or date_
    if sec.itc_declaration:
        raw["itcRedReqBlocked"] = "Y" if itc_blocked else "N"
    return record_from_raw(raw, section, "test.json")


def book(row: int, number: str, *, kind: str = "invoice", day: date | None = date(2026, 3, 5),
         taxable: float = 1000.0, igst: float = 0.0, cgst: float = 90.0, sgst: float = 90.0,
         cess: float = 0.0, gstin: str = SUP_A) -> RegisterEntry:
    return RegisterEntry(row=row, supplier_gstin=gstin, doc_number=number, doc_date=day, kind=kind,
                     taxable=taxable, igst=igst, cgst=cgst, sgst=sgst, cess=cess,
                     rows=(row,))


def by_number(result) -> dict:
    """IMS document number -> MatchResult."""
    return {rec.doc_number: m for rec, m in result.ims}


def books_only_rows(result) -> set:
    return {b.row for b in result.books_only}
