"""Loaded YAML (data + positions) → frozen models, or every located problem at once.

`load_library(root, years)` is the one entry point: it reads the document catalogue
(`content/documents/*.yaml`) and the chosen editions (`editions/<year>/`), checks
shape, types, unknown keys, ids, references, translations and MCI arithmetic, and
returns a `Library` or raises `ProblemsFound` with all problems found.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from .amounts import group_kzt
from .conditions import ConditionReader
from .eligibility import EligibilityReader, check_links
from .errors import Problem, ProblemsFound, describe
from .loader import REJECTED, LoadedFile, dotted, load_yaml
from .models import (
    LANGUAGES,
    Block,
    Contacts,
    DocumentKind,
    DocumentRef,
    Edition,
    FeeOption,
    FeeTable,
    Footnote,
    Interpretation,
    Library,
    Note,
    Phone,
    Provenance,
    Schedule,
    Section,
    Service,
    StateFee,
    Step,
    Text,
    Timeframe,
)
from .paths import check_tree, edition_years, unreadable
from .payable import READ_FEES, READINGS
from .requirements import KEYS as REQUIREMENT_KEYS
from .requirements import read_requirements

# Patterns are applied with fullmatch: `$` alone would accept a final newline ("iin\n").
ID_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
HOURS_RE = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]")
# An address and nothing else: a mailto: link takes ?cc=&body= after it, so no query, no spaces,
# only the characters of ordinary addresses (ASCII letters, digits, . _ % + - and a dotted domain).
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]{1,64}@(?=.{4,253}\Z)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
                      re.ASCII)
PHONE_RE = re.compile(r"\+[0-9 ()-]{6,40}")
MAX_ID = 80                # characters of an id (the longest real one has 44)
MAX_COUNT = 10**6          # any whole number of the format: copies, days, seed lines, KZT per MCI
MAX_MCI = 10**4            # an MCI multiple (the print has 0.5 to 30)
FOR_WHOM = ("dependants", "main-applicant", "category-b2", "category-b3", "representative-office",
            "individual", "legal-entity", "foreign-legal-entity", "resident-individual", "child-14-18")
FORMS = ("original", "notarised", "copy", "notarised-copy", "stamped-copy", "apostilled", "legalised",
         "certified-translation", "translation", "electronic")
PLACES = ("expat-centre", "embassy", "embassy-or-airport")
UNITS = ("business-days", "working-days", "calendar-days", "minutes")
FEE_FIELDS = ("service", "personal_manager", "walk_in", "priority")
NOTE_KINDS = ("general", "delay")
MAX_SEED_BYTES = 4 * 1024 * 1024   # the printed seeds are under 100 KB
# The editorial checks of `guidebook lint` a text may waive (`waive: {code: reason}`).
LINT_CODES = ("stale-year", "mixed-script", "doubled-punctuation", "document-wording", "term-forms", "misprint")
MISSING = object()
# The date a cover line prints ("Effective from 01.01.2026"): day, month, year.
COVER_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")


class Reader:
    """Turns one loaded file into models; every problem found is appended, none raised."""

    def __init__(self, loaded: LoadedFile, problems: list[Problem], official: str | None = None,
                 published: bool = True):
        self.loaded = loaded
        self.problems = problems
        self.official = official
        self.published = published

    # -- reporting -----------------------------------------------------------------------
    def problem(self, path: tuple, message: str) -> None:
        line, col = self.loaded.where(path)
        self.problems.append(Problem(self.loaded.rel, line, col, dotted(path), message))

    def expected(self, path: tuple, what: str, found) -> None:
        if found is REJECTED:
            return  # the loader reported it
        if found is MISSING:
            self.problem(path, f"expected {what}, found nothing (the key is missing)")
        else:
            self.problem(path, f"expected {what}, found {describe(found)}{self.loaded.reading_hint(path, found)}")

    def misread(self, path: tuple, value, what: str) -> bool:
        """True (and a problem) where only YAML 1.1 reads the unquoted text as this number or
        truth value (`20:00` as 1200, `04325` as 2261, `yes` as true): never taken silently."""
        why = self.loaded.yaml11.get(tuple(path))
        if why is None:
            return False
        written = self.loaded.plain[tuple(path)]
        self.problem(path, f"expected {what}, found the unquoted {written}, which YAML reads as {describe(value)} "
                     f"({why}); write the value you mean plainly (e.g. {describe(value)}), or quote it if it is a text")
        return True

    # -- shapes --------------------------------------------------------------------------
    def mapping(self, value, path: tuple, required: tuple[str, ...], optional: tuple[str, ...] = ()):
        """The mapping with every key present (absent optional keys → MISSING), or None."""
        if not isinstance(value, dict):
            self.expected(path, "a mapping with keys " + ", ".join(required + optional), value)
            return None
        allowed = required + optional
        for key in value:
            if key not in allowed:
                self.problem(path + (key,), f"unknown key {key!r}; expected one of: {', '.join(allowed)}")
        # A missing required key is reported by the typed reader of that key, which knows
        # what was expected there.
        return {key: value.get(key, MISSING) for key in allowed}

    def seq(self, value, path: tuple, item, *, optional: bool = True) -> tuple:
        if value is MISSING and optional:
            return ()
        if not isinstance(value, list):
            self.expected(path, "a list", value)
            return ()
        out = []
        for i, element in enumerate(value):
            made = item(element, path + (i,))
            if made is not None:
                out.append(made)
        return tuple(out)

    # -- scalars -------------------------------------------------------------------------
    def string(self, value, path: tuple, what: str = "a text"):
        if not isinstance(value, str) or not value.strip():
            self.expected(path, what, value)
            return None
        return value

    def ident(self, value, path: tuple):
        if not isinstance(value, str) or not ID_RE.fullmatch(value):
            self.expected(path, "an id in lower-case kebab-case (e.g. 'consent-form')", value)
            return None
        if len(value) > MAX_ID:  # ids name pages and folders: a file name has at most 255 bytes
            self.problem(path, f"expected an id of at most {MAX_ID} characters, found one of {len(value)} "
                         f"({describe(value)}); shorten it")
            return None
        return value

    def integer(self, value, path: tuple, what: str = "a whole number", minimum: int = 0,
                maximum: int = MAX_COUNT):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.expected(path, what, value)
            return None
        if self.misread(path, value, what):
            return None
        if value > maximum:
            self.expected(path, f"{what}, at most {maximum}", value)
            return None
        return value

    def money(self, value, path: tuple):
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or value < 0:
            self.expected(path, "an amount in KZT (a number, e.g. 40000)", value)
            return None
        if self.misread(path, value, "an amount in KZT (a number, e.g. 40000)"):
            return None
        if value > 10**12:
            self.expected(path, "an amount in KZT below 1 000 000 000 000", value)
            return None
        if isinstance(value, Decimal):
            if value != value.quantize(Decimal("0.01")):
                self.expected(path, "an amount in KZT with at most 2 decimals (tiyn)", value)
                return None
            if value == value.to_integral_value():
                return int(value)
        return value

    def enum(self, value, path: tuple, choices: tuple[str, ...]):
        if value not in choices:
            self.expected(path, "one of " + ", ".join(choices), value)
            return None
        return value

    def boolean(self, value, path: tuple, default: bool = False) -> bool:
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.expected(path, "true or false", value)
            return default
        if self.misread(path, value, "true or false"):
            return default
        return value

    # -- bilingual text ------------------------------------------------------------------
    def text(self, value, path: tuple, *, optional: bool = False):
        if value is MISSING:
            if not optional:
                self.expected(path, "a bilingual text {en: …, ru: …}", value)
            return None
        fields = self.mapping(value, path, (), ("en", "ru", "sic", "waive"))
        if fields is None:
            return None
        found = {}
        for lang in LANGUAGES:
            raw = fields[lang]
            if raw is MISSING or raw is None or (isinstance(raw, str) and not raw.strip()):
                if lang == self.official or self.published:
                    role = "the official text" if lang == self.official else "a translation"
                    self.problem(path + (lang,), f"expected {role} in {lang.upper()}, found nothing"
                                 + ("" if lang == self.official else " (published editions need both languages)"))
                found[lang] = ""
            elif not isinstance(raw, str):
                self.expected(path + (lang,), "a text", raw)
                found[lang] = ""
            else:
                found[lang] = raw
        sic: tuple[tuple[str, str], ...] = ()
        if fields["sic"] is not MISSING:
            sic_fields = self.mapping(fields["sic"], path + ("sic",), (), LANGUAGES)
            if sic_fields is not None:
                for lang in LANGUAGES:
                    if sic_fields[lang] is MISSING:
                        continue
                    if lang != self.official:
                        self.problem(path + ("sic", lang), f"expected a correction of the official text "
                                     f"({(self.official or '?').upper()}) only, found one for {lang.upper()}")
                    elif self.string(sic_fields[lang], path + ("sic", lang)):
                        sic += ((lang, sic_fields[lang]),)
        if fields["waive"] is not MISSING:
            self.waivers(fields["waive"], path + ("waive",))
        return Text(en=found["en"], ru=found["ru"], sic=sic)

    def waivers(self, value, path: tuple) -> None:
        """`waive: {code: reason}`: lint findings an editor has reviewed and accepted (read by lint)."""
        if not isinstance(value, dict) or not value:
            self.expected(path, "a mapping of lint code → reason, e.g. {term-forms: \"printed so in both editions\"}", value)
            return
        for code, reason in value.items():
            if code not in LINT_CODES:
                self.problem(path + (code,), f"unknown lint code {code!r}; expected one of: {', '.join(LINT_CODES)}")
            self.string(reason, path + (code,), "the reason for the waiver (a text)")

    def blocks(self, value, path: tuple) -> tuple[Block, ...]:
        def block(item, p):
            fields = self.mapping(item, p, (), ("text", "bullets", "numbered"))
            if fields is None:
                return None
            has_text, has_bullets = fields["text"] is not MISSING, fields["bullets"] is not MISSING
            if has_text == has_bullets:
                self.expected(p, "a block with exactly one of 'text' or 'bullets'", item)
                return None
            if has_text:
                if fields["numbered"] is not MISSING:
                    self.problem(p + ("numbered",), "expected 'numbered' only on a bullets block, found it on a text block")
                return Block(text=self.text(fields["text"], p + ("text",)))
            return Block(bullets=self.seq(fields["bullets"], p + ("bullets",), self.text, optional=False),
                         numbered=self.boolean(fields["numbered"], p + ("numbered",)))
        return self.seq(value, path, block)

    def provenance(self, value, path: tuple, *, item: bool) -> Provenance | None:
        fields = self.mapping(value, path, ("line",), ("heading", "item") if item else ("heading",))
        if fields is None:
            return None
        line = self.integer(fields["line"], path + ("line",), "a seed line number (1 or more)", 1)
        heading = fields["heading"]
        if heading is MISSING or heading is None:
            heading = None
        else:
            heading = self.string(heading, path + ("heading",), "the printed heading text, or null")
        number = None
        if item and fields["item"] not in (MISSING, None):
            number = self.integer(fields["item"], path + ("item",), "the printed item number (1 or more), or null", 1)
        return Provenance(line=line or 1, heading=heading, item=number)


# -- the catalogue ---------------------------------------------------------------------------

class Catalogue(dict):
    """Document id → DocumentKind; `unloaded` names the catalogue files YAML could not read, whose
    ids the editions are then not checked against (each would read as an unknown id)."""

    unloaded: tuple[str, ...] = ()


def read_catalogue(root: Path, problems: list[Problem]) -> dict[str, DocumentKind]:
    catalogue = Catalogue()
    first_seen: dict[str, str] = {}
    folder = root / "content" / "documents"
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        problems.append(Problem("content/documents", 1, 1, "", "expected the document catalogue "
                                "(one or more *.yaml files), found none"))
    for file in files:
        rel = file.relative_to(root).as_posix()
        before = len(problems)
        loaded = load_project_yaml(root, file, problems)
        if loaded is None:
            catalogue.unloaded += (rel,)
            problems[before:] = [
                Problem(p.file, p.line, p.column, p.path, f"{p.message}; the editions were not checked against "
                        f"{file.name} (their documents from it wait until it loads)") for p in problems[before:]]
            continue
        reader = Reader(loaded, problems, official=None, published=True)

        def kind(item, path, reader=reader, rel=rel):
            fields = reader.mapping(item, path, ("id", "name"))
            if fields is None:
                return None
            doc_id = reader.ident(fields["id"], path + ("id",))
            name = reader.text(fields["name"], path + ("name",))
            if doc_id is None or name is None:
                return None
            if doc_id in catalogue:
                reader.problem(path + ("id",), f"expected a new document id, found {doc_id!r} "
                               f"which is already defined in {first_seen[doc_id]}")
                return None
            catalogue[doc_id] = DocumentKind(id=doc_id, name=name)
            first_seen[doc_id] = rel
            return doc_id

        reader.seq(loaded.data, (), kind, optional=False)
    return catalogue


# -- one edition -----------------------------------------------------------------------------

class EditionReader:
    """Reads `editions/<year>/`: edition.yaml, then each listed section file."""

    def __init__(self, root: Path, folder: Path, catalogue: dict, problems: list[Problem]):
        self.root, self.folder, self.catalogue, self.problems = root, folder, catalogue, problems

    def read(self) -> Edition | None:
        meta_file = self.folder / "edition.yaml"
        rel = meta_file.relative_to(self.root).as_posix()
        if not (meta_file.exists() or meta_file.is_symlink()):
            self.problems.append(Problem(rel, 0, 0, "", "expected edition.yaml in every edition folder, found none"))
            return None
        before = len(self.problems)
        loaded = load_project_yaml(self.root, meta_file, self.problems)
        if loaded is None:
            return None
        head = Reader(loaded, self.problems)
        fields = head.mapping(loaded.data, (), (
            "year", "status", "source_language", "source_file", "mci_kzt",
            "cover", "sections", "contacts", "schedule"), ("effective_from", "overview", "interpretations"))
        if fields is None:
            return None
        official = head.enum(fields["source_language"], ("source_language",), LANGUAGES)
        status = head.enum(fields["status"], ("status",), ("draft", "published"))
        r = Reader(loaded, self.problems, official=official, published=status != "draft")

        year = r.integer(fields["year"], ("year",), "a year (e.g. 2026)", 1900, 9999)
        if year is not None and self.folder.name != str(year):
            r.problem(("year",), f"expected {self.folder.name} (the folder's name), found {year}")
        if fields["source_file"] is None and status == "draft":
            source_file = None  # a new draft has no printed text yet
        else:
            source_file = r.string(fields["source_file"], ("source_file",),
                                   "the seed file name" + (" (null only in a draft)" if status != "draft" else ""))
        if source_file:
            source_file = self._seed(r, source_file)
        self.eligibility_readers: list[EligibilityReader] = []
        self.unloaded: list[str] = []  # section files YAML could not read (syntax, size, encoding)
        self.group_uses: list[tuple] = []
        effective = self._date(r, fields["effective_from"], ("effective_from",))
        mci = r.integer(fields["mci_kzt"], ("mci_kzt",), "the KZT value of 1 MCI (a whole number)", 1)
        cover = r.seq(fields["cover"], ("cover",), r.text, optional=False)
        if status == "published" and official and cover:
            self._effective_as_printed(r, cover, official, effective)
        overview = r.blocks(fields["overview"], ("overview",))
        contacts = self._contacts(r, fields["contacts"])
        schedule = self._schedule(r, fields["schedule"])
        interpretations = r.seq(fields["interpretations"], ("interpretations",), lambda v, p: self._interpretation(r, v, p))
        self._unique(r, interpretations, ("interpretations",), "interpretation id")
        self._unique(r, interpretations, ("interpretations",), "fee per interpretation (one reading per fee)",
                     key=lambda i: i.fee)

        section_ids = r.seq(fields["sections"], ("sections",), r.ident, optional=False)
        sections = []
        seen = set()
        for i, section_id in enumerate(section_ids):
            if section_id in seen:
                r.problem(("sections", i), f"expected each section once, found {section_id!r} again")
                continue
            seen.add(section_id)
            file = self.folder / f"{section_id}.yaml"
            if not (file.exists() or file.is_symlink()):
                folder = self.folder.relative_to(self.root).as_posix()
                r.problem(("sections", i), f"expected a file {section_id}.yaml in {folder}/, found none")
                continue
            section = self._section(file, section_id, official, status != "draft", mci)
            if section is not None:
                sections.append(section)
        if not self.unloaded:  # links into a file YAML cannot read would all look broken: not checked
            check_links(self.eligibility_readers, {s.full_id for section in sections for s in section.services},
                        {g.id for section in sections for g in section.groups}, self.group_uses)
        for file in sorted(self.folder.glob("*.yaml")):
            # changes.yaml is the register of changes, read by changes/register.py
            if file.name not in ("edition.yaml", "changes.yaml") and file.stem not in seen:
                r.problem(("sections",), f"expected every section file to be listed, found {file.name} not listed")
        if len(self.problems) > before:
            return None
        return Edition(year=year, status=status, source_language=official, source_file=source_file,
                       effective_from=effective, mci_kzt=mci, cover=cover, overview=overview,
                       sections=tuple(sections), contacts=contacts, schedule=schedule,
                       interpretations=interpretations, printed=self._printed(source_file))

    @staticmethod
    def _interpretation(r: Reader, value, path) -> Interpretation | None:
        """Our reading where the print is silent: how a fee column is paid, and a note saying so."""
        fields = r.mapping(value, path, ("id", "fee", "paid", "note"))
        if fields is None:
            return None
        ident = r.ident(fields["id"], path + ("id",))
        fee = r.enum(fields["fee"], path + ("fee",), READ_FEES)
        paid = r.enum(fields["paid"], path + ("paid",), READINGS)
        note = r.text(fields["note"], path + ("note",))
        if None in (ident, fee, paid, note):
            return None
        return Interpretation(id=ident, fee=fee, paid=paid, note=note)

    def _printed(self, source_file: str | None) -> tuple[str, ...]:
        """The seed's lines (already checked readable UTF-8 by `_seed`)."""
        if not source_file:
            return ()
        return tuple((self.folder / source_file).read_text(encoding="utf-8").splitlines())

    def _seed(self, r: Reader, name: str) -> str | None:
        """The printed seed: a UTF-8 file beside edition.yaml, inside the project."""
        seed = self.folder / name
        if name in (".", "..") or "/" in name or "\\" in name:
            r.problem(("source_file",), f"expected a file name beside edition.yaml (no folders), found {name!r}")
            return None
        if not (seed.exists() or seed.is_symlink()):
            r.problem(("source_file",), f"expected a file beside edition.yaml, found no file {name!r}")
            return None
        why = unreadable(self.root, seed)
        if why is None and seed.stat().st_size > MAX_SEED_BYTES:
            why = f"expected a seed of at most {MAX_SEED_BYTES // 1024 // 1024} MB, found {seed.stat().st_size:,} bytes"
        if why is None:
            raw = seed.read_bytes()
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = raw[:exc.start].count(b"\n") + 1
                why = f"expected UTF-8 text, found the byte 0x{raw[exc.start]:02x} on line {line}"
        if why is not None:
            r.problem(("source_file",), f"{why} ({name!r})")
            return None
        return name

    @staticmethod
    def _effective_as_printed(r: Reader, cover, official: str, effective) -> None:
        """A published edition whose cover prints its date ("Effective from 01.01.2026") states
        `effective_from`, the same date; a draft may leave it null (its cover keeps the old date)."""
        for i, line in enumerate(cover):
            if line is None:
                continue
            match = COVER_DATE_RE.search(line.get(official))
            if match is None:
                continue
            day, month, year = (int(part) for part in match.groups())
            try:
                printed = date(year, month, day)
            except ValueError:
                r.problem(("cover", i, official), f"expected a calendar date on the cover, found {match.group(0)}")
                return
            if effective != printed:
                found = "nothing (null)" if effective is None else effective.isoformat()
                r.problem(("effective_from",), f"expected {printed.isoformat()} (the date the cover prints, "
                          f"cover[{i}].{official}: {match.group(0)}) in a published edition, found {found}")
            return

    @staticmethod
    def _date(r: Reader, value, path):
        if value is None or value is MISSING:
            return None
        if isinstance(value, datetime):  # a subclass of date; the export's schema wants a date
            r.problem(path, f"expected an ISO date (YYYY-MM-DD) or null, found a date and time "
                      f"({value.isoformat()}); write the date alone ({value.date().isoformat()})")
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        r.expected(path, "an ISO date (YYYY-MM-DD) or null", value)
        return None

    @staticmethod
    def _hours(r: Reader, value, path):
        if not isinstance(value, str) or not HOURS_RE.fullmatch(value):
            r.expected(path, "opening hours as 'HH:MM-HH:MM'", value)
            return None
        return value

    def _contacts(self, r: Reader, value):
        fields = r.mapping(value, ("contacts",), ("line", "email", "phones", "address"))
        if fields is None:
            return None
        line = r.integer(fields["line"], ("contacts", "line"), "a seed line number (1 or more)", 1)
        email = fields["email"]
        if not isinstance(email, str) or not EMAIL_RE.fullmatch(email):
            r.expected(("contacts", "email"), "an e-mail address alone, such as 'expat@aifc.kz' "
                       "(no name, no spaces, no ?cc= or other query)", email)

        def phone(item, path):
            pf = r.mapping(item, path, ("number", "hours"))
            if pf is None:
                return None
            number = pf["number"]
            if not isinstance(number, str) or not PHONE_RE.fullmatch(number):
                r.expected(path + ("number",), "a phone number such as '+7 (7172) 64 73 33'", number)
                number = None
            hours = self._hours(r, pf["hours"], path + ("hours",))
            return Phone(number=number, hours=hours) if number and hours else None

        phones = r.seq(fields["phones"], ("contacts", "phones"), phone, optional=False)
        address = r.seq(fields["address"], ("contacts", "address"), r.text, optional=False)
        return Contacts(line=line or 1, email=email, phones=phones, address=address)

    def _schedule(self, r: Reader, value):
        fields = r.mapping(value, ("schedule",), ("open",), ("lunch",))
        if fields is None:
            return None
        lunch = None if fields["lunch"] in (MISSING, None) else self._hours(r, fields["lunch"], ("schedule", "lunch"))
        return Schedule(open=self._hours(r, fields["open"], ("schedule", "open")), lunch=lunch)

    # -- sections and below ------------------------------------------------------------------
    def _section(self, file: Path, section_id: str, official, published: bool, mci_kzt) -> Section | None:
        before = len(self.problems)
        loaded = load_project_yaml(self.root, file, self.problems)
        if loaded is None:
            # One problem, not a cascade: the other files' links into this one are not checked
            # (each would read as a link to a missing service), and the problem says so.
            self.unloaded.append(file.name)
            self.problems[before:] = [
                Problem(p.file, p.line, p.column, p.path, f"{p.message}; the other files were not checked against "
                        f"{file.name} (their links to its services wait until it loads)")
                for p in self.problems[before:]]
            return None
        r = Reader(loaded, self.problems, official=official, published=published)
        fields = r.mapping(loaded.data, (), ("id", "provenance", "title", "services"),
                           ("intro", "process", "title_prefix", "groups"))
        if fields is None:
            return None
        found_id = r.ident(fields["id"], ("id",))
        if found_id and found_id != section_id:
            r.problem(("id",), f"expected {section_id!r} (the file's name), found {found_id!r}")
        provenance = r.provenance(fields["provenance"], ("provenance",), item=False)
        title = r.text(fields["title"], ("title",))
        intro = r.blocks(fields["intro"], ("intro",))
        process = r.seq(fields["process"], ("process",), r.text)
        er = EligibilityReader(r, MISSING)
        self.eligibility_readers.append(er)
        groups = er.groups(fields["groups"], ("groups",))
        self._unique(r, groups, ("groups",), "citizenship group")
        services = r.seq(fields["services"], ("services",),
                         lambda item, path: self._service(r, er, item, path, section_id, mci_kzt), optional=False)
        self._unique(r, services, ("services",), "service id")
        if provenance is None:  # a required field: its problem is reported
            return None
        return Section(id=section_id, title=title, provenance=provenance, intro=intro, process=process,
                       services=services, title_prefix=r.boolean(fields["title_prefix"], ("title_prefix",)),
                       groups=groups)

    @staticmethod
    def _unique(r: Reader, items, path: tuple, what: str, key=lambda x: x.id):
        seen: dict = {}
        for i, item in enumerate(items):
            k = key(item)
            if k in seen:
                r.problem(path + (i,), f"expected a unique {what}, found {k!r} again (first at {dotted(path + (seen[k],))})")
            else:
                seen[k] = i

    def _service(self, r: Reader, er: EligibilityReader, item, path, section_id, mci_kzt) -> Service | None:
        fields = r.mapping(item, path, ("id", "provenance", "title"), ("description", "steps", "eligibility", "explains", "conditions"))
        if fields is None:
            return None
        service_id = r.ident(fields["id"], path + ("id",))
        provenance = r.provenance(fields["provenance"], path + ("provenance",), item=True)
        title = r.text(fields["title"], path + ("title",))
        description = r.blocks(fields["description"], path + ("description",))
        steps = r.seq(fields["steps"], path + ("steps",), lambda s, p: self._step(r, s, p, mci_kzt))
        self._unique(r, steps, path + ("steps",), "step id")
        eligibility = er.eligibility(fields["eligibility"], path + ("eligibility",))
        labels = {o.label.get(r.official) for step in steps if step.fees for o in step.fees.options
                  if o.label is not None and r.official}
        explains = er.explains(fields["explains"], path + ("explains",), labels)
        conditions = ConditionReader(r, er, MISSING).conditions(fields["conditions"], path + ("conditions",))
        if eligibility is not None:
            limit = eligibility.citizenship_limit
            self.group_uses += [(r, path + ("eligibility", "citizenship", "only", i), c)
                                for i, c in enumerate(limit.only if limit else ()) if c != "other"]
        if service_id is None or title is None or provenance is None:
            return None
        return Service(id=service_id, section=section_id, title=title, provenance=provenance,
                       description=description, steps=steps, eligibility=eligibility, explains=explains,
                       conditions=conditions)

    def _step(self, r: Reader, item, path, mci_kzt) -> Step | None:
        fields = r.mapping(item, path, ("id", "title", "place"),
                           ("description", "process", "documents", "fees", "notes"))
        if fields is None:
            return None
        step_id = r.ident(fields["id"], path + ("id",))
        title = None
        if fields["title"] is MISSING:
            r.expected(path + ("title",), "a bilingual text {en: …, ru: …}, or null for an untitled step", MISSING)
        elif fields["title"] is not None:
            title = r.text(fields["title"], path + ("title",))
        place = r.enum(fields["place"], path + ("place",), PLACES)
        documents = r.seq(fields["documents"], path + ("documents",), lambda d, p: self._document(r, d, p))
        self._unique(r, documents, path + ("documents",), "document (id and 'for')", key=lambda d: d.key)
        fees = None
        if fields["fees"] is not MISSING:
            fees = self._fees(r, fields["fees"], path + ("fees",), mci_kzt)
        return Step(id=step_id, title=title, place=place,
                    description=r.blocks(fields["description"], path + ("description",)),
                    process=r.seq(fields["process"], path + ("process",), r.text),
                    documents=documents, fees=fees,
                    notes=r.seq(fields["notes"], path + ("notes",), lambda n, p: self._note(r, n, p)))

    def _document(self, r: Reader, item, path) -> DocumentRef | None:
        fields = r.mapping(item, path, ("doc", "text"),
                           ("if_applicable", "for", "copies", "forms", "dated", "note") + REQUIREMENT_KEYS)
        if fields is None:
            return None
        doc = r.ident(fields["doc"], path + ("doc",))
        if doc is not None and doc not in self.catalogue:
            if not getattr(self.catalogue, "unloaded", ()):  # else perhaps in the file that did not load
                r.problem(path + ("doc",), f"expected an id of the document catalogue (content/documents/), "
                          f"found unknown id {doc!r}")
            doc = None
        for_whom = r.seq(fields["for"], path + ("for",), lambda v, p: r.enum(v, p, FOR_WHOM))
        forms = r.seq(fields["forms"], path + ("forms",), lambda v, p: r.enum(v, p, FORMS))
        copies = None
        if fields["copies"] not in (MISSING, None):
            copies = r.integer(fields["copies"], path + ("copies",), "a number of copies (1 or more)", 1)
        dated = None
        if fields["dated"] not in (MISSING, None):
            raw = fields["dated"]
            if raw == "current-year":
                dated = raw
            elif isinstance(raw, int) and not isinstance(raw, bool) and 1990 <= raw <= 2100:
                if not r.misread(path + ("dated",), raw, "'current-year' or a year (e.g. 2025)"):
                    dated = str(raw)
            else:
                r.expected(path + ("dated",), "'current-year' or a year (e.g. 2025)", raw)
        text = r.text(fields["text"], path + ("text",))
        note = r.text(fields["note"], path + ("note",), optional=True)
        facts = read_requirements(r, item, path, doc)
        if doc is None or text is None:
            return None
        return DocumentRef(doc=doc, text=text, if_applicable=r.boolean(fields["if_applicable"], path + ("if_applicable",)),
                           for_whom=tuple(sorted(set(for_whom))), copies=copies,
                           forms=tuple(sorted(set(forms))), dated=dated, note=note, **facts)

    def _fees(self, r: Reader, value, path, mci_kzt) -> FeeTable | None:
        fields = r.mapping(value, path, ("options",), ("title", "footnotes"))
        if fields is None:
            return None
        title = r.text(fields["title"], path + ("title",), optional=True)
        options = r.seq(fields["options"], path + ("options",), lambda o, p: self._option(r, o, p, mci_kzt), optional=False)
        if not options and isinstance(fields["options"], list) and not fields["options"]:
            r.expected(path + ("options",), "at least one fee option (a row of the printed table)", "an empty list")

        def footnote(item, p):
            ff = r.mapping(item, p, ("marker", "refers_to", "text"))
            if ff is None:
                return None
            marker = ff["marker"]
            if not isinstance(marker, str) or not re.fullmatch(r"\*{1,3}", marker):
                r.expected(p + ("marker",), "a footnote marker: '*', '**' or '***'", marker)
            refers = r.enum(ff["refers_to"], p + ("refers_to",), FEE_FIELDS + ("state", "timeframe"))
            if refers and options and all(getattr(o, refers) is None for o in options):
                r.problem(p + ("refers_to",), f"expected a fee column the table has, found {refers!r} "
                          "which no option of this table prices")
            text = r.text(ff["text"], p + ("text",))
            return Footnote(marker=marker, refers_to=refers, text=text) if refers and text else None

        footnotes = r.seq(fields["footnotes"], path + ("footnotes",), footnote)
        return FeeTable(title=title, options=options, footnotes=footnotes)

    def _option(self, r: Reader, value, path, mci_kzt) -> FeeOption | None:
        fields = r.mapping(value, path, (), ("label",) + FEE_FIELDS + ("state", "timeframe", "blank", "dash"))
        if fields is None:
            return None
        amounts = {}
        for name in FEE_FIELDS:
            if fields[name] not in (MISSING, None):
                amounts[name] = r.money(fields[name], path + (name,))
        state = None
        if fields["state"] not in (MISSING, None):
            state = self._state(r, fields["state"], path + ("state",), mci_kzt)
        timeframe = None
        if fields["timeframe"] not in (MISSING, None):
            timeframe = self._timeframe(r, fields["timeframe"], path + ("timeframe",))
        # A cell printed empty stays empty: listed in `blank`, never filled from another row.
        blank = r.seq(fields["blank"], path + ("blank",), lambda v, p: r.enum(v, p, FEE_FIELDS + ("state",)))
        for i, name in enumerate(blank):
            present = fields[name] not in (MISSING, None)
            if present:
                r.problem(path + ("blank", i), f"expected a blank cell to have no value, found {name!r} "
                          "in this option too (a cell printed empty is not filled)")
        # A cell printed "-" is a printed zero: no value, listed in `dash` (the diff states its Δ).
        dash = r.seq(fields["dash"], path + ("dash",), lambda v, p: r.enum(v, p, FEE_FIELDS + ("state",)))
        for i, name in enumerate(dash):
            if fields[name] not in (MISSING, None):
                r.problem(path + ("dash", i), f"expected a cell printed as a dash to have no value, found {name!r} "
                          "in this option too")
            elif name in blank:
                r.problem(path + ("dash", i), f"expected {name!r} either blank (printed empty) or a dash "
                          "(printed '-'), found it listed as both")
        if not amounts and state is None and fields["state"] in (MISSING, None) and not blank and not dash:
            r.problem(path, "expected at least one fee (service, personal_manager, walk_in, priority or state) "
                      "or a cell printed blank ('blank'), found none")
        return FeeOption(label=r.text(fields["label"], path + ("label",), optional=True), state=state,
                         timeframe=timeframe, blank=tuple(blank), dash=tuple(dash), **amounts)

    def _state(self, r: Reader, value, path, mci_kzt) -> StateFee | None:
        fields = r.mapping(value, path, ("mci", "kzt"))
        if fields is None:
            return None
        mci = fields["mci"]
        if isinstance(mci, bool) or not isinstance(mci, (int, Decimal)) or mci <= 0:
            r.expected(path + ("mci",), "a number of MCI (e.g. 0.5 or 30)", mci)
            mci = None
        elif r.misread(path + ("mci",), mci, "a number of MCI (e.g. 0.5 or 30)"):
            mci = None
        elif mci > MAX_MCI:
            r.expected(path + ("mci",), f"a number of MCI of at most {MAX_MCI}", mci)
            mci = None
        elif mci != Decimal(mci).quantize(Decimal("0.01")):
            r.expected(path + ("mci",), "a number of MCI with at most 2 decimals (e.g. 0.5 or 30)", mci)
            mci = None
        kzt = r.money(fields["kzt"], path + ("kzt",))
        if mci is None or kzt is None:
            return None
        fee = StateFee(mci=Decimal(mci), printed_kzt=kzt)
        if mci_kzt and fee.kzt(mci_kzt) != kzt:
            r.problem(path + ("kzt",), f"expected {group_kzt(mci)} MCI × {group_kzt(mci_kzt)} KZT = {group_kzt(fee.kzt(mci_kzt))} KZT, "
                      f"found {group_kzt(kzt)} KZT printed (a misprint, or the wrong MCI multiple?)")
        return fee

    def _timeframe(self, r: Reader, value, path) -> Timeframe | None:
        fields = r.mapping(value, path, ("unit",), ("value", "min", "max"))
        if fields is None:
            return None
        unit = r.enum(fields["unit"], path + ("unit",), UNITS)
        if fields["value"] is not MISSING:
            if fields["min"] is not MISSING or fields["max"] is not MISSING:
                r.problem(path, "expected either 'value' or 'min' and 'max', found both")
                return None
            low = high = r.integer(fields["value"], path + ("value",), "a whole number of units (1 or more)", 1)
        else:
            if fields["min"] is MISSING or fields["max"] is MISSING:
                r.problem(path, "expected 'value', or both 'min' and 'max', found neither")
                return None
            low = r.integer(fields["min"], path + ("min",), "a whole number of units (1 or more)", 1)
            high = r.integer(fields["max"], path + ("max",), "a whole number of units (1 or more)", 1)
            if low is not None and high is not None and low > high:
                r.problem(path + ("max",), f"expected a maximum of at least {low} (the minimum), found {high}")
                return None
        if unit is None or low is None or high is None:
            return None
        return Timeframe(min=low, max=high, unit=unit)

    def _note(self, r: Reader, value, path) -> Note | None:
        fields = r.mapping(value, path, ("kind", "text"), ("extension_calendar_days",))
        if fields is None:
            return None
        kind = r.enum(fields["kind"], path + ("kind",), NOTE_KINDS)
        days = None
        if kind == "delay":
            days = r.integer(fields["extension_calendar_days"], path + ("extension_calendar_days",),
                             "the number of calendar days the service may be extended by", 1)
        elif kind == "general" and fields["extension_calendar_days"] is not MISSING:
            r.problem(path + ("extension_calendar_days",), "expected this only on a 'delay' note, found it on a 'general' note")
        text = r.text(fields["text"], path + ("text",))
        return Note(kind=kind, text=text, extension_calendar_days=days) if kind and text else None


