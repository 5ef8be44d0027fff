"""The document-number normaliser's regression table (docs/reference/matching.md#peer-pitfalls,
docs/reference/matching.md#number-comparison)."""

import pytest

from ims_xl.reconcile.number import CORE, DIFFERENT, SAME, glued, normalise, relation

TABLE = [
    # the measured failures of docs/reference/matching.md#peer-pitfalls
    ("ABC-123", "abc123", SAME),
    ("INV/2023-24/0012", "INV/23-24/12", SAME),
    ("BILL-23-00040", "BILL-23-00045", DIFFERENT),
    ("INV 5", "INV 50", DIFFERENT),
    ("1234", "12345", DIFFERENT),
    ("QKI/055190", "QKI/053612", DIFFERENT),
    # case and every separator
    ("inv/12", "INV-12", SAME),
    ("INV.12", "INV_12", SAME),
    ("INV\\12", "INV 12", SAME),
    ("INV#12", "INV12", SAME),
    (" inv 12 ", "INV12", SAME),
    # financial-year tokens in any spelling
    ("INV/2024-25/7", "INV/24-25/7", SAME),
    ("INV/2024-25/7", "INV/2425/7", SAME),
    ("INV/2024-25/7", "INV/202425/7", SAME),
    ("INV/2024-25/7", "INV/2024-2025/7", SAME),
    ("INV/2024-25/7", "INV/2024/25/7", SAME),
    ("INV/24-25/7", "INV/7", SAME),                   # FY dropped on one side
    ("24-25/INV/7", "INV/7", SAME),
    ("INV/24-25/7", "INV/25-26/7", DIFFERENT),        # serial restarted in a new year
    ("INV/2021-22/5", "INV/21-22/5", SAME),           # not read as 20|21
    ("2425", "2526", DIFFERENT),                      # a bare serial is not a year
    ("INV2425", "INV2526", DIFFERENT),
    ("INV/2425", "INV/2425", SAME),
    # zeros inside tokens
    ("INV-0012-A", "INV-12-A", SAME),
    ("A/007", "A/7", SAME),
    ("A/70", "A/7", DIFFERENT),
    ("INV-0", "INV-000", SAME),
    ("12/0345", "12/345", SAME),
    ("12/0345", "1/2345", DIFFERENT),                 # digit boundaries are kept
    ("1-23", "12-3", DIFFERENT),
    # dropped or changed prefixes: same serial, needs agreeing amounts to pair
    ("ABI/25-26/0012", "12", CORE),
    ("ABI/25-26/0012", "25-26/0012", CORE),
    ("MH-INV-0042", "INV-42", CORE),
    ("ABC", "ABD", DIFFERENT),                        # no digits: no core
    # (1) the plain spelling first: same letters and digits, one side dropped separators
    ("ABC/2024-25/317", "ABC202425317", SAME),
    ("INV-26-01958", "inv2601958", SAME),
    ("MC/25-26/0451", "mc25260451", SAME),
    ("A1-23-4", "A123-4", SAME),
    ("1-23", "12-3", DIFFERENT),                      # a digit moved across a separator
    # (2) a year glued into a digit run, against a number that writes that year apart
    ("ABC202425317", "ABC/24-25/317", SAME),
    ("INV242500012", "INV/24-25/00012", SAME),
    ("INV242500012", "INV/2024-25/12", SAME),
    ("MC2025260451", "MC/25-26/0451", SAME),
    ("INV242500012", "INV/25-26/12", DIFFERENT),      # another year
    ("INV242500012", "INV/12", DIFFERENT),            # the other side carries no year
    ("INV242500012", "INV/24-25/13", DIFFERENT),      # another serial
    ("INV2425", "INV/24-25/5", DIFFERENT),            # no serial after the year
    ("INV 5", "INV5", SAME),
    ("INV 5", "INV-005", SAME),
    ("INV 5", "INV-050", DIFFERENT),
    ("BILL2300040", "BILL-23-00045", DIFFERENT),
]


@pytest.mark.parametrize("books, portal, expected", TABLE)
def test_relation(books, portal, expected):
    assert relation(books, portal) == expected
    assert relation(portal, books) == expected        # symmetric


def test_fy_is_kept_apart_from_the_key():
    n = normalise("inv/2023-24/0012")
    assert (n.key, n.core, n.fy) == ("INV12", "12", 2023)


def test_years_outside_the_configured_range_are_not_fy_tokens():
    assert normalise("A/12-13/5").fy == 0              # before GST
    assert normalise("A/12-13/5", years=(2010, 2020)).fy == 2012


def test_a_glued_year_is_cut_out_only_when_a_serial_follows():
    assert glued("ABC202425317") == (normalise("ABC/317").key, "317", 2024)
    assert glued("INV242500012").fy == 2024
    assert glued("INV2425") is None and glued("INV/24-25/12") is None
    assert glued("20242025123").fy == 2024
