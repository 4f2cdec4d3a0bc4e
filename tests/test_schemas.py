"""The JSON Schemas of schemas/: valid 2020-12 schemas, accepting every real edition, section and
catalogue file, rejecting the broken fixtures whose fault is one of shape, naming every key and
value `validate` accepts (no drift), and named by the modeline of every file they describe."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource

from conftest import FIXTURES, ROOT, make_project
from generator.edition import eligibility, requirements, validate
from generator.edition.payable import READ_FEES, READINGS

SCHEMAS = ROOT / "schemas"
MODELINE = "# yaml-language-server: $schema=../../schemas/{}.schema.json\n"
# Broken fixtures whose fault only validate can see: references, arithmetic, duplicates,
# the folder around the file, which language is official, or YAML-level faults.
VALIDATE_ONLY = {
    "bad-timeframe": "max below min compares two values",
    "catalogue-duplicate": "an id defined in two files",
    "duplicate-id": "ids unique within a list",
    "duplicate-key": "a YAML-level fault (PyYAML and editors' YAML servers flag it themselves)",
    "edition-metadata": "the folder's name and the files beside edition.yaml",
    "fee-option": "a merged cell or footnote against the columns of its table",
    "mci-arithmetic": "KZT = MCI × the edition's MCI",
    "missing-translation": "both languages needed only in a published edition",
    "sic-translation": "sic only in the official language, named in edition.yaml",
    "unknown-document": "a reference into the catalogue",
    "yaml-syntax": "not YAML at all",
    "yaml-tag": "a YAML tag",
}


def schemas() -> dict:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.glob("*.schema.json"))}


def validator(name: str) -> Draft202012Validator:
    found = schemas()
    registry = Registry().with_resources([(n, Resource.from_contents(s)) for n, s in found.items()])
    return Draft202012Validator(found[name], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_of(file: Path) -> str:
    if file.parent.name == "documents":
        return "catalogue"
    return {"edition.yaml": "edition", "changes.yaml": "changes"}.get(file.name, "section")


def as_json(file: Path):
    """YAML as an editor's language server sees it: dates are strings."""
    return json.loads(json.dumps(yaml.safe_load(file.read_text(encoding="utf-8")), default=str))


def errors(file: Path) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(f"{schema_of(file)}.schema.json").iter_errors(as_json(file))]


REAL_FILES = sorted(ROOT.glob("editions/*/*.yaml")) + sorted(ROOT.glob("content/documents/*.yaml"))


def test_the_schemas_are_valid_2020_12_schemas():
    for schema in schemas().values():
        Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("file", REAL_FILES, ids=lambda f: f.relative_to(ROOT).as_posix())
def test_every_real_file_names_its_schema_and_matches_it(file):
    assert file.read_text(encoding="utf-8").startswith(MODELINE.format(schema_of(file)))
    assert errors(file) == []


@pytest.mark.parametrize("case", sorted(p.name for p in (FIXTURES / "broken").iterdir()))
def test_broken_fixtures_of_shape_are_rejected(case):
    files = sorted((FIXTURES / "broken" / case).rglob("*.yaml"))
    found = []
    for file in files:
        try:
            found += errors(file)
        except yaml.YAMLError:
            found.append("not YAML")
    if case in VALIDATE_ONLY and case not in ("yaml-syntax", "yaml-tag"):
        assert found == [], f"the schema now catches {case}: move it out of VALIDATE_ONLY"
    else:
        assert found, f"the schema accepts the broken fixture {case}"


# -- no drift between validate.py and the schemas ------------------------------------------------

def _deref(node: dict, file: str, found: dict):
    while "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        file = target or file
        node = found[file]
        for part in pointer.strip("/").split("/"):
            if part:
                node = node[part]
    return node, file


def _branches(node: dict, file: str, found: dict) -> list[tuple[dict, str]]:
    node, file = _deref(node, file, found)
    out = [(node, file)]
    for key in ("anyOf", "oneOf"):
        for branch in node.get(key, ()):
            out += _branches(branch, file, found)
    return out


