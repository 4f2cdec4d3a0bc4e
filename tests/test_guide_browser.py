"""Answer first, in a real browser: on every guide answer page and every service page of both
editions, in both languages, at 390 × 844 the first screen shows what it costs and how long it
takes (or that the guidebook prints neither). Chromium only for what needs layout; the rest of the
guide is checked on the rendered pages (test_guide)."""
from __future__ import annotations

import functools
import http.server
import threading
from typing import TYPE_CHECKING

import pytest

from conftest import ROOT
from generator.edition.validate import load_library
from guide_paths import PATHS
from test_browser import ARGS, CHROMIUM  # skips this module too where the browser is missing

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

PHONE: ViewportSize = {"width": 390, "height": 844}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _pages() -> list[str]:
    """Every guide answer page and service page, both languages."""
    library = load_library(ROOT)
    out = []
    for lang in ("", "ru/"):
        for year, rows in sorted(PATHS.items()):
            out += [f"{lang}{year}/guide/{slug}/" for slug, services, _ in rows if services]
            out += [f"{lang}{year}/{s.section}/{s.id}/" for s in library.editions[year].services()]
    return out


@pytest.fixture(scope="module")
def served(real_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(real_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_the_first_phone_screen_shows_the_cost_and_the_timeframe(served):
    from playwright.sync_api import sync_playwright  # after test_browser's skip where it is missing

    ui = load_library(ROOT).ui
    base = served
    failures, pages = [], _pages()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=PHONE)
        for path in pages:
            lang = "ru" if path.startswith("ru/") else "en"
            response = page.goto(base + path)
            assert response is not None and response.ok, path
            answers = page.locator(".gb-answer")
            if answers.count() == 0:
                failures.append(f"{path}: no answer sentence")
                continue
            for i in range(answers.count()):
                box = answers.nth(i).bounding_box()
                text = answers.nth(i).inner_text()
                if box is None or box["y"] + box["height"] > PHONE["height"]:
                    failures.append(f"{path}: answer {i + 1} ends below the first screen ({box})")
                priced = "KZT" in text and ui["answer_takes"].get(lang) in text
                if not (priced or ui["answer_no_fee"].get(lang) in text):
                    failures.append(f"{path}: answer {i + 1} gives no cost and timeframe: {text!r}")
        browser.close()
    assert len(pages) > 150
    assert failures == []


def test_the_printed_checklist_carries_its_fee_and_timeframe_and_the_phone_header_never_overlaps(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=PHONE)
        page.goto(served + "ru/2026/temporary-residence-permit/employment/")
        topics = page.locator(".md-header__topic")
        for _ in range(8):  # while the header switches from the site name to the page title
            page.mouse.wheel(0, 120)
            page.wait_for_timeout(40)
            shown = page.evaluate("() => [...document.querySelectorAll('.md-header__topic')]"
                                  ".filter(t => getComputedStyle(t).visibility !== 'hidden'"
                                  " && Number(getComputedStyle(t).opacity) > 0).length")
            assert shown == 1, "site name and page title both visible in the phone header"
        assert topics.count() == 2
        page.emulate_media(media="print")
        cost = page.locator(".gb-checklist .gb-checklist-cost").first
        assert cost.is_visible()
        assert "240" in cost.inner_text() and "1 рабочий день" in cost.inner_text()
        browser.close()
