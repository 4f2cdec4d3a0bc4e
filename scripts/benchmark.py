"""Benchmark of the guidebook generator: the project on disk → figures printed one per line.

Figures: diff time of the real editions and its growth with services; site build time and
the generator's share of it; page weight; the search index a page of each language downloads,
and the time from navigation to the first search result (Playwright, Debian's Chromium);
build time by number of editions. `--site DIR` prints only the search figures of an already
built site (e.g. one built from an older commit, to compare).

Each figure is a small function that measures one thing and returns it; `main` loads the
editions once and prints every figure. Run with `make bench` (or `.venv/bin/python
scripts/benchmark.py`). Timings are medians of several runs, in milliseconds, after loading
and validating (which is not what is measured).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.changes.diff import diff  # noqa: E402
from generator.changes.formats import render  # noqa: E402
from generator.changes.names import Names  # noqa: E402
from generator.edition.models import Edition  # noqa: E402
from generator.edition.validate import load_library  # noqa: E402
from generator.site.render import render_site  # noqa: E402

RUNS = 15


def timings_ms(work, runs: int = RUNS) -> list[float]:
    """Wall times of `work()` in ms, after one warm-up run."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median_ms(work, runs: int = RUNS) -> float:
    return statistics.median(timings_ms(work, runs))


def synthesise(edition: Edition, factor: int) -> Edition:
    """The edition with `factor` × its services: each service cloned under new ids."""
    sections = []
    for section in edition.sections:
        services = tuple(s if n == 0 else replace(s, id=f"{s.id}-copy-{n}")
                         for n in range(factor) for s in section.services)
        sections.append(replace(section, services=services))
    return replace(edition, sections=tuple(sections))


# -- figures: each returns its measurements ------------------------------------------------

def diff_real_pair(old: Edition, new: Edition) -> tuple[float, float, int]:
    """Median and best ms to diff the two real editions (already loaded), and how many changes
    (the best run shows what the code costs when the machine is busy with other work)."""
    times = timings_ms(lambda: diff(old, new))
    return statistics.median(times), min(times), len(diff(old, new))


def diff_and_render(old: Edition, new: Edition, library) -> dict[str, float]:
    """Median ms to diff the real pair and render it (word-level ops, grouping, names), per format."""
    names = Names(old, new, library.documents, library.ui)
    return {fmt: median_ms(lambda fmt=fmt: render(fmt, diff(old, new), names), runs=7)
            for fmt in ("text", "markdown", "json", "csv")}


