"""Two editions' prose → texts paired by id, and paragraphs/bullets paired by content.

Ids pair services, steps, documents, fee options, footnotes and titles. Texts without ids
(paragraphs, bullets, process items, notes, cover and address lines) are paired by content
within their parent (the edition, a section, a service, a step, the address): exact equals
first, then the most similar pairs (word overlap in both languages), then a text that is
mostly contained in a text of the other edition joins it (a paragraph split in two, two
bullets merged), then loosely similar leftovers. A pair whose texts sit in different blocks
(a note that became a bullet) is a move; a group whose words are the same in both languages
in another order (address lines swapped) is a reorder. Everything is computed from the
earlier edition to the later one and mirrored otherwise, so `diff(b, a)` mirrors `diff(a, b)`.

Used by the diff (text changes), by the translation-symmetry check and to measure
translation memory.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..edition.models import LANGUAGES, Block, Edition, Section, Service, Step, Text

EXACT, SIMILAR, CONTAINED, LOOSE = 1.0, 0.5, 0.7, 0.25
RELATIONS = ("same", "changed", "moved", "split", "merged", "regrouped", "reordered", "added", "removed")


@dataclass(frozen=True)
class Item:
    """One text in its parent: the block it sits in (`place`), its position there, the text."""

    place: str
    index: int
    text: Text

    @property
    def name(self) -> str:
        return f"{self.place}[{self.index}]"


@dataclass(frozen=True)
class Match:
    """Texts of the two editions that are one unit: 1–1, a split (1–n), a merge (n–1), or one
    side empty (added / removed)."""

    old: tuple[Item, ...]
    new: tuple[Item, ...]

    @property
    def relation(self) -> str:
        if not self.old:
            return "added"
        if not self.new:
            return "removed"
        if len(self.old) == 1 and len(self.new) == 1:
            (a,), (b,) = self.old, self.new
            if a.place != b.place:
                return "moved"
            if same(a.text, b.text):
                return "same"
            return "reordered" if _words(self.old) == _words(self.new) else "changed"
        if _words(self.old) == _words(self.new):
            return "reordered"
        if len(self.old) == 1:
            return "split"
        return "merged" if len(self.new) == 1 else "regrouped"

    def mirrored(self) -> Match:
        return Match(old=self.new, new=self.old)


def readings(text: Text, lang: str) -> set[str]:
    """The printed text and, where a misprint is recorded, its corrected reading."""
    corrected = text.corrected(lang)
    return {text.get(lang)} | ({corrected} if corrected is not None else set())


def same(a: Text, b: Text, langs: Sequence[str] = LANGUAGES) -> bool:
    """Unchanged in every language: a reading of one equals a reading of the other (fixing a
    recorded misprint is not a change)."""
    return all(readings(a, lang) & readings(b, lang) for lang in langs)


def joined(items: Sequence[Item]) -> Text | None:
    """Several texts read as one (a split paragraph's parts, in order), `sic` readings kept."""
    if not items:
        return None
    if len(items) == 1:
        return items[0].text
    texts = [i.text for i in items]
    sic = {}
    for lang in LANGUAGES:
        if any(t.corrected(lang) is not None for t in texts):
            sic[lang] = " ".join(t.corrected(lang) or t.get(lang) for t in texts)
    return Text(en=" ".join(t.en for t in texts), ru=" ".join(t.ru for t in texts), sic=tuple(sorted(sic.items())))


_WORD = re.compile(r"\w+")


def _tokens(text: Text) -> Counter:
    return Counter(f"{lang}:{w}" for lang in LANGUAGES for w in _WORD.findall(text.get(lang).lower()))


def _words(items: Sequence[Item]) -> Counter:
    return sum((_tokens(i.text) for i in items), Counter())


def _dice(a: Counter, b: Counter) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def _contained(part: Counter, whole: Counter) -> float:
    size = sum(part.values())
    return sum((part & whole).values()) / size if size else 0.0


class _Tokens(dict):
    """Word counts of the items, made when first needed (most texts are matched unchanged)."""

    def __init__(self, old: Sequence[Item], new: Sequence[Item]):
        super().__init__()
        self.sides = {"a": old, "b": new}

    def __missing__(self, key):
        value = self[key] = _tokens(self.sides[key[0]][key[1]].text)
        return value


def align_items(old: Sequence[Item], new: Sequence[Item]) -> list[Match]:
    """Pair two lists of texts by content (see the module docstring), in the later list's
    order, then the unmatched old texts. Call it earlier → later; `mirrored` gives the rest."""
    tokens = _Tokens(old, new)
    group: dict[tuple, int] = {}  # item → group number
    members: dict[int, set] = {}

    def join(x, y):
        gx, gy = group.get(x), group.get(y)
        if gx is None and gy is None:
            n = len(members)
            members[n] = {x, y}
            group[x] = group[y] = n
        elif gx is None and gy is not None:
            members[gy].add(x)
            group[x] = gy
        elif gy is None and gx is not None:
            members[gx].add(y)
            group[y] = gx

    def greedy(threshold, score):
        pairs = sorted((-score(i, j), i + j, i, j) for i in range(len(old)) for j in range(len(new))
                       if ("a", i) not in group and ("b", j) not in group)
        for neg, _, i, j in pairs:
            if -neg >= threshold and ("a", i) not in group and ("b", j) not in group:
                join(("a", i), ("b", j))

    for i in range(min(len(old), len(new))):  # the usual case: unchanged, in place
        if same(old[i].text, new[i].text):
            join(("a", i), ("b", i))
    if len(group) == len(old) + len(new):
        return [Match(old=(a,), new=(b,)) for a, b in zip(old, new, strict=True)]
    greedy(EXACT, lambda i, j: 1.0 if same(old[i].text, new[j].text) else 0.0)
    greedy(SIMILAR, lambda i, j: _dice(tokens[("a", i)], tokens[("b", j)]))
    # A text mostly contained in one of the other side's joins that unit, if that brings the
    # two sides closer (a paragraph split in two, two bullets merged into one).
    for side, other, count in (("b", "a", len(old)), ("a", "b", len(new))):
        items = len(new) if side == "b" else len(old)
        for x in range(items):
            if (side, x) in group or sum(tokens[(side, x)].values()) < 3:
                continue
            best = max(range(count), key=lambda y: (_contained(tokens[(side, x)], tokens[(other, y)]), -y), default=None)
            if best is None or _contained(tokens[(side, x)], tokens[(other, best)]) < CONTAINED:
                continue
            y = (other, best)
            mine = [m for m in members.get(group.get(y, -1), ()) if m[0] == side]  # -1: no group
            theirs = [m for m in members.get(group.get(y, -1), {y}) if m[0] == other] or [y]
            before = _dice(sum((tokens[m] for m in mine), Counter()), sum((tokens[m] for m in theirs), Counter()))
            after = _dice(sum((tokens[m] for m in mine), Counter()) + tokens[(side, x)],
                          sum((tokens[m] for m in theirs), Counter()))
            if after > before:
                join(y, (side, x))
    greedy(LOOSE, lambda i, j: _dice(tokens[("a", i)], tokens[("b", j)]))

    matches = []
    seen = set()
    for j in range(len(new)):
        g = group.get(("b", j))
        if g is None:
            matches.append(Match(old=(), new=(new[j],)))
        elif g not in seen:
            seen.add(g)
            matches.append(Match(old=tuple(old[i] for s, i in sorted(members[g]) if s == "a"),
                                 new=tuple(new[k] for s, k in sorted(members[g]) if s == "b")))
    matches += [Match(old=(old[i],), new=()) for i in range(len(old)) if ("a", i) not in group]
    return matches


# -- the parents of an edition --------------------------------------------------------------

@dataclass(frozen=True)
class TextPair:
    """Texts of two editions at one place: `owner` (a path of ids: ("sections", section,
    "services", service, "steps", step) or shorter, ("contacts",), ()), and either a keyed
    text (`key`, e.g. "title", "documents[passport]") or a content match."""

    owner: tuple
    key: str | None
    match: Match

    @property
    def old(self) -> Text | None:
        return joined(self.match.old)

    @property
    def new(self) -> Text | None:
        return joined(self.match.new)


def _items(**places) -> list[Item]:
    return [Item(place, i, t) for place, texts in places.items() for i, t in enumerate(texts)]


def _block_items(place: str, blocks: tuple[Block, ...]) -> list[Item]:
    out, index = [], 0
    for block in blocks:
        for t in ([block.text] if block.text else block.bullets):
            out.append(Item(place, index, t))
            index += 1
    return out


def _keyed(owner, key, old: Text | None, new: Text | None) -> Iterator[TextPair]:
    if old is None and new is None:
        return
    yield TextPair(owner, key, Match(old=() if old is None else (Item(key, 0, old),),
                                     new=() if new is None else (Item(key, 0, new),)))


def _content(owner, old: list[Item], new: list[Item]) -> Iterator[TextPair]:
    for match in align_items(old, new):
        yield TextPair(owner, None, match)


def _by_key(old: dict, new: dict) -> Iterator[tuple]:
    for key in list(new) + [k for k in old if k not in new]:
        yield key, old.get(key), new.get(key)


def _step_items(s: Step) -> list[Item]:
    return (_block_items("description", s.description) + _items(process=s.process)
            + _items(**{f"notes.{kind}": [n.text for n in s.notes if n.kind == kind] for kind in ("delay", "general")}))


def _step(owner, old: Step | None, new: Step | None) -> Iterator[TextPair]:
    yield from _keyed(owner, "title", old.title if old else None, new.title if new else None)
    yield from _content(owner, _step_items(old) if old else [], _step_items(new) if new else [])
    ofees, nfees = old.fees if old else None, new.fees if new else None
    yield from _keyed(owner, "fees.title", ofees.title if ofees else None, nfees.title if nfees else None)
    # Labels of the options in both steps: an option added or removed is one change, its label with it.
    both = min(len(ofees.options if ofees else ()), len(nfees.options if nfees else ()))
    olabels = {f"fees.options[{i}].label": o.label for i, o in enumerate(ofees.options[:both] if ofees else ()) if o.label}
    nlabels = {f"fees.options[{i}].label": o.label for i, o in enumerate(nfees.options[:both] if nfees else ()) if o.label}
    for key, a, b in _by_key(olabels, nlabels):
        yield from _keyed(owner, key, a, b)
    onotes = {f"fees.footnote[{f.refers_to}]": f.text for f in (ofees.footnotes if ofees else ())}
    nnotes = {f"fees.footnote[{f.refers_to}]": f.text for f in (nfees.footnotes if nfees else ())}
    for key, a, b in _by_key(onotes, nnotes):
        yield from _keyed(owner, key, a, b)


def document_texts(step: Step | None) -> dict:
    """documents[key] → the document's printed wording (and its note, under documents[key].note)."""
    out = {}
    for d in step.documents if step else ():
        out[f"documents[{d.key}]"] = d.text
        if d.note is not None:
            out[f"documents[{d.key}].note"] = d.note
    return out


def _service(owner, old: Service | None, new: Service | None) -> Iterator[TextPair]:
    yield from _keyed(owner, "title", old.title if old else None, new.title if new else None)
    yield from _content(owner, _block_items("description", old.description) if old else [],
                        _block_items("description", new.description) if new else [])
    osteps = {s.id: s for s in (old.steps if old else ())}
    nsteps = {s.id: s for s in (new.steps if new else ())}
    for key, a, b in _by_key(osteps, nsteps):
        if a and b:  # a step added or removed is one change, its texts with it
            yield from _step(owner + ("steps", key), a, b)


def _section(owner, old: Section | None, new: Section | None) -> Iterator[TextPair]:
    yield from _keyed(owner, "title", old.title if old else None, new.title if new else None)
    yield from _content(owner, (_block_items("intro", old.intro) + _items(process=old.process)) if old else [],
                        (_block_items("intro", new.intro) + _items(process=new.process)) if new else [])
    oservices = {s.id: s for s in (old.services if old else ())}
    nservices = {s.id: s for s in (new.services if new else ())}
    for key, a, b in _by_key(oservices, nservices):
        if a and b:
            yield from _service(owner + ("services", key), a, b)


def _pairs(old: Edition, new: Edition) -> Iterator[TextPair]:
    yield from _content((), _items(cover=old.cover) + _block_items("overview", old.overview),
                        _items(cover=new.cover) + _block_items("overview", new.overview))
    osections = {s.id: s for s in old.sections}
    nsections = {s.id: s for s in new.sections}
    for key, a, b in _by_key(osections, nsections):
        if a and b:
            yield from _section(("sections", key), a, b)
    yield from _content(("contacts",), _items(address=old.contacts.address), _items(address=new.contacts.address))


def text_pairs(old: Edition, new: Edition, forward: bool = True) -> list[TextPair]:
    """Every prose text of two editions, paired (document wordings excepted: the diff reads
    them with their document). `forward=False`: `old` is the later edition; the pairing is
    computed the other way and mirrored."""
    if forward:
        return list(_pairs(old, new))
    return [TextPair(p.owner, p.key, p.match.mirrored()) for p in _pairs(new, old)]


def aligned_texts(old: Edition, new: Edition) -> Iterator[tuple[str, Text, Text]]:
    """(where, old, new) of every text present in both editions, documents included."""
    for pair in text_pairs(old, new):
        old_text, new_text = pair.old, pair.new
        if old_text is not None and new_text is not None:  # present in both editions
            where = "/".join(map(str, pair.owner + (pair.key or pair.match.new[0].name,)))
            yield where, old_text, new_text
    for section in old.sections:
        other = next((s for s in new.sections if s.id == section.id), None)
        for service in section.services:
            nservice = next((s for s in other.services if s.id == service.id), None) if other else None
            for step in service.steps:
                nstep = next((s for s in nservice.steps if s.id == step.id), None) if nservice else None
                ndocs = document_texts(nstep)
                for key, text in document_texts(step).items():
                    if key in ndocs:
                        yield f"{service.full_id}/{step.id}/{key}", text, ndocs[key]
