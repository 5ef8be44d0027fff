"""The month's job end to end, for the command line and batch runs.

parse IMS -> read books -> reconcile -> workbook data (+ RESULT.json). The live workbook
runs the same steps one button at a time (`ims_xl.excel.actions`).
"""

from __future__ import annotations

import json
from collections import Counter
from contextlib import ExitStack
from functools import partial
from importlib import import_module
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Sequence

from ..model import action
from .. import progress
from ..memory import left_for_exit, paused_gc
from ..files.aside import read_aside, written_aside
from ..files.atomic import Transaction, check_writable, write_bytes
from ..workbook.data import WorkbookData, read_workbook
from ..portal.download import Download, read_ims
from ..portal.record_text import own_texts
from ..model.errors import ImsXlError
from ..model.recipient import recipient_gstin
from ..workbook.layout import FIRST_ROW, IMS_COLUMNS, index_of
from .carried_links import carried_links
from .purchase import books_only_cells, purchase_status, purchase_with_status
from ..reconcile.result import STATUS_LABELS, Reconciliation, records_of, results_of
from .result_json import result_bytes, result_document, result_text
from ..model.section import SECTIONS
from ..workbook.ims_sheet import ims_rows, result_columns, sheet_rows_typed, status_cells
from ..portal.upload import dumps, write_upload
from ..reports.summary import Summary, compute, compute_fresh, summary_rows

if TYPE_CHECKING:
    from ..register.reader import Register

SETTINGS_GSTIN = "RecipientGSTIN in the settings"
SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples"


def parse_files(paths: list, out=None):
    """`ims-xl parse`: read, merge, count; optionally write the merged download back."""
    if out:
        from ..files.guard import refuse_overlap
        refuse_overlap({"FILES": paths}, {"--out": out})
        check_writable(out)
    dl = read_ims(paths)
    counts = Counter(r.section for r in dl.records)
    yield f"{len(dl.records)} record(s) from {len(dl.files)} file(s) ({dl.kind})"
    for code in SECTIONS:
        if counts[code]:
            yield f"  {code:7} {counts[code]}"
    if dl.duplicates:
        yield f"  {dl.duplicates} record(s) appeared more than once and were kept once"
    yield from dl.other_lines()
    if out:
        write_bytes(out, dumps(download_document(dl), indent=1).encode())
        yield f"wrote {out}"


def describe_register(path, settings_path=None, shown: int = 40):
    """`ims-xl books`: the mapping used, with reasons, then the checks' findings."""
    from ..register import read_register
    from ..register.mapping import load_settings
    saved = (load_settings(settings_path) if settings_path else {}).get("mapping")
    register = read_register(path, mapping=saved)
    yield (f"{register.file}: sheet {register.sheet}, header row {register.header_row}, "
           f"{len(register.entries)} document(s)")
    yield "Column mapping (correct it in the settings file's \"mapping\", or the Mapping sheet):"
    yield from (f"  {line}" for line in register.mapping.describe())
    issues = register.issues
    if issues:
        yield f"{len(issues)} finding(s) on the books:"
        yield from (f"  {i}" for i in issues[:shown])
        if len(issues) > shown:
            yield f"  ... and {len(issues) - shown} more (see the Warnings column)"


def download_document(dl: Download) -> dict:
    """Records back into one offline-dialect download, every value as read."""
    sections: dict[str, list] = {}
    for rec in dl.records:
        sections.setdefault(rec.section, []).append(rec.raw)
    return {"imsDetails": {**sections, **dl.other}}    # other sections written back as read


def reconcile_client(ims_paths, books_path, *, gstin: str | None = None, previous=None,
                     settings: dict | None = None, keep=None,
                     now: datetime | None = None) -> tuple[WorkbookData, dict]:
    """One client's month: the workbook's data and the RESULT.json document.

    Reads the files and hands their contents to `reconcile_month`. `keep` is the workbook
    about to be replaced (a path, the workbook already read, or a function giving it, called
    once matching is done): the work typed in it is carried forward after `previous`'s (it
    is the newer of the two).
    """
    data, result = _client(ims_paths, books_path, gstin=gstin, previous=previous,
                           settings=settings, keep=keep, now=now)
    return data, result_document(result)


