"""A validated edition + its seed text → a coverage report (both directions).

The seed is read as the printed page reads: paragraphs, bullets (a line the text
export broke is joined back), fee-table rows. The edition's provenance lines cut
the seed into units (front matter, each section, each service, contacts). Within a
unit every seed paragraph, bullet and table label must equal an official-language
string of the edition, every fee figure must equal the structured figure in the
same row and column, and every official-language string must occur in the seed.
Text is compared after `normalise` (the transcription rules of editions/README.md).
Every printed line an eligibility fact cites (`basis: {line, quote}`) must print its quote.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..edition.eligibility import cited_lines, quote_is_printed, seed_line
from ..edition.loader import dotted
from ..edition.models import Edition, FeeOption, Section, Service, Text, block_texts
from .locate import EditionSource

# Headings the site renders from its own labels; they are not content of an edition.
STRUCTURAL_LABELS = {
    "application process", "application procedure", "required documents", "fees and service time",
    "documents to be submitted", "overview", "table of contents", "for an individual",
    "for a legal entity",
    "процесс подачи заявки", "процедура подачи заявки", "необходимые документы", "тарифы и сроки",
    "обзор", "содержание", "для физического лица", "для юридического лица",
}
CONTACT_LABELS = {
    "working schedule", "for more detailed information", "contact us", "our location",
    "график работы", "для более подробной информации", "контактная информация", "адрес",
}
LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
NOTE_LABEL_RE = re.compile(r"^(note|примечание)\s*:\s*", re.IGNORECASE)
TIME_RE = re.compile(r"(\d{2})[.:](\d{2})")


def normalise(text: str) -> str:
    """Printed text → comparable text: no markdown, single spaces, no list punctuation."""
    text = LINK_RE.sub(r"\1", text).replace("*", "").replace("\u00a0", " ")
    text = " ".join(text.split())
    if text.startswith("- "):
        text = text[2:]
    text = re.sub(r"^\d+\.\s+", "", text)  # list numbering, and the number of a service heading
    text = NOTE_LABEL_RE.sub("", text)
    return text.rstrip(";.,").strip()


def _label_key(text: str) -> str:
    return normalise(text).rstrip(":").strip().lower()


@dataclass
class SeedItem:
    line: int
    text: str = ""
    cells: list[str] | None = None  # a table row

    @property
    def is_row(self) -> bool:
        return self.cells is not None


def seed_lines(path: Path) -> list[str]:
    """The seed's lines as an editor numbers them: a byte-order mark (Windows editors save one)
    is not text, and only a line feed ends a line (str.splitlines would also split at a form
    feed or U+2028 and shift every line number after it)."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return text.removesuffix("\n").split("\n") if text else []


def read_seed(path: Path, stop_joining_at: int) -> list[SeedItem]:
    """Seed lines → items; a line starting in lower case continues an unfinished one."""
    items: list[SeedItem] = []
    for number, raw in enumerate(seed_lines(path), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            if all(re.fullmatch(r"-*", c) for c in cells):
                continue
            items.append(SeedItem(number, cells=cells))
            continue
        stripped = line.strip()
        prev = items[-1] if items else None
        if (prev is not None and not prev.is_row and number < stop_joining_at
                and stripped[0].islower() and not prev.text.rstrip("*").endswith((".", ";", ":"))):
            prev.text += " " + stripped
            continue
        items.append(SeedItem(number, text=stripped))
    return items


# -- figures of fee tables ------------------------------------------------------------------

MONEY_RE = re.compile(r"^(\d{1,3}(?:[ \u00a0]\d{3})*|\d+)(?:\s*KZT)?$")
STATE_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:MCI|МРП)\s*\(([\d \u00a0.,]+?)\s*KZT\)$")
TIME_FIGURE_RE = re.compile(r"^(\d+)(?:\s*[-–]\s*(\d+))?\s*(.+)$")
UNIT_WORDS = [
    (re.compile(r"^business days?$"), {"business-days"}),
    (re.compile(r"^working days?$"), {"working-days"}),
    (re.compile(r"^calendar days?$"), {"calendar-days"}),
    (re.compile(r"^(min|minutes?|минут[аы]?)$"), {"minutes"}),
    (re.compile(r"^рабоч(ий|их|его) (день|дня|дней)$"), {"business-days", "working-days"}),
    (re.compile(r"^календарн(ый|ых) (день|дня|дней)$"), {"calendar-days"}),
]


