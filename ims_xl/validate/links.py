"""Checks on the Link Books Row column: a link must name one books row that exists.

A wrong link is an error on its row: Reconcile ignores it (the rules pair the record), so
the user would otherwise believe a pairing that did not happen.
"""

from __future__ import annotations

from typing import Iterator

from ..model.issue import Issue
from ..reconcile.link import NONE, parse_link
from ..workbook.ims_sheet import SheetRow
from .rules import issue


def link_issues(rows: list[SheetRow], books_rows: set | None) -> Iterator[Issue]:
    """`books_rows`: the Source Row numbers on the Purchase sheet (None: not read, so only
    the spelling is checked)."""
    first: dict = {}
    for row in rows:
        try:
            link = parse_link(row.get("link"))
        except ValueError as e:
            yield issue(row, "link-invalid", f"Link Books Row {e}", "link")
            continue
        if link is None or link == NONE:
            continue
        if books_rows is not None and link not in books_rows:
            yield issue(row, "link-no-row",
                        f"Link Books Row {link}: there is no books row {link} (Source Row on "
                        "the Purchase sheet); correct the number or clear the cell", "link")
        elif link in first:
            yield issue(row, "link-twice",
                        f"Link Books Row {link} is also linked from row {first[link]}; a books "
                        "row belongs to one IMS record: clear one of the two", "link")
        else:
            first[link] = row.row


def source_rows(purchase_rows: list, at: int = 0) -> set | None:
    """Source Row numbers from Purchase-sheet rows (column `at`); None when there are none."""
    out = set()
    for r in purchase_rows:
        v = r[at] if at < len(r) else ""
        try:
            out.add(int(float(v)))
        except (TypeError, ValueError):
            continue
    return out or None
