"""`editions/<year>/changes.yaml` (the editors' register) + the diff from the previous edition →
entries, which change each one covers, and the coverage problems (run by `guidebook validate`).

The diff finds every change; the register explains them. Each entry has a stable id, an
effect (`EFFECTS`), a summary written for an applicant in both languages, optionally the
services it affects, and selectors (`covers`) saying which change records it explains. A
selector is a mapping of some of `SELECTOR_KEYS`; a record matches it when every key given
matches (`group` is a change's id as the diff lists it, the same in every run; `document` a
catalogue id; `fact` a requirement fact that changed). An entry covers the records matching
any of its selectors. Never by record number: a selector still holds when records move.

Checked, each problem located in the register file:
  - every change record is covered by exactly one entry (a draft edition may leave some
    uncovered and may hold entries that cover nothing yet; a published one may not);
  - every entry covers at least one record, and every selector matches something;
  - an entry's effect agrees with every record it covers (`agrees`: a "fee raised" entry
    cannot cover a decrease, a "wording only" entry cannot cover a requirement change…);
  - `services`, when given, are exactly the services of the records covered.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..edition.errors import Problem
from ..edition.loader import dotted, load_yaml
from ..edition.models import Edition, Library, Text
from ..edition.validate import MISSING, Reader, load_project_yaml
from .diff import ACTIONS, KINDS, Change, diff
from .group import Group, group
from .requirements import FACTS

FILE = "changes.yaml"
# effect → (English, Russian) name, in the order a reader meets them.
EFFECTS = {
    "fee-raised": ("Fee raised", "Сбор повышен"),
    "fee-lowered": ("Fee lowered", "Сбор снижен"),
    "fee-added": ("Fee added", "Новый сбор"),
    "fee-removed": ("Fee removed", "Сбор отменён"),
    "fee-restructured": ("Fee paid differently, same total", "Сбор оплачивается иначе, сумма та же"),
    "fees-indexed": ("State fees follow the new MCI", "Госпошлины по новому МРП"),
    "requirement-replaced": ("Document replaced", "Документ заменён"),
    "requirement-added": ("Requirement added", "Новое требование"),
    "requirement-removed": ("Requirement removed", "Требование снято"),
    "requirement-tightened": ("Requirement tightened", "Требование ужесточено"),
    "requirement-relaxed": ("Requirement relaxed", "Требование смягчено"),
    "requirement-changed": ("Requirement changed", "Требование изменено"),
    "option-added": ("Option added", "Новый вариант"),
    "option-removed": ("Option removed", "Вариант убран"),
    "deadline-changed": ("Deadline changed", "Срок изменён"),
    "rule-clarified": ("Rule stated more clearly", "Правило уточнено"),
    "instruction-changed": ("Instruction changed", "Указание изменено"),
    "contacts-changed": ("Contacts changed", "Контакты изменены"),
    "edition-details": ("Edition details", "Сведения о редакции"),
    "misprint-corrected": ("Misprint corrected", "Опечатка исправлена"),
    "wording-only": ("Wording only", "Только формулировки"),
}
SELECTOR_KEYS = ("group", "section", "service", "step", "kind", "action", "document", "fact")
FEE_KINDS = ("fee", "personal-manager-fee", "priority-fee", "state-fee")
# What an applicant may choose between: added / removed whatever it holds (a step: also its place).
OPTION_KINDS = ("section", "service", "step", "option")


def effects_of(change: Change) -> set[str]:
    """The requirement effects of a document or condition record: its facts' effects, and
    added/removed for the whole document or fact."""
    found = {effect for _, _, _, effect in change.facts}
    if change.action != "changed":
        found.add(change.action)
    return found


# A qualifier added to / dropped from a document (or condition) that is still there asks more /
# less of the applicant: under an entry it reads as a tightening / a relaxation.
_STILL_THERE = {"added": "tightened", "removed": "relaxed"}


def directions(change: Change) -> set[str]:
    """Which way a document or condition record moves the applicant's burden: added / removed
    for a whole document or fact; for one still there, each fact's effect with a qualifier added
    counted as tightened and one dropped as relaxed."""
    if change.action != "changed":
        return {change.action}
    return {_STILL_THERE.get(effect, effect) for _, _, _, effect in change.facts}


@dataclass(frozen=True)
class Context:
    """What an effect is checked against beyond the record itself (from the whole diff):
    `carriers`: text record id → the condition records whose printed words it holds (a sentence
    that states a changed condition is not wording only), or the step record whose place its
    heading names; `still_listed`: ids of document
    records removed from a step that still lists that document (for someone else)."""

    carriers: dict[str, tuple[Change, ...]]
    still_listed: frozenset[str]


def context(changes) -> Context:
    conditions = [c for c in changes if c.kind == "condition"]
    places = [c for c in changes if c.kind == "step" and not c.field.startswith("steps[")]
    carriers: dict[str, tuple[Change, ...]] = {}
    for t in changes:
        if t.kind != "text":
            continue
        found = tuple(c for c in conditions if c.service == t.service and _carries(t, c))
        # a step's heading that names where the step is done carries its place
        found += tuple(c for c in places if (c.service, c.step) == (t.service, t.step) and t.field == "title")
        if found:
            carriers[t.id] = found
    listed = {(c.service, c.step, _document(c)) for c in changes
              if c.kind == "document" and c.action in ("added", "changed")}
    still = frozenset(c.id for c in changes if c.kind == "document" and c.action == "removed"
                      and (c.service, c.step, _document(c)) in listed)
    return Context(carriers, still)


def _misread(change: Change) -> bool:
    """Is either side's printed wording a recorded misprint (`sic`)?"""
    return any(isinstance(side, Text) and bool(side.sic) for side in (change.old, change.new))


