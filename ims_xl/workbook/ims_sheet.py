"""The IMS sheet as rows of plain values, both ways (no Excel here).

`ims_rows()` turns records (+ reconciliation results + decisions) into rows in
`layout.IMS_COLUMNS` order; `read_ims_rows()` turns a header and rows read back from any
spreadsheet into `SheetRow`s: the record rebuilt from the hidden downloaded copy, the user's
decision from the editable cells and the last known portal state.
"""

from __future__ import annotations

import json
from functools import cached_property, lru_cache
from itertools import repeat
from operator import attrgetter, itemgetter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..model import action as actions
from .. import progress
from ..model.document import HEADS, Decision, ImsRecord, column_of, record_key
from ..portal.download import plain_reader, record_from_raw
from ..model.errors import WorkbookError
from .build.sheetdata import PartlyWritten
from .layout import AMOUNT_COLUMNS, FIRST_ROW, IMS_COLUMNS, SHEET_IMS
from ..reconcile.result import STATUS_LABELS, MatchResult
from ..model.section import SECTIONS
from ..portal.upload import dumps

_DECL_KEYS = {h: f"decl_{h}" for h in HEADS}


def portal_state_text(dec: Decision) -> str:
    if not dec.declared:                      # nearly every row: a handful of distinct states
        return _plain_state(dec.action, dec.remarks, dec.itc_red_req)
    return dumps({"action": dec.action, "remarks": dec.remarks, "itcRedReq": dec.itc_red_req,
                  "decl": {h: Decimal(str(v)) for h, v in dec.declared.items()}})


@lru_cache(maxsize=256)
def _plain_state(action, remarks: str, itc_red_req: str) -> str:
    return dumps({"action": action, "remarks": remarks, "itcRedReq": itc_red_req, "decl": {}})


def _parse_portal_state(text: str) -> Decision:
    action, remarks, itc_red_req, declared = _portal_state_fields(text)
    return Decision(action, remarks, itc_red_req, dict(declared))


@lru_cache(maxsize=4096)
def _portal_state_fields(text: str) -> tuple:
    """A Portal State text's fields (a sheet holds a handful of distinct texts: parsed once)."""
    d = _DECODE(text)
    return (d.get("action") or "N", d.get("remarks") or "", d.get("itcRedReq") or "",
            tuple((d.get("decl") or {}).items()))


_DECODE = json.JSONDecoder(parse_float=Decimal).decode      # json.loads(s, parse_float=Decimal)


def ims_row(rec: ImsRecord, result: MatchResult | None = None,
            decision: Decision | None = None, portal: Decision | None = None,
            extra: dict | None = None) -> list:
    """One IMS sheet row in column order. `extra` fills any other column by key."""
    if decision is not None or portal is not None:
        return _row_by_key(rec, result, decision, portal, extra)
    # Nothing typed (a new row, or a row the merge refills): the positional layout, then
    # `extra` by column. Re-running onto 100,000 kept rows: ~3 s less.
    row = _fresh_row(rec, result or _NO_RESULT)
    for key, value in (extra or {}).items():
        at = _AT.get(key)
        if at is not None:
            row[at] = value
    return row


