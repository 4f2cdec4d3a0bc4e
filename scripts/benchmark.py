"""Benchmark of the guidebook generator: the project on disk → figures printed one per line.

Figures: diff time of the real editions and its growth with services; site build time and
the generator's share of it; page weight; search (below); build time by number of editions.

Search (Playwright, Debian's Chromium): the query table of tests/search_queries.py typed into
the search box (hits in the top 3, misses listed), the bytes of search data a page fetches
before typing and for a first and a next query (raw and gzipped), the time to the first result
(median and worst of 20 cold loads, the query typed with real key events), and Lighthouse's
mobile performance score of the Russian home page (Lighthouse from node_modules, pinned in
package.json). It works on any built site, whichever engine it ships (Pagefind, or Material's
lunr search of older commits): `--search DIR [DIR…]` prints only these figures for already
built sites, e.g. one built from an older commit beside the current one, side by side
(`--lighthouse DIR [DIR…]`: only Lighthouse, 5 runs each, the sites taking turns so that
both see the same load, with what costs points). The search
figures say which engine a site ships ("own": site/search-data/; "pagefind"; "lunr") and the
first query's files by part (engine code, WebAssembly, entry, index chunks, snippets), sized
as nginx sends them (text gzipped, Pagefind's already-compressed files as they are).

Preview (`--preview [OLD_CODE]`): `guidebook serve` on a copy of the project on 127.0.0.1, a
fee and a text (both languages) edited in the copy 5 times each, and the seconds from the save
to the served page showing the new value (polled over HTTP), median, best and worst; with an
older checkout of the code (OLD_CODE, e.g. `git worktree add ../before main`) the same for it
first ("before"); the machine's load average with each.

Each figure is a small function that measures one thing and returns it; `main` loads the
editions once and prints every figure. Run with `make bench` (or `.venv/bin/python
scripts/benchmark.py`). Timings are medians of several runs, in milliseconds, after loading
and validating (which is not what is measured).
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
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


# -- search: the same queries against any built site, whatever its engine -------------------

def search_engine(site: Path) -> str:
    """Which search a built site ships: "own" (our index, site/search-data/), "pagefind"
    (site/pagefind/) or "lunr" (Material's)."""
    if (site / "search-data").is_dir():
        return "own"
    return "pagefind" if (site / "pagefind" / "pagefind.js").is_file() else "lunr"


def _is_search_data(path: str) -> bool:
    """A request for search data or search code that only search needs (not the page's own JS)."""
    return (path.startswith(("pagefind/", "search-data/", "search/", "ru/search/")) or "/workers/" in path
            or "/lunr/" in path or path.endswith("search_index.json"))


# What nginx compresses (docs/nginx/guidebook.conf: gzip_types, gzip_min_length 512): Pagefind's
# own files (.pf_index, .pf_fragment, .pf_meta, its WebAssembly) are gzip already and sent as they are.
GZIPPED_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt")


def served_gzipped(path: str, data: bytes) -> int:
    """Bytes nginx sends for a file of the site to a browser accepting gzip."""
    if path.endswith(GZIPPED_TYPES) and len(data) >= 512:
        return len(gzip.compress(data, 6))
    return len(data)


def search_part(path: str) -> str:
    """Which part of a search a fetched file is, for either engine."""
    name = path.rsplit("/", 1)[-1]
    if name.startswith(("pagefind.js", "pagefind-worker", "engine.")):
        return "engine code"
    if name.startswith("wasm."):
        return "WebAssembly"
    if "/fragment/" in path or "/p/" in path:
        return "fragments (snippets)"
    if "/index/" in path or "/t/" in path:
        return "index chunks"
    return "entry and metadata"


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site and records each answered path with its size and its size as nginx
    sends it gzipped (served_gzipped)."""
    served: list[tuple[str, int, int]]

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        path = self.path.split("?")[0].lstrip("/")
        self.served.append((path, len(data), served_gzipped(path, data)))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the page navigated away
            outputfile.write(data)


class _Compressing(_Counting):
    """Like a production web server (nginx's `gzip on`): text answers gzipped for a client that
    accepts it (Lighthouse's figures depend on it; the byte counts stay those of the files)."""
    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml")

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in self.TEXT and path.is_file()):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


@contextlib.contextmanager
def _serve(site: Path, compress: bool = False):
    served: list[tuple[str, int, int]] = []
    handler = type("Handler", (_Compressing if compress else _Counting,), {"served": served})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", served
    finally:
        server.shutdown()


CHROMIUM = "/usr/bin/chromium"
# Set before the page's own scripts run: the first frame showing a result for the whole query
# (`window.expected`; ours also marks which query its list answers, Material's list follows the
# box's text).
FIRST_RESULT = """
  window.firstResult = null;
  (function check() {
    const input = document.querySelector(".md-search__input");
    const box = document.querySelector(".md-search");
    const answered = box && box.dataset.gbSearch !== undefined ? box.dataset.gbShown === window.expected : true;
    if (input && input.value === window.expected && answered && document.querySelector(".md-search-result__item")) {
      window.firstResult = performance.now();
      return;
    }
    requestAnimationFrame(check);
  })();
"""
# Answered: ours marks the query its list shows; Material's replaces its "initializing"/"type
# to start" line with a count (both languages).
ANSWERED = """(q) => {
  const box = document.querySelector('.md-search');
  if (box && box.dataset.gbSearch !== undefined) return box.dataset.gbShown === q;
  const meta = document.querySelector('.md-search-result__meta');
  const input = document.querySelector('.md-search__input');
  return meta && input.value === q &&
    !/Initializing|Инициализация|Type to start|Начните печатать/.test(meta.textContent);
}"""
PROBE = {"en": ("2026/other-services/iin/", "IIN"), "ru": ("ru/2026/other-services/iin/", "ИИН")}
NEXT = {"en": "wife", "ru": "подписью"}  # a second query, once the engine is loaded


def _launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])


