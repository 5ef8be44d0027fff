"""THE mapping table for purchase registers: fields, header aliases, ledger-name patterns.

Everything a register layout can change lives here, so a new alias or ledger spelling is a one-line
edit (docs/reference/matching.md#header-aliases; aliases marked [I]/[U] there are guesses from
peers' code and help pages, not from real client files). Headers are compared after `normalise()`,
so case, punctuation, `₹`/`(Rs.)` and `No.`/`Number` spellings do not matter.
"""

from __future__ import annotations

import re

# Canonical field -> label shown in the Mapping sheet's "Field" column.
FIELDS: dict[str, str] = {
    "supplier_gstin": "Supplier GSTIN",
    "supplier_name": "Supplier Name",
    "doc_number": "Document No",
    "doc_date": "Document Date",
    "kind": "Document Type",
    "taxable": "Taxable Value",
    "igst": "IGST",
    "cgst": "CGST",
    "sgst": "SGST/UTGST",
    "cess": "Cess",
    "value": "Document Value",
    "pos": "Place of Supply",
    "reverse_charge": "Reverse Charge",
    "rcm_tax": "Reverse-charge Tax",
    "tax_total": "Tax Amount",
    "tax_name": "Tax Name",
    "voucher": "Voucher No",
    "voucher_date": "Voucher Date",
    "company_gstin": "Company GSTIN",
}
IGNORED = "(ignored)"                 # Field text for a column that feeds nothing

HEADS = ("igst", "cgst", "sgst", "cess")
MULTI = frozenset({"taxable", "igst", "cgst", "sgst", "cess", "rcm_tax"})  # columns summed
REQUIRED = ("supplier_gstin", "doc_number", "doc_date")
ANY_AMOUNT = ("taxable", "igst", "cgst", "sgst", "cess", "tax_total")   # at least one
# When a field has no column of its own, the books voucher stands in (Tally without the
# "supplier invoice" columns; ERPNext rows without a bill date).
FALLBACKS = {"doc_number": "voucher", "doc_date": "voucher_date"}

# Field -> aliases, best first. A field takes the first alias present; the order also
# settles clashes (ERPNext has both "Bill No" and "Invoice": the bill is the supplier's).
ALIASES: dict[str, tuple[str, ...]] = {
    "supplier_gstin": (
        "GSTIN of Supplier", "Supplier GSTIN", "GSTIN/UIN", "GSTIN/UIN of Supplier",
        "Party GSTIN", "Vendor GSTIN", "GST Identification Number (GSTIN)", "GSTIN",
        "GSTIN No", "GST No", "CTIN", "Tax Id"),
    "supplier_name": (
        "Supplier Name", "Vendor Name", "Party Name", "Name of Supplier", "Trade/Legal name",
        "Trade Name", "Legal Name", "Particulars", "Party", "Supplier", "Vendor",
        "Party A/c Name"),
    "doc_number": (
        "Supplier Invoice No.", "Supplier Bill No", "Party Bill No", "Invoice Number",
        "Bill Number", "Bill#", "Vendor Invoice No", "Vendor Invoice Number", "Vendor Bill No",
        # SAP: `Reference` is the vendor's invoice, `Document Number` SAP's own accounting
        # document, so Reference must come first.
        "Reference", "Reference No", "Document Number", "Doc No", "Vch/Bill No", "Note Number",
        "Note/Refund Voucher Number", "Invoice"),
    "doc_date": (
        "Supplier Invoice Date", "Supplier Bill Date", "Party Bill Date", "Invoice Date",
        "Bill Date", "Vendor Invoice Date", "Reference Date", "Document Date", "Doc Date", "Vch/Bill Date", "Note Date",
        "Note/Refund Voucher date"),
    "kind": (
        "Voucher Type", "Document Type", "Doc Type", "Invoice Type", "Note Type",
        "Note/Refund Voucher Type", "Transaction Type", "Txn Type", "Type", "Purc Type",
        "Purchase Type"),
    "taxable": (
        "Taxable Value", "Taxable Amount", "Taxable", "Assessable Value", "Basic Amount",
        "Base Amount",
        "Net Total", "Item Total"),
    "igst": (
        "IGST", "IGST Amount", "Integrated Tax", "Integrated Tax Paid", "Integrated Tax Amount",
        "IGST Input", "Input IGST"),
    "cgst": (
        "CGST", "CGST Amount", "Central Tax", "Central Tax Paid", "Central Tax Amount",
        "CGST Input", "Input CGST"),
    "sgst": (
        "SGST", "SGST Amount", "UTGST", "SGST/UTGST", "State Tax", "State/UT Tax",
        "State/UT Tax Paid", "State Tax Paid", "SGST Input", "Input SGST", "UTGST Input"),
    "cess": ("Cess", "Cess Amount", "Cess Paid", "Cess on GST Input", "Compensation Cess"),
    "value": (
        "Invoice Value", "Document Value", "Note Value", "Note/Refund Voucher Value",
        "Bill Amount", "Bill Value", "Gross Total", "Gross Amount", "Grand Total",
        "Invoice Amount", "Total Invoice Value", "Total Amount", "Total"),
    # Zoho's "Source of Supply" is the supplier's state, not the place of supply: not here.
    "pos": ("Place of Supply", "POS", "Destination of Supply", "Place of Supply (State)"),
    "reverse_charge": (
        "Reverse Charge", "RCM", "Is Reverse Charge", "Supply Attract Reverse Charge",
        "Reverse Charge Applicable"),
    "rcm_tax": (),
    "tax_total": ("Tax Amount", "Item Tax Amount", "GST Amount", "Total Tax", "Total GST"),
    "tax_name": ("Item Tax", "Tax Name", "Tax Type"),
    "voucher": ("Voucher No.", "Voucher", "Invoice"),
    "voucher_date": ("Voucher Date", "Posting Date", "Date"),
    "company_gstin": ("Company GSTIN", "Recipient GSTIN", "GSTIN of Recipient", "Our GSTIN"),
}

