"""Validated library + its project folder → translation-symmetry problems between consecutive
editions (run by `guidebook validate` after the library loads).

Each edition prints one language; the other is our translation, reusing the other edition's
wording wherever the meaning is unchanged. So between two aligned texts (`align`) of
consecutive editions, the translation must change exactly where the official text changes,
or the two languages tell different stories. Checked per clause (texts cut at sentence
punctuation and parentheses, when all four sides — both languages of both editions — have
as many clauses), else per text:

  - **symmetry**: a clause changed in English ⇔ changed in Russian (readings with `sic`);
  - **consistency**: the same official clause pair (earlier edition's print → later edition's
    print) has the same translated pair wherever it appears (one translation per meaning);
    a clause unchanged in both languages is left out (two editions printed in one language
    would otherwise answer again for every wording variant the earlier one already had).

A reviewed exception is data: `content/translation-exceptions.yaml`, a list of
`{old: YEAR, new: YEAR, where: "<the place as reported>", reason: {en, ru}}`.

A draft is not checked against the edition before it (nor is it checked for missing
translations): a fresh `new-edition` copy must not break `guidebook validate`; the check
applies once it is published.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from itertools import pairwise
from pathlib import Path

from ..edition.errors import Problem
from ..edition.loader import load_yaml
from ..edition.models import Edition, Library, Text
from .align import aligned_texts, readings

EXCEPTIONS = "content/translation-exceptions.yaml"
_CLAUSE = re.compile(r"\s*(?:[.;:!?](?=\s|$)|[()])\s*")


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE.split(text) if c.strip()]


def _reading(text: Text, lang: str) -> str:
    return text.corrected(lang) or text.get(lang)


def asymmetries(old: Edition, new: Edition) -> list[tuple[str, str, str]]:
    """(where, the translated text to fix, what is wrong) for every asymmetric or inconsistent
    translation between two editions (`old` earlier)."""
    found = []
    seen: dict[tuple, dict[tuple, list]] = defaultdict(dict)
    for where, a, b in aligned_texts(old, new):
        sides = {}
        for lang in ("en", "ru"):
            common = sorted(readings(a, lang) & readings(b, lang))  # unchanged (a fixed misprint is no change)
            sides[f"{lang}-old"] = common[0] if common else _reading(a, lang)
            sides[f"{lang}-new"] = common[0] if common else _reading(b, lang)
        cut = {k: clauses(v) for k, v in sides.items()}
        if len({len(v) for v in cut.values()}) != 1:
            cut = {k: [v] for k, v in sides.items()}
        for i in range(len(cut["en-old"])):
            en = cut["en-old"][i] != cut["en-new"][i]
            ru = cut["ru-old"][i] != cut["ru-new"][i]
            if en != ru:
                changed, same = ("English", "Russian") if en else ("Russian", "English")
                found.append((where, b.get(new.translation_language),
                              f"expected the translation to change where the print does, found clause "
                              f"{cut['en-old'][i] if en else cut['ru-old'][i]!r} changed in {changed} only "
                              f"({same}: {cut[same[:2].lower() + '-old'][i]!r})"))
            official = (cut[f"{old.source_language}-old"][i], cut[f"{new.source_language}-new"][i])
            translated = (cut[f"{old.translation_language}-old"][i], cut[f"{new.translation_language}-new"][i])
            if official[0] == official[1] and translated[0] == translated[1]:
                # Nothing changed here in either language (editions printed in one language):
                # the earlier edition's own wording choices are not this pair's to answer for.
                continue
            seen[official].setdefault(translated, []).append((where, b.get(new.translation_language)))
    for official, ways in seen.items():
        if len(ways) < 2:
            continue
        usual = max(ways, key=lambda t: len(ways[t]))  # the most used; the first seen on a tie
        for translated, places in ways.items():
            if translated != usual:
                for where, text in places:
                    found.append((where, text, f"expected one translation of the printed clause pair {official[0]!r} → "
                                               f"{official[1]!r}, found {translated[1]!r} here and {usual[1]!r} at "
                                               f"{ways[usual][0][0]}"))
    return found


def _exceptions(root: Path, problems: list[Problem]) -> set[tuple[int, int, str]]:
    file = root / EXCEPTIONS
    if not file.is_file():
        return set()
    loaded = load_yaml(file, EXCEPTIONS, problems)
    if loaded is None:  # its problem is reported
        return set()
    out = set()
    for i, entry in enumerate(loaded.data if isinstance(loaded.data, list) else []):
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if not (isinstance(entry, dict) and isinstance(entry.get("old"), int) and isinstance(entry.get("new"), int)
                and isinstance(entry.get("where"), str) and isinstance(reason, dict)
                and all(isinstance(reason.get(lang), str) and reason.get(lang) for lang in ("en", "ru"))):
            line, column = loaded.where((i,))
            problems.append(Problem(EXCEPTIONS, line, column, f"[{i}]",
                                    "expected {old: YEAR, new: YEAR, where: PLACE, reason: {en: …, ru: …}}"))
            continue
        out.add((entry["old"], entry["new"], entry["where"]))
    return out


def _locate(root: Path, year: int, where: str, text: str) -> tuple[str, int, int]:
    """The edition file, line and column where a translated text is written: searched in its
    section's file from its service's entry on, else anywhere in the edition."""
    parts = where.split("/")
    if parts[0] == "sections":
        section, service = parts[1], parts[3] if len(parts) > 3 and parts[2] == "services" else None
    else:
        section, service = parts[0], parts[1] if len(parts) > 1 else None
    folder = root / "editions" / str(year)
    files = [folder / f"{section}.yaml"] + sorted(folder.glob("*.yaml"))
    for file in files:
        if not file.is_file():
            continue
        lines = file.read_text(encoding="utf-8").splitlines()
        start = next((n for n, line in enumerate(lines) if service and line.strip() == f"- id: {service}"), 0)
        for n in range(start, len(lines)):
            column = lines[n].find(text)
            if column >= 0:
                return file.relative_to(root).as_posix(), n + 1, column + 1
    return f"editions/{year}/edition.yaml", 1, 1


def check(library: Library, root: Path, newer: Collection[int] | None = None) -> list[Problem]:
    """Problems of translation symmetry for each pair of consecutive editions in the library
    (only the pairs whose newer edition is in `newer`, when given)."""
    problems: list[Problem] = []
    allowed = _exceptions(root, problems)
    years = sorted(library.editions)
    for old_year, new_year in pairwise(years):
        old, new = library.editions[old_year], library.editions[new_year]
        if new.status == "draft" or (newer is not None and new_year not in newer):
            continue
        for where, text, message in asymmetries(old, new):
            if (old_year, new_year, where) in allowed:
                continue
            file, line, column = _locate(root, new_year, where, text)
            problems.append(Problem(file, line, column, f"translation {old_year}→{new_year} {where}", message))
    return problems
