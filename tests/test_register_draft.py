"""`guidebook register draft YEAR`: one entry per change the register does not cover, with the
effect the facts imply, its services, `group:` selectors and summaries in both languages, each
marked `draft: true`; the editor's text kept byte for byte; a second run drafts nothing; the
drafted register validates for a draft edition (nothing left uncovered) and a published
edition refuses `draft: true`. On copies only: the fixture edition with a 2031 edited from it,
and the real 2026 with its register cut. (A 2027 made from 2026 by `new-edition`, edited and
drafted, its drafted register golden: tests/test_edition_2027.py, the editor's whole path.)

The expected effects come from the edits each test makes (tables below), not from the YAML."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, assert_golden, make_project, run_cli
from generator.editorial import roundtrip

GOLDEN = ROOT / "tests" / "golden" / "register"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} is not {count}× in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- the fixture edition: 2030 → 2031 -----------------------------------------------------------

# (the edit made to a copy of the fixture's 2030, the effect it implies, the services it is in)
FIXTURE_EDITS = (
    (("edition.yaml", "effective_from: 2030-01-01", "effective_from: 2031-01-01"), "edition-details", ()),
    (("edition.yaml", 'GUIDEBOOK – 2030", ru: "РУКОВОДСТВО – 2030', 'GUIDEBOOK – 2031", ru: "РУКОВОДСТВО – 2031'),
     "edition-details", ()),
    (("test-visas.yaml", "service: 40000", "service: 45000"), "fee-raised", ("test-visas/visa-inside",)),
    (("test-visas.yaml", "service: 45000\n              personal_manager: 260000",
      "service: 45000\n              personal_manager: 250000"), "fee-lowered", ("test-visas/visa-inside",)),
    (("test-visas.yaml", "timeframe: {value: 1, unit: business-days}", "timeframe: {value: 2, unit: business-days}"),
     "deadline-changed", ("test-visas/visa-inside",)),
    (("test-visas.yaml", "            forms: [original]\n", "            forms: [original]\n            copies: 2\n"),
     "requirement-added", ("test-visas/visa-inside",)),
    (("test-visas.yaml", '{en: "Consent from", ru: "Согласие на обработку персональных данных", sic: {en: "Consent form"}}',
      '{en: "Consent form", ru: "Согласие на обработку персональных данных"}'),
     "misprint-corrected", ("test-visas/visa-inside",)),
    (("test-visas.yaml", '{en: "Submit documents to the AIFC Portal", ru: "Загрузить документы через Портал МФЦА"}',
      '{en: "Submit the documents to the AIFC Portal", ru: "Загрузите документы через Портал МФЦА"}'),
     "wording-only", ("test-visas/visa-inside",)),
)


def _fixture_2031(tmp_path: Path, register: str | None = None) -> Path:
    """The fixture project with a draft 2031 copied from 2030 and edited (FIXTURE_EDITS), its
    extension service removed; `register`: its changes.yaml, if any."""
    root = make_project(tmp_path)
    draft = root / "editions" / "2031"
    shutil.copytree(root / "editions" / "2030", draft)
    _edit(draft / "edition.yaml", "year: 2030", "year: 2031")
    _edit(draft / "edition.yaml", "status: published", "status: draft")
    for (file, old, new), _, _ in FIXTURE_EDITS:
        _edit(draft / file, old, new)
    section = draft / "test-visas.yaml"
    text = section.read_text(encoding="utf-8")
    start, end = text.index("  - id: extension"), text.index("# The site prefixes")
    section.write_text(text[:start] + text[end:], encoding="utf-8")
    if register is not None:
        (draft / "changes.yaml").write_text(register, encoding="utf-8")
    return root


def _entries(root: Path, year: int) -> list[dict]:
    return list(roundtrip.load((root / "editions" / str(year) / "changes.yaml").read_text(encoding="utf-8"))["entries"])


UNREAD = "; {n} register entries drafted by `guidebook register draft`, not yet read by an editor (draft: true)"
DRAFTED = ("drafted {n} entries in editions/{year}/changes.yaml, one per change {old}→{year} its register did not "
           "cover (marked draft: true); their summaries need an editor: read each entry against the print, then "
           "remove `draft: true`\n")


def test_the_fixture_pair_is_drafted_from_its_facts(tmp_path):
    root = _fixture_2031(tmp_path)
    status, out, err = run_cli("--root", str(root), "register", "draft", "2031")
    assert (status, err) == (0, ""), err
    assert out == DRAFTED.format(n=8, year=2031, old=2030)
    text = (root / "editions" / "2031" / "changes.yaml").read_text(encoding="utf-8")
    assert_golden(GOLDEN / "fixture-2030-2031.yaml", text)
    entries = _entries(root, 2031)
    assert all(e["draft"] is True for e in entries)
    # each edit's effect (the edition's two details are one entry), and the service removed
    expected = list(dict.fromkeys((effect, services) for _, effect, services in FIXTURE_EDITS))
    expected.append(("option-removed", ("test-visas/extension",)))
    assert sorted((e["effect"], tuple(e.get("services", ()))) for e in entries) == sorted(expected)
    for entry in entries:  # stable selectors: group ids only, never a record number
        assert all(set(selector) == {"group"} for selector in entry["covers"]), entry
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["id"]) and len(entry["id"]) <= 80
        assert entry["summary"]["en"] and entry["summary"]["ru"]
    # the drafted register validates for a draft: no change left uncovered
    status, out, err = run_cli("--root", str(root), "validate", "2031")
    assert (status, err, out) == (0, "", "2031: ok (draft, 1 sections, 1 services)" + UNREAD.format(n=8) + "\n")


def test_a_second_run_drafts_nothing(tmp_path):
    root = _fixture_2031(tmp_path)
    assert run_cli("--root", str(root), "register", "draft", "2031")[0] == 0
    before = (root / "editions" / "2031" / "changes.yaml").read_bytes()
    status, out, err = run_cli("--root", str(root), "register", "draft", "2031")
    assert (status, out, err) == (0, "nothing to draft: every change 2030→2031 is covered by "
                                     "editions/2031/changes.yaml\n", "")
    assert (root / "editions" / "2031" / "changes.yaml").read_bytes() == before


EDITOR = """# yaml-language-server: $schema=../../schemas/changes.schema.json
# Written by hand: the editor's comments, quoting and layout stay as they are.
since: 2030
entries:
  # -- the fee the editor explained already
  - id: visa-fee-raised
    effect: fee-raised
    summary: {en: 'Test visa: the service fee is raised to 45 000 KZT.',   ru: "Тестовая виза: сервисный сбор повышен до 45 000 KZT."}
    covers:
      - {service: test-visas/visa-inside, kind: fee}   # the standard fee only
  # -- prepared for a change the edition does not have yet (a draft may hold it)
  - id: later
    effect: wording-only
    summary: {en: "Later.", ru: "Позже."}
    covers: [{group: text-not-yet}]
