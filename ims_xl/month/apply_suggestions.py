"""Apply Suggestions: copy the reconciliation's suggestion into the user's cells.

Pure: returns column updates (`{column key: {sheet row: value}}`) for `table.apply_updates`
or the live workbook's block writes.
"""

from __future__ import annotations

from ..model import action
from ..workbook.ims_sheet import SheetRow

__all__ = ["apply_suggestions"]


def apply_suggestions(rows: list[SheetRow], selected: set[int] | None = None) -> dict:
    """Suggested Action (and remark, and ITC answer Y) into the selected rows.

    `selected` holds sheet row numbers the user picked: their Action is overwritten. With
    None, only rows whose Action cell is blank are filled, so nothing the user typed is lost.
    Remarks and the ITC answer are only ever filled into blank cells.
    """
    updates: dict[str, dict[int, str]] = {"action": {}, "remarks": {}, "itc_red_req": {}}
    targets = ([r for r in rows if _blank(r.get("action"))] if selected is None
               else [r for r in rows if r.row in selected])
    for row in targets:
        code = _suggested(row)
        if code is None:
            continue
        updates["action"][row.row] = action.label_of(code)
        remark = str(row.get("suggested_remarks") or "").strip()
        # Remarks travel only with Reject and Pending (docs/reference/ims-format.md#remarks); on
        # Accept they would be refused.
        if (remark and code in ("R", "P") and _blank(row.get("remarks"))
                and not row.record.remarks_blocked):
            updates["remarks"][row.row] = remark
        rec = row.record
        if (code == "A" and rec.sec.itc_declaration and not rec.itc_blocked
                and _blank(row.get("itc_red_req"))):
            updates["itc_red_req"][row.row] = "Y"
    return {k: v for k, v in updates.items() if v}


def _suggested(row: SheetRow) -> str | None:
    try:
        return action.code_of(row.get("suggested"))
    except ValueError:
        return None                   # an odd suggestion is not worth failing the button for


def _blank(value) -> bool:
    return value is None or not str(value).strip()
