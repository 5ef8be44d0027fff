"""Each downloaded record's own text, cut from the file (portal/record_text.py), is the text
the IMS sheet's hidden Downloaded Record holds (`raw_text`), or no text is cut."""

from hypothesis import given, settings, strategies as st

from ims_xl.portal.download import read_ims
from ims_xl.portal.record_text import own_texts
from ims_xl.portal.upload import dumps
from ims_xl.testdata.generate import make_case
from ims_xl.workbook.ims_sheet import ims_columns, raw_text


def _read(text: str):
    dl = read_ims([("ims.json", text.encode())])
    return dl, own_texts(dl.sources)


def _download(n: int = 60) -> dict:
    return make_case(n, seed=5, perturb={"amendments": 0.1}).download


def test_a_download_written_as_the_portal_writes_gives_every_record_its_own_text():
    doc = _download()
    doc["gstin"] = "27AAAAA0000A1Z5"                # the envelope's own fields around them
    dl, own = _read(dumps(doc))
    assert len(dl.records) == 60 and len(own) == 60
    assert [own[id(r.raw)] for r in dl.records] == [raw_text(r.raw) for r in dl.records]
    assert ims_columns(dl.records, own) == ims_columns(dl.records)


def _first(doc: dict) -> dict:
    return next(records for records in doc["imsDetails"].values() if records)[0]


def _variants() -> dict[str, str]:
    """Files whose records' texts in the file are not the ones written from the objects."""
    out = {"indented": dumps(_download(), indent=1)}
    compact = dumps(_download())
    out["spaced"] = compact.replace('","', '", "').replace('":', '": ')
    out["exponent"] = compact.replace('"camt":0,', '"camt":0E0,', 1)
    out["below a millionth"] = compact.replace('"cess":0,', '"cess":0.0000001,', 1)   # 1E-7
    out["escaped"] = compact.replace('"tradenm":"A', '"tradenm":"\\u0041', 1)    # "A"
    for name, change in {
            "brace in a text": {"tradenm": "A}B{C"},
            "an object inside": {"itms": [{"num": 1}]}}.items():
        doc = _download()
        _first(doc).update(change)
        out[name] = dumps(doc)
    return out


def test_a_file_whose_texts_would_differ_gives_none_and_the_sheet_is_the_same():
    for name, text in _variants().items():
        dl, own = _read(text)
        assert own == {}, name
        assert ims_columns(dl.records, own) == ims_columns(dl.records), name
        # cut from `{` to the next `}`, some record's text would not be the one written
        runs = {"{" + run.partition("}")[0] + "}" for run in text.split("{")[1:] if "}" in run}
        assert not {raw_text(r.raw) for r in dl.records} <= runs, name


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_AMOUNT = st.decimals(min_value=-10**6, max_value=10**6, allow_nan=False,
                      allow_infinity=False, places=2)


@settings(max_examples=60, deadline=None)
@given(names=st.lists(_TEXT, min_size=3, max_size=3),
       amounts=st.lists(_AMOUNT, min_size=3, max_size=3))
def test_any_text_cut_from_a_file_is_the_record_written_again(names, amounts):
    """Names with braces, quotes, escapes, control characters or any script; amounts of any
    spelling: what is cut is always the text written from the parsed record."""
    doc = _download(3)
    records = [r for rs in doc["imsDetails"].values() for r in rs]
    for record, name, amount in zip(records, names, amounts):
        record["tradenm"], record["txval"] = name, amount
    dl, own = _read(dumps(doc))
    for r in dl.records:
        if id(r.raw) in own:
            assert own[id(r.raw)] == raw_text(r.raw)


def test_a_file_with_true_or_false_is_written_again():
    """Its texts would be the same, but the exponent check reads the `e` of `true`: written
    again, as before."""
    doc = _download()
    _first(doc)["flag"] = True
    dl, own = _read(dumps(doc))
    assert own == {} and ims_columns(dl.records, own) == ims_columns(dl.records)
