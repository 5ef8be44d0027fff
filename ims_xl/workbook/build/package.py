"""The zip pass after XlsxWriter: data rows spliced in, the ribbon added, timestamps fixed.

XlsxWriter writes the sheets (header rows, formats, rules) and, for `.xlsm`, the VBA project.
Its package is then copied entry by entry into the final zip:

- each data sheet gets its rows (`sheetdata.rows_xml`) before `</sheetData>`, and its
  `<dimension>` widened to match;
- for `.xlsm`, `_rels/.rels` gains the ui/extensibility relationship and
  `customUI/customUI14.xml` is appended (XlsxWriter cannot write a ribbon);
- every entry gets the same timestamp and attributes, so builds are reproducible;
- a data sheet whose rows were deflated ahead by the process that wrote them
  (`sheetdata.Packed`)
  gets those bytes as they are, between its deflated header and footer.

Entries are streamed, so a 100,000-row workbook is never held in memory whole.
Never re-save the result with openpyxl: it drops the ribbon relationship
(docs/reference/excel.md#pitfalls).
"""

from __future__ import annotations

import importlib
import re
import shutil
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import IO

from ... import progress
from .constants import (CUSTOMUI_PART, CUSTOMUI_REL_ID, CUSTOMUI_REL_TYPE, CUSTOMUI_SOURCE,
                        ZIP_DATE_TIME, ZIP_LEVEL)
from .sheetdata import CellTooLong, Packed, PartlyWritten, rows_xml, widest

