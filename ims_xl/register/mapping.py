"""Which register column feeds which field, why, and the user's saved corrections.

`detect()` maps a header row in this order, each step only on columns still free:
1. the saved mapping (Mapping sheet or settings file): pinned as the user left it;
2. exact alias hits from `headers.ALIASES` (best alias first);
3. ledger columns (Tally, Busy, ERPNext): numeric columns classified by name, summed per head;
4. fuzzy header match (rapidfuzz) against every alias;
5. a supplier GSTIN column recognised by its values;
6. fallbacks: the books voucher number/date stand in for the supplier's.
Every other column is listed as ignored with a reason, so the Mapping sheet shows them all.

A saved mapping pins the columns it names, to a field or to "(ignored)". Columns it does not
name are detected as usual, so a ledger added next month is still summed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..files.atomic import write_bytes
from ..model.errors import RegisterFormatError
from ..model.issue import WARNING, Issue
from . import headers
from .cells import CellError, amount

SAVED = "saved mapping"


@dataclass(frozen=True)
class Link:
    """One source column and the field it feeds ('' = ignored), with the reason."""

    field: str
    column: str
    reason: str


@dataclass
class Mapping:
    links: list[Link] = field(default_factory=list)
    sheet: str = ""                     # sheet the register was found on (kept for next time)

    @property
    def fields(self) -> dict[str, list[str]]:
        """Field -> source column headers (several for ledger columns, summed)."""
        out: dict[str, list[str]] = {}
        for link in self.links:
            if link.field:
                out.setdefault(link.field, []).append(link.column)
        return out

    @property
    def reasons(self) -> dict[str, str]:
        """Field -> why its columns were chosen."""
        out: dict[str, list[str]] = {}
        for link in self.links:
            if link.field and link.reason not in out.setdefault(link.field, []):
                out[link.field].append(link.reason)
        return {f: "; ".join(r) for f, r in out.items()}

    @property
    def ignored(self) -> dict[str, str]:
        return {link.column: link.reason for link in self.links if not link.field}

    def column(self, name: str) -> str:
        """The (first) source column of field `name`, or ''."""
        return next((l.column for l in self.links if l.field == name), "")

    def to_rows(self) -> list[list[str]]:
        """Rows for the Mapping sheet (columns `layout.MAPPING_COLUMNS`: Field, Source Column, Why)."""
        rows = []
        have = self.fields
        for key, label in headers.FIELDS.items():
            for link in (l for l in self.links if l.field == key):
                rows.append([label, link.column, link.reason])
            if key not in have and key in _SHOWN:
                rows.append([label, "", "not found in this register (type a column header "
                                        "here to use one)"
                             + (f"; {NO_KIND}" if key == "kind" else "")])
        rows += [[headers.IGNORED, l.column, l.reason] for l in self.links if not l.field]
        return rows

    @classmethod
    def from_rows(cls, rows: list[list[Any]]) -> "Mapping":
        """The user's corrections from the Mapping sheet (header row optional)."""
        links = []
        for n, row in enumerate(rows, 1):
            cells = [str(c if c is not None else "").strip() for c in list(row)[:2]] + ["", ""]
            label, column = cells[0], cells[1]
            if n == 1 and label.lower() == "field":
                continue
            if column:
                saved = SAVED if label not in ("", headers.IGNORED) else SAVED + ": ignored"
                links.append(Link(_field_key(label, where=f"Mapping sheet row {n}"), column, saved))
        return cls(links)

    def to_dict(self) -> dict:
        """For the settings file: `{"supplier_gstin": "GSTIN/UIN", "cgst": [...], "ignore": [...]}`."""
        out: dict = {"sheet": self.sheet} if self.sheet else {}
        for key, cols in self.fields.items():
            out[key] = cols[0] if len(cols) == 1 and key not in headers.MULTI else cols
        ignored = list(self.ignored)
        if ignored:
            out["ignore"] = ignored
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Mapping":
        if not isinstance(data, dict):
            raise RegisterFormatError("the saved mapping must be an object of field: column")
        links = []
        for key, cols in data.items():
            if key == "sheet":
                continue
            name = "" if key == "ignore" else _field_key(key, where="saved mapping")
            for col in [cols] if isinstance(cols, str) else list(cols or []):
                links.append(Link(name, str(col), SAVED if name else SAVED + ": ignored"))
        return cls(links, sheet=str(data.get("sheet") or ""))

    def known_headers(self) -> dict[str, str]:
        """Normalised source header -> field, for finding the header row."""
        return {headers.normalise(l.column): l.field for l in self.links}

    def describe(self) -> list[str]:
        """Readable lines for the command line: `Supplier GSTIN <- "GSTIN/UIN" (why)`."""
        lines = [f"{headers.FIELDS.get(l.field, headers.IGNORED)} <- {l.column!r} ({l.reason})"
                 for l in self.links]
        if "kind" not in self.fields:
            lines.append(f"{headers.FIELDS['kind']} <- (no column: {NO_KIND})")
        return lines


