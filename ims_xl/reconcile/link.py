"""The Link Books Row cell, read (no pandas here: validation reads it too)."""

from __future__ import annotations

from typing import Any

NONE = "none"          # typed in the column: keep this record unpaired
RULE = "manual"        # MatchResult.rule of a record the user linked


def parse_link(value: Any) -> int | str | None:
    """A Link Books Row cell: 388 / '388' / 388.0 -> 388; 'none' (any case) -> NONE;
    blank -> None. Raises ValueError with the reason for anything else."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    if text.lower() == NONE:
        return NONE
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise ValueError(f"{text!r} is not a books row: type the Source Row number shown on the "
                     "Purchase sheet (e.g. 388), or none to keep the record unpaired")
