"""Every issue code the validator can raise is documented, with its severity."""

import re
from pathlib import Path

import ims_xl

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(ims_xl.__file__).parent
SOURCES = [*sorted((PACKAGE / "validate").glob("*.py")), PACKAGE / "month" / "export.py"]
CODE = re.compile(r'(?:issue\(row, |_edited\(row, |Issue\()\s*"([a-z]+(?:-[a-z0-9]+)+)"')


def codes() -> set[str]:
    return {c for p in SOURCES for c in CODE.findall(p.read_text(encoding="utf-8"))}


def test_every_issue_code_is_in_the_user_docs():
    found = codes()
    assert len(found) >= 30
    doc = "\n".join(p.read_text(encoding="utf-8")
                    for p in sorted((ROOT / "docs").rglob("*.md")))
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \| (?:error|warning) \|", doc, re.M))
    assert found - documented == set()          # the books checks are documented there too
