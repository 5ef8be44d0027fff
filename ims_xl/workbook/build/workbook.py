"""`python -m ims_xl.workbook.build [OUT]`: write the empty `IMS_Reconciler.xlsm` from the sources.

The sheets are laid out by `ims_xl.workbook.writer` (the code `ims-xl reconcile --out x.xlsm` uses),
the VBA project by `vbaproject.py` and the ribbon by `package.py`. It refuses to build
when the installed xlwings is not the pinned one (the workbook embeds its VBA). Builds are reproducible: two runs
give the same parts (`tests/workbook` rebuilds and compares with the committed file).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .constants import DEFAULT_OUTPUT


def pinned_xlwings() -> str | None:
    """The xlwings version ims-xl pins (`xlwings==X` in pyproject.toml or the installed
    metadata); None when neither is available."""
    import re
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    if pyproject.exists():
        import tomllib
        requires = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    else:
        from importlib import metadata
        try:
            requires = metadata.requires("ims-xl") or []
        except metadata.PackageNotFoundError:
            return None
    for req in requires:
        m = re.fullmatch(r"\s*xlwings\s*==\s*([\w.]+)\s*(;.*)?", req)
        if m:
            return m.group(1)
    return None


def installed_xlwings() -> str:
    from importlib.metadata import version
    return version("xlwings")


def build_workbook(out=DEFAULT_OUTPUT) -> Path:
    """Write the empty workbook to `out` (atomically) and return its path."""
    from ..data import WorkbookData
    from ..writer import write_workbook
    out = Path(out)
    if out.suffix.lower() != ".xlsm":
        raise SystemExit(f"{out}: the workbook must be a .xlsm")
    return write_workbook(out, WorkbookData())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m ims_xl.workbook.build [OUT.xlsm]"
              "   (default: workbook/IMS_Reconciler.xlsm)", file=sys.stderr)
        return 2
    from .lint import lint
    pinned, installed = pinned_xlwings(), installed_xlwings()
    if pinned and pinned != installed:
        print(f"xlwings {installed} is installed but ims-xl pins {pinned}: the workbook would "
              f"embed the wrong VBA. Run: pip install \"xlwings=={pinned}\"", file=sys.stderr)
        return 1
    start = time.perf_counter()
    out = build_workbook(Path(args[0]) if args else DEFAULT_OUTPUT)
    problems = lint(out)
    for p in problems:
        print(f"lint: {p}", file=sys.stderr)
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {time.perf_counter() - start:.2f} s)")
    return 1 if problems else 0
