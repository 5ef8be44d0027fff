"""A newer IMS download into a workbook that already holds the user's work.

Unchanged records keep every cell the user typed (Action, Remarks, ITC answer, declared amounts,
exactly as typed) and their history (Upload Status, Portal Error). Records the supplier changed
since lose their Action: the old one is quoted in a Validation note, since the action was given to a
document that no longer exists in that form (docs/reference/ims-format.md#lifecycle). New records
are added at the end; records no longer downloaded (acted on and filed, or deleted by the supplier)
leave the table and are listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..portal import dialects
from ..workbook.layout import EDITABLE_KEYS
from ..model.document import ImsRecord
from ..workbook.ims_sheet import RESULT_KEYS, SheetRow, ims_row
from ..validate import NOTE_PREFIX

__all__ = ["USER_KEYS", "Merge", "Pairing", "merge_download", "merged_row", "pair_download"]

# Cells kept from the old row of an unchanged record.
USER_KEYS = (*EDITABLE_KEYS, "upload_status", "portal_error")


@dataclass
class Merge:
    rows: list[list]                                 # IMS sheet rows, column order
    counts: dict                                     # kept, changed, added, gone
    changed: list[ImsRecord] = field(default_factory=list)
    gone: list[SheetRow] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What happened, for the Log sheet and the command line."""
        out = [", ".join(f"{k} {v}" for k, v in self.counts.items())]
        out += [f"changed by the supplier: {r.label()}" for r in self.changed]
        out += [f"no longer in the download: row {r.row} {r.record.label()}"
                + (f" (your action: {r.get('action')})" if r.get("action") else "")
                for r in self.gone]
        return out


def merge_download(existing: list[SheetRow], records: list[ImsRecord], *,
                   results: dict | None = None) -> Merge:
    """Rows for `records` that keep the work recorded in `existing`.

    `results` (record key -> `MatchResult`) refreshes the reconciliation columns; without it
    unchanged records keep theirs and changed or new ones get none (an old match would
    describe the old document).
    """
    results = results or {}
    paired = pair_download(existing, records)
    rows = [merged_row(row, rec, changed, results.get(rec.key))
            for row, rec, changed in paired.pairs]
    return Merge(rows, paired.counts, paired.changed, paired.gone)


@dataclass
class Pairing:
    """Each record of a download with the row that held it before, before any is laid out."""

    pairs: list[tuple]                               # (SheetRow or None: new, record, changed)
    counts: dict                                     # kept, changed, added, gone
    changed: list[ImsRecord] = field(default_factory=list)
    gone: list[SheetRow] = field(default_factory=list)


def pair_download(existing: list[SheetRow], records: list[ImsRecord]) -> Pairing:
    """`merge_download`'s decisions: the rows of `existing` in their order (the user may have
    sorted them), then the new records; whether the supplier changed each record since."""
    old: dict[str, SheetRow] = {}
    for row in existing:
        old.setdefault(row.record.key, row)          # a pasted duplicate: the first wins
    new = {rec.key: rec for rec in records}
    pairs: list[tuple] = []
    changed = []
    for key, row in old.items():
        rec = new.get(key)
        if rec is None:
            continue
        # the same record as read (most of them) has the same supplier fields
        if rec.raw == row.record.raw or supplier_fields(rec) == supplier_fields(row.record):
            pairs.append((row, rec, False))
        else:
            pairs.append((row, rec, True))
            changed.append(rec)
    added = [rec for key, rec in new.items() if key not in old]
    pairs += [(None, rec, False) for rec in added]
    gone = [row for key, row in old.items() if key not in new]
    counts = {"kept": len(old) - len(gone) - len(changed), "changed": len(changed),
              "added": len(added), "gone": len(gone)}
    return Pairing(pairs, counts, changed, gone)


def merged_row(row: SheetRow | None, rec: ImsRecord, changed: bool, result=None) -> list:
    """The row `merge_download` lays out for one pair of `pair_download`."""
    if row is None:
        return ims_row(rec, result)
    return _changed(row, rec, result) if changed else _kept(row, rec, result)


def supplier_fields(rec: ImsRecord) -> tuple:
    """What the supplier controls: the fields the upload echoes (`dialects.SUPPLIER_FIELDS`)."""
    # Values compare as read: Decimal("118000.00") == Decimal("118000.0"), strings trimmed.
    return tuple(v.strip() if isinstance(v, str) else v
                 for v in (rec.raw.get(k) for k in dialects.SUPPLIER_FIELDS))


def _kept(row: SheetRow, rec: ImsRecord, result) -> list:
    keys = USER_KEYS if result else USER_KEYS + RESULT_KEYS
    return ims_row(rec, result, extra={k: row.cells[k] for k in keys if k in row.cells})


def _changed(row: SheetRow, rec: ImsRecord, result) -> list:
    """The new copy with blank choices; what the user had chosen is quoted in a note."""
    dec, portal = row.decision, row.portal
    was = [f"action {row.get('action')!r}"] if row.get("action") not in (None, "") else []
    if dec.remarks.strip() and dec.remarks.strip() != portal.remarks.strip():
        was.append(f"remarks {dec.remarks.strip()!r}")
    if dec.itc_red_req and dec.itc_red_req != portal.itc_red_req:
        was.append(f"ITC Reduction {dec.itc_red_req!r}")
    note = (f"{NOTE_PREFIX}the supplier changed this record since your "
            f"{' and '.join(was)}; choose again") if was else ""
    # The link names the books document, which the supplier's change does not touch.
    return ims_row(rec, result, extra={"validation": note, "link": row.get("link")})
