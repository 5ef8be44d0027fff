"""Files that cannot be read: one clear RegisterFormatError naming the file, never a traceback."""

from __future__ import annotations

import shutil

import pytest

import books_layouts
from ims_xl.register import read_register
from ims_xl.model.errors import ImsXlError, RegisterFormatError


def refused(path, **kwargs) -> RegisterFormatError:
    with pytest.raises(RegisterFormatError) as info:
        read_register(path, **kwargs)
    error = info.value
    assert isinstance(error, ImsXlError)                  # the CLI prints these, exit 1
    assert path.name in str(error)
    return error


def test_no_recognisable_header(tmp_path):
    path = books_layouts._xlsx(tmp_path / "contacts.xlsx", {"Sheet1": [
        ["Name", "Phone", "City"], ["Ravi", "98200 00000", "Pune"]]})
    message = str(refused(path))
    assert "no header row found" in message
    assert "'Name', 'Phone', 'City'" in message           # what we saw, to compare


def test_empty_sheet(tmp_path):
    path = books_layouts._xlsx(tmp_path / "empty.xlsx", {"Purchase Register": []})
    assert "'Purchase Register' is empty" in str(refused(path))


def test_empty_csv_and_zero_byte_file(tmp_path):
    (tmp_path / "blank.csv").write_text("\n\n", encoding="utf-8")
    assert "empty" in str(refused(tmp_path / "blank.csv"))
    (tmp_path / "nothing.xlsx").write_bytes(b"")
    assert "empty (0 bytes)" in str(refused(tmp_path / "nothing.xlsx"))


def test_text_in_an_amount_column_names_file_row_and_column(tmp_path):
    rows = [books_layouts.GENERIC_HEADER,
            [books_layouts.A, books_layouts.A_NAME, "MC/1", "05-03-2026", "Purchase", "1,000", "",
             "90", "90", "", "1,180", "27"],
            [books_layouts.B, books_layouts.B_NAME, "TT/2", "05-03-2026", "Purchase", "2,000",
             "see bill", "", "", "", "2,360", "27"]]
    error = refused(books_layouts.write_generic_csv(tmp_path, "march.csv", rows))
    assert (error.row, error.field) == (3, "IGST")
    assert "'see bill' is not an amount" in str(error)
    assert str(error).startswith("file march.csv, row 3, field 'IGST'")


def test_every_bad_cell_is_listed_once(tmp_path):
    rows = [books_layouts.GENERIC_HEADER] + [
        [books_layouts.A, books_layouts.A_NAME, f"MC/{n}", "31-02-2026" if n == 2 else "05-03-2026",
         "Purchase", "x" if n % 2 else "100", "", "9", "9", "", "118", "27"] for n in range(1, 25)]
    message = str(refused(books_layouts.write_generic_csv(tmp_path, "many.csv", rows)))
    assert "row 3 [Bill Date] '31-02-2026' is not a valid date" in message
    assert "and 3 more" in message                    # 12 bad amounts + 1 date; 10 quoted


def test_password_protected_workbook(tmp_path):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = books_layouts.write_busy(tmp_path)
    locked = tmp_path / "locked.xlsx"
    with open(plain, "rb") as src, open(locked, "wb") as out:
        ooxml.OOXMLFile(src).encrypt("secret", out)
    assert "password-protected" in str(refused(locked))


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_corrupt_workbook(tmp_path, damage):
    path = tmp_path / "register.xlsx"
    if damage == "garbage":
        path.write_bytes(b"PK\x03\x04" + b"\x00\x13garbage" * 50)
    else:
        data = books_layouts.write_tally(tmp_path, "good.xlsx").read_bytes()
        path.write_bytes(data[: len(data) // 2])
    assert "damaged or not a spreadsheet" in str(refused(path))


def test_web_page_saved_as_xls(tmp_path):
    path = tmp_path / "register.xls"
    path.write_text("<html><body><table><tr><td>GSTIN</td></tr></table></body></html>")
    message = str(refused(path))
    assert "web page (HTML)" in message and "Save As" in message


@pytest.mark.parametrize("suffix", [".xlsm", ".xls"])
def test_xlsm_and_xlsx_named_xls_read(tmp_path, suffix):
    """Calamine chooses its reader by extension; a .xls that is really .xlsx is retried by
    content."""
    renamed = tmp_path / f"tally{suffix}"
    shutil.copy(books_layouts.write_tally(tmp_path), renamed)
    assert len(read_register(renamed).entries) == 5


def test_required_column_missing_says_which_and_lists_headers(tmp_path):
    path = books_layouts._xlsx(tmp_path / "nodate.xlsx", {"Sheet1": [
        ["GSTIN", "Party", "Bill No", "Taxable Value", "IGST"],
        [books_layouts.B, books_layouts.B_NAME, "TT/1", 100, 18]]})
    error = refused(path)
    assert error.field == "Document Date" and error.row == 1
    assert "no column for Document Date" in str(error)
    assert "'GSTIN', 'Party', 'Bill No', 'Taxable Value', 'IGST'" in str(error)


def test_no_amount_column(tmp_path):
    path = books_layouts._xlsx(tmp_path / "noamount.xlsx", {"Sheet1": [
        ["GSTIN", "Bill No", "Bill Date", "Remarks"],
        [books_layouts.B, "TT/1", "05-03-2026", "ok"]]})
    assert "Taxable Value or a tax" in str(refused(path))


def test_unknown_sheet_lists_the_sheets(tmp_path):
    message = str(refused(books_layouts.write_gstr2(tmp_path), sheet="B2B Mar"))
    assert "no sheet named 'B2B Mar'" in message and "b2b, b2bur, cdnr" in message


def test_missing_file(tmp_path):
    with pytest.raises(RegisterFormatError, match="file not found"):
        read_register(tmp_path / "nope.xlsx")
