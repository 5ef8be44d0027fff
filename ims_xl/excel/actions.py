"""What each ribbon button does: read the sheets, call the core, write the sheets.

One function per button, each taking the workbook first (`book: xw.Book`), so the same code
runs from RunPython, from tests on the in-memory engine and, later, as an xlwings Lite
script. No rule lives here: the core decides, `sheets` reads and writes in blocks. Errors the
user can fix are raised as `ImsXlError`; `ims_xl.ribbon` shows them in a message box.

Never overwritten by any button: what the user typed in Action, Remarks and the ITC
reduction columns (only Apply Suggestions fills them, and Undo restores them).
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import xlwings as xw

from .. import __version__
from ..portal.download import read_ims
from ..model.errors import ImsXlError, ValidationFailed
from ..model.gstin import clean as clean_gstin
from ..model.recipient import recipient_gstin
from ..workbook.layout import (IMS_COLUMNS, LOG_COLUMNS, MAPPING_COLUMNS, PATH_NAME,
                               PURCHASE_COLUMNS, SHEET_EXPORTS, SHEET_IMS, SHEET_LOG, SHEET_MAPPING,
                               SHEET_PURCHASE, SHEET_SUMMARY, SHEETS, STEPS, index_of)
from ..workbook.sent_copies import copies_from_rows, copy_columns, copy_rows
from ..workbook.ims_sheet import cell_text as _text, read_ims_rows
from . import sheets
from .sheets import Table

SHOWN_ERRORS = 5                 # errors listed in the Validate message box
H_LINK = IMS_COLUMNS[index_of(IMS_COLUMNS, "link")].header
H_KEY = IMS_COLUMNS[index_of(IMS_COLUMNS, "key")].header
UNDO_OF = "Undo of "


# Helpers ---------------------------------------------------------------------------------

def _paths(book: xw.Book, what: str) -> list[str]:
    paths = sheets.read_paths(book)
    if not paths:
        raise ImsXlError(f"No file was chosen. Click the button again and pick {what}.")
    return paths


def _ims(book: xw.Book, *, required: bool = True) -> tuple[Table, list]:
    table = sheets.read_table(book, SHEET_IMS)
    rows = read_ims_rows(table.header, table.rows) if table.rows else []
    if required and not rows:
        raise ImsXlError("The IMS sheet is empty. Click Import IMS JSON first.")
    return table, rows


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _counts(counts: dict) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in counts.items() if v)


# Buttons ---------------------------------------------------------------------------------

def import_ims(book: xw.Book) -> None:
    """Read the download(s) in ImsXlPaths and merge them into the IMS sheet.

    Rows already on the sheet keep the user's Action, Remarks and ITC declaration
    (`merge.merge_download`); the whole table is then written in one call.
    """
    from ..month.merge_download import merge_download
    paths = _paths(book, "the IMS download (.json or .zip)")
    with sheets.busy(book, "IMS: reading the download..."):
        download = read_ims(paths).require("download")
        gstin_note = _check_gstin(book, download.rtin)
        fresh = not sheets.has_sheet(book, SHEET_IMS)
        old, existing = _ims(book, required=False)
        if old.rows:
            sheets.snapshot(book, old, "Import IMS JSON")
        merged = merge_download(existing, download.records)
        sheets.status(book, f"IMS: writing {_n(len(merged.rows), 'row')}...")
        sheets.write_table(book, SHEET_IMS, IMS_COLUMNS, merged.rows)
        if fresh:
            sheets.colour_statuses(book, SHEET_IMS, index_of(IMS_COLUMNS, "status"),
                                   len(merged.rows) + 1)
        if gstin_note:
            sheets.write_setting(book, "RecipientGSTIN", download.rtin)
        detail = (f"{_n(len(download.records), 'record')} from {', '.join(download.files)}; "
                  f"{_counts(merged.counts)}")
        sheets.append_log(book, "Import IMS", detail, *merged.lines()[1:])
    changed = (f"\n{_n(merged.counts.get('changed', 0), 'record')} changed by the supplier "
               "lost their Action (see the Validation column)."
               if merged.counts.get("changed") else "")
    sheets.alert(book, f"Imported {detail}.{changed}{gstin_note}\n\n"
                       "Next: Import Purchase Register.")


def _check_gstin(book: xw.Book, rtin: str) -> str:
    """Refuse another client's download; say so when Home's blank GSTIN will be filled."""
    home = sheets.read_settings(book).get("RecipientGSTIN")
    recipient_gstin(download=rtin, home=home, fix="to import it anyway, clear Recipient GSTIN "
                    "on the Home sheet first")
    if rtin and not clean_gstin(home):
        return f"\nRecipient GSTIN {rtin} (from the download) was filled in on Home."
    return ""


def import_books(book: xw.Book) -> None:
    """Read the purchase register in ImsXlPaths into the Purchase sheet.

    The column mapping saved on the Mapping sheet is tried first; the mapping used is
    written back there, so the next month's register of this client maps the same way.
    """
    from ..register import purchase_rows, read_register
    from ..register.headers import IGNORED
    from ..register.mapping import Mapping
    path = _paths(book, "the purchase register (.xlsx, .xls or .csv)")[0]
    with sheets.busy(book, "IMS: reading the purchase register..."):
        saved = sheets.read_table(book, SHEET_MAPPING)
        mapping = Mapping.from_rows(saved.in_layout(MAPPING_COLUMNS)) if saved.rows else None
        recipient = recipient_gstin(home=sheets.read_settings(book).get("RecipientGSTIN"),
                                    fix="correct it on the Home sheet")
        register = read_register(path, mapping=mapping, recipient=recipient)
        rows = purchase_rows(register.entries)
        relinked = _relink(book, register.entries)
        sheets.status(book, f"IMS: writing {_n(len(rows), 'document')}...")
        sheets.write_table(book, SHEET_PURCHASE, PURCHASE_COLUMNS, rows)
        map_rows = register.mapping.to_rows()
        sheets.write_table(book, SHEET_MAPPING, MAPPING_COLUMNS, map_rows)
        detail = (f"{_n(len(rows), 'document')} from {Path(str(register.file)).name} "
                  f"(sheet {register.sheet}, header row {register.header_row}); "
                  f"{_n(len(register.issues), 'warning')}")
        sheets.append_log(book, "Import books", detail, *relinked)
    links = (f"\n\n{_n(len(relinked), 'manual link')} changed: see the Log sheet."
             if relinked else "")
    columns = "\n".join(f"  {r[0]}  <-  {r[1]}" for r in map_rows
                        if len(r) > 1 and r[1] and r[0] != IGNORED)
    sheets.alert(book, f"Read {detail}.\n\nColumns used:\n{columns}\n\nWrong column? Fix it "
                       f"on the Mapping sheet and import again.\nNext: Reconcile.{links}")


def _relink(book: xw.Book, entries: Sequence) -> list[str]:
    """Re-aim the IMS sheet's Link Books Row cells at the rows their documents have in the
    register being imported (month/carried_links.py); returns what changed, for the Log."""
    from ..workbook.data import WorkbookData
    from ..month.carried_links import carried_links
    if not sheets.column_has_values(book, SHEET_IMS, IMS_COLUMNS, "link"):
        return []
    ims = sheets.read_table(book, SHEET_IMS)
    if not ims.rows or H_LINK.lower() not in ims.positions:
        return []
    link_at, key_at = ims.positions[H_LINK.lower()], ims.positions[H_KEY.lower()]
    if all(r[link_at] in (None, "") for r in ims.rows):
        return []
    old = sheets.read_table(book, SHEET_PURCHASE)
    before = WorkbookData(ims_header=ims.header, ims_rows=ims.rows,
                          purchase_rows=old.in_layout(PURCHASE_COLUMNS))
    links, notes = carried_links(before, entries)
    changes = {ims.first_row + n: links[r[key_at]] for n, r in enumerate(ims.rows)
               if r[key_at] in links and str(links[r[key_at]]) != _text(r[link_at])}
    sheets.write_updates(book, ims, {"link": changes}, IMS_COLUMNS)
    return notes


def reconcile(book: xw.Book) -> None:
    """Match IMS rows with the Purchase sheet; write only the result columns."""
    from ..register import entries_from_rows
    from ..month.pipeline import result_updates
    from ..reconcile import Settings, reconcile as match
    from ..workbook.ims_sheet import links_of
    with sheets.busy(book, "IMS: reading the sheets..."):
        settings = sheets.read_settings(book)
        ims, rows = _ims(book)
        purchase = sheets.read_table(book, SHEET_PURCHASE)
        if not purchase.rows:
            raise ImsXlError("The Purchase sheet is empty. Click Import Purchase Register "
                             "first.")
        entries = entries_from_rows(purchase.rows, header=purchase.header)
        sheets.status(book, f"IMS: matching {_n(len(rows), 'record')}...")
        result = match([r.record for r in rows], entries, Settings.from_mapping(settings),
                       links=links_of(ims.header, ims.rows))
        ims_updates, purchase_updates = result_updates(result, rows, entries)
        sheets.status(book, "IMS: writing the results...")
        sheets.write_updates(book, ims, ims_updates, IMS_COLUMNS)
        sheets.write_updates(book, purchase, purchase_updates, PURCHASE_COLUMNS)
        labels = _status_counts(result.counts())
        sheets.append_log(book, "Reconcile", labels)
    sheets.alert(book, f"Reconciled {_n(len(rows), 'record')}: {labels}.\n\n"
                       "Next: Apply Suggestions, then review the Action column.")


def _status_counts(counts: dict) -> str:
    """{"matched": 3, ...} -> "Matched 3, ..." in the workbook's words."""
    from ..reconcile.result import STATUS_LABELS
    return _counts({STATUS_LABELS.get(k, k): v for k, v in counts.items()})


