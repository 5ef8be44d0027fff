"""Clubbed bills: one document on one side that equals the sum of several on the other.

Books often book a supplier's several invoices of a month as one entry (or split one invoice
into parts). After the one-to-one assignment, the leftovers of each supplier GSTIN, document
kind and calendar month are searched for a document whose every amount (taxable value, each
tax head, cess) equals the sum of 2 to `MAX_PARTS` documents on the other side. It pairs only
when exactly one such group exists: two groups that both add up are a coincidence, not
evidence. Never across suppliers, never with a record the user linked to `none`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd

from ..model.document import ImsRecord, RegisterEntry
from .result import PROBABLE, MatchResult
from .settings import Settings
from .columns import AMOUNTS

RULE = "clubbed"
MAX_PARTS = 4          # at most this many documents add up to one
MAX_LEFT = 20          # a document with more leftovers that could be its parts (same
                       # supplier, kind and month, each no larger) is not searched:
                       # C(20, 2..4) = 6,175 sums at most
_EPS = 1e-6


@dataclass
class Clubs:
    groups: list = field(default_factory=list)      # (IMS indexes, books indexes)

    @property
    def records(self) -> np.ndarray:
        return np.array([i for ims, _ in self.groups for i in ims], dtype=np.int64)

    @property
    def books(self) -> np.ndarray:
        return np.array([b for _, bs in self.groups for b in bs], dtype=np.int64)

    @property
    def owner(self) -> dict:
        """Books index -> the (first) IMS record it is paired with."""
        return {b: ims[0] for ims, bs in self.groups for b in bs}

    def results(self, records: list[ImsRecord], books: Sequence[RegisterEntry]) -> dict:
        """IMS index -> its result, before the suggested action is added."""
        out = {}
        for ims, bs in self.groups:
            rows = sorted(books[b].row for b in bs)
            if len(bs) == 1:
                for i in ims:
                    others = ", ".join(records[k].doc_number for k in ims if k != i)
                    out[i] = MatchResult(PROBABLE, rows, rule=RULE, reason=(
                        f"Probably booked as one bill with IMS {others}: books row {rows[0]} "
                        f"equals the sum of these {len(ims)} records (clubbed bill)."))
            else:
                listed = ", ".join(map(str, rows))
                out[ims[0]] = MatchResult(PROBABLE, rows, rule=RULE, reason=(
                    f"Probably booked in {len(rows)} parts: books rows {listed} together "
                    "equal this record (clubbed bill)."))
        return out


def clubbed(ims: pd.DataFrame, side: pd.DataFrame, unpaired: np.ndarray, free: np.ndarray,
            books: Sequence[RegisterEntry], settings: Settings) -> Clubs:
    """Groups among the leftovers: `unpaired` IMS and `free` books positions."""
    out = Clubs()
    free = np.array([b for b in free.tolist() if not books[b].reverse_charge], dtype=np.int64)
    if len(unpaired) < 1 or len(free) < 1:
        return out
    right = _first_rows(side, free, len(books))
    i_at, i_key, i_amt = _side(ims.iloc[unpaired], unpaired)
    b_at, b_key, b_amt = _side(right, free)
    if not i_key or not b_key:
        return out
    codes, _ = pd.factorize(pd.Series(i_key + b_key, dtype=object))
    ci, cb = codes[:len(i_key)], codes[len(i_key):]
    n_i = np.bincount(ci, minlength=codes.max() + 1)
    n_b = np.bincount(cb, minlength=codes.max() + 1)
    # A club needs one document on one side and two or more on the other: most
    # supplier-months (one leftover each, or none on one side) are skipped here.
    worth = (n_i >= 1) & (n_b >= 1) & ((n_i >= 2) | (n_b >= 2))
    by_i, by_b = _members(ci, worth), _members(cb, worth)
    for code in np.flatnonzero(worth).tolist():
        mine, theirs = by_i[code], by_b[code]
        _club_group(out, i_at[mine], i_amt[mine], b_at[theirs], b_amt[theirs], settings)
    return out


def _first_rows(side: pd.DataFrame, free: np.ndarray, n_books: int) -> pd.DataFrame:
    """The columns `_side` reads of each free document's first row in `side`."""
    first = np.full(n_books, -1, dtype=np.int64)
    b = pd.Series(side["b"].to_numpy()).drop_duplicates()
    first[b.to_numpy()] = b.index.to_numpy()
    if (first[free] < 0).any():         # not in the table: fails as a label lookup does
        return side.drop_duplicates("b").set_index("b", drop=False).loc[free]
    return side[["day", "gstin", "kind", *AMOUNTS]].iloc[first[free]]


