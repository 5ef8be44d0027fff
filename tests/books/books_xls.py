"""A tiny BIFF8 `.xls` writer for tests: nothing on PyPI we depend on writes `.xls`.

Enough of the format for calamine (and Excel) to read strings and numbers: one OLE2
compound file holding a `Workbook` stream with a globals substream, then one substream per
sheet of LABEL and NUMBER records. No styles, so dates are written as text or as serials.
"""

from __future__ import annotations

import struct

_END, _FREE, _FATSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(dt: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 6))


def _sheet_stream(rows: list[list]) -> bytes:
    out = [_bof(0x0010)]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, 15, float(v))))
            else:
                s = str(v).encode("utf-16-le")
                out.append(_record(0x0204, struct.pack("<HHHHB", r, c, 15, len(str(v)), 1) + s))
    out.append(_record(0x000A, b""))
    return b"".join(out)


def _styles() -> list[bytes]:
    """One font and the 16 XF records readers expect (15 style XFs, then cell XF 15)."""
    font = _record(0x0031, struct.pack("<HHHHHBBBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0, 5, 0)
                   + b"Arial")
    style = struct.pack("<HHH", 0, 0, 0xFFF5) + b"\0" * 14
    cell = struct.pack("<HHH", 0, 0, 0x0001) + b"\0" * 14
    return [font] * 5 + [_record(0x00E0, style)] * 15 + [_record(0x00E0, cell)]


def workbook_stream(sheets: dict[str, list[list]]) -> bytes:
    bodies = [_sheet_stream(rows) for rows in sheets.values()]
    names = list(sheets)

    def globals_(offsets: list[int]) -> bytes:
        recs = [_bof(0x0005), _record(0x0042, struct.pack("<H", 1200)), *_styles()]
        for name, off in zip(names, offsets):
            recs.append(_record(0x0085, struct.pack("<IBBBB", off, 0, 0, len(name), 1)
                                + name.encode("utf-16-le")))
        recs.append(_record(0x000A, b""))
        return b"".join(recs)

    head = len(globals_([0] * len(names)))
    offsets, pos = [], head
    for b in bodies:
        offsets.append(pos)
        pos += len(b)
    return globals_(offsets) + b"".join(bodies)


def _dir_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    raw = (name + "\0").encode("utf-16-le") if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1 if name else 0)
            + struct.pack("<III", _NOSTREAM, _NOSTREAM, child) + b"\0" * 16
            + struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<IQ", start, size))


def compound_file(stream: bytes) -> bytes:
    """An OLE2 file (version 3, 512-byte sectors) with one stream named `Workbook`."""
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\0")  # no mini stream
    n = len(stream) // 512
    assert n <= 126, "test workbook too large for one FAT sector"
    fat = [_FATSECT, _END] + [2 + i + 1 for i in range(n - 1)] + [_END]
    fat += [_FREE] * (128 - len(fat))
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108)
    directory = (_dir_entry("Root Entry", 5, 1, _END, 0) + _dir_entry("Workbook", 2, _NOSTREAM, 2, len(stream))
                 + _dir_entry("", 0, _NOSTREAM, 0, 0) * 2)
    return header + struct.pack("<128I", *fat) + directory + stream


def write_xls(path, sheets: dict[str, list[list]]) -> None:
    """Write `sheets` (name -> rows of str/float/None) as a BIFF8 `.xls` file."""
    with open(path, "wb") as f:
        f.write(compound_file(workbook_stream(sheets)))
