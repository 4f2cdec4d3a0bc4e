"""Real-browser tests: Playwright drives Debian's Chromium against the built site on 127.0.0.1.

Language switch (search: test_search_browser.py), the document
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

from conftest import CURRENT, ROOT

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


def open_page(browser, base_url, **options):
    """(context, page): a page in a context of its own (`options`: the context's), collecting in
    `page.problems` the console's errors and warnings, page errors and failed requests."""
    context = browser.new_context(**options)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: page.problems.append(f"request failed: {r.url}")
            if r.failure != "net::ERR_ABORTED" else None)  # aborted: the test navigated away
    page.base = base_url
    return context, page


@pytest.fixture
def page(browser, base_url):
    context, page = open_page(browser, base_url)
    yield page
    context.close()


def test_language_switch_names_the_language_and_lands_on_the_same_page(page):
    page.goto(page.base + "2026/other-services/iin/")
    switch = page.locator("a.gb-lang__link")
    expect(switch).to_have_count(1)
    expect(switch).to_have_text("Русский")
    expect(switch).to_have_attribute("lang", "ru")
    switch.click()
    page.wait_for_url("**/ru/2026/other-services/iin/")
    assert page.locator("html").get_attribute("lang") == "ru"
    expect(page.locator("a.gb-lang__link")).to_have_text("English")
    page.locator("a.gb-lang__link").click()
    page.wait_for_url(page.base + "2026/other-services/iin/")
    assert page.problems == []


def test_language_switch_keeps_the_section_and_the_query(page):
    position = """id => [...document.querySelectorAll('.md-content [id]')].findIndex(e => e.id === id)"""
    page.goto(page.base + "2026/other-services/iin/")
    heading = page.eval_on_selector_all(".md-content h3[id]", "hs => hs.map(h => h.id)")[-1]
    where = page.evaluate(position, heading)
    page.goto(page.base + f"2026/other-services/iin/?from=test#{heading}")
    page.locator("a.gb-lang__link").click()
    page.wait_for_url(re.compile(r".*/ru/2026/other-services/iin/\?from=test#.+"))
    # Headings have their own ids in each language: the switch lands on the same heading.
    target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    assert target != heading and re.search("[а-я]", target)
    assert page.evaluate(position, target) == where
    assert page.evaluate("id => document.getElementById(id).tagName", target) == "H3"
    expect(page.locator(f'[id="{target}"]')).to_be_in_viewport()
    # Ids the templates write are the same in both languages and stay as they are.
    page.goto(page.base + "ru/changes/2025-2026/?material=yes#fee-other-services-iin-main-0-personal-manager")
    page.locator("a.gb-lang__link").click()
    page.wait_for_url(page.base + "changes/2025-2026/?material=yes#fee-other-services-iin-main-0-personal-manager")
    expect(page.locator("#fee-other-services-iin-main-0-personal-manager")).to_be_visible()
    assert page.problems == []


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


def visible_entries(page) -> list[dict]:
    return page.eval_on_selector_all(
        "[data-entry]", "items => items.filter(i => !i.closest('[hidden]')).map(i => ({...i.dataset, id: i.id}))")


def shown(page) -> tuple[int, int]:
    """The filters' count: (entries, changes) shown."""
    return (int(page.locator('.gb-diff-shown [data-count="entries"]').text_content()),
            int(page.locator('.gb-diff-shown [data-count="changes"]').text_content()))


@pytest.mark.parametrize("lang", ["", "ru/"])
def test_diff_page_filters_by_section_effect_and_materiality(page, lang):
    page.goto(page.base + lang + "changes/2025-2026/")
    everything = visible_entries(page)
    assert len(everything) == 52 and shown(page) == (52, 104)  # every entry of the register, every change
    page.select_option('[data-filter="effect"]', "fee-raised")
    raised = visible_entries(page)
    assert len(raised) == 4 and {e["effect"] for e in raised} == {"fee-raised"}
    assert shown(page) == (4, sum(int(e["changes"]) for e in raised))
    expect(page.locator("#effect-requirement-added")).to_be_hidden()  # an effect with nothing shown
    assert "effect=fee-raised" in page.url
    page.select_option('[data-filter="effect"]', "")
    page.check('[data-filter="material"]')
    material = visible_entries(page)
    assert 0 < len(material) < 52 and {e["material"] for e in material} == {"yes"}
    assert shown(page)[0] == len(material) and "material=yes" in page.url
    page.select_option('[data-filter="section"]', "other-services")
    assert all("other-services" in e["section"].split() for e in visible_entries(page))
    assert 0 < shown(page)[0] < len(material)
    # the filters come back from the URL
    page.goto(page.base + lang + "changes/2025-2026/?effect=wording-only")
    assert {e["effect"] for e in visible_entries(page)} == {"wording-only"} and shown(page)[0] == 6
    assert page.problems == []


