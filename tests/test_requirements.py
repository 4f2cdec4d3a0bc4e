"""Requirement facts of documents: validation with located errors (one case per fact type), the
typed effect of each kind of change, and the facts of the real editions the diff relies on."""
from __future__ import annotations

import pytest

from conftest import ROOT, make_project, run_cli
from generator.changes.requirements import EFFECTS, MIRROR, requirement_changes
from generator.edition.models import DocumentRef, Text, Validity
from generator.edition.validate import load_library

PASSPORT = '''          - doc: passport
            text: {en: "Original passport", ru: "Оригинал паспорта"}
            forms: [original]
'''
FILE = "editions/2030/test-visas.yaml"


def validate_with(tmp_path, extra: str, edition_extra: str = "") -> list[str]:
    """`guidebook validate` of the fixture whose passport entry gets the lines `extra`."""
    root = make_project(tmp_path)
    section = root / FILE
    text = section.read_text(encoding="utf-8")
    assert PASSPORT in text
    section.write_text(text.replace(PASSPORT, PASSPORT + extra), encoding="utf-8")
    if edition_extra:
        meta = root / "editions/2030/edition.yaml"
        meta.write_text(meta.read_text(encoding="utf-8") + edition_extra, encoding="utf-8")
    status, out, err = run_cli("--root", str(root), "validate")
    return err.splitlines()[:-1] if status else []


