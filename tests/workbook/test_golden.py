"""The reconciled workbook and RESULT.json, cell for cell, against what the base pipeline wrote.

`golden/` holds a small generated month (`ims.json`, `books.csv`, made by `make_golden()`
below, with awkward text added: formulas, `&`, leading zeros, trailing-zero amounts) and what
`ims-xl reconcile` wrote for it before the pipeline was sped up (issue #13, base d7f1198):
every worksheet's cells as (reference, style, type, text) and RESULT.json's document. The
faster writer must produce the same cells: text stays text, numbers stay numbers, amounts
digit for digit, styles unchanged. The Log sheet's times are the only cells masked. The run
is dated the day the cells were written: the books checks flag a document past its ITC time
limit by the computer's date.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from ims_xl.cli import main
from ims_xl.register import reader

GOLDEN = Path(__file__).parent / "golden"
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")


class _WrittenOn(date):
    """The day `golden/` was written: its March 2026 documents are within their ITC time
    limit (30 November 2026), which has passed since."""

    @classmethod
    def today(cls) -> date:
        return date(2026, 11, 30)


@pytest.fixture(autouse=True)
def as_on_the_day_it_was_written(monkeypatch):
    monkeypatch.setattr(reader, "date", _WrittenOn)


def sheet_cells(path: Path) -> dict:
    """{sheet part: [[ref, style, type, text], ...]} for every worksheet of a package."""
    out = {}
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")):
            cells = []
            for c in ET.fromstring(zf.read(name)).iter(f"{NS}c"):
                text = "".join(t.text or "" for t in c.iter(f"{NS}t")) or c.findtext(f"{NS}v")
                cells.append([c.get("r"), c.get("s"), c.get("t"), _TIME.sub("<time>", text or "")])
            out[name] = cells
    return out


def run_reconcile(folder: Path) -> tuple[Path, Path]:
    out, result = folder / "OUT.xlsx", folder / "R.json"
    done = CliRunner().invoke(main, ["reconcile", "--ims", str(GOLDEN / "ims.json"), "--books",
                                     str(GOLDEN / "books.csv"), "--gstin", "27AJICO7272Q1Z0",
                                     "--out", str(out), "--json", str(result)])
    assert done.exit_code == 0, done.output
    return out, result


def test_workbook_cells_are_what_the_base_pipeline_wrote(tmp_path):
    out, _ = run_reconcile(tmp_path)
    want = json.loads((GOLDEN / "cells.json").read_text(encoding="utf-8"))
    got = sheet_cells(out)
    assert sorted(got) == sorted(want)
    for part in want:
        assert len(got[part]) == len(want[part]), part
        for g, w in zip(got[part], want[part]):
            assert g == w, part


def test_result_json_is_what_the_base_pipeline_wrote(tmp_path):
    """The same document: every value, its type and spelling (`100.0` stays `100.0`), in
    the same order. Only the line breaks changed (a record a line, issue #13)."""
    _, result = run_reconcile(tmp_path)
    assert canonical(result) == canonical(GOLDEN / "result.json")


def canonical(path: Path) -> str:
    return json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False,
                      indent=1)


def make_golden(records: int = 120) -> None:
    """Regenerate the inputs and the expected outputs (run on the base pipeline only)."""
    from decimal import Decimal
    from ims_xl.testdata.generate import DECOYS, PERTURBATIONS, make_case, write_books_csv
    from ims_xl.portal.upload import dumps
    case = make_case(records, seed=13, suppliers=25,
                     perturb={p: 0.05 for p in PERTURBATIONS if p != "exact"},
                     decoys={d: 0.02 for d in DECOYS})
    b2b = case.download["imsDetails"]["b2b"]
    b2b[0]["tradenm"] = "A & B <TRADERS> _x0041_"
    b2b[1]["remarks"] = "=SUM(A1)"
    b2b[2]["tradenm"] = " padded "
    b2b[3]["txval"] = Decimal("1000.50")
    b2b[4]["tradenm"] = "ज़रूर ₹ \"quoted\""
    GOLDEN.mkdir(exist_ok=True)
    (GOLDEN / "ims.json").write_text(dumps(case.download, indent=1), encoding="utf-8")
    write_books_csv(case.books, GOLDEN / "books.csv")
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        out, result = run_reconcile(Path(tmp))
        cells = sheet_cells(out)            # one cell a line: a failing diff stays readable
        text = ",\n".join(f"{json.dumps(part)}: [\n" + ",\n".join(
            json.dumps(c, ensure_ascii=False) for c in cells[part]) + "]" for part in cells)
        (GOLDEN / "cells.json").write_text("{\n" + text + "\n}\n", encoding="utf-8")
        (GOLDEN / "result.json").write_bytes(result.read_bytes())


if __name__ == "__main__":
    make_golden()
