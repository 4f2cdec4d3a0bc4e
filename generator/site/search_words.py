"""Search words: content/search.yaml + the validated editions → `SearchWords` (located problems).

content/search.yaml holds three lists, each applied in the language of the page searched:
- `abbreviations`: what people type (IIN, ВНЖ…) → the words it stands for, in each language;
  typed in either language's search box, an abbreviation searches for its meaning's words in
  the page's language (query time, `query_words`).
- `synonyms`: everyday words (price, «сколько стоит»…) → the site's own words for the same
  thing (query time). They name no service, so they need no printed line. `cost: true` marks
  words that ask what a service costs: such a query ranks the pages that print a fee first.
- `vocabulary`: the words applicants use («вид на жительство», wife, Astana…) → the services
  the print links them to. Each entry cites the printed line that makes the link
  (`print: {edition, line, quote}`): the quote must stand on that line of that edition's
  printed seed text, so a mapping the print does not support cannot be written. The words
  are added to those services' pages in the search index (index time, search_index.py), so
  the index's own stemming finds their inflected forms too (жена / жены / жене).

`read_search_words` returns every problem at once, each located (file:line:col: path: expected
vs found), like the editions; `guidebook validate` and every build run it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..edition.eligibility import folded
from ..edition.errors import Problem, ProblemsFound
from ..edition.loader import dotted
from ..edition.models import LANGUAGES, Edition, Text
from ..edition.validate import MISSING, Reader, load_project_yaml

SEARCH_FILE = "content/search.yaml"
TERM_RE = re.compile(r"\w+")  # with fullmatch: `$` would accept a final newline
# A word or phrase people type: letters/digits, inner spaces, hyphens or apostrophes; no markup.
PHRASE_RE = re.compile(r"^\w+(?:[ '\-’]\w+)*$")
MAX_PHRASES = 40
CONTACTS = "contacts"  # each edition's contacts page, as a vocabulary target


@dataclass(frozen=True)
class Abbreviation:
    terms: tuple[str, ...]  # what people type, in any language: ("IIN", "ИИН")
    means: Text             # what it stands for, per language


@dataclass(frozen=True)
class Synonym:
    words: dict[str, tuple[str, ...]]  # lang → everyday words or phrases typed
    means: Text                        # the site's own words searched instead, per language
    cost: bool = False                 # they ask what a service costs (pages printing a fee first)


@dataclass(frozen=True)
class Printed:
    edition: int
    line: int
    quote: str


@dataclass(frozen=True)
class VocabularyEntry:
    words: dict[str, tuple[str, ...]]  # lang → words or phrases people use
    services: tuple[str, ...]          # "section/service" ids the print links the words to
    printed: Printed                   # the printed line that links them


@dataclass(frozen=True)
class SearchWords:
    abbreviations: tuple[Abbreviation, ...] = ()
    synonyms: tuple[Synonym, ...] = ()
    vocabulary: tuple[VocabularyEntry, ...] = ()

    def words_for(self, service: str, lang: str) -> tuple[str, ...]:
        """The vocabulary words of one service ("section/service") in one language, in file order."""
        out: list[str] = []
        for entry in self.vocabulary:
            if service in entry.services:
                out.extend(w for w in entry.words.get(lang, ()) if w not in out)
        return tuple(out)


def _seed_lines(root: Path, edition: Edition) -> list[str] | None:
    if not edition.source_file:
        return None
    seed = root / "editions" / str(edition.year) / edition.source_file
    try:
        return seed.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def read_search_words(root: Path, editions: dict[int, Edition] | None = None,
                      against_print: bool = False) -> SearchWords:
    """content/search.yaml → SearchWords; raises ProblemsFound (every problem, located).

    `editions` (year → validated edition) are what vocabulary entries are checked against: the
    services and editions they name (validate, build) or, `against_print`, the printed lines
    they cite in those editions (check-source). Without editions those checks are skipped."""
    problems: list[Problem] = []
    file = root / SEARCH_FILE
    if not (file.exists() or file.is_symlink()):
        return SearchWords()
    loaded = load_project_yaml(root, file, problems)  # a link out of the project is refused
    if loaded is None:
        raise ProblemsFound(problems)
    r = Reader(loaded, problems, official=None, published=True)
    top = r.mapping(loaded.data, (), (), ("abbreviations", "synonyms", "vocabulary"))
    if top is None:
        raise ProblemsFound(problems)
    seen_terms: dict[str, tuple] = {}
    services = {s.full_id for e in (editions or {}).values() for s in e.services()}
    # The printed lines are read only for check-source (like every quote of the editions), so
    # validate and build do not turn red while a moved seed waits for its lines to be fixed.
    seeds = {year: _seed_lines(root, e) for year, e in (editions or {}).items()} if against_print else {}

    def term(value, path):
        if not isinstance(value, str) or not TERM_RE.fullmatch(value):
            r.expected(path, "one word of letters or digits (e.g. 'IIN')", value)
            return None
        key = value.casefold()
        if key in seen_terms:
            r.problem(path, f"expected each term once, found {value!r} again (first at {dotted(seen_terms[key])})")
            return None
        seen_terms[key] = path
        return value

    def abbreviation(value, path):
        fields = r.mapping(value, path, ("terms", "means"))
        if fields is None:
            return None
        if fields["terms"] == []:
            r.expected(path + ("terms",), "a list of at least one term", fields["terms"])
        terms = r.seq(fields["terms"], path + ("terms",), term, optional=False)
        means = r.text(fields["means"], path + ("means",))
        return Abbreviation(terms=terms, means=means) if terms and means else None

    def phrase(value, path):
        if not isinstance(value, str) or not PHRASE_RE.match(value.strip()):
            r.expected(path, "a word or phrase of letters and digits (spaces, hyphens and apostrophes "
                             "inside), e.g. 'bank account'", value)
            return None
        return " ".join(value.split())

    def words(value, path, *, need: tuple[str, ...] = ()):
        fields = r.mapping(value, path, (), LANGUAGES)
        if fields is None:
            return None
        out = {}
        for lang in LANGUAGES:
            if fields[lang] is MISSING:
                if lang in need:
                    r.expected(path + (lang,), f"a list of words in {lang.upper()}", MISSING)
                continue
            if fields[lang] == [] or (isinstance(fields[lang], list) and len(fields[lang]) > MAX_PHRASES):
                r.expected(path + (lang,), f"a list of 1 to {MAX_PHRASES} words or phrases", fields[lang])
                continue
            found = r.seq(fields[lang], path + (lang,), phrase, optional=False)
            keys = [folded(w) for w in found]
            for i, key in enumerate(keys):
                if key in keys[:i]:
                    r.problem(path + (lang, i), f"expected each word once per language, found {found[i]!r} twice")
            if found:
                out[lang] = found
        if not out and not need:
            r.expected(path, "words in at least one language (en: […], ru: […])", value)
        return out

    def synonym(value, path):
        fields = r.mapping(value, path, ("words", "means"), ("cost",))
        if fields is None:
            return None
        found = words(fields["words"], path + ("words",), need=LANGUAGES)
        means = r.text(fields["means"], path + ("means",))
        cost = r.boolean(fields["cost"], path + ("cost",))
        return Synonym(words=found, means=means, cost=cost) if found and means else None

    def service(value, path):
        if value == CONTACTS:
            return value
        if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9-]+/[a-z0-9-]+", value):
            r.expected(path, "a service as 'section/service' (e.g. 'other-services/iin') or 'contacts'", value)
            return None
        if editions and not against_print and value not in services:
            r.expected(path, "a service of one of the editions (" + ", ".join(sorted(services)[:3]) + ", …)", value)
            return None
        return value

    def printed(value, path):
        fields = r.mapping(value, path, ("edition", "line", "quote"))
        if fields is None:
            return None
        year = r.integer(fields["edition"], path + ("edition",), "an edition year (e.g. 2026)", 1900, 9999)
        line = r.integer(fields["line"], path + ("line",), "a line number of the printed text", 1, 10**6)
        quote = r.string(fields["quote"], path + ("quote",), "the printed words that make the link")
        if year is None or line is None or quote is None:
            return None
        if editions and not against_print and year not in editions:
            r.expected(path + ("edition",), "one of the editions " + ", ".join(map(str, sorted(editions))), year)
            return None
        if editions and against_print and year in editions:
            lines = seeds.get(year)
            if lines is None:
                r.problem(path + ("edition",), f"expected edition {year} to have a printed text, found none")
                return None
            if line > len(lines):
                r.expected(path + ("line",), f"a line of editions/{year}/{editions[year].source_file} "
                                             f"(it has {len(lines)})", line)
                return None
            if folded(quote) not in folded(lines[line - 1]):
                r.problem(path + ("quote",), f"expected words printed on line {line} of editions/{year}/"
                                             f"{editions[year].source_file}, found {quote!r}, which is not on "
                                             f"that line ({lines[line - 1].strip()[:80]!r})")
                return None
        return Printed(edition=year, line=line, quote=quote)

    def vocabulary(value, path):
        fields = r.mapping(value, path, ("words", "services", "print"))
        if fields is None:
            return None
        found = words(fields["words"], path + ("words",))
        if fields["services"] == []:
            r.expected(path + ("services",), "a list of at least one service", fields["services"])
        named = r.seq(fields["services"], path + ("services",), service, optional=False)
        cited = printed(fields["print"], path + ("print",))
        if not (found and named and cited):
            return None
        return VocabularyEntry(words=found, services=named, printed=cited)

    out = SearchWords(
        abbreviations=r.seq(top["abbreviations"], ("abbreviations",), abbreviation),
        synonyms=r.seq(top["synonyms"], ("synonyms",), synonym),
        vocabulary=r.seq(top["vocabulary"], ("vocabulary",), vocabulary),
    )
    if problems:
        raise ProblemsFound(problems)
    return out


def read_abbreviations(root: Path) -> tuple[Abbreviation, ...]:
    """content/search.yaml → its abbreviations (no edition checks)."""
    return read_search_words(root).abbreviations


def query_words(words: SearchWords, lang: str) -> dict[str, str]:
    """What the search box replaces before searching, for one language: lower-cased typed word or
    phrase → the words searched instead. An abbreviation (either language's term) → its meaning's
    words of 3 letters or more in `lang` (the search finds pages holding every word searched, so
    the term itself, absent from the other language's pages, is not kept); a synonym's words of
    `lang` → its meaning in `lang`."""
    out = {}
    for abbreviation in words.abbreviations:
        meaning = [w for w in re.findall(r"\w+", abbreviation.means.get(lang)) if len(w) > 2]
        for typed in abbreviation.terms:
            out[typed.casefold()] = " ".join(meaning)
    for synonym in words.synonyms:
        for typed in synonym.words.get(lang, ()):
            out[folded(typed)] = synonym.means.get(lang)
    return dict(sorted(out.items()))
