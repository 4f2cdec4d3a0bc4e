"""MkDocs hooks: editions + content → the generated Markdown tree, nav and exports around a build.

`mkdocs build`, `mkdocs serve` and `guidebook build` all run through here, so a fresh clone
builds without a separate generation step. on_config refuses a site_dir that is not a site of
ours (MkDocs would empty it); on_post_build marks the site as ours. on_pre_build validates
and renders (an invalid edition aborts before MkDocs touches site/), writing only the files
whose text changed so `mkdocs serve` does not rebuild in a loop; on_nav gives nav sections
their per-language titles; on_post_template keeps each language's 404 page; once every
language is built, on_post_build writes the JSON exports, the 404 pages (/404.html,
/ru/404.html) and one search index per language at that language's root (UTF-8).
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
from generator.site.not_found import not_found
from generator.site.search_index import read_abbreviations, split_index
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
    _state["ui"] = library.ui
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
    root = Path(config.config_file_path).resolve().parent
    try:
        output = generate(root)
        _state["abbreviations"] = read_abbreviations(root)
    except ProblemsFound as found:
        lines = [str(p) for p in found.problems] + [summary(found.problems)]
        raise Abort("the editions have problems; the site was not built:\n" + "\n".join(lines)) from None
    written = write_tree(Path(config.docs_dir), output.files)
    if written:
        log.info(f"guidebook: wrote {written} generated page(s) to {config.docs_dir}")
    config.nav = output.nav
    config.extra["not_found"] = not_found(output, _state["ui"])
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


def on_post_template(output, template_name, config):
    # Every language build writes the theme's 404.html at the site root; keep each language's.
    if template_name == "404.html":
        _state.setdefault("404", {})[_language(config)] = output
    return output


@event_priority(-150)
def on_post_build(config):
    """Once mkdocs-static-i18n (priority -100) has built every language and rewritten the one
    combined search index: the exports, each language's 404 page, one search index per
    language at that language's root."""
    site = Path(config.site_dir)
    (site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    plugin = config.plugins.get("i18n")
    if plugin is not None and getattr(plugin, "building", False):
        return  # an inner build of one more language; the site is not complete yet
    output = _state["output"]
    for rel, text in output.exports.items():
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for rel, data in output.binary_exports.items():
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for lang, page in _state.get("404", {}).items():
        (site / _root(lang) / "404.html").write_text(page, encoding="utf-8")
    index = site / "search" / "search_index.json"
    if index.exists():
        data = json.loads(index.read_text(encoding="utf-8"))
        for lang, part in split_index(data, _state["abbreviations"], output.editions, _state["ui"]).items():
            target = site / _root(lang) / "search" / "search_index.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            # UTF-8, not \uXXXX escapes: 2 bytes per Cyrillic letter instead of 6.
            target.write_text(json.dumps(part, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _root(lang: str) -> str:
    return "" if lang == "en" else lang


def on_shutdown():
    _state.clear()
