"""The detected mapping is shown, corrected once per client, remembered and reused."""

from __future__ import annotations

import json
from datetime import date

import pytest

import books_layouts
from ims_xl.register import Mapping, load_settings, read_register, save_settings
from ims_xl.register import mapping
from ims_xl.model.errors import RegisterFormatError
from ims_xl.workbook.layout import MAPPING_COLUMNS, SHEET_MAPPING, headers

TODAY = date(2026, 4, 15)


def mapping_sheet_round_trip(tmp_path, rows) -> list[list]:
    """Write rows to a workbook's Mapping sheet as the app does, read them back as a user's
    spreadsheet program would leave them."""
    from python_calamine import CalamineWorkbook
    path = books_layouts._xlsx(tmp_path / "IMS_Reconciled.xlsx",
                   {SHEET_MAPPING: [headers(MAPPING_COLUMNS)] + rows})
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET_MAPPING).to_python()


def test_mapping_sheet_shows_every_column_and_why(tmp_path):
    reg = read_register(books_layouts.write_tally(tmp_path), today=TODAY)
    rows = reg.mapping.to_rows()
    assert all(len(r) == len(MAPPING_COLUMNS) for r in rows)
    assert ["CGST", "Input CGST 2.5%", "ledger name says CGST: summed per document"] in rows
    assert ["Place of Supply", "", "not found in this register (type a column header here "
            "to use one)"] in rows
    assert ["(ignored)", "Round Off", "amount column not recognised: name a field for it "
            "if it belongs to the document"] in rows
    shown = {r[1] for r in rows if r[1]}
    assert shown >= {"Date", "Particulars", "Voucher Type", "GSTIN/UIN", "Gross Total"}


def test_mapping_sheet_round_trip_reads_the_same(tmp_path):
    path = books_layouts.write_tally(tmp_path)
    first = read_register(path, today=TODAY)
    saved = Mapping.from_rows(mapping_sheet_round_trip(tmp_path, first.mapping.to_rows()))
    again = read_register(path, mapping=saved, today=TODAY)
    assert again.entries == first.entries
    assert again.mapping.fields == first.mapping.fields
    assert {r.split(";")[0] for r in again.mapping.reasons.values()} == {"saved mapping"}
    assert again.mapping.reasons["kind"] == ("saved mapping; read as 'Purchase' (positive) -> "
                                             "Invoice: 4, 'Debit Note' (negative) -> Credit "
                                             "Note: 1")


def test_user_corrects_an_unrecognised_column_once(tmp_path):
    rows = [["GSTIN", "Party", "Ref", "Dated", "Taxable Value", "IGST"],
            [books_layouts.B, books_layouts.B_NAME, "TT/1", "05-03-2026", 100, 18]]
    path = books_layouts._xlsx(tmp_path / "odd.xlsx", {"Sheet1": rows})
    with pytest.raises(RegisterFormatError) as info:
        read_register(path, today=TODAY)
    assert "Document No" in str(info.value) and "'Ref'" in str(info.value)

    # The user types the two missing rows into the Mapping sheet.
    fixed = Mapping.from_rows(mapping_sheet_round_trip(tmp_path, [
        ["Document No", "Ref", ""], ["Document Date", "Dated", ""]]))
    (e,) = read_register(path, mapping=fixed, today=TODAY).entries
    assert (e.doc_number, e.doc_date, e.igst) == ("TT/1", date(2026, 3, 5), 18)


def test_correction_remembered_in_settings_and_reused_next_month(tmp_path):
    settings = tmp_path / "client.json"
    save_settings(settings, {"tolerance": 1})
    march = books_layouts._xlsx(tmp_path / "march.xlsx", {"Sheet1": [
        ["GSTIN", "Party", "Ref", "Dated", "Purchase @18%", "Input IGST 18%"],
        [books_layouts.B, books_layouts.B_NAME, "TT/1", "05-03-2026", 100, 18]]})
    fixed = Mapping.from_rows([["Document No", "Ref", ""], ["Document Date", "Dated", ""]])
    reg = read_register(march, mapping=fixed, today=TODAY)
    mapping.save(settings, reg.mapping)

    stored = json.loads(settings.read_text(encoding="utf-8"))
    assert stored["tolerance"] == 1                          # other settings kept
    assert stored["mapping"]["doc_number"] == "Ref"
    assert stored["mapping"]["igst"] == ["Input IGST 18%"]
    assert list(tmp_path.glob(".client.json.*")) == []       # written atomically

    # April: the client's books gained a 28% ledger. The pipeline passes the stored dict.
    april = books_layouts._xlsx(tmp_path / "april.xlsx", {"Sheet1": [
        ["GSTIN", "Party", "Ref", "Dated", "Purchase @18%", "Input IGST 18%",
         "Input IGST 28%"],
        [books_layouts.B, books_layouts.B_NAME, "TT/9", "05-04-2026", 200, 18, 28]]})
    reg = read_register(april, mapping=load_settings(settings)["mapping"], today=TODAY)
    (e,) = reg.entries
    assert e.doc_number == "TT/9" and e.igst == 46           # new ledger summed too
    new = [l for l in reg.mapping.links if l.column == "Input IGST 28%"]
    assert new[0].reason.startswith("new column since the saved mapping")


