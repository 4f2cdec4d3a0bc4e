"""The real editions: they validate, they are complete against their seeds, and they align."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from conftest import ROOT, run_cli
from generator.edition.validate import load_library
from generator.editorial.check_source import check_source

DESIGN_IDS = """employment-visa/invitation-outside employment-visa/visa-inside employment-visa/extension
investor-visa/invitation-outside investor-visa/visa-inside investor-visa/extension
temporary-residence-permit/employment temporary-residence-permit/business-immigrant
permanent-residence-permit/permit short-term-business-visa/invitation-outside
short-term-business-visa/extension long-term-business-visa/invitation-outside
long-term-business-visa/visa-inside long-term-business-visa/business-immigrant-extension
long-term-business-visa/extension visa-cancellation/holder-outside visa-cancellation/holder-inside
other-services/arrival-notification other-services/iin other-services/tax-residence-certificate
other-services/digital-signature other-services/fingerprinting""".split()


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT)


def seed(edition):
    return ROOT / "editions" / str(edition.year) / edition.source_file


def printed(library):
    """The editions with their printed text (a fresh draft has none yet), whatever editions there are."""
    return [e for _, e in sorted(library.editions.items()) if e.source_file is not None]


def test_validate_cli_is_clean(library):
    status, out, err = run_cli("-C", str(ROOT), "validate")
    assert (status, err) == (0, "")
    assert out.splitlines() == [f"{year}: ok ({e.status}, {len(e.sections)} sections, {len(e.services())} services)"
                                for year, e in sorted(library.editions.items())]


def test_source_check_is_complete(library):
    for edition in printed(library):
        coverage = check_source(edition, seed(edition))
        assert coverage.missing == [] and coverage.extra == [] and coverage.wrong == [], edition.year
        assert coverage.covered == coverage.total > 400


def test_check_source_cli_prints_full_coverage(library):
    status, out, err = run_cli("-C", str(ROOT), "check-source")
    assert status == 0, out
    for edition in printed(library):
        report = out[out.index(f"check-source {edition.year} ("):]
        covered = report.splitlines()[1].split(" items covered")[0]
        assert covered.split("/")[0] == covered.split("/")[1] and "items covered (100 %)" in report, edition.year


def test_every_design_service_id_exists(library):
    for edition in (library.editions[2025], library.editions[2026]):  # docs/DESIGN.md §4, from both prints
        ids = [s.full_id for s in edition.services()]
        assert sorted(ids) == sorted(DESIGN_IDS), edition.year


def test_metadata_and_mci(library):
    e25, e26 = library.editions[2025], library.editions[2026]
    assert (e25.mci_kzt, e26.mci_kzt) == (3932, 4325)
    assert (e25.source_language, e26.source_language) == ("en", "ru")
    assert e25.effective_from is None and str(e26.effective_from) == "2026-01-01"


def test_state_fees_follow_each_editions_mci(library):
    for edition in library.editions.values():
        for service in edition.services():
            for step in service.steps:
                for option in step.fees.options if step.fees else ():
                    if option.state:
                        assert option.state.kzt(edition.mci_kzt) == option.state.printed_kzt


def test_known_figures(library):
    def option(year, full_id, index=0):
        service = next(s for s in library.editions[year].services() if s.full_id == full_id)
        return [o for st in service.steps if st.fees for o in st.fees.options][index]
    assert option(2026, "short-term-business-visa/invitation-outside").state.printed_kzt == Decimal("2162.5")
    assert option(2025, "short-term-business-visa/invitation-outside").personal_manager == 260000
    assert option(2026, "short-term-business-visa/invitation-outside").personal_manager == 270000
    expert = option(2025, "temporary-residence-permit/employment", 1)
    assert (expert.service, expert.blank) == (None, ("service",))  # printed empty: never filled
    assert option(2026, "temporary-residence-permit/employment", 1).service == 200000
    assert option(2025, "other-services/iin").walk_in == 40000
    assert option(2026, "other-services/iin").priority == 20000


def test_catalogue_ids_used_by_both_editions_have_both_names(library):
    used = {y: {d.doc for s in e.services() for st in s.steps for d in st.documents}
            for y, e in library.editions.items()}
    shared = used[2025] & used[2026]
    assert len(shared) > 20
    for doc_id in used[2025] | used[2026]:
        name = library.documents[doc_id].name
        assert name.en.strip() and name.ru.strip()


def test_no_catalogue_entry_is_unused(library):
    used = {d.doc for e in library.editions.values() for s in e.services() for st in s.steps for d in st.documents}
    assert set(library.documents) == used


# -- the source check must be able to fail ---------------------------------------------------

def _mutate_first_step(edition, change):
    """A copy of the edition whose first documented step is changed by `change(step)`."""
    sections = list(edition.sections)
    section = sections[0]
    service = section.services[0]
    steps = list(service.steps)
    steps[0] = change(steps[0])
    service = dataclasses.replace(service, steps=tuple(steps))
    sections[0] = dataclasses.replace(section, services=(service,) + section.services[1:])
    return dataclasses.replace(edition, sections=tuple(sections))


def test_source_check_reports_a_dropped_document(library):
    edition = library.editions[2025]
    changed = _mutate_first_step(edition, lambda st: dataclasses.replace(st, documents=st.documents[1:]))
    coverage = check_source(changed, seed(edition))
    assert len(coverage.missing) == 1 and "certificate of registration" in coverage.missing[0]


def test_source_check_reports_an_invented_document(library):
    edition = library.editions[2025]
    extra = dataclasses.replace(edition.sections[0].services[0].steps[0].documents[0],
                                text=dataclasses.replace(edition.sections[0].services[0].steps[0].documents[0].text,
                                                         en="A letter from the moon"))
    changed = _mutate_first_step(edition, lambda st: dataclasses.replace(st, documents=st.documents + (extra,)))
    coverage = check_source(changed, seed(edition))
    assert coverage.missing == [] and len(coverage.extra) == 1 and "moon" in coverage.extra[0]


def test_source_check_reports_a_wrong_fee(library):
    edition = library.editions[2026]

    def bump(step):
        option = dataclasses.replace(step.fees.options[0], service=731000)
        return dataclasses.replace(step, fees=dataclasses.replace(step.fees, options=(option,) + step.fees.options[1:]))
    coverage = check_source(_mutate_first_step(edition, bump), seed(edition))
    assert len(coverage.wrong) == 1 and "730 000" in coverage.wrong[0] and "731000" in coverage.wrong[0]
