"""The canonical IMS record and the user's decision on it.

Portal keys (`stin`, `inum`, `txval` ...) live in `download.py`, `upload.py` and `dialects.py`;
the rest of the core uses the readable names below. `raw` keeps the record exactly as
downloaded (amounts as `Decimal`, so `118000.00` is written back as `118000.00`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import TypeVar, cast, overload

from .section import SECTIONS, Section

HEADS = ("igst", "cgst", "sgst", "cess")
ZERO = Decimal(0)


@dataclass(slots=True)
class ImsRecord:
    section: str
    supplier_gstin: str
    doc_number: str
    doc_date: str                       # dd-mm-yyyy, as downloaded
    raw: dict                           # the untouched portal record
    supplier_name: str = ""
    orig_doc_number: str = ""           # amendments only
    orig_doc_date: str = ""
    supply_type: str = ""               # inv_typ: R, SEWP, SEWOP, DE
    value: Decimal = ZERO
    taxable: Decimal = ZERO
    igst: Decimal = ZERO
    cgst: Decimal = ZERO
    sgst: Decimal = ZERO
    cess: Decimal = ZERO
    pos: str = ""
    action: str = "N"                   # current portal action
    source_form: str = ""
    return_period: str = ""
    filing_status: str = ""             # raw srcfilstatus
    supplier_filed: bool | None = None  # None when the status is absent or unknown
    pending_blocked: bool = False
    remarks_blocked: bool = False
    itc_blocked: bool = False
    itc_red_req: str = ""               # Y / N / '' as downloaded
    declared: dict = field(default_factory=dict)   # head -> Decimal, as downloaded
    remarks: str = ""
    hash: str = ""
    error_msg: str = ""                 # error files only
    error_cd: str = ""
    source: str = ""                    # file it came from, for messages

    @property
    def sec(self) -> Section:
        return SECTIONS[self.section]

    @property
    def key(self) -> str:
        """Identity across download, sheet and error file: section|stin|number|period."""
        return record_key(self.section, self.supplier_gstin, self.doc_number, self.return_period)

    @property
    def tax(self) -> Decimal:
        return self.igst + self.cgst + self.sgst + self.cess

    def label(self) -> str:
        """How messages name this record."""
        return f"{self.sec.label} {self.supplier_gstin} {self.doc_number}"


def record_key(section: str, gstin: str, number: str, period: str) -> str:
    return f"{section}|{gstin}|{number}|{period}"


@dataclass(slots=True)
class Decision:
    """What the user chose for a record: action, remarks and the ITC-reduction declaration.

    `action` None means the Action cell is blank: keep whatever the portal has.
    `declared` maps a tax head to an amount, or omits it (full reversal when `itc_red_req` is Y).
    """

    action: str | None = None
    remarks: str = ""
    itc_red_req: str = ""
    declared: dict = field(default_factory=dict)

    @classmethod
    def portal_state(cls, rec: ImsRecord) -> "Decision":
        """The state the portal holds for `rec`, as downloaded."""
        return cls(rec.action, rec.remarks, rec.itc_red_req, dict(rec.declared))

    def same_as(self, other: "Decision") -> bool:
        """True when uploading self would change nothing on the portal
        (docs/reference/ims-format.md#changed-records-only)."""
        return ((self.action or other.action) == other.action
                and self.remarks.strip() == other.remarks.strip()
                and self.itc_red_req == other.itc_red_req
                and _amounts(self.declared) == _amounts(other.declared))


def _amounts(declared: dict) -> dict:
    return {h: Decimal(str(v)) for h, v in declared.items() if v not in (None, "")}


@dataclass(slots=True)
class RegisterEntry:
    """One document in the user's purchase register, summed over its rows and ledgers.

    Amounts are absolute (books often carry credit notes negative); `kind` says what it is.
    They are `Decimal`, like `ImsRecord`'s, so sums in reports stay exact (0.1 + 0.2 is 0.3).
    """

    row: int                          # first row of the document in the source file (1-based,
                                      # as a spreadsheet shows it; CSV: line number)
    supplier_gstin: str
    doc_number: str
    doc_date: date | None             # None when the cell was empty
    kind: str = "invoice"             # invoice | credit | debit
    supplier_name: str = ""
    taxable: Decimal = ZERO
    igst: Decimal = ZERO
    cgst: Decimal = ZERO
    sgst: Decimal = ZERO
    cess: Decimal = ZERO
    value: Decimal | None = None
    pos: str = ""
    reverse_charge: bool = False
    rows: tuple = ()                  # every source row folded into this document
    voucher: str = ""                 # books voucher number, when the register has one
    sheet_row: int = 0                # row on the workbook's Purchase sheet, when read from it
    warnings: list = field(default_factory=list)   # Issue list from the books checks

    @property
    def tax(self) -> Decimal:
        return self.igst + self.cgst + self.sgst + self.cess


AMOUNT_FIELDS = ("taxable", "igst", "cgst", "sgst", "cess", "value")


T = TypeVar("T")


class ComparedAsList:
    """A sequence that stands in for a list: equal to any sequence of the same items, and
    unhashable, as a list is."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(cast(Sequence, self)) == list(other)     # a mixin of sequences only

    __hash__ = None                             # type: ignore[assignment]   # as a list's


class MadeWhenAsked(ComparedAsList, Sequence[T]):
    """A sequence of objects kept as columns, each made when first asked for and then the
    same object every time (`_made`: None where none is made yet). A subclass makes the one
    at a place (`_make`) and reads a whole field without making any (`column(name)`, which
    `column_of` uses). It compares as a list (`ComparedAsList`)."""

    _made: list[T | None]

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, at: int) -> T: ...

    @overload
    def __getitem__(self, at: slice) -> list[T]: ...

    def __getitem__(self, at: int | slice) -> T | list[T]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        made = self._made[at]
        if made is None:
            made = self._made[at] = self._make(at)
        return made

    def _make(self, at: int) -> T:
        raise NotImplementedError

    def column(self, name: str) -> list:
        raise NotImplementedError


class Entries(MadeWhenAsked[RegisterEntry]):
    """Register entries kept as columns, as the register reader builds them and as a
    register is handed back from the process that read it (`Register`'s pickle): one list
    per `RegisterEntry` field, the amounts as their texts ("" for None). An entry is made
    when first asked for (then the same object every time); `column_of` reads a whole
    column without making any, and `amount_texts` an amount column's texts.

    A made entry may be changed (the reader's notes, the books checks' warnings): the
    columns read then give its values. Reading 100,000 documents, making every entry and
    its amounts' Decimals took 0.4 s, and turning them back into columns to hand them back
    0.3 s; the Purchase sheet, the books checks and matching read columns, and the entries
    made are those left over, clubbed, linked or with a note.
    """

    FIELDS = tuple(f.name for f in fields(RegisterEntry))
    AMOUNTS_AT = tuple(at for at, name in enumerate(FIELDS) if name in AMOUNT_FIELDS)
    _WARNINGS_AT = FIELDS.index("warnings")
    _AS_IS = {"0": ZERO, "": None}      # "0": the one zero every amount of nothing is

    def __init__(self, count: int, columns: list[list]) -> None:
        self._columns = columns
        self._made = [None] * count
        self._made_at: list[int] = []   # where an entry was made (each once), in order

    def _make(self, at: int) -> RegisterEntry:
        self._made_at.append(at % len(self._made))
        values = [column[at] for column in self._columns]
        for k in self.AMOUNTS_AT:
            values[k] = self._money(values[k])
        values[self._WARNINGS_AT] = list(values[self._WARNINGS_AT])    # its own list
        return RegisterEntry(*values)

    def __iter__(self) -> Iterator[RegisterEntry]:
        if None in self._made:                  # the rest made at once, column by column
            columns = list(self._columns)
            for k in self.AMOUNTS_AT:
                columns[k] = list(map(self._money, columns[k]))
            columns[self._WARNINGS_AT] = list(map(list, columns[self._WARNINGS_AT]))
            self._made = [made if made is not None else entry for made, entry in
                          zip(self._made, map(RegisterEntry, *columns))]
            self._made_at = list(range(len(self._made)))
        return iter(self._made)                 # type: ignore[arg-type]   # all made now

    def column(self, name: str) -> list:
        """The values of one field, one per entry (amounts as Decimal), none made."""
        at = self.FIELDS.index(name)
        values = self._columns[at]
        out = list(map(self._money, values)) if name in AMOUNT_FIELDS else \
            list(map(list, values)) if at == self._WARNINGS_AT else list(values)
        return self._as_made(out, name, None)

    def warn(self, at: int, issues: list) -> None:
        """Add `issues` to the warnings of entry `at`, made or not (the books checks find a
        few thousand at 100,000 documents: making each took 0.1 s)."""
        made = self._made[at]
        if made is not None:
            made.warnings.extend(issues)
        else:
            column = self._columns[self._WARNINGS_AT]
            column[at] = (*column[at], *issues)

    def amount_texts(self, name: str) -> list[str]:
        """An amount field's texts ("" for None): a float column parses from them."""
        return self._as_made(list(self._columns[self.FIELDS.index(name)]), name, _amount_text)

    def texts(self) -> list[list]:
        """Every column (`FIELDS` order), the amounts as texts: what the columns say, with
        each made entry's own values."""
        return [self.amount_texts(name) if name in AMOUNT_FIELDS else self.column(name)
                for name in self.FIELDS]

    def between(self, start: int, end: int) -> Entries:
        """Entries `start` to `end` as entries of their own, to read (their columns sliced,
        the entries made so far taken along as they are)."""
        part = Entries(0, [column[start:end] for column in self._columns])
        part._made = made = self._made[start:end]
        part._made_at = [at for at, entry in enumerate(made) if entry is not None]
        return part

    def _as_made(self, out: list, name: str, as_text: Callable | None) -> list:
        """`out`, a column, with each made entry's own value (it may have been changed):
        set in C (`map` of `list.__setitem__`), not a Python step per entry."""
        at = self._made_at
        values = map(attrgetter(name), map(self._made.__getitem__, at))
        deque(map(out.__setitem__, at, values if as_text is None else map(as_text, values)),
              maxlen=0)
        return out

    @classmethod
    def _money(cls, text: str) -> Decimal | None:
        return Decimal(text) if text not in cls._AS_IS else cls._AS_IS[text]


def _amount_text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def rows_between(items: Sequence, start: int, end: int) -> Sequence:
    """`items[start:end]`; of `Entries`, entries of their own over the same columns (their
    slice would make each entry)."""
    between = getattr(items, "between", None)
    return between(start, end) if between is not None else items[start:end]


def column_of(items: Sequence, name: str) -> list:
    """`[item.<name> for item in items]`; read from its columns for a sequence that keeps
    them (`Entries`, `reconcile.result.Results`: each has `column(name)`), none made."""
    column: Callable[[str], list] | None = getattr(items, "column", None)
    if column is not None:
        return column(name)
    return list(map(attrgetter(name), items))
