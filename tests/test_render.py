"""Rendering: golden Markdown of the fixture edition, escaping of YAML text, determinism."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import UPDATE, assert_golden, make_project
from generator.edition.validate import load_library
from generator.site.render import escape_md, render_site

GOLDEN = Path(__file__).parent / "golden" / "render"


def render(root: Path, **kwargs):
    library = load_library(root)
    return render_site(library, library.ui, root / "site_templates", root / "content" / "pages", root=root, **kwargs)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("render"), site=True)
    return render(root)


def test_rendered_paths_are_exactly_the_golden_ones(fixture_site):
    if UPDATE:
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
    for path, text in fixture_site.files.items():
        assert_golden(GOLDEN / path, text)
    golden = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert golden == set(fixture_site.files), "a page appeared or vanished"


def test_nav_and_exports(fixture_site):
    assert fixture_site.nav[0] == "index.md"
    edition = fixture_site.nav[1]["edition 2030"]
    assert edition[0] == "2030/index.md" and edition[-1] == "2030/contacts/index.md"
    assert fixture_site.nav_titles["2030: test-visas"] == {"en": "Test visas", "ru": "Тестовые визы"}
    data = json.loads(fixture_site.exports["data/2030.json"])
    option = data["sections"][0]["services"][0]["steps"][0]["fees"]["options"][0]
    assert [(p["way"], p["total"]) for p in option["payable"]] == [("standard", 42000), ("personal_manager", 262000)]


def test_rendering_is_deterministic(tmp_path):
    root = make_project(tmp_path, site=True)
    assert render(root).files == render(root).files


def test_markdown_escape():
    assert escape_md("[x](javascript:alert(1))") == r"\[x\]\(javascript:alert\(1\)\)"
    assert escape_md("<script>") == "&lt;script&gt;"
    assert escape_md("1. *a* _b_ #c `d` |e|") == r"1\. \*a\* \_b\_ \#c \`d\` \|e\|"


def test_yaml_text_cannot_inject_html_or_script(fixture_build):
    _, site = fixture_build  # its 2030 carries every HOSTILE text in a title, a document and a fee label
    page = (site / "2030" / "test-visas" / "visa-inside" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page and "src=\"javascript:" not in page
    assert 'onclick="alert(3)"' not in page
    assert "<b>not bold</b>" not in page
    # the text is still there, shown literally
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page or "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    assert "[click me](javascript:alert(1))" in page
    assert "&amp;lt;script&amp;gt; stays text" in page
    # the nav and the page title escape it too (search results show it as text:
    # test_search_browser.py::test_hostile_text_in_search_results_stays_text)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in home
