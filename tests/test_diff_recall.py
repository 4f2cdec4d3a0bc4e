"""Diff recall for structure: a section, service, step or fee option added or removed is always
reported, whatever it holds (a service without steps, an option whose cells are all blank), as
one material record; a misprint the print corrected is a record of its own kind (`misprint`),
which the register covers with `misprint-corrected` (and never with `wording-only`).

On copies of the small fixture edition (tests/fixtures/valid) changed with `dataclasses.replace`
(hypothesis), and on a fixture project given a 2031 edition with its register (validate).
"""
from __future__ import annotations

import functools
import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource

from conftest import ROOT, make_project, run_cli
from generator.changes.diff import diff
from generator.changes.register import agrees, context
from generator.edition.models import FeeOption
from generator.edition.validate import load_library
from test_diff import _cached_library

PROPERTY = settings(max_examples=max(15, settings().max_examples // 5), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])



def _fixture_edition():
    """The fixture project's edition, loaded from a copy (as the other fixture tests do)."""
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder))
        return load_library(root, None).editions[2030]


@functools.cache
def editions() -> list:
    """Every edition there is: the fixture's, and the real ones (whatever their years); loaded at
    the first use, not at import (every xdist worker collects this module)."""
    return [_fixture_edition(), *_cached_library(ROOT, None).editions.values()]


def _services(edition):
    return [(i, j) for i, section in enumerate(edition.sections) for j, _ in enumerate(section.services)]


def _steps(edition):
    return [(i, j, k) for i, j in _services(edition) for k, _ in enumerate(edition.sections[i].services[j].steps)]


def _options(edition):
    return [(i, j, k, n) for i, j, k in _steps(edition)
            for n, _ in enumerate(edition.sections[i].services[j].steps[k].fees.options
                                  if edition.sections[i].services[j].steps[k].fees else ())]


def _with_services(edition, i, change):
    sections = list(edition.sections)
    sections[i] = replace(sections[i], services=change(sections[i].services))
    return replace(edition, sections=tuple(sections))


def _with_steps(edition, i, j, change):
    return _with_services(edition, i, lambda services: services[:j] + (
        replace(services[j], steps=change(services[j].steps)),) + services[j + 1:])


def _with_options(edition, i, j, k, change):
    def steps(all_steps):
        step = all_steps[k]
        return all_steps[:k] + (replace(step, fees=replace(step.fees, options=change(step.fees.options))),) + all_steps[k + 1:]
    return _with_steps(edition, i, j, steps)


def _emptied(service):
    """The service as an extension service is printed: no steps."""
    return replace(service, steps=())


BLANK = FeeOption(label=None, blank=("service", "personal_manager", "state"))  # a row of blank cells


@st.composite
def structural(draw):
    """(edition, a copy with one thing taken out, kind, service full id, step id): the thing is a
    section, a service, a step or a fee option (emptied first, or as it is)."""
    edition = draw(st.sampled_from(editions()))
    kind = draw(st.sampled_from(("section", "service", "step", "option")))
    empty = draw(st.booleans())
    if kind == "section":
        i = draw(st.sampled_from(range(len(edition.sections))))
        section = edition.sections[i]
        if empty:  # a section whose services are all gone already
            edition = _with_services(edition, i, lambda _: ())
        cut = replace(edition, sections=edition.sections[:i] + edition.sections[i + 1:])
        return edition, cut, kind, None, None, section.id
    if kind == "service":
        i, j = draw(st.sampled_from(_services(edition)))
        if empty:
            edition = _with_services(edition, i, lambda s: s[:j] + (_emptied(s[j]),) + s[j + 1:])
        service = edition.sections[i].services[j]
        cut = _with_services(edition, i, lambda s: s[:j] + s[j + 1:])
        return edition, cut, kind, service.full_id, None, None
    if kind == "step":
        i, j, k = draw(st.sampled_from(_steps(edition)))
        if empty:
            edition = _with_steps(edition, i, j, lambda s: s[:k] + (
                replace(s[k], documents=(), fees=None, notes=(), process=(), description=()),) + s[k + 1:])
        service = edition.sections[i].services[j]
        cut = _with_steps(edition, i, j, lambda s: s[:k] + s[k + 1:])
        return edition, cut, kind, service.full_id, service.steps[k].id, None
    i, j, k, n = draw(st.sampled_from(_options(edition)))
    if empty:
        edition = _with_options(edition, i, j, k, lambda o: o[:n] + (BLANK,) + o[n + 1:])
    service = edition.sections[i].services[j]
    cut = _with_options(edition, i, j, k, lambda o: o[:n] + o[n + 1:])
    return edition, cut, kind, service.full_id, service.steps[k].id, None


@PROPERTY
@given(structural())
def test_anything_removed_or_added_is_reported(case):
    edition, cut, kind, service, step, section = case
    for old, new, action in ((edition, cut, "removed"), (cut, edition, "added")):
        changes = diff(old, new)
        found = [c for c in changes if c.kind == kind and c.action == action
                 and (c.service, c.step) == (service, step) and (section is None or c.section == section)]
        if kind == "option":  # options are matched by position: the last one goes or comes
            assert found, (kind, action, service, step, [(c.kind, c.action, c.field) for c in changes])
        else:
            assert len(found) == 1, (kind, action, service, step, [(c.kind, c.action, c.field) for c in changes])
        assert all(c.material for c in found)
        assert diff(new, old) == tuple(c.mirrored() for c in changes)


