"""The closest other books document for a record that found no number match.

Never used to pair: a same-amount document with another number is a coincidence until a
person says otherwise (india-compliance #4433 cross-paired `QKI/055190` with `QKI/053612`
this way). It is shown so the user can link it by hand if it really is the same document.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .settings import Settings
from .columns import AMOUNTS

_EPS = 1e-6


def closest_books(ims: pd.DataFrame, books: pd.DataFrame, unpaired: np.ndarray,
                  free: np.ndarray, settings: Settings) -> pd.DataFrame:
    """For each unpaired IMS record, the free books document of the same supplier GSTIN and
    kind nearest in document total, indexed by IMS position.

    `merge_asof` finds the nearest total per block in O(n log n): no per-block cross
    product, so a register with no usable numbers cannot blow up memory.
    """
    left = ims.iloc[unpaired][["gstin", "kind", "day", *AMOUNTS]].copy()
    left["i"] = unpaired
    right = books[books["b"].isin(free)][["b", "row", "gstin", "kind", "day", "number",
                                          *AMOUNTS]]
    if left.empty or right.empty:
        return pd.DataFrame(columns=["b", "row", "number", "day_b", "same", "total_gap"])
    left["total"] = left[list(AMOUNTS)].sum(axis=1)
    right = right.assign(total=right[list(AMOUNTS)].sum(axis=1))
    near = _nearest(left.sort_values("total", kind="stable"), right)
    days = np.abs(near["day_i"].to_numpy() - near["day_b"].to_numpy())
    near = near[~(days > settings.closest_max_days)]      # months apart: not worth showing
    mine = near[[f"{h}_i" for h in AMOUNTS]].to_numpy()
    theirs = near[[f"{h}_b" for h in AMOUNTS]].to_numpy()
    tol = np.maximum(np.abs(mine) * settings.tolerance_percent / 100, settings.tolerance_rupees)
    near["same"] = (np.abs(mine - theirs) <= tol + _EPS).all(axis=1)
    near["total_gap"] = np.abs(mine.sum(axis=1) - theirs.sum(axis=1))
    near["b"] = near["b"].astype(np.int64)
    near["row"] = near["row"].astype(np.int64)
    return near.set_index("i")[["b", "row", "number", "day_b", "same", "total_gap"]]


def _nearest(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """Nearest total below and above, then the closer one; equal totals go to the lower
    source row, so the books' order never matters."""
    keys: dict[str, Any] = dict(on="total", by=["gstin", "kind"], suffixes=("_i", "_b"))
    # backward takes the last of equal totals, forward the first: sort rows to suit each
    below = pd.merge_asof(left, right.sort_values(["total", "row"], ascending=[True, False]),
                          direction="backward", **keys)
    above = pd.merge_asof(left, right.sort_values(["total", "row"]), direction="forward",
                          **keys)
    both = pd.concat([below, above], ignore_index=True).dropna(subset=["b"])
    mine = both[[f"{h}_i" for h in AMOUNTS]].sum(axis=1).to_numpy()
    theirs = both[[f"{h}_b" for h in AMOUNTS]].sum(axis=1).to_numpy()
    both["_gap"] = np.abs(mine - theirs)
    both = both.sort_values(["i", "_gap", "row"], kind="stable")
    return both.drop_duplicates("i")
