"""Manual links carried from an earlier workbook into a run on (possibly) other books.

A Link Books Row cell names a row of the register that workbook was made from. Next month's
register (or a re-exported one) holds other documents on that row, so the link is carried by
the document, not the number: the earlier workbook's Purchase sheet says which document the
row held (supplier GSTIN, number, date), and that document is looked up in the new books.
Found once: the link is re-aimed at its new row. Not found, or found twice: the link cannot
be trusted, and the cell says so (Validate then reports it) instead of pairing a stranger.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..workbook.data import WorkbookData
from ..model.gstin import clean
from ..workbook.layout import PURCHASE_COLUMNS, index_of
from ..reconcile.link import NONE, parse_link
from ..workbook.ims_sheet import links_of

_AT = {k: index_of(PURCHASE_COLUMNS, k) for k in ("row", "stin", "doc_num", "doc_date")}


def carried_links(before: WorkbookData, entries: Sequence) -> tuple[dict, list[str]]:
    """Record key -> the link to use with `entries` (the books of this run), and a line per
    link that changed row or could not be carried (for the Log)."""
    typed = links_of(before.ims_header, before.ims_rows)
    if not typed:
        return {}, []
    held = {_row(r): _identity(r[_AT["stin"]], r[_AT["doc_num"]], r[_AT["doc_date"]])
            for r in before.purchase_rows if len(r) > _AT["doc_date"]}
    rows_of: dict = {}
    for e in entries:
        rows_of.setdefault(_identity(e.supplier_gstin, e.doc_number, e.doc_date), []).append(e.row)
    out, notes = {}, []
    for key, cell in typed.items():
        try:
            link = parse_link(cell)
        except ValueError:
            link = None                          # reported as typed, by Reconcile and Validate
        doc = held.get(link) if link not in (None, NONE) else None
        if doc is None:                          # none, unreadable, or a row unknown before
            out[key] = cell
            continue
        rows = rows_of.get(doc, [])
        if len(rows) == 1:
            out[key] = str(rows[0])
            if rows[0] != link:
                notes.append(f"{_label(key)}: your link to books row {link} ({doc[1]}) is "
                             f"row {rows[0]} in these books")
        else:
            where = "is not in these books" if not rows else "is in these books twice"
            out[key] = f"row {link} of the earlier books: {doc[1]} {where}"
            notes.append(f"{_label(key)}: the books document you linked ({doc[1]}, books row "
                         f"{link} before) {where}; link it again")
    return out, notes


def _identity(gstin, number, day) -> tuple:
    """What names a books document across registers: supplier GSTIN, number, date."""
    if hasattr(day, "strftime"):
        day = day.strftime("%d-%m-%Y")
    return clean(str(gstin or "")), str(number or "").strip().upper(), str(day or "").strip()


def _row(r: list):
    try:
        return int(float(r[_AT["row"]]))
    except (TypeError, ValueError):
        return None


def _label(key: str) -> str:
    section, gstin, number, _ = (key.split("|") + ["", "", "", ""])[:4]
    return f"{section} {gstin} {number}"
