"""Every tunable of the reconciliation engine, in one place (docs/reference/matching.md#tolerances,
docs/reference/matching.md#action-policy).

Change a default here in one line; change it per client through the workbook's Home sheet
(`ToleranceRupees`, `TolerancePercent`, `DateWindowDays`) or a settings mapping, both read
by `Settings.from_mapping`. Nothing else in `ims_xl.reconcile` holds a threshold or a label.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..portal.dialects import REMARKS_MAX
from ..model.errors import InputError

# Labels shown in the workbook (docs/reference/matching.md#statuses); the machine codes in result.py
# are fixed.
STATUS_LABELS = {"matched": "Matched", "probable": "Probable match", "mismatch": "Mismatch",
                 "missing_in_books": "Only in IMS", "books_only": "Only in books",
                 "not_in_ims": "Not in IMS (reverse charge)"}

# IMS document kind -> books kinds it may pair with. A purchase return is the books side of
# a supplier's credit note; importers that keep it apart can call it "return".
KIND_PAIRS = {"invoice": ("invoice",), "credit": ("credit", "return"), "debit": ("debit",)}

# Number rules that still count as "the same document written the same way"
# (docs/reference/matching.md#statuses: equal after case and separators only): a pair found by one
# of these, within every tolerance (dates within date_window_days count as the same date), is
# `matched`; by any other rule (FY token or zeros spelt differently, prefix dropped, original
# number) it is `probable`.
MATCHED_RULES = ("number-exact", "number-trivial")

# Score bands: the number rule and the GSTIN decide the band, so a weaker kind of number
# evidence can never outrank a stronger one whatever the amounts. Amount-only pairs have no
# band. Inside a band, SCORE_POINTS rank candidates; amounts + date + likeness must not
# exceed the gap between bands (10).
SCORE_BANDS = {"key": 90, "key/original": 80, "key/pan": 70, "key/original/pan": 60,
               "core": 50, "core/original": 40, "core/pan": 30, "core/original/pan": 20,
               # same number, another document type (a purchase return booked as a Debit
               # Note, a supplier debit note booked as a purchase); then a books GSTIN that
               # was mistyped or left blank (slips.py)
               "kind": 10, "slip": 0}
SCORE_POINTS = {"amounts": 6.0,         # every head within tolerance
                "total_tax": 5.0,       # heads differ, total tax agrees (IGST vs CGST+SGST)
                "amounts_near": 4.0,    # scaled down by the relative amount gap
                "date": 3.0,            # same date; falls to 0 at twice the window
                "likeness": 1.0}        # same spelling; half for a normalised match

# Books GSTIN slips (slips.py): how many characters may differ from an IMS supplier's
# GSTIN (an adjacent swap is two), and for a blank GSTIN how alike the names must be
# (rapidfuzz token_sort_ratio, 0-100, after dropping these words).
GSTIN_SLIP_CHARS = 2
NAME_MATCH_MIN = 90
NAME_NOISE_WORDS = ("PVT", "PRIVATE", "LTD", "LIMITED", "LLP", "CO", "COMPANY", "THE", "AND",
                    "INDIA", "P")

# Document types in reasons ("booked as Debit Note; the supplier reports a Credit Note").
KIND_NAMES = {"invoice": "Invoice", "credit": "Credit Note", "debit": "Debit Note",
              "return": "Purchase Return"}

# What to suggest per status (codes A R P N), the fallback when the portal blocks Pending on
# the record, and what to suggest when the supplier has not filed (never Accept then).
ACTION_POLICY = {"matched": "A", "probable": "A", "mismatch": "P", "missing_in_books": "P"}
PENDING_BLOCKED_POLICY = {"matched": "A", "probable": "A", "mismatch": "N",
                          "missing_in_books": "N"}
# Said with the policy's action when no guard rail changed it.
ACTION_REASONS = {"matched": "", "probable": "after a glance at what differs",
                  "mismatch": "until the supplier corrects it or you correct your books",
                  "missing_in_books": "until you book it or confirm it is not yours"}
NOT_FILED_ACTION = "P"
NOT_FILED_PENDING_BLOCKED_ACTION = "N"
# Never suggested automatically for these document kinds, whatever the policy says: rejecting
# a credit note adds it back to the supplier's liability (docs/reference/matching.md#action-policy).
NEVER_REJECT_KINDS = ("credit",)
# What to declare on a suggested Accept where the section carries the ITC-reduction question
# (docs/reference/ims-format.md#itc-reduction): Y = reduce ITC by the document's full tax, the
# conservative answer.
ACCEPT_ITC_RED_REQ = "Y"

# Remarks the supplier will read, per situation; {number}, {date}, {differences} are filled.
REMARK_TEMPLATES = {
    "mismatch": "Amounts differ from our books ({differences}). Please check and amend "
                "{number} dated {date}.",
    "missing_in_books": "Document {number} dated {date} not found in our books. Please share "
                        "a copy or confirm it is ours.",
    "not_filed": "Kept pending until you file your return for {number} dated {date}.",
    "probable": "Please confirm {number} dated {date}: our books differ ({differences}).",
    # IGST charged where CGST+SGST is due, or the reverse: the recipient's ITC is at risk
    "tax_head": "Tax charged as {ims_heads}; for this supply we expect {books_heads}. Please "
                "amend {number} dated {date}.",
    "matched": "",
}

# Home-sheet name -> Settings field (layout.SETTINGS defines the sheet side).
HOME_NAMES = {"ToleranceRupees": "tolerance_rupees", "TolerancePercent": "tolerance_percent",
              "DateWindowDays": "date_window_days"}


@dataclass(frozen=True)
class Settings:
    """Tolerances, windows, thresholds, labels and the action policy for one client."""

    tolerance_rupees: float = 1.0       # per tax head and taxable value
    tolerance_percent: float = 0.0      # of the IMS amount per head; 0 = off; the larger wins
    date_window_days: int = 10          # dates this close count as the same date
    fy_years: tuple = (2017, 2045)      # FY start years the number normaliser recognises
    same_number_max_days: int = 183     # beyond this a same number is another year's serial
    closest_max_days: int = 62          # "closest other" looks this far for amount look-alikes
    kind_pairs: dict = field(default_factory=lambda: dict(KIND_PAIRS))
    kind_names: dict = field(default_factory=lambda: dict(KIND_NAMES))
    gstin_slip_chars: int = GSTIN_SLIP_CHARS
    name_match_min: float = NAME_MATCH_MIN
    name_noise_words: tuple = NAME_NOISE_WORDS
    matched_rules: tuple = MATCHED_RULES
    score_bands: dict = field(default_factory=lambda: dict(SCORE_BANDS))
    score_points: dict = field(default_factory=lambda: dict(SCORE_POINTS))
    status_labels: dict = field(default_factory=lambda: dict(STATUS_LABELS))
    action_policy: dict = field(default_factory=lambda: dict(ACTION_POLICY))
    pending_blocked_policy: dict = field(default_factory=lambda: dict(PENDING_BLOCKED_POLICY))
    action_reasons: dict = field(default_factory=lambda: dict(ACTION_REASONS))
    not_filed_action: str = NOT_FILED_ACTION
    not_filed_pending_blocked_action: str = NOT_FILED_PENDING_BLOCKED_ACTION
    never_reject_kinds: tuple = NEVER_REJECT_KINDS
    accept_itc_red_req: str = ACCEPT_ITC_RED_REQ
    remark_templates: dict = field(default_factory=lambda: dict(REMARK_TEMPLATES))
    remark_max: int = REMARKS_MAX

    @classmethod
    def from_mapping(cls, d: dict | None) -> "Settings":
        """Settings from Home-sheet names or field names; blanks keep defaults.

        Unknown keys are ignored (the Home sheet also holds the GSTIN and the period).
        Dict fields (policy, templates, labels) are merged over the defaults.
        """
        base = cls()
        names = {f.name for f in fields(cls)}
        changes: dict[str, Any] = {}
        for key, value in (d or {}).items():
            name = HOME_NAMES.get(str(key), str(key))
            if name not in names or value is None or value == "":
                continue
            current = getattr(base, name)
            if isinstance(current, dict):
                if not isinstance(value, dict):
                    raise InputError(f"must be a table of values, found {value!r}",
                                     field=str(key))
                changes[name] = {**current, **value}
            elif isinstance(current, (int, float)) and not isinstance(current, bool):
                changes[name] = _number(key, value, type(current))
            else:
                changes[name] = tuple(value) if isinstance(current, tuple) else value
        return replace(base, **changes)

    def tolerance_text(self) -> str:
        pct = f" or {self.tolerance_percent:g}%" if self.tolerance_percent else ""
        return f"Rs {self.tolerance_rupees:g}{pct}"


def _number(key: str, value: Any, kind: type) -> float:
    """A non-negative number from a cell: 1, 1.0, '1', ' 1.5 '."""
    try:
        x = float(str(value).replace(",", "").strip())
    except ValueError:
        raise InputError(f"must be a number, found {value!r}", field=str(key)) from None
    if x < 0 or x != x:
        raise InputError(f"must be zero or more, found {value!r}", field=str(key))
    return int(round(x)) if kind is int else x
