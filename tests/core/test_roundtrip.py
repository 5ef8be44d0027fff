"""Property tests: what we read is written back exactly (strings stay strings, no re-rounding)."""

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ims_xl.model.document import Decision
from ims_xl.portal.download import read_ims
from ims_xl.month.pipeline import download_document
from ims_xl.model.section import SECTIONS
from ims_xl.portal.upload import dumps, upload_record

amount = st.one_of(
    st.integers(min_value=0, max_value=10**13 - 1),
    st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2,
                allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=Decimal("99999.9"), places=1,
                allow_nan=False, allow_infinity=False),
)
doc_number = st.one_of(
    st.from_regex(r"[0-9]{16}", fullmatch=True),           # Excel would lose the last digit
    st.from_regex(r"0[0-9]{5}", fullmatch=True),            # leading zeros
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9/-]{0,15}", fullmatch=True),
)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


@st.composite
def record(draw):
    section = draw(st.sampled_from(list(SECTIONS)))
    sec = SECTIONS[section]
    rec = {"stin": "27AAHCM1357N1Z2", "tradenm": draw(text), sec.number_key: draw(doc_number),
           "inv_typ": draw(st.sampled_from(["R", "SEWP", "SEWOP", "DE"])),
           sec.date_key: "05-03-2026", "val": draw(amount), "action": "N",
           "pos": draw(st.sampled_from(["07", "27", "96"])), "txval": draw(amount),
           "iamt": draw(amount), "camt": draw(amount), "samt": draw(amount), "cess": draw(amount),
           "srcform": draw(st.sampled_from(["R1", "R1A", "GSTR1A"])),
           "rtnprd": draw(st.sampled_from(["032026", "03", "122025"])),
           "extra_key": draw(text)}
    if sec.is_amendment:
        rec[sec.orig_number_key] = draw(doc_number)
        rec[sec.orig_date_key] = "01-01-2026"
    return section, rec


def _as_text(doc) -> str:
    """The download as the portal would send it: numbers as plain JSON number tokens."""
    return dumps(json.loads(json.dumps(doc, default=str),
                            parse_float=Decimal, parse_int=Decimal))


def _tokens(text: str) -> dict:
    """Every value with numbers kept as their exact source text."""
    return json.loads(text, parse_float=lambda s: ("num", s), parse_int=lambda s: ("num", s))


@settings(max_examples=150, deadline=None)
@given(st.lists(record(), min_size=1, max_size=6))
def test_parse_then_write_round_trips_every_field(tmp_path_factory, recs):
    sections: dict = {}
    for section, rec in recs:
        number_key = SECTIONS[section].number_key
        rec[number_key] = f"{rec[number_key]}"[:15] + str(len(sections.get(section, [])))
        sections.setdefault(section, []).append(rec)
    source = json.dumps({"imsDetails": sections}, default=str)
    # amounts as number tokens, exactly as drawn (e.g. 118000.00, 5.0, 12)
    for section, items in sections.items():
        for rec in items:
            for k in ("val", "txval", "iamt", "camt", "samt", "cess"):
                source = source.replace(f'"{k}": "{rec[k]}"', f'"{k}": {rec[k]}', 1)
    path = tmp_path_factory.mktemp("rt") / "d.json"
    path.write_text(source, encoding="utf-8")
    dl = read_ims(path)
    assert _tokens(dumps(download_document(dl))) == _tokens(source)
    for rec in dl.records:
        out = upload_record(rec, Decision("A"))
        original = _tokens(dumps(rec.raw))
        for k, v in _tokens(dumps(out)).items():
            if k != "action":
                assert v == original[k], k          # echoed digit for digit
        assert isinstance(out[rec.sec.number_key], str)
