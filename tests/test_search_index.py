"""Search data: content/search.yaml read with located problems (its vocabulary checked against
the printed lines it cites), the words the search box replaces, which built pages are searched,
what of each page is read and indexed (sections, metadata, vocabulary words, left-out parts),
the scores, and the index files (shards, versions)."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from generator.edition.errors import ProblemsFound
from generator.edition.models import Text
from generator.site.search_index import (
    SNIPPET_SOURCE,
    VOCABULARY_WEIGHT,
    Page,
    Record,
    language_files,
    page_record,
    query_file,
    score_table,
    search_labels,
    searchable_pages,
    shard_of,
)
from generator.site.search_text import Stems, page_text, stem, stems, words
from generator.site.search_words import (
    Abbreviation,
    Printed,
    SearchWords,
    Synonym,
    VocabularyEntry,
    query_words,
    read_abbreviations,
    read_search_words,
)
from test_diff import _cached_library


def library():
    """The real library, loaded once per process at the first test that reads it (not at import)."""
    return _cached_library(ROOT, None)


def write(tmp_path, text: str):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "search.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_projects_search_words_are_read_and_every_citation_stands_in_the_print():
    found = read_search_words(ROOT, library().editions, against_print=True)
    typed = {t for a in found.abbreviations for t in a.terms}
    assert {"ВНЖ", "РВП", "ИИН", "ЭЦП", "МРП", "IIN", "EDS", "TRP", "PRP", "MCI"} <= typed
    assert found.vocabulary and all(e.printed.quote for e in found.vocabulary)
    assert "вид на жительство" in found.words_for("permanent-residence-permit/permit", "ru")
    assert "wife" in found.words_for("employment-visa/visa-inside", "en")
    assert "wife" not in found.words_for("employment-visa/visa-inside", "ru")  # each language its own words


def test_the_print_decides_no_bank_account_and_no_almaty():
    """The print links no service to a bank account and names no city but Astana."""
    found = read_search_words(ROOT, library().editions, against_print=True)
    said = {w.casefold() for e in found.vocabulary for words in e.words.values() for w in words}
    assert not {"bank account", "банковский счёт", "almaty", "алматы"} & said


def test_every_problem_is_located(tmp_path):
    root = write(tmp_path, "abbreviations:\n"
                           "  - terms: [IIN, 'two words']\n"
                           "    means: {en: individual identification number}\n"
                           "  - terms: [iin]\n"
                           "    means: {en: x, ru: y}\n"
                           "    extra: 1\n"
                           "  - terms: []\n"
                           "    means: {en: x, ru: y}\n")
    with pytest.raises(ProblemsFound) as raised:
        read_abbreviations(root)
    problems = [str(p) for p in raised.value.problems]
    assert any(p.startswith("content/search.yaml:2:") and "abbreviations[0].terms[1]" in p and "one word" in p for p in problems)
    assert any(p.startswith("content/search.yaml:3:") and "means.ru" in p for p in problems)
    assert any(p.startswith("content/search.yaml:4:") and "'iin' again (first at abbreviations[0].terms[0])" in p for p in problems)
    assert any(p.startswith("content/search.yaml:6:") and "unknown key 'extra'" in p for p in problems)
    assert any(p.startswith("content/search.yaml:7:") and "at least one term" in p for p in problems)


def test_a_vocabulary_entry_the_print_does_not_support_is_refused_where_it_is_written(tmp_path):
    seed = ROOT / "editions" / "2026" / library().editions[2026].source_file
    line = next(n for n, text in enumerate(seed.read_text(encoding="utf-8").splitlines(), 1) if "г. Астана" in text)
    root = write(tmp_path, "vocabulary:\n"
                           "  - words: {en: [bank account], ru: ['<b>счёт</b>']}\n"
                           "    services: [other-services/iin, other-services/no-such]\n"
                           f"    print: {{edition: 2026, line: {line}, quote: 'банковский счёт'}}\n"
                           "  - words: {en: [Astana, Astana]}\n"
                           "    services: [contacts]\n"
                           "    print: {edition: 1999, line: 1, quote: x}\n"
                           "  - words: {}\n"
                           "    services: []\n"
                           "    print: {edition: 2026, line: 999999, quote: x}\n")
    (root / "editions").symlink_to(ROOT / "editions")  # the printed texts the citations name
    with pytest.raises(ProblemsFound) as raised:  # what validate and build check
        read_search_words(root, library().editions)
    problems = [str(p) for p in raised.value.problems]
    assert not any("not on that line" in p for p in problems)  # the print is check-source's
    with pytest.raises(ProblemsFound) as raised:  # what check-source adds: the cited lines
        read_search_words(root, library().editions, against_print=True)
    printed = [str(p) for p in raised.value.problems]
    assert not any("'other-services/no-such'" in p for p in printed)
    problems += printed
    assert any(p.startswith("content/search.yaml:2:") and "vocabulary[0].words.ru[0]" in p and "a word or phrase" in p
               for p in problems), problems
    assert any(p.startswith("content/search.yaml:3:") and "services[1]" in p and "'other-services/no-such'" in p
               for p in problems), problems
    assert any(p.startswith("content/search.yaml:4:") and "print.quote" in p and "not on that line" in p
               and "г. Астана" in p for p in problems), problems
    assert any(p.startswith("content/search.yaml:5:") and "'Astana' twice" in p for p in problems), problems
    assert any(p.startswith("content/search.yaml:7:") and "print.edition" in p and "1999" in p for p in problems)
    assert any(p.startswith("content/search.yaml:8:") and "words in at least one language" in p for p in problems)
    assert any(p.startswith("content/search.yaml:9:") and "at least one service" in p for p in problems)
    assert any(p.startswith("content/search.yaml:10:") and "print.line" in p for p in problems), problems


def test_validate_reports_the_search_words_problems(tmp_path, copy):
    root = copy  # a copy of the fixture project
    (root / "content" / "search.yaml").write_text("vocabulary:\n  - words: {en: [x]}\n    services: [a/b]\n"
                                                  "    print: {edition: 1, line: 1, quote: x}\n", encoding="utf-8")
    from conftest import run_cli
    status, out, err = run_cli("-C", str(root), "validate")
    assert status == 1 and "content/search.yaml:3:" in err and "traceback" not in err.lower(), err


def test_no_file_means_no_search_words(tmp_path):
    assert read_search_words(tmp_path) == SearchWords()


IIN = Abbreviation(terms=("IIN", "ИИН"), means=Text(en="individual identification number",
                                                      ru="индивидуальный идентификационный номер"))
COST = Synonym(words={"en": ("price", "how much"), "ru": ("стоимость", "сколько стоит")},
               means=Text(en="costs", ru="сколько стоит"), cost=True)


def test_typed_words_are_replaced_by_the_pages_language_words():
    words = SearchWords(abbreviations=(IIN,), synonyms=(COST,))
    assert query_words(words, "ru")["iin"] == "индивидуальный идентификационный номер"
    assert query_words(words, "en")["иин"] == "individual identification number"
    assert query_words(words, "en")["how much"] == "costs" and "стоимость" not in query_words(words, "en")
    prp = Abbreviation(terms=("PRP", "ВНЖ"), means=Text(en="x", ru="разрешение на постоянное проживание"))
    assert query_words(SearchWords(abbreviations=(prp,)), "ru")["внж"] == "разрешение постоянное проживание"
    assert query_file(words, "ru")["costs"] == ["сколько стоит"]


FILES = {
    "en/index.md": "---\ntitle: Home\n---\n# Home",
    "en/2026/index.md": "---\ntitle: Edition\n---\n",
    "en/2026/other-services/index.md": "---\ntitle: Other\n---\n",
    "en/2026/other-services/iin/index.md": "---\ntitle: IIN\nsearch:\n  boost: 2\n---\n",
    "en/2025/other-services/iin/index.md": "---\ntitle: IIN\n---\n",
    "en/2026/contacts/index.md": "---\ntitle: Contacts\n---\n",
    "en/2026/guide/employment/index.md": "---\ntitle: Guide\nsearch:\n  exclude: true\n---\n",
    "en/about.md": "---\ntitle: About\n---\n",
    "ru/2026/other-services/iin/index.md": "---\ntitle: ИИН\n---\n",
}


def test_searched_pages_carry_their_edition_kind_and_service():
    pages = {p.url: p for p in searchable_pages(FILES, {2025: "archived", 2026: "current"}, {"other-services/iin"})}
    assert "2026/guide/employment/" not in pages  # the front matter excludes it
    assert pages["2026/other-services/iin/"] == Page("en", "2026/other-services/iin/", "2026/other-services/iin/index.html",
                                                     2026, "current", "service", "other-services/iin")
    assert pages["2025/other-services/iin/"].status == "archived"
    assert pages["ru/2026/other-services/iin/"].html_file == "ru/2026/other-services/iin/index.html"
    assert (pages["2026/other-services/"].kind, pages["2026/"].kind, pages[""].kind) == ("section", "edition", "page")
    assert pages["2026/contacts/"].service == "contacts" and pages["2026/contacts/"].kind == "page"
    assert pages["about/"].edition is None and pages["about/"].status == ""


BUILT = ('<html><body><nav>menu</nav><article class="md-content__inner md-typeset"><h1 id="iin">IIN &amp; co'
         '<a class="headerlink" href="#iin">¶</a></h1>'
         '<div class="gb-banner">translation</div><p class="gb-context">Edition 2026 · Other services</p>'
         '<p>Opening <b>bold</b>text</p><span lang="ru">по-русски</span>'
         '<h2 id="what-it-costs">What it costs</h2><ul class="gb-cost-lines"><li>20 000 KZT</li><li>Fees</li></ul>'
         '<div data-search-exclude><p>Step by step</p></div><h3>No anchor</h3><p>Text &lt;b&gt;</p>'
         '</article><footer>f</footer></body></html>')
IIN_PAGE = Page("en", "2026/other-services/iin/", "2026/other-services/iin/index.html", 2026, "current", "service",
                "other-services/iin")


def test_a_pages_text_is_its_article_without_the_parts_that_repeat_other_pages():
    text = page_text(BUILT, "en")
    assert text is not None and text.title == "IIN & co"  # the heading's link sign left out
    opening, costs = text.sections
    assert (opening.anchor, opening.heading, opening.body) == ("", "", "Opening boldtext")
    # the other language's text, banners, breadcrumbs and excluded parts are not read
    assert (costs.anchor, costs.heading) == ("what-it-costs", "What it costs")
    assert costs.body == "20 000 KZT Fees No anchor Text <b>"  # a heading without an id stays in its section
    assert ("IIN & co", 7) in opening.weighted and ("What it costs", 5) in costs.weighted
    assert page_text("<html><body>no article</body></html>", "en") is None


def test_words_are_folded_and_stemmed_as_the_browser_does():
    assert words("Подпись, ПОДПИСИ и подписью; ёлка_2026 Straße") == ["подпись", "подписи", "и", "подписью", "елка",
                                                                         "2026", "straße"]
    assert stems("fingerprints permits", "en") == ["fingerprint", "permit"]
    assert stems("визы виза", "ru") == ["виз", "виз"]
    assert stem("word", "xx") == "word"  # a language without a stemmer: the word itself


# Words that share a stem and their letter cases, so a memo that kept the wrong stem would show.
SAMPLE_WORDS = st.sampled_from(["Permits", "permit", "PERMITTED", "визы", "Виза", "ВИЗЕ", "ёлка", "елки",
                                "подписью", "fees", "2026", "Straße", "-", " ", "\n"])


@given(texts=st.lists(st.lists(SAMPLE_WORDS | st.text(max_size=12)).map(" ".join), max_size=8),
       lang=st.sampled_from(["en", "ru", "xx"]))
def test_the_index_memo_of_stems_gives_the_stemmers_stems(texts, lang):
    memo = Stems(lang)
    assert [memo(text) for text in texts * 2] == [stems(text, lang) for text in texts * 2]


def test_a_page_is_indexed_with_its_metadata_and_its_vocabulary_words_found_but_not_shown():
    words_ = SearchWords(vocabulary=(VocabularyEntry(words={"en": ("bank <card>",), "ru": ("счёт",)},
                                                     services=("other-services/iin",),
                                                     printed=Printed(2026, 1, "x")),))
    record = page_record(IIN_PAGE, BUILT, words_)
    assert record is not None and record.title == "IIN & co" and record.fee
    assert record.weights["bank"] == VOCABULARY_WEIGHT and record.weights["card"] == VOCABULARY_WEIGHT
    assert "счет" not in record.weights and "по" not in record.weights  # only the page's language
    assert record.weights["iin"] == 7 and record.weights["fee"] == 1 and record.weights["cost"] == 5
    assert "menu" not in record.weights and "translat" not in record.weights and "step" not in record.weights
    assert all("card" not in text for _, _, text in record.sections)  # never shown as a snippet
    assert page_record(IIN_PAGE, "<html><body>no article</body></html>", words_) is None
    long = page_record(IIN_PAGE, BUILT.replace("Text &lt;b&gt;", "word " * 1000 + "last"), words_)
    assert long is not None and long.weights["last"] == 1  # every word is found…
    kept = long.sections[1][2]
    assert len(kept) <= SNIPPET_SOURCE + 2 and kept.endswith("word …")  # … a long section's start is kept
    section = Page("en", "2026/other-services/", "x", 2026, "current", "section", "")
    other = page_record(section, BUILT.replace("gb-cost-lines", "x"), words_)
    assert other is not None and not other.fee and "bank" not in other.weights


def scores(postings: list[list[int]]) -> dict[int, int]:
    return {number: score for number, score in postings}


def _record(url: str, weights: dict[str, int], length: int = 10):
    page = Page("en", url, url + "index.html", 2026, "current", "service", "")
    return Record(page=page, title=url, fee=True, sections=(("", "", "text"),), weights=weights, length=length)


def test_scores_favour_rare_words_and_repeats_and_count_page_length_little():
    records = [_record("a/", {"visa": 1, "iin": 3}), _record("b/", {"visa": 1}), _record("c/", {"visa": 1, "iin": 1}),
               _record("d/", {"visa": 1, "iin": 1}, length=1000)]
    table = score_table(records)
    assert [n for n, _ in table["visa"]] == [0, 1, 2, 3]
    iin = scores(table["iin"])
    assert set(iin) == {0, 2, 3}
    assert iin[0] > iin[2] > iin[3] > 0  # repeats count more; a long page a little less
    assert iin[3] > iin[2] / 2  # … only a little (b = 0.1)
    assert scores(table["visa"])[1] < iin[2]  # a word on every page says less than a rarer one


def test_language_files_are_sharded_by_the_stems_first_two_letters_and_named_by_their_version():
    records = [_record("a/", {"visa": 1, "виза": 2}), _record("b/", {"vi": 1, "iin": 1})]
    files = language_files(records, SearchWords(abbreviations=(IIN,)), "en")
    entry = json.loads(files["en/entry.json"])
    version = entry["version"]
    assert re.fullmatch(r"[0-9a-f]{8}", version)
    assert entry["shards"] == sorted([shard_of("visa"), shard_of("виза"), shard_of("iin")])
    assert shard_of("виза") == "04320438" and shard_of("visa") == shard_of("vi") == "00760069"
    assert json.loads(files[f"en/t/00760069.{version}.json"]) == {"vi": [[1, scores(score_table(records)["vi"])[1]]],
                                                                 "visa": score_table(records)["visa"]}
    assert entry["pages"][0] == ["a/", "a/", "service", "yes", "2026", "current"]
    assert json.loads(files[f"en/p/1.{version}.json"]) == [["", "", "text"]]
    assert entry["replace"]["iin"] == "individual identification number"
    # the same records give the same files; a changed score gives a new version
    assert language_files(records, SearchWords(abbreviations=(IIN,)), "en") == files
    changed = language_files([_record("a/", {"visa": 2, "виза": 2}), records[1]], SearchWords(), "en")
    assert json.loads(changed["en/entry.json"])["version"] != version


def test_result_labels_come_from_the_site_labels():
    labels = search_labels(library().ui)
    assert labels["en"]["edition"] == " — edition {year} ({status})" and labels["ru"]["archived"] == "архивная"
