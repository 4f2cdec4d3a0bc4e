"""Project root + a path the project is about to read → the path, or why it may not be read.

Everything the project reads (editions, seeds, the catalogue, labels, pages, templates) must be
a regular file that resolves inside the project, symlinks included: a link pointing outside,
a dangling link, a link loop or a folder where a file belongs is a located problem, so nothing
outside the project is ever read or published. Edition folders are ASCII four-digit years.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import Problem

YEAR_FOLDER = re.compile(r"[1-9][0-9]{3}", re.ASCII)


def unreadable(root: Path, path: Path) -> str | None:
    """Why `path` may not be read as a file of the project, or None when it may."""
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        return "expected a file, found a dangling symbolic link" if path.is_symlink() else "expected a file, found none"
    except (OSError, RuntimeError):
        return "expected a file, found a symbolic link that cannot be resolved (a loop?)"
    if not resolved.is_relative_to(root.resolve()):
        return "expected a file inside the project, found a symbolic link to a file outside it"
    if not resolved.is_file():
        return "expected a file, found a folder" if resolved.is_dir() else "expected a regular file, found a special file"
    return None


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def check_tree(root: Path, folder: Path, problems: list[Problem]) -> None:
    """Every entry under `folder` (pages, templates) must stay inside the project."""
    if not folder.is_dir():
        return
    for parent, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            entry = Path(parent) / name
            if not entry.is_symlink():
                continue
            try:
                resolved = entry.resolve(strict=True)
            except (OSError, RuntimeError):
                problems.append(Problem(rel(root, entry), 0, 0, "", "expected a file or folder, found a symbolic "
                                        "link that leads nowhere (dangling, or a loop)"))
                continue
            if not resolved.is_relative_to(root.resolve()):
                problems.append(Problem(rel(root, entry), 0, 0, "", "expected a file or folder inside the project, "
                                        "found a symbolic link to one outside it"))


def edition_years(root: Path, problems: list[Problem]) -> list[int]:
    """The years of editions/<year>/; anything else there that looks like an edition is a problem."""
    folder = root / "editions"
    if not folder.is_dir():
        problems.append(Problem("editions", 0, 0, "", "expected the editions folder (editions/<year>/), found none; "
                                "is this the project folder?"))
        return []
    years = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue  # staging folders of new-edition, editor swap files
        if entry.is_dir():
            if YEAR_FOLDER.fullmatch(entry.name):
                years.append(int(entry.name))
            else:
                problems.append(Problem(f"editions/{entry.name}", 0, 0, "", "expected an edition folder named "
                                        "by its year in four ASCII digits (e.g. 2027), found this name"))
        elif entry.suffix.lower() in (".yaml", ".yml") or entry.is_symlink() and not entry.exists():
            problems.append(Problem(f"editions/{entry.name}", 0, 0, "", "expected only edition folders and "
                                    "documentation here, found a stray file (move it into editions/<year>/)"))
    return years
