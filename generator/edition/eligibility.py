"""Eligibility facts of a loaded section file → `Eligibility` / `CitizenshipGroup` models, problems located.

Read by `validate` for a service's `eligibility` and `explains` and a section's `groups`. Every
fact cites the printed line it rests on (`basis`: seed line + the words quoted from it) or says it
is our reading (`reading`). Validate checks the YAML's own consistency only; that the quoted words
are printed on the cited seed line is `check-source`'s proof (`cited_lines` lists every citation
for it and for `reanchor`). Journey links name other services by `section/service`; they are
checked once the whole edition is read (`check_links`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .conditions import cited
from .models import CITIZENSHIP, WHERE, Basis, CitizenshipGroup, Eligibility, Explanation, JourneyLink, Limit, Section

PURPOSES = ("employment", "investment", "business-trip", "installation-audit", "founder-board",
            "business-immigration", "permanent-residence", "family-joining", "extension", "arrival-notification",
            "iin", "tax-residence", "digital-signature", "fingerprinting", "leaving")
GROUPS = ("cis", "eaeu")
FULL_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$")


def seed_line(text: str) -> str:
    """A seed line as the YAML quotes it: list dash, emphasis and link syntax dropped, spaces folded."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = text.replace("*", "")
    text = re.sub(r"^\s*-\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


class EligibilityReader:
    """Reads eligibility facts through a validate `Reader` (which records every problem)."""

    def __init__(self, reader, missing):
        self.r = reader
        self.missing = missing  # validate's MISSING marker
        self.links: list[tuple[Any, tuple, str]] = []  # (reader, path, full id) to check later

    def _choices(self, value, path, choices, *, required=True) -> tuple[str, ...]:
        if value is self.missing and not required:
            return ()
        items = self.r.seq(value, path, lambda v, p: self.r.enum(v, p, choices), optional=False)
        if value == []:
            self.r.expected(path, "at least one of " + ", ".join(choices), "an empty list")
        for i, item in enumerate(items):
            if item in items[:i]:
                self.r.problem(path + (i,), f"expected each value once, found {item!r} again")
        return tuple(dict.fromkeys(items))

    def basis(self, value, path) -> Basis | None:
        fields = self.r.mapping(value, path, ("line", "quote"))
        if fields is None:
            return None
        line = self.r.integer(fields["line"], path + ("line",), "a seed line number (1 or more)", 1)
        quote = self.r.text(fields["quote"], path + ("quote",))
        if line is None or quote is None:
            return None
        return Basis(line=line, quote=quote)

    def _bases(self, value, path, *, required: bool) -> tuple[Basis, ...]:
        if value is self.missing and not required:
            return ()
        bases = self.r.seq(value, path, self.basis, optional=False)
        if value == []:
            self.r.expected(path, "at least one printed line ({line, quote})", "an empty list")
        return bases

    def _link(self, value, path) -> JourneyLink | None:
        fields = self.r.mapping(value, path, ("service",), ("basis", "reading", "purposes"))
        if fields is None:
            return None
        ref = fields["service"]
        if not isinstance(ref, str) or not FULL_ID_RE.match(ref):
            self.r.expected(path + ("service",), "a service as section/service (e.g. 'other-services/iin')", ref)
            return None
        basis = self._bases(fields["basis"], path + ("basis",), required=False)
        reading = self.r.text(fields["reading"], path + ("reading",), optional=True)
        if not basis and reading is None and fields["basis"] is self.missing:
            self.r.problem(path, "expected 'basis' (the printed line) or 'reading' (our interpretation), found neither")
        purposes = self._choices(fields["purposes"], path + ("purposes",), PURPOSES, required=False)
        self.links.append((self.r, path + ("service",), ref))
        return JourneyLink(service=ref, basis=basis, reading=reading, purposes=purposes)

    def limit(self, value, path, choices) -> Limit | None:
        """A printed limit `{only: [...], basis: [...]}`; absent: the print sets none. A limit
        excludes people, so it rests on the printed line that states it, never on our reading."""
        if value is self.missing:
            return None
        ours = isinstance(value, dict) and "reading" in value
        if ours:  # said apart from an unknown key: it is the one mistake the rule is about
            self.r.problem(path + ("reading",), "expected no reading here: a limit excludes people, so it must rest "
                           "only on the printed line that states it (basis), found our reading; leave the limit "
                           "out where the print sets none")
            value = {k: v for k, v in value.items() if k != "reading"}
        fields = self.r.mapping(value, path, ("only", "basis"))
        if fields is None:
            return None
        only = self._choices(fields["only"], path + ("only",), choices)
        basis = self._bases(fields["basis"], path + ("basis",), required=True)
        if ours:
            return None
        if only and set(only) == set(choices):
            self.r.problem(path + ("only",), f"expected a limit that leaves someone out, found every answer "
                           f"({', '.join(choices)}); leave the limit out where the print sets none")
            return None
        if not (only and basis):
            return None
        return Limit(only=only, basis=basis)

    def eligibility(self, value, path) -> Eligibility | None:
        if value is self.missing:
            return None
        fields = self.r.mapping(value, path, ("purposes", "basis"),
                                ("where", "citizenship", "family", "reading", "before", "after"))
        if fields is None:
            return None
        where = self.limit(fields["where"], path + ("where",), WHERE)
        citizenship = self.limit(fields["citizenship"], path + ("citizenship",), CITIZENSHIP)
        purposes = self._choices(fields["purposes"], path + ("purposes",), PURPOSES)
        basis = self._bases(fields["basis"], path + ("basis",), required=True)
        family = self.r.boolean(fields["family"], path + ("family",))
        reading = self.r.text(fields["reading"], path + ("reading",), optional=True)
        before = self.r.seq(fields["before"], path + ("before",), self._link)
        after = self.r.seq(fields["after"], path + ("after",), self._link)
        if not (purposes and basis):
            return None
        return Eligibility(purposes=purposes, basis=basis, where_limit=where, citizenship_limit=citizenship,
                           family=family, reading=reading, before=before, after=after)

    def explains(self, value, path, labels: set[str]) -> tuple[Explanation, ...]:
        """Explanations of printed fee-row labels; each label must be one the service prints."""
        def one(item, p):
            fields = self.r.mapping(item, p, ("label", "text", "basis"), ("reading",))
            if fields is None:
                return None
            label = self.r.string(fields["label"], p + ("label",), "a fee-row label as printed")
            if label is not None and label not in labels:
                shown = ", ".join(repr(x) for x in sorted(labels)) or "none"
                self.r.problem(p + ("label",), f"expected a fee-row label this service prints ({shown}), found {label!r}")
                label = None
            text = self.r.text(fields["text"], p + ("text",))
            basis = self._bases(fields["basis"], p + ("basis",), required=True)
            reading = self.r.text(fields["reading"], p + ("reading",), optional=True)
            if label is None or text is None or not basis:
                return None
            return Explanation(label=label, text=text, basis=basis, reading=reading)

        return self.r.seq(value, path, one)

    def groups(self, value, path) -> tuple[CitizenshipGroup, ...]:
        def group(item, p):
            fields = self.r.mapping(item, p, ("id", "stay_over_days", "basis"), ("members", "reading"))
            if fields is None:
                return None
            group_id = self.r.enum(fields["id"], p + ("id",), GROUPS)
            days = self.r.integer(fields["stay_over_days"], p + ("stay_over_days",),
                                  "the number of calendar days a stay must exceed (1 or more)", 1)
            basis = self._bases(fields["basis"], p + ("basis",), required=True)
            members = self.r.seq(fields["members"], p + ("members",), self.r.text)
            reading = self.r.text(fields["reading"], p + ("reading",), optional=True)
            if group_id is None or days is None or not basis:
                return None
            return CitizenshipGroup(id=group_id, stay_over_days=days, basis=basis, members=members, reading=reading)

        return self.r.seq(value, path, group)


def cited_lines(section: Section) -> Iterator[tuple[tuple, Basis]]:
    """Every printed line a section's facts cite, with the field path of its `basis` item in the
    section file (e.g. ('services', 2, 'eligibility', 'before', 0, 'basis', 1)), in file order."""
    for k, group in enumerate(section.groups):
        for b, basis in enumerate(group.basis):
            yield ("groups", k, "basis", b), basis
    for i, service in enumerate(section.services):
        for k, explanation in enumerate(service.explains):
            for b, basis in enumerate(explanation.basis):
                yield ("services", i, "explains", k, "basis", b), basis
        yield from cited(service.conditions, ("services", i))
        eligibility = service.eligibility
        if eligibility is None:
            continue
        for b, basis in enumerate(eligibility.basis):
            yield ("services", i, "eligibility", "basis", b), basis
        for question, lim in eligibility.limits():
            for b, basis in enumerate(lim.basis):
                yield ("services", i, "eligibility", question, "basis", b), basis
        for side in ("before", "after"):
            for j, link in enumerate(getattr(eligibility, side)):
                for b, basis in enumerate(link.basis):
                    yield ("services", i, "eligibility", side, j, "basis", b), basis


def folded(text: str) -> str:
    """Text as a search word or phrase is compared with a printed line: spaces folded, ё as е,
    case folded (content/search.yaml's vocabulary, site/search_words.py and editorial/reanchor.py)."""
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def quote_is_printed(quote: str, raw_line: str) -> bool:
    """Are the quoted words (official language) printed on this seed line?"""
    return bool(quote) and " ".join(quote.split()) in seed_line(raw_line)


def check_links(readers: list[EligibilityReader], services: set[str], groups: set[str],
                uses: list[tuple[Any, tuple, str]]) -> None:
    """After the whole edition is read: every journey link names a service of the edition, and
    every citizenship group a service is for (cis, eaeu) is defined by some section's `groups`."""
    for er in readers:
        for reader, path, ref in er.links:
            if ref not in services:
                reader.problem(path, f"expected a service of this edition (section/service), found {ref!r} "
                               "which the edition does not have")
    for reader, path, group in uses:
        if group not in groups:
            reader.problem(path, f"expected the {group!r} group to be defined (a section's 'groups': members, "
                           "stay_over_days, basis), found no definition in this edition")
