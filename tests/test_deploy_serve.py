"""The real site built for a sub-path (http://127.0.0.1:PORT/expat/guidebook/), served from a
parent folder as a plain static host does, and crawled over HTTP: every page and asset is
reached with no broken link, nothing leaves the prefix or loads from another host, both 404
pages work at a missing address, the language switch leads to the same page in the other
language, and canonical, hreflang and sitemap URLs carry the prefix exactly once.
test_nginx.py serves the same build through nginx with the config of docs/DEPLOY.md."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import SUBPATH as PREFIX
from conftest import subpath_port
from site_crawl import crawl, fetch, links, serve


def _served(parent: Path, url: str):
    """Serve `parent` on the port of `url` with the standard library's server."""
    return serve(parent, port=urlsplit(url).port or 0)


@pytest.fixture(scope="module")
def crawled(subpath_build, tmp_path_factory):
    parent, url = subpath_build
    with subpath_port(tmp_path_factory), _served(parent, url) as base:
        assert urljoin(base, PREFIX) == url
        result = crawl(url)
        not_found: dict[str, list] = {}
        for lang in ("", "ru/"):
            status, _, body = fetch(f"{url}{lang}404.html")
            assert status == 200
            missing = f"{url}{lang}no/such/page/"
            not_found[lang] = [(value, fetch(urljoin(missing, value))[0])
                               for _, _, value in links(body.decode("utf-8"))
                               if urljoin(missing, value).startswith(url)]
            not_found[lang].append(("lang", body.decode("utf-8")))
        sitemap = fetch(f"{url}sitemap.xml")
        csv_text = fetch(f"{url}data/changes-2025-2026.csv")[2].decode("utf-8-sig")
    return parent / PREFIX.strip("/"), url, result, not_found, sitemap, csv_text


def test_every_page_and_asset_reached_with_no_broken_link(crawled):
    site, url, result, *_ = crawled
    assert result.broken == []
    assert result.outside == [], "links that leave the prefix (root-absolute?)"
    assert result.foreign == [], "a page loads something from another host"
    pages = {p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html")}
    reached = {u[len(url):] for u in result.pages}
    assert pages - {"404.html", "ru/404.html"} <= reached
    data = {p.relative_to(site).as_posix() for p in (site / "data").iterdir()}
    assert {u[len(url):] for u in result.assets} >= data, "every export is linked from a page"


def test_both_404_pages_work_at_a_missing_address(crawled):
    *_, not_found, _, _ = crawled
    for lang, found in not_found.items():
        (_, page), checked = found[-1], found[:-1]
        assert f'<html lang="{"ru" if lang else "en"}"' in page
        assert len(checked) >= 5, checked  # styles, scripts, the home page and the links on
        assert [(value, code) for value, code in checked if code != 200] == []


def test_language_switch_leads_to_the_same_page(crawled):
    _, url, result, *_ = crawled
    for page, html in result.pages.items():
        switch = re.search(r'<a href="([^"]+)" hreflang="(en|ru)" lang="\2" class="gb-lang__link">', html)
        assert switch, page
        target = urljoin(page, switch.group(1))
        rel = page[len(url):]
        expected = rel.removeprefix("ru/") if switch.group(2) == "en" else "ru/" + rel
        assert target == url + expected, page


def test_canonical_and_hreflang_carry_the_prefix_once(crawled):
    _, url, result, *_ = crawled
    for page, html in result.pages.items():
        canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
        assert canonical == [page], page
        alternates = dict((lang, href) for href, lang in
                          re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">', html))
        assert set(alternates) == {"en", "ru", "x-default"}, page
        assert page in alternates.values(), page
        for href in [*canonical, *alternates.values()]:
            assert href.startswith(url) and href.count(PREFIX) == 1, (page, href)
            assert href in result.pages, (page, href)


def test_sitemap_lists_every_page_once_with_the_prefix_once(crawled):
    _, url, result, _, sitemap, _ = crawled
    status, kind, body = sitemap
    assert status == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.fromstring(body)
    locs = [e.text or "" for e in tree.findall("s:url/s:loc", ns)]
    hrefs = [e.get("href", "") for e in tree.findall("s:url/x:link", ns)]
    assert len(locs) == len(set(locs)) == len(result.pages)
    assert set(locs) == set(result.pages)
    for href in [*locs, *hrefs]:
        assert href.startswith(url) and href.count(PREFIX) == 1, href


def test_csv_page_urls_are_absolute_on_the_site(crawled):
    _, url, result, *_, csv_text = crawled
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert rows
    for row in rows:
        page = row["page_url"].split("#")[0]
        assert page in result.pages, row["page_url"]


def primary_nav(html: str) -> str:
    """The site navigation of a page (Material's primary nav, nested navs included)."""
    start = html.index('<nav class="md-nav md-nav--primary')
    depth = 0
    for tag in re.finditer(r"<(/?)nav\b", html[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[start:start + tag.end()]
    raise AssertionError("unclosed nav")


def test_navigation_holds_the_pages_own_edition_only(crawled):
    _, url, result, *_ = crawled
    years = {int(m) for page in result.pages for m in re.findall(r"^(?:ru/)?(\d{4})/", page[len(url):])}
    assert len(years) >= 2, "needs two editions to mean anything"
    current = max(years)  # the latest published edition
    for page, html in result.pages.items():
        own = re.match(r"(?:ru/)?(\d{4})/", page[len(url):])
        expected = int(own.group(1)) if own else current
        linked = {int(m.group(1)) for href in re.findall(r'href="([^"]+)"', primary_nav(html))
                  if (m := re.match(r"(?:ru/)?(\d{4})/", urljoin(page, href)[len(url):]))}
        assert linked == {expected}, page
