"""Export: the edited workbook -> the upload JSON the user uploads on the portal
(docs/reference/ims-format.md#upload).

Pure: `plan_export(rows)` (the rows that changed) and `build_export(rows, rtin, now=...)`
(upload document, files, sheet updates, Log row). Shells: `validate_workbook(path)` and
`export_workbook(path, out)` for `ims-xl validate` / `ims-xl export`.

Nothing changed -> no file. The official tool writes an empty JSON then
(docs/reference/ims-format.md#changed-records-only), but an empty upload does nothing on the portal
and looks like a failed export, so we say so instead.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator

from ..portal import dialects
from ..files.atomic import Transaction, check_writable
from ..workbook.data import WorkbookData, read_workbook
from ..model.document import record_key
from ..model.errors import ImsXlError, ValidationFailed, WorkbookError
from ..model.recipient import recipient_gstin
from ..model.issue import ERROR, WARNING, Issue, Report
from ..workbook.layout import SHEET_EXPORTS
from ..progress import stage
from ..model.section import SECTIONS
from ..workbook.ims_sheet import SheetRow, apply_updates, read_ims_rows
from ..portal.upload import build_upload, count_records, dumps, is_changed, split_upload
from ..validate import validate_rows, validation_updates
from ..validate.links import source_rows

__all__ = ["EXPORTED", "Export", "build_export", "export_workbook", "exported_as",
           "plan_export", "save_workbook",
           "upload_key", "validate_workbook"]

EXPORTED = "Exported {time} {file}"               # Upload Status after an export
_EXPORTED = re.compile(r"^Exported (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) (.+)$")
_MINUTE = "%Y-%m-%d %H:%M"


@dataclass
class Export:
    upload: dict                                  # the whole upload document
    rows: list[SheetRow]                          # rows in it
    files: list[tuple[str, str]] = field(default_factory=list)   # (file name, JSON text)
    sent: list[tuple] = field(default_factory=list)   # kept copies: (time, name, records, text)
    updates: dict = field(default_factory=dict)   # IMS sheet column updates
    log: list = field(default_factory=list)       # one Log sheet row: time, step, detail


def plan_export(rows: list[SheetRow]) -> list[SheetRow]:
    """Rows whose action, remarks or ITC declaration differ from the portal's
    (docs/reference/ims-format.md#changed-records-only)."""
    return [r for r in rows if is_changed(r.decision, r.portal)]


def build_export(rows: list[SheetRow], rtin: str, *, now: datetime,
                 out_name: str = "upload.json",
                 max_bytes: int | None = None) -> Export:
    """The upload for the changed rows, split into numbered files past `max_bytes`
    (default `dialects.UPLOAD_MAX_BYTES`)."""
    changed = plan_export(rows)
    upload = build_upload([(r.record, r.decision) for r in changed], rtin)
    if not changed:
        return Export(upload, [])
    parts = split_upload(upload, max_bytes or dialects.UPLOAD_MAX_BYTES)
    names = _part_names(out_name, len(parts))
    stamp = f"{now:{_MINUTE}}"
    row_of = {r.record.key: r.row for r in changed}
    status = {row_of[key]: EXPORTED.format(time=stamp, file=name)
              for name, part in zip(names, parts) for key in _keys(part)}
    files = [(name, dumps(part)) for name, part in zip(names, parts)]
    sent = [(stamp, _sent_name(name, now), count_records(part), text)
            for (name, text), part in zip(files, parts)]
    counts = Counter(SECTIONS[r.record.section].label for r in changed)
    detail = (f"{len(changed)} record(s) to {', '.join(names)} for {rtin} ("
              + ", ".join(f"{k} {v}" for k, v in counts.items())
              + f"); copies {', '.join(s[1] for s in sent)}")
    return Export(upload, changed, files, sent, {"upload_status": status},
                  [stamp, "Export", detail])


def exported_as(row: SheetRow) -> tuple[str, str] | None:
    """(time, file) of the export the row's Upload Status names, if it names one."""
    m = _EXPORTED.match(str(row.get("upload_status") or ""))
    return (m.group(1), m.group(2)) if m else None


def _part_names(out_name: str, n: int) -> list[str]:
    """`upload.json`, or `upload_1.json`, `upload_2.json`... as `upload.write_upload` names them."""
    if n == 1:
        return [out_name]
    p = Path(out_name)
    return [f"{p.stem}_{i}{p.suffix}" for i in range(1, n + 1)]


def _sent_name(name: str, now: datetime) -> str:
    p = Path(name)
    return f"{p.stem}-{now:%Y%m%d-%H%M%S}{p.suffix or '.json'}"


def _keys(doc: dict):
    for section, records in doc[dialects.UPLOAD_KEYS[2]].items():
        for r in records:
            yield upload_key(section, r)


def upload_key(section: str, record: dict) -> str:
    """`ImsRecord.key` of an uploaded record."""
    number = record.get(SECTIONS[section].number_key, "")
    return record_key(section, str(record.get("stin", "")).strip(), str(number).strip(),
                      str(record.get("rtnprd", "")).strip())


# Recipient GSTIN ---------------------------------------------------------------------------

def _recipient_issues(settings: dict) -> Iterator[Issue]:
    try:
        rtin = recipient_gstin(home=settings.get("RecipientGSTIN"),
                               fix="correct it on sheet Home")
    except ImsXlError as e:
        yield Issue("recipient-gstin", str(e), ERROR, field="Recipient GSTIN")
        return
    if not rtin:
        yield Issue("recipient-gstin-missing", "sheet Home has no Recipient GSTIN; export "
                    "will need --gstin", WARNING, field="Recipient GSTIN")


# Shells ------------------------------------------------------------------------------------

def validate_workbook(path) -> Report:
    """`ims-xl validate`: every rule on every row, plus the recipient GSTIN."""
    path = Path(path)
    data = read_workbook(path)
    rows = read_ims_rows(data.ims_header, data.ims_rows)
    report = validate_rows(rows, books_rows=source_rows(data.purchase_rows))
    report.issues[:0] = _recipient_issues(data.settings)
    return _in_file(report, path.name)


def export_workbook(path, out, gstin: str | None = None, *,
                    now: datetime | None = None) -> Iterator[str]:
    """`ims-xl export`: validate, write the upload (and a kept copy), record it in the workbook."""
    from ..files.guard import refuse_json_over_workbook, refuse_overlap
    path, out, now = Path(path), Path(out), now or datetime.now()
    refuse_overlap({"WORKBOOK": path}, {"--out": out})
    refuse_json_over_workbook(out, "the upload")
    check_writable(out)
    check_writable(path)
    data = read_workbook(path)
    rows = read_ims_rows(data.ims_header, data.ims_rows)
    stage("Checking the actions")
    report = validate_rows(rows, today=now.date(), books_rows=source_rows(data.purchase_rows))
    if not report.valid:
        raise ValidationFailed(_in_file(report, path.name))
    rtin = recipient_gstin(given=gstin, home=data.settings.get("RecipientGSTIN"), required=True,
                           fix="type it on sheet Home or pass --gstin")
    yield from (str(i) for i in _in_file(report, path.name).warnings)
    exp = build_export(rows, rtin, now=now, out_name=out.name)
    if not exp.rows:
        yield ("Nothing changed: no Action, Remarks or ITC answer differs from the portal's "
               "state, so no upload file was written.")
        return
    again = [r for r in exp.rows if exported_as(r)]
    if again:
        yield (f"note: {len(again)} of these row(s) were exported before and not yet confirmed "
               "(no error file imported, no newer download); uploading them again is harmless")
    updates = {**exp.updates, **validation_updates(rows, report)}
    data.ims_rows = apply_updates(data.ims_header, data.ims_rows, updates)
    data.log_rows.append(exp.log)
    data.settings["RecipientGSTIN"] = rtin          # from --gstin: the next export knows it
    data.exports = data.exports + exp.sent
    parts = [out.with_name(name) for name, _ in exp.files]
    refuse_overlap({"WORKBOOK": path}, {"--out": parts})
    for part in parts:
        refuse_json_over_workbook(part, "the upload")
    with Transaction() as tx:        # the upload, its kept copy and the workbook: all or none
        for (name, text), (_, copy, count, _) in zip(exp.files, exp.sent):
            tx.write_bytes(out.with_name(name), text.encode())
            tx.write_bytes(out.parent / "sent" / copy, text.encode())
        save_workbook(path, data, tx)
    for (name, text), (_, copy, count, _) in zip(exp.files, exp.sent):
        yield f"wrote {out.with_name(name)}: {count} record(s) (copy: sent/{copy})"
    yield f"updated {path.name}: Upload Status on {len(exp.rows)} row(s), Log, {SHEET_EXPORTS}"


def _in_file(report: Report, name: str) -> Report:
    """Issues naming the workbook file too, for messages outside Excel."""
    return Report([dataclasses.replace(i, record=f"in {name}" + (f" ({i.record})"
                                                                 if i.record else ""))
                   for i in report.issues])


def save_workbook(path, data: WorkbookData, tx=None) -> None:
    """Replace `path` with `data` (the writer is atomic: a failure leaves the old file)."""
    from ..workbook.writer import write_workbook
    try:
        write_workbook(path, data, tx)
    except PermissionError:
        raise WorkbookError(f"{Path(path).name}: cannot replace the file (is it open in "
                            "Excel?); close it and run again") from None
