"""The IMS sheet as rows: what is written reads back the same."""

from ims_xl.portal.download import read_ims
from ims_xl.workbook.layout import IMS_COLUMNS, headers
from ims_xl.workbook.ims_sheet import FreshSheetRow, apply_updates, ims_row, read_ims_rows
from tests.core.example import DOWNLOAD_TEXT


def test_fresh_rows_read_back_as_the_shortcut_builds_them(write_json):
    records = read_ims(write_json(DOWNLOAD_TEXT)).records
    rows = [ims_row(r) for r in records]
    parsed = read_ims_rows(headers(IMS_COLUMNS), rows)
    quick = [FreshSheetRow(n, rec, row) for n, (rec, row) in enumerate(zip(records, rows), 2)]
    for a, b in zip(parsed, quick):
        assert (a.row, a.record.key, a.record.raw, a.decision, a.portal) == \
            (b.row, b.record.key, b.record.raw, b.decision, b.portal)
        assert a.cells == b.cells


def test_updates_land_on_their_sheet_rows(write_json):
    records = read_ims(write_json(DOWNLOAD_TEXT)).records
    rows = [ims_row(r) for r in records]
    out = apply_updates(headers(IMS_COLUMNS), rows, {"action": {3: "Reject"},
                                                     "remarks": {3: "=not a formula"}})
    back = read_ims_rows(headers(IMS_COLUMNS), out)
    assert back[1].decision.action == "R" and back[1].decision.remarks == "=not a formula"
    assert [b.decision.action for i, b in enumerate(back) if i != 1] == [None] * 4
