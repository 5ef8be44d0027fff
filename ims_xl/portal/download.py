"""Read IMS downloads and error files in every dialect (docs/reference/ims-format.md#download,
docs/reference/ims-format.md#error-file).

`read_ims([paths])` -> `Download`. Accepts `.json` or a `.zip` of JSON files, the offline
(`imsDetails`), error-file (`imsDetailsErr`), API (`data`, `data.data`) and web dialects,
flags as Y/N or booleans. Several files merge; a record present twice is kept once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import dialects
from .. import progress
from ..model.document import HEADS, ZERO, ImsRecord
from ..model.errors import ImsFormatError
from ..model.gstin import clean as clean_gstin
from ..model.section import SECTIONS, section_code


@dataclass
class Download:
    records: list[ImsRecord] = field(default_factory=list)
    kind: str = "download"             # download | errors
    rtin: str = ""                     # recipient GSTIN, when the file carries one
    files: list[str] = field(default_factory=list)
    duplicates: int = 0                # records seen more than once across the files
    other: dict = field(default_factory=dict)   # sections outside IMS (impg...): key -> records
    # (bytes, parsed document) of each file: the records' own texts (`record_text`); let go
    # once the IMS sheet's process has its copy (`workbook.ahead.ims_sheet_ahead`)
    sources: list = field(default_factory=list, repr=False, compare=False)

    def other_lines(self) -> list[str]:
        """A warning per section that is read but not imported (not part of the upload)."""
        return [f"warning: section {key!r} ({len(items)} record(s)) is not an IMS section "
                "(imports of goods, ISD...): it was not imported and is not part of the "
                "upload" for key, items in self.other.items()]

    def require(self, kind: str) -> "Download":
        """Stop when a download was given where an error file belongs, or the reverse."""
        if self.kind != kind:
            raise ImsFormatError(_WRONG_KIND[kind], file=", ".join(self.files))
        return self


_WRONG_KIND = {
    "download": "is a portal error file, not an IMS download: import it with Import Error "
                "File (ims-xl import-errors)",
    "errors": f"is an IMS download, not a portal error file (an error file holds "
              f"{dialects.ERROR_ENVELOPE!r} or error_report): import it with Import IMS JSON "
              "(ims-xl reconcile --ims)",
}


def read_ims(paths: Any) -> Download:
    """Read and merge one or more IMS files (paths or `(name, bytes)` pairs)."""
    if isinstance(paths, (str, Path, tuple)):
        paths = [paths]
    progress.stage("Reading the IMS download")
    out = Download()
    seen: dict[str, int] = {}
    kinds = set()
    for name, data in _documents(paths):
        doc = _load_json(name, data)
        out.sources.append((data, doc))
        kind, rtin, sections = _envelope(name, doc)
        kinds.add(kind)
        for key, items in _other_sections(sections).items():
            out.other.setdefault(key, []).extend(items)
        out.rtin = out.rtin or rtin
        out.files.append(name)
        records = out.records
        for rec in _records(name, sections):
            at = seen.setdefault(rec.key, len(records))
            if at == len(records):
                records.append(rec)
            else:                      # same record again: the later file is the newer one
                out.duplicates += 1
                records[at] = rec
    if len(kinds) > 1:
        raise ImsFormatError("mixes IMS downloads and error files; import them separately",
                             file=", ".join(out.files))
    out.kind = kinds.pop() if kinds else "download"
    return out


def parse_document(name: str, doc: dict) -> Download:
    """Records of one already-parsed JSON document (used by tests and the error-file reader)."""
    kind, rtin, sections = _envelope(name, doc)
    return Download(list(_records(name, sections)), kind, rtin, [name])


# Files -----------------------------------------------------------------------------------

def _documents(paths: list[Any]) -> Iterator[tuple[str, bytes]]:
    for item in paths:
        if isinstance(item, tuple):
            name, data = item
        else:
            p = Path(item)
            name = p.name
            try:
                data = p.read_bytes()
            except OSError as e:
                raise ImsFormatError(f"cannot read: {e.strerror or e}", file=str(item)) from None
        if data[:4] == b"PK\x03\x04" or name.lower().endswith(".zip"):
            yield from _zip_members(name, data)
        else:
            yield name, data


def _zip_members(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    from ..files.jsonload import zip_members
    return zip_members(name, data)


def _load_json(name: str, data: bytes) -> dict:
    from ..files.jsonload import load               # duplicate keys, odd numbers, zip limits...
    doc = load(data, name)
    if not isinstance(doc, dict):
        raise ImsFormatError("is JSON but not an IMS file (top level is not an object)",
                             file=name)
    return doc


# Envelope --------------------------------------------------------------------------------

def _envelope(name: str, doc: dict) -> tuple[str, str, dict]:
    """(kind, rtin, {section: records}) for any known dialect."""
    rtin = _rtin(doc)
    for key, kind in ((dialects.DOWNLOAD_ENVELOPE, "download"),
                      (dialects.ERROR_ENVELOPE, "errors")):
        if isinstance(doc.get(key), dict):
            return kind, rtin or _rtin(doc[key]), doc[key]
    body = doc
    while isinstance(body.get(dialects.API_ENVELOPE), dict):      # data, data.data
        body = body[dialects.API_ENVELOPE]
        rtin = rtin or _rtin(body)
    if isinstance(body.get("error_report"), dict):
        return "errors", rtin, {"error_report": body["error_report"]}
    if any(section_code(k) for k in body):
        return "download", rtin, body
    raise ImsFormatError(
        f"unknown IMS envelope: top-level keys {sorted(doc)[:8]}; expected "
        f"{dialects.DOWNLOAD_ENVELOPE!r}, {dialects.ERROR_ENVELOPE!r} or "
        f"{dialects.API_ENVELOPE!r} holding the "
        "sections b2b, b2ba, b2bdn, b2bdna, b2bcn, b2bcna, ecom, ecoma", file=name)


def _rtin(obj: dict) -> str:
    for key in ("rtin", "gstin"):
        if isinstance(obj.get(key), str):
            return clean_gstin(obj[key])
    return ""


# Records ---------------------------------------------------------------------------------

def _other_sections(sections: dict) -> dict:
    """Lists of records under keys that are not IMS sections (`impg`, `isd`), kept to show."""
    return {k: v for k, v in sections.items()
            if v and isinstance(v, list) and k != "error_report" and section_code(k) is None}


def _records(name: str, sections: dict) -> Iterator[ImsRecord]:
    if "error_report" in sections:
        yield from api_error_records(name, sections["error_report"])
        return
    for key, items in sections.items():
        code = section_code(key)
        if code is None:
            continue                    # unknown groups (imports, ISD) are not in offline IMS
        if items is None:
            continue
        if not isinstance(items, list):
            raise ImsFormatError("is not a list of records", file=name, section=code)
        yield from _section_records(items, code, name)


def _section_records(items: list, code: str, name: str) -> list[ImsRecord]:
    """The section's records in order: each plain one read in one step, any other (and any
    wrong one, which it names) by `record_from_raw` (20 µs a record; the one step, 3 µs)."""
    plain = plain_reader(items, code, name)
    return [plain(raw) or record_from_raw(raw, code, name, i) for i, raw in enumerate(items, 1)]


def plain_reader(items: list, code: str, name: str) -> Callable[[Any], ImsRecord | None]:
    """`read(raw)`: the record `record_from_raw` would build, or None when `raw` is not plain.

    Plain: a dict whose text fields are text (or absent), amounts Decimal (or absent),
    document number, GSTIN and date not blank, and no key read here only rarely (aliases,
    the older pending flag, the ITC declaration, a second spelling of a flag). Everything
    else is left to `record_from_raw`, so messages and odd values stay its business.
    """
    sec = SECTIONS[code]
    try:
        present = set().union(*items)          # every key the section uses
    except TypeError:                          # a record is not an object: read each carefully
        return lambda raw: None
    pending, remarks, itc = (_flag_key(keys, present) for keys in (
        dialects.PENDING_BLOCKED_KEYS, dialects.REMARKS_BLOCKED_KEYS, dialects.ITC_BLOCKED_KEYS))
    rare = _RARE_KEYS.union(dialects.PENDING_BLOCKED_KEYS, dialects.REMARKS_BLOCKED_KEYS,
                            dialects.ITC_BLOCKED_KEYS) - {pending, remarks, itc}
    check_each = not rare.isdisjoint(present)
    canonical = not _ALIAS_KEYS.isdisjoint(present)
    number_key, date_key = sec.number_key, sec.date_key
    orig_number_key, orig_date_key = sec.orig_number_key, sec.orig_date_key   # None: absent
    action_of, pos_of, filing_of = _PerText(_action), _PerText(_pos), _PerText(_filing)
    flag_of = _PerText(flag)

    def read(raw: Any) -> ImsRecord | None:
        try:
            if canonical:
                raw = _canonical_keys(raw)
            get = raw.get
            if check_each and not rare.isdisjoint(raw):
                return None
            number, stin = get(number_key, "").strip(), get("stin", "").strip()
            date = get(date_key, "").strip()
            val, txval, iamt = get("val", ZERO), get("txval", ZERO), get("iamt", ZERO)
            camt, samt, cess = get("camt", ZERO), get("samt", ZERO), get("cess", ZERO)
            if not (number and stin and date) or not (
                    val.__class__ is txval.__class__ is iamt.__class__ is camt.__class__
                    is samt.__class__ is cess.__class__ is Decimal):
                return None
            filing, filed = filing_of[get("srcfilstatus")]
            return ImsRecord(                  # by position: keywords cost 1.3 µs a record
                code, stin, number, date, raw, get("tradenm", "").strip(),
                get(orig_number_key, "").strip(), get(orig_date_key, "").strip(),
                get("inv_typ", "").strip(), val, txval, iamt, camt, samt, cess,
                pos_of[get("pos")], action_of[get("action")], get("srcform", "").strip(),
                get("rtnprd", "").strip(), filing, filed, flag_of[get(pending)],
                flag_of[get(remarks)], flag_of[get(itc)], "", {},   # itc_red_req, declared
                get("remarks", "").strip(), get("hash", "").strip(),
                get("error_msg", "").strip(), get("error_cd", "").strip(), name)
        except (AttributeError, TypeError):   # not an object, a field not text, unhashable...
            return None
    return read


# Keys a plain record does not carry: each changes how the record is read.
_ALIAS_KEYS = {alias for aliases in dialects.FIELD_ALIASES.values() for alias in aliases}
_RARE_KEYS = frozenset({*dialects.PENDING_ALLOWED_KEYS, *dialects.ITC_RED_REQ[1],
                        *(k for _, keys in dialects.DECLARED.values() for k in keys)})


def _flag_key(keys: tuple[str, ...], present: set) -> str:
    """The one spelling of a flag the section's plain records carry (the others are rare)."""
    return next((k for k in keys if k in present), keys[0])


