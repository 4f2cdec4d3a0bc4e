"""An edition's eligibility facts → the "Which service do I need?" question tree (pure).

Questions are asked in the order of `QUESTIONS`; a question is asked only where a printed
condition depends on its answer: where the person is and citizenship only where a service's
printed limit (`where`, `citizenship`) tells the answers apart, family members only where a
printed document is for family members. Only a printed limit excludes: a service whose print
sets no limit fits every answer. Every leaf lists the services that fit, each with the services
printed before and after it (its journey), or — when none fits — the services for that purpose
and the printed limits that leave each out. Nothing here knows a rule of its own: the facts are
the `eligibility` of each service in the YAML.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from .eligibility import CITIZENSHIP, PURPOSES, WHERE
from .models import Edition, Eligibility, JourneyLink, Limit, Service

QUESTIONS = ("purpose", "where", "citizenship", "family")
FAMILY_JOINING = "family-joining"
FAMILY = ("no", "yes")
ANSWERS = {"purpose": PURPOSES, "where": WHERE, "citizenship": CITIZENSHIP, "family": FAMILY}


@dataclass(frozen=True)
class Journey:
    """A service that fits, with the services done before and after it (for this purpose). A
    later step's own printed prerequisites come just before it (the business-immigrant visa
    extension's fingerprinting certificate), named in `needed_for` by the step that needs them."""

    service: Service
    before: tuple[tuple[JourneyLink, Service], ...]
    after: tuple[tuple[JourneyLink, Service], ...]
    needed_for: tuple[tuple[str, Service], ...] = ()  # (full id of a step, the later step needing it)

    def needs(self, step: Service) -> Service | None:
        return next((later for full_id, later in self.needed_for if full_id == step.full_id), None)


@dataclass(frozen=True)
class Excluded:
    """A service for the purpose that these answers leave out, and the printed limits that do it."""

    service: Service
    limits: tuple[tuple[str, Limit], ...]  # (question, limit) the answers fall outside


@dataclass(frozen=True)
class Outcome:
    journeys: tuple[Journey, ...]
    family: bool | None  # None: family members change nothing here
    others: tuple[Excluded, ...]  # when nothing fits: the services for this purpose, and why not
    # … and the later steps of those services' journeys the print sets no limit for (the
    # extension of a visa already held), with the printed line that links them
    also: tuple[tuple[JourneyLink, Service], ...] = ()


@dataclass(frozen=True)
class Node:
    answers: tuple[tuple[str, str], ...]  # (question, answer) asked so far, in order
    question: str | None  # the question asked on this page; None on an answer page
    children: tuple[tuple[str, Node], ...] = ()
    outcome: Outcome | None = None

    @property
    def slug(self) -> str:
        return "/".join(answer for _, answer in self.answers)

    def leaves(self):
        if self.outcome is not None:
            yield self
        for _, child in self.children:
            yield from child.leaves()

    def nodes(self):
        yield self
        for _, child in self.children:
            yield from child.nodes()


def guided_services(edition: Edition) -> tuple[Service, ...]:
    return tuple(s for s in edition.services() if s.eligibility is not None)


def facts(service: Service) -> Eligibility:
    """The eligibility facts of a guided service (one that has them)."""
    if service.eligibility is None:
        raise ValueError(f"{service.full_id} has no eligibility facts")
    return service.eligibility


def family_matters(service: Service) -> bool:
    """A printed document of the service is for family members only (so the answer changes the list)."""
    return any("dependants" in d.for_whom for step in service.steps for d in step.documents)


def fits(service: Service, purpose: str, where: str, citizenship: str) -> bool:
    e = facts(service)
    return purpose in e.purposes and where in e.where and citizenship in e.citizenship


