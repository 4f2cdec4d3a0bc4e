"""A real `guidebook build` (mkdocs build --strict) of the real project: paths, languages,
hreflang, totals, 404s, exports, links; and of the fixture project: determinism, drafts, and an
intact site after a failed build. Each site is built once per run (conftest) and shared."""
from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import CURRENT, ROOT, SITE_URL, build, free_port, make_project
from generator.edition.validate import load_library


@pytest.fixture
def site(real_site):
    return real_site


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT)


def published(library):
    return [e for e in library.editions.values() if e.status == "published"]


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_service_exists_in_both_languages(site, library):
    for edition in published(library):
        for service in edition.services():
            for prefix in ("", "ru/"):
                page = site / f"{prefix}{edition.year}/{service.section}/{service.id}/index.html"
                assert page.is_file(), page
        for prefix in ("", "ru/"):
            assert (site / f"{prefix}{edition.year}/index.html").is_file()
            assert (site / f"{prefix}{edition.year}/contacts/index.html").is_file()
            for section in edition.sections:
                assert (site / f"{prefix}{edition.year}/{section.id}/index.html").is_file()


def test_html_lang_matches_the_language(site):
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        lang = "ru" if rel.startswith("ru/") else "en"
        assert f'<html lang="{lang}"' in path.read_text(encoding="utf-8"), rel


def test_hreflang_alternates_are_absolute_with_x_default(site):
    page = read(site, "ru/2026/other-services/iin/index.html")
    links = re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">', page)
    assert sorted(links) == sorted([
        (f"{SITE_URL}2026/other-services/iin/", "en"),
        (f"{SITE_URL}2026/other-services/iin/", "x-default"),
        (f"{SITE_URL}ru/2026/other-services/iin/", "ru"),
    ])


def test_sitemap_lists_both_languages_without_dates(site):
    sitemap = read(site, "sitemap.xml")
    assert "<lastmod>" not in sitemap
    assert f"<loc>{SITE_URL}ru/2026/other-services/iin/</loc>" in sitemap
    assert f'hreflang="x-default" href="{SITE_URL}2026/other-services/iin/"' in sitemap


def test_language_switch_links_to_the_same_page(site):
    en = read(site, "2026/employment-visa/visa-inside/index.html")
    ru = read(site, "ru/2026/employment-visa/visa-inside/index.html")
    assert re.search(r'href="[./]*ru/2026/employment-visa/visa-inside/" hreflang="ru"', en)
    assert re.search(r'href="(\.\./)+2026/employment-visa/visa-inside/" hreflang="en"', ru)


def test_fee_tables_show_totals_and_mci(site):
    nbsp = "\u00a0"
    en = read(site, "2026/short-term-business-visa/invitation-outside/index.html")
    assert f"0.5 MCI = 2{nbsp}162.5 KZT (1 MCI in 2026 = 4{nbsp}325 KZT, our figure from the printed multiples)" in en
    assert f"<strong>42{nbsp}162.5</strong>" in en and f"<strong>272{nbsp}162.5</strong>" in en
    ru = read(site, "ru/2026/short-term-business-visa/invitation-outside/index.html")
    assert f"0,5 МРП = 2{nbsp}162,5 KZT (1 МРП в 2026 = 4{nbsp}325 KZT, наш расчёт по напечатанным кратностям)" in ru
    iin = read(site, "2026/other-services/iin/index.html")  # priority: surcharge on top of the fee
    assert f"<strong>40{nbsp}000</strong>" in iin and f"<strong>140{nbsp}000</strong>" in iin
    iin25 = read(site, "2025/other-services/iin/index.html")  # walk-in: a price instead of the fee
    assert f"<strong>40{nbsp}000</strong>" in iin25 and f"<strong>120{nbsp}000</strong>" in iin25


def test_translated_pages_say_so_and_archived_pages_point_to_current(site):
    en26 = read(site, "2026/other-services/iin/index.html")
    assert "This page is our English translation" in en26 and 'hreflang="ru" lang="ru"' in en26
    assert "our English translation" not in read(site, "2025/other-services/iin/index.html")
    ru25 = read(site, "ru/2025/other-services/iin/index.html")
    assert "Вы читаете архивную редакцию 2025 года" in ru25
    assert f'href="../../../{CURRENT}/other-services/iin/"' in ru25


