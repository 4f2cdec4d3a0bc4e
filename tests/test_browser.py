"""Real-browser tests: Playwright drives Debian's Chromium against the built site on 127.0.0.1.

Language switch, search (language filtering, morphology, ё≡е, ranking), the document
checklist, console errors, and axe-core accessibility checks. Where GUIDEBOOK_BROWSER_TESTS
is "required" (CI), a missing browser or axe-core fails the run instead of skipping it.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = Path(os.environ.get("GUIDEBOOK_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REQUIRED = os.environ.get("GUIDEBOOK_BROWSER_TESTS") == "required"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return f"no axe-core at {AXE} (npm install)"
    return None


MISSING = _missing()
if MISSING:
    if REQUIRED:
        raise RuntimeError(f"browser tests are required here, but {MISSING}")
    pytest.skip(MISSING, allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(real_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(real_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: page.problems.append(f"request failed: {r.url}")
            if r.failure != "net::ERR_ABORTED" else None)  # aborted: the test navigated away
    page.base = base_url
    yield page
    context.close()


WAITING = ("Initializing search", "Инициализация поиска", "Type to start searching", "Начните печатать для поиска")


def search(page, path: str, query: str) -> list[str]:
    """Type `query` into the search box of `path`; the result links, relative to the site."""
    page.goto(page.base + path)
    page.locator(".md-search__input").click()
    # The index loads in a worker; a query typed before it is ready is not searched.
    page.wait_for_function(
        """(initializing) => {
             const meta = document.querySelector('.md-search-result__meta');
             return meta && !initializing.includes(meta.textContent.trim());
           }""", arg=list(WAITING[:2]), timeout=15000)
    page.locator(".md-search__input").fill(query)
    page.locator(".md-search__input").press("End")  # Material searches on key events, not on fill()'s input event
    page.wait_for_function(
        """([waiting, query]) => {
             const meta = document.querySelector('.md-search-result__meta');
             const input = document.querySelector('.md-search__input');
             return meta && input.value === query && !waiting.includes(meta.textContent.trim());
           }""", arg=[list(WAITING), query], timeout=15000)
    page.wait_for_timeout(250)  # the list renders right after its count
    links = page.locator(".md-search-result__item > a.md-search-result__link")
    return [links.nth(i).get_attribute("href").replace(page.base, "") for i in range(links.count())]


def test_language_switch_lands_on_the_same_page(page):
    page.goto(page.base + "2026/other-services/iin/")
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="ru"]').click()
    page.wait_for_url("**/ru/2026/other-services/iin/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(page.base + "2026/other-services/iin/")
    assert page.problems == []


def test_english_search_stems_and_keeps_to_english(page):
    results = search(page, "", "permits")
    assert results and any("residence-permit" in r for r in results)
    assert not any(r.startswith("ru/") for r in results)
    assert search(page, "", "виза") == []


def test_russian_search_handles_morphology_and_keeps_to_russian(page):
    visas = search(page, "ru/", "визы")
    assert visas and all(r.startswith("ru/") for r in visas)
    assert any("visa" in r for r in visas)
    documents = search(page, "ru/", "документов")
    assert documents and all(r.startswith("ru/") for r in documents)
    assert search(page, "ru/", "permit") == []


def test_russian_search_treats_yo_as_ye(page):
    with_yo, without = search(page, "ru/", "продлён"), search(page, "ru/", "продлен")
    assert with_yo and with_yo == without


def test_current_edition_ranks_above_archived(page):
    results = [r for r in search(page, "", "tax residence certificate") if "#" not in r]
    assert results[0].startswith("2026/"), results
    russian = [r for r in search(page, "ru/", "сертификат налогового резидента") if "#" not in r]
    assert russian[0].startswith("ru/2026/"), russian


def test_checklist_ticks_survive_a_reload(page):
    page.goto(page.base + "2026/employment-visa/visa-inside/")
    box = page.locator('.gb-checklist input[data-doc="consent-form"]')
    box.check()
    page.reload()
    expect(page.locator('.gb-checklist input[data-doc="consent-form"]')).to_be_checked()
    expect(page.locator('.gb-checklist input[data-doc="passport"]')).not_to_be_checked()
    page.locator(".gb-checklist .gb-reset").first.click()
    page.reload()
    expect(page.locator('.gb-checklist input[data-doc="consent-form"]')).not_to_be_checked()


def visible_changes(page) -> list[dict]:
    return page.eval_on_selector_all(
        "[data-change]", "items => items.filter(i => i.offsetParent !== null).map(i => ({...i.dataset, id: i.id}))")


def test_diff_page_filters_and_permalinks(page):
    page.goto(page.base + "changes/2025-2026/")
    everything = visible_changes(page)
    assert len(everything) > 90  # each change once, a change repeated in several services too
    page.select_option('[data-filter="kind"]', "document")
    documents = visible_changes(page)
    assert documents and {c["kind"] for c in documents} == {"document"}
    page.select_option('[data-filter="kind"]', "")
    page.check('[data-filter="material"]')
    material = visible_changes(page)
    assert len(material) == 37 and {c["material"] for c in material} == {"yes"}
    assert page.locator(".gb-diff-shown span").text_content() == "37"
    assert "material=yes" in page.url
    page.select_option('[data-filter="section"]', "other-services")
    assert {c["section"] for c in visible_changes(page)} == {"other-services"}
    # a permalink opens the page at that change, even if filters had hidden it
    page.goto(page.base + "changes/2025-2026/#doc-investor-visa-invitation-outside-expat-centre-appointment-order")
    target = page.locator("#doc-investor-visa-invitation-outside-expat-centre-appointment-order")
    expect(target).to_be_visible()
    expect(target).to_have_class(re.compile("gb-target"))
    # one service's record of a change listed once for several services opens that change
    page.goto(page.base + "changes/2025-2026/#doc-visa-cancellation-holder-inside-main-power-of-attorney")
    page.reload()  # a new hash on the same page is not a new load
    grouped = page.locator('li[data-change]:has(#doc-visa-cancellation-holder-inside-main-power-of-attorney)')
    expect(grouped).to_be_visible()
    expect(grouped).to_have_class(re.compile("gb-target"))
    # the service page's box links to its rows
    page.goto(page.base + "2026/other-services/iin/")
    page.locator('.gb-since a[href*="fee-other-services-iin-main-0-personal-manager"]').click()
    expect(page.locator("#fee-other-services-iin-main-0-personal-manager")).to_be_visible()
    assert page.problems == []


PAGES = ["", "2026/employment-visa/invitation-outside/", "2026/contacts/", "2025/other-services/iin/",
         "changes/2025-2026/"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["", "ru/"])
def test_pages_load_without_console_errors_and_pass_axe(page, lang, path):
    response = page.goto(page.base + lang + path)
    assert response.ok
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert page.problems == []
