import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))   # helpers.py, beside the tests

from ims_xl.testdata.generate import make_case  # noqa: E402

PERTURB = {"amount_diff": 0.12, "missing": 0.1, "case": 0.05, "date_shift": 0.05}


@pytest.fixture(scope="session")
def case():
    """400 records, every section, mismatches, missing and books-only documents."""
    return make_case(400, seed=7, perturb=PERTURB)
