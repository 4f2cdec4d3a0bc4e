"""Project root + a requested output folder → that folder, if building there can lose nothing.

A build replaces its output folder wholesale, so the folder must be one guidebook built
itself (it holds the marker file `MARKER`, written into every site), an empty folder, or a
new one. It can never be the project, contain it, or lie inside any existing folder of the
project (editions/, content/, site_templates/, generator/, tests/, .git/ …) other than a
site guidebook built. Anything else is refused with a message saying why; nothing is touched.
"""
from __future__ import annotations

from pathlib import Path

MARKER = ".guidebook-site"
MARKER_TEXT = "Built by guidebook. `guidebook build` replaces this whole folder; do not keep files here.\n"


class OutputRefused(Exception):
    """The output folder is not one a build may replace; the message says why."""


def _built_by_us(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def _legacy_default(root: Path, folder: Path) -> bool:
    """The project's own site/ from a build made before the marker existed."""
    return (folder == root / "site" and (folder / "sitemap.xml").is_file()
            and (folder / "search" / "search_index.json").is_file())


def checked_output(root: Path, requested: Path) -> Path:
    """The resolved output folder, or OutputRefused. Symlinks are resolved before any test."""
    root = root.resolve()
    try:
        target = requested.resolve()
    except (OSError, RuntimeError) as exc:
        raise OutputRefused(f"cannot resolve {requested} ({exc})") from None
    shown = str(requested)
    if target == root:
        raise OutputRefused(f"{shown} is the project folder; building there would replace editions/, "
                            "content/ and everything else")
    if root.is_relative_to(target):
        raise OutputRefused(f"{shown} contains the project folder {root}; building there would replace it")
    if target.is_relative_to(root):
        inside = target.relative_to(root).parts
        for depth in range(1, len(inside)):
            ancestor = root.joinpath(*inside[:depth])
            if ancestor.exists() and not _built_by_us(ancestor):
                raise OutputRefused(f"{shown} lies inside the project's folder {'/'.join(inside[:depth])}/, "
                                    "which holds sources, not a built site; choose a new folder (default: site/)")
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise OutputRefused(f"{shown} exists and is not a folder")
        try:
            empty = not any(target.iterdir())
        except OSError as exc:
            raise OutputRefused(f"cannot read {shown} ({exc.strerror})") from None
        if not (empty or _built_by_us(target) or _legacy_default(root, target)):
            raise OutputRefused(f"{shown} holds files that guidebook did not build (no {MARKER} marker); "
                                "a build replaces the whole folder, so choose a new or empty folder, "
                                "or remove this one yourself")
    return target
