"""Project root + a folder a build is about to write → that folder, if writing there can lose nothing.

A build replaces its output folder wholesale, so the folder must be one guidebook built
itself (it holds the marker file `MARKER`, written into every site), an empty folder, or a
new one. It can never be the project, contain it, or lie inside any existing folder of the
project (editions/, content/, site_templates/, generator/, tests/, .git/ …) other than a
site guidebook built; a folder named inside the project may not lead out of it through a
symbolic link. The generated Markdown (`docs_dir` in mkdocs.yml, rewritten on every build)
must lie inside the project's `build/` folder, reached without a symbolic link, and hold no
symbolic link. Anything else is refused with a message saying why; nothing is touched.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

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
    named = Path(os.path.abspath(requested))
    if named.is_relative_to(root) and not target.is_relative_to(root):
        raise OutputRefused(f"{shown} is inside the project but leads to {target} outside it through a "
                            "symbolic link; name the outside folder itself if that is where the site goes")
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


GENERATED = "build"  # the folder of generated, never committed files (.gitignore)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its folders only: MkDocs' own tags (!ENV, !!python/…) read as nothing."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def configured_docs(root: Path) -> Path:
    """The `docs_dir` mkdocs.yml names (MkDocs' default: docs), as MkDocs resolves it."""
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise OutputRefused(f"cannot read mkdocs.yml for its docs_dir ({exc})") from None
    folder = config.get("docs_dir", "docs") if isinstance(config, dict) else "docs"
    if not isinstance(folder, str) or not folder:
        raise OutputRefused(f"mkdocs.yml: docs_dir: expected a folder name, found {folder!r}")
    return root / folder


def checked_docs(root: Path, requested: Path) -> Path:
    """The generated-Markdown folder (rewritten wholesale by every build), or OutputRefused.

    It must be reached without a symbolic link, lie inside the project's build/ folder, and hold
    no symbolic link (a write through one would land wherever it points)."""
    # Named against the project folder as given (it may itself be reached through a link).
    named = Path(os.path.normpath(root.resolve() / os.path.relpath(os.path.abspath(requested),
                                                                   os.path.abspath(root))))
    root = root.resolve()
    shown = named.relative_to(root).as_posix() if named.is_relative_to(root) else str(named)
    generated = root / GENERATED
    try:
        target = named.resolve()
    except (OSError, RuntimeError) as exc:
        raise OutputRefused(f"{shown} (docs_dir in mkdocs.yml): cannot resolve it ({exc})") from None
    if not target.is_relative_to(root):
        raise OutputRefused(f"{shown} (docs_dir in mkdocs.yml) leads outside the project, to {target}; "
                            f"the generated Markdown must stay inside {GENERATED}/ (remove the symbolic link)")
    if target == generated or not target.is_relative_to(generated):
        where = target.relative_to(root).as_posix() or "."
        raise OutputRefused(f"{shown} (docs_dir in mkdocs.yml) leads to the project folder {where}/, not to a folder "
                            f"inside {GENERATED}/; every build rewrites it, so it must hold only generated "
                            "files (remove the symbolic link, or set docs_dir: build/docs)")
    if target != named:
        raise OutputRefused(f"{shown} (docs_dir in mkdocs.yml) is reached through a symbolic link; "
                            "the generated Markdown must be a real folder inside build/ (remove the link)")
    if target.is_dir():
        for parent, dirs, files in os.walk(target):
            for name in sorted(dirs + files):
                entry = Path(parent) / name
                if entry.is_symlink():
                    raise OutputRefused(f"{entry.relative_to(root).as_posix()} is a symbolic link inside the "
                                        "generated Markdown, which holds only files guidebook wrote "
                                        "(remove it; the next build writes the real file)")
    elif target.exists():
        raise OutputRefused(f"{shown} (docs_dir in mkdocs.yml) exists and is not a folder")
    return target
