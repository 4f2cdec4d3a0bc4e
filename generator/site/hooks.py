"""MkDocs hooks: editions + content → the generated Markdown tree, nav and exports around a build.

`mkdocs build`, `mkdocs serve` and `guidebook build` all run through here, so a fresh clone
builds without a separate generation step. on_config refuses a site_dir that is not a site of
ours (MkDocs would empty it); on_post_build marks the site as ours. on_pre_build validates
and renders (an invalid edition aborts before MkDocs touches site/), writing only the files
whose text changed so `mkdocs serve` does not rebuild in a loop; on_nav gives nav sections
their per-language titles; on_post_build writes the JSON exports and puts each language's
404 page in place; on_shutdown stores the search index as UTF-8 rather than ASCII escapes.
"""
from __future__ import annotations

import glob
import json
import logging
import os
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Section

from generator.edition.errors import ProblemsFound, summary
from generator.site.render import SiteOutput, render_site
from generator.edition.validate import load_library
from generator.site.output import MARKER, MARKER_TEXT, OutputRefused, checked_output

log = logging.getLogger("mkdocs.hooks.guidebook")
_state: dict = {}


def _drafts() -> bool:
    return os.environ.get("GUIDEBOOK_DRAFTS") == "1"


def _language(config) -> str:
    plugin = config.plugins.get("i18n")
    return getattr(plugin, "current_language", None) or "en"


def write_tree(docs_dir: Path, files: dict[str, str]) -> int:
    """Make docs_dir hold exactly `files`; touch only what changed. Returns files written."""
    written = 0
    for rel, text in files.items():
        target = docs_dir / rel
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written += 1
    for existing in sorted(docs_dir.rglob("*"), reverse=True):
        rel = existing.relative_to(docs_dir).as_posix()
        if existing.is_file() and rel not in files and not existing.name.startswith("."):
            existing.unlink()
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    return written


def generate(root: Path) -> SiteOutput:
    """The project folder (where mkdocs.yml is) → the rendered site."""
    library = load_library(root)
    return render_site(library, library.ui, root / "site_templates", root / "content" / "pages",
                       include_drafts=_drafts(), root=root)


@event_priority(100)
def on_config(config):
    # MkDocs stamps sitemap.xml.gz with the build time; a fixed stamp keeps builds byte-identical.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    if _language(config) == "en":
        # MkDocs empties site_dir before building: refuse a folder that is not a site of ours.
        try:
            checked_output(Path(config.config_file_path).resolve().parent, Path(config.site_dir))
        except OutputRefused as refused:
            raise Abort(f"refusing to build: {refused}") from None
    worker = sorted(glob.glob(str(Path(str(__import__("material").__file__)).parent
                                  / "templates/assets/javascripts/workers/search.*.min.js")))
    config.extra["material_search_worker"] = Path(worker[0]).name if worker else ""
    return config


@event_priority(100)
def on_pre_build(config):
    if _language(config) != "en" and "output" in _state:
        return  # the other languages reuse the tree generated for this build
    try:
        output = generate(Path(config.config_file_path).resolve().parent)
    except ProblemsFound as found:
        lines = [str(p) for p in found.problems] + [summary(found.problems)]
        raise Abort("the editions have problems; the site was not built:\n" + "\n".join(lines)) from None
    written = write_tree(Path(config.docs_dir), output.files)
    if written:
        log.info(f"guidebook: wrote {written} generated page(s) to {config.docs_dir}")
    config.nav = output.nav
    _state["output"] = output


@event_priority(-200)
def on_nav(nav, config, files):
    titles = _state["output"].nav_titles
    lang = _language(config)

    def walk(items):
        for item in items:
            if isinstance(item, Section):
                if item.title in titles:
                    item.title = titles[item.title][lang]
                walk(item.children)
    walk(nav.items)
    return nav


@event_priority(100)
def on_post_build(config):
    site = Path(config.site_dir)
    _state["site_dir"] = str(site)
    lang = _language(config)
    output = _state["output"]
    (site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    if lang == "en":
        for rel, text in output.exports.items():
            target = site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        _state["404-en"] = (site / "404.html").read_bytes() if (site / "404.html").exists() else None
    else:
        # Every language build writes the theme's 404.html at the site root; keep each at home.
        page = site / "404.html"
        if page.exists():
            (site / lang).mkdir(exist_ok=True)
            page.replace(site / lang / "404.html")
        if _state.get("404-en") is not None:
            page.write_bytes(_state["404-en"])


def on_shutdown():
    # The search index is written with every non-ASCII character escaped (\uXXXX: 6 bytes
    # for a Cyrillic letter instead of 2); rewriting it as UTF-8 halves the file readers fetch.
    index = Path(_state["site_dir"]) / "search" / "search_index.json" if "site_dir" in _state else None
    if index is not None and index.exists():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    _state.clear()
