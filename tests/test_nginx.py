"""The built site served by Debian's nginx with the config of docs/DEPLOY.md
(docs/nginx/guidebook.conf), under the sub-path /expat/guidebook/: nginx listens on 127.0.0.1
only, its pid, logs and temp files in a folder of the test, its worker running as an ordinary
user when the test runs as root (www-data, so a site only its owner can read would answer 403),
stopped at the end. Checked: a crawl of every page and asset with no broken link, both 404
pages with status 404, the sub-path redirect, cache headers by kind of file, the security
headers with the CSP, text/csv compressed, the marker not served, and in Chromium (when there)
no CSP violation on pages that run every script of ours. Skipped without nginx, except in CI."""
from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, SUBPATH, subpath_port
from site_crawl import crawl

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
CONFIG = ROOT / "docs" / "nginx" / "guidebook.conf"
REQUIRED = os.environ.get("GUIDEBOOK_NGINX_TESTS") == "required"
if NGINX is None:
    if REQUIRED:
        raise RuntimeError("GUIDEBOOK_NGINX_TESTS=required but nginx is missing (apt-get install nginx)")
    pytest.skip("no nginx (apt-get install nginx)", allow_module_level=True)

WORKER = "www-data"
BINARY: str = NGINX


def _main_config(work: Path, site_conf: Path) -> str:
    user = f"user {WORKER};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}worker_processes 1;
pid {work / 'nginx.pid'};
error_log {work / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {work / 'access.log'};
{temp}
    include {site_conf};
}}
"""


@pytest.fixture(scope="module")
def nginx(subpath_build, tmp_path_factory):
    """The site's URL served by nginx with the documented config (only listen and root replaced)."""
    with subpath_port(tmp_path_factory):
        yield from _nginx(*subpath_build)


def _nginx(parent, url):
    port = urlsplit(url).port
    text = CONFIG.read_text(encoding="utf-8")
    for placeholder in ("listen 80;", "root /srv/www;"):
        assert text.count(placeholder) == 1, placeholder
    text = text.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("root /srv/www;", f"root {parent};")
    with tempfile.TemporaryDirectory(prefix="guidebook-nginx-") as work_dir:
        work = Path(work_dir)
        (work / "guidebook.conf").write_text(text, encoding="utf-8")
        (work / "nginx.conf").write_text(_main_config(work, work / "guidebook.conf"), encoding="utf-8")
        test = subprocess.run([BINARY, "-t", "-p", str(work), "-e", str(work / "error.log"),
                               "-c", str(work / "nginx.conf")], capture_output=True, text=True)
        assert test.returncode == 0, test.stderr
        server = subprocess.Popen([BINARY, "-p", str(work), "-e", str(work / "error.log"), "-c", str(work / "nginx.conf"),
                                   "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for _ in range(100):
                if server.poll() is not None:
                    raise AssertionError(f"nginx stopped: {server.stderr.read().decode() if server.stderr else ''}")
                try:
                    urllib.request.urlopen(url, timeout=2).close()
                    break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.1)
            yield url
        finally:
            server.send_signal(signal.SIGQUIT)  # graceful stop, workers included
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def get(url: str, gzip_ok: bool = False):
    """(status, headers, body) without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_worker_is_not_root_and_the_site_is_readable_to_it(nginx):
    if os.geteuid() == 0:
        ps = subprocess.run(["ps", "-o", "user=", "-C", "nginx"], capture_output=True, text=True).stdout.split()
        assert WORKER in ps, ps
    status, _, body = get(nginx)
    assert status == 200, "the site is not readable by nginx's worker"
    assert b'<html lang="en"' in body


def test_crawl_through_nginx_finds_no_broken_link(nginx):
    result = crawl(nginx)
    assert result.broken == [] and result.outside == [] and result.foreign == []
    assert len(result.pages) > 100


@pytest.mark.parametrize("missing, lang", [("no/such/page/", "en"), ("ru/no/such/page/", "ru"),
                                           ("2026/no-such-service/", "en")])
def test_missing_pages_get_their_language_404(nginx, missing, lang):
    status, headers, body = get(nginx + missing)
    assert status == 404
    assert f'<html lang="{lang}"'.encode() in body
    assert "Content-Security-Policy" in headers


def test_sub_path_without_slash_redirects_to_the_site(nginx):
    status, headers, _ = get(nginx.rstrip("/"))
    assert status == 301 and headers["Location"] == SUBPATH
    status, headers, _ = get(nginx + "2026")
    assert status == 301 and headers["Location"] == SUBPATH + "2026/"


def test_cache_headers_by_kind_of_file(nginx):
    page = get(nginx)[2].decode("utf-8")
    assert get(nginx)[1]["Cache-Control"] == "no-cache"
    assert get(nginx + "2026/")[1]["Cache-Control"] == "no-cache"
    hashed = [src for src in __import__("re").findall(r'(?:src|href)="([^"]+\.[0-9a-f]{8,}\.(?:min\.)?(?:js|css))"', page)]
    assert hashed, "no content-hashed asset on the home page"
    for src in hashed:
        status, headers, _ = get(nginx + src)
        assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable", src
    status, headers, _ = get(nginx + "data/2026.json")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=3600"
    assert headers["ETag"] and headers["Last-Modified"]
    # the search entry names its index files' version: always revalidated; those files a year
    status, headers, body = get(nginx + "search-data/ru/entry.json")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    entry = __import__("json").loads(body)
    for name in (f"search-data/ru/t/{entry['shards'][0]}.{entry['version']}.json", f"search-data/{entry['engine']}"):
        status, headers, _ = get(nginx + name)
        assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable", name


def test_security_headers_and_csp(nginx):
    _, headers, _ = get(nginx)
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "nginx/" not in headers.get("Server", "")


def test_csv_is_text_csv_utf8_and_compressed(nginx):
    status, headers, body = get(nginx + "data/changes-2025-2026.csv", gzip_ok=True)
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith("\ufeff".encode("utf-8"))


def test_marker_and_dot_files_are_not_served(nginx):
    assert get(nginx + ".guidebook-site")[0] == 404


CHROMIUM = Path(os.environ.get("GUIDEBOOK_CHROMIUM", "/usr/bin/chromium"))


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium")
def test_no_csp_violation_in_the_browser(nginx):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            for path in ("", "ru/2026/other-services/iin/", "changes/2025-2026/", "ru/no/such/page/"):
                page.goto(nginx + path)
                page.wait_for_load_state("networkidle")
                assert page.evaluate("typeof window.__md_get") == "function", path
                if "no/such" in path:  # the page itself answers 404, as it should
                    problems.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
            page.goto(nginx + "2026/")
            page.wait_for_load_state("networkidle")
            page.keyboard.press("s")  # Material's search: loads the worker and the index
            page.locator(".md-search__input").fill("visa")
            page.locator(".md-search-result__item").first.wait_for(timeout=15000)
            assert problems == []
        finally:
            browser.close()
