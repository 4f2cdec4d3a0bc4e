"""An edition folder → where its values are written: file:line:col by field path, and every text.

The editorial checks work on the validated models but must point an editor at the YAML:
this re-reads an edition's files with the loader (which records the line and column of
every value) and walks their bilingual texts in file order.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..edition.errors import Problem
from ..edition.loader import LoadedFile, dotted, load_yaml

EDITION_FILE = "edition.yaml"


@dataclass(frozen=True)
class TextAt:
    """One bilingual text mapping of a file: its field path, the mapping, and the file."""

    file: LoadedFile
    path: tuple
    value: dict
    file_lines: tuple = ()  # the file's text, line by line

    def where(self, key: str | None = None) -> tuple[int, int]:
        return self.file.where(self.path + ((key,) if key else ()))

    @property
    def dotted(self) -> str:
        return dotted(self.path)


class EditionSource:
    """The YAML files of `editions/<year>/`, loaded with positions (edition.yaml first)."""

    def __init__(self, root: Path, year: int):
        folder = root / "editions" / str(year)
        self.files: dict[str, LoadedFile] = {}
        self.lines: dict[str, tuple] = {}
        problems: list[Problem] = []
        for file in [folder / EDITION_FILE] + sorted(p for p in folder.glob("*.yaml") if p.name != EDITION_FILE):
            if file.is_file():
                loaded = load_yaml(file, file.relative_to(root).as_posix(), problems)
                if loaded is not None:
                    self.files[file.stem] = loaded
                    self.lines[loaded.rel] = tuple(file.read_text(encoding="utf-8").splitlines())

    def file(self, section_id: str | None) -> LoadedFile | None:
        """A section's file, or edition.yaml for None."""
        return self.files.get(section_id or "edition")

    def at(self, section_id: str | None, path: tuple = ()) -> str:
        """'editions/2026/x.yaml:12' for the value at `path` (or its nearest ancestor)."""
        loaded = self.file(section_id)
        if loaded is None:
            return f"editions/?/{section_id}.yaml"
        return f"{loaded.rel}:{loaded.where(path)[0]}"

    def texts(self) -> Iterator[TextAt]:
        """Every bilingual text ({en, ru, …} mapping) of every file, in file order."""
        for loaded in self.files.values():
            yield from _texts(loaded, loaded.data, (), self.lines[loaded.rel])

    def find(self, section_id: str | None, lang: str, wanted: str, normalise, under: tuple = ()) -> str | None:
        """'file:line:col' of the first text (under the path `under`) whose `lang` side normalises to `wanted`."""
        loaded = self.file(section_id)
        if loaded is None:
            return None
        for text in _texts(loaded, loaded.data, ()):
            if text.path[:len(under)] != under:
                continue
            value = text.value.get(lang)
            if isinstance(value, str) and normalise(value) == wanted:
                line, col = text.where(lang)
                return f"{loaded.rel}:{line}:{col}"
        return None


def _texts(loaded: LoadedFile, value, path: tuple, lines: tuple = ()) -> Iterator[TextAt]:
    if isinstance(value, dict):
        if "en" in value or "ru" in value:
            yield TextAt(loaded, path, value, lines)
            return
        for key, item in value.items():
            yield from _texts(loaded, item, path + (key,), lines)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(loaded, item, path + (i,), lines)
