"""What reconciliation says about each IMS record and each books document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model.document import ImsRecord, RegisterEntry, column_of
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


@dataclass
class Reconciliation:
    ims: list[tuple[ImsRecord, MatchResult]] = field(default_factory=list)
    books_only: list[RegisterEntry] = field(default_factory=list)
    books_match: dict = field(default_factory=dict)    # books row -> index into `ims`
    # Unpaired reverse-charge documents: they go straight to GSTR-2B, never through IMS, so
    # they are not "only in books" (docs/reference/matching.md#scope).
    not_in_ims: list[RegisterEntry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for _, m in self.ims:
            out[m.status] += 1
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
        labels = [STATUS_LABELS[m.status] for _, m in self.ims]
        return [_unpaired(rc) if i is None else labels[i]
                for i, rc in zip(at, column_of(entries, "reverse_charge"))], at

    def unpaired_label(self, entry: RegisterEntry) -> str:
        """The Purchase sheet's status for a books document no record paired with."""
        return _unpaired(entry.reverse_charge)


def _unpaired(reverse_charge: bool) -> str:
    return _NOT_IN_IMS if reverse_charge else _BOOKS_ONLY


_NOT_IN_IMS, _BOOKS_ONLY = STATUS_LABELS[NOT_IN_IMS], STATUS_LABELS[BOOKS_ONLY]
