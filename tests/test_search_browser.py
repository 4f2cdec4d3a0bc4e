"""Search in a real browser (Playwright, Debian's Chromium) over the built site's own index.

The query table: what applicants type, written from the printed titles and the words people
use (not from content/search.yaml), each with the services the print says it is about; at
least 95 % must have one of them in the top 3, and every miss is listed. Then: language
separation, morphology, ё≡е, editions named and current first, abbreviations from either
language, pasted and typed text, nothing fetched before the search opens, a 404 page's
search, a sub-path deployment, and a strict Content-Security-Policy.
"""
# ruff: noqa: F811  (the browser fixtures are imported from test_browser.py and named as parameters)
from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest

from conftest import CURRENT
from search_queries import QUERIES, service_of
from test_browser import base_url, browser, open_page  # noqa: F401


# One page serves the searches of this module: each test starts by loading a page (a fresh
# document), and a new browser context per test cost Chromium about a third of a second plus the
# search index fetched again. The test of what is fetched, and when, has a fresh context.
@pytest.fixture(scope="module")
def _one_page(browser, base_url):
    context, page = open_page(browser, base_url)
    yield page
    context.close()


@pytest.fixture
def page(_one_page):
    _one_page.problems = []  # this test's own
    return _one_page


@pytest.fixture
def fresh_page(browser, base_url):
    context, page = open_page(browser, base_url)
    yield page
    context.close()


def results(page, query: str) -> list[str]:
    """Put `query` in the open page's search box as a paste or dictation does (an input event,
    no key), wait until the list answers it; the result addresses, from the site root."""
    page.locator(".md-search__input").fill(query)
    page.wait_for_function("(q) => document.querySelector('.md-search').dataset.gbShown === q", arg=query,
                           timeout=20000)
    hrefs = page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
        "as => as.map(a => a.href)")
    return [h.replace(page.base, "") for h in hrefs]


def search(page, lang: str, query: str) -> list[str]:
    page.goto(page.base + lang)
    page.locator(".md-search__input").click()
    return results(page, query)


def test_query_table_finds_the_right_service_in_the_top_3(page):
    assert len(QUERIES) >= 40 and {lang for lang, _ in QUERIES} == {"", "ru/"}
    misses = []
    opened = None
    for (lang, query), expected in QUERIES.items():
        if opened != lang:
            page.goto(page.base + lang)
            page.locator(".md-search__input").click()
            opened = lang
        top = results(page, query)[:3]
        if not any(service_of(url, lang) in expected for url in top):
            misses.append(f"{lang or 'en/'} {query!r}: expected one of {expected}, top 3 {top}")
    share = 1 - len(misses) / len(QUERIES)
    print(f"query table: {len(QUERIES) - len(misses)}/{len(QUERIES)} in the top 3; misses:", *misses, sep="\n  ")
    assert share >= 0.95, "\n".join(misses)
    assert page.problems == []


def test_english_search_stems_and_keeps_to_english(page):
    found = search(page, "", "permits")
    assert found and any("residence-permit" in r for r in found)
    assert not any(r.startswith("ru/") for r in found)
    # a Russian word finds no Russian page from an English one (English pages may quote the print)
    assert not any(r.startswith("ru/") for r in search(page, "", "виза"))


def test_russian_search_handles_morphology_and_keeps_to_russian(page):
    visas = search(page, "ru/", "визы")
    assert visas and all(r.startswith("ru/") for r in visas)
    assert any("visa" in r for r in visas)
    documents = search(page, "ru/", "документов")
    assert documents and all(r.startswith("ru/") for r in documents)
    assert all(r.startswith("ru/") for r in search(page, "ru/", "permit"))  # only Russian pages, ever


def test_russian_search_treats_yo_as_ye(page):
    with_yo, without = search(page, "ru/", "продлён"), search(page, "ru/", "продлен")
    assert with_yo and with_yo == without


def test_current_edition_ranks_above_archived_and_archived_results_are_marked(page):
    found = search(page, "", "tax residence certificate")
    assert found[0].startswith(f"{CURRENT}/"), found
    years = [int(r[:4]) for r in found if re.match(r"\d{4}/", r)]
    assert years == sorted(years, key=lambda y: y != CURRENT), years  # every current page before archived ones
    archived = page.locator(".md-search-result__item.gb-search-archived .gb-search-edition").all_text_contents()
    assert archived and all(re.search(r"\b\d{4} \(archived\)", t) and str(CURRENT) not in t for t in archived), archived
    russian = search(page, "ru/", "сертификат налогового резидента")
    assert russian[0].startswith(f"ru/{CURRENT}/"), russian


ABBREVIATIONS = {  # what people type → the page it is about
    "IIN": "other-services/iin", "ИИН": "other-services/iin",
    "EDS": "other-services/digital-signature", "ЭЦП": "other-services/digital-signature",
    "TRP": "temporary-residence-permit", "РВП": "temporary-residence-permit",
    "PRP": "permanent-residence-permit", "ВНЖ": "permanent-residence-permit",
    "MCI": "fees", "МРП": "fees",
}


@pytest.mark.parametrize("lang", ["", "ru/"])
def test_search_finds_abbreviations_from_either_language(page, lang):
    page.goto(page.base + lang)
    page.locator(".md-search__input").click()
    for typed, expected in ABBREVIATIONS.items():
        found = results(page, typed)
        assert found and all(r.startswith(lang) for r in found), (typed, found)
        top = [r[len(lang):] for r in found[:3]]
        assert any(re.fullmatch(rf"(\d{{4}}/)?{expected}/.*", r) for r in top), (typed, found[:5])


