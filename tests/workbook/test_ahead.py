"""A fresh month's sheets partly written ahead, on the other core (`workbook/ahead.py`), and
its register read there, make the very workbook that laying every row out in one process
makes, odd texts included; and when the child cannot help, the rows are laid out here."""

import json
import os
import subprocess
import sys
import zipfile
from contextlib import ExitStack
from datetime import date, datetime
from decimal import Decimal

import pytest

from ims_xl.files.aside import CAN_FORK
from ims_xl.month import pipeline
from ims_xl.portal.upload import dumps
from ims_xl.testdata.generate import make_case, write_books_csv
from ims_xl.workbook import ahead, writer
from ims_xl.workbook.ahead import _write_ahead
from ims_xl.workbook.build.sheetdata import PartlyWritten
from ims_xl.model.section import SECTIONS
from tests.safety.helpers import type_work, work_in

pytestmark = pytest.mark.skipif(not CAN_FORK, reason="written ahead only where fork is safe")


@pytest.fixture(autouse=True)
def small_months_too(monkeypatch):
    """These months are small; a real one is written ahead from `ahead.AT_LEAST` rows."""
    monkeypatch.setattr(ahead, "AT_LEAST", 1)

NOW = datetime(2026, 4, 11, 10, 30)
# Texts that take every path of the cell writer: escaping, edge spaces, control characters,
# OOXML look-alikes, line breaks, text beyond ASCII, a lone surrogate from a JSON escape
ODD = ["A & B <Traders>", " leading", "trailing ", "tab\there", "ctl\x01char", "_x0041_",
       "two\nlines", "ಕನ್ನಡ ₹", "\ud83d alone", "=SUM(A1)"]
LONE = "\ud83d"


def _month(folder, n=1_234):          # past two batches of 500, the last one partial
    case = make_case(n, seed=3, perturb={"missing": 0.1, "amount_diff": 0.1})
    i = 0
    for records in case.download["imsDetails"].values():
        for raw in records:
            raw["trdnm"] = ODD[i % len(ODD)] + raw.get("trdnm", "")
            i += 1
    for k, row in enumerate(case.books):
        row["Supplier"] = ODD[k % len(ODD)].replace(LONE, "") + row["Supplier"]
    # findings of the books checks, which the Purchase sheet's process runs when written ahead
    case.books.append(dict(case.books[0]))                          # booked twice
    gstin = case.books[1]["GSTIN"]
    case.books[1]["GSTIN"] = gstin[:-1] + ("B" if gstin[-1] == "A" else "A")   # check character
    ims, books = folder / "ims.json", folder / "books.csv"
    ims.write_text(dumps(case.download).replace(LONE, "\\ud83d"))   # as the portal escapes it
    write_books_csv(case.books, books)
    return ims, books


def _parts(path):
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _written(folder, name, ahead_: bool, **kwargs):
    """The month's (IMS rows, Purchase rows) and workbook parts, written as the command
    writes it: the children written ahead live until the workbook is written."""
    ims, books = folder / "ims.json", folder / "books.csv"
    with ExitStack() as stack:
        data, _ = pipeline._client([ims], books, now=NOW, ahead=stack if ahead_ else None,
                                   **kwargs)
        out = writer.write_workbook(folder / name, data)
    return (data.ims_rows, data.purchase_rows), _parts(out)


def _laid_out_here(table) -> bool:
    return isinstance(table, list) or table.laid_out.cache_info().currsize > 0


def test_sheets_written_ahead_are_the_sheets_laid_out_here(tmp_path):
    ims, _ = _month(tmp_path)
    sections = json.loads(ims.read_text())["imsDetails"]
    # each section's row layout goes through the child
    assert {code for code, records in sections.items() if records} == set(SECTIONS)
    (ims_rows, purchase_rows), fast = _written(tmp_path, "ahead.xlsm", True)
    for table in (ims_rows, purchase_rows):        # the child's cells, none laid out here
        assert isinstance(table, PartlyWritten) and table.laid_out.cache_info().currsize == 0
    _, whole = _written(tmp_path, "whole.xlsm", False)
    assert fast.keys() == whole.keys()
    for name in whole:              # every sheet (the Summary too), byte for byte
        assert fast[name] == whole[name], name
    assert "A &amp; B &lt;Traders&gt;".encode() in whole["xl/worksheets/sheet2.xml"]
    purchase = whole["xl/worksheets/sheet3.xml"]
    assert purchase.count(b"booked more than once") == 2 and b"check character" in purchase


