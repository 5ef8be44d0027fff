"""Candidate pairs by blocking and key joins, and their scores
(docs/reference/matching.md#pass-order, docs/reference/matching.md#scoring).

Blocks are (PAN, document kind): the supplier's GSTIN, or another registration of the same
business (GSTIN characters 3-12). Inside a block only pairs whose *numbers* agree are
formed, by two hash joins: on the normalised key, and on the numeric core (a prefix or
suffix dropped). No cross product is built, and amount-only look-alikes are never
candidates, so they can never outrank a number match (india-compliance #4433, #4659).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from .number import cuts
from .result import MATCHED, MISMATCH, PROBABLE
from .settings import Settings
from .sides import AMOUNTS

_SHARED = ["day", "number", "text", "key", "core", "fy", "gstin", "pan", "kind", "plain",
           "glued", "glued_fy", "pan_h", "key_h", "core_h", "plain_h", "glued_h"]
_NUMBER_COLS = ["i", "orig", *_SHARED]
_BOOK_COLS = ["b", "row", *_SHARED, "slip", "books_gstin", "book_kind", *AMOUNTS]
_EPS = 1e-6     # float amounts: 0.1 + 0.2 must still be within a 0.3 tolerance


def candidates(numbers: pd.DataFrame, books: pd.DataFrame, ims: pd.DataFrame,
               settings: Settings, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every (IMS record, books document) pair whose numbers agree, scored and classified.

    Columns: i, b, row, by (key|plain|glued|core), orig, rule, score, eligible, status,
    heads_ok, swap, days, same_gstin, cross, slip, number_i, number_b. `eligible` pairs
    may be assigned; the others are kept to explain why a record did not pair. `extra`:
    more books rows (copies of slipped documents under a supplier, slips.py).
    """
    left = numbers[_NUMBER_COLS].rename(columns={c: f"{c}_i" for c in _SHARED})
    right = books[_BOOK_COLS]
    if extra is not None and len(extra):
        right = pd.concat([right, extra[_BOOK_COLS]], ignore_index=True)
    right = right.rename(columns={c: f"{c}_b" for c in _SHARED})
    pairs = _pairs(left, right)
    fy_i, fy_b = pairs["fy_i"].to_numpy(), pairs["fy_b"].to_numpy()
    pairs = pairs[(fy_i == 0) | (fy_b == 0) | (fy_i == fy_b)]    # 12 of 23-24 is not 12 of 24-25
    pairs = pairs.reset_index(drop=True)
    _amount_checks(pairs, ims, settings)
    _date_checks(pairs, settings)
    _score(pairs, settings)
    pairs = pairs.sort_values(["score", "i", "row", "b"], ascending=[False, True, True, True],
                              kind="stable")
    pairs = pairs.drop_duplicates(["i", "b"]).reset_index(drop=True)   # several joins found it
    return _one_supplier_per_slip(pairs)


class _Codes:
    """Joins as merges on one int64 column (PAN and text hashes from sides.py), then the
    texts of every pair found are compared, so a hash collision never makes a pair."""

    def __init__(self, left: pd.DataFrame, right: pd.DataFrame) -> None:
        self.frames = {"i": left, "b": right}

    def join(self, col_i: str, col_b: str, with_kind: bool = False) -> tuple:
        """Positions (left, right) of rows in the same PAN block with equal texts."""
        def side(col: str, s: str) -> tuple:
            f = self.frames[s]
            text = f[f"{col}_{s}"].to_numpy()
            code = f[f"pan_h_{s}"].to_numpy() * np.int64(1_000_003) + f[f"{col}_h_{s}"].to_numpy()
            ok = text != ""
            return code[ok], np.flatnonzero(ok)
        (lc, lp), (rc, rp) = side(col_i, "i"), side(col_b, "b")
        m = pd.DataFrame({"c": lc, "l": lp}).merge(pd.DataFrame({"c": rc, "r": rp}), on="c")
        li, ri = m["l"].to_numpy(), m["r"].to_numpy()
        left, right = self.frames["i"], self.frames["b"]
        same = ((left[f"{col_i}_i"].to_numpy()[li] == right[f"{col_b}_b"].to_numpy()[ri])
                & (left["pan_i"].to_numpy()[li] == right["pan_b"].to_numpy()[ri]))
        if with_kind:
            same &= left["kind_i"].to_numpy()[li] == right["kind_b"].to_numpy()[ri]
        return li[same], ri[same]