def apply_suggestions(book: xw.Book) -> None:
    """Copy Suggested Action (and its remarks) into Action.

    Selected IMS rows get the suggestion; with no selection in the IMS data, every row
    whose Action is blank does. The editable columns are saved first, for Undo.
    """
    from ..month.apply_suggestions import apply_suggestions as decide
    with sheets.busy(book, "IMS: applying suggestions..."):
        ims, rows = _ims(book)
        selected = sheets.selected_rows(book, ims)
        sheets.snapshot(book, ims, "Apply Suggestions")
        updates = decide(rows, selected)
        sheets.write_updates(book, ims, updates, IMS_COLUMNS)
        changed = len(updates.get("action", {}))
        scope = (f"the {_n(len(selected), 'selected row')}" if selected
                 else "rows with a blank Action")
        sheets.append_log(book, "Apply suggestions", f"{_n(changed, 'row')} of {scope}")
    hint = "" if changed else "\nNo suggestion to apply: click Reconcile first."
    sheets.alert(book, f"Applied the suggestion to {_n(changed, 'row')} ({scope}).{hint}\n\n"
                       "Undo Last Change puts the previous actions back.")


def validate(book: xw.Book):
    """Check every action against the portal's rules; messages go to the Validation column.

    Only values are written: filters and sorting the user set stay as they are.
    """
    with sheets.busy(book, "IMS: validating..."):
        ims, rows = _ims(book)
        report = _validate(book, ims, rows)
        sheets.append_log(book, "Validate", f"{_n(len(report.errors), 'error')}, "
                                            f"{_n(len(report.warnings), 'warning')}")
    shown = "\n".join(str(i) for i in report.errors[:SHOWN_ERRORS])
    more = len(report.errors) - SHOWN_ERRORS
    tail = f"\n... and {more:,} more: filter the Validation column." if more > 0 else ""
    verdict = ("Fix the errors (see the Validation column), then validate again."
               if report.errors else "Ready: click Generate Upload JSON.")
    sheets.alert(book, f"{_n(len(report.errors), 'error')}, "
                       f"{_n(len(report.warnings), 'warning')}.\n{shown}{tail}\n\n{verdict}",
                 critical=bool(report.errors))
    return report


