"""RESULT.json as text: the bytes `json.dumps(doc, ensure_ascii=False, indent=1)` writes, ~3x
faster.

The standard library's C encoder does not indent; with `indent` it falls back to a generator
per value, which took 2.5 s for 100,000 records. The document is plain dicts, lists, text and
numbers, so a direct writer is short; any other value sends the whole document back to
`json.dumps`.
"""

from __future__ import annotations

import json

_encode = json.encoder.encode_basestring          # the C encoder json.dumps uses for text


class _Unusual(Exception):
    """A value the direct writer leaves to json.dumps."""


def result_text(doc) -> str:
    try:
        return _value(doc, "\n")
    except (_Unusual, TypeError):               # TypeError: a key that is not text
        return json.dumps(doc, ensure_ascii=False, indent=1)


def _value(v, pad: str) -> str:
    t = v.__class__
    if t is str:
        return _encode(v)
    if t is int:
        return int.__repr__(v)
    if t is float:
        if v != v or v in (float("inf"), float("-inf")):
            raise _Unusual
        return float.__repr__(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    inner = pad + " "
    if t is dict:
        if not v:
            return "{}"
        return ("{" + inner + ("," + inner).join([
            _encode(k) + ": " + (_encode(x) if (c := x.__class__) is str else
                                 int.__repr__(x) if c is int else _value(x, inner))
            for k, x in v.items()]) + pad + "}")
    if t is list or t is tuple:
        if not v:
            return "[]"
        return "[" + inner + ("," + inner).join([
            _encode(x) if x.__class__ is str else _value(x, inner) for x in v]) + pad + "]"
    raise _Unusual
