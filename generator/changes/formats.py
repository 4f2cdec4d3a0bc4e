"""A change list (from `diff.diff`) + reader's names → text, Markdown, JSON or CSV (one string).

Every renderer takes `(changes, names, lang)` and returns a `str`; none of them reads files,
so the same list always renders to the same bytes. Changes are shown grouped (`group`): a
change repeated across services is listed once with its services. Things are named as a
reader names them (`names.Names`: service and step titles, catalogue document names, fee
labels) in `lang` (text, Markdown); texts and document wordings show both languages.

- **text by entry** (`to_text_by_entry`, with the register's `Explanation`): counts and
  entries by effect first, then per effect each entry's summary, its services and the changes
  it covers (one line each, word diffs under texts), then any change no entry covers.
- **text**: counts first, the material changes, the changes repeated in several services,
  then per service one line per change (`+` added, `-` removed, `~` changed, `!` material);
  wording as a word diff per language (`[-old-]{+new+}`) with long unchanged runs elided; under
  each change its register selector (`selector: {group: <id>}`, the id of its group in the whole
  diff), which an editor copies under an entry's `covers:`.
- **markdown by entry** (`to_markdown_by_entry`): as text by entry, in Markdown: the counts,
  entries by effect, the fee table of the fee entries, then per effect each entry (an
  `<a id>` anchor = its register id) with its services and the changes it covers (each with
  its own `<a id>` anchor, word diffs under texts), then any change no entry covers.
- **markdown**: the same as text, with a fee table (service, fee, old, new, Δ KZT, Δ %, material) and
  an `<a id>` anchor per change; text escaped.
- **csv**: UTF-8 with a BOM (Excel detects the encoding), CRLF rows, columns `CSV_COLUMNS`,
  one row per change record and language (names, old and new in that language; the register
  entry, its effect and summary in that language where a register explains the diff;
  `old_line`/`new_line` the item's own printed lines). A cell starting with `=`, `+`, `-`, `@`,
  tab or CR is prefixed with `'` so a spreadsheet never runs it as a formula — except a plain
  number such as `-10000`, which must stay a number; inside a cell, after a `,` or `;`, such a
  character is preceded by a no-break space instead (`safe_cell`). For a `;` locale (Russian
  Excel) and as a workbook: `spreadsheet.py`.
- **json**: the schema below; every number that is money, a multiple or a percentage is a
  string (exact Decimal, never a float).

JSON schema (`"schema": "expat-guidebook/edition-diff/2"`):

    {
      "schema": "expat-guidebook/edition-diff/2",
      "old": 2025, "new": 2026,                     # edition years
      "records": <int>, "groups": <int>,           # change records; groups (the same change once)
      "material": <int>,                           # material groups
      "counts": {"<kind>": <int>, ...},            # records per kind (diff.KINDS order)
      "register": "editions/2026/changes.yaml" | null,   # the register read (null: none)
      "entries": [{                                # the register's entries (null: none)
        "id": "trp-employee-fee-raised", "effect": "fee-raised",   # register.EFFECTS
        "effect_name": {"en": "Fee raised", "ru": "…"}, "summary": {"en": "…", "ru": "…"},
        "services": [...], "changes": ["<group id>", ...], "records": ["<record id>", ...]
      }, ...] | null,
      "changes": [{                                # one per group
        "id": "…", "kind": "document", "action": "changed", "material": true,
        "services": ["employment-visa/visa-inside", ...],   # where it is ([] edition-level)
        "entries": ["<entry id>", ...],            # the register entries covering it
        "members": [{                              # the per-service records
          "id": "fee-other-services-iin-main-0-personal-manager",   # stable, an HTML anchor
          "kind": "personal-manager-fee",         # one of diff.KINDS
          "action": "changed",                    # added | removed | changed
          "field": "fees.options[0].personal_manager",
          "section": "other-services" | null,     # null: edition-level (MCI, contacts…)
          "service": "other-services/iin" | null,
          "step": "main" | null,
          "old": <value> | null, "new": <value> | null,   # null on the side where absent
          "old_parts": {"<name>": <value>, ...},  # how a money value is made up, e.g.
          "new_parts": {...},                     #   {"mci": "0.5", "mci_kzt": "3932"}
          "delta_kzt": "20000" | null,            # new − old, exact; null unless both printed
          "delta_pct": "16.66…" | null,           # (new − old) / old × 100, 28 digits
          "material": true | false,
          "facts": [{"name": "if_applicable", "old": <value>, "new": <value>,
                     "effect": "added" | "removed" | "tightened" | "relaxed" | "changed"}],
          "relation": "" | "moved" | "split" | "merged" | "regrouped"   # how texts paired
                      | "corrected" | "introduced",                 # a misprint (its mirror)
          "old_line": 608 | null, "new_line": 628 | null,   # seed line of the service
          "words": {"en": [["equal" | "delete" | "insert" | "replace", "<old>", "<new>"], ...],
                    "ru": [...]},                 # texts and document wordings
          "label": {"en": "For Expert", "ru": "Для эксперта"} | null,  # a fee option's label
          "assumes": ["walk-in-instead-of-service-fee", ...],   # our readings a total rests on
          "entry": "<entry id>" | null             # the register entry covering it
        }, ...]
      }, ...]
    }

A `<value>` is a string (id, money/multiples as decimal strings), a text `{"en", "ru"}` (plus
`"sic"` where a misprint is recorded), a boolean, a list of strings (document `forms`), or null.
"""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from ..edition.amounts import group_kzt
from ..edition.models import LANGUAGES, Text
from .diff import MONEY_KINDS, Change, counts
from .group import Group, group
from .names import Names
from .register import EFFECTS, Explanation

