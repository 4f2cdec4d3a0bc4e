"""The guide's question tree from the real editions' eligibility facts: completeness against the
hand-written path table, which questions are skipped, and what the answer pages rest on."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from generator.edition.guide import build_tree
from generator.edition.validate import load_library
from guide_invariants import (
    check_answers,
    check_limits,
    check_no_eds_journey,
    check_questions,
    misprints_not_shown,
    sic_texts,
)
from guide_paths import ALSO, PATHS

YEARS = sorted(PATHS)


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT)


def leaves(edition):
    return {leaf.slug: leaf.outcome for leaf in build_tree(edition).leaves()}


@pytest.mark.parametrize("year", YEARS)
def test_the_path_table_covers_every_path_and_every_outcome(library, year):
    found = leaves(library.editions[year])
    assert sorted(found) == sorted(slug for slug, _, _ in PATHS[year])
    for slug, services, excluded in PATHS[year]:
        outcome = found[slug]
        assert tuple(j.service.full_id for j in outcome.journeys) == services, slug
        got = tuple((x.service.full_id, question, basis.line) for x in outcome.others
                    for question, limit in x.limits for basis in limit.basis[:1])
        assert got == excluded, slug
        assert tuple(s.full_id for _, s in outcome.also) == ALSO[year].get(slug, ()), slug


@pytest.mark.parametrize("year", YEARS)
def test_only_a_printed_limit_leaves_a_service_out(library, year):
    """A service leaves the answer page only through a printed limit: for every leaf, each service
    of the purpose either fits or names the printed limit its answers fall outside."""
    check_limits(library.editions[year])


def test_questions_come_in_order_and_only_where_they_change_the_answer(library):
    for edition in library.editions.values():
        check_questions(edition)
    for year in YEARS:  # what the 2025 and 2026 prints make of it
        slugs = {leaf.slug for leaf in build_tree(library.editions[year]).leaves()}
        # the PRP prints neither a place nor a citizenship: nothing is asked
        assert "permanent-residence" in slugs
        # no printed document of a cancellation is for family members only: not asked of someone leaving
        assert not any(s.startswith("leaving") and s.endswith(("/yes", "/no")) for s in slugs)


def test_every_answer_fits_its_answers_and_cites_a_printed_line(library):
    for edition in library.editions.values():
        check_answers(edition)


def test_eaeu_members_are_named_in_both_editions(library):
    for year in YEARS:
        eaeu = library.editions[year].groups()["eaeu"]
        assert {m.en for m in eaeu.members} == {"Russia", "Armenia", "Belarus", "Kyrgyz Republic"}
    # 2026 does not print them: the list is labelled as our reading
    assert library.editions[2026].groups()["eaeu"].reading is not None


def test_family_question_changes_the_document_count(library):
    from generator.site.guide_view import GuideView
    edition = library.editions[2026]
    service = edition.service("employment-visa/invitation-outside")
    view = GuideView(edition)
    with_family, without = view.documents(service, True), view.documents(service, False)
    assert with_family["total"] - without["total"] == with_family["family"] > 0


def test_for_employee_and_for_expert_are_explained_from_the_print(library):
    """"For Employee" is read from the employment contract the service lists (our reading); neither
    print says who counts as an expert for the TRP (E25 264 and R26 275 are only the fee rows; R26 438
    is a B2 contract, E25 527 a cancellation): the row says the guidebook does not say."""
    from generator.site.guide_view import GuideView
    for year, expert_lines in ((2025, {264}), (2026, {275})):
        edition = library.editions[year]
        service = edition.service("temporary-residence-permit/employment")
        view = GuideView(edition)
        options = [o for step in service.steps if step.fees for o in step.fees.options]
        employee, expert = (view.explanation(service, o) for o in options)
        assert employee is not None and employee.basis and employee.reading is not None
        assert expert is not None and {b.line for b in expert.basis} == expert_lines, year
        assert expert.reading is None and "does not say" in expert.text.en


@pytest.fixture(scope="module")
def rendered(library):
    from generator.site.render import render_site
    return render_site(library, library.ui, ROOT / "site_templates", ROOT / "content" / "pages", root=ROOT).files


def _main_services(page: str) -> list[str]:
    """The services an answer page offers, in order: the link of each journey's main step."""
    mains = re.findall(r'<li class="gb-journey-main"[^>]*><p class="gb-journey-title"><a href="([^"]+)"', page)
    return ["/".join(href.rstrip("/").split("/")[-2:]) for href in mains]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("year", YEARS)