"""


def test_the_editors_text_is_kept_byte_for_byte(tmp_path):
    root = _fixture_2031(tmp_path, EDITOR)
    status, out, err = run_cli("--root", str(root), "register", "draft", "2031")
    assert (status, err) == (0, ""), err
    assert out == DRAFTED.format(n=7, year=2031, old=2030)
    text = (root / "editions" / "2031" / "changes.yaml").read_text(encoding="utf-8")
    assert text.startswith(EDITOR)  # every byte the editor wrote, comments included, then the entries
    drafted = _entries(root, 2031)[2:]
    assert "fee-raised" not in {e["effect"] for e in drafted}  # covered by the editor's entry
    assert run_cli("--root", str(root), "validate", "2031")[1] == ("2031: ok (draft, 1 sections, 1 services)"
                                                                   + UNREAD.format(n=7) + "\n")


def test_a_group_partly_covered_is_drafted_for_its_other_services(copy):
    """2026 with one personal-manager fee raised in two services (one group); the editor covers
    one service: the draft names the other by group, service and step."""
    _edit(copy / "editions" / "2026" / "edition.yaml", "status: published", "status: draft")
    register = copy / "editions" / "2026" / "changes.yaml"
    _edit(register, "      - group: fee-other-services-iin-main-0-personal-manager\n",
          "      - {group: fee-other-services-iin-main-0-personal-manager, service: other-services/iin}\n")
    _edit(register, "    services: [other-services/iin, other-services/digital-signature]\n    covers:\n"
          "      - {group: fee-other-services-iin-main-0-personal-manager",
          "    services: [other-services/iin]\n    covers:\n      - {group: fee-other-services-iin-main-0-personal-manager")
    status, out, err = run_cli("--root", str(copy), "register", "draft", "2026")
    assert (status, err) == (0, ""), err
    assert out == DRAFTED.format(n=1, year=2026, old=2025).replace("1 entries", "1 entry")
    (entry,) = [e for e in _entries(copy, 2026) if e.get("draft")]
    assert entry["effect"] == "fee-raised" and list(entry["services"]) == ["other-services/digital-signature"]
    assert [dict(s) for s in entry["covers"]] == [{"group": "fee-other-services-iin-main-0-personal-manager",
                                                   "service": "other-services/digital-signature", "step": "main"}]
    assert run_cli("--root", str(copy), "validate", "2026")[0] == 0


# -- a published edition ------------------------------------------------------------------------

def test_a_published_edition_refuses_a_drafted_entry(tmp_path):
    root = _fixture_2031(tmp_path)
    assert run_cli("--root", str(root), "register", "draft", "2031")[0] == 0
    meta = root / "editions" / "2031" / "edition.yaml"
    _edit(meta, "status: draft", "status: published")
    text = (root / "editions" / "2031" / "changes.yaml").read_text(encoding="utf-8")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line == "    draft: true"]
    status, out, err = run_cli("--root", str(root), "validate", "2031")
    assert status == 1
    assert err.splitlines() == [
        f"editions/2031/changes.yaml:{line}:12: entries[{i}].draft: expected no drafted entry in a published "
        "edition (read its effect and summary against the print, then remove `draft: true`), found draft: true"
        for i, line in enumerate(lines)] + [f"{len(lines)} problems in 1 file"]
    # once an editor has read them, the same register is accepted
    (root / "editions" / "2031" / "changes.yaml").write_text(text.replace("    draft: true\n", ""), encoding="utf-8")
    assert run_cli("--root", str(root), "validate", "2031")[:2] == (0, "2031: ok (published, 1 sections, 1 services)\n")


def test_a_published_edition_is_not_drafted(tmp_path):
    root = _fixture_2031(tmp_path)
    _edit(root / "editions" / "2031" / "edition.yaml", "status: draft", "status: published")
    status, out, err = run_cli("--root", str(root), "register", "draft", "2031")
    assert (status, out) == (1, "")
    assert err == ("guidebook: error: editions/2031 is published and its register (editions/2031/changes.yaml) "
                   "leaves 9 change(s) uncovered; a published edition refuses drafted entries: set `status: draft` in "
                   "editions/2031/edition.yaml while drafting, or write the entries by hand (`guidebook diff 2030 2031` "
                   "shows each change's selector); nothing was written\n")
    assert not (root / "editions" / "2031" / "changes.yaml").exists()


def test_nothing_is_drafted_over_a_register_with_problems_or_for_the_first_edition(tmp_path):
    root = _fixture_2031(tmp_path, EDITOR.replace("effect: fee-raised", "effect: fee-lowered"))
    before = (root / "editions" / "2031" / "changes.yaml").read_bytes()
    status, out, err = run_cli("--root", str(root), "register", "draft", "2031")
    assert status == 1 and "Traceback" not in err
    assert err.splitlines() == [
        "editions/2031/changes.yaml:10:9: entries[0].covers[0]: expected changes that agree with the effect "
        "'fee-lowered', found 'fee-test-visas-visa-inside-main-0-service' (fee changed Δ 5000 KZT)",
        "1 problem in 1 file; editions/2031/changes.yaml was not changed"]
    assert (root / "editions" / "2031" / "changes.yaml").read_bytes() == before
    status, out, err = run_cli("--root", str(root), "register", "draft", "2030")
    assert (status, err) == (1, "guidebook: error: editions/2030 is the first edition: there is no earlier one to "
                                "compare it with\n")


def test_diff_text_shows_each_changes_selector(tmp_path):
    root = _fixture_2031(tmp_path)
    status, raw, _ = run_cli("--root", str(root), "diff", "2030", "2031", "--raw")
    assert status == 0
    assert "  -! Service: removed: Test visa extension\n      selector: {group: service-test-visas-extension}\n" in raw
    selectors = re.findall(r"^ +selector: \{group: ([a-z0-9-]+)\}$", raw, re.M)
    status, data, _ = run_cli("--root", str(root), "diff", "2030", "2031", "--format", "json")
    groups = [g["id"] for g in json.loads(data)["changes"]]
    assert sorted(selectors) == sorted(groups) and len(groups) == 9
    # by register entry: every covered change under its entry, and those not covered, with their selectors
    assert run_cli("--root", str(root), "register", "draft", "2031")[0] == 0
    status, by_entry, _ = run_cli("--root", str(root), "diff", "2030", "2031")
    assert "\n  [test-visas-extension-option-removed] (draft: not yet read by an editor) Service removed: " in by_entry
    assert sorted(re.findall(r"^ +selector: \{group: ([a-z0-9-]+)\}$", by_entry, re.M)) == sorted(groups)
    # filtered, a change still shows the selector of its group in the whole diff
    status, one, _ = run_cli("--root", str(root), "diff", "2030", "2031", "--raw", "--kind", "fee")
    assert re.findall(r"selector: \{group: ([a-z0-9-]+)\}", one) == ["fee-test-visas-visa-inside-main-0-service"]


# (layout, the editor's register) → drafted into without changing a byte the editor wrote
ENTRY = ("- id: visa-fee-raised\n  effect: fee-raised\n  summary: {en: 'Fee raised.', ru: 'Сбор повышен.'}\n"
         "  covers: [{service: test-visas/visa-inside, kind: fee}]\n")
LAYOUTS = {
    "list-at-column-0": "since: 2030\nentries:\n" + ENTRY + "# the editor's last word\n",
    "since-after-the-entries": "entries:\n" + "".join("  " + line + "\n" for line in ENTRY.splitlines())
                               + "\n# the year\nsince: 2030\n",
    "no-final-newline": "since: 2030\nentries:\n" + "".join("    " + line + "\n" for line in ENTRY.splitlines())[:-1],
    "empty-flow-list": "# nothing yet\nsince: 2030\nentries: []   # to do\n",
    "crlf-line-ends": ("since: 2030\nentries:\n" + "".join("  " + line + "\n" for line in ENTRY.splitlines())
                       ).replace("\n", "\r\n"),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_of_the_register_keeps_the_editors_bytes(tmp_path, layout):
    written = LAYOUTS[layout]
    root = _fixture_2031(tmp_path, written)
    status, out, err = run_cli("--root", str(root), "register", "draft", "2031")
    assert (status, err) == (0, ""), err
    text = (root / "editions" / "2031" / "changes.yaml").read_bytes().decode("utf-8")
    if layout == "crlf-line-ends":  # the drafted lines end as the editor's do
        assert text.startswith(written) and "\n" not in text.replace("\r\n", ""), text
    kept = written.replace("entries: []   # to do\n", "") if layout == "empty-flow-list" else written
    for line in kept.splitlines():  # every line the editor wrote, in its order
        assert line in text.splitlines(), (line, text)
    positions = [text.splitlines().index(line) for line in kept.splitlines() if line.strip()]
    assert positions == sorted(positions), text
    if layout == "list-at-column-0":  # the drafted entries indented like the editor's
        assert text.startswith(written) and text.count("\n- id: ") == 8, text
    if layout == "since-after-the-entries":  # inside the list, before the blank line and the next key
        assert text.endswith("\n\n# the year\nsince: 2030\n") and text.count("\n  - id: ") == 8, text
    status, out, err = run_cli("--root", str(root), "validate", "2031")
    assert (status, err) == (0, "") and "not yet covered" not in out, out + err


def test_a_non_empty_flow_list_is_drafted_into_with_its_data_kept(tmp_path):
    written = "since: 2030\nentries: [{id: visa-fee-raised, effect: fee-raised, summary: {en: 'Fee raised.', " \
              "ru: 'Сбор повышен.'}, covers: [{service: test-visas/visa-inside, kind: fee}]}]\n"
    root = _fixture_2031(tmp_path, written)
    assert run_cli("--root", str(root), "register", "draft", "2031")[:2] == (0, DRAFTED.format(n=7, year=2031,
                                                                                                  old=2030))
    entries = _entries(root, 2031)
    assert entries[0]["id"] == "visa-fee-raised" and "draft" not in entries[0] and len(entries) == 8
    assert run_cli("--root", str(root), "validate", "2031")[0] == 0


def test_a_section_added_with_its_service_is_one_entry(tmp_path):
    """A section added is a record, and each service in it another (the diff reports both): an
    editor covering the service alone (`service: …`) left the section uncovered and needed a
    second entry. The draft covers both with one `option-added` entry."""
    root = _fixture_2031(tmp_path)
    draft = root / "editions" / "2031"
    text = (draft / "test-visas.yaml").read_text(encoding="utf-8")
    (draft / "work-visas.yaml").write_text(text.replace("id: test-visas", "id: work-visas", 1)
                                           .replace('title: {en: "TEST VISAS", ru: "ТЕСТОВЫЕ ВИЗЫ"}',
                                                    'title: {en: "WORK VISAS", ru: "РАБОЧИЕ ВИЗЫ"}'), encoding="utf-8")
    _edit(draft / "edition.yaml", "sections: [test-visas]", "sections: [test-visas, work-visas]")
    status, raw, _ = run_cli("--root", str(root), "diff", "2030", "2031", "--raw", "--format", "json")
    added = [(g["kind"], g["services"]) for g in json.loads(raw)["changes"] if g["action"] == "added"]
    assert added == [("section", []), ("service", ["work-visas/visa-inside"])]
    assert run_cli("--root", str(root), "register", "draft", "2031")[0] == 0
    (entry,) = [e for e in _entries(root, 2031) if e["effect"] == "option-added"]
    assert [dict(s) for s in entry["covers"]] == [{"group": "section-work-visas"},
                                                  {"group": "service-work-visas-visa-inside"}]
    assert list(entry["services"]) == ["work-visas/visa-inside"]
    assert entry["summary"]["en"] == "Section added: Work visas; Service added: Work visas › Test visa inside Kazakhstan."
    assert run_cli("--root", str(root), "validate", "2031")[:2] == (0, "2031: ok (draft, 2 sections, 2 services)"
                                                                    + UNREAD.format(n=9) + "\n")


def test_a_summary_holds_the_printed_names_as_data(tmp_path):
    """Names in a drafted summary are YAML data: quotes, backslashes, markup and colons survive
    the round trip unchanged (the page escapes them: test_site_build)."""
    from conftest import HOSTILE
    hostile = " ".join(HOSTILE.values()) + ' "quoted" \\ back: slash #'
    root = _fixture_2031(tmp_path)
    title = '{en: "Test visa extension", ru: "Продление тестовой визы"}'
    escaped = hostile.replace("\\", "\\\\").replace('"', '\\"')
    _edit(root / "editions" / "2030" / "test-visas.yaml", title, f'{{en: "{escaped}", ru: "Продление тестовой визы"}}')
    assert run_cli("--root", str(root), "register", "draft", "2031")[0] == 0
    (entry,) = [e for e in _entries(root, 2031) if e["effect"] == "option-removed"]
    assert entry["summary"]["en"] == f"Service removed: Test visas › {hostile}."
    assert run_cli("--root", str(root), "validate", "2031")[0] == 0


def test_a_title_ending_in_a_full_stop_loses_it_only_before_the_summarys_colon(tmp_path):
    """A printed title ending with "." (2026's "… (снятие отпечатков пальцев).") is followed by
    ": " in a drafted summary: written "….: " it would read as two stops, so the stop goes there;
    where the summary names the service as the thing removed, it ends the sentence once."""
    root = _fixture_2031(tmp_path)
    for year in (2030, 2031):
        _edit(root / "editions" / str(year) / "test-visas.yaml",
              '{en: "Test visa inside Kazakhstan", ru: "Тестовая виза в Казахстане"}',
              '{en: "Test visa inside Kazakhstan.", ru: "Тестовая виза в Казахстане."}')
    _edit(root / "editions" / "2030" / "test-visas.yaml",
          '{en: "Test visa extension", ru: "Продление тестовой визы"}',
          '{en: "Test visa extension.", ru: "Продление тестовой визы."}')
    assert run_cli("--root", str(root), "register", "draft", "2031")[0] == 0
    summaries = {e["effect"]: e["summary"] for e in _entries(root, 2031)}
    assert summaries["fee-raised"] == {
        "en": "Test visas › Test visa inside Kazakhstan: Service fee · Up to 1 year: 40 000 KZT → 45 000 KZT "
              "(+5 000 KZT, +12.50 %).",
        "ru": "Тестовые визы › Тестовая виза в Казахстане: Сервисный сбор · До 1 года: 40 000 KZT → 45 000 KZT "
              "(+5 000 KZT, +12,50 %)."}
    assert summaries["option-removed"]["en"] == "Service removed: Test visas › Test visa extension."
    assert not any(".:" in text for summary in summaries.values() for text in summary.values())


@pytest.mark.parametrize("golden", ["fixture-2030-2031.yaml", "2026-2027.yaml"])
def test_a_drafted_register_matches_its_schema(golden):
    """The schema editors' language servers read (schemas/changes.schema.json) knows `draft`."""
    import yaml
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
    from referencing import Registry, Resource
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "schemas").glob("*.json"))]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    schema = next(s for s in schemas if s["$id"] == "changes.schema.json")
    data = yaml.safe_load((GOLDEN / golden).read_text(encoding="utf-8"))
    assert all(entry["draft"] is True for entry in data["entries"])
    Draft202012Validator(schema, registry=registry).validate(data)
    bad = {**data, "entries": [{**data["entries"][0], "draft": "yes"}]}
    assert not Draft202012Validator(schema, registry=registry).is_valid(bad)


