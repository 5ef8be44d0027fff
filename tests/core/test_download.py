"""Reading IMS downloads: every dialect, every section, merged files, and bad input."""

import io
import json
import zipfile
from decimal import Decimal

import pytest

from ims_xl.portal.download import parse_document, read_ims, record_from_raw
from ims_xl.model.errors import ImsFormatError
from ims_xl.model.section import SECTIONS

from tests.core.example import DOWNLOAD_TEXT

SUPPLIER = "27AAHCM1357N1Z2"


def raw_record(section: str, number: str = "INV-1", **extra) -> dict:
    """A portal record of `section` carrying every field the doc lists for it."""
    sec = SECTIONS[section]
    rec = {"stin": SUPPLIER, "tradenm": "MEHTA COMPONENTS PVT LTD", sec.number_key: number,
           "inv_typ": "R", sec.date_key: "05-03-2026", "val": 1180.5, "action": "N",
           "pos": "27", "txval": 1000.5, "iamt": 0, "camt": 90, "samt": 90, "cess": 0,
           "srcform": "R1", "rtnprd": "032026", "srcfilstatus": "Filed",
           "ispendactblocked": "N", "isRemarksBlocked": "N", "hash": "ab" * 32}
    if sec.is_amendment:
        rec[sec.orig_number_key] = "ORIG-1"
        rec[sec.orig_date_key] = "01-02-2026"
    if sec.itc_declaration:
        rec["itcRedReqBlocked"] = "N"
    rec.update(extra)
    return rec


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_section_reads_every_field(write_json, section):
    raw = raw_record(section, "DOC/25-26/7", ItcAvailabilityCheck="Y", futureField=[1, 2])
    dl = read_ims(write_json({"imsDetails": {section: [raw]}}))
    (rec,) = dl.records
    sec = SECTIONS[section]
    assert (rec.section, rec.supplier_gstin, rec.doc_number, rec.doc_date) == \
        (section, SUPPLIER, "DOC/25-26/7", "05-03-2026")
    assert rec.supplier_name == "MEHTA COMPONENTS PVT LTD"
    assert (rec.value, rec.taxable, rec.cgst, rec.sgst) == \
        (Decimal("1180.5"), Decimal("1000.5"), 90, 90)
    assert (rec.pos, rec.action, rec.source_form, rec.return_period) == ("27", "N", "R1", "032026")
    assert rec.supplier_filed is True and rec.pending_blocked is False
    if sec.is_amendment:
        assert (rec.orig_doc_number, rec.orig_doc_date) == ("ORIG-1", "01-02-2026")
    # unknown fields are kept, not dropped
    assert rec.raw["ItcAvailabilityCheck"] == "Y" and rec.raw["futureField"] == [1, 2]


@pytest.mark.parametrize("section", list(SECTIONS))
def test_plain_records_read_in_one_step_as_record_by_record(section):
    """The one-step reader builds records by position: every field distinct catches a swap."""
    amounts = {k: Decimal(f"{i}.{i}0") for i, k in
               enumerate(("val", "txval", "iamt", "camt", "samt", "cess"), 1)}
    raws = [raw_record(section, "DOC/1", **amounts, remarks=" late ", error_msg="bad",
                       error_cd="RET1", inv_typ="SEWP", pos="7", action="a",
                       srcfilstatus="Not Filed", isRemarksBlocked="Y", itcRedReqBlocked="y"),
            raw_record(section, "DOC/2", **amounts, ispendactblocked=" yes ",
                       isRemarksBlocked=True)]
    got = parse_document("d.json", {"imsDetails": {section: raws}}).records
    one_by_one = [record_from_raw(raw, section, "d.json", i) for i, raw in enumerate(raws, 1)]
    assert list(map(repr, got)) == list(map(repr, one_by_one))


def test_odd_records_read_as_record_by_record():
    """Records off the plain path (odd values, aliases, declarations, a second flag spelling)
    mixed with plain ones read exactly as `record_from_raw` reads each."""
    odd = [{"tradenm": None}, {"pos": 7}, {"action": True}, {"val": None}, {"cess": "1,000.50"},
           {"iamt": 5}, {"rtnTyp": "R1"}, {"sRtnPrd": "022026"}, {"declIgst": Decimal("9")},
           {"itcRedReq": "y"}, {"ispendactnallwd": "N"}, {"isremarksblocked": "Y"},
           {"isItcRedReqBlocked": True}, {"hash": 12}, {"remarks": ["x"]}, {"srcform": " r1 "}]
    amounts = {k: Decimal("10.50") for k in ("val", "txval", "iamt", "camt", "samt", "cess")}
    raws = [raw_record("b2bcn", f"CN{i}", **{**amounts, **extra})
            for i, extra in enumerate([{}, *odd, {}])]
    got = parse_document("d.json", {"imsDetails": {"b2bcn": raws}}).records
    one_by_one = [record_from_raw(raw, "b2bcn", "d.json", i) for i, raw in enumerate(raws, 1)]
    assert list(map(repr, got)) == list(map(repr, one_by_one))


def _four_dialects(records: dict) -> dict:
    return {
        "offline": {"imsDetails": records},
        "api": {"data": records},
        "api-wrapped": {"status_cd": "1", "data": {"data": records}},
        "web": {"data": {k.upper(): v for k, v in records.items()}},
    }


@pytest.mark.parametrize("dialect", ["offline", "api", "api-wrapped", "web"])
def test_every_dialect_gives_the_same_records(write_json, dialect):
    records = {"b2b": [raw_record("b2b", "A1")], "b2bcn": [raw_record("b2bcn", "CN1")]}
    dl = read_ims(write_json(_four_dialects(records)[dialect]))
    assert [(r.section, r.doc_number) for r in dl.records] == [("b2b", "A1"), ("b2bcn", "CN1")]
    assert dl.kind == "download"


