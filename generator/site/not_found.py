"""The rendered site + UI labels → what each language's 404 page says and links to (pure).

Material renders 404.html once per language (overrides/404.html); it reads this from
`config.extra.not_found[<language>]`. A 404 page is served at any address, so its links are
paths from the site root, which the template puts after the site's base URL.
"""
from __future__ import annotations

from ..edition.models import LANGUAGES, Text
from .render import SiteOutput


def not_found(output: SiteOutput, ui: dict[str, Text]) -> dict[str, dict]:
    current = max((year for year, status in output.editions.items() if status == "current"), default=None)
    pages = {}
    for lang in LANGUAGES:
        root = "" if lang == "en" else f"{lang}/"
        links = []
        if current is not None:
            if f"{lang}/{current}/guide/index.md" in output.files:
                links.append({"text": ui["not_found_guide"].get(lang), "path": f"{root}{current}/guide/"})
            links.append({"text": ui["not_found_edition"].get(lang).replace("{year}", str(current)),
                          "path": f"{root}{current}/"})
        links.append({"text": ui["not_found_home"].get(lang), "path": root})
        page: dict = {key: ui[f"not_found_{key}"].get(lang) for key in ("title", "lead", "search", "search_button")}
        pages[lang] = dict(page, root=root, links=links)
    return pages