def column_kind(header: str) -> str:
    h = header.lower()
    if "walk-in" in h:
        return "walk_in"
    if "priority" in h:
        return "priority"
    if "personal manager" in h or "персональный менеджер" in h:
        return "personal_manager"
    if "state fee" in h or "пошлина" in h:
        return "state"
    if "timeframe" in h or "сроки" in h:
        return "timeframe"
    if "service fee" in h or "сервисный сбор" in h:
        return "service"
    return "label"


def _number(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))


def parse_figure(kind: str, cell: str):
    """A printed cell → comparable value; raises ValueError when it does not read as `kind`."""
    if cell in ("-", "–"):
        return None
    if kind == "state":
        m = STATE_RE.match(cell)
        if not m:
            raise ValueError(cell)
        return (_number(m.group(1)), _number(m.group(2)))
    if kind == "timeframe":
        m = TIME_FIGURE_RE.match(cell)
        if not m:
            raise ValueError(cell)
        low, high = int(m.group(1)), int(m.group(2) or m.group(1))
        for pattern, units in UNIT_WORDS:
            if pattern.match(m.group(3).strip().lower()):
                return (low, high, frozenset(units))
        raise ValueError(cell)
    m = MONEY_RE.match(cell)
    if not m:
        raise ValueError(cell)
    return _number(m.group(1))


def structured_figure(kind: str, option: FeeOption):
    if kind == "state":
        return None if option.state is None else (option.state.mci, Decimal(option.state.printed_kzt))
    if kind == "timeframe":
        t = option.timeframe
        return None if t is None else (t.min, t.max, t.unit)
    value = getattr(option, kind)
    return None if value is None else Decimal(value)


def figures_match(kind: str, printed, structured) -> bool:
    if printed is None or structured is None:
        return printed is None and structured is None
    if kind == "timeframe":
        return printed[0] == structured[0] and printed[1] == structured[1] and structured[2] in printed[2]
    return printed == structured


def show(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, tuple) and len(value) == 3:
        return f"{value[0]}–{value[1]} {value[2] if isinstance(value[2], str) else '/'.join(sorted(value[2]))}"
    if isinstance(value, tuple):
        return f"{value[0]} MCI ({value[1]} KZT)"
    return str(value)


# -- the structured side ----------------------------------------------------------------------

@dataclass
class Unit:
    start: int
    name: str
    strings: list[str] = field(default_factory=list)
    options: list[FeeOption] = field(default_factory=list)
    section: str | None = None  # the YAML file: a section id, None for edition.yaml
    path: tuple = ()            # field path of the unit's provenance in that file
    option_paths: list[tuple] = field(default_factory=list)


def _service_texts(service: Service, path: tuple = ()) -> tuple[list[Text], list[FeeOption], list[tuple]]:
    texts = [service.title, *block_texts(service.description)]
    options: list[FeeOption] = []
    option_paths: list[tuple] = []
    for j, step in enumerate(service.steps):
        if step.title is not None:
            texts.append(step.title)
        texts += block_texts(step.description) + list(step.process)
        for doc in step.documents:
            texts.append(doc.text)
            if doc.note is not None:
                texts.append(doc.note)
        if step.fees is not None:
            if step.fees.title is not None:
                texts.append(step.fees.title)
            texts += [o.label for o in step.fees.options if o.label is not None]
            texts += [f.text for f in step.fees.footnotes]
            options += step.fees.options
            option_paths += [path + ("steps", j, "fees", "options", k) for k in range(len(step.fees.options))]
        texts += [n.text for n in step.notes]
    return texts, options, option_paths


def _section_texts(section: Section) -> list[Text]:
    texts = [] if section.provenance.heading is None else [section.title]
    return texts + block_texts(section.intro) + list(section.process)


def build_units(edition: Edition) -> list[Unit]:
    lang = edition.source_language
    by_start: dict[int, Unit] = {}

    def add(start: int, name: str, texts: list[Text], section: str | None, path: tuple,
            options: tuple[FeeOption, ...] | list[FeeOption] = (), option_paths: list[tuple] | None = None):
        unit = by_start.setdefault(start, Unit(start, name, section=section, path=path))
        if name not in unit.name:
            unit.name += " + " + name
        unit.strings += [normalise(t.get(lang)) for t in texts]
        unit.options += list(options)
        unit.option_paths += list(option_paths or [])

    add(1, "front matter", list(edition.cover) + block_texts(edition.overview), None, ("cover",))
    for section in edition.sections:
        add(section.provenance.line, f"section {section.id}", _section_texts(section), section.id, ("provenance",))
        for i, service in enumerate(section.services):
            texts, options, option_paths = _service_texts(service, ("services", i))
            add(service.provenance.line, f"service {service.full_id}", texts, section.id,
                ("services", i, "provenance"), options, option_paths)
    by_start.setdefault(edition.contacts.line, Unit(edition.contacts.line, "contacts", path=("contacts",)))
    return [by_start[k] for k in sorted(by_start)]