@pytest.mark.parametrize("lang", ["", "ru/"])
def test_diff_page_permalinks_reach_entries_and_old_change_anchors(page, lang):
    url = page.base + lang + "changes/2025-2026/"
    # an entry's permalink is its register id
    page.goto(url + "#iin-eds-personal-manager-fee-raised")
    entry = page.locator("#iin-eds-personal-manager-fee-raised")
    expect(entry).to_be_in_viewport()
    expect(entry).to_have_class(re.compile("gb-target"))
    # an old per-change anchor, inside the folded evidence, opens its <details> (even if filtered away)
    page.goto(url + "?effect=fee-raised#doc-investor-visa-invitation-outside-expat-centre-appointment-order")
    target = page.locator("#doc-investor-visa-invitation-outside-expat-centre-appointment-order")
    expect(target).to_be_visible()
    expect(target).to_be_in_viewport()
    expect(target).to_have_class(re.compile("gb-target"))
    assert target.evaluate("e => e.closest('details').open")
    raised = visible_entries(page)  # the 4 raised fees and the entry the link revealed, counted
    assert len(raised) == 5 and shown(page) == (5, sum(int(e["changes"]) for e in raised))
    # a wording-only change: folded twice (the effect's entries, then the entry's evidence)
    wording = page.evaluate("""() => { const e = document.querySelector('#effect-wording-only .gb-change');
                                       return e.id; }""")
    page.goto(url + "#" + wording)
    page.reload()  # a new hash on the same page is not a new load
    expect(page.locator(f"#{wording}")).to_be_visible()
    assert page.locator(f"#{wording}").evaluate(
        "e => { let n = 0; for (let d = e.closest('details'); d; d = d.parentElement.closest('details')) "
        "{ if (!d.open) return -1; n++; } return n; }") == 2
    # one service's record of a change listed once for several services opens that change
    page.goto(url + "#doc-visa-cancellation-holder-inside-main-power-of-attorney")
    page.reload()
    grouped = page.locator('li.gb-change:has(#doc-visa-cancellation-holder-inside-main-power-of-attorney)')
    expect(grouped).to_be_visible()
    expect(grouped).to_have_class(re.compile("gb-target"))
    # a link inside the page to a folded change opens it too (hashchange)
    page.goto(url)
    page.evaluate("location.hash = '#fee-other-services-tax-residence-certificate-main-0-service'")
    expect(page.locator("#fee-other-services-tax-residence-certificate-main-0-service")).to_be_visible()
    # the service page's box links to its register entry
    page.goto(page.base + lang + "2026/other-services/iin/")
    page.locator('.gb-since a[href$="#iin-eds-personal-manager-fee-raised"]').click()
    expect(page.locator("#iin-eds-personal-manager-fee-raised")).to_be_in_viewport()
    assert page.problems == []


