"""The eight IMS sections and what differs between them
(docs/reference/ims-format.md#download-envelope, docs/reference/ims-format.md#itc-reduction)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    code: str          # key in the JSON: b2b, b2ba, ...
    label: str         # shown in the workbook
    kind: str          # invoice | debit | credit: what it pairs with in the books
    number_key: str    # inum or nt_num
    date_key: str      # idt or nt_dt
    orig_number_key: str | None   # amendments only
    orig_date_key: str | None
    itc_declaration: bool         # carries the ITC-reduction block on Accept

    @property
    def is_amendment(self) -> bool:
        return self.orig_number_key is not None


SECTIONS: dict[str, Section] = {s.code: s for s in (
    Section("b2b", "B2B", "invoice", "inum", "idt", None, None, False),
    Section("b2ba", "B2BA", "invoice", "inum", "idt", "oinum", "oidt", True),
    Section("b2bdn", "B2B-DN", "debit", "nt_num", "nt_dt", None, None, False),
    Section("b2bdna", "B2B-DNA", "debit", "nt_num", "nt_dt", "ont_num", "ont_dt", True),
    Section("b2bcn", "B2B-CN", "credit", "nt_num", "nt_dt", None, None, True),
    Section("b2bcna", "B2B-CNA", "credit", "nt_num", "nt_dt", "ont_num", "ont_dt", True),
    Section("ecom", "ECO", "invoice", "inum", "idt", None, None, False),
    Section("ecoma", "ECOA", "invoice", "inum", "idt", "oinum", "oidt", True),
)}

# API/web section parameters and sheet labels seen in the wild -> our code.
SECTION_ALIASES: dict[str, str] = {
    **{code: code for code in SECTIONS},
    **{s.label.lower(): s.code for s in SECTIONS.values()},
    "cn": "b2bcn", "cna": "b2bcna", "dn": "b2bdn", "dna": "b2bdna",
    "b2b-cn": "b2bcn", "b2b-cna": "b2bcna", "b2b-dn": "b2bdn", "b2b-dna": "b2bdna",
    "eco": "ecom", "ecoa": "ecoma",
}


def section_code(name: str) -> str | None:
    """Our section code for a key or label, or None when it is not an IMS section."""
    return SECTION_ALIASES.get(str(name).strip().lower())
