"""The reconciled workbook as plain data, and reading it from a file (no Excel needed).

`WorkbookData` is what the sheets hold. `read_workbook(path)` reads an `.xlsx`/`.xlsm` that
ims-xl (or Excel, or any spreadsheet program after a user edited it) saved. Writing files is
in `ims_xl.workbook.writer` (formatted, with the ribbon and VBA when the target is `.xlsm`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model.errors import WorkbookError
from .layout import (IMS_COLUMNS, LOG_COLUMNS, MAPPING_COLUMNS, PURCHASE_COLUMNS, SETTINGS,
                     SHEET_EXPORTS, SHEET_HOME, SHEET_IMS, SHEET_LOG, SHEET_MAPPING,
                     SHEET_PURCHASE, SHEET_SUMMARY, headers)
from .sent_copies import copies_from_rows


@dataclass
class WorkbookData:
    settings: dict = field(default_factory=dict)          # defined name -> value
    ims_header: list = field(default_factory=lambda: headers(IMS_COLUMNS))
    ims_rows: list = field(default_factory=list)          # lists in ims_header order
    purchase_rows: list = field(default_factory=list)     # lists in PURCHASE_COLUMNS order
    mapping_rows: list = field(default_factory=list)
    log_rows: list = field(default_factory=list)
    summary_rows: list = field(default_factory=list)      # free-form rows for the Summary
    exports: list = field(default_factory=list)           # (time, file, records, text) sent
    # The IMS rows as SheetRows, when whoever read the workbook already parsed them (the
    # guard counting typed work): carrying the work forward then parses them once, not twice.
    ims_sheet_rows: list | None = field(default=None, compare=False, repr=False)


def read_workbook(path, *, carrying: bool = False) -> WorkbookData:
    """Read a reconciled workbook with python-calamine (fast; never re-saves the file).

    `carrying`: only to carry its work forward into a new run, which reads the IMS sheet, and
    the Purchase sheet only to re-aim typed Link Books Row cells: without one typed, the
    Purchase sheet is not read (at 100,000 rows, 2.5 s less).
    """
    from python_calamine import CalamineWorkbook

    from ..progress import stage
    path = Path(path)
    stage(f"Reading {path.name}")
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types for corrupt/encrypted files
        raise WorkbookError(f"{path.name}: cannot open as a workbook ({e})") from None
    names = wb.sheet_names
    if SHEET_IMS not in names:
        raise WorkbookError(f"{path.name}: no sheet named {SHEET_IMS!r} (sheets: "
                            f"{', '.join(names)}); reconcile first with ims-xl reconcile")
    data = WorkbookData()
    ims = _rows(wb, SHEET_IMS)
    if not ims:
        raise WorkbookError(f"{path.name}: sheet {SHEET_IMS!r} is empty")
    data.ims_header, data.ims_rows = [str(h or "") for h in ims[0]], _trim(ims[1:])
    _keep_formula_remarks(path, data)
    if SHEET_PURCHASE in names and not (carrying and not _links_typed(data)):
        data.purchase_rows = _trim(_rows(wb, SHEET_PURCHASE)[1:])
    if SHEET_MAPPING in names:
        data.mapping_rows = _trim(_rows(wb, SHEET_MAPPING)[1:])
    if SHEET_LOG in names:
        data.log_rows = _trim(_rows(wb, SHEET_LOG)[1:])
    if SHEET_HOME in names:
        data.settings = read_settings(_rows(wb, SHEET_HOME))
    if SHEET_SUMMARY in names:
        data.summary_rows = [[None if v == "" else v for v in r]
                             for r in _trim(_rows(wb, SHEET_SUMMARY))]
    if SHEET_EXPORTS in names:
        exports = _rows(wb, SHEET_EXPORTS)
        data.exports = copies_from_rows(exports[0], exports[1:]) if exports else []
    return data


def _links_typed(data: WorkbookData) -> bool:
    from .ims_sheet import links_of
    return bool(links_of(data.ims_header, data.ims_rows))


def _keep_formula_remarks(path: Path, data: WorkbookData) -> None:
    """A Remarks cell holding a formula with no saved result (written by a script, or saved
    without recalculating) reads as blank: take the formula's text as the remark instead, so
    the next export neither drops it nor sends a blank over it."""
    remarks = next((i for i, h in enumerate(data.ims_header) if h.strip() == "Remarks"), None)
    if remarks is None:
        return
    for (row, col), text in _uncached_formulas(path, SHEET_IMS).items():
        if col == remarks and 1 <= row <= len(data.ims_rows):
            cells = data.ims_rows[row - 1]
            if col < len(cells) and cells[col] in (None, ""):
                cells[col] = text


_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*>\s*<f(?:\s[^>]*)?>([^<]*)</f>\s*'
                   rb'(?:<v\s*/>|<v>\s*</v>)?\s*</c>')


def _uncached_formulas(path: Path, sheet: str) -> dict:
    """{(row, column) 0-based: "=formula"} of the sheet's formula cells without a value."""
    import zipfile
    try:
        with zipfile.ZipFile(path) as zf:
            if _saved_by_excel(zf):            # Excel saves every formula's result
                return {}
            part = _sheet_part(zf, sheet)
            xml = zf.read(part) if part else b""
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    if b"</f>" not in xml:
        return {}
    out = {}
    for m in _CELL.finditer(xml):
        col = 0
        for ch in m.group(1):
            col = col * 26 + ch - 64
        out[(int(m.group(2)) - 1, col - 1)] = "=" + html.unescape(m.group(3).decode("utf-8"))
    return out


def _saved_by_excel(zf) -> bool:
    """Excel itself (and ims-xl's writer, which writes no formulas on the IMS sheet): then the
    sheet need not be unpacked a second time, ~10% of reading a big workbook."""
    try:
        app = zf.read("docProps/app.xml")
    except KeyError:
        return False
    return b"<Application>Microsoft Excel</Application>" in app


def _sheet_part(zf, sheet: str) -> str | None:
    """The zip part of a sheet, by name, through workbook.xml and its relationships."""
    book = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    for m in re.finditer(r"<sheet\b[^>]*>", book):
        tag = m.group(0)
        name = re.search(r'name="([^"]*)"', tag)
        rid = re.search(r'r:id="([^"]*)"', tag)
        if name and rid and html.unescape(name.group(1)) == sheet:
            for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
                if f'Id="{rid.group(1)}"' in rel.group(0):
                    found = re.search(r'Target="([^"]*)"', rel.group(0))
                    if found is None:
                        return None
                    target = found.group(1)
                    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def read_settings(rows: list) -> dict:
    """Home sheet rows -> {defined name: value}, found by label in column B."""
    labels = {label.lower(): name for label, name, _ in SETTINGS}
    out = {name: default for _, name, default in SETTINGS}
    for r in rows:
        if len(r) >= 3 and isinstance(r[1], str) and r[1].strip().lower() in labels:
            v = r[2]
            out[labels[r[1].strip().lower()]] = "" if v is None else v
    return out


def _rows(wb, name: str) -> list:
    return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _trim(rows: list) -> list:
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    return rows


# Purchase and log rows are plain lists; these keep column order in one place.
PURCHASE_HEADER = headers(PURCHASE_COLUMNS)
LOG_HEADER = headers(LOG_COLUMNS)
MAPPING_HEADER = headers(MAPPING_COLUMNS)
