"""The worked example end to end: its download and decisions give exactly its upload.

docs/reference/ims-format.md#worked-example, docs/reference/ims-format.md#example-download,
docs/reference/ims-format.md#example-upload.
"""

import json
from decimal import Decimal

from click.testing import CliRunner

from ims_xl.cli import main
from ims_xl.model.document import Decision
from ims_xl.workbook.ims_sheet import ims_row
from tests.validate.vhelp import assert_valid_upload, example_records, save_book

# docs/reference/ims-format.md#example-upload, verbatim.
UPLOAD_TEXT = """{
  "rtin": "27AABCZ1234K1Z9",
  "reqtyp": "SAVE",
  "invdata": {
    "b2b": [
      { "stin": "27AAHCM1357N1Z2", "inum": "MC/25-26/0451", "inv_typ": "R", "idt": "05-03-2026",
        "val": 118000.00, "action": "A", "pos": "27", "txval": 100000.00, "iamt": 0,
        "camt": 9000.00, "samt": 9000.00, "cess": 0, "srcform": "R1", "rtnprd": "032026" },
      { "stin": "29AAFFT5678M1Z9", "inum": "TT-2026-0093", "inv_typ": "R", "idt": "12-03-2026",
        "val": 59000.00, "action": "P", "pos": "27", "txval": 50000.00, "iamt": 9000.00,
        "camt": 0, "samt": 0, "cess": 0, "remarks": "Goods not yet received; awaiting supplier filing",
        "srcform": "R1", "rtnprd": "032026" }
    ],
    "b2ba": [
      { "stin": "07AAGPS9876Q1ZE", "oinum": "SE/1187", "oidt": "20-02-2026", "inum": "SE/1187A",
        "inv_typ": "R", "idt": "20-02-2026", "val": 35400.00, "action": "A", "pos": "27",
        "txval": 30000.00, "iamt": 5400.00, "camt": 0, "samt": 0, "cess": 0,
        "itcRedReq": "Y", "srcform": "R1A", "rtnprd": "022026" }
    ],
    "b2bcn": [
      { "stin": "27AAHCM1357N1Z2", "nt_num": "MC/CN/0012", "inv_typ": "R", "nt_dt": "18-03-2026",
        "val": 11800.00, "action": "A", "pos": "27", "txval": 10000.00, "iamt": 0,
        "camt": 900.00, "samt": 900.00, "cess": 0,
        "itcRedReq": "Y", "declIgst": 0, "declCgst": 450.00, "declSgst": 450.00, "declCess": 0,
        "remarks": "Only 50% ITC availed on original invoice",
        "srcform": "R1", "rtnprd": "032026" }
    ]
  }
}"""

DECISIONS = {
    "MC/25-26/0451": Decision("A"),
    "TT-2026-0093": Decision("P", "Goods not yet received; awaiting supplier filing"),
    "SE/1187A": Decision("A", "", "Y"),
    "MC/CN/0012": Decision("A", "Only 50% ITC availed on original invoice", "Y",
                           {"igst": Decimal(0), "cgst": Decimal(450), "sgst": Decimal(450),
                            "cess": Decimal(0)}),
    "ECO/TN/55421": Decision("A"),              # already A on the portal: not exported
}


def _ordered(doc):
    """Every object's keys in order, recursively: JSON is unordered, the diff is not."""
    if isinstance(doc, dict):
        return [(k, _ordered(v)) for k, v in doc.items()]
    if isinstance(doc, list):
        return [_ordered(v) for v in doc]
    return doc


def test_the_worked_example_exports_exactly_the_documented_upload(tmp_path):
    rows = [ims_row(rec, decision=DECISIONS[rec.doc_number]) for rec in example_records()]
    book = save_book(tmp_path / "march.xlsx", rows)
    out = tmp_path / "upload.json"
    result = CliRunner().invoke(main, ["export", str(book), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    expected = json.loads(UPLOAD_TEXT, parse_float=Decimal)
    got = json.loads(text, parse_float=Decimal)
    assert got == expected
    assert _ordered(got) == _ordered(expected)
    assert_valid_upload(text)
    # Numbers echoed digit for digit, as the portal sent them.
    for digits in ('"val":118000.00', '"txval":100000.00', '"camt":900.00', '"iamt":0,',
                   '"declCgst":450.00'):
        assert digits in text, digits
    assert "4 record(s)" in result.output
