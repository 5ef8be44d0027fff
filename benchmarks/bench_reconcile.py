"""Time the reconciliation engine on 100,000 IMS records against ~100,000 books documents.

    python benchmarks/bench_reconcile.py [--records 100000] [--suppliers 5000] [--repeat 3]
                                         [--no-command] [--keep DIR]

Generates a month with `ims_xl.testdata.generate.make_case` (every perturbation and decoy kind at a
low rate, 5 % books-only documents), then in the same run:

1. a bare pandas exact merge of the same data on (supplier GSTIN, document number): the
   floor any matcher pays (frames built from the same objects, then one merge);
2. `ims_xl.reconcile.reconcile()` on the parsed records and books documents;
3. the whole command `ims-xl reconcile --ims X --books Y --out OUT.xlsx --json R.json` in a
   subprocess (parse, read register, reconcile, write workbook and JSON).

Prints wall and CPU time (best of `--repeat`; CPU is steadier on a busy machine), the
ratio to the bare merge, the pairing quality against the generator's truth, and peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from ims_xl.testdata.generate import (DECOYS, PERTURBATIONS, book_entries, ims_records, make_case,
                                      write_books_csv)
from ims_xl.reconcile import reconcile
from ims_xl.portal.upload import dumps

PERTURB = {p: 0.015 for p in PERTURBATIONS if p != "exact"}     # ~80 % booked exactly
DECOY_RATES = {d: 0.005 for d in DECOYS}


def bare_merge(records, books) -> int:
    """Exact pairs on (GSTIN, number) with plain pandas: no normalising, scoring or text."""
    ims = pd.DataFrame({"gstin": [r.supplier_gstin for r in records],
                        "number": [r.doc_number for r in records]})
    bk = pd.DataFrame({"gstin": [b.supplier_gstin for b in books],
                       "number": [b.doc_number for b in books]})
    return len(ims.merge(bk, on=["gstin", "number"], how="inner"))


def best_of(fn, repeat: int):
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu), result


def quality(case, books, result) -> str:
    """Share of records paired with exactly the books row the generator made for them."""
    right = 0
    for rec, m in result.ims:
        index = case.truth[rec.key][0]
        right += m.books_rows == ([] if index is None else [books[index].row])
    decoys_paired = sum(books[i].row in result.books_match for i in case.decoys)
    return (f"{right:,}/{len(result.ims):,} records paired as the truth says; "
            f"{decoys_paired} of {len(case.decoys):,} decoys paired")


def run_command(folder: Path, case) -> tuple[float, int, str]:
    ims_path, books_path = folder / "ims.json", folder / "books.csv"
    ims_path.write_text(dumps(case.download), encoding="utf-8")
    write_books_csv(case.books, books_path)
    cmd = [sys.executable, "-m", "ims_xl", "reconcile", "--ims", str(ims_path), "--books",
           str(books_path), "--out", str(folder / "OUT.xlsx"), "--json", str(folder / "R.json")]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    out = (done.stdout + done.stderr).strip().splitlines()
    return took, rss, (f"exit {done.returncode}: " + " | ".join(out[-3:])) if out else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--suppliers", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-command", action="store_true", help="skip the ims-xl subprocess")
    ap.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    args = ap.parse_args()

    start = time.perf_counter()
    case = make_case(args.records, seed=7, suppliers=args.suppliers, perturb=PERTURB,
                     decoys=DECOY_RATES)
    records, books = ims_records(case), book_entries(case.books)
    print(f"generated {len(records):,} IMS records, {len(books):,} books documents, "
          f"{args.suppliers:,} suppliers in {time.perf_counter() - start:.1f} s")
    rss_inputs = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

    bare, bare_cpu, pairs = best_of(lambda: bare_merge(records, books), args.repeat)
    mine, mine_cpu, result = best_of(lambda: reconcile(records, books), args.repeat)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"pandas exact merge (GSTIN+number): {bare:6.2f} s wall {bare_cpu:6.2f} s CPU "
          f"({pairs:,} exact pairs)")
    print(f"ims_xl reconcile()               : {mine:6.2f} s wall {mine_cpu:6.2f} s CPU "
          f"({result.counts()})")
    print(f"ratio                            : {mine / bare:6.1f} x wall "
          f"{mine_cpu / bare_cpu:5.1f} x CPU")
    print(f"quality                          : {quality(case, books, result)}")
    print(f"peak RSS (this process)          : {rss_peak:,} MB "
          f"({rss_inputs:,} MB after generating the inputs)")

    if args.no_command:
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        took, rss, tail = run_command(folder, case)
    print(f"ims-xl reconcile (whole command) : {took:6.2f} s wall, peak RSS {rss:,} MB")
    print(f"  {tail}")


if __name__ == "__main__":
    main()