def diff_growth(old: Edition, new: Edition, factors=(1, 4, 16)) -> list[tuple[int, int, float]]:
    """(factor, services per edition, median ms) for editions with `factor` × the services."""
    rows = []
    for factor in factors:
        a, b = synthesise(old, factor), synthesise(new, factor)
        rows.append((factor, len(b.services()), median_ms(lambda a=a, b=b: diff(a, b), runs=max(3, RUNS // factor))))
    return rows


def generate_ms(root: Path = ROOT) -> float:
    """Median ms for the generator's part of a build: load + validate + render every page."""
    def work():
        library = load_library(root)
        render_site(library, library.ui, root / "site_templates", root / "content" / "pages", root=root)
    return median_ms(work, runs=5)


def build_ms(root: Path = ROOT, runs: int = 3) -> tuple[float, Path]:
    """Median ms of a whole `guidebook build` (validate, render, mkdocs build of both languages)
    in a fresh process, and the folder of the last build (for the size figures)."""
    times, site = [], Path(tempfile.mkdtemp(prefix="bench-site-")) / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build", "--quiet",
                        "--site-dir", str(site)], check=True, env=env, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), site


def page_weight(site: Path) -> dict[str, float]:
    """KiB of HTML per service page (mean and largest) and of the CSS/JS a first visit loads."""
    pages = [p for p in site.glob("2*/*/*/index.html")]
    sizes = [p.stat().st_size / 1024 for p in pages]
    assets = sum(p.stat().st_size for p in (site / "assets").rglob("*")
                 if p.is_file() and p.suffix in (".css", ".js") and "workers" not in p.parts and "lunr" not in p.parts)
    return {"service pages": len(pages), "mean KiB": statistics.mean(sizes), "max KiB": max(sizes),
            "CSS+JS KiB": assets / 1024}


def search_index_kib(site: Path) -> dict[str, float]:
    """KiB of the search index a page of each language downloads (its language's own index,
    or the one shared index of a site built before there was one per language)."""
    out = {}
    for lang, root in (("en", site), ("ru", site / "ru")):
        own = root / "search" / "search_index.json"
        out[lang] = (own if own.exists() else site / "search" / "search_index.json").stat().st_size / 1024
    return out


CHROMIUM = "/usr/bin/chromium"
FIRST_RESULT = """
  window.firstResult = null;
  new MutationObserver((changes, observer) => {
    if (document.querySelector(".md-search-result__item")) {
      window.firstResult = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the page navigated away
            super().copyfile(source, outputfile)


def first_result_ms(site: Path, loads: int = 20) -> dict[str, tuple[float, float]]:
    """(median, worst) ms from navigation start to the first search result shown, per language,
    over `loads` cold page loads (fresh browser context each) of a service page, the query
    being entered as soon as the search box exists."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for lang, path, query in (("en", "2026/other-services/iin/", "IIN"),
                                      ("ru", "ru/2026/other-services/iin/", "ИИН")):
                times = []
                for _ in range(loads):
                    context = browser.new_context(viewport={"width": 390, "height": 844})
                    context.add_init_script(FIRST_RESULT)
                    page = context.new_page()
                    page.goto(base + path, wait_until="commit")
                    box = page.locator(".md-search__input")
                    box.fill(query)
                    box.press("End")  # a key release too: what a site without an input listener needs
                    page.wait_for_function("window.firstResult !== null", timeout=30000)
                    times.append(page.evaluate("window.firstResult"))
                    context.close()
                out[lang] = (statistics.median(times), max(times))
            browser.close()
    finally:
        server.shutdown()
    return out


def print_search_figures(site: Path) -> None:
    index = search_index_kib(site)
    print(f"search index downloaded by a page: English {index['en']:.0f} KiB, Russian {index['ru']:.0f} KiB")
    for lang, (median, worst) in first_result_ms(site).items():
        print(f"time to first search result ({lang}, 20 cold loads): {median:.0f} ms median, {worst:.0f} ms worst")


def _not_copied(folder: str, names: list[str]) -> set[str]:
    """What a project copy leaves out: the top-level outputs and tools (only at the top:
    `generator/site/` is code, `site/` is output), and caches anywhere."""
    top = Path(folder) == ROOT
    return {n for n in names if (top and n in {".venv", "site", "node_modules", ".git", "build", ".hypothesis"})
            or n == "__pycache__"}


def build_growth(copies=(0, 2, 6)) -> list[tuple[int, float]]:
    """(editions, median build ms) for a copy of the project with extra editions cloned from
    the latest one (as later years): how build time grows with the number of editions."""
    rows = []
    library = load_library(ROOT)
    latest = max(library.editions)
    for extra in copies:
        with tempfile.TemporaryDirectory(prefix="bench-project-") as tmp:
            root = Path(tmp) / "project"
            shutil.copytree(ROOT, root, ignore=_not_copied)
            (root / "build" / "docs").mkdir(parents=True)
            for n in range(1, extra + 1):
                year = latest + n
                folder = root / "editions" / str(year)
                shutil.copytree(ROOT / "editions" / str(latest), folder)
                meta = folder / "edition.yaml"
                meta.write_text(meta.read_text(encoding="utf-8").replace(f"year: {latest}", f"year: {year}"),
                                encoding="utf-8")
            total, site = build_ms(root, runs=1)
            shutil.rmtree(site.parent, ignore_errors=True)
            rows.append((len(library.editions) + extra, total))
    return rows


def main() -> int:
    if sys.argv[1:2] == ["--site"] and len(sys.argv) == 3:
        print_search_figures(Path(sys.argv[2]))
        return 0
    library = load_library(ROOT)
    years = sorted(library.editions)
    old, new = library.editions[years[-2]], library.editions[years[-1]]
    median, best, changes = diff_real_pair(old, new)
    print(f"diff {old.year} → {new.year} (after loading): {median:.1f} ms median of {RUNS} runs "
          f"(best {best:.1f} ms), {changes} changes")
    for fmt, total in diff_and_render(old, new, library).items():
        print(f"diff + render {fmt}: {total:.1f} ms")
    print("diff time by number of services (services cloned under new ids):")
    for factor, services, total in diff_growth(old, new):
        print(f"  {factor:>2}× {services:>4} services: {total:8.1f} ms  ({total / services:.2f} ms per service)")

    build, site = build_ms()
    generate = generate_ms()
    print(f"site build (guidebook build, both languages, fresh process): {build:.0f} ms median of 3")
    print(f"generator share (load + validate + render, in process): {generate:.0f} ms = {100 * generate / build:.0f} % of the build")
    weight = page_weight(site)
    print(f"page weight: {weight['service pages']} service pages, HTML {weight['mean KiB']:.1f} KiB mean, "
          f"{weight['max KiB']:.1f} KiB largest; CSS+JS {weight['CSS+JS KiB']:.0f} KiB (before compression)")
    print_search_figures(site)
    shutil.rmtree(site.parent, ignore_errors=True)
    print("build time by number of editions (later editions cloned from the latest):")
    rows = build_growth()
    for editions, total in rows:
        print(f"  {editions:>2} editions: {total:6.0f} ms  ({total / editions:.0f} ms per edition)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
