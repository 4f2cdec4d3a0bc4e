"""Two validated editions (old, new) → a sorted tuple of `Change` records.

`diff(old, new, rule)` compares language-neutral facts, aligned by id at every level:
sections, services (`full_id`), steps (id), documents (`DocumentRef.key`), fee options (by
position in the step's fee table), fee kinds, delay notes' facts (position), phones (number).
Texts are compared in both languages at once, paired by `align` (by id, or by content for
paragraphs and bullets, so a split, a merge, a move or a reorder is not reported as removed +
added): one record per text that changed, holding both languages, with word-level operations
per language for highlighting. Where a misprint is recorded (`sic`), a text is unchanged in a
language if either reading of one edition equals either reading of the other (fixing a typo
is not a wording change); where the printed text itself changed so (the newer print has the
older one's `sic` reading), it is a `misprint` record of its own. A document is one record:
its qualifiers' changes (`facts`, each with its effect on the applicant) and its printed
wording (`old`/`new`) together.

How: each edition's facts become a canonical nested dict (every id-list turned into a dict
keyed by id), flattened to one level keyed by path; a plain ordered DeepDiff (tree view,
`threshold_to_diff_deeper=0`, `ignore_numeric_type_changes=True`) finds the leaves that differ;
each leaf is mapped to its *unit* (one fee kind of one option, one document, one note's fact,
or a whole service / step / fee / phone added or removed) and each unit becomes one `Change`.
This is the only module that imports deepdiff; it is never left to align lists
(docs/notes/deepdiff.md says why).

Change kinds (`KINDS`):
  mci                   the edition's KZT value of 1 MCI (one edition-level change)
  edition               effective date, official language
  contacts, schedule    e-mail, phones (by number), address (both languages), opening hours
  section, service, step, option
                        added / removed, whatever it holds (a service without steps, a fee
                        option with blank cells): one record, its contents with it (a section's
                        services keep their own records); a step's place: changed
  fee                   the standard service fee
  personal-manager-fee  the personal-manager price
  priority-fee          the fast option: 2025's walk-in price (paid instead of the standard fee,
                        by our recorded reading: `assumes` names it) or 2026's priority surcharge
                        (paid on top of it, as printed); old/new are what the applicant pays in
                        total for the fast option,
                        `*_parts` say how. It is reported when the fast option itself changes
                        (price, surcharge, or one becoming the other), not again when only the
                        standard fee moves.
  state-fee             a state fee added, removed, or its MCI multiple changed
  indexation            same MCI multiple, new MCI value → new KZT amount
  timeframe             a fee option's timeframe
  document              added / removed / changed: `facts` holds each requirement fact that
                        changed (`requirements.FACTS`: if_applicable, copies, forms, dated,
                        issuers, variant, contents, validity…) as (name, old, new, effect), typed
                        by `requirements.requirement_changes`, and old/new the printed wording
                        (a `Text`). `for` is part of a document's
                        identity in a step (`DocumentRef.key`), so a new `for` reads as that
                        entry removed and another added.
  note                  the "may be extended up to N calendar days" of a delay note
  condition             a service's condition fact (edition/conditions.py: purpose, trigger,
                        covers, place, deadline, free-of-charge, verification), paired by
                        kind + `of`: old/new its values (tuples), `facts` one (kind, old, new,
                        effect) typed by `conditions.condition_effect`, old_line/new_line and
                        old_quote/new_quote the printed line and words it cites in each edition.
  text                  one text (title, paragraph, bullet, label, footnote…), old/new `Text`s;
                        `relation` says how the texts were paired: changed, moved (another
                        block, e.g. a note that became a bullet), split, merged, regrouped.
  misprint              a text (or a document's wording) whose readings agree but whose printed
                        form changed: `relation` "corrected" (the newer print has the older one's
                        `sic` reading), "introduced" in the mirror; never material.

Materiality: see `materiality` (by effect, configurable).

Properties: `diff(e, e) == ()`; `diff(b, a)` is `diff(a, b)` with every change mirrored
(added↔removed, old↔new, Δ KZT negated, Δ % recomputed against the other side, effects and
split/merge inverted, same ids). Ids are derived from the unit's path only (for paired texts,
the later edition's place), so they are stable across runs and usable as HTML anchors. Order:
the MCI first, edition-level facts, then sections and services in the later edition's order
(fees, documents, notes, texts within a service), contacts last.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from decimal import Context, Decimal
from functools import cached_property

from deepdiff import DeepDiff

from ..edition.conditions import condition_effect
from ..edition.models import LANGUAGES, Condition, DocumentRef, Edition, FeeOption, Step, Text
from .align import TextPair, document_texts, same, text_pairs
from .materiality import MaterialityRule
from .print_lines import PrintLines
from .requirements import MIRROR, requirement_changes, requirement_facts

KINDS = ("mci", "edition", "section", "service", "step", "option", "fee", "personal-manager-fee", "priority-fee",
         "state-fee", "indexation", "timeframe", "document", "note", "condition", "text", "misprint", "contacts", "schedule")
ACTIONS = ("added", "removed", "changed")
# Fee kinds of an option in the canonical form → change kind; "fast" is the walk-in price or
# priority surcharge, named "priority" in ids and fields.
FEE_KINDS = {"service": "fee", "personal_manager": "personal-manager-fee", "fast": "priority-fee",
             "state": "state-fee", "timeframe": "timeframe"}
FEE_NAMES = {"service": "service", "personal_manager": "personal_manager", "fast": "priority", "state": "state"}
MONEY_KINDS = ("mci", "fee", "personal-manager-fee", "priority-fee", "state-fee", "indexation")
MIRRORED_RELATION = {"split": "merged", "merged": "split", "corrected": "introduced", "introduced": "corrected"}
# A marker leaf in the canonical form of every section, service and fee option: each is there
# whatever it holds, so one added or removed is reported even when empty (a service without
# steps, an option whose cells are all blank).
_PRESENT = "present"

Value = None | bool | int | Decimal | str | tuple | Text
_PCT = Context(prec=28)


@dataclass(frozen=True)
class Change:
    """One change between two editions.

    `old`/`new` are None on the side where the thing is absent. For money kinds they are the
    KZT the applicant pays for that fee (the fast option: the total), and `old_parts` /
    `new_parts` say how it is made up (e.g. (("mci", 0.5), ("mci_kzt", 3932))); `label` names
    the fee option in both languages, for display only. For texts and documents they are the
    printed wording (`Text`, both languages); `words_in(lang)` holds the word-level operations
    of one language: (op, old_text, new_text), op ∈ equal, delete, insert, replace; joining
    either side's texts gives that side back. `facts`: a document's qualifier changes, each
    (name, old, new, effect). `old_line`/`new_line`: the seed line of the service (or section,
    contacts block) in each edition.
    """

    id: str
    kind: str
    action: str
    field: str
    section: str | None = None
    service: str | None = None  # full id, "section/service"
    step: str | None = None
    old: Value = None
    new: Value = None
    old_parts: tuple[tuple[str, Value], ...] = ()
    new_parts: tuple[tuple[str, Value], ...] = ()
    delta_kzt: Decimal | None = None
    delta_pct: Decimal | None = None
    material: bool = False
    old_line: int | None = None
    new_line: int | None = None
    label: Text | None = None  # a fee option's printed label (later edition's), e.g. "For Expert"
    facts: tuple[tuple[str, Value, Value, str], ...] = ()
    relation: str = ""
    assumes: tuple[str, ...] = ()  # ids of the interpretations (our readings) a total rests on
    old_quote: Text | None = None  # a condition: the printed words its line holds (each edition)
    new_quote: Text | None = None

    @property
    def is_text(self) -> bool:
        """Old/new are printed wordings (a text, an address, a document's wording)."""
        return isinstance(self.old, Text) or isinstance(self.new, Text)

    @cached_property
    def words(self) -> dict[str, tuple[tuple[str, str, str], ...]]:
        """Word-level operations per language (computed when first asked for: most callers
        filter or count changes and never need them); a language whose text did not change
        (a reading of each side agrees) has none."""
        old = self.old if isinstance(self.old, Text) else None
        new = self.new if isinstance(self.new, Text) else None
        if old is None and new is None:
            return {}
        out: dict[str, tuple[tuple[str, str, str], ...]] = {}
        for lang in LANGUAGES:
            a = "" if old is None else old.get(lang)
            b = "" if new is None else new.get(lang)
            if old is not None and new is not None and same(old, new, (lang,)) and (self.kind != "misprint" or a == b):
                out[lang] = ()
            else:
                out[lang] = _words(a, b)
        return out

    def words_in(self, lang: str) -> tuple[tuple[str, str, str], ...]:
        return self.words.get(lang, ())

    def mirrored(self) -> Change:
        """This change seen from the other edition (what `diff(new, old)` reports)."""
        action = {"added": "removed", "removed": "added"}.get(self.action, self.action)
        money = self.kind in MONEY_KINDS
        return replace(self, action=action, old=self.new, new=self.old, old_parts=self.new_parts,
                       new_parts=self.old_parts,
                       delta_kzt=-self.delta_kzt if money and self.delta_kzt is not None else None,
                       delta_pct=_pct(_printed(self.new, self.new_parts), _printed(self.old, self.old_parts))
                       if money else None,
                       old_line=self.new_line, new_line=self.old_line,
                       old_quote=self.new_quote, new_quote=self.old_quote,
                       facts=tuple((n, b, a, MIRROR[e]) for n, a, b, e in self.facts),
                       relation=MIRRORED_RELATION.get(self.relation, self.relation))


def later_first(old: Edition, new: Edition) -> bool:
    """Whether `new` is the later edition: by year, and for two versions of one year by a
    fixed order of their contents, so that diff(b, a) and diff(a, b) agree on it."""
    if new.year != old.year:
        return new.year > old.year
    return old == new or repr(new) >= repr(old)


def official(old: Edition, new: Edition) -> tuple[str, ...]:
    """The language both editions were printed in (where a print can fix its own misprint), or
    none: a translation agreeing with the other print's `sic` reading corrects nothing printed."""
    return (new.source_language,) if old.source_language == new.source_language else ()


def misprint(old: Text, new: Text, langs: tuple[str, ...] = LANGUAGES) -> str | None:
    """How a text's printed form changed in `langs` (the editions' official language) where its
    readings agree: "corrected" when the newer print has the older one's `sic` reading (the print
    fixed its own misprint), "introduced" the other way round (the mirror), None when the printed
    texts are equal or differ otherwise."""
    for lang in langs:
        a, b = old.get(lang), new.get(lang)
        if a == b:
            continue
        if old.corrected(lang) == b and new.corrected(lang) is None:
            return "corrected"
        if new.corrected(lang) == a and old.corrected(lang) is None:
            return "introduced"
    return None


def diff(old: Edition, new: Edition, rule: MaterialityRule = MaterialityRule()) -> tuple[Change, ...]:
    """Every change from `old` to `new`, sorted (see the module docstring)."""
    if old == new:
        return ()
    forward = later_first(old, new)
    a, b = _canon(old), _canon(new)
    units = {_unit(path, a, b) for path in _differing_leaves(_flat(a), _flat(b))}
    pairs = text_pairs(old, new, forward=forward)
    units |= _worded_documents(old, new, official(old, new))
    order = _Order(b, a) if forward else _Order(a, b)
    builder = _Builder(old, new, a, b, rule, later=new if forward else old)
    keyed: list[tuple[tuple, tuple | None, TextPair | None]] = [(order.key(u), u, None) for u in units]
    keyed += [(order.key(pair.owner + ("text",)) + (n,), None, pair) for n, pair in enumerate(pairs)]
    changes = []
    for _, unit, pair in sorted(keyed, key=lambda k: k[0]):
        if pair is not None:
            change = builder.text(pair, forward)
        else:
            assert unit is not None  # each entry holds a unit or a text pair
            change = builder.change(unit)
        if change is not None:
            changes.append(change)
    return _unique_ids(changes)


def counts(changes) -> dict[str, int]:
    """Number of changes per kind, in `KINDS` order, kinds with none left out."""
    found: dict[str, int] = {}
    for change in changes:
        found[change.kind] = found.get(change.kind, 0) + 1
    return {kind: found[kind] for kind in KINDS if kind in found}


# -- canonical form ---------------------------------------------------------------------------
_ABSENT = object()


def _document(d: DocumentRef) -> dict:
    return requirement_facts(d)


def _option(o: FeeOption, mci_kzt: int) -> dict:
    out: dict[str, object] = {_PRESENT: True}
    if o.service is not None:
        out["service"] = o.service
    if o.personal_manager is not None:
        out["personal_manager"] = o.personal_manager
    if o.walk_in is not None or o.priority is not None:
        out["fast"] = {"walk_in": o.walk_in, "priority": o.priority}
    if o.state is not None:
        out["state"] = {"mci": o.state.mci, "kzt": o.state.kzt(mci_kzt)}
    if o.timeframe is not None:
        out["timeframe"] = {"min": o.timeframe.min, "max": o.timeframe.max, "unit": o.timeframe.unit}
    return out


def _step(s: Step, mci_kzt: int) -> dict:
    notes = {}
    for position, note in enumerate(n for n in s.notes if n.extension_calendar_days is not None):
        notes[f"{note.kind}[{position}]"] = {"extension_calendar_days": note.extension_calendar_days}
    # String keys: deepdiff reports int keys as 'number:0.000…' when numeric types are ignored.
    options = {str(i): _option(o, mci_kzt) for i, o in enumerate(s.fees.options)} if s.fees else {}
    # Key order here is the order changes are listed in within a service ("text": its texts).
    return {"options": options, "documents": {d.key: _document(d) for d in s.documents},
            "notes": notes, "place": s.place, "text": {}}


def _canon(e: Edition) -> dict:
    sections = {}
    for section in e.sections:
        services = {s.id: {_PRESENT: True, "steps": {st.id: _step(st, e.mci_kzt) for st in s.steps},
                           "conditions": {f"{c.kind}:{c.of}": c.values for c in s.conditions}, "text": {}}
                    for s in section.services}
        sections[section.id] = {_PRESENT: True, "services": services, "text": {}}
    return {
        "edition": {"mci_kzt": e.mci_kzt, "effective_from": e.effective_from and e.effective_from.isoformat(),
                    "source_language": e.source_language},
        "text": {},
        "sections": sections,
        "contacts": {"email": e.contacts.email,
                     "phones": {p.number: {"hours": p.hours} for p in e.contacts.phones}, "text": {}},
        "schedule": {"open": e.schedule.open, "lunch": e.schedule.lunch},
    }


def _steps_of(e: Edition) -> dict:
    return {("sections", section.id, "services", s.id, "steps", st.id): st
            for section in e.sections for s in section.services for st in s.steps}


def _worded_documents(old: Edition, new: Edition, langs: tuple[str, ...]) -> set:
    """Units of documents in both editions whose printed wording changed."""
    units = set()
    nsteps = _steps_of(new)
    for path, step in _steps_of(old).items():
        if path not in nsteps:
            continue
        a, b = document_texts(step), document_texts(nsteps[path])
        for d in step.documents:
            key = f"documents[{d.key}]"
            if key in b and (not same(a[key], b[key]) or misprint(a[key], b[key], langs) or
                             (key + ".note" in a) != (key + ".note" in b) or
                             (key + ".note" in a and not same(a[key + ".note"], b[key + ".note"]))):
                units.add(path + ("documents", d.key))
    return units


def _get(tree, path):
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return _ABSENT
        tree = tree[key]
    return tree


_SEP = "\x1f"  # joins a path into one flat key; no id or text name contains it


def _flat(tree: dict, prefix: str = "") -> dict:
    """Nested canonical form → {"sections␟employment-visa␟…": leaf} (tuples are leaves)."""
    out = {}
    for key, value in tree.items():
        path = f"{prefix}{_SEP}{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(_flat(value, path))
        else:
            out[path] = value
    return out


def _differing_leaves(a: dict, b: dict):
    """Leaf paths that differ between two flat forms, found by DeepDiff.

    DeepDiff is given only the leaves that are not plainly equal (Python ==, which like
    `ignore_numeric_type_changes` takes 4 == 4.0 == Decimal(4)): on this data its fixed cost per
    key, not the comparison, is what takes time, and most leaves are unchanged. One flat level
    keeps its paths short; the dicts keep it aligned by id (never by list position).
    """
    missing = object()
    a_rest = {k: v for k, v in a.items() if b.get(k, missing) != v}
    b_rest = {k: v for k, v in b.items() if a.get(k, missing) != v}
    found = DeepDiff(a_rest, b_rest, view="tree", threshold_to_diff_deeper=0, ignore_numeric_type_changes=True)
    for items in found.values():
        for item in items:
            key = item.path(output_format="list")[0]  # [key] or [key, position in a tuple]
            yield tuple(key.split(_SEP))


# -- units ------------------------------------------------------------------------------------
# Path shapes (S = ("sections", section, "services", service, "steps", step)):
#   S[:2] section (its marker leaf only: a section added or removed is reported beside each of
#   its services, which keep their own records) · S[:4] service · S step · S+("documents", key)
#   document · S+("options", i) fee option · S+("options", i, fee-kind) fee ·
#   ("contacts", "phones", number) phone: each can be added or removed, so the shallowest one
#   missing on one side is the unit (a service, step or option added or removed is one change,
#   whatever it holds). A document is one unit whatever changed in it; other leaves are cut to
#   their fact.

def _addable(path: tuple) -> list[int]:
    if path[:2] == ("contacts", "phones"):
        return [3]
    if path[0] != "sections":
        return []
    if path[2:] == (_PRESENT,):
        return [2]
    cuts = []
    if len(path) > 3 and path[2] == "services":
        cuts.append(4)
        if len(path) > 5 and path[4] == "steps":
            cuts.append(6)
            if len(path) > 7 and path[6] == "documents":
                cuts.append(8)
            elif len(path) > 7 and path[6] == "options":
                cuts.append(8)
                if len(path) > 8 and path[8] in FEE_KINDS:
                    cuts.append(9)
    return cuts


def _unit(path: tuple, a: dict, b: dict) -> tuple:
    cuts = _addable(path)
    for cut in cuts:
        if _get(a, path[:cut]) is _ABSENT or _get(b, path[:cut]) is _ABSENT:
            return path[:cut]
    if cuts and cuts[-1] in (3, 8, 9):
        return path[:cuts[-1]]
    if path[0] == "sections":
        return path[:9]  # a note's fact, a place
    return path[:2]


class _Builder:
    """Turns a unit path or a text pair into a `Change`, reading facts from both editions'
    canonical dicts."""

    def __init__(self, old: Edition, new: Edition, a: dict, b: dict, rule: MaterialityRule, later: Edition):
        self.old, self.new, self.a, self.b, self.rule = old, new, a, b, rule
        self.lines = (_lines(old), _lines(new))
        # Fee option labels, the later edition's winning (so diff(b, a) mirrors diff(a, b)).
        self.labels = {**_labels(new if later is old else old), **_labels(later)}
        self.steps = (_steps_of(old), _steps_of(new))
        self.conditions = (_conditions_of(old), _conditions_of(new))
        self.printed = (PrintLines(old), PrintLines(new))
        self.official = official(old, new)

    def _item_lines(self, where: dict, found, present: tuple[bool, bool]) -> dict:
        """`where` with old_line/new_line the item's own printed lines (`found(PrintLines, side)`,
        side 0 = old), each falling back to its heading line; None on a side without the item
        (an item added has no old line)."""
        for side, name in enumerate(("old_line", "new_line")):
            if not present[side]:
                where[name] = None
                continue
            line = found(self.printed[side], side)
            if line is not None:
                where[name] = line
        return where

    def change(self, unit: tuple) -> Change | None:
        va, vb = _get(self.a, unit), _get(self.b, unit)
        action = "added" if va is _ABSENT else "removed" if vb is _ABSENT else "changed"
        va, vb = (None if v is _ABSENT else v for v in (va, vb))
        where = self._where(unit)
        if unit[0] == "sections" and len(unit) == 2:
            return Change(id=_slug("section", unit[1]), kind="section", action=action, field="section",
                          old=va and unit[1], new=vb and unit[1],
                          material=self.rule.material("section", action, va, vb), **where)
        if unit[0] == "sections":
            return self._service_part(unit, where, action, va, vb)
        if unit == ("edition", "mci_kzt"):
            return self._money(unit, where, "mci", action, va, vb)
        if unit[:2] == ("contacts", "phones"):
            va, vb = (None if v is None else v["hours"] for v in (va, vb))
            where = self._item_lines(where, lambda p, _: p.phone(unit[2]), (va is not None, vb is not None))
            return Change(id=_slug("contacts", "phone", unit[2]), kind="contacts", action=action,
                          field=f"phones[{unit[2]}].hours", old=va, new=vb, **where)
        return Change(id=_slug(*unit), kind=unit[0], action=action, field=unit[1], old=va, new=vb, **where)

    def _where(self, unit: tuple) -> dict:
        if unit[:1] == ("contacts",):
            return {"old_line": self.old.contacts.line, "new_line": self.new.contacts.line}
        if unit[:1] != ("sections",):
            return {}
        out = {"section": unit[1]}
        key = unit[1]
        if len(unit) > 3 and unit[2] == "services":
            key = out["service"] = f"{unit[1]}/{unit[3]}"
            if len(unit) > 5 and unit[4] == "steps":
                out["step"] = unit[5]
        out["old_line"] = self.lines[0].get(key)
        out["new_line"] = self.lines[1].get(key)
        return out

    def text(self, pair: TextPair, forward: bool) -> Change | None:
        """The change of a paired text, or None when its readings still agree in both
        languages (or only the order of its words or its paragraph breaks changed)."""
        match = pair.match
        old, new = pair.old, pair.new
        relation = match.relation
        fixed = misprint(old, new, self.official) if old is not None and new is not None and same(old, new) else None
        if fixed is None and (relation in ("same", "reordered") or (old is not None and new is not None
                                                                    and same(old, new))):
            return None
        later, earlier = (match.new, match.old) if forward else (match.old, match.new)
        if pair.key is not None:
            name = pair.key
        elif later:
            name = later[0].name
        else:
            name = "was-" + earlier[0].name
        field = pair.key or "+".join(i.name for i in (later or earlier))
        action = "added" if old is None else "removed" if new is None else "changed"
        kind = "misprint" if fixed else "contacts" if pair.owner == ("contacts",) else "text"
        ident = _id_path(pair.owner)
        where = self._where(pair.owner)
        owner = where.get("service") or where.get("section")
        if pair.owner != ("contacts",):
            sides = (old, new)
            option = re.match(r"fees\.options\[(\d+)\]", field)
            if option and where.get("step"):
                where = self._item_lines(where, lambda p, _: p.option(owner, where["step"], int(option.group(1))),
                                         (old is not None, new is not None))
            else:
                where = self._item_lines(where, lambda p, side: p.text(owner, sides[side]),
                                         (old is not None, new is not None))
        return Change(id=_slug(kind, *ident, name), kind=kind, action=action, field=field, old=old, new=new,
                      relation=fixed or ("" if relation in ("added", "removed") else relation),
                      material=self.rule.material(kind, action, old, new), **where)

    def _service_part(self, unit, where, action, va, vb) -> Change:
        n, ident = len(unit), _id_path(unit)
        if n == 6 and unit[4] == "conditions":
            return self._condition(unit, ident, where, action, va, vb)
        if n == 4:
            return Change(id=_slug("service", *ident), kind="service", action=action, field="service",
                          old=va and where["service"], new=vb and where["service"],
                          material=self.rule.material("service", action, va, vb), **where)
        if n in (6, 7):  # a step added or removed, or its place: the step's heading line
            steps = [self.steps[side].get(unit[:6]) for side in (0, 1)]
            titles = [None if st is None else st.title for st in steps]
            where = self._item_lines(where, lambda p, side: p.text(where["service"], titles[side]),
                                     (steps[0] is not None, steps[1] is not None))
        if n == 6:
            return Change(id=_slug("step", *ident), kind="step", action=action, field=f"steps[{unit[5]}]",
                          old=va and unit[5], new=vb and unit[5],
                          material=self.rule.material("step", action, va, vb), **where)
        if n == 7:  # the step's place
            return Change(id=_slug("step", *ident), kind="step", action=action, field=unit[6],
                          old=va, new=vb, material=self.rule.material("step", action, va, vb), **where)
        container, key = unit[6], unit[7]
        if n == 8 and container == "options":  # a fee option added or removed, its fees with it
            where["label"] = self.labels.get(unit)
            where = self._item_lines(where, lambda p, _: p.option(where["service"], unit[5], int(key)),
                                     (va is not None, vb is not None))
            return Change(id=_slug("option", *ident), kind="option", action=action, field=f"fees.options[{key}]",
                          old=va and key, new=vb and key,
                          material=self.rule.material("option", action, va, vb), **where)
        if container == "documents":
            where = self._item_lines(where, lambda p, _: p.document(where["service"], unit[5], key),
                                     (va is not None, vb is not None))
            return self._document(unit, ident, where, action, va, vb)
        if container == "options":  # the option's row, printed even where this fee's cell is blank
            rows = [self._has_option(side, unit) for side in (0, 1)]
            where = self._item_lines(where, lambda p, _: p.option(where["service"], unit[5], int(key)),
                                     (rows[0], rows[1]))
        if container == "notes":  # a delay note's fact; its prose is a text change
            return Change(id=_slug("note", *ident), kind="note", action=action, field=f"notes[{key}].{unit[8]}",
                          old=va, new=vb, material=self.rule.material("note", action, va, vb), **where)
        where["label"] = self.labels.get(unit[:8])
        if unit[8] == "timeframe":
            old, new = va and _timeframe(va), vb and _timeframe(vb)
            return Change(id=_slug("fee", *ident), kind="timeframe", action=action,
                          field=f"fees.options[{key}].timeframe", old=old, new=new,
                          material=self.rule.material("timeframe", action, old, new), **where)
        return self._money(unit, where, FEE_KINDS[unit[8]], action, va, vb)

    def _document(self, unit, ident, where, action, va, vb) -> Change:
        key = unit[7]
        refs: list[DocumentRef | None] = []
        for side, facts in enumerate((va, vb)):
            step = self.steps[side].get(unit[:6]) if facts is not None else None
            refs.append(next((d for d in step.documents if d.key == key), None) if step else None)
        if action == "changed":
            old_ref, new_ref = refs
            assert old_ref is not None and new_ref is not None  # a changed document is in both steps
            facts = tuple((c.fact, c.old, c.new, c.effect) for c in requirement_changes(old_ref, new_ref))
        else:  # the requirements the document brings or takes away with it
            present = va if action == "removed" else vb
            facts = tuple((name, None if action == "added" else value, value if action == "added" else None, action)
                          for name, value in present.items() if name != "for" and value not in (None, (), False))
        wording = [None if ref is None else ref.text for ref in refs]
        if action == "changed" and not facts and _misprint_only(refs[0], refs[1], self.official):
            old_ref, new_ref = refs
            assert old_ref is not None and new_ref is not None
            return Change(id=_slug("misprint", *ident), kind="misprint", action=action, field=f"documents[{key}]",
                          old=wording[0], new=wording[1], relation=misprint(old_ref.text, new_ref.text, self.official) or "",
                          material=self.rule.material("misprint", action, va, vb), **where)
        return Change(id=_slug("doc", *ident), kind="document", action=action, field=f"documents[{key}]",
                      old=wording[0], new=wording[1], facts=facts,
                      material=self.rule.material("document", action, va, vb, facts), **where)

    def _has_option(self, side: int, unit: tuple) -> bool:
        step = self.steps[side].get(unit[:6])
        return step is not None and step.fees is not None and int(unit[7]) < len(step.fees.options)

    def _dashed(self, side: int, unit: tuple) -> bool:
        """Is this fee printed as a dash in that edition's option (unit: …, "options", i, fee kind)?"""
        step = self.steps[side].get(unit[:6])
        if step is None or step.fees is None or int(unit[7]) >= len(step.fees.options):
            return False
        return unit[8] in step.fees.options[int(unit[7])].dash

    def _condition(self, unit, ident, where, action, va, vb) -> Change:
        kind, _, of = unit[5].partition(":")
        facts = [self.conditions[side].get((where["service"], unit[5])) for side in (0, 1)]
        where["old_line"], where["new_line"] = (c.basis[0].line if c else None for c in facts)
        effect = condition_effect(kind, va, vb)
        return Change(id=_slug("condition", *ident), kind="condition", action=action,
                      field=f"conditions[{unit[5]}]", old=va, new=vb, facts=((kind, va, vb, effect),),
                      old_quote=facts[0].basis[0].quote if facts[0] else None,
                      new_quote=facts[1].basis[0].quote if facts[1] else None,
                      material=self.rule.material("condition", action, va, vb), **where)

    def _money(self, unit, where, kind, action, va, vb) -> Change:
        parts: list[tuple] = [(), ()]
        values = [va, vb]
        if kind == "mci":
            ident, field = ("mci",), "mci_kzt"
        else:
            name = FEE_NAMES[unit[8]]
            ident, field = ("fee",) + _id_path(unit[:8]) + (name,), f"fees.options[{unit[7]}].{name}"
        if kind == "state-fee":
            mci_kzt = (self.old.mci_kzt, self.new.mci_kzt)
            for side, v in enumerate((va, vb)):
                if v is not None:
                    parts[side] = (("mci", v["mci"]), ("mci_kzt", mci_kzt[side]))
                    values[side] = v["kzt"]
            if va is not None and vb is not None and va["mci"] == vb["mci"]:
                kind = "indexation"
        elif kind == "priority-fee":
            assumes = []
            for side, (tree, v, edition) in enumerate(((self.a, va, self.old), (self.b, vb, self.new))):
                if v is not None:
                    standard = _get(tree, unit[:8] + ("service",))
                    reading = edition.reading("walk_in") if v["walk_in"] is not None else None
                    parts[side], values[side] = _fast(None if standard is _ABSENT else standard,
                                                      v["walk_in"], v["priority"], reading and reading.paid)
                    assumes += [reading.id] if reading else []
            where["assumes"] = tuple(sorted(set(assumes)))
        old, new = (None if v is None else _num(v) for v in values)
        # A side printed as a dash ("-") is a printed zero: the difference is stated against it
        # (a blank cell, or a fee the print does not have at all, stays without one).
        if kind != "mci":
            old, new = (Decimal(0) if v is None and self._dashed(side, unit) else v for side, v in enumerate((old, new)))
            for side in (0, 1):
                if values[side] is None and self._dashed(side, unit):
                    parts[side] = (("dash", True),)
        return Change(id=_slug(*ident), kind=kind, action=action, field=field,
                      old=values[0], new=values[1], old_parts=parts[0], new_parts=parts[1],
                      delta_kzt=_delta(old, new), delta_pct=_pct(old, new),
                      material=self.rule.material(kind, action, old, new), **where)


def _misprint_only(old: DocumentRef | None, new: DocumentRef | None, langs: tuple[str, ...]) -> bool:
    """A document whose only printed change is a misprint corrected (or introduced): its
    wording's readings agree, its note is unchanged."""
    if old is None or new is None or not same(old.text, new.text) or not misprint(old.text, new.text, langs):
        return False
    return old.note == new.note


def _fast(standard, walk_in, priority, walk_in_paid=None):
    """How the fast option is paid → (parts, total): a walk-in price replaces the standard fee or is
    paid on top of it as the edition's recorded reading says (no reading: no total); a priority
    surcharge is paid on top of it, as printed."""
    parts = []
    if walk_in is not None:
        if walk_in_paid is None:
            return (("walk_in", walk_in),), None
        if walk_in_paid == "on-top-of-service":
            parts.append(("service", standard))
        parts.append(("walk_in", walk_in))
        base = walk_in + ((standard or 0) if walk_in_paid == "on-top-of-service" else 0)
    else:
        parts.append(("service", standard))
        base = standard or 0
    if priority is not None:
        parts.append(("priority", priority))
    total = base + (priority or 0)
    return tuple(parts), total


def _conditions_of(e: Edition) -> dict[tuple[str, str], Condition]:
    """(service full id, "kind:of") → the condition fact."""
    return {(s.full_id, f"{c.kind}:{c.of}"): c for s in e.services() for c in s.conditions}


def _labels(e: Edition) -> dict:
    """Option path (as in the canonical form) → the option's label."""
    return {("sections", section.id, "services", s.id, "steps", st.id, "options", str(i)): o.label
            for section in e.sections for s in section.services for st in s.steps
            for i, o in enumerate(st.fees.options if st.fees else ()) if o.label}


def _lines(e: Edition) -> dict:
    out = {}
    for section in e.sections:
        out[section.id] = section.provenance.line
        for s in section.services:
            out[s.full_id] = s.provenance.line
    return out


def _id_path(path: tuple) -> tuple:
    """The ids along a unit path without container names (the readable part of an anchor):
    section, service, step, then document key / option index / note key and what follows."""
    if path[:1] != ("sections",):
        return tuple(str(p) for p in path[1:])
    ids = list(path[1:8:2] + path[8:])
    if len(path) > 7 and path[6] == "documents":  # a document key: "doc@for+for"
        ids[3] = ids[3].replace("@", "-for-").replace("+", "-and-")
    return tuple(ids)


def _slug(*parts) -> str:
    return re.sub(r"[^a-z0-9]+", "-", "-".join(map(str, parts)).lower()).strip("-")


def _unique_ids(changes: list[Change]) -> tuple[Change, ...]:
    seen: dict[str, int] = {}
    out = []
    for change in changes:
        n = seen[change.id] = seen.get(change.id, 0) + 1
        out.append(change if n == 1 else replace(change, id=f"{change.id}-{n}"))
    return tuple(out)


class _Order:
    """Sort key of a unit: its group, then each key's position in the primary (later) edition,
    falling back to its position in the other edition after all of the primary's keys."""

    GROUPS = {"edition": 0, "text": 1, "sections": 2, "contacts": 3, "schedule": 4}

    def __init__(self, primary: dict, secondary: dict):
        self.primary, self.secondary = primary, secondary
        self.positions: dict[int, dict] = {}

    def _positions(self, tree) -> dict:
        if not isinstance(tree, dict):
            return {}
        if id(tree) not in self.positions:
            self.positions[id(tree)] = {key: i for i, key in enumerate(tree)}
        return self.positions[id(tree)]

    def key(self, unit: tuple) -> tuple:
        ranks = []
        p: object = self.primary
        s: object = self.secondary
        for key in unit:
            pp, sp = self._positions(p), self._positions(s)
            ranks.append(pp[key] if key in pp else len(pp) + sp.get(key, 0))
            p = p.get(key) if isinstance(p, dict) else None
            s = s.get(key) if isinstance(s, dict) else None
        group = self.GROUPS[unit[0]]
        if unit[0] != "sections":
            return (group, -1, -1, -1, tuple(ranks))
        # Within a service: steps' fees, documents, notes, place, texts (the key order of the
        # step's canonical dict), then the service's own texts.
        in_service = len(unit) > 3 and unit[2] == "services"
        if not in_service or len(unit) <= 6:
            category = -1 if in_service or len(unit) <= 2 else 9
        else:
            category = ranks[6] if unit[4] == "steps" else 9
        return (group, ranks[1], ranks[3] if in_service else -1, category, tuple(ranks))


def _timeframe(t: dict) -> str:
    span = str(t["min"]) if t["min"] == t["max"] else f"{t['min']}-{t['max']}"
    return f"{span} {t['unit']}"


def _printed(v, parts) -> Decimal | None:
    """A fee's amount as its difference is stated: a cell printed as a dash is a printed zero."""
    return Decimal(0) if v is None and dict(parts).get("dash") else _num(v)


def _num(v) -> Decimal | None:
    return v if v is None or isinstance(v, Decimal) else Decimal(v)


def _delta(old: Decimal | None, new: Decimal | None) -> Decimal | None:
    """new − old where both amounts are printed; a fee added or removed (a blank or a dash on one
    side) has no difference to state: reading the blank as 0 would put a number on the page
    that the print does not support."""
    if old is None or new is None:
        return None
    return Decimal(new) - Decimal(old)


def _pct(old: Decimal | None, new: Decimal | None) -> Decimal | None:
    if old is None or new is None or old == 0:
        return None
    return _PCT.divide(_PCT.multiply(new - old, 100), old)


def common_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many items two sequences share at their head and, after it, at their tail."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


_TOKEN = re.compile(r"\S+\s*")  # a word with the spaces after it: joining tokens gives the text back


def _words(old: str, new: str) -> tuple[tuple[str, str, str], ...]:
    """Word-level operations old → new: (op, old text, new text), op ∈ equal, delete, insert,
    replace; joining each side's texts gives that side back exactly. Words are matched without
    their trailing spaces (a sentence's last word has none). Computed in one canonical direction
    and inverted when needed, so the ops of diff(b, a) are exactly the mirror of diff(a, b)'s."""
    if old == new:
        return ()
    if new < old:
        swap = {"delete": "insert", "insert": "delete"}
        return tuple((swap.get(op, op), b, a) for op, a, b in _words(new, old))
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    wa, wb = [t.rstrip() for t in a], [t.rstrip() for t in b]
    # Most edits touch a few words of a long text: match the unchanged head and tail first and
    # leave only the middle to difflib (the costly part).
    head, tail = common_ends(wa, wb)
    ops = [("equal", 0, head, 0, head)] if head else []
    matcher = difflib.SequenceMatcher(None, wa[head:len(wa) - tail], wb[head:len(wb) - tail], autojunk=False)
    ops += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return tuple((tag, "".join(a[i1:i2]), "".join(b[j1:j2])) for tag, i1, i2, j1, j2 in ops)
