"""`guidebook reanchor YEAR` re-finds provenance lines after the seed moved; `check-source`
names the YAML file:line of what it reports."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, make_project, printed_editions, run_cli
from generator.editorial.check_source import seed_lines
from generator.editorial.reanchor import find_anchors
from test_diff import _cached_library

PUBLISHED = printed_editions(ROOT)


@pytest.mark.parametrize("year", PUBLISHED)
def test_a_line_inserted_at_the_top_of_the_seed_is_reanchored(copy, year):
    """Each printed language's matching (English 2025, Russian 2026) on the real seed. What does not
    depend on the language runs once on the fixture project (test_reanchor_leaves_a_seed_that_did_
    not_move_alone: nothing rewritten). Here the unchanged seed is asked of the library with the
    edition as validated once; check-source (each finding at its YAML file:line), reanchor and the
    last check-source run as commands on the copy's files."""
    root = copy
    edition = _cached_library(ROOT, None).editions[year]
    folder = root / "editions" / str(year)
    before = {f.name: f.read_text(encoding="utf-8") for f in folder.glob("*.yaml")}
    seed = folder / edition.source_file
    assert find_anchors(edition, seed_lines(seed)).moved == []  # the seed as printed: every line found where it is

    seed.write_text("\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    status, out, _ = run_cli("--root", str(root), "check-source", str(year))
    assert status == 1  # each finding located at its YAML file and line, on the real files too
    moved = re.findall(r"\(editions/\d+/[\w-]+\.yaml:\d+\): provenance line \d+ holds", out)
    assert len(moved) > 20

    status, out, _ = run_cli("--root", str(root), "reanchor", str(year))
    assert status == 0, out
    summary = re.search(r"(\d+) provenance line\(s\) moved, 0 already right, 0 not found", out)
    assert summary is not None, out
    count = int(summary.group(1))
    assert count == len(moved) + sum(1 for f in before.values() for _ in re.finditer(r"heading: null|^  line:", f, re.M))
    status, out, _ = run_cli("--root", str(root), "check-source", str(year))
    assert status == 0 and "(100 %)" in out
    # the YAML changed only in its line numbers, each by one
    for name, text in before.items():
        after = (folder / name).read_text(encoding="utf-8").splitlines()
        for old, new in zip(text.splitlines(), after, strict=True):
            if old != new:
                numbers = zip(re.findall(r"\d+", old), re.findall(r"\d+", new), strict=True)
                assert re.sub(r"\d+", "N", old) == re.sub(r"\d+", "N", new)
                moved_by = [int(b) - int(a) for a, b in numbers if a != b]
                assert moved_by and set(moved_by) == {1}  # a limit cites several lines on one YAML line


def test_reanchor_leaves_a_seed_that_did_not_move_alone(tmp_path):
    root = make_project(tmp_path)
    files = {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    status, out, err = run_cli("--root", str(root), "reanchor", "2030")
    assert (status, err) == (0, "")
    assert out == ("reanchor 2030 (seed.txt): 0 provenance line(s) moved, 4 already right, 0 not found; "
                   "0 cited line(s) moved, 3 already right, 0 not found\n")
    assert {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()} == files  # nothing rewritten


def test_what_cannot_be_found_is_reported_at_its_yaml_line(tmp_path):
    root = make_project(tmp_path)
    seed = root / "editions" / "2030" / "seed.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("2. Test visa extension", "2. Test visa prolongation"),
                    encoding="utf-8")
    status, out, _ = run_cli("--root", str(root), "reanchor", "2030")
    assert status == 1
    lines = (root / "editions" / "2030" / "test-visas.yaml").read_text(encoding="utf-8").splitlines()
    yaml_line = lines.index("  - id: extension") + 2  # its provenance
    assert (f"  editions/2030/test-visas.yaml:{yaml_line}: service test-visas/extension: heading "
            "'2. Test visa extension': not found in the seed after line 17; left at line 44") in out
    assert "1 not found" in out


def test_check_source_names_the_yaml_line_of_each_finding(tmp_path):
    root = make_project(tmp_path)
    section = root / "editions" / "2030" / "test-visas.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("Original passport", "Original pasport")
                       .replace("service: 40000\n              personal_manager: 260000\n              state",
                                "service: 45000\n              personal_manager: 260000\n              state"),
                       encoding="utf-8")
    status, out, _ = run_cli("--root", str(root), "check-source", "2030")
    assert status == 1
    assert "  line 30 (service test-visas/visa-inside, editions/2030/test-visas.yaml:6): 'Original passport'" in out
    assert ("  editions/2030/test-visas.yaml:21:24: service test-visas/visa-inside: 'Original pasport' "
            "is not printed in its part of the seed (lines 17–43)") in out
    assert re.search(r"  line \d+ \(editions/2030/test-visas\.yaml:28\): service printed '40 000 KZT', "
                     r"the edition has 45000", out), out


def test_a_cited_line_is_checked_by_check_source_and_refound_by_reanchor(tmp_path):
    """validate checks the YAML on its own; that a fact's quote is printed on its cited seed line is
    check-source's proof, and reanchor re-finds the line by the quoted words."""
    root = make_project(tmp_path)
    section = root / "editions" / "2030" / "test-visas.yaml"
    original = section.read_text(encoding="utf-8")
    cited = '{line: 46, quote: {en: "This service extends a test visa"'
    assert original.count(cited) == 1
    yaml_line = original.splitlines().index(next(x for x in original.splitlines() if cited in x)) + 1
    section.write_text(original.replace(cited, cited.replace("46", "45")), encoding="utf-8")
    assert run_cli("--root", str(root), "validate", "2030")[0] == 0
    status, out, _ = run_cli("--root", str(root), "check-source", "2030")
    assert status == 1
    assert (f"  service test-visas/extension (editions/2030/test-visas.yaml:{yaml_line}): "
            "services[1].eligibility.basis[0]: cited line 45 holds ") in out
    assert "which does not print the quoted 'This service extends a test visa' (guidebook reanchor 2030 re-finds it)" in out

    status, out, _ = run_cli("--root", str(root), "reanchor", "2030")
    assert status == 0 and "0 provenance line(s) moved" in out and "; 1 cited line(s) moved, " in out, out
    assert (f"  editions/2030/test-visas.yaml:{yaml_line}: service test-visas/extension: "
            "services[1].eligibility.basis[0]: quoted 'This service extends a test visa': line 45 → 46") in out
    assert section.read_text(encoding="utf-8") == original
    assert run_cli("--root", str(root), "check-source", "2030")[0] == 0

    section.write_text(original.replace(cited, cited.replace("46", "9999").replace("a test visa", "a permit")),
                       encoding="utf-8")
    status, out, _ = run_cli("--root", str(root), "check-source", "2030")
    assert status == 1 and "services[1].eligibility.basis[0]: cited line 9999 is not in the seed (1 to " in out
    status, out, _ = run_cli("--root", str(root), "reanchor", "2030")
    assert status == 1 and "1 not found" in out
    assert (f"  editions/2030/test-visas.yaml:{yaml_line}: service test-visas/extension: services[1].eligibility."
            "basis[0]: quoted 'This service extends a permit': printed on no line of the seed; left at line 9999") in out
