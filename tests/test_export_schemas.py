"""The built /data/* exports keep the word of schemas/: every JSON export of the real site
validates against its published schema, every export has one, and every schema names itself
by `$id` so a validator given only the files (ajv-cli -r, jsonschema) resolves the
cross-file references by id, not by where the files happen to lie."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource

from conftest import ROOT

SCHEMAS = ROOT / "schemas"
# Export file name → the schema that describes it.
EXPORTS = [
    (re.compile(r"\d{4}\.json"), "data-edition.schema.json"),
    (re.compile(r"changes-\d{4}-\d{4}\.json"), "data-changes.schema.json"),
    (re.compile(r"changes-\d{4}-\d{4}-register\.json"), "data-register.schema.json"),
    (re.compile(r"changes-\d{4}-\d{4}\.csv"), None),  # CSV: its columns are tested in test_site_build
    (re.compile(r"changes-\d{4}-\d{4}-semicolon\.csv"), None),  # the same for Excel's ';' locales
    (re.compile(r"changes-\d{4}-\d{4}\.xlsx"), None),  # the workbook: tests/test_spreadsheet.py
]


def _resources() -> list[Resource]:
    return [Resource.from_contents(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(SCHEMAS.glob("*.json"))]


def test_every_schema_has_its_own_file_name_as_id():
    ids = [resource.id() for resource in _resources()]
    assert ids == [p.name for p in sorted(SCHEMAS.glob("*.json"))]
    assert len(set(ids)) == len(ids)


def _schema_for(name: str) -> str | None:
    for pattern, schema in EXPORTS:
        if pattern.fullmatch(name):
            return schema
    raise AssertionError(f"/data/{name} has no schema in schemas/ (add it to EXPORTS)")


@pytest.fixture(scope="module")
def registry() -> Registry:
    # Keyed only by $id: a reference resolves through the id, not through a file name we chose.
    return Registry().with_resources((str(resource.id()), resource) for resource in _resources())


def _exports(site: Path) -> list[Path]:
    files = sorted((site / "data").iterdir())
    assert files, "the site publishes no /data exports"
    return files


def test_built_exports_validate_against_their_schemas(real_site, registry):
    checked = set()
    for export in _exports(real_site):
        schema = _schema_for(export.name)
        if schema is None:
            continue
        validator = Draft202012Validator(registry[schema].contents, registry=registry,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                    for e in validator.iter_errors(json.loads(export.read_text(encoding="utf-8")))]
        assert problems == [], f"/data/{export.name} against {schema}: {len(problems)} problem(s): {problems[:5]}"
        checked.add(schema)
    assert checked == {"data-edition.schema.json", "data-changes.schema.json", "data-register.schema.json"}


def test_a_broken_export_is_caught(real_site, registry):
    """The check can fail: one misspelt key in a real export is an error."""
    export = next(p for p in _exports(real_site) if re.fullmatch(r"changes-\d{4}-\d{4}-register\.json", p.name))
    data = json.loads(export.read_text(encoding="utf-8"))
    data["entries"][0]["summray"] = data["entries"][0].pop("summary")
    validator = Draft202012Validator(registry["data-register.schema.json"].contents, registry=registry)
    assert any("summray" in e.message or "summary" in e.message for e in validator.iter_errors(data))