def _row_by_key(rec: ImsRecord, result: MatchResult | None, decision: Decision | None,
                portal: Decision | None, extra: dict | None) -> list:
    """`ims_row` built as {column key: cell}, for any decision and portal state (the
    reference `_fresh_row` is held to in tests/workbook/test_ims_rows.py)."""
    portal = portal or Decision.portal_state(rec)
    decision = decision or Decision(None, rec.remarks, rec.itc_red_req, dict(rec.declared))
    cells = {
        "section": rec.sec.label, "stin": rec.supplier_gstin, "tradenm": rec.supplier_name,
        "doc_num": rec.doc_number, "doc_date": rec.doc_date,
        **result_cells(result),
        "action": actions.label_of(decision.action), "remarks": decision.remarks,
        "itc_red_req": decision.itc_red_req,
        **{_DECL_KEYS[h]: _num(decision.declared.get(h)) for h in HEADS},
        "val": float(rec.value), "txval": float(rec.taxable), "iamt": float(rec.igst),
        "camt": float(rec.cgst), "samt": float(rec.sgst), "cess": float(rec.cess),
        "pos": rec.pos, "inv_typ": rec.supply_type, "orig_num": rec.orig_doc_number,
        "orig_date": rec.orig_doc_date, "rtnprd": rec.return_period,
        "srcform": rec.source_form, "filing": rec.filing_status,
        "portal_action": actions.label_of(portal.action),
        "validation": UNWRITTEN, "portal_error": rec.error_msg, "upload_status": UNWRITTEN,
        "pend_blocked": "Y" if rec.pending_blocked else "N",
        "rem_blocked": "Y" if rec.remarks_blocked else "N",
        "itc_blocked": "Y" if rec.itc_blocked else "N",
        "key": rec.key, "portal_state": portal_state_text(portal), "raw": raw_text(rec.raw),
    }
    if extra:
        cells.update(extra)
    return list(map(cells.get, _KEYS, repeat(UNWRITTEN)))


# A fresh row's cells nobody has written yet: the Action and Link Books Row the user types,
# the Validation and Upload Status that later steps write. Carrying typed work forward
# (month/carry_forward.py) takes the user's cells and this blank Validation without laying
# out the rest of the row.
UNWRITTEN = ""
_KEYS = tuple(c.key for c in IMS_COLUMNS)
_AT = {key: at for at, key in enumerate(_KEYS)}
_STATUS_AT = _AT["status"]


def ims_rows(pairs, own: dict | None = None) -> list[list]:
    """`[ims_row(rec, result) for rec, result in pairs]` for a fresh table (no decision
    typed yet): the positional layout, row by row. tests/workbook/test_ims_rows.py holds it
    to the layout by column key. `own`: the records' texts cut from the download
    (`portal.record_text.own_texts`), the same as `raw_text` writes."""
    text = (own or {}).get
    return [_fresh_row(rec, m or _NO_RESULT, text(id(rec.raw))) for rec, m in pairs]


def _fresh_row(rec: ImsRecord, m: MatchResult, text: str | None = None) -> list:
    """`ims_row(rec, m)`, in the order of `_FRESH_ROW` (checked against the layout); `text`,
    the record's own text if known."""
    declared = rec.declared
    return [
        _SECTION_LABEL[rec.section], rec.supplier_gstin, rec.supplier_name, rec.doc_number,
        rec.doc_date,
        STATUS_LABELS.get(m.status, m.status), m.reason, actions.label_of(m.suggested_action),
        m.suggested_remarks,
        UNWRITTEN, rec.remarks, UNWRITTEN, rec.itc_red_req,
        *([_num(declared.get(h)) for h in HEADS] if declared else _NO_DECLARATION),
        float(rec.value), float(rec.taxable), float(rec.igst), float(rec.cgst),
        float(rec.sgst), float(rec.cess),
        rec.pos, rec.supply_type, rec.orig_doc_number, rec.orig_doc_date, rec.return_period,
        rec.source_form, rec.filing_status, actions.label_of(rec.action),
        ", ".join(map(str, m.books_rows)), _differences(m.differences) if m.differences else "",
        m.runner_up,
        UNWRITTEN, rec.error_msg, UNWRITTEN,
        "Y" if rec.pending_blocked else "N", "Y" if rec.remarks_blocked else "N",
        "Y" if rec.itc_blocked else "N",
        rec.key,
        portal_state_text(Decision.portal_state(rec)) if declared else
        _plain_state(rec.action, rec.remarks, rec.itc_red_req),
        raw_text(rec.raw) if text is None else text,
    ]


