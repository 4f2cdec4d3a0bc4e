"""Command line → validated library → report on stdout/stderr and an exit status.

`guidebook validate [YEAR…]`, `check-source YEAR…`, `build`, `serve`, `diff OLD NEW`,
`new-edition NEW --from OLD --mci KZT`.
Problems in the YAML are printed one per line with a summary and exit status 1; never a
traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .editorial import check_source
from .edition.errors import ProblemsFound, summary
from .edition.validate import available_years, load_library

DEFAULT_ROOT = Path(__file__).resolve().parent.parent


def _years(root: Path, wanted: list[str]) -> list[int]:
    """The editions asked for, or all; an unknown one is a usage error listing those there are."""
    there = available_years(root)
    if not wanted:
        return there
    chosen = []
    for text in wanted:
        if not text.isdigit() or int(text) not in there:
            listed = ", ".join(map(str, there)) or "none"
            raise SystemExit(_fail(f"unknown edition {text!r}; the editions there are: {listed}", status=2))
        chosen.append(int(text))
    return chosen


def _fail(message: str, status: int = 1) -> int:
    print(f"guidebook: error: {message}", file=sys.stderr)
    return status


def _report(found: ProblemsFound, outcome: str = "") -> int:
    """Every problem on its own line, then the summary; the exit status for problems."""
    for problem in found.problems:
        print(problem, file=sys.stderr)
    print(summary(found.problems) + outcome, file=sys.stderr)
    return 1


def _load(root: Path, years: list[int]):
    try:
        return load_library(root, years)
    except ProblemsFound as found:
        _report(found)
        return None


def cmd_build(args) -> int:
    """`guidebook build`: validate, then build the whole site into site/ (all or nothing)."""
    from .site.build import build_site

    try:
        status = build_site(args.root, args.site_dir, drafts=args.drafts, quiet=args.quiet)
    except ProblemsFound as found:
        return _report(found, "; the site was not built (site/ is unchanged)")
    if status == 0:
        target = (args.site_dir or args.root / "site").resolve()
        print(f"site built in {target}; preview it with: guidebook serve "
              f"(or: python3 -m http.server --directory {target} 8000)")
    return status


def cmd_serve(args) -> int:
    """`guidebook serve`: a live preview that rebuilds on every edit."""
    from .site.build import serve

    try:
        return serve(args.root, args.address, drafts=args.drafts)
    except ProblemsFound as found:
        return _report(found)


def cmd_new_edition(args) -> int:
    """`guidebook new-edition NEW --from OLD --mci KZT`: the old edition copied as a draft."""
    from .editorial.scaffold import ScaffoldError, new_edition

    (old_year,) = _years(args.root, [args.source])
    try:
        report = new_edition(args.root, args.year, old_year, args.mci)
    except ScaffoldError as error:
        return _fail(str(error))
    except ProblemsFound as found:
        return _report(found, f"; editions/{args.year} was not created")
    print(report)
    return 0


def cmd_validate(args) -> int:
    years = _years(args.root, args.years)
    library = _load(args.root, years)
    if library is None:
        return 1
    for year in years:
        edition = library.editions[year]
        services = sum(len(s.services) for s in edition.sections)
        print(f"{year}: ok ({edition.status}, {len(edition.sections)} sections, {services} services)")
    return 0


def cmd_check_source(args) -> int:
    years = _years(args.root, args.years)
    library = _load(args.root, years)
    if library is None:
        return 1
    status = 0
    for year in years:
        edition = library.editions[year]
        if edition.source_file is None:
            print(f"check-source {year}: the draft has no printed text yet (source_file: null); "
                  "add the seed file beside edition.yaml and name it there")
            status = 1
            continue
        coverage = check_source.check_source(edition, args.root / "editions" / str(year) / edition.source_file)
        print(check_source.report(edition, coverage))
        if not coverage.complete:
            status = 1
    return status


def cmd_diff(args) -> int:
    """`guidebook diff OLD NEW`: every change between two editions, filtered, in one format."""
    from .changes import diff
    from .changes import formats

    if args.kind is not None and args.kind not in diff.KINDS:
        return _fail(f"unknown kind {args.kind!r}; the kinds there are: {', '.join(diff.KINDS)}", status=2)
    old_year, new_year = _years(args.root, [args.old, args.new])
    library = _load(args.root, sorted({old_year, new_year}))
    if library is None:
        return 1
    old, new = library.editions[old_year], library.editions[new_year]
    if args.section is not None:
        sections = sorted({s.id for e in (old, new) for s in e.sections})
        if args.section not in sections:
            return _fail(f"unknown section {args.section!r}; the sections there are: {', '.join(sections)}", status=2)
    changes = [c for c in diff.diff(old, new)
               if (not args.material_only or c.material)
               and (args.section is None or c.section == args.section)
               and (args.kind is None or c.kind == args.kind)]
    output = formats.render(args.format, changes, old_year, new_year)
    if args.output is None:
        sys.stdout.write(output)
    else:
        args.output.write_text(output, encoding="utf-8", newline="")
        print(f"{len(changes)} changes written to {args.output}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guidebook", description="The Expat Centre guidebook: validate and publish editions.")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                        help="project folder holding editions/ and content/ (default: this checkout)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("validate", help="check editions and report every problem with its location")
    p.add_argument("years", nargs="*", metavar="YEAR")
    p.set_defaults(run=cmd_validate)
    p = sub.add_parser("build", help="validate and build the site into site/ (English at /, Russian at /ru/)")
    p.add_argument("--site-dir", type=Path, default=None, help="where to build (default: site/ in the project)")
    p.add_argument("--drafts", action="store_true", help="include draft editions (a preview; never for publishing)")
    p.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    p.set_defaults(run=cmd_build)
    p = sub.add_parser("new-edition", help="start a new edition as a draft copy of an earlier one")
    p.add_argument("year", type=int, metavar="NEW", help="the new edition's year")
    p.add_argument("--from", dest="source", required=True, metavar="OLD", help="the edition to copy")
    p.add_argument("--mci", type=int, required=True, metavar="KZT", help="the new edition's MCI in KZT")
    p.set_defaults(run=cmd_new_edition)
    p = sub.add_parser("serve", help="preview the site with live reload")
    p.add_argument("--address", default="127.0.0.1:8000", help="host:port to serve on (default 127.0.0.1:8000)")
    p.add_argument("--drafts", action="store_true", help="include draft editions in the preview")
    p.set_defaults(run=cmd_serve)
    p = sub.add_parser("check-source", help="prove an edition's official text and figures match its seed")
    p.add_argument("years", nargs="*", metavar="YEAR")
    p.set_defaults(run=cmd_check_source)
    p = sub.add_parser("diff", help="list every change between two editions (fees, documents, texts…)")
    p.add_argument("old", metavar="OLD", help="the earlier edition's year")
    p.add_argument("new", metavar="NEW", help="the later edition's year")
    p.add_argument("--format", choices=("text", "markdown", "json", "csv"), default="text",
                   help="text (default), markdown, json or csv (UTF-8 with BOM, for Excel)")
    p.add_argument("--material-only", action="store_true", help="only material changes")
    p.add_argument("--section", metavar="ID", help="only changes in this section (e.g. other-services)")
    p.add_argument("--kind", metavar="KIND", help="only changes of this kind (fee, document, text…)")
    p.add_argument("--output", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=cmd_diff)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.root = args.root.resolve()
    try:
        return args.run(args)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
