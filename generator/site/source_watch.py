"""A running `mkdocs serve` + the project's source folders → one line when a folder disappears or
comes back, the last pages built served meanwhile, a rebuild when it is back.

MkDocs rebuilds on every edit; with editions/ (or content/, site_templates/) gone, that rebuild
fails while reading mkdocs.yml ("Config value 'watch' … isn't an existing file or directory")
and every request then waits for a build that never succeeds. Here the server's builder is
wrapped: while a source folder is missing it does not build (the pages built last stay
served), and a poll once a second says in one line when a folder goes missing or is back;
when every folder is back it watches them again (a deleted folder's watch is lost) and
rebuilds.
"""
from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.guidebook")
SOURCES = ("editions", "content", "site_templates")
POLL_SECONDS = 1.0


class SourceWatch:
    def __init__(self, root: Path, server):
        self.root, self.server = root, server
        self.missing: list[str] = []
        self.lock = threading.Lock()

    def now_missing(self) -> list[str]:
        return [name for name in SOURCES if not (self.root / name).is_dir()]

    def guard(self, builder):
        def build(*args, **kwargs):
            if self.now_missing():
                self.check()
                return None  # nothing built: the last pages stay served
            return builder(*args, **kwargs)
        return build

    def check(self) -> None:
        """Say what changed since the last look; when every folder is back, watch and rebuild."""
        with self.lock:
            missing = self.now_missing()
            if missing == self.missing:
                return
            back = [name for name in self.missing if name not in missing]
            gone = [name for name in missing if name not in self.missing]
            self.missing = missing
        if gone:
            log.error(f"guidebook serve: {', '.join(n + '/' for n in gone)} missing from {self.root}; "
                      "serving the pages built last until it is back")
        if back and not missing:
            log.warning(f"guidebook serve: {', '.join(n + '/' for n in back)} back; rebuilding")
            for name in back:
                self._watch_again(self.root / name)
            self._rebuild()

    def _watch_again(self, folder: Path) -> None:
        with contextlib.suppress(Exception):
            self.server.unwatch(str(folder))
        try:
            self.server.watch(str(folder))
        except Exception as exc:
            log.error(f"guidebook serve: cannot watch {folder} again ({exc}); restart the preview to see edits")

    def _rebuild(self) -> None:
        """Ask the server's build loop for a rebuild, as a file change would (MkDocs 1.6's server)."""
        condition = getattr(self.server, "_rebuild_cond", None)
        if condition is None:
            return
        with condition:
            self.server._want_rebuild = True
            condition.notify_all()

    def poll(self, stop: threading.Event) -> None:
        while not stop.wait(POLL_SECONDS):
            self.check()


def watch_sources(root: Path, server) -> threading.Event:
    """Wrap the server's builder and start the poll; setting the returned event stops it."""
    watch = SourceWatch(root, server)
    server.builder = watch.guard(server.builder)
    stop = threading.Event()
    threading.Thread(target=watch.poll, args=(stop,), daemon=True, name="guidebook-source-watch").start()
    return stop
