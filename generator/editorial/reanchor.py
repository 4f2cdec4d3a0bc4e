"""A validated edition + its seed → every provenance line re-found by its printed text, rewritten.

Each section heading, numbered service heading (`N. title`) and the contacts block is looked
for in the seed in the edition's order, so a heading printed twice (the table of contents,
a repeated title) resolves to the occurrence after the one before it. The lines found are
written back into the YAML by a round trip (nothing else in the files changes); what cannot
be found is reported with its YAML location and left as it was.

Then each printed line an eligibility fact, label explanation or citizenship group cites
(`basis: {line, quote}`) is re-found by its quoted words (a fact may cite any part of the seed):
the one line printing them, or the line where the old one moved with the heading before it, or
the one line printing them within the citing service's own part of the seed (between its heading
and the next). Words printed on several lines, none of them so certain, are ambiguous (another
service's identical sentence): refused and listed, never guessed.

The rewritten files are staged, validated as the edition they make, and put in place all
together by a `transaction` (an interruption leaves every old file or every new one).

Last, the printed lines `content/search.yaml`'s vocabulary cites in this edition are re-found the
same way and that one file is replaced in one rename (not in the transaction, whose journal
covers editions/ only); were it interrupted in between, running reanchor again finishes it.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..edition.eligibility import cited_lines, folded, quote_is_printed
from ..edition.errors import Problem, ProblemsFound
from ..edition.loader import dotted
from ..edition.models import Edition
from ..edition.validate import EditionReader, read_catalogue
from . import roundtrip
from .check_source import CONTACT_LABELS, _label_key, section_heading_holds, service_heading_holds
from .check_source import seed_lines as read_seed_lines
from .locate import EditionSource
from .transaction import Transaction


@dataclass
class Anchor:
    file: str | None    # section id, or None for edition.yaml
    path: tuple         # field path of the `line` value
    what: str
    old: int
    new: int | None = None
    cited: bool = False  # a fact's cited line (basis), not a provenance line
    candidates: tuple[int, ...] = ()  # the lines printing a quote, where more than one could be meant


@dataclass
class Reanchored:
    anchors: list[Anchor] = field(default_factory=list)

    @property
    def moved(self) -> list[Anchor]:
        return [a for a in self.anchors if a.new is not None and a.new != a.old]

    @property
    def lost(self) -> list[Anchor]:
        return [a for a in self.anchors if a.new is None and not a.candidates]

    @property
    def ambiguous(self) -> list[Anchor]:
        """Quotes printed on several lines, none where the old line moved: refused, not guessed."""
        return [a for a in self.anchors if a.candidates]

    def counts(self, cited: bool) -> str:
        mine = [a for a in self.anchors if a.cited == cited]
        moved = sum(1 for a in self.moved if a.cited == cited)
        lost = sum(1 for a in self.lost if a.cited == cited)
        ambiguous = sum(1 for a in self.ambiguous if a.cited == cited)
        shown = f", {ambiguous} ambiguous (printed on several lines)" if ambiguous else ""
        return f"{moved} {'cited' if cited else 'provenance'} line(s) moved, " \
               f"{len(mine) - moved - lost - ambiguous} already right, {lost} not found{shown}"


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
    _find_cited(edition, seed_lines, result)
    return result


def _find_cited(edition: Edition, seed_lines: list[str], result: Reanchored) -> None:
    """Each cited line: the line printing the quote nearest to where the old line moved with the
    provenance line found before it (the first one's shift for a line before every heading)."""
    lang = edition.source_language
    shifts = sorted((a.old, a.new - a.old) for a in result.anchors if a.new is not None)
    for section in edition.sections:
        for path, basis in cited_lines(section):
            quote = basis.quote.get(lang)
            owner = (f"service {section.id}/{section.services[path[1]].id}" if path[0] == "services"
                     else f"section {section.id}")
            anchor = Anchor(section.id, path + ("line",), f"{owner}: {dotted(path)}: quoted {quote[:60]!r}",
                            basis.line, cited=True)
            before = [shift for old, shift in shifts if old <= basis.line]
            shift = before[-1] if before else (shifts[0][1] if shifts else 0)
            found = [n for n in range(1, len(seed_lines) + 1) if quote_is_printed(quote, seed_lines[n - 1])]
            start, end = _span(result, section.id, path, len(seed_lines))
            own = [n for n in found if start <= n < end]  # printed in the citing service's own part
            if len(found) == 1:
                anchor.new = found[0]
            elif basis.line + shift in found:  # the line moved with the heading before it, still printing it
                anchor.new = basis.line + shift
            elif len(own) == 1:  # the others are another service's identical sentence
                anchor.new = own[0]
            elif found:  # the same words in several places, none of them certain: refused, not guessed
                anchor.candidates = tuple(found)
            result.anchors.append(anchor)


def _span(result: Reanchored, section_id: str, path: tuple, last: int) -> tuple[int, int]:
    """The seed lines of the service a cited line belongs to (from its heading, as found, to the
    next heading found); (0, 0) for a section-level citation or a heading not found."""
    if path[0] != "services":
        return 0, 0
    headings = [a for a in result.anchors if not a.cited and a.new is not None]
    mine = [i for i, a in enumerate(headings) if a.file == section_id and a.path == ("services", path[1], "provenance", "line")]
    if not mine:
        return 0, 0
    start = headings[mine[0]].new or 0
    later = [a.new for a in headings[mine[0] + 1:] if a.new is not None and a.new > start]
    return start, later[0] if later else last + 1


def moved_first(edition: Edition, seed: Path, misses: int) -> str | None:
    """check-source's first line when most of its `misses` are lines that moved (the seed gained or
    lost lines, so provenance and cited lines point beside what they name), else None."""
    moved = len(find_anchors(edition, read_seed_lines(seed)).moved)
    if not moved or moved * 2 <= misses:
        return None
    return (f"the printed text moved: run `guidebook reanchor {edition.year}` ({moved} provenance or cited "
            f"line(s) moved; {misses} miss(es) below), then check-source again")


def reanchor(root: Path, edition: Edition) -> tuple[Reanchored, str]:
    """Rewrite the provenance lines of editions/<year>/ that moved; return the result and a report."""
    folder = root / "editions" / str(edition.year)
    assert edition.source_file is not None, "reanchor needs the printed text (the CLI checks)"
    seed_lines = read_seed_lines(folder / edition.source_file)
    result = find_anchors(edition, seed_lines)
    by_file: dict[str | None, list[Anchor]] = {}
    for anchor in result.moved:
        by_file.setdefault(anchor.file, []).append(anchor)
    if by_file:
        with Transaction(root, "reanchor", str(edition.year), f"reanchor of editions/{edition.year}") as transaction:
            for section_id, anchors in by_file.items():
                file = folder / f"{section_id or 'edition'}.yaml"
                document = roundtrip.load(file.read_text(encoding="utf-8"))
                for anchor in anchors:
                    node = document
                    for key in anchor.path[:-1]:
                        node = node[key]
                    node[anchor.path[-1]] = anchor.new
                transaction.write(file, roundtrip.dump(document))
            _validate(root, transaction.view(folder), edition.year)
            transaction.commit()
    vocabulary = _vocabulary(root, edition, seed_lines, result)
    result.anchors += vocabulary
    source = EditionSource(root, edition.year)
    out = [f"reanchor {edition.year} ({edition.source_file}): {result.counts(cited=False)}; "
           f"{result.counts(cited=True)}"]
    out += [f"  {_at(source, a)}: {a.what}: line {a.old} → {a.new}" for a in result.moved]
    out += [f"  {source.at(a.file, a.path)}: {a.what}: not found in the seed after line "
            f"{_previous_found(result, a)}; left at line {a.old}" for a in result.lost if not a.cited]
    out += [f"  {_at(source, a)}: {a.what}: printed on no line of the seed; left at line {a.old}"
            for a in result.lost if a.cited]
    out += [f"  {_at(source, a)}: {a.what}: ambiguous, printed on lines "
            f"{', '.join(map(str, a.candidates))} and none is where line {a.old} moved; left at line {a.old}, "
            "set the line that is meant by hand" for a in result.ambiguous]
    return result, "\n".join(out)


def _validate(root: Path, staged: Path, year: int) -> None:
    """The staged edition read as every command reads one; its problems shown at the real files."""
    problems: list[Problem] = []
    EditionReader(root, staged, read_catalogue(root, problems), problems).read()
    if problems:
        shown = staged.relative_to(root).as_posix() + "/"
        raise ProblemsFound([Problem(p.file.replace(shown, f"editions/{year}/"), p.line, p.column, p.path,
                                     f"{p.message} (after re-anchoring)") for p in problems])


def _previous_found(result: Reanchored, lost: Anchor) -> int:
    found = [a.new for a in result.anchors[:result.anchors.index(lost)] if a.new is not None and not a.cited]
    return found[-1] if found else 1


VOCABULARY_FILE = "content/search.yaml"


def _at(source: EditionSource, anchor: Anchor) -> str:
    return VOCABULARY_FILE if anchor.file == VOCABULARY_FILE else source.at(anchor.file, anchor.path)


def _vocabulary(root: Path, edition: Edition, seed_lines: list[str], result: Reanchored) -> list[Anchor]:
    """content/search.yaml's vocabulary entries citing this edition (`print: {edition, line,
    quote}`), each re-found like a cited line; the file is rewritten (one rename) if any moved."""
    file = root / VOCABULARY_FILE
    if not file.is_file() or not file.resolve().is_relative_to(root.resolve()):
        return []
    document = roundtrip.load(file.read_text(encoding="utf-8"))
    entries = document.get("vocabulary") if hasattr(document, "get") else None
    shifts = sorted((a.old, a.new - a.old) for a in result.anchors if not a.cited and a.new is not None)
    anchors = []
    for i, entry in enumerate(entries or []):
        printed: Any = entry.get("print") if hasattr(entry, "get") else None
        if not hasattr(printed, "get") or printed.get("edition") != edition.year:
            continue
        quote, line = printed.get("quote"), printed.get("line")
        if not isinstance(quote, str) or not isinstance(line, int):
            continue  # validate reports it
        anchor = Anchor(VOCABULARY_FILE, ("vocabulary", i, "print", "line"),
                        f"vocabulary[{i}].print: quoted {quote[:60]!r}", line, cited=True)
        before = [shift for old, shift in shifts if old <= line]
        shift = before[-1] if before else (shifts[0][1] if shifts else 0)
        found = [n for n, raw in enumerate(seed_lines, 1) if folded(quote) in folded(raw)]
        if len(found) == 1:
            anchor.new = found[0]
        elif line + shift in found:
            anchor.new = line + shift
        elif found:
            anchor.candidates = tuple(found)
        anchors.append(anchor)
        if anchor.new is not None and anchor.new != line:
            printed["line"] = anchor.new
    if any(a.new is not None and a.new != a.old for a in anchors):
        handle, temporary = tempfile.mkstemp(prefix=".search-", suffix=".yaml", dir=file.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(roundtrip.dump(document))
            os.replace(temporary, file)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return anchors
