"""Validated edition → what the guide pages, the step-by-step boxes and the cost summaries show (pure).

`GuideView(edition)` gives the question tree (from `edition.guide`), the page path of every
node, the journeys a service belongs to, the document count of a service (with or without
family members' documents) and its cost lines: one line per way of getting the service, each a
total with the state fee built by `edition.payable`, the parts it adds up, and the reading it
depends on when the print does not say how two fees combine.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..edition.guide import Journey, Node, build_tree, facts, guided_services, journey
from ..edition.models import Edition, FeeOption, Interpretation, Money, Service, Step
from ..edition.payable import payable_ways

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


def node_path(year: int, node: Node) -> str:
    return f"{year}/guide/{node.slug}/index.md" if node.slug else f"{year}/guide/index.md"


class GuideView:
    def __init__(self, edition: Edition):
        self.edition = edition
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

