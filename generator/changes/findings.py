"""Two editions, their diff and its register → the findings a report leads with, and what did not
change (pure; the changes page and the exports say them in words).

`findings(old, new, changes, explanation)`:
  - fees: the service, personal-manager and fast-option fees raised / lowered (count, smallest and
    largest Δ %), added (a fee now printed), removed (a dash or no longer printed), paid another
    way for the same total; the MCI and the state fees that follow it (count, Δ % when all move
    alike);
  - requirements and conditions: register entries by effect (stricter, looser, changed both ways
    or not settled by the print, documents replaced, requirements now stated, removed);
  - the rest: options added / removed, deadlines, rules stated more plainly, contacts, wording;
  - what did not change: services kept / added / removed, timeframes changed, and every fee amount
    printed alike in both editions (`Kept`), by service and fee row.
Counts of fees are the diff's changes (a change repeated in several services counts once, as
everywhere); counts of requirements are register entries. Nothing here reads prose.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..edition.models import Edition, FeeOption, Text
from .group import group
from .register import Explanation

SERVICE_FEE_KINDS = ("fee", "personal-manager-fee", "priority-fee")
STRICTER = ("requirement-tightened",)
LOOSER = ("requirement-relaxed",)


@dataclass(frozen=True)
class Kept:
    """A fee printed alike in both editions: where, which fee, the amount (KZT)."""

    service: str  # full id
    step: str
    label: Text | None
    fee: str  # service | personal_manager | walk_in | priority
    kzt: Decimal


@dataclass(frozen=True)
class Findings:
    raised: int = 0
    raised_pct: tuple[Decimal, Decimal] | None = None  # smallest, largest Δ %
    lowered: int = 0
    lowered_pct: tuple[Decimal, Decimal] | None = None
    added: int = 0
    removed: int = 0
    restructured: int = 0
    mci: tuple[int, int, Decimal] | None = None  # old, new, Δ %
    state_fees: int = 0  # state fees that follow the MCI (same multiple)
    state_pct: Decimal | None = None  # their Δ % when all move alike
    effects: dict[str, int] = field(default_factory=dict)  # register entries by effect
    services_kept: int = 0
    services_added: int = 0
    services_removed: int = 0
    timeframes_changed: int = 0
    kept: tuple[Kept, ...] = ()

    @property
    def stricter(self) -> int:
        return sum(self.effects.get(e, 0) for e in STRICTER)

    @property
    def looser(self) -> int:
        return sum(self.effects.get(e, 0) for e in LOOSER)


def _span(values: list[Decimal]) -> tuple[Decimal, Decimal] | None:
    return (min(values), max(values)) if values else None


def findings(old: Edition, new: Edition, changes, explanation: Explanation | None) -> Findings:
    groups = group(changes)
    fees = [g.change for g in groups if g.change.kind in SERVICE_FEE_KINDS + ("state-fee",)]
    raised = [c for c in fees if c.action == "changed" and c.delta_kzt is not None and c.delta_kzt > 0]
    lowered = [c for c in fees if c.action == "changed" and c.delta_kzt is not None and c.delta_kzt < 0]
    indexed = [g.change for g in groups if g.change.kind == "indexation"]
    pcts = {c.delta_pct.quantize(Decimal("0.01")) for c in indexed if c.delta_pct is not None}
    mci = next((c for c in changes if c.kind == "mci"), None)
    effects: dict[str, int] = {}
    if explanation is not None:
        for effect, done in explanation.by_effect():
            effects[effect] = len(done)
    olds, news = {s.full_id for s in old.services()}, {s.full_id for s in new.services()}
    return Findings(
        raised=len(raised), raised_pct=_span([c.delta_pct for c in raised if c.delta_pct is not None]),
        lowered=len(lowered), lowered_pct=_span([c.delta_pct for c in lowered if c.delta_pct is not None]),
        added=sum(c.action == "added" for c in fees), removed=sum(c.action == "removed" for c in fees),
        restructured=sum(c.action == "changed" and c.delta_kzt == 0 for c in fees),
        mci=None if mci is None else (mci.old, mci.new, mci.delta_pct),
        state_fees=sum(len(g.members) for g in groups if g.change.kind == "indexation"),
        state_pct=pcts.pop() if len(pcts) == 1 else None,
        effects=effects,
        services_kept=len(olds & news), services_added=len(news - olds), services_removed=len(olds - news),
        timeframes_changed=sum(1 for g in groups if g.change.kind == "timeframe"),
        kept=tuple(kept_fees(old, new)),
    )


_FEES = ("service", "personal_manager", "walk_in", "priority")


def kept_fees(old: Edition, new: Edition):
    """Every fee amount (service, personal manager, walk-in, priority) printed alike in both
    editions, in the later edition's order; state fees are never here (they follow the MCI)."""
    before = {(s.full_id, st.id): st for s in old.services() for st in s.steps}
    for service in new.services():
        for step in service.steps:
            was = before.get((service.full_id, step.id))
            if was is None or step.fees is None or was.fees is None:
                continue
            for i, option in enumerate(step.fees.options):
                if i >= len(was.fees.options):
                    continue
                prior: FeeOption = was.fees.options[i]
                for fee in _FEES:
                    value, then = getattr(option, fee), getattr(prior, fee)
                    if value is not None and then is not None and Decimal(value) == Decimal(then):
                        yield Kept(service.full_id, step.id, option.label or prior.label, fee, Decimal(value))

