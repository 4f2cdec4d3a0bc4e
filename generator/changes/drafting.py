"""The diff old → new + the register of `new` (or none) + reader's names → the register entries
still to write: one per change no entry covers, each with a stable id, the effect its facts
imply, its services, stable selectors and a summary in both languages drafted from its facts
(`guidebook register draft`; `editorial/register_draft.py` writes them, marked `draft: true`).

A change is a diff group (`group`: the same change in several services once), except where
several groups are one change to a reader, drafted as one entry:
  - the MCI and the state fees that follow it (`fees-indexed`);
  - the edition's own details: its date, language, cover and overview (`edition-details`);
  - the contacts and working hours (`contacts-changed`);
  - a section added or removed, with every service in it (`option-added` / `-removed`);
  - a text that states a changed condition (it holds the condition's quoted words), or a step
    heading naming a changed place, with that condition or step.

The effect is the first of `PREFERENCE` that `register.agrees` allows for every record of the
change: the facts decide (a fee that rose is `fee-raised`, a document whose every changed fact
asks more is `requirement-tightened`, facts moving both ways `requirement-changed`, a corrected
misprint `misprint-corrected`); a text whose structured facts did not change is `wording-only`
until an editor reads it (it may state a rule more plainly or change an instruction). A change
no effect agrees with is not drafted; it is listed, for the editor to write by hand.

Selectors are `group:` ids (the diff's, derived from where a change is, never a record number);
where an entry already covers some records of a group, the others are named by group, service
and step. Every selector is checked to match exactly the records drafted for it. Ids are the
group's id without its kind, followed by the effect, unique in the register and among the
changes' anchors, at most 80 characters; the same diff and register always give the same entries.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from ..edition.amounts import group_kzt
from ..edition.models import LANGUAGES, Text
from .diff import MONEY_KINDS, Change
from .formats import percent
from .group import Group, group
from .names import Names, plural
from .register import OPTION_KINDS, Context, Register, Selector, agrees, assign, context

# The first of these that agrees with every record of a change is its effect.
PREFERENCE = (
    "fees-indexed", "fee-raised", "fee-lowered", "fee-added", "fee-removed", "fee-restructured",
    "option-added", "option-removed",
    "requirement-added", "requirement-removed", "requirement-tightened", "requirement-relaxed",
    "deadline-changed", "requirement-changed",
    "edition-details", "contacts-changed",
    "wording-only", "misprint-corrected",
)
MAX_ID = 80
KIND_PREFIXES = ("fee", "doc", "text", "misprint", "condition", "service", "section", "step", "option", "note")
WORDS = {
    "added": {"en": "added", "ru": "добавлено"},
    "removed": {"en": "removed", "ru": "убрано"},
    "worded": {"en": "the printed wording changed", "ru": "изменена формулировка в печатном тексте"},
    "misprint": {"en": "the print corrects its misprint", "ru": "в печатном тексте исправлена опечатка"},
    "dash": {"en": "a printed dash (no fee)", "ru": "прочерк (сбора нет)"},
    "follow": {"en": "the state fees set in MCI follow it", "ru": "госпошлины в МРП следуют за ним"},
}

# A section, service, step or fee option added / removed, in Russian (the noun's gender).
STRUCTURE_RU = {"section": ("добавлен", "убран"), "service": ("добавлена", "убрана"), "step": ("добавлен", "убран"),
                "option": ("добавлен", "убран")}


@dataclass(frozen=True)
class DraftEntry:
    """One entry to add to the register (selectors as (key, value) pairs, in `SELECTOR_KEYS` order)."""

    id: str
    effect: str
    summary: Text
    services: tuple[str, ...]
    covers: tuple[tuple[tuple[str, str], ...], ...]
    records: tuple[str, ...]  # the record ids it covers


@dataclass(frozen=True)
class Drafted:
    entries: tuple[DraftEntry, ...]
    refused: tuple[tuple[Group, str], ...]  # changes not drafted, and why
    uncovered: int  # changes (groups) no entry covered before


def draft(changes: tuple[Change, ...], names: Names, register: Register | None) -> Drafted:
    """The entries that would cover every change `register` leaves uncovered (see the module
    docstring). `changes` is the whole diff old → new."""
    full = group(changes)
    if register is None:
        uncovered, taken = list(full), set()
    else:
        explained, uncovered_groups, _ = assign(register, changes)
        uncovered = list(uncovered_groups)
        taken = {e.entry.id for e in explained}
    ctx = context(changes)
    owner = {m.id: g for g in full for m in g.members}
    entries: list[DraftEntry] = []
    refused: list[tuple[Group, str]] = []
    anchors = {c.id for c in changes} | taken
    for unit in _units(uncovered, ctx):
        found = _effect(unit, ctx)
        parts = [(unit, found)] if found else [([g], _effect([g], ctx)) for g in unit]
        for groups, effect in parts:
            if effect is None:
                refused += [(g, "no effect agrees with every record of it") for g in groups]
                continue
            covers = _selectors(groups, owner, full)
            if covers is None:
                refused += [(g, "no selector names exactly its records") for g in groups]
                continue
            ident = _ident(groups, effect, anchors)
            anchors.add(ident)
            records = tuple(m.id for g in groups for m in g.members)
            services = tuple(dict.fromkeys(m.service for g in groups for m in g.members if m.service))
            entries.append(DraftEntry(ident, effect, _summary(groups, effect, names, services), services,
                                      covers, records))
    return Drafted(tuple(entries), tuple(refused), len(uncovered))


# -- changes as a reader counts them ------------------------------------------------------------

def _units(uncovered: list[Group], ctx: Context) -> list[list[Group]]:
    """The uncovered groups gathered into changes (module docstring), in the diff's order."""
    units: list[list[Group]] = []
    by_key: dict[tuple, list[Group]] = {}
    carried = {t: tuple(c.id for c in found) for t, found in ctx.carriers.items()}
    home: dict[str, list[Group]] = {}  # record id → the unit holding it
    added_sections = {g.change.section: g for g in uncovered if g.change.kind == "section"}

    def key_of(g: Group) -> tuple | None:
        c = g.change
        if c.kind in ("mci", "indexation"):
            return ("mci",)
        if c.section is None and c.kind in ("edition", "text"):
            return ("edition",)
        if c.kind in ("contacts", "schedule"):
            return ("contacts",)
        if c.section in added_sections and all(m.action == added_sections[c.section].change.action
                                               and m.kind in OPTION_KINDS for m in g.members):
            return ("section", c.section)
        return None

    later: list[Group] = []
    for g in uncovered:
        key = key_of(g)
        if key is None and all(m.id in carried for m in g.members):
            later.append(g)  # placed with what it carries, once that is placed
            continue
        if key is None:
            unit = [g]
            units.append(unit)
        elif key in by_key:
            unit = by_key[key]
            unit.append(g)
        else:
            unit = by_key[key] = [g]
            units.append(unit)
        for m in g.members:
            home[m.id] = unit
    for g in later:
        targets = {id(home[c]): home[c] for m in g.members for c in carried[m.id] if c in home}
        if len(targets) == 1:
            next(iter(targets.values())).append(g)
        else:  # carries nothing uncovered (or several changes): a change of its own
            units.append([g])
    return units


