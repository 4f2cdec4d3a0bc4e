"""Every edit of the project is all or nothing: reanchor, new-edition and register draft interrupted at every file
write (an injected failure, and a simulated crash: the process dies there), then with real signals
sent to a real process at a moment drawn over its run and at drawn writes; the editions afterwards
equal their state before or after the command, never a mix, and a leftover of a killed command is
settled by the next one."""
from __future__ import annotations

import contextlib
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, make_project, run_cli
from generator.edition.validate import available_years
from generator.editorial import transaction
from generator.editorial.staging import stage


def _tree(root: Path) -> dict[str, bytes | None]:
    """editions/ as it is: every file's bytes, every folder (None)."""
    folder = root / "editions"
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def _real_project(tmp_path: Path) -> Path:
    """A copy of the real project's editions and content (all an editing command reads)."""
    root = tmp_path / "project"
    for folder in ("editions", "content"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")  # what marks a project folder
    return root


def _reanchor_project(tmp_path: Path) -> tuple[Path, list[str]]:
    """The real project with a line inserted at the top of the newest printed seed, so that
    reanchor rewrites every file of that edition."""
    root = _real_project(tmp_path)
    printed = {y: yaml.safe_load((root / "editions" / str(y) / "edition.yaml").read_text(encoding="utf-8"))
               ["source_file"] for y in available_years(root)}  # the seed each edition names, if any
    year = max(y for y, seed in printed.items() if seed)
    seed = root / "editions" / str(year) / printed[year]
    seed.write_text("A line the printer added\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    return root, ["reanchor", str(year)]


def _small_reanchor_project(tmp_path: Path) -> tuple[Path, list[str]]:
    """The fixture project (two edition files) with a line inserted at the top of its seed."""
    root = make_project(tmp_path)
    seed = root / "editions" / "2030" / "seed.txt"
    seed.write_text("A line the printer added\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    return root, ["reanchor", "2030"]


def _new_edition_project(tmp_path: Path) -> tuple[Path, list[str]]:
    return make_project(tmp_path), ["new-edition", "2031", "--from", "2030", "--mci", "5000"]


EDITORS_REGISTER = """# Begun by hand: the MCI.
since: {base}
entries:
  - id: mci-raised
    effect: fees-indexed
    summary: {{en: "1 MCI is now 4 500 KZT.", ru: "1 МРП теперь 4 500 KZT."}}
    covers:
      - kind: mci
"""


def _register_project(tmp_path: Path) -> tuple[Path, list[str]]:
    """The real project with a draft made from its newest edition by new-edition (new MCI), whose
    register an editor began: `register draft` replaces that file."""
    root = _real_project(tmp_path)
    year = available_years(root)[-1]
    assert run_cli("--root", str(root), "new-edition", str(year + 1), "--from", str(year), "--mci", "4500")[0] == 0
    (root / "editions" / str(year + 1) / "changes.yaml").write_text(EDITORS_REGISTER.format(base=year),
                                                                    encoding="utf-8")
    return root, ["register", "draft", str(year + 1)]


def _small_register_project(tmp_path: Path) -> tuple[Path, list[str]]:
    """The fixture project with an edited draft 2031 and no register yet: the draft creates it."""
    from test_register_draft import _fixture_2031
    return _fixture_2031(tmp_path), ["register", "draft", "2031"]


# The real project's newest edition for the crash test (every file of it rewritten, each write
# in one run); the fixture's for the injected failures, which run the whole command once per write,
# and for the real signals, one process per trial (the transaction does not depend on the size).
COMMANDS = {"reanchor": _reanchor_project, "new-edition": _new_edition_project, "register-draft": _register_project}
SMALL = {"reanchor": _small_reanchor_project, "new-edition": _new_edition_project,
         "register-draft": _small_register_project}


def _named(argv: list[str]) -> str:
    """The command as its messages name it ("reanchor", "register draft")."""
    return " ".join(argv[:2]) if argv[0] == "register" else argv[0]


class Writes:
    """Counts the transaction's writes (staged files, journal, renames) and acts at the k-th."""

    def __init__(self, monkeypatch, at: int | None = None, action=None):
        self.done: list[str] = []
        self.at, self.action = at, action
        real_write, real_replace = transaction._write, transaction._replace

        def write(path, data):
            self._next(f"write {path.name}")
            real_write(path, data)

        def replace(source, target):
            self._next(f"move {source.name} -> {target.name}")
            real_replace(source, target)

        monkeypatch.setattr(transaction, "_write", write)
        monkeypatch.setattr(transaction, "_replace", replace)

    def _next(self, what: str) -> None:
        self.done.append(what)
        if self.at is not None and len(self.done) == self.at + 1:  # this write only; the later ones work
            self.action()


def _states(tmp_path: Path, make, monkeypatch) -> tuple[dict, dict, list[str], list[str]]:
    """The tree before and after a clean run, the command, and the writes it made."""
    root, argv = make(tmp_path / "clean")
    before = _tree(root)
    with monkeypatch.context() as patch:
        writes = Writes(patch)
        status, out, err = run_cli("--root", str(root), *argv)
    assert status == 0, err
    after = _tree(root)
    assert after != before
    return before, after, argv, writes.done


@pytest.mark.parametrize("command", COMMANDS)
def test_a_failure_after_any_write_leaves_every_old_file(tmp_path, monkeypatch, command):
    make = SMALL[command]
    before, after, argv, writes = _states(tmp_path, make, monkeypatch)
    assert any(w.startswith("move journal.tmp") for w in writes) and writes[-1] == "move journal -> done"
    for k in range(len(writes)):  # k writes done, the next one fails
        root, _ = make(tmp_path / f"fail-{k}")

        def fail():
            raise OSError(5, "Input/output error (injected)")

        with monkeypatch.context() as patch:
            Writes(patch, at=k, action=fail)
            status, out, err = run_cli("--root", str(root), *argv)
        assert status == 1, (k, writes[k], err)
        assert "Traceback" not in err and err.count("\n") == 1, (k, err)
        assert re.fullmatch(r"guidebook: error: cannot (stage|write) .*Input/output error \(injected\); "
                            r"nothing was changed\n", err), (k, err)
        assert _tree(root) == before, (k, writes[k])


@pytest.mark.parametrize("command", COMMANDS)
def test_a_crash_at_any_write_is_settled_by_the_next_command(tmp_path, monkeypatch, command):
    """A process killed just before its k-th write leaves the project as it is at that moment: a
    copy of editions/ taken there is what the next command finds (and the dead process's lock is
    gone, as the copy's folders were never locked)."""
    make = COMMANDS[command]
    root, argv = make(tmp_path / "crash")
    before = _tree(root)
    # A crash on either side of the decision is settled by a later command (`validate`) on the
    # fixture project; on the real editions by `transaction.recover`, the call every command makes
    # first whatever the editions hold (validating them twice more would prove nothing more).
    by_a_command = make is SMALL[command]
    rest = tmp_path / "rest"  # the project besides editions/, for validate
    if by_a_command:
        shutil.copytree(root, rest, symlinks=True, ignore=lambda folder, names: ["editions"] if Path(folder) == root
                        else [])
    crashes = tmp_path / "crashes"

    def snapshot():  # editions/ is all a command reads to settle a leftover
        k = len(list(crashes.glob("*"))) if crashes.exists() else 0
        shutil.copytree(root / "editions", crashes / str(k) / "editions", symlinks=True)

    with monkeypatch.context() as patch:  # the clean run, stopping before each write to take a copy
        counter = Writes(patch)
        real = counter._next

        def before_each(what):
            snapshot()
            real(what)

        patch.setattr(counter, "_next", before_each)
        assert run_cli("--root", str(root), *argv)[0] == 0
    after, writes = _tree(root), counter.done
    assert after != before and writes[-1] == "move journal -> done"
    decided = writes.index("move journal.tmp -> journal") + 1  # from this write on, the change is made
    assert len(list(crashes.iterdir())) == len(writes)
    for k in range(len(writes)):
        crashed = crashes / str(k)
        leftovers = [p.name for p in (crashed / "editions").iterdir() if p.name.startswith(".")]
        assert len(leftovers) == 1, (k, leftovers)
        if by_a_command and k in (decided - 1, decided + 1):
            shutil.copytree(rest, crashed, symlinks=True, dirs_exist_ok=True)
            status, out, err = run_cli("--root", str(crashed), "validate")
            assert status == 0, (k, err)
        else:
            err = "".join(f"guidebook: {line}\n" for line in transaction.recover(crashed))
        assert "Traceback" not in err and err.count("\n") == 1, (k, err)
        tree = _tree(crashed)
        if k < decided:
            assert re.fullmatch(rf"guidebook: removed editions/{re.escape(leftovers[0])}, left by a {_named(argv)} "
                                r"stopped before it changed anything\n", err), (k, err)
            assert tree == before, (k, writes[k])
        elif k < len(writes) - 1:
            assert re.fullmatch(rf"guidebook: completed the {_named(argv)} a killed process had left half done "
                                r".*: moved its last \d+ of \d+ file\(s\) into place; removed editions/"
                                rf"{re.escape(leftovers[0])}\n", err), (k, err)
            assert tree == after, (k, writes[k])
        else:  # killed just before the journal became `done`
            assert "moved its last 0 of" in err, err
            assert tree == after


def test_a_staging_folder_in_use_is_left_alone(tmp_path):
    root = make_project(tmp_path)
    running = stage(root / "editions", ".reanchor-2030-")  # locked, as a running command holds it
    try:
        assert run_cli("--root", str(root), "validate")[2] == ""
        assert running.path.is_dir()
    finally:
        running.remove()
    dead = root / "editions" / ".reanchor-2030-abcd1234"
    (dead / "files").mkdir(parents=True)
    status, _, err = run_cli("--root", str(root), "validate")
    assert status == 0 and not dead.exists()
    assert err == ("guidebook: removed editions/.reanchor-2030-abcd1234, left by a reanchor stopped before it "
                   "changed anything\n")
    other = root / "editions" / ".my-notes"  # not a staging folder: never touched
    other.mkdir()
    assert run_cli("--root", str(root), "validate")[2] == "" and other.is_dir()


# -- real signals -------------------------------------------------------------------------------
# Each trial is a real process running the command line as an editor runs it, and a real signal
# delivered by the kernel. The transaction does not depend on the editions' size, so these run on
# the fixture project (whose commands take a fraction of a second; the real editions' every write
# is gone through by the crash test above).

# Forks one child per request from a process that has imported guidebook: the child runs
# `python -m generator ARGV` (generator.__main__.run, from its first line) and is sent the signal
# at a moment by the test, or sends it to itself at its k-th write (SIGINT/SIGTERM are then held
# back during the commit, SIGKILL ends the process there). A child skips only Python's start and
# the imports (~0.25 s of CPU each trial saves); a signal while those run is tested on its own
# (test_interrupts.py: test_a_signal_while_guidebook_loads_ends_it_quietly). The child answers
# SIGINT/SIGTERM as run() does before it says it is ready, so a moment can never fall between.
FORKS = """
import json, os, signal, sys
import generator.__main__
import generator.cli
from generator.editorial import transaction

real = transaction._write, transaction._replace
for request in sys.stdin:
    at, signum, argv, err = json.loads(request)
    ready, said = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(ready)
            for each in (signal.SIGINT, signal.SIGTERM):
                signal.signal(each, generator.__main__._outside_the_command)
            count = [0]

            def signalling(write):
                def written(*args):
                    count[0] += 1
                    if count[0] == at + 1:
                        os.kill(os.getpid(), signum)
                    return write(*args)
                return written

            if at is not None:
                transaction._write, transaction._replace = (signalling(write) for write in real)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
            sys.argv = ["guidebook", *argv]
            os.close(said)
            generator.__main__.run()
        finally:
            os._exit(70)
    os.close(said)
    os.read(ready, 1)  # the child closed its end: it is about to run the command
    os.close(ready)
    print("pid", child, flush=True)
    sys.stdin.readline()  # the test has sent its signal: only now may the child's pid be let go
    print("status", os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]), flush=True)
"""


@pytest.fixture(scope="module")
def forks():
    """The forking process, one per module and worker (its CPU, its children's included, is counted
    when it ends: in the module's last test). It and its children have a session of their own:
    whatever happens, the fixture ends them all with one signal to their group."""
    server = subprocess.Popen([sys.executable, "-c", FORKS], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, start_new_session=True)
    try:
        yield server
    finally:
        assert server.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            server.stdin.close()  # it ends when its requests do
        with contextlib.suppress(subprocess.TimeoutExpired):  # a child that never ended (a failed test said which)
            server.wait(timeout=60)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # a child left running, or the server itself
        server.wait()


def _line(forks, label: str) -> int:
    """The server's next answer, which must be `label` and a number; anything else (no answer in
    120 s, an answer out of step) ends the server and its children, so that no later test can read
    a stale answer, or signal a pid that is no longer its child."""
    ready = select.select([forks.stdout], [], [], 120)[0]
    words = forks.stdout.readline().split() if ready else []
    if len(words) != 2 or words[0] != label or (label == "pid" and int(words[1]) <= 1):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(forks.pid, signal.SIGKILL)
        raise AssertionError(f"the fork server said {words or 'nothing in 120 s'}, expected {label} N: "
                             "it is stopped, and the module's later trials fail")
    return int(words[1])


def _forked(forks, root: Path, argv: list[str], signum: signal.Signals | None = None, *, at: int | None = None,
            moment: float | None = None) -> tuple[int, str]:
    """(exit status, negative for a signal; stderr) of the command sent `signum` at its `at`-th
    write or `moment` seconds after it starts (neither: a clean run)."""
    err = root.parent / "stderr"
    forks.stdin.write(json.dumps([at, int(signum or 0), ["--root", str(root), *argv], str(err)]) + "\n")
    forks.stdin.flush()
    pid = _line(forks, "pid")
    if moment is not None and signum is not None:
        time.sleep(moment)
        os.kill(pid, signum)  # the child, or its zombie: the server waits for it only after this
    forks.stdin.write("\n")
    forks.stdin.flush()
    return _line(forks, "status"), err.read_text(encoding="utf-8")


DURATIONS: dict[str, float] = {}


def _duration(forks, make, tmp_path: Path) -> float:
    """How long a forked child runs the command (a clean run), once per command and process."""
    key = make.__name__
    if key not in DURATIONS:
        root, argv = make(tmp_path / "timed")
        started = time.monotonic()
        assert _forked(forks, root, argv)[0] == 0
        DURATIONS[key] = time.monotonic() - started
    return DURATIONS[key]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_real_signal_at_any_moment_leaves_the_old_or_the_new_edition(tmp_path, monkeypatch, forks, command,
                                                                         signum):
    """Three trials: the signal at a moment drawn over the command's run (while it reads, checks,
    stages or writes, as an editor's Ctrl-C comes), and at a write drawn on each side of the
    signal's boundary: for SIGINT/SIGTERM, among the writes that stage the new files and among
    those of the commit (the journal, the moves, `done`), during which they wait; for SIGKILL,
    before the journal is in place and from then on (the change finished by the next command).
    The draws are seeded per command and signal; test_a_crash_at_any_write covers every write
    (in-process)."""
    make = SMALL[command]
    before, after, argv, writes = _states(tmp_path, make, monkeypatch)
    committing = writes.index("write journal.tmp")  # from here on SIGINT/SIGTERM wait for the commit's end
    decided = writes.index("move journal.tmp -> journal") + 1  # from here on SIGKILL leaves a change to finish
    boundary = decided if signum == signal.SIGKILL else committing
    rng = random.Random(f"{command}-{signum.name}")
    took = _duration(forks, make, tmp_path)
    trials: list[tuple[float | None, int | None]] = [(took * rng.random(), None),
                                                      (None, rng.randrange(boundary)),
                                                      (None, rng.randrange(boundary, len(writes)))]
    for trial, (moment, at) in enumerate(trials):
        root, _ = make(tmp_path / f"trial-{trial}")
        returncode, err = _forked(forks, root, argv, signum, at=at, moment=moment)
        where = (f"{signum.name} at write {at} ({writes[at]}) of {writes}" if at is not None
                 else f"{signum.name} at {moment:.3f} s of {took:.3f} s") + f": {err}"
        assert "Traceback" not in err, where
        if signum == signal.SIGKILL:
            status, _, said = run_cli("--root", str(root), "validate")
            assert status == 0 and "Traceback" not in said, where + said
            assert returncode in (0, -signal.SIGKILL), where
            if at is not None:
                assert returncode == -signal.SIGKILL, where
                assert re.match(rf"guidebook: removed editions/\.[\w-]+, left by a {_named(argv)} stopped before"
                                if at < decided else f"guidebook: completed the {_named(argv)} a killed process",
                                said), where + said
        else:
            assert returncode in (0, 128 + signum), where
            if returncode:
                assert err.startswith(f"guidebook: interrupted by {signum.name}; "), where
            if at is not None:
                assert returncode == 128 + signum, where
                assert err.endswith("nothing was changed\n" if at < committing
                                    else "every file was written before it stopped\n"), where
        tree = _tree(root)
        assert tree in (before, after), where
        if at is not None:
            assert tree == (before if at < boundary else after), where
        if signum != signal.SIGKILL and returncode and "nothing was changed" in err:
            assert tree == before, where
        assert not [p for p in (root / "editions").iterdir() if p.name.startswith(".")], where


def test_a_change_that_can_be_neither_finished_nor_undone_is_finished_by_the_next_command(tmp_path, monkeypatch):
    make = SMALL["reanchor"]
    before, after, argv, writes = _states(tmp_path, make, monkeypatch)
    root, _ = make(tmp_path / "stuck")
    assert sum(1 for w in writes if w.startswith("move ") and "journal" not in w) >= 2
    real = transaction._replace
    moves: list[Path] = []

    def replace(source, target):  # the first file moves; every later move fails, the undo's included
        if "journal" not in source.name:
            moves.append(source)
            if len(moves) > 1:
                raise OSError(5, "Input/output error (injected)")
        real(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(transaction, "_replace", replace)
        status, _, err = run_cli("--root", str(root), *argv)
    assert status == 1 and "Traceback" not in err
    assert re.fullmatch(r"guidebook: error: cannot write reanchor of editions/2030 \(Input/output error \(injected\)\) "
                        r"nor undo it \(Input/output error \(injected\)\); the next guidebook command finishes it "
                        r"from editions/\.reanchor-2030-\w{8}\n", err), err
    assert _tree(root) not in (before, after)  # the one state a message has to admit
    status, _, err = run_cli("--root", str(root), "validate")
    assert status == 0 and err.startswith("guidebook: completed the reanchor a killed process had left half done")
    assert _tree(root) == after


def test_a_journal_naming_a_file_outside_editions_is_not_followed(tmp_path):
    root = make_project(tmp_path)
    leftover = root / "editions" / ".reanchor-2030-abcd1234"
    (leftover / "files").mkdir(parents=True)
    (leftover / "files" / "x").write_text("x")
    (leftover / "journal").write_text('{"command": "reanchor", "what": "w", "moves": ["../outside"]}')
    status, _, err = run_cli("--root", str(root), "validate")
    assert status == 0 and not (tmp_path / "outside").exists()
    assert err == ("guidebook: the journal editions/.reanchor-2030-abcd1234/journal names files outside editions/; "
                   "left editions/.reanchor-2030-abcd1234 as it is\n")
