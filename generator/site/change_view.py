"""A `diff.Change` + the page language → what the diff page and the service boxes show.

`ChangeView` answers, in one language: what the change is about (service, fee option,
document name), its old and new values as readers see them (KZT grouped, qualifiers and
places by their labels, document ids by their catalogue names), Δ KZT and Δ %. Values are
plain strings; templates escape them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..edition.amounts import group_kzt
from ..changes.diff import MONEY_KINDS, Change
from ..edition.models import Edition, Text

QUALIFIER_LIST = {"forms": "form_", "for": "for_", "issuers": "issuer_", "contents": "content_"}
QUALIFIER_VALUE = {"variant": "variant_", "validity_from": "from_"}


@dataclass(frozen=True)
class ChangeView:
    change: Change
    subject: str  # e.g. "Personal-manager fee · IIN generation" or a document's name
    old: str
    new: str
    delta_kzt: str
    delta_pct: str


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


def _label(ui: dict, key: str, lang: str) -> str:
    return ui[key].get(lang) if key in ui else key


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
    """Reads changes in one language, with the catalogue, the labels and both editions."""

    def __init__(self, old: Edition, new: Edition, documents: dict, ui: dict[str, Text], lang: str):
        self.old, self.new, self.documents, self.ui, self.lang = old, new, documents, ui, lang

    def t(self, key: str) -> str:
        return _label(self.ui, key, self.lang)

    def document_name(self, key: str) -> str:
        doc_id, _, whom = key.partition("@")
        name = self.documents[doc_id].name.get(self.lang) if doc_id in self.documents else doc_id
        if whom:
            name += " (" + ", ".join(self.t("for_" + w) for w in whom.split("+")) + ")"
        return name

    def value(self, change: Change, value) -> str:
        if value is None:
            return "—"
        kind, qualifier = change.kind, change.field.rsplit(".", 1)[-1]
        if kind in MONEY_KINDS:
            return kzt(value, self.lang)
        if kind == "document" and change.field.endswith("]"):
            return self.document_name(re.search(r"\[(.*)\]$", change.field).group(1))
        if isinstance(value, bool):
            return self.t("word_yes" if value else "word_no")
        if qualifier == "validity_period":  # (bound, amount, unit)
            bound, amount, unit = value
            return self.t("period_" + bound).replace("{n}", str(amount)).replace(
                "{unit}", plural(self.t("unit_" + unit), amount, self.lang))
        if qualifier in QUALIFIER_VALUE:
            return self.t(QUALIFIER_VALUE[qualifier] + value)
        if isinstance(value, (tuple, list)):
            prefix = QUALIFIER_LIST.get(qualifier, "")
            return ", ".join(self.t(prefix + v) for v in value) if value else self.t("none_value")
        if qualifier == "dated":
            return self.t("current_year") if value == "current-year" else str(value)
        if qualifier == "place":
            return self.t("place_" + value)
        if qualifier == "source_language":
            return self.t("language_" + value)
        if kind == "service":
            service = self._service(value)
            return service.title.get(self.lang) if service else str(value)
        if kind == "contacts" and re.fullmatch(r"\d\d:\d\d-\d\d:\d\d", str(value)):
            return str(value).replace("-", "–")
        return str(value)

    def _step_title(self, change: Change) -> str:
        """The step's title, where the service prices more than one step (else the row is clear)."""
        service = self._service(change.service) if change.service else None
        if service is None or sum(1 for st in service.steps if st.fees) < 2:
            return ""
        step = next((st for st in service.steps if st.id == change.step), None)
        if step is None or step.title is None:
            return ""
        return step.title.corrected(self.lang) or step.title.get(self.lang)

    def _service(self, full_id: str):
        for edition in (self.new, self.old):
            for service in edition.services():
                if service.full_id == full_id:
                    return service
        return None

    def subject(self, change: Change) -> str:
        kind, field = change.kind, change.field
        if kind in MONEY_KINDS and kind != "mci":
            label = change.label.get(self.lang) if change.label else ""
            step = self._step_title(change)
            return self.t("kind_" + kind) + (f" · {label}" if label else "") + (f" · {step}" if step else "")
        if kind == "document":
            key = re.search(r"documents\[(.*?)\]", field).group(1)
            qualifier = field.rsplit(".", 1)[-1] if not field.endswith("]") else ""
            name = self.document_name(key)
            effect = f" ({self.t('effect_' + change.effect)})" if qualifier and change.effect else ""
            return name + (f" · {self.t('field_' + qualifier)}" if qualifier else "") + effect
        if kind in ("edition", "step") and not field.startswith("steps["):
            return self.t("kind_" + kind) + " · " + self.t("field_" + field.rsplit(".", 1)[-1])
        if kind == "contacts":
            phone = re.match(r"phones\[(.*)\]", field)
            if phone:
                return f"{self.t('kind_contacts')} · {phone.group(1)}"
            return self.t("kind_contacts") + " · " + (self.t("address") if field.startswith("address")
                                                       else self.t("field_" + field.rsplit(".", 1)[-1]))
        return self.t("kind_" + kind)

    def view(self, change: Change) -> ChangeView:
        old, new = self.value(change, change.old), self.value(change, change.new)
        if change.kind == "state-fee" or change.kind == "indexation":
            old = self._state(change.old_parts, change.old) if change.old is not None else "—"
            new = self._state(change.new_parts, change.new) if change.new is not None else "—"
        if change.kind == "priority-fee":
            old, new = self._fast(change.old_parts, change.old), self._fast(change.new_parts, change.new)
            # A walk-in total rests on our reading of how that fee is paid: say so beside it.
            old += f" ({self.t('total_assumes')})" if dict(change.old_parts).get("walk_in") and change.assumes else ""
            new += f" ({self.t('total_assumes')})" if dict(change.new_parts).get("walk_in") and change.assumes else ""
        return ChangeView(change=change, subject=self.subject(change), old=old, new=new,
                          delta_kzt=signed_kzt(change.delta_kzt, self.lang) if change.kind in MONEY_KINDS else "",
                          delta_pct=percent(change.delta_pct, self.lang) if change.kind in MONEY_KINDS else "")

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
        return f"{kzt(total, self.lang)} ({shown})" if len(parts) > 1 else f"{kzt(total, self.lang)} ({shown})"