# -- the comparison -----------------------------------------------------------------------------

class Locate:
    """Where in the YAML a unit, a value or an official string is, formatted for a message
    (' (editions/2026/x.yaml:12)'); nothing when the edition's files were not given."""

    def __init__(self, source: EditionSource | None, lang: str):
        self.source, self.lang = source, lang

    def __call__(self, section: str | None, path: tuple, fmt: str = " ({})") -> str:
        return "" if self.source is None else fmt.format(self.source.at(section, path))

    def unit(self, unit: Unit, fmt: str = " ({})") -> str:
        return self(unit.section, unit.path, fmt)

    def text(self, unit: Unit, string: str, fmt: str = "{}: ") -> str:
        if self.source is None:
            return ""
        under = unit.path[:-1] if unit.path[-1:] == ("provenance",) else ()
        found = self.source.find(unit.section, self.lang, string, normalise, under)
        return fmt.format(found) if found else self.unit(unit, fmt)


@dataclass
class Coverage:
    total: int = 0
    covered: int = 0
    missing: list[str] = field(default_factory=list)   # in the seed, not in the edition
    extra: list[str] = field(default_factory=list)     # in the edition, not in the seed
    wrong: list[str] = field(default_factory=list)     # in both, but different
    skipped_labels: int = 0

    @property
    def complete(self) -> bool:
        return self.total == self.covered and not self.extra and not self.wrong and not self.missing

    def tick(self, ok: bool, otherwise: str, bucket: list[str] | None = None) -> None:
        self.total += 1
        if ok:
            self.covered += 1
        else:
            (self.missing if bucket is None else bucket).append(otherwise)


def _check_table_rows(unit: Unit, rows: list[SeedItem], cov: Coverage, at: Locate) -> list[SeedItem]:
    """Compare fee rows figure by figure; return the text items (labels) the rows hold."""
    texts: list[SeedItem] = []
    kinds: list[str] = []
    data_rows: list[tuple[SeedItem, list[str]]] = []
    for row in rows:
        cells = row.cells or []
        filled = [c for c in cells if c]
        if all(column_kind(c) != "label" or _label_key(c) in {"service type", "тип услуги"} for c in filled) \
                and not any(_reads_as_figure(c) for c in filled):
            kinds = [column_kind(c) for c in cells]
            continue
        if len(filled) == 1 and cells[0] and not _reads_as_figure(cells[0]):
            texts.append(SeedItem(row.line, text=cells[0]))
            continue
        data_rows.append((row, kinds))
    options = unit.options
    if len(data_rows) != len(options):
        cov.wrong.append(f"{unit.name}{at.unit(unit)}: the seed prints {len(data_rows)} fee row(s), "
                         f"the edition has {len(options)} fee option(s)")
    # a count mismatch is reported above
    for index, ((row, row_kinds), option) in enumerate(zip(data_rows, options, strict=False)):
        yaml_at = at(unit.section, unit.option_paths[index]) if index < len(unit.option_paths) else at.unit(unit)
        for i, cell in enumerate(row.cells or []):
            kind = row_kinds[i] if i < len(row_kinds) else "label"
            if kind == "label":
                if cell:
                    texts.append(SeedItem(row.line, text=cell))
                continue
            mine = structured_figure(kind, option)
            if not cell:
                cov.tick(mine is None and kind in option.blank, f"line {row.line}{yaml_at}: {kind} cell printed blank, "
                         f"the edition has {show(mine)} (record it as not printed: no value, and list {kind!r} in 'blank')",
                         cov.wrong)
                continue
            if cell in ("-", "–"):
                cov.tick(mine is None and kind in option.dash, f"line {row.line}{yaml_at}: {kind} cell printed as a "
                         f"dash, the edition has {show(mine)} (record it as a printed zero: no value, and list "
                         f"{kind!r} in 'dash')", cov.wrong)
                continue
            if kind in option.dash:
                cov.tick(False, f"line {row.line}{yaml_at}: {kind} printed {cell!r}, the edition lists it in 'dash'",
                         cov.wrong)
                continue
            try:
                printed = parse_figure(kind, cell)
            except ValueError:
                cov.tick(False, f"line {row.line}{yaml_at}: cannot read {cell!r} as a {kind} figure", cov.wrong)
                continue
            cov.tick(figures_match(kind, printed, mine),
                     f"line {row.line}{yaml_at}: {kind} printed {cell!r}, the edition has {show(mine)}", cov.wrong)
    return texts


