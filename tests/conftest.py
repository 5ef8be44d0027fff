import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def write_json(tmp_path):
    """Write a JSON document (or raw text/bytes) to a temp file and return its path."""
    def write(doc, name="ims.json"):
        p = tmp_path / name
        if isinstance(doc, bytes):
            p.write_bytes(doc)
        elif isinstance(doc, str):
            p.write_text(doc, encoding="utf-8")
        else:
            p.write_text(json.dumps(doc), encoding="utf-8")
        return p
    return write
