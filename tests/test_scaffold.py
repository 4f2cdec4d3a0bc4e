"""`guidebook new-edition`: a round-trip copy as a draft, state fees at the new MCI in every
layout, the year in titles updated, never overwriting, never leaving a half-made folder."""
from __future__ import annotations

from decimal import Decimal

from conftest import make_project, run_cli
from generator.edition.validate import load_library

BLOCK_STATE = """              timeframe: {value: 1, unit: business-days}
              # a block-style state fee, with a comment that must survive
              state:
                mci: 1.5  # one and a half MCI
                kzt: 6000
"""


def _with_block_state(root):
    section = root / "editions" / "2030" / "test-visas.yaml"
    text = section.read_text(encoding="utf-8")
    text = text.replace("              timeframe: {value: 1, unit: business-days}\n", BLOCK_STATE, 1)
    # the option's state cell then holds an amount, no longer the printed dash of the fixture's seed
    text = text.replace("              dash: [state]\n", "", 1)
    section.write_text(text, encoding="utf-8")
    return text


def test_new_edition_is_a_draft_with_state_fees_at_the_new_mci(tmp_path):
    root = make_project(tmp_path)
    original = _with_block_state(root)
    status, out, err = run_cli("--root", str(root), "new-edition", "2031", "--from", "2030", "--mci", "4325")
    assert (status, err) == (0, "")
    assert out.startswith("created editions/2031 (draft) from 2030: 2 services, 2 state fees recomputed at "
                          "MCI 4325 KZT; the year updated in 2 title(s) (edition.yaml: cover[0].en, edition.yaml: cover[0].ru)")
    edition = load_library(root, [2031]).editions[2031]
    assert (edition.status, edition.mci_kzt, edition.source_file, edition.effective_from) == ("draft", 4325, None, None)
    options = edition.sections[0].services[0].steps[0].fees.options
    assert [(o.state.mci, o.state.printed_kzt) for o in options] == [
        (Decimal("0.5"), Decimal("2162.5")), (Decimal("1.5"), Decimal("6487.5"))]
    assert [(c.en, c.ru) for c in edition.cover] == [("GUIDEBOOK – 2031", "РУКОВОДСТВО – 2031")]
    # comments and layout (flow and block style) stay as they were; only the values change
    copied = (root / "editions" / "2031" / "test-visas.yaml").read_text(encoding="utf-8")
    assert copied == original.replace("kzt: 2000}", "kzt: 2162.5}").replace("kzt: 6000\n", "kzt: 6487.5\n")
    meta = (root / "editions" / "2030" / "edition.yaml").read_text(encoding="utf-8")
    expected = (meta.replace("year: 2030", "year: 2031").replace("status: published", "status: draft")
                .replace("source_file: seed.txt", "source_file: null").replace("mci_kzt: 4000", "mci_kzt: 4325")
                .replace("effective_from: 2030-01-01", "effective_from: null")
                .replace('"GUIDEBOOK – 2030"', '"GUIDEBOOK – 2031"').replace('"РУКОВОДСТВО – 2030"', '"РУКОВОДСТВО – 2031"'))
    assert (root / "editions" / "2031" / "edition.yaml").read_text(encoding="utf-8") == expected
    status, out, _ = run_cli("--root", str(root), "check-source", "2031")
    assert status == 1 and "has no printed text yet" in out


def test_an_mci_out_of_range_creates_nothing(tmp_path):
    # (MCI and MCI multiples are bounded, so a valid source always makes a valid copy; the copy is
    # still validated in a staging folder before it is moved into place.)
    root = make_project(tmp_path)
    status, out, err = run_cli("--root", str(root), "new-edition", "2031", "--from", "2030", "--mci", "4000000000000")
    assert (status, out) == (1, "")
    assert "expected a positive MCI in KZT of at most 1 000 000" in err
    assert sorted(p.name for p in (root / "editions").iterdir()) == ["2030"]  # no copy, no staging folder


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
