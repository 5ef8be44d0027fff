"""Global one-to-one assignment: best pairs first, whatever order the files came in.

Replaces india-compliance's first-fit per books row (docs/reference/matching.md#peer-rule-order),
where a weaker pair found earlier blocks a better one and results change when the register is sorted
differently. Candidates are taken in descending score; ties go to the earlier IMS record, then to
the lower books *source row number* (an attribute of the document, not its position in the list), so
shuffling the register never changes the result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def assign(cands: pd.DataFrame, n_ims: int, n_books: int) -> pd.DataFrame:
    """The chosen pairs: at most one books document per IMS record and the reverse.

    `cands` must be sorted best first (see `candidates.candidates`); only `eligible` rows
    are taken. Returns those rows of `cands`, indexed by their position in `cands`.
    """
    pool = cands["eligible"].to_numpy()
    ims_taken = np.zeros(n_ims, dtype=bool)
    books_taken = np.zeros(n_books, dtype=bool)
    keep = []
    # A loop over the few surviving candidates (about one per record), not over pairs.
    for pos, i, b in zip(cands.index.to_numpy()[pool].tolist(),
                         cands["i"].to_numpy()[pool].tolist(),
                         cands["b"].to_numpy()[pool].tolist()):
        if ims_taken[i] or books_taken[b]:
            continue
        ims_taken[i] = books_taken[b] = True
        keep.append(pos)
    return cands.loc[keep]


def runners_up(cands: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    """Per IMS record, the best candidate it did not get (first row per `i`)."""
    others = cands.drop(index=chosen.index)
    return others.drop_duplicates("i").set_index("i")
