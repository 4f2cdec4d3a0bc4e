"""Two validated editions → their texts paired by id (service, step, document, fee option…).

Ids align services, steps and documents; lists without ids (process bullets, paragraphs,
notes, fee options) align by position within their aligned parent. Used to measure
translation memory and, later, by the diff.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..edition.models import Block, Edition, Service, Step, Text, block_texts

Pair = tuple[str, Text, Text]  # (where, old, new)


def _blocks(where: str, old: tuple[Block, ...], new: tuple[Block, ...]) -> Iterator[Pair]:
    yield from _list(where, block_texts(old), block_texts(new))


def _list(where: str, old, new) -> Iterator[Pair]:
    for i, (a, b) in enumerate(zip(old, new)):
        yield f"{where}[{i}]", a, b


def _steps(where: str, old: Step, new: Step) -> Iterator[Pair]:
    if old.title and new.title:
        yield f"{where}.title", old.title, new.title
    yield from _blocks(f"{where}.description", old.description, new.description)
    yield from _list(f"{where}.process", old.process, new.process)
    new_docs = {d.key: d for d in new.documents}
    for doc in old.documents:
        if doc.key in new_docs:
            yield f"{where}.documents[{doc.key}]", doc.text, new_docs[doc.key].text
    if old.fees and new.fees:
        if old.fees.title and new.fees.title:
            yield f"{where}.fees.title", old.fees.title, new.fees.title
        for i, (a, b) in enumerate(zip(old.fees.options, new.fees.options)):
            if a.label and b.label:
                yield f"{where}.fees.options[{i}].label", a.label, b.label
        new_notes = {f.refers_to: f for f in new.fees.footnotes}
        for note in old.fees.footnotes:
            if note.refers_to in new_notes:
                yield f"{where}.fees.footnotes[{note.refers_to}]", note.text, new_notes[note.refers_to].text
    for kind in ("delay", "general"):
        yield from _list(f"{where}.notes.{kind}", [n.text for n in old.notes if n.kind == kind],
                         [n.text for n in new.notes if n.kind == kind])


def _services(old: Service, new: Service) -> Iterator[Pair]:
    where = old.full_id
    yield f"{where}.title", old.title, new.title
    yield from _blocks(f"{where}.description", old.description, new.description)
    new_steps = {s.id: s for s in new.steps}
    for step in old.steps:
        if step.id in new_steps:
            yield from _steps(f"{where}.steps[{step.id}]", step, new_steps[step.id])


def aligned_texts(old: Edition, new: Edition) -> Iterator[Pair]:
    yield from _list("cover", old.cover, new.cover)
    yield from _blocks("overview", old.overview, new.overview)
    new_sections = {s.id: s for s in new.sections}
    for section in old.sections:
        other = new_sections.get(section.id)
        if other is None:
            continue
        yield f"{section.id}.title", section.title, other.title
        yield from _blocks(f"{section.id}.intro", section.intro, other.intro)
        yield from _list(f"{section.id}.process", section.process, other.process)
        new_services = {s.id: s for s in other.services}
        for service in section.services:
            if service.id in new_services:
                yield from _services(service, new_services[service.id])
    yield from _list("contacts.address", old.contacts.address, new.contacts.address)
