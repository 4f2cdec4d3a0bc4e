"""A served site → every page and asset it links to, fetched over HTTP, and what failed.

`crawl(start)` follows every link, stylesheet, script, image and form action of each HTML page
(and every url(...) of each stylesheet) that stays under the start address, fetching each URL
once, and returns a Crawl: the pages and assets reached, the broken references (page,
reference, status), and any reference to another host a browser would load by itself
(stylesheets, scripts, images: none may leave the site). `serve(folder)` serves a folder on
127.0.0.1 with the standard library (a static host without rewrites) for the length of a
`with`. Used by the deploy tests and scripts/deploy_figures.py.
"""
from __future__ import annotations

import contextlib
import functools
import html.parser
import http.server
import re
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

# Attributes whose URL a browser loads by itself (no click): these must never name another host.
_LOADED = {("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src")}
_FOLLOWED = {("a", "href"), ("form", "action"), ("area", "href")}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "base" and values.get("href"):
            self.base = values["href"]
        for name in ("href", "src", "action"):
            value = values.get(name)
            if value is not None and ((tag, name) in _LOADED or (tag, name) in _FOLLOWED):
                if tag == "link" and not {"stylesheet", "icon", "manifest", "preload", "modulepreload"} & set(
                        (values.get("rel") or "").split()):
                    continue  # canonical/alternate: addresses, not loaded (checked separately)
                self.found.append((tag, name, value))


def links(text: str) -> list[tuple[str, str, str]]:
    parser = _Links()
    parser.feed(text)
    return parser.found


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # URL → HTML
    assets: set[str] = field(default_factory=set)
    broken: list[tuple[str, str, int]] = field(default_factory=list)  # (page, reference, status)
    outside: list[tuple[str, str]] = field(default_factory=list)  # (page, reference off the prefix)
    foreign: list[tuple[str, str]] = field(default_factory=list)  # (page, URL on another host, loaded)


def fetch(url: str) -> tuple[int, str, bytes]:
    """(status, content type, body) of a GET; an HTTP error status is returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def crawl(start: str, also: tuple[str, ...] = (), limit: int = 20000) -> Crawl:
    """Everything reachable from `start` (and `also`) under start's folder; at most `limit` URLs."""
    prefix = start if start.endswith("/") else start.rsplit("/", 1)[0] + "/"
    host = urlsplit(start).netloc
    result = Crawl()
    queue: list[tuple[str, str]] = [(start, "")] + [(url, "") for url in also]
    seen: set[str] = set()
    while queue and len(seen) < limit:
        url, referrer = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, kind, body = fetch(url)
        if status != 200:
            result.broken.append((referrer, url, status))
            continue
        if "text/html" in kind:
            text = body.decode("utf-8")
            result.pages[url] = text
            found = [(tag, name, value) for tag, name, value in links(text)]
            base = url
        elif "text/css" in kind:
            result.assets.add(url)
            found = [("css", "url", value) for value in _CSS_URL.findall(body.decode("utf-8"))]
            base = url
        else:
            result.assets.add(url)
            continue
        for tag, name, value in found:
            target = urldefrag(urljoin(base, value.strip()))[0]
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "tel", "javascript", "data") or not value.strip() or value.startswith("#"):
                continue
            if parts.netloc != host:
                if (tag, name) in _LOADED or tag == "css":
                    result.foreign.append((url, target))
                continue
            if not target.startswith(prefix):
                result.outside.append((url, value))
                continue
            if target not in seen:
                queue.append((target, url))
    return result


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(folder, port: int = 0):
    """`folder` served at http://127.0.0.1:PORT/ (by default a free port) while the `with` lasts."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