@pytest.mark.parametrize("lang", ["", "ru/"])
def test_diff_page_prints_the_findings_and_fee_tables_on_at_most_four_a4_pages(page, lang):
    """The print is the report a manager signs: the findings, the fee table, what did not change;
    the entries stay on the page and in the CSV / XLSX (22 and 26 A4 pages when they were printed)."""
    page.goto(page.base + lang + "changes/2025-2026/")
    page.emulate_media(media="print")
    expect(page.locator(".gb-diff-filters")).to_be_hidden()
    expect(page.locator(".gb-effect").first).to_be_hidden()
    for shown in (".gb-findings-text", "table.gb-diff-fees", "#unchanged"):
        expect(page.locator(shown).first).to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 4, pages
    page.emulate_media(media="screen")
    expect(page.locator(".gb-diff-filters")).to_be_visible()
    assert page.problems == []


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
@pytest.mark.parametrize("lang", ["", "ru/"])
def test_the_findings_paragraph_is_on_the_first_screen(browser, base_url, lang, width, height):
    """A reader meets the findings in sentences before any count or table: the whole paragraph
    is inside the first screen, fees first."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(base_url + lang + "changes/2025-2026/")
    findings = page.locator(".gb-findings-text")
    box = findings.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, box
    text = findings.text_content() or ""
    # E25 → R26: 4 325 / 3 932 − 1 = 9.99 %; all 8 MCI-based state fees follow the MCI
    assert text.startswith(("Fees:", "Сборы:")) and ("+9.99 %" in text or "+9,99 %" in text)
    assert "8" in text
    context.close()


def test_the_downloads_open_and_the_workbook_matches_the_json(page):
    """The .xlsx beside the CSV opens with openpyxl; its fee total and row counts are the JSON's."""
    import io
    import json
    from decimal import Decimal
    from urllib.request import urlopen

    from openpyxl import load_workbook
    page.goto(page.base + "changes/2025-2026/")
    links = page.locator(".gb-downloads a[download]")
    # what the browser resolves each (relative) link to
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    base = page.base.rstrip("/")
    assert base + "/data/changes-2025-2026.xlsx" in hrefs and base + "/data/changes-2025-2026-semicolon.csv" in hrefs
    with urlopen(base + "/data/changes-2025-2026.xlsx") as response:
        workbook = load_workbook(io.BytesIO(response.read()))
    with urlopen(base + "/data/changes-2025-2026.json") as response:
        data = json.loads(response.read())
    assert workbook["changes"].max_row - 1 == data["records"]
    assert workbook["entries"].max_row - 1 == len(data["entries"])
    total = list(workbook["fees"].iter_rows(values_only=True))[-1]
    kinds = ("fee", "personal-manager-fee", "priority-fee", "state-fee", "indexation")
    assert Decimal(str(total[4])) == sum(Decimal(m["delta_kzt"]) for g in data["changes"] for m in g["members"]
                                         if m["kind"] in kinds and m["delta_kzt"] is not None)
    with urlopen(base + "/data/changes-2025-2026-semicolon.csv") as response:
        head = response.read().decode("utf-8")
    assert head.startswith('\ufeff"id";"group";"language"')


PAGES = ["", "2026/employment-visa/invitation-outside/", "2026/contacts/", "2025/other-services/iin/",
         "changes/2025-2026/", "404.html"]


def axe_serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["", "ru/"])
def test_pages_load_without_console_errors_and_pass_axe(page, lang, path):
    response = page.goto(page.base + lang + path)
    assert response.ok
    assert axe_serious(page) == []
    assert page.problems == []


# -- phones: no sideways scrolling --------------------------------------------------------

def overflow(page) -> int:
    """How far the page reaches beyond the viewport, in CSS px (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@functools.lru_cache(maxsize=1)
def _sections() -> frozenset[str]:
    from generator.edition.validate import load_library
    return frozenset(s.id for edition in load_library(ROOT).editions.values() for s in edition.sections)


def _kind(rel: str, text: str) -> str:
    """A page's kind, from its address with the years taken out and whether it asks a question:
    pages of one kind come from one template (a service, a section, a guide question or answer…)."""
    parts = re.sub(r"\d{4}", "Y", rel.removeprefix("ru/")).split("/")
    if parts[0] == "Y" and len(parts) > 2 and (parts[1] in _sections() or parts[1] == "guide"):
        parts = ["Y", "guide" if parts[1] == "guide" else "section", "…"][:min(len(parts) - 1, 3)]
    return "/".join(parts) + (" question" if "gb-choices" in text else "")


def _widths(text: str) -> tuple[int, int, int]:
    """(longest run of text no line may break, most cells in a table row, size) of a page's content."""
    content = text[text.find("md-content__inner"):]
    words = re.sub(r"<[^>]+>", " ", content).replace("&nbsp;", "\u00a0")
    longest = max((len(w) for w in re.split(r"[ \t\n\r\f]+", words)), default=0)
    cells = max((len(re.findall(r"<t[dh][ >]", row)) for row in re.findall(r"<tr.*?</tr>", content, re.S)), default=0)
    return longest, cells, len(content)


def sideways_sample(site: Path) -> list[str]:
    """The pages the 390 px walk loads: for each language and kind of page, the one with the
    longest unbreakable run of text, the one with the widest table row and the largest one,
    where a page of that kind would first scroll sideways."""
    kinds: dict[tuple[bool, str], list[tuple[tuple[int, int, int], str]]] = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        text = page.read_text(encoding="utf-8")
        kinds.setdefault((rel.startswith("ru/"), _kind(rel, text)), []).append((_widths(text), rel))
    return sorted({max(pages, key=lambda p: (p[0][i], p[1]))[1] for pages in kinds.values() for i in range(3)})


