"""Files a command writes into the project → all of them in place, or none (a staged redo journal).

A command that edits the project (reanchor, new-edition, the register draft) opens a
`Transaction`, writes each new file into it, validates the staged result (`view` gives the
folder as it will be), then commits. The staging folder `editions/.<kind>-<label>-XXXXXXXX/`
(same file system as the editions, so every move is a rename) holds:

    files/<path>   each new file, or a whole new folder (new-edition's editions/2027)
    old/<path>     hard links to the files being replaced (to undo an in-process failure)
    journal        written (fsync, rename) once everything is staged: from then on the change
                   is decided, and every later step only completes it
    done           the journal renamed once every file is in place

Commit: journal, then one rename per file (a new folder is one rename), then `done`, then the
folder is removed; SIGINT/SIGTERM wait until all of that is finished. Before the journal an
interruption leaves every old file; after it, every new one. Only SIGKILL (or a power cut)
can stop the renames half way: the next guidebook command (`recover`) finds the journal and
moves the remaining files (roll forward), removes a staging folder without a journal
(nothing had changed), and says so in one line each. A folder whose command still runs is
locked (`staging`) and left alone.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from .staging import SUFFIX, Staging, note_left, signals_held, stage, sweep

COMMANDS = {"new": "new-edition", "reanchor": "reanchor", "register": "register draft"}
PATTERN = rf"\.({'|'.join(COMMANDS)})-[\w-]+-{SUFFIX}"


# What the transactions of this process have put in place, for a message after an interrupt
# that arrives once the transaction is over (cli.py empties it when a command starts).
COMMITTED: list[str] = []


class TransactionError(Exception):
    """A file could not be staged or moved; the message says what was left."""


# The only two calls that write: tests replace them to fail or die after the k-th write.
def _write(path: Path, data: bytes) -> None:
    with open(path, "xb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _replace(source: Path, target: Path) -> None:
    os.replace(source, target)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Transaction:
    """`with Transaction(root, "reanchor", "2026", "editions/2026's provenance lines") as t:
    t.write(path, text) …; t.commit()`. Leaving the block without commit writes nothing."""

    def __init__(self, root: Path, kind: str, label: str, what: str):
        assert kind in COMMANDS, kind
        self.root, self.kind, self.label, self.what = root, kind, label, what
        self.written: list[str] = []
        self.committed = False
        self._staging: Staging | None = None
        self._keep = False  # a change that could be neither finished nor undone: its journal stays

    # -- staging -------------------------------------------------------------------------------
    def __enter__(self) -> Transaction:
        try:
            self._staging = stage(self.root / "editions", f".{self.kind}-{self.label}-")
        except OSError as exc:
            raise TransactionError(f"cannot stage {self.what} in editions/: {exc.strerror or exc}; "
                                   "nothing was changed") from None
        return self

    def __exit__(self, kind, error, trace) -> None:
        assert self._staging is not None
        if error is not None:
            # what cli.py says when a signal or an error stopped the command
            note_left(error, f"{self.what}: half written; the next guidebook command finishes it" if self._keep
                      else f"{self.what}: every file was written before it stopped" if self.committed
                      else f"{self.what}: nothing was changed")
        if self._keep:
            self._staging.release()
        else:
            self._staging.remove()

    @property
    def folder(self) -> Path:
        assert self._staging is not None, "use the transaction in a with block"
        return self._staging.path

    def _rel(self, target: Path) -> str:
        target = target if target.is_absolute() else self.root / target
        rel = Path(os.path.normpath(target)).relative_to(self.root)
        return rel.as_posix()

    def write(self, target: Path, text: str) -> None:
        """Stage `text` (UTF-8) as the new content of `target`, a path inside the project."""
        rel = self._rel(target)
        staged = self.folder / "files" / rel
        try:
            staged.parent.mkdir(parents=True, exist_ok=True)
            if staged.exists():
                staged.unlink()
            _write(staged, text.encode("utf-8"))
        except OSError as exc:
            raise TransactionError(f"cannot stage {rel}: {exc.strerror or exc}; nothing was changed") from None
        if rel not in self.written:
            self.written.append(rel)

    def view(self, folder: Path) -> Path:
        """The staged copy of `folder` as it will be after the commit (its files that are not
        rewritten copied beside the staged ones), to validate before anything is replaced."""
        rel = self._rel(folder)
        staged = self.folder / "files" / rel
        staged.mkdir(parents=True, exist_ok=True)
        source = self.root / rel
        if source.is_dir():
            for file in sorted(source.iterdir()):
                if file.is_file() and not (staged / file.name).exists():
                    shutil.copy2(file, staged / file.name)
        return staged

    # -- commit --------------------------------------------------------------------------------
    def _units(self) -> list[str]:
        """What moves: each written file, or the first folder on its path the project lacks."""
        units: list[str] = []
        for rel in self.written:
            parts = rel.split("/")
            for depth in range(1, len(parts) + 1):
                unit = "/".join(parts[:depth])
                if depth == len(parts) or not (self.root / unit).exists():
                    break
            if unit not in units:
                units.append(unit)
        return units

    def commit(self) -> int:
        """Put every staged file in place, all or none; return how many files or folders moved."""
        units = self._units()
        staging = self.folder
        with signals_held():
            try:
                for unit in units:  # the files replaced, kept to undo an in-process failure
                    if (self.root / unit).is_file():
                        (staging / "old" / unit).parent.mkdir(parents=True, exist_ok=True)
                        try:
                            os.link(self.root / unit, staging / "old" / unit)
                        except OSError:  # a file system without hard links
                            shutil.copy2(self.root / unit, staging / "old" / unit)
                for folder, _, _ in os.walk(staging / "files"):
                    _sync_folder(Path(folder))
                journal = {"command": COMMANDS[self.kind], "what": self.what, "moves": units}
                _write(staging / "journal.tmp", json.dumps(journal, ensure_ascii=False).encode("utf-8"))
                _replace(staging / "journal.tmp", staging / "journal")
                _sync_folder(staging)
            except OSError as exc:
                raise TransactionError(f"cannot stage {self.what}: {exc.strerror or exc}; nothing was changed") \
                    from None
            self.committed = True
            moved: list[str] = []
            try:
                for unit in units:
                    _replace(staging / "files" / unit, self.root / unit)
                    moved.append(unit)
                for parent in sorted({(self.root / unit).parent for unit in units}):
                    _sync_folder(parent)
                _replace(staging / "journal", staging / "done")
            except OSError as exc:
                self._undo(moved, exc)
            COMMITTED.append(self.what)
        return len(units)

    def _undo(self, moved: list[str], cause: OSError) -> None:
        """A move failed in this process: the moved files go back (newest first), then the journal."""
        staging = self.folder
        try:
            for unit in reversed(moved):
                _replace(self.root / unit, staging / "files" / unit)
                if (staging / "old" / unit).exists():
                    _replace(staging / "old" / unit, self.root / unit)
            (staging / "journal").unlink()
        except OSError as again:
            self._keep = True  # the journal stays: the next command completes the change
            raise TransactionError(f"cannot write {self.what} ({cause.strerror or cause}) nor undo it "
                                   f"({again.strerror or again}); the next guidebook command finishes it "
                                   f"from {staging.relative_to(self.root)}") from None
        self.committed = False
        raise TransactionError(f"cannot write {self.what}: {cause.strerror or cause}; nothing was changed") from None


def _inside(root: Path, unit: str) -> bool:
    """A journal's path names a file or folder under editions/, never anything else."""
    parts = unit.split("/")
    return (len(parts) >= 2 and parts[0] == "editions" and not unit.startswith("/")
            and all(part not in ("", ".", "..") for part in parts))


