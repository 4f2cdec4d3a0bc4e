"""Two entries of one document (old edition, new edition) → typed requirement changes.

`requirement_facts(ref)` flattens a `DocumentRef` into comparable facts (scalars and tuples,
the same in every language); `requirement_changes(old, new)` returns one `RequirementChange`
per fact that differs, typed by its effect on the applicant:

  added      a requirement the old edition did not state (e.g. accepted forms now named)
  removed    a requirement the new edition no longer states
  tightened  more is asked: fewer accepted forms, issuers or alternatives, more contents, a
             longer validity, a condition dropped ("if applicable" → always required)…
  relaxed    the reverse
  changed    different but neither stricter nor looser (e.g. a work visa → an investor visa)

Pure: no I/O, no prose read. The diff calls it wherever a document is in both editions.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..edition.models import DocumentRef

EFFECTS = ("added", "removed", "tightened", "relaxed", "changed")
MIRROR = {"added": "removed", "removed": "added", "tightened": "relaxed", "relaxed": "tightened",
          "changed": "changed"}
FACTS = ("if_applicable", "for", "copies", "forms", "dated", "issuers", "variant", "contents",
         "contents_any", "valid", "validity_period", "validity_from", "blank_pages")
# Forms that are alternatives of one another (any one suffices), and forms asked in addition.
ALTERNATIVE_FORMS = ("original", "notarised", "copy", "notarised-copy", "stamped-copy", "electronic")
AUTHENTICATIONS = ("apostilled", "legalised")
EXTRA_FORMS = ("certified-translation", "translation")
_DAYS = {"months": 30, "calendar-days": 1}


@dataclass(frozen=True)
class RequirementChange:
    fact: str  # one of FACTS
    old: object
    new: object
    effect: str  # one of EFFECTS


def requirement_facts(ref: DocumentRef) -> dict:
    """Every requirement fact of one document entry, by name (FACTS order)."""
    v = ref.validity
    return {
        "if_applicable": ref.if_applicable, "for": ref.for_whom, "copies": ref.copies, "forms": ref.forms,
        "dated": ref.dated, "issuers": ref.issuers, "variant": ref.variant, "contents": ref.contents,
        "contents_any": ref.contents_any,
        "valid": bool(v and v.current),
        "validity_period": (v.bound, v.amount, v.unit) if v and v.amount is not None else None,
        "validity_from": v.counted_from if v else None,
        "blank_pages": v.blank_pages if v else None,
    }


def requirement_changes(old: DocumentRef, new: DocumentRef) -> tuple[RequirementChange, ...]:
    """One typed change per requirement fact that differs between two entries of a document."""
    a, b = requirement_facts(old), requirement_facts(new)
    return tuple(RequirementChange(fact, a[fact], b[fact], effect(fact, a[fact], b[fact], a, b))
                 for fact in FACTS if a[fact] != b[fact])


def effect(fact: str, old, new, old_facts: dict | None = None, new_facts: dict | None = None) -> str:
    """How one fact's change affects the applicant (see the module docstring)."""
    if fact in ("if_applicable", "contents_any"):
        return "relaxed" if new else "tightened"  # a condition or an alternative appears
    if fact == "for":
        return "changed"
    empty_old, empty_new = old in (None, (), False), new in (None, (), False)
    if empty_old != empty_new:
        return "added" if empty_old else "removed"
    if fact in ("copies", "blank_pages"):
        return "tightened" if new > old else "relaxed"
    if fact == "validity_period":
        return _period(old, new)
    if fact == "forms":
        return _combine(_alternatives(old, new, ALTERNATIVE_FORMS), _alternatives(old, new, AUTHENTICATIONS),
                        _required(old, new, EXTRA_FORMS))
    if fact == "issuers":
        return _alternatives(old, new, None) or "changed"
    if fact == "contents":
        any_old = bool(old_facts and old_facts["contents_any"])
        any_new = bool(new_facts and new_facts["contents_any"])
        if any_old != any_new:
            return "changed"
        found = _required(old, new, None) or "changed"  # reordered only
        return {"tightened": "relaxed", "relaxed": "tightened"}.get(found, found) if any_new else found
    return "changed"  # dated, variant, validity_from: a different value, neither stricter nor looser


def _alternatives(old, new, among) -> str | None:
    """Alternatives (any one suffices): fewer is tighter, more is looser; None if untouched."""
    a = {x for x in old if among is None or x in among}
    b = {x for x in new if among is None or x in among}
    if a == b:
        return None
    if not a or not b:  # restricted where it was not, or the restriction lifted
        return "tightened" if not a else "relaxed"
    return "tightened" if b < a else "relaxed" if b > a else "changed"


def _required(old, new, among) -> str | None:
    """Requirements that all apply: more is tighter, fewer is looser; None if untouched."""
    a = {x for x in old if among is None or x in among}
    b = {x for x in new if among is None or x in among}
    if a == b:
        return None
    return "tightened" if b > a else "relaxed" if b < a else "changed"


def _combine(*effects) -> str:
    found = {e for e in effects if e is not None}
    return found.pop() if len(found) == 1 else "changed"


def _period(old: tuple, new: tuple) -> str:
    (bound_a, amount_a, unit_a), (bound_b, amount_b, unit_b) = old, new
    days_a, days_b = amount_a * _DAYS[unit_a], amount_b * _DAYS[unit_b]
    if days_a != days_b:
        return "tightened" if days_b > days_a else "relaxed"
    if bound_a != bound_b:  # "more than 3 months" asks more than "at least 3 months"
        return "relaxed" if bound_b == "at-least" else "tightened"
    return "changed"
