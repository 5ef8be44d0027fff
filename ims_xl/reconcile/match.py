"""`reconcile()`: IMS records against books documents, every record explained.

Steps (docs/reference/matching.md#our-matcher): build the two tables (sides.py), form candidate
pairs by number within (PAN, kind) blocks and score them (candidates.py), assign one-to-one best
first (assign.py), then word the result and suggest an action per record (explain.py, policy.py).
Books documents left over are `books_only`.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Sequence
from contextlib import contextmanager
from functools import lru_cache
from operator import attrgetter
from string import Formatter
from typing import Any, Iterator

import numpy as np
import pandas as pd

from ..model.document import ImsRecord, RegisterEntry
from . import club, manual
from .assign import assign, runners_up
from .candidates import candidates
from .explain import (amount_gaps, differences, heads_text, lookalike_text, missing_reason,
                      pair_reason, runner_up_text)
from .lookalike import closest_books
from .policy import Plan, plan, remark, situation_key
from .result import MATCHED, MISSING, MatchResult, Pairs, Reconciliation, Results
from .settings import Settings
from .columns import AMOUNTS
from .sides import Spellings, books_table, ims_numbers, ims_table
from .slips import slip_copies

_PAIR_COLS = ["i", "b", "row", "rule", "score", "status", "orig", "same_gstin", "swap",
              "heads_ok", "eligible", "days", "day_i", "day_b", "gstin_i", "gstin_b",
              "number_i", "number_b", "cross", "slip", "ambiguous", "books_gstin", "kind_i",
              "book_kind", *AMOUNTS, *(f"ims_{h}" for h in AMOUNTS)]
_PAISE = 0.005


def reconcile(records: list[ImsRecord], books: Sequence[RegisterEntry],
              settings: Settings | None = None, *, links: dict | None = None,
              spelled: dict | None = None, ims_side: dict | None = None) -> Reconciliation:
    """Pair each IMS record with at most one books document and say what to do with it.

    `Reconciliation.ims` keeps the order of `records`; `books_match` maps a books source
    row (`RegisterEntry.row`) to the index of its record in `ims`. `links` (record key -> the
    Link Books Row cell) are the user's own pairs, honoured before any rule (manual.py).
    `spelled`: number spellings worked out ahead (`number.spelling_texts`, same years);
    `ims_side`: the records' columns worked out ahead (`columns.ims_side`).
    """
    settings = settings or Settings()
    with _collector_paused():
        return _reconcile(records, books, settings, links, spelled, ims_side)


def _reconcile(records: list[ImsRecord], books: Sequence[RegisterEntry],
               settings: Settings, links: dict | None = None,
               spelled: dict | None = None, ims_side: dict | None = None
               ) -> Reconciliation:
    ims = ims_table(records, ims_side)
    spellings = Spellings(settings, spelled)
    side = books_table(books, settings, spellings)
    linked = manual.plan(records, books, links)
    if records and books:
        numbers = ims_numbers(records, ims, settings, spellings)
        copies = slip_copies(side, ims, numbers, settings)
        cands = candidates(numbers, side, ims, settings, extra=copies)
        cands = manual.without_linked(cands, linked, len(records), len(books))
        chosen = assign(cands, len(records), len(books))
        others = runners_up(cands, chosen)
    else:                                  # nothing to pair: every record is unpaired
        chosen = others = _no_pairs()
    if linked.pairs:
        chosen = pd.concat([chosen, manual.linked_pairs(linked, records, books, ims, settings)],
                           ignore_index=True)
    free = _others(np.arange(len(books)), chosen["b"].to_numpy())
    unpaired = _others(np.arange(len(records)), chosen["i"].to_numpy())
    clubs = club.clubbed(ims, side, _others(unpaired, list(linked.apart)), free, books,
                         settings)
    free, unpaired = _others(free, clubs.books), _others(unpaired, clubs.records)
    near = closest_books(ims, side, unpaired, free, settings).to_dict("index")
    owner = {**dict(zip(chosen["b"].tolist(), chosen["i"].tolist())), **clubs.owner}
    fixed = {**clubs.results(records, books), **manual.worded(linked, unpaired, records)}
    words = _Words(records, chosen, others, near, owner, settings, fixed)
    out = Reconciliation()
    out.ims = Pairs(records, words.results())
    manual.annotate(linked, out.ims, records)
    out.books_match = dict(zip(_source_rows(list(owner), side, books), owner.values()))
    left = [books[b] for b in free.tolist()]
    out.books_only = [e for e in left if not e.reverse_charge]
    out.not_in_ims = [e for e in left if e.reverse_charge]
    return out


def _others(at: np.ndarray, drop: Any) -> np.ndarray:
    """np.setdiff1d for positions: `at` (ascending, distinct) without `drop`, by a mask
    (numpy's sorts both sides)."""
    keep = np.zeros(int(at.max(initial=-1)) + 1, dtype=bool)
    keep[at] = True
    drop = np.asarray(drop, dtype=np.int64)
    keep[drop[drop < len(keep)]] = False
    return np.flatnonzero(keep)


def _source_rows(at: list, side: pd.DataFrame, books: Sequence[RegisterEntry]) -> list:
    """`books[b].row` for each b in `at`, from the table's columns (a linked document of a
    kind the table leaves out from the entry itself)."""
    row_of = np.zeros(len(books), dtype=np.int64)
    known = np.zeros(len(books), dtype=bool)
    row_of[side["b"].to_numpy()], known[side["b"].to_numpy()] = side["row"].to_numpy(), True
    return [r if ok else books[b].row
            for b, r, ok in zip(at, row_of[at].tolist(), known[at].tolist())]


def _no_pairs() -> pd.DataFrame:
    frame = pd.DataFrame(columns=[*_PAIR_COLS, "text_i", "text_b"])
    return frame.astype({"i": np.int64, "b": np.int64, "row": np.int64, "score": float})


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while 100k results are built.

    The run makes no reference cycles, but every allocation counts towards a collection
    that walks all live objects (the caller's records included): measured at about a third
    of the run time on 100k records. Reference counting still frees everything.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class _Rows:
    """Rows of a frame by IMS index, as dicts made only when asked for (most never are)."""

    def __init__(self, frame: pd.DataFrame, n: int, keep: np.ndarray | None = None) -> None:
        def column(c: str) -> np.ndarray:       # `i` may be the index (runners_up)
            return frame.index.to_numpy() if c == frame.index.name else frame[c].to_numpy()
        i = column("i")
        keep = np.ones(len(i), dtype=bool) if keep is None else keep
        self.names = [c for c in _PAIR_COLS if c in frame.columns or c == frame.index.name]
        self.rows = list(zip(*(column(c)[keep].tolist() for c in self.names)))
        at = np.full(n, -1, dtype=np.int64)
        at[i[keep]] = np.arange(int(keep.sum()))
        self.at = at.tolist()          # list indexing: much cheaper than numpy scalars here

    def get(self, i: int) -> dict | None:
        k = self.at[i]
        return None if k < 0 else dict(zip(self.names, self.rows[k]))


class _Words:
    """Turns the chosen pairs into `MatchResult`s; plain cases take a short path."""

    def __init__(self, records: list[ImsRecord], chosen: pd.DataFrame, others: Any,
                 near: dict, owner: dict, settings: Settings, fixed: dict) -> None:
        n = len(records)
        self.records, self.near, self.owner, self.settings = records, near, owner, settings
        self.fixed = fixed             # IMS index -> result worded elsewhere (club, manual)
        # same number, date and amounts: nothing to explain
        plain = (chosen["status"] == MATCHED).to_numpy() & ~_any_difference(chosen)
        self.plain = [chosen[c].to_numpy()[plain].tolist() for c in ("i", "row", "rule", "score")]
        self.pairs, self.others = _Rows(chosen, n, ~plain), _Rows(others, n)
        self.plans: dict = {}

    def results(self) -> Results:
        """One result per record, in order: the plain pairs' as columns, in one sweep; the
        rest made one by one."""
        n, records = len(self.records), self.records
        at, plain = self._plain_columns()
        worded = np.ones(n, dtype=bool)
        worded[at] = False
        worded[list(self.fixed)] = True
        made: list[MatchResult | None] = [None] * n
        for i in np.flatnonzero(worded).tolist():        # a sixth of a month, say
            made[i] = self.result(i, records[i])
        return Results({f: _spread(n, at, plain[f]) for f in Results.PLAIN}, made)

    def _plain_columns(self) -> tuple[list[int], dict[str, list]]:
        """Matched with nothing to explain: one plan per situation (section and portal
        flags). The results' fields (`Results.PLAIN`), one value per plain pair."""
        at, rows, rules, scores = self.plain
        situation = attrgetter("section", "supplier_filed", "pending_blocked",
                               "remarks_blocked", "itc_blocked")
        records, settings = self.records, self.settings
        recs = [records[i] for i in at]
        flags = list(map(situation, recs))
        plans: dict = {}
        for f, rec in zip(flags, recs):
            if f not in plans:
                plans[f] = self._plan(rec, MATCHED, "")
        ps = list(map(plans.__getitem__, flags))
        has_other = self.others.at          # a plain pair with a runner-up is rare
        return at, {
            "status": [MATCHED] * len(at), "books_row": rows,
            "suggested_action": [p.action for p in ps],
            "reason": [f"Same document as books row {row}. {p.reason}"
                       for row, p in zip(rows, ps)],
            "rule": rules, "score": scores,
            "runner_up": [self._runner_up(i) if has_other[i] >= 0 else "" for i in at],
            "suggested_remarks": [remark(p, _facts(rec, {}, p.template), settings)
                                  if p.template else "" for rec, p in zip(recs, ps)],
            "suggested_itc_red_req": [p.itc_red_req for p in ps]}

    def _plan(self, rec: ImsRecord, status: str, detail: str) -> Plan:
        key = situation_key(rec, status, detail)
        p = self.plans.get(key)
        if p is None:
            p = self.plans[key] = plan(key, self.settings)
        return p

    def result(self, i: int, rec: ImsRecord) -> MatchResult:
        diff: dict[str, Any]
        if i in self.fixed:
            result, diff, detail = self.fixed[i], {}, ""
        else:
            result, diff, detail = self._explained(i, rec)
        result.runner_up = self._runner_up(i)
        p = self._plan(rec, result.status, detail)
        result.suggested_action = p.action
        result.suggested_itc_red_req = p.itc_red_req
        if p.template:
            result.suggested_remarks = remark(p, _facts(rec, diff, p.template), self.settings)
        result.reason = f"{result.reason} {p.reason}"
        return result

    def _explained(self, i: int, rec: ImsRecord) -> tuple[MatchResult, dict, str]:
        """The result, its differences, and the situation for the remark (`tax_head` when
        only the tax heads differ)."""
        pair = self.pairs.get(i)
        if pair is None:
            return MatchResult(MISSING, reason=missing_reason(self.near.get(i))), {}, ""
        date = rec.orig_doc_date if pair["orig"] else rec.doc_date
        diff = differences(pair, rec.doc_number, date, self.settings)
        return MatchResult(pair["status"], [int(pair["row"])],
                           reason=pair_reason(pair, diff, self.settings), differences=diff,
                           rule=pair["rule"], score=float(pair["score"])), diff, \
            "tax_head" if pair["swap"] else ""

    def _runner_up(self, i: int) -> str:
        other = self.others.get(i)
        if other is not None:
            holder = self.owner.get(other["b"])
            taken_by = self.records[holder].doc_number if holder is not None else ""
            return runner_up_text(other, taken_by, self.settings)
        near = self.near.get(i)
        return lookalike_text(near) if near is not None else ""


def _spread(n: int, at: list[int], values: list) -> list:
    """`values` at positions `at` of a list of `n` (None elsewhere), placed in one step."""
    out = np.empty(n, dtype=object)
    out[at] = np.fromiter(values, dtype=object, count=len(at))    # never read as rows
    return out.tolist()


def _any_difference(chosen: pd.DataFrame) -> np.ndarray:
    """Vectorised: does the pair differ in spelling, date, GSTIN or any amount at all?"""
    mine = chosen[[f"ims_{h}" for h in AMOUNTS]].to_numpy()
    theirs = chosen[list(AMOUNTS)].to_numpy()
    return ((chosen["text_i"] != chosen["text_b"]).to_numpy()
            | (chosen["day_i"] != chosen["day_b"]).to_numpy()
            | (chosen["gstin_i"] != chosen["gstin_b"]).to_numpy()
            | (np.abs(mine - theirs) > _PAISE).any(axis=1))


def _facts(rec: ImsRecord, diff: dict, template: str) -> dict:
    """The values `template` names (most name only the number and date): the amounts that
    differ are spelled out only for a template that shows them."""
    wants = _fields(template)
    facts = {"number": rec.doc_number, "date": rec.doc_date}
    if "differences" in wants:
        facts["differences"] = amount_gaps(diff) or ", ".join(diff)
    if "ims_heads" in wants or "books_heads" in wants:
        facts["ims_heads"], facts["books_heads"] = heads_text(diff)
    return facts


@lru_cache(maxsize=64)
def _fields(template: str) -> frozenset:
    """Names of the fields in a remark template; every name when it cannot be read (then
    formatting it raises, as it always did)."""
    try:
        fields = [(name, spec) for _, name, spec, _ in Formatter().parse(template) if name]
    except ValueError:
        return frozenset(_ALL_FACTS)
    if any("{" in (spec or "") for _, spec in fields):      # a field inside a format spec
        return frozenset(_ALL_FACTS)
    return frozenset(re.split(r"[.\[]", name, maxsplit=1)[0] for name, _ in fields)


_ALL_FACTS = ("number", "date", "differences", "ims_heads", "books_heads")
