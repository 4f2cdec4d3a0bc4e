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


# -- 4. reanchor refuses an ambiguous quote and lists it ------------------------------------------

EXTENSION = "2. Test visa extension\n\nThis service extends a test visa."  # the fixture's seed, lines 44-46


def _cited_46(text: str) -> list[int]:
    """The YAML lines of the fixture's two facts citing seed line 46 (written from its YAML)."""
    where = [n + 1 for n, line in enumerate(text.splitlines()) if "{line: 46, quote:" in line]
    assert len(where) == 2
    return where


def test_reanchor_takes_the_citing_services_own_sentence_over_anothers(tmp_path):
    root = make_project(tmp_path)
    seed = root / "editions" / "2030" / "seed.txt"
    section = root / "editions" / "2030" / "test-visas.yaml"
    # the sentence is also printed in the service before (line 44); the heading moves to 46, and a
    # new line between the heading and the sentence moves the sentence to 50: the one printed in the
    # extension's own part (46 up to the contacts, 52) is meant, not the other service's at 44
    seed.write_text(seed.read_text(encoding="utf-8").replace(EXTENSION, "This service extends a test visa.\n\n"
                    "2. Test visa extension\n\nNew in this edition.\n\nThis service extends a test visa."),
                    encoding="utf-8")
    status, out, _ = run_cli("--root", str(root), "reanchor", "2030")
    assert status == 0, out
    assert out.splitlines()[0] == ("reanchor 2030 (seed.txt): 2 provenance line(s) moved, 2 already right, 0 not "
                                   "found; 2 cited line(s) moved, 1 already right, 0 not found")
    assert section.read_text(encoding="utf-8").count("{line: 50, quote:") == 2


def test_reanchor_refuses_a_quote_printed_in_several_places(tmp_path):
    root = make_project(tmp_path)
    seed = root / "editions" / "2030" / "seed.txt"
    section = root / "editions" / "2030" / "test-visas.yaml"
    where = _cited_46(section.read_text(encoding="utf-8"))
    # the heading stays on 44; line 46 now holds a new line and the sentence is printed twice in the
    # service's own part (48 and 50): which one a fact cites is not known
    seed.write_text(seed.read_text(encoding="utf-8").replace(EXTENSION, "2. Test visa extension\n\nNew in this "
                    "edition.\n\nThis service extends a test visa.\n\nThis service extends a test visa."),
                    encoding="utf-8")
    status, out, _ = run_cli("--root", str(root), "reanchor", "2030")
    assert status == 1
    assert out.splitlines()[0] == (
        "reanchor 2030 (seed.txt): 1 provenance line(s) moved, 3 already right, 0 not found; "
        "0 cited line(s) moved, 1 already right, 0 not found, 2 ambiguous (printed on several lines)")
    refusals = [line for line in out.splitlines() if "ambiguous, printed on lines" in line]
    assert refusals == [
        f"  editions/2030/test-visas.yaml:{where[1]}: service test-visas/extension: services[1].eligibility.basis[0]: "
        "quoted 'This service extends a test visa': ambiguous, printed on lines 48, 50 and none is where line 46 "
        "moved; left at line 46, set the line that is meant by hand",
        f"  editions/2030/test-visas.yaml:{where[0]}: service test-visas/extension: services[1].eligibility.where."
        "basis[0]: quoted 'extends a test visa': ambiguous, printed on lines 48, 50 and none is where line 46 "
        "moved; left at line 46, set the line that is meant by hand"]
    assert section.read_text(encoding="utf-8").count("{line: 46, quote:") == 2  # left as they were


# -- 5. a draft with unexplained changes says how many ---------------------------------------------

def test_validate_says_how_many_changes_a_draft_register_does_not_cover(tmp_path):
    root = make_project(tmp_path)
    assert run_cli("--root", str(root), "new-edition", "2031", "--from", "2030", "--mci", "4000")[0] == 0
    section = root / "editions" / "2031" / "test-visas.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("service: 40000", "service: 45000", 1),
                       encoding="utf-8")
    # three changes made: effective_from (2030-01-01 → null), the cover's year, the service fee
    status, out, err = run_cli("--root", str(root), "validate", "2031")
    assert (status, err) == (0, "")
    assert out == ("2031: ok (draft, 1 sections, 2 services); 3 of its 3 change(s) since 2030 not yet covered by "
                   "its register (editions/2031/changes.yaml), which publishing needs\n")
    (root / "editions" / "2031" / "changes.yaml").write_text(
        "since: 2030\nentries:\n  - id: edition-2031\n    effect: edition-details\n"
        "    summary: {en: \"The 2031 guidebook.\", ru: \"Руководство 2031 года.\"}\n"
        "    covers:\n      - kind: edition\n      - kind: text\n", encoding="utf-8")
    status, out, err = run_cli("--root", str(root), "validate", "2031")
    assert (status, err) == (0, ""), err
    assert out == ("2031: ok (draft, 1 sections, 2 services); 1 of its 3 change(s) since 2030 not yet covered by "
                   "its register (editions/2031/changes.yaml), which publishing needs\n")
    with (root / "editions" / "2031" / "changes.yaml").open("a", encoding="utf-8") as register:
        register.write("  - id: visa-fee-raised\n    effect: fee-raised\n"
                       "    summary: {en: \"The test visa fee is raised.\", ru: \"Сбор за тестовую визу повышен.\"}\n"
                       "    covers:\n      - kind: fee\n")
    status, out, err = run_cli("--root", str(root), "validate", "2031")
    assert (status, err, out) == (0, "", "2031: ok (draft, 1 sections, 2 services)\n")


def test_a_syntax_error_in_the_catalogue_is_one_problem_not_one_per_document_used(tmp_path):
    root = make_project(tmp_path)
    catalogue = root / "content" / "documents" / "docs.yaml"
    # the fixture's catalogue starts "- id: consent-form" (the added colon is column 19); its documents are used in test-visas.yaml
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("- id: consent-form", "- id: consent-form: x", 1),
                         encoding="utf-8")
    status, out, err = run_cli("--root", str(root), "validate", "2030")
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        "content/documents/docs.yaml:1:19: YAML syntax error: mapping values are not allowed here; the editions "
        "were not checked against docs.yaml (their documents from it wait until it loads)", "1 problem in 1 file"]
