"""What the last upload sent, from the workbook's kept copies of it: the state a row that went
through without error now has on the portal."""

from __future__ import annotations

import json
from decimal import Decimal

from ...model.document import HEADS, Decision
from ...model.section import SECTIONS
from ...portal import dialects
from ..export import upload_key


def decision_from_upload(record: dict) -> Decision:
    """The decision an uploaded record carries."""
    declared = {h: record[dialects.DECLARED[h][0]] for h in HEADS
                if dialects.DECLARED[h][0] in record}
    return Decision(record.get("action") or "N", record.get("remarks", ""),
                    record.get(dialects.ITC_RED_REQ[0], ""), declared)


def sent_records(exports: list[tuple]) -> dict[str, dict]:
    """Record key -> the record as last uploaded, from the kept copies (oldest first).

    Each copy is `(name, text)` or `(time, name, records, text)`: the text is last.
    """
    out: dict[str, dict] = {}
    for *_, text in exports:
        try:
            doc = json.loads(text, parse_float=Decimal)
            invdata = doc[dialects.UPLOAD_KEYS[2]]
        except (ValueError, TypeError, KeyError):
            continue                     # a damaged copy: fall back to the sheet's decision
        for section, records in invdata.items():
            if section in SECTIONS:
                out.update((upload_key(section, r), r) for r in records)
    return out
