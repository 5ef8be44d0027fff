"""Books documents whose supplier GSTIN was mistyped or left blank.

A GSTIN that fails its check character cannot be the supplier's: it is a typing slip. Such
a document (and one with no GSTIN) is blocked under no supplier; instead it gets one copy
per IMS supplier it may be: a GSTIN one or two characters away (a digit typed wrong, two
neighbours swapped), or, for a blank GSTIN, a trade name like the books' supplier name.
For a blank GSTIN only suppliers with a record of the same number are looked at. The
copies then meet the usual number joins; candidates.py lets one pair only when the number
and the amounts agree and exactly one supplier fits.

A GSTIN that some IMS record carries is never a slip, whatever its check character says.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Hamming
from rapidfuzz.process import cdist

from .settings import Settings

_NOT_WORD = re.compile(r"[^A-Z0-9]+")


def slip_copies(books: pd.DataFrame, ims: pd.DataFrame, numbers: dict,
                settings: Settings) -> pd.DataFrame:
    """One copy of a slipped books document per IMS supplier it may be (`slip` True).

    Unblocks the slipped documents in `books` itself (their PAN is blanked): a mistyped
    GSTIN is no registration at all, not "another GSTIN of the same PAN".
    """
    invalid = ~books["valid"].to_numpy()
    if not invalid.any():
        return books.iloc[:0]
    known = pd.unique(ims["gstin"].to_numpy())
    slipped = invalid & ~books["gstin"].isin(known).to_numpy()
    if not slipped.any():
        return books.iloc[:0]
    books.loc[slipped, "pan"] = ""
    books.loc[slipped, "pan_h"] = hash("")
    suppliers = ims.drop_duplicates("gstin")[["gstin", "name"]]
    fits = pd.concat([_near_gstins(books[slipped], suppliers, settings),
                      _same_names(books[slipped], ims, numbers, settings)], ignore_index=True)
    fits = fits.drop_duplicates()
    if fits.empty:
        return books.iloc[:0]
    copies = books.loc[fits["at"].to_numpy()].copy()
    copies["gstin"] = fits["gstin"].to_numpy()
    copies["pan"] = copies["gstin"].str[2:12]
    copies["pan_h"] = np.array([hash(p) for p in copies["pan"].tolist()], dtype=np.int64)
    copies["slip"] = True
    return copies


def _near_gstins(slipped: pd.DataFrame, suppliers: pd.DataFrame,
                 settings: Settings) -> pd.DataFrame:
    """Typed GSTINs of 15 characters against every IMS supplier GSTIN: at most
    `gstin_slip_chars` positions differ (an adjacent swap changes two).

    With at most k differences among k+1 slices of the GSTIN one slice is untouched, so
    only suppliers sharing a slice with the typed GSTIN are compared (no n x m table).
    """
    most = settings.gstin_slip_chars
    theirs = suppliers["gstin"].tolist()
    cut = [round(15 * k / (most + 1)) for k in range(most + 2)]
    slices = list(zip(cut, cut[1:]))
    index: dict = {}
    for g in theirs:
        if len(g) == 15:
            for n, (a, b) in enumerate(slices):
                index.setdefault((n, g[a:b]), []).append(g)
    at, found = [], []
    for pos, typed in zip(slipped.index.tolist(), slipped["gstin"].tolist()):
        if len(typed) != 15:
            continue
        near = {g for n, (a, b) in enumerate(slices) for g in index.get((n, typed[a:b]), ())}
        for g in sorted(near):
            if Hamming.distance(typed, g, score_cutoff=most) <= most:
                at.append(pos)
                found.append(g)
    return pd.DataFrame({"at": np.array(at, dtype=np.int64),
                         "gstin": np.array(found, dtype=object)})


def _same_names(slipped: pd.DataFrame, ims: pd.DataFrame, numbers: dict,
                settings: Settings) -> pd.DataFrame:
    """Blank GSTINs: suppliers whose trade name is like the books' supplier name (legal
    words dropped) and who have a record of the same number (key or plain spelling).

    Names are compared once per distinct pair of names; a common name ("Sharma Traders")
    may fit many suppliers, but few of them have a record with this number.
    """
    blank = slipped[(slipped["gstin"] == "") & (slipped["name"].str.strip() != "")]
    if blank.empty:
        return _no_fits()
    drop = settings.name_noise_words
    suppliers = ims.drop_duplicates("gstin")
    mine = pd.DataFrame({"at": blank.index.to_numpy(), "key_h": blank["key_h"].to_numpy(),
                         "plain_h": blank["plain_h"].to_numpy(),
                         "nb": [name_key(n, drop) for n in blank["name"].tolist()]})
    theirs = pd.DataFrame({"gstin": suppliers["gstin"].to_numpy(),
                           "pan_h": suppliers["pan_h"].to_numpy(),
                           "ni": [name_key(n, drop) for n in suppliers["name"].tolist()]})
    left = [n for n in mine["nb"].unique().tolist() if n]
    right = [n for n in theirs["ni"].unique().tolist() if n]
    if not left or not right:
        return _no_fits()
    score = cdist(left, right, scorer=fuzz.token_sort_ratio,
                  score_cutoff=settings.name_match_min, dtype=np.int32, workers=1)
    rows, cols = np.nonzero(score >= settings.name_match_min)
    alike = pd.DataFrame({"nb": np.array(left, dtype=object)[rows],
                          "ni": np.array(right, dtype=object)[cols]})
    named = mine.merge(alike, on="nb").merge(theirs, on="ni")
    # Does the supplier hold this number? Compared as hashes of (PAN, text); the joins in
    # candidates.py compare the texts themselves, so a collision only costs a spare copy.
    pan = named["pan_h"].to_numpy() * np.int64(1_000_003)
    held = numbers["pan_h"] * np.int64(1_000_003)
    has = (_isin(pan + named["key_h"].to_numpy(), held + numbers["key_h"])
           | _isin(pan + named["plain_h"].to_numpy(), held + numbers["plain_h"]))
    return named.loc[has, ["at", "gstin"]]


def _isin(codes: np.ndarray, among: np.ndarray) -> np.ndarray:
    """np.isin for int64 codes by a hash table (numpy's is several times slower here)."""
    return pd.Series(codes).isin(among).to_numpy()


def name_key(name: str, noise: tuple) -> str:
    """`M/s. Mehta Components Pvt. Ltd.` -> `MEHTA COMPONENTS`."""
    words = _NOT_WORD.sub(" ", str(name or "").upper().replace("M/S", " ")).split()
    return " ".join(w for w in words if w not in noise)


def _no_fits() -> pd.DataFrame:
    return pd.DataFrame({"at": np.zeros(0, dtype=np.int64), "gstin": np.zeros(0, dtype=object)})
