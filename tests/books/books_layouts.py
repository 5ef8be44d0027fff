"""Realistic purchase registers in the layouts users bring, written by the tests themselves.

Each `write_*` function writes one file into a folder and returns its path. The figures are
chosen so the expected documents are easy to state in the tests (see the docstrings).
"""

from __future__ import annotations

import csv
from datetime import date, datetime

from ims_xl.model.gstin import check_char


def gst(state: str, pan: str, entity: str = "1") -> str:
    first14 = f"{state}{pan}{entity}Z"
    return first14 + check_char(first14)


A = gst("27", "AAHCM1357N")          # Maharashtra, same state as the company
B = gst("29", "AABCT4321K")          # Karnataka
C = gst("24", "AAFPS2468Q")          # Gujarat
COMPANY = gst("27", "AAACM0001A")
A_NAME, B_NAME, C_NAME = "Mehta Components Pvt Ltd", "Techno Traders", "Shree Steel LLP"
BAD = A[:14] + ("0" if A[14] != "0" else "1")      # right shape, wrong check character


def _xlsx(path, sheets: dict[str, list[list]], *, date_format: str = "dd-mm-yyyy"):
    """Write sheets with xlsxwriter: str as text, numbers, dates as real date cells."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    fmt = wb.add_format({"num_format": date_format})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, (date, datetime)):
                    ws.write_datetime(r, c, datetime(v.year, v.month, v.day), fmt)
                elif isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write_number(r, c, v)
    wb.close()
    return path


def write_tally(folder, name="tally.xlsx"):
    """Tally Prime columnar purchase register: 4 title rows, header on row 5, ledger columns.

    Row 6  A  MC/25-26/0451  taxable 1,00,000  CGST 9,000  SGST 9,000       invoice
    Row 7  A  MC/25-26/0460  taxable 60,000 (18% + 5% ledgers)  CGST/SGST 4,100 each
    Row 8  B  TT-2026-0093   taxable 50,000  IGST 9,000 (GSTIN typed lower case, spaced)
    Row 9  A  MC/CN/0012     Debit Note voucher, negative: a purchase return -> credit
    Row 10 cash purchase without GSTIN (unregistered)
    Row 11 Grand Total (skipped)
    """
    header = ["Date", "Particulars", "Voucher Type", "Voucher No.", "Supplier Invoice No.",
              "Supplier Invoice Date", "GSTIN/UIN", "Gross Total", "Purchase @18%",
              "Purchase @5%", "Input CGST 9%", "Input SGST 9%", "Input CGST 2.5%",
              "Input SGST 2.5%", "Input IGST 18%", "Input Cess", "Round Off"]
    b_typed = (B[:7] + " " + B[7:]).lower()
    rows = [
        ["Mehta Industries Pvt Ltd"], ["Purchase Register"], ["1-Apr-2025 to 31-Mar-2026"], [],
        header,
        [date(2026, 3, 2), A_NAME, "Purchase", 101, "MC/25-26/0451", date(2026, 3, 1), A,
         118000, 100000, None, 9000, 9000, None, None, None, None, None],
        [date(2026, 3, 5), A_NAME, "Purchase", 102, "MC/25-26/0460", "5-Mar-26", A,
         68200, 40000, 20000, 3600, 3600, 500, 500, None, None, 0],
        [date(2026, 3, 7), B_NAME, "Purchase", 103, "TT-2026-0093", date(2026, 3, 6), b_typed,
         59000, 50000, None, None, None, None, None, 9000, None, None],
        [date(2026, 3, 10), A_NAME, "Debit Note", 104, "MC/CN/0012", date(2026, 3, 9), A,
         -11800, -10000, None, -900, -900, None, None, None, None, None],
        [date(2026, 3, 12), "Cash", "Purchase", 105, "C-77", date(2026, 3, 12), None,
         1050, None, 1000, None, None, 25, 25, None, None, None],
        [None, "Grand Total", None, None, None, None, None, 234450, 180000, 21000, 11700,
         11700, 525, 525, 9000, None, 0],
    ]
    return _xlsx(folder / name, {"Purchase Register": rows}, date_format="d-mmm-yy")


GSTR2_HEADER = ["GSTIN of Supplier", "Invoice Number", "Invoice date", "Invoice Value",
                "Place Of Supply", "Reverse Charge", "Invoice Type", "Rate", "Taxable Value",
                "Integrated Tax Paid", "Central Tax Paid", "State/UT Tax Paid", "Cess Paid",
                "Eligibility For ITC", "Availed ITC Integrated Tax", "Availed ITC Central Tax",
                "Availed ITC State/UT Tax", "Availed ITC Cess"]


def write_gstr2(folder, name="gstr2.xlsx"):
    """Government GSTR-2 offline template: summary rows 1-3, header row 4, one row per rate.

    A  MC/25-26/0451 rows 5-6 (18% and 5%): taxable 1,10,000, CGST = SGST 9,250, value 1,28,500
    B  TT-2026-0093  rows 7-8 (12% and 28% + cess): taxable 25,000, IGST 3,800, cess 500
    C  GJ/101        row 9: taxable 1,000, IGST 180
    Sheet cdnr holds one credit note (C, "C") and looks like a register too.
    """
    summary = [["Summary For B2B(3)"],
               ["No. of Suppliers", "", "No. of Invoices", "", "Total Invoice Value", "", "",
                "", "Total Taxable Value", "Total Integrated Tax Paid",
                "Total Central Tax Paid", "Total State/UT Tax Paid", "Total Cess"],
               [3, "", 3, "", 158980, "", "", "", 136000, 3980, 9250, 9250, 500]]
    pos = "27-Maharashtra"
    b2b = summary + [GSTR2_HEADER,
        [A, "MC/25-26/0451", "01-Mar-2026", 128500, pos, "N", "Regular", 18, 100000, 0, 9000,
         9000, 0, "Inputs", 0, 9000, 9000, 0],
        [A, "MC/25-26/0451", "01-Mar-2026", 128500, pos, "N", "Regular", 5, 10000, 0, 250, 250,
         0, "Inputs", 0, 250, 250, 0],
        [B, "TT-2026-0093", "06-Mar-2026", 29300, pos, "N", "Regular", 12, 20000, 2400, 0, 0,
         0, "Inputs", 2400, 0, 0, 0],
        [B, "TT-2026-0093", "06-Mar-2026", 29300, pos, "N", "Regular", 28, 5000, 1400, 0, 0,
         500, "Inputs", 1400, 0, 0, 500],
        [C, "GJ/101", "07-Mar-2026", 1180, pos, "N", "Regular", 18, 1000, 180, 0, 0, 0,
         "Capital goods", 180, 0, 0, 0],
    ]
    cdnr = [["Summary For CDNR(6C)"], [], [],
            ["GSTIN of Supplier", "Note/Refund Voucher Number", "Note/Refund Voucher date",
             "Invoice/Advance Payment Voucher Number", "Invoice/Advance Payment Voucher date",
             "Pre GST", "Document Type", "Reason For Issuing document", "Supply Type",
             "Note/Refund Voucher Value", "Rate", "Taxable Value", "Integrated Tax Paid",
             "Central Tax Paid", "State/UT Tax Paid", "Cess Paid"],
            [C, "GJ/CN/7", "10-Mar-2026", "GJ/101", "07-Mar-2026", "N", "C",
             "01-Sales Return", "Inter State", 118, 18, 100, 18, 0, 0, 0]]
    b2bur = [["Summary For B2BUR(4B)"], [], [],
             ["Supplier Name", "Invoice Number", "Invoice date", "Invoice Value"]]
    return _xlsx(folder / name, {"b2b": b2b, "b2bur": b2bur, "cdnr": cdnr})


def write_zoho(folder, name="zoho.xlsx"):
    """Zoho Books bill export (openpyxl): item lines, letter state codes, one tax column.

    BL-0001 (A, MH->MH): two item lines, taxable 15,000, GST18 -> CGST = SGST 1,350, total 17,700
    KT/778  (B, KA->MH): taxable 8,000, IGST18 -> IGST 1,440, total 9,440
    """
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "Bills"
    ws.append(["Bill Date", "Bill Number", "Bill Status", "Vendor Name", "GST Treatment",
               "GST Identification Number (GSTIN)", "Source of Supply",
               "Destination of Supply", "Item Name", "Quantity", "Rate", "Item Total",
               "Item Tax", "Item Tax %", "Item Tax Amount", "Total"])
    ws.append(["2026-03-05", "BL-0001", "Open", A_NAME, "business_gst", A, "MH", "MH",
               "Steel rods", 10, 1000, 10000, "GST18", 18, 1800, 17700])
    ws.append(["2026-03-05", "BL-0001", "Open", A_NAME, "business_gst", A, "MH", "MH",
               "Bolts", 100, 50, 5000, "GST18", 18, 900, 17700])
    ws.append([datetime(2026, 3, 6), "KT/778", "Paid", B_NAME, "business_gst", B, "KA", "MH",
               "Cement", 20, 400, 8000, "IGST18", 18, 1440, 9440])
    wb.save(folder / name)
    return folder / name


def write_busy(folder, name="busy.xlsx"):
    """Busy purchase register: title rows, text dates, `Vch Type` with a purchase return.

    GT/1001   A  taxable 20,000  CGST = SGST 1,800   (05-03-2026)
    KT-55     B  taxable 5,000   IGST 900           (06/03/2026)
    GT/1001-R A  Purchase Return, positive amounts -> credit (08.03.2026)
    """
    rows = [["Shree Ganesh Traders"], ["Purchase Register"],
            ["From 01-03-2026 to 31-03-2026"],
            ["Date", "Vch/Bill No", "Vch Type", "Particulars", "GSTIN", "Purc Type",
             "Taxable Amt", "CGST Input", "SGST Input", "IGST Input", "Cess on GST Input",
             "Bill Amount"],
            ["05-03-2026", "GT/1001", "Purchase", A_NAME, A, "L/GST-18%", 20000, 1800, 1800,
             0, 0, 23600],
            ["06/03/2026", "KT-55", "Purchase", B_NAME, B, "I/GST-18%", 5000, 0, 0, 900, 0,
             5900],
            ["08.03.2026", "GT/1001-R", "Purchase Return", A_NAME, A, "L/GST-18%", 2000, 180,
             180, 0, 0, 2360],
            ["", "", "", "Total", "", "", 27000, 1980, 1980, 900, 0, 31860]]
    return _xlsx(folder / name, {"Purchase Register": rows})


def write_erpnext(folder, name="erpnext.xlsx"):
    """ERPNext (india-compliance) GST Purchase Register, account-head tax columns.

    row 2 A  MC/25-26/0470  taxable 50,000 CGST = SGST 4,500
    row 3 B  TT-2026-0101   no bill date -> posting date used, with a warning
    row 4 A  MC/CN/0013     return: negative amounts -> credit
    row 5 C  GJ/205         CGST+SGST from Gujarat to a Maharashtra company -> warning
    row 6 B  TT-RCM-9       Is Reverse Charge = Yes
    """
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "GST Purchase Register"
    ws.append(["Invoice", "Posting Date", "Supplier Id", "Supplier Name", "Bill No",
               "Bill Date", "Supplier GSTIN", "Company GSTIN", "Is Reverse Charge",
               "GST Category", "Net Total", "Input Tax CGST - MI", "Input Tax SGST - MI",
               "Input Tax IGST - MI", "Total Tax", "Grand Total", "Rounded Total"])
    ws.append(["ACC-PINV-2026-00011", datetime(2026, 3, 4), "SUP-0001", A_NAME,
               "MC/25-26/0470", datetime(2026, 3, 3), A, COMPANY, "No", "Registered Regular",
               50000, 4500, 4500, 0, 9000, 59000, 59000])
    ws.append(["ACC-PINV-2026-00012", datetime(2026, 3, 8), "SUP-0002", B_NAME,
               "TT-2026-0101", None, B, COMPANY, "No", "Registered Regular", 10000, 0, 0,
               1800, 1800, 11800, 11800])
    ws.append(["ACC-PINV-RET-2026-00001", datetime(2026, 3, 9), "SUP-0001", A_NAME,
               "MC/CN/0013", datetime(2026, 3, 9), A, COMPANY, "No", "Registered Regular",
               -5000, -450, -450, 0, -900, -5900, -5900])
    ws.append(["ACC-PINV-2026-00013", datetime(2026, 3, 10), "SUP-0003", C_NAME, "GJ/205",
               datetime(2026, 3, 10), C, COMPANY, "No", "Registered Regular", 2000, 180, 180,
               0, 360, 2360, 2360])
    ws.append(["ACC-PINV-2026-00014", datetime(2026, 3, 11), "SUP-0002", B_NAME, "TT-RCM-9",
               datetime(2026, 3, 11), B, COMPANY, "Yes", "Registered Regular", 3000, 0, 0,
               540, 540, 3540, 3540])
    wb.save(folder / name)
    return folder / name


GENERIC_HEADER = ["GSTIN", "Supplier", "Bill No", "Bill Date", "Type", "Taxable Value",
                  "IGST", "CGST", "SGST", "Cess", "Invoice Value", "Place of Supply"]


def write_generic_csv(folder, name="generic.csv", rows=None):
    """A CA-template CSV as people type it (line numbers as a spreadsheet shows them):

    line 2  A (lower case, spaced)  mc/25-26/0451  ₹1,00,000.00 Dr, CGST = SGST 9,000
    line 3  B  TT-2026-0093  5/3/26  25,000 / IGST 4,500, POS "27-Maharashtra"
    line 4  blank
    line 5  A  MC/CN/0012    Credit Note, (10,000.00) and "900.00 Cr"
    line 6  C  GJ/101        05.03.2026, POS 24 = supplier state but IGST booked
    line 7  Sub Total        (skipped)
    line 8  A  MC-25-26-0451 5-Mar-2026: the same bill as line 2 booked again
    line 9  A  MC/24-25/0099 15-06-2024: past the s.16(4) time limit
    line 10 BAD GSTIN        INV-9
    line 11 A  2.025E+15     a long number saved in scientific notation
    """
    a_typed = (A[:7] + " " + A[7:]).lower()
    rows = rows or [
        GENERIC_HEADER,
        [f" {a_typed} ", A_NAME, "mc/25-26/0451", "05-03-2026", "Purchase", "₹1,00,000.00 Dr",
         "0", "9,000.00", "9,000.00", "", "Rs. 1,18,000.00", "27"],
        [B, B_NAME, "TT-2026-0093", "5/3/26", "Purchase", "25,000", "4,500.00", "-", "-", "",
         "INR 29,500", "27-Maharashtra"],
        [],
        [A, A_NAME, "MC/CN/0012", "2026-03-07", "Credit Note", "(10,000.00)", "", "900.00 Cr",
         "900.00 Cr", "", "11,800.00 Cr", "MH"],
        [C, C_NAME, "GJ/101", "05.03.2026", "Purchase", "1,000", "180", "", "", "", "1,180",
         "24"],
        ["", "Sub Total", "", "", "", "1,36,000.00", "4,680.00", "8,100.00", "8,100.00", "",
         "", ""],
        [A, A_NAME, "MC-25-26-0451", "5-Mar-2026", "Purchase", "1,00,000.00", "", "9,000.00",
         "9,000.00", "", "1,18,000.00", "27"],
        [A, A_NAME, "MC/24-25/0099", "15-06-2024", "Purchase", "10,000", "", "900", "900", "",
         "11,800", "27"],
        [BAD, "Typo Traders", "INV-9", "06-03-2026", "Purchase", "500", "", "45", "45", "",
         "590", "27"],
        [A, A_NAME, "2.025E+15", "06-03-2026", "Purchase", "700", "", "63", "63", "", "826",
         "27"],
    ]
    path = folder / name
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path
