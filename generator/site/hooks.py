"""MkDocs hooks: editions + content → the generated Markdown tree, nav and exports around a build.

`mkdocs build`, `mkdocs serve` and `guidebook build` all run through here, so a fresh clone
builds without a separate generation step. on_config refuses a site_dir that is not a site of
ours (MkDocs would empty it) and a docs_dir outside build/ (`output.checked_docs`); on_post_build
marks the site as ours. on_pre_build validates and renders (an invalid edition aborts before MkDocs touches site/), writing only the files
whose text changed so `mkdocs serve` does not rebuild in a loop; on_nav gives nav sections
their per-language titles; on_page_markdown refuses a page whose front matter did not parse
(MkDocs would publish it as Markdown); on_post_template keeps each language's 404 page; once every
language is built, on_post_build writes the JSON exports, the 404 pages (/404.html,
/ru/404.html) and the search index of both languages (site/search-data/, search_index.py).
on_build_error turns a write that failed (full disk, read-only folder) into one line naming the
path; on_serve keeps a preview answering when a source folder disappears (`source_watch`).
`renderer` (the validated library, ready to render) is also what `guidebook serve`'s preview
renders from, page by page (`preview.py`).
"""
from __future__ import annotations

import copy
import logging
import os
from pathlib import Path
from urllib.parse import urljoin

import jinja2
import jinja2.bccache
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation, Section
from mkdocs.utils.meta import YAML_RE as FRONT_MATTER

from generator.edition.errors import ProblemsFound, summary
from generator.edition.validate import load_library
from generator.site import publish
from generator.site.labels import site_problems
from generator.site.not_found import not_found
from generator.site.output import MARKER, MARKER_TEXT, OutputRefused, checked_docs, checked_output
from generator.site.publish import build_epoch
from generator.site.render import Renderer, SiteOutput
from generator.site.search_index import BUNDLE, search_labels, searchable_pages, write_index
from generator.site.search_words import read_search_words
from generator.site.site_url import MISSING, BadSiteUrl, checked_site_url
from generator.site.source_watch import watch_sources

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


def generate(root: Path, site_url: str = "") -> SiteOutput:
    """The project folder (where mkdocs.yml is) → the rendered site."""
    return renderer(root, site_url).render()


def renderer(root: Path, site_url: str = "", env=None) -> Renderer:
    """The project folder → its validated library, ready to render (the preview renders some
    pages first, `preview.py`); `env`: a template environment to reuse."""
    library = load_library(root)
    problems = site_problems(root, library.ui)
    if problems:
        raise ProblemsFound(problems)
    _state["ui"] = library.ui
    _state["words"] = read_search_words(root, library.editions)
    _state["services"] = {s.full_id for e in library.editions.values() for s in e.services()}
    return Renderer(library, library.ui, root / "site_templates", root / "content" / "pages",
                    include_drafts=_drafts(), root=root, site_url=site_url, env=env)


@event_priority(100)
def on_config(config):
    # MkDocs stamps sitemap.xml.gz with the build time, and every file gets a date: one stamp
    # (SOURCE_DATE_EPOCH, else the last commit's time) keeps builds byte-identical and file
    # dates (so ETags) unchanged for unchanged sources (generator/site/publish.py).
    root = Path(config.config_file_path).resolve().parent
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(build_epoch(root)))
    _state["epoch"] = int(os.environ["SOURCE_DATE_EPOCH"])
    _hash_asset_names(config)
    if _language(config) == "en":
        # MkDocs empties site_dir before building: refuse a folder that is not a site of ours;
        # write_tree rewrites docs_dir: refuse one that is not inside build/ or holds a link.
        project = Path(config.config_file_path).parent
        try:
            checked_output(project.resolve(), Path(config.site_dir))
            checked_docs(project, Path(config.docs_dir))
        except OutputRefused as refused:
            raise Abort(f"refusing to build: {refused}") from None
    if config.site_url:
        try:
            config.site_url = checked_site_url(config.site_url)
        except BadSiteUrl as bad:
            raise Abort(str(bad)) from None
    elif _language(config) == "en":
        log.info(f"guidebook: {MISSING}")
    return config


def _hash_asset_names(config) -> None:
    """Our stylesheets and scripts are listed (and later published) under content-hashed names."""
    custom_dir = config.theme.custom_dir
    assets = publish.hashed_assets(Path(custom_dir)) if custom_dir else {}
    _state["assets"] = assets
    config.extra["assets"] = assets
    config.extra_css = [assets.get(str(path), path) for path in config.extra_css]
    for script in config.extra_javascript:
        if isinstance(script, str):
            continue
        script.path = assets.get(script.path, script.path)
    config.extra_javascript = [assets.get(s, s) if isinstance(s, str) else s for s in config.extra_javascript]


@event_priority(100)
def on_pre_build(config):
    if _language(config) != "en" and "output" in _state:
        return  # the other languages reuse the tree generated for this build
    root = Path(config.config_file_path).resolve().parent
    try:
        output = generate(root, config.site_url or "")
    except ProblemsFound as found:
        lines = [str(p) for p in found.problems] + [summary(found.problems)]
        raise Abort("the editions have problems; the site was not built:\n" + "\n".join(lines)) from None
    written = write_tree(Path(config.docs_dir), output.files)
    if written:
        log.info(f"guidebook: wrote {written} generated page(s) to {config.docs_dir}")
    config.nav = output.nav
    config.extra["not_found"] = not_found(output, _state["ui"])
    config.extra["search_labels"] = search_labels(_state["ui"])
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


