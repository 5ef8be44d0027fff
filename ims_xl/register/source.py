"""Open a register file as sheets of rows: `.xlsx`/`.xlsm`/`.xlsb`/`.xls`/`.ods` through
python-calamine (whole sheets at once, never cell by cell), `.csv`/`.txt` through `csv`.

Rows are A1-based lists (row index 0 is spreadsheet row 1), so row numbers in messages match
what the user sees. Files that cannot be opened raise `RegisterFormatError` saying why and
what to do: password-protected, corrupt, HTML saved as `.xls`, empty.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..model.errors import RegisterFormatError

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
_CFB = bytes.fromhex("D0CF11E0A1B11AE1")             # OLE2: .xls, or an encrypted .xlsx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")     # stream name inside an encrypted OOXML


class Source:
    """One opened register file: its sheet names, a quick look at the top, whole sheets."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.file = self.path.name
        self._csv: list[list] | None = None
        self._book: Any = None
        self._sheets: dict = {}
        if not self.path.is_file():
            raise RegisterFormatError("file not found", file=str(self.path))
        if self.path.stat().st_size == 0:
            raise RegisterFormatError("the file is empty (0 bytes)", file=self.file)
        if self.path.suffix.lower() in TEXT_SUFFIXES:
            self._csv = read_csv(self.path)
            self.sheet_names = [self.file]
        else:
            self._book = _open_workbook(self.path)
            from python_calamine import SheetTypeEnum
            self.sheet_names = [m.name for m in self._book.sheets_metadata
                                if m.typ == SheetTypeEnum.WorkSheet]   # not chart sheets

    def head(self, name: str, n: int) -> list[list]:
        if self._csv is not None:
            return self._csv[:n]
        return self._sheet(name).to_python(skip_empty_area=False, nrows=n)

    def rows(self, name: str) -> list[list]:
        if self._csv is not None:
            return self._csv
        return self._sheet(name).to_python(skip_empty_area=False)

    def _sheet(self, name: str) -> Any:
        if name not in self._sheets:
            try:
                self._sheets[name] = self._book.get_sheet_by_name(name)
            except Exception as e:    # calamine's own error types: a damaged sheet part
                raise RegisterFormatError(f"sheet {name!r} cannot be read ({e})",
                                          file=self.file) from None
        return self._sheets[name]


def _open_workbook(path: Path) -> Any:
    from python_calamine import CalamineWorkbook, PasswordError
    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise _password(path) from None
    except Exception as first:
        try:      # calamine picks the reader by extension; a .xls that is really .xlsx works
            with open(path, "rb") as f:
                return CalamineWorkbook.from_filelike(f)
        except Exception:
            raise _diagnose(path, first) from None


def _password(path: Path) -> RegisterFormatError:
    return RegisterFormatError(
        "the workbook is password-protected; open it in Excel, remove the password "
        "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and "
        "import again", file=path.name)


def _diagnose(path: Path, error: Exception) -> RegisterFormatError:
    """Say what the file really is, from its first bytes."""
    data = path.read_bytes()
    if data[:8] == _CFB and _ENCRYPTED in data:
        return _password(path)
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start[:1] == b"<":
        what = "an XML spreadsheet" if b"<?xml" in start else "a web page (HTML)"
        return RegisterFormatError(
            f"the file is {what} saved with a {path.suffix} name, not a real Excel workbook; "
            "open it in Excel and use Save As > Excel Workbook (.xlsx)", file=path.name)
    return RegisterFormatError(
        f"cannot be read as an Excel workbook: it is damaged or not a spreadsheet ({error}); "
        "open it in Excel and save it again, or export the register as .xlsx or .csv",
        file=path.name)


def read_csv(path: Path) -> list[list]:
    """All rows of a CSV as text; encoding and delimiter guessed (Excel saves ANSI, `;`)."""
    data = path.read_bytes()
    for encoding in (*_utf16(data), "utf-8-sig", "cp1252", "latin-1"):
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\0" in content[:4096]:
        raise RegisterFormatError("the file is not text (is it a workbook saved as .csv?); "
                                  "open it in Excel and save it as .xlsx", file=path.name)
    delimiter = _delimiter(content)
    plain = _plain_rows(content, delimiter)
    if plain is not None:
        return plain
    rows = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        return list(rows)
    except csv.Error as e:               # a field past csv's 128 KB limit: not a register cell
        raise RegisterFormatError(f"cannot be read as CSV ({e})", file=path.name,
                                  row=rows.line_num) from None


def _plain_rows(content: str, delimiter: str) -> list[list] | None:
    """The rows `csv.reader` gives for a CSV with no quote at all (the usual export), split
    in bulk at the half of its time; None when `csv` has to read it: a quote, a NUL, a lone
    CR (a line break to `csv`) or a line longer than its field limit (an error there)."""
    if '"' in content or "\0" in content:
        return None
    text = content.replace("\r\n", "\n")
    if "\r" in text:
        return None
    lines = text.split("\n")
    if lines[-1] == "":                 # the last line's break ends no row
        lines.pop()
    if max(map(len, lines), default=0) > csv.field_size_limit():
        return None
    return [line.split(delimiter) if line else [] for line in lines]


def _utf16(data: bytes) -> tuple[str, ...]:
    """Excel's "Unicode Text" save is UTF-16 (with a byte-order mark; tab-separated)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return ("utf-16",)
    head = data[:4096]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:    # ASCII text, no mark
        return ("utf-16-le",)
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return ("utf-16-be",)
    return ()


def _delimiter(content: str) -> str:
    """The separator that splits the first lines into the same number of fields most often.

    Excel in many locales saves `;`; amounts such as `1,18,000.00` put commas inside fields,
    and title lines above the header have no separator at all, so plain counting misleads.
    """
    lines = content[:16384].splitlines()[:30]

    def steady(d: str) -> int:
        widths = [len(r) for r in csv.reader(lines, delimiter=d) if len(r) > 1]
        return max((widths.count(w) for w in set(widths)), default=0)

    return max(",;\t|", key=steady)        # ties (and no separator at all) keep ","