def _validate(book: xw.Book, ims: Table, rows: list):
    from ..validate import validate_rows, validation_updates
    from ..validate.links import source_rows
    books_rows = None
    if any(r.get("link") not in (None, "") for r in rows):     # read the books only then
        purchase = sheets.read_table(book, SHEET_PURCHASE)
        books_rows = source_rows(purchase.in_layout(PURCHASE_COLUMNS))
    report = validate_rows(rows, books_rows=books_rows)
    sheets.write_updates(book, ims, validation_updates(rows, report), IMS_COLUMNS)
    return report


def export(book: xw.Book) -> None:
    """Validate, then write the upload JSON (changed records only) to the chosen path.

    A copy of each file is kept on the hidden _Exports sheet (Import Error File reads it
    back), and Upload Status says which rows went into which file.
    """
    from ..files.atomic import write_bytes
    from ..month.export import build_export
    out = Path(_paths(book, "where to save the upload JSON")[0])
    with sheets.busy(book, "IMS: validating..."):
        ims, rows = _ims(book)
        report = _validate(book, ims, rows)
        if not report.valid:
            raise ValidationFailed(report)
        rtin = recipient_gstin(home=sheets.read_settings(book).get("RecipientGSTIN"),
                               required=True, fix="correct it on the Home sheet and generate "
                               "again")
        result = build_export(rows, rtin, now=datetime.now(), out_name=out.name)
        if result.rows:
            sheets.status(book, f"IMS: writing {_n(len(result.rows), 'record')}...")
            files = [write_bytes(out.with_name(name), text.encode())
                     for name, text in result.files]
            sheets.write_updates(book, ims, result.updates, IMS_COLUMNS)
            copies = copy_rows(result.sent, result.log[0])
            sheets.append_rows(book, SHEET_EXPORTS, copies, copy_columns(copies),
                               hidden=True, anchor="B", header=True)
            sheets.append_rows(book, SHEET_LOG, [result.log], LOG_COLUMNS)
        else:
            sheets.append_log(book, "Export", "nothing changed; no file written")
    if not result.rows:                  # message boxes only once the screen is back
        sheets.alert(book, "No record changed since the download, so there is nothing to "
                           "upload. No file was written.")
        return
    names = "\n".join(str(f) for f in files)
    warn = (f"\n{_n(len(report.warnings), 'warning')}: see the Validation column."
            if report.warnings else "")
    sheets.alert(book, f"Wrote {_n(len(result.rows), 'changed record')} to\n{names}{warn}\n\n"
                       "Upload it on the portal: IMS > Offline > Upload JSON. If the portal "
                       "reports errors, use Import Error File.")


