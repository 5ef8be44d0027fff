"""`ims-xl import-errors`: read the workbook and the error file, write the workbook back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Iterator

from ...model.errors import OutputError
from ...portal.download import read_ims
from ...workbook.data import read_workbook
from ...workbook.ims_sheet import apply_updates, read_ims_rows
from ..export import save_workbook
from .mark import apply_error_file, error_message
from .sent import sent_records

# Shell -------------------------------------------------------------------------------------

def import_error_file(workbook, errorfile, out=None) -> Iterator[str]:
    """`ims-xl import-errors`: messages onto their rows, the rest of the upload synced."""
    from ...files.atomic import check_writable
    from ...files.guard import refuse_overlap, same_file, worked_rows
    workbook, errorfile = Path(workbook), Path(errorfile)
    target = Path(out) if out else workbook
    refuse_overlap({"ERRORFILE": errorfile}, {"--out" if out else "WORKBOOK": target})
    check_writable(target)
    if out and not same_file(target, workbook) and worked_rows(target):
        raise OutputError(f"--out {target} holds work typed in another workbook, which this "
                          f"import cannot carry: write to a new file, or leave out --out to "
                          f"update {workbook.name} in place. Nothing was written.")
    data = read_workbook(workbook)
    rows = read_ims_rows(data.ims_header, data.ims_rows)
    result = apply_error_file(rows, read_ims(errorfile), sent=sent_records(data.exports))
    c = result.counts
    yield (f"{errorfile.name}: {c['errors']} error record(s); messages on {c['rows']} row(s) "
           f"of {workbook.name}; {c['synced']} row(s) of the last export marked synced")
    for n, message in result.messages:
        yield f"  row {n}: {message}"
    for rec in result.unmatched:
        yield (f"  not in {workbook.name}: {rec.label()} (period {rec.return_period or '-'}): "
               f"{error_message(rec)}")
    for name in result.uncovered:
        yield (f"  {name} was part of the same export but this error file names none of its "
               "rows; its rows were left as exported (import its own error file, if any)")
    data.ims_rows = apply_updates(data.ims_header, data.ims_rows, result.updates)
    data.log_rows.append([f"{datetime.now():%Y-%m-%d %H:%M}", "Import errors",
                          f"{errorfile.name}: " + ", ".join(f"{k} {v}" for k, v in c.items())])
    save_workbook(target, data)
    yield f"updated {target}"
