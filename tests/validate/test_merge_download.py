"""Re-importing a newer download keeps the user's work on unchanged records."""

from decimal import Decimal

from ims_xl.model.document import Decision
from ims_xl.workbook.layout import IMS_COLUMNS
from ims_xl.month.merge_download import merge_download
from ims_xl.reconcile.result import MatchResult
from ims_xl.workbook.ims_sheet import read_ims_rows
from ims_xl.validate import NOTE_PREFIX, validate_rows, validation_updates
from tests.validate.vhelp import (HEADER, as_list, example_records, load_rows, record, rows_of,
                                  save_book)


def _col(rows, key):
    at = [c.key for c in IMS_COLUMNS].index(key)
    return [r[at] for r in rows]


def _existing():
    mc, tt, se, cn, eco = example_records()
    return rows_of(
        (mc, Decision("A"), None, {"upload_status": "Exported 2026-04-05 10:15 u.json",
                                   "status": "Matched", "reason": "same number and amounts"}),
        (tt, None, None, {"action": "pendng", "remarks": "ask supplier"}),   # typo kept as typed
        (cn, Decision("A", "half availed", "Y", {"cgst": Decimal(450), "sgst": Decimal(450)})),
        (eco, Decision("A")),
        (se, Decision("A", "", "Y")),
    )


def test_unchanged_records_keep_every_cell_the_user_typed():
    mc, tt, se, cn, eco = example_records()
    merged = merge_download(_existing(), [mc, tt, se, cn, eco])
    assert merged.counts == {"kept": 5, "changed": 0, "added": 0, "gone": 0}
    assert _col(merged.rows, "action") == ["Accept", "pendng", "Accept", "Accept", "Accept"]
    assert _col(merged.rows, "remarks")[:3] == ["", "ask supplier", "half availed"]
    assert _col(merged.rows, "decl_cgst")[2] == 450 and _col(merged.rows, "itc_red_req")[2] == "Y"
    assert _col(merged.rows, "upload_status")[0] == "Exported 2026-04-05 10:15 u.json"
    assert _col(merged.rows, "reason")[0] == "same number and amounts"


def test_the_portal_state_comes_from_the_newer_download():
    mc, *rest = example_records()
    accepted = record("b2b", mc.doc_number, action="A")       # our upload went through
    merged = merge_download(_existing()[:1], [accepted])
    row = read_ims_rows(HEADER, merged.rows)[0]
    assert row.portal.action == "A" and row.decision.action == "A"
    assert merged.counts["kept"] == 1          # the portal's action is not the supplier's


def test_a_record_the_supplier_changed_loses_its_action_to_a_note():
    mc, tt, se, cn, eco = example_records()
    edited = record("b2b", "MC/25-26/0451", val=Decimal("118001.00"))
    merged = merge_download(_existing(), [edited, tt, se, cn, eco])
    assert merged.counts == {"kept": 4, "changed": 1, "added": 0, "gone": 0}
    assert [r.doc_number for r in merged.changed] == ["MC/25-26/0451"]
    assert _col(merged.rows, "action")[0] == ""
    note = _col(merged.rows, "validation")[0]
    assert note.startswith(NOTE_PREFIX) and "'Accept'" in note and "choose again" in note
    assert _col(merged.rows, "status")[0] == ""               # the old match described the old copy
    rows = read_ims_rows(HEADER, merged.rows)
    kept_note = validation_updates(rows, validate_rows(rows)).get("validation", {})
    assert 2 not in kept_note                                  # validating keeps the note


def test_new_records_are_added_and_gone_ones_listed():
    mc, tt, se, cn, eco = example_records()
    new = record("b2b", "NEW-1")
    merged = merge_download(_existing(), [mc, tt, cn, new])
    assert merged.counts == {"kept": 3, "changed": 0, "added": 1, "gone": 2}
    assert _col(merged.rows, "doc_num") == ["MC/25-26/0451", "TT-2026-0093", "MC/CN/0012",
                                            "NEW-1"]
    assert [r.record.doc_number for r in merged.gone] == ["ECO/TN/55421", "SE/1187A"]
    lines = merged.lines()
    assert lines[0] == "kept 3, changed 0, added 1, gone 2"
    assert any("SE/1187A" in line and "your action: Accept" in line for line in lines)


def test_fresh_results_refresh_the_match_columns_but_not_the_users_cells():
    mc, *_ = example_records()
    result = MatchResult("mismatch", [7], "R", "amount differs", suggested_remarks="check")
    merged = merge_download(_existing()[:1], [mc], results={mc.key: result})
    assert _col(merged.rows, "status") == ["Mismatch"] and _col(merged.rows, "action") == ["Accept"]
    assert _col(merged.rows, "suggested_remarks") == ["check"]


def test_a_re_import_through_a_file_keeps_actions(tmp_path):
    mc, tt, se, cn, eco = example_records()
    book = save_book(tmp_path / "march.xlsx", [as_list(r) for r in _existing()])
    data, existing = load_rows(book)
    merged = merge_download(existing, [mc, tt, se, cn, eco, record("b2b", "NEW-2")])
    save_book(book, merged.rows, data.settings)
    _, rows = load_rows(book)
    assert [r.get("action") for r in rows] == ["Accept", "pendng", "Accept", "Accept", "Accept",
                                              ""]
    assert rows[2].decision.declared == {"cgst": Decimal("450"), "sgst": Decimal("450")}
    assert rows[1].get("remarks") == "ask supplier"


def test_the_note_quotes_remarks_and_itc_answer_the_user_typed():
    cn = example_records()[3]
    existing = rows_of((cn, Decision("A", "half availed", "Y")))
    edited = record("b2bcn", "MC/CN/0012", val=Decimal("11900.00"), camt=Decimal("900.00"),
                    samt=Decimal("900.00"), nt_dt="18-03-2026")
    note = _col(merge_download(existing, [edited]).rows, "validation")[0]
    assert "action 'Accept' and remarks 'half availed' and ITC Reduction 'Y'" in note
