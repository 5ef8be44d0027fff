"""Each register layout users bring, written as a real file, read into documents."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

import books_layouts
from books_xls import write_xls
from ims_xl.register import read_register

TODAY = date(2026, 4, 15)


def doc(reg, number):
    found = [e for e in reg.entries if e.doc_number == number]
    assert len(found) == 1, f"{number}: {[e.doc_number for e in reg.entries]}"
    return found[0]


def heads(e):
    return (e.taxable, e.igst, e.cgst, e.sgst, e.cess)


def codes(reg):
    return sorted(i.code for i in reg.issues)


def test_tally_title_rows_ledger_columns_and_grand_total(tmp_path):
    reg = read_register(books_layouts.write_tally(tmp_path), today=TODAY)

    assert (reg.sheet, reg.header_row) == ("Purchase Register", 5)
    assert [e.row for e in reg.entries] == [6, 7, 8, 9, 10]
    assert reg.skipped == [11]                                # the Grand Total row
    first = doc(reg, "MC/25-26/0451")
    assert first.supplier_gstin == books_layouts.A and first.supplier_name == books_layouts.A_NAME
    assert first.doc_date == date(2026, 3, 1)                 # supplier's date, not voucher's
    assert first.voucher == "101"                             # numeric cell kept as text
    assert heads(first) == (100000, 0, 9000, 9000, 0) and first.value == 118000
    # two purchase ledgers and two rates of CGST/SGST are summed per head
    mixed = doc(reg, "MC/25-26/0460")
    assert heads(mixed) == (60000, 0, 4100, 4100, 0)
    assert mixed.doc_date == date(2026, 3, 5)                 # typed Tally-style: 5-Mar-26
    # GSTIN typed in lower case with a space
    assert doc(reg, "TT-2026-0093").supplier_gstin == books_layouts.B
    assert heads(doc(reg, "TT-2026-0093")) == (50000, 9000, 0, 0, 0)
    # a Debit Note voucher with negative amounts is a purchase return: supplier's credit note
    note = doc(reg, "MC/CN/0012")
    assert note.kind == "credit" and heads(note) == (10000, 0, 900, 900, 0)
    # the cash purchase has no GSTIN: kept, with a warning next to its row
    cash = doc(reg, "C-77")
    assert cash.supplier_gstin == "" and [i.code for i in cash.warnings] == ["gstin-missing"]


def test_tally_mapping_explains_ledger_columns(tmp_path):
    reg = read_register(books_layouts.write_tally(tmp_path), today=TODAY)
    fields = reg.mapping.fields
    assert fields["cgst"] == ["Input CGST 9%", "Input CGST 2.5%"]
    assert fields["taxable"] == ["Purchase @18%", "Purchase @5%"]
    assert fields["doc_number"] == ["Supplier Invoice No."]
    assert fields["voucher"] == ["Voucher No."]
    assert "ledger name says CGST" in reg.mapping.reasons["cgst"]
    assert "Round Off" in reg.mapping.ignored


def test_gstr2_template_sums_rate_rows_per_document(tmp_path):
    reg = read_register(books_layouts.write_gstr2(tmp_path), today=TODAY)

    assert (reg.sheet, reg.header_row) == ("b2b", 4)          # below the summary rows
    assert len(reg.entries) == 3
    a = doc(reg, "MC/25-26/0451")
    assert a.rows == (5, 6) and a.row == 5
    assert heads(a) == (110000, 0, 9250, 9250, 0)
    assert a.value == 128500                                  # repeated per row, taken once
    assert a.pos == "27" and a.doc_date == date(2026, 3, 1)
    b = doc(reg, "TT-2026-0093")
    assert heads(b) == (25000, 3800, 0, 0, 500) and b.value == 29300
    # "Availed ITC ..." columns are not the tax on the document
    assert all("Availed" not in c for cols in reg.mapping.fields.values() for c in cols)
    assert "other-register-sheets" in codes(reg)              # cdnr has data too


def test_gstr2_credit_notes_sheet_on_request(tmp_path):
    reg = read_register(books_layouts.write_gstr2(tmp_path), sheet="cdnr", today=TODAY)
    (note,) = reg.entries
    assert note.kind == "credit" and note.doc_number == "GJ/CN/7"
    assert heads(note) == (100, 18, 0, 0, 0) and note.value == 118


def test_zoho_letter_state_codes_and_single_tax_column(tmp_path):
    reg = read_register(books_layouts.write_zoho(tmp_path), today=TODAY)

    bill = doc(reg, "BL-0001")
    assert bill.rows == (2, 3)                                # two item lines, one bill
    assert heads(bill) == (15000, 0, 1350, 1350, 0)           # GST18 split CGST/SGST
    assert bill.value == 17700 and bill.pos == "27"           # "MH" -> 27
    kt = doc(reg, "KT/778")
    assert heads(kt) == (8000, 1440, 0, 0, 0) and kt.pos == "27"
    assert kt.doc_date == date(2026, 3, 6)                    # a datetime cell
    assert bill.doc_date == date(2026, 3, 5)                  # ISO text
    assert reg.mapping.column("pos") == "Destination of Supply"
    assert "Source of Supply" in reg.mapping.ignored          # supplier's state, not POS


def test_busy_text_dates_and_purchase_return(tmp_path):
    reg = read_register(books_layouts.write_busy(tmp_path), today=TODAY)

    assert [e.doc_date for e in reg.entries] == [date(2026, 3, 5), date(2026, 3, 6),
                                                 date(2026, 3, 8)]
    assert [e.kind for e in reg.entries] == ["invoice", "invoice", "credit"]
    assert heads(doc(reg, "GT/1001-R")) == (2000, 0, 180, 180, 0)
    assert reg.skipped == [8]                                 # "Total"
    assert "using the books Voucher Date" in reg.mapping.reasons["doc_date"]


def test_erpnext_returns_reverse_charge_and_posting_date_fallback(tmp_path):
    reg = read_register(books_layouts.write_erpnext(tmp_path), today=TODAY)

    assert reg.mapping.column("doc_number") == "Bill No"      # not the ERP's "Invoice" id
    assert doc(reg, "MC/25-26/0470").voucher == "ACC-PINV-2026-00011"
    assert heads(doc(reg, "MC/25-26/0470")) == (50000, 0, 4500, 4500, 0)
    late = doc(reg, "TT-2026-0101")
    assert late.doc_date == date(2026, 3, 8)
    assert [i.code for i in late.warnings] == ["date-from-voucher"]
    ret = doc(reg, "MC/CN/0013")
    assert ret.kind == "credit" and heads(ret) == (5000, 0, 450, 450, 0) and ret.value == 5900
    assert doc(reg, "TT-RCM-9").reverse_charge is True
    # Gujarat supplier, Maharashtra company (from Company GSTIN), CGST+SGST booked
    gj = doc(reg, "GJ/205")
    assert [i.code for i in gj.warnings] == ["tax-head-pos"]
    assert gj.warnings[0].field == "Input Tax CGST - MI"


def test_generic_csv_indian_grouping_dr_cr_and_typed_dates(tmp_path):
    reg = read_register(books_layouts.write_generic_csv(tmp_path), today=TODAY)

    assert reg.header_row == 1
    assert [e.row for e in reg.entries] == [2, 3, 5, 6, 8, 9, 10, 11]   # CSV line numbers
    assert reg.skipped == [7]                                           # Sub Total
    first = reg.entries[0]
    assert first.supplier_gstin == books_layouts.A and first.doc_number == "mc/25-26/0451"
    assert heads(first) == (100000, 0, 9000, 9000, 0) and first.value == 118000
    second = doc(reg, "TT-2026-0093")
    assert second.doc_date == date(2026, 3, 5) and second.pos == "27"   # "5/3/26"
    assert heads(second) == (25000, 4500, 0, 0, 0) and second.value == 29500
    note = doc(reg, "MC/CN/0012")
    assert note.kind == "credit" and heads(note) == (10000, 0, 900, 900, 0)
    assert note.value == 11800 and note.pos == "27"                     # "MH"
    assert doc(reg, "GJ/101").doc_date == date(2026, 3, 5)              # 05.03.2026
    assert doc(reg, "MC-25-26-0451").doc_date == date(2026, 3, 5)       # 5-Mar-2026


def test_xls_file_with_register_on_second_sheet(tmp_path):
    """A real BIFF8 .xls (written by tests/books/books_xls.py), read through calamine."""
    serial = (date(2026, 3, 5) - date(1899, 12, 30)).days           # Excel date serial
    path = tmp_path / "busy_export.xls"
    write_xls(path, {
        "Notes": [["Exported from accounts"], ["Period", "March 2026"]],
        "Register": [["Shree Ganesh Traders"], [],
                     ["Supplier GSTIN", "Supplier Name", "Invoice No", "Invoice Date",
                      "Taxable Value", "IGST", "CGST", "SGST"],
                     [books_layouts.B, books_layouts.B_NAME, "KT-55", serial, 5000, 900, 0, 0],
                     [books_layouts.A, books_layouts.A_NAME, 4512, "06-03-2026", 2000, 0, 180,
                      180]]})

    reg = read_register(path, today=TODAY)
    assert reg.sheet == "Register" and reg.header_row == 3
    kt = doc(reg, "KT-55")
    assert kt.row == 4 and kt.doc_date == date(2026, 3, 5)
    assert heads(kt) == (5000, 900, 0, 0, 0)
    assert doc(reg, "4512").doc_date == date(2026, 3, 6)           # numeric number -> text


def test_workbook_with_register_not_on_first_sheet(tmp_path):
    path = books_layouts._xlsx(tmp_path / "client.xlsx", {
        "Cover": [["Client", "Mehta Industries"], ["Period", "March 2026"]],
        "Summary": [["Month", "Amount"], ["March", 118000], ["April", 5000]],
        "Purchases Mar-26": [["GSTIN", "Party Name", "Invoice No", "Invoice Date",
                              "Taxable Value", "CGST", "SGST"],
                             [books_layouts.A, books_layouts.A_NAME, 2025000000000123,
                              date(2026, 3, 5), 1000, 90, 90]]})

    reg = read_register(path, today=TODAY)
    assert reg.sheet == "Purchases Mar-26"
    (e,) = reg.entries
    assert e.doc_number == "2025000000000123"                # not "2.025e+15" or "...123.0"
    assert e.doc_date == date(2026, 3, 5)
    assert [i.code for i in e.warnings] == ["number-stored-as-number"]
    assert "15 digits" in e.warnings[0].message


def test_bigger_generated_register_round_trips(tmp_path):
    """The generator's generic register (title rows, credit notes negative) reads back whole."""
    from ims_xl.testdata.generate import make_case, write_books_xlsx
    case = make_case(300, seed=11)
    path = tmp_path / "books.xlsx"
    write_books_xlsx(case.books, path, title_rows=("Client", "Purchase Register", ""))

    reg = read_register(path, today=TODAY)
    assert len(reg.entries) == len(case.books)
    assert [e.row for e in reg.entries] == list(range(5, 5 + len(case.books)))
    for e, src in zip(reg.entries, case.books):
        assert e.doc_number == src["Bill No"] and e.supplier_gstin == src["GSTIN"]
        assert e.kind == {"Purchase": "invoice", "Credit Note": "credit",
                          "Debit Note": "debit"}[src["Type"]]
        assert e.taxable == abs(Decimal(str(src["Taxable Value"])))     # exact, as written
        assert e.doc_date - date(2026, 3, 1) < timedelta(days=40)


