"""`ims-xl statements`: a workbook's supplier statements, written to a folder."""

from __future__ import annotations

from pathlib import Path

from .build import build_statements
from .files import COMBINED_NAME, file_names, write_statement_files

# Command ---------------------------------------------------------------------------------

def write_statements(workbook, out):
    """`ims-xl statements WORKBOOK --out DIR`: read the workbook, write the statements."""
    from ...workbook.data import read_workbook
    from ...workbook.ims_sheet import read_ims_rows
    data = read_workbook(workbook)
    from ...progress import stage
    rows = read_ims_rows(data.ims_header, data.ims_rows)
    stage("Finding the differences per supplier")
    statements = build_statements(rows, data.purchase_rows, data.settings)
    if not statements:
        yield "No supplier has mismatches, records missing in books or books-only documents; " \
              "nothing written."
        return
    from ...files.guard import refuse_overlap
    refuse_overlap({"WORKBOOK": workbook},
                   {"--out": [Path(out) / n for n in file_names(statements) + [COMBINED_NAME]]})
    stage(f"Writing {len(statements):,} statements")
    paths = write_statement_files(statements, out)
    for st, path in zip(statements, paths):
        yield f"{path.name}: {len(st.lines)} line(s)"
    yield f"Wrote {len(statements)} supplier statement(s) and {paths[-1].name} to {Path(out)}"
