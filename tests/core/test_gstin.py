import random

import pytest

from ims_xl.model import gstin
from ims_xl.testdata.generate import make_gstin


@pytest.mark.parametrize("value", ["27AABCZ1234K1Z9", "27AAHCM1357N1Z2", "29AAFFT5678M1Z9",
                                   "07AAGPS9876Q1ZE", "33AAACR2468J1ZD"])
def test_doc_gstins_pass(value):
    assert gstin.is_valid(value) and gstin.problem(value) == ""


@pytest.mark.parametrize("value, why", [
    ("27AABCZ1234K1Z8", "check character (expected 9)"),
    ("24MAYAS0100J1JD", "check character"),          # from GSTN docs; fails the check
    ("27AABCZ1234K1Z", "14 characters"),
    ("27aabcz1234k1z9", "outside 0-9 and A-Z"),
    ("99AABCZ1234K1Z9", "unknown state code 99"),
    ("", "empty"),
])
def test_bad_gstins_say_why(value, why):
    assert not gstin.is_valid(value)
    assert why in gstin.problem(value)


def test_one_wrong_character_is_always_caught():
    rng = random.Random(5)
    for _ in range(300):
        good = make_gstin(rng)
        i = rng.randrange(14)
        swapped = good[:i] + rng.choice([c for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         if c != good[i]]) + good[i + 1:]
        assert gstin.is_valid(good)
        assert gstin.check_char(swapped[:14]) != good[14] or swapped[:2] not in gstin.STATES


def test_clean_and_pan():
    assert gstin.clean(" 27aahcm 1357n1z2 ") == "27AAHCM1357N1Z2"
    assert gstin.pan("27AAHCM1357N1Z2") == "AAHCM1357N"