def _client(ims_paths, books_path, *, gstin: str | None = None, previous=None,
            settings: dict | None = None, keep=None, now: datetime | None = None,
            ahead: ExitStack | None = None, matched: Callable | None = None
            ) -> tuple[WorkbookData, Reconciliation]:
    """`reconcile_client`, giving the reconciliation itself. `ahead` (the data is for
    `write_workbook`, which runs before this stack closes): the register is read on the
    other core while the download is read here, and the sheets' cells that do not depend on
    matching are written there meanwhile (`workbook/ahead.py`): the Purchase sheet's always,
    the IMS sheet's for a fresh month (work carried forward changes its rows), and their
    processes then deflate them too. `matched(result, here)` is called once the month is
    laid out and summed up; `here`: the second core is busy deflating both data sheets
    meanwhile, so RESULT.json is best made in this process, which would otherwise wait."""
    from ..register import read_register
    from ..register.mapping import Mapping
    from ..workbook.ahead import deflated_ahead, ims_sheet_ahead, register_ahead
    with paused_gc(), ExitStack() as here:
        stack = ahead if ahead is not None else here
        settings = dict(settings or {})
        saved = settings.get("mapping")
        # Written ahead, the Purchase sheet's process runs the books checks: only that sheet
        # shows their findings
        read = partial(read_register, books_path, checked=ahead is None,
                       mapping=Mapping.from_dict(saved) if saved else None)
        # Written ahead, the register is read on the other core while the download is read
        # here, and its Purchase sheet written there too
        books, purchase = stack.enter_context(register_ahead(read)) if ahead is not None else \
            (lambda recipient: read(recipient=recipient), _laid_out)
        dl = read_ims(ims_paths).require("download")
        fresh = ahead is not None and not (previous or keep) and _fits(len(dl.records))
        if ahead is not None:   # numpy, for `ims_side` in the IMS sheet's process; pandas
            import_module("numpy")  # (about 0.4 s) is loaded here once it runs, so it starts sooner
        ims, ims_side = stack.enter_context(ims_sheet_ahead(dl.records, dl.sources)) \
            if fresh else (lambda pairs: ims_rows(pairs, own_texts(dl.sources)), None)
        spelled = None
        if ahead is not None:   # while the register is still read on the other core
            import_module("ims_xl.reconcile.match")
            spelled = _spellings(dl.records, settings)
        rtin = recipient_gstin(given=gstin, download=dl.rtin, home=settings.get("RecipientGSTIN"),
                               home_is=SETTINGS_GSTIN)      # the register's checks need it
        register = books(rtin)
        if not _fits(len(register.entries)):
            purchase = _laid_out

        def carried_from() -> list[WorkbookData]:            # oldest first
            found = [p if isinstance(p, WorkbookData) else p() if callable(p) else
                     read_workbook(p, carrying=True) for p in (previous, keep) if p]
            return [p for p in found if p is not None]
        if matched and fresh and deflated_ahead(len(dl.records)):
            matched = partial(matched, here=True)
        return _month(dl, register, settings=settings, gstin=gstin,
                      earlier=carried_from if previous or keep else (),
                      now=now or datetime.now(), tables=_Tables(ims, purchase), matched=matched,
                      spelled=spelled, ims_side=ims_side)


def _spellings(records: list, settings: dict) -> dict:
    """The download's number spellings (`number.spelling_texts`: a few microseconds each,
    and a download's numbers are nearly all distinct), worked out while the register is
    read on the other core (`workbook.ahead.register_ahead`): matching then only gives them
    their codes."""
    from ..reconcile import Settings
    from ..reconcile.number import spelling_texts
    texts = [r.doc_number for r in records] + [r.orig_doc_number for r in records]
    return spelling_texts(texts, tuple(Settings.from_mapping(settings).fy_years))


