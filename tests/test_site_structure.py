"""The built real site's structure, read from its HTML files without a browser: what the browser
walks used to check page by page where no layout is involved. The guide is a tree of static pages
(a person answers each question by following its printed label's link, scripts off), and every
guide answer page and service page, in both languages, leads with a sentence giving what it costs
and how long it takes (or that the guidebook prints no fee). Where layout matters (the answer on
the first phone screen, no sideways scrolling) Chromium checks a sample: test_browser.py,
test_guide_browser.py.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import ROOT
from generator.edition.validate import load_library
from guide_paths import PATHS
from html_tree import Element, parse

GUIDE_YEAR = 2026
PATHS_2026 = [(slug, services[0] if services else None) for slug, services, _ in PATHS[GUIDE_YEAR]]
BASE = "http://site.invalid/"  # page addresses are resolved against it, as a browser resolves links


@functools.lru_cache(maxsize=1)
def _labels() -> dict:
    import yaml
    return yaml.safe_load((ROOT / "content" / "ui.yaml").read_text(encoding="utf-8"))


def _fold(text: str) -> str:
    """Text as Playwright's has_text compares it: whitespace collapsed, case ignored."""
    return re.sub(r"\s+", " ", text).strip().casefold()


class Site:
    """The built site's pages by address, parsed once each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pages: dict[str, Element] = {}

    def page(self, url: str) -> Element:
        assert url.startswith(BASE), url
        rel = url[len(BASE):].split("#")[0].split("?")[0]
        file = self.folder / rel / "index.html" if rel == "" or rel.endswith("/") else self.folder / rel
        assert file.is_file(), f"{url}: no page at {file}"
        if rel not in self._pages:
            self._pages[rel] = parse(file.read_text(encoding="utf-8"))
        return self._pages[rel]


@pytest.fixture(scope="module")
def site(real_site) -> Site:
    return Site(real_site)


@pytest.mark.parametrize("slug,service", PATHS_2026, ids=[slug for slug, _ in PATHS_2026])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_guide_path_lands_on_the_right_service(site, lang, slug, service):
    """Answer each question by following its printed label's link, as a person does with scripts
    off (test_browser.py clicks a sample of these paths in Chromium)."""
    prefix = "" if lang == "en" else "ru/"
    url = BASE + f"{prefix}{GUIDE_YEAR}/guide/"
    questions = iter(("purpose", "where", "citizenship", "family"))
    for answer in slug.split("/"):
        page = site.page(url)
        heading = page.find("h2")[0].text()
        question = next(q for q in questions if _labels()[f"guide_q_{q}"][lang] in heading)
        label = _fold(_labels()[f"guide_a_{question}_{answer}"][lang])
        links = [a for a in page.find("a") if a.within(cls="gb-choices") and label in _fold(a.text())]
        assert links, (url, answer)
        url = urljoin(url, links[0].attrs["href"])
    assert url == BASE + f"{prefix}{GUIDE_YEAR}/guide/{slug}/"
    page = site.page(url)
    main = [a for a in page.find("a") if a.within(cls="gb-journey-title") and a.within(cls="gb-journey-main")]
    if service is None:
        assert main == []
        others = [li for li in page.find("li") if li.within(cls="gb-others")]
        assert others and not others[0].hidden()
    else:
        url = urljoin(url, main[0].attrs["href"])
        assert url == BASE + f"{prefix}{GUIDE_YEAR}/{service}/"
        assert [s for s in site.page(url).find(cls="gb-summary") if not s.hidden()]


def answer_pages() -> list[str]:
    """Every guide answer page and service page, both languages (site-relative folders)."""
    library = load_library(ROOT)
    out = []
    for lang in ("", "ru/"):
        for year, rows in sorted(PATHS.items()):
            out += [f"{lang}{year}/guide/{slug}/" for slug, services, _ in rows if services]
            out += [f"{lang}{year}/{s.section}/{s.id}/" for s in library.editions[year].services()]
    return out


def test_every_answer_page_leads_with_its_cost_and_timeframe(site):
    """Each answer sentence (.gb-answer) gives a price in KZT and how long it takes, or says the
    guidebook prints no fee (test_guide_browser.py checks in Chromium that it is on the first
    phone screen)."""
    ui = load_library(ROOT).ui
    failures, pages = [], answer_pages()
    for path in pages:
        lang = "ru" if path.startswith("ru/") else "en"
        answers = site.page(BASE + path).find(cls="gb-answer")
        if not answers:
            failures.append(f"{path}: no answer sentence")
        for i, answer in enumerate(answers):
            text = re.sub(r"[ \t\n\r\f]+", " ", answer.text())  # as innerText: a no-break space stays
            priced = "KZT" in text and ui["answer_takes"].get(lang) in text
            if not (priced or ui["answer_no_fee"].get(lang) in text):
                failures.append(f"{path}: answer {i + 1} gives no cost and timeframe: {text!r}")
    assert len(pages) > 150
    assert failures == []


LOGO = re.compile(r'<a href="([^"]*)"[^>]*class="md-(?:header|nav)__button md-logo"')


def test_the_logo_of_every_page_leads_to_its_languages_home(real_site):
    """The site name in the header (and the drawer) is the way home: a Russian page's goes to the
    Russian home, an English page's to the English one (404 pages too: their links start at /)."""
    wrong = []
    for file in sorted(real_site.rglob("*.html")):
        rel = file.relative_to(real_site).as_posix()
        home = BASE + ("ru/" if rel.startswith("ru/") else "")
        links = LOGO.findall(file.read_text(encoding="utf-8"))
        assert len(links) == 2, f"{rel}: {links}"
        page = BASE + rel.removesuffix("index.html")
        wrong += [f"{rel}: {link}" for link in links if urljoin(page, link) not in (home, home + "index.html")]
    assert wrong == []
