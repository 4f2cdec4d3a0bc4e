"""A validated edition, the one before it and the project root → `editions/<year>/changes.yaml`
with one drafted entry (`draft: true`) per change its register does not cover yet, written
all or nothing (`guidebook register draft YEAR`).

The entries come from `changes.drafting` (effect from the facts, selectors, summaries). The file
is edited through the round trip (`roundtrip`): every byte the editor wrote stays as it is and
the entries are appended to `entries` in the project's layout; a register that does not exist
yet is created with `since:` and the schema modeline. Nothing is written when the register has
problems of its own (they are listed), when every change is covered already ("nothing to
draft"), or when the edition is published (a published edition refuses drafted entries).
The new file is staged in a `Transaction`, read back and checked as `guidebook validate`
checks a draft's register (every drafted entry agreeing with what it covers, no change covered
twice) before it replaces the old one.
"""
from __future__ import annotations

from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..changes import register
from ..changes.diff import diff
from ..changes.drafting import Drafted, DraftEntry, draft
from ..changes.group import Group
from ..changes.names import Names
from ..edition.errors import Problem, ProblemsFound
from ..edition.models import Library
from . import roundtrip
from .transaction import Transaction

HEADER = ("# yaml-language-server: $schema=../../schemas/changes.schema.json\n"
          "# The editors' register of the changes from the {old} to the {new} edition (format: editions/README.md,\n"
          "# \"changes.yaml: the register\"); `guidebook validate {new}` checks it covers `guidebook diff {old} {new}`.\n")


class DraftRefused(Exception):
    """Nothing can be drafted (the message says why); nothing was written."""


def draft_register(root: Path, library: Library, year: int) -> tuple[str, int]:
    """Draft the missing entries of edition `year`'s register (`library` holds it and the edition
    before it); the report and the exit status (1 while some change could not be drafted)."""
    before = [y for y in sorted(library.editions) if y < year]
    if not before:
        raise DraftRefused(f"editions/{year} is the first edition: there is no earlier one to compare it with")
    old, new = library.editions[before[-1]], library.editions[year]
    rel = f"editions/{year}/{register.FILE}"
    changes = diff(old, new)
    problems: list[Problem] = []
    current = register.read(root, year, problems)
    if current is not None and not problems and current.since != old.year:
        problems.append(Problem(rel, *current.since_at, "since", f"expected {old.year} (the previous edition), "
                                                                 f"found {current.since}"))
    if current is not None and not problems:
        _, _, found = register.assign(current, changes)
        problems += [p for p in found if "found none matching" not in p.message]  # a draft may prepare those
    if problems:
        raise ProblemsFound(problems)
    drafted = draft(changes, Names(old, new, library.documents, library.ui), current)
    if not drafted.entries:
        if drafted.refused:
            return _left(drafted.refused, f"nothing drafted: {len(drafted.refused)} change(s) {old.year}→{year} "
                                          f"not covered by {rel} can only be written by hand"), 1
        return f"nothing to draft: every change {old.year}→{year} is covered by {rel}", 0
    if new.status == "published":
        raise DraftRefused(f"editions/{year} is published and its register ({rel}) leaves {drafted.uncovered} "
                           "change(s) uncovered; a published edition refuses drafted entries: set `status: draft` "
                           f"in editions/{year}/edition.yaml while drafting, or write the entries by hand "
                           f"(`guidebook diff {old.year} {year}` shows each change's selector); nothing was written")
    file = root / rel
    text = _with_entries(file.read_bytes().decode("utf-8") if current is not None else None, drafted.entries,
                         old.year, year)
    with Transaction(root, "register", str(year), rel) as transaction:
        transaction.write(file, text)
        _check(root, old, new, changes, transaction.folder / "files" / rel, drafted)
        transaction.commit()
    n = len(drafted.entries)
    said = (f"drafted {n} entr{'y' if n == 1 else 'ies'} in {rel}, one per change {old.year}→{year} its register "
            f"did not cover (marked draft: true); their summaries need an editor: read each entry against the "
            f"print, then remove `draft: true`")
    if drafted.refused:
        return _left(drafted.refused, said), 1
    return said, 0


def _left(refused: tuple[tuple[Group, str], ...], said: str) -> str:
    lines = [said]
    lines += [f"  not drafted: group {g.id} ({g.change.kind} {g.change.action}"
              + (f", in {', '.join(g.services)}" if g.services else "") + f"): {why}; write its entry by hand"
              for g, why in refused]
    return "\n".join(lines)


