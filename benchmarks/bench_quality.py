"""Pairing quality per register layout on generated months: precision, recall, status accuracy.

    python benchmarks/bench_quality.py [--records 1500] [--seeds 11 12 13] [--rate 0.05]

Each month (`ims_xl.testdata.generate.make_case`, every perturbation and decoy kind) is written in
every layout the generator knows (`generate.LAYOUTS`: generic CSV and xlsx, a `Doc Type`
CSV, a Tally columnar register), read back with `read_register` and reconciled. Counted
over all seeds:

- precision: pairs made that join a record with the books row the generator made for it,
  out of all pairs made (a decoy or another document paired lowers it);
- recall: records paired with their own books row, out of records that have one;
- status accuracy: records whose books row *and* status are what
  docs/reference/matching.md#statuses says for how the generator booked them
  (`generate.expected`), out of all records.

To measure another version of the engine with this generator, put that version first on
PYTHONPATH and this file's `ims_xl/testdata/generate.py` in it (the generator decides the truth).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from ims_xl.register import read_register
from ims_xl.testdata.generate import (DECOYS, LAYOUTS, PERTURBATIONS, expected, ims_records,
                                      make_case, write_register)
from ims_xl.reconcile import reconcile


def score(case, books, result, layout: str) -> list[int]:
    """[pairs made, right pairs, records with a books row, right (row, status), records]."""
    made = right = truly = exact = 0
    for rec, m in result.ims:
        index = case.truth[rec.key][0]
        own = [] if index is None else [books[index].row]
        made += bool(m.books_rows)
        truly += index is not None
        right += bool(m.books_rows) and m.books_rows == own
        want_index, want_status = expected(case, rec, layout)
        want_rows = [] if want_index is None else [books[want_index].row]
        exact += (m.books_rows, m.status) == (want_rows, want_status)
    return [made, right, truly, exact, len(result.ims)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1500)
    ap.add_argument("--suppliers", type=int, default=60)
    ap.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13])
    ap.add_argument("--rate", type=float, default=0.05,
                    help="probability of each perturbation (the rest is booked exactly)")
    args = ap.parse_args()
    perturb = {p: args.rate for p in PERTURBATIONS if p != "exact"}
    decoys = {d: 0.04 for d in DECOYS}
    totals = {layout: [0] * 5 for layout in LAYOUTS}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            case = make_case(args.records, seed=seed, suppliers=args.suppliers,
                             perturb=perturb, decoys=decoys, books_only=0.05)
            records = ims_records(case)
            for layout in LAYOUTS:
                folder = Path(tmp) / f"{seed}-{layout}"
                folder.mkdir()
                books = read_register(write_register(case.books, folder, layout)).entries
                if len(books) != len(case.books):
                    raise SystemExit(f"{layout}: read {len(books)} documents, wrote "
                                     f"{len(case.books)}")
                got = score(case, books, reconcile(records, books), layout)
                totals[layout] = [a + b for a, b in zip(totals[layout], got)]
    print(f"{len(args.seeds)} month(s) of {args.records:,} records, each perturbation at "
          f"{args.rate:.0%}")
    print("| Layout | Precision | Recall | Status accuracy |")
    print("|---|---|---|---|")
    for layout, (made, right, truly, exact, n) in totals.items():
        print(f"| {layout} | {right / max(made, 1):.1%} ({right:,}/{made:,}) | "
              f"{right / max(truly, 1):.1%} ({right:,}/{truly:,}) | "
              f"{exact / max(n, 1):.1%} ({exact:,}/{n:,}) |")


if __name__ == "__main__":
    main()
