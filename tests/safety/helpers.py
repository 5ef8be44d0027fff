"""Files as a user has them: the bundled samples, a reconciled workbook with work typed into it
(through openpyxl, as another spreadsheet program saves it), and snapshots of a folder."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from ims_xl.workbook.data import read_workbook
from ims_xl.cli import main
from ims_xl.testdata.samples import write_samples
from ims_xl.workbook.ims_sheet import read_ims_rows


def run(*args):
    """The CLI in-process, as a user runs it (exceptions become exit codes, as in the shell)."""
    return CliRunner().invoke(main, [str(a) for a in args])


def samples(folder: Path) -> tuple[Path, Path, Path]:
    """ims_download.json, purchase_register.csv, settings.json."""
    return write_samples(folder)


def snapshot(folder: Path) -> dict:
    """Every file under `folder`: relative path -> (bytes, permission bits)."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mode & 0o777)
            for p in sorted(folder.rglob("*")) if p.is_file() and os.access(p, os.R_OK)}


def reconciled(folder: Path, name: str = "march.xlsx") -> tuple[Path, Path, Path]:
    """(workbook, download, register) after `ims-xl reconcile` on the samples."""
    ims, books, _ = samples(folder / "in")
    book = folder / name
    r = run("reconcile", "--ims", ims, "--books", books, "--out", book, "--gstin",
            "27AJICO7272Q1Z0")
    assert r.exit_code == 0, r.output
    return book, ims, books


def type_work(book: Path, work: dict) -> None:
    """Type Actions and Remarks on IMS sheet rows: {sheet row: (action, remarks)}."""
    from openpyxl import load_workbook
    wb = load_workbook(book)
    ws = wb["IMS"]
    head = {c.value: c.column for c in ws[1]}
    for row, (action, remarks) in work.items():
        ws.cell(row, head["Action"]).value = action
        ws.cell(row, head["Remarks"]).value = remarks
    wb.save(book)


def work_in(book: Path) -> dict:
    """{record key: (action, remarks)} of the rows with an Action or Remarks."""
    data = read_workbook(book)
    return {r.record.key: (r.get("action"), r.get("remarks"))
            for r in read_ims_rows(data.ims_header, data.ims_rows)
            if r.get("action") or r.get("remarks")}
