"""Conditions of a service as facts (edition/conditions.py): what the diff reports for each on the
real 2025 → 2026 pair, how their effects are typed, that `--material-only` keeps them (and the state
fees), and that check-source proves every quote. The expected outcomes are written from the two
printed editions (E25 = editions/2025 seed, R26 = editions/2026 seed), never from the YAML."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_cli
from generator.changes.diff import diff
from generator.edition.conditions import condition_effect, widened
from test_diff import _cached_library

# (service, kind, of) → (E25 line, R26 line, effect, material words of each side as printed)
PRINTED = {
    # E25 703 "Fingerprinting for work visas, investor visas, or residence permits is provided free of
    # charge …" → R26 720 «… рабочей, инвесторской визы или разрешения на временное проживание …»
    ("other-services/fingerprinting", "free-of-charge", "fingerprinting"): (703, 720, "tightened"),
    # E25 689 "when reapplying for a work visa or temporary residence permit" → R26 706 «на визу или …»
    ("other-services/fingerprinting", "verification", "fingerprints"): (689, 706, "tightened"),
    # E25 659 "a personal visit to the EDS centre" → R26 675 «личное обращение в ЭЦ»
    ("other-services/digital-signature", "place", "eds-activation"): (659, 675, "changed"),
    # E25 270 "During this period, the individual must …" → R26 279 «Далее необходимо …»
    ("temporary-residence-permit/business-immigrant", "deadline", "legal-entity-registration"): (270, 279, "relaxed"),
    # E25 556 "a foreign national and their family members" → R26 574 «иностранного гражданина, находящегося …»
    ("visa-cancellation/holder-inside", "covers", "cancellation"): (556, 574, "tightened"),
    # E25 556 "in the event of termination of a service agreement or employment contract" → R26 574: none
    ("visa-cancellation/holder-inside", "trigger", "cancellation"): (556, 574, "relaxed"),
    # E25 527 "left … upon the termination of Expert Agreement/…" → R26 543 «в случае выезда …»
    ("visa-cancellation/holder-outside", "trigger", "cancellation"): (527, 543, "relaxed"),
    # E25 515 "Long - term business visa extension" names no category; R26 531 «… (В2/В3)»
    ("long-term-business-visa/extension", "categories", "service"): (None, 531, "added"),
}


@pytest.fixture(scope="module")
def changes():
    library = _cached_library(ROOT, None)
    return diff(library.editions[2025], library.editions[2026])


def test_each_changed_condition_is_a_typed_change_citing_both_prints(changes):
    found = {}
    for c in changes:
        if c.kind == "condition":
            kind, _, of = c.field[len("conditions["):-1].partition(":")
            (_, old, new, effect), = c.facts
            found[(c.service, kind, of)] = (c.old_line, c.new_line, effect)
            assert c.material and (old, new) == (c.old, c.new)
            assert (c.old_quote is None) == (c.old_line is None) and c.new_quote is not None
    assert found == PRINTED


def test_the_quotes_are_the_printed_words_of_the_cited_lines(changes):
    library = _cached_library(ROOT, None)
    old, new = library.editions[2025], library.editions[2026]
    for c in changes:
        if c.kind == "condition" and c.old_quote is not None:
            assert c.old_quote.en in " ".join(old.printed[c.old_line - 1].replace("*", "").split())
            assert c.new_quote.ru in " ".join(new.printed[c.new_line - 1].replace("*", "").split())


@pytest.mark.parametrize("kind, old, new, effect", [
    # more cases needing verification: stricter; "visa" is every visa kind
    ("verification", ("work-visa", "temporary-residence-permit"), ("visa", "temporary-residence-permit"), "tightened"),
    # fewer permits whose paid fee makes fingerprinting free: stricter ("residence-permit" = both)
    ("free-of-charge", ("work-visa", "residence-permit"), ("work-visa", "temporary-residence-permit"), "tightened"),
    ("free-of-charge", ("work-visa",), ("work-visa", "investor-visa"), "relaxed"),
    ("covers", ("foreign-national", "family-members"), ("foreign-national",), "tightened"),
    ("trigger", ("departure", "contract-termination"), ("departure",), "relaxed"),
    ("deadline", (), ("within-initial-permit",), "tightened"),
    ("place", ("eds-centre",), ("expat-centre",), "changed"),
    ("covers", ("foreign-national",), ("family-members",), "changed"),
    ("place", None, ("expat-centre",), "added"),
    ("trigger", ("departure",), None, "removed"),
])
def test_condition_effects(kind, old, new, effect):
    assert condition_effect(kind, old, new) == effect


def test_wider_values_stand_for_every_kind_they_name():
    assert widened(("residence-permit",)) == {"temporary-residence-permit", "permanent-residence-permit"}
    assert "investor-visa" in widened(("visa",))


def test_material_only_keeps_the_state_fees_and_the_conditions():
    status, out, _ = run_cli("diff", "2025", "2026", "--format", "json", "--material-only")
    assert status == 0
    members = [m for g in json.loads(out)["changes"] for m in g["members"]]
    kinds = [m["kind"] for m in members]
    assert kinds.count("indexation") == 8 and kinds.count("mci") == 1  # the 8 MCI-based state fees
    assert kinds.count("condition") == len(PRINTED)
    removed = next(m for m in members if m["id"] == "fee-investor-visa-invitation-outside-expat-centre-0-state")
    # R26 174 prints "-" in the state fee column: a printed zero, so the difference is stated.
    assert (removed["delta_kzt"], removed["delta_pct"]) == ("-1966", "-100")


def test_check_source_reports_a_condition_quote_the_line_does_not_print(copy):
    file = copy / "editions/2026/other-services.yaml"
    text = file.read_text(encoding="utf-8")
    text = text.replace("{line: 720, quote:", "{line: 719, quote:")
    file.write_text(text, encoding="utf-8")
    status, out, err = run_cli("--root", str(copy), "check-source", "2026")
    assert status == 1
    assert "services[4].conditions[1].basis[0]: cited line 719" in out + err


def test_every_change_cites_a_line_that_prints_it_and_check_source_proves_it(changes):
    """check-source YEAR re-reads each cited line: the real pair has no problem; a change whose
    line is moved to its service heading (the TRP fee at E25 231 / R26 238 instead of its rows
    E25 263 / R26 274) is reported."""
    from dataclasses import replace

    from generator.editorial.check_lines import check_change_lines
    library = _cached_library(ROOT, None)
    old, new = library.editions[2025], library.editions[2026]
    assert check_change_lines(old, new, changes) == []
    moved = [replace(c, new_line=238) if c.id == "fee-temporary-residence-permit-employment-main-0-service" else c
             for c in changes]
    assert check_change_lines(old, new, moved) == [
        "change fee-temporary-residence-permit-employment-main-0-service: 2026 line 238 is not a fee table row"]
    worded = [replace(c, new_line=c.new_line + 1) if c.id == "text-visa-cancellation-holder-inside-description-0" else c
              for c in changes]
    problems = check_change_lines(old, new, worded)
    assert len(problems) == 1 and problems[0].startswith(
        "change text-visa-cancellation-holder-inside-description-0: 2026 line 575 does not print")
