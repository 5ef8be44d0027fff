"""Reading an IMS JSON file (or a zip of them) as a hostile file would be written.

`load(data, name)` returns the parsed document or raises `ImsFormatError` naming the file,
section, record and field of the first problem:

- a key twice in one object (`"b2b"` twice): a JSON reader silently keeps the last;
- `NaN`, `Infinity`, `1e400`, a 5,000-digit integer: no amount is like that, and they break
  every sum and the RESULT.json written from them;
- an identity field (GSTIN, document number, date, return period) that is not text:
  `"stin": 27123456789` or `"inum": true` would be echoed as something else;
- nesting deeper than the reader can follow (an IMS download is four levels deep).

`zip_members(name, data)` yields the `.json` members of a zip, refusing paths out of the
archive, encrypted members and members that inflate past `MAX_INFLATED` bytes or
`MAX_RATIO` times their packed size (a zip bomb).

Cost (100,000 records, 40 MB): numbers are checked while parsing (a strict decimal context,
no Python call per number), then cheap passes: the `:` in the text against the keys parsed
(more keys in the text than parsed = a duplicate), and a type check of the identity fields
each section reads. Only when the counts disagree (a `:` inside a value, nested objects, or
a duplicate) is the text parsed again with a hook that catches duplicates.
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow
from itertools import chain, repeat
from operator import itemgetter
from pathlib import PurePosixPath
from typing import Any, Callable, Iterator

from ..model.errors import ImsFormatError
from ..model.section import SECTIONS, section_code

__all__ = ["MAX_INFLATED", "MAX_RATIO", "load", "zip_members"]

MAX_INFLATED = 1 << 30              # 1 GiB of JSON in one archive: ~2.5M records
MAX_RATIO = 200                     # IMS JSON packs ~10:1; a bomb packs 1000:1
_RATIO_FLOOR = 10 << 20             # small members may pack tighter: no ratio check below 10 MiB
AMOUNT_LIMIT = Decimal(10) ** 15    # no amount in a return reaches a thousand trillion rupees
IDENTITY_KEYS = tuple(dict.fromkeys(
    ["stin", "ctin", "rtnprd"]
    + [k for s in SECTIONS.values() for k in (s.number_key, s.date_key, s.orig_number_key,
                                              s.orig_date_key) if k]))
_TEXT_OR_NONE = {str, type(None)}


class _Dups(dict):
    """An object that had a key more than once (only made by the slow second parse)."""
    repeated: list


def load(data: bytes, name: str) -> Any:
    """The JSON document in `data`, checked; `ImsFormatError` naming where it is wrong."""
    if not data.strip():
        raise ImsFormatError("the file is empty", file=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImsFormatError("is not a text (UTF-8) JSON file", file=name) from None
    odd: list = []                                   # numbers no IMS file holds
    doc = _parse(text, name, odd)
    records = _record_lists(doc)
    dups: list = []
    if data.count(b":") != _keys(doc, records):      # maybe a duplicate: look closely
        doc = _parse(text, name, odd, dups)
        records = _record_lists(doc)
    if odd or dups or _bad_identity(records):
        _raise_first_problem(doc, name)
    return doc


# Numbers parse through a decimal context that refuses, in C, what no amount looks like:
# 1e15 or more (Overflow) and more digits than it holds (Inexact). Values keep their digits.
_STRICT = Context(prec=34, Emax=14, traps=[Overflow, Inexact, InvalidOperation])
_strict_number = _STRICT.create_decimal


class _Integers(dict):
    """Integer spellings -> Decimal, each made once: most amounts of nothing are written `0`
    (a quarter of a million at 100k records)."""

    def __missing__(self, spelling: str) -> Decimal:
        value = self[spelling] = _strict_number(spelling)
        return value


def _parse(text: str, name: str, odd: list, dups: list | None = None) -> Any:
    """The document; numbers as Decimal. `odd` collects numbers no IMS file holds."""
    def constant(s: str) -> Decimal:               # NaN, Infinity, -Infinity
        odd.append(s)
        return Decimal(s)

    hook = None if dups is None else _pairs(dups)
    try:
        try:
            return json.loads(text, parse_float=_strict_number,
                              parse_int=_Integers().__getitem__, parse_constant=constant,
                              object_pairs_hook=hook)
        except ArithmeticError:            # a huge number: parse again, keeping it to name it
            odd.append("huge")
            return json.loads(text, parse_float=Decimal, parse_int=Decimal,
                              parse_constant=constant, object_pairs_hook=hook)
    except RecursionError:
        raise ImsFormatError("is nested deeper than any IMS file (thousands of levels of "
                             "brackets; a download is four deep): not a portal file",
                             file=name) from None
    except json.JSONDecodeError as e:
        body = text.strip()
        cut = body[:1] in "{[" and body[-1:] not in "}]"
        hint = "; the file looks cut short: download it again" if cut else ""
        raise ImsFormatError(f"is not valid JSON ({e.msg}, line {e.lineno}, column "
                             f"{e.colno}){hint}", file=name) from None


def _pairs(dups: list) -> Callable[[list], dict]:
    def hook(items: list) -> dict:
        d = dict(items)
        if len(d) != len(items):
            seen: set[str] = set()
            d = _Dups(d)
            # set.add returns None: `or seen.add(k)` records k and keeps it out of the list
            d.repeated = [k for k, _ in items
                          if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
            dups.append(d)
        return d
    return hook


def _record_lists(doc: Any) -> list[tuple[str, list]]:
    """(key, list) of every list of objects (records) found through objects, not looking
    inside the records themselves."""
    found, stack = [], [("", doc)]
    while stack:
        key, obj = stack.pop()
        if obj.__class__ is list:
            if obj and all(v.__class__ is dict or v.__class__ is _Dups for v in obj):
                found.append((key, obj))
            else:
                stack.extend((key, v) for v in obj if v.__class__ in (dict, list, _Dups))
        elif isinstance(obj, dict):
            stack.extend((k, v) for k, v in obj.items() if v.__class__ in (dict, list, _Dups))
    return found


def _keys(doc: Any, records: list) -> int:
    """Keys of the objects above the records plus the records' own (not nested ones)."""
    lists = {id(r) for _, r in records}
    n, stack = 0, [doc]
    while stack:
        obj = stack.pop()
        if isinstance(obj, dict):
            n += len(obj)
            stack.extend(v for v in obj.values() if v.__class__ in (dict, list, _Dups))
        elif obj.__class__ is list and id(obj) not in lists:
            stack.extend(v for v in obj if v.__class__ in (dict, list, _Dups))
    return n + sum(sum(map(len, r)) for _, r in records)


