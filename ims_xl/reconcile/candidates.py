"""Candidate pairs by blocking and key joins, and their scores (matching.md §5.3, §5.4).

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

from .result import MATCHED, MISMATCH, PROBABLE
from .settings import Settings
from .sides import AMOUNTS

_SHARED = ["day", "number", "text", "key", "core", "fy", "gstin", "pan", "kind", "plain",
           "cuts", "glued", "glued_fy"]
_NUMBER_COLS = ["i", "orig", *_SHARED]
_BOOK_COLS = ["b", "row", *_SHARED, "slip", "books_gstin", "book_kind", *AMOUNTS]
_EPS = 1e-6     # float amounts: 0.1 + 0.2 must still be within a 0.3 tolerance


def candidates(numbers: pd.DataFrame, books: pd.DataFrame, ims: pd.DataFrame,
               settings: Settings) -> pd.DataFrame:
    """Every (IMS record, books document) pair whose numbers agree, scored and classified.

    Columns: i, b, row, by (key|plain|glued|core), orig, rule, score, eligible, status,
    heads_ok, swap, days, same_gstin, cross, slip, number_i, number_b. `eligible` pairs
    may be assigned; the others are kept to explain why a record did not pair.
    """
    left = numbers[_NUMBER_COLS].rename(columns={c: f"{c}_i" for c in _SHARED})
    right = books[_BOOK_COLS].rename(columns={c: f"{c}_b" for c in _SHARED})
    pairs = pd.concat([_join(left, right, "key"), _join(left, right, "plain"),
                       _glued(left, right, "i", "b"), _glued(left, right, "b", "i"),
                       _join(left, right, "core")], ignore_index=True)
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


def _join(left: pd.DataFrame, right: pd.DataFrame, on: str) -> pd.DataFrame:
    """Pairs with equal `on` (key, plain spelling or core) in one PAN block.

    Key and plain spelling pair across document types (a type is evidence, not a wall);
    a bare serial (core) only within one type.
    """
    cols = ["pan", on] + (["kind"] if on == "core" else [])
    pairs = left[left[f"{on}_i"] != ""].merge(
        right[right[f"{on}_b"] != ""], left_on=[f"{c}_i" for c in cols],
        right_on=[f"{c}_b" for c in cols])
    if on != "key":
        pairs = pairs[pairs["key_i"] != pairs["key_b"]]      # already found by the key join
    if on == "plain":       # one side only dropped separators: `1-23` is not `12-3`
        nested = [a <= b or b <= a for a, b in zip(pairs["cuts_i"], pairs["cuts_b"])]
        pairs = pairs[np.array(nested, dtype=bool)]
    pairs["by"] = on
    return pairs


def _glued(left: pd.DataFrame, right: pd.DataFrame, g: str, o: str) -> pd.DataFrame:
    """Side `g` glues a year into its digits (`INV242500012`), side `o` writes that year
    apart (`INV/24-25/12`): same key once the year is cut out, and the same year."""
    sides = {"i": left, "b": right}
    sides[g] = sides[g][sides[g][f"glued_{g}"] != ""]
    sides[o] = sides[o][sides[o][f"fy_{o}"] != 0]
    pairs = sides["i"].merge(sides["b"], left_on=["pan_i", "glued_i" if g == "i" else "key_i"],
                             right_on=["pan_b", "glued_b" if g == "b" else "key_b"])
    pairs = pairs[pairs[f"fy_{o}"] == pairs[f"glued_fy_{g}"]]
    pairs = pairs.assign(**{f"fy_{g}": pairs[f"glued_fy_{g}"]})
    pairs["by"] = "glued"
    return pairs


def _one_supplier_per_slip(pairs: pd.DataFrame) -> pd.DataFrame:
    """A books document with a slipped or blank GSTIN pairs only when exactly one supplier
    has a record with its number and amounts; two fitting suppliers is a guess."""
    fits = pairs[pairs["slip"].to_numpy() & pairs["eligible"].to_numpy()]
    if fits.empty:
        pairs["ambiguous"] = False
        return pairs
    many = fits.groupby("b")["gstin_i"].nunique()
    ambiguous = pairs["slip"].to_numpy() & pairs["b"].isin(many.index[many > 1]).to_numpy()
    pairs["ambiguous"] = ambiguous
    pairs.loc[ambiguous, "eligible"] = False
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
    # matching.md §4: a differing date, and a tax head booked differently (an ITC risk),
    # are never Matched.
    pairs["status"] = np.where(~heads_ok, MISMATCH, np.where(plain & (days == 0), MATCHED,
                                                             PROBABLE))


def _likeness(pairs: pd.DataFrame) -> np.ndarray:
    """0-1 similarity of the two spellings; only used inside the core band."""
    if len(pairs) == 0:
        return np.zeros(0)
    return cpdist(pairs["text_i"].tolist(), pairs["text_b"].tolist(),
                  scorer=fuzz.ratio, workers=1) / 100.0
