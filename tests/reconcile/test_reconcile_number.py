"""The document-number normaliser's regression table (matching.md §2.7, §5.2)."""

import pytest

from ims_xl.reconcile.number import CORE, DIFFERENT, SAME, normalise, relation

TABLE = [
    # the measured failures of matching.md §2.7
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