def ims_columns(records: Sequence[ImsRecord], own: dict | None = None,
                floats: dict[str, list] | None = None) -> list[list]:
    """`ims_rows(pairs, own)` of records without results (blank result cells), column by
    column: what the IMS sheet's process writes ahead (`workbook/ahead.py`). Each column is
    one pass of C-level maps over the records, not a 43-cell list per row turned into columns
    again (1.6 s instead of 1.9 s at 100,000 records, a slow phase; 1 s of either was the
    hidden record texts, now mostly cut from the file: `own`); tests/workbook/test_ims_rows.py
    holds it to `ims_rows`. `floats`: some amount fields' values as `float` gives them, one
    per record (field -> list), worked out already (the matcher's `columns.ims_side`)."""
    n = len(records)
    floats = floats or {}
    col = {name: list(map(attrgetter(name), records)) for name in _RECORD_FIELDS
           if name not in floats}
    actions_ = col["action"]
    blank = _fresh_row(records[0], _NO_RESULT) if records else []
    declared = col["declared"]
    if any(declared):
        decl = list(map(list, zip(*[[_num(d.get(h)) for h in HEADS] if d else _NO_DECLARATION
                                    for d in declared])))
        states = [portal_state_text(Decision.portal_state(r)) if d else
                  _plain_state(r.action, r.remarks, r.itc_red_req)
                  for r, d in zip(records, declared)]
    else:
        decl = [[""] * n for _ in HEADS]
        states = list(map(_plain_state, actions_, col["remarks"], col["itc_red_req"]))
    cells = {
        "section": list(map(_SECTION_LABEL.__getitem__, col["section"])),
        "stin": col["supplier_gstin"], "tradenm": col["supplier_name"],
        "doc_num": col["doc_number"], "doc_date": col["doc_date"],
        "remarks": col["remarks"], "itc_red_req": col["itc_red_req"],
        **dict(zip(_DECL_KEYS.values(), decl)),
        **{key: floats[name] if name in floats else list(map(float, col[name]))
           for key, name in AMOUNT_COLUMNS.items()},
        "pos": col["pos"], "inv_typ": col["supply_type"], "orig_num": col["orig_doc_number"],
        "orig_date": col["orig_doc_date"], "rtnprd": col["return_period"],
        "srcform": col["source_form"], "filing": col["filing_status"],
        "portal_action": list(map({a: actions.label_of(a) for a in set(actions_)}.__getitem__,
                                  actions_)),
        "portal_error": col["error_msg"],
        **{key: list(map(_YES_NO.__getitem__, map(bool, col[name])))
           for key, name in _FLAG_KEYS.items()},
        "key": list(map(record_key, col["section"], col["supplier_gstin"], col["doc_number"],
                        col["return_period"])),
        "portal_state": states,
        "raw": raw_texts(col["raw"], own),
    }
    # the rest is the same in every row: the user's cells, the blank results
    return [cells[key] if key in cells else [value] * n for key, value in zip(_KEYS, blank)]


_RECORD_FIELDS = ("section", "supplier_gstin", "supplier_name", "doc_number", "doc_date",
                  "remarks", "itc_red_req", "declared", "value", "taxable", "igst", "cgst",
                  "sgst", "cess", "pos", "supply_type", "orig_doc_number", "orig_doc_date",
                  "return_period", "source_form", "filing_status", "action", "error_msg",
                  "pending_blocked", "remarks_blocked", "itc_blocked", "raw")
_FLAG_KEYS = {"pend_blocked": "pending_blocked", "rem_blocked": "remarks_blocked",
              "itc_blocked": "itc_blocked"}
_YES_NO = {True: "Y", False: "N"}


