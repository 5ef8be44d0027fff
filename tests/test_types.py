"""`mypy` passes on the whole package with the settings in pyproject.toml (strict on the core).

Skipped where mypy is not installed; CI (IMS_XL_TYPES=1) requires it. A function added to the
core without annotations, or a call that passes the wrong type, fails here.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_package_type_checks():
    if not os.environ.get("IMS_XL_TYPES"):
        pytest.importorskip("mypy", reason="pip install -e '.[types]' to type-check")
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert "no issues found" in done.stdout