def test_flags_as_booleans_yn_or_absent(write_json):
    recs = [raw_record("b2bcn", "1", ispendactblocked=True, isRemarksBlocked=False,
                       isItcRedReqBlocked=True),
            raw_record("b2bcn", "2", ispendactblocked="Y", isRemarksBlocked="Y"),
            {k: v for k, v in raw_record("b2bcn", "3").items()
             if k not in ("ispendactblocked", "isRemarksBlocked", "itcRedReqBlocked",
                          "srcfilstatus", "hash", "tradenm")}]
    a, b, c = read_ims(write_json({"data": {"b2bcn": recs}})).records
    assert (a.pending_blocked, a.remarks_blocked, a.itc_blocked) == (True, False, True)
    assert (b.pending_blocked, b.remarks_blocked) == (True, True)
    assert (c.pending_blocked, c.remarks_blocked, c.itc_blocked, c.supplier_filed) == \
        (False, False, False, None)


def test_older_pending_allowed_flag_is_inverted(write_json):
    raw = raw_record("b2b")
    del raw["ispendactblocked"]
    raw["ispendactnallwd"] = "N"
    assert read_ims(write_json({"data": {"b2b": [raw]}})).records[0].pending_blocked is True


def test_numbers_and_long_invoice_numbers_stay_exact(write_json):
    text = DOWNLOAD_TEXT.replace('"MC/25-26/0451"', '"1234567890123456"')
    (rec, *_) = read_ims(write_json(text)).records
    assert rec.doc_number == "1234567890123456"
    assert str(rec.raw["val"]) == "118000.00" and str(rec.raw["camt"]) == "9000.00"


def test_zip_of_json_files_and_several_files_merge(tmp_path, write_json):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("IMS/part1.json", json.dumps({"imsDetails": {"b2b": [raw_record("b2b", "1")]}}))
        z.writestr("IMS/part2.json", json.dumps({"imsDetails": {"b2b": [raw_record("b2b", "2")]}}))
        z.writestr("readme.txt", "not json")
    zip_path = write_json(buf.getvalue(), "download.zip")
    again = write_json({"imsDetails": {"b2b": [raw_record("b2b", "2"), raw_record("b2b", "3")]}},
                       "later.json")
    dl = read_ims([zip_path, again])
    assert [r.doc_number for r in dl.records] == ["1", "2", "3"]
    assert dl.duplicates == 1            # record 2 was in both downloads: kept once


def test_the_doc_example_parses(write_json):
    dl = read_ims(write_json(DOWNLOAD_TEXT))
    assert [r.section for r in dl.records] == ["b2b", "b2b", "b2ba", "b2bcn", "ecom"]
    b2ba = dl.records[2]
    assert b2ba.pending_blocked and b2ba.orig_doc_number == "SE/1187"
    assert dl.records[1].supplier_filed is False and dl.records[4].action == "A"


def test_error_file_is_recognised_by_its_envelope(write_json):
    raw = raw_record("b2b", error_msg="Either previous action is incorrect")
    dl = read_ims(write_json({"imsDetailsErr": {"b2b": [raw]}}, "anything.json"))
    assert dl.kind == "errors" and dl.records[0].error_msg.startswith("Either")


def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return buf.getvalue()


BAD = {
    "empty file": (b"", ["bad.json", "empty"]),
    "not json": (b"<html>Session expired</html>", ["bad.json", "not valid JSON"]),
    "truncated": (DOWNLOAD_TEXT[:300].encode(), ["bad.json", "cut short"]),
    "a list": (b"[1, 2]", ["bad.json", "not an IMS file"]),
    "unknown envelope": (b'{"invoices": {"b2b": []}}', ["bad.json", "unknown IMS envelope"]),
    "no supplier gstin": (json.dumps({"imsDetails": {"b2b": [
        {k: v for k, v in raw_record("b2b", "X9").items() if k != "stin"}]}}).encode(),
        ["bad.json", "section b2b", "record #1 (X9)", "'stin'", "supplier GSTIN is missing"]),
    "no document number": (json.dumps({"imsDetails": {"b2bcn": [
        raw_record("b2bcn", "")]}}).encode(),
        ["section b2bcn", "record #1", "'nt_num'", "document number is missing"]),
    "text amount": (json.dumps({"imsDetails": {"b2b": [
        raw_record("b2b", "OK1"), raw_record("b2b", "T7", txval="ten thousand")]}}).encode(),
        ["section b2b", "record #2 (T7)", "'txval'", "'ten thousand'"]),
    "section not a list": (b'{"imsDetails": {"b2b": {"stin": "x"}}}',
                           ["section b2b", "not a list"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_names_file_section_record_and_field(write_json, case):
    data, expected = BAD[case]
    with pytest.raises(ImsFormatError) as e:
        read_ims(write_json(data, "bad.json"))
    for part in expected:
        assert part in str(e.value)


def test_bad_zips(write_json):
    with pytest.raises(ImsFormatError, match="holds no .json"):
        read_ims(write_json(_zip({"a.txt": "x"}), "d.zip"))
    with pytest.raises(ImsFormatError, match="outside the archive"):
        read_ims(write_json(_zip({"../../etc/evil.json": "{}"}), "d.zip"))
    with pytest.raises(ImsFormatError, match="not a valid zip"):
        read_ims(write_json(b"PK\x03\x04garbage", "d.zip"))


def test_missing_file_is_an_error_not_a_traceback(tmp_path):
    with pytest.raises(ImsFormatError, match="cannot read"):
        read_ims(tmp_path / "nope.json")
