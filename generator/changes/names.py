"""Two editions + the document catalogue + the site's labels → how a reader names the things a
change is about, in English or Russian: service and section titles, step titles, document
names (catalogue), fee labels, qualifier values, the page a change is on.

Used by `formats` (text, Markdown, CSV) and the site's change views; data only, no I/O.
"""
from __future__ import annotations

import re

from ..edition.amounts import group_kzt
from ..edition.models import Edition, Service, Text
from .diff import MONEY_KINDS, Change

# Where an unkeyed text sits (`align.Item.place`) → what a reader calls it.
PLACES = {
    "description": {"en": "description", "ru": "описание"},
    "process": {"en": "application process", "ru": "процесс подачи"},
    "notes.general": {"en": "note", "ru": "примечание"},
    "notes.delay": {"en": "note on delays", "ru": "примечание о задержках"},
    "intro": {"en": "introduction", "ru": "вступление"},
    "cover": {"en": "cover", "ru": "обложка"},
    "overview": {"en": "overview", "ru": "обзор"},
    "address": {"en": "address", "ru": "адрес"},
    "title": {"en": "title", "ru": "заголовок"},
    "fees.title": {"en": "fee table heading", "ru": "заголовок таблицы сборов"},
    "label": {"en": "fee row label", "ru": "строка таблицы сборов"},
    "footnote": {"en": "fee footnote", "ru": "сноска к сборам"},
}
RELATIONS = {
    "moved": {"en": "moved to another block", "ru": "перенесено в другой блок"},
    "split": {"en": "split into several paragraphs", "ru": "разделено на несколько абзацев"},
    "merged": {"en": "several paragraphs merged", "ru": "несколько абзацев объединены"},
    "regrouped": {"en": "paragraphs regrouped", "ru": "абзацы перегруппированы"},
}
def reading(text: Text, lang: str) -> str:
    return text.corrected(lang) or text.get(lang)


