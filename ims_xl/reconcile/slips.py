"""Books documents whose supplier GSTIN was mistyped or left blank.

A GSTIN that fails its check character cannot be the supplier's: it is a typing slip. Such
a document (and one with no GSTIN) is blocked under no supplier; instead it gets one copy
per IMS supplier it may be: a GSTIN one or two characters away (a digit typed wrong, two
neighbours swapped), or, for a blank GSTIN, a trade name like the books' supplier name.
The copies then meet the usual number joins; candidates.py lets one pair only when the
number and the amounts agree and exactly one supplier fits.

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


def with_slips(books: pd.DataFrame, ims: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """`books` with slipped documents unblocked and one copy per supplier they may be."""
    known = pd.unique(ims["gstin"].to_numpy())
    slipped = ~books["valid"].to_numpy() & ~books["gstin"].isin(known).to_numpy()
    if not slipped.any():
        return books
    books = books.copy()
    books.loc[slipped, "pan"] = ""             # a mistyped GSTIN is no registration at all
    suppliers = ims.drop_duplicates("gstin")[["gstin", "name"]]
    fits = pd.concat([_near_gstins(books[slipped], suppliers, settings),
                      _same_names(books[slipped], suppliers, settings)], ignore_index=True)
    if fits.empty:
        return books
    copies = books.loc[fits["at"].to_numpy()].copy()
    copies["gstin"] = fits["gstin"].to_numpy()
    copies["pan"] = copies["gstin"].str[2:12]
    copies["slip"] = True
    return pd.concat([books, copies], ignore_index=True)


def _near_gstins(slipped: pd.DataFrame, suppliers: pd.DataFrame,
                 settings: Settings) -> pd.DataFrame:
    """Typed GSTINs of 15 characters against every IMS supplier GSTIN: at most
    `gstin_slip_chars` positions differ (an adjacent swap changes two)."""
    typed = slipped[slipped["gstin"].str.len() == 15]
    theirs = suppliers["gstin"].tolist()
    if typed.empty or not theirs:
        return _no_fits()
    most = settings.gstin_slip_chars
    dist = cdist(typed["gstin"].tolist(), theirs, scorer=Hamming.distance, score_cutoff=most,
                 dtype=np.int32, workers=1)
    rows, cols = np.nonzero(dist <= most)
    return pd.DataFrame({"at": typed.index.to_numpy()[rows],
                         "gstin": np.array(theirs, dtype=object)[cols]})


def _same_names(slipped: pd.DataFrame, suppliers: pd.DataFrame,
                settings: Settings) -> pd.DataFrame:
    """Blank GSTINs: the supplier name against IMS trade names, legal words dropped."""
    blank = slipped[(slipped["gstin"] == "") & (slipped["name"].str.strip() != "")]
    named = suppliers[suppliers["name"].str.strip() != ""]
    if blank.empty or named.empty:
        return _no_fits()
    drop = settings.name_noise_words
    score = cdist([name_key(n, drop) for n in blank["name"]],
                  [name_key(n, drop) for n in named["name"]], scorer=fuzz.token_sort_ratio,
                  score_cutoff=settings.name_match_min, dtype=np.int32, workers=1)
    rows, cols = np.nonzero(score >= settings.name_match_min)
    return pd.DataFrame({"at": blank.index.to_numpy()[rows],
                         "gstin": named["gstin"].to_numpy()[cols]})


def name_key(name: str, noise: tuple) -> str:
    """`M/s. Mehta Components Pvt. Ltd.` -> `MEHTA COMPONENTS`."""
    words = _NOT_WORD.sub(" ", str(name or "").upper().replace("M/S", " ")).split()
    return " ".join(w for w in words if w not in noise)


def _no_fits() -> pd.DataFrame:
    return pd.DataFrame({"at": np.zeros(0, dtype=np.int64), "gstin": np.zeros(0, dtype=object)})
