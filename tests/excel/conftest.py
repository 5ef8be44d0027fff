"""Fixtures for the Excel layer: real `xw.Book` objects on the in-memory engine."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import xlwings as xw

sys.path.insert(0, str(Path(__file__).parent))

import memengine  # noqa: E402
from xlbench import Month, fresh_book  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: 100,000-row runs; run with -m slow or "
                                       "IMS_XL_SLOW=1")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("IMS_XL_SLOW") or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow or IMS_XL_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def book(tmp_path):
    """A fresh workbook set as the caller; teardown removes the mock
    (docs/reference/excel.md#pitfalls)."""
    b = fresh_book(tmp_path)
    b.set_mock_caller()
    yield b
    del xw.Book._mock_caller


@pytest.fixture
def bare_book(tmp_path):
    """A workbook with none of our sheets and no named cells (any other .xlsm)."""
    b = memengine.new_book("Other.xlsm", folder=tmp_path)
    b.set_mock_caller()
    yield b
    del xw.Book._mock_caller


@pytest.fixture
def month(tmp_path):
    return Month(tmp_path, 60)


@pytest.fixture(autouse=True)
def _error_log(tmp_path, monkeypatch):
    """Bug tracebacks go to the test's folder, not the machine's temp folder."""
    monkeypatch.setenv("IMS_XL_LOG_DIR", str(tmp_path / "logs"))
