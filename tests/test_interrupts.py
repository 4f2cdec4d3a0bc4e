"""Real signals: SIGINT or SIGTERM during build, serve or new-edition, or while guidebook's
modules load, leaves nothing behind; after SIGKILL of a build its MkDocs child dies too and the
next build removes its staging folder.

A build interrupted while MkDocs runs exits 130/143, stops its MkDocs child, removes its
staging folder and leaves the previous site as it was; `serve` stops its MkDocs child on
SIGTERM; `new-edition` interrupted removes its half-made folder. Also: the build marks the
site it writes, and replaces only a marked (or empty, or new) folder.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_fixture_project, free_port, make_project, run_cli
from generator.site.output import MARKER


def _guidebook(root: Path, *argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _processes_mentioning(needle: str) -> list[int]:
    """Live processes whose command line contains `needle` (the staging folder, the port)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def _wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _built_copy(fixture_build, tmp_path: Path) -> tuple[Path, Path]:
    """(project, site): a copy of the fixture project and of the site a `guidebook build` made of it
    (conftest.fixture_build, built once per run): what is swapped and kept does not depend on the
    content, so the tests below start from that site rather than build one each."""
    root, site = fixture_build
    return copy_fixture_project(root, tmp_path / "project"), shutil.copytree(site, tmp_path / "out")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_leaves_nothing_behind(fixture_build, tmp_path, signum):
    root, out = _built_copy(fixture_build, tmp_path)
    assert (out / MARKER).is_file()
    before = _files(out)
    editions = _files(root / "editions")

    build = _guidebook(root, "build", "--quiet", "--site-dir", str(out))
    staging: list[Path] = []

    def mkdocs_running() -> bool:
        staging[:] = [p for p in tmp_path.glob(".site-*")]
        return bool(staging) and bool(_processes_mentioning(str(staging[0])))

    assert _wait_for(mkdocs_running), "the build never started MkDocs"
    build.send_signal(signum)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 128 + signum, err
    assert "Traceback" not in err
    assert f"interrupted by {signal.Signals(signum).name}" in err
    assert list(tmp_path.glob(".site-*")) == []
    assert _wait_for(lambda: not _processes_mentioning(str(staging[0])), 10), "MkDocs is still running"
    assert _files(out) == before
    assert _files(root / "editions") == editions


def test_a_killed_build_leaves_no_mkdocs_and_the_next_build_removes_its_staging(tmp_path):
    root = make_project(tmp_path, site=True)
    out = tmp_path / "out"
    out.mkdir()  # an empty folder may be used (the next build below builds into it)
    build = _guidebook(root, "build", "--quiet", "--site-dir", str(out))
    staging: list[Path] = []

    def mkdocs_running() -> bool:
        staging[:] = [p for p in tmp_path.glob(".site-*")]
        return bool(staging) and bool(_processes_mentioning(str(staging[0])))

    assert _wait_for(mkdocs_running), "the build never started MkDocs"
    build.kill()
    build.communicate(timeout=60)
    assert _wait_for(lambda: not _processes_mentioning(str(staging[0])), 10), "MkDocs outlived its parent"
    assert staging[0].is_dir()  # nothing can clean up after SIGKILL: the next build does
    status, _, err = run_cli("--root", str(root), "build", "--quiet", "--site-dir", str(out),
                             "--site-url", "https://guidebook.example.org/")  # no 'no site URL' line
    assert status == 0, err
    assert err == f"guidebook: removed {staging[0].resolve()}, a staging folder left by a build that was killed\n"
    assert list(tmp_path.glob(".site-*")) == [] and (out / MARKER).is_file()



def test_serve_stops_its_child_on_sigterm(tmp_path):
    root = make_project(tmp_path, site=True)
    port = free_port()
    address = f"127.0.0.1:{port}"
    server = _guidebook(root, "serve", "--address", address)

    def serving() -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    try:
        assert _wait_for(serving, 120), "serve never answered"
        assert _processes_mentioning(address)
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 143, err
    assert "Traceback" not in err
    assert _wait_for(lambda: not _processes_mentioning(address), 10), "mkdocs serve is still running"


# `python -m generator` that sends its own process a signal as the command line's last module is
# imported (the command line's imports half done: edition, changes, yaml loaded, the command not
# yet parsed): a moment test_transactions' signal trials (forked after the imports) skip.
WHILE_LOADING = """
import importlib.abc, os, sys

class SignalOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "generator.editorial.locate":
            os.kill(os.getpid(), int(sys.argv.pop(1)))
        return None

sys.meta_path.insert(0, SignalOnImport())
import generator.__main__
generator.__main__.run()
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_guidebook_loads_ends_it_quietly(tmp_path, signum):
    root = make_project(tmp_path)
    seed = root / "editions" / "2030" / "seed.txt"
    seed.write_text("A line the printer added\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    before = _files(root)
    result = subprocess.run([sys.executable, "-c", WHILE_LOADING, str(int(signum)), "--root", str(root),
                             "reanchor", "2030"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 128 + signum, result.stderr
    assert result.stderr == (f"guidebook: interrupted by {signal.Signals(signum).name}; it was not changing "
                             "anything at that moment\n")
    assert result.stdout == "" and _files(root) == before


def test_new_edition_interrupted_leaves_editions_as_they_were(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    before = sorted(p.relative_to(root).as_posix() for p in (root / "editions").rglob("*"))
    from generator.editorial import scaffold

    real = scaffold._validate_copy
    calls = []

    def validate_then_signal(*args, **kwargs):
        calls.append(args)
        os.kill(os.getpid(), signal.SIGTERM)  # the copy is staged and being validated: a real SIGTERM now
        return real(*args, **kwargs)

    monkeypatch.setattr(scaffold, "_validate_copy", validate_then_signal)
    status, out, err = run_cli("--root", str(root), "new-edition", "2031", "--from", "2030", "--mci", "5000")
    assert status == 143, err
    assert len(calls) == 1
    assert err == "guidebook: interrupted by SIGTERM; new-edition 2031 (editions/2031): nothing was changed\n"
    assert sorted(p.relative_to(root).as_posix() for p in (root / "editions").rglob("*")) == before


def test_build_replaces_only_a_site_it_built(fixture_build, tmp_path):
    """A site guidebook built (marked) is replaced; an empty folder may be used too (the killed
    build's test above builds into one)."""
    root, out = _built_copy(fixture_build, tmp_path)
    assert (out / MARKER).is_file() and (out / "index.html").is_file()
    (out / "index.html").write_text("stale", encoding="utf-8")
    status, _, err = run_cli("--root", str(root), "build", "--quiet", "--site-dir", str(out))
    assert status == 0, err
    assert (out / "index.html").read_text(encoding="utf-8") != "stale"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
    (out / MARKER).unlink()
    status, _, err = run_cli("--root", str(root), "build", "--quiet", "--site-dir", str(out))
    assert status == 1 and "holds files that guidebook did not build" in err
    assert (out / "index.html").is_file()


def test_plain_mkdocs_refuses_a_site_dir_it_would_empty(tmp_path):
    root = make_project(tmp_path, site=True)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
                             "--site-dir", str(root / "editions")], capture_output=True, text=True, cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "refusing to build" in output and "Traceback" not in output
    assert (root / "editions" / "2030" / "edition.yaml").is_file()
