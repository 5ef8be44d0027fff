"""The data sheets' cells that do not depend on matching, written as XML on the other core
while this one reads the register and matches (a fresh `ims-xl reconcile`).

At 100,000 records the IMS sheet is 210 MB of XML and the Purchase sheet 80 MB, and most of
their columns come from the download or the register alone: the portal's values, the hidden
record and state, the user's empty cells; the books' values and warnings. A forked child
lays those rows out and writes them as XML (`sheetdata.rows_with_gaps`: a `%s` slot for each
result cell) into an unnamed temp file, batch by batch: the IMS sheet's as soon as the
download is read, the Purchase sheet's as soon as the register is. After matching, this
process makes only the result cells (seven columns on the IMS sheet, two on the Purchase
sheet) and fills each batch's slots with one `%` (`sheetdata.PartlyWritten`).

The IMS sheet's child first makes the value it is given (`first`: the download's number
spellings, which matching needs before these cells) and hands it back at once; both children
then write their cells at a lower priority, so that matching, which the run waits for, comes
first on the two cores.

The cells are those of the rows laid out here: the child runs the same layout and the same
cell writer. If the child could not be forked (Windows, `IMS_XL_NO_FORK=1`) or did not
finish, the rows are laid out here as before; if the sheet's column styles are not those the
child wrote with, the writer lays them out too (`PartlyWritten.laid_out`).
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, partial
from itertools import repeat
from typing import IO, TYPE_CHECKING

from ..files.aside import CAN_FORK, Handed, done_aside
from ..register.purchase_sheet import purchase_rows
from .build.sheetdata import PartlyWritten, rows_with_gaps
from .ims_sheet import RESULT_KEYS, ims_rows, result_columns
from .layout import IMS_COLUMNS, PURCHASE_COLUMNS, SHEET_IMS, SHEET_PURCHASE, Column

if TYPE_CHECKING:
    from ..register.reader import Register

BATCH = 500                          # rows per batch, as `sheetdata.rows_xml` writes whole rows
# Fewer rows are laid out here: the child's start (importing XlsxWriter, an empty workbook for
# the styles, ~0.2 s) costs more than they do (1,000 records: ~0.15 s slower written ahead)
AT_LEAST = 5_000
PURCHASE_RESULT_KEYS = ("status", "ims_row")

# A table's rows, given the columns only matching knows and the whole rows laid out here
Table = Callable[[dict, Callable[[], list]], "list | PartlyWritten"]


def writes_ahead(rows: int) -> bool:
    """Whether a sheet of `rows` rows is written ahead, by a child (else laid out here)."""
    return CAN_FORK and rows >= AT_LEAST


@contextmanager
def ims_sheet_ahead(records: list, first: Handed | None = None
                    ) -> Iterator[Callable[[list], list | PartlyWritten]]:
    """Start writing the IMS sheet of `records` (but the match results) on the other core;
    the process that writes it makes `first`'s value before it starts.

    The block gets `table(pairs)`: given the (record, result) pairs of the same records in
    the same order, the IMS rows for `write_workbook` (`PartlyWritten`, or whole rows laid
    out here when the child did not finish or could not start).
    """
    def blank_results(start: int, end: int) -> list:
        return ims_rows(zip(records[start:end], repeat(None)))
    with _sheet_ahead(SHEET_IMS, IMS_COLUMNS, RESULT_KEYS, len(records),
                      blank_results, first) as table:
        yield lambda pairs: table(result_columns([m for _, m in pairs]),
                                  partial(ims_rows, pairs))


@contextmanager
def purchase_sheet_ahead(register: Register) -> Iterator[Table]:
    """Start writing the Purchase sheet of `register` (but Match Status and IMS Row) on the
    other core, its books checks run there if not yet (`Register.checked`). The block gets
    `table(columns, laid_out)`: given those two columns (key -> one value per entry) and the
    whole rows, the Purchase rows for `write_workbook`."""
    def rows_of(start: int, end: int) -> list:
        return purchase_rows(register.checked().entries[start:end])
    with _sheet_ahead(SHEET_PURCHASE, PURCHASE_COLUMNS, PURCHASE_RESULT_KEYS,
                      len(register.entries), rows_of) as table:
        yield table


@contextmanager
def _sheet_ahead(sheet: str, columns: tuple[Column, ...], later: tuple[str, ...], count: int,
                 rows_of: Callable[[int, int], list], first: Handed | None = None
                 ) -> Iterator[Table]:
    """`rows_of(start, end)` (the rows with the `later` columns blank) written as cells in a
    child, after `first`'s value; the block gets the `Table` that fills the `later` columns
    in."""
    files = _temp_files() if writes_ahead(count) else None
    if files is None:
        if first:
            first.forked()                      # no child: made here when asked
        yield lambda values, laid_out: laid_out()
        return
    bulk, index = files
    keys = [c.key for c in columns]
    later_at = {keys.index(key): key for key in later}
    handed = False
    try:
        with done_aside(partial(_write_ahead, sheet, columns, set(later_at), count, rows_of,
                                bulk, index, first)) as finished:
            if first:
                first.forked()
            def table(values: dict, laid_out: Callable[[], list]) -> list | PartlyWritten:
                nonlocal handed
                written = _index(index, count) if finished() else None
                if written is None:
                    return laid_out()
                handed = True                   # `bulk` is the table's, closed with it
                styles, numeric, spans = written
                woven = PartlyWritten(
                    rows=count, width=len(columns), batch=BATCH,
                    batches=partial(_batches, bulk, spans),
                    columns={at: values[key] for at, key in later_at.items()},
                    styles=styles, numeric=numeric, laid_out=cache(laid_out))
                weakref.finalize(woven, bulk.close)
                return woven
            yield table
    finally:
        index.close()
        if not handed:
            bulk.close()


def _temp_files() -> tuple[IO[bytes], IO[bytes]] | None:
    """Two unnamed temp files for the child's cells and their index; None when they cannot
    be made (no room, say): then nothing is written ahead."""
    try:
        bulk = tempfile.TemporaryFile()
    except OSError:
        return None
    try:
        return bulk, tempfile.TemporaryFile()
    except OSError:
        bulk.close()
        return None


def _write_ahead(sheet: str, columns: tuple[Column, ...], gaps: set[int], count: int,
                 rows_of: Callable[[int, int], list], bulk: IO[bytes],
                 index: IO[bytes], first: Handed | None = None) -> None:
    """In the child: `first`'s value; the rows, batch by batch, with a slot for each cell of
    the `gaps` columns; then where each batch is, and the styles written with, into
    `index`."""
    from .writer import data_styles
    if first:
        first.make_first()
    _yield_to_matching()
    styles, numeric = data_styles(sheet, columns)
    spans, at = [], 0
    for start in range(0, count, BATCH):
        rows = rows_of(start, min(start + BATCH, count))
        (data,) = rows_with_gaps(rows, styles, numeric, gaps, batch=BATCH,
                                 first_row=2 + start)
        bulk.write(data)
        spans.append((at, len(data)))
        at += len(data)
    bulk.flush()
    pickle.dump((styles, numeric, spans), index, pickle.HIGHEST_PROTOCOL)
    index.flush()


def _yield_to_matching() -> None:
    """In the child, once `first` is handed back: run at a lower priority. The cells are
    needed only after matching, which the run waits for; from the end of the register read
    the IMS and Purchase sheets' processes and matching are three on two cores, and matching
    then came second. (At 100,000 records with numbers as distinct as real books', 0.2 to
    0.9 s sooner; at 300,000, 2 s: closing note of stop 22.)"""
    try:
        os.nice(10)
    except OSError:                    # not allowed here: the same work at the same priority
        pass


def _index(index: IO[bytes], rows: int) -> tuple | None:
    """What the child wrote: (styles, numeric, spans), or None if it is not all there."""
    index.seek(0)
    try:
        styles, numeric, spans = pickle.load(index)
    except Exception:
        return None
    return (styles, numeric, spans) if len(spans) == -(-rows // BATCH) else None


def _batches(bulk: IO[bytes], spans: list) -> Iterator[bytes]:
    """The child's batches back, in order (as often as the table is written)."""
    for at, size in spans:
        data = os.pread(bulk.fileno(), size, at)
        if len(data) != size:
            raise OSError("the cells written ahead were cut short")
        yield data
