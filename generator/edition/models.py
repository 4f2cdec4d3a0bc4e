"""Typed, frozen models of an edition: edition → sections → services → steps.

Pure data (no I/O). Built only by `validate`, read by render, diff and check_source.
Money is `int` or `Decimal` KZT; a state fee is an MCI multiple whose KZT value is
derived from the edition's MCI.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

LANGUAGES = ("en", "ru")
Money = int | Decimal


@dataclass(frozen=True)
class Text:
    """Bilingual text; `sic` holds a corrected reading of a misprinted official text."""

    en: str
    ru: str
    sic: tuple[tuple[str, str], ...] = ()

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.ru

    def corrected(self, lang: str) -> str | None:
        return dict(self.sic).get(lang)


@dataclass(frozen=True)
class Block:
    """A paragraph (`text`) or a list (`bullets`, optionally numbered)."""

    text: Text | None = None
    bullets: tuple[Text, ...] = ()
    numbered: bool = False


def block_texts(blocks: tuple[Block, ...]) -> list[Text]:
    """The texts of a list of blocks in reading order: a paragraph, then each bullet."""
    return [t for block in blocks for t in ([block.text] if block.text else list(block.bullets))]


@dataclass(frozen=True)
class DocumentKind:
    id: str
    name: Text


@dataclass(frozen=True)
class Validity:
    """How long a document must still be valid: `current` (it must be valid), `amount` `unit`
    (`bound`: more-than | at-least), counted from `counted_from` (None: the print does not
    say), and the blank pages it must have."""

    current: bool = False
    amount: int | None = None
    unit: str | None = None  # months | calendar-days
    bound: str | None = None  # more-than | at-least
    counted_from: str | None = None  # visa-expiry | application
    blank_pages: int | None = None


@dataclass(frozen=True)
class DocumentRef:
    """A required document: catalogue id, this edition's printed wording, and every requirement
    the print states about it as a fact (validated by `requirements`, compared by the diff).

    `forms`: accepted forms (any one of the forms suffices; certified-translation/translation
    are required in addition). `issuers`: who may issue or request it (any one). `variant`: which
    kind of the catalogue's document (e.g. the visa's type). `contents`: what it must show
    (all of them, or any one when `contents_any`). `validity`: how long it must still be valid.
    """

    doc: str
    text: Text
    if_applicable: bool = False
    for_whom: tuple[str, ...] = ()
    copies: int | None = None
    forms: tuple[str, ...] = ()
    dated: str | None = None  # "current-year" or a year as text
    note: Text | None = None
    issuers: tuple[str, ...] = ()
    variant: str | None = None
    contents: tuple[str, ...] = ()
    contents_any: bool = False
    validity: Validity | None = None

    @property
    def key(self) -> str:
        """Identity within a step: the id, plus for whom when the same document is listed twice."""
        return self.doc + ("@" + "+".join(self.for_whom) if self.for_whom else "")


@dataclass(frozen=True)
class StateFee:
    mci: Decimal
    printed_kzt: Money

    def kzt(self, mci_kzt: int) -> Money:
        value = self.mci * mci_kzt
        return int(value) if value == value.to_integral_value() else value


@dataclass(frozen=True)
class Timeframe:
    min: int
    max: int
    unit: str  # business-days | working-days | calendar-days | minutes


@dataclass(frozen=True)
class FeeOption:
    label: Text | None
    service: Money | None = None
    personal_manager: Money | None = None
    walk_in: Money | None = None
    priority: Money | None = None
    state: StateFee | None = None
    timeframe: Timeframe | None = None
    blank: tuple[str, ...] = ()  # fee cells printed empty: a fee the guidebook does not state
    dash: tuple[str, ...] = ()  # fee cells printed as a dash "-": a printed zero (no fee charged)


@dataclass(frozen=True)
class Footnote:
    marker: str
    refers_to: str
    text: Text


@dataclass(frozen=True)
class FeeTable:
    title: Text | None
    options: tuple[FeeOption, ...]
    footnotes: tuple[Footnote, ...] = ()


@dataclass(frozen=True)
class Note:
    kind: str  # general | delay
    text: Text
    extension_calendar_days: int | None = None


@dataclass(frozen=True)
class Step:
    id: str
    title: Text | None
    place: str
    description: tuple[Block, ...] = ()
    process: tuple[Text, ...] = ()
    documents: tuple[DocumentRef, ...] = ()
    fees: FeeTable | None = None
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Provenance:
    line: int
    heading: str | None = None
    item: int | None = None


@dataclass(frozen=True)
class Basis:
    """A printed line an eligibility fact rests on: seed line and the words quoted from it."""

    line: int
    quote: Text


@dataclass(frozen=True)
class JourneyLink:
    """Another service done before or after this one; why, as printed (`basis`) or as ours (`reading`)."""

    service: str  # full id: section/service
    basis: tuple[Basis, ...] = ()
    reading: Text | None = None
    purposes: tuple[str, ...] = ()  # only on journeys for these purposes; () = every purpose of the service


WHERE = ("outside", "inside")  # the guide's answers to "Where is the person?"
CITIZENSHIP = ("cis", "eaeu", "other")  # … and to "Citizenship?"


@dataclass(frozen=True)
class Limit:
    """A printed limit on who a service is for: only these answers to one guide question (where the
    person is, citizenship), and the printed line that states it. A limit is never our reading."""

    only: tuple[str, ...]
    basis: tuple[Basis, ...]


@dataclass(frozen=True)
class Eligibility:
    """Who a service is for (purpose, family) and its usual order. `where` and `citizenship` are
    printed limits; None means the print sets none (the service is for every answer)."""

    purposes: tuple[str, ...]
    basis: tuple[Basis, ...]
    where_limit: Limit | None = None
    citizenship_limit: Limit | None = None
    family: bool = False  # family members are covered by this same service (as printed)
    reading: Text | None = None  # our interpretation where the print is silent
    before: tuple[JourneyLink, ...] = ()
    after: tuple[JourneyLink, ...] = ()

    @property
    def where(self) -> tuple[str, ...]:
        return self.where_limit.only if self.where_limit else WHERE

    @property
    def citizenship(self) -> tuple[str, ...]:
        return self.citizenship_limit.only if self.citizenship_limit else CITIZENSHIP

    def limits(self) -> tuple[tuple[str, Limit], ...]:
        """(question, limit) of every printed limit."""
        return tuple((q, lim) for q, lim in (("where", self.where_limit), ("citizenship", self.citizenship_limit))
                     if lim is not None)


@dataclass(frozen=True)
class Condition:
    """A condition the print states about a service (edition/conditions.py): its kind, what it is
    about (`of`), its values from the kind's vocabulary, and the printed lines it rests on."""

    kind: str  # purpose | categories | trigger | covers | place | deadline | free-of-charge | verification
    of: str
    values: tuple[str, ...]
    basis: tuple[Basis, ...]
    reading: Text | None = None


