"""A change list (from `diff.diff`) → text for a terminal, Markdown, JSON or CSV (one string).

Every renderer takes `(changes, old_year, new_year)` and returns a `str`; none of them reads
files or the editions, so the same list always renders to the same bytes.

- **text**: the MCI change and the counts first, the material changes listed, then per
  section and service one line per change (`+` added, `-` removed, `~` changed, `!` material);
  text changes as a word diff (`[-old-]{+new+}`) with long unchanged runs elided.
- **markdown**: summary, a fee table (service, fee, old, new, Δ KZT, Δ %, material), then
  per service the other changes; an `<a id>` anchor per change; text escaped.
- **csv**: UTF-8 with a BOM (Excel detects the encoding), CRLF rows, columns `CSV_COLUMNS`.
  A cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so a spreadsheet
  never runs it as a formula — except a plain number such as `-10000`, which cannot be a
  formula and must stay a number for Excel.
- **json**: the schema below; every number that is money, a multiple or a percentage is a
  string (exact Decimal, never a float).

JSON schema (`"schema": "expat-guidebook/edition-diff/1"`):

    {
      "schema": "expat-guidebook/edition-diff/1",
      "old": 2025, "new": 2026,                     # edition years
      "counts": {"<kind>": <int>, ...},            # changes per kind (diff.KINDS order)
      "material": <int>,                           # how many changes are material
      "changes": [{
        "id": "fee-other-services-iin-main-0-personal-manager",   # stable, an HTML anchor
        "kind": "personal-manager-fee",           # one of diff.KINDS
        "action": "changed",                      # added | removed | changed
        "field": "fees.options[0].personal_manager",
        "section": "other-services" | null,       # null: edition-level (MCI, contacts…)
        "service": "other-services/iin" | null,
        "step": "main" | null,
        "lang": "en" | "ru" | null,               # text changes only
        "old": <value> | null, "new": <value> | null,   # null on the side where absent
        "old_parts": {"<name>": <value>, ...},    # how a money value is made up, e.g.
        "new_parts": {...},                       #   {"mci": "0.5", "mci_kzt": "3932"}
        "delta_kzt": "20000" | null,              # new − old, exact
        "delta_pct": "16.66…" | null,             # (new − old) / old × 100, 28 digits
        "material": true | false,
        "old_line": 608 | null, "new_line": 628 | null,   # seed line of the service
        "words": [["equal" | "delete" | "insert" | "replace", "<old>", "<new>"], ...],
        "label": {"en": "For Expert", "ru": "Для эксперта"} | null,  # a fee option's label
        "effect": "added" | "removed" | "tightened" | "relaxed" | "changed" | null,  # documents:
                                                  #   the requirement's effect on the applicant
        "assumes": ["walk-in-instead-of-service-fee", ...]   # our readings a total rests on
      }, ...]
    }

A `<value>` is a string (text, id, money/multiples as decimal strings), a boolean, a list of
strings (document `for`/`forms`), or null.
"""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from ..edition.amounts import group_kzt
from .diff import MONEY_KINDS, Change, counts

SCHEMA = "expat-guidebook/edition-diff/1"
CSV_COLUMNS = ("id", "section", "service", "kind", "action", "field", "old", "new", "delta_kzt",
               "delta_pct", "material", "old_line", "new_line", "effect", "assumes")
FORMATS = ("text", "markdown", "json", "csv")
MARK = {"added": "+", "removed": "-", "changed": "~"}
KIND_LABEL = {"mci": "MCI", "edition": "edition", "service": "service", "step": "step", "fee": "service fee",
              "personal-manager-fee": "personal-manager fee", "priority-fee": "walk-in / priority",
              "state-fee": "state fee", "indexation": "state fee (indexation)", "timeframe": "timeframe",
              "document": "document", "note": "note", "text": "text", "contacts": "contacts",
              "schedule": "schedule"}


def render(fmt: str, changes, old_year: int, new_year: int) -> str:
    """The change list in one of `FORMATS`."""
    return {"text": to_text, "markdown": to_markdown, "json": to_json, "csv": to_csv}[fmt](changes, old_year, new_year)


# -- values -----------------------------------------------------------------------------------

def money(value) -> str:
    """1966 → '1 966'; Decimal('2162.5') → '2 162.5' (the guidebooks' style)."""
    return "—" if value is None else group_kzt(value)


def signed_money(value) -> str:
    return ("+" if value > 0 else "") + money(value)


def percent(value: Decimal | None) -> str:
    """Δ % for display only: two decimals, so 9.995 % reads 9.99 and not a misleading 10.0."""
    if value is None:
        return ""
    shown = value.quantize(Decimal("0.01"))
    return f"{'+' if shown > 0 else ''}{shown} %"


