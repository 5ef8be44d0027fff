"""Candidate pairs by blocking and key joins, and their scores
(docs/reference/matching.md#pass-order, docs/reference/matching.md#scoring).

Blocks are (PAN, document kind): the supplier's GSTIN, or another registration of the same
business (GSTIN characters 3-12). Inside a block only pairs whose *numbers* agree are
formed, by two hash joins: on the normalised key, and on the numeric core (a prefix or
suffix dropped). No cross product is built, and amount-only look-alikes are never
candidates, so they can never outrank a number match (india-compliance #4433, #4659).
"""

from __future__ import annotations

from typing import Any, Callable, Union

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from .number import cuts
from .result import MATCHED, MISMATCH, PROBABLE
from .settings import Settings
from .columns import AMOUNTS
from .sides import NO_CODE

_SHARED = ["day", "number", "text", "fy", "gstin", "pan", "kind", "glued_fy", "pan_h", "key_h",
           "core_h", "plain_h", "glued_h"]
_NUMBER_COLS = ["i", "orig", *_SHARED]
_BOOK_COLS = ["b", "row", *_SHARED, "slip", "books_gstin", "book_kind", *AMOUNTS]
_EPS = 1e-6     # float amounts: 0.1 + 0.2 must still be within a 0.3 tolerance


def candidates(numbers: dict, books: pd.DataFrame, ims: pd.DataFrame,
               settings: Settings, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every (IMS record, books document) pair whose numbers agree, scored and classified.

    Columns: i, b, row, by (key|plain|glued|core), orig, rule, score, eligible, status,
    heads_ok, swap, days, same_gstin, cross, slip, number_i, number_b. `eligible` pairs
    may be assigned; the others are kept to explain why a record did not pair. `extra`:
    more books rows (copies of slipped documents under a supplier, slips.py).
    """
    left = {(f"{c}_i" if c in _SHARED else c): numbers[c] for c in _NUMBER_COLS}
    tables = [books] if extra is None or not len(extra) else [books, extra]
    right = {(f"{c}_b" if c in _SHARED else c): np.concatenate([t[c].to_numpy() for t in tables])
             for c in _BOOK_COLS}
    pairs = _pairs(left, right)
    _amount_checks(pairs, ims, settings)
    _date_checks(pairs, settings)
    _score(pairs, settings)
    # the columns are taken once, in their final order, into the one frame made
    at, ambiguous = _one_supplier_per_slip(pairs, _best_first(pairs))
    out = {c: v[at] for c, v in pairs.items()}
    out["eligible"] &= ~ambiguous
    out["ambiguous"] = ambiguous
    return pd.DataFrame(out)


def _best_first(pairs: dict) -> np.ndarray:
    """Positions of the pairs sorted by score (best first), then IMS record, books row and
    document; a pair found by several joins is kept once, as its best."""
    i, b = pairs["i"], pairs["b"]
    order = np.lexsort((b, pairs["row"], i, -pairs["score"]))
    pair = i[order] * np.int64(max(len(b), int(b.max(initial=0)) + 1)) + b[order]
    return order[~pd.Series(pair).duplicated().to_numpy()]


class _Codes:
    """Joins as merges on one int64 column: the PAN hash and the text's code (sides.py: equal
    codes are equal texts). The PANs of every pair found are compared, so a hash collision
    never makes a pair."""

    def __init__(self, left: dict, right: dict) -> None:
        self.frames = {"i": left, "b": right}

    def join(self, col_i: str, col_b: str, with_kind: bool = False) -> tuple:
        """Positions (left, right) of rows in the same PAN block with equal texts."""
        def side(col: str, s: str) -> tuple:
            f = self.frames[s]
            text = f[f"{col}_h_{s}"]
            code = f[f"pan_h_{s}"] * np.int64(1_000_003) + text
            ok = text != NO_CODE
            return code[ok], np.flatnonzero(ok)
        (lc, lp), (rc, rp) = side(col_i, "i"), side(col_b, "b")
        m = pd.DataFrame({"c": lc, "l": lp}).merge(pd.DataFrame({"c": rc, "r": rp}), on="c")
        li, ri = m["l"].to_numpy(), m["r"].to_numpy()
        left, right = self.frames["i"], self.frames["b"]
        same = left["pan_i"][li] == right["pan_b"][ri]
        if with_kind:
            same &= left["kind_i"][li] == right["kind_b"][ri]
        return li[same], ri[same]


def _pairs(left: dict, right: dict) -> dict:
    """The candidate pairs of every join, as columns of both sides' values.

    Key and plain spelling pair across document types (a type is evidence, not a wall);
    a bare serial (core) only within one type. A pair whose numbers carry two different
    years is none (12 of 23-24 is not 12 of 24-25).
    """
    codes = _Codes(left, right)
    key_i, key_b = left["key_h_i"], right["key_h_b"]
    fy_i, fy_b = left["fy_i"], right["fy_b"]
    gfy_i, gfy_b = left["glued_fy_i"], right["glued_fy_b"]
    parts = []
    li, ri = codes.join("key", "key")
    parts.append((li, ri, "key", fy_i[li], fy_b[ri]))
    li, ri = codes.join("plain", "plain")
    keep = key_i[li] != key_b[ri]                          # else the key join found it
    li, ri = li[keep], ri[keep]
    nested = [_nested(a, b) for a, b in zip(left["number_i"][li], right["number_b"][ri])]
    li, ri = li[np.array(nested, dtype=bool)], ri[np.array(nested, dtype=bool)]
    parts.append((li, ri, "plain", fy_i[li], fy_b[ri]))
    li, ri = codes.join("glued", "key")                    # IMS glues the year in
    keep = (gfy_i[li] != 0) & (fy_b[ri] == gfy_i[li])
    parts.append((li[keep], ri[keep], "glued", gfy_i[li[keep]], fy_b[ri[keep]]))
    li, ri = codes.join("key", "glued")                    # the books glue it in
    keep = (gfy_b[ri] != 0) & (fy_i[li] == gfy_b[ri])
    parts.append((li[keep], ri[keep], "glued", fy_i[li[keep]], gfy_b[ri[keep]]))
    li, ri = codes.join("core", "core", with_kind=True)
    keep = key_i[li] != key_b[ri]
    parts.append((li[keep], ri[keep], "core", fy_i[li[keep]], fy_b[ri[keep]]))
    li = np.concatenate([p[0] for p in parts])
    ri = np.concatenate([p[1] for p in parts])
    by = np.concatenate([np.full(len(p[0]), p[2], dtype=object) for p in parts])
    year_i = np.concatenate([p[3] for p in parts])
    year_b = np.concatenate([p[4] for p in parts])
    ok = (year_i == 0) | (year_b == 0) | (year_i == year_b)
    li, ri, by = li[ok], ri[ok], by[ok]
    # what the joins alone needed (codes, PAN, the number's forms) is not carried further
    columns = {c: v[li] for c, v in left.items() if _carried(c)}
    columns.update((c, v[ri]) for c, v in right.items() if _carried(c))
    columns["by"] = by
    # the same characters once case and separators go (equal codes: equal plain spellings)
    columns["trivial"] = left["plain_h_i"][li] == right["plain_h_b"][ri]
    return columns


def _carried(column: str) -> bool:
    return not column.startswith(("pan_", "glued_", "fy_")) and "_h_" not in column


def _nested(a: str, b: str) -> bool:
    """One side only dropped separators: `INV-26-01958` / `inv2601958`, not `1-23` / `12-3`."""
    ca, cb = cuts(a), cuts(b)
    return ca <= cb or cb <= ca


def _one_supplier_per_slip(pairs: dict, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A books document with a slipped or blank GSTIN pairs only when exactly one supplier
    has a record with its number and amounts; two fitting suppliers is a guess.

    Slip candidates that do not fit are dropped: a blank GSTIN meets every supplier of
    that name, and "same number, other amounts, maybe this supplier" explains nothing.
    Returns `at` without them, and which of the rest are such guesses (`ambiguous`, never
    eligible).
    """
    slip, eligible = pairs["slip"][at], pairs["eligible"][at]
    if not slip.any():
        return at, np.zeros(len(at), dtype=bool)
    b, fits = pairs["b"][at], slip & eligible
    many = pd.Series(pairs["gstin_i"][at][fits], dtype=object).groupby(b[fits]).nunique()
    ambiguous = slip & pd.Series(b).isin(many.index[many > 1]).to_numpy()
    keep = ~(slip & ~eligible)
    return at[keep], ambiguous[keep]