SCHEMA = "expat-guidebook/edition-diff/2"
CSV_COLUMNS = ("id", "group", "language", "section", "service", "service_title", "step", "step_title",
               "subject", "kind", "action", "facts", "old", "new", "delta_kzt", "delta_pct", "material",
               "services_in_group", "page_url", "path", "old_line", "new_line", "assumes", "entry", "effect",
               "entry_summary")
FORMATS = ("text", "markdown", "json", "csv")
MARK = {"added": "+", "removed": "-", "changed": "~"}
MATERIAL_RULE = {
    "en": "material: any change in what an applicant pays (MCI indexation included), any requirement, condition, "
          "option or deadline added, removed or changed; not wording",
    "ru": "существенные: любое изменение суммы к оплате (включая индексацию МРП), любое требование, условие, вариант "
          "или срок, добавленные, снятые или изменённые; не формулировки",
}


def render(fmt: str, changes, names: Names, lang: str = "en", explanation: Explanation | None = None,
           selectors: dict[str, str] | None = None) -> str:
    """The change list in one of `FORMATS`; with the register's `explanation`, text lists the
    changes by register entry and JSON/CSV name each change's entry. `selectors`: record id →
    the id of its group in the whole diff (what a register's `group:` selector names), for text
    output of a filtered list (default: the groups of `changes`)."""
    if fmt == "text" and explanation is not None:
        return to_text_by_entry(changes, names, explanation, lang, selectors)
    if fmt == "markdown" and explanation is not None:
        return to_markdown_by_entry(changes, names, explanation, lang)
    if fmt in ("json", "csv"):
        return {"json": to_json, "csv": to_csv}[fmt](changes, names, lang, explanation)
    if fmt == "text":
        return to_text(changes, names, lang, selectors)
    return to_markdown(changes, names, lang)


# -- values -----------------------------------------------------------------------------------

def money(value) -> str:
    """1966 → '1 966'; Decimal('2162.5') → '2 162.5' (the guidebooks' style)."""
    return "—" if value is None else group_kzt(value)


def signed_money(value) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + money(value)


def percent(value: Decimal | None) -> str:
    """Δ % for display only: two decimals, so 9.995 % reads 9.99 and not a misleading 10.0."""
    if value is None:
        return ""
    shown = value.quantize(Decimal("0.01"))
    return f"{'+' if shown > 0 else ''}{shown} %"


