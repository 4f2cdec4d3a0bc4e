"""`guidebook new-edition`: a draft copy with recomputed MCI amounts, never overwriting."""
from __future__ import annotations

from decimal import Decimal

from conftest import make_project, run_cli
from generator.edition.validate import load_library


def test_new_edition_is_a_draft_with_state_fees_at_the_new_mci(tmp_path):
    root = make_project(tmp_path)
    status, out, err = run_cli("--root", str(root), "new-edition", "2031", "--from", "2030", "--mci", "5000")
    assert (status, err) == (0, "")
    assert out.startswith("created editions/2031 (draft) from 2030: 2 services, 1 state fees recomputed at MCI 5000 KZT.")
    edition = load_library(root, [2031]).editions[2031]
    assert (edition.status, edition.mci_kzt, edition.source_file, edition.effective_from) == ("draft", 5000, None, None)
    state = edition.sections[0].services[0].steps[0].fees.options[0].state
    assert (state.mci, state.printed_kzt) == (Decimal("0.5"), 2500)
    # comments and layout of the copied YAML stay as they were
    original = (root / "editions" / "2030" / "test-visas.yaml").read_text(encoding="utf-8")
    copied = (root / "editions" / "2031" / "test-visas.yaml").read_text(encoding="utf-8")
    assert copied == original.replace("kzt: 2000", "kzt: 2500")
    status, out, _ = run_cli("--root", str(root), "check-source", "2031")
    assert status == 1 and "has no printed text yet" in out


def test_new_edition_refuses_to_overwrite(tmp_path):
    root = make_project(tmp_path)
    assert run_cli("--root", str(root), "new-edition", "2031", "--from", "2030", "--mci", "5000")[0] == 0
    before = (root / "editions" / "2031" / "edition.yaml").read_text(encoding="utf-8")
    status, out, err = run_cli("--root", str(root), "new-edition", "2031", "--from", "2030", "--mci", "6000")
    assert (status, out) == (1, "")
    assert err == "guidebook: error: editions/2031 already exists; refusing to overwrite it\n"
    assert (root / "editions" / "2031" / "edition.yaml").read_text(encoding="utf-8") == before


def test_new_edition_from_an_unknown_or_broken_edition_creates_nothing(tmp_path):
    root = make_project(tmp_path)
    status, _, err = run_cli("--root", str(root), "new-edition", "2031", "--from", "1999", "--mci", "5000")
    assert status == 2 and "the editions there are: 2030" in err
    section = root / "editions" / "2030" / "test-visas.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("doc: passport", "doc: pasport"), encoding="utf-8")
    status, _, err = run_cli("--root", str(root), "new-edition", "2031", "--from", "2030", "--mci", "5000")
    assert status == 1 and "unknown id 'pasport'" in err and err.endswith("; editions/2031 was not created\n")
    assert sorted(p.name for p in (root / "editions").iterdir()) == ["2030"]
