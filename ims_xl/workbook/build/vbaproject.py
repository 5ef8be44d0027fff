"""The workbook's VBA project (`xl/vbaProject.bin`), made with pyOpenVBA from text sources.

Modules: a document module for the workbook and each sheet (`ThisWorkbook`, `Sheet1..N`, as
Excel names them), xlwings' standalone module `xlwings` and its `Dictionary` class read from
the installed xlwings wheel, and our own `vba/*.bas`. XlsxWriter embeds the result
(`add_vba_project`) and gives the workbook and its sheets the same code names.
"""

from __future__ import annotations

import importlib.util
import io
import tempfile
from functools import lru_cache
from pathlib import Path

from .constants import (VBA_PROJECT_FORM, VBA_PROJECT_MINIMAL, VBA_SOURCES, XLWINGS_MODULES)

BOOK_CODE_NAME = "ThisWorkbook"


def sheet_code_name(place: int) -> str:
    """The code name Excel gives the sheet at 1-based `place`: Sheet1, Sheet2..."""
    return f"Sheet{place}"


def crlf(text: str) -> str:
    """VBA module text with CRLF line ends, as the VBA editor stores it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def xlwings_dir() -> Path:
    """The installed xlwings package's folder, found without importing xlwings (the core
    never imports it; see tests/test_architecture.py)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("xlwings is not installed: pip install ims-xl (it pins xlwings)")
    return Path(list(spec.submodule_search_locations)[0]).resolve()


def module_sources() -> list[tuple[str, str, str]]:
    """(name, CRLF source, "standard"/"class") of every code module, in project order."""
    out = []
    for name, rel, kind in XLWINGS_MODULES:
        out.append((name, crlf((xlwings_dir() / rel).read_text(encoding="latin-1")), kind))
    for path in sorted(VBA_SOURCES.glob("*.bas")):
        out.append((path.stem, crlf(path.read_text(encoding="utf-8")), "standard"))
    return out


@lru_cache(maxsize=8)
def vba_project_bin(sheet_count: int) -> bytes:
    """`vbaProject.bin` for a workbook of `sheet_count` worksheets (same bytes every time)."""
    import xlsxwriter
    from pyopenvba import ExcelFile
    from pyopenvba.vba import VBAModuleKind

    kinds = {"standard": VBAModuleKind.standard, "class": VBAModuleKind.other}
    with tempfile.TemporaryDirectory(prefix="ims-xl-vba-") as tmp:
        # A workbook of that many sheets, no VBA: pyOpenVBA adds a project to it as Excel
        # does to a workbook's first macro (document modules named as Excel names them).
        skeleton, built = Path(tmp) / "skeleton.xlsm", Path(tmp) / "built.xlsm"
        buf = io.BytesIO()
        book = xlsxwriter.Workbook(buf, {"in_memory": True})
        for i in range(sheet_count):
            book.add_worksheet(f"S{i + 1}")
        book.close()
        skeleton.write_bytes(buf.getvalue())
        with ExcelFile(skeleton) as host:
            project = host.add_vba_project()
            expected = [BOOK_CODE_NAME] + [sheet_code_name(i + 1) for i in range(sheet_count)]
            if project.module_names() != expected:
                raise RuntimeError(f"pyOpenVBA made modules {project.module_names()}, "
                                   f"expected {expected}")
            for name, source, kind in module_sources():
                project.add_module(name, source, kind=kinds[kind])
            host.save(built)
        with ExcelFile(built) as host:   # validate only after re-opening (pitfall 3)
            problems = host.validate()
            if problems:
                raise RuntimeError("pyOpenVBA built an inconsistent VBA project: "
                                   + "; ".join(problems))
            data = host.vba_project_bytes()
    return _project_form(data)


def _project_form(data: bytes) -> bytes:
    if VBA_PROJECT_FORM == "zeroed-cache":
        return data
    if VBA_PROJECT_FORM != "minimal":
        raise ValueError(f"unknown VBA_PROJECT_FORM {VBA_PROJECT_FORM!r}")
    from pyopenvba.cfb import CFB
    cfb = CFB.from_bytes(data)
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_MINIMAL)
    return cfb.to_bytes()
