"""What ims-xl never overwrites (docs/guide/commands.md, "What ims-xl never overwrites").

1. Its own inputs: an output that names an input (also through a link, or another spelling
   of the name on a case-insensitive disk) is refused before anything runs.
2. Typed work: a workbook about to be replaced keeps the Actions, Remarks, ITC answers and
   declared amounts typed in it. Commands that write a fresh reconciliation (`reconcile`,
   `batch`) carry them forward, as `--previous` does; a command that cannot carry them (an
   upload JSON over a workbook, `import-errors --out` onto another worked workbook) refuses.
3. Other people's files: an existing file that is not an ims-xl workbook is not replaced by one.

Read-only files and all-or-nothing writes are `ims_xl.files.atomic`'s part.
"""

from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..model.errors import OutputError, WorkbookError

if TYPE_CHECKING:
    from ..workbook.data import WorkbookData

__all__ = ["is_workbook_file", "refuse_json_over_workbook", "refuse_overlap", "same_file",
           "worked_rows", "worked_workbook"]


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two names reach one file: by identity when both exist, else by spelling."""
    a, b = Path(a), Path(b)
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a).casefold() == os.path.realpath(b).casefold()


def refuse_overlap(inputs: dict, outputs: dict) -> None:
    """Raise when an output is an input, or two outputs are one file.

    `inputs` and `outputs` map an option name (`--books`) to a path or a list of paths.
    """
    ins = [(k, p) for k, v in inputs.items() for p in _many(v)]
    outs = [(k, p) for k, v in outputs.items() for p in _many(v)]
    for out_name, out in outs:
        for in_name, src in ins:
            if Path(src).exists() and Path(out).exists() and same_file(src, out):
                raise OutputError(f"{out_name} {out} is the {in_name} file {src}: writing it "
                                  f"would destroy that input; choose another name for "
                                  f"{out_name}. Nothing was written.")
    for i, (name_a, a) in enumerate(outs):
        for name_b, b in outs[i + 1:]:
            if same_file(a, b):
                raise OutputError(f"{name_a} and {name_b} both name {a}: one would overwrite "
                                  "the other; choose two names. Nothing was written.")


def _many(v: Any) -> list:
    if v is None or v == "":
        return []
    return [v] if isinstance(v, (str, Path)) else [p for p in v if p]


def is_workbook_file(path: str | Path) -> bool:
    """An Excel file (zip or OLE2 container), whatever its name says."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return head[:4] == b"PK\x03\x04" or head == bytes.fromhex("D0CF11E0A1B11AE1")


def worked_rows(path: str | Path) -> int | None:
    """Rows of an existing ims-xl workbook holding the user's work; None when there is no file.

    Raises `OutputError` when the file exists but is not an ims-xl workbook: replacing it
    would destroy a file ims-xl did not make.
    """
    return worked_workbook(path)[1]


def worked_workbook(path: str | Path, read: Callable[[], WorkbookData] | None = None,
                    ) -> tuple[WorkbookData | None, int | None]:
    """`worked_rows`, with the workbook as read: a caller that carries the work forward uses
    it instead of reading the file a second time. `read` gives the file's contents when the
    caller had them read already (on the other core: `files.aside.read_aside`)."""
    from ..portal.upload import is_changed
    from ..workbook.data import read_workbook
    from ..workbook.ims_sheet import read_ims_rows
    path = Path(path)
    if not path.exists():
        return None, None
    try:
        data = read() if read else read_workbook(path, carrying=True)
        rows = data.ims_sheet_rows = read_ims_rows(data.ims_header, data.ims_rows)
    except WorkbookError as e:
        raise OutputError(f"{path} exists and is not a reconciled ims-xl workbook ({e}); "
                          "it was left alone: choose another name, or move it away first. "
                          "Nothing was written.") from None
    return data, sum(1 for r in rows if r.get("action") or r.get("upload_status")
                     or is_changed(r.decision, r.portal))


def refuse_json_over_workbook(path: str | Path, what: str) -> None:
    """A JSON output must not replace a workbook (its typed work cannot be carried into JSON)."""
    if Path(path).exists() and is_workbook_file(path):
        raise OutputError(f"{path} is a workbook; {what} is JSON and would destroy it: "
                          "name a .json file. Nothing was written.")