def _laid_out(values: dict, laid_out: Callable[[], list]) -> list:
    return laid_out()


class _Tables(NamedTuple):
    """How the data sheets' rows are made from the result: laid out here, or partly written
    ahead (`workbook/ahead.py`)."""
    ims: Callable[[list], Any] = ims_rows
    purchase: Callable[[dict, Callable[[], list]], Any] = _laid_out


def reconcile_month(download: Download, register: Register, *, settings: dict,
                    now: datetime, gstin: str | None = None,
                    earlier: Sequence[WorkbookData] = ()) -> tuple[WorkbookData, dict]:
    """The month's reconciliation on data already read: the workbook's data and RESULT.json.

    No file is read and no clock is asked: `now` stamps the Log. `earlier` are workbooks of
    this client, oldest first: their work is carried forward (the newest wins), and manual
    links (Link Books Row) come from the newest, re-aimed at `register`'s rows.
    """
    data, result = _month(download, register, settings=settings, now=now, gstin=gstin,
                          earlier=earlier)
    return data, result_document(result)


def _month(download: Download, register: Register, *, settings: dict, now: datetime,
           gstin: str | None = None,
           earlier: Sequence[WorkbookData] | Callable[[], Sequence[WorkbookData]] = (),
           tables: _Tables = _Tables(), matched: Callable | None = None,
           spelled: dict | None = None, ims_side: Callable[[], dict] | None = None
           ) -> tuple[WorkbookData, Reconciliation]:
    """`reconcile_month`, giving the reconciliation itself (`matched(result)` is called
    once the month is laid out and summed up); `tables` make the data sheets when they were
    partly written ahead, `spelled` holds the download's number spellings worked out ahead,
    and `ims_side()` gives the records' columns for matching (worked out ahead by the IMS
    sheet's process). `earlier` may be a function giving the workbooks: it is called once
    matching is done (a re-run reads the workbook it replaces on the other core meanwhile),
    and matching runs again in the rare month whose newest workbook has manual links to
    carry."""
    from ..reconcile import Settings, reconcile

    settings = dict(settings)
    rtin = recipient_gstin(given=gstin, download=download.rtin,
                           home=settings.get("RecipientGSTIN"), home_is=SETTINGS_GSTIN)
    dl = download
    rules = Settings.from_mapping(settings)
    links, link_notes = ({}, []) if callable(earlier) else _links(earlier, register.entries)
    progress.stage(f"Matching {len(dl.records):,} records with {len(register.entries):,} "
                   "documents")
    side = ims_side() if ims_side else None
    result = reconcile(dl.records, register.entries, rules, links=links, spelled=spelled,
                       ims_side=side)
    if callable(earlier):
        earlier = earlier()
        links, link_notes = _links(earlier, register.entries)
        if links:
            progress.stage(f"Matching again with {len(links):,} manual link(s)")
            result = reconcile(dl.records, register.entries, rules, links=links,
                               spelled=spelled, ims_side=side)
    progress.stage("Laying out the IMS sheet")
    data = WorkbookData()
    data.settings = {**settings, "RecipientGSTIN": rtin}
    data.settings.pop("mapping", None)
    data.ims_rows = tables.ims(result.ims)
    _put_links(data, links)
    status = purchase_status(register.entries, result)
    laid_out = partial(_purchase_rows, register, status)
    data.purchase_rows = tables.purchase(status, laid_out)
    data.mapping_rows = register.mapping.to_rows()
    stamp = now.strftime("%Y-%m-%d %H:%M")
    counts = result.counts()
    data.log_rows = [
        [stamp, "Import IMS", f"{len(dl.records)} record(s) from {', '.join(dl.files)}"],
        [stamp, "Import books", f"{len(register.entries)} document(s) from {register.file} "
                                f"(sheet {register.sheet}, header row {register.header_row})"],
        [stamp, "Reconcile", ", ".join(f"{STATUS_LABELS[k]} {v}" for k, v in counts.items())],
    ] + [[stamp, "Not imported", line.removeprefix("warning: ")] for line in dl.other_lines()]
    data.log_rows += [[stamp, "Manual links", note] for note in link_notes]
    records = records_of(result.ims)                  # the rows' order, kept by carrying
    books_only = books_only_cells(register.entries, status)
    if earlier:
        gone = {g.key: g for b in earlier   # pending in both: once
                for g in _carry(data, b, stamp, records)}
        _put_links(data, links)           # the links as re-aimed, not as typed last time
        rows = sheet_rows_typed(records, data.ims_rows)
        _summarise(data, partial(compute, rows, books_only, gone=list(gone.values())))
    else:                                 # nothing typed: summed up from the columns
        _summarise(data, partial(compute_fresh, records, status_cells(data.ims_rows),
                                 books_only))
    # RESULT.json's process starts only now, while the workbook is written. Started as soon
    # as matching ended, it ran beside the sheets' processes while this one laid out and
    # summed up, the work the run waits for: 0.08 s slower on average (20 alternated runs)
    if matched:
        matched(result)
    return data, result


