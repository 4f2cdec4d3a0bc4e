"""Properties of the edition diff (hypothesis), on copies of the real editions changed with
`dataclasses.replace`: a diff of an edition with itself is empty, diff(b, a) mirrors
diff(a, b), and a single injected change is reported exactly once with the right kind and
values. Also: CSV cells that a spreadsheet would run as a formula are neutralised."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.changes.diff import diff
from generator.changes.formats import safe_cell, to_csv
from generator.changes.group import group, signature
from generator.changes.names import Names
from generator.changes.requirements import EFFECTS, MIRROR, requirement_changes, requirement_facts
from generator.edition.models import DocumentRef, Text, Validity
from generator.edition.requirements import BOUNDS, CONTENTS, COUNTED_FROM, ISSUERS, PERIOD_UNITS
from generator.edition.validate import FORMS
from test_diff import _cached_library, mirrored_words

# A fraction of the profile's examples: each one diffs whole editions (a few ms apiece).
EXAMPLES = max(15, settings().max_examples // 5)
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

YEARS = (2025, 2026)


def editions():
    """The two editions, loaded at the first draw (not at import: every xdist worker collects
    this module, and `make check` may not run it)."""
    return _cached_library(ROOT, YEARS).editions


def steps(edition):
    """(section index, service index, step index) of every step."""
    return [(i, j, k) for i, section in enumerate(edition.sections) for j, service in enumerate(section.services)
            for k, _ in enumerate(service.steps)]


def with_service(edition, where, change):
    """A copy of `edition` whose service at `where` is replaced by `change(service)`."""
    i, j = where[:2]
    sections = list(edition.sections)
    services = list(sections[i].services)
    services[j] = change(services[j])
    sections[i] = replace(sections[i], services=tuple(services))
    return replace(edition, sections=tuple(sections))


def with_step(edition, where, change):
    """A copy of `edition` whose step at `where` is replaced by `change(step)`."""
    k = where[2]
    return with_service(edition, where, lambda service: replace(
        service, steps=service.steps[:k] + (change(service.steps[k]),) + service.steps[k + 1:]))


def with_title(edition, where, en: str):
    return with_service(edition, where, lambda s: replace(s, title=replace(s.title, en=en)))


def step_at(edition, where):
    i, j, k = where
    return edition.sections[i].services[j].steps[k]


def service_at(edition, where):
    i, j, _ = where
    return edition.sections[i].services[j]


def with_option(edition, where, index, **fields):
    def change(step):
        options = list(step.fees.options)
        options[index] = replace(options[index], **fields)
        return replace(step, fees=replace(step.fees, options=tuple(options)))
    return with_step(edition, where, change)


def options(edition, field):
    """(where, option index) of every fee option that has `field`."""
    return [(where, n) for where in steps(edition) if step_at(edition, where).fees
            for n, option in enumerate(step_at(edition, where).fees.options) if getattr(option, field) is not None]


def documented(edition):
    return [(where, n) for where in steps(edition) for n, _ in enumerate(step_at(edition, where).documents)]


years = st.sampled_from(YEARS)
amounts = st.one_of(st.integers(1, 2_000_000), st.decimals("0.5", "2000000", places=1))


@st.composite
def mutations(draw):
    """A real edition and a copy of it with one random fact changed."""
    edition = editions()[draw(years)]
    what = draw(st.sampled_from(["fee", "document", "qualifier", "state", "mci", "text"]))
    if what == "fee":
        field = draw(st.sampled_from(["service", "personal_manager", "walk_in", "priority"]))
        candidates = options(edition, field)
        if not candidates:
            field, candidates = "service", options(edition, "service")
        where, n = draw(st.sampled_from(candidates))
        changed = with_option(edition, where, n, **{field: draw(amounts)})
    elif what == "document":
        where, n = draw(st.sampled_from(documented(edition)))
        changed = with_step(edition, where, lambda s: replace(s, documents=s.documents[:n] + s.documents[n + 1:]))
    elif what == "qualifier":
        where, n = draw(st.sampled_from(documented(edition)))
        copies = draw(st.one_of(st.none(), st.integers(1, 5)))
        changed = with_step(edition, where, lambda s: replace(s, documents=s.documents[:n] + (
            replace(s.documents[n], copies=copies),) + s.documents[n + 1:]))
    elif what == "state":
        where, n = draw(st.sampled_from(options(edition, "state")))
        state = step_at(edition, where).fees.options[n].state
        changed = with_option(edition, where, n, state=replace(state, mci=draw(st.decimals("0.5", "100", places=1))))
    elif what == "mci":
        changed = replace(edition, mci_kzt=draw(st.integers(1000, 10000)))
    else:
        changed = with_title(edition, draw(st.sampled_from(steps(edition))), draw(st.text(min_size=1, max_size=30)))
    return edition, changed


def only(changes):
    assert len(changes) == 1, [c.id for c in changes]
    return changes[0]


@PROPERTY
@given(mutations())
def test_an_edition_diffed_with_itself_is_empty(pair):
    _, changed = pair
    assert diff(changed, changed) == ()


@PROPERTY
@given(mutations())
def test_diff_b_a_mirrors_diff_a_b(pair):
    a, b = pair
    forward, backward = diff(a, b), {c.id: c for c in diff(b, a)}
    assert {c.id for c in forward} == set(backward)
    for change in forward:
        assert backward[change.id] == change.mirrored()
        assert backward[change.id].mirrored() == change
        for lang, words in change.words.items():
            assert backward[change.id].words_in(lang) == mirrored_words(words)


@PROPERTY
@given(mutations())
def test_grouping_loses_nothing(pair):
    a, b = pair
    changes = diff(a, b)
    groups = group(changes)
    members = [m for g in groups for m in g.members]
    assert sorted(m.id for m in members) == sorted(c.id for c in changes) and len(members) == len(changes)
    assert all(len({signature(m) for m in g.members}) == 1 for g in groups)
    backward = group(diff(b, a))
    assert {frozenset(m.id for m in g.members) for g in backward} == {frozenset(m.id for m in g.members) for g in groups}


KINDS = {"service": "fee", "personal_manager": "personal-manager-fee", "walk_in": "priority-fee",
         "priority": "priority-fee"}


@PROPERTY
@given(years, st.sampled_from(list(KINDS)), st.data())
def test_an_injected_fee_amount_is_reported_once(year, field, data):
    edition = editions()[year]
    candidates = options(edition, field)
    if not candidates:  # 2025 has walk-in prices, 2026 priority surcharges
        return
    where, n = data.draw(st.sampled_from(candidates))
    old = getattr(step_at(edition, where).fees.options[n], field)
    new = data.draw(amounts.filter(lambda v: v != old))
    change = only(diff(edition, with_option(edition, where, n, **{field: new})))
    assert (change.kind, change.action) == (KINDS[field], "changed")
    assert change.service == service_at(edition, where).full_id and change.material in (True, False)
    assert change.delta_kzt == Decimal(new) - Decimal(old)  # a fast option's total moves by the same
    if field in ("service", "personal_manager"):
        assert (change.old, change.new) == (old, new)


@PROPERTY
@given(years, st.data())
def test_a_removed_or_added_document_is_reported_once(year, data):
    edition = editions()[year]
    where, n = data.draw(st.sampled_from(documented(edition)))
    document = step_at(edition, where).documents[n]
    fewer = with_step(edition, where, lambda s: replace(s, documents=s.documents[:n] + s.documents[n + 1:]))
    removed, added = only(diff(edition, fewer)), only(diff(fewer, edition))
    assert (removed.kind, removed.action, removed.material) == ("document", "removed", True)
    assert (added.kind, added.action, added.field) == ("document", "added", f"documents[{document.key}]")
    assert removed.old == added.new == document.text and removed == added.mirrored()
    invented = DocumentRef(doc="invented-document", text=Text(en="x", ru="x"), copies=2)
    more = with_step(edition, where, lambda s: replace(s, documents=s.documents + (invented,)))
    change = only(diff(edition, more))
    assert (change.action, change.new, change.facts, change.material) == (
        "added", invented.text, (("copies", None, 2, "added"),), True)


@PROPERTY
@given(years, st.data())
def test_a_removed_service_or_step_is_reported_once(year, data):
    edition = editions()[year]
    i, j, k = data.draw(st.sampled_from(steps(edition)))
    section = edition.sections[i]
    fewer = replace(edition, sections=edition.sections[:i] + (
        replace(section, services=section.services[:j] + section.services[j + 1:]),) + edition.sections[i + 1:])
    change = only(diff(edition, fewer))
    assert (change.kind, change.action, change.old, change.material) == (
        "service", "removed", section.services[j].full_id, True)
    assert only(diff(fewer, edition)) == change.mirrored()
    service = section.services[j]
    if len(service.steps) > 1:
        change = only(diff(edition, with_service(edition, (i, j), lambda s: replace(
            s, steps=s.steps[:k] + s.steps[k + 1:]))))
        assert (change.kind, change.action, change.old) == ("step", "removed", service.steps[k].id)


def _ids(choices):
    return st.lists(st.sampled_from(choices), unique=True).map(lambda f: tuple(sorted(f)))


def _validity(**fields):
    return lambda d: {"validity": replace(d.validity or Validity(), **fields)}


# Requirement fact → a strategy of field changes of one document that move only that fact.
INJECTIONS = {
    "if_applicable": lambda d: st.booleans().map(lambda v: {"if_applicable": v}),
    "copies": lambda d: st.one_of(st.none(), st.integers(1, 9)).map(lambda v: {"copies": v}),
    "forms": lambda d: _ids(FORMS).map(lambda v: {"forms": v}),
    "dated": lambda d: st.sampled_from([None, "current-year", "2024", "2025", "2026"]).map(lambda v: {"dated": v}),
    "issuers": lambda d: _ids(ISSUERS).map(lambda v: {"issuers": v}),
    "variant": lambda d: st.sampled_from([None, "work-visa", "investor-visa", "used-for-entry"]).map(
        lambda v: {"variant": v}),
    "contents": lambda d: _ids(CONTENTS).map(lambda v: {"contents": v}),
    "contents_any": lambda d: st.booleans().map(lambda v: {"contents_any": v}),
    "valid": lambda d: st.booleans().map(lambda v: _validity(current=v)(d)),
    "validity_period": lambda d: st.tuples(st.sampled_from(BOUNDS), st.integers(1, 400), st.sampled_from(PERIOD_UNITS)).map(
        lambda t: _validity(bound=t[0], amount=t[1], unit=t[2])(d)),
    "validity_from": lambda d: st.sampled_from((None,) + COUNTED_FROM).map(lambda v: _validity(counted_from=v)(d)),
    "blank_pages": lambda d: st.one_of(st.none(), st.integers(1, 9)).map(lambda v: _validity(blank_pages=v)(d)),
}


@PROPERTY
@given(years, st.sampled_from(sorted(INJECTIONS)), st.data())
def test_an_injected_requirement_change_is_reported_once_typed_and_material(year, fact, data):
    """A requirement change injected into a random document: one record, typed by its effect
    (the same as `requirement_changes` says), material, and mirrored the other way round."""
    edition = editions()[year]
    where, n = data.draw(st.sampled_from(documented(edition)))
    document = step_at(edition, where).documents[n]
    changed_doc = replace(document, **data.draw(INJECTIONS[fact](document)))
    before, after = requirement_facts(document), requirement_facts(changed_doc)
    assume(before[fact] != after[fact])
    assert [f for f in before if before[f] != after[f]] == [fact]
    changed = with_step(edition, where, lambda s: replace(s, documents=s.documents[:n] + (
        changed_doc,) + s.documents[n + 1:]))
    change = only(diff(edition, changed))
    assert (change.kind, change.action, change.field) == ("document", "changed", f"documents[{document.key}]")
    (name, old, new, effect), = change.facts  # one record, the one fact typed
    assert (name, old, new, change.material) == (fact, before[fact], after[fact], True)
    assert effect in EFFECTS and effect == requirement_changes(document, changed_doc)[0].effect
    back = only(diff(changed, edition))
    assert back.facts == change.mirrored().facts and back.facts[0][3] == MIRROR[effect]


@PROPERTY
@given(years, st.data())
def test_an_injected_mci_multiple_is_a_state_fee_change_not_indexation(year, data):
    edition = editions()[year]
    where, n = data.draw(st.sampled_from(options(edition, "state")))
    state = step_at(edition, where).fees.options[n].state
    mci = data.draw(st.decimals("0.5", "100", places=1).filter(lambda m: m != state.mci))
    change = only(diff(edition, with_option(edition, where, n, state=replace(state, mci=mci))))
    assert (change.kind, change.action) == ("state-fee", "changed")
    assert dict(change.old_parts)["mci"] == state.mci and dict(change.new_parts)["mci"] == mci
    assert change.delta_kzt == (mci - state.mci) * edition.mci_kzt


@PROPERTY
@given(years, st.integers(1000, 10000))
def test_a_new_mci_value_indexes_every_state_fee(year, mci_kzt):
    edition = editions()[year]
    changes = diff(edition, replace(edition, mci_kzt=mci_kzt))
    if mci_kzt == edition.mci_kzt:
        assert changes == ()
        return
    assert changes[0].id == "mci" and (changes[0].old, changes[0].new) == (edition.mci_kzt, mci_kzt)
    state_fees = len(options(edition, "state"))
    assert [c.kind for c in changes[1:]] == ["indexation"] * state_fees
    for change in changes[1:]:
        assert change.delta_kzt == dict(change.old_parts)["mci"] * (mci_kzt - edition.mci_kzt)


# -- CSV ----------------------------------------------------------------------------------------

DANGEROUS = "=+-@\t\r"
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def harmless(cell: str) -> bool:
    """A spreadsheet will not run it: no formula lead character, or a plain number; nor will one
    whose list separator is `;` (Russian, Kazakh), which splits the cell at every `,` and `;`."""
    def one(part: str) -> bool:
        return not part or part[0] not in DANGEROUS or NUMBER.fullmatch(part.rstrip(" ")) is not None
    return one(cell) and all(one(part.lstrip(" ")) for part in re.split(r"[,;]", cell)[1:])


def same_text(cell: str, text: str) -> bool:
    """The cell says what the text says: at most a leading quote and (after a `,` or `;`) a
    no-break space added or standing for a space."""
    def bare(s: str) -> str:
        return re.sub(r"([,;]) *\u00a0?", r"\1", s)
    return bare(cell) in (bare(text), "'" + bare(text))


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(st.sampled_from(DANGEROUS), st.text(max_size=20))
def test_formula_cells_are_neutralised(first, rest):
    text = first + rest
    cell = safe_cell(text)
    assert harmless(cell) and same_text(cell, text)


@PROPERTY
@given(st.sampled_from(DANGEROUS), st.text(min_size=1, max_size=20).filter(lambda t: t.strip() == t))
def test_injected_text_cannot_become_a_formula_in_the_csv(first, rest):
    edition = editions()[2026]
    title = first + rest
    changed = with_title(edition, steps(edition)[0], title)
    names = Names(edition, changed, {}, {})
    output = to_csv(diff(edition, changed), names)
    assert output.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(output[1:], newline="")))
    assert rows[0][0] == "id" and [r[2] for r in rows[1:]] == ["en", "ru"]  # one record, a row per language
    assert all(harmless(cell) for row in rows[1:] for cell in row)
    assert any(same_text(cell, title) and cell.startswith("'") != bool(NUMBER.fullmatch(title)) for cell in rows[1])


def test_plain_negative_numbers_stay_numbers():
    assert (safe_cell("-10000"), safe_cell("-4.76"), safe_cell("-2+3"), safe_cell("=1+1"), safe_cell("-٣")) == \
        ("-10000", "-4.76", "'-2+3", "'=1+1", "'-٣")