def test_no_page_of_the_site_scrolls_sideways_at_390px(browser, base_url, real_site):
    """A sample of every kind of page (sideways_sample), both languages."""
    pages = sideways_sample(real_site)
    assert "ru/404.html" in pages and "changes/2025-2026/index.html" in pages
    assert {_kind(p, "") for p in pages} >= {"Y/section/…", "Y/guide/…", "Y/section", "index.html"}
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    wide = {}
    for rel in pages:
        page.goto(base_url + rel)
        if overflow(page) > 0:
            wide[rel] = overflow(page)
    context.close()
    assert wide == {}


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
@pytest.mark.parametrize("lang", ["", "ru/"])
def test_diff_page_fits_the_content_column(browser, base_url, lang, width, height):
    """No sideways scrolling; every column of the fee table inside the content area (not under
    the table of contents), or the table scrolls in its own box, which is inside it."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(base_url + lang + "changes/2025-2026/")
    assert overflow(page) == 0
    content = page.locator(".md-content").bounding_box()
    right = content["x"] + content["width"] + 1
    tables = page.locator(".gb-scroll")
    assert tables.count() == 2  # the fees that changed, the fees printed alike
    for t in range(tables.count()):
        scroll = tables.nth(t)
        box = scroll.bounding_box()
        assert box["x"] >= content["x"] - 1 and box["x"] + box["width"] <= right
        cells = scroll.locator("table.gb-diff-fees tr > *")
        assert cells.count() >= 30
        scrolls = scroll.evaluate("e => e.scrollWidth > e.clientWidth")
        for i in range(cells.count()):
            cell = cells.nth(i).bounding_box()
            if cell is None:  # a visually hidden header row on phones (each cell is labelled)
                continue
            assert scrolls or (cell["x"] >= content["x"] - 1 and cell["x"] + cell["width"] <= right), \
                cells.nth(i).text_content()
        assert not scrolls or width == 1280  # on a phone each fee is a block of labelled figures
    context.close()


@pytest.mark.parametrize("lang", ["", "ru/"])
def test_fee_table_shows_every_price_on_a_phone(browser, base_url, lang):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + lang + "2026/other-services/iin/")
    cells = page.locator("table.gb-fees tbody td")
    assert cells.count() >= 6
    labels = set()
    for i in range(cells.count()):
        box = cells.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, cells.nth(i).text_content()
        labels.add(cells.nth(i).evaluate("td => getComputedStyle(td, '::before').content"))
    # each price is labelled with its way of getting the service (standard, personal manager, priority)
    assert len(labels) == 3 and all(label not in ("none", '""') for label in labels)
    context.close()


def test_russian_site_name_fits_the_header_at_390px(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + "ru/")
    name = page.locator(".md-header__topic:first-child .md-ellipsis")
    expect(name).to_have_text("Справочник Экспат центра")
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")
    context.close()


# -- search: tests/test_search_browser.py -------------------------------------------------


# -- 404, print ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang, title, edition", [("", "Page not found", f"Edition {CURRENT}"),
                                                  ("ru/", "Страница не найдена", f"Редакция {CURRENT}")])
def test_404_page_speaks_its_language_and_offers_a_way_on(page, real_site, lang, title, edition):
    site = real_site
    page.goto(page.base + lang + "404.html")
    expect(page.locator("h1")).to_have_text(title)
    link = page.locator(".gb-not-found-links a", has_text=edition)
    expect(link).to_have_attribute("href", f"/{lang}{CURRENT}/")
    links = page.locator(".gb-not-found-links a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert f"/{lang}" in links
    assert (f"/{lang}{CURRENT}/guide/" in links) == (site / lang / str(CURRENT) / "guide" / "index.html").is_file()
    # its search form: tests/test_search_browser.py
    assert page.problems == []


def longest_checklist(site) -> str:
    """The service page (site-relative) whose checklist has the most documents."""
    best = max(site.glob("ru/2*/*/*/index.html"),
               key=lambda p: max((len(re.findall(r'data-doc="', part)) for part in
                                  p.read_text(encoding="utf-8").split('class="gb-checklist"')[1:]), default=0))
    return best.relative_to(site).parent.as_posix() + "/"


def test_printed_checklist_fits_one_a4_page_with_edition_address_and_date(page, real_site):
    site = real_site
    path = longest_checklist(site)
    page.goto(page.base + path)
    page.evaluate("window.print = () => { window.printed = true; }")
    page.locator(".gb-checklist .gb-print").first.click()
    assert page.evaluate("window.printed")
    page.emulate_media(media="print")
    meta = page.locator(".gb-print-target .gb-print-meta")
    expect(meta).to_be_visible()
    from datetime import date
    text = meta.text_content()
    edition = path.split("/")[1]  # ru/<year>/…: the page's own edition
    assert edition in text and page.base + path in text and str(date.today().year) in text
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert page.problems == []


# -- "Which service do I need?" --------------------------------------------------------------

from guide_paths import PATHS  # noqa: E402

GUIDE_YEAR = 2026
PATHS_2026 = [(slug, services[0] if services else None) for slug, services, _ in PATHS[GUIDE_YEAR]]
# Every path is followed link by link in the built HTML (test_site_structure.py); Chromium clicks a
# sample: the deepest path that ends on a service and the path where no service fits.
CLICKED = [max((p for p in PATHS_2026 if p[1]), key=lambda p: p[0].count("/")),
           next(p for p in PATHS_2026 if p[1] is None)]


@functools.lru_cache(maxsize=1)
def _labels() -> dict:
    import yaml
    return yaml.safe_load((ROOT / "content" / "ui.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def static_page(browser, base_url):
    """A page with JavaScript off: the guide is a tree of static pages that works without scripts."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.base = base_url
    yield page
    context.close()


