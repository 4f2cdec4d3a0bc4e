"""Sorted change records (from `diff.diff`) → groups: the same change once.

A change that repeats across services — same kind, same document or fee field, same facts,
same old → new (texts and wording-only document changes: the same wording on both sides) — is
one `Group` listing its
services; every other change is a group of one. Groups keep every member (the per-service
records), in the diff's order, and are listed in the order of their first member, so
grouping loses nothing: the members of all groups are exactly the changes given.
"""
from __future__ import annotations

from dataclasses import dataclass

from .diff import Change


@dataclass(frozen=True)
class Group:
    members: tuple[Change, ...]

    @property
    def change(self) -> Change:
        """The first member: what every member says (bar where)."""
        return self.members[0]

    @property
    def id(self) -> str:
        return self.members[0].id

    @property
    def material(self) -> bool:
        return self.members[0].material

    @property
    def services(self) -> tuple[str, ...]:
        """Full ids of the services it is in, in order, each once (none: edition-level)."""
        return tuple(dict.fromkeys(m.service for m in self.members if m.service))

    def mirrored(self) -> Group:
        return Group(tuple(m.mirrored() for m in self.members))


def signature(change: Change) -> tuple:
    """What makes two records the same change, wherever they are."""
    if change.service is None:
        return ("edition", change.id)
    field = "" if change.kind in ("text", "contacts") else change.field
    # A document whose requirements changed is grouped by those facts (its wording may differ
    # from service to service; the members keep each one).
    wording = () if change.kind == "document" and change.facts else (change.old, change.new)
    return (change.kind, change.action, field, wording, change.old_parts, change.new_parts,
            change.facts, change.relation, change.material)


def group(changes) -> tuple[Group, ...]:
    """The changes as groups (see the module docstring)."""
    found: dict[tuple, list[Change]] = {}
    for change in changes:
        found.setdefault(signature(change), []).append(change)
    return tuple(Group(tuple(members)) for members in found.values())
