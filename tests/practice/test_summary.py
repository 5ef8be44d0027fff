"""ITC impact summary, checked against sums taken straight from the generated download dict
(plain Python over the portal keys, not through ims_xl's records or summary code)."""

import copy
import dataclasses
import json
import zipfile
from decimal import Decimal

import pytest
from click.testing import CliRunner
from helpers import purchase_lists, records, result_for, sheet_rows, workbook_data
from workbooks import save

from ims_xl.cli import main
from ims_xl.model.document import Decision
from ims_xl.workbook.ims_sheet import ims_row, read_ims_rows, status_cells
from ims_xl.workbook.layout import IMS_COLUMNS, headers
from ims_xl.reports.summary import (OUTCOME_TITLE, OUTCOMES, chart_spec, compute, compute_fresh,
                                    insert_chart, summary_rows, to_json)

CREDIT = {"b2bcn", "b2bcna"}
PORTAL_KEYS = {"igst": "iamt", "cgst": "camt", "sgst": "samt", "cess": "cess"}
ZERO = Decimal(0)
CENT = Decimal("0.01")


def _digit(raw, i):
    return int(raw["hash"][-i], 16)


def user_action(raw):
    """The test's rule for what the user typed: A R P N or blank, from the record's hash."""
    return {0: "A", 1: "R", 2: "P", 3: "N"}.get(_digit(raw, 1) % 6)


def declaration(raw):
    """For accepted credit notes: ('Y', half of each head) / ('Y', {}) / ('N', {})."""
    mode = _digit(raw, 2) % 3
    if mode == 0:
        return "Y", {h: (raw[k] / 2).quantize(CENT) for h, k in PORTAL_KEYS.items() if raw[k]}
    return ("Y", {}) if mode == 1 else ("N", {})


def decide(rec):
    act = user_action(rec.raw)
    if act is None:
        return None
    red, decl = declaration(rec.raw) if act == "A" and rec.section in CREDIT else ("", {})
    return Decision(act, "checked" if act in "RP" else "", red, decl)


@pytest.fixture(scope="module")
def mixed(case):
    """The case with some portal actions already set (the user's blank keeps them)."""
    c = copy.deepcopy(case)
    for items in c.download["imsDetails"].values():
        for raw in items:
            if _digit(raw, 3) % 4 == 0:
                raw["action"] = ("R", "P", "A")[_digit(raw, 4) % 3]
    return c


def expected_outcomes(download):
    out = {k: dict.fromkeys(PORTAL_KEYS, ZERO) for k in OUTCOMES}
    for section, items in download["imsDetails"].items():
        for raw in items:
            user = user_action(raw)
            act = user or raw.get("action") or "N"
            amounts = {h: raw[k] for h, k in PORTAL_KEYS.items()}
            if section in CREDIT:
                if act in ("A", "N"):
                    key = "cn_reduction"
                    if act == "A" and user:
                        red, decl = declaration(raw)
                        if red == "N":
                            amounts = dict.fromkeys(PORTAL_KEYS, ZERO)
                        elif decl:
                            amounts = {h: decl.get(h, ZERO) for h in PORTAL_KEYS}
                else:
                    key = "cn_rejected" if act == "R" else "cn_pending"
            else:
                key = {"A": "accepted", "N": "no_action", "R": "rejected", "P": "pending"}[act]
            for h in PORTAL_KEYS:
                out[key][h] += amounts[h]
    for h in PORTAL_KEYS:
        out["net"][h] = out["accepted"][h] + out["no_action"][h] - out["cn_reduction"][h]
    return out


def test_no_decisions_everything_flows_and_credit_notes_reduce(case):
    s = compute(sheet_rows(case))
    for h, k in PORTAL_KEYS.items():
        inv = sum((r[k] for sec, items in case.download["imsDetails"].items()
                   if sec not in CREDIT for r in items), ZERO)
        cn = sum((r[k] for sec, items in case.download["imsDetails"].items()
                  if sec in CREDIT for r in items), ZERO)
        assert s.outcomes["no_action"][h] == inv
        assert s.outcomes["cn_reduction"][h] == cn
        assert s.outcomes["net"][h] == inv - cn
        assert s.outcomes["rejected"][h] == s.outcomes["pending"][h] == ZERO
    n = sum(len(v) for v in case.download["imsDetails"].values())
    assert s.records == s.to_act == n


def test_itc_by_outcome_follows_user_and_portal_actions(mixed):
    s = compute(sheet_rows(mixed, decide))
    expected = expected_outcomes(mixed.download)
    assert s.outcomes == expected
    # the case really exercises every branch
    assert all(sum(expected[k].values()) for k in ("accepted", "rejected", "pending",
                                                   "cn_reduction", "cn_rejected"))


def test_counts_of_actions_and_to_act(mixed):
    s = compute(sheet_rows(mixed, decide))
    raws = [r for items in mixed.download["imsDetails"].values() for r in items]
    eff = [user_action(r) or r["action"] for r in raws]
    assert s.pending == eff.count("P")
    assert s.to_act == sum(1 for r in raws if user_action(r) is None and r["action"] == "N")
    assert s.by_action == {a: eff.count(a) for a in set(eff)}


