"""Search: content/search.yaml + the search index MkDocs writes for both languages → one index per language.

`read_abbreviations` validates content/search.yaml into `Abbreviation`s (located problems,
like the editions). `split_index` is pure: Material's search plugin writes one index holding
every language's entries; it returns one index per language, holding only that language's
entries with locations relative to the language's root (overrides/main.html points each
page's search `base` there), page titles that name their edition ("… — edition 2026
(current)", so results from different editions are told apart), and, in the index's
`config`, the abbreviations the search worker expands (guidebook-search.js).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from ..edition.errors import Problem, ProblemsFound
from ..edition.loader import dotted
from ..edition.models import LANGUAGES, Text
from ..edition.validate import Reader, load_project_yaml

SEARCH_FILE = "content/search.yaml"
TERM_RE = re.compile(r"\w+")  # with fullmatch: `$` would accept a final newline
YEAR_PAGE = re.compile(r"^(\d{4})/[^#]*$")


@dataclass(frozen=True)
class Abbreviation:
    terms: tuple[str, ...]  # what people type, in any language: ("IIN", "ИИН")
    means: Text             # what it stands for, per language


def read_abbreviations(root: Path) -> tuple[Abbreviation, ...]:
    """content/search.yaml → its abbreviations; raises ProblemsFound (every problem, located)."""
    problems: list[Problem] = []
    file = root / SEARCH_FILE
    if not (file.exists() or file.is_symlink()):
        return ()
    loaded = load_project_yaml(root, file, problems)  # a link out of the project is refused
    if loaded is None:
        raise ProblemsFound(problems)
    r = Reader(loaded, problems, official=None, published=True)
    top = r.mapping(loaded.data, (), ("abbreviations",))
    seen: dict[str, tuple] = {}

    def term(value, path):
        if not isinstance(value, str) or not TERM_RE.fullmatch(value):
            r.expected(path, "one word of letters or digits (e.g. 'IIN')", value)
            return None
        key = value.casefold()
        if key in seen:
            r.problem(path, f"expected each term once, found {value!r} again (first at {dotted(seen[key])})")
            return None
        seen[key] = path
        return value

    def entry(value, path):
        fields = r.mapping(value, path, ("terms", "means"))
        if fields is None:
            return None
        if fields["terms"] == []:
            r.expected(path + ("terms",), "a list of at least one term", fields["terms"])
        terms = r.seq(fields["terms"], path + ("terms",), term, optional=False)
        means = r.text(fields["means"], path + ("means",))
        return Abbreviation(terms=terms, means=means) if terms and means else None

    found = r.seq(top["abbreviations"], ("abbreviations",), entry) if top is not None else ()
    if problems:
        raise ProblemsFound(problems)
    return found


def _occurs(term: str, texts: list[str]) -> bool:
    pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
    return any(pattern.search(text) for text in texts)


def synonyms(abbreviations: tuple[Abbreviation, ...], docs: list[dict], lang: str) -> dict[str, str]:
    """Lower-cased term → the words searched instead, for one language's entries: the entry's
    terms that this language's pages contain, then the words (3 letters or more) of its meaning."""
    texts = [f"{d.get('title', '')} {d.get('text', '')}" for d in docs]
    out = {}
    for abbreviation in abbreviations:
        present = [t for t in abbreviation.terms if _occurs(t, texts)]
        words = [w for w in re.findall(r"\w+", abbreviation.means.get(lang)) if len(w) > 2]
        for typed in abbreviation.terms:
            out[typed.lower()] = " ".join(present + words)
    return out


def split_index(index: dict, abbreviations: tuple[Abbreviation, ...], editions: dict[int, str],
                labels: dict[str, Text], default: str = "en") -> dict[str, dict]:
    """The combined index → {lang: that language's index} (see the module docstring).
    `editions` is year → "current" | "archived" | "draft"; `labels` are content/ui.yaml's."""
    out = {}
    for lang in LANGUAGES:
        prefix = "" if lang == default else f"{lang}/"
        docs = []
        for doc in index["docs"]:
            location = doc["location"]
            if lang == default:
                if any(location == other or location.startswith((f"{other}/", f"{other}#"))
                       for other in LANGUAGES if other != default):
                    continue
                mine = location
            elif location == lang or location.startswith((prefix, f"{lang}#")):
                mine = location[len(lang):].lstrip("/")
            else:
                continue
            doc = dict(doc, location=mine)
            page = YEAR_PAGE.match(mine)
            if page and int(page.group(1)) in editions:
                year = int(page.group(1))
                status = labels[f"edition_status_{editions[year]}"].get(lang)
                suffix = (f" ({status})" if str(year) in doc["title"] else
                          labels["search_title_edition"].get(lang).replace("{year}", str(year))
                          .replace("{status}", status))
                doc["title"] = doc["title"] + html.escape(suffix, quote=False)
            docs.append(doc)
        config = dict(index["config"], synonyms=synonyms(abbreviations, docs, lang))
        out[lang] = {"config": config, "docs": docs}
    return out
