"""An OPC package lint for the workbook (standard library only):
`python -m ims_xl.workbook.build.lint F`.

Checks that every part has a content type, every XML part is well formed, every internal
relationship target exists, and, for `.xlsm`, the macro-enabled main content type and the
vbaProject and customUI14 relationships. It catches both package pitfalls of
docs/reference/excel.md#pitfalls (an openpyxl re-save dropping the ribbon; a VBA project in an
`.xlsx`-typed package).
"""

from __future__ import annotations

import posixpath
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from .constants import (CUSTOMUI_PART, CUSTOMUI_REL_TYPE, MACRO_MAIN_CONTENT_TYPE,
                        VBA_PROJECT_REL_TYPE)

CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CONTENT_TYPES = "[Content_Types].xml"


def lint(path, *, macros: bool | None = None) -> list[str]:
    """Problems found in the package at `path` (empty: none). `macros` defaults to `.xlsm`."""
    path = Path(path)
    macros = path.suffix.lower() == ".xlsm" if macros is None else macros
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        return [f"not a zip package: {e}"]
    with zf:
        return _lint(zf, macros)


def _lint(zf: zipfile.ZipFile, macros: bool) -> list[str]:
    problems: list[str] = []
    names = [n for n in zf.namelist() if not n.endswith("/")]
    parts = set(names)
    if len(parts) != len(names):
        problems.append("duplicate zip entries")
    if CONTENT_TYPES not in parts:
        return problems + [f"no {CONTENT_TYPES}"]
    types = ET.fromstring(zf.read(CONTENT_TYPES))
    defaults = {e.get("Extension", "").lower(): e.get("ContentType", "")
                for e in types.iter(f"{CT_NS}Default")}
    overrides = {e.get("PartName", ""): e.get("ContentType", "")
                 for e in types.iter(f"{CT_NS}Override")}

    def content_type(part: str) -> str | None:
        file = part.rpartition("/")[2]
        extension = file.rpartition(".")[2].lower() if "." in file else ""
        return overrides.get("/" + part) or defaults.get(extension)

    for part in sorted(parts - {CONTENT_TYPES}):
        if content_type(part) is None:
            problems.append(f"{part}: no content type")
        if part.endswith((".xml", ".rels", ".vml")):
            try:
                ET.fromstring(zf.read(part))
            except ET.ParseError as e:
                problems.append(f"{part}: not well-formed XML ({e})")
    for name in overrides:
        if name.lstrip("/") not in parts:
            problems.append(f"{CONTENT_TYPES}: override for missing part {name}")

    rels_of: dict[str, list[tuple[str, str, str]]] = {}   # source part -> (type, target, id)
    for part in sorted(p for p in parts if p.endswith(".rels")):
        folder, _, file = part.rpartition("/")
        source_dir = posixpath.dirname(folder)              # "xl/_rels" -> "xl"
        source = posixpath.join(source_dir, file[:-len(".rels")]) if file != ".rels" else ""
        try:
            root = ET.fromstring(zf.read(part))
        except ET.ParseError:
            continue
        ids = set()
        for rel in root.iter(f"{REL_NS}Relationship"):
            rid, kind, target = rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", "")
            if rid in ids:
                problems.append(f"{part}: duplicate relationship id {rid}")
            ids.add(rid)
            if rel.get("TargetMode") == "External":
                continue
            resolved = (target.lstrip("/") if target.startswith("/")
                        else posixpath.normpath(posixpath.join(source_dir, target)))
            rels_of.setdefault(source, []).append((kind, resolved, rid))
            if resolved not in parts:
                problems.append(f"{part}: relationship {rid} points at missing {resolved}")

    root_rels = rels_of.get("", [])
    main = [t for k, t, _ in root_rels if k == OFFICE_DOCUMENT]
    if len(main) != 1:
        problems.append("_rels/.rels: expected one officeDocument relationship")
        return problems
    main_type = content_type(main[0]) or ""
    if macros:
        if main_type != MACRO_MAIN_CONTENT_TYPE:
            problems.append(f"{main[0]}: content type {main_type!r}, expected the macro-enabled "
                            f"{MACRO_MAIN_CONTENT_TYPE!r}")
        if not any(k == VBA_PROJECT_REL_TYPE for k, _, _ in rels_of.get(main[0], [])):
            problems.append(f"{main[0]}: no vbaProject relationship")
        if (CUSTOMUI_REL_TYPE, CUSTOMUI_PART, ) not in {(k, t) for k, t, _ in root_rels}:
            problems.append(f"_rels/.rels: no ui/extensibility relationship to {CUSTOMUI_PART} "
                            "(the ribbon)")
    elif "macroEnabled" in main_type or any(p.endswith("vbaProject.bin") for p in parts):
        problems.append("a macro-free workbook carries macros or a macro-enabled content type")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    status = 0
    for name in args:
        problems = lint(name)
        for p in problems:
            print(f"{name}: {p}")
        status |= bool(problems)
        if not problems:
            print(f"{name}: ok")
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
