"""The workbook's sheets and columns, defined once (plain data; no Excel here).

Read by the live-workbook code (xlwings), the file writer (XlsxWriter) and the build script,
so the committed `.xlsm`, files from `ims-xl reconcile --out` and the ribbon's output agree.
Columns are found by header text when reading, so adding one here is a one-line change.
"""

from __future__ import annotations

from dataclasses import dataclass

SHEET_HOME, SHEET_IMS, SHEET_PURCHASE = "Home", "IMS", "Purchase"
SHEET_SUMMARY, SHEET_MAPPING, SHEET_LOG, SHEET_UNDO = "Summary", "Mapping", "Log", "_Undo"
SHEET_EXPORTS = "_Exports"         # hidden copies of the uploads sent (layout: sent_copies.py)
SHEETS = (SHEET_HOME, SHEET_IMS, SHEET_PURCHASE, SHEET_SUMMARY, SHEET_MAPPING, SHEET_LOG,
          SHEET_UNDO, SHEET_EXPORTS)
HEADER_ROW = 1                     # data sheets: header in row 1, data from row 2
FIRST_ROW = 2

TEXT, MONEY, INT, LABEL = "text", "money", "int", "label"
MONEY_FORMAT = "[>=10000000]##\\,##\\,##\\,##0.00;[>=100000]##\\,##\\,##0.00;##,##0.00"
TEXT_FORMAT = "@"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = TEXT           # text cells stay text: invoice numbers, GSTINs, dates
    width: float = 12
    editable: bool = False     # the user types here (Action, Remarks, ITC declaration)
    hidden: bool = False


IMS_COLUMNS: tuple[Column, ...] = (
    Column("section", "Section", LABEL, 9),
    Column("stin", "Supplier GSTIN", TEXT, 17),
    Column("tradenm", "Supplier Name", TEXT, 28),
    Column("doc_num", "Document No", TEXT, 18),
    Column("doc_date", "Document Date", TEXT, 12),
    Column("status", "Match Status", LABEL, 14),
    Column("reason", "Reason", TEXT, 40),
    Column("suggested", "Suggested Action", LABEL, 12),
    Column("suggested_remarks", "Suggested Remarks", TEXT, 30),
    Column("action", "Action", LABEL, 11, editable=True),
    Column("remarks", "Remarks", TEXT, 30, editable=True),
    Column("link", "Link Books Row", TEXT, 10, editable=True),   # reconcile/manual.py
    Column("itc_red_req", "ITC Reduction", LABEL, 10, editable=True),
    Column("decl_igst", "Declared IGST", MONEY, 12, editable=True),
    Column("decl_cgst", "Declared CGST", MONEY, 12, editable=True),
    Column("decl_sgst", "Declared SGST", MONEY, 12, editable=True),
    Column("decl_cess", "Declared Cess", MONEY, 12, editable=True),
    Column("val", "Document Value", MONEY, 14),
    Column("txval", "Taxable Value", MONEY, 14),
    Column("iamt", "IGST", MONEY, 12),
    Column("camt", "CGST", MONEY, 12),
    Column("samt", "SGST", MONEY, 12),
    Column("cess", "Cess", MONEY, 10),
    Column("pos", "Place of Supply", TEXT, 8),
    Column("inv_typ", "Supply Type", TEXT, 8),
    Column("orig_num", "Original Doc No", TEXT, 18),
    Column("orig_date", "Original Doc Date", TEXT, 12),
    Column("rtnprd", "Return Period", TEXT, 9),
    Column("srcform", "Source", TEXT, 7),
    Column("filing", "Supplier Filing", TEXT, 11),
    Column("portal_action", "Portal Action", LABEL, 11),
    Column("books_rows", "Books Row", TEXT, 10),
    Column("differences", "Differences", TEXT, 40),
    Column("runner_up", "Closest Other", TEXT, 30),
    Column("validation", "Validation", TEXT, 40),
    Column("portal_error", "Portal Error", TEXT, 40),
    Column("upload_status", "Upload Status", TEXT, 22),
    Column("pend_blocked", "Pending Blocked", TEXT, 8),
    Column("rem_blocked", "Remarks Blocked", TEXT, 8),
    Column("itc_blocked", "ITC Red. Blocked", TEXT, 8),
    Column("key", "Record Key", TEXT, 10, hidden=True),
    Column("portal_state", "Portal State", TEXT, 10, hidden=True),
    Column("raw", "Downloaded Record", TEXT, 10, hidden=True),
)

PURCHASE_COLUMNS: tuple[Column, ...] = (
    Column("row", "Source Row", INT, 8),
    Column("stin", "Supplier GSTIN", TEXT, 17),
    Column("name", "Supplier Name", TEXT, 28),
    Column("doc_num", "Document No", TEXT, 18),
    Column("doc_date", "Document Date", TEXT, 12),
    Column("kind", "Type", LABEL, 9),
    Column("txval", "Taxable Value", MONEY, 14),
    Column("iamt", "IGST", MONEY, 12),
    Column("camt", "CGST", MONEY, 12),
    Column("samt", "SGST", MONEY, 12),
    Column("cess", "Cess", MONEY, 10),
    Column("val", "Document Value", MONEY, 14),
    Column("pos", "Place of Supply", TEXT, 8),
    Column("status", "Match Status", LABEL, 14),
    Column("ims_row", "IMS Row", INT, 8),
    Column("warnings", "Warnings", TEXT, 50),
)