def _effect(groups: list[Group], ctx: Context) -> str | None:
    records = [m for g in groups for m in g.members]
    places = [m for m in records if m.kind == "step" and not m.field.startswith("steps[")]
    # a step's place changed (with the heading naming it): which way the options moved
    moved = places and all(m in places or m.id in ctx.carriers for m in records)
    preference = _place_preference(places) if moved else PREFERENCE
    return next((e for e in preference if all(agrees(e, m, ctx) for m in records)), None)


def _place_preference(records: list[Change]) -> tuple[str, ...]:
    """A step's place changed: an option removed where the new place is one of the old ones
    ("embassy or airport" → "embassy"), added where the old is one of the new; else added."""
    def ways(value) -> set[str]:
        return set(str(value or "").split("-or-"))
    if all(ways(m.new) < ways(m.old) for m in records):
        return ("option-removed", "option-added")
    return ("option-added", "option-removed")


# -- selectors ----------------------------------------------------------------------------------

def _selectors(groups: list[Group], owner: dict[str, Group], full: tuple[Group, ...]):
    """`group:` selectors naming exactly the records of `groups` (a group partly covered
    already: each record by group, service and step); None if that cannot be done."""
    wanted = {m.id for g in groups for m in g.members}
    out: list[tuple[tuple[str, str], ...]] = []
    for g in groups:
        whole = owner[g.members[0].id]
        if {m.id for m in whole.members} <= wanted:
            selector: tuple[tuple[str, str], ...] = (("group", whole.id),)
            if selector not in out:
                out.append(selector)
            continue
        for m in g.members:
            keys = (("group", whole.id),) + tuple((k, v) for k, v in (("service", m.service), ("step", m.step)) if v)
            if keys not in out:
                out.append(keys)
    matched = {m.id for sel in out for f in full for m in f.members
               if Selector((1, 1), "", sel).matches(m, f.id)}
    return tuple(out) if matched == wanted else None


