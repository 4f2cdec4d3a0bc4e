"""A fee option + the edition's MCI and readings → what an applicant pays for each way of getting
the service.

Standard: the service fee. Priority service (2026): a surcharge paid on top of the service fee,
as the 2026 guidebook prints. Personal manager and walk-in (2025): the guidebooks do not say
whether that price replaces the service fee or is paid on top of it, so the total follows the
edition's recorded `Interpretation` for that fee and names it (`assumes`); with no recorded
reading the total is not computed (None), never guessed. The state fee is added to every way.
Shared by the site (fee tables), the export and the diff (totals).
"""
from __future__ import annotations

from dataclasses import dataclass

from .models import FeeOption, Interpretation, Money

WAYS = ("standard", "personal_manager", "walk_in", "priority")
INSTEAD, ON_TOP = "instead-of-service", "on-top-of-service"
READINGS = (INSTEAD, ON_TOP)
# Fee columns whose relation to the service fee the print leaves open (an interpretation decides).
READ_FEES = ("personal_manager", "walk_in")


@dataclass(frozen=True)
class Payable:
    way: str  # one of WAYS
    lines: tuple[tuple[str, Money], ...]  # (fee kind, amount): service, personal_manager, walk_in, priority, state
    total: Money | None  # None: depends on a reading nobody recorded
    assumes: str | None = None  # id of the interpretation the total rests on


def payable_ways(option: FeeOption, mci_kzt: int,
                 readings: tuple[Interpretation, ...] = ()) -> tuple[Payable, ...]:
    by_fee = {r.fee: r for r in readings}
    state = () if option.state is None else (("state", option.state.kzt(mci_kzt)),)
    base = (("service", option.service),) if option.service is not None else ()
    ways: list[tuple[str, tuple, Interpretation | None, bool]] = []
    if option.service is not None:
        ways.append(("standard", base, None, True))
    for fee in READ_FEES:
        amount = getattr(option, fee)
        if amount is None:
            continue
        reading = by_fee.get(fee)
        lines = (base if reading is not None and reading.paid == ON_TOP else ()) + ((fee, amount),)
        ways.append((fee, lines, reading, reading is not None))
    if option.priority is not None:
        ways.append(("priority", base + (("priority", option.priority),), None, True))
    if not ways and state:
        ways.append(("standard", (), None, True))
    return tuple(Payable(way, lines + state, sum((amount for _, amount in lines + state), 0) if known else None,
                         reading.id if reading else None)
                 for way, lines, reading, known in ways)
