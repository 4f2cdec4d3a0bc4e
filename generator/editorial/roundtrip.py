"""YAML text ⇄ an editable document that keeps comments, key order, quotes and flow/block layout.

ruamel.yaml in round-trip mode, set up the way the edition files are written (2-space
mappings, `- ` list items indented by 2, long lines never folded, `null` spelled out), so
that loading and dumping an unchanged file gives it back byte for byte; only the values a
caller changes differ.
"""
from __future__ import annotations

import io
from decimal import Decimal

from ruamel.yaml import YAML
from ruamel.yaml.representer import RoundTripRepresenter


def _null(representer: RoundTripRepresenter, _data: None):
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _decimal(representer: RoundTripRepresenter, data: Decimal):
    return representer.represent_scalar("tag:yaml.org,2002:float", format(data.normalize(), "f"))


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(type(None), _null)
    yaml.representer.add_representer(Decimal, _decimal)
    return yaml


def load(text: str):
    """The document: nested CommentedMap / CommentedSeq / scalars."""
    return _yaml().load(text)


def dump(document) -> str:
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()