@dataclass(frozen=True)
class Explanation:
    """What a printed fee-row label means (e.g. "For Expert"), in our words, and what it rests on."""

    label: str  # the label as printed (official language)
    text: Text
    basis: tuple[Basis, ...]
    reading: Text | None = None


@dataclass(frozen=True)
class CitizenshipGroup:
    """A citizenship group the print names (CIS, EAEU): members and how long a stay needs a permit."""

    id: str  # cis | eaeu
    stay_over_days: int
    basis: tuple[Basis, ...]
    members: tuple[Text, ...] = ()
    reading: Text | None = None


@dataclass(frozen=True)
class Service:
    id: str
    section: str
    title: Text
    provenance: Provenance
    description: tuple[Block, ...] = ()
    steps: tuple[Step, ...] = ()
    eligibility: Eligibility | None = None
    explains: tuple[Explanation, ...] = ()
    conditions: tuple[Condition, ...] = ()

    @property
    def full_id(self) -> str:
        return f"{self.section}/{self.id}"


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    provenance: Provenance
    intro: tuple[Block, ...] = ()
    process: tuple[Text, ...] = ()
    services: tuple[Service, ...] = ()
    title_prefix: bool = False  # printed service headings do not name the service: prefix the section title
    groups: tuple[CitizenshipGroup, ...] = ()


@dataclass(frozen=True)
class Phone:
    number: str
    hours: str  # "HH:MM-HH:MM"


@dataclass(frozen=True)
class Contacts:
    line: int
    email: str
    phones: tuple[Phone, ...]
    address: tuple[Text, ...]


@dataclass(frozen=True)
class Schedule:
    open: str
    lunch: str | None


@dataclass(frozen=True)
class Interpretation:
    """Our reading where the print is silent, recorded as ours: how the `fee` column is paid
    (`paid`: instead-of-service | on-top-of-service), with a bilingual note for readers."""

    id: str
    fee: str  # personal_manager | walk_in
    paid: str
    note: Text


@dataclass(frozen=True)
class Edition:
    year: int
    status: str  # draft | published
    source_language: str
    source_file: str | None  # None only in a draft whose printed text has not arrived
    effective_from: date | None
    mci_kzt: int
    cover: tuple[Text, ...]
    overview: tuple[Block, ...]
    sections: tuple[Section, ...]
    contacts: Contacts
    schedule: Schedule
    interpretations: tuple[Interpretation, ...] = ()
    # The printed seed's lines (line n is printed[n - 1]); () in a draft without one. Kept out of
    # equality and repr: two editions differ by their facts, not by where they were read from.
    printed: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def reading(self, fee: str) -> Interpretation | None:
        """The recorded reading of how a fee column is paid, if any."""
        return next((i for i in self.interpretations if i.fee == fee), None)

    @property
    def translation_language(self) -> str:
        return "ru" if self.source_language == "en" else "en"

    def services(self) -> tuple[Service, ...]:
        return tuple(s for section in self.sections for s in section.services)

    def service(self, full_id: str) -> Service | None:
        return next((s for s in self.services() if s.full_id == full_id), None)

    def groups(self) -> dict[str, CitizenshipGroup]:
        return {g.id: g for section in self.sections for g in section.groups}


@dataclass(frozen=True)
class Library:
    """Everything validated: the document catalogue and every edition, by year."""

    documents: dict  # id → DocumentKind
    editions: dict  # year → Edition
    ui: dict = field(default_factory=dict)  # label key → Text (content/ui.yaml)