def untyped_cells(rec: ImsRecord) -> dict:
    """What `ims_row(rec)` holds in the cells the user types in and later steps write (the
    user's cells and their history), without laying out the rest of the row: carrying work
    forward onto a new record takes only these. tests/workbook/test_ims_rows.py holds them
    to `_fresh_row`'s."""
    declared = rec.declared
    return {"action": UNWRITTEN, "remarks": rec.remarks, "link": UNWRITTEN,
            "itc_red_req": rec.itc_red_req,
            **dict(zip(_DECL_KEYS.values(), [_num(declared.get(h)) for h in HEADS]
                       if declared else _NO_DECLARATION)),
            "validation": UNWRITTEN, "portal_error": rec.error_msg, "upload_status": UNWRITTEN}


_FRESH_ROW = ("section", "stin", "tradenm", "doc_num", "doc_date",
              "status", "reason", "suggested", "suggested_remarks",
              "action", "remarks", "link", "itc_red_req", *(_DECL_KEYS[h] for h in HEADS),
              "val", "txval", "iamt", "camt", "samt", "cess",
              "pos", "inv_typ", "orig_num", "orig_date", "rtnprd", "srcform", "filing",
              "portal_action", "books_rows", "differences", "runner_up",
              "validation", "portal_error", "upload_status",
              "pend_blocked", "rem_blocked", "itc_blocked", "key", "portal_state", "raw")
if _FRESH_ROW != _KEYS:
    raise AssertionError("ims_sheet._fresh_row: update it to layout.IMS_COLUMNS")
_SECTION_LABEL = {code: section.label for code, section in SECTIONS.items()}
_NO_RESULT = MatchResult("", suggested_action="")    # writes blank result cells, as None does
_NO_DECLARATION = ("",) * len(HEADS)


_encode = json.encoder.encode_basestring          # the C encoder json.dumps uses
_KEY_TEXT: dict = {}


def raw_text(raw: dict) -> str:
    """`upload.dumps(raw)` for a flat portal record (every one we have seen), built directly:
    the hidden Downloaded Record column is one such text per row, and the general encoder
    cost a third of laying out 100,000 rows. Anything unusual goes through `dumps`."""
    try:
        return _flat_text(raw)
    except KeyError:
        pass
    if all(k.__class__ is str for k in raw):
        _KEY_TEXT.update((k, _encode(k) + ":") for k in raw if k not in _KEY_TEXT)
        try:
            return _flat_text(raw)
        except KeyError:
            pass
    return dumps(raw)                          # nested values, NaN, keys that are not text


def raw_texts(raws: list, own: dict | None) -> list[str]:
    """`raw_text` of each, taken from `own` (id -> the text cut from the file) where it is
    there."""
    if not own:
        return list(map(raw_text, raws))
    cut = list(map(own.get, map(id, raws)))
    return [raw_text(raw) if text is None else text for raw, text in zip(raws, cut)]


def _flat_text(raw: dict) -> str:
    """The record's JSON text; KeyError for a key not yet in _KEY_TEXT or a value that is
    not a plain scalar."""
    return "{" + ",".join([_KEY_TEXT[k] + (_encode(v) if v.__class__ is str
                                           else _SCALAR[v.__class__](v))
                           for k, v in raw.items()]) + "}"


def _decimal_text(v: Decimal) -> str:
    if not v.is_finite():
        raise KeyError(v)                      # dumps says what to do with it
    return str(v)


_SCALAR = {Decimal: _decimal_text, int: int.__repr__, type(None): lambda v: "null",
           bool: lambda v: "true" if v else "false"}


RESULT_KEYS = ("status", "reason", "suggested", "suggested_remarks", "books_rows",
               "differences", "runner_up")


def result_cells(r: MatchResult | None) -> dict:
    """The IMS sheet's reconciliation columns for one result (blank before reconciling)."""
    return {key: values[0] for key, values in result_columns([r]).items()}


