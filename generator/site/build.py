"""Project root → a built site in site/ (or a served preview), all-or-nothing.

`build_site` validates first (problems are reported, site/ untouched), checks the output
folder is one a build may replace and the generated Markdown stays in build/
(`output.checked_output`, `output.checked_docs`), then runs `mkdocs build
--strict` into a fresh staging folder beside it and swaps it in only when the build
succeeded, so a failed or interrupted build never leaves a half-written site, a staging
folder or a running child behind. `serve` runs `mkdocs serve` as a child it stops on exit
(live reload on edits to editions/, content/, site_templates/).
Drafts are included only when asked (`drafts=True`), never by default.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from ..edition.errors import ProblemsFound
from ..edition.validate import load_library
from .labels import site_problems
from .output import checked_docs, checked_output, configured_docs
from .site_url import ENV as SITE_URL_ENV

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


# The folder `generator` is imported from; the MkDocs process imports the same code (see _mkdocs).
PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent.parent)


def _env(drafts: bool, site_url: str | None = None) -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if site_url is not None:
        env[SITE_URL_ENV] = site_url
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


def run_child(command: list[str], cwd: Path, env: dict) -> int:
    """Run a child process to its end; whatever interrupts the wait stops the child first."""
    child = subprocess.Popen(command, cwd=cwd, env=env)
    try:
        return child.wait()
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


class WriteFailed(Exception):
    """A folder could not be written (read-only, full disk); the previous site is in place."""


def checked_inputs(root: Path) -> None:
    """Raise ProblemsFound with every problem of the editions, labels and search terms."""
    problems = site_problems(root, load_library(root).ui)
    if problems:
        raise ProblemsFound(problems)


def build_site(root: Path, site_dir: Path | None = None, drafts: bool = False, quiet: bool = False,
               verbose: bool = False, site_url: str | None = None) -> int:
    """Build into `site_dir` (default root/site) for `site_url` (default: GUIDEBOOK_SITE_URL, if
    set); return the exit status. The site's folders are 0777 and files 0666 less the umask.

    Raises ProblemsFound (invalid editions, labels, search terms) or OutputRefused (a folder a
    build may not write) before anything is written; WriteFailed when a write fails (read-only
    folder, full disk), with the previous site in place."""
    checked_inputs(root)  # located problems surface here, before anything is written
    site_dir = checked_output(root, site_dir or root / "site")
    checked_docs(root, configured_docs(root))
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    except OSError as exc:
        raise WriteFailed(f"cannot write {exc.filename or site_dir.parent}: {exc.strerror or exc}") from None
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp's folder is private; a site is served by others

        command = _mkdocs("build", root, quiet, verbose) + ["--strict", "--site-dir", str(staging)]
        status = run_child(command, root, _env(drafts, site_url))
        if status == 0:
            try:
                _swap(staging, site_dir)
            except OSError as exc:
                raise WriteFailed(f"cannot replace {site_dir}: {exc.strerror or exc}") from None
        return status
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _swap(staging: Path, site_dir: Path) -> None:
    """Put the staged site in place of the old one; a signal waits until both renames are done."""
    graveyard = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent))
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        if site_dir.exists():
            site_dir.rename(graveyard / "site")
        try:
            staging.rename(site_dir)
        except OSError:
            if (graveyard / "site").exists():
                (graveyard / "site").rename(site_dir)
            raise
        shutil.rmtree(graveyard, ignore_errors=True)
    finally:
        if not (graveyard / "site").exists():
            shutil.rmtree(graveyard, ignore_errors=True)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class AddressUnavailable(Exception):
    """The address `serve` was given cannot be listened on; the message says why."""


def checked_address(address: str) -> None:
    """Listen on `address` for a moment, so a busy or wrong one is one line, not MkDocs' traceback."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise AddressUnavailable(f"--address {address!r}: expected HOST:PORT, e.g. 127.0.0.1:8000")
    try:
        infos = socket.getaddrinfo(host.strip("[]"), int(port), type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server does
            probe.bind(infos[0][4])
    except OSError as exc:
        raise AddressUnavailable(f"cannot serve on {address} ({exc.strerror or exc}); choose another with "
                                 "--address HOST:PORT, e.g. --address 127.0.0.1:8001") from None


def serve(root: Path, address: str = "127.0.0.1:8000", drafts: bool = False, quiet: bool = False,
          verbose: bool = False) -> int:
    checked_address(address)
    checked_inputs(root)
    checked_docs(root, configured_docs(root))
    command = _mkdocs("serve", root, quiet, verbose) + ["--dev-addr", address]
    return run_child(command, root, _env(drafts))