def _carries(text: Change, condition: Change) -> bool:
    """Does a text record hold the printed words a condition cites (either edition)?"""
    def norm(x: str) -> str:
        return " ".join(x.split())
    for quote, side in ((condition.old_quote, text.old), (condition.new_quote, text.new)):
        if quote is None or not isinstance(side, Text):
            continue
        for lang in ("en", "ru"):
            q, t = quote.get(lang), side.get(lang)
            if q and t and norm(q) in norm(t):
                return True
    return False


def agrees(effect: str, change: Change, ctx: Context | None = None) -> bool:
    """Whether an entry of this effect may cover this record. Requirement effects must agree
    with every fact the record holds: "relaxed" covers nothing tightened or added, "tightened"
    nothing relaxed or dropped, "removed" only a document (or condition) no longer there, not
    one still listed; facts moving both ways are "requirement-changed". A text that states a
    changed condition is covered with its condition, never as wording only."""
    fee = change.kind in FEE_KINDS
    requirement = change.kind in ("document", "condition")
    carried = (ctx.carriers.get(change.id, ()) if ctx else ()) if change.kind == "text" else ()
    if carried and effect not in ("wording-only", "misprint-corrected", "rule-clarified", "instruction-changed",
                                  "edition-details"):
        return any(agrees(effect, c, ctx) for c in carried)
    worded = (change.kind == "text" and not carried) or \
        (change.kind == "document" and change.action == "changed" and not change.facts)
    delta = change.delta_kzt
    moves = directions(change) if requirement else set()
    still_listed = bool(ctx and change.id in ctx.still_listed)
    rules = {
        "fee-raised": fee and change.action == "changed" and delta is not None and delta > 0,
        "fee-lowered": fee and change.action == "changed" and delta is not None and delta < 0,
        "fee-added": fee and change.action == "added",
        "fee-removed": fee and change.action == "removed",
        "fee-restructured": fee and change.action == "changed" and delta == 0,
        "fees-indexed": change.kind in ("mci", "indexation"),
        "requirement-added": requirement and bool(moves) and (
            change.action == "added" or (change.action == "changed" and moves == {"tightened"}
                                         and set(effects_of(change)) == {"added"})),
        "requirement-removed": requirement and change.action == "removed" and not still_listed,
        "requirement-replaced": change.kind == "document" and change.action in ("added", "removed"),
        "requirement-tightened": requirement and change.action == "changed" and moves == {"tightened"},
        "requirement-relaxed": requirement and change.action == "changed" and moves == {"relaxed"},
        # different, or not settled by the print: also a document whose wording alone changed
        # where either edition's wording is a recorded misprint (our reading decides its facts)
        "requirement-changed": requirement and bool(change.facts or change.action != "changed" or _misread(change)),
        "option-added": change.kind in OPTION_KINDS and change.action != "removed",
        "option-removed": change.kind in OPTION_KINDS and change.action != "added",
        "deadline-changed": change.kind in ("timeframe", "note") or (
            change.kind == "condition" and change.field.startswith("conditions[deadline:")),
        "rule-clarified": change.kind == "text" and not carried,
        "instruction-changed": change.kind == "text" and not carried,
        "contacts-changed": change.kind in ("contacts", "schedule"),
        "edition-details": change.kind == "edition" or (change.kind == "text" and change.section is None),
        # a misprint the print corrected is this effect's own record (never wording only)
        "misprint-corrected": worded or change.kind == "misprint",
        "wording-only": worded,
    }
    return rules[effect]


