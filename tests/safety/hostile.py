"""A corpus of hostile input files, generated (nothing binary is committed).

Each is something a portal, a spreadsheet program, a broken download or a hand with bad
intent can produce. `write_corpus(folder)` writes them all and returns their paths.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.core.example import DOWNLOAD_TEXT

_FIRST = '"stin": "27AAHCM1357N1Z2"'


def _zip(members: dict, method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("ims.json", "w") as f:
            f.write(b'{"imsDetails": {}, "pad": "')
            for _ in range(16):
                f.write(b"0" * (1 << 20))
            f.write(b'"}')
    return buf.getvalue()


def _flag_encrypted(data: bytes) -> bytes:
    out = bytearray(data)
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = out.index(sig)
        out[i + at] |= 1
    return bytes(out)


def _xlsx(sheets: dict) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def corpus() -> dict[str, bytes]:
    """File name -> content."""
    d = DOWNLOAD_TEXT
    deep = 10_000
    return {
        "empty.json": b"",
        "spaces.json": b"   \n\t ",
        "null.json": b"null",
        "list.json": b"[1, 2, 3]",
        "string.json": b'"imsDetails"',
        "cut_short.json": d[: len(d) // 2].encode(),
        "dup_section.json": d.replace('"b2ba": [', '"b2b": [], "b2ba": [', 1).encode(),
        "dup_field.json": d.replace(_FIRST, _FIRST + ', "stin": "X"', 1).encode(),
        "nan.json": d.replace('"val": 118000.00', '"val": NaN', 1).encode(),
        "infinity.json": d.replace('"txval": 100000.00', '"txval": Infinity', 1).encode(),
        "1e400.json": d.replace('"txval": 100000.00', '"txval": 1e400', 1).encode(),
        "5000_digits.json": d.replace('"txval": 100000.00', '"txval": ' + "9" * 5000, 1).encode(),
        "stin_list.json": d.replace(_FIRST, '"stin": [1, 2]', 1).encode(),
        "stin_number.json": d.replace(_FIRST, '"stin": 27123456789', 1).encode(),
        "inum_true.json": d.replace('"inum": "MC/25-26/0451"', '"inum": true', 1).encode(),
        "amount_text.json": d.replace('"txval": 100000.00', '"txval": "lots"', 1).encode(),
        "amount_object.json": d.replace('"txval": 100000.00', '"txval": {"a": 1}', 1).encode(),
        "deep.json": ('{"imsDetails": {"b2b": ' + "[" * deep + "]" * deep + "}}").encode(),
        "deep_500.json": ('{"imsDetails": {"b2b": [' + '{"a":' * 500 + "1" + "}" * 500
                          + "]}}").encode(),
        "record_not_object.json": b'{"imsDetails": {"b2b": ["INV-1", 5]}}',
        "section_not_list.json": b'{"imsDetails": {"b2b": {"inum": "X"}}}',
        "unknown_envelope.json": b'{"hello": {"b2b": 1}}',
        "impg_only.json": b'{"imsDetails": {"impg": [{"boe_num": "1"}]}}',
        "error_file_garbage.json": b'{"imsDetailsErr": {"b2b": [{"stin": 5, "inum": []}]}}',
        "api_errors_bad.json": b'{"data": {"error_report": {"b2b": [{"stin": "X", "inv": 7}]}}}',
        "latin1.json": d.replace("MEHTA", "M\xc9HTA").encode("latin-1"),
        "utf16.json": d.encode("utf-16"),
        "bom.json": b"\xef\xbb\xbf" + d.encode(),
        "binary.json": bytes(range(256)) * 8,
        "formula_remarks.json": d.replace(_FIRST, _FIRST + ', "remarks": "=cmd|\' /c calc\'!A1"',
                                          1).encode(),
        "password.zip": _flag_encrypted(_zip({"ims.json": d})),
        "bomb.zip": _bomb(),
        "traversal.zip": _zip({"../../evil.json": d}),
        "no_json.zip": _zip({"readme.txt": "hello"}),
        "bad_member.zip": _zip({"ims.json": "{not json"}),
        "corrupt.zip": b"PK\x03\x04" + bytes(200),
        "register_utf16.csv": "GSTIN\tBill No\tBill Date\n29AAFFT5678M1Z9\tX\t01-03-2026\n"
                              .encode("utf-16"),
        "register_nul.csv": b"GSTIN,Bill No\x00\x00,Date\n\x00\x00\x00",
        "register_header_only.csv": b"GSTIN,Bill No,Bill Date,Taxable Value,IGST\n",
        "register_huge_field.csv": b'GSTIN,Bill No\n"' + b"x" * 200_000 + b'",1\n',
        "register_formulas.csv": b"GSTIN,Bill No,Bill Date,Taxable Value,IGST\n"
                                 b"=1+1,@SUM(A1),-2+3,+cmd,=HYPERLINK(\"x\")\n",
        "register_garbage.xlsx": b"PK\x03\x04" + bytes(300),
        "register_html.xls": b"<html><body><table><tr><td>GSTIN</td></tr></table></body></html>",
        "register_encrypted.xlsx": bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
                                   + "EncryptionInfo".encode("utf-16-le") + bytes(100),
        "workbook_no_ims.xlsx": _xlsx({"Sheet": [["a", "b"], [1, 2]]}),
        "workbook_bad_ims.xlsx": _xlsx({"IMS": [["Key", "Action"], ["b2b|X|Y|Z", "Eat"],
                                                [None, "=1/0"], ["#", 3.5]]}),
        "settings_bad.json": b'{"mapping": {"doc_number": ["a", 1]}, "RecipientGSTIN": 5}',
    }


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in corpus().items():
        p = folder / name
        p.write_bytes(data)
        paths.append(p)
    return paths
