"""An existing edition + a new year and MCI → a new draft edition folder (all or nothing).

The YAML is copied as text, so comments and layout stay as the editors wrote them; only
the metadata changes (year, status: draft, MCI, no effective date, no seed yet) and every
state fee's KZT is recomputed as its MCI multiple × the new MCI. The result is validated
before it is moved into place; an existing folder is never overwritten.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from ..edition.validate import load_library

STATE_RE = re.compile(r"(state:\s*\{\s*mci:\s*)([0-9.]+)(\s*,\s*kzt:\s*)([0-9.]+)(\s*\})")


class ScaffoldError(Exception):
    """The new edition cannot be created (e.g. its folder exists)."""


def _kzt(mci: str, mci_kzt: int) -> str:
    value = Decimal(mci) * mci_kzt
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _metadata(text: str, year: int, mci_kzt: int) -> str:
    replacements = {r"^year:.*$": f"year: {year}", r"^status:.*$": "status: draft",
                    r"^mci_kzt:.*$": f"mci_kzt: {mci_kzt}", r"^effective_from:.*$": "effective_from: null",
                    r"^source_file:.*$": "source_file: null"}
    for pattern, line in replacements.items():
        text = re.sub(pattern, line, text, count=1, flags=re.MULTILINE)
    return text


def new_edition(root: Path, year: int, source_year: int, mci_kzt: int) -> str:
    """Create editions/<year> from editions/<source_year>; return a one-paragraph report."""
    editions = root / "editions"
    target = editions / str(year)
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"editions/{year} already exists; refusing to overwrite it")
    if not 1900 <= year <= 9999:
        raise ScaffoldError(f"expected the new edition's year in four digits (e.g. 2027), found {year}")
    if not 0 < mci_kzt <= 10**6:
        raise ScaffoldError(f"expected a positive MCI in KZT of at most 1 000 000, found {mci_kzt}")
    load_library(root, [source_year])  # the source must be valid before it is copied
    recomputed = 0
    staging = Path(tempfile.mkdtemp(prefix=f".{year}-", dir=editions))
    try:
        for file in sorted((editions / str(source_year)).glob("*.yaml")):
            text = file.read_text(encoding="utf-8")
            if file.name == "edition.yaml":
                text = _metadata(text, year, mci_kzt)
            else:
                text, count = STATE_RE.subn(
                    lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}{_kzt(m.group(2), mci_kzt)}{m.group(5)}", text)
                recomputed += count
            (staging / file.name).write_text(text, encoding="utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        library = load_library(root, [year])
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    services = len(library.editions[year].services())
    return (f"created editions/{year} (draft) from {source_year}: {services} services, {recomputed} state fees "
            f"recomputed at MCI {mci_kzt} KZT. Next: put the printed guidebook beside edition.yaml and name it "
            f"in source_file, set effective_from, edit the YAML, then guidebook check-source {year}.")
