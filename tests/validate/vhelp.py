"""Builders for the validation, export and error-file tests: records, sheet rows, workbooks."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema

from ims_xl.workbook.data import WorkbookData, read_workbook
from ims_xl.model.document import Decision, ImsRecord
from ims_xl.portal.download import parse_document, record_from_raw
from ims_xl.workbook.layout import IMS_COLUMNS, headers, index_of
from ims_xl.portal.schema import upload_schema
from ims_xl.model.section import SECTIONS
from ims_xl.workbook.ims_sheet import SheetRow, ims_row, read_ims_rows
from tests.core.example import DOWNLOAD_TEXT, RECIPIENT

__all__ = ["DOWNLOAD_TEXT", "RECIPIENT", "HEADER", "example_records", "example", "record",
           "rows_of", "row_of", "as_list", "cell", "save_book", "load_rows", "assert_valid_upload"]

HEADER = headers(IMS_COLUMNS)
SCHEMA = upload_schema()


def example_records() -> list[ImsRecord]:
    """The five records of docs/reference/ims-format.md#example-download."""
    return parse_document("ims.json", json.loads(DOWNLOAD_TEXT, parse_float=Decimal)).records


def example(number: str) -> ImsRecord:
    return next(r for r in example_records() if r.doc_number == number)


def record(section: str = "b2b", number: str = "INV-1", **fields) -> ImsRecord:
    """A record of any section, built from docs/reference/ims-format.md#worked-example's first
    record; `fields` override raw keys."""
    base = dict(json.loads(DOWNLOAD_TEXT, parse_float=Decimal)["imsDetails"]["b2b"][0])
    sec = SECTIONS[section]
    for k in ("inum", "idt"):
        base.pop(k)
    base[sec.number_key], base[sec.date_key] = number, "05-03-2026"
    if sec.orig_number_key:
        base[sec.orig_number_key], base[sec.orig_date_key] = "ORIG-1", "01-02-2026"
    base.update(fields)
    return record_from_raw({k: v for k, v in base.items() if v is not None}, section, "t.json")


def row_of(rec: ImsRecord, decision: Decision | None = None, portal: Decision | None = None,
           row: int = 2, **cells) -> SheetRow:
    """One sheet row read back as a `SheetRow`; `cells` overwrite cells by column key."""
    return rows_of((rec, decision, portal, cells), first=row)[0]


def rows_of(*specs, first: int = 2) -> list[SheetRow]:
    """Rows for `(record, decision, portal, cells)` specs (trailing items may be left out)."""
    return read_ims_rows(HEADER, [_list(*spec) for spec in specs], first)


def _list(rec, decision=None, portal=None, cells=None) -> list:
    values = ims_row(rec, decision=decision, portal=portal)
    for key, v in (cells or {}).items():
        values[index_of(IMS_COLUMNS, key)] = v
    return values


def as_list(row: SheetRow) -> list:
    """A `SheetRow`'s cells back as a list in IMS column order."""
    return [row.cells.get(c.key) for c in IMS_COLUMNS]


def cell(rows: list, row_number: int, key: str):
    """A cell of rows read from a file (data from sheet row 2)."""
    return rows[row_number - 2][index_of(IMS_COLUMNS, key)]


def save_book(path, ims_rows: list, settings: dict | None = None, **more) -> Path:
    """A reconciled workbook file holding `ims_rows` (lists in IMS column order)."""
    from ims_xl.workbook.writer import write_workbook
    data = WorkbookData(settings={"RecipientGSTIN": RECIPIENT} if settings is None else settings,
                        ims_rows=ims_rows, **more)
    write_workbook(path, data)
    return Path(path)


def load_rows(path) -> tuple[WorkbookData, list[SheetRow]]:
    data = read_workbook(path)
    return data, read_ims_rows(data.ims_header, data.ims_rows)


def assert_valid_upload(path_or_text) -> dict:
    """Parse an upload we wrote and check it against the package's JSON Schema."""
    text = path_or_text if isinstance(path_or_text, str) else Path(path_or_text).read_text(
        encoding="utf-8")
    doc = json.loads(text)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    return doc
