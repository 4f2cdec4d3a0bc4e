"""The guide's question tree from the real editions' eligibility facts: completeness against the
hand-written path table, which questions are skipped, and what the answer pages rest on."""
from __future__ import annotations

import pytest

from conftest import ROOT
from generator.edition.guide import QUESTIONS, build_tree, fits
from generator.edition.validate import load_library
from guide_paths import GUIDE_YEAR, PATHS_2026


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT)


def leaves(edition):
    return {leaf.slug: leaf.outcome for leaf in build_tree(edition).leaves()}


def test_the_path_table_covers_every_path_and_every_outcome(library):
    found = leaves(library.editions[GUIDE_YEAR])
    assert sorted(found) == sorted(slug for slug, _ in PATHS_2026)
    for slug, service in PATHS_2026:
        got = [j.service.full_id for j in found[slug].journeys]
        assert got == ([service] if service else []), slug


def test_questions_come_in_order_and_only_where_they_change_the_answer(library):
    tree = build_tree(library.editions[GUIDE_YEAR])
    assert tree.question == "purpose"
    for node in tree.nodes():
        asked = [q for q, _ in node.answers]
        assert asked == sorted(asked, key=QUESTIONS.index)
    # a permanent residence permit is for any citizenship: citizenship is not asked
    assert "permanent-residence/inside" in {leaf.slug for leaf in tree.leaves()}
    # family members change nothing for a business trip: not asked
    assert not any(leaf.slug.startswith("business-trip") and leaf.slug.endswith(("/yes", "/no"))
                   for leaf in tree.leaves())


def test_every_answer_fits_its_answers_and_cites_a_printed_line(library):
    for edition in library.editions.values():
        for leaf in build_tree(edition).leaves():
            answers = dict(leaf.answers)
            for journey in leaf.outcome.journeys:
                service = journey.service
                assert fits(service, answers["purpose"], answers.get("where", service.eligibility.where[0]),
                            answers.get("citizenship", service.eligibility.citizenship[0]))
                assert service.eligibility.basis
                for link, other in journey.before + journey.after:
                    assert other is not None and (link.basis or link.reading)
            if not leaf.outcome.journeys:
                assert leaf.outcome.others, leaf.slug  # a no-match page says which services exist and why not


def test_eaeu_members_are_named_in_both_editions(library):
    for edition in library.editions.values():
        eaeu = edition.groups()["eaeu"]
        assert {m.en for m in eaeu.members} == {"Russia", "Armenia", "Belarus", "Kyrgyz Republic"}
    # 2026 does not print them: the list is labelled as our reading
    assert library.editions[2026].groups()["eaeu"].reading is not None


def test_family_question_changes_the_document_count(library):
    from generator.site.guide_view import GuideView
    edition = library.editions[GUIDE_YEAR]
    service = edition.service("employment-visa/invitation-outside")
    view = GuideView(edition)
    with_family, without = view.documents(service, True), view.documents(service, False)
    assert with_family["total"] - without["total"] == with_family["family"] > 0


def test_for_employee_and_for_expert_are_explained_from_the_print(library):
    from generator.site.guide_view import GuideView
    for year in (2025, 2026):
        edition = library.editions[year]
        service = edition.service("temporary-residence-permit/employment")
        view = GuideView(edition)
        options = [o for step in service.steps if step.fees for o in step.fees.options]
        explained = [view.explanation(service, o) for o in options]
        assert len(explained) == 2 and all(e is not None and e.basis and e.reading for e in explained), year
