"""Benchmark of the guidebook generator: the editions on disk → figures printed one per line.

Each figure is a small function that measures one thing and returns it; `main` loads the
editions once and prints every figure. Run with `make bench` (or `.venv/bin/python
scripts/benchmark.py`). Timings are medians of several runs, in milliseconds, after loading
and validating (which is not what is measured).
"""
from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.diff import diff  # noqa: E402
from generator.diff_format import render  # noqa: E402
from generator.models import Edition  # noqa: E402
from generator.validate import load_library  # noqa: E402

RUNS = 15


def timings_ms(work, runs: int = RUNS) -> list[float]:
    """Wall times of `work()` in ms, after one warm-up run."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median_ms(work, runs: int = RUNS) -> float:
    return statistics.median(timings_ms(work, runs))


def synthesise(edition: Edition, factor: int) -> Edition:
    """The edition with `factor` × its services: each service cloned under new ids."""
    sections = []
    for section in edition.sections:
        services = tuple(s if n == 0 else replace(s, id=f"{s.id}-copy-{n}")
                         for n in range(factor) for s in section.services)
        sections.append(replace(section, services=services))
    return replace(edition, sections=tuple(sections))


# -- figures: each returns its measurements ------------------------------------------------

def diff_real_pair(old: Edition, new: Edition) -> tuple[float, float, int]:
    """Median and best ms to diff the two real editions (already loaded), and how many changes
    (the best run shows what the code costs when the machine is busy with other work)."""
    times = timings_ms(lambda: diff(old, new))
    return statistics.median(times), min(times), len(diff(old, new))


def diff_and_render(old: Edition, new: Edition) -> dict[str, float]:
    """Median ms to diff the real pair and render it (word-level ops included), per format."""
    return {fmt: median_ms(lambda fmt=fmt: render(fmt, diff(old, new), old.year, new.year), runs=7)
            for fmt in ("text", "markdown", "json", "csv")}


def diff_growth(old: Edition, new: Edition, factors=(1, 4, 16)) -> list[tuple[int, int, float]]:
    """(factor, services per edition, median ms) for editions with `factor` × the services."""
    rows = []
    for factor in factors:
        a, b = synthesise(old, factor), synthesise(new, factor)
        rows.append((factor, len(b.services()), median_ms(lambda: diff(a, b), runs=max(3, RUNS // factor))))
    return rows


def main() -> int:
    library = load_library(ROOT)
    years = sorted(library.editions)
    old, new = library.editions[years[-2]], library.editions[years[-1]]
    median, best, changes = diff_real_pair(old, new)
    print(f"diff {old.year} → {new.year} (after loading): {median:.1f} ms median of {RUNS} runs "
          f"(best {best:.1f} ms), {changes} changes")
    for fmt, total in diff_and_render(old, new).items():
        print(f"diff + render {fmt}: {total:.1f} ms")
    print("diff time by number of services (services cloned under new ids):")
    for factor, services, total in diff_growth(old, new):
        print(f"  {factor:>2}× {services:>4} services: {total:8.1f} ms  ({total / services:.2f} ms per service)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