def test_records_texts_cut_from_a_portal_file_write_the_same_sheets(tmp_path, monkeypatch):
    """A file written as the portal writes it (compact, no escapes): the hidden Downloaded
    Record texts are cut from it (`portal.record_text`), ahead and here, and the workbook is
    the one written from the parsed records."""
    from ims_xl.portal.download import read_ims
    from ims_xl.portal.record_text import own_texts
    case = make_case(1_234, seed=3, perturb={"missing": 0.1, "amount_diff": 0.1})
    ims, books = tmp_path / "ims.json", tmp_path / "books.csv"
    ims.write_text(dumps(case.download))
    write_books_csv(case.books, books)
    assert len(own_texts(read_ims([ims]).sources)) == 1_234
    _, fast = _written(tmp_path, "ahead.xlsx", True)
    _, whole = _written(tmp_path, "whole.xlsx", False)
    assert fast == whole
    monkeypatch.setattr(pipeline, "own_texts", lambda sources: {})  # each written again
    _, written = _written(tmp_path, "written.xlsx", False)
    assert written == whole


def test_the_register_is_read_by_the_purchase_sheets_process_and_handed_back(tmp_path,
                                                                              monkeypatch):
    """The register is read on the other core while the download is read here; that
    process hands it back, then writes the Purchase sheet. The month is the one worked out
    in one process, the books checks' findings included."""
    from ims_xl.register import reader
    _month(tmp_path, n=300)
    read_by = tmp_path / "read_by"
    real = reader._read

    def recorded(*args):
        read_by.write_text(str(os.getpid()))
        return real(*args)
    monkeypatch.setattr(reader, "_read", recorded)
    (_, purchase_rows), fast = _written(tmp_path, "ahead.xlsx", True)
    assert int(read_by.read_text()) != os.getpid()
    assert not _laid_out_here(purchase_rows)
    _, whole = _written(tmp_path, "whole.xlsx", False)
    assert int(read_by.read_text()) == os.getpid()
    assert fast == whole
    assert b"booked more than once" in whole["xl/worksheets/sheet3.xml"]


def test_the_records_columns_for_matching_come_from_the_ims_sheets_process(tmp_path,
                                                                           monkeypatch):
    """The IMS sheet's process works out the records' columns for matching first and hands
    them back (`columns.ims_side`); the month is the one worked out here."""
    from ims_xl.reconcile import columns, sides
    _month(tmp_path, n=300)
    made_by = tmp_path / "made_by"
    real = columns.ims_side

    def recorded(records):
        made_by.write_text(str(os.getpid()))
        return real(records)
    monkeypatch.setattr(columns, "ims_side", recorded)     # the IMS sheet's process's
    monkeypatch.setattr(sides, "ims_side", recorded)       # matching's, in one process
    _, fast = _written(tmp_path, "ahead.xlsx", True)
    assert int(made_by.read_text()) != os.getpid()
    _, whole = _written(tmp_path, "whole.xlsx", False)
    assert int(made_by.read_text()) == os.getpid()
    assert fast == whole


_FRESH_RUN = """
import sys
from ims_xl.month import pipeline
from ims_xl.workbook import ahead
ahead.AT_LEAST = 1
real, seen = ahead.ims_sheet_ahead, []
def spied(*args, **kwargs):
    seen.append("pandas" in sys.modules)
    return real(*args, **kwargs)
ahead.ims_sheet_ahead = spied
ims, books, out = sys.argv[1:]
list(pipeline.reconcile_files([ims], books, out))
print(seen, "pandas" in sys.modules)
"""


