"""A document entry's requirement keys (loaded YAML) → checked facts for `DocumentRef`, or located
problems.

Every requirement the print states about a document is a fact the diff can compare without
reading prose: who may issue or request it (`issuers`), which kind of the catalogue's document
(`variant`), what it must show (`contents`, all of them or `{any: [...]}`), and how long it must
still be valid (`validity`). Accepted forms, conditions (`if_applicable`, `for`), copies and
dates stay where `validate` reads them. The vocabularies below are the only values accepted;
extending one is a reviewed change of this module and of editions/README.md.
"""
from __future__ import annotations

from .models import Validity

KEYS = ("issuers", "variant", "contents", "validity")

ISSUERS = (
    "investment-authority",  # the authorised body of Kazakhstan for investments
    "aifc-authority",
    "host-party",            # the host / inviting party (any, not only a legal entity)
    "legal-entity",
    "akimat",                # the akimat at the company's registration address
    "egov",                  # obtained from Egov.kz
    "enbek",                 # issued via the Enbek.kz portal
    "pki-portal",            # submitted on pki.gov.kz
    "country-of-citizenship",
)
# Which kinds a catalogue document comes in, where the print names one.
VARIANTS = {
    "main-visa-holder-visa": ("work-visa", "investor-visa"),
    "passport": ("used-for-entry",),
    "passport-copy": ("used-for-entry",),
    "passport-data-page": ("used-for-entry",),
}
CONTENTS = (
    "job-title", "engagement-period", "signed-by-both-parties",  # contracts
    "personal-data-page",                                        # passports
    "fingerprinting", "verification",                            # fingerprint certificate
    "owner-iin",                                                 # property owner's consent
    "photo",                                                     # application forms
    "financial-solvency", "accommodation-and-registration",      # PRP solvency / accommodation
    "accommodation-and-permanent-registration",
)
BOUNDS = ("more-than", "at-least")
PERIOD_UNITS = ("months", "calendar-days")
COUNTED_FROM = ("visa-expiry", "application")


def read_requirements(r, raw: dict, path: tuple, doc: str | None) -> dict:
    """The facts of one document entry as `DocumentRef` keyword arguments; problems go to `r`.

    `r` is validate's Reader (reporting and typed readers); `raw` the entry's mapping as loaded.
    """
    out: dict = {}
    if raw.get("issuers") is not None:
        out["issuers"] = _sorted_unique(r, raw["issuers"], path + ("issuers",), ISSUERS)
    if raw.get("variant") is not None:
        choices = VARIANTS.get(doc or "", ())
        if not choices:
            r.problem(path + ("variant",), f"expected no variant for {doc!r} (variants exist for: "
                      f"{', '.join(VARIANTS)}), found {raw['variant']!r}")
        else:
            out["variant"] = r.enum(raw["variant"], path + ("variant",), choices)
    if raw.get("contents") is not None:
        out.update(_contents(r, raw["contents"], path + ("contents",)))
    if raw.get("validity") is not None:
        out["validity"] = _validity(r, raw["validity"], path + ("validity",))
    return out


def _sorted_unique(r, value, path: tuple, choices: tuple[str, ...]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        r.expected(path, "a non-empty list of: " + ", ".join(choices), value)
        return ()
    found = []
    for i, item in enumerate(value):
        if r.enum(item, path + (i,), choices) is None:
            continue
        if item in found:
            r.problem(path + (i,), f"expected each value once, found {item!r} again")
            continue
        found.append(item)
    return tuple(sorted(found))


def _contents(r, value, path: tuple) -> dict:
    if isinstance(value, dict):
        if set(value) != {"any"}:
            r.expected(path, "a list (all of them must be shown) or {any: [...]} (one of them)", value)
            return {}
        items = _sorted_unique(r, value["any"], path + ("any",), CONTENTS)
        if len(items) == 1:
            r.problem(path + ("any",), f"expected at least two alternatives under 'any', found only {items[0]!r} "
                      "(write a plain list for one required content)")
        return {"contents": items, "contents_any": True}
    return {"contents": _sorted_unique(r, value, path, CONTENTS)}


def _validity(r, value, path: tuple) -> Validity | None:
    keys = ("current", "more_than", "at_least", "unit", "counted_from", "blank_pages")
    if r.mapping(value, path, (), keys) is None:
        return None
    current = value.get("current", False)
    if not isinstance(current, bool):
        r.expected(path + ("current",), "true or false", current)
        current = False
    bounds = [b for b in ("more_than", "at_least") if value.get(b) is not None]
    months = bound = unit = None
    if len(bounds) > 1:
        r.problem(path, "expected one of 'more_than' or 'at_least', found both")
    elif bounds:
        bound = bounds[0].replace("_", "-")
        months = r.integer(value[bounds[0]], path + (bounds[0],), "a whole number of units (1 or more)", 1)
        unit = r.enum(value.get("unit"), path + ("unit",), PERIOD_UNITS)
    elif value.get("unit") is not None:
        r.problem(path + ("unit",), "expected a unit only with 'more_than' or 'at_least', found it alone")
    counted_from = None
    if value.get("counted_from") is not None:
        counted_from = r.enum(value["counted_from"], path + ("counted_from",), COUNTED_FROM)
        if not bounds:
            r.problem(path + ("counted_from",), "expected 'counted_from' only with 'more_than' or 'at_least', found it alone")
    blank_pages = None
    if value.get("blank_pages") is not None:
        blank_pages = r.integer(value["blank_pages"], path + ("blank_pages",), "a number of blank pages (1 or more)", 1)
    if not (current or bounds or blank_pages):
        r.expected(path, "at least one of current, more_than, at_least, blank_pages", value)
        return None
    return Validity(current=current, amount=months, unit=unit, bound=bound, counted_from=counted_from,
                    blank_pages=blank_pages)
