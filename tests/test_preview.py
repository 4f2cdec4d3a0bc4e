"""The live preview (`guidebook serve`, generator/site/preview.py).

- After a fee edit and after a text edit (both languages), the preview — which rebuilt only the
  pages whose Markdown changed — equals a full `guidebook build` of the same sources, byte for
  byte, every file of the site (pages of both languages, exports, the changes page, search
  index); so it does when a save stopped the check of the other pages and the next update
  finished it.
- A real `guidebook serve` on 127.0.0.1 shows an edit, says one short line per save, and keeps
  MkDocs' nav notices for -v; it serves a draft only with --drafts.

Both run on the fixture project with the real templates, pages and hooks (make_project(site=True))
and a second published edition made from its first, so the site has what the real one has: two
editions, a changes page, exports in every format, the search index. What the preview decides
(which pages to rebuild, when the whole site is built again) does not depend on how many services
an edition has, and a full build of the fixture takes a fraction of the real project's. The edits
are chosen in the latest edition by shape (its first service fee, its first description text).
"""
from __future__ import annotations

import contextlib
import filecmp
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import free_port, make_project, stop
from generator.edition.loader import parse_cache
from generator.edition.validate import available_years
from generator.site.build import build_site
from generator.site.preview import Preview

FEE = re.compile(r"^(\s+service: )(\d+)$", re.M)
TEXT = re.compile(r'^(\s+- text: \{en: ")([^"]+)(", ru: ")([^"]+)(")', re.M)


def _section_with(root: Path, pattern: re.Pattern) -> Path:
    latest = available_years(root)[-1]
    sections = [f for f in sorted((root / "editions" / str(latest)).glob("*.yaml")) if "\nservices:\n" in f.read_text("utf-8")]
    return next(f for f in sections if pattern.search(f.read_text("utf-8")))


