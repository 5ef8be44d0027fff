"""The register read, and the data sheets' cells that do not depend on matching written as
XML, on the other core (a fresh `ims-xl reconcile`).

At 100,000 records the IMS sheet is 210 MB of XML and the Purchase sheet 80 MB, and most of
their columns come from the download or the register alone: the portal's values, the hidden
record and state, the user's empty cells; the books' values and warnings. Forked children
lay those rows out and write them as XML (`sheetdata.rows_with_gaps`: a `%s` slot for each
result cell) into an unnamed temp file, batch by batch. After matching, this process makes
only the result cells (seven columns on the IMS sheet, two on the Purchase sheet) and sends
them to the child (`aside.Sent`), which fills each batch's slots with one `%` and deflates
the rows (`package.pack`, with ISA-L) into a third temp file; the writer copies those bytes
into the workbook (`sheetdata.Packed`), and waits for the child only then, when that sheet is
written. Meanwhile this process makes RESULT.json. (At 100,000 records the writer had
deflated 290 MB of XML while this process did little else: 0.7 s faster on average, 6
alternated runs.) Without ISA-L the writer fills the slots and deflates as before.

- `register_ahead`: a child forked before anything is read (a small process, so the two
  share few pages) reads the register while this process reads the download, and hands it
  back at once (`aside.Handed`; a `Register` pickles column by column, and its entries are
  made here only when asked for: `model.document.Entries`). It then waits for our
  GSTIN (the books checks need its state), runs the checks and writes the Purchase sheet.
- `ims_sheet_ahead`: a child forked once the download is read writes the IMS sheet.

Once the register is handed back both children write at a lower priority, so that matching,
which the run waits for, comes first on the two cores; and one after the other, in the order
the workbook is written: the register's process hears our GSTIN only once the IMS sheet's
process has written its cells too (`_Pipe`). Letting the two share the second core made the
run 0.5 s slower at 100,000 records (the IMS sheet's cells, needed first, came 2.3 s later),
and the register's process beside it at `nice` 19 was no faster (closing note of stop 31).

The cells are those of the rows laid out here: the child runs the same layout and the same
cell writer. If no child could be forked (Windows, `IMS_XL_NO_FORK=1`) or one did not
finish, the register is read and the rows are laid out here as before; if the sheet's column
styles are not those the child wrote with, the writer lays them out too
(`PartlyWritten.fits`).
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from functools import cache, partial
from typing import IO, TYPE_CHECKING

from .. import progress
from ..files.aside import CAN_FORK, Handed, Sent, done_aside
from ..model.document import rows_between
from ..portal.record_text import own_texts
from ..reconcile.result import results_of
from ..register.purchase_sheet import purchase_columns
from .build.package import CAN_PACK
from .build.sheetdata import Columns, Packed, PartlyWritten, filled, rows_with_gaps
from .ims_sheet import RESULT_KEYS, ims_columns, ims_rows, result_columns
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
# The IMS sheet's rows, given the (record, result) pairs
IMSTable = Callable[[list], "list | PartlyWritten"]


def writes_ahead(rows: int) -> bool:
    """Whether a sheet of `rows` rows is written ahead, by a child (else laid out here)."""
    return CAN_FORK and rows >= AT_LEAST


def deflated_ahead(rows: int) -> bool:
    """Whether a sheet of `rows` rows written ahead is deflated by its child too, once it
    has the match results (`_pack_ahead`; `package.pack` needs ISA-L)."""
    return writes_ahead(rows) and CAN_PACK


@contextmanager
def ims_sheet_ahead(records: list, sources: list
                    ) -> Iterator[tuple[IMSTable, Callable[[], dict]]]:
    """Start writing the IMS sheet of `records` (but the match results) on the other core.

    The block gets `(table, side)`. `table(pairs)`: given the (record, result) pairs of the
    same records in the same order, the IMS rows for `write_workbook` (`PartlyWritten`, or
    whole rows laid out here when the child did not finish or could not start). `side()`:
    the records' columns for matching (`reconcile.columns.ims_side`), which the child works
    out first and hands back (made here when it could not). `sources`: the download's files
    (`Download.sources`), from which the records' own texts are cut (`portal.record_text`);
    once the child has its copy, this process lets them go (40 MB at 100,000 records): rows
    laid out here then write each text again, the same text.
    """
    from ..reconcile.columns import AMOUNTS, ims_side   # numpy alone: pandas is loaded
    own = cache(partial(own_texts, sources))                # after the fork

    def blank_results(start: int, end: int) -> Columns:     # in the child, after `side`
        # The amounts as floats: `side`'s, kept in the child (half a million Decimals not
        # turned into floats again, ~0.25 s)
        made = first.value()
        floats = {h: made[h][start:end].tolist() for h in AMOUNTS}
        return Columns(ims_columns(records[start:end], own(), floats))

    def laid_out(pairs: list) -> list:
        return ims_rows(pairs, own())
    side = partial(ims_side, records)
    if not writes_ahead(len(records)):
        yield laid_out, side
        return
    # XlsxWriter, which this process loads to write the workbook anyway, loaded before the
    # fork: the child finds it there (its column styles need it, ~0.05 s to load)
    import xlsxwriter  # noqa: F401
    first = Handed(side)
    with closing(first), _sheet_ahead(
            SHEET_IMS, IMS_COLUMNS, RESULT_KEYS,
            lambda: (len(records), blank_results), first) as table:
        sources.clear()                         # the child's copy is the one used
        yield (lambda pairs: table(result_columns(results_of(pairs)), partial(laid_out, pairs)),
               first.value)


@contextmanager
def register_ahead(read: Callable[[], Register]
                   ) -> Iterator[tuple[Callable[[str], Register], Table]]:
    """Start reading the register (`read()`, its books checks left to `checked()`) on the
    other core, and then writing its Purchase sheet (but Match Status and IMS Row): the
    child hands the register back as soon as it is read, waits for our GSTIN (the checks
    need it) and for the IMS sheet's process, if one is started meanwhile, to end (`_Pipe`),
    runs the checks and writes the sheet.

    The block gets `(register, table)`: `register(recipient)` sends our GSTIN and gives the
    register (read here if the child could not hand it back); `table(columns, laid_out)`,
    given those two columns (key -> one value per entry) and the whole rows, the Purchase
    rows for `write_workbook`.
    """
    def read_here(recipient: str) -> Register:
        got = read()
        got.recipient = recipient
        return got
    if not CAN_FORK:
        yield read_here, _laid_out_here
        return
    first = Handed(read)
    pipe = _Pipe()

    def rows() -> tuple[int, Callable[[int, int], list]]:       # in the child
        pipe.close_say()
        register = first.value()
        register.recipient = pipe.heard()
        return len(register.entries), lambda start, end: Columns(purchase_columns(
            rows_between(register.checked().entries, start, end), spelled=True))

    def register(recipient: str) -> Register:
        progress.stage("Reading the purchase register")
        pipe.say(recipient)
        got = first.value()
        got.recipient = recipient
        return got
    with pipe, closing(first), _sheet_ahead(SHEET_PURCHASE, PURCHASE_COLUMNS,
                                            PURCHASE_RESULT_KEYS, rows, first) as table:
        pipe.close_heard()                      # the child's end
        yield register, table


class _Pipe:
    """A pipe on which the parent says one text to the child; each end closed once.

    The child hears it at the end of the pipe: once every copy of the writing end is
    closed. A process the parent forks before saying (the IMS sheet's) holds a copy until
    its cells are written (`written`), so the child hears once both have happened: the
    Purchase sheet's cells are made after the IMS sheet's, on purpose (module doc). Do not
    end the text with a terminator the child stops at.
    """

    _saying: set[int] = set()           # the writing ends open in this process

    def __init__(self) -> None:
        self.ends: list[int] = list(os.pipe())          # [read end, write end]; -1: closed
        self._saying.add(self.ends[1])

    @classmethod
    def written(cls) -> None:
        """In a sheet's child, its cells written: its copies of the writing ends closed."""
        for end in list(cls._saying):
            with suppress(OSError):
                os.close(end)
        cls._saying.clear()

    def say(self, text: str) -> None:
        if self.ends[1] >= 0:
            with suppress(OSError):             # no child to hear it: it is made here
                os.write(self.ends[1], text.encode())
        self.close_say()

    def heard(self) -> str:
        """In the child: what the parent said, once every copy of its end is closed."""
        heard = b""
        while chunk := os.read(self.ends[0], 64):
            heard += chunk
        self.close_heard()
        return heard.decode()

    def close_say(self) -> None:
        self._close(1)

    def close_heard(self) -> None:
        self._close(0)

    def _close(self, end: int) -> None:
        if self.ends[end] >= 0:
            self._saying.discard(self.ends[end])
            os.close(self.ends[end])
            self.ends[end] = -1

    def __enter__(self) -> _Pipe:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close_heard()
        self.close_say()


@contextmanager
def _sheet_ahead(sheet: str, columns: tuple[Column, ...], later: tuple[str, ...],
                 rows: Callable[[], tuple[int, Callable[[int, int], list]]],
                 first: Handed | None = None) -> Iterator[Table]:
    """In a child, after `first`'s value: `rows()` gives the number of rows and
    `rows_of(start, end)`, the rows with the `later` columns blank, written as cells. The
    block gets the `Table` that fills the `later` columns in; the first table made sends
    them to the child, which fills them in too and deflates the rows (`_pack_ahead`)."""
    files = _temp_files()
    if files is None:
        if first:
            first.forked()                      # no child: made here when asked
        yield _laid_out_here
        return
    bulk, index, packed = files
    keys = [c.key for c in columns]
    later_at = {keys.index(key): key for key in later}
    made: list[PartlyWritten] = []
    handed = False
    sent = Sent()
    try:
        with closing(sent), done_aside(partial(
                _write_ahead, sheet, columns, set(later_at), rows, bulk, index, first,
                (sent, packed) if CAN_PACK else None)) as finished:
            if first:
                first.forked()

            def table(values: dict, laid_out: Callable[[], list]) -> list | PartlyWritten:
                count = len(values[later[0]])
                if not writes_ahead(count):
                    return laid_out()               # the child wrote none (`_write_ahead`)
                held = {at: values[key] for at, key in later_at.items()}
                ours = CAN_PACK and not made and sent.send(held)  # deflated there with them

                @cache
                def child() -> tuple | None:        # waits for the child, when writing
                    return _index(index, count) if finished() else None

                def written() -> tuple | None:
                    got = child()
                    if got is None:
                        return None
                    styles, numeric, spans, _ = got
                    return styles, numeric, partial(_batches, bulk, spans)

                def deflated() -> Packed | None:
                    got = child() if ours else None
                    if got is None or got[3] is None:
                        return None
                    crc, size = got[3]
                    return Packed(crc, size, partial(_chunks, packed))
                made.append(PartlyWritten(
                    rows=count, width=len(columns), batch=BATCH, written=cache(written),
                    columns=held, laid_out=cache(laid_out), packed=cache(deflated)))
                return made[-1]
            yield table
            # The block ended well: what the child wrote is taken before it is let go (the
            # tables made may be written after the block, and more than once)
            for woven in made:
                if woven.written() is not None:
                    handed = True
                    woven.packed()
                    weakref.finalize(woven, bulk.close)     # the tables' files now
                    weakref.finalize(woven, packed.close)
    finally:
        index.close()
        if not handed:
            bulk.close()
            packed.close()


def _laid_out_here(values: dict, laid_out: Callable[[], list]) -> list:
    return laid_out()


def _temp_files() -> tuple[IO[bytes], IO[bytes], IO[bytes]] | None:
    """Three unnamed temp files for the child's cells, their index and the rows deflated;
    None when they cannot be made (no room, say): then nothing is written ahead."""
    made: list[IO[bytes]] = []
    try:
        for _ in range(3):
            made.append(tempfile.TemporaryFile())
    except OSError:
        for f in made:
            f.close()
        return None
    return made[0], made[1], made[2]


def _write_ahead(sheet: str, columns: tuple[Column, ...], gaps: set[int],
                 rows: Callable[[], tuple[int, Callable[[int, int], list]]], bulk: IO[bytes],
                 index: IO[bytes], first: Handed | None = None,
                 packing: tuple[Sent, IO[bytes]] | None = None) -> None:
    """In the child: `first`'s value; then, for a table of at least `AT_LEAST` rows, the
    rows, batch by batch, with a slot for each cell of the `gaps` columns; then where each
    batch is, and the styles written with, into `index`; then, once they are sent, the
    `gaps` cells filled in and the rows deflated (`_pack_ahead`)."""
    if first:
        first.make_first()
    count, rows_of = rows()
    if not writes_ahead(count):
        return                          # fewer rows are laid out when written (no index)
    _yield_to_matching()
    from .writer import data_styles     # after the value handed back: XlsxWriter, ~0.1 s
    styles, numeric = data_styles(sheet, columns)
    spans, at = [], 0
    for start in range(0, count, BATCH):
        rows_done = rows_of(start, min(start + BATCH, count))
        (data,) = rows_with_gaps(rows_done, styles, numeric, gaps, batch=BATCH,
                                 first_row=2 + start)
        bulk.write(data)
        spans.append((at, len(data)))
        at += len(data)
    bulk.flush()
    pickle.dump((styles, numeric, spans), index, pickle.HIGHEST_PROTOCOL)
    index.flush()
    _Pipe.written()
    if packing:
        with suppress(Exception):           # not deflated here: deflated when written
            _pack_ahead(count, len(columns), (styles, numeric, spans), bulk, index, *packing)


def _pack_ahead(rows: int, width: int, written: tuple, bulk: IO[bytes], index: IO[bytes],
                sent: Sent, out: IO[bytes]) -> None:
    """In the child, its rows written: wait for the cells matching fills in (`Sent`), put
    them in each batch's slots as the writer would (`sheetdata.rows_xml`), deflate the
    rows into `out` (`package.pack`) and add their CRC-32 and length to `index`. The
    workbook's writer then copies them as they are (at 100,000 records it deflated 290 MB
    of XML while this process was idle)."""
    from .build.package import pack
    held = sent.received()
    if held is None:
        return
    styles, numeric, spans = written
    table = PartlyWritten(rows=rows, width=width, batch=BATCH, columns=held, laid_out=list,
                          written=lambda: (styles, numeric, partial(_batches, bulk, spans)))
    got = pack(filled(table, styles, numeric), out)
    if got is not None:
        pickle.dump(got, index, pickle.HIGHEST_PROTOCOL)
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
    """What the child wrote: (styles, numeric, spans, (CRC-32, length) of the rows deflated
    or None), or None if the rows are not all there."""
    index.seek(0)
    try:
        styles, numeric, spans = pickle.load(index)
    except Exception:
        return None
    if len(spans) != -(-rows // BATCH):
        return None
    try:
        crc, size = pickle.load(index)
    except Exception:                   # not deflated there
        return styles, numeric, spans, None
    return styles, numeric, spans, (crc, size)


def _chunks(packed: IO[bytes], size: int = 4 << 20) -> Iterator[bytes]:
    """The rows deflated by the child, in pieces (as often as the table is written)."""
    at = 0
    while chunk := os.pread(packed.fileno(), size, at):
        yield chunk
        at += len(chunk)


def _batches(bulk: IO[bytes], spans: list) -> Iterator[bytes]:
    """The child's batches back, in order (as often as the table is written)."""
    for at, size in spans:
        data = os.pread(bulk.fileno(), size, at)
        if len(data) != size:
            raise OSError("the cells written ahead were cut short")
        yield data
