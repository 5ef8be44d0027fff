"""Helpers for the Excel-layer tests: workbooks, generated months, ribbon clicks."""

from __future__ import annotations

import json
from pathlib import Path

import xlwings as xw

import memengine
from ims_xl import ribbon
from ims_xl.excel import sheets
from ims_xl.testdata.generate import make_case, write_books_csv
from ims_xl.workbook.layout import SHEETS
from ims_xl.portal.upload import dumps

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "workbook" / "IMS_Reconciler.xlsm"


def fresh_book(folder: Path, **app_options) -> xw.Book:
    """The committed workbook when it is there, else a book with the layout's sheets."""
    if BUILT.exists():
        return memengine.book_from_file(BUILT, folder=folder, **app_options)
    return memengine.new_book(sheets=SHEETS, folder=folder, **app_options)


class Month:
    """A generated download and register on disk, plus the case's truth."""

    def __init__(self, folder: Path, n: int, seed: int = 7, suppliers: int | None = None
                 ) -> None:
        self.case = make_case(n, seed=seed, suppliers=suppliers,
                              perturb={"amount_diff": 0.1, "missing": 0.05, "date_shift": 0.05})
        self.folder = folder
        self.ims = folder / "ims_download.json"
        # The offline download may carry the recipient GSTIN (`rtin`); ours does.
        doc = {"rtin": self.case.recipient, **self.case.download}
        self.ims.write_text(dumps(doc), encoding="utf-8")
        self.books = folder / "purchase_register.csv"
        write_books_csv(self.case.books, self.books)


def click(book: xw.Book, button: str, *paths) -> int:
    """What the ribbon does: VBA leaves the picked path(s), then RunPython runs the function.

    Returns the workbook round trips the Python side made (the VBA's write is not counted).
    """
    if paths:
        sheets.write_paths(book, [str(p) for p in paths])
    app = memengine.app_of(book)
    app.reset_counts()
    getattr(ribbon, button)()
    return app.round_trips


def alerts(book: xw.Book) -> list[dict]:
    return memengine.app_of(book).alerts


def last_alert(book: xw.Book) -> dict:
    return alerts(book)[-1]


def table(book: xw.Book, name: str) -> sheets.Table:
    return sheets.read_table(book, name)


def column(book: xw.Book, name: str, header: str) -> list:
    t = table(book, name)
    i = t.header.index(header)
    return [r[i] for r in t.rows]


def write_json(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path
