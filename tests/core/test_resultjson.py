"""RESULT.json text: the same bytes json.dumps(indent=1) writes, whatever the values."""

import json

import pytest

from ims_xl.month.result_json import result_text


@pytest.mark.parametrize("doc", [
    {"ims": [{"doc_num": "0012/ज़", "books_rows": [], "differences": {}, "score": 0.875,
              "runner_up": "a \"quoted\"\nline", "rule": None, "flag": True, "n": -3}],
     "books_only": [], "nested": {"x": {"y": [[], [1, [2]]]}}},
    {"bad": float("nan")},                  # json.dumps writes NaN; so must we
    {"inf": [float("inf")]},
    {1: "a key that is a number"},
    ("a", "tuple"),
    "just text",
])
def test_result_text_is_json_dumps_indent_1(doc):
    assert result_text(doc) == json.dumps(doc, ensure_ascii=False, indent=1)
