"""The built site + the generated pages + search words → a Pagefind index of each language.

Search is Pagefind (PyPI `pagefind[bin]`): an index built here, at build time, split into
small chunks that the browser fetches only for the words typed, and only once the search is
opened (overrides/assets/search.js). Pagefind keeps one index per `<html lang>`, so a page
searches only its own language, with that language's stemming (подпись / подписи / подписью).

`searchable_pages` and `page_record` are pure: they decide which built pages are searched and
turn each into the HTML Pagefind reads — the page's article only, without the parts that
repeat other pages (banners, breadcrumbs, "step by step" lists, "changed since"), plus
metadata the results show and rank by (edition, its status, the kind of page, whether a fee
is printed) and, for a service page, the vocabulary words the print links to that service
(search_words.py) under a heading of their own (`#gb-search-words`, never shown as a
snippet). `write_index` runs Pagefind over those records into site/pagefind/; `query_file`
is the small JSON of words the search box replaces before searching (abbreviations,
synonyms), one per language, fetched with the index.
"""
from __future__ import annotations

import asyncio
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..edition.models import LANGUAGES, Text
from .search_words import CONTACTS, SearchWords, query_words

BUNDLE = "pagefind"          # site/pagefind/: the index, fetched only when the search opens
QUERY_FILE = "search-words.json"  # beside each language's index entry: site/pagefind/<lang>/…
WORDS_ANCHOR = "gb-search-words"
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")
# Parts of a page that repeat other pages or say nothing of its own service.
EXCLUDE = ("[data-search-exclude]", ".headerlink", ".gb-banner", ".gb-context", ".gb-since", ".gb-hint",
           ".gb-source", ".gb-entry-cites", ".gb-quote")  # the last two: the print quoted in its own language
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
YEAR = re.compile(r"^(\d{4})/")


@dataclass(frozen=True)
class Page:
    lang: str
    url: str          # site-relative, language root included: "ru/2026/other-services/iin/"
    html_file: str    # site-relative: "ru/2026/other-services/iin/index.html"
    edition: int | None
    status: str       # "current" | "archived" | "draft" | "" (a page of no edition)
    kind: str         # "service" | "section" | "edition" | "page"
    service: str      # "section/service" for a service page, else ""


def searchable_pages(files: dict[str, str], editions: dict[int, str],
                     services: set[str], default: str = "en") -> list[Page]:
    """The generated Markdown tree ("en/2026/other-services/iin/index.md" → text) → the built
    pages search should find, in path order: every page whose front matter does not say
    `search: exclude: true` (the guide's inner questions)."""
    pages = []
    for rel in sorted(files):
        lang, _, path = rel.partition("/")
        if lang not in LANGUAGES or not rel.endswith(".md"):
            continue
        front = FRONT.match(files[rel])
        meta = (yaml.safe_load(front.group(1)) if front else None) or {}
        if isinstance(meta.get("search"), dict) and meta["search"].get("exclude"):
            continue
        stem = path[: -len("index.md")] if path.endswith("index.md") else path[:-3] + "/"
        root = "" if lang == default else f"{lang}/"
        year_match = YEAR.match(stem)
        year = int(year_match.group(1)) if year_match and int(year_match.group(1)) in editions else None
        parts = stem.strip("/").split("/")
        service = ("/".join(parts[1:3]) if year and len(parts) == 3 and "/".join(parts[1:3]) in services
                   else CONTACTS if year and parts[1:] == [CONTACTS] else "")
        kind = ("service" if service and service != CONTACTS else "section" if year and len(parts) == 2 and parts[1] not in ("guide", CONTACTS)
                else "edition" if year and len(parts) == 1 else "page")
        pages.append(Page(lang=lang, url=root + stem, html_file=root + stem + "index.html",
                          edition=year, status=editions.get(year, "") if year else "", kind=kind,
                          service=service))
    return pages


def page_record(page: Page, built: str, words: SearchWords) -> str | None:
    """One built page's HTML → the HTML Pagefind indexes for it (None: no article to index)."""
    found = ARTICLE.search(built)
    if not found:
        return None
    article = found.group(1)
    fee = "yes" if 'class="gb-cost-lines"' in article else "no"
    meta = {"kind": page.kind, "fee": fee}
    if page.edition is not None:
        meta.update(edition=str(page.edition), status=page.status)
    tags = "".join(f'<span data-pagefind-meta="{key}:{html.escape(value)}"></span>' for key, value in meta.items())
    extra = ""
    if page.service:
        said = words.words_for(page.service, page.lang)
        if said:
            extra = (f'<h6 id="{WORDS_ANCHOR}" data-pagefind-weight="7">'
                     + html.escape(" · ".join(said), quote=False) + "</h6>")
    return (f'<!DOCTYPE html><html lang="{page.lang}"><head><meta charset="utf-8"></head>'
            f"<body><main data-pagefind-body>{tags}{article}{extra}</main></body></html>")


async def _write(records: list[tuple[str, str]], output: Path) -> None:
    from pagefind.index import IndexConfig
    from pagefind.service import PagefindService

    config = IndexConfig(exclude_selectors=list(EXCLUDE), output_path=str(output))
    # Not `async with PagefindIndex`: its exit writes the files and then gives the backend 5 s
    # before terminating it, so on a busy machine the index was cut off mid-write (an empty
    # pagefind-entry.json). Here the write is awaited to its answer before the backend stops.
    async with PagefindService() as service:
        index = await service.create_index(config)
        for url, content in records:
            await index.add_html_file(content=content, url=url)
        await index.write_files()


def write_index(site: Path, pages: list[Page], words: SearchWords) -> int:
    """Index `pages` of the built site into site/pagefind/ (replacing it); returns pages indexed.
    Result URLs are site-relative ("2026/…/"): the browser puts the site's base before them."""
    records = []
    for page in pages:
        file = site / page.html_file
        if not file.is_file():
            continue
        record = page_record(page, file.read_text(encoding="utf-8"), words)
        if record is not None:
            records.append(("/" + page.url, record))
    output = site / BUNDLE
    asyncio.run(_write(records, output))
    for unused in UNUSED:  # Pagefind's ready-made interfaces: the site has its own (search.js)
        for file in output.glob(unused):
            file.unlink()
    # Pagefind lists the languages in no fixed order: sorted, the build stays byte-identical.
    entry = output / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True,
                                ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for lang in LANGUAGES:
        target = output / lang / QUERY_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        # UTF-8, not \\uXXXX escapes: 2 bytes per Cyrillic letter instead of 6.
        target.write_text(json.dumps(query_file(words, lang), ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
    return len(records)


def query_file(words: SearchWords, lang: str) -> dict:
    """The words the search box of `lang` replaces before searching (search_words.query_words),
    and the site's words for what a service costs (a query holding them ranks pages that
    print a fee first)."""
    return {"replace": query_words(words, lang),
            "costs": sorted({s.means.get(lang).casefold() for s in words.synonyms if s.cost})}


def search_labels(ui: dict[str, Text]) -> dict[str, dict[str, str]]:
    """content/ui.yaml → the labels a result shows, per language (partials/search.html): the
    edition suffix (" — edition {year} ({status})") and each status's name."""
    return {lang: {"edition": ui["search_title_edition"].get(lang),
                   **{status: ui[f"edition_status_{status}"].get(lang) for status in ("current", "archived", "draft")}}
            for lang in LANGUAGES}