def plain(value, lang: str = "en") -> str:
    """A value as plain text (CSV cells)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def explain(change: Change, side: str) -> str:
    """A money value with how it is made up, e.g. '0.5 MCI × 3 932 = 1 966 KZT'."""
    value = getattr(change, side)
    parts = dict(getattr(change, f"{side}_parts"))
    if value is None:
        return "— (printed dash: no fee)" if parts.get("dash") else "—"
    if "mci" in parts:
        return f"{plain(parts['mci'])} MCI × {money(parts['mci_kzt'])} = {money(value)} KZT"
    if "walk_in" in parts:
        if value is None:
            return f"walk-in {money(parts['walk_in'])} KZT (how it is paid is not printed)"
        if "priority" in parts:
            return f"walk-in {money(parts['walk_in'])} + priority {money(parts['priority'])} = {money(value)} KZT"
        if "service" in parts:
            return f"{money(parts['service'])} standard + {money(parts['walk_in'])} walk-in = {money(value)} KZT (our reading)"
        return f"walk-in {money(value)} KZT (our reading: instead of the standard fee)"
    if "priority" in parts:
        return f"{money(parts['service'])} standard + {money(parts['priority'])} priority = {money(value)} KZT"
    return f"{money(value)} KZT"


def delta(change: Change) -> str:
    if change.delta_kzt is None:
        return ""
    bits = [f"{signed_money(change.delta_kzt)} KZT"]
    if change.delta_pct is not None:
        bits.append(percent(change.delta_pct))
    return ", ".join(bits)


def facts(change: Change, names: Names, lang: str) -> str:
    """A document's requirement changes, e.g. 'if applicable: yes → no (tightened)'."""
    return names.facts(change, lang)


def wrap(text: str, before: str, after: str) -> str:
    """Mark an edited run, leaving its surrounding spaces outside the marks
    ('~~a ~~' is not strikethrough in Markdown; '[-a-] b' reads better than '[-a -]b')."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    return f"{text[:start]}{before}{core}{after}{text[start + len(core):]}"


def word_diff(change: Change, lang: str, context: int | None = 6) -> str:
    """'[-old-]{+new+}' word diff in one language; unchanged runs longer than `context` words on
    each side of an edit are elided with '…' (None keeps everything)."""
    ops = change.words_in(lang)
    if not ops:
        if change.old is None or change.new is None:
            side = change.new if change.old is None else change.old
            if not isinstance(side, Text):
                return ""
            return f"{{+{side.get(lang)}+}}" if change.old is None else f"[-{side.get(lang)}-]"
        return ""
    out = []
    last = len(ops) - 1
    for i, (op, old, new) in enumerate(ops):
        if op == "equal":  # the two sides differ at most by trailing spaces: keep them
            out.append(_elide(max(old, new, key=len), context, head=i > 0, tail=i < last))
        else:
            out.append(wrap(old, "[-", "-]") + wrap(new, "{+", "+}"))
    return "".join(out)


def _elide(text: str, context: int | None, head: bool, tail: bool) -> str:
    words = text.split(" ")
    if context is None or len(words) <= 2 * context + 1:
        return text
    keep_head = words[:context] if head else []
    keep_tail = words[-context:] if tail else []
    return " ".join(keep_head + ["…"] + keep_tail)


def subject(change: Change, names: Names, lang: str) -> str:
    """Step title (where a service has several) and what the change is about."""
    step = names.step_title(change, lang)
    return " · ".join(filter(None, (step, names.subject(change, lang))))


def body(change: Change, names: Names, lang: str) -> str:
    """The change's facts in one line (wording is shown separately, per language)."""
    if change.kind in MONEY_KINDS:
        tail = f"  ({delta(change)})" if change.delta_kzt is not None else ""
        if change.assumes:
            tail += f"  [assumes our reading: {', '.join(change.assumes)}]"
        return f"{explain(change, 'old')} → {explain(change, 'new')}{tail}"
    if change.kind in ("document", "condition"):
        return facts(change, names, lang) or ("" if change.action == "changed" else change.action)
    if change.is_text:
        return ""
    old, new = names.value(change, change.old, lang), names.value(change, change.new, lang)
    if change.action == "added":
        return f"added: {new}"
    if change.action == "removed":
        return f"removed: {old}"
    return f"{old} → {new}"