def import_errors(book: xw.Book) -> None:
    """Put the portal's error messages on their rows; the rest of the upload is synced.

    What was sent comes from the copies on _Exports, so a row edited after the export is
    still marked with what the portal actually received.
    """
    from ..month.import_errors import apply_error_file, sent_records
    paths = _paths(book, "the error file downloaded from the portal")
    with sheets.busy(book, "IMS: reading the error file..."):
        download = read_ims(paths).require("errors")
        ims, rows = _ims(book)
        exports = sheets.read_table(book, SHEET_EXPORTS)
        sent = sent_records(copies_from_rows(exports.header, exports.rows))
        result = apply_error_file(rows, download, sent=sent)
        sheets.write_updates(book, ims, result.updates, IMS_COLUMNS)
        detail = _counts(result.counts)
        sheets.append_log(book, "Import errors", detail)
    missing = "".join(f"\nNot on the sheet: {r.label()}" for r in result.unmatched[:SHOWN_ERRORS])
    sheets.alert(book, f"Error file imported: {detail}.{missing}\n\nFix the rows with a "
                       "Portal Error, then Validate and Generate Upload JSON again.",
                 critical=bool(result.unmatched))


def undo(book: xw.Book) -> None:
    """Put back Action, Remarks and the ITC columns as they were before the last change.

    The state being replaced is saved first, so clicking Undo again redoes the change.
    """
    with sheets.busy(book, "IMS: undoing..."):
        step, snap = sheets.read_snapshot(book)
        if not snap.rows:
            raise ImsXlError("Nothing to undo: no change has been saved yet.")
        ims, _ = _ims(book)
        updates, restored = restore_updates(ims, snap)
        # Saved under the name of what a second click would undo: "Undo of X" <-> "X".
        again = step[len(UNDO_OF):] if step.startswith(UNDO_OF) else UNDO_OF + step
        sheets.snapshot(book, ims, again)
        sheets.write_updates(book, ims, updates, IMS_COLUMNS)
        sheets.append_log(book, "Undo", f"{_n(restored, 'row')} as before {step}")
    sheets.alert(book, f"Restored Action, Remarks and ITC columns of {_n(restored, 'row')} "
                       f"as they were before {step}.\nClick Undo Last Change again to redo.")


def restore_updates(ims: Table, snap: Table) -> tuple[dict, int]:
    """Column updates that put the snapshot's values back, matched on Record Key."""
    key_at = ims.positions[IMS_COLUMNS[index_of(IMS_COLUMNS, "key")].header.lower()]
    row_of = {str(r[key_at]): ims.first_row + n for n, r in enumerate(ims.rows)
              if r[key_at] not in (None, "")}
    updates: dict = {k: {} for k in sheets.EDITABLE}
    restored = 0
    for values in snap.rows:
        row = row_of.get(str(values[0]))
        if row is None:
            continue                          # the record left the sheet since
        restored += 1
        for key, value in zip(sheets.EDITABLE, values[1:]):
            updates[key][row] = "" if value is None else value
    # A workbook made before a column existed (Link Books Row) has nothing to restore there.
    by_key = {c.key: c for c in IMS_COLUMNS}
    return {k: v for k, v in updates.items()
            if by_key[k].header.lower() in ims.positions}, restored


