"""Write the upload JSON (docs/reference/ims-format.md#upload): offline dialect, changed records
only.

Identity and value fields are echoed from the downloaded record (`ImsRecord.raw`) untouched;
only `action`, `remarks` and the ITC-reduction block come from the user's decision.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from . import dialects
from ..files.atomic import write_bytes
from ..model.document import HEADS, Decision, ImsRecord
from ..model.section import SECTIONS


def is_changed(decision: Decision, portal: Decision) -> bool:
    """A record goes into the upload iff the user's decision differs from the portal's
    (docs/reference/ims-format.md#changed-records-only)."""
    return decision.action is not None and not decision.same_as(portal)


def upload_record(rec: ImsRecord, dec: Decision) -> dict:
    """One record of `invdata`, keys in the official tool's order."""
    raw = rec.raw
    out = {k: raw[k] for k in dialects.ECHOED if k in raw}
    out["action"] = dec.action
    remarks = dec.remarks.strip()
    if remarks and not rec.remarks_blocked:
        out["remarks"] = remarks
    if (dec.action == "A" and SECTIONS[rec.section].itc_declaration and not rec.itc_blocked
            and dec.itc_red_req):
        out[dialects.ITC_RED_REQ[0]] = dec.itc_red_req
        if dec.itc_red_req == "Y":
            for head in HEADS:
                amount = dec.declared.get(head)
                if amount not in (None, ""):
                    out[dialects.DECLARED[head][0]] = _money(amount)
    if dialects.SEND_PREV_STATUS:
        out["prev_status"] = rec.action
    order = {k: i for i, k in enumerate(dialects.UPLOAD_ORDER)}
    return dict(sorted(out.items(), key=lambda kv: order.get(kv[0], len(order))))


def build_upload(pairs: Iterable[tuple[ImsRecord, Decision]], rtin: str) -> dict:
    """`pairs` of (record, decision) already chosen for upload -> the upload document."""
    invdata: dict[str, list] = {code: [] for code in SECTIONS}
    for rec, dec in pairs:
        invdata[rec.section].append(upload_record(rec, dec))
    if dialects.OMIT_EMPTY_SECTIONS:
        invdata = {k: v for k, v in invdata.items() if v}
    rtin_key, reqtyp_key, invdata_key = dialects.UPLOAD_KEYS
    return {rtin_key: rtin, reqtyp_key: dialects.UPLOAD_REQTYP, invdata_key: invdata}


_SENTINEL = "\x00#"
_MARKED = (Decimal, dict, list)
_NUMBER = re.compile(r'"\\u0000#([-+0-9.eE]+)"')


def dumps(doc: Any, indent: int | None = None) -> str:
    """JSON text in which every `Decimal` is written digit for digit as it was read."""
    # flat records are the common case: one pass, no calls
    def mark(o: Any) -> Any:
        t = o.__class__
        if t is Decimal:
            return _SENTINEL + str(o)
        if t is dict:
            return {k: (v if v.__class__ not in _MARKED else mark(v)) for k, v in o.items()}
        if t is list:
            return [mark(v) for v in o]
        return o
    text = json.dumps(mark(doc), ensure_ascii=False, indent=indent,
                      separators=(",", ": ") if indent else (",", ":"))
    return _NUMBER.sub(lambda m: m.group(1), text)


def split_upload(doc: dict, max_bytes: int = dialects.UPLOAD_MAX_BYTES) -> list[dict]:
    """Split an upload into parts that each stay under `max_bytes` (records never split)."""
    rtin_key, reqtyp_key, invdata_key = dialects.UPLOAD_KEYS
    if len(dumps(doc).encode()) <= max_bytes:
        return [doc]
    parts: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    size = 200
    for section, records in doc[invdata_key].items():
        for r in records:
            n = len(dumps(r).encode()) + 1
            if current and size + n > max_bytes:
                parts.append(current)
                current, size = {}, 200
            current.setdefault(section, []).append(r)
            size += n + 20
    if current:
        parts.append(current)
    return [{rtin_key: doc[rtin_key], reqtyp_key: doc[reqtyp_key], invdata_key: p}
            for p in parts]


def write_upload(doc: dict, out: str | Path, *,
                 max_bytes: int = dialects.UPLOAD_MAX_BYTES) -> list[Path]:
    """Write `doc` to `out` (or `out_1.json`, `out_2.json`... when it must be split)."""
    out = Path(out)
    parts = split_upload(doc, max_bytes)
    if len(parts) == 1:
        return [write_bytes(out, dumps(doc).encode())]
    return [write_bytes(out.with_name(f"{out.stem}_{i}{out.suffix}"), dumps(p).encode())
            for i, p in enumerate(parts, 1)]


def count_records(doc: dict) -> int:
    return sum(len(v) for v in doc[dialects.UPLOAD_KEYS[2]].values())


def _money(v: Any) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"))