def _reads_as_figure(cell: str) -> bool:
    for kind in ("service", "state", "timeframe"):
        try:
            parse_figure(kind, cell)
            return True
        except ValueError:
            continue
    return cell in ("-", "–")


def _check_contacts(edition: Edition, items: list[SeedItem], cov: Coverage, at: Locate) -> None:
    lang = edition.source_language
    yaml_at = at(None, ("contacts",))
    contacts, schedule = edition.contacts, edition.schedule
    phones = list(contacts.phones)
    addresses = [normalise(t.get(lang)) for t in contacts.address]
    found_address: list[str] = []
    times_seen: list[str] = []
    for item in items:
        text = normalise(item.text)
        if _label_key(text) in CONTACT_LABELS:
            cov.skipped_labels += 1
            continue
        email = re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text)
        phone = re.match(r"^(\+[\d ]+\(\d+\)[\d ]+?)\s*\((.*)\)$", text)
        times = TIME_RE.findall(text)
        if email:
            cov.tick(email.group(0) == contacts.email,
                     f"line {item.line}{yaml_at}: e-mail {email.group(0)!r}, the edition has {contacts.email!r}")
        elif phone:
            number = phone.group(1).strip()
            hours = "-".join(f"{h}:{m}" for h, m in TIME_RE.findall(phone.group(2)))
            match = next((p for p in phones if p.number == number), None)
            cov.tick(match is not None and match.hours == hours,
                     f"line {item.line}{yaml_at}: phone {number} ({hours}) is not in the edition as printed")
            if match is not None:
                phones.remove(match)
        elif len(times) == 2 and not found_address:
            hours = "-".join(f"{h}:{m}" for h, m in times)
            times_seen.append(hours)
            expected = schedule.open if len(times_seen) == 1 else schedule.lunch
            cov.tick(hours == expected, f"line {item.line}{at(None, ('schedule',))}: schedule {hours}, the edition has {expected}")
        else:
            found_address.append(text)
            cov.tick(text in addresses, f"line {item.line}{yaml_at}: {text!r} is not an address line of the edition")
    for unprinted in phones:
        cov.extra.append(f"contacts{yaml_at}: phone {unprinted.number} is not printed in the seed")
    for address in addresses:
        if address not in found_address:
            cov.extra.append(f"contacts{yaml_at}: address line {address!r} is not printed in the seed")
    if len(times_seen) < (2 if schedule.lunch else 1):
        cov.extra.append(f"contacts{at(None, ('schedule',))}: the schedule has hours the seed does not print")


def check_source(edition: Edition, seed: Path, source: EditionSource | None = None) -> Coverage:
    """Compare; with the edition's `source` files, every message names the YAML file:line too."""
    at = Locate(source, edition.source_language)
    cov = Coverage()
    units = build_units(edition)
    items = read_seed(seed, stop_joining_at=edition.contacts.line)
    lines = {i + 1: line for i, line in enumerate(seed_lines(seed))}
    _check_provenance(edition, lines, cov, at)
    _check_citations(edition, lines, cov, at)
    toc = {normalise(i.cells[0]) for i in items if i.cells is not None and i.line < units[1].start}

    for index, unit in enumerate(units):
        end = units[index + 1].start if index + 1 < len(units) else 10 ** 9
        mine = [i for i in items if unit.start <= i.line < end]
        if unit.name == "contacts":
            _check_contacts(edition, mine, cov, at)
            continue
        rows = [i for i in mine if i.is_row]
        texts = [i for i in mine if not i.is_row]
        if unit.start == 1:
            rows = []  # the table of contents: page numbers, not content
        else:
            texts += _check_table_rows(unit, rows, cov, at)
        printed = []
        for item in sorted(texts, key=lambda i: i.line):
            text = normalise(item.text)
            if _label_key(text) in STRUCTURAL_LABELS and not item.text.startswith("- "):
                cov.skipped_labels += 1
                continue
            printed.append(text)
            cov.tick(text in unit.strings, f"line {item.line} ({unit.name}{at.unit(unit, ', {}')}): {text[:100]!r}")
        for string in unit.strings:
            if not any(string in p for p in printed):
                cov.extra.append(f"{at.text(unit, string)}{unit.name}: {string[:100]!r} is not printed in its "
                                 f"part of the seed (lines {unit.start}–{end - 1 if end < 10 ** 9 else len(lines)})")

    for section in edition.sections:
        if section.provenance.heading is None:
            title = normalise(section.title.get(edition.source_language))
            cov.tick(title in toc, f"section {section.id}: title {title!r} is printed neither as a heading "
                     "nor in the table of contents")
    return cov


