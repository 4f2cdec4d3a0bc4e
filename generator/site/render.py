"""Validated library + UI labels + templates → the site's Markdown tree, nav and exports (pure).

`render_site` returns every page for both languages as {"en/<path>.md": markdown,
"ru/<path>.md": markdown}, the MkDocs nav (language-neutral paths), the titles of nav
sections per language, and the JSON exports. Nothing here touches the file system except
reading templates. Templates autoescape: every string from YAML is HTML-escaped unless it
goes through `md`, which also backslash-escapes Markdown control characters (used for
headings and links, where Markdown would otherwise read `[x](javascript:…)` as a link);
UI labels go through `escape_label`, which makes them text in HTML and Markdown alike.
"""
from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..changes import diff as edition_diff
from ..changes import register
from ..changes.diff import MONEY_KINDS, common_ends
from ..changes.findings import findings as edition_findings
from ..changes.findings import kept_fees
from ..changes.formats import register_json, to_csv, to_json
from ..changes.group import group as group_changes
from ..changes.names import Names
from ..changes.register import EFFECTS
from ..changes.spreadsheet import to_csv_semicolon, to_xlsx
from ..edition.amounts import group_kzt
from ..edition.errors import Problem, ProblemsFound
from ..edition.glyphs import looks_alike
from ..edition.models import LANGUAGES, Edition, Library, Section, Service, Text
from ..edition.payable import payable_ways
from .change_view import Describer, kzt, plural
from .export import edition_json
from .findings_view import sentences as finding_sentences
from .guide_view import GuideView, node_path

# The context values a page plan computes only when the page is rendered.
LAZY = ("others", "since", "diff")
PAGE_ORDER = ("fees", "about")  # hand-written pages first in this order, then the rest by name
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")
# Characters that start Markdown or attr_list syntax anywhere in a line, and HTML's own. A label
# is written with these as character references, which read the same in raw HTML
# and in Markdown (headings, tables) but are never syntax: `[x](javascript:…)` stays text.
LABEL_SPECIAL = re.compile(r"[\\`*_{}\[\]!|#~^&<>\"']")


def escape_html(value) -> Markup:
    """Text for an HTML context: entities escaped, whitespace folded (a blank line would end a raw HTML block)."""
    return Markup(html.escape(fold_space(value), quote=True))


