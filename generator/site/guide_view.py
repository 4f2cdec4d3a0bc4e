"""Validated edition → what the guide pages, the step-by-step boxes and the cost summaries show (pure).

`GuideView(edition)` gives the question tree (from `edition.guide`), the page path of every
node, the journeys a service belongs to, the document count of a service (with or without
family members' documents) and its cost lines: one line per way of getting the service, each a
total with the state fee built by `edition.payable`, the parts it adds up, and the reading it
depends on when the print does not say how two fees combine.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..edition.conditions import widened
from ..edition.guide import Journey, Node, build_tree, facts, guided_services, journey
from ..edition.models import Condition, Edition, FeeOption, Interpretation, Money, Service, Step
from ..edition.payable import payable_ways

# What each section's services are, in the words of the print's free-of-charge conditions
# ("fingerprinting for work visas, investor visas, or temporary residence permits…").
KIND_OF_SECTION = {"employment-visa": "work-visa", "investor-visa": "investor-visa",
                   "short-term-business-visa": "business-visa", "long-term-business-visa": "business-visa",
                   "temporary-residence-permit": "temporary-residence-permit",
                   "permanent-residence-permit": "permanent-residence-permit"}
# A wider word of a free-of-charge condition that names a service by the print's own name for it:
# the guidebook's "residence permits" include its TEMPORARY RESIDENCE PERMIT (E25 224). Whether they
# also mean the permanent residence permit the print does not settle (E25 320 calls the PRP a step
# before "a residence permit"), so a PRP path is told to ask (`free_unsettled`), not priced as free.
NAMED_BY = {"residence-permit": ("temporary-residence-permit",)}
JOURNEY_WAYS = ("standard", "personal_manager")

@dataclass(frozen=True)
class CostLine:
    way: str
    total: Money | None  # None: it depends on a reading nobody recorded
    parts: tuple[tuple[str, Money], ...]  # (fee kind, amount) without the state fee
    state: Money | None
    reading: Interpretation | None  # the recorded reading the total rests on, or None


@dataclass(frozen=True)
class OptionCost:
    step: Step
    option: FeeOption
    lines: tuple[CostLine, ...]
    blank: tuple[str, ...] = ()  # fees of this row the print leaves blank


@dataclass(frozen=True)
class JourneyTotal:
    """Our sum of the printed fees of a journey's steps for one way of getting them."""

    way: str  # standard | personal_manager (the way of the steps that offer it; the others standard)
    low: Money | None  # None: a step's total rests on a reading nobody recorded
    high: Money | None  # differs from low where a step prints several fee rows (e.g. employee / expert)
    readings: tuple[Interpretation, ...]  # recorded readings the sum rests on


@dataclass(frozen=True)
class JourneyCost:
    totals: tuple[JourneyTotal, ...]
    free: tuple[tuple[Service, Condition], ...]  # steps the print makes free with the main service
    unpriced: tuple[Service, ...]  # steps whose fee the guidebook does not print


def node_path(year: int, node: Node) -> str:
    return f"{year}/guide/{node.slug}/index.md" if node.slug else f"{year}/guide/index.md"


