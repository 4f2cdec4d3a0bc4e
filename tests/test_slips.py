"""The editor's slips, answered like a compiler (issue 19, item 5): each message's exact text.

The dates and lines below are written from the fixture's own text (tests/fixtures/valid), never
read back from the output under test."""
from __future__ import annotations

import re

from conftest import copy_project, make_project, run_cli
from generator.edition.validate import available_years, load_library

DATED_COVER = '  - {en: "GUIDEBOOK – 2030", ru: "РУКОВОДСТВО – 2030"}\n'
DATE_LINE = '  - {en: "Effective from 01.01.2030", ru: "Вступает в силу с 01.01.2030"}\n'


def _add_cover_date(root, year: int = 2030):
    meta = root / "editions" / str(year) / "edition.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace(DATED_COVER, DATED_COVER + DATE_LINE, 1), encoding="utf-8")
    return meta


# -- 1. new-edition never writes a date; a published edition states the cover's date -------------

def test_new_edition_keeps_the_cover_date_line_and_lists_it_to_set(tmp_path):
    root = make_project(tmp_path)
    _add_cover_date(root)
    status, out, err = run_cli("--root", str(root), "new-edition", "2031", "--from", "2030", "--mci", "4000")
    assert (status, err) == (0, "")
    assert ("the year updated in 2 title(s) (edition.yaml: cover[0].en, edition.yaml: cover[0].ru). "
            "To set from the 2031 print: the date line(s) edition.yaml: cover[1], kept with the 2030 date "
            "(no date is invented), and effective_from equal to that date. Next:") in out
    edition = load_library(root, [2031]).editions[2031]
    assert edition.effective_from is None
    assert [(c.en, c.ru) for c in edition.cover] == [
        ("GUIDEBOOK – 2031", "РУКОВОДСТВО – 2031"), ("Effective from 01.01.2030", "Вступает в силу с 01.01.2030")]
    assert "01.01.2031" not in (root / "editions" / "2031" / "edition.yaml").read_text(encoding="utf-8")


def test_a_published_edition_needs_effective_from_equal_to_the_cover_date(tmp_path):
    root = make_project(tmp_path)
    meta = _add_cover_date(root)
    text = meta.read_text(encoding="utf-8")
    for written, found in (("2030-02-01", "2030-02-01"), ("null", "nothing (null)")):
        meta.write_text(text.replace("effective_from: 2030-01-01", f"effective_from: {written}"), encoding="utf-8")
        status, out, err = run_cli("--root", str(root), "validate", "2030")
        assert (status, out) == (1, "")
        assert err.splitlines() == [
            "editions/2030/edition.yaml:5:17: effective_from: expected 2030-01-01 (the date the cover prints, "
            f"cover[1].en: 01.01.2030) in a published edition, found {found}", "1 problem in 1 file"]
    # a draft may leave it null (its cover still carries the date of the edition it was copied from)
    meta.write_text(text.replace("effective_from: 2030-01-01", "effective_from: null")
                    .replace("status: published", "status: draft"), encoding="utf-8")
    status, out, err = run_cli("--root", str(root), "validate", "2030")
    assert (status, err) == (0, ""), err
    meta.write_text(text, encoding="utf-8")
    assert run_cli("--root", str(root), "validate", "2030")[0] == 0


# -- 2. a YAML syntax error is one problem, not a cascade from the other files -------------------

def test_a_syntax_error_in_one_file_reports_that_file_and_no_follow_ons(tmp_path):
    root = copy_project(tmp_path / "guidebook")
    year = available_years(root)[-1]
    folder = root / "editions" / str(year)
    # a section file other files link to (a journey's `service: section/service`)
    linked = sorted({m.group(1) for f in folder.glob("*.yaml")
                     for m in re.finditer(r"service: ([a-z0-9-]+)/", f.read_text(encoding="utf-8"))
                     if m.group(1) != f.stem})
    assert linked, "the edition has no links between sections to break"
    target = folder / f"{linked[0]}.yaml"
    target.write_text("id: x: y\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    status, out, err = run_cli("-C", str(root), "validate", str(year))
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"editions/{year}/{target.name}:1:6: YAML syntax error: mapping values are not allowed here; the other "
        f"files were not checked against {target.name} (their links to its services wait until it loads)",
        "1 problem in 1 file"]


# -- 3. check-source says first that the printed text moved -------------------------------------

# The fixture's lines the YAML points to (tests/fixtures/valid/editions/2030): the section heading
# (15), the two service headings (17, 44), the contacts (48) and three cited lines (46, 46, 19).
FIXTURE_ANCHORS = 7


def test_check_source_says_first_that_the_text_moved(tmp_path):
    root = make_project(tmp_path)
    seed = root / "editions" / "2030" / "seed.txt"
    printed = seed.read_text(encoding="utf-8")
    seed.write_text("\n" + printed, encoding="utf-8")  # every line one further down
    status, out, _ = run_cli("--root", str(root), "check-source", "2030")
    lines = out.splitlines()
    assert status == 1
    assert lines[0] == (f"check-source 2030: the printed text moved: run `guidebook reanchor 2030` ({FIXTURE_ANCHORS} "
                        "provenance or cited line(s) moved; 6 miss(es) below), then check-source again")
    assert lines[2] == "different in the seed and the edition (6):"
    # a real difference (a reworded sentence, nothing moved) is not called a move
    seed.write_text(printed.replace("This service extends a test visa", "This service prolongs a test visa"),
                    encoding="utf-8")
    status, out, _ = run_cli("--root", str(root), "check-source", "2030")
    assert status == 1 and "moved" not in out
    assert out.splitlines()[0] == "check-source 2030 (EN official text, seed.txt)"
