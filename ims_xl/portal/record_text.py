"""Each downloaded record's own JSON text, cut from the file instead of written again.

The IMS sheet keeps each record's JSON text in its hidden Downloaded Record column
(`workbook.ims_sheet.raw_text`: the text `json.dumps` gives, compact). Writing it again
costs about 10 µs a record, a second at 100,000 records; a portal download holds that very
text already. `own_texts(download)` maps each record's parsed object (by `id`: the objects
live as long as the download) to the file's text of it.

A file's texts are cut only when each is, character for character, the text `raw_text`
writes; else none is, and each record's is written as before. What is checked, for the
whole file:
- every `{` and `}` in it is an object's (there are as many as objects parsed: none is
  inside a text): then the objects with no object inside are the runs from a `{` to the
  next `}`, in the order the parsed document holds them, and there are as many;
- no `\\` (a text with an escape is written with other escapes, or none);
- no whitespace and no `e` or `E` outside the texts: nothing between the tokens, no number
  with an exponent (and no `true` or `false`), as `json.dumps` writes them;
- no `0.000000`: a number below a millionth is written with an exponent (`1E-7`).
Checking and cutting cost about 0.45 s at 100,000 records (in the IMS sheet's process),
against 1 s for writing the texts again.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any, Iterable

__all__ = ["own_texts"]

_KEEP = b'" \t\r\neE'                           # what may not stand outside the texts, and "
_DROP = bytes(c for c in range(256) if c not in _KEEP)


def own_texts(sources: Iterable[tuple[bytes, Any]]) -> dict[int, str]:
    """`id(record object) -> its text in the file`, for the `(file bytes, parsed document)`
    pairs read (`Download.sources`); files that do not pass the checks give none."""
    out: dict[int, str] = {}
    for data, doc in sources:
        out.update(_file_texts(data, doc))
    return out


def _file_texts(data: bytes, doc: Any) -> dict[int, str]:
    if b"\\" in data or b"0.000000" in data or not _bare_outside_texts(data):
        return {}
    leaves: list = []
    try:
        objects = _objects(doc, leaves)
    except RecursionError:
        return {}
    if data.count(b"{") != objects or data.count(b"}") != objects:
        return {}                          # a brace inside a text, or an object in a record
    text = data.decode("utf-8-sig")
    texts = ["{" + inner + "}" for inner, end, _ in
             map(str.partition, text.split("{")[1:], repeat("}")) if end]
    if len(texts) != len(leaves):
        return {}
    return dict(zip(map(id, leaves), texts))


def _bare_outside_texts(data: bytes) -> bool:
    """No whitespace, `e` or `E` outside the texts (for a file with no `\\`: each `"`
    starts or ends a text). Only the quotes and those characters are kept, then each `""`
    dropped (the quotes around a text with none of them, or between two texts): what is left
    between a closing and an opening quote was outside the texts."""
    marks = data.translate(None, _DROP).replace(b'""', b"")
    return not any(marks.split(b'"')[0::2])


def _objects(value: Any, leaves: list) -> int:
    """How many objects `value` is and holds; each with no object inside appended to
    `leaves`, in the order of the text. A list of objects (a section's records) is taken as
    flat ones, unlooked at: an object inside one would not be counted, and the file's braces
    would then outnumber the objects counted."""
    if value.__class__ is list:
        if value and set(map(type, value)) == {dict}:
            leaves.extend(value)
            return len(value)
        return sum(_objects(v, leaves) for v in value)
    if value.__class__ is dict:
        inside = sum(_objects(v, leaves) for v in value.values())
        if not inside:
            leaves.append(value)
        return inside + 1
    return 0