def test_accepted_credit_note_declarations():
    """Y with amounts: the amounts; Y without: the full tax; N: nothing
    (docs/reference/ims-format.md#itc-reduction)."""
    from ims_xl.testdata.generate import make_case
    case = make_case(300, seed=21)
    cns = [(s, r) for s, items in case.download["imsDetails"].items() if s == "b2bcn"
           for r in items]
    assert len(cns) >= 6
    modes = {}

    def decide_cn(rec):
        if rec.section != "b2bcn":
            return None
        i = len(modes) % 3
        modes[rec.supplier_gstin, rec.doc_number] = i
        if i == 0:
            return Decision("A", "", "Y", {"igst": Decimal("10.00"), "cgst": Decimal("2.50"),
                                           "sgst": Decimal("2.50")})
        return Decision("A", "", "Y" if i == 1 else "N", {})

    s = compute(sheet_rows(case, decide_cn))
    red = s.outcomes["cn_reduction"]
    declared = [r for _, r in cns if modes[r["stin"], r["nt_num"]] == 0]
    full = [r for _, r in cns if modes[r["stin"], r["nt_num"]] == 1]
    full += case.download["imsDetails"].get("b2bcna", [])   # No Action: deemed accepted
    assert red["igst"] == Decimal("10.00") * len(declared) + sum((r["iamt"] for r in full), ZERO)
    assert red["cgst"] == Decimal("2.50") * len(declared) + sum((r["camt"] for r in full), ZERO)
    assert red["cess"] == sum((r["cess"] for r in full), ZERO)   # cess not declared: nothing


def test_per_status_and_section(case):
    s = compute(sheet_rows(case), purchase_lists(case))
    want: dict = {}
    for section, items in case.download["imsDetails"].items():
        for raw in items:
            key = f"{section}|{raw['stin']}|{raw.get('inum') or raw.get('nt_num')}|{raw['rtnprd']}"
            idx, how = case.truth[key]
            label = "Only in IMS" if idx is None else "Mismatch" if how == "amount_diff" \
                else "Matched"
            n, tax = want.get(label, (0, ZERO))
            want[label] = (n + 1, tax + raw["iamt"] + raw["camt"] + raw["samt"] + raw["cess"])
    for label, (n, tax) in want.items():
        assert (s.by_status[label].count, s.by_status[label].tax) == (n, tax), label
    paired = {i for i, _ in case.truth.values() if i is not None}
    only = [b for i, b in enumerate(case.books) if i not in paired]
    assert s.by_status["Only in books"].count == len(only)
    assert float(s.by_status["Only in books"].tax) == pytest.approx(
        sum(abs(b["IGST"]) + abs(b["CGST"]) + abs(b["SGST"]) + abs(b["Cess"]) for b in only))
    labels = {"b2b": "B2B", "b2ba": "B2BA", "b2bdn": "B2B-DN", "b2bdna": "B2B-DNA",
              "b2bcn": "B2B-CN", "b2bcna": "B2B-CNA", "ecom": "ECO", "ecoma": "ECOA"}
    for section, items in case.download["imsDetails"].items():
        t = s.by_section[labels[section]]
        assert t.count == len(items)
        assert t.taxable == sum((r["txval"] for r in items), ZERO)


def test_top_suppliers_by_itc_at_risk(case):
    s = compute(sheet_rows(case))
    risk: dict = {}
    for section, items in case.download["imsDetails"].items():
        if section in CREDIT:
            continue
        for raw in items:
            key = f"{section}|{raw['stin']}|{raw.get('inum') or raw.get('nt_num')}|{raw['rtnprd']}"
            idx, how = case.truth[key]
            if idx is None or how == "amount_diff" or raw["srcfilstatus"] == "Not Filed":
                risk[raw["stin"]] = risk.get(raw["stin"], ZERO) + raw["iamt"] + raw["camt"] \
                    + raw["samt"] + raw["cess"]
    top = sorted(risk.items(), key=lambda kv: (-kv[1], kv[0]))
    assert [(r.gstin, r.amount) for r in s.suppliers] == top
    assert s.at_risk == sum(risk.values())
    rows = summary_rows(s)
    at = next(i for i, r in enumerate(rows) if r and r[0] == "Supplier GSTIN")
    assert [r[0] for r in rows[at + 1:at + 11]] == [g for g, _ in top[:10]]


def test_summary_rows_are_plain_values_with_the_outcome_table(mixed):
    s = compute(sheet_rows(mixed, decide), purchase_lists(mixed))
    rows = summary_rows(s)
    assert all(isinstance(v, (str, int, float)) for r in rows for v in r)
    top = next(i for i, r in enumerate(rows) if r and r[0] == OUTCOME_TITLE)
    assert rows[top][1:] == ["IGST", "CGST", "SGST", "Cess", "Total"]
    expected = expected_outcomes(mixed.download)
    for i, key in enumerate(OUTCOMES, top + 1):
        sign = -1 if key == "cn_reduction" else 1
        assert rows[i][0] == OUTCOMES[key]
        assert rows[i][1:5] == [float(sign * expected[key][h]) for h in PORTAL_KEYS]