def _edition_of(url: str) -> int | None:
    """The edition a page belongs to, from its URL ("2025/…", "ru/2025/…"); None outside one."""
    first = url.removeprefix("ru/").split("/", 1)[0]
    return int(first) if first.isdigit() else None


def _own_edition_nav(nav, year: int | None):
    """The nav with one edition's section: the page's own, else the current (the first). Made
    once per section of each language's nav, not for every page (a Navigation looks through
    every page of the site for its home page)."""
    sections = [item for item in nav.items if isinstance(item, Section) and item.children
                and _edition_of(getattr(item.children[0], "url", "") or "") is not None]
    if len(sections) < 2:
        return nav
    keep = next((item for item in sections if _edition_of(getattr(item.children[0], "url", "")) == year), sections[0])
    if _state.get("own_nav", (None,))[0] is not nav:  # another language's nav, or a new build's
        _state["own_nav"] = (nav, {})
    made: dict[int, Navigation] = _state["own_nav"][1]
    if id(keep) not in made:  # `keep` is an item of `nav`, alive as long as it is
        # a copy, not a new Navigation: that would take the first home page of all the pages (the
        # English one) for the logo's link, where the language's nav has its own
        own = copy.copy(nav)
        own.items = [item for item in nav.items if item is keep or item not in sections]
        made[id(keep)] = own
    return made[id(keep)]


def on_page_context(context, page, config, nav):
    context["nav"] = _own_edition_nav(nav, _edition_of(page.url))
    return context


def on_template_context(context, template_name, config):
    if context.get("nav") is not None:  # the 404 pages: the current edition
        context["nav"] = _own_edition_nav(context["nav"], None)
    return context


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates, compiled once for every language: each language's build has its
    own Jinja environment (the same templates and settings), which would compile them all again.
    Kept in memory as long as this module (MkDocs loads a hook once per process: one build, or
    a whole preview with its rebuilds); a template whose source changed is compiled again (Jinja
    checks the source's checksum). Jinja works out a filter of a constant at compile time with
    the compiling environment's filters: no filter that differs between environments may allow
    that (site_absolute takes the context, on_env)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def on_env(env, config, files):
    # An alternate's link is a path from the site root ("2026/") or, for a home page, from the
    # host ("/sub/path/"); either way it resolves against the site URL with the prefix once.
    # (it takes the context so that Jinja never works it out at compile time: the compiled
    # templates are shared by every environment, CompiledTemplates below)
    env.filters["site_absolute"] = jinja2.pass_context(
        lambda context, link: urljoin(config.site_url, str(link)) if config.site_url else "")
    if env.bytecode_cache is None:
        env.bytecode_cache = _state.setdefault("compiled", CompiledTemplates())
    return env


def on_page_markdown(markdown, page, config, files):
    # MkDocs publishes front matter it cannot parse as Markdown (title text would become markup);
    # render.front_matter_title makes that impossible, and this makes it an error if it ever is.
    if FRONT_MATTER.match(markdown):
        raise Abort(f"{page.file.src_uri}: the page's front matter is not valid YAML; refusing to publish "
                    "it as text")
    return markdown


def on_post_template(output, template_name, config):
    # Every language build writes the theme's 404.html at the site root; keep each language's.
    if template_name == "404.html":
        _state.setdefault("404", {})[_language(config)] = output
    return output


@event_priority(-150)
def on_post_build(config):
    """Once mkdocs-static-i18n (priority -100) has built every language: the exports, each
    language's 404 page, the search index of every language."""
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
    if not config.site_url:  # a sitemap's addresses must be absolute: none without a site URL
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (site / name).unlink(missing_ok=True)
    (site / "robots.txt").write_text(robots_txt(config.site_url), encoding="utf-8")
    pages = searchable_pages(output.files, output.editions, _state["services"])
    indexed = write_index(site, pages, _state["words"], Path(config.config_file_path).resolve().parent)
    log.info(f"guidebook: search index of {indexed} pages written to {site / BUNDLE}")
    publish.finish(site, _state.get("assets", {}), _state["epoch"])  # last: it dates every file


def robots_txt(site_url: str) -> str:
    """Every page may be crawled; the sitemap is named where the site URL is known. (At a
    sub-path, crawlers read only the host's /robots.txt: docs/DEPLOY.md.)"""
    lines = ["# Built by guidebook: every page of the site may be crawled.", "User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url}sitemap.xml")
    return "\n".join(lines) + "\n"


def on_build_error(error):
    # A full disk or a read-only folder while writing build/docs or the site: one line naming
    # the path instead of MkDocs' traceback (guidebook build keeps the previous site/).
    if isinstance(error, OSError):
        where = error.filename or "a file of the site"
        raise Abort(f"cannot write {where}: {error.strerror or error}; the site was not built") from None


def _root(lang: str) -> str:
    return "" if lang == "en" else lang


def on_serve(server, config, builder):
    # a source folder removed while serving: one line, the last pages stay served (source_watch)
    _state["source_watch"] = watch_sources(Path(config.config_file_path).resolve().parent, server)
    return server


def on_shutdown():
    if "source_watch" in _state:
        _state["source_watch"].set()
    _state.clear()