def test_404_page_per_language(site):
    assert '<html lang="en"' in read(site, "404.html")
    assert '<html lang="ru"' in read(site, "ru/404.html")


def test_exports(site, library):
    for edition in published(library):
        data = json.loads(read(site, f"data/{edition.year}.json"))
        assert data["schema"] == 1 and data["year"] == edition.year
        assert len([s for sec in data["sections"] for s in sec["services"]]) == len(list(edition.services()))
    data = json.loads(read(site, "data/2026.json"))
    iin = next(s for sec in data["sections"] for s in sec["services"] if s["full_id"] == "other-services/iin")
    payable = iin["steps"][0]["fees"]["options"][0]["payable"]
    assert {p["way"]: p["total"] for p in payable} == {"standard": 20000, "personal_manager": 140000, "priority": 40000}


def search_entry(site, lang: str) -> dict:
    return json.loads(read(site, f"search-data/{lang}/entry.json"))


def test_search_index_per_language_with_edition_and_kind(site):
    en, ru = search_entry(site, "en"), search_entry(site, "ru")
    assert len(en["pages"]) == len(ru["pages"]) > 40
    assert not (site / "search").exists() and not (site / "pagefind").exists()  # neither lunr nor Pagefind
    pages = {p[0]: dict(zip(("url", "title", "kind", "fee", "edition", "status"), p, strict=True))
             for p in en["pages"] + ru["pages"]}
    iin, old = pages["2026/other-services/iin/"], pages["2025/other-services/iin/"]
    assert (iin["status"], old["status"]) == ("current" if CURRENT == 2026 else "archived", "archived")
    assert (iin["kind"], iin["fee"], iin["edition"]) == ("service", "yes", "2026")
    assert pages["ru/2026/other-services/iin/"]["title"].startswith("Индивидуальный")
    # of the guide, its first page only (its questions say `search: exclude`)
    assert [u for u in pages if "/guide/" in u] and all(u.endswith("/guide/") for u in pages if "/guide/" in u)
    # the parts that repeat other pages are left out: banners, breadcrumbs, "changed since"
    number = [p[0] for p in en["pages"]].index("2026/other-services/iin/")
    sections = json.loads(read(site, f"search-data/en/p/{number}.{en['version']}.json"))
    text = " ".join(s[2] for s in sections)
    assert "IIN generation" in text and "official text" not in text and "Changed since" not in text
    # every shard the entry names is there, named by the entry's version; the stemmer too
    assert all((site / "search-data" / "ru" / "t" / f"{key}.{ru['version']}.json").is_file() for key in ru["shards"])
    assert (site / "search-data" / ru["engine"]).is_file() and ru["engine"].startswith("engine.ru.")
    # abbreviations in either language expand to this language's words
    assert ru["replace"]["iin"] == ru["replace"]["иин"] == "индивидуальный идентификационный номер"
    assert en["replace"]["внж"] == "permanent residence permit"


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value and tag != "link":
                self.links.append(value)


def test_every_internal_link_resolves(site):
    broken = []
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "mailto:", "tel:")):
                continue
            target = (site / parts.path.lstrip("/")) if parts.path.startswith("/") else (page.parent / unquote(parts.path))
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} → {link}")
    assert broken == []


def test_build_is_byte_identical(fixture_build, tmp_path):
    root, site = fixture_build
    again = tmp_path / "again"
    assert build(root, again).returncode == 0
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_failed_build_leaves_the_previous_site_intact(fixture_build, tmp_path):
    root, site = shutil.copytree(fixture_build[0], tmp_path / "project"), shutil.copytree(fixture_build[1], tmp_path / "out")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    section = root / "editions" / "2030" / "test-visas.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("kzt: 2000", "kzt: 1999"), encoding="utf-8")
    result = build(root, site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "editions/2030/test-visas.yaml:31:38: services[0].steps[0].fees.options[0].state.kzt: expected 0.5 MCI × "
        "4 000 KZT = 2 000 KZT, found 1 999 KZT printed (a misprint, or the wrong MCI multiple?)",
        "1 problem in 1 file; the site was not built (site/ is unchanged)"]
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before


