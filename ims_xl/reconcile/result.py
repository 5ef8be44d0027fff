"""What reconciliation says about each IMS record and each books document."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from itertools import compress
from typing import Any, overload

from ..model.document import (ComparedAsList, ImsRecord, MadeWhenAsked, RegisterEntry,
                              column_of)
from .settings import STATUS_LABELS

MATCHED, PROBABLE, MISMATCH, MISSING = "matched", "probable", "mismatch", "missing_in_books"
BOOKS_ONLY = "books_only"
# Books documents that never reach IMS (docs/reference/ims-format.md#not-in-ims).
NOT_IN_IMS = "not_in_ims"
STATUSES = (MATCHED, PROBABLE, MISMATCH, MISSING)
# Labels shown in the workbook live in settings.py (one table of tunables); the machine
# codes above are fixed.
STATUS_BY_LABEL = {v: k for k, v in STATUS_LABELS.items()}


@dataclass(slots=True)
class MatchResult:
    status: str                                  # one of STATUSES
    books_rows: list[int] = field(default_factory=list)
    suggested_action: str = "N"                  # A R P N
    reason: str = ""                             # short plain reason for status and action
    differences: dict = field(default_factory=dict)   # field -> (ims value, books value)
    rule: str = ""                               # which rule paired them, e.g. "number-exact"
    score: float = 0.0
    runner_up: str = ""                          # best other candidate and why it lost
    suggested_remarks: str = ""                  # remark to go with a suggested R / P
    suggested_itc_red_req: str = ""              # Y when a suggested Accept needs the
                                                 # ITC-reduction declaration
                                                 # (docs/reference/ims-format.md#itc-reduction)


class Results(MadeWhenAsked[MatchResult]):
    """The records' results, in order. Those of plain pairs (matched, same number, date and
    amounts: most of a month) are kept as columns (`plain`: one list per field, one value
    per record, None where the record's result is in `made`), and a `MatchResult` is made
    only when one is asked for (then the same object every time); the others are made as
    they are worked out (`made`, None at a plain pair's place).

    `column(name)` reads a field of every result without making any: the IMS sheet's result
    cells, RESULT.json and the counts read columns. A result made and then changed (a manual
    link annotates it) is what the column gives at its place.
    """

    FIELDS = tuple(f.name for f in fields(MatchResult))
    # kept per record: the books row (a plain pair has one), and every field but these two
    # (books_rows is [that row]; differences are none)
    PLAIN = ("books_row",) + tuple(f for f in FIELDS if f not in ("books_rows", "differences"))

    def __init__(self, plain: dict[str, list], made: list[MatchResult | None]) -> None:
        self._plain, self._made = plain, made

    def _make(self, i: int) -> MatchResult:
        return MatchResult(**{f: self._value(f, i) for f in self.FIELDS})

    def __iter__(self) -> Iterator[MatchResult]:
        return map(self.__getitem__, range(len(self)))

    def column(self, name: str) -> list:
        """`[r.<name> for r in self]`, none made."""
        out: list[Any]
        if name == "books_rows":
            out = [[r] for r in self._plain["books_row"]]
        elif name == "differences":
            out = [{} for _ in self._made]
        else:
            out = self._plain[name][:]
        made = self._made
        for i in compress(range(len(made)), made):      # the results made (objects: true)
            out[i] = getattr(made[i], name)
        return out

    def _value(self, name: str, i: int) -> Any:
        """Field `name` of record `i`'s plain result (a list or dict of its own)."""
        if name == "books_rows":
            return [self._plain["books_row"][i]]
        if name == "differences":
            return {}
        return self._plain[name][i]


class Pairs(ComparedAsList, Sequence[tuple[ImsRecord, MatchResult]]):
    """(record, result) for each record, in order: `Reconciliation.ims` as matching makes it,
    the records' list and their `Results` side by side (no tuple, no result made until one
    is asked for)."""

    def __init__(self, records: list[ImsRecord], results: Results) -> None:
        self.records, self.results = records, results

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, i: int) -> tuple[ImsRecord, MatchResult]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[ImsRecord, MatchResult]]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return list(zip(self.records[i], self.results[i]))
        return self.records[i], self.results[i]

    def __iter__(self) -> Iterator[tuple[ImsRecord, MatchResult]]:
        return zip(self.records, self.results)


def results_of(pairs: Sequence[tuple[ImsRecord, MatchResult]]) -> Sequence[MatchResult]:
    """The results of (record, result) pairs, in order; a `Pairs`' own `Results`."""
    return pairs.results if isinstance(pairs, Pairs) else [m for _, m in pairs]


def records_of(pairs: Sequence[tuple[ImsRecord, MatchResult]]) -> list[ImsRecord]:
    """The records of (record, result) pairs, in order."""
    return list(pairs.records) if isinstance(pairs, Pairs) else [rec for rec, _ in pairs]


@dataclass
class Reconciliation:
    ims: Sequence[tuple[ImsRecord, MatchResult]] = field(default_factory=list)
    books_only: list[RegisterEntry] = field(default_factory=list)
    books_match: dict = field(default_factory=dict)    # books row -> index into `ims`
    # Unpaired reverse-charge documents: they go straight to GSTR-2B, never through IMS, so
    # they are not "only in books" (docs/reference/matching.md#scope).
    not_in_ims: list[RegisterEntry] = field(default_factory=list)

    def column(self, name: str) -> list:
        """A field of every record's result (`MatchResult.<name>`), in record order."""
        return column_of(results_of(self.ims), name)

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for status in self.column("status"):
            out[status] += 1
        out["books_only"] = len(self.books_only)
        if self.not_in_ims:
            out[NOT_IN_IMS] = len(self.not_in_ims)
        return out

    def books_statuses(self, entries: Sequence[RegisterEntry]
                       ) -> tuple[list[str], list[int | None]]:
        """The Purchase sheet's Match Status label of each books document, and the index
        into `ims` of the record it paired with (None when unpaired); column by column (a
        register handed back makes no entry for it: `model.document.Entries`)."""
        at = list(map(self.books_match.get, column_of(entries, "row")))
        labels = list(map(STATUS_LABELS.__getitem__, self.column("status")))
        return [(_NOT_IN_IMS if rc else _BOOKS_ONLY) if i is None else labels[i]
                for i, rc in zip(at, column_of(entries, "reverse_charge"))], at


_NOT_IN_IMS, _BOOKS_ONLY = STATUS_LABELS[NOT_IN_IMS], STATUS_LABELS[BOOKS_ONLY]