def refresh_summary(book: xw.Book) -> None:
    """The ITC impact of the chosen actions, on the Summary sheet."""
    from ..reports import summary
    with sheets.busy(book, "IMS: summarising..."):
        _, rows = _ims(book)
        purchase = sheets.read_table(book, SHEET_PURCHASE)
        s = summary.compute(rows, purchase.in_layout(PURCHASE_COLUMNS))
        sheets.write_block(book, SHEET_SUMMARY, summary.summary_rows(s))
        sheets.append_log(book, "Summary", f"{_n(len(rows), 'record')}")
    sheets.alert(book, "The Summary sheet is up to date.")


def write_statements(book: xw.Book) -> None:
    """One statement per supplier with differences, in a folder beside the workbook."""
    from ..reports import statements as statement
    with sheets.busy(book, "IMS: writing supplier statements..."):
        _, rows = _ims(book)
        purchase = sheets.read_table(book, SHEET_PURCHASE)
        found = statement.build_statements(rows, purchase.in_layout(PURCHASE_COLUMNS),
                                           sheets.read_settings(book))
        if found:
            folder, where = statements_folder(book)
            files = statement.write_statement_files(found, folder)
            sheets.append_log(book, "Statements", f"{_n(len(found), 'supplier')} in {folder}")
    if not found:                        # message boxes only once the screen is back
        sheets.alert(book, "No supplier has mismatches, records missing in the books "
                           "or books-only documents. Nothing was written.")
        return
    sheets.alert(book, f"Wrote {_n(len(found), 'supplier statement')} and "
                       f"{Path(files[-1]).name} to\n{folder}{where}")


def statements_folder(book: xw.Book) -> tuple[Path, str]:
    """`Supplier statements <date time>` beside the workbook, and a note when it cannot be.

    A workbook opened from OneDrive or SharePoint is a web address, not a folder we can
    write into: the statements then go to the home folder, and the message says so.
    """
    stamp = f"{datetime.now():%Y-%m-%d %H%M}"
    here = sheets.folder(book)
    note = ("" if here else
            "\n\nThis workbook is not a file on this computer (opened from OneDrive, "
            "SharePoint or never saved), so the statements went to your home folder. To "
            "have them beside the workbook, open it from its synced folder (File > Open > "
            "Browse) or save it on this computer.")
    return (here or Path.home()) / f"Supplier statements {stamp}", note


def check_setup(book: xw.Book) -> str:
    """Report Python, ims-xl and xlwings versions and what to fix.

    The verdict also goes into ImsXlPaths: the VBA empties that cell first and treats it
    still being empty as "Python never ran".
    """
    problems = setup_problems(book)
    lines = [f"Python {platform.python_version()}: {sys.executable}",
             f"ims-xl {__version__}", f"xlwings {xw.__version__}"]
    verdict = ("Everything is set up." if not problems
               else "To fix:\n" + "\n".join(f"- {p}" for p in problems))
    text = "\n".join(lines) + "\n\n" + verdict
    sheets.write_paths(book, "OK" if not problems else "PROBLEMS")
    sheets.alert(book, text, critical=bool(problems))
    return text


def setup_problems(book: xw.Book) -> list[str]:
    problems = []
    pinned = pinned_xlwings()
    if pinned and pinned != xw.__version__:
        problems.append(f"xlwings {xw.__version__} is installed but this ims-xl and its "
                        f"workbook need {pinned}: run  pip install \"xlwings=={pinned}\"  "
                        "(on a Mac then also: xlwings runpython install)")
    if sys.version_info < (3, 11):
        problems.append("Python 3.11 or newer is needed (python.org).")
    missing = [s for s in SHEETS if not sheets.has_sheet(book, s)]
    if missing:
        problems.append(f"sheet(s) {', '.join(missing)} are missing: make a fresh copy of "
                        "the workbook with  ims-xl workbook <folder>")
    if not sheets.has_paths_cell(book):
        problems.append(f"the hidden cell {PATH_NAME} is missing: make a fresh copy of the "
                        "workbook with  ims-xl workbook <folder>")
    return problems


def pinned_xlwings() -> str:
    """The exact xlwings version ims-xl pins (its workbook embeds that version's VBA)."""
    from importlib import metadata
    try:
        requires = metadata.requires("ims-xl") or []
    except metadata.PackageNotFoundError:
        return ""
    for req in requires:
        name, _, version = req.partition("==")
        if name.strip().lower() == "xlwings" and version:
            return version.split(";")[0].strip()
    return ""


def help(book: xw.Book) -> None:  # noqa: A001 - the button is called Help
    """The month's steps, as on the Home sheet."""
    sheets.alert(book, "\n\n".join(STEPS) + "\n\nUndo Last Change puts back the actions "
                       "before the last Import, Apply Suggestions or Undo. Check Setup "
                       "tests the link to Python.")
