"""GSTIN structure, the mod-36 check character and state codes (docs/reference/ims-format.md#gstin,
docs/reference/ims-format.md#state-codes)."""

from __future__ import annotations

import re

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_SHAPE = re.compile(r"^[0-9]{2}[0-9A-Z]{13}$")

STATES: dict[str, str] = {
    "01": "Jammu & Kashmir", "02": "Himachal Pradesh", "03": "Punjab", "04": "Chandigarh",
    "05": "Uttarakhand", "06": "Haryana", "07": "Delhi", "08": "Rajasthan",
    "09": "Uttar Pradesh", "10": "Bihar", "11": "Sikkim", "12": "Arunachal Pradesh",
    "13": "Nagaland", "14": "Manipur", "15": "Mizoram", "16": "Tripura", "17": "Meghalaya",
    "18": "Assam", "19": "West Bengal", "20": "Jharkhand", "21": "Odisha",
    "22": "Chhattisgarh", "23": "Madhya Pradesh", "24": "Gujarat",
    "25": "Daman & Diu", "26": "Dadra & Nagar Haveli and Daman & Diu", "27": "Maharashtra",
    "28": "Andhra Pradesh (old)", "29": "Karnataka", "30": "Goa", "31": "Lakshadweep",
    "32": "Kerala", "33": "Tamil Nadu", "34": "Puducherry", "35": "Andaman & Nicobar Islands",
    "36": "Telangana", "37": "Andhra Pradesh", "38": "Ladakh", "96": "Foreign Country",
    "97": "Other Territory",
}

# Two-letter codes some registers (Zoho Books) use for place of supply.
STATE_LETTERS: dict[str, str] = {
    "JK": "01", "HP": "02", "PB": "03", "CH": "04", "UK": "05", "UT": "05", "HR": "06",
    "DL": "07", "RJ": "08", "UP": "09", "BR": "10", "SK": "11", "AR": "12", "NL": "13",
    "MN": "14", "MZ": "15", "TR": "16", "ML": "17", "AS": "18", "WB": "19", "JH": "20",
    "OR": "21", "OD": "21", "CG": "22", "CT": "22", "MP": "23", "GJ": "24", "DD": "25",
    "DN": "26", "MH": "27", "AD": "37", "KA": "29", "GA": "30", "LD": "31", "KL": "32",
    "TN": "33", "PY": "34", "AN": "35", "TS": "36", "TG": "36", "AP": "37", "LA": "38",
    "OT": "97",
}


# What a character adds to the mod-36 sum at an odd place (weight 1) and at an even place
# (weight 2: the product's quotient and remainder by 36, added).
_ODD_PLACE = _VALUE
_EVEN_PLACE = {c: 2 * v // 36 + 2 * v % 36 for c, v in _VALUE.items()}


def check_char(first14: str) -> str:
    """The 15th character that makes `first14` a valid GSTIN."""
    total = sum(map(_ODD_PLACE.__getitem__, first14[0::2])) + \
        sum(map(_EVEN_PLACE.__getitem__, first14[1::2]))
    return _ALPHABET[(36 - total % 36) % 36]


def clean(text: object) -> str:
    """Upper-case and drop spaces: users type `27aahcm 1357n1z2`."""
    return "".join(str(text or "").split()).upper()


def is_valid(gstin: str) -> bool:
    """Shape, known state code and check character."""
    if not _SHAPE.match(gstin) or gstin[:2] not in STATES:
        return False
    return check_char(gstin[:14]) == gstin[14]


def problem(gstin: str) -> str:
    """Why `gstin` is invalid, or '' when it is valid."""
    if not gstin:
        return "GSTIN is empty"
    if len(gstin) != 15:
        return f"GSTIN {gstin!r} has {len(gstin)} characters, not 15"
    if not _SHAPE.match(gstin):
        return f"GSTIN {gstin!r} has characters outside 0-9 and A-Z"
    if gstin[:2] not in STATES:
        return f"GSTIN {gstin!r} starts with unknown state code {gstin[:2]}"
    if check_char(gstin[:14]) != gstin[14]:
        return f"GSTIN {gstin!r} fails the check character (expected {check_char(gstin[:14])})"
    return ""


def pan(gstin: str) -> str:
    """The PAN inside a GSTIN (characters 3-12): one business, several registrations."""
    return gstin[2:12]


def state_of(gstin: str) -> str:
    return gstin[:2]