def _tree(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def _differences(one: Path, other: Path) -> list[str]:
    a, b = _tree(one), _tree(other)
    differ = sorted(set(a) ^ set(b))
    differ += [rel for rel in sorted(set(a) & set(b)) if not filecmp.cmp(a[rel], b[rel], shallow=False)]
    return differ


# The second edition of the preview's project: the fixture's 2030 with a fee raised, a description
# reworded and the new year on its cover, published with the register of those changes.
REGISTER_2031 = """\
since: 2030
entries:
  - id: visa-fee-raised
    effect: fee-raised
    summary: {en: "Test visa: the service fee is raised to 45 000 KZT.", ru: "Тестовая виза: сервисный сбор повышен до 45 000 KZT."}
    covers:
      - {service: test-visas/visa-inside, kind: fee}
  - id: visa-description
    effect: wording-only
    summary: {en: "Test visa: its description is reworded.", ru: "Тестовая виза: описание сформулировано иначе."}
    covers:
      - group: text-test-visas-visa-inside-description-0
  - id: edition-2031
    effect: edition-details
    summary: {en: "The 2031 guidebook is in force from 1 January 2031.", ru: "Руководство 2031 года действует с 1 января 2031 года."}
    covers:
      - kind: edition
      - group: text-cover-0
"""


def _two_editions(tmp_path: Path) -> Path:
    """The fixture project built like the real one (site=True), with a published 2031 made from
    its 2030 (REGISTER_2031): two editions, so a changes page and every export of a pair."""
    root = make_project(tmp_path, site=True)
    folder = root / "editions" / "2031"
    shutil.copytree(root / "editions" / "2030", folder)
    meta = folder / "edition.yaml"
    meta.write_text(meta.read_text("utf-8").replace("year: 2030", "year: 2031")
                    .replace("effective_from: 2030-01-01", "effective_from: 2031-01-01").replace(" – 2030", " – 2031"),
                    encoding="utf-8")
    section = folder / "test-visas.yaml"
    section.write_text(section.read_text("utf-8").replace("service: 40000", "service: 45000")
                       .replace("a foreign national who is already", "a foreign national already"), encoding="utf-8")
    (folder / "changes.yaml").write_text(REGISTER_2031, encoding="utf-8")
    return root


def test_the_preview_equals_a_full_build_after_a_fee_edit_a_text_edit_and_a_stopped_check(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the in-process build would set it
    monkeypatch.delenv("GUIDEBOOK_SITE_URL", raising=False)
    monkeypatch.delenv("GUIDEBOOK_DRAFTS", raising=False)
    root = _two_editions(tmp_path)
    assert available_years(root) == [2030, 2031]
    fee_file, text_file = _section_with(root, FEE), _section_with(root, TEXT)
    site = tmp_path / "preview"
    site.mkdir()
    preview = Preview(root, site)
    reloads: list[str] = []
    with parse_cache():
        preview.build_all()
        assert (site / "changes" / "2030-2031" / "index.html").is_file()
        assert (site / "data" / "2031.json").is_file()

        def fee(text: str) -> str:
            return FEE.sub(lambda m: f"{m[1]}{int(m[2]) + 1234}", text, count=1)

        def wording(text: str) -> str:
            return TEXT.sub(lambda m: f"{m[1]}Edited: {m[2]}{m[3]}Правка: {m[4]}{m[5]}", text, count=1)

        for n, (file, edit, shown) in enumerate(((fee_file, fee, None), (text_file, wording, ("Edited: ", "Правка: ")))):
            before = file.read_text("utf-8")
            after = edit(before)
            assert after != before
            file.write_text(after, encoding="utf-8")
            said = preview.update([file.relative_to(root).as_posix()], lambda: reloads.append("reload"))
            assert "page(s) rebuilt, shown in" in said and "whole site" not in said, said
            # the edition's own pages first, then the changes page and the exports it is in
            assert "more page(s) after checking all" in said and "export(s) rewritten" in said, said
            full = tmp_path / f"full-{n}"
            assert build_site(root, full, quiet=True) == 0
            assert _differences(site, full) == []
            pages = "".join(p.read_text("utf-8") for p in site.rglob("index.html"))
            for word in shown or ():
                assert word in pages
        # a save that comes while the other pages are being checked: that check stops, and the
        # next update (here one that names no file) finishes it
        fee_file.write_text(fee(fee_file.read_text("utf-8")), encoding="utf-8")
        said = preview.update([fee_file.relative_to(root).as_posix()], lambda: None, pending=lambda: True)
        assert said.endswith("the other pages are checked after the next save"), said
        said = preview.update([], lambda: None)
        assert "more page(s) after checking all" in said, said
        assert build_site(root, tmp_path / "full-stopped", quiet=True) == 0
        assert _differences(site, tmp_path / "full-stopped") == []
    assert reloads



class Serve:
    """`guidebook serve` on a free port of 127.0.0.1, its stderr read line by line; stopped
    (SIGTERM, then killed after 30 s) on exit."""

    def __init__(self, root: Path, *options: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "serve", *options,
                                         "--address", f"127.0.0.1:{self.port}"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, seconds: float = 300) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(text in line for line in self.said):
                return True
            if self.process.poll() is not None and self.lines.empty():
                return False
            with contextlib.suppress(queue.Empty):
                self.said.append(self.lines.get(timeout=0.2))
        return False

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def __enter__(self) -> Serve:
        return self

    def __exit__(self, *exc) -> None:
        stop(self.process)


def _with_draft(tmp_path: Path) -> Path:
    """The fixture project built like the real one, with a draft 2031 copied from its 2030."""
    root = make_project(tmp_path, site=True)
    draft = root / "editions" / "2031"
    shutil.copytree(root / "editions" / "2030", draft)
    meta = draft / "edition.yaml"
    meta.write_text(meta.read_text("utf-8").replace("year: 2030", "year: 2031").replace("status: published", "status: draft"),
                    encoding="utf-8")
    return root


def test_serve_shows_a_save_in_one_line_and_a_slip_where_it_is(tmp_path):
    root = _with_draft(tmp_path)
    section = root / "editions" / "2030" / "test-visas.yaml"
    with Serve(root) as serve:
        assert serve.wait_for("serving on http://127.0.0.1:"), "".join(serve.said)
        assert "40\u00a0000" in serve.page("2030/test-visas/visa-inside/")
        try:  # without --drafts, the draft is not served
            serve.page("2031/")
            raise AssertionError("a draft served without --drafts")
        except urllib.error.HTTPError as error:
            assert error.code == 404
        section.write_text(section.read_text("utf-8").replace("service: 40000", "service: 45000"), encoding="utf-8")
        deadline = time.monotonic() + 60
        while "45\u00a0000" not in serve.page("2030/test-visas/visa-inside/"):
            assert time.monotonic() < deadline, "".join(serve.said)
            time.sleep(0.1)
        assert serve.wait_for("guidebook serve: editions/2030/test-visas.yaml: ", 120), "".join(serve.said)
        time.sleep(1)  # a second rebuild of the same save would say so by now
        serve.wait_for("never said", 0.5)
        saves = [line for line in serve.said if line.startswith("INFO    -  guidebook serve: editions/")]
        assert len(saves) == 1 and "page(s) rebuilt, shown in" in saves[0], "".join(serve.said)
        # a slip: its located problem, and the last good pages stay served until it is fixed
        section.write_text(section.read_text("utf-8").replace("service: 45000", "service: forty"), encoding="utf-8")
        assert serve.wait_for("has problems; the last good pages stay served", 120), "".join(serve.said)
        assert serve.wait_for("editions/2030/test-visas.yaml:29:", 5), "".join(serve.said)
        assert "45\u00a0000" in serve.page("2030/test-visas/visa-inside/")
        section.write_text(section.read_text("utf-8").replace("service: forty", "service: 47000"), encoding="utf-8")
        template = root / "site_templates" / "service.md.j2"  # and a template edit
        template.write_text(template.read_text("utf-8").replace('<p class="gb-where">', '<p class="gb-where gb-edited">'),
                            encoding="utf-8")
        deadline = time.monotonic() + 120
        while not ("47\u00a0000" in (page := serve.page("2030/test-visas/visa-inside/")) and "gb-edited" in page):
            assert time.monotonic() < deadline, "".join(serve.said)
            time.sleep(0.1)
    assert not any("not included in the \"nav\"" in line or line.startswith("  - ") for line in serve.said)
    assert "Traceback" not in "".join(serve.said)


def test_serve_shows_mkdocs_notices_with_v_and_drafts_when_asked(tmp_path):
    """(Without --drafts the draft is not served: the test above.)"""
    root = _with_draft(tmp_path)
    with Serve(root, "-v", "--drafts") as serve:
        assert serve.wait_for("serving on http://127.0.0.1:"), "".join(serve.said)
        assert "2031" in serve.page("2031/")
    assert any("not included in the \"nav\"" in line for line in serve.said), "".join(serve.said)