def headline(g: Group, names: Names, lang: str) -> dict:
    """How a group is introduced: sorted by where it is (edition, several services, one)."""
    change = g.change
    if len(g.services) > 1:
        return {"key": ("several",), "title": "In several services" if lang == "en" else "В нескольких услугах"}
    if change.section is None:
        contacts = change.kind in ("contacts", "schedule")
        return {"key": ("contacts" if contacts else "edition",),
                "title": ("Contacts and schedule" if contacts else "Edition") if lang == "en"
                else ("Контакты и график" if contacts else "Редакция")}
    if change.service is None:
        return {"key": ("section", change.section), "title": names.section_title(change.section, lang)}
    return {"key": ("service", change.service),
            "title": f"{names.section_title(change.section, lang)} › {names.service_title(change.service, lang)}"}


def ordered(groups) -> list[Group]:
    """Edition-level groups first, then the ones repeated in several services, then the rest,
    keeping the diff's order within each part; contacts last."""
    def rank(g: Group) -> int:
        if len(g.services) > 1:
            return 1
        if g.change.section is None:
            return 3 if g.change.kind in ("contacts", "schedule") else 0
        return 2
    return sorted(groups, key=rank)


def service_list(g: Group, names: Names, lang: str) -> str:
    return "; ".join(service_name(s, names, lang) for s in g.services)


def summary(changes, groups, names: Names) -> str:
    material = sum(g.material for g in groups)
    return (f"Edition diff {names.old_year} → {names.new_year}: {len(changes)} change records in "
            f"{len(groups)} changes, {material} material")


# -- text -------------------------------------------------------------------------------------

def group_ids(changes) -> dict[str, str]:
    """Record id → the id of its group (a register selector `group: <id>` covers the group)."""
    return {m.id: g.id for g in group(changes) for m in g.members}


def selector_line(g: Group, selectors: dict[str, str], indent: str) -> str:
    """The register selector naming a group, as an editor writes it under `covers:`."""
    return f"{indent}selector: {{group: {selectors.get(g.change.id, g.id)}}}"


def to_text(changes, names: Names, lang: str = "en", selectors: dict[str, str] | None = None) -> str:
    groups = group(changes)
    selectors = selectors or group_ids(changes)
    lines = [summary(changes, groups, names)]
    for change in changes:
        if change.kind == "mci":
            lines.append(f"MCI: {money(change.old)} → {money(change.new)} KZT ({delta(change)})"
                         " — every state fee is a multiple of it")
    found = counts(changes)
    if found:
        lines.append("Records by kind: " + " · ".join(f"{k} {n}" for k, n in found.items()))
    lines.append("Marks: + added, - removed, ~ changed, ! material (" + MATERIAL_RULE[lang] + ")")
    material = [g for g in groups if g.material]
    if material and len(material) < len(groups):  # a summary, unless everything listed is material
        lines += ["", "Material changes:"]
        for g in material:
            lines += _text_group(g, names, lang, scope=True)
    heading = None
    for g in ordered(groups):
        head = headline(g, names, lang)
        if head["key"] != heading:
            heading = head["key"]
            lines += ["", f"== {head['title']} =="]
        lines += _text_group(g, names, lang)
        lines.append(selector_line(g, selectors, "      "))
    return "\n".join(lines) + "\n"


