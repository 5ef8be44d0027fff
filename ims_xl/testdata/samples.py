"""The bundled samples in samples/, made by the generator:
`python -m ims_xl.testdata.samples samples`.

A test checks that the committed files equal a fresh run, so they never drift.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..files.atomic import write_bytes
from .generate import make_case
from ..portal.upload import dumps

SEED, RECORDS = 281, 40
PERIOD = (2026, 11)     # November 2026: within the ITC time limit until 30 November 2027
PERTURB = {"case": 0.08, "separators": 0.05, "fy_token": 0.05, "date_shift": 0.05,
           "amount_diff": 0.1, "igst_swap": 0.04, "missing": 0.1}


def write_samples(folder) -> tuple[Path, Path, Path]:
    """Write ims_download.json, purchase_register.csv and settings.json into `folder`."""
    import csv
    import io
    from .generate import BOOKS_HEADERS
    folder = Path(folder)
    case = make_case(RECORDS, seed=SEED, suppliers=6, perturb=PERTURB, period=PERIOD)
    ims = write_bytes(folder / "ims_download.json", (dumps(case.download, indent=1) + "\n").encode())
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=BOOKS_HEADERS, lineterminator="\n")
    w.writeheader()
    w.writerows(case.books)
    books = write_bytes(folder / "purchase_register.csv", buf.getvalue().encode())
    settings = write_bytes(folder / "settings.json",
                           (json.dumps({"RecipientGSTIN": case.recipient}, indent=1) + "\n").encode())
    return ims, books, settings


if __name__ == "__main__":
    for p in write_samples(sys.argv[1] if len(sys.argv) > 1 else "samples"):
        print(f"wrote {p}")
