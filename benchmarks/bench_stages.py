"""Where the time of one `ims-xl reconcile` goes: CPU seconds per stage, in this process.

    python benchmarks/bench_stages.py IMS.json BOOKS.csv [--repeat 3]

Runs `reconcile_files` as the command does (workbook `.xlsx` and `--json` into a temporary
folder) with a progress listener that notes the CPU clock at each stage the core marks
(`ims_xl.progress.stage`), and prints each stage's CPU (best of `--repeat`) with its share.
Make the inputs with `bench_e2e.py --keep DIR`. Stages are the core's own, so a new slow
step shows up under the stage before it. Work done by a second process (cells written ahead,
RESULT.json) does not show here, only the wait for it: `IMS_XL_NO_FORK=1 python
benchmarks/bench_stages.py ...` keeps all of it in this process, stage by stage.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ims_xl import progress
from ims_xl.month.pipeline import reconcile_files


class StageClock:
    """A progress listener: CPU seconds spent in each stage, in the order first seen."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {"Starting": 0.0}
        self.current, self.since = "Starting", time.process_time()

    def __call__(self, name: str, done: int, total: int | None) -> None:
        if name != self.current:
            self.stop()
            self.current = name

    def stop(self) -> None:
        now = time.process_time()
        key = re.sub(r"[\d,]+", "N", self.current)        # "Matching 100,000 records": one row
        self.spent[key] = self.spent.get(key, 0.0) + now - self.since
        self.since = now


def run_once(ims: Path, books: Path) -> dict[str, float]:
    clock = StageClock()
    with tempfile.TemporaryDirectory() as tmp, progress.reporting(clock):
        for _ in reconcile_files([ims], books, Path(tmp) / "OUT.xlsx",
                                 json_out=Path(tmp) / "R.json"):
            pass                                    # its lines are what the CLI echoes
        clock.stop()
    return clock.spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ims", type=Path)
    ap.add_argument("books", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    runs = [run_once(args.ims, args.books) for _ in range(args.repeat)]
    best = {k: min(r.get(k, 0.0) for r in runs) for k in runs[0]}
    total = sum(best.values())
    for name, seconds in best.items():
        print(f"{seconds:7.2f} s  {100 * seconds / total:4.0f} %  {name}")
    print(f"{total:7.2f} s  CPU in all (best per stage of {args.repeat})")


if __name__ == "__main__":
    main()