def _purchase_rows(register: Register, status: dict) -> list:
    """The Purchase sheet's rows, the books checks' findings in their Warnings cells."""
    return purchase_with_status(register.checked().entries, status)


def _links(earlier: Sequence[WorkbookData], entries: Sequence) -> tuple[dict, list[str]]:
    """The manual links typed in the newest workbook, re-aimed at `entries`, and the Log's
    notes on them."""
    return carried_links(earlier[-1], entries) if earlier else ({}, [])


def _put_links(data: WorkbookData, links: dict) -> None:
    """The Link Books Row cells this run used, so the next run starts from them."""
    if not links:
        return
    key_at, link_at = index_of(IMS_COLUMNS, "key"), index_of(IMS_COLUMNS, "link")
    for row in data.ims_rows:
        if row[key_at] in links:
            row[link_at] = links[row[key_at]]


def _carry(data: WorkbookData, previous: WorkbookData, now: str, records: list) -> list:
    """Carry last month's actions forward; returns the pending records now gone."""
    from .carry_forward import carry_forward
    carried = carry_forward(previous, data.ims_rows, records)
    data.ims_rows = carried.rows
    data.log_rows.append([now, "Carry forward", ", ".join(f"{k} {v}" for k, v in
                                                          carried.counts.items())])
    for gone in carried.gone:
        data.log_rows.append([now, "Pending gone", str(gone)])
    return carried.gone


def _summarise(data: WorkbookData, figures: Callable[[], Summary] | None = None) -> None:
    """The Summary sheet's rows: `figures()`, or the figures of `data`'s IMS and Purchase
    rows."""
    from ..workbook.ims_sheet import read_ims_rows
    progress.stage("Summing up")
    if figures is None:
        figures = partial(compute, read_ims_rows(data.ims_header, data.ims_rows),
                          data.purchase_rows)
    data.summary_rows = summary_rows(figures())


def result_updates(result: Reconciliation, sheet_rows: list, entries: list) -> tuple[dict, dict]:
    """Column updates for a live workbook: IMS result columns and Purchase status columns.

    `sheet_rows` are the IMS SheetRows in the order given to `reconcile`; `entries` the books
    documents read from the Purchase sheet (each knows its sheet row: blank rows are skipped).
    """
    rows = [sr.row for sr in sheet_rows]
    ims = {k: dict(zip(rows, values))
           for k, values in result_columns(results_of(result.ims)).items()}
    purchase: dict = {"status": {}, "ims_row": {}}
    for i, (entry, label, j) in enumerate(zip(entries, *result.books_statuses(entries))):
        row = entry.sheet_row or FIRST_ROW + i
        purchase["status"][row] = label
        purchase["ims_row"][row] = "" if j is None else sheet_rows[j].row
    return ims, purchase