def fold_space(value) -> str:
    """Runs of ASCII white space → one space (no-break spaces in amounts stay)."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", str(value)).strip()


def escape_label(value) -> Markup:
    """A UI label (content/ui.yaml) for any context, HTML or Markdown: always text."""
    # One pass: html.escape first would leave '&#x27;' whose '#' the second pass escapes again.
    return Markup(LABEL_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", fold_space(value)))


def escape_md(value) -> Markup:
    """Text for a Markdown context: HTML-escaped, then every Markdown control character backslash-escaped."""
    return Markup(MD_SPECIAL.sub(r"\\\1", html.escape(fold_space(value), quote=True)))


def front_matter_title(value) -> Markup:
    """A page title for YAML front matter. MkDocs and Material print page titles unescaped
    (<title>, nav, search), so the title is HTML-escaped here, then quoted as a YAML string.

    Any character YAML could refuse or read as a line break (controls, U+0085, U+2028…) is
    written as a YAML escape: front matter that fails to parse is not an error in MkDocs, it
    is published as Markdown, where `[x](javascript:…)` in the title would become a link."""
    text = str(value) if isinstance(value, Markup) else html.escape(fold_space(value), quote=True)
    return Markup(UNSAFE_IN_YAML.sub(_yaml_escape, json.dumps(text, ensure_ascii=False)))


# What json.dumps leaves as it is but YAML's reader refuses or treats as a line break.
UNSAFE_IN_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ue000-\uf8ff\ufeff\ufffe\uffff]")


def _yaml_escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def format_kzt(value, lang: str = "en") -> Markup:
    """2162.5 → '2 162.5' (en) / '2 162,5' (ru), grouped with no-break spaces."""
    return Markup(group_kzt(value, "\u00a0", "," if lang == "ru" else "."))


def format_number(value, lang: str = "en") -> Markup:
    text = str(value.normalize() if isinstance(value, Decimal) else value)
    if "E" in text:
        text = str(int(value))
    return Markup(text.replace(".", ",") if lang == "ru" else text)


@dataclass
class SiteOutput:
    files: dict[str, str] = field(default_factory=dict)      # "en/2026/index.md" → Markdown
    nav: list = field(default_factory=list)                   # MkDocs nav, language-neutral paths
    nav_titles: dict[str, dict[str, str]] = field(default_factory=dict)  # nav title → {lang: title}
    exports: dict[str, str] = field(default_factory=dict)    # "data/2026.json" → JSON text
    binary_exports: dict[str, bytes] = field(default_factory=dict)  # "data/changes-….xlsx" → workbook
    editions: dict[int, str] = field(default_factory=dict)   # year → "current" | "archived" | "draft"


def misprint_span(printed: str, corrected: str) -> tuple[str, str]:
    """The words where a misprint and its reading differ, with one word of context each side
    ("…верификации текущем году" / "…верификации в текущем году")."""
    a, b = printed.split(" "), corrected.split(" ")
    start, end = common_ends(a, b)
    lo, hi_a, hi_b = max(start - 1, 0), min(len(a) - end + 1, len(a)), min(len(b) - end + 1, len(b))
    pre, post_a, post_b = ("…" if lo > 0 else ""), ("…" if hi_a < len(a) else ""), ("…" if hi_b < len(b) else "")
    return pre + " ".join(a[lo:hi_a]) + post_a, pre + " ".join(b[lo:hi_b]) + post_b


def service_path(year: int, service: Service) -> str:
    return f"{year}/{service.section}/{service.id}/index.md"


def relative(from_path: str, to_path: str) -> str:
    """Markdown link from one source file to another (both language-neutral)."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def sentence_case(title: str) -> str:
    """'EMPLOYMENT VISA' → 'Employment visa'; titles already in mixed case stay."""
    return title[:1].upper() + title[1:].lower() if title.isupper() else title


def display_title(edition: Edition, service: Service, lang: str) -> str:
    """A title that says what the service is: the printed service heading, prefixed with the section's
    title where the section's printed headings do not name the service (`title_prefix`)."""
    own = sentence_case(service.title.corrected(lang) or service.title.get(lang))
    section = next(s for s in edition.sections if s.id == service.section)
    head = sentence_case(section.title.corrected(lang) or section.title.get(lang))
    if not section.title_prefix or own.casefold() == head.casefold():
        return own
    if len(own) > 1 and not own[1].isupper():
        own = own[0].lower() + own[1:]
    return f"{head} — {own}"


def template_environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment of the page templates in `templates`. One may be reused by later
    renders (the preview): it recompiles a template only when its file changed."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)), undefined=jinja2.StrictUndefined,
        autoescape=True, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True)
    env.filters.update(md=escape_md, h=escape_html, fm=front_matter_title)
    return env


