"""Import a 100,000-record IMS download and compare with a bare `json.load` of the same file.

    python benchmarks/bench_parse.py [RECORDS]
"""

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from ims_xl.portal.download import read_ims
from ims_xl.testdata.generate import make_case
from ims_xl.portal.upload import dumps


def best_of(n, fn):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main(records: int = 100_000) -> None:
    case = make_case(records, seed=11, suppliers=5000, books_only=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ims.json"
        path.write_text(dumps(case.download))
        size = path.stat().st_size / 1e6
        bare, _ = best_of(3, lambda: json.load(open(path, encoding="utf-8")))
        ours, dl = best_of(3, lambda: read_ims(path))
    assert len(dl.records) == records
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"records: {records:,}  file: {size:.1f} MB")
    print(f"json.load:     {bare:.2f} s")
    print(f"ims_xl import: {ours:.2f} s  ({records / ours:,.0f} records/s)")
    print(f"ratio:         {ours / bare:.1f}x  peak RSS {rss:,.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
