"""Command line → validated library → report on stdout/stderr and an exit status.

`guidebook validate [YEAR…]`, `check-source [YEAR…]`, `lint [YEAR…]`, `reanchor YEAR`, `build`,
`serve`, `diff OLD NEW`, `new-edition NEW --from OLD --mci KZT`, `register draft YEAR`. Like mkdocs,
the project is the nearest folder holding
`mkdocs.yml`, from the current folder (or `-C DIR`) upward; `-C`, `-q` and `-v` are accepted
before or after the subcommand. Problems in the YAML are printed one per line with a summary
and exit status 1; never a traceback. Ctrl-C (SIGINT) or SIGTERM stops any command cleanly:
the commands that edit the project write through a `transaction` (every old file or every new
one), a build's staging folder is removed, its child process is stopped, it exits 130 or 143
and says what it left. Every command first settles what a killed editing command left in
editions/ (`transaction.recover`), one line each.
"""
from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from importlib import metadata
from pathlib import Path

from .changes.diff import KINDS
from .changes.formats import FORMATS
from .edition.errors import ProblemsFound, summary
from .edition.paths import YEAR_FOLDER
from .edition.validate import available_years, load_library
from .editorial import check_source, transaction
from .editorial.locate import EditionSource
from .editorial.staging import note_left, signals_held

DISTRIBUTION = "expat-guidebook"
MARKER = "mkdocs.yml"


