"""The whole `ims-xl reconcile` command against a bare pandas merge, as a user runs it.

    python benchmarks/bench_e2e.py [--sizes 1000,10000,100000,300000] [--repeat 3]
                                   [--suppliers 5000] [--keep DIR] [--baseline SRC]
                                   [--rerun] [--serial]

For each size, generates a month with `ims_xl.testdata.generate.make_case` (the same mix as
bench_reconcile.py: every perturbation and decoy kind at a low rate, 5 % books-only
documents), dated last month as a user's month is (`generate.last_month`: an older
month's documents may be past the ITC time limit, and a warning on every books row costs
time), writes the download (.json) and the register (.csv), then in the same run and
alternating, `--repeat` times each:

- the floor: a fresh Python that `json.load`s the download, builds a DataFrame of its
  records, `pandas.read_csv`s the register and merges exactly on (GSTIN, number);
- the command: `python -m ims_xl reconcile --ims X --books Y --out OUT.xlsx --json R.json`.

The measured source trees are byte-compiled first (`compileall`), as `pip install` does:
otherwise a machine with PYTHONDONTWRITEBYTECODE set compiles ims_xl's modules on every
run (0.15-0.3 s) while the floor's pandas is compiled already.

Both are child processes, timed by wall clock and by CPU (user + system, the child's own
helper processes included); the peak memory is the largest RSS of the child or any helper it
forked (`os.wait4`). Prints, per size, the best and the spread of both, the ratios of the
bests, and the time and memory per 1,000 records, so linear growth (or not) shows. On a
shared machine the wall ratio swings with the load; the CPU ratio is steadier.

`--baseline SRC` also runs the command from another source tree (e.g. an export of an older
commit: `git archive COMMIT | tar -x -C /tmp/base`), alternating with the others.
`--rerun` also times the command run again onto the workbook the run before it wrote, as a
user re-runs a month: the workbook is read and its rows carried forward.
`--serial` also times the command in one process (`IMS_XL_NO_FORK=1`), as on Windows, where
nothing is forked: its CPU is the work itself, without the second core's overheads, and
half of it bounds what two cores could do.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ims_xl.testdata.generate import (DECOYS, PERTURBATIONS, last_month, make_case,
                                     write_books_csv)
from ims_xl.portal.upload import dumps

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


HERE = str(Path(__file__).resolve().parent.parent)     # the source tree being measured
SERIAL = {"IMS_XL_NO_FORK": "1"}


def run_child(cmd: list[str], folder: Path, src: str | None = None, extra: dict | None = None
              ) -> tuple[float, float, int, str]:
    """Wall and CPU seconds, peak RSS in MB and the output's last line of one command, run
    in `folder` (so `-m ims_xl` does not pick up the current directory's package) from the
    source tree `src` (default: this one), with the environment variables `extra`."""
    env = dict(os.environ, PYTHONPATH=src or HERE, **(extra or {}))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, cwd=folder)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[:4])}... failed ({proc.returncode}):\n{out}")
    lines = out.strip().splitlines()
    return took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, \
        lines[-1] if lines else ""


def make_inputs(folder: Path, records: int, suppliers: int) -> tuple[Path, Path]:
    """Write the month's files from a child process. A child's peak memory (`ru_maxrss`)
    starts from the size of the process it was forked from: generating 100,000 records here
    would have made this process ~1.3 GB and every child's reported peak with it."""
    subprocess.run([sys.executable, __file__, "--make-inputs", str(folder), str(records),
                    str(suppliers)], check=True)
    return folder / "ims.json", folder / "books.csv"


def write_inputs(folder: Path, records: int, suppliers: int) -> None:
    case = make_case(records, seed=7, suppliers=min(suppliers, max(1, records // 20)),
                     perturb=PERTURB, decoys=DECOY_RATES, period=last_month())
    ims, books = folder / "ims.json", folder / "books.csv"
    ims.write_text(dumps(case.download), encoding="utf-8")
    write_books_csv(case.books, books)


def spread(values: list[float]) -> str:
    return f"best {min(values):6.2f} s (max {max(values):6.2f})"


def bench(folder: Path, records: int, suppliers: int, repeat: int,
          baseline: str | None = None, rerun: bool = False, serial: bool = False) -> dict:
    ims, books = make_inputs(folder, records, suppliers)
    tool = [sys.executable, "-m", "ims_xl", "reconcile", "--ims", str(ims), "--books",
            str(books), "--out", str(folder / "OUT.xlsx"), "--json", str(folder / "R.json")]
    runs = {"floor": ([sys.executable, "-c", FLOOR, str(ims), str(books)], None),
            "ims-xl": (tool, None)}
    if baseline:
        runs["baseline"] = (tool, baseline)
    if rerun:
        runs["rerun"] = (tool, None)        # onto the OUT.xlsx the run before it wrote
    if serial:
        runs["serial"] = (tool, None)       # one process: IMS_XL_NO_FORK=1
    wall = {k: [] for k in runs}
    cpu = {k: [] for k in runs}
    peak = dict.fromkeys(runs, 0)
    tail = ""
    for _ in range(repeat):             # alternate, so all see the same load on the machine
        for name, (cmd, src) in runs.items():
            for made in ("OUT.xlsx", "R.json") if name != "rerun" else ():
                (folder / made).unlink(missing_ok=True)  # else read first, to keep typed work
            took, used, mb, last = run_child(cmd, folder, src, SERIAL if name == "serial"
                                             else None)
            wall[name].append(took)
            cpu[name].append(used)
            peak[name] = max(peak[name], mb)
            tail = last if name == "ims-xl" else tail
    print(f"{records:>9,} records, {books.stat().st_size / 1e6:5.1f} MB register:")
    for name in runs:
        print(f"   {name:8} wall {spread(wall[name])}  CPU {spread(cpu[name])}  "
              f"peak {peak[name]:5,} MB")
    best = {k: min(v) for k, v in wall.items()}
    ratios = sorted(t / f for t, f in zip(wall["ims-xl"], wall["floor"]))
    print(f"   ratio to the floor: wall {best['ims-xl'] / best['floor']:5.1f} x (best / best; "
          f"per pair {ratios[0]:.1f} .. {ratios[-1]:.1f}), CPU "
          f"{min(cpu['ims-xl']) / min(cpu['floor']):5.1f} x")
    if baseline:
        print(f"   baseline / ims-xl: wall {best['baseline'] / best['ims-xl']:4.2f} x, CPU "
              f"{min(cpu['baseline']) / min(cpu['ims-xl']):4.2f} x")
    if rerun:
        print(f"   rerun / ims-xl: wall {best['rerun'] / best['ims-xl']:4.2f} x")
    if serial:
        bound = min(cpu["serial"]) / 2
        print(f"   serial CPU / 2 (two cores' best): {bound:5.2f} s = "
              f"{bound / best['floor']:4.1f} x the floor")
    print(f"   per 1,000 records: {1000 * best['ims-xl'] / records:6.3f} s, "
          f"{1000 * peak['ims-xl'] / records:5.1f} MB")
    print(f"   {tail}")
    return {"records": records, "tool": best["ims-xl"], "tool_mb": peak["ims-xl"]}


def main() -> None:
    if sys.argv[1:2] == ["--make-inputs"]:
        write_inputs(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000,300000",
                    help="comma-separated record counts")
    ap.add_argument("--suppliers", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    ap.add_argument("--baseline", help="also time the command from this source tree")
    ap.add_argument("--rerun", action="store_true",
                    help="also time a run onto the workbook the run before it wrote")
    ap.add_argument("--serial", action="store_true",
                    help="also time the command in one process (IMS_XL_NO_FORK=1)")
    args = ap.parse_args()
    for src in filter(None, (HERE, args.baseline)):          # as installed: .pyc files
        compileall.compile_dir(str(Path(src) / "ims_xl"), quiet=1)
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = (args.keep / str(n)) if args.keep else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            rows.append(bench(folder, n, args.suppliers, args.repeat, args.baseline,
                              args.rerun, args.serial))
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        grow = last["records"] / first["records"]
        print(f"{first['records']:,} -> {last['records']:,} records (x{grow:g}): time "
              f"x{last['tool'] / first['tool']:.1f}, peak memory "
              f"x{last['tool_mb'] / first['tool_mb']:.1f}")


if __name__ == "__main__":
    main()