def _with_entries(text: str | None, entries: tuple[DraftEntry, ...], since: int, year: int) -> str:
    """The register's text with `entries` appended (created with `since` if there is none).

    The editor's text is kept byte for byte: the entries are rendered on their own (the
    project's layout, indented like the register's first entry, with the file's own line ends)
    and inserted after the last line of its `entries` list. Only an empty flow list
    (`entries: []`) is replaced by the block list (and a last line without its line end gets
    one); a non-empty flow list (`entries: [{…}]`) is the one case the file is written again as
    a whole, through the round trip (data and comments kept, spacing normalised)."""
    if text is None:
        return HEADER.format(old=since, new=year) + f"since: {since}\n" + "entries:\n" + _rendered(entries, 2)
    document = roundtrip.load(text)
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"  # the file's own line ends

    def ours(piece: str) -> str:
        return piece.replace("\n", newline)

    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    listed = document.get("entries")
    keys = list(document)
    following = keys[keys.index("entries") + 1:] if "entries" in keys else []
    # where the next top-level key starts (the entries end before it), else the end of the file
    end = min((document.lc.key(k)[0] for k in following), default=len(lines))
    # the blank lines and top-level comments just before the next key are that key's
    while following and end > 0 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    if isinstance(listed, CommentedSeq) and listed and not listed.fa.flow_style():
        dash = listed.lc.item(0)[1] - 2  # the column of the first entry's "- "
        return "".join(lines[:end]) + ours(_rendered(entries, dash)) + "".join(lines[end:])
    if "entries" in keys and (listed is None or (isinstance(listed, CommentedSeq) and not listed)):
        line = document.lc.key("entries")[0]  # `entries: []` or `entries:` (null): the list starts here
        head = lines[line][:lines[line].index("entries")] + "entries:\n"
        return "".join(lines[:line]) + ours(head + _rendered(entries, 2)) + "".join(lines[line + 1:])
    if "entries" not in keys:  # validate reports it missing (nothing is drafted then); for completeness
        return "".join(lines) + ours("entries:\n" + _rendered(entries, 2))
    for entry in entries:  # a non-empty flow list: written again through the round trip
        listed.append(_node(entry))
    return roundtrip.dump(document)


def _rendered(entries: tuple[DraftEntry, ...], dash: int) -> str:
    """The entries as a block list whose "- " starts at column `dash`."""
    holder = CommentedMap()
    holder["entries"] = CommentedSeq(_node(entry) for entry in entries)
    text = roundtrip.dump(holder)
    body = text.split("\n", 1)[1]  # after "entries:"; items at column 2
    if dash == 2:
        return body
    shift = dash - 2
    return "".join((" " * shift + line if shift > 0 else line[-shift:]) if line.strip() else line
                   for line in body.splitlines(keepends=True))


def _node(entry: DraftEntry) -> CommentedMap:
    """One entry laid out as the editors write them (summary in block style, quoted; services
    and each selector in flow style)."""
    node = CommentedMap()
    node["id"] = entry.id
    node["effect"] = entry.effect
    node["draft"] = True
    summary = CommentedMap()
    summary["en"] = DoubleQuotedScalarString(entry.summary.en)
    summary["ru"] = DoubleQuotedScalarString(entry.summary.ru)
    node["summary"] = summary
    if entry.services:
        services = CommentedSeq(entry.services)
        services.fa.set_flow_style()
        node["services"] = services
    covers = CommentedSeq()
    for selector in entry.covers:
        item = CommentedMap(selector)
        if len(selector) > 1:
            item.fa.set_flow_style()
        covers.append(item)
    node["covers"] = covers
    return node


def _check(root: Path, old, new, changes, staged: Path, drafted: Drafted) -> None:
    """The staged register read back as `validate` reads a draft's: no problem, and nothing left
    uncovered but what could not be drafted."""
    problems = register.pair_problems(root, old, new, file=staged, changes=changes)
    if not problems:
        written = register.read(root, new.year, problems, staged)  # read without a problem just now
        uncovered = register.assign(written, changes)[1] if written is not None else ()
        left = {m.id for g in uncovered for m in g.members} - {m.id for g, _ in drafted.refused for m in g.members}
        if written is not None and left:
            problems.append(Problem(f"editions/{new.year}/{register.FILE}", *written.end, "entries",
                                    f"expected the drafted entries to cover every change, found {len(left)} left "
                                    "(an error of the drafting: please report it)"))
    if problems:
        raise ProblemsFound([Problem(p.file, p.line, p.column, p.path, f"{p.message} (in the drafted register)")
                             for p in problems])