# The amount columns of both data sheets and the document field each shows (`ImsRecord` and
# `RegisterEntry` name their amounts alike)
AMOUNT_COLUMNS = {"val": "value", "txval": "taxable", "iamt": "igst", "camt": "cgst",
                  "samt": "sgst", "cess": "cess"}

LOG_COLUMNS: tuple[Column, ...] = (
    Column("time", "Time", TEXT, 20),
    Column("step", "Step", TEXT, 18),
    Column("detail", "Detail", TEXT, 90),
)

MAPPING_COLUMNS: tuple[Column, ...] = (
    Column("field", "Field", TEXT, 18),
    Column("column", "Source Column", TEXT, 32),
    Column("reason", "Why", TEXT, 60),
)

# Home sheet: (label, defined name, default). Settings live in column C, rows in this order.
HOME_TITLE = "IMS Reconciler"
SETTINGS: tuple[tuple[str, str, object], ...] = (
    ("Recipient GSTIN", "RecipientGSTIN", ""),
    ("Return period (MMYYYY)", "ReturnPeriod", ""),
    ("Tolerance per tax head (Rs)", "ToleranceRupees", 1),
    ("Tolerance (% of tax, 0 = off)", "TolerancePercent", 0),
    ("Date window (days)", "DateWindowDays", 10),
)
SETTINGS_FIRST_ROW = 4             # Home!B4:C8 holds the settings
PATH_NAME = "ImsXlPaths"           # hidden cell where VBA leaves picked file paths
STEPS = (
    "1. Import IMS JSON: the download from IMS Dashboard > Offline > Download JSON (several files or a .zip are fine).",
    "2. Import Purchase Register: your books from Tally, Busy, Zoho, ERPNext, SAP or a CA template (.xlsx/.xls/.csv).",
    "3. Reconcile: every IMS record gets a Match Status, a Reason and a Suggested Action.",
    "4. Apply Suggestions to the selected rows (or to all rows without an action), then edit the Action column by hand.",
    "5. Validate, then Generate Upload JSON (only changed records) and upload it on the portal.",
    "6. If the portal reports errors, Import Error File: messages land on their rows; fix them and generate again.",
)

EDITABLE_KEYS = tuple(c.key for c in IMS_COLUMNS if c.editable)   # link, Action, Remarks, ITC
ACTION_CHOICES = ("Accept", "Reject", "Pending", "No Action")
YN_CHOICES = ("Y", "N")
STATUS_COLOURS = {          # fill colours for the Match Status column (conditional formats)
    "Matched": "#C6EFCE", "Probable match": "#FFEB9C", "Mismatch": "#FFC7CE",
    "Only in IMS": "#F4B084", "Only in books": "#D9D9D9",
    "Not in IMS (reverse charge)": "#DDEBF7",
}


def headers(columns) -> list[str]:
    return [c.header for c in columns]


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def index_of(columns, key: str) -> int:
    for i, c in enumerate(columns):
        if c.key == key:
            return i
    raise KeyError(key)


@dataclass(frozen=True)
class Button:
    id: str          # ribbon control id
    label: str
    callback: str    # VBA sub in module RibbonIMS (onAction="RibbonIMS.<callback>")
    function: str    # function in ims_xl.ribbon that the sub runs through RunPython
    image: str       # built-in Office icon (imageMso)
    pick: str = ""   # "json" / "books" / "errors" / "save": VBA opens a file dialog first


RIBBON_TAB = "IMS"
RIBBON_BUTTONS: tuple[Button, ...] = (
    Button("btnImportIms", "Import IMS JSON", "OnImportIms", "import_ims", "ImportTextFile", "json"),
    Button("btnImportBooks", "Import Purchase Register", "OnImportBooks", "import_books", "ImportExcel", "books"),
    Button("btnReconcile", "Reconcile", "OnReconcile", "reconcile", "TableOfContentsUpdate"),
    Button("btnApply", "Apply Suggestions", "OnApplySuggestions", "apply_suggestions", "AcceptInvitation"),
    Button("btnValidate", "Validate", "OnValidate", "validate", "ReviewAcceptChange"),
    Button("btnExport", "Generate Upload JSON", "OnExport", "export", "ExportTextFile", "save"),
    Button("btnErrors", "Import Error File", "OnImportErrors", "import_errors", "ErrorChecking", "errors"),
    Button("btnSummary", "Refresh Summary", "OnSummary", "summary", "ChartInsert"),
    Button("btnStatements", "Supplier Statements", "OnStatements", "statements", "EnvelopesAndLabelsDialog"),
    Button("btnUndo", "Undo Last Change", "OnUndo", "undo", "Undo"),
    Button("btnSetup", "Check Setup", "OnCheckSetup", "check_setup", "ControlProperties"),
    Button("btnHelp", "Help", "OnHelp", "help", "Help"),
)
