"""Many clients in one run: reconcile every client folder and write a cover workbook.

A client folder holds its IMS download(s) (`*.json`, `*.zip`), one purchase register (`*.xlsx`,
`*.xlsm`, `*.xls`, `*.csv`: the file that is not a download) and optionally `settings.json`. Clients
run in parallel (one process per core); a broken client is reported on its row of `_cover.xlsx` and
never stops the others (docs/reference/matching.md#user-asks item 1).
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..files.atomic import atomic_path
from ..memory import paused_gc
from ..model.errors import ImsXlError
from ..workbook.layout import MONEY_FORMAT, PURCHASE_COLUMNS, index_of
from ..reconcile.result import STATUS_LABELS
from ..reports.statements import safe_name

__all__ = ["ClientJob", "ClientResult", "find_clients", "run_batch", "run_client",
           "write_cover"]

DOWNLOAD_EXT = (".json", ".zip")
BOOKS_EXT = (".xlsx", ".xlsm", ".xls", ".csv")
SETTINGS_NAME = "settings.json"
RESULT_NAME = "IMS_Reconciled.xlsx"      # written into the client folder when --out is not given
COVER_NAME = "_cover.xlsx"
_STATUS = index_of(PURCHASE_COLUMNS, "status")


@dataclass
class ClientJob:
    name: str
    folder: str
    out: str                             # the client's workbook to write
    downloads: list = field(default_factory=list)
    books: str = ""
    settings: str = ""
    problem: str = ""                    # why the folder cannot be reconciled, found up front
    size: int = 0                        # bytes of input: biggest clients start first


@dataclass
class ClientResult:
    name: str
    workbook: str = ""
    records: int = 0
    to_act: int = 0                      # no action chosen yet
    pending: int = 0
    mismatch: int = 0
    missing: int = 0                     # only in IMS
    books_only: int = 0
    itc_net: float = 0.0                 # ITC to GSTR-2B if the actions are applied
    at_risk: float = 0.0                 # mismatch, missing in books, supplier not filed
    deferred: float = 0.0                # ITC kept Pending
    seconds: float = 0.0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


# Finding clients -----------------------------------------------------------------------------

def find_clients(clients_dir, out=None) -> list[ClientJob]:
    """One job per sub-folder of `clients_dir` (hidden and `_` folders, and `out`, skipped)."""
    clients_dir = Path(clients_dir)
    out = Path(out).resolve() if out else None
    jobs: list[ClientJob] = []
    used: set[str] = set()
    for folder in sorted(p for p in clients_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")) or (out and folder.resolve() == out):
            continue
        jobs.append(_job(folder, _target(folder, out, used)))
    return jobs


def _target(folder: Path, out: Path | None, used: set) -> Path:
    if out is None:
        return folder / RESULT_NAME
    base = safe_name(folder.name) or "client"
    name, n = base, 1
    while name.lower() in used:          # "A B" and "A_B" must not overwrite each other
        n += 1
        name = f"{base}_{n}"
    used.add(name.lower())
    return out / f"{name}.xlsx"


def _job(folder: Path, target: Path) -> ClientJob:
    job = ClientJob(folder.name, str(folder), str(target))
    files = sorted(p for p in folder.iterdir() if p.is_file() and _is_input(p, target))
    settings = [p for p in files if p.name.lower() == SETTINGS_NAME]
    downloads = [p for p in files if p.suffix.lower() in DOWNLOAD_EXT and p not in settings]
    books = [p for p in files if p.suffix.lower() in BOOKS_EXT]
    job.downloads = [str(p) for p in downloads]
    job.settings = str(settings[0]) if settings else ""
    job.size = sum(p.stat().st_size for p in downloads + books)
    if not downloads:
        job.problem = "no IMS download (*.json or *.zip) in the folder"
    elif not books:
        job.problem = "no purchase register (*.xlsx, *.xls, *.csv) in the folder"
    elif len(books) > 1:
        job.problem = (f"several possible purchase registers ({', '.join(p.name for p in books)}"
                       "); keep one in the folder")
    else:
        job.books = str(books[0])
    return job


def _is_input(p: Path, target: Path) -> bool:
    """Not our own output, a lock file of an open workbook, or a half-written temp file."""
    name = p.name
    return not (name.startswith((".", "~$")) or name.lower() in (RESULT_NAME.lower(),
                                                                  COVER_NAME.lower())
                or p.resolve() == target.resolve() or name.endswith(".tmp"))


# One client (runs in a worker process) --------------------------------------------------------

def run_client(job: ClientJob) -> ClientResult:
    """Reconcile one client and write its workbook; never raises (errors go on the row)."""
    start = time.perf_counter()
    res = ClientResult(job.name)
    try:
        if job.problem:
            raise ImsXlError(job.problem)
        with paused_gc():           # as `reconcile`: no collection between a client's stages
            _reconcile(job, res)
    except ImsXlError as e:
        res.error = str(e)
    except MemoryError:
        res.error = "out of memory; run this client alone (--jobs 1)"
    except Exception as e:  # a bug: say which client and what, keep going with the others
        res.error = f"internal error: {type(e).__name__}: {e}"
    res.seconds = round(time.perf_counter() - start, 2)
    return res


def _reconcile(job: ClientJob, res: ClientResult) -> None:
    from ..files.atomic import check_writable
    from ..register.mapping import load_settings
    from ..files.guard import worked_workbook
    from .pipeline import reconcile_client
    from ..workbook.writer import write_workbook
    check_writable(job.out)
    keep, _ = worked_workbook(job.out)                # last run's typed work (None: no file)
    settings = load_settings(job.settings) if job.settings else {}
    data, _ = reconcile_client(job.downloads, job.books, settings=settings, keep=keep)
    write_workbook(job.out, data)
    res.workbook = job.out
    _fill(res, _figures(data))
    res.books_only = sum(1 for r in data.purchase_rows if len(r) > _STATUS and
                         r[_STATUS] == STATUS_LABELS["books_only"])


def _figures(data) -> dict:
    """The Summary's figures, read back from its rows: `reconcile_client` always fills them,
    so a client's 10,000 rows are not parsed a second time."""
    from ..reports.summary import figures
    f = figures(data.summary_rows)
    assert f is not None, "the Summary rows were not written"
    return f