# Said after "is a known name for ..." in the Mapping sheet's Why column.
NOTES = {"tax_total": " (used only when there is no IGST/CGST/SGST column: split by the tax "
                      "name or by state)",
         "voucher": " (the books' own number; kept for reference)"}

# Ledger / account columns (Tally, Busy, ERPNext): numeric columns that no alias claimed are
# classified by name. SKIP first: names that mention a tax but are not the tax charged.
SKIP: tuple[tuple[str, str], ...] = (
    (r"\b(itc|availed|eligib\w*)\b", "ITC availed or eligibility, not the tax on the document"),
    (r"\b(rate|percent)\b|^[a-z ]+ %$", "a rate or percentage, not an amount"),
    (r"\bsource of supply\b", "the supplier's state, not the place of supply"),
    (r"\b(tds|tcs)\b", "TDS/TCS is not GST"),
    (r"\boutput\b", "an output-tax (sales) ledger"),
    (r"\btotal\b", "a total across ledgers"),
    (r"\b(quantity|qty|units?)\b", "a quantity, not an amount"),
    (r"\bpurchase (order|receipt|type|date|no|invoice)\b", "a reference, not an amount"),
)
RCM = r"\b(rcm|reverse charge|reverse)\b"          # reverse-charge ledgers: never in IMS
LEDGERS: tuple[tuple[str, str], ...] = (           # first hit wins: cess before the heads
    (r"\bcess\b", "cess"),
    (r"\b(igst|integrated)\b", "igst"),
    (r"\b(cgst|central)\b", "cgst"),
    (r"\b(sgst|utgst|state)\b", "sgst"),
    (r"\bpurchases?\b", "taxable"),
)

# Document type text -> kind. Books "Debit Note" is ambiguous: a recipient's debit note is a
# purchase return (the supplier's credit note) and carries negative amounts; a supplier's
# debit note is booked positive. The sign decides (see `register._kind`).
# Values seen: Purchase, Purchase Return, Debit Note, Credit Note, DN, CN, Dr Note, Cr Note,
# C/N, D/N, CRN, DRN; anything else (Purchase, Journal, Tax Invoice, Bill) is an invoice.
KINDS: tuple[tuple[str, str], ...] = (
    (r"\bcredit\b|\bcn\b|^c$|\bcr note\b|^c n$|\bcrn\b", "credit"),
    (r"\breturns?\b", "credit"),
    (r"\bdebit\b|\bdn\b|^d$|\bdr note\b|^d n$|\bdrn\b", "debit"),
)
KIND_LABELS = {"invoice": "Invoice", "credit": "Credit Note", "debit": "Debit Note"}

# A cell with one of these (normalised) is a subtotal/total row, not a document.
TOTAL_ROW = re.compile(r"^(grand |sub |page |month |day )?totals?( for .*| of .*)?$"
                       r"|^subtotal$|^(opening|closing) balance$|^(carried|brought) forward$")
UNREGISTERED = frozenset({"", "URP", "URD", "NA", "N/A", "NIL", "UNREGISTERED", "-"})
YES = frozenset({"y", "yes", "true", "1", "rcm", "reverse charge"})

HEADER_SCAN_ROWS = 30                 # header must sit in the first rows (titles above it)
FUZZY_CUTOFF = 88                     # rapidfuzz ratio on normalised headers
SAMPLE_ROWS = 200                     # data rows sampled to tell amount columns from text

_SYNONYMS = {"number": "no", "num": "no", "nos": "no", "amt": "amount", "inv": "invoice",
             "vch": "voucher", "dt": "date", "rs": "", "inr": ""}


def normalise(header: object) -> str:
    """`"Vch. No."` -> `"voucher no"`, `"Taxable Value (₹)"` -> `"taxable value"`."""
    text = str(header or "").casefold().replace("₹", " ").replace("#", " no ")
    text = re.sub(r"%", " % ", text)
    words = re.sub(r"[^0-9a-z%]+", " ", text).split()
    return " ".join(w for w in (_SYNONYMS.get(w, w) for w in words) if w)


# Normalised alias -> field, each alias for the first field that lists it.
ALIAS_INDEX: dict[str, list[tuple[str, int]]] = {}
for _field, _aliases in ALIASES.items():
    for _rank, _alias in enumerate(_aliases):
        ALIAS_INDEX.setdefault(normalise(_alias), []).append((_field, _rank))
