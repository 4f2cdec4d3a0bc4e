"""`guidebook lint`: every check fires on the lint fixture, located at file:line:col with a
code and a fix hint; `sic` fixes a finding, `waive` accepts it with a reason; the real
editions have no open finding."""
from __future__ import annotations

import re

from conftest import FIXTURES, ROOT, make_project, run_cli
from generator.edition.validate import LINT_CODES, available_years

LINT = FIXTURES / "lint"
SECTION = ("editions", "2030", "test-visas.yaml")


def _lint_project(tmp_path):
    return make_project(tmp_path, LINT)


def _edit(root, old: str, new: str) -> None:
    file = root.joinpath(*SECTION)
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_every_check_fires_on_the_fixture(tmp_path):
    root = _lint_project(tmp_path)
    status, out, err = run_cli("--root", str(root), "lint", "--all", "2030")
    assert (status, err) == (1, "")
    assert out == (LINT / "expected.txt").read_text(encoding="utf-8")
    fired = set(re.findall(r"^editions/2030/test-visas\.yaml:\d+:\d+: ([a-z-]+): .*; fix: ", out, re.MULTILINE))
    assert fired == set(LINT_CODES)  # every code fires, open, with a fix hint


def test_only_open_findings_are_listed_without_all(tmp_path):
    root = _lint_project(tmp_path)
    status, out, _ = run_cli("--root", str(root), "lint", "2030")
    assert status == 1 and "[fixed by sic]" not in out
    assert out.splitlines()[-1] == "lint 2030: 10 finding(s): 9 open, 1 fixed by sic, 0 waived"


def test_sic_fixes_and_waive_accepts_a_finding(tmp_path):
    root = _lint_project(tmp_path)
    _edit(root, 'ru: "Оплатите сервисный сбор. Выдаётся многократная виза"}',
          'ru: "Оплатите сервисный сбор. Выдаётся многократная виза", '
          'sic: {en: "Pay the service fee. A multiple entry visa, not a multiple-entry one, is issued"}, '
          'waive: {term-forms: "quoted from the print on purpose"}}')
    _edit(root, 'ru: "Согласие для визы категории C3"}',
          'ru: "Согласие для визы категории C3", waive: {misprint: "nothing to waive here"}}')
    status, out, _ = run_cli("--root", str(root), "lint", "--all", "2030")
    assert status == 1
    assert re.search(r"^editions/2030/test-visas\.yaml:65:44: doubled-punctuation: doubled punctuation «\.\.» "
                     r"\[fixed by sic\]$", out, re.MULTILINE)
    assert re.search(r"^editions/2030/test-visas\.yaml:65:49: term-forms: .* \[waived: quoted from the print on "
                     r"purpose\]$", out, re.MULTILINE)
    assert re.search(r"^editions/2030/test-visas\.yaml:62:\d+: unused-waiver: the waiver of misprint waives "
                     r"nothing in this text; fix: remove the waiver$", out, re.MULTILINE)


def test_validate_accepts_waivers_and_rejects_unknown_codes_or_empty_reasons(tmp_path):
    root = _lint_project(tmp_path)
    _edit(root, 'ru: "Согласие для визы категории C3"}',
          'ru: "Согласие для визы категории C3", waive: {mixed-script: "printed so"}}')
    assert run_cli("--root", str(root), "validate", "2030")[0] == 0
    _edit(root, 'waive: {mixed-script: "printed so"}', 'waive: {typo: "printed so", term-forms: ""}')
    status, _, err = run_cli("--root", str(root), "validate", "2030")
    assert status == 1
    assert ".waive.typo: unknown lint code 'typo'; expected one of: stale-year, mixed-script" in err
    assert ".waive.term-forms: expected the reason for the waiver (a text), found ''" in err


def test_the_real_editions_have_no_open_finding():
    years = [str(y) for y in available_years(ROOT)]
    status, out, err = run_cli("lint", *years)
    assert (status, err) == (0, ""), out
    for line in out.splitlines():
        assert re.fullmatch(r"lint \d+: \d+ finding\(s\): 0 open, \d+ fixed by sic, \d+ waived", line), line


# A document whose validity the print states differently in two services: the words that differ
# are the facts that differ (3 → 6 months), not a slip; a misspelt word beside them still is.
PASSPORT_3 = ('text: {en: "Original passport", ru: "Оригинал паспорта"}',
              'text: {en: "Original passport valid for at least 3 months after the visa expires", ru: "Оригинал паспорта"}'
              '\n            validity: {at_least: 3, unit: months, counted_from: visa-expiry}')
PASSPORT_2029 = 'text: {en: "Original passport, checked in 2029", ru: "Оригинал паспорта, проверенный в 2029 году"}'


def _passport_lint(tmp_path, wording: str, validity: str) -> list[str]:
    root = _lint_project(tmp_path)
    _edit(root, *PASSPORT_3)
    _edit(root, PASSPORT_2029, f'text: {{en: "{wording}", ru: "Оригинал паспорта"}}\n            validity: {validity}')
    assert run_cli("--root", str(root), "validate", "2030")[0] == 0
    status, out, err = run_cli("--root", str(root), "lint", "2030")
    return [line for line in out.splitlines() if "document passport" in line]


def test_a_changed_validity_fact_is_not_a_wording_slip(tmp_path):
    assert _passport_lint(tmp_path, "Original passport valid for at least 6 months after the visa expires",
                          "{at_least: 6, unit: months, counted_from: visa-expiry}") == []
    # "at least 3 months" → "more than 180 calendar days": bound, amount and unit, all facts
    assert _passport_lint(tmp_path / "b", "Original passport valid for more than 180 calendar days after the visa expires",
                          "{more_than: 180, unit: calendar-days, counted_from: visa-expiry}") == []


def test_a_slip_beside_a_changed_fact_is_still_a_slip(tmp_path):
    assert _passport_lint(tmp_path, "Original pasport valid for at least 6 months after the visa expires",
                          "{at_least: 6, unit: months, counted_from: visa-expiry}") == [
        "editions/2030/test-visas.yaml:21:25: document-wording: the document passport is worded «original passport "
        "valid for…» here but «original pasport valid for…» in test-visas/extension; fix: add sic if this copy is a slip, "
        "or waive: {document-wording: why the print differs}",
        "editions/2030/test-visas.yaml:58:25: document-wording: the document passport is worded «original pasport "
        "valid for…» here but «original passport valid for…» in test-visas/visa-inside; fix: add sic if this copy is a slip, "
        "or waive: {document-wording: why the print differs}"]


def test_a_number_whose_fact_did_not_change_is_a_slip(tmp_path):
    """6 months printed where the validity fact says 3, as in the other copy: the wording is the slip."""
    assert _passport_lint(tmp_path, "Original passport valid for at least 6 months after the visa expires",
                          "{at_least: 3, unit: months, counted_from: visa-expiry}") == [
        "editions/2030/test-visas.yaml:21:25: document-wording: the document passport is worded «…for at least 3 months "
        "after…» here but «…for at least 6 months after…» in test-visas/extension; fix: add sic if this copy is a slip, "
        "or waive: {document-wording: why the print differs}",
        "editions/2030/test-visas.yaml:58:25: document-wording: the document passport is worded «…for at least 6 months "
        "after…» here but «…for at least 3 months after…» in test-visas/visa-inside; fix: add sic if this copy is a slip, "
        "or waive: {document-wording: why the print differs}"]