class _PerText(dict):
    """`fn(value)`, worked out once per distinct text (a dict that fills itself). Only text
    and None are kept: 1, True and Decimal('1.0') are equal keys with different answers."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, value: Any) -> Any:
        out = self.fn(value)
        if value is None or value.__class__ is str:
            self[value] = out
        return out


# The three derived fields, shared by the one-step reader and `record_from_raw`.
def _action(v: Any) -> str:
    return _text(v).upper() or "N"


def _pos(v: Any) -> str:
    text = _text(v)
    return text.zfill(2) if text else ""


def _filing(v: Any) -> tuple[str, bool | None]:
    text = _text(v)
    return text, _filed(text)


def record_from_raw(raw: dict, code: str, name: str = "", index: int = 0) -> ImsRecord:
    """Build an `ImsRecord` from one portal record; raise naming the field that is wrong."""
    sec = SECTIONS[code]
    where: dict[str, Any] = dict(file=name, section=code)
    if not isinstance(raw, dict):
        raise ImsFormatError("is not a JSON object", record=f"#{index}", **where)
    raw = _canonical_keys(raw)
    number = _text(raw.get(sec.number_key))
    rec_label = f"#{index}" + (f" ({number})" if number else "")
    where["record"] = rec_label
    if not number:
        raise ImsFormatError("document number is missing", field=sec.number_key, **where)
    stin = _text(raw.get("stin"))
    if not stin:
        raise ImsFormatError("supplier GSTIN is missing", field="stin", **where)
    date = _text(raw.get(sec.date_key))
    if not date:
        raise ImsFormatError("document date is missing", field=sec.date_key, **where)
    amounts = {k: _amount(raw, k, where) for k in ("val", "txval", "iamt", "camt", "samt", "cess")}
    filing, filed = _filing(raw.get("srcfilstatus"))
    return ImsRecord(
        section=code, supplier_gstin=stin, doc_number=number, doc_date=date, raw=raw,
        supplier_name=_text(raw.get("tradenm")),
        orig_doc_number=_text(raw.get(sec.orig_number_key)) if sec.orig_number_key else "",
        orig_doc_date=_text(raw.get(sec.orig_date_key)) if sec.orig_date_key else "",
        supply_type=_text(raw.get("inv_typ")),
        value=amounts["val"], taxable=amounts["txval"], igst=amounts["iamt"],
        cgst=amounts["camt"], sgst=amounts["samt"], cess=amounts["cess"],
        pos=_pos(raw.get("pos")), action=_action(raw.get("action")),
        source_form=_text(raw.get("srcform")),
        return_period=_text(raw.get("rtnprd")), filing_status=filing, supplier_filed=filed,
        pending_blocked=_pending_blocked(raw),
        remarks_blocked=_any_flag(raw, dialects.REMARKS_BLOCKED_KEYS),
        itc_blocked=_any_flag(raw, dialects.ITC_BLOCKED_KEYS),
        itc_red_req=_first_text(raw, dialects.ITC_RED_REQ[1]).upper(),
        declared=_declared(raw, where),
        remarks=_text(raw.get("remarks")), hash=_text(raw.get("hash")),
        error_msg=_text(raw.get("error_msg")), error_cd=_text(raw.get("error_cd")),
        source=name,
    )


def _canonical_keys(raw: dict) -> dict:
    """Add the canonical spelling of aliased keys (`rtnTyp` -> `srcform`), keeping the rest."""
    missing = [(canon, alias) for canon, aliases in dialects.FIELD_ALIASES.items()
               if canon not in raw for alias in aliases if alias in raw]
    if not missing:
        return raw
    raw = dict(raw)
    for canon, alias in missing:
        raw[canon] = raw[alias]
    return raw


def _declared(raw: dict, where: dict) -> dict:
    if _DECL_KEYS.isdisjoint(raw):           # most records carry no declaration
        return {}
    return {h: _amount(raw, k, where) for h in HEADS
            for k in dialects.DECLARED[h][1] if raw.get(k) not in (None, "")}


_DECL_KEYS = {k for _, keys in dialects.DECLARED.values() for k in keys}


def _text(v: Any) -> str:
    if v.__class__ is str:                   # the common case, first: 2M calls per 100k records
        return v.strip()
    if v is None:
        return ""
    if isinstance(v, bool):
        return "Y" if v else "N"
    return str(v).strip()


def _first_text(raw: dict, keys: Iterable[str]) -> str:
    for k in keys:
        if raw.get(k) not in (None, ""):
            return _text(raw[k])
    return ""


def _amount(raw: dict, key: str, where: dict) -> Decimal:
    v = raw.get(key)
    if v.__class__ is Decimal:
        return v
    if v is None or v == "":
        return ZERO
    if isinstance(v, bool):
        raise ImsFormatError(f"expected an amount, found {v!r}", field=key, **where)
    if isinstance(v, (int, Decimal)):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(str(v))
    try:
        return Decimal(str(v).replace(",", "").strip())
    except InvalidOperation:
        raise ImsFormatError(f"expected an amount, found text {v!r}", field=key,
                             **where) from None


def flag(v: Any) -> bool:
    """Y/N, booleans and absent (= N)."""
    if v.__class__ is str:
        return v.strip().upper() in dialects.FLAG_TRUE
    if isinstance(v, bool):
        return v
    return _text(v).upper() in dialects.FLAG_TRUE


def _any_flag(raw: dict, keys: Iterable[str]) -> bool:
    return any(flag(raw.get(k)) for k in keys)


def _pending_blocked(raw: dict) -> bool:
    if any(k in raw for k in dialects.PENDING_BLOCKED_KEYS):
        return _any_flag(raw, dialects.PENDING_BLOCKED_KEYS)
    for k in dialects.PENDING_ALLOWED_KEYS:       # older API: N = pending not allowed
        if k in raw:
            return not flag(raw[k])
    return False


def _filed(status: str) -> bool | None:
    s = status.strip().upper()
    if s in dialects.FILED_VALUES:
        return True
    if s in dialects.NOT_FILED_VALUES:
        return False
    return None


# The API form of the error file (docs/reference/ims-format.md#error-file-api) -----------

def api_error_records(name: str, error_report: Any) -> Iterator[ImsRecord]:
    """`ImsRecord`s of `{"error_report": {section: [{stin, error_cd, error_msg, inv: [...]}]}}`.

    They carry identity only (`raw` is empty). The key is `inum` even in note sections
    (docs/reference/ims-format.md#error-file-api); `nt_num` is read too in case a file spells it so.
    """
    if not isinstance(error_report, dict):
        raise ImsFormatError("error_report is not an object of sections", file=name)
    for key, groups in error_report.items():
        code = section_code(key)
        if code is None or groups is None:
            continue
        if not isinstance(groups, list):
            raise ImsFormatError("is not a list of errors", file=name, section=code)
        for i, group in enumerate(groups, 1):
            if not isinstance(group, dict):
                raise ImsFormatError("is not a JSON object", file=name, section=code,
                                     record=f"#{i}")
            invs = group.get("inv") or [{}]
            if not isinstance(invs, list):
                raise ImsFormatError("is not a list of invoices", file=name, section=code,
                                     record=f"#{i}", field="inv")
            for inv in invs:
                yield _api_record(name, code, group, inv if isinstance(inv, dict) else {})


def _api_record(name: str, code: str, group: dict, inv: dict) -> ImsRecord:
    def text(*keys: str) -> str:
        for src in (inv, group):                   # an invoice-level value wins
            for k in keys:
                if src.get(k) not in (None, ""):
                    return str(src[k]).strip()
        return ""
    return ImsRecord(section=code, supplier_gstin=clean_gstin(group.get("stin")),
                     doc_number=text("inum", "nt_num"), doc_date=text("idt", "nt_dt"),
                     raw={}, return_period=text("rtnprd"), error_msg=text("error_msg"),
                     error_cd=text("error_cd"), source=name)
