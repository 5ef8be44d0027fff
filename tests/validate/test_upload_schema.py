"""The package's JSON Schema for the upload: in step with the mapping table, and strict."""

import json

import jsonschema
import pytest

from ims_xl.portal import dialects
from ims_xl.model.section import SECTIONS
from tests.validate.test_worked_example import UPLOAD_TEXT
from tests.validate.vhelp import SCHEMA, assert_valid_upload


def test_schema_is_valid_and_follows_the_mapping_table():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["required"] == list(dialects.UPLOAD_KEYS)
    assert SCHEMA["properties"][dialects.UPLOAD_KEYS[1]] == {"const": dialects.UPLOAD_REQTYP}
    assert set(SCHEMA["properties"]["invdata"]["properties"]) == set(SECTIONS)
    itc = SCHEMA["$defs"]["itcReduction"]["properties"]
    assert set(itc) == {dialects.ITC_RED_REQ[0], *(k for k, _ in dialects.DECLARED.values())}
    remarks = SCHEMA["$defs"]["record"]["properties"]["remarks"]
    assert remarks["maxLength"] == dialects.REMARKS_MAX
    assert SCHEMA["$defs"]["number"]["maxLength"] == dialects.DOC_NUMBER_MAX
    with_itc = {code for code, s in SECTIONS.items() if s.itc_declaration}
    assert with_itc == {code for code in SECTIONS if {"$ref": "#/$defs/itcReduction"}
                        in SCHEMA["$defs"][code]["allOf"]}


def test_the_worked_example_upload_is_valid():
    assert_valid_upload(UPLOAD_TEXT)


def _broken(path, value):
    doc = json.loads(UPLOAD_TEXT)
    *where, last = path
    target = doc
    for k in where:
        target = target[k]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return doc


B2B0, CN0 = ("invdata", "b2b", 0), ("invdata", "b2bcn", 0)


@pytest.mark.parametrize("path, value", [
    ((*B2B0, "hash"), "ab" * 32),                       # read-only keys are never sent
    ((*B2B0, "itcRedReq"), "Y"),                        # b2b carries no ITC block
    ((*B2B0, "remarks"), "matched"),                    # remarks with a plain Accept
    ((*B2B0, "inum"), 1234567890123456),                # numbers stay strings
    ((*B2B0, "idt"), "2026-03-05"),
    ((*B2B0, "action"), "X"),
    (("invdata", "b2b", 1, "remarks"), "x" * 251),
    (("invdata", "b2b", 1, "remarks"), "two\nlines"),
    ((*CN0, "itcRedReq"), "N"),                          # declared amounts need Y
    ((*CN0, "action"), "R"),                             # the ITC block only with Accept
    ((*CN0, "declCgst"), -1),
    ((*B2B0, "val"), KeyError),
    (("invdata",), {}),
    (("rtin",), "27AABCZ1234K1Z"),
])
def test_schema_rejects(path, value):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(_broken(path, value))
