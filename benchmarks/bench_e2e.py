"""The whole `ims-xl reconcile` command against a bare pandas merge, as a user runs it.

    python benchmarks/bench_e2e.py [--sizes 1000,10000,100000,300000] [--repeat 3]
                                   [--suppliers 5000] [--keep DIR]

For each size, generates a month with `ims_xl.generate.make_case` (the same mix as
bench_reconcile.py: every perturbation and decoy kind at a low rate, 5 % books-only
documents), writes the download (.json) and the register (.csv), then in the same run and
alternating, `--repeat` times each:

- the floor: a fresh Python that `json.load`s the download, builds a DataFrame of its
  records, `pandas.read_csv`s the register and merges exactly on (GSTIN, number);
- the command: `python -m ims_xl reconcile --ims X --books Y --out OUT.xlsx --json R.json`.

Both are child processes, timed by wall clock; the peak memory is each child's own maximum
RSS (`os.wait4`). Prints, per size, the best and the spread of both, the ratio of the bests,
and the time and memory per 1,000 records, so linear growth (or not) shows.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ims_xl.generate import DECOYS, PERTURBATIONS, make_case, write_books_csv
from ims_xl.upload import dumps

PERTURB = {p: 0.015 for p in PERTURBATIONS if p != "exact"}
DECOY_RATES = {d: 0.005 for d in DECOYS}

FLOOR = r"""
import json, sys
import pandas as pd
with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
rows = [(r["stin"], r.get("inum") or r.get("nt_num"))
        for recs in doc["imsDetails"].values() for r in recs]
ims = pd.DataFrame(rows, columns=["gstin", "number"])
books = pd.read_csv(sys.argv[2], dtype=str)
books = books.rename(columns={"GSTIN": "gstin", "Bill No": "number"})
print(len(ims.merge(books, on=["gstin", "number"], how="inner")))
"""


def run_child(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB (this child only) and its output's last line."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[:4])}... failed ({proc.returncode}):\n{out}")
    lines = out.strip().splitlines()
    return took, usage.ru_maxrss // 1024, lines[-1] if lines else ""


def make_inputs(folder: Path, records: int, suppliers: int) -> tuple[Path, Path]:
    case = make_case(records, seed=7, suppliers=min(suppliers, max(1, records // 20)),
                     perturb=PERTURB, decoys=DECOY_RATES)
    ims, books = folder / "ims.json", folder / "books.csv"
    ims.write_text(dumps(case.download), encoding="utf-8")
    write_books_csv(case.books, books)
    return ims, books


def spread(values: list[float]) -> str:
    return f"best {min(values):6.2f} s (max {max(values):6.2f})"


def bench(folder: Path, records: int, suppliers: int, repeat: int) -> dict:
    ims, books = make_inputs(folder, records, suppliers)
    floor_cmd = [sys.executable, "-c", FLOOR, str(ims), str(books)]
    tool_cmd = [sys.executable, "-m", "ims_xl", "reconcile", "--ims", str(ims), "--books",
                str(books), "--out", str(folder / "OUT.xlsx"), "--json", str(folder / "R.json")]
    floor, tool, floor_mb, tool_mb, tail = [], [], 0, 0, ""
    for _ in range(repeat):             # alternate, so both see the same load on the machine
        took, mb, _ = run_child(floor_cmd)
        floor.append(took)
        floor_mb = max(floor_mb, mb)
        took, mb, tail = run_child(tool_cmd)
        tool.append(took)
        tool_mb = max(tool_mb, mb)
    ratios = sorted(t / f for t, f in zip(tool, floor))
    print(f"{records:>9,} records, {books.stat().st_size / 1e6:5.1f} MB register:")
    print(f"   floor   {spread(floor)}  peak {floor_mb:5,} MB")
    print(f"   ims-xl  {spread(tool)}  peak {tool_mb:5,} MB   "
          f"{1000 * min(tool) / records:6.3f} s and {1000 * tool_mb / records:5.1f} MB "
          "per 1,000 records")
    print(f"   ratio   {min(tool) / min(floor):5.1f} x (best / best); per pair "
          f"{ratios[0]:.1f} .. {ratios[-1]:.1f}")
    print(f"   {tail}")
    return {"records": records, "floor": min(floor), "tool": min(tool), "tool_mb": tool_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000,300000",
                    help="comma-separated record counts")
    ap.add_argument("--suppliers", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = ap.parse_args()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = (args.keep / str(n)) if args.keep else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            rows.append(bench(folder, n, args.suppliers, args.repeat))
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        grow = last["records"] / first["records"]
        print(f"{first['records']:,} -> {last['records']:,} records (x{grow:g}): time "
              f"x{last['tool'] / first['tool']:.1f}, peak memory "
              f"x{last['tool_mb'] / first['tool_mb']:.1f}")


if __name__ == "__main__":
    main()
