"""Copies of the uploads sent, kept on the hidden `_Exports` sheet (plain data; no Excel).

One layout for every writer and reader (file writer, live workbook, command line): Time,
File, Records, JSON — and JSON text longer than a cell holds continues in the cells to its
right, under `JSON (part n)` headers. A copy is `(time, file, records, text)`.
"""

from __future__ import annotations

import json

from .layout import INT, TEXT, Column
from ..portal.upload import count_records

EXPORT_CHUNK = 32_000            # Excel cells hold 32,767 characters
EXPORT_COLUMNS = (Column("time", "Time", TEXT, 18), Column("file", "File", TEXT, 30),
                  Column("records", "Records", INT, 9), Column("json", "JSON", TEXT, 60))


def copy_rows(copies, time: str = "") -> list[list]:
    """Sheet rows for `copies`: `(time, file, records, text)`, or `(file, text)` stamped `time`."""
    rows = []
    for item in copies:
        item = tuple(item)
        if len(item) == 2:
            item = (time, item[0], _count(item[1]), item[1])
        when, name, records, text = item
        text = "" if text is None else str(text)
        pieces = [text[i:i + EXPORT_CHUNK] for i in range(0, len(text), EXPORT_CHUNK)] or [""]
        rows.append([when, name, records, *pieces])
    return rows


def copy_columns(rows: list[list]) -> tuple[Column, ...]:
    """The `_Exports` columns wide enough for `rows`: a JSON (part n) column per extra piece."""
    more = max([len(r) for r in rows] + [len(EXPORT_COLUMNS)]) - len(EXPORT_COLUMNS)
    return EXPORT_COLUMNS + tuple(Column(f"json{i + 2}", f"JSON (part {i + 2})", TEXT, 20)
                                  for i in range(more))


def copies_from_rows(header: list, rows: list) -> list[tuple]:
    """`(time, file, records, text)` of each `_Exports` row, oldest first."""
    names = [str(h or "").strip().lower() for h in header]
    if not {"time", "file", "records", "json"} <= set(names):
        return []
    at = {h: names.index(h) for h in ("time", "file", "records")}
    json_at = [i for i, h in enumerate(names) if h == "json" or h.startswith("json (part")]
    out = []
    for r in rows:
        cells = list(r) + [""] * (len(names) - len(r))
        text = "".join(str(cells[i] or "") for i in json_at)
        if text:
            records = cells[at["records"]]
            out.append((str(cells[at["time"]] or ""), str(cells[at["file"]] or ""),
                        int(records) if isinstance(records, float) else records, text))
    return out


def _count(text: str):
    """Records in an upload's text; blank when the text is not an upload."""
    try:
        return count_records(json.loads(text))
    except (ValueError, KeyError, TypeError, AttributeError):
        return ""
