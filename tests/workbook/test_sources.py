"""The ribbon XML and the VBA module agree with layout.RIBBON_BUTTONS, exactly."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from ims_xl.workbook.build.constants import (CUSTOMUI_NS, CUSTOMUI_SOURCE, RIBBON_MODULE, RUNPYTHON,
                                             VBA_ONLY, VBA_SOURCES)
from ims_xl.workbook.layout import RIBBON_BUTTONS, RIBBON_TAB

NS = "{" + CUSTOMUI_NS + "}"
BAS = (VBA_SOURCES / f"{RIBBON_MODULE}.bas").read_text(encoding="utf-8")


def subs(source: str) -> dict[str, tuple[str, str]]:
    """Public subs of a module: name -> (parameter list, body lines as text)."""
    found = re.findall(r"^Public Sub (\w+)\(([^)]*)\)\n(.*?)^End Sub", source, re.M | re.S)
    return {name: (params, body) for name, params, body in found}


def statements(body: str) -> list[str]:
    lines = [ln.strip() for ln in body.splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("'") and not ln.endswith(":")]


def test_ribbon_xml_has_one_button_per_entry_in_order():
    root = ET.parse(CUSTOMUI_SOURCE).getroot()
    assert root.tag == NS + "customUI"
    tabs = list(root.iter(NS + "tab"))
    assert [t.get("label") for t in tabs] == [RIBBON_TAB]
    buttons = list(root.iter(NS + "button"))
    assert [b.get("id") for b in buttons] == [b.id for b in RIBBON_BUTTONS]
    for xml, button in zip(buttons, RIBBON_BUTTONS):
        assert xml.get("label") == button.label
        assert xml.get("imageMso") == button.image
        assert xml.get("size") == "large"
        assert xml.get("onAction") == f"{RIBBON_MODULE}.{button.callback}"
    # No other controls that could call a macro we do not have.
    actions = [e.get("onAction") for e in root.iter() if e.get("onAction")]
    assert actions == [f"{RIBBON_MODULE}.{b.callback}" for b in RIBBON_BUTTONS]
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


ON_TIME = {"CheckSetupVerdict": ""}      # public only for Application.OnTime (Mac)


def test_vba_module_has_exactly_the_callbacks():
    assert BAS.startswith(f'Attribute VB_Name = "{RIBBON_MODULE}"\n')
    assert "Option Explicit" in BAS
    found = subs(BAS)
    assert sorted(found) == sorted([b.callback for b in RIBBON_BUTTONS] + list(ON_TIME))
    for name, (params, _) in found.items():
        assert params == ON_TIME.get(name, "control As IRibbonControl"), name


@pytest.mark.parametrize("button", RIBBON_BUTTONS, ids=lambda b: b.id)
def test_each_callback_runs_its_python_function(button):
    _, body = subs(BAS)[button.callback]
    calls = re.findall(r'RunPython\(?\s*"([^"]*)"', body)
    code = statements(body)
    if button.function in VBA_ONLY:
        assert calls == []
        assert code == ["MsgBox HelpText(), vbInformation, APP_TITLE"]
        return
    assert calls == [RUNPYTHON.format(function=button.function)]
    if button.function == "check_setup":       # Check Setup inspects the answer afterwards
        return
    # A second click is refused while one runs (first, before any dialog); the work is
    # marked just before RunPython and, on Windows, unmarked right after it.
    assert code[0] == "If IsBusy() Then Exit Sub"
    assert code[-3] == f'MarkBusy "{button.label}"'
    assert "RunPython" in code[-2] and code[-1] == "EndWork"
    pick = {"json": "PickFiles(FILTER_JSON,", "books": "PickFiles(FILTER_BOOKS,",
            "errors": "PickFiles(FILTER_JSON,", "save": "PickSaveAs("}
    if button.pick:
        assert code[1].startswith(f"If Not {pick[button.pick]}") and code[1].endswith("Then Exit Sub")
    else:
        assert "Pick" not in body


def test_source_is_plain_ascii_with_lf_line_ends():
    raw = (VBA_SOURCES / f"{RIBBON_MODULE}.bas").read_bytes()
    assert b"\r" not in raw            # the build writes CRLF into the project
    raw.decode("ascii")                # the VBA project's code page is 1252; keep it ASCII
    assert max(len(line) for line in raw.splitlines()) < 1000   # VBA's line limit is 1023
