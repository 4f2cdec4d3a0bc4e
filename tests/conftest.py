"""Shared fixtures: the project root, the valid fixture project, CLI runner, golden files, and
the sites built once per run (the real one, the real one for a sub-path, and the fixture
project's). Under pytest-xdist (`make test` runs `-n 2`) each of these is built by the first
worker that needs it and read by all of them (tests never change them: they copy first)."""
from __future__ import annotations

import fcntl
import hashlib
import io
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from generator.cli import main
from generator.edition.loader import parse_cache

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
SITE_URL = "https://guidebook.example.org/"  # a reserved name (RFC 2606), never a real host


def current_edition(root: Path) -> int:
    """The year of the edition the site shows as current: the last published one (as the site
    decides, generator/site/render.py), read from each edition.yaml's `status` line. Tests say
    "the current edition" with it, never a year: an editor will publish the next one."""
    years = sorted(int(p.parent.name) for p in (root / "editions").glob("[0-9][0-9][0-9][0-9]/edition.yaml")
                   if re.search(r"^status:\s*published\s*$", p.read_text(encoding="utf-8"), re.MULTILINE))
    return years[-1]


CURRENT = current_edition(ROOT)


def printed_editions(root: Path) -> list[int]:
    """The years whose edition.yaml names a printed text (`source_file`), read from the file's
    line as current_edition reads `status`: parametrizing with it loads no library at collection."""
    return sorted(int(p.parent.name) for p in (root / "editions").glob("[0-9][0-9][0-9][0-9]/edition.yaml")
                  if re.search(r"^source_file:\s*(?!null\s*$)\S", p.read_text(encoding="utf-8"), re.MULTILINE))


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
NOT_IN_A_CLONE = {".git", ".venv", "node_modules", "site", "build", ".pytest_cache", ".hypothesis", ".mypy_cache",
                  ".ruff_cache"}


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


@pytest.fixture
def copy(tmp_path):
    """A copy of the real project's editions and content, to edit."""
    root = tmp_path / "project"
    for folder in ("editions", "content"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")  # what marks a project folder
    return root


def build(root: Path, site: Path, *extra: str) -> subprocess.CompletedProcess:
    """`guidebook build` of `root` into `site`, as a separate process (as an editor runs it).

    Builds of one project take turns, across xdist workers too: each writes the project's
    build/docs, which MkDocs reads (the real project is built twice per run, the fixture site's
    project by several tests)."""
    key = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"guidebook-test-build-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_process(root, site, *extra)


def _build_process(root: Path, site: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", "--quiet",
                           "--site-dir", str(site), *extra], capture_output=True, text=True,
                          env={**os.environ, "GUIDEBOOK_SITE_URL": SITE_URL})