def result_columns(results: Sequence) -> dict[str, list]:
    """`result_cells` of every result (None: blank), column by column: the result columns
    of a table whose other columns were written ahead (`workbook/ahead.py`). Matching's own
    `Results` are read as columns (`column_of`), no result made."""
    if not hasattr(results, "column"):
        results = [r or _NO_RESULT for r in results]
    status, action, rows, diffs = (column_of(results, name) for name in (
        "status", "suggested_action", "books_rows", "differences"))
    return {"status": [STATUS_LABELS.get(s, s) for s in status],
            "reason": column_of(results, "reason"),
            "suggested": list(map(actions.label_of, action)),
            "suggested_remarks": column_of(results, "suggested_remarks"),
            "books_rows": [", ".join(map(str, r)) for r in rows],
            "differences": [_differences(d) if d else "" for d in diffs],
            "runner_up": column_of(results, "runner_up")}


def _num(v):
    return "" if v in (None, "") else float(v)


def _differences(diff: dict) -> str:
    return "; ".join(f"{k}: IMS {a} vs books {b}" for k, (a, b) in diff.items())


@dataclass
class SheetRow:
    row: int                          # sheet row number
    record: ImsRecord
    decision: Decision
    portal: Decision
    cells: Mapping[str, Any]          # column key -> value as read
    problems: list = field(default_factory=list)   # (column key, message) found while reading

    def get(self, key: str, default=""):
        return self.cells.get(key, default)


def column_positions(header: list) -> dict[str, int]:
    """Column key -> position, found by header text; raise if a needed column is missing."""
    by_header = {str(h).strip().lower(): i for i, h in enumerate(header) if h not in (None, "")}
    pos = {}
    for c in IMS_COLUMNS:
        i = by_header.get(c.header.lower())
        if i is not None:
            pos[c.key] = i
    needed = [c.header for c in IMS_COLUMNS if c.key in ("action", "remarks", "key", "raw",
                                                         "portal_state")
              and c.key not in pos]
    if needed:
        raise WorkbookError(f"sheet {SHEET_IMS!r} has no column(s) {', '.join(needed)}; "
                            "was it made by ims-xl reconcile or the Import IMS JSON button?")
    return pos


def read_ims_rows(header: list, rows: list, first_row: int = FIRST_ROW) -> list[SheetRow]:
    """Rows of the IMS sheet (values as any reader returns them) -> `SheetRow`s."""
    pos = column_positions(header)
    keys = tuple(pos)
    in_place = list(pos.values()) == list(range(len(pos)))     # no column moved or added
    found = []                  # (sheet row, cells, Record Key) of the rows holding a record
    progress.stage("Reading the IMS rows", len(rows))
    for n, values in enumerate(rows, first_row):
        cells = dict(zip(keys, values)) if in_place and len(values) >= len(keys) else \
            {k: (values[i] if i < len(values) else None) for k, i in pos.items()}
        key = cell_text(cells.get("key"))
        if key:                                 # else a blank line or a note typed below
            found.append((n, cells, key))
    out = []
    for (n, cells, key), record in zip(found, _plain_records(found)):
        if not n % 5000:
            progress.advance(n - first_row)
        out.append(_sheet_row(n, cells, key, record))
    return out


class _Integers(dict):
    """An integer's spelling -> its Decimal, made once (`0` is most amounts): what
    `record_from_raw` makes of the int a plain JSON reader gives."""

    def __missing__(self, spelling: str) -> Decimal:
        value = self[spelling] = Decimal(int(spelling))
        return value