def to_text_by_entry(changes, names: Names, explanation: Explanation, lang: str = "en",
                     selectors: dict[str, str] | None = None) -> str:
    """The changes as the register explains them: per effect, each entry's summary, the
    services it affects and the changes it covers (evidence, with word diffs, and the selector
    naming each); then anything no entry covers."""
    groups = group(changes)
    selectors = selectors or group_ids(changes)
    entries = explanation.explained
    lines = [summary(changes, groups, names) + f", explained by {len(entries)} register "
             + ("entry" if len(entries) == 1 else "entries")]
    for change in changes:
        if change.kind == "mci":
            lines.append(f"MCI: {money(change.old)} → {money(change.new)} KZT ({delta(change)})"
                         " — every state fee is a multiple of it")
    by_effect = explanation.by_effect()
    if by_effect:
        lines.append("Entries by effect: " + " · ".join(f"{effect_name(e, lang)[:1].lower()}{effect_name(e, lang)[1:]} {len(done)}"
                                                        for e, done in by_effect))
    lines.append("Marks: + added, - removed, ~ changed, ! material (" + MATERIAL_RULE[lang] + ")")
    for effect, done in by_effect:
        lines += ["", f"== {effect_name(effect, lang)} ({len(done)}) =="]
        for item in done:
            drafted = (" (draft: not yet read by an editor)" if lang == "en" else " (черновик: редактор ещё не читал)") \
                if item.entry.draft else ""
            lines += ["", f"  [{item.entry.id}]{drafted} {item.entry.summary.get(lang)}"]
            if item.services:
                lines.append(f"    {'services' if lang == 'en' else 'услуги'}: "
                             + "; ".join(service_name(s, names, lang) for s in item.services))
            for g in item.groups:
                lines += ["  " + line for line in _text_group(g, names, lang, scope=True)]
                if g.change.is_text:
                    for language in LANGUAGES:
                        words = word_diff(g.change, language)
                        if words:
                            lines.append(f"        {language}: {words}")
                lines.append(selector_line(g, selectors, "        "))
    if explanation.uncovered:
        lines += ["", f"== Not in the register ({len(explanation.uncovered)}) =="]
        for g in explanation.uncovered:
            lines += _text_group(g, names, lang, scope=True)
            lines.append(selector_line(g, selectors, "      "))
    return "\n".join(lines) + "\n"


def effect_name(effect: str, lang: str) -> str:
    return EFFECTS[effect][0 if lang == "en" else 1]


def service_name(full_id: str, names: Names, lang: str) -> str:
    return f"{names.section_title(full_id.split('/')[0], lang)} › {names.service_title(full_id, lang)}"


def _text_group(g: Group, names: Names, lang: str, scope: bool = False) -> list[str]:
    change = g.change
    mark = MARK[change.action] + ("!" if change.material else " ")
    where = ""
    if scope:
        where = (f" {service_list(g, names, lang)} ·" if 0 < len(g.services) < 3
                 else f" {len(g.services)} services ·" if g.services
                 else " " + headline(g, names, lang)["title"] + " ·")
    text = body(change, names, lang)
    out = [f"  {mark}{where} {subject(change, names, lang)}" + (f": {text}" if text else "")]
    if len(g.services) > 1 and not scope:
        out.append(f"      in {len(g.services)} services: {service_list(g, names, lang)}")
    if change.is_text and not scope:
        for language in LANGUAGES:
            words = word_diff(change, language)
            if words:
                out.append(f"      {language}: {words}")
    return out


# -- markdown ---------------------------------------------------------------------------------

