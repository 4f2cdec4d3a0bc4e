"""What is printed, and nothing else: a cell printed empty stays empty (validate, check-source,
pages, export, diff), and a reading the print does not state is an interpretation, labelled as
ours wherever a total rests on it (page in both languages, /data export, diff)."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest

from conftest import ROOT
from generator.changes.diff import diff
from generator.changes.formats import to_json, to_text
from generator.changes.names import Names
from generator.edition.validate import load_library
from generator.editorial.check_source import check_source
from generator.site.render import render_site

TRP = "temporary-residence-permit/employment"


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT)


@pytest.fixture(scope="module")
def site(library):
    return render_site(library, library.ui, ROOT / "site_templates", ROOT / "content" / "pages")


def expert(edition):
    service = next(s for s in edition.services() if s.full_id == TRP)
    return service, service.steps[0].fees.options[1]


def test_the_blank_cell_is_recorded_blank_and_proved_by_check_source(library):
    edition = library.editions[2025]
    _, option = expert(edition)
    assert (option.label.en, option.service, option.blank) == ("For Expert", None, ("service",))
    seed = ROOT / "editions/2025" / edition.source_file
    assert check_source(edition, seed).wrong == []
    # Filling the cell from the row above (what the YAML used to do) is caught against the print.
    service, _ = expert(edition)
    step = service.steps[0]
    filled = dataclasses.replace(option, service=210000, blank=())
    fees = dataclasses.replace(step.fees, options=(step.fees.options[0], filled))
    service = dataclasses.replace(service, steps=(dataclasses.replace(step, fees=fees),) + service.steps[1:])
    sections = tuple(dataclasses.replace(sec, services=tuple(service if s.full_id == TRP else s for s in sec.services))
                     for sec in edition.sections)
    wrong = check_source(dataclasses.replace(edition, sections=sections), seed).wrong
    assert len(wrong) == 1 and "line 264: service cell printed blank, the edition has 210000" in wrong[0]


def test_blank_to_amount_is_a_fee_that_appears(library):
    change = next(c for c in diff(library.editions[2025], library.editions[2026])
                  if c.id == "fee-temporary-residence-permit-employment-main-1-service")
    assert (change.action, change.old, change.new, change.material) == ("added", None, 200000, True)
    assert change.delta_pct is None  # no invented −4.76 %
    assert change.delta_kzt is None  # nor an invented +200 000: the 2025 cell is blank, not 0


def test_a_blank_states_no_difference_and_a_dash_is_a_printed_zero(library):
    """A blank cell on one side: the printed figure and no Δ in any format. A dash ("-") is a
    printed zero (issue 17): R26 174 prints "-" where E25 167 printed 0.5 MCI (1 966 KZT), so the
    difference is stated, −1 966 KZT, −100 %."""
    changes = {c.id: c for c in diff(library.editions[2025], library.editions[2026])
               if c.kind != "mci" and (c.old is None or c.new is None) and c.field.startswith("fees")}
    blank = changes["fee-temporary-residence-permit-employment-main-1-service"]
    dash = changes["fee-investor-visa-invitation-outside-expat-centre-0-state"]
    assert blank.delta_kzt is None and blank.delta_pct is None
    assert (dash.delta_kzt, dash.delta_pct, dash.new_parts) == (-1966, -100, (("dash", True),))
    text = to_text([blank, dash], Names(library.editions[2025], library.editions[2026], library.documents, library.ui),
                   "en")
    assert "200 000 KZT  (" not in text and "(-1 966 KZT, -100.00 %)" in text and "printed dash: no fee" in text


@pytest.mark.parametrize("lang, not_printed, reading", [
    ("en", "not printed (the guidebook leaves this cell empty)", "Our reading:"),
    ("ru", "не указано (в руководстве ячейка пустая)", "Наше толкование:"),
])
def test_pages_show_the_blank_and_label_every_total_that_rests_on_a_reading(site, lang, not_printed, reading):
    trp = site.files[f"{lang}/2025/temporary-residence-permit/employment/index.md"]
    found = re.search(r'<div class="gb-fee-option" id="fees-temporary-residence-permit-employment-main-2">.*?</div>',
                      trp, re.S)
    assert found is not None
    option = found.group(0)
    assert not_printed in option and "210\u00a0000" not in option and "gb-total" not in option
    page = site.files[f"{lang}/2025/long-term-business-visa/visa-inside/index.md"]
    totals = re.findall(r'<tr class="gb-total">.*?</tr>', page)
    # 2025 long-term business visa with a personal manager: 260 000 + 117 960 state fee.
    labelled = [t for t in totals if "377\u00a0960" in t]
    assert labelled and all('href="#reading-' in t for t in labelled)
    anchors = re.findall(r'href="#(reading-[^"]+)"', page)
    for anchor in anchors:
        note = re.search(rf'<p class="gb-reading" id="{anchor}"><strong>{reading}</strong> (.*?)</p>', page)
        assert note, anchor
    # The standard total (first column) rests on nothing but the print.
    assert all("reading" not in t.split("</td>")[0] for t in totals)


def test_the_export_carries_blank_cells_and_readings(site):
    data = json.loads(site.exports["data/2025.json"])
    assert [i["id"] for i in data["interpretations"]] == ["personal-manager-instead-of-service-fee",
                                                           "walk-in-instead-of-service-fee"]
    assert all(i["ours"] and i["note"]["en"].startswith("The guidebook does not say") for i in data["interpretations"])
    options = [o for sec in data["sections"] for s in sec["services"] if s["full_id"] == TRP
               for st in s["steps"] for o in st["fees"]["options"]]
    assert (options[1]["service"], options[1]["blank"], options[1]["payable"]) == (None, ["service"], [])
    payable = [p for sec in data["sections"] for s in sec["services"] for st in s["steps"] if st["fees"]
               for o in st["fees"]["options"] for p in o["payable"]]
    assert {p["assumes"] for p in payable if p["way"] == "personal_manager"} == {"personal-manager-instead-of-service-fee"}
    assert {p["assumes"] for p in payable if p["way"] == "standard"} == {None}


def test_the_diff_carries_the_reading_a_total_rests_on(library):
    changes = diff(library.editions[2025], library.editions[2026])
    iin = [c for c in changes if c.kind == "priority-fee"]
    assert iin and all(c.assumes == ("walk-in-instead-of-service-fee",) for c in iin)
    names = Names(library.editions[2025], library.editions[2026], library.documents, library.ui)
    assert "[assumes our reading: walk-in-instead-of-service-fee]" in to_text(iin, names)
    assert json.loads(to_json(iin, names))["changes"][0]["members"][0]["assumes"] == ["walk-in-instead-of-service-fee"]


@pytest.mark.parametrize("lang, label", [("en", "(assumes our reading)"), ("ru", "(по нашему толкованию)")])
def test_the_diff_page_labels_the_walk_in_total_as_our_reading(site, lang, label):
    page = site.files[f"{lang}/changes/2025-2026/index.md"]
    found = re.search(r'<li id="fee-other-services-iin-main-0-priority" class="gb-change">.*?</li>', page, re.S)
    assert found is not None
    row = found.group(0)
    old, new = (re.findall(rf'<span class="gb-{side}">([^<]*)</span>', row)[0] for side in ("old", "new"))
    assert old.endswith(label) and label not in new  # 2026's surcharge is printed as paid on top