def _settle(root: Path, folder: Path) -> str:
    """One leftover staging folder of an editing command: completed or removed; what was done."""
    match = re.fullmatch(PATTERN, folder.name)
    command = COMMANDS[match.group(1)] if match else "an editing command"
    shown = folder.relative_to(root).as_posix()
    journal = folder / "journal"
    if journal.is_file():
        try:
            decided = json.loads(journal.read_text(encoding="utf-8"))
            moves = [str(unit) for unit in decided["moves"]]
            what = str(decided["what"])
        except (ValueError, KeyError, TypeError):
            return f"cannot read the journal {shown}/journal; left {shown} as it is, for you to look at"
        if any(not _inside(root, unit) for unit in moves):
            return f"the journal {shown}/journal names files outside editions/; left {shown} as it is"
        units = [unit for unit in moves if (folder / "files" / unit).exists()]
        for unit in units:
            os.replace(folder / "files" / unit, root / unit)
        shutil.rmtree(folder)
        return (f"completed the {command} a killed process had left half done ({what}): "
                f"moved its last {len(units)} of {len(moves)} file(s) into place; removed {shown}")
    finished = (folder / "done").exists()
    shutil.rmtree(folder)
    if finished:
        return f"removed {shown}, left by a {command} that had finished (its files were all in place)"
    return f"removed {shown}, left by a {command} stopped before it changed anything"


def recover(root: Path) -> list[str]:
    """Every leftover of an editing command whose process is gone, settled; one line each."""
    return sweep(root / "editions", PATTERN, lambda folder: _settle(root, folder))
