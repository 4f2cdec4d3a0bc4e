"""Project root → a built site in site/ (or a served preview), all-or-nothing.

`build_site` validates first (problems are reported, site/ untouched), checks the output
folder is one a build may replace and the generated Markdown stays in build/
(`output.checked_output`, `output.checked_docs`), then runs `mkdocs build
--strict` into a fresh staging folder beside it and swaps it in only when the build
succeeded, so a failed or interrupted build never leaves a half-written site, a staging
folder or a running child behind. The staging folder is locked while the build runs
(`editorial.staging`), and the MkDocs child dies with its parent even on SIGKILL
(PR_SET_PDEATHSIG); the staging folders a killed build left are removed by the next build,
one line each. `serve` runs the live preview (`preview.py`) as a child it stops on exit
(one rebuild per save in editions/, content/, site_templates/, of the pages that changed).
Drafts are included only when asked (`drafts=True`), never by default.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ..edition.errors import ProblemsFound
from ..edition.validate import load_library
from ..editorial.staging import SUFFIX, note_left, signals_held, stage, sweep
from .labels import site_problems
from .output import checked_docs, checked_output, configured_docs
from .site_url import ENV as SITE_URL_ENV

STAGING = rf"\.site-(old-)?{SUFFIX}"  # the folders build_site and _swap stage beside the site
PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


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


def _dies_with(parent: int, signum: int):
    """Run in the child before MkDocs starts: `signum` when the parent ends, however it ends."""
    def prepare() -> None:
        if _LIBC is not None:
            _LIBC.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above took effect
            os._exit(1)
    return prepare


def run_child(command: list[str], cwd: Path, env: dict, stop: int = signal.SIGKILL) -> int:
    """Run a child process to its end; whatever interrupts the wait stops the child first (with
    `stop`, then SIGKILL after 10 s).

    The child has its own process group, so a Ctrl-C at the terminal reaches only this process,
    which stops the child itself; the kernel sends the child `stop` if this process is killed."""
    child = subprocess.Popen(command, cwd=cwd, env=env, process_group=0, preexec_fn=_dies_with(os.getpid(), stop))
    try:
        return child.wait()
    finally:
        if child.poll() is None:
            child.send_signal(stop)
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
        for line in sweep(site_dir.parent, STAGING, _remove_leftover):
            print(f"guidebook: {line}", file=sys.stderr)
        staging = stage(site_dir.parent, ".site-")
    except OSError as exc:
        raise WriteFailed(f"cannot write {exc.filename or site_dir.parent}: {exc.strerror or exc}") from None
    swapped = False
    try:
        staging.path.chmod(0o777 & ~_umask())  # mkdtemp's folder is private; a site is served by others
        command = _mkdocs("build", root, quiet, verbose) + ["--strict", "--site-dir", str(staging.path)]
        status = run_child(command, root, _env(drafts, site_url))
        if status == 0:
            try:
                _swap(staging.path, site_dir)
            except OSError as exc:
                raise WriteFailed(f"cannot replace {site_dir}: {exc.strerror or exc}") from None
            swapped = True
        return status
    except BaseException as stop:  # what cli.py says when a signal stopped the build
        note_left(stop, f"the new site is in place in {site_dir}" if swapped
                  else f"{site_dir} is as it was; the staging folder was removed")
        raise
    finally:
        staging.remove()


def _remove_leftover(folder: Path) -> str:
    shutil.rmtree(folder)
    return f"removed {folder}, a staging folder left by a build that was killed"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _swap(staging: Path, site_dir: Path) -> None:
    """Put the staged site in place of the old one; a signal waits until both renames are done."""
    with signals_held():
        grave = stage(site_dir.parent, ".site-old-")
        try:
            _swap_into(staging, site_dir, grave.path)
        finally:
            if (grave.path / "site").exists() and not site_dir.exists():  # the old site could not be put back
                grave.release()
            else:
                grave.remove()


def _swap_into(staging: Path, site_dir: Path, graveyard: Path) -> None:
    try:
        if site_dir.exists():
            site_dir.rename(graveyard / "site")
        try:
            staging.rename(site_dir)
        except OSError:
            if (graveyard / "site").exists():
                (graveyard / "site").rename(site_dir)
            raise
    finally:
        if (graveyard / "site").exists() and not site_dir.exists():
            (graveyard / "site").rename(site_dir)


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
          verbose: int | bool = False) -> int:
    """The live preview (`preview.py`) as a child; `verbose`: 1 shows MkDocs' notices, 2 its
    debug output."""
    checked_address(address)
    checked_inputs(root)
    checked_docs(root, configured_docs(root))
    verbosity = -1 if quiet else int(verbose)
    command = [sys.executable, "-P", "-m", "generator.site.preview", "--root", str(root), "--address", address,
               "--verbosity", str(verbosity)]
    # SIGINT lets the preview shut down as after a Ctrl-C (it removes its temporary site)
    return run_child(command, root, _env(drafts), stop=signal.SIGINT)
