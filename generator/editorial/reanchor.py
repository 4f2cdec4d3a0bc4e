"""A validated edition + its seed → every provenance line re-found by its printed text, rewritten.

Each section heading, numbered service heading (`N. title`) and the contacts block is looked
for in the seed in the edition's order, so a heading printed twice (the table of contents,
a repeated title) resolves to the occurrence after the one before it. The lines found are
written back into the YAML by a round trip (nothing else in the files changes); what cannot
be found is reported with its YAML location and left as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..edition.models import Edition
from . import roundtrip
from .check_source import CONTACT_LABELS, _label_key, section_heading_holds, service_heading_holds
from .locate import EditionSource


@dataclass
class Anchor:
    file: str | None    # section id, or None for edition.yaml
    path: tuple         # field path of the `line` value
    what: str
    old: int
    new: int | None = None


@dataclass
class Reanchored:
    anchors: list[Anchor] = field(default_factory=list)

    @property
    def moved(self) -> list[Anchor]:
        return [a for a in self.anchors if a.new is not None and a.new != a.old]

    @property
    def lost(self) -> list[Anchor]:
        return [a for a in self.anchors if a.new is None]


def find_anchors(edition: Edition, seed_lines: list[str]) -> Reanchored:
    """Where each provenance line should point, searching forward from the previous find."""
    lang = edition.source_language
    result = Reanchored()
    cursor, shift = 1, 0

    def search(anchor: Anchor, holds) -> None:
        """The matching line after the previous find that is nearest to where the old line
        moved with the one before (a list item in an intro can repeat a heading's text)."""
        nonlocal cursor, shift
        found = [n for n in range(cursor, len(seed_lines) + 1) if holds(seed_lines[n - 1])]
        if found:
            anchor.new = min(found, key=lambda n: abs(n - (anchor.old + shift)))
            cursor, shift = anchor.new, anchor.new - anchor.old
        result.anchors.append(anchor)

    for section in edition.sections:
        if section.provenance.heading is not None:
            search(Anchor(section.id, ("provenance", "line"), f"section {section.id}: heading "
                          f"{section.title.get(lang)!r}", section.provenance.line),
                   lambda raw, section=section: section_heading_holds(raw, section, lang))
        for i, service in enumerate(section.services):
            prov = service.provenance
            shown = f"{prov.item}. " if prov.item is not None else ""
            anchor = Anchor(section.id, ("services", i, "provenance", "line"),
                            f"service {service.full_id}: heading {shown + service.title.get(lang)!r}", prov.line)
            search(anchor, lambda raw, service=service: service_heading_holds(raw, service, lang))
            if i == 0 and section.provenance.heading is None:
                # a heading the seed does not print: the section starts at its first service
                result.anchors.append(Anchor(section.id, ("provenance", "line"), f"section {section.id} "
                                             "(heading not printed): its first service", section.provenance.line,
                                             anchor.new))
    search(Anchor(None, ("contacts", "line"), "contacts: the first contacts heading", edition.contacts.line),
           lambda raw: _label_key(raw) in CONTACT_LABELS)
    return result


def reanchor(root: Path, edition: Edition) -> tuple[Reanchored, str]:
    """Rewrite the provenance lines of editions/<year>/ that moved; return the result and a report."""
    folder = root / "editions" / str(edition.year)
    assert edition.source_file is not None, "reanchor needs the printed text (the CLI checks)"
    seed_lines = (folder / edition.source_file).read_text(encoding="utf-8").splitlines()
    result = find_anchors(edition, seed_lines)
    by_file: dict[str | None, list[Anchor]] = {}
    for anchor in result.moved:
        by_file.setdefault(anchor.file, []).append(anchor)
    for section_id, anchors in by_file.items():
        file = folder / f"{section_id or 'edition'}.yaml"
        document = roundtrip.load(file.read_text(encoding="utf-8"))
        for anchor in anchors:
            node = document
            for key in anchor.path[:-1]:
                node = node[key]
            node[anchor.path[-1]] = anchor.new
        file.write_text(roundtrip.dump(document), encoding="utf-8")
    source = EditionSource(root, edition.year)
    out = [f"reanchor {edition.year} ({edition.source_file}): {len(result.moved)} provenance line(s) moved, "
           f"{len(result.anchors) - len(result.moved) - len(result.lost)} already right, "
           f"{len(result.lost)} not found"]
    out += [f"  {source.at(a.file, a.path)}: {a.what}: line {a.old} → {a.new}" for a in result.moved]
    out += [f"  {source.at(a.file, a.path)}: {a.what}: not found in the seed after line "
            f"{_previous_found(result, a)}; left at line {a.old}" for a in result.lost]
    return result, "\n".join(out)


def _previous_found(result: Reanchored, lost: Anchor) -> int:
    found = [a.new for a in result.anchors[:result.anchors.index(lost)] if a.new is not None]
    return found[-1] if found else 1
