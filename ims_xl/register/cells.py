"""Turn one register cell into a clean value: amounts, dates, text, GSTINs, state codes.

Cells arrive as calamine gives them (float, str, `datetime.date`/`datetime`, bool, '') or as
CSV text. Each function takes any of those; a cell that cannot be read raises `CellError`
with a message the user can act on (the caller adds file, row and column).
Text parsers are memoised: registers repeat the same suppliers, dates and states.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable

from ..model.document import ZERO
from ..model.gstin import STATE_LETTERS, STATES
from .headers import UNREGISTERED, YES, normalise


class CellError(ValueError):
    """A cell that cannot be read as the value its column needs."""


_CURRENCY = re.compile(r"₹|\bINR\b|\bRs\b\.?|/-$", re.IGNORECASE)
_NUMBER = re.compile(r"(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?")
_EXCEL_EPOCH = date(1899, 12, 30)      # Excel's 1900 date system, leap-year bug included
_SERIALS = (20000, 100000)             # 1954 .. 2173: anything else is not a date serial


def amount(v: Any) -> float | None:
    """`"1,18,000.00 Dr"` -> 118000.0; `"(500)"`, `"500 Cr"`, `"-500"` -> -500.0; blank -> None."""
    t = type(v)
    if t is float or t is int:
        return float(v)
    if v is None or v == "":
        return None
    if t is not str:
        raise CellError(f"{v!r} is not an amount")
    try:
        x = float(v)                    # CSV registers: "-1180.50", nearly every cell
    except ValueError:
        return _amount_text(v)
    return x if _plain(x, v) else _amount_text(v)


def _plain(x: float, text: str) -> bool:
    """`float(text)` read `text` as `amount` would: it also reads nan, inf and `1_000`."""
    return x - x == 0 and "_" not in text


_NO_MONEY = ZERO                # the entries' own default: one zero object for all


def money(x: float) -> Decimal:
    """A summed amount as the exact rupees-and-paise it stands for: `1234.1` -> 1234.1,
    `0.1 + 0.2` -> 0.3, `-500.0` -> 500 (entries keep amounts absolute).

    Cells and their float sums carry binary noise far below a paisa; rounding to paise and
    taking the float's shortest repr (what `str` gives) recovers the decimal the user typed.
    """
    return Decimal(money_text(x)) if x else _NO_MONEY       # also -0.0


def money_text(x: float) -> str:
    """`str(money(x))`, the Decimal not made: the register's entries keep their amounts as
    these texts until one is asked for (`model.document.Entries`)."""
    if not x:
        return "0"
    a = abs(x)
    if a < 1e13:
        # The same text, faster: below 1e13 the paise text has at most 15 digits, so it is
        # the shortest repr of the rounded float once a trailing zero is dropped (1.50 -> 1.5,
        # 100.00 -> 100.0). A Decimal keeps such a text as it is.
        text = f"{a:.2f}"
        return text[:-1] if text[-1] == "0" else text
    return str(Decimal(repr(round(a, 2))))             # 1.5e+16 is written 1.5E+16


@lru_cache(maxsize=1 << 16)
def _amount_text(s: str) -> float | None:
    t = "".join(_CURRENCY.sub("", s.strip()).replace(",", "").split()).lower()
    if t in ("", "-", "–", "nil"):
        return None
    sign = 1.0
    for suffix, factor in (("cr.", -1.0), ("cr", -1.0), ("dr.", 1.0), ("dr", 1.0)):
        if t.endswith(suffix):
            t, sign = t[: -len(suffix)], factor
            break
    if t[:1] == "(" and t[-1:] == ")":
        t, sign = t[1:-1], -sign
    if t[:1] in ("-", "−"):
        t, sign = t[1:], -sign
    elif t[-1:] == "-":                 # SAP-style trailing minus: "1180.00-"
        t, sign = t[:-1], -sign
    elif t[:1] == "+":
        t = t[1:]
    if not _NUMBER.fullmatch(t):
        raise CellError(f"{s.strip()!r} is not an amount")
    return sign * float(t)


def to_date(v: Any, *, month_first: bool = False) -> date | None:
    """A date from a date/datetime cell, an Excel serial or text typed day-first."""
    t = type(v)
    if t is datetime:
        return v.date()
    if t is date:
        return v
    if v is None or v == "":
        return None
    if t is float or t is int:
        return _serial(v)
    if t is str:
        return _date_text(v.strip(), month_first) if v.strip() else None
    raise CellError(f"{v!r} is not a date")


def _serial(n: float) -> date:
    if not _SERIALS[0] <= n < _SERIALS[1]:
        raise CellError(f"{n:g} is a number, not a date")
    return _EXCEL_EPOCH + timedelta(days=int(n))


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_TIME = re.compile(r"[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(am|pm)?$")
_DMY = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4}|\d{2})")
_YMD = re.compile(r"(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})")
_D_MON_Y = re.compile(r"(\d{1,2})[-/. ]?([a-z]{3,9})\.?[-/., ]*(\d{4}|\d{2})")
_MON_D_Y = re.compile(r"([a-z]{3,9})\.?[-/. ](\d{1,2}),?[-/. ]+(\d{4})")


@lru_cache(maxsize=1 << 14)
def _date_text(s: str, month_first: bool) -> date:
    t = _TIME.sub("", s.lower()).strip()
    try:
        if m := _DMY.fullmatch(t):
            d, mo, y = (int(x) for x in m.groups())
            if month_first:
                d, mo = mo, d
            return date(_year(y), mo, d)
        if m := _YMD.fullmatch(t):
            return date(*(int(x) for x in m.groups()))
        if m := _D_MON_Y.fullmatch(t):
            return date(_year(int(m[3])), _month(m[2], s), int(m[1]))
        if m := _MON_D_Y.fullmatch(t):
            return date(int(m[3]), _month(m[1], s), int(m[2]))
        if re.fullmatch(r"\d{5}(\.\d+)?", t):
            return _serial(float(t))
        if re.fullmatch(r"(19|20)\d{6}", t):           # 20260305
            return date(int(t[:4]), int(t[4:6]), int(t[6:]))
    except ValueError:
        raise CellError(f"{s!r} is not a valid date") from None
    raise CellError(f"{s!r} is not a date (type it as dd-mm-yyyy)")


def _year(y: int) -> int:
    return 2000 + y if y < 100 else y         # GST began in 2017: "26" is 2026


def _month(name: str, original: str) -> int:
    if name[:3] not in _MONTHS:
        raise CellError(f"{original!r} is not a date (unknown month {name!r})")
    return _MONTHS[name[:3]]


def month_first_example(values: Iterable[Any]) -> str:
    """A text date that only reads month-first (`03/25/2026`), or '' when day-first fits."""
    day_first = month_first = ""
    for v in values:
        m = _DMY.fullmatch(v.strip()) if isinstance(v, str) else None
        if m:
            a, b = int(m[1]), int(m[2])
            if b > 12 >= a:
                month_first = month_first or v
            elif a > 12 >= b:
                day_first = day_first or v
    return "" if day_first else month_first


def text(v: Any) -> str:
    """Document numbers stay text: 2025000000000123.0 -> `"2025000000000123"`, `'0123` -> `0123`."""
    t = type(v)
    if t is str:
        s = v.strip()
        if s and s[0] in "'=":
            if s[0] == "'":                             # typed to force text in Excel
                s = s[1:]
            elif s[:2] == '="' and s[-1:] == '"':       # CSV written as ="0123" to keep zeros
                s = s[2:-1]
        return s
    if t is float:
        return str(int(v)) if v.is_integer() else repr(v)
    if v is None:
        return ""
    if t is datetime or t is date:
        return v.strftime("%d-%m-%Y")
    return str(v)


def long_number(v: Any) -> bool:
    """A number cell of 16+ digits: Excel keeps 15 significant digits, the rest may be lost."""
    return type(v) in (float, int) and abs(v) >= 1e15


_SCIENTIFIC = re.compile(r"\d(\.\d+)?e\+?\d+", re.IGNORECASE)


def scientific(s: str) -> bool:
    """`2.025E+15`: a long number that was saved in scientific notation (digits are gone)."""
    return ("e" in s or "E" in s) and bool(_SCIENTIFIC.fullmatch(s))


@lru_cache(maxsize=1 << 16)
def _gstin_text(s: str) -> str:
    g = "".join(text(s).split()).replace("-", "").upper()
    return "" if g in UNREGISTERED else g


def gstin(v: object) -> str:
    """`"27aahcm 1357n1z2"` -> `"27AAHCM1357N1Z2"`; `URP`, `NA`, blank -> '' (unregistered)."""
    if type(v) is str:
        return _gstin_text(v) if v else ""
    return _gstin_text(text(v)) if v is not None else ""


_STATE_NAMES = {normalise(n.replace("&", "and")): c for c, n in STATES.items()}


@lru_cache(maxsize=4096)
def state_code(v: object) -> str | None:
    """Place of supply as the 2-digit code: 27, `"27-Maharashtra"`, `"MH"`, `"Maharashtra"`.

    '' for a blank cell, None when the text names no state we know.
    """
    if type(v) is float:
        v = text(v)
    s = str(v or "").strip()
    if not s:
        return ""
    if m := re.match(r"\(?(\d{1,2})\b", s) or re.search(r"\((\d{2})\)", s):
        code = f"{int(m[1]):02d}"
        return code if code in STATES else None
    if s.upper() in STATE_LETTERS:
        return STATE_LETTERS[s.upper()]
    return _STATE_NAMES.get(normalise(s.replace("&", "and")))


def flag(v: object) -> bool:
    """Yes/No cells: `Y`, `Yes`, `True`, 1 -> True."""
    if v == "" or v is None:
        return False
    if type(v) is bool:
        return v
    if type(v) is float:
        return v == 1
    return str(v or "").strip().lower() in YES
