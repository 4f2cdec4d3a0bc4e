"""Validated editions + their YAML positions → editorial findings, each open, fixed by `sic` or waived.

Validity is `validate`'s job; these checks look for what an editor would want flagged before
printing, in the official (printed) text:

- `stale-year`: a year that is not the edition's own, in a document that elsewhere in the
  edition is required "in the current year" (2026: «… в 2025 году»);
- `mixed-script`: a word mixing Latin and Cyrillic letters («Епбек.kz»), a Latin code
  written with Cyrillic look-alike letters («С3», «А5», «В2»), a Cyrillic «х» as the
  multiplication sign («3,5х4,5»);
- `doubled-punctuation`: «сбору..», «,,», «;.»;
- `document-wording`: one document worded almost, but not quite, alike across the services
  of an edition (a slip in one copy); words that differ because a structured fact of the
  document differs (a validity of 3 → 6 months, 2 → 3 copies, "more than" → "at least") are
  the print stating another fact, not a slip (`FACT_WORDS`); any other differing word is;
- `term-forms`: one term in two spellings in an edition («multiple-entry» / «multiple entry»,
  «notarised» / «notarized», «продлён» / «продлен»);
- `misprint`: a misprint this module knows (`KNOWN_MISPRINTS`) left without `sic`;
- `unused-waiver`: a waiver that waives nothing.

Every check runs twice: on the printed readings and on the corrected ones (`sic` where there
is one). A finding only the printed reading has is fixed by its `sic`; one the corrected
reading still has is open unless the text waives its code (`waive: {code: reason}`).
"""
from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..edition.glyphs import LOOKALIKES, as_latin
from ..edition.models import Edition
from .check_source import normalise
from .locate import EditionSource, TextAt

# Printed misprints this lint recognises: (language, pattern, the corrected reading of the match).
KNOWN_MISPRINTS: tuple[tuple[str, str, str], ...] = (
    ("ru", r"Епбек", "Enbek"),
    ("ru", r"АНУЛИРОВАНИЕ", "АННУЛИРОВАНИЕ"),
    ("ru", r"верификации текущем году", "верификации в текущем году"),
    ("ru", r"сбору\.\.", "сбору."),
    ("ru", r"Ходатайства уполномоченного органа", "Ходатайство уполномоченного органа"),
    ("ru", r"а также копия паспорта", "а также копию паспорта"),
    ("ru", r"нотариальное заверенная", "нотариально заверенная"),
    ("ru", r"Войти в портал и выберите", "Войти в портал и выбрать"),
    ("ru", r"находящимися за пределами", "находящимся за пределами"),
    ("ru", r"срок действия, которых", "срок действия которых"),
    ("ru", r"разрешение на временное пребывание", "разрешение на временное проживание"),
    ("ru", r"со статусом бизнес-иммигрант\b", "со статусом бизнес-иммигранта"),
    ("en", r"Valid work visa of the main visa holder for dependent visa \(foreign investor\)",
     "Valid investor visa of the main visa holder for dependent visa (foreign investor)"),
    ("en", r"Consent from", "Consent form"),
    ("en", r"Kazakshtan", "Kazakhstan"),
    ("en", r"\ba A5\b", "an A5"),
    ("en", r"Form 028/y", "Form 028/u"),
)
WORD_RE = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")  # a word, or a dotted name such as Egov.kz
LATIN_RE = re.compile(r"[A-Za-z]")
CYRILLIC_RE = re.compile(r"[А-Яа-яЁё]")
CODE_RE = re.compile(rf"^([{LOOKALIKES}]{{1,2}})\d")
TIMES_RE = re.compile(r"\d[хХ]\d")  # 3,5х4,5 with a Cyrillic х
DOUBLED_RE = re.compile(r"(?<!\.)\.\.(?!\.)|,,|;;|::|[,;:]\s*[.,;:]")
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
CURRENT_YEAR_RE = re.compile(r"current year|текущ\w* год", re.IGNORECASE)
TERM_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Top-level keys whose texts are ours, not the print's (nothing there to lint).
OURS = {("interpretations",)}
SIMILAR = 0.9  # difflib ratio above which two wordings of one document look like a slip
# A document entry's keys that are wording, not facts.
TEXT_KEYS = {"doc", "text", "note", "waive"}
# The words by which the print states a fact's value, beyond its number: (fact key, value) or
# (fact key,) for a bound that is present → the words, both languages, lower case.
FACT_WORDS: dict[tuple, frozenset[str]] = {
    ("validity", "at_least"): frozenset({"at", "least", "не", "менее", "чем"}),
    ("validity", "more_than"): frozenset({"more", "than", "свыше", "более", "чем"}),
    ("validity", "unit", "months"): frozenset({"month", "months", "месяц", "месяца", "месяцев"}),
    ("validity", "unit", "calendar-days"): frozenset({"calendar", "day", "days", "календарный", "календарных",
                                                      "календарного", "день", "дня", "дней"}),
    ("copies",): frozenset({"copy", "copies", "копия", "копии", "копий"}),
}
TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")

