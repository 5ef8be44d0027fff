"""Month to month: last month's decisions carried onto this month's download."""

import copy
from decimal import Decimal

import pytest
from helpers import records, workbook_data
from workbooks import save

from ims_xl.workbook.data import WorkbookData, read_workbook
from ims_xl.month.carry_forward import Gone, carry_forward
from ims_xl.model.document import Decision
from ims_xl.portal.download import parse_document
from ims_xl.testdata.generate import make_case
from ims_xl.workbook.layout import IMS_COLUMNS, headers
from ims_xl.reports.summary import compute, summary_rows
from ims_xl.workbook.ims_sheet import ims_row, read_ims_rows


def last_month_choice(rec):
    """What the user decided last month, by the record's hash."""
    d = int(rec.raw["hash"][-1], 16) % 5
    if d == 0:
        return Decision("P", f"awaiting copy of {rec.doc_number}", "", {})
    if d == 1 and rec.section == "b2bcn":
        return Decision("A", "partial reversal", "Y", {"igst": Decimal("5.00")})
    if d == 1:
        return Decision("A", "", "", {})
    if d == 2:
        return Decision("R", "not ours", "", {})
    return None


@pytest.fixture(scope="module")
def months():
    march = make_case(300, seed=31)
    previous = workbook_data(march, last_month_choice)
    # April: what was decided is gone (filed into 2B) except half the pending ones, which
    # come back with the portal now showing Pending; plus new documents.
    april = {"imsDetails": {}}
    kept, dropped = [], []
    for section, items in march.download["imsDetails"].items():
        for raw in items:
            rec = parse_document("m", {"imsDetails": {section: [raw]}}).records[0]
            choice = last_month_choice(rec)
            stays = choice is None or (choice.action == "P" and int(raw["hash"][-2], 16) % 2)
            (kept if stays else dropped).append((rec, choice))
            if stays:
                raw = copy.deepcopy(raw)
                if choice:
                    raw["action"] = "P"
                april["imsDetails"].setdefault(section, []).append(raw)
    new = make_case(40, seed=32).download["imsDetails"]
    for section, items in new.items():
        april["imsDetails"].setdefault(section, []).extend(items)
    current = [ims_row(r) for r in parse_document("april.json", april).records]
    return previous, current, kept, dropped, sum(len(v) for v in new.values())


def test_decisions_carried_onto_records_still_there(months):
    previous, current, kept, _, _ = months
    carry = carry_forward(previous, current)
    rows = {r.record.key: r for r in read_ims_rows(headers(IMS_COLUMNS), carry.rows)}
    pending = [(rec, c) for rec, c in kept if c]
    assert pending
    for rec, choice in pending:
        d = rows[rec.key].decision
        assert (d.action, d.remarks) == ("P", choice.remarks)
        assert rows[rec.key].portal.action == "P"       # this month's portal state, fresh
    for rec, choice in kept:
        if choice is None:
            assert rows[rec.key].decision.action is None


def test_pending_records_no_longer_downloaded_are_listed(months):
    previous, current, _, dropped, new = months
    carry = carry_forward(previous, current)
    want = sorted(rec.key for rec, c in dropped if c and c.action == "P")
    assert want and sorted(g.key for g in carry.gone) == want
    g = carry.gone[0]
    assert isinstance(g, Gone) and g.remarks.startswith("awaiting copy")
    assert "was Pending last month" in str(g) and g.doc_number in str(g)
    assert carry.counts["pending gone"] == len(want)
    assert carry.counts["gone"] == len(dropped)
    assert carry.counts["added"] == new
    assert carry.counts["carried"] == sum(1 for _, c in months[2] if c)


def test_gone_records_show_on_the_summary(months):
    previous, current, _, _, _ = months
    carry = carry_forward(previous, current)
    s = compute(read_ims_rows(headers(IMS_COLUMNS), carry.rows), gone=carry.gone)
    rows = summary_rows(s)
    at = next(i for i, r in enumerate(rows) if r and str(r[0]).startswith("Pending last month"))
    listed = rows[at + 2:at + 2 + len(carry.gone)]
    assert [r[3] for r in listed] == [g.doc_number for g in carry.gone]
    # gone records add to no ITC figure
    assert compute(read_ims_rows(headers(IMS_COLUMNS), carry.rows)).outcomes == s.outcomes


def test_a_record_the_supplier_changed_loses_its_action_with_a_note():
    """merge's rule: the action was given to a document that no longer exists in that form."""
    case = make_case(30, seed=41)
    recs = records(case)
    target = recs[0]
    previous = workbook_data(case, lambda r: Decision("P", "waiting", "", {})
                             if r.key == target.key else None)
    raws = copy.deepcopy(case.download)
    raw = raws["imsDetails"][target.section][0]
    raw["txval"] += 100
    current = [ims_row(r, None if r.key != target.key else _result("Mismatch"))
               for r in parse_document("x", raws).records]
    carry = carry_forward(previous, current)
    row = read_ims_rows(headers(IMS_COLUMNS), carry.rows)[0]
    assert [r.key for r in carry.changed] == [target.key] and carry.counts["changed"] == 1
    assert row.decision.action is None and "supplier changed" in row.get("validation")
    assert row.get("status") == "Mismatch"            # this month's reconciliation stays
    assert carry.gone == []


def _result(label):
    from ims_xl.reconcile.result import STATUS_BY_LABEL, MatchResult
    return MatchResult(STATUS_BY_LABEL[label])


def test_row_order_and_reconciliation_stay_this_months(months):
    """The Purchase sheet's IMS Row points into this month's order."""
    previous, current, _, _, _ = months
    carry = carry_forward(previous, current)
    assert [r[-3] for r in carry.rows] == [r[-3] for r in current]      # Record Key
    status = headers(IMS_COLUMNS).index("Match Status")
    assert [r[status] for r in carry.rows] == [r[status] for r in current]