def first_result_ms(site: Path, loads: int = 20) -> dict[str, tuple[float, float, float, float]]:
    """Per language, over `loads` cold loads (fresh browser context each) of a service page on a
    phone-sized screen, the search icon tapped as soon as it can be and the query typed with
    real key events: (median, worst) ms from navigation start to the first result of the whole
    query shown, and (median, worst) ms from the last key to it (what the engine adds)."""
    from playwright.sync_api import sync_playwright

    out = {}
    with _serve(site) as (base, _), sync_playwright() as p:
        browser = _launch(p)
        for lang, (path, query) in PROBE.items():
            times, after = [], []
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 390, "height": 844})
                context.add_init_script(f"window.expected = {json.dumps(query)};" + FIRST_RESULT)
                page = context.new_page()
                page.goto(base + path, wait_until="commit")
                page.locator("label.md-header__button[for='__search']").click()
                page.locator(".md-search__input").press_sequentially(query)
                last = page.evaluate("performance.now()")  # the last key has been handled by now
                page.wait_for_function("window.firstResult !== null", timeout=30000)
                shown = page.evaluate("window.firstResult")
                times.append(shown)
                after.append(max(0.0, shown - last))
                context.close()
            out[lang] = (statistics.median(times), max(times), statistics.median(after), max(after))
        browser.close()
    return out


def search_bytes(site: Path, parts: dict[str, dict[str, tuple[int, int, int]]] | None = None
                 ) -> dict[str, dict[str, tuple[int, int]]]:
    """Per language: (bytes, gzipped bytes) of search data and search-only code a service page
    fetches before anything is typed (after the page has loaded and gone quiet), for the first
    query typed into the search box (from opening the search until its results are shown:
    the engine and the data of that query), and for a next query (its data only). Gzipped:
    each file as nginx sends it (served_gzipped). `parts`, when given, receives the first
    query's files by part (search_part): (files, bytes, gzipped bytes) per language."""
    from playwright.sync_api import sync_playwright

    out = {}
    with _serve(site) as (base, served), sync_playwright() as p:
        browser = _launch(p)
        for lang, (path, query) in PROBE.items():
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            served.clear()
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            before = [s for s in served if _is_search_data(s[0])]
            served.clear()
            page.locator(".md-search__input").click()
            page.locator(".md-search__input").press_sequentially(query)
            page.wait_for_function(ANSWERED, arg=query, timeout=30000)
            page.wait_for_load_state("networkidle")
            first = [s for s in served if _is_search_data(s[0])]
            if parts is not None:
                by_part: dict[str, tuple[int, int, int]] = {}
                for path_, raw, gz in first:
                    files, raw0, gz0 = by_part.get(search_part(path_), (0, 0, 0))
                    by_part[search_part(path_)] = (files + 1, raw0 + raw, gz0 + gz)
                parts[lang] = dict(sorted(by_part.items()))
            served.clear()
            page.locator(".md-search__input").fill("")
            page.locator(".md-search__input").press_sequentially(NEXT[lang])
            page.wait_for_function(ANSWERED, arg=NEXT[lang], timeout=30000)
            page.wait_for_load_state("networkidle")
            then = [s for s in served if _is_search_data(s[0])]
            out[lang] = {"before typing": (sum(s[1] for s in before), sum(s[2] for s in before)),
                         "first query": (sum(s[1] for s in first), sum(s[2] for s in first)),
                         "next query": (sum(s[1] for s in then), sum(s[2] for s in then))}
            context.close()
        browser.close()
    return out