def _fill(res: ClientResult, f: dict) -> None:
    status = f["status"]
    res.records, res.to_act, res.pending = f["Records"], f["To act"], f["Pending"]
    res.mismatch = status.get(STATUS_LABELS["mismatch"], 0)
    res.missing = status.get(STATUS_LABELS["missing_in_books"], 0)
    res.itc_net, res.at_risk = f["itc"]["net"], f["ITC at risk"]
    res.deferred = f["itc"]["pending"]


# The run ------------------------------------------------------------------------------------

def run_batch(clients_dir, out=None, jobs: int | None = None, progress=None):
    """`ims-xl batch`: reconcile every client, write the cover, yield a line per client.

    `progress(done, total, name)` is called as clients finish (default: a bar on stderr).
    Raises `ImsXlError` at the end (after everything is written) when a client failed, so
    the command exits 1.
    """
    clients_dir = Path(clients_dir)
    found = find_clients(clients_dir, out)
    if not found:
        raise ImsXlError(f"{clients_dir}: no client folders (one sub-folder per client, "
                         "holding its IMS download and purchase register)")
    progress = progress or Progress(len(found))
    start = time.perf_counter()
    results = run_jobs(found, jobs, progress)
    wall = time.perf_counter() - start
    cover = Path(out or clients_dir) / COVER_NAME
    write_cover(cover, results)
    yield from (client_line(r) for r in results)
    failed = [r for r in results if not r.ok]
    yield (f"{len(results)} client(s) in {wall:.1f} s ({wall / len(results):.2f} s per "
           f"client); wrote {cover}")
    if failed:
        raise ImsXlError(f"{len(failed)} of {len(results)} client(s) failed: "
                         f"{', '.join(r.name for r in failed)} (see {cover.name})")