def plain(value) -> str:
    """A value as plain text (CSV cells, text changes)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def shown(value) -> str:
    """A value for a reader: empty lists and missing values read as such."""
    if value is None:
        return "—"
    if value == ():
        return "none"
    return plain(value)


def explain(change: Change, side: str) -> str:
    """A money value with how it is made up, e.g. '0.5 MCI × 3 932 = 1 966 KZT'."""
    value = getattr(change, side)
    parts = dict(getattr(change, f"{side}_parts"))
    if value is None:
        return "—"
    if "mci" in parts:
        return f"{plain(parts['mci'])} MCI × {money(parts['mci_kzt'])} = {money(value)} KZT"
    if "walk_in" in parts:
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


def wrap(text: str, before: str, after: str) -> str:
    """Mark an edited run, leaving its surrounding spaces outside the marks
    ('~~a ~~' is not strikethrough in Markdown; '[-a-] b' reads better than '[-a -]b')."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    return f"{text[:start]}{before}{core}{after}{text[start + len(core):]}"


def word_diff(change: Change, context: int | None = 6) -> str:
    """'[-old-]{+new+}' word diff; unchanged runs longer than `context` words on each side of
    an edit are elided with '…' (None keeps everything)."""
    if not change.words:
        return f"{{+{change.new}+}}" if change.old is None else f"[-{change.old}-]"
    out = []
    last = len(change.words) - 1
    for i, (op, old, new) in enumerate(change.words):
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


def where(change: Change) -> str:
    """Step, option label and field, e.g. 'main · "For Expert" · fees.options[1].service'."""
    label = f"“{change.label.en}”" if change.label else None
    return " · ".join(filter(None, (change.step, label, change.field)))


# -- text -------------------------------------------------------------------------------------

def summary_lines(changes, old_year, new_year) -> list[str]:
    material = [c for c in changes if c.material]
    lines = [f"Edition diff {old_year} → {new_year}: {len(changes)} changes, {len(material)} material"]
    for change in changes:
        if change.kind == "mci":
            lines.append(f"MCI: {money(change.old)} → {money(change.new)} KZT ({delta(change)})"
                         " — every state fee is a multiple of it")
    found = counts(changes)
    if found:
        lines.append("By kind: " + " · ".join(f"{KIND_LABEL[k]} {n}" for k, n in found.items()))
    return lines


def to_text(changes, old_year: int, new_year: int) -> str:
    lines = summary_lines(changes, old_year, new_year)
    lines.append("Marks: + added, - removed, ~ changed, ! material")
    material = [c for c in changes if c.material]
    if material:
        lines += ["", "Material changes (≥ 10 % or ≥ 50 000 KZT; services and documents added or removed; every requirement change):"]
        lines += ["  " + _line(c, scope=c.service or c.section or "edition") for c in material]
    group = object()
    for change in changes:
        key = (change.section, change.service, change.kind in ("contacts", "schedule"))
        if key != group:
            group = key
            lines.append("")
            lines.append(_heading(change, old_year, new_year))
        lines.append("  " + _line(change))
    return "\n".join(lines) + "\n"


def _heading(change: Change, old_year, new_year) -> str:
    if change.section is None:
        return "== contacts and schedule ==" if change.kind in ("contacts", "schedule") else "== edition =="
    name = change.service or f"{change.section} (section)"
    seen = [f"{year} line {line}" for year, line in ((old_year, change.old_line), (new_year, change.new_line)) if line]
    return f"== {name} ==" + (f"  ({' · '.join(seen)})" if seen else "")


def _line(change: Change, scope: str | None = None) -> str:
    mark = MARK[change.action] + ("!" if change.material else " ")
    if scope:
        mark += f" {scope} ·"
    label = KIND_LABEL[change.kind]
    if change.kind in MONEY_KINDS:
        body = f"{explain(change, 'old')} → {explain(change, 'new')}"
        tail = f"  ({delta(change)})" if change.delta_kzt is not None else ""
        if change.assumes:
            tail += f"  [assumes our reading: {', '.join(change.assumes)}]"
        return f"{mark} {label}  {where(change)}: {body}{tail}"
    if change.words or (change.kind in ("text", "contacts") and change.lang):
        return f"{mark} {label}  {where(change)}: {word_diff(change)}"
    if change.effect and not change.field.endswith("]"):  # a requirement fact, not a whole document
        label += f" · requirement {change.effect}"
    if change.action == "added":
        return f"{mark} {label} added  {where(change)}: {shown(change.new)}"
    if change.action == "removed":
        return f"{mark} {label} removed  {where(change)}: {shown(change.old)}"
    return f"{mark} {label}  {where(change)}: {shown(change.old)} → {shown(change.new)}"


# -- markdown ---------------------------------------------------------------------------------

