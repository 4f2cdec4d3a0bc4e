"""Golden `guidebook validate` output for broken fixture editions, one per error family."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, assert_golden, make_project, run_cli

FAMILIES = sorted(p.name for p in (FIXTURES / "broken").iterdir() if p.is_dir())


def test_there_are_enough_families():
    assert len(FAMILIES) >= 12


@pytest.mark.parametrize("family", FAMILIES)
def test_broken_fixture_gives_golden_messages(tmp_path, family):
    root = make_project(tmp_path, FIXTURES / "broken" / family)
    status, out, err = run_cli("--root", str(root), "validate")
    assert status == 1
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[-1].endswith(("file", "files")) and " problem" in lines[-1]
    for line in lines[:-1]:
        assert line.split(":")[0] in {"content", "editions"} or line.startswith(("content/", "editions/"))
    assert_golden(FIXTURES / "broken" / family / "expected.txt", err)


def test_valid_fixture_validates(project):
    # A copy: the fixture's content/ui.yaml links to the real labels, outside the fixture folder.
    status, out, err = run_cli("--root", str(project), "validate")
    assert (status, err) == (0, "")
    assert out == "2030: ok (published, 1 sections, 2 services)\n"


def test_unknown_edition_lists_the_editions_there_are(project):
    status, out, err = run_cli("--root", str(project), "validate", "1999")
    assert status == 2
    assert err == "guidebook: error: unknown edition '1999'; the editions there are: 2030\n"
