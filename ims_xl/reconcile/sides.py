"""Both sides of a reconciliation as column tables (pandas), ready to join.

One row per IMS record and per books document, plus one "number" row per spelling an IMS
record can be found under: its own number and, for amendments, its original number.
Amounts are floats in rupees; dates are day numbers (`date.toordinal()`), NaN when unknown.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..model.document import ImsRecord, RegisterEntry
from ..model.gstin import clean, is_valid
from .number import exact_text, glued, normalise, plain
from .settings import Settings

AMOUNTS = ("taxable", "igst", "cgst", "sgst", "cess")


def ims_table(records: list[ImsRecord]) -> pd.DataFrame:
    """One row per record, in input order (index = position in `records`)."""
    return pd.DataFrame({
        **_suppliers([r.supplier_gstin for r in records]),
        "kind": [r.sec.kind for r in records],
        "name": [r.supplier_name for r in records],
        "day": _per_distinct([r.doc_date for r in records], _day, float),
        **_amounts(records),
    })


def ims_numbers(records: list[ImsRecord], ims: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Every number an IMS record may be booked under: its own, and an amendment's original.

    The original number is compared with the original date: that is what the books hold.
    """
    at, texts, days = [], [], []
    own_days = ims["day"].to_numpy()
    for i, r in enumerate(records):
        at.append(i)
        texts.append(r.doc_number)
        days.append(own_days[i])
        if r.sec.is_amendment and r.orig_doc_number.strip():
            at.append(-1 - i)                      # negative marks "via the original number"
            texts.append(r.orig_doc_number)
            days.append(_day(r.orig_doc_date))
    at_arr = np.array(at, dtype=np.int64)
    out = pd.DataFrame({"i": np.where(at_arr < 0, -1 - at_arr, at_arr), "orig": at_arr < 0,
                        "day": np.array(days, dtype=float), "number": texts})
    _add_keys(out, texts, settings)
    for col in ("gstin", "pan", "pan_h", "kind"):
        out[col] = ims[col].to_numpy()[out["i"].to_numpy()]
    return out


def books_table(books: list[RegisterEntry], settings: Settings) -> pd.DataFrame:
    """One row per books document (index = position in `books`), kind as the IMS kind.

    `valid` is False for a GSTIN that fails its check character or is blank (see slips.py).
    """
    texts = [b.doc_number for b in books]
    who = _suppliers([b.supplier_gstin for b in books], valid=True)
    out = pd.DataFrame({
        "b": np.arange(len(books), dtype=np.int64),
        "row": np.array([b.row for b in books], dtype=np.int64),
        **who,
        "books_gstin": who["gstin"],
        "slip": np.zeros(len(books), dtype=bool),
        "name": [b.supplier_name for b in books],
        "book_kind": _per_distinct([b.kind for b in books],
                                   lambda k: str(k or "invoice").strip().lower()),
        "number": texts,
        "day": _per_distinct([b.doc_date for b in books], _day, float),
        **_amounts(books, absolute=True),
    })
    _add_keys(out, texts, settings)
    return _as_ims_kind(out, settings)


def _as_ims_kind(books: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Label each books document with the IMS kind it pairs with (settings.kind_pairs)."""
    pairs = pd.DataFrame([(bk, ik) for ik, bks in settings.kind_pairs.items() for bk in bks],
                         columns=["book_kind", "kind"])
    return books.merge(pairs, on="book_kind", how="inner").sort_values("b", kind="stable")


def _add_keys(frame: pd.DataFrame, texts: list, settings: Settings) -> None:
    """Normalise each distinct spelling once (registers repeat numbers across suppliers)."""
    years = tuple(settings.fy_years)
    codes, uniques = _factorize(texts)
    norm = [normalise(t, years) for t in uniques]
    exact = [exact_text(t) for t in uniques]
    frame["text"] = np.array(exact, dtype=object)[codes]
    frame["key"] = np.array([n.key for n in norm], dtype=object)[codes]
    frame["core"] = np.array([n.core for n in norm], dtype=object)[codes]
    frame["fy"] = np.array([n.fy for n in norm], dtype=np.int64)[codes]
    plains = [plain(t) for t in exact]
    frame["plain"] = np.array(plains, dtype=object)[codes]
    # a glued year needs a digit run of 5+ digits, which the core then holds
    glue = [glued(t, years) if n.fy == 0 and len(n.core) >= 5 else None
            for t, n in zip(exact, norm)]
    frame["glued"] = np.array([g.key if g else "" for g in glue], dtype=object)[codes]
    frame["glued_fy"] = np.array([g.fy if g else 0 for g in glue], dtype=np.int64)[codes]
    # Hashes of the join texts, once per distinct spelling: the joins merge on integers
    # (candidates.py checks the texts of every pair found, so a collision costs nothing).
    for col, values in (("key", [n.key for n in norm]), ("core", [n.core for n in norm]),
                        ("plain", plains), ("glued", [g.key if g else "" for g in glue])):
        frame[f"{col}_h"] = np.array([hash(v) for v in values], dtype=np.int64)[codes]


def _suppliers(raw: list, valid: bool = False) -> dict:
    """GSTIN (cleaned), PAN, PAN hash and, if asked, validity: worked out once per distinct
    GSTIN (a register repeats its suppliers)."""
    codes, uniques = _factorize(raw)
    gstins = [clean(u) for u in uniques]
    out = {"gstin": np.array(gstins, dtype=object)[codes],
           "pan": np.array([g[2:12] for g in gstins], dtype=object)[codes],
           "pan_h": np.array([hash(g[2:12]) for g in gstins], dtype=np.int64)[codes]}
    if valid:
        out["valid"] = np.array([is_valid(g) for g in gstins], dtype=bool)[codes]
    return out


def _per_distinct(values: list, fn: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
    """`fn` applied once per distinct value (GSTINs, dates and numbers repeat a lot)."""
    codes, uniques = _factorize(values)
    return np.array([fn(u) for u in uniques], dtype=dtype)[codes]


def _factorize(values: list) -> tuple[np.ndarray, list]:
    codes, uniques = pd.factorize(pd.Series(values, dtype=object).fillna(""), sort=False)
    return codes, list(uniques)


def _amounts(items: list, absolute: bool = False) -> dict:
    """Amount columns as floats for the matcher (the model holds Decimal), None as 0."""
    rows = list(map(attrgetter(*AMOUNTS), items))
    try:
        values = np.array(rows, dtype=float).reshape(len(items), len(AMOUNTS))
    except (TypeError, ValueError):    # an empty cell came through as None or ""
        values = np.array([[float(x or 0) for x in r] for r in rows],
                          dtype=float).reshape(len(items), len(AMOUNTS))
    if absolute:
        values = np.abs(values)
    return {h: values[:, k] for k, h in enumerate(AMOUNTS)}


def _day(value: Any) -> float:
    """Day number of a date, a datetime or a `dd-mm-yyyy` text; NaN when unknown."""
    if value is None or value == "":
        return np.nan
    if isinstance(value, datetime):
        return float(value.date().toordinal())
    if isinstance(value, date):
        return float(value.toordinal())
    return _text_day(str(value).strip())


@lru_cache(maxsize=1 << 16)
def _text_day(text: str) -> float:
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return float(datetime.strptime(text, fmt).toordinal())
        except ValueError:
            continue
    return np.nan


@lru_cache(maxsize=1 << 16)
def day_text(day: float) -> str:
    """Day number -> `dd-mm-yyyy` (the portal's spelling); '' when unknown."""
    if day != day:
        return ""
    return date.fromordinal(int(day)).strftime("%d-%m-%Y")
