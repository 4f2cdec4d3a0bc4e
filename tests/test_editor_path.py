"""The whole editor path on a copy of the real project, as next year's editor walks it:
new-edition → edit a YAML value → validate → check-source → build --drafts → diff → publish
(status: published, with its printed seed) → build. Each step through the `guidebook` command."""
from __future__ import annotations

import json

from conftest import copy_project, run_cli
from generator.edition.validate import available_years

BASE = 2026  # the edition copied; the test edits its IIN personal-manager fee (140 000 → 150 000 KZT)
NBSP = "\u00a0"


def _replace_once(path, old: str, new: str, after: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def test_editor_path_from_new_edition_to_published_site(tmp_path):
    root = copy_project(tmp_path / "guidebook")
    year = available_years(root)[-1] + 1  # after any draft already in the project
    folder = root / "editions" / str(year)

    def guidebook(*argv: str) -> tuple[int, str, str]:
        return run_cli("-C", str(root), *argv)

    # 1. start the edition as a draft copy (same MCI, so every state fee stays as printed)
    status, out, err = guidebook("new-edition", str(year), "--from", str(BASE), "--mci", "4325")
    assert status == 0, err
    assert out.startswith(f"created editions/{year} (draft) from {BASE}")
    new_edition_report = out

    # 2. edit one value, as an editor would in the YAML
    _replace_once(folder / "other-services.yaml", "personal_manager: 140000", "personal_manager: 150000",
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

    # 5. the preview shows the draft with the edited fee; a normal build does not
    preview = tmp_path / "preview"
    status, _, err = guidebook("build", "--drafts", "-q", "--site-dir", str(preview))
    assert status == 0, err
    page = (preview / str(year) / "other-services" / "iin" / "index.html").read_text(encoding="utf-8")
    assert f"150{NBSP}000" in page and f"Draft edition {year}" in (preview / str(year) / "index.html").read_text(
        encoding="utf-8")

    # 6. the diff against the edition it came from shows the edit
    status, out, err = guidebook("diff", str(BASE), str(year), "--format", "json", "--kind", "personal-manager-fee")
    assert status == 0, err
    changes = [m for g in json.loads(out)["changes"] for m in g["members"]]
    assert [(c["service"], str(c["old"]), str(c["new"])) for c in changes] == [("other-services/iin", "140000", "150000")]

    # 7. publish: the printed text arrives (the base's seed, with the new figure), status published,
    #    and the register explains the change
    seed = f"{year}-guidebook.txt"
    base_seed = root / "editions" / str(BASE) / _source_file(root / "editions" / str(BASE) / "edition.yaml")
    # (the new print has the new year and date on its cover)
    (folder / seed).write_text(base_seed.read_text(encoding="utf-8").replace(
        "Формирование ИИН\t20 000 KZT\t20 000 KZT\t140 000 KZT", "Формирование ИИН\t20 000 KZT\t20 000 KZT\t150 000 KZT")
        .replace(f"РУКОВОДСТВО – {BASE}", f"РУКОВОДСТВО – {year}").replace(f"01.01.{BASE}", f"01.01.{year}"),
        encoding="utf-8")
    meta = folder / "edition.yaml"
    # new-edition kept the cover's date line as the base printed it (no date invented): the editor
    # sets it from the new print, with effective_from, which validate requires equal to it
    assert f"To set from the {year} print: the date line(s) edition.yaml: cover[3]" in new_edition_report
    meta.write_text(meta.read_text(encoding="utf-8").replace(f"01.01.{BASE}", f"01.01.{year}"), encoding="utf-8")
    for old, new in (("status: draft", "status: published"), ("source_file: null", f"source_file: {seed}"),
                     ("effective_from: null", f"effective_from: {year}-01-01")):
        _replace_once(meta, old, new)
    # …which needs the register of its changes: without it validate says so, located
    status, out, err = guidebook("validate", str(year))
    assert status == 1 and err.splitlines() == [
        f"editions/{year}/edition.yaml:1:1: expected the register of changes since {BASE} "
        f"(editions/{year}/changes.yaml) for a published edition, found none", "1 problem in 1 file"]
    (folder / "changes.yaml").write_text(
        f"since: {BASE}\nentries:\n  - id: iin-personal-manager-fee-raised\n    effect: fee-raised\n"
        "    summary: {en: \"IIN: the personal-manager fee is raised to 150 000 KZT.\", "
        "ru: \"ИИН: сбор за персонального менеджера повышен до 150 000 KZT.\"}\n"
        "    covers:\n      - {service: other-services/iin, kind: personal-manager-fee}\n"
        f"  - id: edition-{year}\n    effect: edition-details\n"
        f"    summary: {{en: \"The {year} guidebook is in force from 1 January {year}.\", "
        f"ru: \"Руководство {year} года действует с 1 января {year} года.\"}}\n"
        "    covers:\n      - kind: edition\n      - group: text-cover-0\n      - group: text-cover-3\n", encoding="utf-8")
    status, out, err = guidebook("validate", str(year))
    assert (status, err) == (0, ""), err
    assert out.startswith(f"{year}: ok (published, ")
    status, out, err = guidebook("check-source", str(year))
    assert status == 0, out
    assert "items covered (100 %)" in out

    # 8. the published site carries the new edition, its diff page and its export
    site = tmp_path / "site"
    status, _, err = guidebook("build", "-q", "--site-dir", str(site))
    assert status == 0, err
    page = (site / str(year) / "other-services" / "iin" / "index.html").read_text(encoding="utf-8")
    assert f"150{NBSP}000" in page and "Draft edition" not in (site / str(year) / "index.html").read_text(
        encoding="utf-8")
    assert (site / "changes" / f"{BASE}-{year}" / "index.html").is_file()
    assert json.loads((site / "data" / f"{year}.json").read_text(encoding="utf-8"))["year"] == year
    assert f'href="{year}/' in (site / "index.html").read_text(encoding="utf-8")


def _source_file(meta) -> str:
    line = next(line for line in meta.read_text(encoding="utf-8").splitlines() if line.startswith("source_file:"))
    return line.split(":", 1)[1].strip()