def section_heading_holds(raw: str, section: Section, lang: str) -> bool:
    """Does this seed line print the section's heading (as recorded and as its title)?"""
    printed = normalise(raw)
    return printed == normalise(section.provenance.heading or "") == normalise(section.title.get(lang))


def service_heading_holds(raw: str, service: Service, lang: str) -> bool:
    """Does this seed line print the service's heading: `N. title`, or the bare title when unnumbered?"""
    prov = service.provenance
    numbered = prov.item is None or raw.strip().startswith(f"{prov.item}. ")
    return numbered and normalise(raw) == normalise(service.title.get(lang))


def _check_provenance(edition: Edition, lines: dict[int, str], cov: Coverage, at: Locate) -> None:
    lang = edition.source_language
    for section in edition.sections:
        if section.provenance.heading is not None:
            raw = lines.get(section.provenance.line, "")
            if not section_heading_holds(raw, section, lang):
                cov.wrong.append(f"section {section.id}{at(section.id, ('provenance', 'line'))}: provenance line "
                                 f"{section.provenance.line} holds {normalise(raw)!r}, not the heading "
                                 f"{section.title.get(lang)!r} (guidebook reanchor {edition.year} re-finds it)")
        for i, service in enumerate(section.services):
            prov = service.provenance
            raw = lines.get(prov.line, "").strip()
            if not service_heading_holds(raw, service, lang):
                expected = normalise(service.title.get(lang))
                heading = f"{prov.item}. {expected}" if prov.item is not None else expected
                cov.wrong.append(f"service {service.full_id}{at(section.id, ('services', i, 'provenance', 'line'))}: "
                                 f"provenance line {prov.line} holds {raw!r}, expected {heading!r} "
                                 f"(guidebook reanchor {edition.year} re-finds it)")


def _check_citations(edition: Edition, lines: dict[int, str], cov: Coverage, at: Locate) -> None:
    """Every printed line an eligibility fact, label explanation or citizenship group cites
    (`basis: {line, quote}`) must print the quoted words (official language)."""
    lang = edition.source_language
    for section in edition.sections:
        for path, basis in cited_lines(section):
            owner = (f"service {section.id}/{section.services[path[1]].id}" if path[0] == "services"
                     else f"section {section.id}")
            where = f"{owner}{at(section.id, path + ('line',))}: {dotted(path)}"
            quote = " ".join(basis.quote.get(lang).split())
            if basis.line not in lines:
                cov.wrong.append(f"{where}: cited line {basis.line} is not in the seed (1 to {len(lines)}); "
                                 f"it quotes {quote[:80]!r}")
            elif not quote_is_printed(quote, lines[basis.line]):
                cov.wrong.append(f"{where}: cited line {basis.line} holds {seed_line(lines[basis.line])[:80]!r}, "
                                 f"which does not print the quoted {quote[:80]!r} "
                                 f"(guidebook reanchor {edition.year} re-finds it)")


def report(edition: Edition, cov: Coverage) -> str:
    out = [f"check-source {edition.year} ({edition.source_language.upper()} official text, {edition.source_file})"]
    for title, entries in (("in the seed, missing from the edition", cov.missing),
                           ("in the edition, not in the seed", cov.extra),
                           ("different in the seed and the edition", cov.wrong)):
        if entries:
            out.append(f"{title} ({len(entries)}):")
            out += [f"  {e}" for e in entries]
    pct = 100 * cov.covered / cov.total if cov.total else 0.0
    shown = f"{pct:.1f}".rstrip("0").rstrip(".") if pct != 100 else "100"
    out.append(f"{cov.covered}/{cov.total} items covered ({shown} %); "
               f"{len(cov.extra)} edition item(s) not in the seed; {cov.skipped_labels} structural labels skipped")
    return "\n".join(out)