def test_plain_mkdocs_build_aborts_cleanly_on_bad_data(tmp_path):
    root = make_project(tmp_path, site=True)
    section = root / "editions" / "2030" / "test-visas.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("doc: passport", "doc: pasport"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
                            capture_output=True, text=True, cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert "editions/2030/test-visas.yaml:20:18: services[0].steps[0].documents[1].doc" in output
    assert not (root / "site").exists()


def test_drafts_are_built_only_when_asked(fixture_build, tmp_path):
    root, published = fixture_build  # it has a draft 2031
    preview = tmp_path / "preview"
    result = build(root, preview, "--drafts")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (published / "2031").exists() and not (published / "data" / "2031.json").exists()
    assert (preview / "2031" / "index.html").is_file()
    assert "Draft edition 2031" in (preview / "2031" / "index.html").read_text(encoding="utf-8")



def _fetch_until(url: str, needle: str, seconds: float = 30) -> bool:
    import time
    import urllib.request
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if needle in response.read().decode("utf-8"):
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_mkdocs_serve_reloads_on_yaml_and_template_edits(tmp_path):
    root = make_project(tmp_path, site=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/2030/test-visas/visa-inside/"
        assert _fetch_until(url, "Test visa inside Kazakhstan")
        section = root / "editions" / "2030" / "test-visas.yaml"
        section.write_text(section.read_text(encoding="utf-8").replace(
            'en: "Test visa inside Kazakhstan"', 'en: "Test visa inside Kazakhstan, edited"'), encoding="utf-8")
        assert _fetch_until(url, "Test visa inside Kazakhstan, edited")
        template = root / "site_templates" / "service.md.j2"
        template.write_text(template.read_text(encoding="utf-8").replace(
            '<p class="gb-where">', '<p class="gb-where gb-template-edited">'), encoding="utf-8")
        assert _fetch_until(url, "gb-template-edited")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_diff_page_and_exports(site):
    for prefix, title in (("", "What changed: 2025 → 2026"), ("ru/", "Что изменилось: 2025 → 2026")):
        page = read(site, f"{prefix}changes/2025-2026/index.html")
        assert "<h1" in page and title in page
        for anchor in ("fee-other-services-iin-main-0-personal-manager", "fee-temporary-residence-permit-employment-main-0-service",
                       "doc-investor-visa-invitation-outside-expat-centre-appointment-order", "mci"):
            assert f'id="{anchor}"' in page
        up = "../../../" if prefix else "../../"  # relative: the site works under any sub-path
        assert f'href="{up}data/changes-2025-2026.csv"' in page
    assert "<del>" in read(site, "changes/2025-2026/index.html")
    csv_bytes = (site / "data" / "changes-2025-2026.csv").read_bytes()
    assert csv_bytes.startswith("\ufeffid,group,language,section,service,service_title,step,step_title,subject".encode())
    data = json.loads(read(site, "data/changes-2025-2026.json"))
    # 7 conditions and the 2025 long-term business visa's step 2 at the Embassy (E25 438, not an
    # airport) since issue 17; the MCI and the 8 state fees that follow it are material
    assert data["old"] == 2025 and data["new"] == 2026 and data["material"] == 49 and data["records"] == 186
    # Entries of the register, each anchored by its id; a change repeated in several services is
    # listed once in its entry's evidence, and every service's record keeps its anchor there.
    page = read(site, "changes/2025-2026/index.html")
    assert page.count('<article id="power-of-attorney-not-optional"') == 1
    assert page.count('<li id="doc-employment-visa-invitation-outside-expat-centre-power-of-attorney"') == 1
    assert page.count('-power-of-attorney" class="gb-change"') == 1
    assert 'id="doc-visa-cancellation-holder-inside-main-power-of-attorney"' in page
    assert page.count("data-entry ") == len(data["entries"])
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # entry ids, change ids and headings never collide
    for entry in data["entries"]:
        assert f'<article id="{entry["id"]}" class="gb-entry" data-entry data-effect="{entry["effect"]}"' in page
    # The register is downloadable, and every export counts the same changes as the page.
    assert 'href="../../data/changes-2025-2026-register.json"' in page
    register = json.loads(read(site, "data/changes-2025-2026-register.json"))
    assert register["schema"] == "expat-guidebook/change-register/1"
    assert register["changes"] == data["groups"] == len(data["changes"]) and register["records"] == data["records"]
    assert f'<span data-count="changes">{data["groups"]}</span>' in page
    assert {e["id"] for e in register["entries"]} == {e["id"] for e in data["entries"]}
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert len({r[1] for r in rows[1:]}) == data["groups"] and all(r[-3] for r in rows[1:])  # every row has its entry


def test_one_number_of_changes_on_the_page_in_the_cli_csv_and_json(site):
    """The number of changes is the diff's changes (a change repeated in several services counts
    once), all explained by the register: the page's headline (both languages), the CLI's summary
    line, the CSV's distinct change groups and the JSON's count say the same; the entries are
    counted apart, the same everywhere too."""
    from conftest import run_cli
    data = json.loads(read(site, "data/changes-2025-2026.json"))
    covered = {g for e in data["entries"] for g in e["changes"]}
    changes, entries = data["groups"], len(data["entries"])
    assert covered == {g["id"] for g in data["changes"]} and len(covered) == changes
    rows = list(csv.reader(io.StringIO(read(site, "data/changes-2025-2026.csv").lstrip("\ufeff"))))
    assert len({r[1] for r in rows[1:]}) == changes
    status, out, _ = run_cli("-C", str(ROOT), "diff", "2025", "2026")
    assert status == 0
    first = out.splitlines()[0]
    assert re.search(rf"\b{changes} changes\b", first) and re.search(rf"\b{entries} register entries\b", first), first
    for prefix, pattern in (("", r"<strong>(\d+) changes, explained by (\d+) register entries"),
                            ("ru/", r"<strong>Изменений: (\d+), их объясняют пункты реестра: (\d+)")):
        headline = re.search(pattern, read(site, f"{prefix}changes/2025-2026/index.html"))
        assert headline and (int(headline[1]), int(headline[2])) == (changes, entries), prefix
    status, markdown, _ = run_cli("-C", str(ROOT), "diff", "2025", "2026", "--format", "markdown")
    assert f"{changes} changes (" in markdown.splitlines()[2] and f"{entries} register entries" in markdown


def test_home_and_both_editions_link_to_the_diff_page(site):
    for path in ("index.html", "2025/index.html", "2026/index.html", "ru/index.html"):
        assert "changes/2025-2026/" in read(site, path), path


def test_service_pages_of_the_newer_edition_show_their_changes(site):
    iin = read(site, "2026/other-services/iin/index.html")
    box = iin[iin.index('class="gb-since"'):iin.index("</div>", iin.index('class="gb-since"'))]
    assert "Changed since 2025" in box
    assert 'href="../../../changes/2025-2026/#iin-eds-personal-manager-fee-raised"' in box  # its register entry
    assert "120\u00a0000 → 140\u00a0000" in box
    assert 'class="gb-since"' not in read(site, "2025/other-services/iin/index.html")
    # one or two plain lines from the register, not the reviewer's record
    trp = read(site, "2026/temporary-residence-permit/employment/index.html")
    box = trp[trp.index('class="gb-since"'):trp.index("</div>", trp.index('class="gb-since"'))]
    assert box.count("<p>") == 4  # the title, two lines and the link
    assert "Fee raised 210\u00a0000 → 240\u00a0000 KZT (For Employee); Fee added: 200\u00a0000 KZT (For Expert)" in box
    assert "an application form for the permit replaces the letter requesting it" in box
    assert "8 more: all changes of this service" in box and "MCI ×" not in box
    ru = read(site, "ru/2026/temporary-residence-permit/employment/index.html")
    assert "Сбор повышен 210\u00a0000 → 240\u00a0000 KZT (Для сотрудника)" in ru
    extension = read(site, "ru/2026/employment-visa/extension/index.html")
    assert "Изменения с 2025 года" in extension