@dataclass(frozen=True)
class Selector:
    where: tuple[int, int]
    path: str
    keys: tuple[tuple[str, str], ...]

    def matches(self, change: Change, group_id: str) -> bool:
        values = {
            "group": group_id, "section": change.section, "service": change.service, "step": change.step,
            "kind": change.kind, "action": change.action,
            "document": _document(change), "fact": None,
        }
        for key, wanted in self.keys:
            if key == "fact":
                if wanted not in {name for name, *_ in change.facts}:
                    return False
            elif values[key] != wanted:
                return False
        return True


def _document(change: Change) -> str | None:
    if change.kind != "document" or not change.field.startswith("documents["):
        return None
    return change.field[len("documents["):-1].split("@")[0]


@dataclass(frozen=True)
class Entry:
    id: str
    effect: str
    summary: Text
    services: tuple[str, ...] | None  # as written (None: not written, derived from what it covers)
    covers: tuple[Selector, ...]
    where: tuple[int, int]
    path: str
    draft: bool = False  # drafted by `guidebook register draft`: a published edition refuses it
    draft_at: tuple[int, int] = (1, 1)  # where `draft:` is written

    def name(self, lang: str) -> str:
        return EFFECTS[self.effect][0 if lang == "en" else 1]


@dataclass(frozen=True)
class Register:
    rel: str
    since: int
    entries: tuple[Entry, ...]
    end: tuple[int, int]  # where an uncovered change is reported: the `entries:` line
    since_at: tuple[int, int] = (1, 1)


@dataclass(frozen=True)
class Explained:
    """One entry and the groups of records it covers (in the diff's order)."""

    entry: Entry
    groups: tuple[Group, ...]

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for g in self.groups for s in g.services))

    @property
    def records(self) -> tuple[Change, ...]:
        return tuple(m for g in self.groups for m in g.members)

    @property
    def lines(self) -> tuple[tuple[int | None, int | None], ...]:
        """The printed lines the entry rests on: (old, new) of each record, once each; a text
        that states a condition the entry also covers (printed in both editions) is cited by the
        condition's lines, not its own paragraph's start."""
        records = self.records
        conditions = [m for m in records if m.kind == "condition"]
        pairs = []
        for m in records:
            if m.kind == "text" and any(c.service == m.service and _carries(m, c) and None not in (c.old_line, c.new_line)
                                        for c in conditions):
                continue
            pair = (m.old_line, m.new_line)
            if pair != (None, None) and pair not in pairs:
                pairs.append(pair)
        # a line printed on one side only is left out where another pair cites it with its counterpart
        full = [p for p in pairs if None not in p]
        return tuple(p for p in pairs if None not in p
                     or not any((p[0] is None and f[1] == p[1]) or (p[1] is None and f[0] == p[0]) for f in full))


