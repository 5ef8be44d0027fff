"""Writing the reconciled workbook as a formatted file, with the ribbon for `.xlsm`.

One set of functions lays out every sheet from `ims_xl.workbook.layout`, for the empty workbook that
`python -m ims_xl.workbook.build` commits and for the filled ones `ims-xl reconcile --out` writes:

- data sheets (`lay_out_table`): header row, frozen, autofilter, column widths and hidden
  columns, text format `@` on text columns (invoice numbers, GSTINs and dates stay text),
  Indian-grouped money, drop-down lists on Action and ITC Reduction, Match Status colours as
  conditional formats;
- Home: title, settings (labels in B, values in C, each value a defined name), the steps, and
  the hidden cell named `layout.PATH_NAME` where the ribbon's VBA leaves picked file paths.

XlsxWriter writes the layout (and, for `.xlsm`, the VBA project); the data rows are then
written straight into the package by `ims_xl.workbook.build.package` (`build/sheetdata.py`: a string
is always a text cell, so a remark such as `=SUM(A1)` stays text), ~4x faster than
XlsxWriter's per-cell writer and streamed. `.xlsm` files get the VBA project and the ribbon;
`.xlsx` files neither. The file is replaced atomically.
"""

from __future__ import annotations

import math
import sys
from decimal import Decimal
from pathlib import Path

from ..files.atomic import atomic_path
from .data import WorkbookData
from .build.constants import (FIXED_CREATED, PATHS_CELL, VALIDATION_ROWS, WORKBOOK_NAME, XLWINGS_CONF_MAC,
                              XLWINGS_CONF_WINDOWS, XLWINGS_MAC_SCRIPTS)
from .build.sheetdata import CellTooLong, number_text, widest
from ..model.errors import WorkbookError
from ..progress import stage
from .sent_copies import copy_columns, copy_rows
from ..reports.summary import compute, insert_chart, summary_rows
from .layout import (ACTION_CHOICES, HOME_TITLE, IMS_COLUMNS, INT, LABEL, LOG_COLUMNS,
                     MAPPING_COLUMNS, MONEY, MONEY_FORMAT, PATH_NAME, PURCHASE_COLUMNS, SETTINGS,
                     SETTINGS_FIRST_ROW, SHEET_HOME, SHEET_IMS, SHEET_LOG, SHEET_MAPPING,
                     SHEET_EXPORTS, SHEET_PURCHASE, SHEET_SUMMARY, SHEET_UNDO, SHEETS, STATUS_COLOURS, STEPS,
                     TEXT, TEXT_FORMAT, YN_CHOICES, Column, column_letter, headers)

__all__ = ["SHEET_ORDER", "install_workbook", "write_workbook"]

SHEET_ORDER = SHEETS
HIDDEN_SHEETS = (SHEET_UNDO, SHEET_EXPORTS)
DROP_DOWNS = {"action": ACTION_CHOICES, "itc_red_req": YN_CHOICES}   # column key -> choices
STATUS_KEY = "status"                                                 # coloured by STATUS_COLOURS
HEADER_FILL, EDITABLE_FILL = "#D9E1F2", "#FFF2CC"


def write_workbook(path, data: WorkbookData, tx=None) -> Path:
    """Write `data` to `path` (`.xlsx`, or `.xlsm` with the VBA project and the IMS ribbon);
    inside `tx` (an `atomic.Transaction`) the file is replaced when the transaction commits."""
    from .build.package import finish_package, ribbon_xml
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise WorkbookError(f"{path.name}: write a .xlsx or .xlsm workbook, "
                            f"not {suffix or 'a file without an extension'}")
    macros = suffix == ".xlsm"
    stage(f"Writing {path.name}")
    with atomic_path(path, tx) as tmp:
        sheets = tmp.with_name(tmp.name + ".sheets")     # XlsxWriter's part, finished into tmp
        try:
            pending = _write_sheets(sheets, data, macros=macros)
            finish_package(sheets, tmp, rows=pending, ribbon=ribbon_xml() if macros else None)
        except CellTooLong as e:
            sheet = SHEET_ORDER[[sheet_part(n) for n in SHEET_ORDER].index(e.part)]
            raise WorkbookError(f"{path.name}: sheet {sheet}, cell {column_letter(e.column)}"
                                f"{e.row + 1}: text longer than Excel's 32,767 characters "
                                "per cell") from None
        finally:
            sheets.unlink(missing_ok=True)
    return path


