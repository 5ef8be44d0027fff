"""write_workbook: the CLI's formatted workbook, laid out by the same code as the build."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest

from ims_xl.workbook.data import WorkbookData, read_workbook
from ims_xl.model.errors import WorkbookError
from ims_xl.workbook.layout import (IMS_COLUMNS, PATH_NAME, SHEET_IMS, column_letter, headers,
                                    index_of)
from ims_xl.workbook.writer import (SHEET_ORDER, install_workbook, setup_lines, sheet_part,
                                    write_workbook)


def sheet_xml(path, sheet: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(sheet_part(sheet)).decode("utf-8")


def styles(path) -> list[str]:
    """Each cell style (xf) of the package, spelled out: fonts, fills, borders, number format."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/styles.xml").decode("utf-8")

    def block(tag: str) -> list[str]:
        inner = re.search(rf"<{tag}s\b[^>]*>(.*?)</{tag}s>", xml, re.S).group(1)
        return re.findall(rf"<{tag}\b.*?(?:/>|</{tag}>)", inner, re.S)

    fonts, fills, borders = block("font"), block("fill"), block("border")
    formats = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', xml))
    xfs = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", xml, re.S).group(1)
    out = []
    for xf in re.findall(r"<xf\b.*?(?:/>|</xf>)", xfs, re.S):
        a = dict(re.findall(r'(\w+)="([^"]*)"', xf.split(">")[0]))
        out.append("|".join([formats.get(a["numFmtId"], a["numFmtId"]), fonts[int(a["fontId"])],
                             fills[int(a["fillId"])], borders[int(a["borderId"])],
                             re.sub(r"<xf\b[^>]*>", "", xf)]))
    return out


def skeleton(path, sheet: str) -> str:
    """A sheet part without its data rows and extents, styles spelled out: the layout alone."""
    xml, xfs = sheet_xml(path, sheet), styles(path)
    xml = re.sub(r'(<sheetData><row r="1"[^>]*>.*?</row>).*?</sheetData>', r"\1</sheetData>", xml,
                 flags=re.S)
    xml = re.sub(r'<dimension ref="[^"]*"/>', "", xml)
    xml = re.sub(r'<autoFilter ref="[^"]*"/>', "", xml)
    return re.sub(r' (s|style)="(\d+)"', lambda m: f' {m[1]}="{xfs[int(m[2])]}"', xml)


@pytest.mark.parametrize("sheet", SHEET_ORDER[1:])
def test_template_and_filled_sheets_share_one_layout(built, filled, sheet):
    if sheet == "Summary":                              # free-form rows, no header of its own
        return
    assert skeleton(filled, sheet) == skeleton(built, sheet)


def test_filled_rows_round_trip(filled, make_data):
    data, want = read_workbook(filled), make_data()
    assert data.ims_header == headers(IMS_COLUMNS)
    assert len(data.ims_rows) == len(want.ims_rows)
    assert data.log_rows == want.log_rows
    assert data.mapping_rows == want.mapping_rows
    xml = sheet_xml(filled, SHEET_IMS)
    last = f"{column_letter(len(IMS_COLUMNS) - 1)}{len(want.ims_rows) + 1}"
    assert f'<dimension ref="A1:{last}"/>' in xml and f'<autoFilter ref="A1:{last}"/>' in xml


def test_other_extensions_are_refused(tmp_path):
    with pytest.raises(WorkbookError, match="xlsx or .xlsm"):
        write_workbook(tmp_path / "x.csv", WorkbookData())


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, make_data):
    target = tmp_path / "March.xlsx"
    write_workbook(target, make_data())
    before = target.read_bytes()
    data = make_data()
    data.ims_rows[0][index_of(IMS_COLUMNS, "remarks")] = "x" * 40_000
    with pytest.raises(WorkbookError, match=r"sheet IMS, cell K2: text longer"):
        write_workbook(target, data)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["March.xlsx"]


def test_reading_to_carry_work_skips_the_purchase_sheet_unless_a_link_is_typed(tmp_path,
                                                                             make_data):
    """A re-run reads the old Purchase sheet only to re-aim typed Link Books Row cells."""
    plain = write_workbook(tmp_path / "plain.xlsx", make_data())
    full, carried = read_workbook(plain), read_workbook(plain, carrying=True)
    assert full.purchase_rows and carried.purchase_rows == []
    assert (carried.ims_header, carried.ims_rows) == (full.ims_header, full.ims_rows)
    data = make_data()
    data.ims_rows[-1][index_of(IMS_COLUMNS, "link")] = "3"
    linked = write_workbook(tmp_path / "linked.xlsx", data)
    assert read_workbook(linked, carrying=True).purchase_rows == \
        read_workbook(linked).purchase_rows != []


def test_unknown_and_reordered_ims_columns(tmp_path):
    data = WorkbookData()
    data.ims_header = ["Remarks", "Document No", "My Note"]
    data.ims_rows = [["check", "INV-1", "mine"], ["", "INV-2"]]
    path = write_workbook(tmp_path / "x.xlsx", data)
    back = read_workbook(path)
    assert back.ims_header == headers(IMS_COLUMNS) + ["My Note"]
    doc, remarks = index_of(IMS_COLUMNS, "doc_num"), index_of(IMS_COLUMNS, "remarks")
    assert [r[doc] for r in back.ims_rows] == ["INV-1", "INV-2"]
    assert back.ims_rows[0][remarks] == "check" and back.ims_rows[0][-1] == "mine"