def test_every_answer_page_offers_what_the_print_table_says(rendered, library, year, lang):
    none_heading = library.ui["guide_none"].get(lang).format(year=year)
    cite = library.ui["cite_line"].get(lang)
    for slug, services, excluded in PATHS[year]:
        page = rendered[f"{lang}/{year}/guide/{slug}/index.md"]
        assert _main_services(page) == list(services), (lang, slug)
        assert (none_heading in page) == (not services), (lang, slug)
        for service, _, line in excluded:
            others = page[page.index('<ul class="gb-others">'):]
            assert f'{service}/"' in others and cite.format(year=year, line=line) in others, (lang, slug)


# Journey totals written from the print (standard way; fingerprinting free with a work visa,
# investor visa or residence permit whose service fee is paid in advance: E25 703, R26 720).
JOURNEY_TOTALS = {
    # 2026 visa in Kazakhstan: arrival 20 000 (R26 626) + IIN 20 000 (R26 641) + fingerprinting free
    # + visa 730 000 and 30 MCI 129 750 (R26 130); the extension prints no fee.
    (2026, "employment/inside/other/no", "employment-visa/visa-inside"): (899_750, 899_750, True),
    # TRP: arrival 20 000 + IIN 20 000 + fingerprinting free + 240 000 employee / 200 000 expert (R26 274-275)
    (2026, "employment/inside/cis/no", "temporary-residence-permit/employment"): (240_000, 280_000, True),
    # business immigrant from abroad: invitation 40 000 + 0.5 MCI 2 162.5 (R26 389) + arrival 20 000 + IIN
    # 20 000 + fingerprinting 20 000 (a business visa is not in R26 720) + extension 40 000 + 129 750 (R26 525)
    (2026, "business-immigration/outside", "short-term-business-visa/invitation-outside"): (271_912.5, 271_912.5, False),
    # 2025 TRP: "residence permits" (E25 703) include the TEMPORARY RESIDENCE PERMIT: arrival 20 000
    # + IIN 20 000 + fingerprinting free + 210 000 employee (E25 263; the expert's fee is not printed)
    (2025, "employment/inside/cis/no", "temporary-residence-permit/employment"): (250_000, 250_000, True),
    # 2025 PRP: whether "residence permits" cover the PRP the print does not settle (E25 320 calls it
    # a step before "a residence permit"): arrival 20 000 + IIN 20 000 + fingerprinting 20 000 (E25 701)
    # + 480 000 and 4 MCI 15 728 (E25 339)
    (2025, "permanent-residence", "permanent-residence-permit/permit"): (555_728, 555_728, False),
}


@pytest.mark.parametrize("year,slug,service", sorted(JOURNEY_TOTALS))
def test_journeys_end_with_our_sum_and_fingerprinting_is_free_where_printed(library, year, slug, service):
    from generator.site.guide_view import GuideView
    view = GuideView(library.editions[year])
    assert view.tree is not None
    leaf = next(leaf for leaf in view.tree.leaves() if leaf.slug == slug)
    j = next(j for j in leaf.outcome.journeys if j.service.full_id == service)
    cost = view.journey_cost(j)
    standard = next(t for t in cost.totals if t.way == "standard")
    low, high, free = JOURNEY_TOTALS[(year, slug, service)]
    assert (standard.low, standard.high) == (low, high)
    assert ("other-services/fingerprinting" in {s.full_id for s, _ in cost.free}) == free


@pytest.mark.parametrize("year", YEARS)
def test_no_journey_rests_on_the_iin_an_eds_application_asks_for(library, year):
    """"For an individual — the IIN" (E25 656, R26 672) says what the EDS asks for, not that a visa
    or permit needs an EDS: no journey has the EDS as a step."""
    check_no_eds_journey(library.editions[year])


@pytest.mark.parametrize("year", YEARS)
def test_every_misprint_is_shown_as_printed_with_its_reading(rendered, library, year):
    """Wherever a misprinted text is shown, the page shows what is printed and the reading beside
    it: the official-language page the print itself and the reading; the other language (our
    translation) the misprinted words of the print and their reading."""
    edition = library.editions[year]
    assert len(list(sic_texts(edition))) >= 5
    assert misprints_not_shown(edition, lambda lang, page: rendered[f"{lang}/{page}"]) == []
