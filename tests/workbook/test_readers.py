"""Other programs read the workbooks: openpyxl (never saving), calamine, LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile

import pytest

from ims_xl.workbook.layout import (ACTION_CHOICES, IMS_COLUMNS, PATH_NAME, SETTINGS,
                                    SETTINGS_FIRST_ROW, SHEET_HOME, SHEET_IMS, SHEET_UNDO,
                                    STATUS_COLOURS, column_letter, headers, index_of)
from ims_xl.workbook.writer import SHEET_ORDER


def test_openpyxl_sees_sheets_names_and_rules(built):
    openpyxl = pytest.importorskip("openpyxl")
    ro = openpyxl.load_workbook(built, read_only=True, keep_vba=True)
    try:
        assert ro.sheetnames == list(SHEET_ORDER)
    finally:
        ro.close()
    wb = openpyxl.load_workbook(built, keep_vba=True)   # opened to look at, never saved
    ims = wb[SHEET_IMS]
    assert [c.value for c in ims[1]] == headers(IMS_COLUMNS)
    assert ims.freeze_panes == "A2"
    action = column_letter(index_of(IMS_COLUMNS, "action"))
    [rule] = [dv for dv in ims.data_validations.dataValidation if str(dv.sqref).startswith(action)]
    assert str(rule.sqref) == f"{action}2:{action}200001"
    assert rule.type == "list" and rule.formula1 == '"' + ",".join(ACTION_CHOICES) + '"'
    itc = column_letter(index_of(IMS_COLUMNS, "itc_red_req"))
    assert any(str(dv.sqref) == f"{itc}2:{itc}200001" and dv.formula1 == '"Y,N"'
               for dv in ims.data_validations.dataValidation)
    status = column_letter(index_of(IMS_COLUMNS, "status"))
    rules = [r for cf in ims.conditional_formatting for r in cf.rules
             if str(cf.sqref) == f"{status}2:{status}200001"]
    assert [r.formula[0] for r in rules] == [f'"{label}"' for label in STATUS_COLOURS]
    hidden, text = set(), set()
    for dim in ims.column_dimensions.values():         # one entry per <col min..max> range
        span = range(dim.min - 1, dim.max)
        hidden.update(span if dim.hidden else ())
        text.update(span if dim.number_format == "@" else ())
    assert hidden == {i for i, c in enumerate(IMS_COLUMNS) if c.hidden}
    assert text == {i for i, c in enumerate(IMS_COLUMNS) if c.kind == "text"}
    assert wb[SHEET_UNDO].sheet_state == "hidden"
    names = {n: wb.defined_names[n].attr_text for n in wb.defined_names}
    for i, (_, name, _) in enumerate(SETTINGS):
        assert names[name] == f"{SHEET_HOME}!$C${SETTINGS_FIRST_ROW + i}"
    assert names[PATH_NAME] == f"{SHEET_HOME}!$Z$1"
    home = wb[SHEET_HOME]
    assert home.column_dimensions["Z"].hidden
    assert home[f"C{SETTINGS_FIRST_ROW}"].number_format == "@"       # GSTIN stays text
    wb.close()


def test_calamine_reads_text_as_text(filled, filled_xlsx, make_data):
    from python_calamine import CalamineWorkbook

    from ims_xl.workbook.data import read_workbook
    for path in (filled, filled_xlsx):
        data = read_workbook(path)
        expected = make_data()
        remarks, doc = index_of(IMS_COLUMNS, "remarks"), index_of(IMS_COLUMNS, "doc_num")
        for got, want in zip(data.ims_rows, expected.ims_rows):
            assert got[remarks] == (want[remarks] or "")
            assert got[doc] == (want[doc] or "")
        assert data.ims_rows[0][remarks] == "=SUM(A1)"
        assert data.ims_rows[1][remarks] == "+919876543210"
        assert data.ims_rows[0][doc] == "2025000000000003"          # 16 digits, all kept
        assert data.ims_rows[0][index_of(IMS_COLUMNS, "pos")] == "27"  # int in a text column
        assert data.ims_rows[0][index_of(IMS_COLUMNS, "val")] == 131064.58
        assert data.settings["RecipientGSTIN"] == "27AJICO7272Q1Z0"
        assert data.settings["ReturnPeriod"] == "032026"
        assert data.settings["DateWindowDays"] == 10
        assert data.purchase_rows[0][0] == 2
        wb = CalamineWorkbook.from_path(str(path))
        assert wb.sheet_names == list(SHEET_ORDER)


def soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required in CI: apt-get install "
                        "libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


@pytest.mark.parametrize("which", ["built", "filled"])
def test_libreoffice_converts_it(which, request, tmp_path):
    exe = soffice()
    path = request.getfixturevalue(which)
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                             "--convert-to", "ods", "--outdir", str(tmp_path), str(path)],
                            capture_output=True, text=True, timeout=180)
    ods = tmp_path / (path.stem + ".ods")
    assert result.returncode == 0 and ods.exists(), result.stdout + result.stderr
    with zipfile.ZipFile(ods) as z:
        names = set(z.namelist())
        content = z.read("content.xml").decode("utf-8")
    for module in ("xlwings", "Dictionary", "RibbonIMS", "ThisWorkbook", "Sheet1"):
        assert f"Basic/VBAProject/{module}.xml" in names
    for sheet in SHEET_ORDER:
        assert f'table:name="{sheet}"' in content
    if which == "filled":
        assert "=SUM(A1)" in content and "2025000000000003" in content