def query_table_hits(site: Path) -> tuple[int, int, list[str]]:
    """(hits, queries, misses): the query table of tests/search_queries.py typed into the site's
    search box, a hit when one of the expected pages is in the top 3."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from search_queries import QUERIES, service_of

    misses = []
    with _serve(site) as (base, _), sync_playwright() as p:
        browser = _launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        opened = None
        for (lang, query), expected in QUERIES.items():
            if opened != lang:
                page.goto(base + lang)
                page.locator(".md-search__input").click()
                opened = lang
            page.locator(".md-search__input").fill("")
            page.locator(".md-search__input").press_sequentially(query)
            page.wait_for_function(ANSWERED, arg=query, timeout=30000)
            page.wait_for_timeout(300)  # Material renders its list right after its count
            hrefs = page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
                "as => as.map(a => a.href)")
            # Material links a page's sections too ("#…") and adds "?h=" highlights: pages, in order.
            pages = [h.replace(base, "").split("?")[0].split("#")[0] for h in hrefs]
            top = list(dict.fromkeys(pages))[:3]
            if not any(service_of(url, lang) in expected for url in top):
                misses.append(f"{lang or 'en/'}{query}: top 3 {top}")
        browser.close()
    return len(QUERIES) - len(misses), len(QUERIES), misses


LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"  # package.json pins 12.2.3 (npm install)


METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index")
# Audits that say what costs points (each with the bytes or ms it would save, and the files).
COSTS = ("render-blocking-resources", "unused-javascript", "unused-css-rules", "unminified-javascript",
         "unminified-css", "font-display", "layout-shifts", "legacy-javascript", "dom-size")


def lighthouse_runs(site: Path, path: str = "ru/", runs: int = 5) -> list[dict] | None:
    """Lighthouse's mobile performance of one page served gzipped, against Debian's Chromium,
    `runs` times in a row: per run its score (0–100), the load average when it ended, its
    metrics, and the audits that cost points with their files; None where Lighthouse is not
    installed."""
    if not LIGHTHOUSE.exists():
        return None
    out = []
    with _serve(site, compress=True) as (base, _), tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        for _ in range(runs):
            report = Path(tmp) / "report.json"
            subprocess.run([str(LIGHTHOUSE), base + path, "--quiet", "--only-categories=performance",
                            "--output=json", f"--output-path={report}",
                            "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                           env=dict(os.environ, CHROME_PATH=CHROMIUM), check=True, timeout=300,
                           capture_output=True)
            found = json.loads(report.read_text(encoding="utf-8"))
            audits = found["audits"]
            costs = {}
            for name in COSTS:
                audit = audits.get(name, {})
                if audit.get("score") is not None and audit["score"] < 1:
                    files = [str(item.get("url", "")).replace(base, "/")
                             for item in (audit.get("details") or {}).get("items", []) if item.get("url")]
                    costs[name] = (audit.get("displayValue", ""), files[:4])
            out.append({"score": 100 * found["categories"]["performance"]["score"], "load": os.getloadavg()[0],
                        "metrics": {m: audits[m].get("displayValue", "") for m in METRICS if m in audits},
                        "costs": costs})
    return out


def print_lighthouse(site: Path, runs: int = 5, found: list[dict] | None = None) -> None:
    found = found if found is not None else lighthouse_runs(site, runs=runs)
    if found is None:
        print("    Lighthouse mobile performance, Russian home page: not measured (npm install brings Lighthouse)")
        return
    scores = [r["score"] for r in found]
    print(f"    Lighthouse mobile performance, Russian home page, {runs} runs: median {statistics.median(scores):.0f}, "
          f"{min(scores):.0f}–{max(scores):.0f} (scores {', '.join(f'{s:.0f}' for s in scores)}; load average "
          f"{min(r['load'] for r in found):.1f}–{max(r['load'] for r in found):.1f})")
    middle = sorted(found, key=lambda r: r["score"])[len(found) // 2]
    print("      median run: " + "; ".join(f"{m} {v}" for m, v in middle["metrics"].items()).replace("\xa0", " "))
    for name, (value, files) in middle["costs"].items():
        print(f"      costs points: {name} {value} {' '.join(files)}".replace("\xa0", " ").rstrip())


def print_search_figures(*sites: Path) -> None:
    """The search figures of each built site, one engine after the other."""
    print(f"search figures (load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f}, 2 cores):")
    for site in sites:
        engine = search_engine(site)
        print(f"  {engine} ({site}):")
        hits, total, misses = query_table_hits(site)
        print(f"    query table: {hits}/{total} with an expected page in the top 3 ({100 * hits / total:.0f} %)")
        for miss in misses:
            print(f"      miss: {miss}")
        parts: dict[str, dict[str, tuple[int, int, int]]] = {}
        for lang, figures in search_bytes(site, parts).items():
            print(f"    bytes ({lang}): " + "; ".join(f"{what} {raw / 1024:.1f} KiB ({gz / 1024:.1f} KiB gzipped)"
                                                   for what, (raw, gz) in figures.items()))
            print(f"      first query by part ({lang}): " + "; ".join(
                f"{part} {files} file{'s' if files > 1 else ''} {raw / 1024:.1f} KiB ({gz / 1024:.1f} KiB gzipped)"
                for part, (files, raw, gz) in parts.get(lang, {}).items()))
        script = sorted((site / "assets").glob("search*.js"))
        if script:
            data = script[0].read_bytes()
            print(f"    the search box's own script, loaded with every page: {script[0].name} "
                  f"{len(data) / 1024:.1f} KiB ({served_gzipped(script[0].name, data) / 1024:.1f} KiB gzipped)")
        for lang, (median, worst, key_median, key_worst) in first_result_ms(site).items():
            print(f"    first result ({lang}, 20 cold loads, typed): {median:.0f} ms median, {worst:.0f} ms worst "
                  f"after navigation; {key_median:.0f} ms median, {key_worst:.0f} ms worst after the last key")
        print_lighthouse(site)


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


# -- preview latency (`--preview [OLD_CODE]`) ---------------------------------------------------
PREVIEW_FEE = re.compile(r"^(\s+service: )(\d+)$", re.M)
PREVIEW_TEXT = re.compile(r'^(\s+- text: \{en: ")([^"]+)(", ru: ")([^"]+)(")', re.M)


def _preview_edits(root: Path) -> tuple[Path, str, int, int]:
    """The latest edition's first section file with a service fee: (file, the service page's
    URL path, where the fee's line starts, where that service's first text starts)."""
    latest = max(int(p.name) for p in (root / "editions").iterdir() if p.name.isdigit())
    for file in sorted((root / "editions" / str(latest)).glob("*.yaml")):
        text = file.read_text(encoding="utf-8")
        fee = PREVIEW_FEE.search(text)
        if fee is None or "\nservices:\n" not in text:  # a section's file, not the register
            continue
        starts = [m for m in re.finditer(r"^  - id: (\S+)$", text, re.M) if m.start() < fee.start()]
        words = PREVIEW_TEXT.search(text, starts[-1].start())
        if words is None or words.start() > fee.start():
            continue
        return file, f"{latest}/{file.stem}/{starts[-1][1]}/", fee.start(), words.start()
    raise SystemExit("benchmark --preview: no service with a fee and a text in the latest edition")


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (OSError, ValueError):
        return ""


def _cpu_ticks(pid: int) -> int:
    """CPU time (clock ticks) used so far by process `pid` and its descendants, from /proc."""
    parents, ticks = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
            ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree, grew = tree | more, bool(more)
    return sum(ticks.get(p, 0) for p in tree)


def _quiet(log: Path, pid: int, seconds: float = 3.0, bound: float = 300.0) -> None:
    """Wait until the server has neither logged nor used CPU for `seconds` (its work for the
    last save is over: the old serve's second build, the new one's check of every page)."""
    deadline, state, since = time.monotonic() + bound, None, time.monotonic()
    while time.monotonic() < deadline:
        now = (log.stat().st_size, _cpu_ticks(pid))
        if now != state:
            state, since = now, time.monotonic()
        elif time.monotonic() - since >= seconds:
            return
        time.sleep(0.5)


def preview_latency(code: Path, runs: int = 5, bound: float = 300.0) -> dict[str, list[float]]:
    """`guidebook serve` of the code in `code` (this checkout, or an older one) on a copy of its
    project, on 127.0.0.1: seconds from a saved edit to the served page showing it, for `runs`
    fee edits and `runs` text edits (both languages), each once the server is idle (no log
    line, no CPU time for 3 s)."""
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(code, root, ignore=lambda folder, names: _not_copied_from(code, folder, names))
        (root / "build" / "docs").mkdir(parents=True, exist_ok=True)
        file, page, fee_at, text_at = _preview_edits(root)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}/{page}"
        log = Path(tmp) / "serve.log"
        env = dict(os.environ, PYTHONPATH=str(code), NO_MKDOCS_2_WARNING="1")
        with open(log, "w") as out:
            server = subprocess.Popen([sys.executable, "-P", "-m", "generator", "--root", str(root), "serve",
                                       "--address", f"127.0.0.1:{port}"], stdout=out, stderr=out, env=env)
        try:
            deadline = time.monotonic() + bound
            while not _get(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"benchmark --preview: the server did not answer; see {log}:\n"
                                     + log.read_text(encoding="utf-8")[-2000:])
                time.sleep(0.5)
            figures: dict[str, list[float]] = {"fee": [], "text": []}
            original = file.read_text(encoding="utf-8")
            for n in range(runs):
                for kind in ("fee", "text"):
                    _quiet(log, server.pid)
                    current = file.read_text(encoding="utf-8")
                    match = (PREVIEW_FEE if kind == "fee" else PREVIEW_TEXT).search(current, fee_at if kind == "fee" else text_at)
                    assert match is not None  # the edits keep the line's shape
                    if kind == "fee":
                        value = int(match[2]) + 1000 * (n + 1)
                        edited = current[:match.start(2)] + str(value) + current[match.end(2):]
                        expected = f"{value:,}".replace(",", "\u00a0")
                    else:
                        mark = f"Edit{n}"
                        edited = (current[:match.start(2)] + f"{mark} " + current[match.start(2):match.start(4)]
                                  + f"{mark} " + current[match.start(4):])
                        expected = mark
                    start = time.monotonic()
                    file.write_text(edited, encoding="utf-8")
                    while expected not in _get(url):
                        if time.monotonic() - start > bound:
                            raise SystemExit(f"benchmark --preview: {kind} edit not shown after {bound:.0f} s")
                        time.sleep(0.05)
                    figures[kind].append(time.monotonic() - start)
            file.write_text(original, encoding="utf-8")
            return figures
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _not_copied_from(code: Path, folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == code
    return {n for n in names if (top and n in {".venv", "site", "node_modules", ".git", "build", ".hypothesis",
                                               ".pytest_cache"}) or n == "__pycache__" or n.endswith(".egg-info")}


def print_preview_figures(old: Path | None) -> None:
    """Preview latency of this checkout and, given, of an older checkout of the code (e.g.
    `git worktree add ../before main`), with the machine's load before and after."""
    for name, code in (("before", old), ("after", ROOT)):
        if code is None:
            continue
        load = os.getloadavg()
        figures = preview_latency(code.resolve())
        after = os.getloadavg()
        for kind, what in (("fee", "a fee edit"), ("text", "a text edit (both languages)")):
            times = figures[kind]
            print(f"preview {name} ({code}): {what} → the page shows it: {statistics.median(times):.2f} s median of "
                  f"{len(times)} (best {min(times):.2f} s, worst {max(times):.2f} s)")
        print(f"  load average (1, 5, 15 min): before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
              f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}; {os.cpu_count()} cores")


def main() -> int:
    if sys.argv[1:2] == ["--preview"]:
        print_preview_figures(Path(sys.argv[2]) if len(sys.argv) > 2 else None)
        return 0
    if sys.argv[1:2] in (["--site"], ["--search"]) and len(sys.argv) >= 3:
        print_search_figures(*(Path(a) for a in sys.argv[2:]))
        return 0
    if sys.argv[1:2] == ["--lighthouse"] and len(sys.argv) >= 3:
        # Only Lighthouse, 5 runs per built site, the sites taking turns (both see the same load).
        folders = [Path(a) for a in sys.argv[2:]]
        runs: dict[Path, list[dict]] = {folder: [] for folder in folders}
        for _ in range(5):
            for folder in folders:
                runs[folder] += lighthouse_runs(folder, runs=1) or []
        for folder in folders:
            print(f"  {search_engine(folder)} ({folder}):")
            print_lighthouse(folder, runs=5, found=runs[folder] if runs[folder] else None)
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