def _pairs(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """The candidate pairs of every join, as one frame of both sides' columns.

    Key and plain spelling pair across document types (a type is evidence, not a wall);
    a bare serial (core) only within one type.
    """
    codes = _Codes(left, right)
    key_i, key_b = left["key_i"].to_numpy(), right["key_b"].to_numpy()
    fy_i, fy_b = left["fy_i"].to_numpy(), right["fy_b"].to_numpy()
    gfy_i, gfy_b = left["glued_fy_i"].to_numpy(), right["glued_fy_b"].to_numpy()
    parts = []
    li, ri = codes.join("key", "key")
    parts.append((li, ri, "key", fy_i[li], fy_b[ri]))
    li, ri = codes.join("plain", "plain")
    keep = key_i[li] != key_b[ri]                          # else the key join found it
    li, ri = li[keep], ri[keep]
    nested = [_nested(a, b) for a, b in zip(left["number_i"].to_numpy()[li],
                                            right["number_b"].to_numpy()[ri])]
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
    # what the joins alone needed (hashes, PAN, glued forms) is not carried further
    gone = ("_h_", "pan_", "glued_")
    keep_i = [c for c in left.columns if not c.startswith(gone[1:]) and gone[0] not in c]
    keep_b = [c for c in right.columns if not c.startswith(gone[1:]) and gone[0] not in c]
    pairs = pd.concat([left[keep_i].take(li).reset_index(drop=True),
                       right[keep_b].take(ri).reset_index(drop=True)], axis=1)
    pairs["by"] = np.concatenate([np.full(len(p[0]), p[2], dtype=object) for p in parts])
    pairs["fy_i"] = np.concatenate([p[3] for p in parts])
    pairs["fy_b"] = np.concatenate([p[4] for p in parts])
    return pairs


def _nested(a: str, b: str) -> bool:
    """One side only dropped separators: `INV-26-01958` / `inv2601958`, not `1-23` / `12-3`."""
    ca, cb = cuts(a), cuts(b)
    return ca <= cb or cb <= ca


def _one_supplier_per_slip(pairs: pd.DataFrame) -> pd.DataFrame:
    """A books document with a slipped or blank GSTIN pairs only when exactly one supplier
    has a record with its number and amounts; two fitting suppliers is a guess.

    Slip candidates that do not fit are dropped: a blank GSTIN meets every supplier of
    that name, and "same number, other amounts, maybe this supplier" explains nothing.
    """
    slip, eligible = pairs["slip"].to_numpy(), pairs["eligible"].to_numpy()
    if not slip.any():
        pairs["ambiguous"] = False
        return pairs
    fits = pairs[slip & eligible]
    many = fits.groupby("b")["gstin_i"].nunique()
    ambiguous = slip & pairs["b"].isin(many.index[many > 1]).to_numpy()
    pairs["ambiguous"] = ambiguous
    unfit = slip & ~eligible
    if unfit.any():
        pairs = pairs[~unfit].reset_index(drop=True)
    pairs.loc[pairs["ambiguous"].to_numpy(), "eligible"] = False
    return pairs


def _amount_checks(pairs: pd.DataFrame, ims: pd.DataFrame, settings: Settings) -> None:
    """Per head within tolerance; else taxable, cess and *total* tax within (IGST booked as
    CGST+SGST or the reverse, or another registration of the supplier)."""
    mine = ims[list(AMOUNTS)].to_numpy()[pairs["i"].to_numpy()]
    theirs = pairs[list(AMOUNTS)].to_numpy()
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


def _date_checks(pairs: pd.DataFrame, settings: Settings) -> None:
    days = np.abs(pairs["day_i"].to_numpy() - pairs["day_b"].to_numpy())
    pairs["days"] = days
    pairs["date_ok"] = days <= settings.date_window_days        # NaN (no date) is not ok


def _score(pairs: pd.DataFrame, settings: Settings) -> None:
    """Band from the number rule, GSTIN and type, then amounts, date and likeness inside."""
    by_key = (pairs["by"] != "core").to_numpy()
    orig = pairs["orig"].to_numpy(dtype=bool)
    slip = pairs["slip"].to_numpy(dtype=bool)
    cross = (pairs["kind_i"] != pairs["kind_b"]).to_numpy()
    same_gstin = (pairs["gstin_i"] == pairs["gstin_b"]).to_numpy()
    exact = (pairs["text_i"] == pairs["text_b"]).to_numpy()
    heads_ok, swap = pairs["heads_ok"].to_numpy(), pairs["swap"].to_numpy()
    band_name = (np.where(by_key, "key", "core") + np.where(orig, "/original", "")
                 + np.where(same_gstin, "", "/pan"))
    band_name = np.where(slip, "slip", np.where(cross, "kind", band_name))
    bands, pts = settings.score_bands, settings.score_points
    band = np.array([bands[n] for n in band_name], dtype=float)
    near = pts["amounts_near"] * (1 - np.minimum(pairs["gap"].to_numpy(), 1.0))
    amount_pts = np.where(heads_ok, pts["amounts"], np.where(swap, pts["total_tax"], near))
    window = 2.0 * max(settings.date_window_days, 1)
    days = pairs["days"].to_numpy()
    date_pts = np.where(np.isnan(days), 0.0,
                        pts["date"] * (1 - np.minimum(np.nan_to_num(days), window) / window))
    likeness = np.where(exact, 1.0, 0.5)
    likeness[~by_key] = _likeness(pairs[~by_key])
    pairs["score"] = np.round(band + amount_pts + date_pts + pts["likeness"] * likeness, 2)
    pairs["same_gstin"] = same_gstin
    pairs["cross"] = cross
    trivial = (pairs["plain_i"] == pairs["plain_b"]).to_numpy()
    base = np.where(by_key, np.where(exact, "number-exact", np.where(
        trivial, "number-trivial", "number-normalised")), "number-core")
    pairs["rule"] = (base + np.where(orig, "/original", "") + np.where(same_gstin, "", "/pan")
                     + np.where(cross, "/type", "") + np.where(slip, "/gstin-slip", ""))
    amounts_ok = heads_ok | swap
    # Serials without a year restart every April: the same number half a year away is
    # another document. A shared serial alone is weak evidence: it pairs only with agreeing
    # amounts and dates. Another document type or a slipped GSTIN needs the number and the
    # amounts.
    same_year = ~(days > settings.same_number_max_days)
    plain_evidence = np.where(cross | slip, amounts_ok, True)
    pairs["eligible"] = np.where(
        by_key, same_year & plain_evidence,
        amounts_ok & pairs["date_ok"].to_numpy() & ~slip)
    plain = np.isin(pairs["rule"].to_numpy(), list(settings.matched_rules))
    # docs/reference/matching.md#statuses: a differing date, and a tax head booked differently (an
    # ITC risk), are never Matched.
    pairs["status"] = np.where(~heads_ok, MISMATCH, np.where(plain & (days == 0), MATCHED,
                                                             PROBABLE))


def _likeness(pairs: pd.DataFrame) -> np.ndarray:
    """0-1 similarity of the two spellings; only used inside the core band."""
    if len(pairs) == 0:
        return np.zeros(0)
    return cpdist(pairs["text_i"].tolist(), pairs["text_b"].tolist(),
                  scorer=fuzz.ratio, workers=1) / 100.0