def _members(codes: np.ndarray, worth: np.ndarray) -> dict:
    """Group code -> positions holding it, for the codes worth a search (one sort)."""
    at = np.flatnonzero(worth[codes])
    at = at[np.argsort(codes[at], kind="stable")]
    keys, starts = np.unique(codes[at], return_index=True)
    return dict(zip(keys.tolist(), np.split(at, starts[1:])))


def _side(frame: pd.DataFrame, at: np.ndarray) -> tuple[np.ndarray, list, np.ndarray]:
    """Positions, (GSTIN, kind, month) keys and amounts of the dated documents."""
    days = frame["day"].to_numpy()
    dated = ~np.isnan(days)
    months = {d: _month(d) for d in set(days[dated].tolist())}
    keys = list(zip(frame["gstin"].to_numpy()[dated].tolist(),
                    frame["kind"].to_numpy()[dated].tolist(),
                    [months[d] for d in days[dated].tolist()]))
    return at[dated], keys, frame[list(AMOUNTS)].to_numpy()[dated]


def _club_group(out: Clubs, i_at: np.ndarray, a_ims: np.ndarray, b_at: np.ndarray,
                a_books: np.ndarray, settings: Settings) -> None:
    """One supplier-month: several IMS = one books first, then one IMS = several books."""
    used_i, used_b = set(), set()
    for t, parts in _find(a_ims, a_books, settings):
        out.groups.append(([int(i_at[k]) for k in parts], [int(b_at[t])]))
        used_i.update(parts)
        used_b.add(t)
    keep = [k for k in range(len(i_at)) if k not in used_i]
    rest = [k for k in range(len(b_at)) if k not in used_b]
    for t, parts in _find(a_books[rest], a_ims[keep], settings):
        out.groups.append(([int(i_at[keep[t]])], [int(b_at[rest[k]]) for k in parts]))


def _month(day: float) -> int:
    d = date.fromordinal(int(day))
    return d.year * 12 + d.month


def _find(parts: np.ndarray, targets: np.ndarray, settings: Settings) -> list:
    """(target position, part positions) for each target equal to exactly one sum of parts
    not taken by an earlier target; targets in order."""
    if len(parts) < 2 or not len(targets):
        return []
    tol = np.maximum(np.abs(targets) * settings.tolerance_percent / 100,
                     settings.tolerance_rupees) + _EPS
    # Amounts are magnitudes: a part above the target in any head cannot be in its sum, and
    # a zero document would fit any group.
    fits = ((parts[None] <= (targets + tol)[:, None]).all(axis=2)
            & (np.abs(parts).sum(axis=1) >= 1.0)[None])
    worth = np.flatnonzero(fits.sum(axis=1) >= 2)
    pool = np.flatnonzero(fits[worth].any(axis=0))
    if len(pool) <= MAX_LEFT:          # one search for every target of the supplier-month
        hits = _hits(parts, pool, targets[worth], tol[worth])
    else:                              # else each target with its own parts, if few enough
        hits = [_hits(parts, np.flatnonzero(fits[t]), targets[t:t + 1], tol[t:t + 1])[0]
                if fits[t].sum() <= MAX_LEFT else [] for t in worth.tolist()]
    taken = np.zeros(len(parts), dtype=bool)
    out = []
    for t, found in zip(worth.tolist(), hits):
        live = [h for h in found if not taken[h].any()]
        if len(live) == 1:
            taken[live[0]] = True
            out.append((t, live[0].tolist()))
    return out


def _hits(parts: np.ndarray, pool: np.ndarray, targets: np.ndarray, tol: np.ndarray) -> list:
    """Per target, every group of 2 to MAX_PARTS parts from `pool` whose sum equals it."""
    out: list = [[] for _ in range(len(targets))]
    for size in range(2, min(MAX_PARTS, len(pool)) + 1):
        combos = pool[_combinations(len(pool), size)]
        sums = parts[combos].sum(axis=1)
        ok = (np.abs(sums[None] - targets[:, None]) <= tol[:, None]).all(axis=2)
        for t, c in zip(*np.nonzero(ok)):
            out[t].append(combos[c])
    return out


@lru_cache(maxsize=64)
def _combinations(n: int, size: int) -> np.ndarray:
    return np.array(list(combinations(range(n), size)), dtype=np.int64).reshape(-1, size)
