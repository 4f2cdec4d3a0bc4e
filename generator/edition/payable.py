"""A fee option + the edition's MCI → what an applicant pays for each way of getting the service.

Standard: the service fee. Personal manager and walk-in (2025): a price paid instead of the
service fee. Priority service (2026): a surcharge paid on top of the service fee. The state fee
is added to every way. Shared by the site (fee tables) and the diff (totals).
"""
from __future__ import annotations

from dataclasses import dataclass

from .models import FeeOption, Money

WAYS = ("standard", "personal_manager", "walk_in", "priority")


@dataclass(frozen=True)
class Payable:
    way: str  # one of WAYS
    lines: tuple[tuple[str, Money], ...]  # (fee kind, amount): service, personal_manager, walk_in, priority, state
    total: Money


def payable_ways(option: FeeOption, mci_kzt: int) -> tuple[Payable, ...]:
    state = () if option.state is None else (("state", option.state.kzt(mci_kzt)),)
    ways = []
    if option.service is not None:
        ways.append(("standard", (("service", option.service),)))
    if option.personal_manager is not None:
        ways.append(("personal_manager", (("personal_manager", option.personal_manager),)))
    if option.walk_in is not None:
        ways.append(("walk_in", (("walk_in", option.walk_in),)))
    if option.priority is not None:
        base = (("service", option.service),) if option.service is not None else ()
        ways.append(("priority", base + (("priority", option.priority),)))
    if not ways and state:
        ways.append(("standard", ()))
    return tuple(Payable(way, lines + state, sum((amount for _, amount in lines + state), 0))
                 for way, lines in ways)
