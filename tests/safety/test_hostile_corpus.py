"""Every command against every hostile file, in every place a file goes: exit 0, 1 or 2 only,
a message and never a traceback, and the hostile file itself left as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ims_xl.cli import main
from tests.safety.helpers import reconciled, run
from tests.safety.hostile import corpus


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> dict:
    """Valid inputs to pair each hostile file with."""
    folder = tmp_path_factory.mktemp("good")
    book, ims, books = reconciled(folder)
    errors = folder / "errors.json"
    errors.write_text('{"imsDetailsErr": {"b2b": []}}')
    return {"book": book, "ims": ims, "books": books, "errors": errors}


def commands(f: Path, good: dict, out: Path) -> list[list]:
    """Each command with `f` in each place a file goes."""
    out.mkdir(parents=True, exist_ok=True)
    book = out / "book.xlsx"
    shutil.copy(good["book"], book)          # commands that succeed may update it
    client = out / "clients" / "client"
    client.mkdir(parents=True, exist_ok=True)
    shutil.copy(f, client / f.name)
    other = good["books"] if f.suffix.lower() in (".json", ".zip") else good["ims"]
    shutil.copy(other, client / other.name)
    rec = ["reconcile", "--out", out / "r.xlsx", "--json", out / "r.json"]
    return [
        ["parse", f], ["parse", f, "--out", out / "merged.json"], ["books", f],
        ["books", good["books"], "--mapping", f],
        rec + ["--ims", f, "--books", good["books"]],
        rec + ["--ims", good["ims"], "--books", f],
        rec + ["--ims", good["ims"], "--books", good["books"], "--previous", f],
        rec + ["--ims", good["ims"], "--books", good["books"], "--mapping", f],
        ["validate", f], ["export", f, "--out", out / "u.json"], ["summary", f],
        ["summary", f, "--json"], ["statements", f, "--out", out / "st"],
        ["import-errors", book, f], ["import-errors", f, good["errors"]],
        ["batch", out / "clients", "--jobs", "1"],
    ]


def test_every_command_taking_a_file_is_in_the_corpus_run(tmp_path, good):
    f = tmp_path / "x.json"
    f.write_text("{}")
    used = {args[0] for args in commands(f, good, tmp_path)}
    assert set(main.commands) - used == {"demo", "workbook"}     # they take no input file


CORPUS = corpus()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_no_hostile_file_ends_in_anything_but_a_message(tmp_path, good, name):
    f = tmp_path / name
    f.write_bytes(CORPUS[name])
    for args in commands(f, good, tmp_path / "out"):
        r = run(*args)
        shown = " ".join(str(a) for a in args)
        assert r.exit_code in (0, 1, 2), f"{shown}: exit {r.exit_code}\n{r.output}"
        assert "Traceback" not in r.output and "internal error" not in r.output, \
            f"{shown}\n{r.output}"
        if "saved the column mapping in" in r.output:     # a settings file, as designed:
            saved = json.loads(f.read_text())             # the mapping added, the rest kept
            kept = json.loads(CORPUS[name] or b"{}")
            assert {k: saved[k] for k in kept} == kept and "mapping" in saved, shown
            f.write_bytes(CORPUS[name])
        assert f.read_bytes() == CORPUS[name], shown
