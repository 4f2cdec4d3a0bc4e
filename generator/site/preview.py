"""The project + mkdocs.yml → a live preview on HOST:PORT, kept equal to a full build of the
same sources, rebuilding on each save only the pages whose Markdown changed.

`guidebook serve` runs this module as its child (`python -m generator.site.preview`). It builds
the whole site once, in process, into a temporary folder (MkDocs' own `build`, our hooks and
mkdocs-static-i18n, exactly as `mkdocs build`), keeping for each language what MkDocs made to
build its pages (config, files, navigation, theme environment). Then, for each save (one
rebuild however many files the save touched; the generated build/docs/ is written by us, not
watched):

1. the editions are read again (a file whose bytes did not change is not parsed again,
   `loader.parse_cache`) and validated as always; a problem is logged with its location and
   the last good pages stay served;
2. first the pages of the sections and services whose data changed are rendered, and those
   whose Markdown changed are converted and written with MkDocs' own page functions
   (`_populate_page`, `_build_page`), in both languages; browsers reload;
3. then every other page is rendered and compared with the Markdown it was built from: those
   that differ are rebuilt too, the JSON/CSV/XLSX exports that changed are rewritten, and the
   search index is rebuilt if a page or the search words changed. Nothing is skipped
   unchecked. This part stops between pages when another save comes; the next save's update
   does it (it compares with what was built, whatever came before).

A page's HTML is a function of its own Markdown, the navigation (structure and every page's
title), the configuration and the theme; so when a save changes the navigation, a page title,
the set of pages, the 404 pages' links or the search labels, or touches the theme overrides,
mkdocs.yml or the hand-written pages' layout, the whole site is built again instead. Code
(`generator/`) is not reloaded: restart the preview after changing it.

Logging: one line per save (what changed, pages rebuilt, time to the reload); MkDocs' notices
(the ~600 "not included in the nav" lines) only with -v.
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import watchdog.events
import watchdog.observers
from mkdocs.commands.build import _build_page, _populate_page, build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import InclusionLevel

from ..edition.errors import ProblemsFound, summary
from ..edition.loader import parse_cache
from .not_found import not_found
from .render import service_path, template_environment
from .search_index import search_labels, searchable_pages, write_index
from .source_watch import SOURCES, watch_sources

log = logging.getLogger("guidebook.serve")
HOOKS = "generator/site/hooks.py"  # as mkdocs.yml names it (relative, or absolute in a test project)
# Saves under these change more than page bodies: the whole site is built again.
THEME = ("site_templates/overrides", "mkdocs.yml")
DEBOUNCE_SECONDS = 0.05  # an editor's save is a burst of events: build once after it


class Recorder:
    """A plugin that keeps, per language, what MkDocs built that language's pages with."""

    def __init__(self) -> None:
        self.languages: dict[str, dict] = {}

    def _lang(self, config) -> str:
        return config.plugins["i18n"].current_language

    def on_env(self, env, config, files):
        self.languages.setdefault(self._lang(config), {}).update(env=env, files=files)
        return env

    def on_nav(self, nav, config, files):
        self.languages.setdefault(self._lang(config), {})["nav"] = nav
        return nav


Recorder.on_env.mkdocs_priority = -1000  # type: ignore[attr-defined]  # after every other plugin
Recorder.on_nav.mkdocs_priority = -1000  # type: ignore[attr-defined]


