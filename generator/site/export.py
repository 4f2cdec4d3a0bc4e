"""A validated edition → the JSON export published at /data/<year>.json (plain dicts).

Schema (version 1): {"schema": 1, "year", "status", "source_language", "source_file",
"effective_from" (ISO date or null), "mci_kzt", "contacts": {"email", "phones": [{"number",
"hours"}], "address": [text]}, "schedule": {"open", "lunch"}, "sections": [{"id", "title",
"services": [{"id", "full_id", "title", "description": [text], "provenance": {"line",
"heading", "item"}, "steps": [{"id", "title", "place", "process": [text], "documents": [{"doc",
"name", "text", "if_applicable", "for", "copies", "forms", "dated", "note", "issuers", "variant",
"contents", "contents_any", "validity": {"current", "amount", "unit", "bound", "counted_from",
"blank_pages"} or null}], "fees": {"title", "options": [{"label", "service", "personal_manager",
"walk_in", "priority", "state": {"mci", "kzt", "printed_kzt"}, "timeframe": {"min", "max",
"unit"}, "blank" (fee cells printed empty: not stated), "payable": [{"way", "lines": [{"kind",
"kzt"}], "total" (null: rests on a reading nobody recorded), "assumes" (the id of the
interpretation the total rests on, or null)}]}], "footnotes": [{"marker", "refers_to", "text"}]},
"notes": [{"kind", "text", "extension_calendar_days"}]}]}]}], "interpretations": [{"id", "fee",
"paid", "note", "ours": true}]} — an interpretation is our reading where the print is silent.
A text is {"en", "ru"} plus "sic" (corrected official reading) when there is one. Amounts are
KZT as JSON numbers (exact: whole tenge or halves); MCI multiples likewise.
"""
from __future__ import annotations

from decimal import Decimal

from ..edition.models import Block, DocumentRef, Edition, FeeOption, Interpretation, Text
from ..edition.payable import payable_ways


def _num(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _text(text: Text | None):
    if text is None:
        return None
    out: dict[str, object] = {"en": text.en, "ru": text.ru}
    if text.sic:
        out["sic"] = dict(text.sic)
    return out


def _blocks(blocks: tuple[Block, ...]) -> list:
    return [_text(b.text) if b.text else {"bullets": [_text(t) for t in b.bullets], "numbered": b.numbered}
            for b in blocks]


def _document(d: DocumentRef, documents: dict) -> dict:
    v = d.validity
    return {"doc": d.doc, "name": _text(documents[d.doc].name), "text": _text(d.text),
            "if_applicable": d.if_applicable, "for": list(d.for_whom), "copies": d.copies,
            "forms": list(d.forms), "dated": d.dated, "note": _text(d.note),
            "issuers": list(d.issuers), "variant": d.variant, "contents": list(d.contents),
            "contents_any": d.contents_any,
            "validity": None if v is None else {"current": v.current, "amount": v.amount, "unit": v.unit,
                                                "bound": v.bound, "counted_from": v.counted_from,
                                                "blank_pages": v.blank_pages}}


def _option(option: FeeOption, mci_kzt: int, readings: tuple[Interpretation, ...]) -> dict:
    return {
        "label": _text(option.label),
        "service": _num(option.service), "personal_manager": _num(option.personal_manager),
        "walk_in": _num(option.walk_in), "priority": _num(option.priority),
        "state": None if option.state is None else {
            "mci": _num(option.state.mci), "kzt": _num(option.state.kzt(mci_kzt)),
            "printed_kzt": _num(option.state.printed_kzt)},
        "timeframe": None if option.timeframe is None else {
            "min": option.timeframe.min, "max": option.timeframe.max, "unit": option.timeframe.unit},
        "blank": list(option.blank),
        "payable": [{"way": p.way, "lines": [{"kind": k, "kzt": _num(v)} for k, v in p.lines], "total": _num(p.total),
                     "assumes": p.assumes}
                    for p in payable_ways(option, mci_kzt, readings)],
    }


def edition_json(edition: Edition, documents: dict) -> dict:
    def step(s):
        return {
            "id": s.id, "title": _text(s.title), "place": s.place, "description": _blocks(s.description),
            "process": [_text(t) for t in s.process],
            "documents": [_document(d, documents) for d in s.documents],
            "fees": None if s.fees is None else {
                "title": _text(s.fees.title),
                "options": [_option(o, edition.mci_kzt, edition.interpretations) for o in s.fees.options],
                "footnotes": [{"marker": f.marker, "refers_to": f.refers_to, "text": _text(f.text)}
                              for f in s.fees.footnotes]},
            "notes": [{"kind": n.kind, "text": _text(n.text), "extension_calendar_days": n.extension_calendar_days}
                      for n in s.notes],
        }

    return {
        "schema": 1, "year": edition.year, "status": edition.status,
        "source_language": edition.source_language, "source_file": edition.source_file,
        "effective_from": edition.effective_from.isoformat() if edition.effective_from else None,
        "mci_kzt": edition.mci_kzt,
        "contacts": {"email": edition.contacts.email,
                     "phones": [{"number": p.number, "hours": p.hours} for p in edition.contacts.phones],
                     "address": [_text(t) for t in edition.contacts.address]},
        "schedule": {"open": edition.schedule.open, "lunch": edition.schedule.lunch},
        "sections": [{
            "id": sec.id, "title": _text(sec.title), "intro": _blocks(sec.intro),
            "process": [_text(t) for t in sec.process],
            "services": [{
                "id": svc.id, "full_id": svc.full_id, "title": _text(svc.title),
                "description": _blocks(svc.description),
                "provenance": {"line": svc.provenance.line, "heading": svc.provenance.heading,
                               "item": svc.provenance.item},
                "steps": [step(s) for s in svc.steps],
            } for svc in sec.services],
        } for sec in edition.sections],
        "interpretations": [{"id": i.id, "fee": i.fee, "paid": i.paid, "note": _text(i.note), "ours": True}
                            for i in edition.interpretations],
    }
