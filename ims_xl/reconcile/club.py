"""Clubbed bills: one document on one side that equals the sum of several on the other.

Books often book a supplier's several invoices of a month as one entry (or split one invoice
into parts). After the one-to-one assignment, the leftovers of each supplier GSTIN, document
kind and calendar month are searched for a document whose every amount (taxable value, each
tax head, cess) equals the sum of 2 to `MAX_PARTS` documents on the other side. It pairs only
when exactly one such group exists: two groups that both add up are a coincidence, not
evidence. Never across suppliers, never with a record the user linked to `none`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd

from ..document import BookEntry, ImsRecord
from .result import PROBABLE, MatchResult
from .settings import Settings
from .sides import AMOUNTS

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

    def results(self, records: list[ImsRecord], books: list[BookEntry]) -> dict:
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
            books: list[BookEntry], settings: Settings) -> Clubs:
    """Groups among the leftovers: `unpaired` IMS and `free` books positions."""
    out = Clubs()
    if len(unpaired) < 1 or len(free) < 1:
        return out
    free = [b for b in free.tolist() if not books[b].reverse_charge]
    left = _with_month(ims.iloc[unpaired].assign(at=unpaired))
    right = _with_month(side.drop_duplicates("b").set_index("b", drop=False).loc[free]
                        .assign(at=free) if free else side.iloc[:0].assign(at=0))
    keys = ["gstin", "kind", "month"]
    both = left.merge(right[keys].drop_duplicates(), on=keys)
    if both.empty:
        return out
    right = right.merge(both[keys].drop_duplicates(), on=keys)
    parts_of = dict(tuple(right.groupby(keys, sort=True)))
    for key, mine in both.groupby(keys, sort=True):
        theirs = parts_of[key]
        i_at, b_at = mine["at"].tolist(), theirs["at"].tolist()
        a_ims, a_books = mine[list(AMOUNTS)].to_numpy(), theirs[list(AMOUNTS)].to_numpy()
        used_i: set = set()
        for t, parts in _find(a_ims, a_books, settings):        # several IMS = one books
            out.groups.append(([i_at[k] for k in parts], [b_at[t]]))
            used_i.update(parts)
        keep = [k for k in range(len(i_at)) if k not in used_i]
        used_b = {b for _, bs in out.groups for b in bs}
        rest = [k for k in range(len(b_at)) if b_at[k] not in used_b]
        for t, parts in _find(a_books[rest], a_ims[keep], settings):   # one IMS = several
            out.groups.append(([i_at[keep[t]]], [b_at[rest[k]] for k in parts]))
    return out


def _with_month(frame: pd.DataFrame) -> pd.DataFrame:
    """Calendar month (year * 12 + month) of each document; undated ones are dropped."""
    frame = frame[frame["day"].notna()]
    months = {d: _month(d) for d in set(frame["day"].tolist())}
    return frame.assign(month=frame["day"].map(months).astype(np.int64))


def _month(day: float) -> int:
    d = date.fromordinal(int(day))
    return d.year * 12 + d.month


def _find(parts: np.ndarray, targets: np.ndarray, settings: Settings) -> list:
    """(target position, part positions) for each target equal to exactly one sum of parts;
    each part is used once, targets in order."""
    if len(parts) < 2 or not len(targets):
        return []
    taken = np.abs(parts).sum(axis=1) < 1.0       # a zero document would fit any group
    out = []
    for t, target in enumerate(targets):
        tol = np.maximum(np.abs(target) * settings.tolerance_percent / 100,
                         settings.tolerance_rupees) + _EPS
        # Amounts are magnitudes: a part above the target in any head cannot be in its sum.
        avail = np.flatnonzero(~taken & (parts <= target + tol).all(axis=1))
        if len(avail) > MAX_LEFT:
            continue
        hits: list = []
        for size in range(2, min(MAX_PARTS, len(avail)) + 1):
            combos = avail[_combinations(len(avail), size)]
            ok = (np.abs(parts[combos].sum(axis=1) - target) <= tol).all(axis=1)
            hits.extend(combos[ok].tolist())
            if len(hits) > 1:
                break
        if len(hits) == 1:
            taken[hits[0]] = True
            out.append((t, hits[0]))
    return out


@lru_cache(maxsize=64)
def _combinations(n: int, size: int) -> np.ndarray:
    return np.array(list(combinations(range(n), size)), dtype=np.int64).reshape(-1, size)