def _built(root: Path, site: Path) -> Path:
    result = build(root, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    return site


def run_folder(tmp_path_factory) -> Path:
    """The folder of this run that every xdist worker shares (each worker's basetemp is inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], object]) -> Path:
    """<run folder>/<name>, made by `make(folder)` by the first worker that asks; the others wait
    for it (a lock file) and use the same folder. A `make` that failed is tried again by the next."""
    folder = run_folder(tmp_path_factory) / name
    with open(folder.with_name(name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder.with_name(name + ".done")
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real project's site, built once per run for every test that reads it."""
    return once_per_run(tmp_path_factory, "real", lambda folder: _built(ROOT, folder / "site")) / "site"


SUBPATH = "/expat/guidebook/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen, seconds: float = 30) -> None:
    """Stop a server as its user does (SIGTERM); killed if it has not ended after `seconds`."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def subpath_build(tmp_path_factory):
    """(the folder a host serves as its root, the site URL): the real site built for SUBPATH on
    a port kept for this run, in <folder>/expat/guidebook/. The folder is world-traversable, as
    a web server's worker user needs (test_nginx.py), and removed at the end of the run
    (pytest_sessionfinish below)."""
    def make(record: Path) -> None:
        parent = Path(tempfile.mkdtemp(prefix="guidebook-host-"))
        (record / "folder").write_text(str(parent), encoding="utf-8")
        parent.chmod(0o755)
        url = f"http://127.0.0.1:{free_port()}{SUBPATH}"
        (record / "url").write_text(url, encoding="utf-8")
        site = parent / SUBPATH.strip("/")
        site.parent.mkdir(parents=True)
        site.parent.chmod(0o755)
        result = build(ROOT, site, "--strict", "--site-url", url)
        assert result.returncode == 0, result.stdout + result.stderr
    record = once_per_run(tmp_path_factory, "subpath", make)
    return Path((record / "folder").read_text(encoding="utf-8")), (record / "url").read_text(encoding="utf-8")


@contextmanager
def subpath_port(tmp_path_factory):
    """Held while a server listens on subpath_build's port (the URL the site was built for): xdist
    workers serve it one at a time (test_nginx, test_deploy_serve)."""
    with open(run_folder(tmp_path_factory) / "subpath-port.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def pytest_sessionfinish(session):
    """Removes the host folder of subpath_build and keeps how long each test took (for the next
    run's order), once: by the xdist controller, or the one process."""
    if hasattr(session.config, "workerinput"):
        return
    if getattr(session.config, "cache", None) is not None and _took:
        took = session.config.cache.get(DURATIONS, {})
        took.update({nodeid: round(seconds, 2) for nodeid, seconds in _took.items()})
        session.config.cache.set(DURATIONS, took)
    record = session.config._tmp_path_factory.getbasetemp() / "subpath" / "folder"
    if record.is_file():
        shutil.rmtree(record.read_text(encoding="utf-8"), ignore_errors=True)


# `make check` (the edit loop) leaves out the tests marked `slow`: those that build a site (the
# real one or the fixture project's), drive Chromium or nginx, run a server, a build or the
# installed command as a process, or run whole commands on the real editions many times (the
# hostile corpus under tracemalloc, property walks, a crash or a signal at every write). A test is
# marked by the shared builds it reads, by its module, or by its name below (a name kept here, not
# in the test files, so that edits to the tests merge simply; a renamed test only makes
# `make check` slower). `make test` runs every test.
SLOW_FIXTURES = {"real_site", "subpath_build", "fixture_build", "no_url_build", "second_clone", "copy"}
SLOW_MODULES = {"test_browser.py", "test_guide_browser.py", "test_search_browser.py", "test_nginx.py",
                "test_deploy_serve.py", "test_serve_sources.py", "test_interrupts.py",
                "test_html_valid.py", "test_site_structure.py", "test_validate_properties.py", "test_preview.py",
                "test_edition_2027.py"}
SLOW_TESTS = {
    "test_hostile.py": {"test_hostile_input_is_one_located_refusal", "test_generated_folders_never_lead_out_of_build",
                        "test_a_write_that_fails_in_the_build_is_one_line_and_the_site_stays",
                        "test_mutated_bytes_of_real_editions_never_crash", "test_plain_mkdocs_refuses_a_docs_dir_outside_build",
                        "test_a_selector_repeated_in_one_register_entry_is_reported",
                        "test_refused_output_folders_keep_their_files", "test_real_editions_survive_a_docs_link_to_them"},
    "test_transactions.py": {"test_a_real_signal_at_any_moment_leaves_the_old_or_the_new_edition",
                             "test_a_crash_at_any_write_is_settled_by_the_next_command",
                             "test_a_failure_after_any_write_leaves_every_old_file",
                             "test_a_change_that_can_be_neither_finished_nor_undone_is_finished_by_the_next_command"},
    "test_reanchor.py": {"test_a_line_inserted_at_the_top_of_the_seed_is_reanchored"},
    "test_site_build.py": {"test_mkdocs_serve_reloads_on_yaml_and_template_edits",
                           "test_plain_mkdocs_build_aborts_cleanly_on_bad_data"},
    "test_scaffold.py": {"test_new_edition_is_a_draft_with_state_fees_at_the_new_mci"},
    "test_register.py": {"test_wording_cannot_cover_a_requirement_and_a_change_is_covered_once",
                         "test_a_draft_register_may_be_incomplete", "test_relaxed_cannot_cover_a_tightening",
                         "test_the_changes_page_escapes_summaries_and_lists_what_no_entry_covers",
                         "test_json_and_csv_carry_the_entries",
                         "test_wording_cannot_cover_a_text_that_states_a_changed_condition"},
    "test_deploy.py": {"test_umask_is_respected", "test_strict_build_with_url_carries_it_once",
                       "test_rebuild_keeps_every_byte_and_file_date", "test_robots_txt_names_the_sitemap_with_a_site_url"},
    "test_symmetry.py": {"test_validating_one_edition_checks_it_against_the_one_before"},
    "test_cli.py": {"test_no_project_is_a_clear_error", "test_version_comes_from_the_package_metadata"},
    "test_diff.py": {"test_changes_page_markdown_is_golden"},
    "test_editions.py": {"test_validate_cli_is_clean", "test_check_source_cli_prints_full_coverage"},
    "test_lint.py": {"test_the_real_editions_have_no_open_finding"},
    "test_slips.py": {"test_a_syntax_error_in_one_file_reports_that_file_and_no_follow_ons"},
    "test_translation_memory.py": {"test_reuse_is_symmetric"},
    "test_printed_only.py": {"test_pages_show_the_blank_and_label_every_total_that_rests_on_a_reading"},
    "test_search_stemmer.py": {"test_the_browsers_stems_are_the_indexs_for_made_up_words"},
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = getattr(item, "originalname", item.name)
        if (item.path.name in SLOW_MODULES or name in SLOW_TESTS.get(item.path.name, ())
                or SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))):
            item.add_marker(pytest.mark.slow)
    # The longest modules first: xdist (`make test`: --dist loadscope) gives each worker a whole
    # module (its module-scoped fixtures made once), the next one as it finishes, so the two end
    # together instead of one running a long module alone at the end. A module takes what its
    # tests took last time (setup, call and teardown, kept in .pytest_cache by
    # pytest_sessionfinish below); a test never run yet (a fresh clone) counts as SLOW_GUESS
    # seconds if it is marked slow, else as nothing. Within a module, the file's order. Same cache,
    # same order in every worker, as xdist requires.
    took = cache.get(DURATIONS, {}) if (cache := getattr(config, "cache", None)) else {}
    module: dict[Path, float] = {}
    for item in items:
        guess = SLOW_GUESS if item.get_closest_marker("slow") else 0.0
        module[item.path] = module.get(item.path, 0.0) + took.get(item.nodeid, guess)
    items.sort(key=lambda item: -module[item.path])


DURATIONS = "guidebook/durations"
SLOW_GUESS = 5.0
_took: dict[str, float] = {}


def pytest_runtest_logreport(report):
    _took[report.nodeid] = _took.get(report.nodeid, 0.0) + report.duration


# GUIDEBOOK_TEST_CPU=FILE appends a line per test: the CPU seconds (user + sys) of the test, its
# fixtures' setup and teardown, and the processes it ran and waited for, then its id. CPU time,
# unlike wall time, hardly depends on what else the machine runs (docs/notes/test-speed.md).
def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    log = os.environ.get("GUIDEBOOK_TEST_CPU")
    started = _cpu_seconds() if log else 0.0
    yield
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{_cpu_seconds() - started:.3f}\t{item.nodeid}\n")


# Text no YAML value may smuggle into a page as markup; the fixture site carries all of it.
HOSTILE = {
    "script": "<script>alert('x')</script>",
    "link": "[click me](javascript:alert(1))",
    "image": "![i](javascript:alert(2))",
    "attr": "Text {: onclick=\"alert(3)\" }",
    "markdown": "# not a heading *not bold* <b>not bold</b> | not | a table",
    "entity": "&lt;script&gt; stays text",
}


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory) -> tuple[Path, Path]:
    """(project, site): the fixture project with hostile text in its published 2030 and a draft
    2031, built once per run (drafts not included). Tests that change it work on a copy."""
    folder = once_per_run(tmp_path_factory, "fixture-site", _fixture_site)
    return folder / "project", folder / "site"


