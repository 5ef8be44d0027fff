"""Validate the IMS sheet before export (docs/reference/ims-format.md#validation-checklist): errors
block, warnings inform.

`validate_rows(rows)` runs every rule of `rules.py` and `identity.py` and returns a `Report`;
`validation_updates(rows, report)` turns it into text for the Validation column.
"""

from __future__ import annotations

from datetime import date

from ..model.issue import Report
from ..workbook.ims_sheet import SheetRow
from . import identity, links, rules

__all__ = ["NOTE_PREFIX", "validate_rows", "validation_updates"]

# Validation-column lines starting with this were left by another step (a re-import saying
# the supplier changed a record); they stay until the user fills in the Action.
NOTE_PREFIX = "Note: "
_SEP = " | "


def validate_rows(rows: list[SheetRow], *, today: date | None = None,
                  books_rows: set | None = None) -> Report:
    """Every rule on every row; issues in sheet-row order. `books_rows` (the Purchase
    sheet's Source Rows) lets Link Books Row be checked against the books."""
    today = today or date.today()
    issues = list(identity.duplicate_records(rows))
    issues.extend(links.link_issues(rows, books_rows))
    for row in rows:
        for rule in (*rules.RULES, *identity.ROW_RULES):
            issues.extend(rule(row, today))
    issues.sort(key=lambda i: i.row or 0)         # stable: rule order within a row stays
    return Report(issues)


def validation_updates(rows: list[SheetRow], report: Report) -> dict:
    """`{"validation": {sheet row: text}}` for rows whose text changes; clean rows get ''."""
    by_row = report.by_row()
    changes = {}
    for row in rows:
        lines = [f"{i.severity.upper()}: {i.message}" for i in by_row.get(row.row, [])]
        old = str(row.get("validation") or "")
        if not str(row.get("action") or "").strip():      # notes wait for an Action
            lines = [p for p in old.split(_SEP) if p.startswith(NOTE_PREFIX)] + lines
        text = _SEP.join(lines)
        if text != old:
            changes[row.row] = text
    return {"validation": changes} if changes else {}
