"""Every ribbon onAction runs under pyOpenVBA's VBA interpreter and calls its RunPython string.

The built workbook is opened in pyOpenVBA's in-memory Excel; `RibbonIMS` is loaded from its
VBA project next to a stub `xlwings` module whose `RunPython` records what it was asked to
run. Excel's file dialogs and `Application.OnTime` are stubbed on the Application object.
(The real `xlwings` module is upstream code the interpreter cannot parse; see
docs/reference/excel.md#build-checks.)

On a Mac, xlwings' RunPython returns at once (it starts Python with AppleScriptTask in the
background): `Excel(mac=True)` models that with a RunPython that only *starts* Python;
`python_finishes()` is Python writing its answer and clearing the busy marker later.
"""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree as ET

import pytest
from pyopenvba import ExcelFile
from pyopenvba.apps.excel import ExcelApplication
from pyopenvba.interpreter import MISSING, NOTHING, VBAArray
from pyopenvba.interpreter._objects import MemberSpec

from ims_xl.workbook.build.constants import (CUSTOMUI_PART, CUSTOMUI_SOURCE, RIBBON_MODULE,
                                             RUNPYTHON, VBA_ONLY)
from ims_xl.workbook.layout import PATH_NAME, RIBBON_BUTTONS, STEPS

STUB = f'''Attribute VB_Name = "xlwings"
Public Const XLWINGS_VERSION As String = "0.37.8"
Public Calls As String
Public Answer As String
Public Later As Boolean
Public Function RunPython(PythonCommand As String)
    Calls = Calls & PythonCommand & vbLf
    If Not Later Then Finish PythonCommand
End Function
Public Sub Finish(PythonCommand As String)
    If InStr(PythonCommand, "check_setup") > 0 And Len(Answer) > 0 Then ThisWorkbook.Names("{PATH_NAME}").RefersToRange.Value = Answer
    ThisWorkbook.Names("{PATH_NAME}").RefersToRange.Offset(1, 0).Value = ""
End Sub
Public Sub SetLater(value As Boolean)
    Later = value
End Sub
Public Function TakeCalls() As String
    TakeCalls = Calls
    Calls = ""
End Function
Public Sub SetAnswer(text As String)
    Answer = text
End Sub
'''
FILTERS = {"json": "IMS JSON (*.json;*.zip),*.json;*.zip",
           "books": "Purchase register (*.xlsx;*.xlsm;*.xls;*.csv),*.xlsx;*.xlsm;*.xls;*.csv",
           "errors": "IMS JSON (*.json;*.zip),*.json;*.zip"}
BY_CALLBACK = {b.callback: b for b in RIBBON_BUTTONS}


class Excel:
    """The built workbook in pyOpenVBA's Excel, with dialogs that answer `self.answer`."""

    def __init__(self, path, mac: bool = False):
        self.app = ExcelApplication.open(path, with_vba=False)
        with ExcelFile(path) as host:
            ribbon = host.get_module(RIBBON_MODULE)
        self.app.add_module(STUB, name="xlwings")
        self.app.add_module(ribbon, name=RIBBON_MODULE)
        self.answer: object = False
        self.dialogs: list[dict] = []
        self.scheduled: list[str] = []               # OnTime procedures not run yet
        self.started: list[str] = []                 # Mac: RunPython commands still running
        application = self.app.application
        members = dict(type(application)._vba_members)   # this instance only
        members["getopenfilename"] = MemberSpec(
            "GetOpenFilename", "method", getter=self._open,
            parameters=("FileFilter", "FilterIndex", "Title", "ButtonText", "MultiSelect"))
        members["getsaveasfilename"] = MemberSpec(
            "GetSaveAsFilename", "method", getter=self._save,
            parameters=("InitialFileName", "FileFilter", "FilterIndex", "Title", "ButtonText"))
        members["ontime"] = MemberSpec(
            "OnTime", "method", getter=self._on_time,
            parameters=("EarliestTime", "Procedure", "LatestTime", "Schedule"))
        application._vba_members = members
        if mac:
            self.app.run("xlwings.SetLater", True)

    def _on_time(self, _app, EarliestTime=MISSING, Procedure=MISSING, LatestTime=MISSING,
                 Schedule=MISSING):
        self.scheduled.append(str(Procedure))
        return None

    def tick(self) -> None:
        """A second passes: the procedures OnTime scheduled run (`'Book.xlsm'!Sub`)."""
        due, self.scheduled = self.scheduled, []
        for procedure in due:
            self.app.run(f"{RIBBON_MODULE}.{procedure.rsplit('!', 1)[-1]}")

    def python_finishes(self, command: str) -> None:
        """Mac: the Python that RunPython started writes its answer and clears the marker."""
        self.app.run("xlwings.Finish", command)

    @property
    def busy_marker(self):
        return self.app.sheet("Home").value("Z2")

    @property
    def status_bar(self):
        return self.app.application.status_bar

    def _open(self, _app, FileFilter=MISSING, FilterIndex=MISSING, Title=MISSING,
              ButtonText=MISSING, MultiSelect=MISSING):
        self.dialogs.append({"kind": "open", "filter": FileFilter, "multi": MultiSelect})
        return self.answer

    def _save(self, _app, InitialFileName=MISSING, FileFilter=MISSING, FilterIndex=MISSING,
              Title=MISSING, ButtonText=MISSING):
        self.dialogs.append({"kind": "save", "initial": InitialFileName, "filter": FileFilter})
        return self.answer

    def click(self, on_action: str) -> list[str]:
        """Run a callback as the ribbon would; return the RunPython commands it issued."""
        self.app.interpreter.dialogs.clear()
        self.dialogs.clear()
        self.app.run(on_action, NOTHING)
        return [c for c in str(self.app.run("xlwings.TakeCalls")).split("\n") if c]

    @property
    def paths(self):
        return self.app.sheet("Home").value("Z1")

    @property
    def messages(self) -> list[str]:
        return [d[1] for d in self.app.interpreter.dialogs if d[0] == "MsgBox"]