def test_previous_workbook_with_moved_columns_and_extra_ones(months):
    """Columns are found by header: a user who moved columns or added one loses nothing."""
    previous, current, kept, _, _ = months
    order = list(reversed(range(len(previous.ims_header))))
    moved = WorkbookData(ims_header=[previous.ims_header[i] for i in order] + ["My notes"],
                         ims_rows=[[r[i] for i in order] + ["call him"]
                                   for r in previous.ims_rows])
    assert carry_forward(moved, current).rows == carry_forward(previous, current).rows


def test_carry_from_a_saved_workbook(tmp_path, months):
    previous, current, kept, _, _ = months
    path = tmp_path / "march.xlsx"
    save(path, previous)
    carry = carry_forward(read_workbook(path), current)
    assert carry.rows == carry_forward(previous, current).rows


def test_nothing_carried_from_an_empty_workbook():
    case = make_case(10, seed=5)
    current = [ims_row(r) for r in records(case)]
    carry = carry_forward(WorkbookData(), current)
    assert carry.rows == current and carry.gone == []
    assert carry.counts["added"] == len(current)


def test_records_handed_in_carry_the_same_work_as_records_read_from_the_rows(months):
    """The pipeline hands carry_forward the month's records (and the guard's parsed rows of
    the workbook being replaced) instead of parsing both from the hidden columns again."""
    previous, current, _, _, _ = months
    slow = carry_forward(previous, current)
    parsed = WorkbookData(ims_header=previous.ims_header, ims_rows=previous.ims_rows,
                          ims_sheet_rows=read_ims_rows(previous.ims_header, previous.ims_rows))
    april = [r.record for r in read_ims_rows(headers(IMS_COLUMNS), current)]
    fast = carry_forward(parsed, current, [parse_document("april.json", {"imsDetails": {
        r.section: [r.raw]}}).records[0] for r in april])
    assert slow.gone and slow.counts["carried"]
    assert (fast.rows, fast.counts, fast.gone) == (slow.rows, slow.counts, slow.gone)
    assert [r.key for r in fast.changed] == [r.key for r in slow.changed]


def test_carried_rows_read_for_the_summary_as_a_parse_of_the_sheet_would(months):
    """The pipeline sums up carried rows from the month's records and the typed cells
    (`sheet_rows_typed`) instead of parsing the hidden columns once more: the same rows,
    typos in typed cells included, and the same Summary."""
    from ims_xl.workbook.ims_sheet import sheet_rows_typed
    previous, current, _, _, _ = months
    april = [r.record for r in read_ims_rows(headers(IMS_COLUMNS), current)]
    rows = carry_forward(previous, current, april).rows
    at = {c.key: i for i, c in enumerate(IMS_COLUMNS)}
    rows[0][at["action"]] = "Maybe"                          # typos a user can type
    rows[1][at["decl_igst"]] = "1,2x"
    rows[2][at["itc_red_req"]] = " y "
    parsed = read_ims_rows(headers(IMS_COLUMNS), rows)
    typed = sheet_rows_typed(april, rows)
    assert [(r.row, r.record, r.decision, r.portal, r.problems, dict(r.cells)) for r in typed] \
        == [(r.row, r.record, r.decision, r.portal, r.problems, r.cells) for r in parsed]
    assert typed[0].problems and typed[1].problems
    assert summary_rows(compute(typed)) == summary_rows(compute(parsed))


def _carried_as_merged(previous, current, april):
    """What carry_forward did before it took kept rows' cells straight from the old row: every
    record's row laid out by `merge_download`, its user cells laid over this month's row."""
    from ims_xl.month.carry_forward import FROM_MERGE
    from ims_xl.month.merge_download import merge_download
    at = {c.key: i for i, c in enumerate(IMS_COLUMNS)}
    merged = merge_download(read_ims_rows(previous.ims_header, previous.ims_rows), april)
    by_key = {row[at["key"]]: row for row in merged.rows}
    rows, carried = [], 0
    for values in current:
        row = list(values)
        for key in FROM_MERGE:
            row[at[key]] = by_key[values[at["key"]]][at[key]]
        carried += row != values
        rows.append(row)
    return rows, carried


def test_kept_rows_carry_the_cells_a_laid_out_merge_would(months):
    """Kept rows take their cells from the old row without laying out the merge's row:
    the same rows and count as laying it out, for a fresh month, for rows that already
    carry work (a second carry: `--previous` then `--out`), with a record the supplier
    changed, and from a sheet missing some of the carried columns."""
    previous, current, _, _, _ = months
    april = [r.record for r in read_ims_rows(headers(IMS_COLUMNS), current)]
    changed = copy.deepcopy(april[3].raw)
    changed["val"] = changed["val"] + 1
    april[3] = parse_document("april.json", {"imsDetails": {april[3].section: [changed]}}).records[0]
    first = carry_forward(previous, current, april)
    assert first.counts["kept"] and first.counts["added"] and first.counts["changed"]
    assert (first.rows, first.counts["carried"]) == _carried_as_merged(previous, current, april)
    again = carry_forward(previous, first.rows, april)
    assert (again.rows, again.counts["carried"]) == _carried_as_merged(previous, first.rows, april)
    short = [i for i, h in enumerate(previous.ims_header)
             if h not in ("Upload Status", "Declared Cess")]
    older = WorkbookData(ims_header=[previous.ims_header[i] for i in short],
                         ims_rows=[[r[i] for i in short] for r in previous.ims_rows])
    carried = carry_forward(older, first.rows, april)
    assert (carried.rows, carried.counts["carried"]) == _carried_as_merged(older, first.rows, april)
