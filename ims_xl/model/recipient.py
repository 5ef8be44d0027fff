"""The recipient GSTIN (our client's): the one rule every command and button uses.

It can come from three places. In order of precedence:

1. `given` — typed for this run (`--gstin`);
2. `download` — the `rtin` the IMS download carries (the portal's own word);
3. `home` — the workbook's sheet Home, or a settings file's `RecipientGSTIN`.

Each is cleaned first (spaces dropped, upper-cased). The first non-blank one is the
recipient, and every other non-blank one must name the same GSTIN: two sources that
disagree mean the wrong workbook or the wrong download, and that stops the run rather than
uploading for the wrong client. The result must be a valid GSTIN; when every source is blank
the result is '' unless `required` (an export needs one).
"""

from __future__ import annotations

from .errors import ImsXlError
from .gstin import clean, problem

GIVEN, DOWNLOAD, HOME = "--gstin", "the download's recipient GSTIN", \
    "the workbook's Recipient GSTIN (sheet Home)"


def recipient_gstin(*, given: object = None, download: object = None, home: object = None,
                    required: bool = False, home_is: str = HOME, fix: str = "") -> str:
    """The recipient GSTIN by the precedence above; `ImsXlError` when sources disagree, the
    GSTIN is invalid, or none is given and `required`.

    `home_is` names where `home` came from in messages; `fix` is appended to them (what the
    user can do, in the words of the caller's screen or command)."""
    sources = [(label, clean(value)) for label, value in
               ((GIVEN, given), (DOWNLOAD, download), (home_is, home))]
    named = [(label, value) for label, value in sources if value]
    if not named:
        if required:
            raise ImsXlError(_say(f"no recipient GSTIN: {home_is} is blank", fix))
        return ""
    (first, rtin), *others = named
    for label, value in others:
        if value != rtin:
            raise ImsXlError(_say(f"{first} {rtin} differs from {label} {value}: is this the "
                                  "right workbook?", fix))
    why = problem(rtin)
    if why:
        raise ImsXlError(_say(f"recipient GSTIN ({first}): {why}", fix))
    return rtin


def _say(message: str, fix: str) -> str:
    return f"{message}; {fix}" if fix else message
