"""The upload writer: echo exactly, official key order, ITC block rules, splitting, atomic."""

import json
from decimal import Decimal

import pytest

from ims_xl.model.document import Decision
from ims_xl.portal.download import read_ims
from ims_xl.portal.upload import build_upload, dumps, is_changed, upload_record, write_upload
from tests.core.example import DOWNLOAD_TEXT, RECIPIENT


@pytest.fixture
def records(write_json):
    return read_ims(write_json(DOWNLOAD_TEXT)).records


def test_accepted_invoice_is_echoed_in_the_official_order(records):
    out = upload_record(records[0], Decision("A"))
    assert list(out) == ["stin", "inum", "inv_typ", "idt", "val", "action", "pos", "txval",
                         "iamt", "camt", "samt", "cess", "srcform", "rtnprd"]
    text = dumps(out)
    assert '"val":118000.00' in text and '"iamt":0' in text and '"inum":"MC/25-26/0451"' in text
    assert "hash" not in out and "tradenm" not in out and "srcfilstatus" not in out


def test_partial_itc_reduction_on_a_credit_note(records):
    cn = records[3]
    out = upload_record(cn, Decision("A", "Only 50% ITC availed on original invoice", "Y",
                                     {"igst": 0, "cgst": 450, "sgst": 450.0, "cess": 0}))
    assert out["itcRedReq"] == "Y"
    assert [out[k] for k in ("declIgst", "declCgst", "declSgst", "declCess")] == \
        [Decimal("0.00"), Decimal("450.00"), Decimal("450.00"), Decimal("0.00")]
    assert list(out).index("itcRedReq") < list(out).index("remarks") < list(out).index("srcform")


def test_itc_block_never_sent_on_reject_or_on_b2b(records):
    assert "itcRedReq" not in upload_record(records[3], Decision("R", "", "Y", {}))
    assert "itcRedReq" not in upload_record(records[0], Decision("A", "", "Y", {}))


def test_remarks_dropped_when_blocked(records):
    rec = records[1]
    rec.remarks_blocked = True
    assert "remarks" not in upload_record(rec, Decision("P", "awaiting filing"))


def test_only_changes_are_uploaded(records):
    eco = records[4]                               # already Accepted on the portal
    portal = Decision.portal_state(eco)
    assert not is_changed(Decision("A"), portal)
    assert not is_changed(Decision(None, "typed but no action"), portal)
    assert is_changed(Decision("A", "now with a remark"), portal)
    assert is_changed(Decision("R"), portal)


def test_envelope_omits_empty_sections(records):
    doc = build_upload([(records[0], Decision("A"))], RECIPIENT)
    assert doc == {"rtin": RECIPIENT, "reqtyp": "SAVE",
                   "invdata": {"b2b": [upload_record(records[0], Decision("A"))]}}


def test_large_upload_is_split_into_numbered_files(records, tmp_path):
    pairs = [(records[0], Decision("A"))] * 50
    doc = build_upload(pairs, RECIPIENT)
    paths = write_upload(doc, tmp_path / "upload.json", max_bytes=3000)
    assert len(paths) > 1 and paths[0].name == "upload_1.json"
    total = [json.loads(p.read_text()) for p in paths]
    assert all(len(p.read_bytes()) <= 3000 for p in paths)
    assert sum(len(d["invdata"]["b2b"]) for d in total) == 50
    assert all(d["rtin"] == RECIPIENT and d["reqtyp"] == "SAVE" for d in total)


def test_failed_write_leaves_no_half_file(records, tmp_path, monkeypatch):
    target = tmp_path / "upload.json"
    target.write_text("previous upload")
    doc = build_upload([(records[0], Decision("A"))], RECIPIENT)

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr("pathlib.Path.write_bytes", boom)
    with pytest.raises(OSError):
        write_upload(doc, target)
    monkeypatch.undo()
    assert target.read_text() == "previous upload"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ims.json", "upload.json"]


def test_written_files_get_normal_permissions(records, tmp_path):
    import os
    import stat
    mask = os.umask(0)
    os.umask(mask)
    (path,) = write_upload(build_upload([(records[0], Decision("A"))], RECIPIENT),
                           tmp_path / "upload.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