def _write_sheets(target: Path, data: WorkbookData, *, macros: bool) -> dict:
    """Every sheet but the data rows (returned, by sheet part, for `finish_package`)."""
    import io

    import xlsxwriter
    wb = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    wb.set_properties({"title": HOME_TITLE, "created": FIXED_CREATED,
                       "comments": "Made by ims-xl (https://pypi.org/project/ims-xl)"})
    fmt = _formats(wb)
    sheets = {name: wb.add_worksheet(name) for name in SHEET_ORDER}
    if macros:
        from .build.vbaproject import BOOK_CODE_NAME, sheet_code_name, vba_project_bin
        wb.set_vba_name(BOOK_CODE_NAME)
        for place, ws in enumerate(sheets.values(), start=1):
            ws.set_vba_name(sheet_code_name(place))
        wb.add_vba_project(io.BytesIO(vba_project_bin(len(SHEET_ORDER))), is_stream=True)
    tables = {}
    lay_out_home(wb, sheets[SHEET_HOME], data.settings, fmt)
    tables[SHEET_IMS] = lay_out_table(sheets[SHEET_IMS], *_ims_table(data.ims_header,
                                                                     data.ims_rows), fmt)
    tables[SHEET_PURCHASE] = lay_out_table(sheets[SHEET_PURCHASE], PURCHASE_COLUMNS,
                                           data.purchase_rows, fmt)
    # An empty workbook gets the zero table too: the chart points at its cells, and the
    # Refresh Summary button rewrites the same cells, so the chart follows in live Excel.
    summary = data.summary_rows or summary_rows(compute([]))
    lay_out_summary(sheets[SHEET_SUMMARY], summary, fmt)
    insert_chart(wb, sheets[SHEET_SUMMARY], summary)
    tables[SHEET_MAPPING] = lay_out_table(sheets[SHEET_MAPPING], MAPPING_COLUMNS,
                                          data.mapping_rows, fmt)
    tables[SHEET_LOG] = lay_out_table(sheets[SHEET_LOG], LOG_COLUMNS, data.log_rows, fmt)
    tables[SHEET_EXPORTS] = lay_out_exports(sheets[SHEET_EXPORTS], data.exports, fmt)
    for name in HIDDEN_SHEETS:
        sheets[name].hide()
    sheets[SHEET_HOME].activate()
    wb.close()
    return {sheet_part(name): table for name, table in tables.items() if table[0]}


def data_styles(sheet: str, columns) -> tuple[list[str], list[bool]]:
    """The column styles and number columns `finish_package` writes `sheet`'s data rows
    with: those of an empty workbook, whose layout makes the same formats in the same order
    (`package._write_sheet` checks them against the real sheet before using cells written
    with them)."""
    import tempfile
    import zipfile

    from .build.package import column_styles
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.xlsx"
        _write_sheets(empty, WorkbookData(), macros=False)
        with zipfile.ZipFile(empty) as z:
            xml = z.read(sheet_part(sheet)).decode("utf-8")
    numeric = [col.kind != TEXT for col in columns]
    return column_styles(xml, len(numeric)), numeric


def sheet_part(name: str) -> str:
    """The zip part XlsxWriter writes sheet `name` to (sheets are numbered in order)."""
    return f"xl/worksheets/sheet{SHEET_ORDER.index(name) + 1}.xml"


def _formats(wb) -> dict:
    header = {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}
    fmt = {
        "header": wb.add_format({**header, "bg_color": HEADER_FILL}),
        "header_edit": wb.add_format({**header, "bg_color": EDITABLE_FILL}),
        "title": wb.add_format({"bold": True, "font_size": 16}),
        "bold": wb.add_format({"bold": True}),
        "note": wb.add_format({"italic": True, "font_color": "#595959"}),
        TEXT: wb.add_format({"num_format": TEXT_FORMAT}),
        MONEY: wb.add_format({"num_format": MONEY_FORMAT}),
        INT: wb.add_format({"num_format": "0"}),
        LABEL: None,
    }
    fmt["status"] = {label: wb.add_format({"bg_color": colour})
                     for label, colour in STATUS_COLOURS.items()}
    return fmt


# --- data sheets ---------------------------------------------------------------------------

