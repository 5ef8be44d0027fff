"""Error records onto sheet rows, the rest of the last export synced (pure: rows in, updates
out).

Error records are matched to sheet rows on the identity key (section + supplier GSTIN +
number + return period; without the period when the file has none, as the API form may).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import action
from ...model.document import Decision, ImsRecord
from ...model.gstin import clean as clean_gstin
from ...portal.download import Download
from ...portal.upload import upload_record
from ...workbook.ims_sheet import SheetRow, portal_state_text
from ..export import exported_as
from .sent import decision_from_upload

ERROR_STATUS = "Error — fix and export again"
SYNCED_STATUS = "Synced — the portal reported no error"


@dataclass
class ErrorImport:
    updates: dict                                  # IMS sheet column updates
    counts: dict                                   # errors, rows, unmatched, synced
    unmatched: list[ImsRecord] = field(default_factory=list)
    messages: list[tuple[int, str]] = field(default_factory=list)   # (sheet row, message)
    uncovered: list[str] = field(default_factory=list)   # exported files not marked synced


# Matching and marking ----------------------------------------------------------------------

def apply_error_file(rows: list[SheetRow], download: Download, *,
                     sent: dict | None = None) -> ErrorImport:
    """Portal Error on matched rows, the rest of the last export synced.

    `sent` maps a record key to the record as uploaded (`sent_records`); without it the
    row's current decision is taken as what was sent.
    """
    download.require("errors")
    exact, loose = _indexes(rows)
    messages: dict[int, list[str]] = {}
    unmatched = []
    for rec in download.records:
        hits = _match(rec, exact, loose)
        if not hits:
            unmatched.append(rec)
        for row in hits:
            messages.setdefault(row.row, []).append(error_message(rec))
    joined = {n: " | ".join(dict.fromkeys(texts)) for n, texts in sorted(messages.items())}
    updates: dict = {"portal_error": dict(joined),
                     "upload_status": dict.fromkeys(joined, ERROR_STATUS),
                     "portal_state": {}, "portal_action": {}}
    synced, uncovered = _last_export(rows, set(messages))
    synced_count = 0
    for row in synced:
        state = _sent_state(row, (sent or {}).get(row.record.key))
        if state is None:
            continue
        synced_count += 1
        updates["portal_state"][row.row] = portal_state_text(state)
        updates["portal_action"][row.row] = action.label_of(state.action)
        updates["upload_status"][row.row] = SYNCED_STATUS
        if row.get("portal_error"):
            updates["portal_error"][row.row] = ""
    counts = {"errors": len(download.records), "rows": len(messages),
              "unmatched": len(unmatched), "synced": synced_count}
    return ErrorImport({k: v for k, v in updates.items() if v}, counts, unmatched,
                       list(joined.items()), uncovered)


def _indexes(rows: list[SheetRow]) -> tuple[dict, dict]:
    exact: dict[tuple, list] = {}
    loose: dict[tuple, list] = {}
    for row in rows:
        rec = row.record
        base = (rec.section, clean_gstin(rec.supplier_gstin), rec.doc_number.strip())
        exact.setdefault((*base, rec.return_period.strip()), []).append(row)
        loose.setdefault(base, []).append(row)
    return exact, loose


def _match(rec: ImsRecord, exact: dict, loose: dict) -> list[SheetRow]:
    base = (rec.section, clean_gstin(rec.supplier_gstin), rec.doc_number.strip())
    if rec.return_period:
        hits = exact.get((*base, rec.return_period.strip()))
        if hits:
            return hits
        # The period may be spelt differently (MM vs MMYYYY,
        # docs/reference/ims-format.md#uncertain-details item 1): accept a single row.
        candidates = loose.get(base, [])
        return candidates if len(candidates) == 1 else []
    return loose.get(base, [])


def error_message(rec: ImsRecord) -> str:
    msg = rec.error_msg or "the portal reported an error without a message"
    return f"{rec.error_cd}: {msg}" if rec.error_cd else msg


def _last_export(rows: list[SheetRow], error_rows: set[int]) -> tuple[list, list[str]]:
    """Rows of the most recent export to mark synced, and exported files left unmarked.

    When that export was split, the error file answers for the files it names rows of;
    the other files may not have been uploaded yet, so they stay as they are.
    """
    exported = {row.row: e for row in rows if (e := exported_as(row))}
    if not exported:
        return [], []
    last = max(t for t, _ in exported.values())
    in_last = {n: f for n, (t, f) in exported.items() if t == last}
    files = set(in_last.values())
    covered = files if len(files) == 1 else {in_last[n] for n in error_rows if n in in_last}
    synced = [r for r in rows if in_last.get(r.row) in covered and r.row not in error_rows]
    return synced, sorted(files - covered)


def _sent_state(row: SheetRow, sent_record: dict | None) -> Decision | None:
    """What the portal now holds for a row that went through without error."""
    if sent_record is None:
        # No copy of the upload: trust the sheet, unless the Action was since cleared.
        return row.decision if row.decision.action else None
    if row.decision.action and upload_record(row.record, row.decision) == sent_record:
        return row.decision              # unchanged since export: keep the user's spelling
    return decision_from_upload(sent_record)
