"""The editor's path from whatever edition is current, as next year's editor walks it, on a copy
of the real project's editions and content: new-edition → edit a YAML value → validate →
check-source → the pages with drafts → diff → publish (status: published, with its printed seed)
→ the published pages. Each step through the `guidebook` command, save the pages: rendered
in-process (the Markdown and exports a build writes). test_edition_2027 walks the same path with
structural edits and MkDocs builds, from 2026; this one follows the newest edition, so that the
path stays proven when an editor has published the next one."""
from __future__ import annotations

import json
import shutil

from conftest import CURRENT, ROOT, run_cli
from generator.changes.print_lines import PrintLines
from generator.edition.validate import available_years, load_library
from generator.site.render import render_site

BASE = CURRENT  # the edition copied, the current one; the test raises its IIN personal-manager fee by 10 000 KZT
NBSP = "\u00a0"


def _kzt(amount, space: str = " ") -> str:
    return f"{int(amount):,}".replace(",", space)


def _replace_once(path, old: str, new: str, after: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def _pages(root, drafts: bool):
    library = load_library(root)
    return render_site(library, library.ui, root / "site_templates", root / "content" / "pages",
                       include_drafts=drafts, root=root)


def test_editor_path_from_new_edition_to_published_site(copy):
    root = copy
    for folder in ("site_templates", "schemas"):
        shutil.copytree(ROOT / folder, root / folder)
    year = available_years(root)[-1] + 1  # after any draft already in the project
    folder = root / "editions" / str(year)
    base = load_library(root, [BASE]).editions[BASE]
    old = base.service("other-services/iin").steps[0].fees.options[0].personal_manager
    new = old + 10_000

    def guidebook(*argv: str) -> tuple[int, str, str]:
        return run_cli("-C", str(root), *argv)

    # 1. start the edition as a draft copy (same MCI, so every state fee stays as printed)
    status, out, err = guidebook("new-edition", str(year), "--from", str(BASE), "--mci", str(base.mci_kzt))
    assert status == 0, err
    assert out.startswith(f"created editions/{year} (draft) from {BASE}")
    new_edition_report = out

    # 2. edit one value, as an editor would in the YAML
    _replace_once(folder / "other-services.yaml", f"personal_manager: {old}", f"personal_manager: {new}",
                  after="- id: iin")

    # 3. it validates as a draft, alone and with every other edition (what `make site` runs)
    status, out, err = guidebook("validate", str(year))
    assert (status, err) == (0, ""), err
    assert out.startswith(f"{year}: ok (draft, ")
    status, out, err = guidebook("validate")
    assert (status, err) == (0, ""), err
    assert out.splitlines()[-1].startswith(f"{year}: ok (draft, ")

    # 4. check-source passes: the draft has no printed text yet and is skipped, saying so
    status, out, err = guidebook("check-source")
    assert status == 0, out + err
    assert f"check-source {year}: skipped, a draft with no printed text yet" in out

    # 5. the pages with drafts (what `build --drafts` builds) show the draft with the edited fee;
    #    without drafts there is no page of it
    pages = _pages(root, drafts=True).files
    assert _kzt(new, NBSP) in pages[f"en/{year}/other-services/iin/index.md"]
    assert f"Draft edition {year}" in pages[f"en/{year}/index.md"]
    assert not any(f"/{year}/" in page for page in _pages(root, drafts=False).files)

    # 6. the diff against the edition it came from shows the edit
    status, out, err = guidebook("diff", str(BASE), str(year), "--format", "json", "--kind", "personal-manager-fee")
    assert status == 0, err
    changes = [m for g in json.loads(out)["changes"] for m in g["members"]]
    assert [(c["service"], str(c["old"]), str(c["new"])) for c in changes] == [("other-services/iin", str(old), str(new))]

    # 7. publish: the printed text arrives (the base's seed, with the new figure), status published,
    #    and the register explains the change
    seed = f"{year}-guidebook.txt"
    lines = (root / "editions" / str(BASE) / base.source_file).read_text(encoding="utf-8").split("\n")
    # (the new print has the new fee in the IIN row, the new year and the same day's date on its cover)
    row = PrintLines(base).option("other-services/iin", "main", 0)
    assert row is not None and f"{_kzt(old)} KZT" in lines[row - 1]
    lines[row - 1] = lines[row - 1].replace(f"{_kzt(old)} KZT", f"{_kzt(new)} KZT")
    title = base.cover[0].get(base.source_language)
    effective = base.effective_from
    assert effective is not None
    dated, dating = effective.strftime("%d.%m.%Y"), effective.replace(year=year).strftime("%d.%m.%Y")
    date_line = next(i for i, line in enumerate(base.cover) if dated in line.get(base.source_language))
    (folder / seed).write_text("\n".join(lines).replace(title, title.replace(str(BASE), str(year)))
                               .replace(dated, dating), encoding="utf-8")
    meta = folder / "edition.yaml"
    # new-edition kept the cover's date line as the base printed it (no date invented): the editor
    # sets it from the new print, with effective_from, which validate requires equal to it
    assert f"To set from the {year} print: the date line(s) edition.yaml: cover[{date_line}]" in new_edition_report
    meta.write_text(meta.read_text(encoding="utf-8").replace(dated, dating), encoding="utf-8")
    for was, now in (("status: draft", "status: published"), ("source_file: null", f"source_file: {seed}"),
                     ("effective_from: null", f"effective_from: {effective.replace(year=year).isoformat()}")):
        _replace_once(meta, was, now)
    # …which needs the register of its changes: without it validate says so, located
    status, out, err = guidebook("validate", str(year))
    assert status == 1 and err.splitlines() == [
        f"editions/{year}/edition.yaml:1:1: expected the register of changes since {BASE} "
        f"(editions/{year}/changes.yaml) for a published edition, found none", "1 problem in 1 file"]
    (folder / "changes.yaml").write_text(
        f"since: {BASE}\nentries:\n  - id: iin-personal-manager-fee-raised\n    effect: fee-raised\n"
        f"    summary: {{en: \"IIN: the personal-manager fee is raised to {_kzt(new)} KZT.\", "
        f"ru: \"ИИН: сбор за персонального менеджера повышен до {_kzt(new)} KZT.\"}}\n"
        "    covers:\n      - {service: other-services/iin, kind: personal-manager-fee}\n"
        f"  - id: edition-{year}\n    effect: edition-details\n"
        f"    summary: {{en: \"The {year} guidebook is in force from {dating}.\", "
        f"ru: \"Руководство {year} года действует с {dating}.\"}}\n"
        f"    covers:\n      - kind: edition\n      - group: text-cover-0\n      - group: text-cover-{date_line}\n",
        encoding="utf-8")
    status, out, err = guidebook("validate", str(year))
    assert (status, err) == (0, ""), err
    assert out.startswith(f"{year}: ok (published, ")
    status, out, err = guidebook("check-source", str(year))
    assert status == 0, out
    assert "items covered (100 %)" in out

    # 8. the published pages carry the new edition, its changes page and its export
    output = _pages(root, drafts=False)
    assert _kzt(new, NBSP) in output.files[f"en/{year}/other-services/iin/index.md"]
    assert "Draft edition" not in output.files[f"en/{year}/index.md"]
    assert f"en/changes/{BASE}-{year}/index.md" in output.files
    assert json.loads(output.exports[f"data/{year}.json"])["year"] == year
    assert f"{year}/" in output.files["en/index.md"]
