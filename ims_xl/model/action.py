"""Action codes and labels (docs/reference/ims-format.md#action-codes)."""

from __future__ import annotations

LABELS = {"A": "Accept", "R": "Reject", "P": "Pending", "N": "No Action"}
CODES = ("A", "R", "P", "N")
_BY_TEXT = {**{c: c for c in CODES}, **{v.upper(): k for k, v in LABELS.items()},
            "NOACTION": "N", "NO-ACTION": "N", "ACCEPTED": "A", "REJECTED": "R"}


def code_of(text: object) -> str | None:
    """`Accept`, `a`, `A`, `accepted` -> `A`; blank -> None; unknown -> raises ValueError."""
    s = str(text if text is not None else "").strip()
    if not s:
        return None
    code = _BY_TEXT.get(s.upper()) or _BY_TEXT.get(s.upper().replace(" ", ""))
    if code is None:
        raise ValueError(f"unknown action {s!r}; use Accept, Reject, Pending or No Action")
    return code


def label_of(code: str | None) -> str:
    return LABELS.get(code or "", "")
