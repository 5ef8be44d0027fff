"""The portal's error file back into the workbook (docs/reference/ims-format.md#error-file).

Error records are matched to sheet rows on the identity key (section + supplier GSTIN +
number + return period; without the period when the file has none, as the API form may).
Their messages go to Portal Error and the rows stay due for export; the rest of the last
export is marked synced: its Portal State becomes what was sent, so the next export holds
exactly the rows to fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from ..model import action
from ..portal import dialects
from ..workbook.data import read_workbook
from ..model.document import HEADS, Decision, ImsRecord
from ..portal.download import Download, read_ims
from ..model.errors import OutputError
from .export import exported_as, save_workbook, upload_key
from ..model.gstin import clean as clean_gstin
from ..model.section import SECTIONS
from ..workbook.ims_sheet import SheetRow, apply_updates, portal_state_text, read_ims_rows
from ..portal.upload import upload_record

__all__ = ["ErrorImport", "apply_error_file", "import_error_file", "sent_records"]

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
            messages.setdefault(row.row, []).append(_message(rec))
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


def _message(rec: ImsRecord) -> str:
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


def decision_from_upload(record: dict) -> Decision:
    """The decision an uploaded record carries."""
    declared = {h: record[dialects.DECLARED[h][0]] for h in HEADS
                if dialects.DECLARED[h][0] in record}
    return Decision(record.get("action") or "N", record.get("remarks", ""),
                    record.get(dialects.ITC_RED_REQ[0], ""), declared)


def sent_records(exports: list[tuple]) -> dict[str, dict]:
    """Record key -> the record as last uploaded, from the kept copies (oldest first).

    Each copy is `(name, text)` or `(time, name, records, text)`: the text is last.
    """
    out: dict[str, dict] = {}
    for *_, text in exports:
        try:
            doc = json.loads(text, parse_float=Decimal)
            invdata = doc[dialects.UPLOAD_KEYS[2]]
        except (ValueError, TypeError, KeyError):
            continue                     # a damaged copy: fall back to the sheet's decision
        for section, records in invdata.items():
            if section in SECTIONS:
                out.update((upload_key(section, r), r) for r in records)
    return out


# Shell -------------------------------------------------------------------------------------

def import_error_file(workbook, errorfile, out=None) -> Iterator[str]:
    """`ims-xl import-errors`: messages onto their rows, the rest of the upload synced."""
    from ..files.atomic import check_writable
    from ..files.guard import refuse_overlap, same_file, worked_rows
    workbook, errorfile = Path(workbook), Path(errorfile)
    target = Path(out) if out else workbook
    refuse_overlap({"ERRORFILE": errorfile}, {"--out" if out else "WORKBOOK": target})
    check_writable(target)
    if out and not same_file(target, workbook) and worked_rows(target):
        raise OutputError(f"--out {target} holds work typed in another workbook, which this "
                          f"import cannot carry: write to a new file, or leave out --out to "
                          f"update {workbook.name} in place. Nothing was written.")
    data = read_workbook(workbook)
    rows = read_ims_rows(data.ims_header, data.ims_rows)
    result = apply_error_file(rows, read_ims(errorfile), sent=sent_records(data.exports))
    c = result.counts
    yield (f"{errorfile.name}: {c['errors']} error record(s); messages on {c['rows']} row(s) "
           f"of {workbook.name}; {c['synced']} row(s) of the last export marked synced")
    for n, message in result.messages:
        yield f"  row {n}: {message}"
    for rec in result.unmatched:
        yield (f"  not in {workbook.name}: {rec.label()} (period {rec.return_period or '-'}): "
               f"{_message(rec)}")
    for name in result.uncovered:
        yield (f"  {name} was part of the same export but this error file names none of its "
               "rows; its rows were left as exported (import its own error file, if any)")
    data.ims_rows = apply_updates(data.ims_header, data.ims_rows, result.updates)
    data.log_rows.append([f"{datetime.now():%Y-%m-%d %H:%M}", "Import errors",
                          f"{errorfile.name}: " + ", ".join(f"{k} {v}" for k, v in c.items())])
    save_workbook(target, data)
    yield f"updated {target}"
