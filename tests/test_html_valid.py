"""Valid, CSP-clean pages: a sample of the real site (one page of each type, both languages, both
404 pages) checked by the Nu HTML checker (vnu.jar from npm's vnu-jar, when Java is there) with
no error of ours — only the listed ones Material's templates make — and, always, by our own
checks: every id a label, ARIA attribute or fragment link names exists (vnu 26 does not report a
dangling aria-labelledby) and ids are unique, no
inline script or event handler (so `script-src 'self'` holds), nothing loaded from another host."""
from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

# Errors vnu finds in Material's own templates (not ours), each with the markup it concerns.
MATERIAL = [
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"'),
    ("Bad value “” for attribute “tabindex” on element “label”", 'class="md-nav__link'),
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
     'class="md-nav__title" for="__toc"'),
]


def sample(site: Path) -> list[Path]:
    """One page of each type in each language, and both 404 pages."""
    chosen = ["index.html", "404.html", "editions/index.html", "about/index.html", "fees/index.html"]
    current = max(int(p.name) for p in site.iterdir() if p.name.isdigit())
    earlier = min(int(p.name) for p in site.iterdir() if p.name.isdigit())
    edition = site / str(current)
    section = next(p for p in sorted(edition.iterdir()) if p.is_dir() and p.name not in ("guide", "contacts"))
    service = next(p for p in sorted(section.iterdir()) if p.is_dir())
    guide_end = max((edition / "guide").rglob("index.html"), key=lambda p: len(p.parts))
    chosen += [f"{current}/index.html", f"{current}/contacts/index.html", f"{current}/guide/index.html",
               section.relative_to(site).as_posix() + "/index.html", service.relative_to(site).as_posix() + "/index.html",
               guide_end.relative_to(site).as_posix(), f"{earlier}/index.html"]
    chosen += [p.relative_to(site).as_posix() for p in sorted((site / "changes").glob("*/index.html"))]
    pages = [site / rel for rel in chosen] + [site / "ru" / rel for rel in chosen]
    for page in pages:
        assert page.is_file(), page
    return pages


def material(message: dict) -> bool:
    return any(message["message"].startswith(text) and mark in message.get("extract", "")
               for text, mark in MATERIAL)


@pytest.mark.skipif(JAVA is None or not VNU.is_file(), reason="needs java and node_modules/vnu-jar (make test)")
def test_no_vnu_error_of_ours(real_site):
    pages = sample(real_site)
    result = subprocess.run([str(JAVA), "-Xss4m", "-jar", str(VNU), "--format", "json", "--exit-zero-always",
                             *map(str, pages)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr)["messages"]
    errors = [m for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    ours = [f"{m.get('url', '').rsplit(str(real_site.name) + '/', 1)[-1]}: {m['message']} "
            f"[{m.get('extract', '').strip()[:80]}]" for m in errors if not material(m)]
    assert ours == []
    assert len(errors) > 0, "Material's known errors vanished: update MATERIAL (or vnu is not checking)"


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.refs: list[tuple[str, str]] = []   # (attribute, id)
        self.inline: list[str] = []             # inline scripts and handlers
        self.loaded: list[str] = []             # URLs the browser loads by itself
        self._script_type: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"])
        for name in ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "list", "form"):
            if values.get(name) and not (tag == "form" and name == "form"):
                self.refs += [(name, ref) for ref in values[name].split()]
        if tag == "a" and (values.get("href") or "").startswith("#") and len(values["href"]) > 1:
            self.refs.append(("href", values["href"][1:]))
        self.inline += [f"{tag} {name}" for name in values if name.startswith("on")]
        if tag == "script":
            self._script_type = values.get("type") or "text/javascript"
            if values.get("src"):
                self.loaded.append(values["src"])
                self._script_type = None
        if tag in ("img", "iframe", "source") and values.get("src"):
            self.loaded.append(values["src"])
        if tag == "link" and values.get("href") and {"stylesheet", "icon", "preload", "manifest"} & set(
                (values.get("rel") or "").split()):
            self.loaded.append(values["href"])

    def handle_data(self, data):
        if self._script_type is not None and self._script_type != "application/json" and data.strip():
            self.inline.append(f"<script> {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_type = None


def test_ids_referenced_exist_and_no_inline_script(real_site):
    for page in sample(real_site):
        parsed = _Page()
        parsed.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(real_site).as_posix()
        duplicates = sorted({i for i in parsed.ids if parsed.ids.count(i) > 1})
        assert duplicates == [], f"{rel}: ids used twice"
        # Material's table-of-contents toggle is the one label whose input it writes only on
        # pages with a table of contents (listed in MATERIAL for vnu too).
        dangling = [(name, ref) for name, ref in parsed.refs if ref not in parsed.ids
                    and (name, ref) != ("for", "__toc")]
        assert dangling == [], f"{rel}: references to ids that are not on the page"
        assert parsed.inline == [], f"{rel}: inline script (blocked by script-src 'self')"
        foreign = [url for url in parsed.loaded if re.match(r"^[a-z]+:|^//", url)]
        assert foreign == [], f"{rel}: loads from another host"


def test_the_checks_catch_what_they_look_for(tmp_path):
    """The parser checks can fail: a dangling aria-labelledby and an inline script are found."""
    parsed = _Page()
    parsed.feed('<nav aria-labelledby="__nav_3_label"></nav><script>alert(1)</script>'
                '<script id="__config" type="application/json">{"a": 1}</script>')
    assert parsed.refs == [("aria-labelledby", "__nav_3_label")] and parsed.ids == ["__config"]
    assert parsed.inline == ["<script> alert(1)"]