def _md(text) -> str:
    """Escape for a Markdown table cell or line: HTML, emphasis, code, links and pipes."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)
    return text.replace("\n", " ")


def _md_words(change: Change, lang: str) -> str:
    ops = change.words_in(lang)
    if not ops:
        if change.old is None and isinstance(change.new, Text):
            return f"**{_md(change.new.get(lang))}**"
        if change.new is None and isinstance(change.old, Text):
            return f"~~{_md(change.old.get(lang))}~~"
        return ""
    out = []
    for op, old, new in ops:
        if op == "equal":
            out.append(_md(max(old, new, key=len)))
            continue
        out.append(wrap(_md(old), "~~", "~~") + wrap(_md(new), "**", "**"))
    return "".join(out)


def to_markdown(changes, names: Names, lang: str = "en") -> str:
    groups = group(changes)
    lines = [f"# Changes from the {names.old_year} to the {names.new_year} edition", ""]
    material = sum(g.material for g in groups)
    lines += [f"{len(groups)} changes ({len(changes)} records), {material} material ({MATERIAL_RULE[lang]}).", ""]
    for change in changes:
        if change.kind == "mci":
            lines += [f'<a id="{change.id}"></a>**MCI:** {money(change.old)} → {money(change.new)} KZT '
                      f"({delta(change)}); every state fee is a multiple of it.", ""]
    found = counts(changes)
    if found:
        lines += ["| Kind | Records |", "| --- | ---: |"]
        lines += [f"| {_md(names.t('kind_' + k, lang))} | {n} |" for k, n in found.items()]
        lines.append("")
    fees = [g for g in groups if g.change.kind in MONEY_KINDS and g.change.kind != "mci"]
    if fees:
        lines += ["## Fees", "", "| Service | Fee | Old | New | Δ KZT | Δ % | Material |",
                  "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
        for g in fees:
            c = g.change
            lines.append(f'| <a id="{c.id}"></a>{_md(service_list(g, names, lang))} '
                         f"| {_md(subject(c, names, lang))} | {_md(explain(c, 'old'))} | {_md(explain(c, 'new'))} "
                         f"| {signed_money(c.delta_kzt)} | {percent(c.delta_pct)} | {'yes' if c.material else 'no'} |")
        lines.append("")
    heading = None
    for g in ordered(groups):
        c = g.change
        if c.kind in MONEY_KINDS:
            continue
        head = headline(g, names, lang)
        if head["key"] != heading:
            heading = head["key"]
            lines += ["", f"## {_md(head['title'])}", ""]
        flag = " **(material)**" if c.material else ""
        text = body(c, names, lang)
        item = f'- <a id="{c.id}"></a>{MARK[c.action]} {_md(subject(c, names, lang))}{flag}' + (f": {_md(text)}" if text else "")
        lines.append(item)
        if len(g.services) > 1:
            lines.append(f"  - in {len(g.services)} services: {_md(service_list(g, names, lang))}")
        if c.is_text:
            for language in LANGUAGES:
                words = _md_words(c, language)
                if words:
                    lines.append(f"  - {language}: {words}")
    return "\n".join(lines).rstrip("\n") + "\n"


def to_markdown_by_entry(changes, names: Names, explanation: Explanation, lang: str = "en") -> str:
    """The changes in Markdown as the register explains them (see `to_text_by_entry`); the
    number of changes is the same as in every other format."""
    groups = group(changes)
    entries = explanation.explained
    material = sum(g.material for g in groups)
    lines = [f"# Changes from the {names.old_year} to the {names.new_year} edition", "",
             f"{len(groups)} changes ({len(changes)} records), {material} material ({MATERIAL_RULE[lang]}), "
             f"explained by {len(entries)} register {'entry' if len(entries) == 1 else 'entries'}.", ""]
    for change in changes:
        if change.kind == "mci":
            lines += [f"**MCI:** {money(change.old)} → {money(change.new)} KZT "
                      f"({delta(change)}); every state fee is a multiple of it.", ""]
    by_effect = explanation.by_effect()
    if by_effect:
        lines += ["| Effect | Entries | Changes |", "| --- | ---: | ---: |"]
        lines += [f"| {_md(effect_name(e, lang))} | {len(done)} | {sum(len(d.groups) for d in done)} |"
                  for e, done in by_effect]
        lines.append("")
    fees = [(done, g) for _, items in by_effect for done in items if done.entry.effect.startswith("fee-")
            for g in done.groups if g.change.kind in MONEY_KINDS]
    if fees:
        lines += ["## Fees", "", "| Entry | Service | Fee | Old | New | Δ KZT | Δ % |",
                  "| --- | --- | --- | ---: | ---: | ---: | ---: |"]
        for done, g in fees:
            c = g.change
            lines.append(f"| [{_md(done.entry.id)}](#{done.entry.id}) | {_md(service_list(g, names, lang))} "
                         f"| {_md(subject(c, names, lang))} | {_md(explain(c, 'old'))} | {_md(explain(c, 'new'))} "
                         f"| {signed_money(c.delta_kzt)} | {percent(c.delta_pct)} |")
        lines.append("")
    for effect, items in by_effect:
        lines += [f"## {_md(effect_name(effect, lang))} ({len(items)})", ""]
        for item in items:
            lines.append(f'- <a id="{item.entry.id}"></a>**{_md(item.entry.summary.get(lang))}**')
            if item.services:
                lines.append(f"  - {'services' if lang == 'en' else 'услуги'}: "
                             + _md("; ".join(service_name(s, names, lang) for s in item.services)))
            lines += _md_group(item.groups, names, lang, item.services)
        lines.append("")
    if explanation.uncovered:
        lines += [f"## Not in the register ({len(explanation.uncovered)})", ""]
        lines += [line[2:] for line in _md_group(explanation.uncovered, names, lang)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_group(groups, names: Names, lang: str, listed: tuple = ()) -> list[str]:
    """Each group as a nested list item with its anchor, its services (unless they are the
    `listed` ones of its entry) and word diffs."""
    lines = []
    for g in groups:
        c = g.change
        flag = " **(material)**" if c.material else ""
        text = body(c, names, lang)
        where = f" ({_md(service_list(g, names, lang))})" if len(g.services) > 1 and g.services != listed else ""
        lines.append(f'  - <a id="{c.id}"></a>{MARK[c.action]} {_md(subject(c, names, lang))}{flag}{where}'
                     + (f": {_md(text)}" if text else ""))
        if c.is_text:
            for language in LANGUAGES:
                words = _md_words(c, language)
                if words:
                    lines.append(f"    - {language}: {words}")
    return lines


# -- json -------------------------------------------------------------------------------------

def _json_value(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Text):
        out: dict[str, object] = {"en": value.en, "ru": value.ru}
        if value.sic:
            out["sic"] = dict(value.sic)
        return out
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, (int, Decimal)):
        return plain(value)
    return value


def as_dict(change: Change) -> dict:
    return {
        "id": change.id, "kind": change.kind, "action": change.action, "field": change.field,
        "section": change.section, "service": change.service, "step": change.step,
        "old": _json_value(change.old), "new": _json_value(change.new),
        "old_parts": {k: _json_value(v) for k, v in change.old_parts},
        "new_parts": {k: _json_value(v) for k, v in change.new_parts},
        "delta_kzt": _json_value(change.delta_kzt), "delta_pct": _json_value(change.delta_pct),
        "material": change.material,
        "facts": [{"name": n, "old": _json_value(a), "new": _json_value(b), "effect": e} for n, a, b, e in change.facts],
        "relation": change.relation,
        "old_line": change.old_line, "new_line": change.new_line,
        "words": {lang: [list(op) for op in ops] for lang, ops in change.words.items()},
        "label": None if change.label is None else {"en": change.label.en, "ru": change.label.ru},
        "assumes": list(change.assumes),
        "old_quote": None if change.old_quote is None else {"en": change.old_quote.en, "ru": change.old_quote.ru},
        "new_quote": None if change.new_quote is None else {"en": change.new_quote.en, "ru": change.new_quote.ru},
    }


def register_entries(explanation: Explanation) -> list[dict]:
    """The register's entries as data, each with the changes (groups) and records it covers."""
    return [{"id": done.entry.id, "effect": done.entry.effect,
             "effect_name": {"en": effect_name(done.entry.effect, "en"), "ru": effect_name(done.entry.effect, "ru")},
             "summary": {"en": done.entry.summary.en, "ru": done.entry.summary.ru},
             "services": list(done.services),
             "changes": list(dict.fromkeys(g.id for g in done.groups)),
             "records": [m.id for g in done.groups for m in g.members],
             "lines": [list(pair) for pair in done.lines]}
            for done in explanation.explained]