class GuideView:
    def __init__(self, edition: Edition):
        self.edition = edition
        # id(service) → (the service, its cost lines): worked out once per render, though every
        # guide page and journey asks again; the service is held, so its id stays its own.
        self._costs: dict[int, tuple[Service, tuple[OptionCost, ...]]] = {}
        self.tree = build_tree(edition) if guided_services(edition) else None
        self.part_of: dict[str, list[tuple[Service, str]]] = {}
        for service in guided_services(edition):
            for purpose in facts(service).purposes:
                j = journey(edition, service, purpose)
                for _, other in j.before + j.after:
                    entry = (service, purpose)
                    if entry not in self.part_of.setdefault(other.full_id, []):
                        self.part_of[other.full_id].append(entry)

    def guided(self) -> tuple[Service, ...]:
        return guided_services(self.edition)

    def nodes(self) -> list[Node]:
        return list(self.tree.nodes()) if self.tree else []

    def ancestor(self, node: Node, depth: int) -> Node:
        """The page that asked the question answered at position `depth` of `node`'s answers."""
        for candidate in self.nodes():
            if candidate.answers == node.answers[:depth]:
                return candidate
        raise KeyError(node.answers[:depth])

    def journeys(self, service: Service) -> list[tuple[str, Journey]]:
        """(purpose, journey) of a guided service, one per purpose whose journey differs."""
        if service.eligibility is None:
            return []
        seen, out = set(), []
        for purpose in service.eligibility.purposes:
            j = journey(self.edition, service, purpose)
            key = tuple(s.full_id for _, s in j.before + j.after)
            if key not in seen:
                seen.add(key)
                out.append((purpose, j))
        return out

    @staticmethod
    def documents(service: Service, family: bool | None = None) -> dict[str, int]:
        """Counts: all documents, those only if applicable, those for family members."""
        docs = [d for step in service.steps for d in step.documents
                if family is not False or "dependants" not in d.for_whom]
        return {"total": len(docs), "if_applicable": sum(d.if_applicable for d in docs),
                "family": sum("dependants" in d.for_whom for d in docs)}

    def costs(self, service: Service) -> list[OptionCost]:
        if id(service) not in self._costs:
            self._costs[id(service)] = (service, tuple(self._cost_lines(service)))
        return list(self._costs[id(service)][1])

    def _cost_lines(self, service: Service) -> list[OptionCost]:
        out = []
        for step in service.steps:
            if step.fees is None:
                continue
            for option in step.fees.options:
                lines = []
                for way in payable_ways(option, self.edition.mci_kzt, self.edition.interpretations):
                    parts = tuple((k, v) for k, v in way.lines if k != "state")
                    state = next((v for k, v in way.lines if k == "state"), None)
                    reading = next((i for i in self.edition.interpretations if i.id == way.assumes), None)
                    lines.append(CostLine(way=way.way, total=way.total, parts=parts, state=state, reading=reading))
                out.append(OptionCost(step=step, option=option, lines=tuple(lines), blank=option.blank))
        return out

    def explanation(self, service: Service, option: FeeOption):
        """Our explanation of a printed fee-row label ("For Expert"), if the YAML gives one."""
        if option.label is None:
            return None
        printed = option.label.get(self.edition.source_language)
        return next((e for e in service.explains if e.label == printed), None)

    @staticmethod
    def summed(options: list[OptionCost]) -> bool:
        """Whether any total adds up two or more printed fees (so the total is ours, not printed)."""
        return any(len(line.parts) + (line.state is not None) > 1 for o in options for line in o.lines)

    @staticmethod
    def places(service: Service) -> list[str]:
        return list(dict.fromkeys(step.place for step in service.steps))

    @staticmethod
    def timeframes(service: Service):
        return [o.timeframe for step in service.steps if step.fees for o in step.fees.options if o.timeframe]

    def free_with(self, step: Service, main: Service) -> Condition | None:
        """The printed condition that makes `step` free of charge with `main` (fingerprinting with a
        work visa whose service fee is paid in advance), where the print names `main`'s kind."""
        kind = KIND_OF_SECTION.get(main.section)
        return next((c for c in step.conditions if c.kind == "free-of-charge"
                     and any(kind == v or kind in NAMED_BY.get(v, ()) for v in c.values)), None)

    def free_unsettled(self, step: Service, main: Service) -> Condition | None:
        """A free-of-charge condition whose wider word might cover `main` but the print does not
        settle it (the 2025 "residence permits" and the PRP): the page says so; the fee counts."""
        kind = KIND_OF_SECTION.get(main.section)
        if self.free_with(step, main) is not None:
            return None
        return next((c for c in step.conditions if c.kind == "free-of-charge" and kind in widened(c.values)), None)

    def journey_cost(self, j: Journey) -> JourneyCost:
        steps = [s for _, s in j.before] + [j.service] + [s for _, s in j.after]
        free = tuple((s, c) for s in steps if (c := self.free_with(s, j.service)) is not None)
        freed = {s.full_id for s, _ in free}
        priced = [s for s in steps if s.full_id not in freed and self.costs(s)]
        unpriced = tuple(s for s in steps if s.full_id not in freed and not self.costs(s))
        totals = []
        for way in JOURNEY_WAYS:
            if way != "standard" and not any(line.way == way for s in priced for o in self.costs(s) for line in o.lines):
                continue
            low: Money | None = 0
            high: Money | None = 0
            readings: list[Interpretation] = []
            for service in priced:
                amounts = []
                for option in self.costs(service):
                    line = next((x for x in option.lines if x.way == way), None) or next(
                        (x for x in option.lines if x.way == "standard"), None)
                    if line is None:
                        continue
                    amounts.append(line.total)
                    if line.reading is not None and line.reading not in readings:
                        readings.append(line.reading)
                if any(a is None for a in amounts) or low is None or high is None:
                    low = high = None
                elif amounts:
                    low, high = low + min(a for a in amounts if a is not None), high + max(a for a in amounts if a is not None)
            totals.append(JourneyTotal(way=way, low=low, high=high, readings=tuple(readings)))
        return JourneyCost(totals=tuple(totals), free=free, unpriced=unpriced)