def find_project(start: Path) -> Path | None:
    """The nearest folder holding mkdocs.yml, from `start` upward; None if there is none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


def version() -> str:
    try:
        number = metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        number = "unknown (not installed)"
    return (f"guidebook {number} from {Path(__file__).resolve().parent} "
            f"(Python {sys.version_info.major}.{sys.version_info.minor})")


def _years(root: Path, wanted: list[str]) -> list[int]:
    """The editions asked for, or all; an unknown one is a usage error listing those there are."""
    there = available_years(root)
    if not wanted:
        return there
    chosen = []
    for text in wanted:
        if not YEAR_FOLDER.fullmatch(text) or int(text) not in there:
            listed = ", ".join(map(str, there)) or "none"
            raise SystemExit(_fail(f"unknown edition {text!r}; the editions there are: {listed}", status=2))
        chosen.append(int(text))
    return chosen


def _fail(message: str, status: int = 1) -> int:
    print(f"guidebook: error: {message}", file=sys.stderr)
    return status


def _say(args, text: str, level: int = 0) -> None:
    """Print `text` on stdout unless the verbosity (-v minus -q) is below `level`."""
    if args.verbose - args.quiet >= level:
        print(text)


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
    import os

    from .site.build import WriteFailed, build_site
    from .site.output import OutputRefused
    from .site.site_url import ENV, MISSING, BadSiteUrl, checked_site_url

    verbosity = args.verbose - args.quiet
    given = args.site_url if args.site_url is not None else os.environ.get(ENV)
    site_url = ""
    if given:
        try:
            site_url = checked_site_url(given)
        except BadSiteUrl as bad:
            source = "--site-url" if args.site_url is not None else ENV
            return _fail(f"{source}: {bad}; nothing was built")
    elif args.strict:
        return _fail(f"--strict: no site URL; give --site-url URL or set {ENV}; nothing was built")
    try:
        status = build_site(args.root, args.site_dir, drafts=args.drafts, quiet=verbosity < 0, verbose=verbosity > 0,
                            site_url=site_url)
    except ProblemsFound as found:
        return _report(found, "; the site was not built (site/ is unchanged)")
    except OutputRefused as refused:
        return _fail(f"refusing to build: {refused}; nothing was changed")
    except WriteFailed as failed:
        return _fail(f"{failed}; the site was not built (the previous one is unchanged)")
    if status == 0 and not site_url and verbosity < 0:  # otherwise MkDocs' log says it (site/hooks.py)
        print(f"guidebook: {MISSING}", file=sys.stderr)  # after the build: an error comes alone
    if status == 0:
        target = (args.site_dir or args.root / "site").resolve()
        _say(args, f"site built in {target}; preview it with: guidebook serve "
                   f"(or: python3 -m http.server --directory {target} 8000)")
    return status


def cmd_serve(args) -> int:
    """`guidebook serve`: a live preview that rebuilds on every edit."""
    from .site.build import AddressUnavailable, serve
    from .site.output import OutputRefused

    verbosity = args.verbose - args.quiet
    try:
        return serve(args.root, args.address, drafts=args.drafts, quiet=verbosity < 0, verbose=max(verbosity, 0))
    except ProblemsFound as found:
        return _report(found)
    except OutputRefused as refused:
        return _fail(f"refusing to serve: {refused}; nothing was changed")
    except AddressUnavailable as unavailable:
        return _fail(str(unavailable))


def cmd_new_edition(args) -> int:
    """`guidebook new-edition NEW --from OLD --mci KZT`: the old edition copied as a draft."""
    from .editorial.scaffold import ScaffoldError, new_edition
    from .editorial.transaction import TransactionError

    (old_year,) = _years(args.root, [args.source])
    try:
        report = new_edition(args.root, args.year, old_year, args.mci)
    except (ScaffoldError, TransactionError) as error:
        return _fail(str(error))
    except OSError as exc:
        return _fail(f"cannot create editions/{args.year}: {exc.strerror or exc}")
    except ProblemsFound as found:
        return _report(found, f"; editions/{args.year} was not created")
    _say(args, report)
    return 0


def cmd_validate(args) -> int:
    years = _years(args.root, args.years)
    # An edition is checked against the one before it (its register, its translations), so
    # `validate 2026` loads 2025 too; only the pairs ending in a named edition are checked.
    there = available_years(args.root)
    previous = {there[there.index(year) - 1] for year in years if there.index(year) > 0}
    library = _load(args.root, sorted(set(years) | previous))
    if library is None:
        return 1
    from .changes import register, symmetry
    from .site.labels import missing_labels
    newer = set(years)
    problems = (symmetry.check(library, args.root, newer) + register.check(library, args.root, newer)
                + missing_labels(args.root, library.ui))
    problems += _search_word_problems(args.root, library, there)  # content/search.yaml, against the print
    if problems:
        return _report(ProblemsFound(problems))
    for year in years:
        edition = library.editions[year]
        services = sum(len(s.services) for s in edition.sections)
        gaps = register.draft_gaps(library, args.root, year)
        unexplained = ""
        if gaps is not None and gaps[1]:
            previous_year, uncovered, total = gaps
            unexplained = (f"; {uncovered} of its {total} change(s) since {previous_year} not yet covered by its "
                           f"register (editions/{year}/changes.yaml), which publishing needs")
        unread = register.drafted(args.root, year) if edition.status == "draft" else 0
        if unread:
            unexplained += (f"; {unread} register entr{'y' if unread == 1 else 'ies'} drafted by `guidebook register "
                            "draft`, not yet read by an editor (draft: true)")
        _say(args, f"{year}: ok ({edition.status}, {len(edition.sections)} sections, {services} services){unexplained}")
        for section in edition.sections:
            _say(args, f"  editions/{year}/{section.id}.yaml: {len(section.services)} services", level=1)
    return 0


def _search_word_problems(root: Path, library, there: list[int]) -> list:
    """content/search.yaml's problems, its vocabulary checked against every edition (loaded
    here when `validate` named only some; an edition that does not load is reported by its
    own validation, and the vocabulary is then checked against those that did)."""
    from .site.search_words import read_search_words

    editions = library.editions
    if set(there) - set(editions):
        with contextlib.suppress(ProblemsFound):
            editions = load_library(root).editions
    try:
        read_search_words(root, editions)
    except ProblemsFound as found:
        return list(found.problems)
    return []


def cmd_check_source(args) -> int:
    """`guidebook check-source [YEAR…]`: each edition against its printed seed.

    Without YEAR, every edition is checked except drafts that have no printed text yet (a
    fresh `new-edition`), so a draft never turns `make site` red; naming one checks it."""
    from .editorial.check_lines import check_change_lines
    from .editorial.reanchor import moved_first

    years = _years(args.root, args.years)
    everything = available_years(args.root)
    # each edition's predecessor too: the changes into it must cite the lines that print them
    wanted = sorted({y for year in years for y in (year, *[p for p in everything if p < year][-1:])})
    library = _load(args.root, wanted)
    if library is None:
        return 1
    status = 0
    for year in years:
        edition = library.editions[year]
        if edition.source_file is None:
            if not args.years and edition.status == "draft":
                _say(args, f"check-source {year}: skipped, a draft with no printed text yet (source_file: null)")
                continue
            print(f"check-source {year}: the draft has no printed text yet (source_file: null); "
                  "add the seed file beside edition.yaml and name it there")
            status = 1
            continue
        coverage = check_source.check_source(edition, args.root / "editions" / str(year) / edition.source_file,
                                             EditionSource(args.root, year))
        before = [y for y in library.editions if y < year]
        if before and library.editions[before[-1]].printed:
            for problem in check_change_lines(library.editions[before[-1]], edition):
                coverage.wrong.append(problem)
        if not coverage.complete:
            status = 1
            misses = len(coverage.missing) + len(coverage.extra) + len(coverage.wrong)
            hint = moved_first(edition, args.root / "editions" / str(year) / edition.source_file, misses)
            if hint is not None:
                print(f"check-source {year}: {hint}")
            print(check_source.report(edition, coverage))
        else:
            _say(args, check_source.report(edition, coverage))
    from .site.search_words import read_search_words
    try:  # the search vocabulary's citations of the checked editions' printed lines
        read_search_words(args.root, {y: library.editions[y] for y in years
                                      if library.editions[y].source_file}, against_print=True)
    except ProblemsFound as found:
        status = 1
        for vocabulary_problem in found.problems:
            print(vocabulary_problem)
    return status


def cmd_reanchor(args) -> int:
    """`guidebook reanchor YEAR`: every provenance line re-found in the seed and rewritten."""
    from .editorial.reanchor import reanchor
    from .editorial.transaction import TransactionError

    (year,) = _years(args.root, [args.year])
    library = _load(args.root, [year])
    if library is None:
        return 1
    edition = library.editions[year]
    if edition.source_file is None:
        return _fail(f"editions/{year} has no printed text yet (source_file: null); nothing to re-find")
    try:
        result, report = reanchor(args.root, edition)
    except TransactionError as error:
        return _fail(str(error))
    except ProblemsFound as found:
        return _report(found, f"; editions/{year} was not changed")
    print(report)
    return 1 if result.lost or result.ambiguous else 0


def cmd_register(args) -> int:
    """`guidebook register draft YEAR`: an entry drafted for each change the register does not cover."""
    from .editorial.register_draft import DraftRefused, draft_register
    from .editorial.transaction import TransactionError

    (year,) = _years(args.root, [args.year])
    there = available_years(args.root)
    library = _load(args.root, there[max(0, there.index(year) - 1):there.index(year) + 1])
    if library is None:
        return 1
    try:
        report, status = draft_register(args.root, library, year)
    except (DraftRefused, TransactionError) as error:
        return _fail(str(error))
    except ProblemsFound as found:
        return _report(found, f"; editions/{year}/changes.yaml was not changed")
    if status:
        print(report, file=sys.stderr)
    else:
        _say(args, report)
    return status


def cmd_lint(args) -> int:
    """`guidebook lint [YEAR…]`: editorial findings; exit 1 while any is neither fixed by sic nor waived."""
    from .editorial.lint import lint_years

    years = _years(args.root, args.years)
    library = _load(args.root, years)
    if library is None:
        return 1
    status = 0
    for result in lint_years(args.root, library, years):
        for finding in result.findings:
            if args.all or finding.status == "open":
                print(finding)
        print(result.summary())
        status = status or (1 if result.open else 0)
    return status


def cmd_diff(args) -> int:
    """`guidebook diff OLD NEW`: every change between two editions, filtered, in one format."""
    from .changes import diff, formats, register
    from .changes.names import Names

    if args.kind is not None and args.kind not in KINDS:
        return _fail(f"unknown kind {args.kind!r}; the kinds there are: {', '.join(KINDS)}", status=2)
    old_year, new_year = _years(args.root, [args.old, args.new])
    library = _load(args.root, sorted({old_year, new_year}))
    if library is None:
        return 1
    old, new = library.editions[old_year], library.editions[new_year]
    if args.section is not None:
        sections = sorted({s.id for e in (old, new) for s in e.sections})
        if args.section not in sections:
            return _fail(f"unknown section {args.section!r}; the sections there are: {', '.join(sections)}", status=2)
    full = diff.diff(old, new)
    changes = [c for c in full
               if (not args.material_only or c.material)
               and (args.section is None or c.section == args.section)
               and (args.kind is None or c.kind == args.kind)]
    names = Names(old, new, library.documents, library.ui)
    explained = None if args.raw else register.explanation(args.root, old, new, changes, full=full)
    output = formats.render(args.format, changes, names, args.lang, explained, formats.group_ids(full))
    if args.output is None:
        sys.stdout.write(output)
    else:
        refused = _source_file(args.root, args.output)
        if refused:
            return _fail(f"--output {args.output}: {refused}; nothing was written")
        try:
            args.output.write_text(output, encoding="utf-8", newline="")
        except Interrupted as stop:
            note_left(stop, f"{args.output} may be incomplete")
            raise
        except OSError as exc:
            return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
        if args.verbose - args.quiet >= 0:
            print(f"{len(changes)} changes written to {args.output}", file=sys.stderr)
    return 0


# What a report written with --output may never replace: the project's sources and set-up.
SOURCE_FOLDERS = ("editions", "content", "site_templates", "generator", "schemas", "tests", "docs", "scripts",
                  ".git", ".ci")
SOURCE_FILES = ("mkdocs.yml", "pyproject.toml", "Makefile", "README.md", "package.json", "package-lock.json")


def _source_file(root: Path, output: Path) -> str | None:
    """Why `output` may not be written (a source of the project), or None."""
    try:
        target, project = output.resolve(), root.resolve()
    except (OSError, RuntimeError) as exc:
        return f"cannot resolve it ({exc})"
    if not target.is_relative_to(project):
        return None
    inside = target.relative_to(project).parts
    if inside[0] in SOURCE_FOLDERS or (len(inside) == 1 and inside[0] in SOURCE_FILES):
        return f"it is a source of the project ({'/'.join(inside)}); write the report elsewhere"
    return None


def _common_options(in_subcommand: bool) -> argparse.ArgumentParser:
    """-C/-q/-v, accepted before the subcommand and after it (where they must not reset it)."""
    unset = argparse.SUPPRESS if in_subcommand else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-C", "--root", type=Path, metavar="DIR", default=unset,
                        help="the project folder, or any folder inside it (default: the current folder); "
                             "the project is the nearest folder upward holding mkdocs.yml")
    common.add_argument("-q", "--quiet", action="count", default=unset if in_subcommand else 0,
                        help="print only problems and errors")
    common.add_argument("-v", "--verbose", action="count", default=unset if in_subcommand else 0,
                        help="print more detail (validate: each section file; build: MkDocs' debug output; "
                             "serve: MkDocs' notices, -vv its debug output)")
    return common


def _listed(values, none: str = "none found") -> str:
    return ", ".join(map(str, values)) or none


def build_parser(root: Path | None = None) -> argparse.ArgumentParser:
    """The `guidebook` parser; the help lists the editions and sections of `root` if it is known."""
    years = available_years(root) if root is not None else []
    sections = sorted({p.stem for year in years for p in (root / "editions" / str(year)).glob("*.yaml")
                       if p.name != "edition.yaml"}) if root is not None else []
    there = f"the editions there are: {_listed(years)}"
    parser = argparse.ArgumentParser(
        prog="guidebook", parents=[_common_options(False)],
        description="The Expat Centre guidebook: validate, compare and publish its editions. "
                    "Run it inside the project (or pass -C DIR), as with mkdocs.")
    parser.add_argument("--version", action="version", version=version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = [_common_options(True)]

    def command(name: str, run, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=common, help=help, description=help[0].upper() + help[1:] + ".")
        p.set_defaults(run=run)
        return p

    p = command("validate", cmd_validate, "check editions and report every problem with its location")
    p.add_argument("years", nargs="*", metavar="YEAR", help=f"an edition to check (default: all; {there})")
    p = command("check-source", cmd_check_source, "prove an edition's official text and figures match its printed seed")
    p.add_argument("years", nargs="*", metavar="YEAR",
                   help=f"an edition to check (default: all but drafts without printed text; {there})")
    p = command("build", cmd_build, "validate and build the site into site/ (English at /, Russian at /ru/)")
    p.add_argument("--site-dir", type=Path, default=None, metavar="DIR",
                   help="where to build (default: site/ in the project)")
    p.add_argument("--drafts", action="store_true", help="include draft editions (a preview; never for publishing)")
    p.add_argument("--site-url", default=None, metavar="URL",
                   help="the public address the site is served at, e.g. https://example.org/guidebook/ "
                        "(default: $GUIDEBOOK_SITE_URL; without one, pages carry no canonical, hreflang or sitemap URL)")
    p.add_argument("--strict", action="store_true",
                   help="a production build: a missing site URL is an error")
    p = command("serve", cmd_serve, "preview the site with live reload")
    p.add_argument("--address", default="127.0.0.1:8000", metavar="HOST:PORT",
                   help="where to serve (default: 127.0.0.1:8000)")
    p.add_argument("--drafts", action="store_true", help="include draft editions in the preview")
    p = command("reanchor", cmd_reanchor, "re-find every provenance line in the edition's seed and rewrite it in the YAML")
    p.add_argument("year", metavar="YEAR", help=f"the edition whose provenance lines to re-find ({there})")
    p = command("register", cmd_register, "draft the register of changes (editions/YEAR/changes.yaml): an entry for "
                "each change it does not cover yet, marked draft: true for an editor to read")
    p.add_argument("action", choices=("draft",), metavar="ACTION",
                   help="draft: append one entry per uncovered change (effect, services, selectors, summaries "
                        "drafted from the facts); nothing is changed when every change is covered")
    p.add_argument("year", metavar="YEAR", help=f"the edition whose register to draft, against the one before it ({there})")
    p = command("lint", cmd_lint, "editorial checks of the printed text (stale years, look-alike letters, "
                "doubled punctuation, wording slips, term forms, known misprints)")
    p.add_argument("years", nargs="*", metavar="YEAR", help=f"an edition to check (default: all; {there})")
    p.add_argument("--all", action="store_true", help="also list the findings fixed by sic or waived")
    p = command("diff", cmd_diff, "list every change between two editions (fees, documents, texts…)")
    p.add_argument("old", metavar="OLD", help=f"the earlier edition's year ({there})")
    p.add_argument("new", metavar="NEW", help="the later edition's year")
    p.add_argument("--format", choices=FORMATS, default="text", metavar="FORMAT",
                   help=f"one of: {_listed(FORMATS)} (default: text; csv is UTF-8 with BOM, for Excel)")
    p.add_argument("--material-only", action="store_true", help="only material changes")
    p.add_argument("--raw", action="store_true",
                   help="the changes as the diff finds them, without the register "
                        "(editions/NEW/changes.yaml) that groups and explains them")
    p.add_argument("--section", metavar="ID", help=f"only changes in this section (the sections there are: {_listed(sections)})")
    p.add_argument("--kind", metavar="KIND", help=f"only changes of this kind, one of: {_listed(KINDS)}")
    p.add_argument("--lang", choices=("en", "ru"), default="en",
                   help="the language things are named in (text, markdown; default: en)")
    p.add_argument("--output", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    p = command("new-edition", cmd_new_edition, "start a new edition as a draft copy of an earlier one")
    p.add_argument("year", type=int, metavar="NEW", help="the new edition's year (its folder must not exist yet)")
    p.add_argument("--from", dest="source", required=True, metavar="OLD", help=f"the edition to copy ({there})")
    p.add_argument("--mci", type=int, required=True, metavar="KZT",
                   help="the new edition's MCI in KZT (every state fee is recomputed with it)")
    return parser


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; unwinding runs every cleanup on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.status = 128 + signum


def _interrupt(signum, frame):
    # Cleanup must not be cut short by a second Ctrl-C: later signals are ignored.
    for each in (signal.SIGINT, signal.SIGTERM):
        signal.signal(each, signal.SIG_IGN)
    raise Interrupted(signum)


def _requested_root(argv: list[str]) -> Path | None:
    """The -C/--root value wherever it stands in argv (the help texts depend on the project)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("-C", "--root", type=Path)
    known, _ = early.parse_known_args(argv)
    return known.root