REGISTER_SCHEMA = "expat-guidebook/change-register/1"


def register_json(explanation: Explanation, old, new) -> str:
    """The register itself, downloadable: `{"schema", "old", "new", "changes": <number of
    changes, as everywhere>, "records", "entries": [as in to_json]}`."""
    groups = {g.id for done in explanation.explained for g in done.groups}
    document = {"schema": REGISTER_SCHEMA, "old": old.year, "new": new.year,
                "changes": len(groups), "records": sum(len(done.records) for done in explanation.explained),
                "entries": register_entries(explanation)}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def to_json(changes, names: Names, lang: str = "en", explanation: Explanation | None = None) -> str:
    groups = group(changes)
    owner = explanation.entries_of() if explanation else {}

    def member(m: Change) -> dict:
        out = as_dict(m)
        out["entry"] = owner[m.id].id if m.id in owner else None
        return out
    document = {"schema": SCHEMA, "old": names.old_year, "new": names.new_year,
                "records": len(changes), "groups": len(groups), "material": sum(g.material for g in groups),
                "counts": counts(changes),
                "register": None if explanation is None else explanation.register.rel,
                "entries": None if explanation is None else register_entries(explanation),
                "changes": [{"id": g.id, "kind": g.change.kind, "action": g.change.action, "material": g.material,
                             "services": list(g.services),
                             "entries": list(dict.fromkeys(owner[m.id].id for m in g.members if m.id in owner)),
                             "members": [member(m) for m in g.members]}
                            for g in groups]}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


