"""The VBA project reads back (oletools' olevba) identical to its text sources."""

from __future__ import annotations

import re

import pytest
import xlwings

from ims_xl.workbook.build.constants import RIBBON_MODULE, VBA_SOURCES
from ims_xl.workbook.build.vbaproject import module_sources, xlwings_dir
from ims_xl.workbook.writer import SHEET_ORDER

olevba = pytest.importorskip("oletools.olevba")


def modules(path) -> dict[str, str]:
    parser = olevba.VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code.replace("\r", "")
                for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def body(source: str) -> str:
    """Code without the VERSION/BEGIN..END preamble and Attribute lines (a class's header)."""
    source = re.sub(r"\AVERSION [^\n]*\nBEGIN\n.*?\nEND\n", "", source, flags=re.S)
    return "\n".join(ln for ln in source.split("\n") if not ln.startswith("Attribute VB_"))


@pytest.mark.parametrize("which", ["built", "filled"])
def test_modules_are_the_sources(which, request):
    found = modules(request.getfixturevalue(which))
    expected_docs = ["ThisWorkbook"] + [f"Sheet{i + 1}" for i in range(len(SHEET_ORDER))]
    names = [name for name, _, _ in module_sources()]
    assert list(found) == expected_docs + names
    sources = {name: text.replace("\r", "") for name, text, _ in module_sources()}
    assert found["xlwings"] == sources["xlwings"]
    assert found[RIBBON_MODULE] == sources[RIBBON_MODULE]
    assert found[RIBBON_MODULE] == (VBA_SOURCES / f"{RIBBON_MODULE}.bas").read_text()
    assert body(found["Dictionary"]) == body(sources["Dictionary"])
    assert found["xlwings"] == (xlwings_dir() / "xlwings.bas").read_text(encoding="latin-1")


def test_embedded_xlwings_is_the_installed_version(built):
    code = modules(built)["xlwings"]
    [stamp] = re.findall(r"^'Version: (\S+)$", code, re.M)
    assert stamp == xlwings.__version__
    assert f'Public Const XLWINGS_VERSION As String = "{xlwings.__version__}"' in code


def test_no_xlwings_conf_sheet(built):
    """A blank key in an `xlwings.conf` sheet would shadow the user's config (pitfall 7)."""
    import zipfile
    with zipfile.ZipFile(built) as z:
        names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    assert names == list(SHEET_ORDER)
    assert not [n for n in names if n.lower().endswith(".conf")]


def test_installed_xlwings_is_the_pinned_one():
    from ims_xl.workbook.build.workbook import installed_xlwings, pinned_xlwings
    assert pinned_xlwings() == installed_xlwings() == xlwings.__version__
