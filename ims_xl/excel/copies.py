"""Copies of the uploads sent, on the hidden `_Exports` sheet (pure; no Excel here).

Same layout as the file writer's (`xlsxfile.lay_out_exports`): Time, File, Records, JSON,
and JSON text longer than a cell holds continues in the cells to its right.
"""

from __future__ import annotations

import json

from ..layout import INT, TEXT, Column
from ..upload import count_records

SHEET_EXPORTS = "_Exports"
EXPORT_CHUNK = 32_000            # Excel cells hold 32,767 characters
EXPORT_COLUMNS = (Column("time", "Time", TEXT, 18), Column("file", "File", TEXT, 30),
                  Column("records", "Records", INT, 9), Column("json", "JSON", TEXT, 60))


def export_rows(sent, time: str = "") -> list[list]:
    """One row per file sent: time, name, record count, the JSON in 32,000-character pieces.

    `sent` holds `export.Export.sent` items: (time, name, records, text), or (name, text).
    """
    rows = []
    for item in sent:
        item = tuple(item)
        if len(item) == 2:
            item = (time, item[0], count_records(json.loads(item[1])), item[1])
        when, name, records, text = item
        pieces = [text[i:i + EXPORT_CHUNK] for i in range(0, len(text), EXPORT_CHUNK)] or [""]
        rows.append([when, name, records, *pieces])
    return rows


def export_columns(rows: list[list]) -> tuple[Column, ...]:
    """The _Exports columns wide enough for `rows`: a JSON (part n) column per extra piece."""
    more = max([len(r) for r in rows] + [len(EXPORT_COLUMNS)]) - len(EXPORT_COLUMNS)
    return EXPORT_COLUMNS + tuple(Column(f"json{i + 2}", f"JSON (part {i + 2})", TEXT, 20)
                                  for i in range(more))


def export_copies(table) -> list[tuple[str, str]]:
    """(file, JSON text) of each row of an `_Exports` table, oldest first."""
    pos = table.positions
    name_at, json_at = pos.get("file"), pos.get("json")
    if name_at is None or json_at is None:
        return []
    out = []
    for row in table.rows:
        text = "".join(str(v) for v in row[json_at:] if v not in (None, ""))
        if text:
            out.append((str(row[name_at] or ""), text))
    return out