def journey(edition: Edition, service: Service, purpose: str) -> Journey:
    def links(items) -> tuple[tuple[JourneyLink, Service], ...]:
        found = ((link, edition.service(link.service)) for link in items if not link.purposes or purpose in link.purposes)
        return tuple((link, other) for link, other in found if other is not None)  # validate checked every link
    e = facts(service)
    before = links(e.before)
    after: list[tuple[JourneyLink, Service]] = []
    needed_for: list[tuple[str, Service]] = []
    seen = {service.full_id} | {other.full_id for _, other in before}
    for link, later in links(e.after):
        if later.eligibility is not None:
            for own, step in links(later.eligibility.before):
                if step.full_id not in seen:
                    after.append((own, step))
                    needed_for.append((step.full_id, later))
                    seen.add(step.full_id)
        after.append((link, later))
        seen.add(later.full_id)
    return Journey(service=service, before=before, after=tuple(after), needed_for=tuple(needed_for))


def outcome(edition: Edition, answers: dict[str, str]) -> Outcome:
    purpose = answers["purpose"]
    guided = guided_services(edition)
    matched = tuple(s for s in guided if fits(s, purpose, answers["where"], answers["citizenship"]))
    # family members joining: the answer is the purpose itself, so their documents always count
    joining = purpose == FAMILY_JOINING
    family = (joining or answers["family"] == "yes") if any(family_matters(s) for s in matched) else None
    answered = {"where": answers["where"], "citizenship": answers["citizenship"]}
    others = () if matched else tuple(
        Excluded(s, tuple((q, lim) for q, lim in facts(s).limits() if answered[q] not in lim.only))
        for s in guided if purpose in facts(s).purposes)
    also: dict[str, tuple[JourneyLink, Service]] = {}
    for excluded in others:
        for link, later in journey(edition, excluded.service, purpose).after:
            open_to = later.eligibility is None or all(answered[q] in lim.only for q, lim in later.eligibility.limits())
            if open_to and later.full_id not in also:
                also[later.full_id] = (link, later)
    return Outcome(journeys=tuple(journey(edition, s, purpose) for s in matched), family=family, others=others,
                   also=tuple(also.values()))


def _key(result: Outcome):
    return (tuple(j.service.full_id for j in result.journeys), result.family,
            tuple((x.service.full_id, tuple(q for q, _ in x.limits)) for x in result.others),
            tuple(s.full_id for _, s in result.also))


def build_tree(edition: Edition) -> Node:
    """The question tree of an edition; its leaves are every path through the guide. Only the
    purposes some service of the edition serves are offered."""
    cache: dict[tuple, Outcome] = {}
    served = {p for s in guided_services(edition) for p in facts(s).purposes}
    answers_to = dict(ANSWERS, purpose=tuple(p for p in PURPOSES if p in served))

    def result(answers: dict[str, str]) -> Outcome:
        key = tuple(answers[q] for q in QUESTIONS)
        if key not in cache:
            cache[key] = outcome(edition, answers)
        return cache[key]

    def matters(question: str, fixed: dict[str, str], rest: tuple[str, ...]) -> bool:
        for completion in product(*(answers_to[q] for q in rest)):
            base = dict(fixed, **dict(zip(rest, completion, strict=True)))
            keys = {_key(result(dict(base, **{question: a}))) for a in answers_to[question]}
            if len(keys) > 1:
                return True
        return False

    def node(answers: tuple[tuple[str, str], ...], fixed: dict[str, str], remaining: tuple[str, ...]) -> Node:
        for i, question in enumerate(remaining):
            rest = remaining[i + 1:]
            if question == "purpose" or matters(question, fixed, rest):
                children = tuple((a, node(answers + ((question, a),), dict(fixed, **{question: a}), rest))
                                 for a in answers_to[question])
                return Node(answers=answers, question=question, children=children)
            fixed = dict(fixed, **{question: answers_to[question][0]})  # any answer: it changes nothing
        return Node(answers=answers, question=None, outcome=result(fixed))

    return node((), {}, QUESTIONS)