NO_KIND = "documents with negative amounts are read as credit notes, the rest as invoices"
_SHOWN = frozenset(headers.REQUIRED) | {"supplier_name", "kind", "taxable", "igst", "cgst", "sgst",
                                  "cess", "value", "pos"}
_BY_LABEL = {label.casefold(): key for key, label in headers.FIELDS.items()}


def _field_key(name: str, *, where: str) -> str:
    text = name.strip()
    if text in ("", headers.IGNORED, "ignore", "ignored"):
        return ""
    if text in headers.FIELDS:
        return text
    if text.casefold() in _BY_LABEL:
        return _BY_LABEL[text.casefold()]
    raise RegisterFormatError(f"{where}: unknown field {name!r}; use one of "
                              f"{', '.join(headers.FIELDS.values())} or {headers.IGNORED}",
                              field=name)


def missing(mapping: Mapping) -> list[str]:
    """Labels of required fields the mapping lacks (`headers.REQUIRED` and one amount)."""
    have = mapping.fields
    out = [headers.FIELDS[f] for f in headers.REQUIRED if f not in have]
    if not any(f in have for f in headers.ANY_AMOUNT):
        out.append("Taxable Value or a tax (IGST, CGST, SGST, Cess)")
    return out


# ---------------------------------------------------------------- detection

_ALIAS_RANK = {f: {headers.normalise(a): r for r, a in enumerate(al)}
               for f, al in headers.ALIASES.items()}
_ALIAS_TEXT = {headers.normalise(a): a for al in headers.ALIASES.values() for a in al}
_GSTIN_SHAPE = re.compile(r"^[0-9]{2}[0-9A-Z]{13}$")


def score_row(row: list, known: dict | None = None) -> float:
    """How much a row looks like a header: distinct fields hit exactly, plus ledger names.

    `known` maps normalised headers of a saved mapping to their field, so a register whose
    headers only the user's mapping names is still found.
    """
    fields, ledgers = set(), 0
    for cell in row:
        if not isinstance(cell, str) or not cell.strip():
            continue
        norm = headers.normalise(cell)
        hits = headers.ALIAS_INDEX.get(norm)
        if known and norm in known:
            fields.add(known[norm] or norm)
        elif hits:
            fields.add(hits[0][0])
        elif _ledger(norm)[0]:
            ledgers += 1
    return len(fields) + 0.5 * min(ledgers, 4)


def detect(names: list[str], sample: list[list], *,
           saved: Mapping | None = None) -> tuple[Mapping, list[Issue]]:
    """Map header `names` (unique, one per column) using `sample` data rows for the content."""
    d = _Detector(names, sample)
    if saved:
        d.pin(saved)
    d.exact()
    d.ledgers()
    d.fuzzy()
    d.gstin_by_values()
    d.fallbacks()
    d.rest()
    order = {name: i for i, name in enumerate(headers.FIELDS)}
    links = sorted(d.links, key=lambda l: order.get(l.field, len(order)))   # stable
    return Mapping(links), d.issues


