"""Write a WorkbookData to a file for the command tests: the project's file writer when it
exists, else the least a reader needs (Home settings, IMS, Purchase, Log)."""

from __future__ import annotations

from ims_xl.workbook.data import LOG_HEADER, PURCHASE_HEADER
from ims_xl.workbook.layout import SETTINGS, SETTINGS_FIRST_ROW, SHEET_HOME, SHEET_IMS, SHEET_LOG, \
    SHEET_PURCHASE


def save(path, data) -> None:
    try:
        from ims_xl.workbook.writer import write_workbook
    except ImportError:
        _minimal(path, data)
    else:
        write_workbook(path, data)


def _minimal(path, data) -> None:
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    home = wb.add_worksheet(SHEET_HOME)
    for i, (label, name, default) in enumerate(SETTINGS):
        home.write_string(SETTINGS_FIRST_ROW - 1 + i, 1, label)
        _put(home, SETTINGS_FIRST_ROW - 1 + i, 2, data.settings.get(name, default))
    for name, header, rows in ((SHEET_IMS, data.ims_header, data.ims_rows),
                               (SHEET_PURCHASE, PURCHASE_HEADER, data.purchase_rows),
                               (SHEET_LOG, LOG_HEADER, data.log_rows)):
        ws = wb.add_worksheet(name)
        for r, row in enumerate([header, *rows]):
            for c, v in enumerate(row):
                _put(ws, r, c, v)
    wb.close()


def _put(ws, r, c, v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        ws.write_number(r, c, v)
    else:
        ws.write_string(r, c, "" if v is None else str(v))