def reconcile_files(ims_paths, books_path, out, *, json_out=None, gstin=None, previous=None,
                    settings_path=None):
    """`ims-xl reconcile`: write the reconciled workbook (and RESULT.json)."""
    from ..register.mapping import load_settings
    from ..files.guard import refuse_json_over_workbook, refuse_overlap
    # --mapping is read and written (the settings file); --previous may name --out: carrying
    # that workbook's work forward is the point
    refuse_overlap({"--ims": ims_paths, "--books": books_path},
                   {"--out": out, "--json": json_out, "--mapping": settings_path})
    refuse_overlap({"--previous": previous}, {"--json": json_out, "--mapping": settings_path})
    for target in (out, json_out, settings_path):
        if target:
            check_writable(target)
    if json_out:
        refuse_json_over_workbook(json_out, "--json (the reconciliation result)")
    settings = load_settings(settings_path) if settings_path else {}
    # One pause for the whole run: a collection between its stages rescans the millions of
    # objects read so far (0.9 s at 100,000 records).
    with paused_gc():
        data, result, worked, too_big = _reconciled(ims_paths, books_path, out, json_out,
                                                    gstin=gstin, previous=previous,
                                                    settings=settings)
    left_for_exit(data, result)
    if too_big:
        yield f"wrote {json_out}"
        raise ImsXlError(f"{too_big}: wrote {json_out} only, no {Path(out).name}. Split the "
                         "download (by return period or supplier) for workbooks")
    yield f"wrote {out}"
    yield from (f"warning: {row[2]} (also on the Log sheet)" for row in data.log_rows
                if row[1] == "Not imported")
    if worked:
        yield (f"kept the work typed in {out}: {worked} row(s) with an Action, Remarks or "
               "history carried forward (as --previous does)")
    if not data.settings.get("RecipientGSTIN"):
        yield ("note: the download names no recipient GSTIN; type yours on the Home sheet "
               "(or pass --gstin) before exporting")
    if settings_path and not settings.get("mapping"):
        # remember the detected mapping: the user corrects it in this file once, next month reuses it
        from ..register.mapping import Mapping, save
        save(settings_path, Mapping.from_rows(data.mapping_rows))
        yield f"saved the column mapping in {settings_path} (edit it there to correct it)"
    if json_out:
        yield f"wrote {json_out}"
    counts = Counter(result.column("status"))
    yield (f"{len(result.ims)} IMS record(s): " + ", ".join(
        f"{STATUS_LABELS[s]} {counts[s]}" for s in STATUS_LABELS if s in counts)
        + f"; {len(result.books_only)} books-only document(s)")


def _reconciled(ims_paths, books_path, out, json_out, *, gstin, previous, settings):
    """Reconcile, then write the workbook and --json together: (data, reconciliation, rows
    of work kept from `out`, why the workbook cannot hold the month). Past Excel's sheet size
    only --json is written."""
    from ..workbook.writer import write_workbook
    checked: dict = {}                        # the rows of work typed in `out`, once known
    # The workbook and --json land together; RESULT.json is made once the month is laid out
    # and summed up: here when the other core is deflating the data sheets meanwhile
    # (`matched(result, here=True)`), else there while this process writes the workbook.
    with Transaction() as tx, ExitStack() as aside:
        def matched(result: Reconciliation, here: bool = False) -> None:
            if json_out and here:
                progress.stage(f"Writing {Path(json_out).name}")
                tx.write_bytes(json_out, result_bytes(result))
            elif json_out:
                aside.enter_context(written_aside(tx, json_out, partial(result_bytes, result)))
        if not Path(out).exists():
            data, result = _client(ims_paths, books_path, gstin=gstin, previous=previous,
                                   settings=settings, ahead=aside, matched=matched)
        else:    # a re-run: `out` is read on the other core while the inputs are read and
                 # matched here
            with read_aside(lambda: read_workbook(out, carrying=True)) as read:
                data, result = _client(ims_paths, books_path, gstin=gstin, previous=previous,
                                       settings=settings, ahead=aside, matched=matched,
                                       keep=partial(_kept, out, read, previous, checked))
        too_big = _past_excel(data)
        if too_big and not json_out:
            raise ImsXlError(f"{too_big}: nothing was written. Add --json RESULT.json to get "
                             "the whole result as JSON, or split the download")
        if not too_big:
            write_workbook(out, data, tx=tx)
        if json_out:
            progress.stage(f"Writing {Path(json_out).name}")
    return data, result, checked.get("worked"), too_big


