"""`changes.findings.Findings` + the page language → the report's sentences: the findings the
changes page opens with, and what did not change (plain strings; templates escape them).

Every figure comes from the findings; every word from content/ui.yaml (`findings_*` labels), so
both languages say the same thing.
"""
from __future__ import annotations

from decimal import Decimal

from ..changes.findings import Findings
from ..changes.names import Names
from .change_view import kzt, percent


def _t(names: Names, key: str, lang: str, **values) -> str:
    text = names.t(key, lang)
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def _span(span: tuple[Decimal, Decimal] | None, lang: str, names: Names) -> str:
    if span is None:
        return ""
    low, high = (percent(v, lang) for v in span)
    return low if low == high else _t(names, "findings_range", lang, low=low, high=high)


def sentences(f: Findings, names: Names, lang: str) -> list[str]:
    """The findings in at most four sentences: fees, requirements and conditions, the rest, and
    what stayed the same."""
    t = lambda key, **v: _t(names, key, lang, **v)  # noqa: E731
    out = []
    fees = []
    if f.raised:
        fees.append(t("findings_fees_raised", n=f.raised, range=_span(f.raised_pct, lang, names)))
    if f.lowered:
        fees.append(t("findings_fees_lowered", n=f.lowered, range=_span(f.lowered_pct, lang, names)))
    if f.added:
        fees.append(t("findings_fees_added", n=f.added))
    if f.removed:
        fees.append(t("findings_fees_removed", n=f.removed))
    if f.restructured:
        fees.append(t("findings_fees_restructured", n=f.restructured))
    if f.state_fees and f.mci:
        fees.append(t("findings_fees_state", n=f.state_fees, pct=percent(f.state_pct, lang) if f.state_pct else "",
                      old=kzt(f.mci[0], lang), new=kzt(f.mci[1], lang)))
    if fees:
        out.append(t("findings_fees", list=", ".join(fees)))
    e = f.effects
    rules = []
    for key, effects in (("findings_req_stricter", ("requirement-tightened",)),
                         ("findings_req_looser", ("requirement-relaxed",)),
                         ("findings_req_changed", ("requirement-changed",)),
                         ("findings_req_replaced", ("requirement-replaced",)),
                         ("findings_req_added", ("requirement-added",)),
                         ("findings_req_removed", ("requirement-removed",))):
        n = sum(e.get(x, 0) for x in effects)
        if n:
            rules.append(t(key, n=n))
    if rules:
        out.append(t("findings_requirements", list=", ".join(rules)))
    rest = []
    for key, effect in (("findings_option_added", "option-added"), ("findings_option_removed", "option-removed"),
                        ("findings_deadline", "deadline-changed"), ("findings_clarified", "rule-clarified"),
                        ("findings_instruction", "instruction-changed"),
                        ("findings_contacts", "contacts-changed"), ("findings_wording", "wording-only"),
                        ("findings_misprints", "misprint-corrected")):
        if e.get(effect):
            rest.append(t(key, n=e[effect]))
    if rest:
        out.append(t("findings_rest", list=", ".join(rest)))
    out.append(unchanged(f, names, lang))
    return out


def unchanged(f: Findings, names: Names, lang: str) -> str:
    """What stayed the same, in one sentence."""
    t = lambda key, **v: _t(names, key, lang, **v)  # noqa: E731
    bits = []
    if not f.services_added and not f.services_removed:
        bits.append(t("findings_same_services", n=f.services_kept))
    else:
        bits.append(t("findings_services_moved", kept=f.services_kept, added=f.services_added,
                      removed=f.services_removed))
    bits.append(t("findings_same_timeframes") if not f.timeframes_changed
                else t("findings_timeframes_changed", n=f.timeframes_changed))
    bits.append(t("findings_same_fees", n=len(f.kept)))
    return t("findings_unchanged", list="; ".join(bits))