class Renderer:
    def __init__(self, library: Library, ui: dict[str, Text], templates: Path, pages: Path,
                 include_drafts: bool = False, root: Path | None = None, site_url: str = "",
                 env: jinja2.Environment | None = None):
        self.library = library
        self.site_url = site_url  # what the exports' page_url resolves against ("": the site root)
        self.ui = ui
        self.pages = pages
        years = sorted(y for y, e in library.editions.items() if include_drafts or e.status == "published")
        self.editions: list[Edition] = [library.editions[y] for y in years]
        published = [e for e in self.editions if e.status == "published"]
        self.current: Edition | None = published[-1] if published else (self.editions[-1] if self.editions else None)
        self.pairs = [(a, b, edition_diff.diff(a, b)) for a, b in zip(self.editions, self.editions[1:], strict=False)]
        # The editors' register of each pair (editions/<new>/changes.yaml), where there is one.
        self.explanations = {(a.year, b.year): register.explanation(root, a, b, full=changes) if root else None
                             for a, b, changes in self.pairs}
        self.guides = {e.year: GuideView(e) for e in self.editions}
        self.env = env if env is not None else template_environment(templates)

    # -- language-bound helpers given to templates -------------------------------------------
    def helpers(self, lang: str, path: str) -> dict:
        ui = self.ui

        def t(key: str, **values) -> Markup:
            text = label(key)
            for name, value in values.items():
                text = text.replace("{" + name + "}", str(value))
            return escape_label(text)

        def label(key: str) -> str:
            if key not in ui:  # labels.missing_labels lists them before a build; this is the backstop
                raise ProblemsFound([Problem("content/ui.yaml", 0, 0, "", f"expected the label {key!r} "
                                             f"(used while rendering {path}), found none")])
            return ui[key].get(lang)

        def tx(text: Text | None, edition: Edition | None = None) -> str:
            return "" if text is None else text.get(lang)

        def title(text: Text) -> str:
            """A heading: the corrected reading where the print has a misprint, capitals tamed."""
            return sentence_case(text.corrected(lang) or text.get(lang))

        def sic(text: Text, edition: Edition) -> str | None:
            """The corrected reading of a printed misprint (official language), on every page."""
            return text.corrected(edition.source_language)

        def sic_mark(text: Text, edition: Edition) -> Markup:
            """What is printed, with the reading beside it: on the official-language page the text
            shown is the print, so the note gives the reading (and says when the letters only look
            alike: «С3» printed in Cyrillic); on the other page the note quotes the misprinted words
            of the print and their reading, so the translation never hides the misprint."""
            official = edition.source_language
            corrected = text.corrected(official)
            if corrected is None:
                return Markup("")
            printed = text.get(official)
            if lang == official:
                key = "sic_lookalike" if looks_alike(corrected, printed) else "sic_note"
                note = str(t(key, text="%TEXT%")).replace("%TEXT%", str(escape_label(corrected)))
            else:
                was, read = misprint_span(printed, corrected)
                key = "sic_note_translated_lookalike" if looks_alike(corrected, printed) else "sic_note_translated"
                note = str(t(key, printed="%PRINTED%", text="%TEXT%"))
                note = note.replace("%PRINTED%", f"<span lang=\"{official}\">{escape_label(was)}</span>")
                note = note.replace("%TEXT%", f'<span lang="{official}">{escape_label(read)}</span>')
            return Markup(' <span class="gb-sic">(') + Markup(note) + Markup(")</span>")

        def link(to: str) -> Markup:
            return Markup(relative(path, to))

        def site_file(to: str) -> Markup:
            """A URL from this page to a file published at the site root (e.g. data/2026.json)."""
            here = posixpath.dirname(path) if path.endswith("index.md") else path[:-3]
            here_abs = (("ru/" if lang == "ru" else "") + here).strip("/")
            return Markup(html.escape(posixpath.relpath(to, here_abs or "."), quote=True))

        def url(to: str) -> Markup:
            """A plain URL (for raw HTML) from this page to another page of the same language."""
            target = posixpath.dirname(to) if to.endswith("index.md") else to[:-3]
            here = posixpath.dirname(path) if path.endswith("index.md") else path[:-3]
            rel = posixpath.relpath(target or ".", here or ".")
            return Markup(html.escape("" if rel == "." else rel + "/", quote=True) or "./")

        def other_language_url(to: str, other: str) -> Markup:
            """URL of the same page in the other language (English at /, Russian at /ru/)."""
            page_url = posixpath.dirname(to) if to.endswith("index.md") else to[:-3]
            here = posixpath.dirname(path) if path.endswith("index.md") else path[:-3]
            here_abs = ("ru/" if lang == "ru" else "") + here
            target_abs = ("ru/" if other == "ru" else "") + page_url
            rel = posixpath.relpath(target_abs.strip("/") or ".", here_abs.strip("/") or ".")
            return Markup(html.escape("./" if rel == "." else rel + "/", quote=True))

        return dict(
            lang=lang, path=path, t=t, tx=tx, sic=sic, sic_mark=sic_mark, title=title, link=link, url=url,
            site_file=site_file,
            other_language_url=other_language_url,
            kzt=lambda v: format_kzt(v, lang), num=lambda v: format_number(v, lang),
            plural=lambda key, n: escape_label(plural(label(key), n, lang)),
            sentence_case=sentence_case, payable_ways=payable_ways,
            display_title=lambda edition, service: display_title(edition, service, lang),
            guides=self.guides, node_path=node_path,
            editions=self.editions, current=self.current, service_path=service_path,
            pairs=[(a, b) for a, b, _ in self.pairs],
            other_lang="ru" if lang == "en" else "en",
        )

    def page(self, template: str, path: str, lang: str, **context) -> str:
        return self.env.get_template(template).render(**self.helpers(lang, path), **context)

    # -- the site ------------------------------------------------------------------------
    def render(self, files: dict[str, str] | None = None) -> SiteOutput:
        """The site; `files`: its pages already rendered from this plan (the preview's)."""
        out = SiteOutput(editions={e.year: self._status(e) for e in self.editions})
        out.files = files if files is not None else {path: make() for path, make in self.plan().items()}
        out.nav = self._nav(out)
        for old, new, changes in self.pairs:
            names = self.names(old, new)
            explained = self.explanations[(old.year, new.year)]
            out.exports[f"data/changes-{old.year}-{new.year}.json"] = to_json(changes, names, explanation=explained)
            out.exports[f"data/changes-{old.year}-{new.year}.csv"] = to_csv(changes, names, explanation=explained)
            # the same for a spreadsheet whose list separator is ";" (Russian Excel), and a workbook
            out.exports[f"data/changes-{old.year}-{new.year}-semicolon.csv"] = to_csv_semicolon(
                changes, names, explanation=explained)
            out.binary_exports[f"data/changes-{old.year}-{new.year}.xlsx"] = to_xlsx(
                changes, names, explained, kept_fees(old, new))
            if explained is not None:
                out.exports[f"data/changes-{old.year}-{new.year}-register.json"] = register_json(explained, old, new)
        for edition in self.editions:
            out.exports[f"data/{edition.year}.json"] = json.dumps(
                edition_json(edition, self.library.documents), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        return out

    def plan(self) -> dict[str, Callable[[], str]]:
        """Every page of every language ("en/2026/index.md") → what renders it, in page order;
        nothing is rendered until it is called (the preview renders some pages first)."""
        pages: dict[str, Callable[[], str]] = {}
        for lang in LANGUAGES:
            self._plan_language(lang, pages)
        return pages

    def _plan_language(self, lang: str, pages: dict[str, Callable[[], str]]) -> None:
        def put(path: str, template: str, **context) -> None:
            pages[f"{lang}/{path}"] = lambda: self.page(template, path, lang, **{
                key: value() if callable(value) and key in LAZY else value for key, value in context.items()})

        put("index.md", "home.md.j2")
        put("editions/index.md", "editions.md.j2")
        current = self.current
        current_sections = {s.id for s in current.sections} if current else set()
        current_services = {s.full_id: s for s in current.services()} if current else {}
        for edition in self.editions:
            status = self._status(edition)
            common = dict(edition=edition, status=status, boost=self._boost(edition))
            year = edition.year
            home = f"{current.year}/index.md" if current else "index.md"
            put(f"{year}/index.md", "edition.md.j2", current_path=home, **common)
            put(f"{year}/contacts/index.md", "contacts.md.j2",
                current_path=f"{current.year}/contacts/index.md" if current else home, **common)
            for section in edition.sections:
                spath = f"{year}/{section.id}/index.md"
                there = f"{current.year}/{section.id}/index.md" if current and section.id in current_sections else home
                put(spath, "section.md.j2", section=section, current_path=there, **common)
                for service in section.services:
                    match = current_services.get(service.full_id)
                    there = service_path(current.year, match) if current and match else home
                    put(service_path(year, service), "service.md.j2", section=section, service=service,
                        others=partial(self._other_editions, service), current_path=there,
                        since=partial(self.service_changes, edition, service, lang), **common)
            guide = self.guides[year]
            for node in guide.nodes():
                put(node_path(year, node), "guide.md.j2", guide=guide, node=node,
                    current_path=self._current_guide_page(current, node, home), **common)
        for old, new, changes in self.pairs:
            put(f"changes/{old.year}-{new.year}/index.md", "changes.md.j2",
                diff=partial(self._diff_page, old, new, changes, lang))
        for source in sorted((self.pages / lang).glob("*.md")):
            pages[f"{lang}/{source.name}"] = partial(self._hand_written, source, lang)

    def _hand_written(self, source: Path, lang: str) -> str:
        template = self.env.from_string(source.read_text(encoding="utf-8"))
        return template.render(**self.helpers(lang, source.name))

    def names(self, old: Edition, new: Edition) -> Names:
        return Names(old, new, self.library.documents, self.ui, site_url=self.site_url)

    def _diff_page(self, old: Edition, new: Edition, changes, lang: str) -> dict:
        """One language's view of a diff: the headline figures (changes, records, material, the
        MCI), the sections to filter by, and the register's entries (`_entries`)."""
        describer = Describer(self.names(old, new), lang)
        groups = list(group_changes(changes))
        services: dict[str, tuple[Section, Service]] = {}
        sections: list = []
        for edition in (new, old):
            for section in edition.sections:
                if section.id not in [s.id for s in sections]:
                    sections.append(section)
                for service in section.services:
                    services.setdefault(service.full_id, (section, service))
        olds = {s.full_id: s for s in old.services()}
        news = {s.full_id: s for s in new.services()}
        names = self.names(old, new)
        found = edition_findings(old, new, changes, self.explanations[(old.year, new.year)])
        kept = [(f"{names.section_title(k.service.split('/')[0], lang)} › "
                 f"{sentence_case(names.service_title(k.service, lang))}",
                 k.label.get(lang) if k.label else "", names.t("fee_name_" + k.fee, lang), kzt(k.kzt, lang))
                for k in found.kept]
        return dict(old=old, new=new, sections=sections,
                    findings=finding_sentences(found, names, lang), kept=kept,
                    material=sum(g.material for g in groups), records=len(changes),
                    mci=next((describer.view(g) for g in groups if g.change.kind == "mci"), None),
                    register=self.explanations[(old.year, new.year)] is not None,
                    **self._entries(old, new, groups, describer, services, news, olds, lang))

    def _entries(self, old: Edition, new: Edition, groups: list, describer: Describer, services: dict,
                 news: dict, olds: dict, lang: str) -> dict:
        """The page's view of the register: entries by effect (each with its summary, the
        services it affects, its money changes and its evidence), the fee table of real fee
        changes, and what no entry covers. Without a register every change is "not in the
        register". The number of changes is the diff's groups, as in the CLI, CSV and JSON."""
        explained = self.explanations[(old.year, new.year)]
        names = self.names(old, new)
        pages = {f: (news.get(f) and service_path(new.year, news[f])) or service_path(old.year, olds[f]) for f in services}

        def where(full_ids) -> list:
            """Services as (section title, [(page, service title)]), by section: titles that
            repeat across sections (\"Invitation letter…\") stay distinguishable."""
            found: dict[str, list] = {}
            for full_id in full_ids:
                section = full_id.split("/")[0]
                found.setdefault(section, []).append((pages[full_id], sentence_case(names.service_title(full_id, lang))))
            return [(names.section_title(section, lang), items) for section, items in found.items()]

        def cites(pairs) -> list[str]:
            """The printed lines an entry rests on, old → new, once each."""
            out = []
            for a, b in pairs:
                key = ("changes_printed_line" if a and b else "changes_printed_only_new" if b
                       else "changes_printed_only_old")
                text = names.t(key, lang)
                for name, value in (("old", old.year), ("new", new.year), ("a", a), ("b", b)):
                    text = text.replace("{" + name + "}", str(value))
                out.append(text)
            return out

        def entry(ident, effect, summary, groups, services_of, lines, drafted=False):
            evidence = [describer.view(g) for g in groups]
            sections = sorted({g.change.section for g in groups if g.change.section}
                              | {s.split("/")[0] for g in groups for s in g.services})
            money = [v for v in evidence if v.change.kind in MONEY_KINDS and v.change.kind != "mci"]
            # a condition's printed words, verbatim in each edition's official language
            quotes = [(edition.year, q.get(edition.source_language)) for g in groups for m in g.members
                      if m.kind == "condition" for edition, q in ((old, m.old_quote), (new, m.new_quote))
                      if q is not None]
            return dict(id=ident, effect=effect, summary=summary, evidence=evidence, money=money,
                        cites=cites(lines), quotes=list(dict.fromkeys(quotes)),
                        services=where(services_of), sections=" ".join(sections),
                        material=any(g.material for g in groups), changes=len(groups), drafted=drafted)

        by_effect = []
        if explained is not None:
            for effect, done in explained.by_effect():
                by_effect.append((effect, EFFECTS[effect][0 if lang == "en" else 1],
                                  [entry(d.entry.id, effect, d.entry.summary.get(lang), d.groups, d.services,
                                         d.lines, d.entry.draft) for d in done]))
        uncovered = groups if explained is None else list(explained.uncovered)
        loose = [entry(g.id, None, None, (g,), g.services,
                       list(dict.fromkeys((m.old_line, m.new_line) for m in g.members
                                          if (m.old_line, m.new_line) != (None, None))))
                 for g in uncovered]
        # every amount an applicant pays that moved: fees, and the state fees that follow the MCI
        fee_rows = [(e, v) for _, _, entries in by_effect for e in entries
                    if e["effect"].startswith("fee-") or e["effect"] == "fees-indexed" for v in e["money"]]
        return dict(by_effect=by_effect, uncovered=loose, fee_rows=fee_rows,
                    entries=sum(len(entries) for _, _, entries in by_effect),
                    changes=sum(e["changes"] for _, _, entries in by_effect for e in entries) + len(loose),
                    effects=[(effect, name) for effect, name, _ in by_effect], folded=FOLDED_EFFECTS,
                    service_names={f: f"{names.section_title(f.split('/')[0], lang)} › "
                                      f"{sentence_case(names.service_title(f, lang))}"
                                   for f in services})

    def service_changes(self, edition: Edition, service: Service, lang: str):
        """(previous edition, this service's changes in `lang`'s view, is new, the register's
        plain lines or None) for the box on its page."""
        for old, new, changes in self.pairs:
            if new is edition:
                describer = Describer(self.names(old, new), lang)
                mine = [describer.view(g) for g in group_changes(c for c in changes if c.service == service.full_id)]
                is_new = any(c.kind == "service" and c.action == "added" and c.service == service.full_id for c in changes)
                explained = self.explanations[(old.year, new.year)]
                return old, mine, is_new, explained and plain_lines(explained, service.full_id, self.names(old, new), lang)
        return None

    def _current_guide_page(self, current: Edition | None, node, home: str) -> str:
        """Where the archived banner of a guide page leads: the same question in the current
        edition, else its guide's start, else the current edition's home."""
        if current is None:
            return home
        guide = self.guides[current.year]
        if any(n.slug == node.slug for n in guide.nodes()):
            return node_path(current.year, node)
        return f"{current.year}/guide/index.md" if guide.tree else home

    def _status(self, edition: Edition) -> str:
        if edition.status == "draft":
            return "draft"
        return "current" if edition is self.current else "archived"

    def _boost(self, edition: Edition) -> float:
        return {"current": 2.0, "archived": 0.5, "draft": 0.5}[self._status(edition)]

    def _other_editions(self, service: Service) -> list[tuple[Edition, Service | None]]:
        result = []
        for edition in self.editions:
            match = next((s for s in edition.services() if s.full_id == service.full_id), None)
            result.append((edition, match))
        return result

    def _nav(self, out: SiteOutput) -> list:
        def title(key: str, texts: dict[str, str]) -> str:
            # Material prints nav titles unescaped.
            out.nav_titles[key] = {lang: html.escape(text, quote=True) for lang, text in texts.items()}
            return key

        def grouped(key: str, children: list):
            # A section of one page is that page: Material would label its nav by a label it
            # does not write (aria-labelledby pointing at nothing).
            return children[0] if len(children) == 1 else {key: children}

        nav: list = ["index.md"]
        current = self.current
        # One section per edition, the current one first: a page's navigation shows only its
        # own edition (hooks.on_page_context hides the others; the current one on every page
        # outside an edition), and the others are one link away on "All editions".
        for edition in sorted(self.editions, key=lambda e: (e is not current, -e.year)):
            year = edition.year
            entries: list = [f"{year}/index.md"] + ([f"{year}/guide/index.md"] if self.guides[year].tree else [])
            for section in edition.sections:
                key = title(f"{year}: {section.id}", {
                    lang: sentence_case(section.title.corrected(lang) or section.title.get(lang)) for lang in LANGUAGES})
                entries.append(grouped(key, [f"{year}/{section.id}/index.md"]
                                       + [service_path(year, s) for s in section.services]))
            entries.append(f"{year}/contacts/index.md")
            nav.append({title(f"edition {year}", {lang: self.ui["edition"].get(lang).replace("{year}", str(year))
                                                  for lang in LANGUAGES}): entries})
        if self.pairs:
            nav.append(grouped(title("changes", {lang: self.ui["changes_nav"].get(lang) for lang in LANGUAGES}),
                               [f"changes/{a.year}-{b.year}/index.md" for a, b, _ in reversed(self.pairs)]))
        nav.append("editions/index.md")
        def page_order(p: Path) -> tuple:
            return (p.stem not in PAGE_ORDER, PAGE_ORDER.index(p.stem) if p.stem in PAGE_ORDER else 0, p.stem)
        nav += [source.name for source in sorted((self.pages / "en").glob("*.md"), key=page_order)]
        return nav


FOLDED_EFFECTS = ("misprint-corrected", "wording-only")  # folded on the changes page
QUIET_EFFECTS = ("fees-indexed", "edition-details", "misprint-corrected", "wording-only")


def plain_lines(explained: register.Explanation, full_id: str, names: Names, lang: str) -> dict | None:
    """At most two plain lines for a service's box, from the register: what the applicant pays
    (each fee change with its entry's effect, old → new KZT), then the summaries of the other
    entries that matter, most telling effect first; `more` counts the entries not shown;
    `anchor` is the first entry's id."""
    entries = [done for done in explained.explained if full_id in done.services]
    if not entries:
        return None
    money, anchor, paying = [], None, []
    for done in entries:
        if done.entry.effect == "fee-restructured":  # same total: not what the box leads with
            continue
        for change in (m for m in done.records if m.service == full_id and m.kind in MONEY_KINDS):
            paying.append(done)
            name = EFFECTS[done.entry.effect][0 if lang == "en" else 1]
            old = kzt(change.old, lang) if change.old is not None else ""
            new = kzt(change.new, lang) if change.new is not None else ""
            text = f"{name} {old} → {new} KZT" if old and new else f"{name}: {old or new} KZT"
            # the fee row for a service fee ("For Expert"), else which fee it is
            label = ((change.label.get(lang) if change.label else "") if change.kind == "fee"
                     else "" if change.kind == "indexation" else names.t("kind_" + change.kind, lang))
            money.append(text + (f" ({label})" if label else ""))
            anchor = anchor or done.entry.id
    order = list(EFFECTS)
    telling = sorted((d for d in entries if d.entry.effect not in QUIET_EFFECTS and not d.entry.effect.startswith("fee")),
                     key=lambda d: order.index(d.entry.effect))
    lines = ["; ".join(dict.fromkeys(money))] if money else []
    shown = telling[:2 - len(lines)]
    lines += [d.entry.summary.get(lang) for d in shown]
    rest = [d for d in entries if d not in shown and d not in paying]
    # the link lands on the register entry (its stable anchor on the changes page)
    return dict(lines=lines, more=len(rest), anchor=anchor or (shown or entries)[0].entry.id)


def render_site(library: Library, ui: dict[str, Text], templates: Path, pages: Path,
                include_drafts: bool = False, root: Path | None = None, site_url: str = "") -> SiteOutput:
    """`root`: the project folder, where each edition's register of changes is read (without
    it, the changes are shown as the diff finds them). `site_url`: the site's public address,
    which the exports' page URLs resolve against (without it they are relative to the site root)."""
    return Renderer(library, ui, templates, pages, include_drafts, root, site_url).render()
