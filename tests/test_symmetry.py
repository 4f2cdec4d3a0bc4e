"""Translation symmetry (`guidebook validate`): between consecutive editions the translation
changes exactly where the print does, and one printed change has one translation; reviewed
exceptions are data (content/translation-exceptions.yaml)."""
from __future__ import annotations

from conftest import ROOT, run_cli
from generator.changes.symmetry import asymmetries, check, clauses
from test_diff import _cached_library

PASSPORT = 'en: "Original passport or notarised copy"'



def edit(root, year, section, old, new, count=None):
    file = root / "editions" / str(year) / f"{section}.yaml"
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == (count or text.count(old)) and old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def test_the_published_editions_are_symmetric():
    assert check(_cached_library(ROOT, None), ROOT) == []


def test_clauses_are_cut_at_sentence_punctuation_and_parentheses():
    assert clauses("Copy of passport (valid for 3 months). Bring it.") == ["Copy of passport", "valid for 3 months", "Bring it"]
    assert clauses("Pavilion C3.3, 010017") == ["Pavilion C3.3, 010017"]


def test_a_translation_changed_where_the_print_did_not_is_located(copy):
    line = edit(copy, 2026, "temporary-residence-permit", PASSPORT, 'en: "Original passport or a notarised copy"')
    status, out, err = run_cli("--root", str(copy), "validate", "2026")
    assert status == 1 and out == ""
    lines = err.splitlines()
    # the new wording is also a change the register does not cover (tests/test_register.py)
    assert lines[-1] == "3 problems in 2 files" and lines[0].startswith("editions/2026/changes.yaml:")
    for problem in lines[1:3]:  # both located at the edited text
        assert problem.startswith(f"editions/2026/temporary-residence-permit.yaml:{line}:")
        assert "translation 2025→2026 temporary-residence-permit/employment/main/documents[passport]" in problem
    assert "changed in English only" in err
    # …and the same printed text is translated otherwise elsewhere.
    assert "found 'Original passport or a notarised copy' here and 'Original passport or notarised copy' at" in err


def test_one_printed_change_has_one_translation(copy):
    # The 2025 → 2026 passport validity change, translated back to the 2025 wording in one place.
    edit(copy, 2026, "employment-visa", "passport should be valid for at least 3 months",
         "passport should be valid for more than 3 months")
    status, _, err = run_cli("--root", str(copy), "validate", "2026")
    assert status == 1
    assert "changed in Russian only" in err and "expected one translation of the printed clause pair" in err


def test_a_reviewed_exception_is_data(copy):
    edit(copy, 2026, "temporary-residence-permit", PASSPORT, 'en: "Original passport or a notarised copy"')
    (copy / "content" / "translation-exceptions.yaml").write_text(
        "- old: 2025\n  new: 2026\n  where: temporary-residence-permit/employment/main/documents[passport]\n"
        "  reason: {en: \"reviewed: article added\", ru: \"проверено: добавлен артикль\"}\n", encoding="utf-8")
    register = copy / "editions" / "2026" / "changes.yaml"  # …and the register explains the new wording
    register.write_text(register.read_text(encoding="utf-8").replace(
        "      - group: text-visa-cancellation-holder-outside-main-process-1\n",
        "      - group: text-visa-cancellation-holder-outside-main-process-1\n"
        "      - {service: temporary-residence-permit/employment, document: passport}\n"), encoding="utf-8")
    status, out, err = run_cli("--root", str(copy), "validate", "2026")
    assert (status, err) == (0, "") and "2026: ok" in out
    (copy / "content" / "translation-exceptions.yaml").write_text("- old: 2025\n  where: x\n", encoding="utf-8")
    status, _, err = run_cli("--root", str(copy), "validate", "2026")
    assert status == 1 and err.startswith("content/translation-exceptions.yaml:1:3: [0]: expected {old: YEAR")


def test_the_two_editions_have_no_asymmetry_in_either_direction():
    library = _cached_library(ROOT, None)
    assert asymmetries(library.editions[2025], library.editions[2026]) == []


def test_validating_one_edition_checks_it_against_the_one_before(copy):
    """`validate 2026` loads 2025 to check the pair (translations, register); `validate 2025`
    has no edition before it and does not answer for 2026's."""
    line = edit(copy, 2026, "temporary-residence-permit", PASSPORT, 'en: "Original passport or a notarised copy"')
    status, out, err = run_cli("--root", str(copy), "validate", "2026")
    lines = err.splitlines()
    assert status == 1 and out == "" and lines[-1] == "3 problems in 2 files"
    assert lines[0].startswith("editions/2026/changes.yaml:")
    assert all(p.startswith(f"editions/2026/temporary-residence-permit.yaml:{line}:") for p in lines[1:3])
    status, out, err = run_cli("--root", str(copy), "validate", "2025")
    assert (status, err) == (0, "") and out.startswith("2025: ok") and "2026" not in out
