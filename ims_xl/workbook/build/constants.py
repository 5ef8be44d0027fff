"""The build's one table of version-bound and uncertain details (docs/reference/excel.md#build,
docs/reference/excel.md#needs-excel).

Change a line here, rebuild with `python -m ims_xl.workbook.build`, and run `pytest tests/workbook`.
Items marked [U] are not confirmed in real Excel; see workbook/RELEASE_CHECKLIST.md.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

# --- The ribbon (MS-OI29500 §3.4.1.3/3.4.1.4) -------------------------------------------------
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"          # Office 2010+ [U]
CUSTOMUI_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
CUSTOMUI_PART = "customUI/customUI14.xml"        # its content type comes from Default xml
CUSTOMUI_REL_ID = "rIdImsRibbon"                 # any id unused in _rels/.rels
CUSTOMUI_SOURCE = Path(__file__).with_name("customUI14.xml")
RIBBON_MODULE = "RibbonIMS"                      # onAction="RibbonIMS.<callback>"

# --- The VBA project ---------------------------------------------------------------------------
VBA_SOURCES = Path(__file__).with_name("vba")    # our modules: vba/*.bas
# xlwings' standalone VBA, read from the installed wheel (never vendored): (module, file, kind).
XLWINGS_MODULES = (("xlwings", "xlwings.bas", "standard"),
                   ("Dictionary", "addin/Dictionary.cls", "class"))
RUNPYTHON = "import ims_xl.ribbon; ims_xl.ribbon.{function}()"   # what each button runs
VBA_ONLY = ("help",)             # buttons answered in VBA alone (Help: a message box of STEPS)
# `_VBA_PROJECT` stream [U]: "zeroed-cache" keeps Excel's 5-byte header and zeroes the
# performance cache (pyOpenVBA's own save); "minimal" is the 7-byte version-0xFFFF stream that
# xlwings' Aspose-built templates ship. Switch if Excel ever rejects the project.
VBA_PROJECT_FORM = "zeroed-cache"
VBA_PROJECT_MINIMAL = bytes.fromhex("cc61ffff000100")

# xlwings' user config (xlwings/__init__.py USER_CONFIG_FILE; VBA GetConfigFilePath), by platform.
XLWINGS_CONF_WINDOWS = ("~", ".xlwings", "xlwings.conf")
XLWINGS_CONF_MAC = ("~", "Library", "Containers", "com.microsoft.Excel", "Data", "xlwings.conf")
XLWINGS_MAC_SCRIPTS = ("~", "Library", "Application Scripts", "com.microsoft.Excel")

# --- The package ------------------------------------------------------------------------------
MACRO_MAIN_CONTENT_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_PROJECT_REL_TYPE = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
FIXED_CREATED = datetime(2025, 1, 1)             # docProps/core.xml: builds are reproducible
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)            # every zip entry's timestamp
ZIP_LEVEL = 1                                    # deflate level: speed over the last 20% of size

# --- The workbook ----------------------------------------------------------------------------
WORKBOOK_NAME = "IMS_Reconciler.xlsm"
# `python -m ims_xl.workbook.build`, run from the repository's root, writes here.
DEFAULT_OUTPUT = Path("workbook") / WORKBOOK_NAME
PATHS_CELL = "$Z$1"              # Home!Z1, in a hidden column: the cell named layout.PATH_NAME
VALIDATION_ROWS = 200_000        # data validation and status colours cover rows 2..200001
CELL_LIMIT = 32_767              # Excel's most characters in one cell
