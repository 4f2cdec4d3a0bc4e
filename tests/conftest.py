"""Shared fixtures: the project root, the valid fixture project, CLI runner, golden files."""
from __future__ import annotations

import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run `guidebook ARGV` in-process; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def assert_golden(path: Path, actual: str) -> None:
    """Compare with a golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing)."""
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"golden file {path} is missing (run with UPDATE_GOLDEN=1 and review it)"
    assert actual == path.read_text(encoding="utf-8")


# What a clone of the repository does not hold: the tools' folders and what builds generate.
NOT_IN_A_CLONE = {".git", ".venv", "node_modules", "site", "build", ".pytest_cache", ".hypothesis"}


def copy_project(target: Path) -> Path:
    """A copy of the real project as a fresh clone has it (a second checkout); returns `target`."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == ROOT
        return {n for n in names if (top and (n in NOT_IN_A_CLONE or n.startswith(".site-")))
                or n == "__pycache__" or n.endswith(".egg-info")}
    shutil.copytree(ROOT, target, ignore=ignore)
    (target / "build" / "docs").mkdir(parents=True)
    return target


def make_project(tmp_path: Path, overlay: Path | None = None, site: bool = False) -> Path:
    """A copy of the valid fixture project, with the files of `overlay` laid over it.

    With `site`, it also gets the real templates, hand-written pages and an mkdocs.yml whose
    hook is the real one, so it can be rendered and built like the real project."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "valid", root)
    if site:
        shutil.copytree(ROOT / "site_templates", root / "site_templates")
        shutil.copytree(ROOT / "content" / "pages", root / "content" / "pages")
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.replace("  - generator/site/hooks.py", f"  - {ROOT / 'generator' / 'site' / 'hooks.py'}")
        config = config.replace("  - generator\n", "")
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        (root / "build" / "docs").mkdir(parents=True)
    if overlay is not None:
        for file in overlay.rglob("*"):
            if file.is_file() and file.name != "expected.txt":
                target = root / file.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(file, target)
    return root


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)

# `HYPOTHESIS_PROFILE=thorough make test` explores far more cases than the default run.
from hypothesis import settings as _settings  # noqa: E402

_settings.register_profile("thorough", max_examples=3000)
_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