def lay_out_table(ws, columns, rows: list, fmt: dict, *, rules: bool = True) -> tuple[list, list]:
    """A data sheet for the empty and the filled workbook alike.

    Header row 1 (yellow where the user edits), column widths and formats, hidden columns,
    frozen header, autofilter, and (`rules`) the drop-down lists and Match Status colours
    down to row VALIDATION_ROWS + 1 or the last row. Returns `(rows, numeric)` for
    `finish_package`, which writes the rows from row 2.
    """
    columns = tuple(columns)
    width = max(len(columns), widest(rows))
    columns += tuple(Column(f"extra{i}", "", TEXT) for i in range(len(columns), width))
    last = max(VALIDATION_ROWS, len(rows)) + 1            # last 1-based row the rules cover
    for i, col in enumerate(columns):
        ws.set_column(i, i, col.width, fmt[col.kind], {"hidden": True} if col.hidden else None)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(columns) - 1)
    for i, col in enumerate(columns if rules else ()):
        letter = column_letter(i)
        if col.key in DROP_DOWNS:
            choices = DROP_DOWNS[col.key]
            ws.data_validation(f"{letter}2:{letter}{last}", {
                "validate": "list", "source": list(choices),
                "input_title": col.header, "input_message": ", ".join(choices),
                "error_title": col.header, "error_message": "Choose one of: " + ", ".join(choices)})
        if col.key == STATUS_KEY:
            for label, colour in fmt["status"].items():
                ws.conditional_format(f"{letter}2:{letter}{last}", {
                    "type": "cell", "criteria": "==", "value": f'"{label}"', "format": colour})
    for i, col in enumerate(columns):
        ws.write_string(0, i, col.header, fmt["header_edit" if col.editable else "header"])
    return rows, [col.kind != TEXT for col in columns]


def _ims_table(header: list, rows: list) -> tuple[tuple[Column, ...], list]:
    """IMS columns in layout order; rows re-ordered when `header` (read from a file) differs.

    Columns the layout does not know are kept, after the layout's, as text.
    """
    header = [str(h or "") for h in header]
    if header == headers(IMS_COLUMNS):
        return IMS_COLUMNS, rows
    at = {h: i for i, h in enumerate(header) if h}
    known = set(headers(IMS_COLUMNS))
    extra = [h for h in header if h and h not in known]
    columns = IMS_COLUMNS + tuple(Column(f"extra:{h}", h, TEXT, 14) for h in extra)
    source = [at.get(c.header) for c in columns]
    out = [[row[i] if i is not None and i < len(row) else None for i in source] for row in rows]
    return columns, out


# --- Home, Summary, _Exports ------------------------------------------------------------------

def lay_out_home(wb, ws, settings: dict, fmt: dict) -> None:
    """Title, settings B/C from SETTINGS_FIRST_ROW (each value a defined name), steps, path cell."""
    paths_col = _col_index(PATHS_CELL)
    ws.set_column(0, 0, 2)
    ws.set_column(1, 1, 32)
    ws.set_column(2, 2, 22)
    ws.set_column(paths_col, paths_col, 40, fmt[TEXT], {"hidden": True})
    wb.define_name(PATH_NAME, f"={SHEET_HOME}!{PATHS_CELL}")
    ws.write_string(0, 1, HOME_TITLE, fmt["title"])
    ws.write_blank(0, paths_col, None, fmt[TEXT])
    ws.write_string(1, 1, "Your IMS download against your purchase register, and the upload "
                          "JSON for the GST portal. Use the IMS tab on the ribbon.", fmt["note"])
    first = SETTINGS_FIRST_ROW - 1
    ws.write_string(first - 1, 1, "Settings", fmt["bold"])
    for i, (label, name, default) in enumerate(SETTINGS):
        r = first + i
        value = settings.get(name, default)
        ws.write_string(r, 1, label)
        _write_setting(ws, r, 2, value, default, fmt)
        wb.define_name(name, f"={SHEET_HOME}!$C${r + 1}")
    r = first + len(SETTINGS) + 1
    ws.write_string(r, 1, "How to use", fmt["bold"])
    for i, step in enumerate(STEPS, start=1):
        ws.write_string(r + i, 1, step)
    r += len(STEPS) + 2
    ws.write_string(r, 1, "Yellow column headers on the IMS sheet are yours to edit. Document "
                          "numbers, GSTINs and dates are stored as text: keep them that way.",
                    fmt["note"])
    ws.write_string(r + 1, 1, "Check Setup (IMS tab) tests the link to Python; the user guide "
                              "(docs/guide/workbook.md, \"Set up once\") says how to set it up.",
                    fmt["note"])
    ws.set_selection(first, 2, first, 2)


def _write_setting(ws, r: int, c: int, value, default, fmt: dict) -> None:
    """Text settings (GSTIN, return period) stay text; numeric ones are numbers when they can be."""
    if isinstance(default, str):
        if value in (None, ""):
            ws.write_blank(r, c, None, fmt[TEXT])
        else:
            text = number_text(value) if isinstance(value, (int, float)) else str(value)
            ws.write_string(r, c, text, fmt[TEXT])
        return
    if isinstance(value, str):
        try:
            value = float(value.strip()) if value.strip() else None
        except ValueError:
            ws.write_string(r, c, value)
            return
    if value is None:
        return
    ws.write_number(r, c, value)