def test_ignoring_a_column_takes_it_out(tmp_path):
    path = books_layouts.write_tally(tmp_path)
    rows = read_register(path, today=TODAY).mapping.to_rows()
    rows = [["(ignored)", r[1], ""] if r[1] == "Purchase @5%" else r for r in rows]
    reg = read_register(path, mapping=Mapping.from_rows(rows), today=TODAY)
    mixed = [e for e in reg.entries if e.doc_number == "MC/25-26/0460"][0]
    assert mixed.taxable == 40000                            # only Purchase @18%


def test_saved_column_gone_from_file_warns_and_detects_again(tmp_path):
    saved = {"supplier_gstin": "Party GSTIN No", "doc_number": "Bill No"}
    reg = read_register(books_layouts.write_generic_csv(tmp_path), mapping=saved, today=TODAY)
    assert reg.mapping.column("supplier_gstin") == "GSTIN"
    missing = [i for i in reg.issues if i.code == "mapping-column-missing"]
    assert len(missing) == 1 and "'Party GSTIN No'" in missing[0].message


def test_fuzzy_header_and_gstin_found_by_values(tmp_path):
    path = books_layouts._xlsx(tmp_path / "ca.xlsx", {"Sheet1": [
        ["Party Code", "Supplier Nm", "Invoice No.", "Invoice Dt.", "Taxable Val", "Integrated Tax"],
        [books_layouts.B, books_layouts.B_NAME, "TT/1", "05-03-2026", 100, 18],
        [books_layouts.C, books_layouts.C_NAME, "GJ/1", "06-03-2026", 200, 36]]})
    reg = read_register(path, today=TODAY)
    why = reg.mapping.reasons
    assert reg.mapping.column("supplier_gstin") == "Party Code"
    assert "values look like GSTINs" in why["supplier_gstin"]
    assert reg.mapping.column("taxable") == "Taxable Val"
    assert "is close to \"Taxable Value\"" in why["taxable"]
    assert [e.taxable for e in reg.entries] == [100, 200]


def test_unknown_field_in_saved_mapping_is_refused():
    with pytest.raises(RegisterFormatError, match="unknown field 'Invoice Numbr'"):
        Mapping.from_rows([["Invoice Numbr", "Bill No", ""]])


def test_settings_file_missing_or_broken(tmp_path):
    assert load_settings(tmp_path / "none.json") == {}
    assert mapping.load(tmp_path / "none.json") is None
    broken = tmp_path / "broken.json"
    broken.write_text("{mapping: oops", encoding="utf-8")
    with pytest.raises(RegisterFormatError, match="broken.json.*not valid JSON"):
        load_settings(broken)


def test_register_with_only_custom_headers_is_found_through_the_saved_mapping(tmp_path):
    path = books_layouts._xlsx(tmp_path / "custom.xlsx", {"Sheet1": [
        ["Our Company Ltd"], ["Inward register"],
        ["Vendor Tax No", "Ref", "Dated", "Basic", "Tax1"],
        [books_layouts.B, "TT/1", "05-03-2026", 100, 18]]})
    with pytest.raises(RegisterFormatError, match="no header row found"):
        read_register(path, today=TODAY)
    saved = {"supplier_gstin": "Vendor Tax No", "doc_number": "Ref", "doc_date": "Dated",
             "taxable": ["Basic"], "igst": ["Tax1"]}
    reg = read_register(path, mapping=saved, today=TODAY)
    assert reg.header_row == 3
    assert [(e.doc_number, e.taxable, e.igst) for e in reg.entries] == [("TT/1", 100, 18)]
