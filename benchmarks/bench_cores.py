"""What a second core is worth here, for this command's kind of work.

    python benchmarks/bench_cores.py [--records 100000] [--repeat 3] [--suppliers 5000]

`ims-xl reconcile` shares its work between two processes (`files/aside.py`), and
`bench_e2e.py --serial` prints the one-process CPU / 2 as the best two cores could do. That
bound assumes a busy second core leaves the first one's speed alone. This measures it:

- alone: the one-process command (`IMS_XL_NO_FORK=1`) on a generated month (the same
  month as bench_e2e.py);
- paired: two copies of it started together, each in its own folder;

alternating, `--repeat` times. Prints each one's CPU (user + system, `os.wait4`), the
slowdown of a copy run beside another, and what two cores are then worth in one core's
work: 2 x alone / paired. Python's work here is dictionaries, strings and new objects,
so it leans on the caches and memory the cores share; a machine's virtual cores may also
be two threads of one physical core. Either shows here as a slowdown.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_e2e import HERE, SERIAL, make_inputs  # noqa: E402


def command(ims: Path, books: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "ims_xl", "reconcile", "--ims", str(ims), "--books",
            str(books), "--out", str(folder / "OUT.xlsx"), "--json", str(folder / "R.json")]


def run_together(ims: Path, books: Path, folders: list[Path]) -> list[tuple[float, float]]:
    """(wall, CPU) of the one-process command run in each folder, all started at once."""
    env = dict(os.environ, PYTHONPATH=HERE, **SERIAL)
    for folder in folders:
        for made in ("OUT.xlsx", "R.json"):
            (folder / made).unlink(missing_ok=True)    # a fresh month each time
    start = time.perf_counter()
    procs = [subprocess.Popen(command(ims, books, f), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, env=env, cwd=f)
             for f in folders]
    out = []
    for p in procs:
        _, status, usage = os.wait4(p.pid, 0)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"ims-xl reconcile failed:\n{p.stderr.read() if p.stderr else ''}")
        out.append((time.perf_counter() - start, usage.ru_utime + usage.ru_stime))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--suppliers", type=int, default=5_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPU(s); the one-process command on {args.records:,} records")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ims, books = make_inputs(root, args.records, args.suppliers)
        folders = [root / "a", root / "b"]
        for f in folders:
            f.mkdir()
        alone: list[float] = []
        paired: list[float] = []
        for _ in range(args.repeat):
            alone += [cpu for _, cpu in run_together(ims, books, folders[:1])]
            paired += [cpu for _, cpu in run_together(ims, books, folders)]
    a, p = statistics.median(alone), statistics.median(paired)
    print(f"   alone   CPU median {a:6.2f} s (best {min(alone):6.2f}, of {len(alone)})")
    print(f"   paired  CPU median {p:6.2f} s (best {min(paired):6.2f}, of {len(paired)}: "
          "each copy's own)")
    print(f"   a copy beside another needs {100 * (p / a - 1):+.0f} % CPU: two cores do "
          f"{2 * a / p:.2f} x one core's work")


if __name__ == "__main__":
    main()