def test_csv_saved_by_excel_with_semicolons_and_ansi_encoding(tmp_path):
    path = tmp_path / "excel_export.csv"
    text = ("Supplier GSTIN;Party Name;Invoice No;Invoice Date;Taxable Value;IGST\r\n"
            f"{books_layouts.B};Société Générale Traders;TT/1;05-03-2026;Rs. 1,000.50;"
            "180.09\r\n")
    path.write_bytes(text.encode("cp1252"))
    (e,) = read_register(path, today=TODAY).entries
    assert e.supplier_name == "Société Générale Traders"
    assert (e.taxable, e.igst) == (Decimal("1000.50"), Decimal("180.09"))


def test_gstr2b_excel_two_row_header(tmp_path):
    """GSTR-2B Excel: "Invoice details" and "Tax Amount" are merged over a second header row."""
    top = ["GSTIN of supplier", "Trade/Legal name", "Invoice details", "", "", "",
           "Place of supply", "Supply Attract Reverse Charge", "Taxable Value (₹)",
           "Tax Amount", "", "", ""]
    low = ["", "", "Invoice number", "Invoice type", "Invoice Date", "Invoice Value(₹)", "", "",
           "", "Integrated Tax(₹)", "Central Tax(₹)", "State/UT Tax(₹)", "Cess(₹)"]
    path = books_layouts._xlsx(tmp_path / "gstr2b.xlsx", {
        "Read me": [["Goods and Services Tax - GSTR-2B"]],
        "B2B": [["Goods and Services Tax - GSTR-2B"], ["Taxable inward supplies"], [],
                [], top, low,
                [books_layouts.B, books_layouts.B_NAME, "TT-2026-0093", "Regular", "06/03/2026",
                 29500, "Maharashtra", "No", 25000, 4500, 0, 0, 0]]})
    reg = read_register(path, today=TODAY)
    assert (reg.sheet, reg.header_row) == ("B2B", 6)
    (e,) = reg.entries
    assert (e.row, e.doc_number, e.doc_date, e.pos) == (7, "TT-2026-0093", date(2026, 3, 6), "27")
    assert heads(e) == (25000, 4500, 0, 0, 0) and e.value == 29500
    assert reg.mapping.column("igst") == "Integrated Tax(₹)"