# The two checks below also run on the pairs the user linked by hand (manual.py): a frame.
Columns = Union[dict, pd.DataFrame]


def _amount_checks(pairs: Columns, ims: pd.DataFrame, settings: Settings) -> None:
    """Per head within tolerance; else taxable, cess and *total* tax within (IGST booked as
    CGST+SGST or the reverse, or another registration of the supplier)."""
    mine = ims[list(AMOUNTS)].to_numpy()[np.asarray(pairs["i"])]
    theirs = np.column_stack([np.asarray(pairs[h], dtype=float) for h in AMOUNTS])
    for k, h in enumerate(AMOUNTS):
        pairs[f"ims_{h}"] = mine[:, k]
    tol = _tolerance(mine, settings)
    gap = np.abs(mine - theirs)
    heads_ok = (gap <= tol + _EPS).all(axis=1)
    tax_mine, tax_theirs = mine[:, 1:4].sum(axis=1), theirs[:, 1:4].sum(axis=1)
    tax_ok = np.abs(tax_mine - tax_theirs) <= _tolerance(tax_mine, settings) + _EPS
    others_ok = (gap[:, [0, 4]] <= tol[:, [0, 4]] + _EPS).all(axis=1)
    pairs["heads_ok"] = heads_ok
    pairs["swap"] = ~heads_ok & tax_ok & others_ok
    pairs["gap"] = gap.sum(axis=1) / np.maximum(mine.sum(axis=1), 1.0)


def _tolerance(amounts: np.ndarray, settings: Settings) -> np.ndarray:
    pct = np.abs(amounts) * (settings.tolerance_percent / 100.0)
    return np.maximum(pct, settings.tolerance_rupees)


