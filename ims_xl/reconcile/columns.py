"""The records' and the books documents' columns that matching is built from, in numpy alone:
the IMS sheet's process works out the records' (`ims_side`) before this process loads pandas
(`workbook.ahead.ims_sheet_ahead`). Amounts are floats in rupees; dates are day numbers
(`date.toordinal()`), NaN when unknown."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter
from typing import Any, Callable

import numpy as np

from ..model.document import Entries, ImsRecord, column_of
from ..model.gstin import clean, is_valid
from ..model.section import SECTIONS

AMOUNTS = ("taxable", "igst", "cgst", "sgst", "cess")


def ims_side(records: list[ImsRecord]) -> dict[str, np.ndarray]:
    """`ims_table`'s columns: they need the records alone, so the process that writes the
    IMS sheet works them out ahead while this one works out the spellings
    (`workbook.ahead.ims_sheet_ahead`)."""
    sections = per_distinct(column_of(records, "section"), lambda s: SECTIONS[s].kind)
    return {
        **suppliers(column_of(records, "supplier_gstin")),
        "kind": sections,
        "name": np.array(column_of(records, "supplier_name"), dtype=object),
        "day": per_distinct(column_of(records, "doc_date"), day_number, float),
        **amount_columns(records),
    }


def suppliers(raw: list, valid: bool = False) -> dict:
    """GSTIN (cleaned), PAN, PAN hash and, if asked, validity: worked out once per distinct
    GSTIN (a register repeats its suppliers)."""
    codes, uniques = factorize(raw)
    gstins = [clean(u) for u in uniques]
    out = {"gstin": np.array(gstins, dtype=object)[codes],
           "pan": np.array([g[2:12] for g in gstins], dtype=object)[codes],
           "pan_h": np.array([hash(g[2:12]) for g in gstins], dtype=np.int64)[codes]}
    if valid:
        out["valid"] = np.array([is_valid(g) for g in gstins], dtype=bool)[codes]
    return out


def per_distinct(values: list, fn: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
    """`fn` applied once per distinct value (GSTINs, dates and numbers repeat a lot)."""
    codes, uniques = factorize(values)
    return np.array([fn(u) for u in uniques], dtype=dtype)[codes]


def factorize(values: list) -> tuple[np.ndarray, list]:
    """Codes and distinct values in order of first appearance; missing values (None, NaN)
    count as ""."""
    index: dict = {}
    codes = np.fromiter([index.setdefault(v, len(index)) for v in values], dtype=np.int64,
                        count=len(values))
    uniques = list(index)
    missing = _missing(uniques)
    if missing.any():                  # rare: fold them into "" and number again
        folded, uniques = factorize(["" if m else u for u, m in zip(uniques, missing)])
        codes = folded[codes]
    return codes, uniques


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA, as `factorize` folds them."""
    return not isinstance(value, str) and bool(_missing([value])[0])


def _missing(values: list) -> np.ndarray:
    """`pandas.isna` of each value, without loading pandas where it is not loaded yet (the
    IMS sheet's process): a missing value of pandas' own (pd.NA) exists only once it is,
    and None and the NaNs (float, Decimal, NaT) are the ones unequal to themselves."""
    pd = sys.modules.get("pandas")
    if pd is not None:
        return pd.isna(np.array(values, dtype=object)) if values else np.zeros(0, bool)
    return np.array([v is None or (v.__class__ is not str and v != v) for v in values],
                    dtype=bool)


def amount_columns(items: Sequence, absolute: bool = False) -> dict:
    """Amount columns as floats for the matcher (the model holds Decimal), None as 0."""
    if isinstance(items, Entries):          # from the amounts' texts, no Decimal made
        return _amounts_of_texts(items, absolute)
    rows = list(map(attrgetter(*AMOUNTS), items))
    try:    # Decimals: a zero (about half of all amounts) is not converted, keeps its sign
        flat = [float(x) if x else (-0.0 if x.is_signed() else 0.0)
                for r in rows for x in r]
        values = np.array(flat, dtype=float).reshape(len(items), len(AMOUNTS))
    except (AttributeError, TypeError, ValueError):    # None or "" for an empty cell
        values = np.array([[float(x or 0) for x in r] for r in rows],
                          dtype=float).reshape(len(items), len(AMOUNTS))
    if absolute:
        values = np.abs(values)
    return {h: values[:, k] for k, h in enumerate(AMOUNTS)}


def _amounts_of_texts(entries: Entries, absolute: bool) -> dict:
    """`amount_columns` of entries not made yet: each text parsed as `float` parses the Decimal's
    own text, so the floats are those of the Decimals ("" is None, read as 0)."""
    out = {}
    for h in AMOUNTS:
        texts = entries.amount_texts(h)
        try:
            values = np.array(texts, dtype=float)
        except ValueError:                  # a blank ("": None)
            values = np.array([float(t or 0) for t in texts], dtype=float)
        out[h] = np.abs(values) if absolute else values
    return out


def day_number(value: Any) -> float:
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