def test_the_preview_marks_a_drafted_summary(tmp_path):
    """Drafts are built only for a preview (`--drafts`); there a drafted entry's summary is
    marked as not yet read by an editor, in both languages, and one an editor has read is not."""
    from generator.edition.validate import load_library
    from generator.site.render import render_site
    root = _fixture_2031(tmp_path)
    shutil.copytree(ROOT / "site_templates", root / "site_templates")
    shutil.copytree(ROOT / "content" / "pages", root / "content" / "pages")
    assert run_cli("--root", str(root), "register", "draft", "2031")[0] == 0
    register = root / "editions" / "2031" / "changes.yaml"
    text = register.read_text(encoding="utf-8")
    read = text.index("  - id: test-visas-extension-option-removed")
    register.write_text(text[:read] + text[read:].replace("    draft: true\n", "", 1), encoding="utf-8")
    library = load_library(root)
    out = render_site(library, library.ui, root / "site_templates", root / "content" / "pages",
                      include_drafts=True, root=root)
    for lang, mark in (("en", "Draft, not yet read by an editor:"), ("ru", "Черновик, редактор ещё не читал:")):
        page = out.files[f"{lang}/changes/2030-2031/index.md"]
        raised = page[page.index('<article id="test-visas-visa-inside-main-0-service-fee-raised"'):]
        assert f'<p class="gb-entry-summary"><span class="gb-drafted">{mark}</span> ' in raised[:raised.index("</article>")]
        removed = page[page.index('<article id="test-visas-extension-option-removed"'):]
        assert "gb-drafted" not in removed[:removed.index("</article>")]
        assert page.count('class="gb-drafted"') == 7


def test_a_name_loses_its_full_stop_before_a_colon_or_semicolon_but_an_abbreviation_keeps_it():
    from generator.changes.drafting import _before_mark
    assert _before_mark("Дактилоскопическая регистрация (снятие отпечатков пальцев).") == \
        "Дактилоскопическая регистрация (снятие отпечатков пальцев)"
    assert _before_mark("Fingerprinting registration.") == "Fingerprinting registration"
    for kept in ("и т.д.", "2025 г.", "services etc.", ".", "", "Wait...", "Residence permit", "Registration …"):
        assert _before_mark(kept) == kept
