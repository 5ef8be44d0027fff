"""Time the purchase-register reader on a 100,000-row register against a bare calamine read.

    python benchmarks/bench_books.py [--rows 100000] [--keep FILE]

Writes a generic register (`ims_xl.testdata.generate`) as .xlsx, then reads it
1. with python-calamine alone (open + whole sheet to Python lists: the floor), and
2. with `ims_xl.register.read_register` (calamine + header/mapping detection, cleaning, folding
   into documents and the books checks),
and prints both times and the ratio (wall clock and CPU). Best of `--repeat` runs each.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from ims_xl.register import read_register
from ims_xl.testdata.generate import make_case, write_books_xlsx


def make_register(path: Path, rows: int) -> int:
    case = make_case(int(rows / 1.04) + 50, seed=7, books_only=0.05)
    books = case.books[:rows]
    write_books_xlsx(books, path, title_rows=("Benchmark Traders Pvt Ltd", "Purchase Register"))
    return len(books)


def bare_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    return len(wb.get_sheet_by_index(0).to_python())


def ours(path: Path) -> int:
    return len(read_register(path, today=date(2026, 4, 15)).entries)


def best_of(fn, path: Path, repeat: int) -> tuple[float, float, int]:
    """Best wall-clock and best CPU time over `repeat` runs (CPU time is steadier on a
    busy machine)."""
    wall, cpu, result = [], [], 0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn(path)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="write the register here and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "register.xlsx"
        start = time.perf_counter()
        n = make_register(path, args.rows)
        print(f"wrote {n:,} rows to {path.name} ({path.stat().st_size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - start:.1f} s")
        bare, bare_cpu, rows = best_of(bare_calamine, path, args.repeat)
        mine, mine_cpu, docs = best_of(ours, path, args.repeat)
    print(f"python-calamine bare read : {bare:6.2f} s wall {bare_cpu:6.2f} s CPU  "
          f"({rows:,} rows incl. titles and header)")
    print(f"ims_xl read_register      : {mine:6.2f} s wall {mine_cpu:6.2f} s CPU  "
          f"({docs:,} documents)")
    print(f"ratio                     : {mine / bare:6.2f} x wall {mine_cpu / bare_cpu:5.2f} x CPU")


if __name__ == "__main__":
    main()
