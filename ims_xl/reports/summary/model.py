"""What the Summary sheet shows, as data: the `Summary` of a month and its parts.

The outcome keys (`OUTCOMES`) name the rows of the ITC table; the other modules of the package
fill (`calculate`), lay out (`rows`), draw (`chart`) and print (`command`) a `Summary`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ...model.document import HEADS, ZERO

HEAD_LABELS = {"igst": "IGST", "cgst": "CGST", "sgst": "SGST", "cess": "Cess"}
# Outcome rows of the ITC table, in the order they are shown.
OUTCOMES = {
    "accepted": "Accepted",
    "no_action": "No Action (deemed accepted)",
    "cn_reduction": "Credit notes: ITC reduction",
    "net": "ITC to GSTR-2B (net)",
    "rejected": "Rejected (no ITC)",
    "pending": "Pending (deferred)",
    "cn_rejected": "Credit notes rejected (no reduction)",
    "cn_pending": "Credit notes pending (reduction deferred)",
}
NOT_RECONCILED = "Not reconciled"
TOP_SUPPLIERS = 10
OUTCOME_TITLE = "ITC by outcome"        # first cell of the outcome table; the chart finds it


def zero_heads() -> dict:
    return {h: ZERO for h in HEADS}


@dataclass
class Tally:
    """Records and amounts of one group (a match status, a section)."""

    count: int = 0
    taxable: Decimal = ZERO
    heads: dict = field(default_factory=zero_heads)

    @property
    def tax(self) -> Decimal:
        return sum(self.heads.values(), ZERO)

    def add(self, taxable, amounts: dict) -> None:
        self.add_many(1, taxable, amounts)

    def add_many(self, count: int, taxable, amounts: dict) -> None:
        self.count += count
        self.taxable += taxable
        for h in HEADS:
            self.heads[h] += amounts.get(h, ZERO)


@dataclass
class SupplierRisk:
    """ITC a supplier's documents put at risk: mismatched, missing in books, or not filed."""

    gstin: str
    name: str = ""
    records: int = 0
    mismatch: int = 0
    missing: int = 0
    not_filed: int = 0
    amount: Decimal = ZERO


@dataclass
class Summary:
    records: int = 0
    to_act: int = 0                   # no decision yet: Action blank and portal still N
    problems: int = 0                 # rows whose Action or declared amount could not be read
    outcomes: dict = field(default_factory=lambda: {k: zero_heads() for k in OUTCOMES})
    by_status: dict = field(default_factory=dict)     # status label -> Tally
    by_section: dict = field(default_factory=dict)    # section label -> Tally
    suppliers: list = field(default_factory=list)     # SupplierRisk, most at risk first
    gone: list = field(default_factory=list)          # carry.Gone: pending last month, gone now
    by_action: dict = field(default_factory=dict)     # effective action code -> records

    @property
    def at_risk(self) -> Decimal:
        return sum((s.amount for s in self.suppliers), ZERO)

    @property
    def pending(self) -> int:
        return self.by_action.get("P", 0)

    def total(self, outcome: str) -> Decimal:
        return sum(self.outcomes[outcome].values(), ZERO)