def main(argv: list[str] | None = None) -> int:
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {each: signal.signal(each, _interrupt) for each in (signal.SIGINT, signal.SIGTERM)}
    stops = {signal.SIGINT, signal.SIGTERM}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, set()) if previous else None  # the caller's, as it is
    try:
        try:
            transaction.COMMITTED.clear()
            return _run(sys.argv[1:] if argv is None else list(argv))
        finally:
            # The command is over: a signal from here waits until the handlers are put back (the
            # caller's handler answers it); one that came just before is answered below.
            if previous:
                signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    except Interrupted as stop:
        # a command that was writing says what it left (`left`); the others changed nothing
        done = "; ".join(transaction.COMMITTED)
        left = getattr(stop, "left", f"{done}: every file was written before it stopped" if done
                       else "nothing was changed")
        print(f"guidebook: interrupted by {signal.Signals(stop.args[0]).name}; {left}", file=sys.stderr)
        return stop.status
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _run(argv: list[str]) -> int:
    try:
        asked = _requested_root(argv)
    except SystemExit as exit_:  # -C without a folder: argparse has printed the usage error
        return exit_.code if isinstance(exit_.code, int) else 2
    start = asked if asked is not None else Path.cwd()
    root = find_project(start) if start.is_dir() else None
    try:
        args = build_parser(root).parse_args(argv)
    except SystemExit as exit_:  # --help, --version, usage errors
        return exit_.code if isinstance(exit_.code, int) else 2
    if asked is not None and not asked.is_dir():
        return _fail(f"-C {asked}: no such folder")
    if root is None:
        return _fail(f"no guidebook project in {start.resolve()} or any folder above it (no {MARKER}); "
                     "run guidebook inside the project, or name it with -C DIR")
    args.root = root
    with signals_held():  # what it settles is said, even if a signal comes meanwhile
        settled = transaction.recover(root)
    for line in settled:
        print(f"guidebook: {line}", file=sys.stderr)
    try:
        return args.run(args)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
