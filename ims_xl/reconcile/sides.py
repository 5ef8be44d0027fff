"""Both sides of a reconciliation as column tables (pandas), ready to join.

One row per IMS record and per books document, plus one "number" row per spelling an IMS
record can be found under: its own number and, for amendments, its original number.
Amounts are floats in rupees; dates are day numbers (`date.toordinal()`), NaN when unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..model.document import ImsRecord, RegisterEntry, column_of
from ..model.section import SECTIONS
from .columns import amount_columns, day_number, ims_side, is_missing, per_distinct, suppliers
from .number import join_texts
from .settings import Settings

NO_CODE = 0         # the code of an empty join text (`Spellings`): it joins nothing


def ims_table(records: list[ImsRecord], side: dict | None = None) -> pd.DataFrame:
    """One row per record, in input order (index = position in `records`). `side`: its
    columns (`ims_side`), worked out ahead."""
    return pd.DataFrame(ims_side(records) if side is None else side)


def ims_numbers(records: list[ImsRecord], ims: pd.DataFrame, settings: Settings,
                spellings: Spellings | None = None) -> dict[str, np.ndarray]:
    """Every number an IMS record may be booked under: its own, and an amendment's original
    (in the row right after its own). Columns as arrays: only the joins read them.

    The original number is compared with the original date: that is what the books hold.
    """
    own = column_of(records, "doc_number")
    amended = per_distinct(column_of(records, "section"), lambda s: SECTIONS[s].is_amendment,
                           bool)
    via = [i for i in np.flatnonzero(amended).tolist() if records[i].orig_doc_number.strip()]
    n, extra = len(records), len(via)
    at = np.arange(n, dtype=np.int64) + np.searchsorted(np.array(via, dtype=np.int64),
                                                        np.arange(n), side="left")
    orig_at = at[via] + 1                      # each original right after its own number
    i = np.empty(n + extra, dtype=np.int64)
    i[at], i[orig_at] = np.arange(n), via
    orig = np.zeros(n + extra, dtype=bool)
    orig[orig_at] = True
    texts = np.empty(n + extra, dtype=object)
    texts[at] = own
    texts[orig_at] = [records[k].orig_doc_number for k in via]
    days = np.empty(n + extra, dtype=float)
    days[at] = ims["day"].to_numpy()
    days[orig_at] = [day_number(records[k].orig_doc_date) for k in via]
    spellings = spellings or Spellings(settings)
    return {"i": i, "orig": orig, "day": days, "number": texts,
            **spellings.columns(texts.tolist()),
            **{c: ims[c].to_numpy()[i] for c in ("gstin", "pan", "pan_h", "kind")}}


def books_table(books: Sequence[RegisterEntry], settings: Settings,
                spellings: Spellings | None = None) -> pd.DataFrame:
    """One row per books document (index = position in `books`), kind as the IMS kind.

    `valid` is False for a GSTIN that fails its check character or is blank (see slips.py).
    """
    texts = column_of(books, "doc_number")
    who = suppliers(column_of(books, "supplier_gstin"), valid=True)
    spellings = spellings or Spellings(settings)
    columns = {
        "b": np.arange(len(books), dtype=np.int64),
        "row": np.array(column_of(books, "row"), dtype=np.int64),
        **who,
        "books_gstin": who["gstin"],
        "slip": np.zeros(len(books), dtype=bool),
        "name": column_of(books, "supplier_name"),
        "book_kind": per_distinct(column_of(books, "kind"),
                                  lambda k: str(k or "invoice").strip().lower()),
        "number": texts,
        "day": per_distinct(column_of(books, "doc_date"), day_number, float),
        **amount_columns(books, absolute=True),
        **spellings.columns(texts),
    }
    return _as_ims_kind(columns, settings)


def _as_ims_kind(columns: dict, settings: Settings) -> pd.DataFrame:
    """The books table, each document labelled with the IMS kind it pairs with
    (settings.kind_pairs): a document whose kind pairs with none is left out, one that
    pairs with two kinds is there twice.

    Rows and index are those of merging the whole table with the pairs and sorting by `b`;
    only the two key columns go through the merge (the order depends on them alone).
    """
    pairs = pd.DataFrame([(bk, ik) for ik, bks in settings.kind_pairs.items() for bk in bks],
                         columns=["book_kind", "kind"])
    codes, book_kinds = pd.factorize(columns["book_kind"])
    ims_kind = pairs.groupby("book_kind")["kind"].agg(list).to_dict()
    if all(len(ims_kind.get(k, ())) == 1 for k in book_kinds):
        # each document pairs with one kind (the usual case): no merge, rows as they are
        kinds = np.array([ims_kind[k][0] for k in book_kinds], dtype=object)[codes]
        return pd.DataFrame({**columns, "kind": kinds})
    keys = pd.DataFrame({"b": columns["b"], "book_kind": columns["book_kind"]})
    keys = keys.merge(pairs, on="book_kind", how="inner").sort_values("b", kind="stable")
    take = keys["b"].to_numpy()
    if len(take) != len(columns["b"]) or not (take == columns["b"]).all():
        columns = {c: (v if isinstance(v, np.ndarray) else np.array(v, dtype=object))[take]
                   for c, v in columns.items()}
    return pd.DataFrame({**columns, "kind": keys["kind"].to_numpy()}, index=keys.index)


class Spellings:
    """The join keys of each distinct number spelling, worked out once per run: the IMS and
    the books sides share most spellings, and registers repeat numbers across suppliers.

    `worked`: spellings whose join texts (`number.spelling_texts`) were worked out already,
    on the other core say: only their codes are given here, in the order the spellings are
    met, as when all is worked out here.
    """

    # the spelling as compared for number-exact, the years, and the codes of the join texts:
    # the normalised key, the numeric core, the plain spelling, the key with a glued year
    COLUMNS = ("text", "fy", "glued_fy", "key_h", "core_h", "plain_h", "glued_h")
    _INTS = COLUMNS[1:]

    def __init__(self, settings: Settings, worked: dict | None = None) -> None:
        self.years = tuple(settings.fy_years)
        self.worked = worked or {}
        self.ids: dict = {}            # spelling -> its place in the columns of `values`
        self.values: tuple[list, ...] = tuple([] for _ in self.COLUMNS)
        self.codes: dict = {"": NO_CODE}     # join text -> its code (the `_h` columns)
        self.prefixes: dict = {}             # normalised()'s cache of number prefixes

    def columns(self, texts: list) -> dict[str, np.ndarray]:
        """COLUMNS for `texts`, one row per text."""
        known, add = self.ids.get, self._add
        at = np.fromiter([add(t) if (k := known(t)) is None else k for t in texts],
                         dtype=np.int64, count=len(texts))
        return {c: np.array(v, dtype=np.int64 if c in self._INTS else object)[at]
                for c, v in zip(self.COLUMNS, self.values)}

    def _add(self, t: Any) -> int:
        """Works out a new spelling; a missing one (None, NaN) reads as "". Its values go
        straight onto the columns: a row per spelling, turned into columns at each call,
        cost more (the objects are touched again, out of the cache by then)."""
        folded = t if t.__class__ is str else "" if is_missing(t) else t
        at = self.ids.get(folded)
        if at is None:
            at = self.ids[folded] = len(self.values[0])
            exact, fy, g_fy, key, core, flat, g_key = \
                self.worked.get(folded) or join_texts(folded, self.years, self.prefixes)
            # The joins merge on integers: one code per distinct join text in this run, so
            # equal codes are equal texts (one table for all four: key and glued are joined
            # together).
            codes = self.codes
            text_, fy_, g_fy_, key_h, core_h, plain_h, glued_h = self.values
            text_.append(exact)
            fy_.append(fy)
            g_fy_.append(g_fy)
            key_h.append(codes.setdefault(key, len(codes)))
            core_h.append(codes.setdefault(core, len(codes)))
            plain_h.append(codes.setdefault(flat, len(codes)))
            glued_h.append(codes.setdefault(g_key, len(codes)))
        self.ids[t] = at
        return at