def test_chart_spec_points_at_the_outcome_rows(mixed):
    s = compute(sheet_rows(mixed, decide))
    rows = summary_rows(s)
    spec = chart_spec(s)
    assert spec == chart_spec(rows=rows)          # the writer can rebuild it from the rows
    assert spec["type"] == "column" and spec["subtype"] == "stacked"
    assert spec["categories"]["values"] == ["IGST", "CGST", "SGST", "Cess"]
    names = [ser["name"] for ser in spec["series"]]
    assert names == [OUTCOMES[k] for k in ("accepted", "no_action", "cn_reduction",
                                           "rejected", "pending")]
    for ser in spec["series"]:
        assert rows[ser["row"]][ser["first_col"]:ser["last_col"] + 1] == ser["values"]
    assert chart_spec(rows=[["nothing"]]) is None


def test_insert_chart_draws_on_the_summary_sheet(tmp_path, case):
    import xlsxwriter
    rows = summary_rows(compute(sheet_rows(case)))
    path = tmp_path / "s.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Summary")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            (ws.write_string if isinstance(v, str) else ws.write_number)(r, c, v)
    insert_chart(wb, ws, rows)
    wb.close()
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<c:grouping val=\"stacked\"/>" in chart
    assert "Summary!$B$" in chart and "ITC by outcome per tax head" in chart


def test_summary_command_text_and_json(tmp_path, mixed):
    path = tmp_path / "march.xlsx"
    save(path, workbook_data(mixed, decide))
    res = CliRunner().invoke(main, ["summary", str(path)])
    assert res.exit_code == 0, res.output
    assert "ITC to GSTR-2B (net)" in res.output and "Top suppliers" in res.output
    res = CliRunner().invoke(main, ["summary", str(path), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output, parse_float=Decimal)
    expected = expected_outcomes(mixed.download)
    for key in OUTCOMES:
        for h in PORTAL_KEYS:
            assert doc["itc"][key][h] == expected[key][h]
    assert doc["records"] == sum(len(v) for v in mixed.download["imsDetails"].values())
    assert to_json(compute(sheet_rows(mixed, decide)))["at_risk"] == doc["at_risk"]


def test_summary_of_a_file_that_is_not_a_workbook(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("not a workbook")
    res = CliRunner().invoke(main, ["summary", str(bad)])
    assert res.exit_code == 1 and "cannot open" in res.output and "Traceback" not in res.output


def test_figures_read_back_from_the_summary_rows(mixed):
    from ims_xl.reports.summary import figures
    s = compute(sheet_rows(mixed, decide), purchase_lists(mixed))
    f = figures(summary_rows(s))
    assert (f["Records"], f["To act"], f["Pending"]) == (s.records, s.to_act, s.pending)
    assert f["ITC at risk"] == float(s.at_risk)
    assert f["itc"] == {k: float(s.total(k)) for k in OUTCOMES}
    assert f["status"] == {k: t.count for k, t in s.by_status.items()}
    assert figures([]) is None and figures([["something else"], []]) is None


def test_the_empty_workbook_has_the_chart_on_the_cells_refresh_summary_fills(mixed):
    """The ribbon's Refresh Summary rewrites values only: the committed workbook's chart must
    point at the cells where a real month's figures land."""
    from pathlib import Path

    def cells(spec):
        return spec["categories"], [(s["name_cell"], s["row"], s["first_col"], s["last_col"])
                                    for s in spec["series"]]
    empty = chart_spec(rows=summary_rows(compute([])))
    month = chart_spec(rows=summary_rows(compute(sheet_rows(mixed))))
    assert cells(empty)[1] == cells(month)[1]
    assert cells(empty)[0]["row"] == cells(month)[0]["row"]
    built = Path(__file__).resolve().parents[2] / "workbook" / "IMS_Reconciler.xlsm"
    with zipfile.ZipFile(built) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "Summary!$B$6:$E$6" in chart              # Accepted, per tax head


def test_a_fresh_month_sums_up_as_its_rows_read_back(mixed):
    """Rows just laid out, summed up from their records and status cells (`compute_fresh`),
    give the Summary of the same rows read back from the sheet: portal actions set,
    accepted credit notes, the suppliers at risk and their names."""
    recs = records(mixed)
    # every credit note accepted on the portal, the first declared to reduce no ITC: its
    # reduction is its own, not its group's
    cns = [i for i, rec in enumerate(recs) if rec.sec.kind == "credit"]
    for i in cns:
        recs[i] = dataclasses.replace(recs[i], action="A", itc_red_req="N" if i == cns[0] else "")
    rows = [ims_row(rec, result_for(mixed, rec)) for rec in recs]
    assert {rec.action for rec in recs} >= {"A", "R", "P", "N"}
    read = read_ims_rows(headers(IMS_COLUMNS), rows)
    books = purchase_lists(mixed)
    fresh = compute_fresh(recs, status_cells(rows), books)
    assert fresh.suppliers and fresh.by_status and fresh.outcomes["cn_reduction"]
    assert fresh == compute(read, books)
    assert summary_rows(fresh) == summary_rows(compute(read, books))
