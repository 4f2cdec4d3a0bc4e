"""A change group (`changes.group.Group`) + the page language → what the diff page and the
service boxes show.

`ChangeView` answers, in one language: what the change is about (step, fee option, document
name from the catalogue), its old and new values as readers see them (KZT grouped, qualifiers
and places by their labels), a document's requirement changes with their effect, the word
diff of its wording in this language, Δ KZT and Δ %, and the services it is in. Names come
from `changes.names.Names`; values are plain strings; templates escape them.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..changes.diff import MONEY_KINDS, Change
from ..changes.group import Group
from ..changes.names import Names, plural  # noqa: F401  (plural: render imports it from here)
from ..edition.amounts import group_kzt


@dataclass(frozen=True)
class ChangeView:
    change: Change
    group: Group
    subject: str  # e.g. "Personal-manager fee · IIN generation" or a document's name
    old: str
    new: str
    facts: str  # a document's requirement changes, e.g. "if applicable: yes → no (tightened)"
    words: tuple  # word diff of the wording in this language: (op, old, new)
    delta_kzt: str
    delta_pct: str
    services: tuple  # (full id, title) of every service the change is in


def kzt(value, lang: str) -> str:
    return "" if value is None else group_kzt(value, "\u00a0", "," if lang == "ru" else ".", "−")


def signed_kzt(value, lang: str) -> str:
    if value is None:
        return ""
    return ("+" if Decimal(str(value)) > 0 else "") + kzt(value, lang)


def percent(value, lang: str) -> str:
    if value is None:
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{'+' if number > 0 else ''}{number} %".replace("-", "−")
    return text.replace(".", ",") if lang == "ru" else text


class Describer:
    """Reads change groups in one language."""

    def __init__(self, names: Names, lang: str):
        self.names, self.lang = names, lang

    def t(self, key: str) -> str:
        return self.names.t(key, self.lang)

    def value(self, change: Change, value) -> str:
        if value is None:
            return "—"
        if change.kind in MONEY_KINDS:
            return kzt(value, self.lang)
        if change.is_text:
            return value.get(self.lang)
        if change.kind == "service":
            return self.names.service_title(value, self.lang)
        if change.kind == "contacts" and isinstance(value, str) and len(value) == 11 and value[5] == "-":
            return value.replace("-", "–")
        return self.names.value(change, value, self.lang)

    def subject(self, change: Change) -> str:
        service = self.names.service(change.service)
        several_steps = service is not None and sum(1 for st in service.steps if st.fees or st.documents) > 1
        step = self.names.step_title(change, self.lang) if several_steps else ""
        return " · ".join(filter(None, (self.names.subject(change, self.lang), step)))

    def group_subject(self, group: Group) -> str:
        """What a group is about: for one service as `subject`; across several services without
        a step's title (the step differs from service to service) and with every fee-row label
        its members print ("Assistance in obtaining an IIN / Electronic digital signature")."""
        change = group.change
        if len(group.services) <= 1:
            return self.subject(change)
        if change.kind in MONEY_KINDS and change.kind != "mci":
            labels = list(dict.fromkeys(m.label.get(self.lang) for m in group.members if m.label))
            name = self.names.t("kind_" + change.kind, self.lang)
            return " · ".join([name] + ([" / ".join(labels)] if labels else []))
        return self.names.subject(change, self.lang)

    def facts(self, change: Change) -> str:
        return self.names.facts(change, self.lang)

    def view(self, group: Group) -> ChangeView:
        change = group.change
        old, new = self.value(change, change.old), self.value(change, change.new)
        if change.kind in ("state-fee", "indexation"):
            old = self._state(change.old_parts, change.old) if change.old is not None else self._none(change.old_parts)
            new = self._state(change.new_parts, change.new) if change.new is not None else self._none(change.new_parts)
        if change.kind == "priority-fee":
            old, new = self._fast(change.old_parts, change.old), self._fast(change.new_parts, change.new)
            # A walk-in total rests on our reading of how that fee is paid: say so beside it.
            old += f" ({self.t('total_assumes')})" if dict(change.old_parts).get("walk_in") and change.assumes else ""
            new += f" ({self.t('total_assumes')})" if dict(change.new_parts).get("walk_in") and change.assumes else ""
        words = change.words_in(self.lang)
        if change.is_text and not words and (change.old is None or change.new is None):
            words = (("insert", "", new),) if change.old is None else (("delete", old, ""),)
        money = change.kind in MONEY_KINDS
        if money and change.kind != "mci":
            # A cell printed empty on one side (its row is printed): say so, never a bare dash.
            if change.old is None and change.old_line is not None and not dict(change.old_parts).get("dash"):
                old = self.t("not_printed")
            if change.new is None and change.new_line is not None and not dict(change.new_parts).get("dash"):
                new = self.t("not_printed")
        return ChangeView(change=change, group=group, subject=self.group_subject(group), old=old, new=new,
                          facts=self.facts(change), words=words,
                          delta_kzt=signed_kzt(change.delta_kzt, self.lang) if money else "",
                          delta_pct=percent(change.delta_pct, self.lang) if money else "",
                          services=tuple((s, self.names.service_title(s, self.lang)) for s in group.services))

    def _none(self, parts) -> str:
        """No amount on this side: a printed dash (no fee) says so; otherwise a plain dash."""
        return f"— ({self.t('printed_dash')})" if dict(parts).get("dash") else "—"

    def _state(self, parts, total) -> str:
        parts = dict(parts)
        mci = format(Decimal(str(parts["mci"])).normalize(), "f")
        mci = mci.replace(".", ",") if self.lang == "ru" else mci
        return f"{mci} {self.t('kind_mci')} × {kzt(parts['mci_kzt'], self.lang)} = {kzt(total, self.lang)}"

    def _fast(self, parts, total) -> str:
        if total is None:
            return "—"
        names = {"walk_in": "option_walk_in", "service": "fee_service", "priority": "option_priority"}
        shown = " + ".join(f"{self.t(names[k])} {kzt(v, self.lang)}" for k, v in parts if v is not None)
        return f"{kzt(total, self.lang)} ({shown})"