def test_semicolon_csv_with_title_rows_and_grouped_amounts(tmp_path):
    """Commas inside amounts outnumber the separators on data lines; still read as `;`."""
    lines = ["Mehta Industries", "Purchase Register", "",
             "GSTIN;Party;Bill No;Bill Date;Taxable Value;IGST;CGST;SGST;Cess;Invoice Value"]
    lines += [f"{books_layouts.B};Techno;TT/{n};05-03-2026;1,18,000.00;21,240.00;0;0;1,180.00;"
              "1,40,420.00" for n in range(3)]
    path = tmp_path / "semi.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reg = read_register(path, today=TODAY)
    assert reg.header_row == 4 and [e.row for e in reg.entries] == [5, 6, 7]
    assert heads(reg.entries[0]) == (118000, 21240, 0, 0, 1180)


def test_sap_export_takes_the_vendor_reference_not_sap_document_number(tmp_path):
    """SAP's `Document Number` is its own accounting document; `Reference` is the vendor's
    invoice number, the one on the portal."""
    path = tmp_path / "sap.csv"
    path.write_text(
        "Vendor,Vendor Name,Vendor GSTIN,Document Number,Reference,Document Date,"
        "Posting Date,Base Amount,IGST Amount,CGST Amount,SGST Amount\n"
        "100234,MEHTA COMPONENTS PVT LTD,27AAHCM1357N1Z2,5100000123,MC/25-26/0451,05.03.2026,"
        "07.03.2026,\"1,00,000.00\",0.00,9000.00,9000.00\n", encoding="utf-8")
    reg = read_register(path, today=date(2026, 4, 1))
    (e,) = reg.entries
    assert (e.doc_number, e.doc_date, e.supplier_gstin) == \
        ("MC/25-26/0451", date(2026, 3, 5), "27AAHCM1357N1Z2")
    assert (e.taxable, e.cgst, e.sgst, e.igst) == (100000.0, 9000.0, 9000.0, 0.0)
