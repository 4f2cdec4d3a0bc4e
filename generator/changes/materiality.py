"""A change's facts → is it material, and what a requirement change does to an applicant.

Material means it changes what an applicant pays, brings or does, or when:
  - every change of an amount the applicant pays (a service, personal-manager, walk-in /
    priority or state fee; a fee that appears or disappears), the MCI value and the indexation
    of state fees that follows it (same MCI multiple) included: an applicant pays more;
  - every requirement added, removed, tightened or relaxed (a document added or removed, a
    document's qualifiers changed: forms, copies, if applicable, dated…);
  - every option added or removed (a section, a service, a step, a fee option), whatever it
    holds (a service without steps too);
  - every deadline change (a fee option's timeframe, a delay note's extension days);
  - every condition fact that changed (who a service covers, its trigger, place, deadline,
    free-of-charge condition, scope of verification: edition/conditions.py).
Wording (texts, a document's printed wording alone), misprint corrections (`misprint`), contacts and
the edition's metadata are not.

`MaterialityRule` makes each part configurable: money thresholds (`pct` of the smaller
amount, `kzt`; both 0 by default: any change), whether indexation counts (by default it does), and which
non-money kinds count (`kinds`).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

INDEXATION_KINDS = frozenset({"mci", "indexation"})
FEE_MONEY_KINDS = frozenset({"fee", "personal-manager-fee", "priority-fee", "state-fee"})


@dataclass(frozen=True)
class MaterialityRule:
    """When a change is material (see the module docstring). Money: |Δ| ≥ `kzt` or |Δ| ≥ `pct` %
    of the smaller amount, and never when nothing moved; `indexation`: the MCI and indexation
    changes count too (default; False leaves them out); `kinds`: the non-money kinds whose changes count (a document only when
    a requirement changed, not its wording)."""

    pct: Decimal = Decimal(0)
    kzt: Decimal = Decimal(0)
    indexation: bool = True
    kinds: frozenset[str] = frozenset({"section", "service", "step", "option", "document", "timeframe", "note",
                                       "condition"})

    def money(self, old: Decimal | None, new: Decimal | None) -> bool:
        if old == new:
            return False
        if old is None or new is None:
            return True
        delta = abs(new - old)
        smaller = min(abs(old), abs(new))
        return delta >= self.kzt or smaller == 0 or delta * 100 >= self.pct * smaller

    def material(self, kind: str, action: str, old, new, facts: tuple = ()) -> bool:
        if kind in INDEXATION_KINDS:
            return self.indexation and self.money(old, new)
        if kind in FEE_MONEY_KINDS:
            return self.money(old, new)
        if kind not in self.kinds:
            return False
        if kind == "document":
            return action != "changed" or bool(facts)
        return True
