"""Document-number normaliser (docs/reference/matching.md#number-comparison): when two spellings are
one document.

`normalise("INV/2023-24/0012")` -> `Number(key="INV12", core="12", fy=2023)`.

- Case folds; every character other than A-Z and 0-9 is a separator.
- Tokens split at separators and at letter/digit boundaries; leading zeros are stripped per
  numeric token (`0012` -> `12`), so zeros inside the number no longer matter.
- A financial-year token in any spelling (`2023-24`, `23-24`, `2324`, `202324`,
  `2023-2024`, `2023/24`) is taken out of the key and kept apart in `fy`, so
  `INV/23-24/12` = `INV/2023-24/0012` = `INV/12`, while `INV/23-24/12` and `INV/24-25/12`
  (a serial restarted in a new year) stay different. It is taken out only when a number is
  left, so a bare serial `2425` survives.
- `key` joins the tokens; two numeric tokens keep a `.` between them, because after
  zero-stripping `12/0345` and `1/2345` would otherwise both read `12345`.
- `core` is the numeric tokens alone: equal cores with different keys mean a prefix or
  suffix was dropped or changed (`ABI/12` vs `12`). `INV 5` / `INV 50`, `1234` / `12345`
  and `BILL-23-00040` / `BILL-23-00045` differ in their cores, so no rule ever pairs them.

Evidence is taken in order (`relation`): the plain spelling first (`plain()`: upper-case,
letters and digits only, so `ABC/2024-25/317` = `ABC202425317`, as long as one side only
dropped separators: `1-23` is not `12-3`), then the key, then a year
glued into a digit run (`glued()`: `INV242500012` is serial 12 of 2024-25), which counts
only against a number that writes that year apart, then the core.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

_SPLIT = re.compile(r"([0-9]+)")          # -> text, digits, text, digits, ..., text
_NOT_LETTER = re.compile(r"[^A-Z]+")
DEFAULT_YEARS = (2017, 2045)

_GLUED = re.compile(r"[0-9]{5,}")       # a run long enough to hold a year and a serial
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")

SAME, CORE, DIFFERENT = "same", "core", "different"


class Number(NamedTuple):
    key: str        # the document's identity: letters and numbers, no separators or FY
    core: str       # numeric tokens only, "." between them; "" when there are none
    fy: int         # FY start year written in the number (2023 for 23-24), 0 when none


def normalise(text: object, years: tuple = DEFAULT_YEARS) -> Number:
    """The comparable form of a document number.

    Not cached here: callers normalise each distinct spelling once (sides.py).
    """
    return normalised(exact_text(text), tuple(years))


def normalised(upper: str, years: tuple, prefixes: dict | None = None) -> Number:
    """`normalise` of a spelling already stripped and upper-cased (`exact_text`).

    `prefixes`: a cache for a caller that works out many spellings (see `_by_prefix`).
    """
    return Number._make(_normalised(upper, years, prefixes))


def _normalised(upper: str, years: tuple, prefixes: dict | None = None) -> tuple:
    """`normalised` as a plain tuple (key, core, fy): `join_texts` takes it apart at once."""
    parts = _SPLIT.split(upper)
    ascii_ = upper.isascii()
    if len(parts) == 3 and ascii_:      # one digit run, no year to take out
        head, digits, tail = parts
        head = head if head.isalpha() else head.translate(_NOT_LETTERS)
        tail = tail if tail.isalpha() else tail.translate(_NOT_LETTERS)
        digits = digits.lstrip("0") or "0"
        return head + digits + tail, digits, 0
    if prefixes is not None and len(parts) > 3 and ascii_:
        return _by_prefix(upper, parts[-2], parts[-1], years, prefixes)
    digits = parts[1::2]
    if ascii_:                          # a table lookup, no regex
        gaps = [g if g.isalpha() else g.translate(_NOT_LETTERS) for g in parts[0::2]]
    else:
        gaps = [_NOT_LETTER.sub("", g) for g in parts[0::2]]
    fy = 0
    if len(digits) > 1:
        fy, digits, gaps = _take_fy(digits, gaps, _year_names(years))
    if not digits:
        return gaps[0], "", fy
    digits = [d.lstrip("0") or "0" for d in digits]
    # between two digit runs an empty gap was only separators: keep "." there
    inner = "".join([d + (g or ".") for d, g in zip(digits, gaps[1:-1])])
    return gaps[0] + inner + digits[-1] + gaps[-1], ".".join(digits), fy


# A digit run that is no year however it is cut: years are written in 2, 4, 6 or 8 digits.
_PROBE = "9" * 9


def _by_prefix(upper: str, last: str, tail: str, years: tuple, prefixes: dict) -> tuple:
    """Most numbers are a prefix and a serial (`ST/25-26/` + `0031`). What the prefix gives
    (letters, numbers, year) is worked out once, with a stand-in serial that is no year,
    and reused for every serial that cannot be a year or close one either (a serial that
    might, `.../2526`, is read with the whole number)."""
    _, ends, singles = _year_names(years)
    if last in ends or last in singles:
        return _normalised(upper, years)
    head = upper[:len(upper) - len(last) - len(tail)]
    known = prefixes.get(head)
    if known is None:
        n_key, n_core, n_fy = _normalised(head + _PROBE, years)
        known = prefixes[head] = (n_key[:-len(_PROBE)], n_core[:-len(_PROBE)], n_fy)
    key, core, fy = known
    serial = last.lstrip("0") or "0"
    tail = tail if tail.isalpha() else tail.translate(_NOT_LETTERS)
    return key + serial + tail, core + serial, fy


_NOT_LETTERS = {c: None for c in range(128) if not (65 <= c <= 90)}     # all but A-Z
_SEPARATORS = {c: None for c in range(128) if not chr(c).isalnum()}


def plain(text: object) -> str:
    """The spelling without case or separators: `inv-26-01958` -> `INV2601958`."""
    t = str(text or "").upper()
    if t.isascii():                     # most numbers: a table lookup, no regex
        return t if t.isalnum() else t.translate(_SEPARATORS)
    return _NOT_ALNUM.sub("", t)


def glued(text: object, years: tuple = DEFAULT_YEARS) -> Number | None:
    """The number read with a financial year glued to the front of a digit run.

    `ABC202425317` -> key `ABC317`, fy 2024; `INV242500012` -> key `INV12`, fy 2024. None
    when the number already writes a year apart or no run starts with a year and still
    holds a serial after it. Only evidence against a number that carries the same year
    (the caller checks): on its own `2425001` may just be a serial.
    """
    upper = str(text or "").strip().upper()
    names = _year_names(tuple(years))
    for m in _GLUED.finditer(upper):
        run = m.group()
        for width in (8, 6, 4):
            fy = _fy_single(run[:width], names)
            if fy and len(run) > width:
                n = normalise(upper[:m.start()] + "/" + run[width:] + "/" + upper[m.end():],
                              years)
                return None if n.fy else Number(n.key, n.core, fy)
    return None


def join_texts(text: str, years: tuple, prefixes: dict | None = None) -> tuple:
    """What the matcher joins a spelling on: its exact text, its year, the year glued into
    it, and the texts of its key, core, plain spelling and glued key (`sides.Spellings` gives
    each text a code)."""
    exact = text.strip().upper() if text.__class__ is str else exact_text(text)
    key, core, fy = _normalised(exact, years, prefixes)
    # a glued year needs a digit run of 5+ digits, which the core then holds
    g = glued(exact, years) if fy == 0 and len(core) >= 5 and _may_glue(core, years) \
        else None
    g_key, g_fy = (g.key, g.fy) if g else ("", 0)
    if exact.isascii():                 # `plain(exact)`, the upper-casing done already
        flat = exact if exact.isalnum() else exact.translate(_SEPARATORS)
    else:
        flat = plain(exact)
    return exact, fy, g_fy, key, core, flat, g_key


def _may_glue(core: str, years: tuple) -> bool:
    """Whether `glued` can find a year in a number whose `core` this is: a run of its digits
    starts with a year written as one run and goes on. Most numbers' cannot, and this costs
    a third of `glued`. The core's runs are the number's but for leading zeros: with years
    before 2010 (`07` for 2007) a run with them may start with a year, so `glued` looks."""
    if int(years[0]) < 2010:
        return True
    singles = _year_names(years)[2]
    for run in core.split("."):
        if len(run) > 4 and (run[:4] in singles or run[:6] in singles or run[:8] in singles):
            return True
    return False


def spelling_texts(texts: list, years: tuple) -> dict[str, tuple]:
    """`join_texts` of each distinct text (text only): the part of the join keys that needs
    no other spelling, so it can be worked out ahead, on the other core
    (`sides.Spellings(worked=)`)."""
    prefixes: dict = {}
    return {t: join_texts(t, years, prefixes) for t in set(texts) if t.__class__ is str}


def cuts(text: object) -> frozenset:
    """Where a separator splits digits, counted in plain characters: `1-23` -> {1}."""
    out, n, gap, prev = set(), 0, False, ""
    for ch in str(text or "").upper():
        if ch.isascii() and ch.isalnum():
            if gap and prev.isdigit() and ch.isdigit():
                out.add(n)
            n, gap, prev = n + 1, False, ch
        else:
            gap = True
    return frozenset(out)


def plain_same(a: object, b: object) -> bool:
    """Same characters once case and separators go, and one side only dropped separators:
    `INV-26-01958` = `inv2601958`, but `1-23` is not `12-3` (a digit moved across)."""
    if not plain(a) or plain(a) != plain(b):
        return False
    ca, cb = cuts(a), cuts(b)
    return ca <= cb or cb <= ca


def relation(a: object, b: object, years: tuple = DEFAULT_YEARS) -> str:
    """`same` document, same numeric `core` only (a prefix differs), or `different`."""
    if plain_same(a, b):
        return SAME                       # the same characters: the same document
    na, nb = normalise(a, years), normalise(b, years)
    if na.fy and nb.fy and na.fy != nb.fy:
        return DIFFERENT                  # same serial in two financial years
    if na.key and na.key == nb.key:
        return SAME
    if _glued_same(a, nb, years) or _glued_same(b, na, years):
        return SAME
    if na.core and na.core == nb.core:
        return CORE
    return DIFFERENT


def _glued_same(text: object, other: Number, years: tuple) -> bool:
    g = glued(text, years)
    return bool(g and other.fy == g.fy and other.key == g.key)


def exact_text(text: object) -> str:
    """The spelling compared for `number-exact`: case and surrounding spaces ignored."""
    return str(text or "").strip().upper()


def _take_fy(digits: list, gaps: list, names: tuple) -> tuple[int, list, list]:
    """Find the first FY token; cut it out if a number remains (else it is the serial).

    `gaps[j]` is the letters before `digits[j]` ("" = only separators). A pair (`2023-24`,
    `2023/2024`) is two runs with only separators between them and is tried before a run
    alone (`2324`), so `2021-22` is not read as `20|21`.
    """
    starts, ends, singles = names
    n = len(digits)
    for k, d in enumerate(digits):
        if n > 2 and k + 1 < n and not gaps[k + 1]:
            fy = starts.get(d)
            if fy and ends.get(digits[k + 1]) == fy + 1:
                return fy, digits[:k] + digits[k + 2:], \
                    gaps[:k] + ["".join(gaps[k:k + 3])] + gaps[k + 3:]
        fy = singles.get(d)
        if fy:
            return fy, digits[:k] + digits[k + 1:], \
                gaps[:k] + ["".join(gaps[k:k + 2])] + gaps[k + 2:]
    return 0, digits, gaps


@lru_cache(maxsize=8)
def _year_names(years: tuple) -> tuple[dict, dict, dict]:
    """({'23': 2023, '2023': 2023, ...} for FY start years, the same for closing years, and
    every year written as one run: {'2324': 2023, '202324': 2023, '20232024': 2023, ...})."""
    first, last = int(years[0]), int(years[1])
    starts = {n: y for y in range(first, last + 1) for n in (f"{y % 100:02d}", str(y))}
    ends = {n: y for y in range(first + 1, last + 2) for n in (f"{y % 100:02d}", str(y))}
    singles = {}
    for a, y in starts.items():
        for b in (f"{(y + 1) % 100:02d}", str(y + 1)):
            if (len(a), len(b)) in ((2, 2), (4, 2), (4, 4)) and ends.get(b) == y + 1:
                singles[a + b] = y
    return starts, ends, singles


def _fy_single(t: str, names: tuple) -> int:
    """`2324`, `202324`, `20232024` written without a separator."""
    return names[2].get(t, 0)
