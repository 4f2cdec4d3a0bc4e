"""Condition facts of a loaded section file (a service's `conditions`) → `Condition` models,
problems located; and how one condition's change affects an applicant.

A condition is a fact the print states about a service other than its documents and fees: what
the service is for (`purpose`), what triggers it (`trigger`), who it covers (`covers`), where a
step is done (`place`), a deadline (`deadline`), when a fee is waived (`free-of-charge`) and
when a procedure is required (`verification`). Each names what it is about (`of`, an id: the
pair `kind`+`of` identifies the fact within the service, so the diff pairs it across editions),
its `values` from the kind's fixed vocabulary (`VOCABULARY`), and the printed line(s) it rests on
(`basis: [{line, quote}]`, as eligibility facts; check-source proves the quote is printed on the
line, reanchor re-finds it). `values: []` is allowed only where the print states the service
without such a condition (`trigger`, `deadline`): the cited line is the proof.

Effects (`condition_effect`), the same words as document requirements (requirements.EFFECTS):
values are compared after widening (`visa` = every visa kind, `residence-permit` = temporary and
permanent); for kinds whose values all apply (`REQUIRED`: a trigger that must occur, a deadline,
the cases needing verification) more is tightened, for kinds whose values are alternatives
(`ALTERNATIVES`: who is covered, which paid fee makes a service free) more is relaxed, and for
the rest (`purpose`, `place`) a different value is changed. A fact present in one edition only is
added / removed.
"""
from __future__ import annotations

from collections.abc import Iterator

from .models import Basis, Condition

VISAS = ("work-visa", "investor-visa", "business-visa", "dependent-visa")
PERMITS = ("temporary-residence-permit", "permanent-residence-permit")
# Values that stand for several others (compared widened).
WIDER = {"visa": VISAS, "residence-permit": PERMITS}
VOCABULARY: dict[str, tuple[str, ...]] = {
    "purpose": ("visa-cancellation", "exit-visa", "eds-issuance", "eds-activation", "fingerprint-registration",
                "business-immigrant-permit"),
    "trigger": ("contract-termination", "departure"),
    "covers": ("foreign-national", "family-members"),
    "place": ("expat-centre", "eds-centre", "embassy", "migration-authority"),
    "deadline": ("within-initial-permit",),
    "free-of-charge": VISAS + PERMITS + ("visa", "residence-permit"),
    "verification": VISAS + PERMITS + ("visa", "residence-permit"),
}
KINDS = tuple(VOCABULARY)
REQUIRED = ("trigger", "deadline", "verification")
ALTERNATIVES = ("covers", "free-of-charge")
MAY_BE_EMPTY = ("trigger", "deadline")
SINGLE = ("place",)


class ConditionReader:
    """Reads a service's `conditions` through a validate `Reader` and an `EligibilityReader`
    (for `basis`), recording every problem at its field path."""

    def __init__(self, reader, eligibility_reader, missing):
        self.r = reader
        self.er = eligibility_reader
        self.missing = missing

    def conditions(self, value, path) -> tuple[Condition, ...]:
        if value is self.missing:
            return ()
        found = self.r.seq(value, path, self._one)
        seen: dict[tuple[str, str], int] = {}
        for i, c in enumerate(found):
            key = (c.kind, c.of)
            if key in seen:
                self.r.problem(path + (i,), f"expected one {c.kind!r} fact of {c.of!r} per service, found another "
                                            f"(first at item {seen[key]})")
            else:
                seen[key] = i
        return found

    def _one(self, item, path) -> Condition | None:
        fields = self.r.mapping(item, path, ("kind", "of", "values", "basis"), ("reading",))
        if fields is None:
            return None
        kind = self.r.enum(fields["kind"], path + ("kind",), KINDS)
        of = self.r.ident(fields["of"], path + ("of",))
        values: tuple[str, ...] = ()
        if kind is not None:
            choices = VOCABULARY[kind]
            values = self.r.seq(fields["values"], path + ("values",), lambda v, p: self.r.enum(v, p, choices),
                                optional=False)
            raw = fields["values"]
            if raw == [] and kind not in MAY_BE_EMPTY:
                self.r.expected(path + ("values",), f"at least one of {', '.join(choices)} (only "
                                f"{' and '.join(MAY_BE_EMPTY)} may be empty: the print states none)", "an empty list")
                kind = None
            elif kind in SINGLE and isinstance(raw, list) and len(raw) > 1:
                self.r.expected(path + ("values",), f"one {kind}", f"{len(raw)} values")
                kind = None
            for i, v in enumerate(values):
                if v in values[:i]:
                    self.r.problem(path + ("values", i), f"expected each value once, found {v!r} again")
        basis = self.er._bases(fields["basis"], path + ("basis",), required=True)
        reading = self.r.text(fields["reading"], path + ("reading",), optional=True)
        if kind is None or of is None or not basis:
            return None
        return Condition(kind=kind, of=of, values=tuple(values), basis=basis, reading=reading)


def cited(conditions: tuple[Condition, ...], path: tuple) -> Iterator[tuple[tuple, Basis]]:
    """Every printed line the conditions cite, with its field path (`path` = the service's)."""
    for k, condition in enumerate(conditions):
        for b, basis in enumerate(condition.basis):
            yield path + ("conditions", k, "basis", b), basis


def widened(values) -> frozenset[str]:
    return frozenset(x for v in values for x in WIDER.get(v, (v,)))


def condition_effect(kind: str, old: tuple[str, ...] | None, new: tuple[str, ...] | None) -> str:
    """How a condition's change affects the applicant: added, removed, tightened, relaxed, changed
    (None: the fact is absent from that edition)."""
    if old is None or new is None:
        return "added" if old is None else "removed"
    a, b = widened(old), widened(new)
    if kind in REQUIRED or kind in ALTERNATIVES:
        if a == b:
            return "changed"
        more = "tightened" if kind in REQUIRED else "relaxed"
        less = "relaxed" if kind in REQUIRED else "tightened"
        return more if b > a else less if b < a else "changed"
    return "changed"
