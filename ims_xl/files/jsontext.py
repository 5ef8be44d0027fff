"""JSON texts of many flat objects, made column by column.

`json.dumps` walks each object and each value; at 100,000 records that is a second or more.
`objects_text` (and `object_lines`) take the objects' values as columns instead: a column of
texts that need no escaping is written as it is (the quotes go between the values), other
columns in one pass each, and the keys, quotes and values of all the objects are interleaved
and joined once. The text is the encoder's, byte for byte (tests/core/test_resultjson.py); a
column it does not know makes it return None, and the caller writes the objects the usual way.
"""

from __future__ import annotations

import json
from itertools import chain
from typing import Any, Callable

compact = json.JSONEncoder(ensure_ascii=False).encode
_text = json.encoder.encode_basestring          # what `compact` writes for a str, in C


def _object_encoder() -> Callable[[Any], str]:
    """`compact`, calling its C encoder without the Python steps around it (they cost 8 µs
    an object); `compact` itself where there is no C accelerator."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return compact
    encode = make(None, json.JSONEncoder().default, _text, None, ": ", ", ", False, False, True)
    return lambda value: "".join(encode(value, 0))


_encoded = _object_encoder()


def object_lines(columns: dict[str, list]) -> list[str] | None:
    """`compact` of each object {key: its value in each column} (the keys in `columns`'
    order), made column by column (`objects_text`). Columns of texts, ints, finite floats,
    bools, lists of ints or dicts (these through the encoder) only; None when a column holds
    anything else: then write the objects."""
    text = objects_text(columns, "\n")          # compact text holds no line break
    if text is None:
        return None
    return text.split("\n") if text else []


def objects_text(columns: dict[str, list], between: str) -> str | None:
    """`between.join(object_lines(columns))`, made in one join: each object's literal
    pieces (its keys, the quotes around its texts) and its values interleaved into one list
    by slice assignments, where a format per object walked its template again (0.3 s at
    100,000 records)."""
    if not columns:
        return None
    parts = []
    for values in columns.values():
        part = _json_column(values)
        if part is None:
            return None
        parts.append(part)
    rows = len(parts[0][1])
    if not rows:
        return ""
    # each object: literal, value, literal, value, ..., literal
    keys = [_text(k) + ": " for k in columns]
    quotes = [quote for quote, _ in parts]
    literals = ["{" + keys[0] + quotes[0]]
    literals += [quotes[j - 1] + ", " + keys[j] + quotes[j] for j in range(1, len(keys))]
    literals.append(quotes[-1] + "}" + between)
    width = 2 * len(parts) + 1
    flat: list = [None] * (rows * width)
    for j, literal in enumerate(literals):
        flat[2 * j::width] = [literal] * rows
    for j, (_, texts) in enumerate(parts):
        flat[2 * j + 1::width] = texts
    flat[-1] = quotes[-1] + "}"                  # nothing after the last object
    return "".join(flat)


def _json_column(values: list) -> tuple[str, list] | None:
    """Each value's JSON text as `compact` writes it, but for the quotes around texts that
    need no escaping (the common column: no call per text), given apart: (quote, texts).
    None for a column of values it does not know."""
    try:                            # texts (most columns): joined, no type per value
        joined = "".join(values)
    except TypeError:
        kinds = set(map(type, values))
    else:
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
        # [1, 2]: as the encoder writes ints; a list's repr costs 1 µs, a row alone's f-text
        # a fifth of that (most records have one books row)
        return "", [f"[{v[0]}]" if len(v) == 1 else list.__repr__(v) for v in values]
    if kinds <= {dict}:
        return "", [_encoded(v) if v else "{}" for v in values]
    return None