def read(root: Path, year: int, problems: list[Problem], file: Path | None = None) -> Register | None:
    """The register of an edition, or None when it has none; problems of its shape appended.
    `file`: read that file instead (a staged copy), its problems located at the real one."""
    rel = f"editions/{year}/{FILE}"
    staged = file is not None
    file = root / rel if file is None else file
    if not (file.exists() or file.is_symlink()):
        return None
    # a staged copy (made by the command itself) is read as it is, its problems shown at the real
    # file; the project's own file must be a regular file inside the project (a link out is refused)
    loaded = load_yaml(file, rel, problems) if staged else load_project_yaml(root, file, problems)
    if loaded is None:
        return None
    r = Reader(loaded, problems, official=None, published=True)
    head = r.mapping(loaded.data, (), ("since", "entries"))
    if head is None:
        return None
    since = r.integer(head["since"], ("since",), "the previous edition's year (e.g. 2025)", minimum=1)
    seen: dict[str, str] = {}

    def selector(value, path):
        fields = r.mapping(value, path, (), SELECTOR_KEYS)
        if fields is None:
            return None
        keys = []
        for key in SELECTOR_KEYS:
            raw = fields[key]
            if raw is MISSING:
                continue
            choices = {"kind": KINDS, "action": ACTIONS, "fact": FACTS}.get(key)
            ok = r.enum(raw, path + (key,), choices) if choices else r.string(raw, path + (key,), f"a {key} id")
            if ok is not None:
                keys.append((key, ok))
        if not fields or all(fields[k] is MISSING for k in SELECTOR_KEYS):
            r.problem(path, "expected a selector with at least one of: " + ", ".join(SELECTOR_KEYS) + ", found none")
            return None
        return Selector(loaded.where(path), _path(path), tuple(keys))

    def entry(value, path):
        fields = r.mapping(value, path, ("id", "effect", "summary", "covers"), ("services", "draft"))
        if fields is None:
            return None
        ident = r.ident(fields["id"], path + ("id",))
        if ident is not None and ident in seen:
            r.problem(path + ("id",), f"expected each entry id once, found {ident!r} again (first at {seen[ident]})")
            ident = None
        elif ident is not None:
            seen[ident] = _path(path)
        effect = r.enum(fields["effect"], path + ("effect",), tuple(EFFECTS))
        summary = r.text(fields["summary"], path + ("summary",))
        services = None
        if fields["services"] is not MISSING:
            services = r.seq(fields["services"], path + ("services",),
                             lambda v, p: r.string(v, p, "a service id 'section/service'"))
        covers = r.seq(fields["covers"], path + ("covers",), selector, optional=False)
        first_at: dict[frozenset, str] = {}
        for sel in covers:
            if frozenset(sel.keys) in first_at:
                problems.append(Problem(loaded.rel, sel.where[0], sel.where[1], sel.path, "expected each selector once in an entry, "
                                        f"found the same as {first_at[frozenset(sel.keys)]} again (remove one)"))
            else:
                first_at[frozenset(sel.keys)] = sel.path
        if fields["covers"] is not MISSING and isinstance(fields["covers"], list) and not fields["covers"]:
            r.problem(path + ("covers",), "expected at least one selector, found an empty list")
        drafted = r.boolean(fields["draft"], path + ("draft",))
        if None in (ident, effect, summary) or not covers:
            return None
        return Entry(ident, effect, summary, services, covers, loaded.where(path), _path(path), drafted,
                     loaded.where(path + ("draft",)) if drafted else loaded.where(path))

    entries = r.seq(head["entries"], ("entries",), entry, optional=False)
    if since is None:
        return None
    return Register(rel, since, entries, (loaded.key_lines.get(("entries",), 1), 1), loaded.where(("since",)))


def _path(path: tuple) -> str:
    return dotted(path)


