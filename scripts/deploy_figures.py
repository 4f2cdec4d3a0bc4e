"""A built site → the figures a host cares about, printed one per line.

Files published (count and bytes by kind), HTML bytes per page type (median raw and gzip, and
the share of the navigation in them), and broken links found by crawling the site over HTTP,
served from a parent folder under `--prefix` (default /, e.g. /expat/guidebook/ for a sub-path;
build the site with the matching --site-url for a fair sub-path figure). The 404 pages are
crawled as a host serves them: at an address that does not exist.

    .venv/bin/python scripts/deploy_figures.py --site site --prefix /expat/guidebook/
"""
from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_crawl import crawl, fetch, links, serve  # noqa: E402

_NAV = re.compile(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', re.S)


def page_type(rel: str) -> str:
    """A page's address under the site root (without "ru/") → its type."""
    rel = re.sub(r"^ru/", "", rel)
    parts = [p for p in rel.split("/") if p]
    if rel.endswith("404.html"):
        return "404"
    if not parts:
        return "home"
    if parts[0].isdigit():
        if len(parts) == 1:
            return "edition"
        if parts[1] == "guide":
            return "guide"
        if parts[1] == "contacts":
            return "contacts"
        return "section" if len(parts) == 2 else "service"
    return "changes" if parts[0] == "changes" else "other"


def files_figures(site: Path) -> None:
    files = [p for p in site.rglob("*") if p.is_file()]
    kinds: Counter = Counter()
    sizes: Counter = Counter()
    for file in files:
        kind = file.suffix.lstrip(".") or file.name
        kinds[kind] += 1
        sizes[kind] += file.stat().st_size
    print(f"files published: {len(files)}, {sum(sizes.values()) / 1e6:.2f} MB")
    for kind, count in kinds.most_common():
        print(f"  {kind}: {count} files, {sizes[kind] / 1e3:.0f} kB")
    maps = [f for f in files if f.suffix == ".map"]
    print(f"source maps published: {len(maps)} ({sum(f.stat().st_size for f in maps) / 1e3:.0f} kB)")
    print(f"marker in served tree: {(site / '.guidebook-site').exists()}")


def html_figures(site: Path) -> None:
    by_type: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    total = nav_total = 0
    for page in site.rglob("*.html"):
        data = page.read_bytes()
        nav = _NAV.search(data.decode("utf-8"))
        nav_bytes = len(nav.group(0).encode("utf-8")) if nav else 0
        total += len(data)
        nav_total += nav_bytes
        rel = page.relative_to(site).as_posix().removesuffix("index.html")
        by_type[page_type(rel)].append((len(data), len(gzip.compress(data, 9, mtime=0)), nav_bytes))
    print(f"HTML: {sum(len(v) for v in by_type.values())} pages, {total / 1e6:.2f} MB, "
          f"navigation {100 * nav_total / max(total, 1):.0f} % of it")
    for kind, rows in sorted(by_type.items()):
        raw = statistics.median(r[0] for r in rows)
        packed = statistics.median(r[1] for r in rows)
        nav_median = statistics.median(r[2] for r in rows)
        print(f"  {kind}: {len(rows)} pages, median {raw / 1e3:.1f} kB raw, {packed / 1e3:.1f} kB gzip, "
              f"navigation {nav_median / 1e3:.1f} kB")


def link_figures(site: Path, prefix: str) -> None:
    with tempfile.TemporaryDirectory() as parent:
        served = Path(parent, *[p for p in prefix.split("/") if p])
        if served != Path(parent):
            served.parent.mkdir(parents=True, exist_ok=True)
            served.symlink_to(site.resolve())
        with serve(site if served == Path(parent) else parent) as base:
            start = urljoin(base, prefix)
            result = crawl(start)
            broken = list(result.broken)
            for lang in ("", "ru/"):  # a 404 page is served at any missing address
                status, _, body = fetch(f"{start}{lang}404.html")
                missing = f"{start}{lang}no/such/page/"
                for _, _, value in links(body.decode("utf-8")):
                    target = urljoin(missing, value)
                    if not target.startswith(base) or value.startswith("#"):
                        continue  # mailto:, another host
                    code = fetch(target)[0]
                    if code != 200:
                        broken.append((f"{lang}404.html", value, code))
    print(f"crawl under {prefix}: {len(result.pages)} pages, {len(result.assets)} assets, "
          f"{len(broken) + len(result.outside)} broken ({len(result.outside)} of them outside the prefix), "
          f"{len(result.foreign)} loads from another host")
    for row in (broken + result.outside)[:10]:
        print(f"  broken: {row}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--prefix", default="/")
    args = parser.parse_args(argv)
    files_figures(args.site)
    html_figures(args.site)
    link_figures(args.site, args.prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