def read_ui(root: Path, problems: list[Problem]) -> dict[str, Text]:
    """content/ui.yaml: the site's own labels, each a bilingual text."""
    file = root / "content" / "ui.yaml"
    if not (file.exists() or file.is_symlink()):
        problems.append(Problem("content/ui.yaml", 0, 0, "", "expected the site's labels file, found none"))
        return {}
    loaded = load_project_yaml(root, file, problems)
    if loaded is None:
        return {}
    reader = Reader(loaded, problems, official=None, published=True)
    if not isinstance(loaded.data, dict):
        reader.expected((), "a mapping of label → {en, ru}", loaded.data)
        return {}
    labels = {}
    for key, value in loaded.data.items():
        text = reader.text(value, (key,))
        if text is not None:
            labels[key] = text
    return labels


def load_project_yaml(root: Path, file: Path, problems: list[Problem]) -> LoadedFile | None:
    """load_yaml, for a file that must be a regular file inside the project (symlinks resolved)."""
    rel = file.relative_to(root).as_posix()
    why = unreadable(root, file)
    if why is not None:
        problems.append(Problem(rel, 0, 0, "", why))
        return None
    return load_yaml(file, rel, problems)


def available_years(root: Path) -> list[int]:
    """The editions there are (folders named by an ASCII four-digit year)."""
    return edition_years(root, [])


def load_library(root: Path, years: list[int] | None = None) -> Library:
    """Validate the catalogue and the chosen editions (all by default); raise ProblemsFound."""
    problems: list[Problem] = []
    there = edition_years(root, problems)
    catalogue = read_catalogue(root, problems)
    ui = read_ui(root, problems)
    for folder in ("content/pages", "site_templates"):
        check_tree(root, root / folder, problems)
    editions = {}
    for year in years if years is not None else there:
        edition = EditionReader(root, root / "editions" / str(year), catalogue, problems).read()
        if edition is not None:
            editions[year] = edition
    if problems:
        raise ProblemsFound(problems)
    return Library(documents=catalogue, editions=editions, ui=ui)