class Preview:
    """The built preview of one project in `site_dir`, brought up to date save by save."""

    def __init__(self, root: Path, site_dir: Path):
        self.root, self.site_dir = root, site_dir
        self.templates = template_environment(root / "site_templates")
        self.markdown: dict[str, str] = {}   # page → the Markdown its HTML was built from
        self.output: Any = None              # the SiteOutput of the last complete render
        self.config: Any = None              # the MkDocsConfig of the last full build
        self.editions: list = []              # the editions the last render was made from
        self.index_stale = False             # pages changed since the search index was written
        self.recorder = Recorder()

    # -- the whole site ------------------------------------------------------------------
    def build_all(self) -> None:
        """Build everything, as `mkdocs build` does (a fresh configuration, hooks and plugins)."""
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir))
        self.recorder = Recorder()
        config.plugins["guidebook-preview"] = self.recorder  # type: ignore[assignment]
        hooks: Any = _hooks(config)  # the hooks module, as MkDocs loaded it

        def generate(root: Path, site_url: str = ""):
            renderer = hooks.renderer(root, site_url, self.templates)
            self.editions = renderer.editions
            return renderer.render()
        hooks.generate = generate
        build(config)
        self.config = config
        self.output = hooks._state["output"]
        self.markdown = dict(self.output.files)
        self.index_stale = False

    # -- one save ------------------------------------------------------------------------
    def update(self, changed: list[str], reload, pending=lambda: False) -> str:
        """Bring the preview up to date after `changed` (paths relative to the project; empty:
        anything may have changed); `reload()` makes browsers reload. Returns the line to log.
        When `pending()` says another save came, the check of the other pages stops there and
        the next update does it (it compares with what was built, whatever came before)."""
        start = time.monotonic()
        if self.config is None or any(p == t or p.startswith(t + "/") for p in changed for t in THEME):
            self.build_all()
            reload()
            return f"the whole site rebuilt in {time.monotonic() - start:.2f} s"
        config = self.config
        hooks = _hooks(config)
        before, words = hooks._state["output"], hooks._state["words"]
        renderer = hooks.renderer(self.root, config.site_url or "", self.templates)
        if hooks._state["words"] != words:  # content/search.yaml: the index, not the pages
            self.index_stale = True
        plan = renderer.plan()
        if set(plan) != set(self.markdown):
            return self._rebuilt_all(start, reload, "the pages changed")
        # 1. the pages of the services whose data changed, first
        first = self._first_pages(renderer)
        fresh = {path: plan[path]() for path in first}
        built = self._rebuild_pages({p: t for p, t in fresh.items() if t != self.markdown[p]})
        if built is None:
            return self._rebuilt_all(start, reload, "a page title changed")
        if built:
            self.index_stale = True
            reload()
        shown = time.monotonic() - start
        # 2. every other page, compared with what its HTML was built from
        for path, make in plan.items():
            if path not in fresh:
                if pending():
                    return self._stopped(built, shown)
                fresh[path] = make()
        output = renderer.render(files=fresh)
        if (output.nav, output.nav_titles) != (before.nav, before.nav_titles) \
                or not_found(output, hooks._state["ui"]) != config.extra["not_found"] \
                or search_labels(hooks._state["ui"]) != config.extra["search_labels"]:
            return self._rebuilt_all(start, reload, "the navigation changed")
        later = self._rebuild_pages({p: t for p, t in fresh.items() if t != self.markdown[p]}, pending)
        if later is None:
            return self._rebuilt_all(start, reload, "a page title changed")
        if later:
            self.index_stale = True
        if pending():
            return self._stopped(built, shown)
        exports = self._write_exports(output, before)
        hooks._state["output"] = self.output = output
        self.editions = renderer.editions
        if self.index_stale:
            pages = searchable_pages(output.files, output.editions, hooks._state["services"])
            write_index(self.site_dir, pages, hooks._state["words"], self.root)
            self.index_stale = False
        if later or exports:
            reload()
        total = time.monotonic() - start
        if not (built or later or exports or words != hooks._state["words"]):
            return f"no page changed (all {len(plan)} checked in {total:.2f} s)"
        said = f"{len(built)} page(s) rebuilt, shown in {shown:.2f} s" if built else "no page shown changed"
        if later:
            said += f"; {len(later)} more page(s) after checking all {len(plan)}"
        if exports:
            said += f"; {exports} export(s) rewritten"
        if words != hooks._state["words"]:
            said += "; the search index rewritten for the new search words"
        return said + f"; done in {total:.2f} s"

    @staticmethod
    def _stopped(built: list[str], shown: float) -> str:
        first = f"{len(built)} page(s) rebuilt, shown in {shown:.2f} s" if built else "no page shown changed"
        return first + "; the other pages are checked after the next save"

    def _rebuilt_all(self, start: float, reload, why: str) -> str:
        self.build_all()
        reload()
        return f"{why}: the whole site rebuilt in {time.monotonic() - start:.2f} s"

    def _first_pages(self, renderer) -> list[str]:
        """The pages of the sections and services whose data differs from the last render, in
        both languages (a guess of what the editor looks at; the rest is checked after)."""
        sections = {(e.year, s.id): s for e in self.editions for s in e.sections}
        services = {(e.year, s.full_id): s for e in self.editions for s in e.services()}
        changed = []
        for edition in renderer.editions:
            for section in edition.sections:
                if sections.get((edition.year, section.id)) != section:
                    changed.append(f"{edition.year}/{section.id}/index.md")
                changed += [service_path(edition.year, service) for service in section.services
                            if services.get((edition.year, service.full_id)) != service]
        return [page for rel in changed for page in (f"en/{rel}", f"ru/{rel}") if page in self.markdown]

    def _rebuild_pages(self, pages: dict[str, str], pending=lambda: False) -> list[str] | None:
        """Write each page's Markdown and build its HTML with MkDocs' own page functions, in
        its language's build; None (nothing half-done is kept) when a title changed. Stops
        early when `pending()`: the pages not built yet are found again by the next update."""
        if not pages:
            return []
        config = self.config
        docs = Path(config.docs_dir)
        for path, text in pages.items():
            (docs / path).write_text(text, encoding="utf-8")
        i18n = config.plugins["i18n"]
        done: list[str] = []
        for lang, state in self.recorder.languages.items():
            mine = [p for p in pages if p.startswith(f"{lang}/")]
            if not mine:
                continue
            i18n.current_language = lang
            config = i18n.on_config(config)  # the configuration of this language's build
            config.theme.dirs[:] = list(dict.fromkeys(config.theme.dirs))  # i18n adds its folder each time
            files, nav, env = state["files"], state["nav"], state["env"]
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
            by_path = {f.src_uri: f for f in doc_files}
            for path in mine:
                if pending():
                    return done
                page = by_path[path].page
                title, meta = page.title, dict(page.meta)
                _populate_page(page, config, files)
                if (page.title, page.meta) != (title, meta):
                    return None
                _build_page(page, config, doc_files, nav, env)
                self.markdown[path] = pages[path]
                done.append(path)
            for file in doc_files:
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        return done

    def _write_exports(self, output, before) -> int:
        written = 0
        for rel, text in output.exports.items():
            if before.exports.get(rel) != text:
                (self.site_dir / rel).write_text(text, encoding="utf-8")
                written += 1
        for rel, data in output.binary_exports.items():
            if before.binary_exports.get(rel) != data:
                (self.site_dir / rel).write_bytes(data)
                written += 1
        return written


