"""What a host needs from a build: a world-readable tree (umask respected), the site URL checked
and used once (no made-up host when it is missing), and `--strict` for production builds."""
from __future__ import annotations

import hashlib
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_project, once_per_run, run_cli
from generator.site.site_url import BadSiteUrl, checked_site_url


@pytest.mark.parametrize("given, expected", [
    ("https://example.org", "https://example.org/"),
    ("https://example.org/guide", "https://example.org/guide/"),
    ("http://127.0.0.1:8080/expat/guidebook/", "http://127.0.0.1:8080/expat/guidebook/"),
    ("https://sub.example.org/a%20b/", "https://sub.example.org/a%20b/"),
])
def test_site_url_accepted(given, expected):
    assert checked_site_url(given) == expected


@pytest.mark.parametrize("given, says", [
    ('https://example.org/"><script>alert(1)</script>', 'character "'),
    ("https://example.org/it's/", "character '"),
    ("https://example.org/a b/", "without spaces"),
    (" https://example.org/", "without spaces"),
    ("https://example.org/\n", "without spaces"),
    ("https://example.org/?lang=en", "query"),
    ("https://example.org/#top", "fragment"),
    ("ftp://example.org/", "http:// or https://"),
    ("example.org", "http:// or https://"),
    ("/guidebook/", "http:// or https://"),
    ("https://", "host name"),
    ("https://user:pw@example.org/", "user name"),
    ("https://exa_mple.org/", "host name"),
    ("https://example.org:99999/", "Port out of range"),
    ("https://example.org/a/../b/", "plain folder path"),
    ("https://example.org//b/", "plain folder path"),
    ("", "absolute http(s) URL"),
])
def test_site_url_refused(given, says):
    with pytest.raises(BadSiteUrl) as refused:
        checked_site_url(given)
    assert says in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("argv, env", [
    (["--site-url", 'https://example.org/"><script>x</script>'], {}),
    ([], {"GUIDEBOOK_SITE_URL": "https://example.org/?x=1"}),
    (["--strict"], {}),
])
def test_bad_or_missing_url_is_one_line_and_builds_nothing(tmp_path, monkeypatch, argv, env):
    project = make_project(tmp_path, site=True)
    monkeypatch.delenv("GUIDEBOOK_SITE_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    status, out, err = run_cli("-C", str(project), "build", "--site-dir", str(tmp_path / "site"), *argv)
    assert status == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("guidebook: error: "), err
    assert not (tmp_path / "site").exists()
    assert not list(tmp_path.glob(".site-*"))


def _build(project: Path, site: Path, *argv: str, umask: int = 0o022, url: str | None = None,
           epoch: str | None = None):
    env = {k: v for k, v in os.environ.items() if k != "GUIDEBOOK_SITE_URL"}
    if url is not None:
        env["GUIDEBOOK_SITE_URL"] = url
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "build", "--quiet",
                           "--site-dir", str(site), *argv], capture_output=True, text=True, env=env,
                          preexec_fn=lambda: os.umask(umask))


