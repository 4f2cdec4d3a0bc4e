"""Project root → a built site in site/ (or a served preview), all-or-nothing.

`build_site` validates first (problems are reported, site/ untouched), then runs
`mkdocs build --strict` into a fresh folder beside site/ and swaps it in only when the
build succeeded, so a failed build never leaves a half-written site. `serve` runs
`mkdocs serve` (live reload on edits to editions/, content/, site_templates/).
Drafts are included only when asked (`drafts=True`), never by default.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..edition.validate import load_library


# The folder `generator` is imported from; the MkDocs process imports the same code (see _mkdocs).
PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent.parent)


def _env(drafts: bool) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_PARENT, env.get("PYTHONPATH")]))
    if drafts:
        env["GUIDEBOOK_DRAFTS"] = "1"
    else:
        env.pop("GUIDEBOOK_DRAFTS", None)
    return env


def _mkdocs(command: str, root: Path, quiet: bool, verbose: bool) -> list[str]:
    # The project's hook file imports `generator`: with -P (and PYTHONPATH from _env) that is the
    # package this command runs from, not a copy of it inside the project being built.
    line = [sys.executable, "-P", "-m", "mkdocs", command, "--config-file", str(root / "mkdocs.yml")]
    return line + (["--quiet"] if quiet else []) + (["--verbose"] if verbose else [])


def build_site(root: Path, site_dir: Path | None = None, drafts: bool = False, quiet: bool = False,
               verbose: bool = False) -> int:
    """Build into `site_dir` (default root/site); return the exit status. Raises ProblemsFound."""
    load_library(root)  # located problems surface here, before anything is written
    site_dir = (site_dir or root / "site").resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    command = _mkdocs("build", root, quiet, verbose) + ["--strict", "--site-dir", str(staging)]
    result = subprocess.run(command, cwd=root, env=_env(drafts))
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return result.returncode
    old = None
    if site_dir.exists():
        old = site_dir.with_name(site_dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        site_dir.rename(old)
    staging.rename(site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return 0


def serve(root: Path, address: str = "127.0.0.1:8000", drafts: bool = False, quiet: bool = False,
          verbose: bool = False) -> int:
    load_library(root)
    command = _mkdocs("serve", root, quiet, verbose) + ["--dev-addr", address]
    return subprocess.run(command, cwd=root, env=_env(drafts)).returncode
