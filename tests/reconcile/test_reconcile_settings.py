"""Tolerances per client: Home-sheet names, defaults, and what they change for the user."""

from datetime import date

import pytest

from ims_xl.model.errors import InputError
from ims_xl.workbook.layout import SETTINGS as HOME_SETTINGS
from ims_xl.reconcile import Settings, reconcile
from ims_xl.reconcile.result import MATCHED, MISMATCH, PROBABLE, STATUS_LABELS
from rhelp import book, ims


def test_home_sheet_names_are_read_and_unknown_keys_ignored():
    s = Settings.from_mapping({"ToleranceRupees": "5", "TolerancePercent": 0.5,
                               "DateWindowDays": 3.0, "RecipientGSTIN": "27AAA",
                               "ReturnPeriod": "032026", "mapping": {"x": 1}, "Colour": "red"})
    assert (s.tolerance_rupees, s.tolerance_percent, s.date_window_days) == (5.0, 0.5, 3)
    assert isinstance(s.date_window_days, int)


def test_every_home_sheet_tolerance_is_understood():
    names = {name for _, name, _ in HOME_SETTINGS}
    defaults = {name: default for _, name, default in HOME_SETTINGS}
    s = Settings.from_mapping(defaults)
    assert {"ToleranceRupees", "TolerancePercent", "DateWindowDays"} <= names
    assert s == Settings()                  # the sheet's defaults are the engine's defaults


@pytest.mark.parametrize("blank", [None, "", {}])
def test_blank_cells_keep_the_defaults(blank):
    d = {} if blank == {} else {"ToleranceRupees": blank, "DateWindowDays": blank}
    assert Settings.from_mapping(d) == Settings()
    assert Settings.from_mapping(None) == Settings()


@pytest.mark.parametrize("value, message", [("abc", "must be a number"),
                                            (-1, "must be zero or more")])
def test_bad_values_name_the_setting(value, message):
    with pytest.raises(InputError, match=f"ToleranceRupees.*{message}"):
        Settings.from_mapping({"ToleranceRupees": value})


def test_policy_tables_merge_over_the_defaults():
    s = Settings.from_mapping({"action_policy": {"mismatch": "R"}})
    assert s.action_policy["mismatch"] == "R" and s.action_policy["matched"] == "A"
    assert Settings().action_policy["mismatch"] == "P"      # defaults untouched


def test_status_labels_live_in_settings_and_result_reexports_them():
    assert STATUS_LABELS == Settings().status_labels
    assert STATUS_LABELS["missing_in_books"] == "Only in IMS"


def _one(taxable_books: float, settings=None, day=date(2026, 3, 5)):
    rec = ims("INV-1", taxable=1000.0, cgst=90.0, sgst=90.0)
    return reconcile([rec], [book(2, "INV-1", taxable=taxable_books, day=day)],
                     settings).ims[0][1]


def test_default_tolerance_is_one_rupee_per_head_inclusive():
    assert _one(1001.0).status == MATCHED
    assert _one(1001.02).status == MISMATCH


def test_a_rounding_difference_within_tolerance_is_shown_but_matched():
    m = _one(1000.6)
    assert m.status == MATCHED and m.differences == {"taxable": (1000.0, 1000.6)}


def test_rupee_tolerance_from_the_home_sheet_widens_the_band():
    assert _one(1004.0).status == MISMATCH
    assert _one(1004.0, Settings.from_mapping({"ToleranceRupees": 5})).status == MATCHED


def test_percent_tolerance_applies_to_each_head_when_larger():
    settings = Settings.from_mapping({"TolerancePercent": 0.5})     # 0.5% of 1000 = 5
    assert _one(1004.9, settings).status == MATCHED
    assert _one(1005.5, settings).status == MISMATCH


def test_date_window_from_the_home_sheet():
    # The window decides whether a shared serial alone (prefix dropped) may pair; any
    # differing date is Probable whatever the window (docs/reference/matching.md#statuses).
    later = date(2026, 3, 20)                                        # 15 days
    rec = ims("MC/INV-1")

    def run(settings=None):
        return reconcile([rec], [book(2, "1", day=later)], settings).ims[0][1]

    assert run().books_rows == []
    assert (run(Settings.from_mapping({"DateWindowDays": 15})).status, _one(1000.0).status,
            _one(1000.0, day=later).status) == (PROBABLE, MATCHED, PROBABLE)


def test_tolerance_is_named_in_the_mismatch_reason():
    m = _one(1050.0, Settings.from_mapping({"ToleranceRupees": 2, "TolerancePercent": 1}))
    assert "beyond Rs 2 or 1%" in m.reason


def test_points_inside_a_band_never_pass_the_next_band():
    s = Settings()
    bands = sorted(s.score_bands.values())
    gap = min(b - a for a, b in zip(bands, bands[1:]))
    best_fine = s.score_points["amounts"] + s.score_points["date"] + s.score_points["likeness"]
    assert best_fine <= gap and bands[-1] + best_fine == 100
