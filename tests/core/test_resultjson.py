"""RESULT.json text: the document json.dumps writes, with one record per line."""

import json

import pytest

from ims_xl.month.result_json import result_text

DOC = {"ims": [{"doc_num": "0012/ज़", "books_rows": [], "differences": {"val": ["1.10", "1"]},
                "score": 0.875, "runner_up": "a \"quoted\"\nline", "rule": None, "flag": True,
                "n": -3},
               {"doc_num": "INV-2", "books_rows": [4, 5], "differences": {}, "score": 100.0}],
       "books_only": [], "nested": {"x": {"y": [[], [1, [2]]]}}}


@pytest.mark.parametrize("doc", [
    DOC,
    {"bad": float("nan")},                  # json.dumps writes NaN; so must we
    {"inf": [float("inf")]},
    {1: "a key that is a number"},
    ["a", "list"],
    "just text",
])
def test_result_text_reads_back_as_the_document(doc):
    text = result_text(doc)
    want = json.loads(json.dumps(doc, ensure_ascii=False))     # keys made text, as JSON has
    assert json.dumps(json.loads(text), ensure_ascii=False) == json.dumps(want,
                                                                          ensure_ascii=False)


def test_each_record_is_one_line_a_script_can_grep():
    lines = result_text(DOC).splitlines()
    assert lines[:2] == ["{", '"ims": [']
    records = [json.loads(line.rstrip(",")) for line in lines[2:4]]
    assert records == DOC["ims"]            # text with a newline stays on its line (escaped)
    assert lines[4:] == ["],", '"books_only": [],', '"nested": {"x": {"y": [[], [1, [2]]]}}',
                         "}"]
