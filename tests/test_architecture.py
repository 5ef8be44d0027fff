"""The core knows nothing of Excel: only the shells (excel/, ribbon.py, cli.py) import
xlwings or click, and nothing in the core imports a shell."""

import ast
from pathlib import Path

import ims_xl

PACKAGE = Path(ims_xl.__file__).parent
SHELLS = {"cli.py", "__main__.py", "ribbon.py"}
FORBIDDEN = ("xlwings", "click", "ims_xl.excel", "ims_xl.ribbon", "ims_xl.cli")


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            if node.level:
                rel = path.relative_to(PACKAGE).parent.parts
                parts = ["ims_xl", *rel[: len(rel) - node.level + 1]]
                base = ".".join(parts + ([node.module] if node.module else []))
            yield base
            yield from (f"{base}.{a.name}" for a in node.names)


def core_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "excel" or rel.name in SHELLS and len(rel.parts) == 1:
            continue
        yield path


def test_core_never_imports_excel_or_the_shells():
    offenders = [(str(p.relative_to(PACKAGE)), name) for p in core_modules()
                 for name in _imports(p)
                 if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)]
    assert offenders == []


def test_public_api_is_importable_and_complete():
    import types
    for name in ims_xl.__all__:
        assert not isinstance(getattr(ims_xl, name), types.ModuleType), name
    assert sorted(ims_xl.__all__) == list(ims_xl.__all__)