def _md(text) -> str:
    """Escape for a Markdown table cell or line: HTML, emphasis, code, links and pipes."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)
    return text.replace("\n", " ")


def _md_words(change: Change) -> str:
    if not change.words:
        return f"**{_md(change.new)}**" if change.old is None else f"~~{_md(change.old)}~~"
    out = []
    for op, old, new in change.words:
        if op == "equal":
            out.append(_md(max(old, new, key=len)))
            continue
        out.append(wrap(_md(old), "~~", "~~") + wrap(_md(new), "**", "**"))
    return "".join(out)


def to_markdown(changes, old_year: int, new_year: int) -> str:
    lines = [f"# Changes from the {old_year} to the {new_year} edition", ""]
    material = sum(c.material for c in changes)
    lines.append(f"{len(changes)} changes, {material} material "
                 "(≥ 10 % or ≥ 50 000 KZT; services and documents added or removed; every requirement change).")
    lines.append("")
    for change in changes:
        if change.kind == "mci":
            lines += [f'<a id="{change.id}"></a>**MCI:** {money(change.old)} → {money(change.new)} KZT '
                      f"({delta(change)}); every state fee is a multiple of it.", ""]
    found = counts(changes)
    if found:
        lines += ["| Kind | Changes |", "| --- | ---: |"]
        lines += [f"| {KIND_LABEL[k]} | {n} |" for k, n in found.items()]
        lines.append("")
    fees = [c for c in changes if c.kind in MONEY_KINDS and c.kind != "mci"]
    if fees:
        lines += ["## Fees", "", "| Service | Fee | Old | New | Δ KZT | Δ % | Material |",
                  "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
        for c in fees:
            option = f"“{c.label.en}”" if c.label else "option " + re.search(r"\[(\d+)\]", c.field).group(1)
            lines.append(f'| <a id="{c.id}"></a>{_md(c.service)} · {_md(c.step)} · {_md(option)} '
                         f"| {KIND_LABEL[c.kind]} | {_md(explain(c, 'old'))} | {_md(explain(c, 'new'))} "
                         f"| {signed_money(c.delta_kzt)} | {percent(c.delta_pct)} | {'yes' if c.material else 'no'} |")
        lines.append("")
    rest = [c for c in changes if c.kind not in MONEY_KINDS]
    group = object()
    for c in rest:
        key = (c.section, c.service, c.kind in ("contacts", "schedule"))
        if key != group:
            group = key
            title = (("Contacts and schedule" if key[2] else "Edition") if c.section is None
                     else (c.service or f"{c.section} (section)"))
            lines += ["", f"## {_md(title)}", ""]
        flag = " **(material)**" if c.material else ""
        if c.kind in ("text", "contacts") and c.lang:
            body = _md_words(c)
        elif c.action == "added":
            body = f"added: {_md(shown(c.new))}"
        elif c.action == "removed":
            body = f"removed: {_md(shown(c.old))}"
        else:
            body = f"{_md(shown(c.old))} → {_md(shown(c.new))}"
        lines.append(f'- <a id="{c.id}"></a>{KIND_LABEL[c.kind]} {c.action}{flag} · `{where(c)}`: {body}')
    return "\n".join(lines).rstrip("\n") + "\n"


# -- json -------------------------------------------------------------------------------------

def _json_value(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, (int, Decimal)):
        return plain(value)
    return value


def as_dict(change: Change) -> dict:
    return {
        "id": change.id, "kind": change.kind, "action": change.action, "field": change.field,
        "section": change.section, "service": change.service, "step": change.step, "lang": change.lang,
        "old": _json_value(change.old), "new": _json_value(change.new),
        "old_parts": {k: _json_value(v) for k, v in change.old_parts},
        "new_parts": {k: _json_value(v) for k, v in change.new_parts},
        "delta_kzt": _json_value(change.delta_kzt), "delta_pct": _json_value(change.delta_pct),
        "material": change.material, "old_line": change.old_line, "new_line": change.new_line,
        "words": [list(op) for op in change.words],
        "label": None if change.label is None else {"en": change.label.en, "ru": change.label.ru},
        "effect": change.effect, "assumes": list(change.assumes),
    }


def to_json(changes, old_year: int, new_year: int) -> str:
    document = {"schema": SCHEMA, "old": old_year, "new": new_year, "counts": counts(changes),
                "material": sum(c.material for c in changes), "changes": [as_dict(c) for c in changes]}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


# -- csv --------------------------------------------------------------------------------------
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # ASCII digits only: Excel reads these as numbers


def safe_cell(text: str) -> str:
    """Neutralise a spreadsheet formula: a cell starting with = + - @ tab or CR gets a leading
    quote, unless it is a plain number."""
    if text and text[0] in "=+-@\t\r" and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(changes, old_year: int, new_year: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in changes:
        row = (c.id, c.section, c.service, c.kind, c.action, c.field, c.old, c.new, c.delta_kzt,
               None if c.delta_pct is None else c.delta_pct.quantize(Decimal("0.01")),
               "yes" if c.material else "no", c.old_line, c.new_line, c.effect, c.assumes)
        writer.writerow([safe_cell(plain(value)) for value in row])
    return "\ufeff" + out.getvalue()