def _col_index(cell: str) -> int:
    letters = "".join(ch for ch in cell if ch.isalpha())
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch.upper()) - 64
    return n - 1


def lay_out_summary(ws, rows: list, fmt: dict) -> None:
    """Free-form rows from A1: labels in A, counts and amounts after."""
    ws.set_column(0, 0, 36)
    ws.set_column(1, 12, 16)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, str):       # text-formatted: an edit must not retype "+91 ..."
                ws.write_string(r, c, v, fmt["bold"] if c == 0 and r == 0 else fmt[TEXT])
            elif isinstance(v, bool):
                ws.write_string(r, c, "Y" if v else "N", fmt[TEXT])
            elif isinstance(v, int):
                ws.write_number(r, c, v)
            elif isinstance(v, (float, Decimal)):
                if isinstance(v, float) and not math.isfinite(v):
                    continue
                ws.write_number(r, c, float(v), fmt[MONEY])
            else:
                ws.write_string(r, c, str(v), fmt[TEXT])


def lay_out_exports(ws, exports: list, fmt: dict) -> tuple[list, list]:
    """Copies of uploads sent, in the one `_Exports` layout (`ims_xl.workbook.sent_copies`)."""
    rows = copy_rows(exports)
    return lay_out_table(ws, copy_columns(rows), rows, fmt, rules=False)


# --- ims-xl workbook DIR ----------------------------------------------------------------------

def install_workbook(directory) -> list[str]:
    """`ims-xl workbook DIR`: a fresh IMS_Reconciler.xlsm in DIR, and what xlwings still needs."""
    directory = Path(directory).expanduser()
    target = directory / WORKBOOK_NAME
    if target.exists():
        raise WorkbookError(f"{target} already exists; rename or move it (it may hold your "
                            "work), then run this again")
    write_workbook(target, WorkbookData())
    lines = [f"wrote {target}"]
    return lines + setup_lines()


def setup_lines(platform: str | None = None) -> list[str]:
    """Whether xlwings' user config points Excel at this Python, and the commands to run."""
    from importlib.metadata import PackageNotFoundError, version
    platform = platform or sys.platform
    mac = platform.startswith("darwin")
    key = "INTERPRETER_MAC" if mac else "INTERPRETER_WIN"
    conf = xlwings_conf_path(platform)
    interpreter = _read_conf(conf).get(key, "") if conf.exists() else ""
    if not conf.exists():
        lines = [f"xlwings config: {conf} does not exist yet"]
    elif not interpreter:
        lines = [f"xlwings config: {conf} exists but sets no {key}"]
    else:
        same = _same_file(interpreter, sys.executable)
        lines = [f"xlwings config: {conf} points Excel at {interpreter}"
                 + ("" if same else f" (this ims-xl runs in {sys.executable})")]
    if not interpreter or not _same_file(interpreter, sys.executable):
        lines.append("to make the ribbon use this Python, run once:  xlwings config create --force")
    if mac:
        try:
            xlwings_version = version("xlwings")
        except PackageNotFoundError:
            xlwings_version = "?"
        script = Path(*XLWINGS_MAC_SCRIPTS).expanduser() / f"xlwings-{xlwings_version}.applescript"
        if script.exists():
            lines.append(f"macOS: {script.name} is installed")
        else:
            lines.append("macOS: to let Excel start Python, run once:  xlwings runpython install")
    lines.append("then open the workbook, enable macros (on Windows first: right-click the file > "
                 "Properties > Unblock) and click IMS > Check Setup")
    return lines


def xlwings_conf_path(platform: str | None = None) -> Path:
    """xlwings' user config file (what `xlwings config create` writes) on `platform`."""
    mac = (platform or sys.platform).startswith("darwin")
    return Path(*(XLWINGS_CONF_MAC if mac else XLWINGS_CONF_WINDOWS)).expanduser()


def _read_conf(path: Path) -> dict:
    """xlwings.conf: lines of "KEY","value"."""
    import csv
    out = {}
    try:
        with path.open(newline="", encoding="utf-8", errors="replace") as f:
            for row in csv.reader(f):
                if len(row) >= 2:
                    out[row[0].strip().upper()] = row[1].strip()
    except OSError:
        pass
    return out


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b