def _ident(groups: list[Group], effect: str, taken: set[str]) -> str:
    """`<first group's id without its kind>-<effect>` (the edition's details, contacts and the MCI
    by their effect), at most MAX_ID characters, not among `taken`."""
    first = groups[0].change
    if (first.kind in ("edition", "text") and first.section is None) or first.kind in ("contacts", "schedule", "mci",
                                                                                      "indexation"):
        base = {"fees-indexed": "mci-indexation"}.get(effect, effect)
    else:
        head, _, rest = groups[0].id.partition("-")
        base = f"{rest if head in KIND_PREFIXES and rest else groups[0].id}-{effect}"
    if len(base) > MAX_ID - 3:  # room for a "-2" suffix
        digest = hashlib.sha1(base.encode("utf-8")).hexdigest()[:8]
        base = f"{base[:MAX_ID - 3 - 10 - len(effect)].rstrip('-')}-{digest}-{effect}"
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    return ident


# -- summaries ----------------------------------------------------------------------------------

def _summary(groups: list[Group], effect: str, names: Names, services: tuple[str, ...]) -> Text:
    """What changed, in both languages, from the facts alone: where, what, old → new."""
    out = {}
    for lang in LANGUAGES:
        records = [g.change for g in groups]
        indexed = effect == "fees-indexed"
        whats = _indexed(groups, names, lang) if indexed else list(dict.fromkeys(_what(c, names, lang) for c in records))
        named = all(c.kind in ("section", "service") for c in records)  # the change names them
        where = "" if effect == "fees-indexed" or named else _where(services, names, lang)
        said = "; ".join([_before_mark(what) for what in whats[:-1]] + whats[-1:])
        # one full stop at the end, also after a name that ends with one
        out[lang] = (f"{where}: " if where else "") + said + ("" if said.endswith(".") else ".")
    return Text(en=out["en"], ru=out["ru"])


def _before_mark(name: str) -> str:
    """A printed name that ends a sentence ("… (снятие отпечатков пальцев).") without its full
    stop, where a colon or a semicolon follows it in a summary: "….: " would read as two marks.
    An abbreviation keeps its stop ("т.д.", "г.", "etc."), and so does "…". Only here: the name
    itself stays verbatim wherever the site shows it."""
    word = name.rsplit(maxsplit=1)[-1] if name.strip() else ""
    if not name.endswith(".") or name.endswith("..") or "." in word[:-1] or len(word) <= 4:
        return name
    return name[:-1]


def _where(services: tuple[str, ...], names: Names, lang: str, inside: bool = False) -> str:
    """The services by name (up to 3; a name without its final stop, _before_mark: a mark follows),
    or how many ("In 8 services"; `inside`: "in 8 services")."""
    if not services:
        return ""
    if len(services) <= 3:
        return "; ".join(f"{names.section_title(s.split('/')[0], lang)} › {_before_mark(names.service_title(s, lang))}"
                         for s in services)
    n = len(services)
    said = f"In {n} services" if lang == "en" else f"В {n} " + ("услуге" if n % 10 == 1 and n % 100 != 11
                                                                 else "услугах")
    return said[0].lower() + said[1:] if inside else said