def assign(register: Register, changes) -> tuple[list[Explained], list[Group], list[Problem]]:
    """Each entry with what it covers, the groups no entry covers, and the problems found:
    records covered twice, entries and selectors matching nothing, effects that disagree,
    services that differ. Coverage is per record; an entry's groups are the diff's groups of
    its records."""
    problems: list[Problem] = []
    groups = group(changes)
    ctx = context(changes)
    owner: dict[str, Entry] = {}
    matched: dict[str, list[Change]] = {e.id: [] for e in register.entries}
    for entry in register.entries:
        for sel in entry.covers:
            hits = [m for g in groups for m in g.members if sel.matches(m, g.id)]
            if not hits:
                problems.append(Problem(register.rel, *sel.where, sel.path,
                                        f"expected a selector matching a change {register.since}→, found none matching "
                                        + ", ".join(f"{k}: {v}" for k, v in sel.keys)))
            for change in hits:
                first = owner.get(change.id)
                if first is not None and first.id != entry.id:
                    problems.append(Problem(register.rel, *sel.where, sel.path,
                                            f"expected each change covered by one entry, found {change.id!r} "
                                            f"covered here and by entry {first.id!r}"))
                    continue
                if first is None:
                    owner[change.id] = entry
                    matched[entry.id].append(change)
                    if not agrees(entry.effect, change, ctx):
                        problems.append(Problem(register.rel, *sel.where, sel.path,
                                                f"expected changes that agree with the effect {entry.effect!r}, "
                                                f"found {change.id!r} ({_describe(change, ctx)})"))
    explained = []
    for entry in register.entries:
        ids = {c.id for c in matched[entry.id]}
        mine = tuple(Group(tuple(m for m in g.members if m.id in ids)) for g in groups
                     if any(m.id in ids for m in g.members))
        done = Explained(entry, mine)
        explained.append(done)
        if entry.services is not None and mine and tuple(sorted(entry.services)) != tuple(sorted(done.services)):
            problems.append(Problem(register.rel, *entry.where, entry.path + ".services",
                                    f"expected the services of the changes covered ({', '.join(done.services) or 'none'}), "
                                    f"found {', '.join(entry.services) or 'none'}"))
    uncovered = [Group(tuple(m for m in g.members if m.id not in owner)) for g in groups
                 if any(m.id not in owner for m in g.members)]
    return explained, uncovered, problems


def _describe(change: Change, ctx: Context | None = None) -> str:
    bits = [change.kind, change.action + (", states a changed condition" if ctx and change.id in ctx.carriers else "")]
    if change.delta_kzt is not None:
        bits.append(f"Δ {change.delta_kzt:f} KZT")
    if change.facts:
        bits.append("requirement " + ", ".join(sorted(directions(change))))
    return " ".join(bits)


@dataclass(frozen=True)
class Explanation:
    """A diff read through its register: the entries with what they cover, and what no entry
    covers (empty when the register is complete)."""

    register: Register
    explained: tuple[Explained, ...]
    uncovered: tuple[Group, ...]

    def only(self, changes) -> Explanation:
        """The same, restricted to the given records (a filtered diff); entries left with
        nothing are dropped."""
        ids = {c.id for c in changes}

        def keep(groups):
            kept = (Group(tuple(m for m in g.members if m.id in ids)) for g in groups)
            return tuple(g for g in kept if g.members)
        explained = tuple(Explained(e.entry, keep(e.groups)) for e in self.explained)
        return Explanation(self.register, tuple(e for e in explained if e.groups), keep(self.uncovered))

    def by_effect(self) -> list[tuple[str, list[Explained]]]:
        """Entries by effect, in `EFFECTS` order (the register's order within an effect)."""
        found: dict[str, list[Explained]] = {}
        for done in self.explained:
            found.setdefault(done.entry.effect, []).append(done)
        return [(effect, found[effect]) for effect in EFFECTS if effect in found]

    def entries_of(self) -> dict[str, Entry]:
        """Record id → the entry covering it."""
        return {m.id: done.entry for done in self.explained for g in done.groups for m in g.members}


def explanation(root: Path, old: Edition, new: Edition, changes=None, full=None) -> Explanation | None:
    """The diff `old` → `new` (or the given records of it) read through the register of `new`,
    when it has one written since `old`; None otherwise (a reversed or skipping diff, a
    register with problems: `guidebook validate` reports those). `full`: the whole diff, when
    the caller has it already."""
    problems: list[Problem] = []
    register = read(root, new.year, problems)
    if register is None or problems or register.since != old.year:
        return None
    explained, uncovered, _ = assign(register, diff(old, new) if full is None else full)
    found = Explanation(register, tuple(explained), tuple(uncovered))
    return found if changes is None else found.only(changes)