def _modes(site: Path) -> set[tuple[str, int]]:
    return {("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode))
            for p in [site, *site.rglob("*")]}


@pytest.fixture(scope="session")
def no_url_build(tmp_path_factory):
    """The fixture project built without a site URL, umask 022, once per run: (site, its stderr)."""
    def make(folder: Path) -> None:
        project = make_project(folder, site=True)
        result = _build(project, folder / "site")
        assert result.returncode == 0, result.stderr
        (folder / "stderr").write_text(result.stderr, encoding="utf-8")
    folder = once_per_run(tmp_path_factory, "deploy-no-url", make)
    return folder / "site", (folder / "stderr").read_text(encoding="utf-8")


# One production build serves the umask, --strict, URL, robots.txt and rebuild tests: each setting
# is checked on its own in the tree it makes (the modes, the URL in pages, robots.txt and the
# sitemap, the file dates), and a second build with the same settings must match it byte for byte.
URL = "http://127.0.0.1:8080/expat/guidebook/"
EPOCH = "1780000000"
UMASK = 0o027


def _production_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`guidebook build --strict` of `project` for URL, SOURCE_DATE_EPOCH=EPOCH, umask 027."""
    return _build(project, site, "--strict", umask=UMASK, url=URL, epoch=EPOCH)


@pytest.fixture(scope="session")
def url_build(tmp_path_factory):
    """(project, site, stderr): the fixture project's production build, made once per run."""
    def make(folder: Path) -> None:
        result = _production_build(make_project(folder, site=True), folder / "site")
        assert result.returncode == 0, result.stderr
        (folder / "stderr").write_text(result.stderr, encoding="utf-8")
    folder = once_per_run(tmp_path_factory, "deploy-url", make)
    return folder / "project", folder / "site", (folder / "stderr").read_text(encoding="utf-8")


def test_built_tree_is_world_readable(no_url_build):
    site, _ = no_url_build
    assert _modes(site) == {("dir", 0o755), ("file", 0o644)}


def test_umask_is_respected(url_build):
    _, site, _ = url_build  # built with umask 027
    assert _modes(site) == {("dir", 0o750), ("file", 0o640)}


def test_without_url_says_so_once_and_writes_no_absolute_url(no_url_build):
    site, stderr = no_url_build
    notice = [line for line in stderr.splitlines() if "site URL" in line]
    assert len(notice) == 1 and "GUIDEBOOK_SITE_URL" in notice[0] and "--site-url" in notice[0]
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'rel="canonical"' not in text and "hreflang=\"x-default\"" not in text, page
        assert "guidebook.example" not in text and "https://" not in text.split("<body")[0], page


def test_strict_build_with_url_carries_it_once(url_build):
    _, site, stderr = url_build  # --strict, for URL
    url = URL
    assert "site URL" not in stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{url}">' in home
    assert f'<link rel="alternate" href="{url}ru/" hreflang="ru">' in home
    assert f'<link rel="alternate" href="{url}" hreflang="x-default">' in home
    for page in [*site.rglob("*.html"), site / "sitemap.xml"]:
        assert "/expat/guidebook/expat/" not in page.read_text(encoding="utf-8"), page
    assert f"<loc>{url}ru/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")


def _files(site: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(site).as_posix(): (p.read_bytes(), int(p.stat().st_mtime))
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_rebuild_keeps_every_byte_and_file_date(url_build, tmp_path):
    """The project built again with the same settings (SOURCE_DATE_EPOCH among them)."""
    project, one, _ = url_build
    result = _production_build(project, tmp_path / "two")
    assert result.returncode == 0, result.stderr
    sites = [_files(one), _files(tmp_path / "two")]
    assert sites[0] == sites[1]
    assert {date for _, date in sites[0].values()} == {int(EPOCH)}
    assert int(one.stat().st_mtime) == int(EPOCH)


def test_our_assets_are_named_by_their_content(no_url_build):
    site, _ = no_url_build
    ours = [p for p in (site / "assets").iterdir() if p.suffix in (".css", ".js")]
    assert {p.name.split(".")[0] for p in ours} == {"guidebook", "checklist", "diff", "language-switch", "head", "search"}
    for asset in ours:
        digest = asset.name.split(".")[-2]
        assert digest == hashlib.sha256(asset.read_bytes()).hexdigest()[:8], asset.name
    page = (site / "2030" / "index.html").read_text(encoding="utf-8")
    for asset in ours:
        assert f"../assets/{asset.name}" in page, asset.name


def test_nothing_unneeded_is_published(no_url_build):
    site, _ = no_url_build
    maps = [p.relative_to(site).as_posix() for p in site.rglob("*.map")]
    assert maps == []
    # Material's search (lunr languages, worker) is not used: the site searches with its own index
    assert not (site / "assets" / "javascripts" / "lunr").exists()
    assert not (site / "assets" / "javascripts" / "workers").exists()
    for code in [*site.glob("assets/javascripts/*.js"), *site.glob("assets/stylesheets/*.css")]:
        assert b"sourceMappingURL" not in code.read_bytes(), code
    assert (site / "robots.txt").read_text(encoding="utf-8").splitlines()[1:] == ["User-agent: *", "Allow: /"]


def test_robots_txt_names_the_sitemap_with_a_site_url(url_build):
    _, site, _ = url_build
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert robots.endswith(f"Sitemap: {URL}sitemap.xml\n")


def test_every_link_but_the_404_pages_is_relative(no_url_build):
    """Without a site URL too: only the 404 pages (served at any address) link from the root."""
    site, _ = no_url_build
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        absolute = re.findall(r'(?:href|src|action)="(/[^"]*)"', page.read_text(encoding="utf-8"))
        assert absolute == [], page.relative_to(site)