HINTS = {
    "stale-year": "add sic with the corrected reading, or waive: {stale-year: why}",
    "mixed-script": "add sic with the word in one script, or waive: {mixed-script: why}",
    "doubled-punctuation": "add sic with single punctuation, or waive: {doubled-punctuation: why}",
    "document-wording": "add sic if this copy is a slip, or waive: {document-wording: why the print differs}",
    "term-forms": "add sic with the edition's usual form, or waive: {term-forms: why}",
    "misprint": "add sic with the corrected reading",
    "unused-waiver": "remove the waiver",
}


@dataclass
class Occurrence:
    """One bilingual text of an edition, with its official readings and its waivers."""

    at: TextAt
    printed: str
    corrected: str | None
    waivers: dict
    doc: str | None = None        # the catalogue id when the text is a document's wording
    dated: object = None          # that document's `dated`
    facts: dict = field(default_factory=dict)  # that document's structured facts (validity, copies…)
    service: str = ""             # where it is, for messages: section/service

    def reading(self, corrected: bool) -> str:
        return self.corrected if corrected and self.corrected is not None else self.printed


@dataclass(frozen=True)
class Raw:
    occurrence: int  # index in the list of occurrences
    code: str
    start: int       # offset of the finding in the reading
    key: str         # what identifies the finding within its text (printed vs corrected)
    message: str


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    code: str
    message: str
    status: str = "open"      # open | sic | waived
    reason: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: {self.code}: {self.message}"
        if self.status == "sic":
            return f"{where} [fixed by sic]"
        if self.status == "waived":
            return f"{where} [waived: {self.reason}]"
        return f"{where}; fix: {HINTS[self.code]}"


@dataclass
class LintResult:
    year: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def open(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "open"]

    def summary(self) -> str:
        counts = Counter(f.status for f in self.findings)
        return (f"lint {self.year}: {len(self.findings)} finding(s): {counts['open']} open, "
                f"{counts['sic']} fixed by sic, {counts['waived']} waived")


def occurrences(edition: Edition, source: EditionSource) -> list[Occurrence]:
    lang = edition.source_language
    found = []
    for text in source.texts():
        if text.path[:1] in OURS:
            continue
        printed = text.value.get(lang)
        if not isinstance(printed, str):
            continue
        sic = text.value.get("sic")
        corrected = sic.get(lang) if isinstance(sic, dict) else None
        waive = text.value.get("waive")
        waivers: dict = waive if isinstance(waive, dict) else {}
        occurrence = Occurrence(text, printed, corrected, waivers, service=_service_of(text))
        parent = _node(text.file.data, text.path[:-1])
        if text.path[-1:] == ("text",) and isinstance(parent, dict) and "doc" in parent:
            occurrence.doc, occurrence.dated = parent.get("doc"), parent.get("dated")
            occurrence.facts = {k: v for k, v in parent.items() if k not in TEXT_KEYS}
        found.append(occurrence)
    return found


def _node(data, path: tuple):
    for key in path:
        data = data[key]
    return data