def check(library: Library, root: Path, newer: Collection[int] | None = None) -> list[Problem]:
    """Register problems for each edition that follows another in the library (only those in
    `newer`, when given): shape, coverage and agreement; a published edition needs a register
    that covers everything, and holds no drafted entry."""
    problems: list[Problem] = []
    years = sorted(library.editions)
    for old_year, new_year in zip(years, years[1:], strict=False):
        if newer is not None and new_year not in newer:
            continue
        problems += pair_problems(root, library.editions[old_year], library.editions[new_year])
    return problems


DRAFTED = ("expected no drafted entry in a published edition (read its effect and summary against the print, "
           "then remove `draft: true`), found draft: true")


def pair_problems(root: Path, old: Edition, new: Edition, file: Path | None = None,
                  changes: tuple[Change, ...] | None = None) -> list[Problem]:
    """The register problems of `new` (its register read from `file` when given: a staged copy)
    against the diff `old` → `new` (`changes`, when the caller has it)."""
    problems: list[Problem] = []
    old_year, new_year = old.year, new.year
    published = new.status == "published"
    rel = f"editions/{new_year}/{FILE}"
    register = read(root, new_year, problems, file)
    if register is None or problems:  # coverage is checked once the shape is right
        if register is None and published and not (root / rel).is_file():
            problems.append(Problem(f"editions/{new_year}/edition.yaml", 1, 1, "",
                                    f"expected the register of changes since {old_year} ({rel}) for a "
                                    "published edition, found none"))
        return problems
    if register.since != old_year:
        return [Problem(rel, *register.since_at, "since", f"expected {old_year} (the previous edition), "
                                                          f"found {register.since}")]
    explained, uncovered, found = assign(register, diff(old, new) if changes is None else changes)
    if not published:  # a draft register is written as the edition is: gaps are fine
        return [p for p in found if "found none matching" not in p.message]
    problems += found
    for entry in register.entries:
        if entry.draft:
            problems.append(Problem(rel, *entry.draft_at, entry.path + ".draft", DRAFTED))
    for done in explained:
        if not done.groups:
            problems.append(Problem(rel, *done.entry.where, done.entry.path,
                                    f"expected an entry covering at least one change, found "
                                    f"{done.entry.id!r} covering none"))
    for g in uncovered:
        for change in g.members:
            problems.append(Problem(rel, *register.end, "entries",
                                    f"expected every change {old_year}→{new_year} covered by an entry, "
                                    f"found none covering {change.id!r} ({_describe(change)}"
                                    + (f", in {change.service}" if change.service else "") + ")"))
    return problems


def draft_gaps(library: Library, root: Path, year: int) -> tuple[int, int, int] | None:
    """For a draft that follows another edition in `library`: (the previous year, the changes
    since it that its register does not cover yet, the changes in all), counted as the diff
    groups them; None for a published edition or the first one. A draft may leave changes
    uncovered (`check`), so `guidebook validate` says how many instead of a bare "ok"."""
    new = library.editions[year]
    before = [y for y in sorted(library.editions) if y < year]
    if new.status != "draft" or not before:
        return None
    changes = diff(library.editions[before[-1]], new)
    groups = group(changes)
    problems: list[Problem] = []
    register = read(root, year, problems)
    if register is None or problems or register.since != before[-1]:  # none yet (or `check` reports it)
        return before[-1], len(groups), len(groups)
    _, uncovered, _ = assign(register, changes)
    return before[-1], len(uncovered), len(groups)


def drafted(root: Path, year: int) -> int:
    """How many entries of an edition's register are still marked `draft: true` (0 without a
    readable register: `check` reports its problems)."""
    problems: list[Problem] = []
    register = read(root, year, problems)
    return 0 if register is None or problems else sum(entry.draft for entry in register.entries)