def _section_keys(code: str | None) -> tuple:
    if code is None:
        return IDENTITY_KEYS
    s = SECTIONS[code]
    return tuple(k for k in ("stin", s.number_key, s.date_key, s.orig_number_key,
                             s.orig_date_key, "rtnprd") if k)


def _bad_identity(records: list) -> bool:
    for key, recs in records:
        keys = _section_keys(section_code(key))
        try:                         # fast: every record has every key, all text
            "".join(chain.from_iterable(map(itemgetter(*keys), recs)))
            continue
        except (KeyError, TypeError):
            pass
        for k in keys:               # some keys missing or None: look key by key
            if not _TEXT_OR_NONE.issuperset(map(type, map(dict.get, recs, repeat(k)))):
                return True
    return False


# Finding and naming the problem ------------------------------------------------------------

def _raise_first_problem(doc: Any, name: str) -> None:
    """Walk the document in order; raise at the first problem found (none: return)."""
    stack: list[tuple[object, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        obj, path = stack.pop()
        if isinstance(obj, dict):
            if obj.__class__ is _Dups:
                key = obj.repeated[0]
                raise _error(name, path + (key,), doc=doc, message=(
                    f"the key {key!r} appears more than once in one JSON object; a reader "
                    "keeps only the last, so records would be dropped silently: merge or "
                    "remove the duplicate"))
            for key, value in obj.items():
                _check_value(name, path + (key,), key, value, doc)
            children = list(obj.items())
        elif obj.__class__ is list:
            children = list(enumerate(obj))
        else:
            continue
        stack.extend((v, path + (k,)) for k, v in reversed(children)
                     if isinstance(v, (dict, list)))


def _check_value(name: str, path: tuple, key: str, value: Any, doc: Any) -> None:
    if key in IDENTITY_KEYS and value is not None and not isinstance(value, str):
        shown = str(value) if isinstance(value, Decimal) else json.dumps(value, default=str)
        raise _error(name, path, doc=doc, message=(
            f"must be text (in quotes), found {_kind(value)} {shown[:40]}; a GSTIN, number "
            "or date written as a number or list loses its meaning"))
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        if isinstance(value, Decimal) and not value.is_finite():
            raise _error(name, path, f"{value} is not an amount", doc)
        if abs(Decimal(value)) >= AMOUNT_LIMIT:
            shown = str(value)
            if len(shown) > 40:
                shown = f"a {len(shown.lstrip('-')):,}-digit number"
            raise _error(name, path, doc=doc, message=f"{shown} is beyond any amount (limit "
                         f"{AMOUNT_LIMIT - 1:,}); the file is damaged or not from the portal")


def _kind(value: Any) -> str:
    return {bool: "true/false", list: "a list", dict: "an object"}.get(
        type(value), "a number")


def _number_of(doc: Any, path: tuple, code: str) -> str:
    """` (INV-1)`: the record's document number, as `download` labels records."""
    obj = doc
    for step in path:
        obj = obj[step]
    number = obj.get(SECTIONS[code].number_key) if isinstance(obj, dict) else None
    return f" ({number.strip()})" if isinstance(number, str) and number.strip() else ""


def _error(name: str, path: tuple, message: str, doc: Any = None) -> ImsFormatError:
    """Section, record and field from a path such as ('imsDetails', 'b2b', 3, 'stin')."""
    section, record, at = "", "", None
    for i, step in enumerate(path):
        if isinstance(step, str) and section_code(step):
            section, at = section_code(step) or "", i
            nxt = path[i + 1] if i + 1 < len(path) else None
            record = f"#{nxt + 1}" if isinstance(nxt, int) else ""
            if record and doc is not None:
                record += _number_of(doc, path[:i + 2], section)
            break
    last = len(path) - 1
    field = path[-1] if path and isinstance(path[-1], str) and last != at else ""
    return ImsFormatError(message, file=name, section=section, record=record, field=field)


# Zip archives ------------------------------------------------------------------------------

def zip_members(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """`(member name, bytes)` of every `.json` in the archive, each checked before it is read."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImsFormatError("is not a valid zip archive", file=name) from None
    found, total = False, 0
    with zf:
        for info in zf.infolist():
            p = PurePosixPath(info.filename.replace("\\", "/"))
            if p.is_absolute() or ".." in p.parts or ":" in info.filename:
                raise ImsFormatError(f"archive member {info.filename!r} points outside the "
                                     "archive; refusing to read it", file=name)
            if info.is_dir() or p.suffix.lower() != ".json":
                continue
            found = True
            if info.flag_bits & 0x1:
                raise ImsFormatError(f"archive member {info.filename!r} is password-protected; "
                                     "unzip it with its password and import the .json file",
                                     file=name)
            member = _inflate(zf, info, name, MAX_INFLATED - total)
            total += len(member)
            yield f"{name}:{info.filename}", member
    if not found:
        raise ImsFormatError("the zip archive holds no .json file", file=name)


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, room: int) -> bytes:
    """The member's bytes, read in pieces and stopped at the caps (sizes in headers can lie)."""
    def bomb(size: int) -> ImsFormatError:
        return ImsFormatError(
            f"archive member {info.filename!r} inflates to more than {size:,} bytes "
            f"(packed {info.compress_size:,}); a portal download is never that large or "
            f"that compressible (limit {MAX_INFLATED:,} bytes, {MAX_RATIO}:1), so it was not "
            "unpacked (a zip bomb?)", file=name)
    cap = min(room, max(_RATIO_FLOOR, info.compress_size * MAX_RATIO))
    if info.file_size > cap:
        raise bomb(info.file_size)
    out, size = [], 0
    try:
        with zf.open(info) as f:
            while piece := f.read(1 << 20):
                size += len(piece)
                if size > cap:
                    raise bomb(size)
                out.append(piece)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        raise ImsFormatError(f"archive member {info.filename!r} cannot be unpacked ({e})",
                             file=name) from None
    return b"".join(out)