def _service_of(text: TextAt) -> str:
    data = text.file.data
    if not isinstance(data, dict):
        return "edition"
    section = data.get("id")
    if len(text.path) > 1 and text.path[0] == "services":
        service = data["services"][text.path[1]]
        return f"{section}/{service.get('id')}"
    return section or "edition"


# -- the checks: occurrences + which reading → raw findings ------------------------------------

def check_stale_year(occs: list[Occurrence], corrected: bool, year: int) -> list[Raw]:
    current = {o.doc for o in occs if o.doc and (o.dated == "current-year" or CURRENT_YEAR_RE.search(o.reading(corrected)))}
    out = []
    for i, o in enumerate(occs):
        if o.doc not in current:
            continue
        for m in YEAR_RE.finditer(o.reading(corrected)):
            if int(m.group()) != year:
                out.append(Raw(i, "stale-year", m.start(), m.group(),
                               f"«{m.group()}» in the {year} edition, where this document ({o.doc}) is elsewhere "
                               "required in the current year"))
    return out


def check_mixed_script(occs: list[Occurrence], corrected: bool) -> list[Raw]:
    out = []
    for i, o in enumerate(occs):
        for m in WORD_RE.finditer(o.reading(corrected)):
            word = m.group()
            if LATIN_RE.search(word) and CYRILLIC_RE.search(word):
                out.append(Raw(i, "mixed-script", m.start(), word, f"«{word}» mixes Latin and Cyrillic letters"))
            elif times := TIMES_RE.search(word):
                out.append(Raw(i, "mixed-script", m.start() + times.start(), word,
                               f"«{word}» has a Cyrillic «х» for the multiplication sign (read: «x» or «×»)"))
            elif code := CODE_RE.match(word):
                letters = code.group(1)
                out.append(Raw(i, "mixed-script", m.start(), word,
                               f"«{word}» is a Latin code written with the Cyrillic letter(s) «{letters}» "
                               f"(read: «{as_latin(word)}»)"))
    return out


def check_doubled_punctuation(occs: list[Occurrence], corrected: bool) -> list[Raw]:
    return [Raw(i, "doubled-punctuation", m.start(), m.group(), f"doubled punctuation «{m.group()}»")
            for i, o in enumerate(occs) for m in DOUBLED_RE.finditer(o.reading(corrected))]


def check_document_wording(occs: list[Occurrence], corrected: bool) -> list[Raw]:
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(occs):
        if o.doc:
            by_doc[o.doc].append(i)
    out = []
    for doc, members in by_doc.items():
        wordings = Counter(_wording(occs[i].reading(corrected)) for i in members)
        for i in members:
            mine = _wording(occs[i].reading(corrected))
            for other, count in wordings.items():
                if other == mine or difflib.SequenceMatcher(None, mine, other).ratio() < SIMILAR:
                    continue
                # the less common wording is the suspect one; of two equally common, both are
                if wordings[mine] > count:
                    continue
                alike = [j for j in members if _wording(occs[j].reading(corrected)) == other]
                slips = [_slips(occs[i], mine, occs[j], other) for j in alike]
                if not any(slips):
                    continue  # the words differ only where the print states another fact: not a slip
                where = sorted({occs[j].service for j in alike})
                (a_start, a_end), (b_start, b_end) = next(s for s in slips if s)
                out.append(Raw(i, "document-wording", 0, other,
                               f"the document {doc} is worded «{_excerpt(mine, a_start, a_end)}» here but "
                               f"«{_excerpt(other, b_start, b_end)}» in {', '.join(where)}"))
    return out


def _flat(facts, path: tuple = ()) -> dict[tuple, object]:
    """A document's facts as {key path: value} (`validity.at_least` → ("validity", "at_least"))."""
    if isinstance(facts, dict):
        return {k: v for key, value in facts.items() for k, v in _flat(value, path + (key,)).items()}
    if isinstance(facts, list):
        return {path: tuple(facts)}
    return {path: facts}