@pytest.mark.parametrize("slug,service", CLICKED, ids=[slug for slug, _ in CLICKED])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_guide_path_lands_on_the_right_service(static_page, lang, slug, service):
    """Answer each question by clicking its printed label, as a person would, with scripts off
    (a sample: every path is followed in the HTML by test_site_structure.py)."""
    page = static_page
    prefix = "" if lang == "en" else "ru/"
    page.goto(page.base + f"{prefix}{GUIDE_YEAR}/guide/")
    questions = iter(("purpose", "where", "citizenship", "family"))
    for answer in slug.split("/"):
        heading = page.locator("h2").first.text_content()
        question = next(q for q in questions if _labels()[f"guide_q_{q}"][lang] in heading)
        label = _labels()[f"guide_a_{question}_{answer}"][lang]
        page.locator(".gb-choices a", has_text=label).first.click()
        page.wait_for_load_state()
    assert page.url == page.base + f"{prefix}{GUIDE_YEAR}/guide/{slug}/"
    main = page.locator(".gb-journey-main .gb-journey-title a")
    if service is None:
        assert main.count() == 0
        expect(page.locator(".gb-others li").first).to_be_visible()
    else:
        assert main.count() >= 1
        main.first.click()
        page.wait_for_url(page.base + f"{prefix}{GUIDE_YEAR}/{service}/")
        expect(page.locator(".gb-summary")).to_be_visible()


GUIDE_AXE_PAGES = [f"{GUIDE_YEAR}/guide/", f"{GUIDE_YEAR}/guide/employment/outside/",
                   f"{GUIDE_YEAR}/guide/employment/inside/eaeu/yes/", f"{GUIDE_YEAR}/guide/business-trip/inside/",
                   f"{GUIDE_YEAR}/temporary-residence-permit/employment/", f"{GUIDE_YEAR}/other-services/iin/", ""]


# Each page in both languages, at the phone width in one and the desktop width in the other (the
# widths alternate from page to page): every page and every language meets both widths.
GUIDE_AXE = [(lang, path, [(390, 844), (1280, 800)][(i + j) % 2])
             for i, path in enumerate(GUIDE_AXE_PAGES) for j, lang in enumerate(["", "ru/"])]


@pytest.mark.parametrize("lang, path, size", GUIDE_AXE, ids=[f"{lang}{path}-{size[0]}" for lang, path, size in GUIDE_AXE])
def test_guide_and_service_pages_pass_axe_at_phone_and_desktop_width(page, lang, path, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    assert page.goto(page.base + lang + path).ok
    assert axe_serious(page) == []
    assert page.problems == []


def test_service_page_leads_with_what_it_costs(page):
    """Cost before documents; one line per way, each a total with the state fee or 'no state fee'."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + f"{GUIDE_YEAR}/other-services/iin/")
    summary = page.locator(".gb-summary")
    checklist = page.locator(".gb-checklist").first
    assert summary.bounding_box()["y"] < checklist.bounding_box()["y"]
    lines = summary.locator(".gb-cost-lines > li")
    texts = [lines.nth(i).text_content() for i in range(lines.count())]
    assert len(texts) == 3 and all("no state fee" in t for t in texts)
    assert page.title().startswith("Individual identification number")
    page.goto(page.base + f"ru/{GUIDE_YEAR}/temporary-residence-permit/employment/")
    assert page.locator("h1").text_content().startswith("Разрешение на временное проживание — для осуществления")
    assert page.title().startswith("Разрешение на временное проживание — для осуществления")
