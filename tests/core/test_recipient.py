"""The recipient GSTIN: one precedence rule for --gstin, the download's rtin and sheet Home."""

import pytest

from ims_xl.model.errors import ImsXlError
from ims_xl.model.recipient import recipient_gstin

OURS, OTHER = "27AABCZ1234K1Z9", "29AAFFT5678M1Z9"


@pytest.mark.parametrize("sources", [
    {"given": OURS}, {"download": OURS}, {"home": OURS},
    {"given": "27aabcz 1234k1z9", "download": OURS, "home": f" {OURS.lower()} "},
    {"given": "", "download": None, "home": OURS},
])
def test_any_source_names_the_recipient_once_cleaned(sources):
    assert recipient_gstin(**sources) == OURS


@pytest.mark.parametrize("sources, first, second", [
    ({"given": OTHER, "home": OURS}, f"--gstin {OTHER}", f"(sheet Home) {OURS}"),
    ({"given": OTHER, "download": OURS}, f"--gstin {OTHER}", f"recipient GSTIN {OURS}"),
    ({"download": OTHER, "home": OURS}, f"download's recipient GSTIN {OTHER}", OURS),
    ({"given": OURS, "download": OURS, "home": OTHER}, f"--gstin {OURS}", OTHER),
])
def test_sources_that_disagree_stop_naming_the_one_that_wins_first(sources, first, second):
    with pytest.raises(ImsXlError, match="right workbook") as e:
        recipient_gstin(**sources)
    message = str(e.value)
    assert message.index(first) < message.index("differs from") < message.index(second)


def test_an_invalid_gstin_says_where_it_came_from_and_what_to_do():
    with pytest.raises(ImsXlError) as e:
        recipient_gstin(home="27AABCZ1234K1Z8", fix="correct it on sheet Home")
    assert str(e.value) == ("recipient GSTIN (the workbook's Recipient GSTIN (sheet Home)): "
                            "GSTIN '27AABCZ1234K1Z8' fails the check character (expected 9); "
                            "correct it on sheet Home")
    with pytest.raises(ImsXlError, match=r"\(--gstin\): GSTIN '27AABCZ1234K1Z' has 14"):
        recipient_gstin(given="27AABCZ1234K1Z")


def test_blank_everywhere_is_allowed_until_an_export_needs_it():
    assert recipient_gstin(given=" ", download="", home=None) == ""
    with pytest.raises(ImsXlError, match="no recipient GSTIN: RecipientGSTIN in the settings "
                                         "is blank; pass --gstin"):
        recipient_gstin(home="", required=True, home_is="RecipientGSTIN in the settings",
                        fix="pass --gstin")
