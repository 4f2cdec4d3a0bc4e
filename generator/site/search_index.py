"""The built site + the generated pages + search words → the search index of each language.

Search is our own build-time index (site/search-data/, read by site_templates/search/engine.js),
chosen by measurement over Pagefind (docs/notes/search.md): per language, the pages' words
stemmed here with Snowball's English or Russian stemmer (search_text.py), scored here (BM25),
and split by the first two letters of each stem into small files that the browser fetches only
for the words typed, and only once the search is opened; the browser stems the typed words with
the same Snowball algorithms compiled to JavaScript. A page searches only its own language.

`searchable_pages`, `page_record`, `score_table` and `language_files` are pure: which built
pages are searched; what of each page is indexed — the page's article only, without the parts
that repeat other pages (search_text.py), plus metadata the results show and rank by (edition,
its status, the kind of page, whether a fee is printed) and, for a service page, the vocabulary
words the print links to that service (search_words.py), found but never shown; the scores;
the files. `write_index` writes them into site/search-data/: per language an entry
(`<lang>/entry.json`: pages, the words the box replaces, the shards there are, the version
the other files are named by), the shards (`<lang>/t/<shard>.<version>.json`), each page's
sections for its snippet (`<lang>/p/<n>.<version>.json`), and the engine of each language
(`engine.<lang>.<hash>.js`: its Snowball stemmer and site_templates/search/engine.js).
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..edition.models import LANGUAGES, Text
from .search_text import ARTICLE, STEMMERS, Stems, page_text
from .search_words import CONTACTS, SearchWords, query_words

BUNDLE = "search-data"       # site/search-data/: the index, fetched only when the search opens
ENTRY = "entry.json"
STEMMER_FOLDER = "site_templates/stemmers"
ENGINE_FILE = "site_templates/search/engine.js"
SHARD = 2                    # a stem's postings are in the file of its first two letters
VOCABULARY_WEIGHT = 7        # a vocabulary word counts as a word of the title
SNIPPET_SOURCE = 3000        # characters of a section kept for its snippet (every word is indexed)
K1, B = 1.2, 0.1             # BM25: how fast repeats stop counting; how much page length counts
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
        kind = ("service" if service and service != CONTACTS
                else "section" if year and len(parts) == 2 and parts[1] not in ("guide", CONTACTS)
                else "edition" if year and len(parts) == 1 else "page")
        pages.append(Page(lang=lang, url=root + stem, html_file=root + stem + "index.html",
                          edition=year, status=editions.get(year, "") if year else "", kind=kind,
                          service=service))
    return pages


@dataclass(frozen=True)
class Record:
    """What the index keeps of one page: what a result shows and the weighted stems it is found by."""
    page: Page
    title: str
    fee: bool
    sections: tuple[tuple[str, str, str], ...]   # (anchor, heading, text): the snippets' source
    weights: dict[str, int]                      # stem → its weighted count on the page
    length: int                                  # words on the page


def page_record(page: Page, built: str, words: SearchWords, stems: Stems | None = None) -> Record | None:
    """One built page's HTML → what the index keeps of it (None: no article to index). The
    vocabulary words the print links to the page's service (search_words.py) are found with
    the weight of a title, never shown. `stems`: the page language's stemmer to reuse (its memo)."""
    text = page_text(built, page.lang)
    if text is None:
        return None
    stems = stems or Stems(page.lang)
    weights: Counter[str] = Counter()
    length = 0
    for section in text.sections:
        for piece, weight in section.weighted:
            for found in stems(piece):
                weights[found] += weight
                length += 1
    if page.service:
        for said in words.words_for(page.service, page.lang):
            for found in stems(said):
                weights[found] += VOCABULARY_WEIGHT
    article = ARTICLE.search(built)
    fee = article is not None and 'class="gb-cost-lines"' in article.group(1)
    return Record(page=page, title=text.title or page.url, fee=fee,
                  sections=tuple((s.anchor, s.heading, shortened(s.body)) for s in text.sections if s.body or s.anchor),
                  weights=dict(weights), length=max(length, 1))


def shortened(text: str) -> str:
    """A section's text as its snippet's source: at most SNIPPET_SOURCE characters, cut between
    words (only the changes pages have longer sections; their snippet is then from the start)."""
    if len(text) <= SNIPPET_SOURCE:
        return text
    return text[:SNIPPET_SOURCE].rsplit(" ", 1)[0] + " …"


def shard_of(stem_: str) -> str:
    """The file a stem's postings are in: its first two letters, as hexadecimal code points."""
    return "".join(f"{ord(c):04x}" for c in stem_[:SHARD])