def _kept(out, read, previous, checked: dict) -> WorkbookData | None:
    """The workbook `out`, checked (`guard.worked_workbook`: refused if ims-xl did not make
    it), to carry its work forward; None when it is `previous` (carried from there)."""
    from ..files.guard import same_file, worked_workbook
    kept, checked["worked"] = worked_workbook(out, read)
    return None if previous and same_file(previous, out) else kept


def _fits(rows: int) -> bool:
    """Whether `rows` rows fit in one sheet (1,048,575 below its header)."""
    from ..workbook.build import sheetdata
    return rows < sheetdata.MAX_ROWS


def _past_excel(data: WorkbookData) -> str:
    """Why the workbook cannot hold `data` (a sheet holds 1,048,575 rows below its header)."""
    from ..workbook.build import sheetdata
    room = sheetdata.MAX_ROWS - 1
    for what, rows in (("IMS records", data.ims_rows), ("books documents", data.purchase_rows)):
        if not _fits(len(rows)):
            return (f"{len(rows):,} {what} do not fit in one Excel sheet (at most {room:,} "
                    "rows)")
    return ""


def run_demo(out: Path):
    """`ims-xl demo`: the whole month on the bundled samples, suggestions applied."""
    from .apply_suggestions import apply_suggestions
    from .export import build_export
    from ..reports.summary import effective_action
    from ..workbook.ims_sheet import apply_updates, read_ims_rows
    from ..files.guard import worked_workbook
    from ..workbook.writer import write_workbook
    out = Path(out)
    for name in ("IMS_Reconciled.xlsm", "result.json", "upload.json"):
        check_writable(out / name)
    workbook = out / "IMS_Reconciled.xlsm"
    keep, _ = worked_workbook(workbook)            # a run before: keep its work
    ims, books, settings = _sample_inputs(out)
    data, doc = reconcile_client([ims], books, settings=json.loads(settings.read_text()),
                                 keep=keep)
    rows = read_ims_rows(data.ims_header, data.ims_rows)
    data.ims_rows = apply_updates(data.ims_header, data.ims_rows, apply_suggestions(rows))
    _summarise(data)                           # the summary now shows the decisions
    write_workbook(workbook, data)
    yield f"reconciled {len(doc['ims'])} IMS records with {books.name}: wrote {workbook}"
    write_bytes(out / "result.json", result_text(doc).encode())
    yield f"wrote {out / 'result.json'}"
    data = read_workbook(workbook)
    rows = read_ims_rows(data.ims_header, data.ims_rows)
    export = build_export(rows, recipient_gstin(home=data.settings.get("RecipientGSTIN")),
                          now=datetime.now())
    paths = write_upload(export.upload, out / "upload.json")
    yield f"applied the suggestions: {len(export.rows)} changed record(s) in {paths[0]}"
    counts = Counter(action.label_of(effective_action(sr)) for sr in rows)
    yield "actions: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def _sample_inputs(out: Path) -> tuple[Path, Path, Path]:
    """The bundled samples; regenerated into OUT/inputs when run outside the repository."""
    for folder in (Path.cwd() / "samples", SAMPLES):     # the repository's, when run there
        files = (folder / "ims_download.json", folder / "purchase_register.csv",
                 folder / "settings.json")
        if all(p.exists() for p in files):
            return files
    from ..testdata.samples import write_samples
    return write_samples(out / "inputs")