def test_results_name_their_edition_and_show_whole_words_from_the_matching_section(page):
    search(page, "", "IIN")
    items = page.locator(".md-search-result__item")
    editions = items.locator(".gb-search-edition").all_text_contents()
    assert any(f"{CURRENT} (current)" in t for t in editions) and any("2025 (archived)" in t for t in editions), editions
    text = page.locator(".md-search-result__list").inner_text()
    assert "Missing" not in text
    marks = page.locator(".md-search-result__list mark").all_text_contents()
    assert marks and all(re.fullmatch(r"\w+\W?", m) for m in marks), marks
    # a highlighted word is whole: never a stem cut out of a longer word
    for snippet in items.locator("article p:last-child").all_inner_texts():
        assert not re.search(r"\bIndividu\b|\bidentif\b", snippet), snippet
    search(page, "ru/", "сколько стоит рабочая виза")
    first = page.locator(".md-search-result__item").first
    assert "Сколько стоит" in first.locator("article p:last-child strong").inner_text()


def test_typed_text_is_searched_too(page):
    page.goto(page.base + "ru/")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("ЭЦП", delay=30)
    page.wait_for_function("() => document.querySelector('.md-search').dataset.gbShown === 'ЭЦП'", timeout=20000)
    first = page.locator(".md-search-result__item a").first.get_attribute("href")
    assert re.search(r"/ru/\d{4}/other-services/digital-signature/$", first), first


def test_nothing_is_fetched_for_search_until_it_opens_and_then_only_its_language(fresh_page):
    page = fresh_page  # nothing cached by another test
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url.replace(page.base, "")))
    for lang in ("ru/", ""):
        requests.clear()
        page.goto(page.base + lang + "2026/other-services/iin/")
        page.wait_for_load_state("networkidle")
        assert not [r for r in requests if "search-data" in r or r.endswith(".json")], requests
        assert not [r for r in requests if "sitemap" in r]
        results(page, "виза" if lang else "visa")
        fetched = [r for r in requests if r.startswith("search-data/")]
        own = "ru" if lang else "en"
        assert fetched and all(re.match(rf"search-data/({own}/|engine\.{own}\.)", r) for r in fetched), fetched
        assert not [r for r in requests if "wasm" in r or "pagefind" in r]
    assert page.problems == []


@pytest.mark.parametrize("lang", ["", "ru/"])
def test_404_page_search_leads_to_results(page, lang):
    page.goto(page.base + lang + "404.html")
    page.locator("#gb-not-found-q").fill("ИИН")
    page.locator(".gb-not-found-search button").click()
    page.wait_for_url(re.compile(rf".*/{lang}\?q="))
    page.wait_for_function("() => document.querySelector('.md-search').dataset.gbShown === 'ИИН'", timeout=20000)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert any(f"/{lang}2026/other-services/iin/" in h for h in hrefs), hrefs
    assert page.problems == []


class _Served(http.server.SimpleHTTPRequestHandler):
    """The site under /sub/path/, with a strict Content-Security-Policy on every answer."""
    prefix = "/sub/path/"

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(self.directory) + "/no-such-file"
        return super().translate_path("/" + path[len(self.prefix):])

    def end_headers(self):
        self.send_header("Content-Security-Policy",
                         "default-src 'self'; script-src 'self'; worker-src 'none'; "
                         "style-src 'self' 'unsafe-inline'; img-src 'self' data:")
        super().end_headers()


@pytest.fixture(scope="module")
def sub_path_url(real_site, tmp_path_factory):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Served, directory=str(real_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sub/path/"
    server.shutdown()


def test_search_works_under_a_sub_path_with_a_strict_content_security_policy(browser, sub_path_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text
            and "search" in m.text.lower() else None)
    page.on("pageerror", lambda e: blocked.append(str(e)))
    page.goto(sub_path_url + "ru/2026/")
    page.locator("label.md-header__button[for='__search']").click()  # the phone's search icon
    page.locator(".md-search__input").press_sequentially("ИИН", delay=20)
    page.wait_for_function("() => document.querySelector('.md-search').dataset.gbShown === 'ИИН'", timeout=20000)
    first = page.locator(".md-search-result__item a").first.get_attribute("href")
    assert first.startswith("/sub/path/ru/") and "other-services/iin/" in first, first
    page.locator(".md-search__input").press("Enter")
    page.wait_for_url(re.compile(r".*/sub/path/ru/\d{4}/other-services/iin/$"))
    assert blocked == []
    context.close()


def test_keyboard_opens_moves_and_closes_the_search(page):
    page.goto(page.base + "2026/")
    page.keyboard.press("/")
    page.keyboard.type("IIN", delay=20)
    page.wait_for_function("() => document.querySelector('.md-search').dataset.gbShown === 'IIN'", timeout=20000)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert page.evaluate("!document.getElementById('__search').checked")


def test_no_pagefind_or_lunr_index_is_shipped(real_site):
    assert not (real_site / "pagefind").exists() and not (real_site / "search").exists()


def test_hostile_text_in_search_results_stays_text(browser, fixture_build):
    """The fixture project's 2030 edition carries hostile text (markup, scripts) in a title, a
    document and a fee label: searched for, it is shown as text and nothing runs."""
    _, site = fixture_build
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Served, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    def dialog(d):
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/sub/path/")
        page.locator(".md-search__input").click()
        page.locator(".md-search__input").fill("alert")
        page.wait_for_function("() => document.querySelector('.md-search').dataset.gbShown === 'alert'", timeout=20000)
        results = page.locator(".md-search-result__list")
        assert results.locator("li").count() > 0
        assert results.locator("script, b, img, iframe, a a").count() == 0
        assert "alert(" in results.inner_text()  # the text is there, shown literally
        page.wait_for_timeout(300)
        assert dialogs == []
    finally:
        context.close()
        server.shutdown()