# -- csv --------------------------------------------------------------------------------------
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # ASCII digits only: Excel reads these as numbers


def safe_cell(text: str) -> str:
    """Neutralise a spreadsheet formula: a cell starting with = + - @ tab or CR gets a leading
    quote, unless it is a plain number. A spreadsheet whose list separator is `;` (Russian and
    Kazakh locales) opening the `,` file splits a cell at every `,` and `;` in it, so a part that
    would start with one of those characters there starts instead with a no-break space (the
    space after the separator becomes one, or one is added): text, never a formula, and no stray
    apostrophe in a sentence such as "…, +9.99 %"."""
    parts = re.split(r"([,;])", text)
    for i in range(0, len(parts), 2):
        part = parts[i]
        body = part.lstrip(" ")
        if not body or body[0] not in "=+-@\t\r" or _NUMBER.fullmatch(body.rstrip(" ")):
            continue
        if i == 0 and body == part:
            parts[i] = "'" + part
        elif i:
            spaces = len(part) - len(body)
            parts[i] = " " * max(spaces - 1, 0) + "\u00a0" + body
    return "".join(parts)


def _csv_value(change: Change, value, names: Names, lang: str) -> str:
    if change.kind in MONEY_KINDS or isinstance(value, Text) or value is None:
        return plain(value, lang)
    return names.value(change, value, lang)


def to_csv(changes, names: Names, lang: str = "en", explanation: Explanation | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row, _ in csv_rows(changes, names, explanation):
        writer.writerow(row)
    return "\ufeff" + out.getvalue()


def csv_rows(changes, names: Names, explanation: Explanation | None = None):
    """(cells, record) per record and language, cells as plain text made safe (`safe_cell`)."""
    owner = explanation.entries_of() if explanation else {}
    for g in group(changes):
        for c in g.members:
            for language in LANGUAGES:
                path = "/".join(filter(None, (c.service or c.section, c.step, c.field)))
                row = (c.id, g.id, language, c.section, c.service, names.service_title(c.service, language),
                       c.step, names.step_title(c, language), names.subject(c, language), c.kind, c.action,
                       facts(c, names, language), _csv_value(c, c.old, names, language),
                       _csv_value(c, c.new, names, language), c.delta_kzt,
                       None if c.delta_pct is None else c.delta_pct.quantize(Decimal("0.01")),
                       "yes" if c.material else "no", len(g.services), names.page_url(c, language), path,
                       c.old_line, c.new_line, c.assumes)
                entry = owner.get(c.id)
                named = ((entry.id, effect_name(entry.effect, language), entry.summary.get(language))
                         if entry else (None, None, None))
                yield [safe_cell(plain(value)) for value in row + named], c
