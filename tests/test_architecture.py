"""The core knows nothing of Excel: only the shells import xlwings or click, nothing in the
core imports a shell, and no two modules import each other (directly or round a loop)."""

import ast
from pathlib import Path

import ims_xl

PACKAGE = Path(ims_xl.__file__).parent
# The shells, by dotted name: a name here covers the module and everything under it. The one
# place to update when modules move.
SHELLS = ("ims_xl.cli", "ims_xl.__main__", "ims_xl.ribbon", "ims_xl.excel")
UI_LIBRARIES = ("xlwings", "click")


def _under(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def module_files(package: Path = PACKAGE) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (a package is its
    `__init__.py`)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = [package.name, *path.relative_to(package).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _import_nodes(tree: ast.AST):
    """Import statements anywhere (functions too), except under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in _import_nodes_of(child))
            continue
        yield from _import_nodes_of(node)


def _import_nodes_of(node: ast.AST):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _import_nodes(node)


def imported_names(name: str, path: Path):
    """Every dotted name a module imports: `from .a import b` gives `pkg.a.b` (a module or a
    name in `pkg.a`)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join(anchor + ([node.module] if node.module else []))
        yield from (f"{base}.{a.name}" for a in node.names)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (the most specific module each name is in)."""
    modules = module_files(package)
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(name, path):
            parts = imported.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            if parts and ".".join(parts) != name:
                targets.add(".".join(parts))
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_cycle_check_finds_a_loop_through_a_function_level_import(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .reader import read\n")
    (pkg / "sub" / "reader.py").write_text("def read():\n    from ..errors import x\n")
    (pkg / "errors.py").write_text("from typing import TYPE_CHECKING\n"
                                   "from .sub.reader import read\n"
                                   "if TYPE_CHECKING:\n    from . import typed\n")
    (pkg / "typed.py").write_text("from .errors import read\n")
    assert cycles(import_graph(pkg)) == [["pkg.errors", "pkg.sub.reader"]]


def test_only_the_shells_import_xlwings_click_or_a_shell():
    modules = module_files()
    assert all(any(_under(m, [s]) for m in modules) for s in SHELLS), "a shell moved"
    offenders = sorted((name, imported) for name, path in modules.items()
                       if not _under(name, SHELLS)
                       for imported in imported_names(name, path)
                       if _under(imported, (*UI_LIBRARIES, *SHELLS)))
    assert offenders == []


def test_public_api_is_importable_and_complete():
    import types
    for name in ims_xl.__all__:
        assert not isinstance(getattr(ims_xl, name), types.ModuleType), name
    assert sorted(ims_xl.__all__) == list(ims_xl.__all__)
