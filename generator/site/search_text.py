"""A built page's HTML → what search reads of it: its title and its sections' text, and the
words of a text as search compares them (folded, stemmed), all pure.

`sections(html, lang)` reads the page's article only and leaves out what repeats other pages
or is not the page's own text: elements marked `data-search-exclude`, elements of the classes
in EXCLUDED (banners, breadcrumbs, "changed since", hints, source lines, the print quoted in
its own language) and any element whose `lang` is not the page's. Each heading with an `id`
starts a section (its anchor, its heading text); the `<h1>` is the page's title and the text
before the first `<h2>` is the page's opening. Every word keeps the weight of where it stands
(WEIGHTS: the title and headings weigh more than running text).

`words(text)` and `stems(text, lang)` are the one tokenizer and stemmer of the index and of
the browser (assets/search.js, with the same Snowball algorithms compiled to JavaScript:
site_templates/stemmers/): text is NFC, lower-cased, ё read as е, cut into runs of letters
and digits, each stemmed with Snowball's English or Russian stemmer (`snowballstemmer`).
`Stems(lang)` is `stems` of one language with each distinct word stemmed once (the index's).
"""
from __future__ import annotations

import functools
import html.parser
import re
import unicodedata
from dataclasses import dataclass, field

import snowballstemmer  # type: ignore[import-untyped]  # no type hints shipped

EXCLUDED = frozenset({"headerlink", "gb-banner", "gb-context", "gb-since", "gb-hint", "gb-source",
                      "gb-entry-cites", "gb-quote"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Elements that end a run of text (their text is not glued to the next element's).
BLOCKS = frozenset({"p", "li", "div", "td", "th", "tr", "ul", "ol", "table", "details", "summary", "dt", "dd",
                    "dl", "section", "blockquote", "figure", "figcaption", "pre", *HEADINGS})
# How much a word counts where it stands: the title 7, headings 5 to 3, running text 1.
WEIGHTS = {"h1": 7, "h2": 5, "h3": 4, "h4": 3, "h5": 3, "h6": 3}
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
WORD = re.compile(r"[^\W_]+")
STEMMERS = {"en": "english", "ru": "russian"}


@dataclass
class Section:
    anchor: str                    # the heading's id ("" for the page's opening)
    heading: str                   # the heading's text ("" for the opening)
    text: list[str] = field(default_factory=list)   # running text, in order
    weighted: list[tuple[str, int]] = field(default_factory=list)  # (text, weight) of every piece

    @property
    def body(self) -> str:
        return " ".join("".join(self.text).split())


@dataclass
class PageText:
    title: str
    sections: list[Section]


class _Reader(html.parser.HTMLParser):
    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[tuple[str, bool]] = []   # (tag, left out)
        self.heading: tuple[str, str, list[str]] | None = None  # (tag, id, its text)
        self.title = ""
        self.sections = [Section("", "")]

    def _out(self) -> bool:
        return any(skip for _, skip in self.stack)

    def _gap(self, tag: str) -> None:
        if (tag in BLOCKS or tag == "br") and self.heading is None:
            self.sections[-1].text.append(" ")

    def handle_starttag(self, tag, attrs):
        self._gap(tag)
        if tag in VOID:
            return
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        lang = found.get("lang")
        skip = ("data-search-exclude" in found or bool(classes & EXCLUDED)
                or (lang is not None and lang.split("-")[0] != self.lang))
        self.stack.append((tag, skip))
        if tag in HEADINGS and not self._out() and self.heading is None:
            self.heading = (tag, found.get("id") or "", [])

    def handle_endtag(self, tag):
        self._gap(tag)
        if tag in VOID:
            return
        while self.stack:  # tolerate an unclosed element: close up to the matching one
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if self.heading is not None and tag == self.heading[0]:
            level, anchor, parts = self.heading
            self.heading = None
            text = " ".join(" ".join(parts).split())
            if level == "h1":
                self.title = self.title or text
                self.sections[0].weighted.append((text, WEIGHTS[level]))
            elif anchor:
                self.sections.append(Section(anchor, text, weighted=[(text, WEIGHTS[level])]))
            else:  # a heading without an id: its text belongs to the section it stands in
                self.sections[-1].text.append(text)
                self.sections[-1].weighted.append((text, WEIGHTS[level]))

    def handle_data(self, data):
        if self._out():
            return
        if self.heading is not None:
            self.heading[2].append(data)
        else:
            self.sections[-1].text.append(data)
            self.sections[-1].weighted.append((data, 1))


def page_text(built: str, lang: str) -> PageText | None:
    """A built page's HTML → its title and sections (None: the page has no article)."""
    found = ARTICLE.search(built)
    if not found:
        return None
    reader = _Reader(lang)
    reader.feed(found.group(1))
    reader.close()
    return PageText(reader.title, reader.sections)


def fold(text: str) -> str:
    """As assets/search.js folds: NFC, lower case (not casefold: JavaScript has no ß → ss), ё as е."""
    return unicodedata.normalize("NFC", text).lower().replace("ё", "е")


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


@functools.cache
def _stemmer(lang: str):
    return snowballstemmer.stemmer(STEMMERS[lang])


def stem(word: str, lang: str) -> str:
    """One folded word → its Snowball stem in `lang` (a language without a stemmer: the word)."""
    return _stemmer(lang).stemWord(word) if lang in STEMMERS else word


def stems(text: str, lang: str) -> list[str]:
    return [stem(w, lang) for w in words(text)]


class Stems:
    """`stems(text, lang)` for one language, each distinct word stemmed once: the index of a
    build stems some 60 000 words but only a few thousand different ones, and Snowball is slow
    in Python. The memo lives as long as the object (one index write, `search_index.write_index`)."""

    def __init__(self, lang: str):
        self.lang = lang
        self._known: dict[str, str] = {}

    def __call__(self, text: str) -> list[str]:
        known = self._known
        found = []
        for word in words(text):
            stemmed = known.get(word)
            if stemmed is None:
                stemmed = known[word] = stem(word, self.lang)
            found.append(stemmed)
        return found