def test_the_ims_sheets_process_starts_before_pandas_is_loaded(tmp_path):
    """A fresh program forks the IMS sheet's process before loading pandas (0.4 s of this
    process's time, which that process would wait for); pandas comes in for matching."""
    ims, books = _month(tmp_path, n=300)
    done = subprocess.run([sys.executable, "-c", _FRESH_RUN, str(ims), str(books),
                           str(tmp_path / "out.xlsx")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[False]", "True"]


_MISSING = [None, "a", float("nan"), "", "a", Decimal("NaN"), date(2026, 4, 1), None, "b"]


def test_missing_values_fold_alike_with_and_without_pandas():
    """The IMS sheet's process, without pandas, folds missing values (None, NaN) into ""
    as matching does here with pandas."""
    from ims_xl.reconcile.columns import factorize
    codes, uniques = factorize(_MISSING)
    code = ("import datetime; from decimal import Decimal; import sys; "
            "from ims_xl.reconcile.columns import factorize; "
            f"c, u = factorize({_MISSING!r}); "
            "print(c.tolist(), u, 'pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code.replace("nan", "float('nan')")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{codes.tolist()} {uniques} False"
    assert codes.tolist() == [0, 1, 0, 0, 1, 0, 2, 0, 3]


def test_the_purchase_sheets_cells_are_made_once_the_ims_sheets_process_has_ended(
        tmp_path, monkeypatch):
    """The IMS sheet is written first, so its process has the second core to itself: the
    register's process, once told our GSTIN, makes its cells only after that process has
    ended. Sharing the core made the run 0.5 s slower at 100,000 records."""
    import time
    _month(tmp_path)                       # three batches of IMS rows
    marks = tmp_path / "marks"
    real_ims, real_purchase = ahead.ims_columns, ahead.purchase_columns

    def mark(what: str) -> None:
        with open(marks, "a") as f:
            f.write(f"{what} {time.monotonic()}\n")

    def slow_ims(records, own, floats):    # 0.3 s a batch: on after our GSTIN is said
        time.sleep(0.3)
        got = real_ims(records, own, floats)
        mark("ims")
        return got

    def purchase(entries, spelled):
        mark("purchase")
        return real_purchase(entries, spelled)
    monkeypatch.setattr(ahead, "ims_columns", slow_ims)
    monkeypatch.setattr(ahead, "purchase_columns", purchase)
    (ims_rows, purchase_rows), _ = _written(tmp_path, "ahead.xlsx", True)
    assert not _laid_out_here(ims_rows) and not _laid_out_here(purchase_rows)
    marked = [line.split() for line in marks.read_text().splitlines()]
    ims_ends = max(float(t) for what, t in marked if what == "ims")
    assert min(float(t) for what, t in marked if what == "purchase") > ims_ends


def test_a_register_that_cannot_be_read_says_so_as_when_read_here(tmp_path):
    """The register's error comes back from the process that read it, word for word."""
    from ims_xl.model.errors import ImsXlError
    ims, books = _month(tmp_path, n=60)
    header, first, rest = books.read_text().split("\n", 2)
    cells = first.split(",")
    cells[header.split(",").index("Bill Date")] = "31-31-2026"
    books.write_text("\n".join([header, ",".join(cells), rest]))
    said = []
    for ahead_ in (True, False):
        with pytest.raises(ImsXlError) as e:
            _written(tmp_path, f"bad{ahead_}.xlsx", ahead_)
        said.append(str(e.value))
    assert said[0] == said[1] and "31-31-2026" in said[0] and "row 2" in said[0]
    assert not list(tmp_path.glob("bad*.xlsx"))


def test_the_purchase_rows_are_waited_for_only_when_the_sheet_is_written(tmp_path,
                                                                         monkeypatch):
    """The process writing the Purchase sheet may still be at it when matching ends; the
    month is laid out and summed up meanwhile, and its cells are taken when the sheet is
    written."""
    import time
    _month(tmp_path)                       # three batches of Purchase rows
    real = ahead.purchase_columns

    def slow(entries, spelled):          # after the register is handed back
        time.sleep(1)
        return real(entries, spelled)
    monkeypatch.setattr(ahead, "purchase_columns", slow)
    ims, books = tmp_path / "ims.json", tmp_path / "books.csv"
    with ExitStack() as stack:
        start = time.monotonic()
        data, _ = pipeline._client([ims], books, now=NOW, ahead=stack)
        assert time.monotonic() - start < 2             # not waited for yet
        got = _parts(writer.write_workbook(tmp_path / "late.xlsx", data))
        assert time.monotonic() - start > 3             # ... but then
    assert not _laid_out_here(data.purchase_rows)
    monkeypatch.setattr(ahead, "purchase_columns", real)
    assert got == _written(tmp_path, "whole.xlsx", False)[1]


@pytest.mark.skipif(not ahead.CAN_PACK, reason="rows deflated ahead need ISA-L")
def test_the_rows_deflated_by_their_process_are_copied_into_the_workbook(tmp_path):
    """Once matching sends the cells it fills in, each sheet's process puts them in its rows
    and deflates them; the writer copies those bytes between its own header and footer.
    The sheets inflate to those laid out here, CRC-32 checked (`ZipFile.read`)."""
    _month(tmp_path)
    (ims_rows, purchase_rows), fast = _written(tmp_path, "packed.xlsx", True)
    for table in (ims_rows, purchase_rows):
        assert not _laid_out_here(table) and table.packed() is not None
    with zipfile.ZipFile(tmp_path / "packed.xlsx") as z:
        assert z.testzip() is None
    _, whole = _written(tmp_path, "whole.xlsx", False)
    assert fast == whole


@pytest.mark.skipif(not ahead.CAN_PACK, reason="rows deflated ahead need ISA-L")
def test_a_child_that_fails_to_deflate_leaves_its_rows_to_be_deflated_here(tmp_path,
                                                                         monkeypatch):
    """Its rows, written, are still used: filled in and deflated here, not laid out again."""
    from ims_xl.workbook.build import package
    _month(tmp_path, n=700)

    def broken(batches, out):
        raise OSError("disk full")
    monkeypatch.setattr(package, "pack", broken)
    (ims_rows, purchase_rows), got = _written(tmp_path, "unpacked.xlsx", True)
    for table in (ims_rows, purchase_rows):
        assert not _laid_out_here(table) and table.packed() is None
    monkeypatch.undo()
    assert got == _written(tmp_path, "whole.xlsx", False)[1]


def test_result_json_is_made_here_while_the_sheets_are_deflated_there(tmp_path,
                                                                       monkeypatch):
    """With both data sheets deflated on the other core, RESULT.json is made by this
    process, which would otherwise wait; else by a child while this one writes the
    workbook. The files are the same either way."""
    ims, books = _month(tmp_path, n=700)
    forked = []
    real = pipeline.written_aside

    def counted(*args, **kwargs):
        forked.append(args[1])
        return real(*args, **kwargs)
    monkeypatch.setattr(pipeline, "written_aside", counted)

    class Now(datetime):                   # the Log's stamp: the same minute for both runs
        @classmethod
        def now(cls, tz=None):
            return NOW
    monkeypatch.setattr(pipeline, "datetime", Now)
    got = {}
    for packs in (True, False):
        monkeypatch.setattr(ahead, "CAN_PACK", packs)
        out, result = tmp_path / f"out{packs}.xlsx", tmp_path / f"r{packs}.json"
        list(pipeline.reconcile_files([ims], books, out, json_out=result))
        got[packs] = _parts(out), result.read_bytes()
    assert forked == [tmp_path / "rFalse.json"]
    assert got[True] == got[False]


def test_a_child_that_fails_leaves_the_rows_to_be_laid_out_here(tmp_path, monkeypatch):
    _month(tmp_path, n=60)

    def broken(*args):
        raise OSError("disk full")
    monkeypatch.setattr(ahead, "_write_ahead", broken)     # the register not handed back
    (ims_rows, purchase_rows), got = _written(tmp_path, "fallback.xlsx", True)
    assert _laid_out_here(ims_rows) and _laid_out_here(purchase_rows)
    monkeypatch.setattr(ahead, "_write_ahead", _write_ahead)
    _, whole = _written(tmp_path, "whole.xlsx", False)
    assert got == whole


def test_cells_written_with_other_styles_are_laid_out_again(tmp_path, monkeypatch):
    """The child takes the column styles from an empty workbook; a sheet that came out
    styled otherwise gets its rows laid out whole instead of the child's cells."""
    _month(tmp_path, n=60)
    real = writer.data_styles

    def shifted(sheet, columns):
        styles, numeric = real(sheet, columns)
        return [' s="99"'] * len(styles), numeric
    monkeypatch.setattr(writer, "data_styles", shifted)
    (ims_rows, _), got = _written(tmp_path, "restyled.xlsx", True)
    assert isinstance(ims_rows, PartlyWritten) and ims_rows.laid_out.cache_info().currsize
    monkeypatch.setattr(writer, "data_styles", real)
    _, whole = _written(tmp_path, "whole.xlsx", False)
    assert got == whole
    assert b' s="99"' not in got["xl/worksheets/sheet2.xml"]



def test_a_rerun_writes_its_purchase_sheet_ahead_and_lays_its_ims_rows_out_here(tmp_path):
    """Carrying work forward changes the IMS rows, so only the Purchase sheet is written
    ahead on a re-run; the workbook is the one a single process writes."""
    _month(tmp_path, n=700)
    _written(tmp_path, "last.xlsx", True)
    ims, books = tmp_path / "ims.json", tmp_path / "books.csv"
    got = {}
    for ahead_ in (True, False):
        (ims_rows, purchase_rows), got[ahead_] = _written(
            tmp_path, f"again{ahead_}.xlsx", ahead_, keep=tmp_path / "last.xlsx")
        if ahead_:
            assert isinstance(ims_rows, list)
            assert not _laid_out_here(purchase_rows)
    assert got[True] == got[False]


def test_no_room_for_temp_files_lays_the_rows_out_here(tmp_path, monkeypatch):
    _month(tmp_path, n=60)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    real = ahead.tempfile.TemporaryFile
    monkeypatch.setattr(ahead.tempfile, "TemporaryFile", full)
    (ims_rows, purchase_rows), got = _written(tmp_path, "full.xlsx", True)
    assert isinstance(ims_rows, list) and isinstance(purchase_rows, list)
    monkeypatch.setattr(ahead.tempfile, "TemporaryFile", real)
    assert got == _written(tmp_path, "whole.xlsx", False)[1]


def test_a_small_month_is_laid_out_here(tmp_path, monkeypatch):
    monkeypatch.setattr(ahead, "AT_LEAST", 5_000)
    _month(tmp_path, n=60)
    (ims_rows, purchase_rows), _ = _written(tmp_path, "small.xlsx", True)
    assert isinstance(ims_rows, list) and isinstance(purchase_rows, list)


def test_a_table_written_ahead_holds_its_status_cells_and_its_laid_out_rows(tmp_path):
    """The Summary reads only the fresh rows' status cells; the whole rows, if any are
    asked for, are those laying the rows out gives."""
    from ims_xl.workbook.ims_sheet import ims_rows, status_cells
    from ims_xl.workbook.layout import IMS_COLUMNS, index_of
    ims, books = _month(tmp_path, n=600)
    with ExitStack() as stack:
        data, result = pipeline._client([ims], books, now=NOW, ahead=stack)
    whole = ims_rows(result.ims)
    status_at = index_of(IMS_COLUMNS, "status")
    assert isinstance(data.ims_rows, PartlyWritten)
    assert status_cells(data.ims_rows) == [row[status_at] for row in whole]
    assert {"Matched", "Only in IMS"} <= set(status_cells(data.ims_rows))
    assert data.ims_rows.laid_out() == whole


def test_a_month_written_ahead_can_be_written_again(tmp_path):
    """The child's cells stay readable for as long as the month's data lives, after the
    children are let go: writing it twice (here with settings that fill the Home sheet)
    gives the same file twice, from the child's cells each time."""
    ims, books = _month(tmp_path, n=600)
    with ExitStack() as stack:
        data, _ = pipeline._client([ims], books, now=NOW, ahead=stack,
                                   settings={"ToleranceRupees": 5, "DateWindowDays": 3})
    first = _parts(writer.write_workbook(tmp_path / "one.xlsm", data))
    again = _parts(writer.write_workbook(tmp_path / "two.xlsm", data))
    assert first == again
    assert not _laid_out_here(data.ims_rows) and not _laid_out_here(data.purchase_rows)


def test_no_room_for_temp_files_on_a_rerun_reads_the_workbook_here(tmp_path, monkeypatch):
    """A re-run reads the workbook it replaces on the other core, which hands it back
    through a temp file; with no room for one, the workbook is read here and the work typed
    in it is kept, as in any re-run."""
    ims, books = _month(tmp_path, n=60)
    out = tmp_path / "OUT.xlsx"
    list(pipeline.reconcile_files([ims], books, out))
    type_work(out, {2: ("Reject", "not ours"), 5: ("Pending", "ask the supplier")})
    typed = work_in(out)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(ahead.tempfile, "TemporaryFile", full)
    said = list(pipeline.reconcile_files([ims], books, out))
    assert f"wrote {out}" in said
    assert work_in(out) == typed and len(typed) == 2
