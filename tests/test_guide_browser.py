"""Answer first, in a real browser: on guide answer pages and service pages of both editions, in
both languages, at 390 × 844 the first screen shows what it costs and how long it takes (or that
the guidebook prints neither). Chromium only for what needs layout, on a sample: per language and
kind of page (guide answer, service), the pages with the most text down to their last answer
sentence, where an answer is likeliest to end below the screen. That every one of these pages has
its answer sentence, with a cost and a timeframe, is read from the HTML (test_site_structure); the
rest of the guide is checked on the rendered pages (test_guide)."""
from __future__ import annotations

import functools
import html
import http.server
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import ROOT
from generator.edition.validate import load_library
from test_browser import ARGS, CHROMIUM  # skips this module too where the browser is missing
from test_site_structure import answer_pages

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

PHONE: ViewportSize = {"width": 390, "height": 844}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _text_to_last_answer(page: str) -> int:
    """How much text the page shows from its title down to the end of its last answer sentence."""
    start = page.index("md-content__inner")
    end = page.index("</p>", page.rindex('class="gb-answer"'))
    return len(re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page[start:end]))))


def _pages(site: Path, per_kind: int = 3) -> list[str]:
    """The sample: per language and kind of page, the `per_kind` pages with the most text down to
    their last answer (every answer page is listed by test_site_structure.answer_pages)."""
    kinds: dict[tuple[bool, bool], list[tuple[int, str]]] = {}
    for path in answer_pages():
        text = (site / path / "index.html").read_text(encoding="utf-8")
        size = _text_to_last_answer(text) if 'class="gb-answer"' in text else 10**9  # none: fails below
        kinds.setdefault((path.startswith("ru/"), "/guide/" in path), []).append((size, path))
    return sorted(path for pages in kinds.values() for _, path in sorted(pages, reverse=True)[:per_kind])


@pytest.fixture(scope="module")
def served(real_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(real_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_the_first_phone_screen_shows_the_cost_and_the_timeframe(served, real_site):
    from playwright.sync_api import sync_playwright  # after test_browser's skip where it is missing

    ui = load_library(ROOT).ui
    base = served
    failures, pages = [], _pages(real_site)
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
    assert len(pages) == 12 and len({p.startswith("ru/") for p in pages}) == 2
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
