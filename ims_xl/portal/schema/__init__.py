"""JSON Schemas of the files ims-xl writes (tests check every written upload against them)."""

from __future__ import annotations

import json
from importlib.resources import files

__all__ = ["upload_schema"]


def upload_schema() -> dict:
    """The upload JSON's schema (draft 2020-12), keys as in `ims_xl.portal.dialects`."""
    text = files(__package__).joinpath("upload.schema.json").read_text("utf-8")
    schema: dict = json.loads(text)
    return schema
