"""The edition diff on the real 2025 → 2026 editions: golden outputs, the figures a careful
reader of the two printed guidebooks finds, the CLI and its filters."""
from __future__ import annotations

import csv
import functools
import io
import json
import re
from decimal import Decimal

import pytest

from conftest import ROOT, UPDATE, assert_golden, run_cli
from generator.changes.diff import KINDS, diff
from generator.changes.group import group
from generator.changes.materiality import MaterialityRule
from generator.edition.models import Text
from generator.edition.validate import available_years, load_library

GOLDEN = ROOT / "tests" / "golden" / "diff"


@functools.cache
def _cached_library(root, years):
    """One load per process for each project and years (the models are frozen); every year of the
    project is the same library as None (modules load both at import)."""
    if years is not None and sorted(years) == available_years(root):
        return _cached_library(root, None)
    return load_library(root, None if years is None else list(years))


@pytest.fixture(scope="module", autouse=True)
def load_once():
    """Validating both editions takes most of a second; these tests check the diff, so every
    in-process CLI run here reuses one validated library."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.cli.load_library",
                      lambda root, years=None: _cached_library(root, None if years is None else tuple(years)))
        yield


@pytest.fixture(scope="module")
def editions():
    library = _cached_library(ROOT, (2025, 2026))
    return library.editions[2025], library.editions[2026]


@pytest.fixture(scope="module")
def changes(editions):
    return diff(*editions)


def by_id(changes) -> dict:
    return {c.id: c for c in changes}


def assert_golden_bytes(path, actual: bytes) -> None:
    """Like assert_golden, byte for byte (a CSV's BOM and CRLF row ends are part of it)."""
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    assert path.exists(), f"golden file {path} is missing (run with UPDATE_GOLDEN=1 and review it)"
    assert actual == path.read_bytes()


# -- golden outputs -----------------------------------------------------------------------------

def test_text_output_is_golden():
    status, out, err = run_cli("diff", "2025", "2026", "--raw")
    assert (status, err) == (0, "")
    assert_golden(GOLDEN / "2025-2026.txt", out)


def test_text_output_by_register_entry_is_golden():
    status, out, err = run_cli("diff", "2025", "2026")
    assert (status, err) == (0, "")
    assert_golden(GOLDEN / "2025-2026-by-entry.txt", out)
    status, ru, _ = run_cli("diff", "2025", "2026", "--lang", "ru")
    assert status == 0 and "== Сбор повышен (4) ==" in ru
    assert "[trp-employee-fee-raised] Разрешение на временное проживание: сервисный сбор повышен" in ru


def test_markdown_output_by_register_entry_is_golden():
    """Like the text: by effect, each entry anchored by its id, the changes it covers (each with
    its own anchor) under it; `--raw` keeps the diff's own order."""
    status, out, err = run_cli("diff", "2025", "2026", "--format", "markdown")
    assert (status, err) == (0, "")
    assert "## Fee raised (4)" in out and '<a id="trp-employee-fee-raised"></a>' in out
    assert '<a id="fee-other-services-iin-main-0-personal-manager"></a>' in out
    assert_golden(GOLDEN / "2025-2026-by-entry.md", out)
    status, raw, _ = run_cli("diff", "2025", "2026", "--format", "markdown", "--raw")
    assert status == 0 and "## Fee raised" not in raw and raw != out


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_changes_page_markdown_is_golden(lang):
    """The changes page as rendered (before MkDocs), in both languages."""
    page = _rendered_site().files[f"{lang}/changes/2025-2026/index.md"]
    assert_golden(ROOT / "tests" / "golden" / "changes" / f"{lang}-2025-2026.md", page)


@functools.cache
def _rendered_site():
    from generator.site.hooks import generate
    return generate(ROOT)


def test_json_output_is_golden():
    status, out, err = run_cli("diff", "2025", "2026", "--format", "json")
    assert (status, err) == (0, "")
    assert_golden(GOLDEN / "2025-2026.json", out)


def test_csv_output_is_golden():
    status, out, err = run_cli("diff", "2025", "2026", "--format", "csv")
    assert (status, err) == (0, "")
    assert_golden_bytes(GOLDEN / "2025-2026.csv", out.encode("utf-8"))


# -- what a careful reader finds ----------------------------------------------------------------

MONEY = {  # id → (kind, old, new, material): every fee and MCI-based amount that moved;
    # the MCI and the state fees that follow it are material: an applicant pays more
    "mci": ("mci", 3932, 4325, True),
    "fee-employment-visa-invitation-outside-expat-centre-0-state": ("indexation", 1966, Decimal("2162.5"), True),
    "fee-employment-visa-visa-inside-main-0-state": ("indexation", 117960, 129750, True),
    # R26 174 prints "-" in the state fee column: a printed zero (Δ −1 966 KZT, −100 %), no amount kept.
    "fee-investor-visa-invitation-outside-expat-centre-0-state": ("state-fee", 1966, None, True),
    "fee-temporary-residence-permit-employment-main-0-service": ("fee", 210000, 240000, True),
    # "For Expert": printed blank in 2025, so a fee that appears (never 210 000 → 200 000).
    "fee-temporary-residence-permit-employment-main-1-service": ("fee", None, 200000, True),
    "fee-temporary-residence-permit-business-immigrant-initial-0-service": ("fee", 210000, 240000, True),
    "fee-temporary-residence-permit-business-immigrant-extension-0-service": ("fee", 210000, 240000, True),
    "fee-permanent-residence-permit-permit-main-0-state": ("indexation", 15728, 17300, True),
    "fee-short-term-business-visa-invitation-outside-expat-centre-0-personal-manager": ("personal-manager-fee", 260000, 270000, True),
    "fee-short-term-business-visa-invitation-outside-expat-centre-0-state": ("indexation", 1966, Decimal("2162.5"), True),
    "fee-long-term-business-visa-invitation-outside-expat-centre-0-personal-manager": ("personal-manager-fee", 260000, 270000, True),
    "fee-long-term-business-visa-invitation-outside-expat-centre-0-state": ("indexation", 1966, Decimal("2162.5"), True),
    "fee-long-term-business-visa-visa-inside-main-0-personal-manager": ("personal-manager-fee", 260000, 270000, True),
    "fee-long-term-business-visa-visa-inside-main-0-state": ("indexation", 117960, 129750, True),
    "fee-long-term-business-visa-business-immigrant-extension-main-0-personal-manager": ("personal-manager-fee", 260000, 270000, True),
    "fee-long-term-business-visa-business-immigrant-extension-main-0-state": ("indexation", 117960, 129750, True),
    "fee-visa-cancellation-holder-inside-main-0-state": ("indexation", 1966, Decimal("2162.5"), True),
    "fee-other-services-iin-main-0-personal-manager": ("personal-manager-fee", 120000, 140000, True),
    "fee-other-services-iin-main-0-priority": ("priority-fee", 40000, 40000, False),
    "fee-other-services-tax-residence-certificate-main-0-service": ("fee", 80000, 100000, True),
    "fee-other-services-tax-residence-certificate-main-0-personal-manager": ("personal-manager-fee", 280000, 300000, True),
    "fee-other-services-digital-signature-main-0-personal-manager": ("personal-manager-fee", 120000, 140000, True),
    "fee-other-services-digital-signature-main-0-priority": ("priority-fee", 40000, 40000, False),
}


def test_every_money_change_and_nothing_else(changes):
    money = {c.id: (c.kind, c.old, c.new, c.material) for c in changes
             if c.kind in ("mci", "fee", "personal-manager-fee", "priority-fee", "state-fee", "indexation")}
    assert money == MONEY


def test_mci_comes_first_and_deltas_are_exact(changes):
    assert changes[0].id == "mci" and changes[0].delta_kzt == 393
    index = by_id(changes)["fee-employment-visa-invitation-outside-expat-centre-0-state"]
    assert index.delta_kzt == Decimal("196.5") and index.old_parts == (("mci", Decimal("0.5")), ("mci_kzt", 3932))
    # 393 / 3932 = 9.9949… %: below the 10 % threshold, though it would round to 10.0.
    assert Decimal("9.99") < index.delta_pct < Decimal("10")


def test_walk_in_price_becomes_a_priority_surcharge_with_the_same_total(changes):
    iin = by_id(changes)["fee-other-services-iin-main-0-priority"]
    assert iin.old_parts == (("walk_in", 40000),)
    assert iin.new_parts == (("service", 20000), ("priority", 20000))
    assert (iin.delta_kzt, iin.delta_pct, iin.label.en) == (0, 0, "IIN generation")
    # 2025's total rests on our reading that the walk-in price replaces the service fee.
    assert iin.assumes == ("walk-in-instead-of-service-fee",)


def test_documents_added_and_removed(changes):
    moved = sorted((c.service, c.action, c.field) for c in changes
                   if c.kind == "document" and c.action != "changed")
    assert moved == [
        ("investor-visa/invitation-outside", "added", "documents[shareholder-resolution-and-appointment-order]"),
        ("investor-visa/invitation-outside", "removed", "documents[appointment-order]"),
        ("investor-visa/invitation-outside", "removed", "documents[shareholder-resolution]"),
        # The B2 contract was redefined: two documents, not one id with two meanings.
        ("long-term-business-visa/invitation-outside", "added", "documents[consulting-audit-installation-contract@category-b2]"),
        ("long-term-business-visa/invitation-outside", "removed", "documents[expert-or-service-contract@category-b2]"),
        ("long-term-business-visa/visa-inside", "added", "documents[consulting-audit-installation-contract@category-b2]"),
        ("long-term-business-visa/visa-inside", "removed", "documents[expert-or-service-contract@category-b2]"),
        ("temporary-residence-permit/employment", "added", "documents[trp-application-form]"),
        ("temporary-residence-permit/employment", "removed", "documents[trp-request-letter]"),
    ]
    assert all(c.material for c in changes if c.kind == "document" and c.action != "changed")


def test_qualifier_changes_are_typed_facts_of_one_document_record(changes):
    fingerprint = by_id(changes)["doc-investor-visa-visa-inside-main-fingerprint-certificate"]
    # "fingerprinting and verification" (2025) → "fingerprinting / verification" (2026): one suffices.
    # (2026's «в 2025 году» is a misprint of the current year, sic and dated: no change of date.)
    assert fingerprint.facts == (("contents_any", False, True, "relaxed"),) and fingerprint.material
    passport = by_id(changes)["doc-visa-cancellation-holder-inside-main-passport"]
    assert passport.facts == (("forms", ("original",), (), "removed"),) and passport.material
    attorney = by_id(changes)["doc-employment-visa-invitation-outside-expat-centre-power-of-attorney"]
    assert attorney.facts == (("if_applicable", True, False, "tightened"),)
    # One record per document: its facts and its wording (both languages) together.
    assert attorney.old.en.startswith("Power of attorney, along with") and attorney.new.ru.startswith("Доверенность")
    assert len([c for c in changes if c.id.startswith("doc-employment-visa-invitation-outside-expat-centre-power")]) == 1
    assert not [c for c in changes if c.kind == "text" and "documents[" in c.field]


def test_no_service_added_or_removed_and_contacts_changes(changes):
    assert not [c for c in changes if c.kind == "service"]
    contacts = {(c.field, c.action, c.old, c.new) for c in changes if c.kind == "contacts"}
    assert contacts == {
        ("phones[+7 (7172) 64 73 40].hours", "changed", "14:30-18:00", "14:00-18:00"),
        ("phones[+7 (7172) 64 72 99].hours", "removed", "14:30-18:00", None),
        ("phones[+7 (7172) 64 72 61].hours", "removed", "14:30-18:00", None),
    }


def test_text_changes_are_one_bilingual_record_and_ignore_fixed_misprints(changes):
    texts = [c for c in changes if c.kind == "text"]
    assert texts and all(isinstance(c.old or c.new, Text) and not c.material for c in texts)
    # "Consent from" (2025, sic "Consent form") → "Consent form" (2026) is a typo fixed, not a change.
    assert not [c for c in changes if c.field.startswith("documents[consent-form]")]
    overview = by_id(changes)["text-overview-2"]
    for lang in ("en", "ru"):
        words = overview.words_in(lang)
        assert ("insert", "", "") not in words
        assert "".join(old for op, old, _ in words if op != "insert") == overview.old.get(lang)
        assert "".join(new for op, _, new in words if op != "delete") == overview.new.get(lang)


# -- the measured cases of alignment by content ---------------------------------------------------

def test_a_split_paragraph_is_one_change_not_an_addition(changes):
    invitation = [c for c in changes if c.service == "employment-visa/invitation-outside" and c.kind == "text"]
    assert not [c for c in invitation if c.action == "added"]
    split, = [c for c in invitation if "approved invitation must be sent" in (c.new.en if c.new else "")]
    assert (split.relation, split.field) == ("split", "description[0]+description[1]")
    assert "approved invitation must be sent to the invited foreigner" in split.old.en


def test_a_note_that_became_a_bullet_is_a_move(changes):
    embassy = [c for c in changes if c.service == "investor-visa/invitation-outside" and c.step == "embassy"
               and c.kind == "text"]
    move, = embassy
    assert (move.action, move.relation, move.field) == ("changed", "moved", "process[0]")
    assert move.old.en.startswith("Contact the Embassy") and move.new.en.startswith("Information on consular fees")


def test_address_lines_in_another_order_are_no_change(changes):
    assert not [c for c in changes if c.kind == "contacts" and c.field.startswith("address")]


def test_the_real_change_among_them_is_reported(changes):
    trp = [c for c in changes if c.service == "temporary-residence-permit/business-immigrant" and c.kind == "text"
           and c.field.startswith("description")]
    change, = trp
    deleted = " ".join(old for op, old, _ in change.words_in("en") if op in ("delete", "replace"))
    assert "During this period" in deleted


def test_every_text_change_changes_both_languages(changes):
    one_sided = [c.id for c in changes if c.is_text and bool(c.words_in("en")) != bool(c.words_in("ru"))]
    assert one_sided == []


def test_a_change_repeated_in_services_is_one_group(changes):
    groups = group(changes)
    attorney = next(g for g in groups if g.id == "doc-employment-visa-invitation-outside-expat-centre-power-of-attorney")
    assert len(attorney.services) == 12 and attorney.material
    assert {m.facts for m in attorney.members} == {(("if_applicable", True, False, "tightened"),)}
    assert sum(len(g.members) for g in groups) == len(changes)


def test_material_only_is_fees_and_requirements_not_wording(changes):
    material = [c for c in changes if c.material]
    assert {c.kind for c in material} <= {"fee", "personal-manager-fee", "state-fee", "priority-fee", "document",
                                          "step", "timeframe", "note", "service", "condition", "mci", "indexation"}
    money = {c.id for c in changes if c.kind in ("fee", "personal-manager-fee", "state-fee") and c.delta_kzt}
    assert money <= {c.id for c in material}
    assert all(c.facts or c.action != "changed" for c in material if c.kind == "document")


def test_ids_are_unique_anchor_safe_and_stable(editions, changes):
    ids = [c.id for c in changes]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
    assert diff(*editions) == changes
    assert "fee-other-services-iin-main-0-personal-manager" in ids


def test_provenance_lines_of_both_editions(changes):
    # The fee option's own table row (E25 623 "Assistance in obtaining an IIN", R26 641 "Формирование
    # ИИН"), not the service heading (608, 628).
    pm = by_id(changes)["fee-other-services-iin-main-0-personal-manager"]
    assert (pm.old_line, pm.new_line) == (623, 641)
    trp = by_id(changes)["fee-temporary-residence-permit-employment-main-0-service"]
    assert (trp.old_line, trp.new_line) == (263, 274)  # "For Employee" rows
    passport = by_id(changes)["doc-investor-visa-invitation-outside-embassy-passport"]
    assert (passport.old_line, passport.new_line) == (177, 184)  # the bullets, not the headings
    expert = by_id(changes)["fee-temporary-residence-permit-employment-main-1-service"]
    assert (expert.old_line, expert.new_line) == (264, 275)  # the 2025 row is printed, its fee cell blank


def mirrored_words(words):
    swap = {"delete": "insert", "insert": "delete"}
    return tuple((swap.get(op, op), new, old) for op, old, new in words)


def test_the_real_pair_mirrors(editions, changes):
    backward = by_id(diff(editions[1], editions[0]))
    assert set(backward) == {c.id for c in changes}
    for change in changes:
        assert backward[change.id] == change.mirrored()
        for lang, words in change.words.items():
            assert backward[change.id].words_in(lang) == mirrored_words(words)


def test_an_edition_diffed_with_itself_is_empty(editions):
    assert diff(editions[0], editions[0]) == () and diff(editions[1], editions[1]) == ()


def test_materiality_rule_is_configurable(editions):
    old, new = editions
    thresholds = diff(old, new, rule=MaterialityRule(pct=Decimal(10), kzt=Decimal(50000)))
    assert not by_id(thresholds)["fee-short-term-business-visa-invitation-outside-expat-centre-0-personal-manager"].material
    # An applicant pays more when the MCI rises: indexation is material unless a rule leaves it out.
    assert by_id(diff(old, new))["fee-employment-visa-visa-inside-main-0-state"].material
    unindexed = diff(old, new, rule=MaterialityRule(indexation=False))
    assert not by_id(unindexed)["fee-employment-visa-visa-inside-main-0-state"].material
    loose = diff(old, new, rule=MaterialityRule(pct=Decimal(50), kzt=Decimal(10**6), kinds=frozenset()))
    assert not any(c.material for c in loose if c.action == "changed")


# -- CLI ----------------------------------------------------------------------------------------

def test_unknown_edition_lists_those_there_are():
    status, out, err = run_cli("diff", "2025", "1999")
    there = ", ".join(map(str, available_years(ROOT)))
    assert (status, out) == (2, "")
    assert err == f"guidebook: error: unknown edition '1999'; the editions there are: {there}\n"


def test_unknown_section_and_kind_are_usage_errors():
    status, _, err = run_cli("diff", "2025", "2026", "--section", "moon")
    assert status == 2 and "the sections there are: employment-visa, investor-visa" in err
    status, _, err = run_cli("diff", "2025", "2026", "--kind", "colour")
    assert status == 2 and "the kinds there are: " + ", ".join(KINDS) in err


def test_filters():
    status, out, _ = run_cli("diff", "2025", "2026", "--format", "json", "--material-only",
                             "--section", "other-services")
    data = json.loads(out)
    assert status == 0 and data["counts"] == {"fee": 1, "personal-manager-fee": 3, "condition": 3}
    assert all(m["material"] and m["section"] == "other-services" for g in data["changes"] for m in g["members"])
    status, out, _ = run_cli("diff", "2025", "2026", "--kind", "indexation", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert status == 0 and len(rows) == 17 and {r[9] for r in rows[1:]} == {"indexation"}
    assert {r[2] for r in rows[1:]} == {"en", "ru"}


def test_json_schema_has_decimal_strings(changes):
    status, out, _ = run_cli("diff", "2025", "2026", "--format", "json")
    data = json.loads(out)
    assert (data["schema"], data["old"], data["new"]) == ("expat-guidebook/edition-diff/2", 2025, 2026)
    groups = group(changes)
    assert data["material"] == sum(g.material for g in groups) and len(data["changes"]) == len(groups)
    assert data["records"] == len(changes) == sum(len(g["members"]) for g in data["changes"])
    index = next(m for g in data["changes"] for m in g["members"] if m["id"] == "fee-employment-visa-visa-inside-main-0-state")
    assert (index["old"], index["new"], index["delta_kzt"]) == ("117960", "129750", "11790")
    assert index["new_parts"] == {"mci": "30", "mci_kzt": "4325"}
    assert not re.search(r"\":\s*-?\d+\.\d", out)  # no float value anywhere


def test_output_file_and_markdown(tmp_path):
    target = tmp_path / "diff.csv"
    status, out, err = run_cli("diff", "2025", "2026", "--format", "csv", "--output", str(target))
    assert status == 0 and out == "" and "written to" in err
    data = target.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    assert data == (GOLDEN / "2025-2026.csv").read_bytes()
    status, out, _ = run_cli("diff", "2025", "2026", "--format", "markdown", "--raw")
    assert status == 0 and out.startswith("# Changes from the 2025 to the 2026 edition")
    assert '<a id="fee-other-services-iin-main-0-personal-manager"></a>' in out
    assert ("</a>Other immigration and tax services › Individual identification number (IIN); Other immigration and tax "
            "services › Electronic digital signature (EDS) | Personal-manager fee · IIN generation | 120 000 KZT | "
            "140 000 KZT |") in out
    assert_golden(GOLDEN / "2025-2026.md", out)
