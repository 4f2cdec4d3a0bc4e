"""The change register (`editions/<year>/changes.yaml`, checked by `guidebook validate`): every
change of the diff is covered by exactly one entry, every entry covers something, an entry's
effect agrees with what it covers; problems are located in the register. On the real 2025 →
2026 pair and on copies of the project edited to break it."""
from __future__ import annotations

import json
import re

from conftest import ROOT, run_cli
from generator.changes.diff import diff
from generator.changes.register import EFFECTS, agrees, check, context, explanation
from test_diff import _cached_library

REGISTER = "editions/2026/changes.yaml"
RAISED = "  - id: trp-employee-fee-raised\n    effect: fee-raised"
LOWERED = "  - id: trp-employee-fee-raised\n    effect: fee-lowered"



def edit(root, rel, old, new):
    file = root / rel
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {rel}"
    file.write_text(text.replace(old, new), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def line_of(root, rel, needle):
    text = (root / rel).read_text(encoding="utf-8")
    return text[:text.index(needle)].count("\n") + 1


def entry_index(root, ident):
    """The position of an entry in the register (as `entries[N]` in a problem's field path)."""
    ids = re.findall(r"^  - id: (\S+)$", (root / REGISTER).read_text(encoding="utf-8"), re.M)
    return ids.index(ident)


def validate(root):
    """`validate 2026`: the register under test is 2026's (an edition after it answers for its own pair)."""
    status, out, err = run_cli("--root", str(root), "validate", "2026")
    return status, err.splitlines()


def test_the_2025_2026_register_is_complete():
    library = _cached_library(ROOT, None)
    assert check(library, ROOT) == []
    found = explanation(ROOT, library.editions[2025], library.editions[2026])
    assert found is not None
    changes = diff(library.editions[2025], library.editions[2026])
    assert found.uncovered == ()
    covered = [m.id for done in found.explained for g in done.groups for m in g.members]
    assert sorted(covered) == sorted(c.id for c in changes)  # each record once
    ctx = context(changes)
    assert all(agrees(done.entry.effect, m, ctx) for done in found.explained for m in done.records)


def test_every_material_change_is_explained_by_more_than_wording():
    library = _cached_library(ROOT, None)
    found = explanation(ROOT, library.editions[2025], library.editions[2026])
    assert found is not None
    for done in found.explained:
        if any(m.material for m in done.records):
            assert done.entry.effect not in ("wording-only", "misprint-corrected"), done.entry.id


def test_a_fee_changed_in_a_copy_is_an_uncovered_change(copy):
    text = (copy / "editions/2026/investor-visa.yaml").read_text(encoding="utf-8")
    first = text.index("730000")
    (copy / "editions/2026/investor-visa.yaml").write_text(text[:first] + "740000" + text[first + 6:], encoding="utf-8")
    status, lines = validate(copy)
    where = line_of(copy, REGISTER, "entries:")
    assert status == 1 and lines[-1] == "1 problem in 1 file"
    assert lines[0] == (f"{REGISTER}:{where}:1: entries: expected every change 2025→2026 covered by an entry, found "
                        "none covering 'fee-investor-visa-invitation-outside-expat-centre-0-service' (fee changed "
                        "Δ 10000 KZT, in investor-visa/invitation-outside)")


def test_an_entry_deleted_leaves_its_changes_uncovered(copy):
    text = (copy / REGISTER).read_text(encoding="utf-8")
    start = text.index("  - id: tax-residence-fees-raised")
    end = text.index("  - id: investor-invitation-state-fee-removed")
    (copy / REGISTER).write_text(text[:start] + text[end:], encoding="utf-8")
    status, lines = validate(copy)
    assert status == 1 and lines[-1] == "2 problems in 1 file"
    assert "none covering 'fee-other-services-tax-residence-certificate-main-0-service' (fee changed Δ 20000 KZT" in "".join(lines)
    assert "none covering 'fee-other-services-tax-residence-certificate-main-0-personal-manager'" in "".join(lines)


def test_an_entry_covering_nothing_is_located(copy):
    line = edit(copy, REGISTER, "  # -- conditions of a service", "  - id: nothing-at-all\n    effect: fee-raised\n"
                "    summary: {en: Nothing, ru: Ничего}\n    covers:\n      - {service: investor-visa/extension, kind: fee}\n"
                "  # -- conditions of a service")
    status, lines = validate(copy)
    assert status == 1 and lines[-1] == "2 problems in 1 file"
    assert lines == [
        f"{REGISTER}:{line}:5: entries[8]: expected an entry covering at least one change, found 'nothing-at-all' covering none",
        f"{REGISTER}:{line + 4}:9: entries[8].covers[0]: expected a selector matching a change 2025→, found none "
        "matching service: investor-visa/extension, kind: fee",
        "2 problems in 1 file"]


def test_an_effect_that_disagrees_is_located_at_the_selector(copy):
    edit(copy, REGISTER, RAISED, LOWERED)
    line = line_of(copy, REGISTER, "      - group: fee-temporary-residence-permit-employment-main-0-service")
    status, lines = validate(copy)
    assert status == 1 and lines[-1] == "3 problems in 1 file"  # one per record: three records, two services
    assert (f"{REGISTER}:{line}:9: entries[0].covers[0]: expected changes that agree with the effect "
            "'fee-lowered', found 'fee-temporary-residence-permit-employment-main-0-service' (fee changed Δ 30000 KZT)") in lines


def test_wording_cannot_cover_a_requirement_and_a_change_is_covered_once(copy):
    edit(copy, REGISTER, "      - group: doc-other-services-arrival-notification-main-passport-copy",
         "      - group: doc-other-services-arrival-notification-main-passport-copy\n      - document: medical-insurance")
    status, lines = validate(copy)
    assert status == 1
    assert any("covered here and by entry 'medical-insurance-validity-not-stated'" in line for line in lines)
    entry = "  - id: medical-insurance-validity-not-stated\n"
    text = (copy / REGISTER).read_text(encoding="utf-8")
    start = text.index(entry)
    at = text.index("    services: [temporary-residence-permit/business-immigrant]\n", start)
    (copy / REGISTER).write_text(text[:at] + "    services: [other-services/iin]\n"
                                 + text[at + len("    services: [temporary-residence-permit/business-immigrant]\n"):],
                                 encoding="utf-8")
    status, lines = validate(copy)
    assert any("services: expected the services of the changes covered (temporary-residence-permit/business-immigrant), "
               "found other-services/iin" in line for line in lines)


def test_relaxed_cannot_cover_a_tightening(copy):
    """2026 counts the passport's 3 months from the visa's expiry where 2025 counted from nothing
    (E25 177 "valid for more than 3 months" → R26 184 «не менее … 3 месяцев после истечения срока
    действия визы»): one fact looser ("at least"), one stricter. "Relaxed" over it is refused."""
    edit(copy, REGISTER, "  - id: passport-validity-after-visa-expiry\n    effect: requirement-changed",
         "  - id: passport-validity-after-visa-expiry\n    effect: requirement-relaxed")
    line = line_of(copy, REGISTER, "      - group: doc-investor-visa-invitation-outside-embassy-passport")
    status, lines = validate(copy)
    assert status == 1
    n = entry_index(copy, "passport-validity-after-visa-expiry")
    assert (f"{REGISTER}:{line}:9: entries[{n}].covers[1]: expected changes that agree with the effect "
            "'requirement-relaxed', found 'doc-investor-visa-invitation-outside-embassy-passport' (document changed "
            "requirement relaxed, tightened)") in lines
    assert lines[-1] == "6 problems in 1 file"  # one per list whose 3 months now count from the expiry


def test_removed_cannot_cover_a_document_still_listed(copy):
    """The fingerprint certificate is still listed in 2026 (R26 115 «Справка, подтверждающая
    прохождение дактилоскопии или верификации»); only "original" and "and" changed. "Removed"
    means no longer required, so it is refused."""
    edit(copy, REGISTER, "  - id: fingerprint-certificate-either\n    effect: requirement-relaxed",
         "  - id: fingerprint-certificate-either\n    effect: requirement-removed")
    line = line_of(copy, REGISTER, "      - group: doc-employment-visa-visa-inside-main-fingerprint-certificate")
    status, lines = validate(copy)
    assert status == 1 and lines[-1] == "6 problems in 1 file"  # one per list still printing it
    n = entry_index(copy, "fingerprint-certificate-either")
    assert (f"{REGISTER}:{line}:9: entries[{n}].covers[0]: expected changes that agree with the effect "
            "'requirement-removed', found 'doc-employment-visa-visa-inside-main-fingerprint-certificate' "
            "(document changed requirement relaxed)") in lines


def test_wording_cannot_cover_a_text_that_states_a_changed_condition(copy):
    """E25 556 names family members and the end of the contract; R26 574 neither: the paragraph
    carries two changed conditions, so it is not wording only."""
    text = (copy / REGISTER).read_text(encoding="utf-8")
    text = text.replace("      - group: text-visa-cancellation-holder-inside-description-0\n", "")
    text = text.replace("      - group: text-other-services-arrival-notification-description-1\n",
                        "      - group: text-other-services-arrival-notification-description-1\n"
                        "      - group: text-visa-cancellation-holder-inside-description-0\n")
    (copy / REGISTER).write_text(text, encoding="utf-8")
    line = line_of(copy, REGISTER, "      - group: text-visa-cancellation-holder-inside-description-0")
    status, lines = validate(copy)
    assert status == 1
    n = entry_index(copy, "descriptions-reworded")
    assert (f"{REGISTER}:{line}:9: entries[{n}].covers[8]: expected changes that agree with the effect 'wording-only', "
            "found 'text-visa-cancellation-holder-inside-description-0' (text changed, states a changed condition)") in lines


def test_a_draft_register_may_be_incomplete(copy):
    edit(copy, "editions/2026/edition.yaml", "status: published", "status: draft")
    text = (copy / REGISTER).read_text(encoding="utf-8")
    start = text.index("  - id: tax-residence-fees-raised")
    end = text.index("  - id: investor-invitation-state-fee-removed")
    (copy / REGISTER).write_text(text[:start] + text[end:], encoding="utf-8")
    status, lines = validate(copy)
    assert status == 0, lines
    # …but an effect that disagrees is wrong even in a draft.
    edit(copy, REGISTER, RAISED, LOWERED)
    status, lines = validate(copy)
    assert status == 1 and "agree with the effect 'fee-lowered'" in lines[0]


def test_a_published_edition_needs_its_register(copy):
    (copy / REGISTER).unlink()
    status, lines = validate(copy)
    assert status == 1 and lines == [
        "editions/2026/edition.yaml:1:1: expected the register of changes since 2025 (editions/2026/changes.yaml) "
        "for a published edition, found none", "1 problem in 1 file"]


def test_shape_problems_are_all_located(copy):
    since = edit(copy, REGISTER, "since: 2025", "since: 2024")
    line = edit(copy, REGISTER, "    effect: fee-added\n", "    effect: fee-doubled\n")
    sel = edit(copy, REGISTER, "      - kind: mci\n", "      - {kind: money, colour: red}\n")
    status, lines = validate(copy)
    assert status == 1 and lines[-1] == "3 problems in 1 file"
    assert f"{REGISTER}:{line}:13: entries[1].effect: expected one of " + ", ".join(EFFECTS) + ", found 'fee-doubled'" in lines
    assert any(f"{REGISTER}:{sel}:31: entries[7].covers[0].colour: unknown key 'colour'" in x for x in lines)
    assert any(f"{REGISTER}:{sel}:16: entries[7].covers[0].kind: expected one of mci, edition" in x and "found 'money'" in x for x in lines)
    # the since mismatch is reported once the shape is right
    edit(copy, REGISTER, "    effect: fee-doubled\n", "    effect: fee-added\n")
    edit(copy, REGISTER, "      - {kind: money, colour: red}\n", "      - kind: mci\n")
    status, lines = validate(copy)
    assert lines == [f"{REGISTER}:{since}:8: since: expected 2025 (the previous edition), found 2024", "1 problem in 1 file"]


def test_json_and_csv_carry_the_entries():
    status, out, _ = run_cli("diff", "2025", "2026", "--format", "json")
    data = json.loads(out)
    assert status == 0 and data["register"] == REGISTER
    entries = {e["id"]: e for e in data["entries"]}
    assert entries["trp-employee-fee-raised"]["changes"] == ["fee-temporary-residence-permit-employment-main-0-service"]
    assert sum(len(e["records"]) for e in entries.values()) == data["records"]
    assert all(len(g["entries"]) == 1 and all(m["entry"] == g["entries"][0] for m in g["members"]) for g in data["changes"])
    status, out, _ = run_cli("diff", "2025", "2026", "--format", "csv")
    rows = out.lstrip("\ufeff").splitlines()
    assert rows[0].endswith(",entry,effect,entry_summary")
    assert re.search(r"^fee-other-services-tax-residence-certificate-main-0-service,.*,tax-residence-fees-raised,Сбор повышен,",
                     out, re.M)
    status, raw, _ = run_cli("diff", "2025", "2026", "--format", "json", "--raw")
    assert json.loads(raw)["entries"] is None


def test_filters_keep_entries_with_something_left():
    status, out, _ = run_cli("diff", "2025", "2026", "--section", "other-services", "--material-only")
    assert status == 0
    assert "explained by 5 register entries" in out.splitlines()[0]
    assert "[iin-eds-personal-manager-fee-raised]" in out and "[tax-residence-fees-raised]" in out
    # the conditions of other services are material: where a step is done, when it is free, verification
    for entry in ("eds-activation-at-expat-centre", "fingerprinting-free-for-temporary-permit",
                  "fingerprint-verification-any-visa"):
        assert f"[{entry}]" in out
    assert "[trp-employee-fee-raised]" not in out


def test_the_changes_page_escapes_summaries_and_lists_what_no_entry_covers(copy):
    """Register summaries are YAML text: escaped on the page, never markup. A draft's register
    may leave changes uncovered: the page lists them apart, and the count stays the diff's."""
    import shutil

    from conftest import HOSTILE
    from generator.edition.validate import load_library
    from generator.site.render import render_site
    shutil.copytree(ROOT / "site_templates", copy / "site_templates")
    edit(copy, "editions/2026/edition.yaml", "status: published", "status: draft")
    hostile = " ".join(HOSTILE.values()).replace("\\", "\\\\").replace('"', '\\"')
    edit(copy, REGISTER, 'en: "Business visas: the personal-manager fee is raised from 260 000 to 270 000 KZT (+3.85 %) for the '
         'single-entry business visa invitation, the multiple-entry business visa invitation, the multiple-entry business '
         'visa within Kazakhstan and the business immigrant\'s visa extension."', f'en: "{hostile}"')
    text = (copy / REGISTER).read_text(encoding="utf-8")
    start, end = text.index("  - id: tax-residence-fees-raised"), text.index("  - id: investor-invitation-state-fee-removed")
    (copy / REGISTER).write_text(text[:start] + text[end:], encoding="utf-8")
    library = load_library(copy)
    out = render_site(library, library.ui, copy / "site_templates", copy / "content" / "pages",
                      include_drafts=True, root=copy)
    page = out.files["en/changes/2025-2026/index.md"]
    entry = page[page.index('<article id="business-visa-personal-manager-fee-raised"'):]
    entry = entry[:entry.index("</article>")]
    assert "<script>" not in entry and "<b>" not in entry and 'onclick="' not in entry
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in entry and "&amp;lt;script&amp;gt; stays text" in entry
    # the two tax-residence fee changes are no entry's: listed under "Not in the register"
    rest = page[page.index('id="effect-none"'):]
    assert 'id="fee-other-services-tax-residence-certificate-main-0-service"' in rest
    assert re.search(r"<strong>104 changes, explained by 51 register entries; 49 of the changes material; "
                     r"2 of the changes not yet in the register</strong>", page)
    assert 'data-count="entries">53<' in page  # 51 entries and the 2 changes no entry covers
