"""Fixtures for the workbook build checks: a fresh build and a filled workbook, made once."""

from __future__ import annotations

import pytest

from ims_xl.workbook.data import WorkbookData
from ims_xl.workbook.layout import IMS_COLUMNS, PURCHASE_COLUMNS

TRICKY = ["=SUM(A1)", "+919876543210", "-5", "@user", "0012345", "1234567890123456", "1E5",
          "TRUE", "05-03-2026", "2026-03-05", " padded ", "a & b < c > d", "tab\there",
          "line\nbreak", "bell\x07", "_x0041_", "ज़रूर ₹", "'quoted"]


def ims_row(**values) -> list:
    """An IMS row in layout order, blank except `values` (by column key)."""
    row = [None] * len(IMS_COLUMNS)
    for i, col in enumerate(IMS_COLUMNS):
        if col.key in values:
            row[i] = values[col.key]
    return row


def purchase_row(**values) -> list:
    return [values.get(c.key) for c in PURCHASE_COLUMNS]


def sample_data() -> WorkbookData:
    data = WorkbookData()
    data.settings = {"RecipientGSTIN": "27AJICO7272Q1Z0", "ReturnPeriod": "032026",
                     "ToleranceRupees": 1, "TolerancePercent": 0, "DateWindowDays": 10}
    data.ims_rows = [
        ims_row(section="B2B", stin="27RQECG2004V1ZV", tradenm="TECHNO LOGISTICS",
                doc_num="2025000000000003", doc_date="24-03-2026", status="Matched",
                action="Accept", remarks="=SUM(A1)", val=131064.58, txval=102394.2,
                iamt=0.0, camt=14335.19, samt=14335.19, cess=0, pos=27, key="k1"),
        ims_row(section="B2B", stin="32KNBCM7762K1Z9", tradenm="+91 SHREE", doc_num="0012",
                doc_date="06-03-2026", status="Mismatch", action="Pending",
                remarks="+919876543210", txval=87090.06, pos="32", key="k2"),
    ] + [ims_row(section="B2B", doc_num=t, remarks=t, key=f"t{i}") for i, t in enumerate(TRICKY)]
    data.purchase_rows = [purchase_row(row=2, stin="27RQECG2004V1ZV", doc_num="INV000003",
                                       doc_date="24-03-2026", txval=102394.2, status="Matched",
                                       ims_row=2)]
    data.mapping_rows = [["Document No", "Bill No", "header alias"]]
    data.log_rows = [["2026-04-01 10:00", "Reconcile", "Matched 1, Mismatch 1"]]
    data.summary_rows = [["Summary"], ["Matched", 1, 14335.19], ["Mismatch", 1, 0.0]]
    data.exports = [("2026-04-01 10:05", "upload.json", 2, '{"rtin": "27AJICO7272Q1Z0"}')]
    return data


@pytest.fixture(scope="session")
def make_data():
    """The sample WorkbookData factory (a fixture, since tests/ is not a package)."""
    return sample_data


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A fresh build of the empty workbook."""
    from ims_xl.workbook.build.workbook import build_workbook
    return build_workbook(tmp_path_factory.mktemp("build") / "IMS_Reconciler.xlsm")


@pytest.fixture(scope="session")
def filled(tmp_path_factory):
    """A filled workbook from write_workbook (.xlsm: VBA and ribbon)."""
    from ims_xl.workbook.writer import write_workbook
    return write_workbook(tmp_path_factory.mktemp("filled") / "March.xlsm", sample_data())


@pytest.fixture(scope="session")
def filled_xlsx(tmp_path_factory):
    from ims_xl.workbook.writer import write_workbook
    return write_workbook(tmp_path_factory.mktemp("filled") / "March.xlsx", sample_data())