class _Detector:
    def __init__(self, names: list[str], sample: list[list]) -> None:
        self.names, self.sample = names, sample
        self.norms = [headers.normalise(n) for n in names]
        self.taken: set[int] = set()
        self.links: list[Link] = []
        self.issues: list[Issue] = []
        self.pinned: set[str] = set()
        self._numeric: dict[int, bool] = {}

    def has(self, name: str) -> bool:
        return any(l.field == name for l in self.links)

    def take(self, i: int, name: str, reason: str) -> None:
        self.taken.add(i)
        self.links.append(Link(name, self.names[i], reason))

    def free(self) -> Iterator[int]:
        return (i for i, n in enumerate(self.norms) if i not in self.taken and n)

    def pin(self, saved: Mapping) -> None:
        by_key = {_key(n): i for i, n in enumerate(self.names)}
        for link in saved.links:
            i = by_key.get(_key(link.column))
            if i is None:
                if link.field:
                    self.issues.append(Issue(
                        "mapping-column-missing", f"the saved mapping takes "
                        f"{headers.FIELDS[link.field]} from column {link.column!r}, which this "
                        "file does not have; detected again", WARNING, field=link.column))
                continue
            self.take(i, link.field, link.reason or SAVED)    # the user may feed two fields
            self.pinned.add(link.field)

    def _new(self, name: str) -> str:
        return "new column since the saved mapping: " if name in self.pinned else ""

    def exact(self) -> None:
        for name in headers.FIELDS:
            if self.has(name) and name not in headers.MULTI:
                continue
            ranks = _ALIAS_RANK[name]
            hits = sorted((ranks[self.norms[i]], i) for i in self.free() if self.norms[i] in ranks)
            if hits:
                i = hits[0][1]
                self.take(i, name, f'{self._new(name)}header "{self.names[i]}" is a known '
                                   f"name for {headers.FIELDS[name]}{headers.NOTES.get(name, '')}")

    def ledgers(self) -> None:
        for i in list(self.free()):
            name, why = _ledger(self.norms[i])
            if name is not None and self.numeric(i):
                self.take(i, name, self._new(name) + why if name else why)

    def fuzzy(self) -> None:
        from rapidfuzz import fuzz, process
        choices = {a: f for f, ranks in _ALIAS_RANK.items() for a in ranks
                   if not self.has(f)}
        found = []
        for i in self.free():
            best = process.extractOne(self.norms[i], list(choices), scorer=fuzz.ratio,
                                      score_cutoff=headers.FUZZY_CUTOFF)
            if best:
                found.append((best[1], i, best[0]))
        for score, i, alias in sorted(found, reverse=True):
            name = choices[alias]
            if not self.has(name) and i not in self.taken:
                self.take(i, name, f'header "{self.names[i]}" is close to '
                                   f'"{_ALIAS_TEXT[alias]}" ({score:.0f}% alike)')

    def gstin_by_values(self) -> None:
        if self.has("supplier_gstin"):
            return
        best = None
        for i in self.free():
            values = [str(r[i]).replace(" ", "").upper() for r in self.sample
                      if i < len(r) and r[i] not in ("", None)]
            good = [v for v in values if _GSTIN_SHAPE.match(v)]
            if values and len(good) >= 0.8 * len(values):
                distinct = len(set(good))       # a company GSTIN column repeats one value
                if best is None or distinct > best[0]:
                    best = (distinct, i)
        if best:
            self.take(best[1], "supplier_gstin", "values look like GSTINs (15 characters "
                                                 "starting with a state code)")

    def fallbacks(self) -> None:
        for name, stand_in in headers.FALLBACKS.items():
            if not self.has(name) and self.has(stand_in):
                col = next(l.column for l in self.links if l.field == stand_in)
                self.links.append(Link(name, col, f"no {headers.FIELDS[name]} column: using the "
                                                  f"books {headers.FIELDS[stand_in]} \"{col}\""))

    def rest(self) -> None:
        for i in list(self.free()):
            self.take(i, "", "amount column not recognised: name a field for it if it "
                             "belongs to the document" if self.numeric(i) else "not used")

    def numeric(self, i: int) -> bool:
        """True when the column's sampled cells are amounts (or empty: sparse ledgers)."""
        if i not in self._numeric:
            values = [r[i] for r in self.sample if i < len(r) and r[i] not in ("", None)]
            good = 0
            for v in values:
                try:
                    good += amount(v) is not None
                except CellError:
                    pass
            self._numeric[i] = not values or good >= 0.8 * len(values)
        return self._numeric[i]