def test_values_of_other_types(tmp_path):
    from datetime import date, datetime
    from decimal import Decimal
    data = WorkbookData()
    at = {c.key: i for i, c in enumerate(IMS_COLUMNS)}
    row = [None] * len(IMS_COLUMNS)
    row[at["doc_date"]] = date(2026, 3, 5)
    row[at["val"]] = Decimal("12.50")
    row[at["txval"]] = float("nan")
    row[at["pos"]] = 27.0
    row[at["itc_red_req"]] = True
    row[at["remarks"]] = datetime(2026, 4, 1, 9, 30)
    data.ims_rows = [row, row[:3] + ["beyond the header"] * (len(IMS_COLUMNS) + 2 - 3)]
    back = read_workbook(write_workbook(tmp_path / "x.xlsx", data))
    got = back.ims_rows[0]
    assert got[at["doc_date"]] == "05-03-2026" and got[at["val"]] == 12.5
    assert got[at["txval"]] in ("", None) and got[at["pos"]] == "27"
    assert got[at["itc_red_req"]] == "Y" and got[at["remarks"]] == "2026-04-01 09:30"
    assert back.ims_rows[1][-1] == "beyond the header"


def test_exports_go_to_hidden_sheet_split_in_cells(tmp_path):
    from python_calamine import CalamineWorkbook
    text = '{"rtin":"27AJICO7272Q1Z0","x":"' + "y" * 70_000 + '"}'
    data = WorkbookData()
    data.exports = [("2026-04-01 10:05", "upload.json", 3, text), ("small.json", "{}")]
    path = write_workbook(tmp_path / "x.xlsm", data)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("_Exports").to_python()
    assert rows[0][:4] == ["Time", "File", "Records", "JSON"]
    assert rows[1][:3] == ["2026-04-01 10:05", "upload.json", 3]
    assert "".join(v for v in rows[1][3:] if v) == text
    assert all(len(v) <= 32_000 for v in rows[1][3:])
    assert rows[2][1] == "small.json" and rows[2][3] == "{}"
    assert 'name="_Exports" sheetId="8" state="hidden"' in zipfile.ZipFile(path).read(
        "xl/workbook.xml").decode()


def test_install_workbook_writes_a_fresh_copy_once(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    lines = install_workbook(tmp_path / "IMS")
    assert lines[0] == f"wrote {tmp_path / 'IMS' / 'IMS_Reconciler.xlsm'}"
    assert any("xlwings config create --force" in ln for ln in lines)
    with zipfile.ZipFile(tmp_path / "IMS" / "IMS_Reconciler.xlsm") as z:
        assert "customUI/customUI14.xml" in z.namelist()
    with pytest.raises(WorkbookError, match="already exists"):
        install_workbook(tmp_path / "IMS")


def test_xlwings_conf_path_is_xlwings_own(monkeypatch, tmp_path):
    import xlwings
    from ims_xl.workbook.writer import xlwings_conf_path
    assert xlwings_conf_path() == Path(xlwings.USER_CONFIG_FILE)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert xlwings_conf_path("darwin") == (tmp_path / "Library" / "Containers" /
                                           "com.microsoft.Excel" / "Data" / "xlwings.conf")


def test_setup_lines_read_the_xlwings_config(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    conf = tmp_path / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    assert "does not exist" in setup_lines("win32")[0]
    conf.write_text(f'"INTERPRETER_WIN","{sys.executable}"\n')
    lines = setup_lines("win32")
    assert lines[0] == f"xlwings config: {conf} points Excel at {sys.executable}"
    assert not any("config create" in ln for ln in lines)
    conf.write_text('"INTERPRETER_WIN","C:\\\\Python39\\\\python.exe"\n')
    lines = setup_lines("win32")
    assert "this ims-xl runs in" in lines[0]
    assert any(ln.endswith("xlwings config create --force") for ln in lines)
    assert setup_lines("darwin")[0].endswith("does not exist yet")
    conf = tmp_path / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text('"INTERPRETER_WIN","python"\n')
    mac = setup_lines("darwin")
    assert "sets no INTERPRETER_MAC" in mac[0]
    assert any("xlwings runpython install" in ln for ln in mac)


def test_paths_cell_name_is_the_layout_one(built):
    xml = zipfile.ZipFile(built).read("xl/workbook.xml").decode()
    assert f'<definedName name="{PATH_NAME}">Home!$Z$1</definedName>' in xml


RETYPED = ["@Home", "+91 Traders", "May 2026", "1-2", "=x", "0012"]    # issue 12


def _string_cells(path) -> list:
    import openpyxl
    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.coordinate, c.value, c.number_format) for ws in wb.worksheets
            for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_summary_text_cells_are_text_formatted(tmp_path, make_data):
    """Excel retypes a General cell the user edits: `+91 Traders` would become a formula."""
    from ims_xl.workbook.layout import SHEET_SUMMARY
    from ims_xl.workbook.writer import write_workbook
    data = make_data()
    data.summary_rows = [["Summary"], ["Supplier GSTIN", "Supplier Name", "Records"]] + [
        ["27AAAAA0000A1Z5", name, 1] for name in RETYPED]
    path = write_workbook(tmp_path / "S.xlsx", data)
    cells = [c for c in _string_cells(path) if c[0] == SHEET_SUMMARY]
    assert {c[2] for c in cells} >= set(RETYPED)
    assert [c for c in cells if c[3] != "@" and c[1] != "A1"] == []


def test_statement_text_cells_are_text_formatted(tmp_path):
    from ims_xl.reports.statements import DIFFERS, Statement, StatementLine, write_statement_files
    st = Statement("27AAAAA0000A1Z5", "+91 Traders", period="May 2026",
                   lines=[StatementLine(DIFFERS, "B2B", "0012", "1-2", "Document no", "@Home",
                                        "=x", "7")])
    for path in write_statement_files([st], tmp_path):
        cells = _string_cells(path)
        assert cells
        assert [c for c in cells if c[3] != "@"] == []
