"""`ims-xl batch` on 50 clients of 10,000 IMS records each; prints the time per client.

    python benchmarks/bench_batch.py [--clients 50] [--records 10000] [--jobs N] [--keep DIR]

Inputs (a download and a purchase register per client, half `.xlsx`, half `.csv`) are
generated first (dated last month, `generate.last_month`) and not timed. The timed part is
`run_batch`: every client reconciled, its workbook written, and the cover workbook written.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from ims_xl.month.batch import COVER_HEADERS, COVER_NAME, run_batch
from ims_xl.testdata.generate import last_month, make_case, write_books_csv, write_books_xlsx
from ims_xl.portal.upload import dumps

PERTURB = {"case": 0.05, "separators": 0.05, "zeros": 0.03, "date_shift": 0.05,
           "amount_diff": 0.05, "igst_swap": 0.02, "missing": 0.05}


def make_clients(root: Path, clients: int, records: int) -> None:
    for i in range(clients):
        folder = root / f"client_{i + 1:03d}"
        if (folder / "ims.json").exists():
            continue                     # --keep: reuse inputs from an earlier run
        folder.mkdir(parents=True, exist_ok=True)
        case = make_case(records, seed=1000 + i, perturb=PERTURB, period=last_month())
        (folder / "ims.json").write_text(dumps(case.download))
        if i % 2:
            write_books_csv(case.books, folder / "books.csv")
        else:
            write_books_xlsx(case.books, folder / "books.xlsx")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=0, help="workers (default: all cores)")
    ap.add_argument("--keep", type=Path, help="generate inputs here and keep them")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "clients"
        out = Path(tmp) / "out"
        t = time.perf_counter()
        make_clients(root, args.clients, args.records)
        print(f"inputs: {args.clients} clients x {args.records:,} records "
              f"(generated in {time.perf_counter() - t:.0f} s, not timed)")
        t = time.perf_counter()
        lines = []
        try:
            for line in run_batch(root, out=out, jobs=args.jobs or None,
                                  progress=lambda done, total, name: None):
                lines.append(line)
        finally:
            wall = time.perf_counter() - t
        report(out / COVER_NAME, wall, args)
        failed = [line for line in lines if ": FAILED:" in line]
        if failed:
            print("\n".join(failed[:5]), file=sys.stderr)


def report(cover: Path, wall: float, args) -> None:
    rows = CalamineWorkbook.from_path(str(cover)).get_sheet_by_name("Clients").to_python()
    rows = [dict(zip(COVER_HEADERS, r)) for r in rows[1:-1]]
    ok = [r for r in rows if r["Status"] == "OK"]
    secs = sorted(r["Seconds"] for r in ok)
    workers = args.jobs or os.cpu_count()
    print(f"workers: {workers} (cores: {os.cpu_count()})")
    print(f"clients: {len(ok)} ok, {len(rows) - len(ok)} failed")
    print(f"wall time: {wall:.1f} s  ->  {wall / len(rows):.2f} s per client")
    if secs:
        print(f"one client in a worker: median {secs[len(secs) // 2]:.2f} s, "
              f"max {secs[-1]:.2f} s ({args.records / secs[len(secs) // 2]:,.0f} records/s)")


if __name__ == "__main__":
    main()