# -- plain cases on the fixture ----------------------------------------------------------------


def fixture():
    return editions()[0]


def test_a_service_without_steps_removed_is_one_material_change():
    extension = next(s for s in fixture().services() if s.full_id == "test-visas/extension")
    assert extension.steps == ()  # the fixture prints it without steps (as an extension service)
    cut = _with_services(fixture(), 0, lambda services: tuple(s for s in services if s.id != "extension"))
    (change,) = diff(fixture(), cut)
    assert (change.id, change.kind, change.action, change.service, change.material) == (
        "service-test-visas-extension", "service", "removed", "test-visas/extension", True)
    assert (change.old_line, change.new_line) == (44, None)


def test_a_corrected_misprint_is_a_change_of_its_own_kind():
    """The fixture prints "Consent from" (sic "Consent form"); a later print reading "Consent form"
    corrected it: a `misprint` record, not material, coverable as a misprint corrected only."""
    def fix(step):
        documents = tuple(replace(d, text=replace(d.text, en="Consent form", sic=())) if d.doc == "consent-form" else d
                          for d in step.documents)
        return replace(step, documents=documents)
    fixed = _with_steps(fixture(), 0, 0, lambda steps: (fix(steps[0]),) + steps[1:])
    (change,) = diff(fixture(), fixed)
    assert (change.kind, change.action, change.relation, change.material) == ("misprint", "changed", "corrected", False)
    assert change.words_in("en") == (("equal", "Consent ", "Consent "), ("replace", "from", "form"))
    assert change.words_in("ru") == ()
    ctx = context((change,))
    assert agrees("misprint-corrected", change, ctx) and not agrees("wording-only", change, ctx)
    (back,) = diff(fixed, fixture())
    assert (back.kind, back.relation) == ("misprint", "introduced")


def test_a_translation_agreeing_with_a_sic_reading_corrects_no_print():
    """A misprint is corrected only by a print in the same official language: an edition printed
    in another language whose translation reads as the old `sic` reports nothing."""
    def fix(step):
        documents = tuple(replace(d, text=replace(d.text, en="Consent form", sic=())) if d.doc == "consent-form" else d
                          for d in step.documents)
        return replace(step, documents=documents)
    fixed = _with_steps(replace(fixture(), source_language="ru"), 0, 0, lambda steps: (fix(steps[0]),) + steps[1:])
    assert [c.kind for c in diff(fixture(), fixed)] == ["edition"]  # the official language only


# -- the register covers them (validate on a fixture project with a 2031) -------------------------

REGISTER = """since: 2030
entries:
  - id: new-year
    effect: edition-details
    summary: {en: "The 2031 edition.", ru: "Редакция 2031 года."}
    covers:
      - {kind: edition}
  - id: extension-withdrawn
    effect: option-removed
    summary: {en: "The test visa extension is no longer offered.", ru: "Продление тестовой визы больше не оказывается."}
    services: [test-visas/extension]
    covers:
      - {kind: service, action: removed}
  - id: consent-form-misprint
    effect: misprint-corrected
    summary: {en: "The consent form's name is printed correctly.", ru: "Название согласия напечатано правильно."}
    covers:
      - {kind: misprint}
"""


def _project_2031(tmp_path, register: str):
    root = make_project(tmp_path)
    draft = root / "editions" / "2031"
    shutil.copytree(root / "editions" / "2030", draft)
    meta = draft / "edition.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("year: 2030", "year: 2031")
                    .replace("effective_from: 2030-01-01", "effective_from: 2031-01-01"), encoding="utf-8")
    section = draft / "test-visas.yaml"
    text = section.read_text(encoding="utf-8")
    text = text.replace('{en: "Consent from", ru: "Согласие на обработку персональных данных", sic: {en: "Consent form"}}',
                        '{en: "Consent form", ru: "Согласие на обработку персональных данных"}')
    section.write_text(text[:text.index("  - id: extension")], encoding="utf-8")
    (draft / "changes.yaml").write_text(register, encoding="utf-8")
    return root


def test_the_register_covers_a_service_removed_and_a_misprint_corrected(tmp_path):
    root = _project_2031(tmp_path, REGISTER)
    status, out, err = run_cli("--root", str(root), "diff", "2030", "2031", "--raw")
    assert status == 0, err
    assert "  -! Service: removed: Test visa extension\n" in out
    assert "  ~  Misprint corrected · Consent to the processing of personal data\n      en: Consent [-from-]{+form+}\n" in out
    status, out, err = run_cli("--root", str(root), "validate")
    assert (status, err) == (0, ""), err
    # the JSON export names the new kind as its schema allows
    status, out, err = run_cli("--root", str(root), "diff", "2030", "2031", "--format", "json")
    data = json.loads(out)
    assert data["counts"] == {"edition": 1, "service": 1, "misprint": 1}
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "schemas").glob("*.json"))]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    schema = next(s for s in schemas if s["$id"] == "data-changes.schema.json")
    Draft202012Validator(schema, registry=registry).validate(data)


def test_wording_only_cannot_cover_a_misprint_corrected(tmp_path):
    root = _project_2031(tmp_path, REGISTER.replace("effect: misprint-corrected", "effect: wording-only"))
    status, out, err = run_cli("--root", str(root), "validate")
    assert status == 1
    assert "expected changes that agree with the effect 'wording-only', found 'misprint-" in err, err