def _hooks(config) -> Any:
    """The hooks module (hooks.py) as MkDocs loaded it for `config`."""
    return next(plugin for name, plugin in config.plugins.items() if name.replace("\\", "/").endswith(HOOKS))


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server with our build loop: native file events (not a 0.5 s poll),
    one build per save, the saved paths known, and the browsers told as soon as the first
    pages are written (the rest of a save's work runs while the server answers)."""

    def __init__(self, preview: Preview, root: Path, host: str, port: int):
        super().__init__(builder=self._build, host=host, port=port, root=str(preview.site_dir))
        self.preview, self.project = preview, root
        self.observer = watchdog.observers.Observer()  # type: ignore[assignment]
        self.build_delay = DEBOUNCE_SECONDS
        self._saved: set[str] = set()
        self.ready = "guidebook serve: serving"

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1

        def callback(event) -> None:
            if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                return
            with self._rebuild_cond:
                for where in (event.src_path, getattr(event, "dest_path", "")):
                    if where:
                        self._saved.add(os.fsdecode(where))
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def _build_loop(self) -> None:
        log.info(self.ready)  # listening by now: the address answers
        while True:
            with self._rebuild_cond:
                while not self._rebuild_cond.wait_for(lambda: self._want_rebuild or self._shutdown,
                                                      timeout=self.shutdown_delay):
                    pass
                if self._shutdown:
                    break
                while self._rebuild_cond.wait(timeout=self.build_delay):
                    pass
                self._want_rebuild = False
            with self._epoch_cond:
                self._wanted_epoch = self._visible_epoch + 1  # requests wait for this save's first pages
            try:
                self.builder()
            except Exception as exc:
                log.error(f"guidebook serve: the preview could not be updated ({type(exc).__name__}: {exc})")
            finally:
                with self._epoch_cond:  # nothing (more) to show: requests go on with the pages there are
                    self._wanted_epoch = self._visible_epoch
                    self._epoch_cond.notify_all()

    def _reload(self) -> None:
        """Browsers reload (their live-reload request answers), and requests are answered."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch = max(self._wanted_epoch, self._visible_epoch + 1)
            self._epoch_cond.notify_all()

    def _build(self) -> None:
        with self._rebuild_cond:
            saved, self._saved = sorted(self._saved), set()
        changed = [Path(p).resolve().relative_to(self.project).as_posix() for p in saved
                   if Path(p).resolve().is_relative_to(self.project)]
        changed = [p for p in changed if p == "mkdocs.yml" or p.split("/")[0] in SOURCES]
        if saved and not changed:
            return  # only files the site is not made from (an editor's backup beside mkdocs.yml…)
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        try:
            said = self.preview.update(changed, self._reload, pending=lambda: self._want_rebuild)
        except ProblemsFound as found:
            lines = [str(p) for p in found.problems] + [summary(found.problems)]
            log.error("guidebook serve: " + (shown or "a source") + " has problems; the last good pages stay "
                      "served:\n" + "\n".join(lines))
            return
        except Abort as abort:
            log.error(f"guidebook serve: {abort}; the last good pages stay served")
            return
        log.info(f"guidebook serve: {shown or 'sources back'}: {said}")


def _logging(verbosity: int) -> None:
    """MkDocs' notices only with -v (its debug output with -vv); our lines unless -q."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in ("mkdocs", "guidebook"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False
    logging.getLogger("mkdocs").setLevel(logging.WARNING if verbosity <= 0 else
                                         logging.INFO if verbosity == 1 else logging.DEBUG)
    logging.getLogger("guidebook").setLevel(logging.WARNING if verbosity < 0 else logging.INFO)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.site.preview")
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--address", default="127.0.0.1:8000")
    parser.add_argument("--verbosity", type=int, default=0)
    args = parser.parse_args(argv)
    _logging(args.verbosity)
    root = args.root.resolve()
    host, _, port = args.address.rpartition(":")
    site_dir = Path(tempfile.mkdtemp(prefix="mkdocs_"))  # as `mkdocs serve`: removed on exit
    preview = Preview(root, site_dir)
    try:
        with parse_cache():  # open while the preview runs: each save parses only the files it changed
            return _serve(preview, root, site_dir, host.strip("[]"), int(port))
    except KeyboardInterrupt:  # SIGINT from `guidebook serve`, which says why it stopped
        return 0
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _serve(preview: Preview, root: Path, site_dir: Path, host: str, port: int) -> int:
    start = time.monotonic()
    try:
        preview.build_all()
    except ProblemsFound as found:
        log.error("\n".join([str(p) for p in found.problems] + [summary(found.problems)]))
        return 1
    except Abort as abort:
        log.error(str(abort))
        return 1
    server = PreviewServer(preview, root, host, port)
    server.error_handler = lambda code: _error_page(site_dir, code)
    for name in SOURCES:
        server.watch(str(root / name))
    server.watch(str(root), recursive=False)  # mkdocs.yml
    stop = watch_sources(root, server)
    server.ready = (f"guidebook serve: built in {time.monotonic() - start:.1f} s; serving on {server.url} "
                    "(Ctrl-C stops)")
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # taken since `guidebook serve` tried it (build.checked_address)
        log.error(f"guidebook serve: cannot serve on {host}:{port} ({exc.strerror or exc}); choose another with "
                  "--address HOST:PORT, e.g. --address 127.0.0.1:8001")
        return 1
    finally:
        stop.set()
        server.shutdown()
    return 0


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


if __name__ == "__main__":
    sys.exit(main())
