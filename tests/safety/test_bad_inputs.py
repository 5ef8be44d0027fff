"""Inputs a portal, a spreadsheet program or a hostile hand can produce: each ends in exit 1
with a message naming file, section, record and field, or is read as it should be."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from ims_xl.files import jsonload
from ims_xl.workbook.data import read_workbook
from tests.core.example import DOWNLOAD_TEXT
from tests.safety.helpers import reconciled, run, samples, snapshot, type_work

FIRST = '"stin": "27AAHCM1357N1Z2"'          # the first b2b record of the example download


def _with(text: str) -> str:
    assert FIRST in DOWNLOAD_TEXT
    return DOWNLOAD_TEXT.replace(FIRST, text, 1)


BAD_JSON = {
    "duplicate section": (DOWNLOAD_TEXT.replace('"b2ba": [', '"b2b": [], "b2ba": [', 1),
                          "section b2b: the key 'b2b' appears more than once"),
    "duplicate field": (_with(FIRST + ', "inum": "X-1"'),
                        "section b2b, record #1 (MC/25-26/0451), field 'inum': the key 'inum' appears more"),
    "NaN": (_with(FIRST + ', "val": NaN').replace('"val": 118000.00,', ""),
            "section b2b, record #1 (MC/25-26/0451), field 'val': NaN is not an amount"),
    "Infinity": (DOWNLOAD_TEXT.replace('"txval": 100000.00', '"txval": -Infinity', 1),
                 "section b2b, record #1 (MC/25-26/0451), field 'txval': -Infinity is not an amount"),
    "1e400": (DOWNLOAD_TEXT.replace('"txval": 100000.00', '"txval": 1e400', 1),
              "section b2b, record #1 (MC/25-26/0451), field 'txval': 1E+400 is beyond any amount"),
    "5,000 digits": (DOWNLOAD_TEXT.replace('"txval": 100000.00', '"txval": ' + "7" * 5000, 1),
                     "section b2b, record #1 (MC/25-26/0451), field 'txval': a 5,000-digit number is beyond"),
    "stin a list": (_with('"stin": ["27AAHCM1357N1Z2"]'),
                    "section b2b, record #1 (MC/25-26/0451), field 'stin': must be text (in quotes), found a list"),
    "stin a number": (_with('"stin": 27123456789'),
                      "section b2b, record #1 (MC/25-26/0451), field 'stin': must be text (in quotes), "
                      "found a number 27123456789"),
    "inum true": (DOWNLOAD_TEXT.replace('"inum": "MC/25-26/0451"', '"inum": true', 1),
                  "section b2b, record #1, field 'inum': must be text (in quotes), found "
                  "true/false"),
    "10,000 deep": ('{"imsDetails": {"b2b": ' + "[" * 10_000 + "]" * 10_000 + "}}",
                    "is nested deeper than any IMS file"),
}


@pytest.mark.parametrize("case", list(BAD_JSON))
def test_a_bad_download_ends_in_a_located_message(tmp_path, case):
    text, message = BAD_JSON[case]
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    ims, books, _ = samples(tmp_path / "in")
    before = snapshot(tmp_path)
    for args in (["parse", bad], ["reconcile", "--ims", ims, "--ims", bad, "--books", books,
                                  "--out", tmp_path / "out.xlsx", "--json",
                                  tmp_path / "out.json"]):
        r = run(*args)
        assert r.exit_code == 1, r.output
        assert f"error: file bad.json, {message}" in r.output or (
            f"error: file bad.json: {message}" in r.output), r.output
        assert "Traceback" not in r.output
        assert snapshot(tmp_path) == before


def _zipped(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _encrypted_zip(tmp_path: Path) -> Path:
    """A zip whose member is password-protected, as `zip -P` or Windows makes it."""
    (tmp_path / "ims.json").write_text(DOWNLOAD_TEXT)
    out = tmp_path / "locked.zip"
    if shutil.which("zip"):
        subprocess.run(["zip", "-q", "-P", "secret", "-j", str(out),
                        str(tmp_path / "ims.json")], check=True)
    else:                  # the flag an encrypted member carries, in both headers
        data = bytearray(_zipped({"ims.json": DOWNLOAD_TEXT}))
        for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            i = data.index(sig)
            data[i + at] |= 1
        out.write_bytes(bytes(data))
    (tmp_path / "ims.json").unlink()
    return out


def test_a_password_protected_zip_says_so(tmp_path):
    locked = _encrypted_zip(tmp_path)
    before = snapshot(tmp_path)
    r = run("parse", locked, "--out", tmp_path / "merged.json")
    assert snapshot(tmp_path) == before
    assert r.exit_code == 1
    assert "file locked.zip: archive member 'ims.json' is password-protected" in r.output


def test_a_zip_bomb_is_not_inflated(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("ims.json", "w") as f:
            f.write(b'{"imsDetails": {"b2b": []}, "pad": "')
            for _ in range(24):
                f.write(b" " * (1 << 20))            # 24 MiB of spaces pack into ~25 KB
            f.write(b'"}')
    assert bomb.stat().st_size < 100_000
    before = snapshot(tmp_path)
    r = run("parse", bomb, "--out", tmp_path / "merged.json")
    assert snapshot(tmp_path) == before
    assert r.exit_code == 1
    assert "file bomb.zip: archive member 'ims.json' inflates to more than" in r.output
    assert f"{jsonload.MAX_RATIO}:1" in r.output and "zip bomb" in r.output


def test_a_lying_zip_header_is_caught_while_inflating(tmp_path, monkeypatch):
    """The size in the header says small; the stream says otherwise: stopped at the cap."""
    monkeypatch.setattr(jsonload, "MAX_INFLATED", 5 << 20)
    monkeypatch.setattr(jsonload, "_RATIO_FLOOR", 1 << 20)
    data = bytearray(_zipped({"ims.json": b'{"a": "' + b" " * (8 << 20) + b'"}'}))
    for sig, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):   # uncompressed size fields
        i = data.index(sig)
        data[i + at:i + at + 4] = (1000).to_bytes(4, "little")
    lying = tmp_path / "lying.zip"
    lying.write_bytes(bytes(data))
    before = snapshot(tmp_path)
    r = run("parse", lying, "--out", tmp_path / "merged.json")
    assert snapshot(tmp_path) == before
    assert r.exit_code == 1
    assert "file lying.zip: archive member 'ims.json'" in r.output
    assert "Traceback" not in r.output and "internal error" not in r.output


def test_a_utf16_register_reads_as_its_utf8_twin(tmp_path):
    ims, books, _ = samples(tmp_path / "in")
    text = books.read_text(encoding="utf-8")
    unicode_text = tmp_path / "register.txt"         # Excel: Save As > Unicode Text
    unicode_text.write_bytes(text.replace(",", "\t").encode("utf-16"))
    before = unicode_text.read_bytes()
    outs = []
    for register, name in ((books, "a"), (unicode_text, "b")):
        r = run("reconcile", "--ims", ims, "--books", register, "--out",
                tmp_path / f"{name}.xlsx", "--json", tmp_path / f"{name}.json")
        assert r.exit_code == 0, r.output
        outs.append(json.loads((tmp_path / f"{name}.json").read_text()))
    assert outs[0] == outs[1] and len(outs[0]["ims"]) == 40
    assert unicode_text.read_bytes() == before


def test_a_section_outside_ims_is_kept_visible_and_said_not_to_be_uploaded(tmp_path):
    doc = json.loads(DOWNLOAD_TEXT)
    doc["imsDetails"]["impg"] = [{"boe_num": "1234567", "boe_dt": "02-03-2026",
                                  "port_code": "INMAA1", "txval": 50000.00}]
    dl = tmp_path / "with_impg.json"
    dl.write_text(json.dumps(doc))
    warning = ("section 'impg' (1 record(s)) is not an IMS section (imports of goods, ISD...): "
               "it was not imported and is not part of the upload")
    merged = tmp_path / "merged.json"
    r = run("parse", dl, "--out", merged)
    assert r.exit_code == 0 and f"warning: {warning}" in r.output
    assert json.loads(merged.read_text())["imsDetails"]["impg"] == doc["imsDetails"]["impg"]
    _, books, _ = samples(tmp_path / "in")
    r = run("reconcile", "--ims", dl, "--books", books, "--out", tmp_path / "m.xlsx")
    assert r.exit_code == 0, r.output
    assert f"warning: {warning} (also on the Log sheet)" in r.output
    log = read_workbook(tmp_path / "m.xlsx").log_rows
    assert [row[1:] for row in log if row[1] == "Not imported"] == [["Not imported", warning]]


def test_a_remarks_formula_without_a_saved_value_is_kept_as_its_text(tmp_path):
    """openpyxl (and scripts) save formulas with no result: the remark is its text, not blank."""
    book, _, _ = reconciled(tmp_path)
    formula = '=CONCAT("short ","supply")'
    type_work(book, {2: ("Reject", formula)})
    data = read_workbook(book)
    at = data.ims_header.index("Remarks")
    assert data.ims_rows[0][at] == formula
    r = run("export", book, "--out", tmp_path / "upload.json")
    assert r.exit_code == 0, r.output
    sent = json.loads((tmp_path / "upload.json").read_text())
    remarks = [rec.get("remarks") for recs in sent["invdata"].values() for rec in recs]
    assert formula in remarks