def _fact_tokens(mine: dict[tuple, object], theirs: dict[tuple, object]) -> set[str]:
    """The words and numbers by which a text may state the facts `mine` holds and `theirs` does not."""
    tokens: set[str] = set()
    for path, value in mine.items():
        if path in theirs and theirs[path] == value:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            tokens.add(format(value, "g"))
        tokens |= FACT_WORDS.get(path, frozenset()) | FACT_WORDS.get(path + (value,), frozenset())
        tokens |= FACT_WORDS.get(path[:1], frozenset())
    return tokens


def _slips(a: Occurrence, a_wording: str, b: Occurrence, b_wording: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Where two wordings of one document differ other than by stating a structured fact in which
    the two documents differ (a number of that fact, or a word of `FACT_WORDS` for it): the
    (start, end) of that part in each wording, or None when the facts explain every difference."""
    fa, fb = _flat(a.facts), _flat(b.facts)
    allowed_a, allowed_b = _fact_tokens(fa, fb), _fact_tokens(fb, fa)
    ta, tb = list(TOKEN_RE.finditer(a_wording)), list(TOKEN_RE.finditer(b_wording))
    matcher = difflib.SequenceMatcher(None, [m.group() for m in ta], [m.group() for m in tb], autojunk=False)
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not ops:  # the same words: spacing or punctuation differ
        return _span(a_wording, b_wording), _span(b_wording, a_wording)
    slips = [op for op in ops if not ({m.group() for m in ta[op[1]:op[2]]} <= allowed_a
                                      and {m.group() for m in tb[op[3]:op[4]]} <= allowed_b)]
    if not slips:
        return None
    (sa, ea), (sb, eb) = _token_span(ta, slips[0][1], slips[-1][2]), _token_span(tb, slips[0][3], slips[-1][4])
    if a_wording[sa:ea] and b_wording[sb:eb]:  # narrowed to the characters that differ
        (na, ma), (nb, mb) = _span(a_wording[sa:ea], b_wording[sb:eb]), _span(b_wording[sb:eb], a_wording[sa:ea])
        (sa, ea), (sb, eb) = (sa + na, sa + ma), (sb + nb, sb + mb)
    return (sa, ea), (sb, eb)


def _token_span(tokens: list[re.Match], first: int, stop: int) -> tuple[int, int]:
    """Characters of tokens[first:stop] (for an empty slice, the point between two tokens)."""
    if first < stop:
        return tokens[first].start(), tokens[stop - 1].end()
    at = tokens[first].start() if first < len(tokens) else (tokens[-1].end() if tokens else 0)
    return at, at


def _span(a: str, b: str) -> tuple[int, int]:
    """The characters of `a` from the first to the last that differ from `b`."""
    blocks = [op for op in difflib.SequenceMatcher(None, a, b).get_opcodes() if op[0] != "equal"]
    return blocks[0][1], blocks[-1][2]


def _wording(text: str) -> str:
    """What a document's wording is compared on: no case, no spacing around slashes."""
    return re.sub(r"\s*/\s*", " / ", normalise(text)).lower()


def _excerpt(a: str, start: int, end: int) -> str:
    """a[start:end], the part that differs, with a few words of context."""
    start = max(0, a.rfind(" ", 0, max(0, start - 12)) + 1)
    stop = a.find(" ", min(len(a), end + 12))
    return ("…" if start else "") + a[start:stop if stop != -1 else len(a)] + ("…" if stop != -1 else "")


def _term_key(form: str) -> str:
    key = form.lower().replace("ё", "е").replace("-", "").replace(" ", "")
    return re.sub(r"iz(e|ed|es|ing|ation|ations)$", r"is\1", key)


def check_term_forms(occs: list[Occurrence], corrected: bool) -> list[Raw]:
    """A term spelled two ways: hyphenated / spaced / closed, or -ise / -ize. (ё / е is not
    counted: Russian print may use either.)"""
    spots: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for i, o in enumerate(occs):
        words = list(TERM_RE.finditer(o.reading(corrected)))
        for k, m in enumerate(words):
            spots[_term_key(m.group())].append((i, m.start(), m.group()))
            if k + 1 < len(words) and o.reading(corrected)[m.end():words[k + 1].start()] == " ":
                pair = m.group() + " " + words[k + 1].group()
                spots[_term_key(pair)].append((i, m.start(), pair))
    out = []
    for found in spots.values():
        forms = Counter(form.lower() for _, _, form in found)
        pairs = {f for f in forms if " " in f}
        if len(forms) < 2 or forms.keys() <= pairs:
            continue  # two-word spellings count only against a one-word (hyphenated or closed) one
        singles = {f.replace("ё", "е") for f in forms if f not in pairs}
        if not (any("-" in f for f in singles) or len({re.sub(r"iz", "is", f) for f in singles}) < len(singles)):
            continue  # «in to» / «into», «услуг и» / «услуги» are different words, not two spellings
        usual = max(forms, key=lambda f: (forms[f], f))
        for i, start, form in found:
            if form.lower() != usual:
                out.append(Raw(i, "term-forms", start, form.lower(),
                               f"«{form}» here, «{usual}» elsewhere in the edition ({forms[usual]}×)"))
    return out


def check_misprints(occs: list[Occurrence], corrected: bool, lang: str) -> list[Raw]:
    out = []
    for i, o in enumerate(occs):
        for misprint_lang, pattern, right in KNOWN_MISPRINTS:
            if misprint_lang == lang:
                for m in re.finditer(pattern, o.reading(corrected)):
                    out.append(Raw(i, "misprint", m.start(), pattern, f"«{m.group()}» is a known misprint of «{right}»"))
    return out


def _raw_findings(edition: Edition, occs: list[Occurrence], corrected: bool) -> list[Raw]:
    return (check_stale_year(occs, corrected, edition.year) + check_mixed_script(occs, corrected)
            + check_doubled_punctuation(occs, corrected) + check_document_wording(occs, corrected)
            + check_term_forms(occs, corrected) + check_misprints(occs, corrected, edition.source_language))


def _column(o: Occurrence, lang: str, offset: int) -> tuple[int, int]:
    """Line and column of `offset` in the printed text, when the YAML holds it on one line as is."""
    line, col = o.at.where(lang)
    raw = o.at.file_lines[line - 1] if line <= len(o.at.file_lines) else ""
    quote = raw[col - 1:col]
    start = col if quote in ('"', "'") else col - 1
    if raw[start:start + offset] == o.printed[:offset]:
        return line, start + offset + 1
    return line, col


def lint(edition: Edition, source: EditionSource) -> LintResult:
    lang = edition.source_language
    occs = occurrences(edition, source)
    printed = {(r.occurrence, r.code, r.key): r for r in _raw_findings(edition, occs, corrected=False)}
    effective = {(r.occurrence, r.code, r.key): r for r in _raw_findings(edition, occs, corrected=True)}
    result = LintResult(edition.year)
    for key, raw in sorted({**printed, **effective}.items(), key=lambda kv: (kv[0][0], kv[1].start, kv[0][1])):
        o = occs[raw.occurrence]
        offset = raw.start if key in printed and key not in effective else printed.get(key, raw).start
        line, col = _column(o, lang, offset)
        if key not in effective:
            status, reason = "sic", ""
        elif raw.code in o.waivers:
            status, reason = "waived", str(o.waivers[raw.code])
        else:
            status, reason = "open", ""
        result.findings.append(Finding(o.at.file.rel, line, col, raw.code, raw.message, status, reason))
    for i, o in enumerate(occs):
        for code in o.waivers:
            if not any(k[0] == i and k[1] == code for k in effective):
                line, col = o.at.where("waive")
                result.findings.append(Finding(o.at.file.rel, line, col, "unused-waiver",
                                               f"the waiver of {code} waives nothing in this text"))
    result.findings.sort()
    return result


def lint_years(root: Path, library, years: list[int]) -> list[LintResult]:
    return [lint(library.editions[year], EditionSource(root, year)) for year in years]

