"""Templates + content/ui.yaml → every label the site uses that ui.yaml lacks, located.

The templates name labels as `t('key')`, `plural('key', n)` or with a computed end
(`t('form_' ~ form)`). Each template is parsed with Jinja's own parser: a constant key is
required as it is; a computed one is required for every value it can take — the branches of
a conditional written in the template, or the values of the field it names (DOMAINS: the
forms, places, units… that validate accepts). The site's Python code names a few labels too
(PYTHON_LABELS). A label missing from ui.yaml is a located problem for `validate` (which
otherwise passes) and `build` (which would stop with a KeyError while rendering).
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2 import nodes

from ..changes.diff import ACTIONS
from ..edition.conditions import VOCABULARY
from ..edition.eligibility import CITIZENSHIP, PURPOSES, WHERE
from ..edition.errors import Problem, ProblemsFound
from ..edition.guide import ANSWERS, QUESTIONS
from ..edition.models import LANGUAGES, Text
from ..edition.payable import WAYS
from ..edition.requirements import BOUNDS, CONTENTS, COUNTED_FROM, ISSUERS, PERIOD_UNITS, VARIANTS
from ..edition.validate import FEE_FIELDS, FOR_WHOM, FORMS, PLACES, UNITS
from .search_words import read_abbreviations

UI_FILE = "content/ui.yaml"
LABEL_FUNCTIONS = ("t", "plural")

# A computed key's constant beginning → the ends it can take (the values of the field it names).
DOMAINS: dict[str, tuple[str, ...]] = {
    "action_": ACTIONS,
    "option_": WAYS,
    "fee_": FEE_FIELDS + ("state",),
    "cost_part_": FEE_FIELDS,
    "issuer_": ISSUERS,
    "variant_": tuple(sorted({v for values in VARIANTS.values() for v in values})),
    "content_": CONTENTS,
    "period_": BOUNDS,
    "unit_": UNITS,  # a timeframe's unit ("3 рабочих дня": counted in the nominative)
    "bound_unit_": PERIOD_UNITS,  # a validity bound's unit ("не менее 3 месяцев": the genitive)
    "from_": COUNTED_FROM,
    "for_": FOR_WHOM,
    "form_": FORMS,
    "place_": PLACES,
    "language_": LANGUAGES,
    "guide_q_": QUESTIONS,
    "guide_a_": tuple(f"{question}_{answer}" for question in QUESTIONS for answer in ANSWERS[question]),
    "guide_a_citizenship_": CITIZENSHIP,
    "guide_a_purpose_": PURPOSES,
    "guide_a_where_": WHERE,
    "answer_way_": tuple(w for w in WAYS if w != "standard"),  # the standard way reads 'cost_total'
    "guide_for_": ("where", "citizenship"),
    "cond_": tuple(VOCABULARY["free-of-charge"]),  # the values a free-of-charge condition names
}

# Labels the site's Python code reads by name (render's nav, the 404 pages, search titles).
PYTHON_LABELS = ("edition", "changes_nav", "all_editions", "not_found_guide", "not_found_edition",
                 "not_found_home", "not_found_title", "not_found_lead", "not_found_search",
                 "not_found_search_button", "search_title_edition")


class UnknownKey(Exception):
    """A computed label key whose ends are not known (a new field: add it to DOMAINS)."""


def _values(node: nodes.Node) -> set[str] | None:
    """Every text `node` can evaluate to, or None where it depends on data."""
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, nodes.CondExpr) and node.expr2 is not None:
        first, second = _values(node.expr1), _values(node.expr2)
        return None if first is None or second is None else first | second
    return None


def _keys(node: nodes.Node) -> set[str]:
    """The label keys a key expression can be (constants, conditionals, or a DOMAINS beginning)."""
    known = _values(node)
    if known is not None:
        return known
    if isinstance(node, nodes.Concat):
        heads = {""}
        for part in node.nodes:
            values = _values(part)
            if values is None:  # from here on the key depends on data: its beginning says on which
                unknown = sorted(head for head in heads if head not in DOMAINS)
                if unknown:
                    raise UnknownKey(unknown[0])
                return {head + end for head in heads for end in DOMAINS[head]}
            heads = {head + value for head in heads for value in values}
        return heads
    raise UnknownKey("")


def used_labels(templates: Path) -> Iterator[tuple[str, str, int]]:
    """(key, template, line) for every label a template uses; UnknownKey for one not enumerable."""
    env = jinja2.Environment()
    for file in sorted(p for p in templates.rglob("*.j2") if p.is_file()):
        name = file.relative_to(templates).as_posix()
        tree = env.parse(file.read_text(encoding="utf-8"), name=name)
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name in LABEL_FUNCTIONS and call.args:
                for key in sorted(_keys(call.args[0])):
                    yield key, name, call.lineno


def missing_labels(root: Path, ui: dict[str, Text]) -> list[Problem]:
    """A problem at content/ui.yaml for each label used by a template or the code but not defined."""
    templates = root / "site_templates"
    if not templates.is_dir():
        return []
    problems: list[Problem] = []
    first_use: dict[str, str] = {key: "the site's code" for key in PYTHON_LABELS}
    try:
        for key, template, line in used_labels(templates):
            first_use.setdefault(key, f"site_templates/{template}:{line}")
    except jinja2.TemplateSyntaxError as exc:
        return [Problem(f"site_templates/{exc.name or '?'}", exc.lineno or 1, 1, "",
                        f"template syntax error: {exc.message}")]
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem("site_templates", 0, 0, "", f"expected readable UTF-8 templates, found {exc}")]
    except UnknownKey as unknown:
        return [Problem("site_templates", 0, 0, "", f"expected label keys that can be listed, found one computed "
                        f"from {unknown.args[0]!r} and a value of unknown range (add it to labels.DOMAINS)")]
    for key, where in sorted(first_use.items()):
        if key not in ui:
            problems.append(Problem(UI_FILE, 0, 0, "", f"expected the label {key!r} (used by {where}), found none; "
                                    "add it with its English and Russian text"))
    return problems


def site_problems(root: Path, ui: dict[str, Text]) -> list[Problem]:
    """What only the site reads, checked like the editions: the labels, and content/search.yaml."""
    problems = missing_labels(root, ui)
    try:
        read_abbreviations(root)
    except ProblemsFound as found:
        problems += found.problems
    return problems