ROOT_RELS = "_rels/.rels"
_COL = re.compile(r"<col\b([^>]*)/>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_DIMENSION = re.compile(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/>')


def _isal_zlib() -> ModuleType | None:
    """ISA-L's zlib-compatible module: its deflate writes 100,000 IMS rows in 0.2 s of CPU
    instead of zlib's 1.0 s. None where its wheel is not installed: zlib, as zipfile uses."""
    try:
        return importlib.import_module("isal.isal_zlib")
    except ImportError:
        return None


_ISAL = _isal_zlib()
CAN_PACK = _ISAL is not None            # rows deflated ahead (`pack`)


def pack(batches: Iterable[bytes], out: IO[bytes]) -> tuple[int, int] | None:
    """Deflate `batches` into `out` as a `Packed` piece: (CRC-32, length) of what went in;
    None where ISA-L is not installed (zlib has no `crc32_combine`: the rows are deflated
    when the workbook is written, as before)."""
    if _ISAL is None:
        return None
    deflate = _ISAL.compressobj(ZIP_LEVEL, _ISAL.DEFLATED, -15)
    crc = size = 0
    for batch in batches:
        crc, size = _ISAL.crc32(batch, crc), size + len(batch)
        out.write(deflate.compress(batch))
    out.write(deflate.flush(_ISAL.Z_SYNC_FLUSH))
    out.flush()
    return crc, size


def ribbon_xml() -> bytes:
    return CUSTOMUI_SOURCE.read_bytes()


def ribbon_relationship() -> str:
    return (f'<Relationship Id="{CUSTOMUI_REL_ID}" Type="{CUSTOMUI_REL_TYPE}" '
            f'Target="{CUSTOMUI_PART}"/>')


def finish_package(source: Path, target: Path, *, rows: dict | None = None,
                   ribbon: bytes | None = None) -> None:
    """Copy package `source` to `target`, splicing in data rows and (optionally) the ribbon.

    `rows` maps a sheet part (`xl/worksheets/sheet2.xml`) to `(rows, numeric)`: the data rows
    from row 2 and, per column, whether numbers stay numbers there.
    """
    rows = rows or {}
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        names = set(zin.namelist())
        missing = set(rows) - names
        if missing:
            raise ValueError(f"{source.name}: no part {', '.join(sorted(missing))}")
        if ribbon is not None and CUSTOMUI_PART in names:
            raise ValueError(f"{source.name} already has {CUSTOMUI_PART}")
        for info in zin.infolist():
            name = info.filename
            if name == ROOT_RELS and ribbon is not None:
                _write(zout, name, _with_ribbon_relationship(zin.read(info).decode("utf-8")))
            elif name in rows:
                data, numeric = rows[name]
                _write_sheet(zout, name, zin.read(info).decode("utf-8"), data, numeric)
            else:
                with zin.open(info) as src, zout.open(_entry(name, info.file_size), "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        if ribbon is not None:
            zout.writestr(_entry(CUSTOMUI_PART, len(ribbon)), ribbon)


def _with_ribbon_relationship(rels: str) -> str:
    if CUSTOMUI_REL_TYPE in rels or "</Relationships>" not in rels:
        raise ValueError(f"unexpected {ROOT_RELS}: {rels[:200]}")
    return rels.replace("</Relationships>", ribbon_relationship() + "</Relationships>", 1)


def _write_sheet(zout: zipfile.ZipFile, name: str, xml: str, data: list, numeric: list) -> None:
    """XlsxWriter's sheet part (header row only) with `data` appended to its sheetData."""
    if not data:
        _write(zout, name, xml)
        return
    progress.stage(f"Writing the workbook ({name.rsplit('/', 1)[-1]})", len(data))
    styles = column_styles(xml, len(numeric))
    if isinstance(data, PartlyWritten) and not data.fits(styles, numeric):
        data = data.laid_out()      # not written ahead, or for other styles: not these cells
    if widest(data) > len(numeric):
        raise ValueError(f"{name}: a row is longer than its {len(numeric)} columns")
    xml = _DIMENSION.sub(lambda m: _dimension(m, 1 + len(data)), xml, count=1)
    if "</sheetData>" in xml:
        head, tail = xml.split("</sheetData>", 1)
        tail = "</sheetData>" + tail
    elif "<sheetData/>" in xml:
        head, tail = xml.split("<sheetData/>", 1)
        head, tail = head + "<sheetData>", "</sheetData>" + tail
    else:
        raise ValueError(f"{name}: no sheetData")
    # zip64 only when it may be needed: Excel has been reported to reject some zip64 entries.
    big = len(data) * len(numeric) * 64 > 1 << 30
    packed = data.packed() if isinstance(data, PartlyWritten) else None
    with zout.open(_entry(name, 0), "w", force_zip64=big) as dst:
        if packed is not None and _write_packed(dst, head.encode("utf-8"), packed,
                                                tail.encode("utf-8")):
            progress.advance(len(data))
            return
        _deflate_fast(dst)
        dst.write(head.encode("utf-8"))
        # Deflate releases the GIL: a second thread compresses one batch while this one
        # builds the next (two batches in flight at most, so memory stays flat).
        with ThreadPoolExecutor(1, thread_name_prefix="ims-xl deflate") as deflate:
            pending: deque = deque()
            try:
                for done, chunk in rows_xml(data, styles, numeric, first_row=2):
                    utf8 = chunk if isinstance(chunk, bytes) else \
                        chunk.encode("utf-8", "replace")    # bytes: partly written ahead
                    pending.append(deflate.submit(dst.write, utf8))
                    if len(pending) > 2:
                        pending.popleft().result()
                    progress.advance(done)
            except CellTooLong as e:
                e.part = name
                raise
            finally:
                for job in pending:
                    job.result()
        dst.write(tail.encode("utf-8"))


def _write_packed(dst, head: bytes, packed: Packed, tail: bytes) -> bool:
    """The entry `dst` (just opened, nothing written) as `head`, the rows deflated ahead and
    `tail`: head and tail deflated here around the piece, the CRC-32 of the whole combined
    from the three (ISA-L's `crc32_combine`). False, nothing written, where the entry
    writer has not the shape we know (its compressor, CRC and size are private names)."""
    if _ISAL is None or not all(hasattr(dst, a) for a in ("_compressor", "_crc", "_file_size")):
        return False
    first = _ISAL.compressobj(ZIP_LEVEL, _ISAL.DEFLATED, -15)
    last = _ISAL.compressobj(ZIP_LEVEL, _ISAL.DEFLATED, -15)
    dst._compressor = _AsIs()          # the bytes below are deflated already
    dst.write(first.compress(head) + first.flush(_ISAL.Z_SYNC_FLUSH))
    for chunk in packed.chunks():
        dst.write(chunk)
    dst.write(last.compress(tail) + last.flush())
    crc = _ISAL.crc32_combine(_ISAL.crc32(head), packed.crc, packed.size)
    dst._crc = _ISAL.crc32(tail, crc)
    dst._file_size = len(head) + packed.size + len(tail)   # inflated; set before it closes
    return True


class _AsIs:
    """An entry's compressor that passes deflated bytes through."""

    @staticmethod
    def compress(data: bytes) -> bytes:
        return data

    @staticmethod
    def flush() -> bytes:
        return b""


def _deflate_fast(dst) -> None:
    """Compress the entry `dst` (just opened, nothing written) with ISA-L when installed.

    Its level 1 is a plain deflate stream (Excel and LibreOffice read it), ~5x faster than
    zlib's level 1 and a little smaller. zipfile has no public hook for the compressor, so
    its private one is swapped, only where it has the shape we know.
    """
    if _ISAL is not None and hasattr(dst, "_compressor"):
        dst._compressor = _ISAL.compressobj(ZIP_LEVEL, _ISAL.DEFLATED, -15)


def column_styles(xml: str, count: int) -> list[str]:
    """` s="N"` per column from the sheet's `<col>` elements ("" where a column has none)."""
    styles = [""] * count
    for m in _COL.finditer(xml):
        attrs = dict(_ATTR.findall(m.group(1)))
        if "style" not in attrs:
            continue
        for c in range(int(attrs["min"]) - 1, min(int(attrs["max"]), count)):
            styles[c] = f' s="{attrs["style"]}"'
    return styles


def _dimension(m: re.Match, last_row: int) -> str:
    first_col, first_row, last_col, old_last = m.group(1), m.group(2), m.group(3), m.group(4)
    last_col = last_col or first_col
    last = max(last_row, int(old_last or first_row))
    return f'<dimension ref="{first_col}{first_row}:{last_col}{last}"/>'


def _write(zout: zipfile.ZipFile, name: str, text: str) -> None:
    data = text.encode("utf-8")
    zout.writestr(_entry(name, len(data)), data)


def _entry(name: str, size: int) -> zipfile.ZipInfo:
    """A zip entry that is the same on every machine: fixed time, MS-DOS attributes, deflate."""
    info = zipfile.ZipInfo(name, ZIP_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    # Level 1: 100,000 IMS rows write in 2.7 s instead of 4.6 s (27 MB instead of 22). Set
    # through the private name: Python 3.11/3.12 have no public one; 3.13 keeps the alias.
    info._compresslevel = ZIP_LEVEL       # type: ignore[attr-defined]
    info.create_system = 0
    info.external_attr = 0
    info.file_size = size
    return info