def run_jobs(found: list, jobs: int | None, progress) -> list[ClientResult]:
    """Results in folder order; the pool runs the biggest clients first to finish sooner."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(found)))
    done: dict[str, ClientResult] = {}
    if workers == 1:                     # no pool: simpler to debug, no start-up cost
        for job in found:
            done[job.name] = run_client(job)
            progress(len(done), len(found), job.name)
    else:
        _pool(found, workers, progress, done)
    return [done[job.name] for job in found]


def _pool(found: list, workers: int, progress, done: dict) -> None:
    order = sorted(found, key=lambda j: -j.size)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(run_client, job): job for job in order}
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                done[job.name] = fut.result()
            except Exception as e:       # the worker died (killed, pool broken)
                done[job.name] = ClientResult(job.name, error=f"worker stopped: "
                                                              f"{type(e).__name__}: {e}")
            progress(len(done), len(found), job.name)


def client_line(r: ClientResult) -> str:
    if not r.ok:
        return f"{r.name}: FAILED: {r.error}"
    return (f"{r.name}: {r.records:,} records, {r.to_act:,} to act, {r.pending:,} pending, "
            f"ITC at risk {r.at_risk:,.2f} -> {r.workbook}")


class Progress:
    """A progress bar on stderr; one counter line per client when stderr is not a terminal
    (log files, CI). Kept here rather than click.progressbar: the core imports no click."""

    def __init__(self, total: int, stream=None, width: int = 30) -> None:
        self.total, self.width = total, width
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.tty:
            filled = self.width * done // max(total, 1)
            self.stream.write(f"\rReconciling [{'#' * filled}{'.' * (self.width - filled)}] "
                              f"{done}/{total} {name[:30]:<30}")
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{done}/{total}] {name}\n")
        self.stream.flush()


# Cover workbook -----------------------------------------------------------------------------

COVER_HEADERS = ("Client", "Status", "Records", "To act", "Pending", "Mismatch", "Only in IMS",
                 "Only in books", "ITC to GSTR-2B", "ITC at risk", "ITC deferred",
                 "Workbook", "Seconds", "Error")
_MONEY_COLS = {8, 9, 10}


def cover_rows(results) -> list[list]:
    """One row per client, then the totals."""
    rows = [[r.name, "OK" if r.ok else "FAILED", r.records, r.to_act, r.pending, r.mismatch,
             r.missing, r.books_only, r.itc_net, r.at_risk, r.deferred,
             Path(r.workbook).name if r.workbook else "", r.seconds, r.error]
            for r in results]
    total = ["Total", f"{sum(r.ok for r in results)} OK"]
    total += [sum(row[c] for row in rows) for c in range(2, 11)]
    total += ["", round(sum(r.seconds for r in results), 2), ""]
    return rows + [total]


def write_cover(path, results) -> Path:
    """`_cover.xlsx`: the consolidated pending-action view, written whole or not at all."""
    import xlsxwriter
    path = Path(path)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                            "strings_to_urls": False})
        ws = wb.add_worksheet("Clients")
        head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        money = wb.add_format({"num_format": MONEY_FORMAT})
        bold = wb.add_format({"bold": True})
        failed = wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
        for c, h in enumerate(COVER_HEADERS):
            ws.write_string(0, c, h, head)
        rows = cover_rows(results)
        for r, row in enumerate(rows, 1):
            for c, v in enumerate(row):
                fmt = money if c in _MONEY_COLS else None
                if r == len(rows):
                    fmt = bold if fmt is None else wb.add_format({"num_format": MONEY_FORMAT,
                                                                  "bold": True})
                elif c == 1 and v == "FAILED":
                    fmt = failed
                _put(ws, r, c, v, fmt)
        widths = (24, 9, 9, 8, 8, 9, 11, 12, 16, 16, 14, 28, 8, 80)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.autofilter(0, 0, len(rows) - 1, len(COVER_HEADERS) - 1)
        ws.freeze_panes(1, 1)
        wb.close()
    return path


def _put(ws, r: int, c: int, v, fmt) -> None:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        ws.write_number(r, c, v, fmt)
    else:
        ws.write_string(r, c, str(v), fmt)
