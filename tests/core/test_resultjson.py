"""RESULT.json text: the document json.dumps writes, with one record per line."""

import json

import pytest

from ims_xl.month.result_json import result_bytes, result_document, result_text

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


# Columns of every kind `object_lines` writes itself, with the values that need care
COLUMNS = {
    "text": ["plain", "", 'a "quoted"', "back\\slash", "tab\there", "ctl\x01", "ज़ ₹",
             "\ud83d alone", "100%s %d %%", "\u2028sep"],
    'key "%s" %': ["x"] * 10,
    "int": [0, -3, 10**20, 7, 1, 2, 3, 4, 5, 6],
    "float": [0.0, -0.0, 1e-7, 1e16, 0.875, 100.0, 2.5, -1.25, 3.0, 1 / 3],
    "bool": [True, False] * 5,
    "rows": [[], [4], [4, 5], [-1], [10**12], [1, 2, 3], [], [0], [9], [8]],
    "diff": [{}, {"val": ["1.10", "1"]}, {}, {"a": [1, None]}, {}, {}, {}, {}, {}, {"z": []}],
}


def _objects(columns):
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def test_object_lines_are_what_the_encoder_writes_for_each_object():
    from ims_xl.files.jsontext import compact as _compact, object_lines, objects_text
    assert object_lines(COLUMNS) == [_compact(o) for o in _objects(COLUMNS)]
    # the lines joined at once, as RESULT.json takes them; no objects, no text
    assert objects_text(COLUMNS, ",\n") == ",\n".join(map(_compact, _objects(COLUMNS)))
    assert objects_text({"a": [], "b": []}, ",\n") == "" and object_lines({"a": []}) == []
    for text in COLUMNS["text"]:         # each odd text alone in a column of plain ones
        column = {"text": ["plain", text, "ज़"], "n": [1, 2, 3]}
        assert object_lines(column) == [_compact(o) for o in _objects(column)], text


@pytest.mark.parametrize("odd", [
    [float("nan"), 1.0],               # the encoder writes NaN: left to it
    [None, "text"],
    [1, 2.5],                          # ints and floats in one column
    [[True], [1]],                     # a bool in a list is `true`, not `True`
    [1, True],
])
def test_object_lines_leave_other_columns_to_the_encoder(odd):
    from ims_xl.files.jsontext import object_lines
    assert object_lines({"x": odd}) is None


def test_result_json_written_by_columns_is_the_documents_text(tmp_path):
    """The command's RESULT.json (`result_bytes`) is `result_text` of `result_document`,
    byte for byte, on a month with every status, differences, runners-up and odd texts in
    the numbers and names."""
    from ims_xl.month import pipeline
    from ims_xl.portal.upload import dumps
    from ims_xl.testdata.generate import make_case, write_books_csv
    case = make_case(400, seed=5, perturb={"missing": 0.1, "amount_diff": 0.1,
                                           "separators": 0.1, "date_shift": 0.1})
    odd = ['Q"uote', "back\\slash", "ज़-1", "ctl\x01", "100%s"]
    for i, raw in enumerate(case.download["imsDetails"]["b2b"][:25]):
        raw["inum"] = raw["inum"] + odd[i % len(odd)]
        raw["tradenm"] = odd[i % len(odd)]
    ims, books = tmp_path / "ims.json", tmp_path / "books.csv"
    ims.write_text(dumps(case.download))
    write_books_csv(case.books, books)
    _, result = pipeline._client([ims], books)
    want = result_text(result_document(result)).encode()
    assert result_bytes(result) == want
    statuses = {r["status"] for r in json.loads(want)["ims"]}
    assert len(statuses) >= 3 and '\\"' in want.decode()


def test_objects_are_encoded_the_same_without_the_c_accelerator(monkeypatch):
    import json as json_module
    from ims_xl.files import jsontext
    monkeypatch.setattr(json_module.encoder, "c_make_encoder", None)
    encode = jsontext._object_encoder()
    for obj in COLUMNS["diff"]:
        assert encode(obj) == jsontext.compact(obj) == jsontext._encoded(obj)
