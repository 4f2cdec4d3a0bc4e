"""A parent folder + a prefix → a hidden staging folder locked while its command runs; later, the
leftovers of commands that died (SIGKILL, power loss) → swept, one line each.

Every command that writes stages its work in a hidden folder beside where it lands (`.site-*`
beside the site, `editions/.new-YEAR-*`, `editions/.reanchor-YEAR-*`) and holds an exclusive
`flock` on that folder while it runs. The kernel drops the lock when the process ends however
it ends, so a later command tells a leftover from a folder another command is still using by
taking the lock without waiting: if it can, the folder's command is gone. The lock is taken
right after the folder is made and checked to be on that same folder, so a sweep that ran in
between (and removed the still unlocked folder) is noticed and a new folder made.

Making and removing a staging folder happen with SIGINT/SIGTERM held back (`signals_held`), so
a Ctrl-C can never leave one half made or half removed; only SIGKILL can, and the next sweep
removes it.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
SUFFIX = r"[a-z0-9_]{8}"  # what tempfile.mkdtemp adds to the prefix


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT/SIGTERM wait until the block is done (in the main thread, where Python runs handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@dataclass
class Staging:
    """A staging folder and the open descriptor whose lock says its command is alive."""
    path: Path
    fd: int

    def remove(self) -> None:
        """The folder and everything in it gone (if it is still there), then the lock let go."""
        with signals_held():
            shutil.rmtree(self.path, ignore_errors=True)
            self.release()

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _lock(path: Path) -> int | None:
    """An open descriptor on `path` holding its exclusive lock, or None if a live command holds it."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def stage(parent: Path, prefix: str) -> Staging:
    """A new, empty, locked folder `parent/<prefix>XXXXXXXX`."""
    made: Staging | None = None
    try:
        with signals_held():
            for _ in range(100):
                path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
                try:
                    fd = _lock(path)
                except FileNotFoundError:  # swept before it was locked: make another
                    continue
                if fd is None:
                    continue
                try:
                    same = os.path.samestat(os.fstat(fd), os.stat(path))
                except FileNotFoundError:
                    same = False
                if same:
                    made = Staging(path, fd)
                    break
                os.close(fd)
    except BaseException:
        # a signal held back while the folder was made arrives as the block ends, before the
        # caller has the folder to remove: remove it here
        if made is not None:
            made.remove()
        raise
    if made is None:
        raise OSError(f"could not make a staging folder in {parent}")
    return made


def sweep(parent: Path, pattern: str, settle: Callable[[Path], str]) -> list[str]:
    """Each folder of `parent` whose name matches `pattern` and whose command is gone, handed to
    `settle` (which finishes or removes it and says what it did); the lines it returned. A folder
    that cannot be settled is named with the reason and left."""
    said: list[str] = []
    try:
        entries = sorted(parent.iterdir()) if parent.is_dir() else []
    except OSError:
        return said
    for entry in entries:
        if not re.fullmatch(pattern, entry.name) or entry.is_symlink() or not entry.is_dir():
            continue
        try:
            fd = _lock(entry)
        except OSError:
            continue
        if fd is None:
            continue  # a running command's folder
        try:
            with signals_held():
                said.append(settle(entry))
        except OSError as exc:
            said.append(f"could not clean up {entry} ({exc.strerror or exc}); remove it yourself")
        finally:
            os.close(fd)
    return said


def note_left(error: BaseException, what: str) -> None:
    """Tell whoever reports `error` (cli.py, when a signal stopped the command) what it left."""
    error.left = what  # type: ignore[attr-defined]