def _schema_keys(schema_file: str, path: tuple, found: dict) -> set[str] | None:
    nodes = [(found[schema_file], schema_file)]
    for part in path:
        nxt = []
        for node, file in (b for n, f in nodes for b in _branches(n, f, found)):
            if isinstance(part, int) and "items" in node:
                nxt.append((node["items"], file))
            elif isinstance(part, str) and part in node.get("properties", {}):
                nxt.append((node["properties"][part], file))
        nodes = nxt
    keys = {k for n, f in nodes for b, _ in _branches(n, f, found) for k in b.get("properties", {})}
    return keys or None


def test_every_key_validate_accepts_is_in_the_schema_and_no_other(monkeypatch, tmp_path):
    seen: dict = {}
    original = validate.Reader.mapping

    def recording(self, value, path, required, optional=()):
        seen[(self.loaded.rel, tuple(path))] = set(required) | set(optional)
        return original(self, value, path, required, optional)

    monkeypatch.setattr(validate.Reader, "mapping", recording)
    validate.load_library(ROOT)
    validate.load_library(make_project(tmp_path))
    found = schemas()
    checked = 0
    for (rel, path), accepted in seen.items():
        if rel == "content/ui.yaml":
            continue
        kind = schema_of(Path(rel))
        keys = _schema_keys(f"{kind}.schema.json", path, found)
        assert keys == accepted, f"{rel} {path}: validate accepts {sorted(accepted)}, the schema {sorted(keys or ())}"
        checked += 1
    assert checked > 1000


def test_every_value_validate_accepts_is_in_the_schema():
    found = schemas()
    section = found["section.schema.json"]["$defs"]
    document = section["document"]["properties"]
    assert document["for"]["items"]["enum"] == list(validate.FOR_WHOM)
    assert document["forms"]["items"]["enum"] == list(validate.FORMS)
    assert section["step"]["properties"]["place"]["enum"] == list(validate.PLACES)
    assert section["note"]["properties"]["kind"]["enum"] == list(validate.NOTE_KINDS)
    timeframes = section["option"]["properties"]["timeframe"]["anyOf"][0]["oneOf"]
    assert all(t["properties"]["unit"]["enum"] == list(validate.UNITS) for t in timeframes)
    assert [f for f in validate.FEE_FIELDS if f in section["option"]["properties"]] == list(validate.FEE_FIELDS)
    assert document["issuers"]["items"]["enum"] == list(requirements.ISSUERS)
    assert document["contents"]["anyOf"][0]["items"]["enum"] == list(requirements.CONTENTS)
    assert set(document["variant"]["enum"]) == {v for vs in requirements.VARIANTS.values() for v in vs}
    assert document["validity"]["properties"]["unit"]["enum"] == list(requirements.PERIOD_UNITS)
    assert document["validity"]["properties"]["counted_from"]["enum"] == list(requirements.COUNTED_FROM)
    interpretation = found["edition.schema.json"]["properties"]["interpretations"]["items"]["properties"]
    assert (interpretation["fee"]["enum"], interpretation["paid"]["enum"]) == (list(READ_FEES), list(READINGS))
    text = found["common.schema.json"]["$defs"]["text"]["properties"]
    assert text["waive"]["propertyNames"]["enum"] == list(validate.LINT_CODES)
    for name, pattern in (("id", validate.ID_RE), ("hours", validate.HOURS_RE)):
        assert found["common.schema.json"]["$defs"][name]["pattern"].strip("^$") == pattern.pattern.strip("^$")
    facts = section["eligibility"]["properties"]
    assert facts["purposes"]["items"]["enum"] == list(eligibility.PURPOSES)
    for key, values in (("where", eligibility.WHERE), ("citizenship", eligibility.CITIZENSHIP)):
        assert facts[key]["properties"]["only"]["items"]["enum"] == list(values)
        assert facts[key]["required"] == ["only", "basis"] and "reading" not in facts[key]["properties"]
    assert section["journeyLink"]["properties"]["purposes"]["items"]["enum"] == list(eligibility.PURPOSES)
    assert section["group"]["properties"]["id"]["enum"] == list(eligibility.GROUPS)
    assert section["journeyLink"]["properties"]["service"]["pattern"] == eligibility.FULL_ID_RE.pattern
