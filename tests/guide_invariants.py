"""What the guide of any edition must hold, whatever its print says: the checks of test_guide.py
that need no table written from a particular print, so an edition no table knows yet (a 2027
made in a copy, tests/test_edition_2027.py) is held to them too.

- only a printed limit leaves a service out of an answer page;
- questions come in their order, and the family question only where a printed document of the
  purpose's services is for family members only;
- every answer fits its answers and rests on a printed line; a page with no service says which
  services exist and the printed limits that leave them out;
- no journey rests on the IIN an EDS application asks for (a document the EDS asks for is not a
  dependency of a visa);
- every misprint (`sic`) is shown as printed with its reading, on both languages' pages.
"""
from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable

from generator.edition.guide import QUESTIONS, build_tree, family_matters, fits
from generator.edition.models import Edition, Text


def check_limits(edition: Edition) -> None:
    """A service leaves the answer page only through a printed limit: for every leaf, each service
    of the purpose either fits or names the printed limit its answers fall outside."""
    for leaf in build_tree(edition).leaves():
        answers = dict(leaf.answers)
        for excluded in leaf.outcome.others:
            assert excluded.limits, (leaf.slug, excluded.service.full_id)
            for question, limit in excluded.limits:
                assert answers.get(question) not in limit.only and limit.basis
        shown = {j.service.full_id for j in leaf.outcome.journeys}
        for service in edition.services():
            e = service.eligibility
            if e is None or answers["purpose"] not in e.purposes or service.full_id in shown:
                continue
            # left out: only where an asked answer falls outside a printed limit
            assert any(question in answers and answers[question] not in limit.only
                       for question, limit in e.limits()), (leaf.slug, service.full_id)


def check_questions(edition: Edition) -> None:
    """Questions in their order; the family question only where a printed document of one of the
    purpose's services is for family members only."""
    tree = build_tree(edition)
    assert tree.question == "purpose"
    for node in tree.nodes():
        asked = [q for q, _ in node.answers]
        assert asked == sorted(asked, key=QUESTIONS.index)
        if "family" in asked:
            purpose = dict(node.answers)["purpose"]
            assert any(family_matters(s) for s in edition.services()
                       if s.eligibility is not None and purpose in s.eligibility.purposes), node.answers


def check_answers(edition: Edition) -> None:
    """Every journey fits its answers and cites a printed line (links: a line or our reading); a
    page without a journey lists the services that exist and why not."""
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
            assert leaf.outcome.others, leaf.slug


def check_no_eds_journey(edition: Edition) -> None:
    """"For an individual — the IIN" says what the EDS asks for, not that a visa or permit needs an
    EDS: no journey has the EDS as a step."""
    for service in edition.services():
        e = service.eligibility
        if e is not None:
            assert all(link.service != "other-services/digital-signature" for link in e.before + e.after)


def check_tree(edition: Edition) -> None:
    """Every invariant of the question tree above, for one edition."""
    check_limits(edition)
    check_questions(edition)
    check_answers(edition)
    check_no_eds_journey(edition)


def sic_texts(obj, path=()):
    """(field path, text) of every text with a corrected reading (`sic`) in an edition."""
    if isinstance(obj, Text):
        if obj.sic:
            yield path, obj
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from sic_texts(getattr(obj, f.name), path + (f.name,))
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from sic_texts(item, path + (i,))


def page_of(edition: Edition, path) -> str:
    """The page (as `YEAR/…/index.md`) that shows the text at this field path."""
    if path[:1] != ("sections",):
        return f"{edition.year}/contacts/index.md"
    section = edition.sections[path[1]]
    if path[2:3] != ("services",):
        return f"{edition.year}/{section.id}/index.md"
    return f"{edition.year}/{section.id}/{section.services[path[3]].id}/index.md"


def misprints_not_shown(edition: Edition, page: Callable[[str, str], str]) -> list:
    """The misprinted texts a page does not show as printed with the reading beside it: the
    official-language page the print itself and the reading; the other language (our translation)
    the misprinted words of the print and their reading. `page(lang, "YEAR/…/index.md")` is the
    page's text (Markdown or HTML)."""
    from generator.site.render import misprint_span
    official = edition.source_language
    other = "ru" if official == "en" else "en"
    missing = []
    for path, text in sic_texts(edition):
        printed, corrected = text.get(official), text.corrected(official)
        shown = html.unescape(page(official, page_of(edition, path)))
        if printed not in shown or corrected not in shown:
            missing.append((official, path, printed))
        was, read = misprint_span(printed, corrected)
        shown = html.unescape(page(other, page_of(edition, path)))
        if was not in shown or read not in shown:
            missing.append((other, path, was))
    return missing