class Names:
    """Reader's names for the changes between `old` and `new` (both editions' years too)."""

    def __init__(self, old: Edition, new: Edition, documents: dict, ui: dict, site_url: str = "/"):
        """`site_url`: what page_url resolves against — the site's public address, "" for an
        address relative to the site's root, "/" (the default) for one from the host's root."""
        self.old, self.new, self.documents, self.ui = old, new, documents, ui or {}
        self.site_url = site_url
        self.old_year, self.new_year = old.year, new.year
        self._services = {}
        for edition in (old, new):  # the new edition's titles win
            for s in edition.services():
                self._services[s.full_id] = (edition, s)
        self._sections = {section.id: section for e in (old, new) for section in e.sections}

    def t(self, key: str, lang: str) -> str:
        return self.ui[key].get(lang) if key in self.ui else key

    def service(self, full_id: str | None) -> Service | None:
        found = self._services.get(full_id) if full_id else None
        return found[1] if found else None

    def service_title(self, full_id: str | None, lang: str) -> str:
        service = self.service(full_id)
        if service is None:
            return full_id or ""
        return reading(service.title, lang)

    def section_title(self, section_id: str | None, lang: str) -> str:
        section = self._sections.get(section_id) if section_id else None
        if section is None:
            return section_id or ""
        title = reading(section.title, lang)
        return title[:1] + title[1:].lower() if title.isupper() else title

    def step_title(self, change: Change, lang: str) -> str:
        """The step's printed title ("Step 1 at Expat Centre"), or "" for a service's only step."""
        service = self.service(change.service)
        step = next((st for st in service.steps if st.id == change.step), None) if service else None
        if step is None:
            for edition in (self.old, self.new):
                for s in edition.services():
                    if s.full_id == change.service:
                        step = next((st for st in s.steps if st.id == change.step), step)
        return reading(step.title, lang) if step is not None and step.title is not None else ""

    def document_name(self, key: str, lang: str) -> str:
        doc_id, _, whom = key.partition("@")
        name = self.documents[doc_id].name.get(lang) if doc_id in self.documents else doc_id
        if whom:
            name += " (" + ", ".join(self.t("for_" + w, lang) for w in whom.split("+")) + ")"
        return name

    def place(self, field: str, lang: str) -> str:
        """A text's field ("process[2]", "fees.options[0].label", "description[0]+description[1]")
        → where a reader finds it."""
        first = field.split("+")[0]
        if first.startswith("fees.options["):
            name = "label"
        elif first.startswith("fees.footnote["):
            name = "footnote"
        else:
            name = re.sub(r"\[\d+\]$", "", first)
        return PLACES.get(name, {}).get(lang, name)

    def value(self, change: Change, value, lang: str, qualifier: str = "") -> str:
        """A fact's value as a reader sees it."""
        if value is None:
            return "—"
        if change.kind in MONEY_KINDS:
            return group_kzt(value)
        if change.kind == "condition":  # a tuple of the kind's values; () = the print states none
            return ", ".join(self.t("cond_" + v, lang) for v in value) if value else self.t("cond_none", lang)
        if isinstance(value, bool):
            return self.t("word_yes" if value else "word_no", lang)
        if qualifier == "validity_period":  # (bound, amount, unit); the unit's forms after a bound
            bound, amount, unit = value   # (Russian genitive: "не менее 3 месяцев", "более 21 месяца")
            return self.t("period_" + bound, lang).replace("{n}", str(amount)).replace(
                "{unit}", plural(self.t("bound_unit_" + unit, lang), amount, lang))
        if qualifier in ("variant", "validity_from"):
            return self.t({"variant": "variant_", "validity_from": "from_"}[qualifier] + value, lang)
        if isinstance(value, tuple):
            prefix = {"forms": "form_", "for": "for_", "issuers": "issuer_", "contents": "content_"}.get(qualifier, "")
            return ", ".join(self.t(prefix + v, lang) for v in value) if value else self.t("none_value", lang)
        if qualifier == "dated":
            return self.t("current_year", lang) if value == "current-year" else str(value)
        field = change.field.rsplit(".", 1)[-1]
        if field == "place":
            return self.t("place_" + value, lang)
        if field == "source_language":
            return self.t("language_" + value, lang)
        if change.kind == "step" and change.field.startswith("steps["):
            return value
        if change.kind == "service":
            return self.service_title(value, lang)
        if change.kind == "section":
            return self.section_title(value, lang)
        if change.kind == "option":  # its printed label, or its row's number
            return change.label.get(lang) if change.label else f"{self.t('kind_option', lang)} {int(value) + 1}"
        return str(value)

    def effect(self, effect: str, lang: str) -> str:
        return self.t("effect_" + effect, lang)

    def facts(self, change: Change, lang: str) -> str:
        """A document's requirement changes, e.g. 'if applicable: yes → no (tightened)'; a
        condition's, e.g. 'where: the EDS centre → the Expat Centre (changed)'."""
        prefix = "condition_" if change.kind == "condition" else "field_"
        return "; ".join(f"{self.t(prefix + name, lang)}: {self.value(change, old, lang, name)} → "
                         f"{self.value(change, new, lang, name)} ({self.effect(effect, lang)})"
                         for name, old, new, effect in change.facts)

    def subject(self, change: Change, lang: str) -> str:
        """What the change is about, e.g. "Personal-manager fee · IIN generation", a document's
        name, "Text · application process"."""
        kind = change.kind
        if kind in MONEY_KINDS and kind != "mci":
            label = change.label.get(lang) if change.label else ""
            return self.t("kind_" + kind, lang) + (f" · {label}" if label else "")
        if kind == "condition":  # conditions[kind:of]
            ckind, _, of = change.field[len("conditions["):-1].partition(":")
            return f"{self.t('kind_condition', lang)} · {self.t('of_' + of, lang)}"
        if kind == "document":
            found = re.search(r"documents\[(.*?)\]", change.field)
            return self.document_name(found.group(1) if found else change.field, lang)
        if kind == "option":
            label = change.label.get(lang) if change.label else ""
            return self.t("kind_option", lang) + (f" · {label}" if label else "")
        if kind == "misprint":  # a text's place, or the document whose wording it is
            found = re.match(r"documents\[(.*?)\]", change.field)
            where = self.document_name(found.group(1), lang) if found else self.place(change.field, lang)
            name = "misprint_introduced" if change.relation == "introduced" else "kind_misprint"
            return f"{self.t(name, lang)} · {where}"
        if kind == "text":
            bits = [self.t("kind_text", lang), self.place(change.field, lang)]
            if change.relation in RELATIONS:
                bits.append(RELATIONS[change.relation][lang])
            return " · ".join(bits)
        if kind == "contacts":
            phone = re.match(r"phones\[(.*)\]", change.field)
            if phone:
                return f"{self.t('kind_contacts', lang)} · {phone.group(1)}"
            name = self.t("address", lang) if change.field.startswith("address") else \
                self.t("field_" + change.field.rsplit(".", 1)[-1], lang)
            return f"{self.t('kind_contacts', lang)} · {name}"
        if kind in ("edition", "step", "note", "schedule") and not change.field.startswith("steps["):
            return self.t("kind_" + kind, lang) + " · " + self.t("field_" + change.field.rsplit(".", 1)[-1], lang)
        return self.t("kind_" + kind, lang)

    def page_url(self, change: Change, lang: str) -> str:
        """The site page the change is on: its service's page in the later edition that has it
        (the diff page for edition-level changes), resolved against `site_url`."""
        prefix = "ru/" if lang == "ru" else ""
        found = self._services.get(change.service) if change.service else None
        if found is None:
            return f"{self.site_url}{prefix}changes/{self.old_year}-{self.new_year}/#{change.id}"
        edition, service = found
        return f"{self.site_url}{prefix}{edition.year}/{service.section}/{service.id}/"


def plural(forms: str, n: int, lang: str) -> str:
    """'day|days' or Russian 'день|дня|дней' → the form for n."""
    parts = forms.split("|")
    if lang == "ru" and len(parts) == 3:
        if n % 10 == 1 and n % 100 != 11:
            return parts[0]
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return parts[1]
        return parts[2]
    return parts[0] if n == 1 else parts[-1]
