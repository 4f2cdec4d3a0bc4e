"""A validity bound's unit in words: "valid for at least 3 months" / Russian "действителен не
менее 3 месяцев" (after "более"/"не менее" the noun is genitive: 1, 21, 31… → "месяца", every
other number → "месяцев"), the same in the changes' texts (generator/changes/names.py) and on the
service pages' document chips (site_templates/_macros.j2); a timeframe still counts in the
nominative ("3 рабочих дня")."""
from __future__ import annotations

import pytest

from conftest import ROOT, make_project
from generator.changes.diff import Change
from generator.changes.names import Names, plural
from generator.edition.models import DocumentRef, Text, Validity
from generator.edition.validate import load_library
from generator.site.render import Renderer

# Written by hand from Russian grammar, not from the labels under test: the genitive after a
# bound, for each number (months, calendar days).
RU_AFTER_BOUND = {
    1: ("месяца", "календарного дня"),
    2: ("месяцев", "календарных дней"),
    3: ("месяцев", "календарных дней"),
    5: ("месяцев", "календарных дней"),
    11: ("месяцев", "календарных дней"),
    12: ("месяцев", "календарных дней"),
    21: ("месяца", "календарного дня"),
    22: ("месяцев", "календарных дней"),
    25: ("месяцев", "календарных дней"),
}
EN_AFTER_BOUND = {1: ("month", "calendar day"), 21: ("months", "calendar days"), 3: ("months", "calendar days")}
RU_BOUND = {"more-than": "действителен более", "at-least": "действителен не менее"}
EN_BOUND = {"more-than": "valid for more than", "at-least": "valid for at least"}


@pytest.fixture(scope="module")
def library():
    """The real labels (content/ui.yaml), no edition: the wording of a bound needs none."""
    return load_library(ROOT, [])


@pytest.fixture(scope="module")
def names(tmp_path_factory, library):
    # the fixture's edition only gives Names its years and titles; the labels are the real ones
    edition = load_library(make_project(tmp_path_factory.mktemp("bounds"))).editions[2030]
    return Names(edition, edition, {}, library.ui)


@pytest.fixture(scope="module")
def chips(library):
    """A document → the chips the real templates write beside it on a service page, per language."""
    renderer = Renderer(library, library.ui, ROOT / "site_templates", ROOT / "content" / "pages")
    macro = renderer.env.from_string('{% import "_macros.j2" as m with context %}{{ m.qualifiers(doc) }}')
    return lambda doc, lang: macro.render(**renderer.helpers(lang, "2030/test-visas/visa-inside/index.md"), doc=doc)


def expected(lang: str, bound: str, n: int, unit: str) -> str:
    words, forms = (RU_BOUND, RU_AFTER_BOUND) if lang == "ru" else (EN_BOUND, EN_AFTER_BOUND)
    return f"{words[bound]} {n} {forms[n][('months', 'calendar-days').index(unit)]}"


CASES = [("ru", bound, n, unit) for bound in RU_BOUND for n in RU_AFTER_BOUND for unit in ("months", "calendar-days")]
CASES += [("en", bound, n, unit) for bound in EN_BOUND for n in EN_AFTER_BOUND for unit in ("months", "calendar-days")]


@pytest.mark.parametrize(("lang", "bound", "n", "unit"), CASES)
def test_a_changed_bound_is_written_with_its_unit_in_the_right_form(names, lang, bound, n, unit):
    """What the changes page, the diff's text/CSV/JSON/workbook and a drafted register say."""
    change = Change(id="doc-x", kind="document", action="changed", field="documents[passport]",
                    facts=(("validity_period", ("at-least", 6, "months"), (bound, n, unit), "changed"),))
    assert names.value(change, (bound, n, unit), lang, "validity_period") == expected(lang, bound, n, unit)
    was = {"ru": "действителен не менее 6 месяцев", "en": "valid for at least 6 months"}[lang]
    assert names.facts(change, lang).endswith(f": {was} → {expected(lang, bound, n, unit)} "
                                              + {"ru": "(изменено)", "en": "(changed)"}[lang])


@pytest.mark.parametrize(("lang", "bound", "n", "unit"), CASES)
def test_a_documents_bound_is_written_on_its_page_with_its_unit_in_the_right_form(chips, lang, bound, n, unit):
    """The service page's chip of a document (the `qualifiers` macro)."""
    doc = DocumentRef(doc="passport", text=Text(en="Passport", ru="Паспорт"),
                      validity=Validity(amount=n, unit=unit, bound=bound))
    assert f'<span class="gb-qualifier">{expected(lang, bound, n, unit)}</span>' in chips(doc, lang)


@pytest.mark.parametrize(("n", "days"), [(1, "рабочий день"), (3, "рабочих дня"), (5, "рабочих дней"),
                                         (21, "рабочий день"), (22, "рабочих дня"), (12, "рабочих дней")])
def test_a_timeframe_still_counts_in_the_nominative(library, n, days):
    """"3 рабочих дня": no bound before the number, so the unit's own forms stay."""
    assert plural(library.ui["unit_business-days"].get("ru"), n, "ru") == days
