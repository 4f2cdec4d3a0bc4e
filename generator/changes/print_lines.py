"""An edition with its printed lines → the seed line of each item a change can be about.

The diff cites, for every change, the printed line of the item itself (the document's bullet,
the fee option's table row, the text's paragraph, the line a condition cites), not the heading
of the service it is in; the service (or section) heading is the fallback only where an item has
no line of its own (a service or step added or removed) or cannot be found. Found by the item's
official-language words within its service's part of the seed:

  - documents and texts: the first line at or after the previous item of the same service whose
    words (list dash, emphasis and link syntax dropped, spaces folded, trailing list punctuation
    dropped; an item of a numbered list also without its number) are the item's words, or begin
    them where the print broke the item across lines (a document named inside a paragraph: the
    first line holding its words);
  - fee options: the service's table rows that hold a figure (a digit after the first cell:
    header rows and a table's group-title row hold none), in order, one per option of its steps.

Pure: reads `Edition.printed` only (loaded by validate with the seed).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..edition.models import Edition, Text

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MIN_PREFIX = 25  # a line shorter than this is never taken for the start of a longer item
_NUMBER = re.compile(r"^\d+\.\s+")  # an item of a numbered list ("6. …"), whose YAML text has no number


def words(text: str) -> str:
    """Printed text or YAML text → comparable words."""
    text = _LINK.sub(r"\1", text).replace("*", "").replace("\u00a0", " ")
    text = " ".join(text.split())
    text = re.sub(r"^-\s+", "", text)
    text = re.sub(r"^(note|примечание)\s*:\s*", "", text, flags=re.IGNORECASE)
    return text.rstrip(";.,").strip()


@dataclass(frozen=True)
class _Range:
    start: int
    end: int  # exclusive


class PrintLines:
    """Item → printed line lookups for one edition (empty when it has no printed text)."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self.lang = edition.source_language
        self.lines = tuple(words(raw) if "\t" not in raw else "" for raw in edition.printed)
        starts = sorted({s.provenance.line for s in edition.services()}
                        | {section.provenance.line for section in edition.sections}
                        | {edition.contacts.line})
        self.starts = starts
        self.ranges: dict[str, _Range] = {}
        for section in edition.sections:
            for service in section.services:
                self.ranges[service.full_id] = self._range(service.provenance.line)
            self.ranges[section.id] = self._range(section.provenance.line)
        self.documents: dict[tuple[str, str, str], int] = {}
        self.options: dict[tuple[str, str, int], int] = {}
        for service in edition.services():
            self._documents(service)
            self._options(service)

    def _range(self, start: int) -> _Range:
        i = bisect_right(self.starts, start)
        end = self.starts[i] if i < len(self.starts) else len(self.lines) + 1
        return _Range(start, end)

    def find(self, text: str, within: _Range, after: int | None = None) -> int | None:
        """The first line in the range (from `after`) printing these words, or beginning them."""
        target = words(text)
        if not target:
            return None
        for n in range(after or within.start, min(within.end, len(self.lines) + 1)):
            line = self.lines[n - 1]
            if not line:
                continue
            if line == target or (len(line) >= min(_MIN_PREFIX, len(target)) and target.startswith(line)):
                return n
            if _NUMBER.sub("", line) == target:
                return n
        return None

    def within_line(self, text: str, within: _Range, after: int | None = None) -> int | None:
        """The first line in the range (from `after`) whose words hold these words (a document
        named inside a paragraph)."""
        target = words(text)
        for n in range(after or within.start, min(within.end, len(self.lines) + 1)):
            if target and target in self.lines[n - 1]:
                return n
        return None

    def _documents(self, service) -> None:
        within = self.ranges[service.full_id]
        cursor = within.start
        for step in service.steps:
            for d in step.documents:
                official = d.text.get(self.lang)
                found = (self.find(official, within, cursor) or self.within_line(official, within)
                         if official else None)
                if found is not None:
                    self.documents[(service.full_id, step.id, d.key)] = found
                    cursor = max(cursor, found + 1)

    def _options(self, service) -> None:
        within = self.ranges[service.full_id]
        rows = [n for n in range(within.start, min(within.end, len(self.edition.printed) + 1))
                if "\t" in self.edition.printed[n - 1]
                and any(re.search(r"\d", c) for c in self.edition.printed[n - 1].split("\t")[1:])]
        options = [(step.id, i) for step in service.steps if step.fees for i in range(len(step.fees.options))]
        if len(rows) == len(options):
            for (step_id, i), n in zip(options, rows, strict=True):
                self.options[(service.full_id, step_id, i)] = n

    def phone(self, number: str) -> int | None:
        """The contacts block's line printing this phone number."""
        contacts = self.edition.contacts.line
        for n in range(contacts, len(self.edition.printed) + 1):
            if number in self.edition.printed[n - 1]:
                return n
        return None

    def document(self, service: str, step: str, key: str) -> int | None:
        return self.documents.get((service, step, key))

    def option(self, service: str, step: str, index: int) -> int | None:
        return self.options.get((service, step, index))

    def text(self, owner: str | None, text: Text | None) -> int | None:
        """A text's line within its service or section (`owner`; None: the whole print)."""
        if text is None:
            return None
        official = text.get(self.lang)
        if not official:
            return None
        within = self.ranges.get(owner) if owner else _Range(1, len(self.lines) + 1)
        if within is None:
            return None
        return self.find(official, within)
