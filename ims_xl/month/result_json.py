"""RESULT.json: the document (`result_document`, the contract other tools read), and its
text, one object per line inside each top-level list (`result_text`, `result_bytes`).

    {
    "ims": [
    {"section": "b2b", "stin": "27…", "doc_num": "INV-1", …},
    {"section": "b2b", …}
    ],
    "books_only": [
    …
    ]
    }

A line per record keeps the file greppable and its diffs readable, and lets the standard
library's C encoder write each record: with `indent` the encoder falls back to a Python
generator per value (2.5 s for 100,000 records; this writer: under 1 s). The content is what
`json.dumps(doc)` writes; only the line breaks differ.

The command writes the records' lines column by column (`result_bytes`, `object_lines`): a column of texts
that need no escaping is written as it is, one format per record puts the line together, and
only what is rare goes through the encoder. The same text, in 0.9-1.1 s instead of 1.4-1.7 s
at 100,000 records, the document built included.
"""

from __future__ import annotations

import json
from itertools import chain
from operator import attrgetter
from typing import Any, Callable

from ..reconcile.link import RULE as MANUAL
from ..reconcile.result import Reconciliation

_compact = json.JSONEncoder(ensure_ascii=False).encode
_text = json.encoder.encode_basestring          # what `_compact` writes for a str, in C


def _object_encoder() -> Callable[[Any], str]:
    """`_compact`, calling its C encoder without the Python steps around it (they cost 8 µs
    an object); `_compact` itself where there is no C accelerator."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _compact
    encode = make(None, json.JSONEncoder().default, _text, None, ": ", ", ", False, False, True)
    return lambda value: "".join(encode(value, 0))


_encoded = _object_encoder()


def result_document(result: Reconciliation) -> dict:
    """RESULT.json: the command-line contract other tools read (docs/guide/reconcile.md,
    'In result.json')."""
    return {
        "ims": [dict(zip(RECORD_KEYS, values)) for values in zip(*_record_columns(result))],
        "books_only": [{"row": b.row, "stin": b.supplier_gstin, "doc_num": b.doc_number}
                       for b in result.books_only],
        "not_in_ims": [{"row": b.row, "stin": b.supplier_gstin, "doc_num": b.doc_number,
                        "why": "reverse charge"} for b in result.not_in_ims],
    }


def result_bytes(result: Reconciliation) -> bytes:
    """`result_text(result_document(result))`, UTF-8, the records' lines made column by
    column (`object_lines`)."""
    lines = object_lines(dict(zip(RECORD_KEYS, _record_columns(result))))
    if lines is None:
        return result_text(result_document(result)).encode()
    rest = Reconciliation([], result.books_only, {}, result.not_in_ims)
    return result_text(result_document(rest), {"ims": lines}).encode()


# Each record's fields, in order
RECORD_KEYS = ("section", "stin", "doc_num", "doc_date", "status", "books_rows",
               "suggested_action", "reason", "suggested_remarks", "suggested_itc_red_req",
               "rule", "score", "differences", "runner_up", "manual")


def _record_columns(result: Reconciliation) -> list[list]:
    """The records' fields (`RECORD_KEYS`) as columns, one value per record."""
    recs = [rec for rec, _ in result.ims]
    ms = [m for _, m in result.ims]

    def of(items: list, name: str) -> list:
        return list(map(attrgetter(name), items))
    return [of(recs, "section"), of(recs, "supplier_gstin"), of(recs, "doc_number"),
            of(recs, "doc_date"), of(ms, "status"), [list(m.books_rows) for m in ms],
            of(ms, "suggested_action"), of(ms, "reason"), of(ms, "suggested_remarks"),
            of(ms, "suggested_itc_red_req"), of(ms, "rule"), of(ms, "score"),
            [{k: list(v) for k, v in m.differences.items()} for m in ms],
            of(ms, "runner_up"), [m.rule == MANUAL for m in ms]]


def result_text(doc, lines: dict | None = None) -> str:
    """`doc` as JSON text, a line per item of each top-level list (see the module doc).
    `lines` (key -> the items' lines, as `_compact` writes them) stand in for `doc[key]`."""
    if not isinstance(doc, dict) or not all(isinstance(k, str) for k in doc):
        return _compact(doc) + "\n"
    lines = lines or {}
    fields = [_compact(k) + ": " + (_lines(lines[k]) if k in lines else
                                    _lines(list(map(_compact, v))) if isinstance(v, list)
                                    else _compact(v))
              for k, v in doc.items()]
    return "{\n" + ",\n".join(fields) + "\n}\n"


def _lines(lines: list[str]) -> str:
    if not lines:
        return "[]"
    return "[\n" + ",\n".join(lines) + "\n]"


def object_lines(columns: dict[str, list]) -> list[str] | None:
    """`_compact` of each object {key: its value in each column} (the keys in `columns`'
    order), made column by column, then one format per object, where the encoder walks each
    object and each value. Columns of texts, ints, finite floats, bools, lists of ints or
    dicts (these through the encoder) only; None when a column holds anything else: then
    write the objects."""
    if not columns:
        return None
    parts = []
    for values in columns.values():
        part = _json_column(values)
        if part is None:
            return None
        parts.append(part)
    template = "{" + ", ".join(_text(k).replace("%", "%%") + ": " + quote + "%s" + quote
                               for k, (quote, _) in zip(columns, parts)) + "}"
    return [template % values for values in zip(*(texts for _, texts in parts))]


def _json_column(values: list) -> tuple[str, list] | None:
    """Each value's JSON text as `_compact` writes it, but for the quotes around texts that
    need no escaping (the common column: no call per text), given apart: (quote, texts).
    None for a column of values it does not know."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        joined = "".join(values)
        if '"' not in joined and "\\" not in joined and joined.isprintable():
            return '"', values                     # no quote, backslash or control character
        return "", list(map(_text, values))
    if kinds <= {bool}:
        return "", ["true" if v else "false" for v in values]
    if kinds <= {float} and all(v - v == 0 for v in values):    # NaN, inf: the encoder's
        return "", list(map(float.__repr__, values))
    if kinds <= {int}:
        return "", list(map(int.__repr__, values))
    if kinds <= {list} and set(map(type, chain.from_iterable(values))) <= {int}:
        return "", list(map(list.__repr__, values))     # [1, 2]: as the encoder writes ints
    if kinds <= {dict}:
        return "", [_encoded(v) if v else "{}" for v in values]
    return None