def _ledger(norm: str) -> tuple[str | None, str]:
    """Classify a ledger/account column name: (field, why); field '' = ignore, None = no idea."""
    for pattern, why in headers.SKIP:
        if re.search(pattern, norm):
            return "", why
    rcm = re.search(headers.RCM, norm)
    for pattern, name in headers.LEDGERS:
        if re.search(pattern, norm):
            if rcm:
                return "rcm_tax", f'reverse-charge ledger "{norm}": not in IMS, marks the ' \
                                  "document as reverse charge"
            what = "purchase ledger: summed into Taxable Value" if name == "taxable" else \
                f"ledger name says {headers.FIELDS[name]}: summed per document"
            return name, what
    return None, ""


def _key(header: str) -> str:
    return " ".join(str(header).split()).casefold()


# ---------------------------------------------------------------- settings file

def load_settings(path: str | Path) -> dict:
    """The CLI's per-client settings (`{"mapping": {...}, ...}`); {} when the file is absent."""
    p = Path(path)
    if not p.is_file():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig") or "{}")
    except (ValueError, RecursionError) as e:     # bad JSON, text encoding, 5,000-digit number
        raise RegisterFormatError(f"settings file is not valid JSON ({str(e)[:120]})",
                                  file=p.name) from None
    if not isinstance(data, dict):
        raise RegisterFormatError("settings file must hold a JSON object", file=p.name)
    if _is_ims_file(data):             # saving the mapping into it would destroy a download
        raise RegisterFormatError("is an IMS download or error file, not a settings file; "
                                  "give --mapping a settings file (a new name is fine)",
                                  file=p.name)
    for key, kind, what in (("mapping", dict, "an object"), ("RecipientGSTIN", str, "text")):
        if data.get(key) is not None and not isinstance(data[key], kind):
            raise RegisterFormatError(f"must be {what}", file=p.name, field=key)
    return data


def _is_ims_file(data: dict) -> bool:
    from ..portal import dialects
    from ..model.section import section_code
    envelopes = (dialects.DOWNLOAD_ENVELOPE, dialects.ERROR_ENVELOPE, dialects.API_ENVELOPE,
                 "error_report")
    return any(k in data for k in envelopes) or any(section_code(str(k)) for k in data)


def save_settings(path: str | Path, settings: dict) -> Path:
    """Write the settings whole or not at all."""
    text = json.dumps(settings, indent=2, ensure_ascii=False) + "\n"
    return write_bytes(path, text.encode("utf-8"))


def load(path: str | Path) -> Mapping | None:
    """The mapping saved in a settings file, or None."""
    data = load_settings(path).get("mapping")
    return Mapping.from_dict(data) if data else None


def save(path: str | Path, mapping: Mapping) -> Path:
    """Remember `mapping` in the settings file, keeping its other settings."""
    settings = load_settings(path)
    settings["mapping"] = mapping.to_dict()
    return save_settings(path, settings)