@pytest.fixture
def excel(built):
    return Excel(built)


def on_actions_in(xml: bytes) -> list[str]:
    root = ET.fromstring(xml)
    return [e.get("onAction") for e in root.iter() if e.get("onAction")]


def on_actions(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return on_actions_in(z.read(CUSTOMUI_PART))


def test_the_paths_cell_is_the_defined_name(excel):
    """VBA writes `ImsXlPaths`; the xlwings side reads names["ImsXlPaths"].refers_to_range."""
    excel.answer = r"C:\data\ims.json"
    excel.click("RibbonIMS.OnImportIms")
    assert excel.paths == r"C:\data\ims.json"


def test_the_built_ribbon_is_the_source(built):
    assert on_actions(built) == on_actions_in(CUSTOMUI_SOURCE.read_bytes())


@pytest.mark.parametrize("on_action", on_actions_in(CUSTOMUI_SOURCE.read_bytes()))
def test_every_on_action_runs_its_python(excel, on_action):
    button = BY_CALLBACK[on_action.split(".", 1)[1]]
    excel.answer = r"C:\Users\ca\March\file.json"
    excel.app.run("xlwings.SetAnswer", "ok")          # a Python that answers Check Setup
    calls = excel.click(on_action)
    if button.function in VBA_ONLY:
        assert calls == []
        return
    assert calls == [RUNPYTHON.format(function=button.function)]
    assert calls == [f"import ims_xl.ribbon; ims_xl.ribbon.{button.function}()"]
    assert excel.messages == []
    if button.pick == "save":
        assert excel.dialogs == [{"kind": "save", "initial": "upload.json",
                                  "filter": "IMS upload JSON (*.json),*.json"}]
    elif button.pick:
        assert excel.dialogs == [{"kind": "open", "filter": FILTERS[button.pick],
                                  "multi": button.pick == "json"}]
    else:
        assert excel.dialogs == []
    if button.pick:
        assert excel.paths == r"C:\Users\ca\March\file.json"


@pytest.mark.parametrize("button", [b for b in RIBBON_BUTTONS if b.pick], ids=lambda b: b.id)
def test_cancel_stops_quietly(excel, button):
    excel.answer = r"C:\before.json"
    excel.click("RibbonIMS.OnImportIms")
    excel.answer = False                                 # what Excel returns on Cancel
    assert excel.click(f"RibbonIMS.{button.callback}") == []
    assert excel.messages == []
    assert excel.paths == r"C:\before.json"


def test_several_files_are_joined_by_a_line_feed(excel):
    excel.answer = VBAArray([(1, 2)], items=[r"C:\a\march.json", r"C:\a\april.zip"])
    assert excel.click("RibbonIMS.OnImportIms") == ["import ims_xl.ribbon; ims_xl.ribbon.import_ims()"]
    assert excel.paths == "C:\\a\\march.json\nC:\\a\\april.zip"


def test_check_setup_explains_when_python_does_not_answer(excel):
    excel.answer = r"C:\stale.json"
    excel.click("RibbonIMS.OnImportIms")
    calls = excel.click("RibbonIMS.OnCheckSetup")       # the stub answers nothing
    assert calls == ["import ims_xl.ribbon; ims_xl.ribbon.check_setup()"]
    assert excel.paths in ("", None)                     # emptied before asking Python
    [message] = excel.messages
    for needed in ("Python", "pip install ims-xl", "xlwings 0.37.8",
                   "xlwings config create --force"):
        assert needed in message


def test_check_setup_is_quiet_when_python_answers(excel):
    excel.app.run("xlwings.SetAnswer", "ok: ims-xl and xlwings 0.37.8")
    assert excel.click("RibbonIMS.OnCheckSetup") == [
        "import ims_xl.ribbon; ims_xl.ribbon.check_setup()"]
    assert excel.messages == []


def test_help_shows_the_steps(excel):
    assert excel.click("RibbonIMS.OnHelp") == []
    [message] = excel.messages
    assert message.startswith("\n\n".join(STEPS))


@pytest.fixture
def mac(built, monkeypatch):
    from pyopenvba.interpreter import _preprocess
    monkeypatch.setitem(_preprocess.DEFAULT_CONSTANTS, "Mac", True)
    return Excel(built, mac=True)


def test_mac_branches(mac):
    """On a Mac the dialogs get no file filter and Check Setup names runpython install."""
    mac.answer = "/Users/ca/March/ims.json"
    assert mac.click("RibbonIMS.OnImportIms") == ["import ims_xl.ribbon; ims_xl.ribbon.import_ims()"]
    assert mac.dialogs == [{"kind": "open", "filter": MISSING, "multi": True}]
    assert mac.paths == "/Users/ca/March/ims.json"
    mac.click("RibbonIMS.OnCheckSetup")
    for _ in range(30):
        mac.tick()
    [message] = mac.messages
    assert "xlwings runpython install" in message and "xlwings config create --force" in message
    assert mac.scheduled == [] and mac.status_bar is False


CHECK = "import ims_xl.ribbon; ims_xl.ribbon.check_setup()"


def test_mac_check_setup_waits_for_the_answer(mac):
    """RunPython returns before Python has written its verdict: VBA looks again later."""
    mac.app.run("xlwings.SetAnswer", "OK")
    assert mac.click("RibbonIMS.OnCheckSetup") == [CHECK]
    assert mac.messages == []                         # not judged yet: Python is starting
    assert "waiting for Python" in str(mac.status_bar)
    for _ in range(3):
        mac.tick()
    assert mac.messages == [] and mac.scheduled       # still looking
    mac.python_finishes(CHECK)
    mac.tick()
    assert mac.messages == [] and mac.scheduled == []
    assert mac.status_bar is False


def test_mac_buttons_show_work_running_and_refuse_a_second_click(mac):
    reconcile = "import ims_xl.ribbon; ims_xl.ribbon.reconcile()"
    assert mac.click("RibbonIMS.OnReconcile") == [reconcile]
    assert mac.busy_marker.startswith("Reconcile|")
    assert mac.status_bar == "IMS: Reconcile is running..."
    mac.answer = "/Users/ca/ims.json"
    assert mac.click("RibbonIMS.OnImportIms") == []   # refused, before any dialog
    assert mac.dialogs == []
    [message] = mac.messages
    assert "Reconcile is still running" in message
    mac.python_finishes(reconcile)
    assert mac.click("RibbonIMS.OnValidate") == ["import ims_xl.ribbon; ims_xl.ribbon.validate()"]


def test_a_marker_python_never_cleared_goes_stale_or_check_setup_clears_it(mac):
    home = mac.app.sheet("Home")
    home.set_value("Z2", "Reconcile|1")               # minute 1 of the year 2000
    assert mac.click("RibbonIMS.OnValidate") == ["import ims_xl.ribbon; ims_xl.ribbon.validate()"]
    assert mac.messages == []
    assert mac.click("RibbonIMS.OnReconcile") == []   # Validate is running now
    mac.click("RibbonIMS.OnCheckSetup")
    assert mac.busy_marker in ("", None)


def test_windows_clears_the_marker_when_runpython_returns(excel):
    assert excel.click("RibbonIMS.OnReconcile") == ["import ims_xl.ribbon; ims_xl.ribbon.reconcile()"]
    assert excel.busy_marker in ("", None) and excel.status_bar is False
    assert excel.click("RibbonIMS.OnReconcile") == ["import ims_xl.ribbon; ims_xl.ribbon.reconcile()"]
