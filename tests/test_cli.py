"""The `guidebook` command as an editor meets it: the project is found from the current folder
upward (like mkdocs), -C/-q/-v on every subcommand, --version, help that lists valid values,
drafts without printed text skipped by check-source."""
from __future__ import annotations

import argparse
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from conftest import ROOT, make_project, run_cli
from generator.changes.diff import KINDS
from generator.changes.formats import FORMATS
from generator.cli import build_parser
from generator.edition.validate import available_years

GUIDEBOOK = Path(sys.executable).parent / "guidebook"  # the installed console script
COMMANDS = ("validate", "check-source", "lint", "reanchor", "build", "serve", "diff", "new-edition", "register")



def installed(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(GUIDEBOOK), *argv], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def second_clone(tmp_path_factory):
    """Another project than the one the command is installed from, whose latest edition is broken
    (an unknown key). Finding the project from the current folder does not depend on what its
    editions say, so it is the small fixture project, not a copy of this one."""
    clone = make_project(tmp_path_factory.mktemp("clone"), site=True)
    year = available_years(clone)[-1]
    meta = clone / "editions" / str(year) / "edition.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    return clone, year


def test_the_installed_cli_checks_the_project_it_runs_in(second_clone):
    clone, year = second_clone
    expected = f"editions/{year}/edition.yaml:"
    for cwd in (clone, clone / "editions" / str(year), clone / "site_templates" / "overrides"):
        result = installed("validate", cwd=cwd)
        assert result.returncode == 1, (cwd, result.stdout)
        assert expected in result.stderr and "colour" in result.stderr and "Traceback" not in result.stderr
    # this checkout is untouched and still valid
    assert installed("validate", cwd=ROOT).returncode == 0


@pytest.mark.parametrize("where", ["before", "after"])
def test_dash_C_names_the_project_before_or_after_the_subcommand(second_clone, tmp_path, where):
    clone, year = second_clone
    argv = ["-C", str(clone), "validate"] if where == "before" else ["validate", "--root", str(clone)]
    result = installed(*argv, cwd=tmp_path)
    assert result.returncode == 1 and f"editions/{year}/edition.yaml:" in result.stderr


def test_no_project_is_a_clear_error(tmp_path):
    for argv in (["validate"], ["check-source"], ["-C", str(tmp_path), "build"], ["diff", "2025", "2026"]):
        result = installed(*argv, cwd=tmp_path)
        assert result.returncode == 1, argv
        assert result.stdout == "" and "Traceback" not in result.stderr
        assert result.stderr.startswith(f"guidebook: error: no guidebook project in {tmp_path.resolve()} "
                                        "or any folder above it (no mkdocs.yml)")
    result = installed("-C", str(tmp_path / "missing"), "validate", cwd=ROOT)
    assert result.returncode == 1 and "missing: no such folder" in result.stderr


def test_version_comes_from_the_package_metadata(tmp_path):
    result = installed("--version", cwd=tmp_path)  # needs no project
    assert result.returncode == 0
    assert result.stdout.startswith(f"guidebook {metadata.version('expat-guidebook')} from ")


def test_every_subcommand_takes_the_common_options_and_has_help_for_every_argument():
    parser = build_parser(ROOT)
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert set(subcommands) == set(COMMANDS)
    for name, sub in subcommands.items():
        options = {o for action in sub._actions for o in action.option_strings}
        assert {"-C", "--root", "-q", "--quiet", "-v", "--verbose"} <= options, name
        for action in sub._actions:
            assert action.help, f"{name}: {action.option_strings or action.dest} has no help"


def test_help_lists_the_valid_values(capsys):
    years = ", ".join(map(str, available_years(ROOT)))
    for command in ("validate", "check-source", "diff", "new-edition"):
        status, out, _ = run_cli("-C", str(ROOT), command, "--help")
        assert status == 0 and years in " ".join(out.split()), command
    out = " ".join(run_cli("-C", str(ROOT), "diff", "--help")[1].split())
    unwrapped = out.replace("- ", "-")  # argparse may wrap a line at a kind's hyphen
    assert ", ".join(FORMATS) in out and ", ".join(KINDS) in unwrapped and "other-services" in out


def test_quiet_and_verbose(project):
    status, out, _ = run_cli("validate", "-C", str(project), "-q")
    assert (status, out) == (0, "")
    status, out, _ = run_cli("-q", "validate", "-C", str(project), "-v")  # each cancels the other
    assert out == "2030: ok (published, 1 sections, 2 services)\n"
    status, out, _ = run_cli("validate", "-C", str(project), "-v")
    assert out.splitlines() == ["2030: ok (published, 1 sections, 2 services)",
                                "  editions/2030/test-visas.yaml: 2 services"]


def test_check_source_skips_drafts_without_printed_text_unless_named(project):
    assert run_cli("-C", str(project), "new-edition", "2031", "--from", "2030", "--mci", "4000")[0] == 0
    status, out, err = run_cli("-C", str(project), "check-source")
    assert status == 0, out + err
    assert "check-source 2031: skipped, a draft with no printed text yet (source_file: null)" in out
    assert "check-source 2030 (EN official text, seed.txt)" in out
    status, out, _ = run_cli("-C", str(project), "check-source", "2031")
    assert status == 1 and "check-source 2031: the draft has no printed text yet" in out
    status, out, _ = run_cli("-C", str(project), "check-source", "-q")
    assert (status, out) == (0, "")

