"""Manual links: the user's word on which books row an IMS record is, taken before any rule.

The IMS sheet's *Link Books Row* column holds the books row a record belongs to, as the
Purchase sheet's Source Row (and the IMS sheet's Books Row) shows it, or `none` to keep the
record unpaired. A linked pair is not scored: its status comes from the amounts and the date
only, as for any pair. A books row the rules gave to another record moves to the linking
one, and both rows say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..model.document import ImsRecord, RegisterEntry
from ..model.gstin import clean
from .assign import assign
from .candidates import _amount_checks, _date_checks
from .link import NONE, RULE, parse_link
from .number import exact_text
from .result import MATCHED, MISMATCH, MISSING, PROBABLE, MatchResult
from .settings import Settings
from .columns import AMOUNTS, day_number

@dataclass
class Links:
    """The links that hold for one run, by position in `records` and `books`."""

    pairs: dict = field(default_factory=dict)        # IMS index -> books index
    apart: set = field(default_factory=set)          # IMS indexes linked to `none`
    unused: dict = field(default_factory=dict)       # IMS index -> why its link was not used
    moved: dict = field(default_factory=dict)        # IMS index -> (books row, new holder)
    moved_from: dict = field(default_factory=dict)   # linking IMS index -> previous holder

    def __bool__(self) -> bool:
        return bool(self.pairs or self.apart or self.unused)

    @property
    def fixed(self) -> set:
        """IMS records the rules must leave alone."""
        return set(self.pairs) | self.apart


def plan(records: list[ImsRecord], books: Sequence[RegisterEntry], links: dict | None) -> Links:
    """`links` maps a record key to the cell as typed; the first record linking a books row
    gets it, a later one is told who holds it."""
    out = Links()
    if not links:
        return out
    at_row = {b.row: k for k, b in enumerate(books)}
    holder: dict = {}
    for i, rec in enumerate(records):
        text = links.get(rec.key)
        try:
            link = parse_link(text)
        except ValueError as e:
            out.unused[i] = str(e)
            continue
        if link is None:
            continue
        if link == NONE:
            out.apart.add(i)
        elif link not in at_row:
            out.unused[i] = f"there is no books row {link} on the Purchase sheet"
        elif at_row[link] in holder:
            out.unused[i] = (f"books row {link} is already linked to IMS "
                             f"{records[holder[at_row[link]]].doc_number}")
        else:
            holder[at_row[link]] = i
            out.pairs[i] = at_row[link]
    return out


def without_linked(cands: pd.DataFrame, links: Links, n_ims: int, n_books: int) -> pd.DataFrame:
    """Candidates the rules may still use; notes which rule-made pairs the links break."""
    if not links.fixed:
        return cands
    taken_b = set(links.pairs.values())
    fixed = links.fixed
    owner = {b: i for i, b in links.pairs.items()}
    before = assign(cands, n_ims, n_books)      # what the rules alone would have paired
    held = dict(zip(before["b"].tolist(), zip(before["i"].tolist(), before["row"].tolist())))
    for b, j in owner.items():
        i, row = held.get(b, (j, 0))
        if i != j and i not in fixed:
            links.moved[i] = (row, j)
            links.moved_from[j] = i
    keep = ~(cands["i"].isin(fixed) | cands["b"].isin(taken_b)).to_numpy()
    return cands[keep]


def linked_pairs(links: Links, records: list[ImsRecord], books: Sequence[RegisterEntry],
                 ims: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The linked pairs as chosen-candidate rows, so they are worded like any other pair."""
    i = np.array(sorted(links.pairs), dtype=np.int64)
    b = np.array([links.pairs[k] for k in i.tolist()], dtype=np.int64)
    mine = [records[k] for k in i.tolist()]
    theirs = [books[k] for k in b.tolist()]
    pairs = pd.DataFrame({
        "i": i, "b": b, "row": np.array([e.row for e in theirs], dtype=np.int64),
        "orig": False, "score": 100.0, "eligible": True,
        "day_i": ims["day"].to_numpy()[i],
        "day_b": np.array([day_number(e.doc_date) for e in theirs], dtype=float),
        "gstin_i": ims["gstin"].to_numpy()[i],
        "gstin_b": np.array([clean(e.supplier_gstin) for e in theirs], dtype=object),
        "number_i": [r.doc_number for r in mine], "number_b": [e.doc_number for e in theirs],
        "text_i": [exact_text(r.doc_number) for r in mine],
        "text_b": [exact_text(e.doc_number) for e in theirs],
        **{h: np.array([abs(float(getattr(e, h) or 0)) for e in theirs], dtype=float)
           for h in AMOUNTS},
    })
    # The columns explain.py reads of any pair: the books GSTIN and type as read, whether the
    # type differs from the IMS kind (a linked pair may cross types), no GSTIN slip.
    pairs["books_gstin"] = pairs["gstin_b"]
    pairs["kind_i"] = ims["kind"].to_numpy()[i]
    pairs["book_kind"] = [str(e.kind or "invoice").strip().lower() for e in theirs]
    pairs["cross"] = [bk not in settings.kind_pairs.get(k, (k,))
                      for k, bk in zip(pairs["kind_i"], pairs["book_kind"])]
    pairs["slip"] = False
    # Worded as a same-number pair when the numbers agree; `annotate` sets the rule.
    pairs["rule"] = np.where(pairs["text_i"] == pairs["text_b"], "number-exact", RULE)
    _amount_checks(pairs, ims, settings)
    _date_checks(pairs, settings)
    pairs["same_gstin"] = (pairs["gstin_i"] == pairs["gstin_b"]).to_numpy()
    # as for any pair (matching.md): amounts or the tax head differ -> mismatch
    heads_ok = pairs["heads_ok"].to_numpy()
    plain = (heads_ok & (pairs["days"].to_numpy() == 0) & pairs["same_gstin"].to_numpy()
             & ~pairs["cross"].to_numpy(dtype=bool))
    pairs["status"] = np.where(~heads_ok, MISMATCH, np.where(plain, MATCHED, PROBABLE))
    return pairs


def worded(links: Links, unpaired: np.ndarray, records: list[ImsRecord]) -> dict:
    """Results of records the links left unpaired: linked to `none`, or their row moved."""
    out = {i: MatchResult(MISSING, rule=RULE,
                          reason="Kept unpaired: your Link Books Row says none.")
           for i in links.apart}
    for i in set(unpaired.tolist()) & set(links.moved):
        row, holder = links.moved.pop(i)
        out[i] = MatchResult(MISSING, reason=(
            f"Books row {row}, which the rules paired with this record, is linked by hand to "
            f"IMS {records[holder].doc_number}, so it was moved there."))
    return out


def annotate(links: Links, results: Sequence, records: list[ImsRecord]) -> None:
    """Say on each row what the links did: manual match, moved away, link not used."""
    for i, j in links.pairs.items():
        m = results[i][1]
        m.rule = RULE
        row = m.books_rows[0]
        note = f"Manual match: you linked books row {row}."
        if i in links.moved_from:
            other = records[links.moved_from[i]].doc_number
            note += f" The rules had paired that row with IMS {other}; it was moved here."
        m.reason = f"{note} {m.reason}"
    for i, (row, holder) in links.moved.items():     # paired again, with another row
        m = results[i][1]
        m.reason = (f"Books row {row} is linked by hand to IMS {records[holder].doc_number}, "
                    f"so it was moved there. {m.reason}")
    for i, why in links.unused.items():
        m = results[i][1]
        m.reason = f"{m.reason} Your Link Books Row was not used: {why}."