def _indexed(groups: list[Group], names: Names, lang: str) -> list[str]:
    mci = next((g.change for g in groups if g.change.kind == "mci"), None)
    fees = sum(len(g.members) for g in groups if g.change.kind == "indexation")
    out = []
    if mci is not None:
        out.append(f"1 {names.t('kind_mci', lang)}: {_kzt(mci.old, lang)} → {_kzt(mci.new, lang)} KZT"
                   + (f" ({_pct(mci.delta_pct, lang)})" if mci.delta_pct is not None else "")
                   + (f", {WORDS['follow'][lang]}" if fees else ""))
    for g in groups:
        c = g.change
        if c.kind == "indexation":
            multiple = _number(dict(c.new_parts).get("mci", 0), lang)
            mci_name = "MCI" if lang == "en" else "МРП"
            out.append(f"{multiple} {mci_name}: {_kzt(c.old, lang)} → {_kzt(c.new, lang)} KZT ("
                       + _where(g.services, names, lang, inside=True) + ")")
    return out


def _what(change: Change, names: Names, lang: str) -> str:
    subject = _before_mark(names.subject(change, lang))
    kind, action = change.kind, change.action
    if kind in MONEY_KINDS:
        old, new = (_side(change, side, lang) for side in ("old", "new"))
        delta = ""
        if change.delta_kzt is not None:
            delta = f" ({'+' if change.delta_kzt > 0 else ''}{_kzt(change.delta_kzt, lang)} KZT"
            delta += f", {_pct(change.delta_pct, lang)})" if change.delta_pct is not None else ")"
        return f"{subject}: {old} → {new}{delta}"
    if kind in ("document", "condition"):
        if action != "changed" and kind == "document":
            return f"{subject}: {WORDS[action][lang]}"
        return f"{subject}: {names.facts(change, lang) or WORDS['worded'][lang]}"
    if kind == "misprint":
        return f"{subject}: {_corrected(change, lang) or WORDS['misprint'][lang]}"
    if kind == "timeframe":
        return f"{subject}: {_timeframe(change.old, names, lang)} → {_timeframe(change.new, names, lang)}"
    if kind == "text" or (kind == "contacts" and change.is_text):
        return f"{subject}: {WORDS['worded'][lang]}"
    if kind in OPTION_KINDS and action != "changed":
        value = names.value(change, change.new if action == "added" else change.old, lang)
        if kind == "service":
            value = f"{names.section_title(change.section, lang)} › {value}"
        word = WORDS[action][lang] if lang == "en" else STRUCTURE_RU[kind][action == "removed"]
        return f"{names.t('kind_' + kind, lang)} {word}: {value}"
    return f"{subject}: {names.value(change, change.old, lang)} → {names.value(change, change.new, lang)}"


def _corrected(change: Change, lang: str) -> str:
    """The printed words a corrected misprint changed, quoted: '"from" → "form"'."""
    old, new = change.old, change.new
    if not isinstance(old, Text) or not isinstance(new, Text):
        return ""
    printed = next((lg for lg in LANGUAGES if old.get(lg) != new.get(lg)), None)
    if printed is None:
        return ""
    left, right = ("\"", "\"") if lang == "en" else ("«", "»")
    return ", ".join(f"{left}{a.strip()}{right} → {left}{b.strip()}{right}"
                     for op, a, b in change.words_in(printed) if op != "equal")


def _timeframe(value, names: Names, lang: str) -> str:
    """'3-5 business-days' → '3-5 business days' (Russian: '3-5 рабочих дней')."""
    if not isinstance(value, str) or " " not in value:
        return "—" if value is None else str(value)
    span, unit = value.split(" ", 1)
    return f"{span} {plural(names.t('unit_' + unit, lang), int(span.split('-')[-1]), lang)}"


def _side(change: Change, side: str, lang: str) -> str:
    value = getattr(change, side)
    parts = dict(getattr(change, f"{side}_parts"))
    if value is None:
        return WORDS["dash"][lang] if parts.get("dash") else "—"
    if "mci" in parts:
        return f"{_number(parts['mci'], lang)} {'MCI' if lang == 'en' else 'МРП'} = {_kzt(value, lang)} KZT"
    return f"{_kzt(value, lang)} KZT"


def _kzt(value, lang: str) -> str:
    """1966 → '1 966'; 2162.5 → '2 162.5' (Russian: '2 162,5')."""
    return group_kzt(value, point="," if lang == "ru" else ".")


def _number(value, lang: str) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",") if lang == "ru" else text


def _pct(value: Decimal | None, lang: str) -> str:
    text = percent(value)
    return text.replace(".", ",") if lang == "ru" else text