def copy_fixture_project(project: Path, target: Path) -> Path:
    """A copy of fixture_build's project in `target`, with an empty build/docs as a fresh project
    has: its own build/ is left out, since a test on the other worker may be building that project
    in place (test_site_build) while this one copies."""
    shutil.copytree(project, target, symlinks=True, ignore=lambda folder, names: ["build"] if Path(folder) == project else [])
    (target / "build" / "docs").mkdir(parents=True)
    return target


def _fixture_site(folder: Path) -> None:
    root = make_project(folder, site=True)
    section = root / "editions" / "2030" / "test-visas.yaml"
    hostile = " ".join(HOSTILE.values()).replace("\\", "\\\\").replace('"', '\\"')
    section.write_text(section.read_text(encoding="utf-8")
                       .replace('title: {en: "Test visa inside Kazakhstan"', f'title: {{en: "Test visa {hostile}"')
                       .replace('{en: "Original passport"', f'{{en: "Original passport {hostile}"')
                       .replace('label: {en: "Up to 1 year"', f'label: {{en: "Up to 1 year {hostile}"'),
                       encoding="utf-8")
    draft = root / "editions" / "2031"
    shutil.copytree(root / "editions" / "2030", draft)
    meta = draft / "edition.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("year: 2030", "year: 2031")
                    .replace("status: published", "status: draft"), encoding="utf-8")
    _built(root, root.parent / "site")

# Hypothesis profiles: `quick` by default (make test, make check), `standard` (Hypothesis' own
# default, what every run used before), `thorough` explores far more: HYPOTHESIS_PROFILE=thorough
# make test. Property tests that set their own count take a fraction of the profile's.
from hypothesis import settings as _settings  # noqa: E402

_settings.register_profile("quick", max_examples=25)
_settings.register_profile("standard", max_examples=100)
_settings.register_profile("thorough", max_examples=3000)
_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))



@pytest.fixture(scope="session", autouse=True)
def _parse_each_text_once():
    """In-process commands parse a YAML file only when its bytes differ from the last parse of a
    file of that name (the preview's parse cache, generator/edition/loader.py): most tests load the
    same real editions or fixture files again and again, and parsing them was half the CPU of
    `make check`. Every file is still read, and every distinct text still parsed, limits and all."""
    with parse_cache():
        yield