def _plain_records(found: list) -> list:
    """The record of each of `found`'s rows when its Downloaded Record is plain, else None.

    A plain record (`download.plain_reader`) is built in one step, 3 µs against 20 for
    `record_from_raw`, which `_sheet_row` leaves the others to (and what is wrong with them
    to name, row by row). Its amounts are read as Decimal, as `record_from_raw` makes them;
    so are the integers in its `raw`, as in a record read from the download itself."""
    decode = json.JSONDecoder(parse_float=Decimal, parse_int=_Integers().__getitem__).decode
    raws: list = []
    by_section: dict[str, list] = {}
    for _, cells, key in found:
        section = key.split("|", 1)[0]
        try:
            raw = decode(cell_text(cells["raw"])) if section in SECTIONS else None
        except Exception:                   # an edited text: `_sheet_row` says what is wrong
            raw = None
        if raw.__class__ is dict:
            by_section.setdefault(section, []).append(raw)
        raws.append((section, raw))
    plain = {section: plain_reader(items, section, SHEET_IMS)
             for section, items in by_section.items()}
    return [plain[section](raw) if raw.__class__ is dict else None for section, raw in raws]


def links_of(header: list, rows: list) -> dict:
    """Record key -> Link Books Row as typed, for rows where it is filled in (cheap: the
    hidden columns are not parsed). Empty for a sheet made before the column existed."""
    pos = column_positions(header)
    key_at, link_at = pos["key"], pos.get("link")
    if link_at is None:
        return {}
    out: dict[str, Any] = {}
    for values in rows:
        link = values[link_at] if link_at < len(values) else None
        key = cell_text(values[key_at]) if key_at < len(values) else ""
        if key and cell_text(link):
            out.setdefault(key, link)           # a pasted duplicate: the first wins
    return out


def status_cells(rows) -> list:
    """The Match Status cells of rows just laid out, or partly written ahead: all a fresh
    month's Summary reads of them (`reports.summary.compute_fresh`)."""
    if isinstance(rows, PartlyWritten):
        return rows.columns[_STATUS_AT]
    return [row[_STATUS_AT] if _STATUS_AT < len(row) else "" for row in rows]


class FreshSheetRow(SheetRow):
    """The `SheetRow` of a row just laid out from its record (`values`), nothing typed: the
    decision and the portal state are the record's own, made when first read, as
    `read_ims_rows` would read them back."""

    def __init__(self, row: int, record: ImsRecord, values: list) -> None:
        self.row, self.record, self.problems, self.values = row, record, [], values

    # A cached_property may be set like the field it stands for (mypy takes it as read-only)
    @cached_property
    def decision(self) -> Decision:  # type: ignore[override]
        rec = self.record
        return Decision(None, rec.remarks, rec.itc_red_req, dict(rec.declared))

    @cached_property
    def portal(self) -> Decision:  # type: ignore[override]
        return Decision.portal_state(self.record)

    @cached_property
    def cells(self) -> Mapping[str, Any]:  # type: ignore[override]
        return RowCells(self.values)


def sheet_rows_typed(records: list, rows: list, first_row: int = FIRST_ROW) -> list[SheetRow]:
    """`SheetRow`s for rows laid out from `records` and then given the user's typed cells
    (carried forward from last month): what `read_ims_rows` returns, parsing only the
    typed cells, not the hidden record (9 s for 100,000 rows)."""
    out = []
    for n, (rec, row) in enumerate(zip(records, rows), first_row):
        cells = RowCells(row)
        decision, problems = _typed_cells(_typed_at(row)) if len(row) >= len(_KEYS) else \
            _typed(cells)
        out.append(SheetRow(n, rec, decision, Decision.portal_state(rec), cells, problems))
    return out


class RowCells(Mapping):
    """A row laid out in `IMS_COLUMNS` order, read as {column key: value}: what a dict of
    the row would hold, without building 43 entries per row (the summary reads one)."""

    __slots__ = ("row",)
    _at = _AT

    def __init__(self, row: list):
        self.row = row

    def __getitem__(self, key: str) -> Any:
        try:
            return self.row[self._at[key]]
        except IndexError:
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._at)[:len(self.row)])

    def __len__(self) -> int:
        return min(len(self.row), len(self._at))