def _date_checks(pairs: Columns, settings: Settings) -> None:
    days = np.abs(np.asarray(pairs["day_i"], dtype=float)
                  - np.asarray(pairs["day_b"], dtype=float))
    pairs["days"] = days
    pairs["date_ok"] = days <= settings.date_window_days        # NaN (no date) is not ok


# Bits of a pair's situation; its band and rule name follow from them (`_situations`).
_KEY, _ORIG, _PAN, _CROSS, _SLIP, _EXACT, _TRIVIAL = 1, 2, 4, 8, 16, 32, 64


def _score(pairs: dict, settings: Settings) -> None:
    """Band from the number rule, GSTIN and type, then amounts, date and likeness inside."""
    by_key = pairs["by"] != "core"
    orig = pairs["orig"].astype(bool)
    slip = pairs["slip"].astype(bool)
    cross = pairs["kind_i"] != pairs["kind_b"]
    same_gstin = pairs["gstin_i"] == pairs["gstin_b"]
    text_i, text_b = pairs["text_i"], pairs["text_b"]
    exact = text_i == text_b
    trivial = pairs["trivial"]
    heads_ok, swap = pairs["heads_ok"], pairs["swap"]
    situation = (by_key * _KEY + orig * _ORIG + ~same_gstin * _PAN + cross * _CROSS
                 + slip * _SLIP + exact * _EXACT + trivial * _TRIVIAL)
    band_name, rule = _situations(situation)
    bands, pts = settings.score_bands, settings.score_points
    band = _per_code(situation, lambda c: bands[band_name(c)], float)
    near = pts["amounts_near"] * (1 - np.minimum(pairs["gap"], 1.0))
    amount_pts = np.where(heads_ok, pts["amounts"], np.where(swap, pts["total_tax"], near))
    window = 2.0 * max(settings.date_window_days, 1)
    days = pairs["days"]
    date_pts = np.where(np.isnan(days), 0.0,
                        pts["date"] * (1 - np.minimum(np.nan_to_num(days), window) / window))
    likeness = np.where(exact, 1.0, 0.5)
    likeness[~by_key] = _likeness(text_i[~by_key], text_b[~by_key])
    pairs["score"] = np.round(band + amount_pts + date_pts + pts["likeness"] * likeness, 2)
    pairs["same_gstin"] = same_gstin
    pairs["cross"] = cross
    pairs["rule"] = _per_code(situation, rule)
    amounts_ok = heads_ok | swap
    # Serials without a year restart every April: the same number half a year away is
    # another document. A shared serial alone is weak evidence: it pairs only with agreeing
    # amounts and dates. Another document type or a slipped GSTIN needs the number and the
    # amounts.
    same_year = ~(days > settings.same_number_max_days)
    plain_evidence = np.where(cross | slip, amounts_ok, True)
    pairs["eligible"] = np.where(
        by_key, same_year & plain_evidence,
        amounts_ok & pairs["date_ok"] & ~slip)
    plain = _per_code(situation, lambda c: rule(c) in settings.matched_rules, bool)
    # docs/reference/matching.md#statuses: a differing date, and a tax head booked differently (an
    # ITC risk), are never Matched.
    status = np.where(~heads_ok, 0, np.where(plain & (days == 0), 1, 2))
    pairs["status"] = np.array([MISMATCH, MATCHED, PROBABLE], dtype=object)[status]


def _situations(situation: np.ndarray) -> tuple:
    """Band name and rule name of a situation code (see the bits above)."""
    def band_name(c: int) -> str:
        if c & _SLIP:
            return "slip"
        if c & _CROSS:
            return "kind"
        return (("key" if c & _KEY else "core") + ("/original" if c & _ORIG else "")
                + ("/pan" if c & _PAN else ""))

    def rule(c: int) -> str:
        base = ("number-core" if not c & _KEY else "number-exact" if c & _EXACT
                else "number-trivial" if c & _TRIVIAL else "number-normalised")
        return (base + ("/original" if c & _ORIG else "") + ("/pan" if c & _PAN else "")
                + ("/type" if c & _CROSS else "") + ("/gstin-slip" if c & _SLIP else ""))
    return band_name, rule


def _per_code(codes: np.ndarray, fn: Callable[[int], Any], dtype: Any = object) -> np.ndarray:
    """`fn` of each row's code, worked out once per distinct code (there are a handful)."""
    table = np.zeros(int(codes.max(initial=0)) + 1, dtype=dtype)
    distinct = np.flatnonzero(np.bincount(codes, minlength=len(table)))
    table[distinct] = np.array([fn(c) for c in distinct.tolist()], dtype=dtype)
    return table[codes]


def _likeness(text_i: np.ndarray, text_b: np.ndarray) -> np.ndarray:
    """0-1 similarity of the two spellings; only used inside the core band."""
    if len(text_i) == 0:
        return np.zeros(0)
    return cpdist(text_i.tolist(), text_b.tolist(), scorer=fuzz.ratio, workers=1) / 100.0
