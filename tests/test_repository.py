"""The repository stands alone: nothing in it points outside it (a sibling folder, a machine's
own paths), and what the README and the code cite lives in it."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import NOT_IN_A_CLONE, ROOT

# A path outside the repository: the old shared design folder beside it, or one machine's own
# folders. This file, which holds examples of them, is not searched.
OUTSIDE = re.compile(r"\.\./+shared|(?<![\w.])/(?:work|home|Users|root|tmp)/|[A-Z]:\\[Uu]sers")


def repository_files():
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in NOT_IN_A_CLONE or "__pycache__" in rel.parts or rel.parts[0].endswith(".egg-info"):
            continue
        if path.is_file() and path != Path(__file__).resolve():
            yield rel, path


def test_nothing_refers_outside_the_repository():
    found = []
    for rel, path in repository_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{rel}:{number}: {line.strip()[:120]}")
    assert found == []


def test_the_pattern_catches_what_it_is_for():
    for line in ("see ../shared/DESIGN.md", "(../../shared/notes/x.md)", "/work/main/x", "/home/me/guidebook",
                 r"C:\Users\me"):
        assert OUTSIDE.search(line), line
    for line in ("docs/DESIGN.md", "site/ru/2026/", "/usr/bin/chromium", "https://egov.kz/home/x"):
        assert not OUTSIDE.search(line), line


def test_the_design_and_notes_the_readme_cites_are_here():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for cited in re.findall(r"\]\(((?:docs|editions)/[^)#]*)\)", readme):
        assert (ROOT / cited).exists(), cited
    for note in ("DESIGN.md", "notes/deepdiff.md", "notes/mkdocs-i18n.md", "notes/search.md"):
        assert (ROOT / "docs" / note).is_file(), note