def _sheet_row(n: int, cells: dict, key: str, record: ImsRecord | None = None) -> SheetRow:
    """Row `n` read from its cells (`key`: its Record Key's text); `record`, when given, is
    the one its hidden Downloaded Record holds (`_plain_records`)."""
    section = key.split("|", 1)[0]
    if section not in SECTIONS:
        raise WorkbookError(f"sheet {SHEET_IMS!r} row {n}: the hidden Record Key {key!r} was "
                            "changed; re-import the IMS download")
    try:
        if record is None:
            record = record_from_raw(_DECODE(cell_text(cells["raw"])), section, SHEET_IMS, n)
        portal = _parse_portal_state(cell_text(cells["portal_state"]))
    except (ValueError, TypeError) as e:
        raise WorkbookError(f"sheet {SHEET_IMS!r} row {n}: the hidden columns Downloaded "
                            f"Record / Portal State were edited ({e}); re-import the IMS "
                            "download") from None
    decision, problems = _typed(cells)
    return SheetRow(n, record, decision, portal, cells, problems)


def _typed(cells: Mapping) -> tuple[Decision, list]:
    """The decision the user typed in a row's cells, and what is wrong with it."""
    return _typed_cells(tuple(map(cells.get, _TYPED_KEYS)))


_TYPED_KEYS = ("action", "remarks", "itc_red_req", *(_DECL_KEYS[h] for h in HEADS))
_typed_at = itemgetter(*(_AT[key] for key in _TYPED_KEYS))     # of a row in layout order
_TEXTS = frozenset({str, type(None)})


def _typed_cells(typed: tuple) -> tuple[Decision, list]:
    """`_typed` of the cells of `_TYPED_KEYS`. Cells of text (nearly every row: a few
    distinct ones) are read once; 1, 1.0 and True are equal keys read differently."""
    fields = _typed_texts(typed) if _TEXTS.issuperset(map(type, typed)) else \
        _typed_fields(typed)
    action, remarks, itc_red_req, declared, problems = fields
    return Decision(action, remarks, itc_red_req, dict(declared)), list(problems)


def _typed_fields(typed: tuple) -> tuple:
    """(action, remarks, ITC answer, declared amounts, problems) of `_TYPED_KEYS`' cells."""
    action_cell, remarks, itc_red_req, *amounts = typed
    problems = []
    try:
        action = actions.code_of(action_cell)
    except ValueError as e:
        action = None
        problems.append(("action", str(e)))
    declared = {}
    for h, v in zip(HEADS, amounts):
        if v in (None, ""):
            continue
        try:
            declared[h] = Decimal(str(v).replace(",", "").strip())
        except InvalidOperation:
            problems.append((_DECL_KEYS[h], f"declared amount {v!r} is not a number"))
    return (action, cell_text(remarks), cell_text(itc_red_req).upper()[:1],
            tuple(declared.items()), tuple(problems))


_typed_texts = lru_cache(maxsize=4096)(_typed_fields)


def cell_text(v) -> str:
    """A cell as text: blank for None, `12` for the float 12.0 a reader returns."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()



def apply_updates(header: list, rows: list, updates: dict, first_row: int = FIRST_ROW) -> list:
    """Apply column updates to rows read from a file; returns new rows.

    `updates` is {column key: {sheet row number: new value}}. The live-workbook shell turns
    each column's changes into one block write (`patch_column`), never cell by cell.
    """
    pos = column_positions(header)
    width = len(header)
    out = [list(r) + [""] * (width - len(r)) for r in rows]
    for key, changes in updates.items():
        i = pos[key]
        for row_number, value in changes.items():
            idx = row_number - first_row
            while idx >= len(out):
                out.append([""] * width)
            out[idx][i] = value
    return out


def patch_column(values: list, changes: dict, first_row: int = FIRST_ROW) -> list:
    """A whole column (as read) with `changes` ({sheet row: value}) applied."""
    out = list(values)
    for row_number, value in changes.items():
        idx = row_number - first_row
        out.extend([""] * (idx + 1 - len(out)))
        out[idx] = value
    return out
