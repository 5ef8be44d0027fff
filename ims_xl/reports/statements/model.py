"""A supplier statement as data: its lines, the documents it counts, its subject and draft
e-mail."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

DIFFERS = "Details differ"
NOT_IN_BOOKS = "Reported by you, not in our books"
NOT_REPORTED = "In our books, not reported by you"
ISSUES = (DIFFERS, NOT_IN_BOOKS, NOT_REPORTED)


@dataclass
class StatementLine:
    issue: str                  # one of ISSUES
    section: str                # B2B, B2B-CN, ... or the books document type
    doc_number: str
    doc_date: str
    field: str
    supplier_value: object      # as the supplier reported it (IMS); "" when not reported
    books_value: object         # as in our books; "" when not booked
    books_row: str = ""         # row of the books file, so the accountant can find it

    @property
    def difference(self) -> float | None:
        """Supplier's figure minus ours; a side that is missing counts as zero."""
        a, b = number(self.supplier_value), number(self.books_value)
        if a is None and b is None:
            return None
        if (a is None and self.supplier_value != "") or (b is None and self.books_value != ""):
            return None                 # one side is text (a date, a number): no arithmetic
        return float(round(exact(a or 0.0) - exact(b or 0.0), 2)) + 0.0   # + 0.0: never -0


@dataclass
class Statement:
    supplier_gstin: str
    supplier_name: str = ""
    our_gstin: str = ""
    period: str = ""
    lines: list = field(default_factory=list)

    def count(self, issue: str) -> int:
        """Documents (not lines) with this issue."""
        return len({(ln.section, ln.doc_number) for ln in self.lines if ln.issue == issue})

    @property
    def subject(self) -> str:
        docs = sum(self.count(i) for i in ISSUES)
        period = f" {self.period}" if self.period else ""
        ours = f" (GSTIN {self.our_gstin})" if self.our_gstin else ""
        return (f"GST reconciliation{period}: {docs} document(s) to check between your "
                f"GSTR-1 and our books{ours}")

    @property
    def email(self) -> str:
        return draft_email(self)




def exact(x: float) -> Decimal:
    """A cell's amount as the decimal it shows (shortest repr), so 0.1 + 0.2 sums to 0.3."""
    return Decimal(repr(float(x)))


def number(v) -> float | None:
    if isinstance(v, bool) or v in (None, ""):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).replace(",", "").strip())
    except ValueError:
        return None


def draft_email(st: Statement) -> str:
    """A short e-mail to send with the statement; the user adds the signature."""
    points = []
    if st.count(DIFFERS):
        points.append(f"- {st.count(DIFFERS)} document(s) whose details in your GSTR-1/IFF "
                      "differ from our books;")
    if st.count(NOT_IN_BOOKS):
        points.append(f"- {st.count(NOT_IN_BOOKS)} document(s) you reported that we have not "
                      "recorded (please send us a copy, or amend the return if reported in "
                      "error);")
    if st.count(NOT_REPORTED):
        points.append(f"- {st.count(NOT_REPORTED)} document(s) in our books that you have not "
                      "reported (please report them in GSTR-1/IFF or GSTR-1A);")
    ours = f" (our GSTIN {st.our_gstin})" if st.our_gstin else ""
    period = f" for {st.period}" if st.period else ""
    return "\n".join([
        f"Subject: {st.subject}",
        "",
        f"Dear {st.supplier_name or 'Sir/Madam'},",
        "",
        f"We have reconciled the documents you reported to us{period} (your GSTIN "
        f"{st.supplier_gstin}), as they appear in the Invoice Management System on the GST "
        f"portal, with our purchase books{ours}. We found:",
        *points,
        "",
        "The attached statement lists each document with your value and ours. Please check "
        "it and correct your return or write back to us, so that we can accept these "
        "documents in IMS before we file GSTR-3B.",
        "",
        "Regards,",
    ])
