"""The built workbook: reproducible, the committed copy up to date, a valid package."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ims_xl.workbook.build.constants import (CUSTOMUI_PART, CUSTOMUI_SOURCE, WORKBOOK_NAME,
                                             ZIP_DATE_TIME)
from ims_xl.workbook.build.lint import lint

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "workbook" / WORKBOOK_NAME
REBUILD = "python -m ims_xl.workbook.build"


def parts(path) -> dict[str, bytes]:
    """Every part, decompressed (zip bytes differ between zlib builds; parts must not)."""
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_two_builds_give_identical_parts(built, tmp_path):
    from ims_xl.workbook.build.vbaproject import vba_project_bin
    from ims_xl.workbook.build.workbook import build_workbook
    vba_project_bin.cache_clear()                       # really build the VBA project again
    again = build_workbook(tmp_path / "again.xlsm")
    assert parts(again) == parts(built)
    with zipfile.ZipFile(again) as z:
        assert {i.date_time for i in z.infolist()} == {ZIP_DATE_TIME}


def test_committed_workbook_is_up_to_date(built):
    assert COMMITTED.exists(), f"workbook/{WORKBOOK_NAME} is missing: run {REBUILD}"
    committed, fresh = parts(COMMITTED), parts(built)
    assert sorted(committed) == sorted(fresh), f"parts differ: run {REBUILD} and commit"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"{', '.join(stale)} differ from a fresh build: run {REBUILD} and commit"


def test_ribbon_part_is_the_source(built):
    assert parts(built)[CUSTOMUI_PART] == CUSTOMUI_SOURCE.read_bytes()


def test_filled_workbooks_are_reproducible(filled, make_data, tmp_path):
    from ims_xl.workbook.writer import write_workbook
    assert parts(write_workbook(tmp_path / "again.xlsm", make_data())) == parts(filled)


def test_data_rows_are_the_same_with_or_without_isal(filled_xlsx, make_data, tmp_path,
                                                     monkeypatch):
    """ISA-L deflates the data rows where its wheel is installed; without it, zlib does. Either
    way the package is valid (zipfile checks each part's CRC) and the parts are the same."""
    from ims_xl.workbook.build import package
    from ims_xl.workbook.writer import write_workbook
    monkeypatch.setattr(package, "_ISAL", None)
    assert parts(write_workbook(tmp_path / "zlib.xlsx", make_data())) == parts(filled_xlsx)
    with zipfile.ZipFile(filled_xlsx) as z:
        assert z.testzip() is None


@pytest.mark.parametrize("which", ["built", "filled", "filled_xlsx", "committed"])
def test_package_lint_is_clean(which, request):
    path = COMMITTED if which == "committed" else request.getfixturevalue(which)
    assert lint(path) == []


def test_xlsx_has_no_macros_and_no_ribbon(filled_xlsx):
    names = set(parts(filled_xlsx))
    assert "xl/vbaProject.bin" not in names and CUSTOMUI_PART not in names
    assert b"macroEnabled" not in parts(filled_xlsx)["[Content_Types].xml"]


def test_lint_catches_an_openpyxl_resave(built, tmp_path):
    """Pitfall 1: openpyxl keeps the customUI part but drops its relationship."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(built, keep_vba=True)
    resaved = tmp_path / "resaved.xlsm"
    wb.save(resaved)                                     # only ever on a copy, to prove the lint
    assert any("ui/extensibility" in p for p in lint(resaved))


def test_lint_catches_a_project_in_an_xlsx_typed_package(built, tmp_path):
    """Pitfall 2: the main part keeps the .xlsx content type."""
    bad = tmp_path / "bad.xlsm"
    with zipfile.ZipFile(built) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"ms-excel.sheet.macroEnabled.main+xml",
                                    b"openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
            zout.writestr(info, data)
    assert any("macro-enabled" in p for p in lint(bad))


def test_lint_catches_a_missing_target_and_bad_xml(built, tmp_path):
    bad = tmp_path / "bad.xlsm"
    with zipfile.ZipFile(built) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            if info.filename == "xl/theme/theme1.xml":
                continue
            data = zin.read(info)
            if info.filename == "docProps/app.xml":
                data = data[:-20]
            zout.writestr(info, data)
    problems = lint(bad)
    assert any("missing xl/theme/theme1.xml" in p for p in problems)
    assert any("docProps/app.xml: not well-formed" in p for p in problems)


@pytest.mark.parametrize("which", ["built", "filled"])
def test_pyopenvba_finds_no_issue(which, request):
    """A second opinion: pyOpenVBA's package and VBA project checks."""
    from pyopenvba import ExcelFile
    from pyopenvba.integrity import check_file
    path = request.getfixturevalue(which)
    report = check_file(path)
    assert report.complete and report.issues == ()
    with ExcelFile(path) as host:
        assert host.validate() == []
