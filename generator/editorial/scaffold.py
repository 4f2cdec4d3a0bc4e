"""An existing edition + a new year and MCI → a new draft edition folder (all or nothing).

Each YAML file goes through a round trip (`roundtrip`), so comments and layout stay as the
editors wrote them and only these values change: the metadata (year, status: draft, MCI, no
effective date, no seed yet), every state fee's KZT (its MCI multiple × the new MCI, in flow
or block style alike), and the old year where the cover or a title prints it
("GUIDEBOOK – 2026" → "GUIDEBOOK – 2027"). A cover or title line that prints a date ("Effective
from 01.01.2026") is never changed: the new date is not known until the new print states it, so the
line keeps the old print's text and the report lists it "to set" (with `effective_from`, which
`validate` requires equal to it before the edition is published). The copy is written into a `transaction`, validated
there, and moved into place by one rename only when valid; an existing folder is never
overwritten.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from ..edition.errors import Problem, ProblemsFound
from ..edition.loader import dotted
from ..edition.models import Edition
from ..edition.validate import EditionReader, load_library, read_catalogue
from . import roundtrip
from .transaction import Transaction


class ScaffoldError(Exception):
    """The new edition cannot be created (e.g. its folder exists)."""


def _kzt(mci, mci_kzt: int) -> int | Decimal:
    value = Decimal(str(mci)) * mci_kzt
    return int(value) if value == value.to_integral_value() else value.normalize()


def _same_style(old, new: str):
    """`new` quoted as `old` was (ruamel keeps the quoting in the string's type)."""
    return type(old)(new) if isinstance(old, str) and type(old) is not str else new


# A date as the print writes it (01.01.2026): the line it is in is the editor's to set.
DATE_RE = re.compile(r"(?<!\d)\d{1,2}\.\d{1,2}\.\d{4}(?!\d)")


def _dated(node: dict) -> bool:
    texts = [node.get(lang) for lang in ("en", "ru")]
    sic = node.get("sic")
    if isinstance(sic, dict):
        texts += list(sic.values())
    return any(isinstance(text, str) and DATE_RE.search(text) for text in texts)


class _Copy:
    """Walks one round-trip document and changes what a new edition changes."""

    def __init__(self, source_year: int, year: int, mci_kzt: int):
        self.year_re = re.compile(rf"(?<!\d){source_year}(?!\d)")
        self.year, self.mci_kzt = str(year), mci_kzt
        self.state_fees = 0
        self.titles: list[str] = []
        self.dated: list[str] = []  # title lines printing a date, kept as they were: to set

    def walk(self, node, path: tuple = (), in_title: bool = False) -> None:
        if isinstance(node, dict):
            if in_title and _dated(node):
                self.dated.append(dotted(path))
                return
            state = node.get("state")
            if isinstance(state, dict) and "mci" in state and "kzt" in state:
                state["kzt"] = _kzt(state["mci"], self.mci_kzt)
                self.state_fees += 1
            for key, value in node.items():
                titled = in_title or key in ("cover", "title")
                if titled and key in ("en", "ru") and isinstance(value, str) and self.year_re.search(value):
                    node[key] = _same_style(value, self.year_re.sub(self.year, value))
                    self.titles.append(dotted(path + (key,)))
                elif key not in ("sic",):
                    self.walk(value, path + (key,), titled)
            sic = node.get("sic")
            if in_title and isinstance(sic, dict):
                for lang, value in sic.items():
                    if isinstance(value, str) and self.year_re.search(value):
                        sic[lang] = _same_style(value, self.year_re.sub(self.year, value))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                self.walk(item, path + (i,), in_title)

    def metadata(self, document) -> None:
        document["year"] = int(self.year)
        document["status"] = "draft"
        document["mci_kzt"] = self.mci_kzt
        document["effective_from"] = None
        document["source_file"] = None


def new_edition(root: Path, year: int, source_year: int, mci_kzt: int) -> str:
    """Create editions/<year> from editions/<source_year>; return a one-paragraph report."""
    editions = root / "editions"
    target = editions / str(year)
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"editions/{year} already exists; refusing to overwrite it")
    if not 1900 <= year <= 9999:
        raise ScaffoldError(f"expected the new edition's year in four digits (e.g. 2027), found {year}")
    if not 0 < mci_kzt <= 10**6:
        raise ScaffoldError(f"expected a positive MCI in KZT of at most 1 000 000, found {mci_kzt}")
    load_library(root, [source_year])  # the source must be valid before it is copied
    copy = _Copy(source_year, year, mci_kzt)
    titles: list[str] = []
    dated: list[str] = []
    with Transaction(root, "new", str(year), f"new-edition {year} (editions/{year})") as transaction:
        for file in sorted((editions / str(source_year)).glob("*.yaml")):
            if file.name == "changes.yaml":  # the register explains the previous pair; the new one starts empty
                continue
            document = roundtrip.load(file.read_text(encoding="utf-8"))
            before, before_dated = len(copy.titles), len(copy.dated)
            if file.name == "edition.yaml":
                copy.metadata(document)
            copy.walk(document)
            titles += [f"{file.name}: {path}" for path in copy.titles[before:]]
            dated += [f"{file.name}: {path}" for path in copy.dated[before_dated:]]
            transaction.write(target / file.name, roundtrip.dump(document))
        edition = _validate_copy(root, transaction.view(target), source_year, mci_kzt)
        if target.exists() or target.is_symlink():  # made meanwhile by someone else
            raise ScaffoldError(f"editions/{year} already exists; refusing to overwrite it")
        transaction.commit()
    services = len(edition.services())
    updated = f"; the year updated in {len(titles)} title(s) ({', '.join(titles)})" if titles else ""
    to_set = (f" To set from the {year} print: the date line(s) {', '.join(dated)}, kept with the {source_year} "
              f"date (no date is invented), and effective_from equal to that date." if dated else "")
    return (f"created editions/{year} (draft) from {source_year}: {services} services, {copy.state_fees} state fees "
            f"recomputed at MCI {mci_kzt} KZT{updated}.{to_set} Next: put the printed guidebook beside edition.yaml "
            f"and name it in source_file, set effective_from, edit the YAML, then guidebook check-source {year}.")


def _validate_copy(root: Path, draft: Path, source_year: int, mci_kzt: int) -> Edition:
    """Validate the staged copy; its problems are shown at the lines of the source edition's files
    (the copy keeps every line where it was), since the copy itself is never created."""
    problems: list[Problem] = []
    catalogue = read_catalogue(root, problems)
    edition = EditionReader(root, draft, catalogue, problems).read()
    if problems or edition is None:
        staged = draft.relative_to(root).as_posix() + "/"
        raise ProblemsFound([
            Problem(p.file.replace(staged, f"editions/{source_year}/"), p.line, p.column, p.path,
                    f"{p.message} (in the copy at MCI {mci_kzt} KZT)")
            for p in problems])
    return edition