def score_table(records: list[Record]) -> dict[str, list[list[int]]]:
    """The records of one language → stem → [[page number, score × 100], …] (pages in record
    order): BM25 over the weighted counts (k1 1.2, and page length counting little, b 0.1, so a
    short page that prints no fee does not outrank a full service page)."""
    count = len(records)
    average = sum(r.length for r in records) / max(count, 1)
    found: dict[str, list[tuple[int, int]]] = {}
    for number, record in enumerate(records):
        for stem_, weight in record.weights.items():
            found.setdefault(stem_, []).append((number, weight))
    table = {}
    for stem_, postings in sorted(found.items()):
        idf = math.log(1 + (count - len(postings) + 0.5) / (len(postings) + 0.5))
        table[stem_] = [[number, round(100 * idf * weight * (K1 + 1) / (
            weight + K1 * (1 - B + B * records[number].length / average)))] for number, weight in postings]
    return table


def language_files(records: list[Record], words: SearchWords, lang: str) -> dict[str, str]:
    """The records of one language → its index files (path under site/<BUNDLE>/ → text): the
    entry (every page's address, title and metadata, the words the box replaces, which shards
    exist and the version the other files are named by), one file of postings per shard, and one
    of sections per page (fetched only for the results shown)."""
    table = score_table(records)
    shards: dict[str, dict[str, list[list[int]]]] = {}
    for stem_, postings in table.items():
        shards.setdefault(shard_of(stem_), {})[stem_] = postings
    bodies = {f"t/{key}": _json(value) for key, value in sorted(shards.items())}
    bodies.update({f"p/{n}": _json([list(s) for s in r.sections]) for n, r in enumerate(records)})
    pages = [[r.page.url, r.title, r.page.kind, "yes" if r.fee else "no", str(r.page.edition or ""), r.page.status]
             for r in records]
    # The files' version: of everything they hold and of the page numbers they refer to.
    version = hashlib.sha256((_json(pages) + "".join(k + v for k, v in sorted(bodies.items()))).encode()
                             ).hexdigest()[:8]
    entry = {"version": version, "pages": pages, "shards": sorted(shards), **query_file(words, lang)}
    files = {f"{lang}/{name}.{version}.json": body for name, body in bodies.items()}
    files[f"{lang}/{ENTRY}"] = _json(entry)
    return files


def _json(value) -> str:
    # UTF-8, not \\uXXXX escapes: 2 bytes per Cyrillic letter instead of 6.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def engine_files(root: Path) -> dict[str, str]:
    """The Snowball stemmers compiled to JavaScript (site_templates/stemmers/) and the search
    engine (site_templates/search/engine.js) → one script per language, named by its content,
    defining `window.guidebookStem(word)` and `window.guidebookSearch(config)`."""
    folder = root / STEMMER_FOLDER
    base = (folder / "base-stemmer.js").read_text(encoding="utf-8")
    engine = (root / ENGINE_FILE).read_text(encoding="utf-8")
    out = {}
    for lang, name in STEMMERS.items():
        own = (folder / f"{name}-stemmer.js").read_text(encoding="utf-8")
        constructor = name.capitalize() + "Stemmer"
        script = (f"/* Snowball {name} stemmer (site_templates/stemmers/, BSD licence: COPYING there) */\n"
                  f"(function(){{{base}\n{own}\nvar s=new {constructor}();"
                  "window.guidebookStem=function(w){return s.stemWord(w);};})();\n" + engine)
        digest = hashlib.sha256(script.encode()).hexdigest()[:8]
        out[f"engine.{lang}.{digest}.js"] = script
    return out


def write_index(site: Path, pages: list[Page], words: SearchWords, root: Path) -> int:
    """Index `pages` of the built site into site/<BUNDLE>/ (replacing it); returns pages indexed.
    Result addresses are site-relative ("2026/…/"): the browser puts the site's base before them."""
    by_lang: dict[str, list[Record]] = {lang: [] for lang in LANGUAGES}
    stemmers: dict[str, Stems] = {}  # one per language: its words are stemmed once per write
    for page in pages:
        file = site / page.html_file
        if not file.is_file():
            continue
        stems = stemmers.setdefault(page.lang, Stems(page.lang))
        record = page_record(page, file.read_text(encoding="utf-8"), words, stems)
        if record is not None:
            by_lang.setdefault(page.lang, []).append(record)
    files = engine_files(root)
    engines = {lang: name for name in files for lang in LANGUAGES if name.startswith(f"engine.{lang}.")}
    for lang, records in by_lang.items():
        for name, text in language_files(records, words, lang).items():
            if name.endswith(ENTRY):  # the entry names its language's engine script
                entry = json.loads(text)
                entry["engine"] = engines[lang]
                text = _json(entry)
            files[name] = text
    output = site / BUNDLE
    if output.exists():
        shutil.rmtree(output)
    for name, text in sorted(files.items()):
        target = output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return sum(len(r) for r in by_lang.values())


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