DOC = "services[0].steps[0].documents[1]"
CASES = {
    "issuers": ("            issuers: [egov, embassy, egov]\n", [
        f"{FILE}:23:29: {DOC}.issuers[1]: expected one of investment-authority, aifc-authority, host-party, "
        "legal-entity, akimat, egov, enbek, pki-portal, country-of-citizenship, found 'embassy'",
        f"{FILE}:23:38: {DOC}.issuers[2]: expected each value once, found 'egov' again"]),
    "variant": ("            variant: work-visa\n", [
        f"{FILE}:23:22: {DOC}.variant: expected one of used-for-entry, found 'work-visa'"]),
    "contents": ("            contents: [job-title, salary]\n", [
        f"{FILE}:23:35: {DOC}.contents[1]: expected one of job-title, engagement-period, signed-by-both-parties, "
        "personal-data-page, fingerprinting, verification, owner-iin, photo, financial-solvency, "
        "accommodation-and-registration, accommodation-and-permanent-registration, found 'salary'"]),
    "contents-any": ("            contents: {any: [fingerprinting]}\n", [
        f"{FILE}:23:29: {DOC}.contents.any: expected at least two alternatives under 'any', found only "
        "'fingerprinting' (write a plain list for one required content)"]),
    "validity-bounds": ("            validity: {more_than: 3, at_least: 3, unit: months}\n", [
        f"{FILE}:23:23: {DOC}.validity: expected one of 'more_than' or 'at_least', found both"]),
    "validity-unit": ("            validity: {at_least: 3, unit: weeks, counted_from: arrival}\n", [
        f"{FILE}:23:43: {DOC}.validity.unit: expected one of months, calendar-days, found 'weeks'",
        f"{FILE}:23:64: {DOC}.validity.counted_from: expected one of visa-expiry, application, found 'arrival'"]),
    "validity-alone": ("            validity: {counted_from: visa-expiry, blank_pages: 0}\n", [
        f"{FILE}:23:23: {DOC}.validity: expected at least one of current, more_than, at_least, blank_pages, "
        "found a mapping",
        f"{FILE}:23:38: {DOC}.validity.counted_from: expected 'counted_from' only with 'more_than' or "
        "'at_least', found it alone",
        f"{FILE}:23:64: {DOC}.validity.blank_pages: expected a number of blank pages (1 or more), found 0"]),
    "validity-key": ("            validity: {months: 3}\n", [
        f"{FILE}:23:23: {DOC}.validity: expected at least one of current, more_than, at_least, blank_pages, "
        "found a mapping",
        f"{FILE}:23:32: {DOC}.validity.months: unknown key 'months'; expected one of: current, more_than, "
        "at_least, unit, counted_from, blank_pages"]),
    "forms": ("            copies: 0\n", [
        f"{FILE}:23:21: {DOC}.copies: expected a number of copies (1 or more), found 0"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_fact_type_is_validated_with_located_errors(tmp_path, case):
    extra, expected = CASES[case]
    assert validate_with(tmp_path, extra) == expected


def test_valid_facts_are_read_into_the_model(tmp_path):
    root = make_project(tmp_path)
    section = root / FILE
    section.write_text(section.read_text(encoding="utf-8").replace(PASSPORT, PASSPORT + (
        "            variant: used-for-entry\n"
        "            contents: {any: [personal-data-page, photo]}\n"
        "            validity: {at_least: 3, unit: months, counted_from: visa-expiry, blank_pages: 2}\n"
        "            issuers: [host-party, egov]\n")), encoding="utf-8")
    passport = load_library(root).editions[2030].sections[0].services[0].steps[0].documents[1]
    assert (passport.variant, passport.contents, passport.contents_any, passport.issuers) == (
        "used-for-entry", ("personal-data-page", "photo"), True, ("egov", "host-party"))
    assert passport.validity == Validity(amount=3, unit="months", bound="at-least", counted_from="visa-expiry",
                                         blank_pages=2)


def test_interpretations_are_validated_with_located_errors(tmp_path):
    extra = '''  - id: second-reading
    fee: personal_manager
    paid: maybe
    note: {en: "x", ru: "x"}
  - id: priority-reading
    fee: priority
    paid: on-top-of-service
    note: {en: "x"}
'''
    assert validate_with(tmp_path, "", extra) == [
        "editions/2030/edition.yaml:32:11: interpretations[1].paid: expected one of instead-of-service, "
        "on-top-of-service, found 'maybe'",
        "editions/2030/edition.yaml:35:10: interpretations[2].fee: expected one of personal_manager, walk_in, "
        "found 'priority'",
        "editions/2030/edition.yaml:37:11: interpretations[2].note.ru: expected a translation in RU, found nothing "
        "(published editions need both languages)",
    ]


# -- effects ------------------------------------------------------------------------------------

def ref(**facts) -> DocumentRef:
    return DocumentRef(doc="passport", text=Text("x", "x"), **facts)


EFFECT_CASES = [
    # (old facts, new facts, fact, effect)
    ({"if_applicable": True}, {}, "if_applicable", "tightened"),          # a condition dropped
    ({}, {"if_applicable": True}, "if_applicable", "relaxed"),
    ({"copies": 1}, {"copies": 2}, "copies", "tightened"),
    ({}, {"copies": 2}, "copies", "added"),
    ({"forms": ("original",)}, {"forms": ("notarised-copy", "original")}, "forms", "relaxed"),
    ({"forms": ("notarised-copy", "original")}, {"forms": ("notarised-copy",)}, "forms", "tightened"),
    ({"forms": ("apostilled", "certified-translation", "legalised")}, {"forms": ("apostilled", "legalised")},
     "forms", "relaxed"),                                                  # a certified translation no longer asked
    ({"forms": ("original",)}, {}, "forms", "removed"),
    ({"forms": ("original",)}, {"forms": ("copy",)}, "forms", "changed"),
    ({"issuers": ("aifc-authority", "investment-authority")}, {"issuers": ("investment-authority",)},
     "issuers", "tightened"),                                              # one requester fewer
    ({"issuers": ("host-party",)}, {"issuers": ("legal-entity",)}, "issuers", "changed"),
    ({"variant": "work-visa"}, {"variant": "investor-visa"}, "variant", "changed"),
    ({"contents": ("job-title",)}, {"contents": ("engagement-period", "job-title")}, "contents", "tightened"),
    ({"contents": ("a", "b"), "contents_any": True}, {"contents": ("a", "b", "c"), "contents_any": True},
     "contents", "relaxed"),                                               # one more alternative
    ({"contents": ("a", "b")}, {"contents": ("a", "b"), "contents_any": True}, "contents_any", "relaxed"),
    ({"dated": "2025"}, {"dated": "current-year"}, "dated", "changed"),
    ({"validity": Validity(amount=3, unit="months", bound="more-than")},
     {"validity": Validity(amount=3, unit="months", bound="at-least")}, "validity_period", "relaxed"),
    ({"validity": Validity(amount=3, unit="months", bound="at-least")},
     {"validity": Validity(amount=180, unit="calendar-days", bound="at-least")}, "validity_period", "tightened"),
    ({"validity": Validity(amount=3, unit="months", bound="at-least")},
     {"validity": Validity(amount=3, unit="months", bound="at-least", counted_from="visa-expiry")},
     "validity_from", "added"),
    ({"validity": Validity(blank_pages=2)}, {"validity": Validity(blank_pages=1)}, "blank_pages", "relaxed"),
    ({"validity": Validity(current=True)}, {}, "valid", "removed"),
]


@pytest.mark.parametrize("old, new, fact, effect", EFFECT_CASES)
def test_each_kind_of_change_is_typed_by_its_effect(old, new, fact, effect):
    (change,) = requirement_changes(ref(**old), ref(**new))
    assert (change.fact, change.effect) == (fact, effect)
    (back,) = requirement_changes(ref(**new), ref(**old))
    assert back.effect == MIRROR[effect] and (back.old, back.new) == (change.new, change.old)


def test_unchanged_facts_give_no_change_and_effects_are_closed():
    assert requirement_changes(ref(forms=("original",)), ref(forms=("original",))) == ()
    assert set(MIRROR) == set(EFFECTS) and set(MIRROR.values()) == set(EFFECTS)


# -- the real editions --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def editions():
    return load_library(ROOT, [2025, 2026]).editions


def documents(edition, full_id):
    service = next(s for s in edition.services() if s.full_id == full_id)
    return {(st.id, d.key): d for st in service.steps for d in st.documents}


def test_the_substantive_changes_of_2026_are_typed(editions):
    def change(full_id, key, fact):
        old, new = documents(editions[2025], full_id)[key], documents(editions[2026], full_id)[key]
        return next((c.old, c.new, c.effect) for c in requirement_changes(old, new) if c.fact == fact)

    investor = "investor-visa/invitation-outside"
    assert change(investor, ("expat-centre", "investment-authority-request"), "issuers") == (
        ("aifc-authority", "investment-authority"), ("investment-authority",), "tightened")
    # 2025 prints "Valid work visa … (foreign investor)": a misprint (sic: investor visa), so the
    # variant follows the corrected reading and no change is typed
    old, new = (documents(editions[y], investor)[("expat-centre", "main-visa-holder-visa@dependants")] for y in (2025, 2026))
    assert [c for c in requirement_changes(old, new) if c.fact == "variant"] == []
    assert change("employment-visa/visa-inside", ("main", "employment-contract"), "contents")[2] == "tightened"
    assert change("short-term-business-visa/invitation-outside", ("embassy", "passport"), "validity_period") == (
        ("more-than", 3, "months"), ("at-least", 3, "months"), "relaxed")
    assert change("visa-cancellation/holder-inside", ("main", "power-of-attorney"), "if_applicable") == (
        True, False, "tightened")


def test_catalogue_ids_do_not_blur_two_documents(editions):
    iin = documents(editions[2025], "other-services/iin")
    assert ("main", "passport-data-page") in iin and ("main", "passport-copy") not in iin
    b2 = {y: {d.doc for d in documents(e, "long-term-business-visa/visa-inside").values()} for y, e in editions.items()}
    assert "expert-or-service-contract" in b2[2025] - b2[2026]
    assert "consulting-audit-installation-contract" in b2[2026] - b2[2025]
    library = load_library(ROOT, [])
    assert "original" not in library.documents["passport"].name.en
