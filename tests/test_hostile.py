"""Hostile input: every case is one located refusal, bounded in time and memory, never a traceback.

The corpus covers the five classes of issue 8 (data loss through the output folder, tiny
inputs that exhaust time or memory, tracebacks on editor input, reads outside the project,
loose patterns) and the smaller findings measured with them (YAML 1.1 readings, bad bytes,
stray edition folders, no editions/). Each case runs the real command in-process under
tracemalloc and asserts: exit status 1, a message naming the file (and line where there is
one), no traceback, under SECONDS seconds of CPU time (wall time on a shared machine measures
the neighbours) and PEAK_MB of allocations. Then a hypothesis test
mutates the bytes of the real editions and finds no crash in validate, check-source or diff.
"""
# The corpus is a table, one case per line: its long lines read better than wrapped ones.
# ruff: noqa: E501
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import time
import tracemalloc
from pathlib import Path

import markdown  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, make_project, run_cli
from generator.edition.loader import MAX_BYTES, MAX_DEPTH, MAX_NODES
from generator.edition.validate import load_library
from generator.site.render import render_site

SECONDS = 5.0
PEAK_MB = 200

SECTION = "editions/2030/test-visas.yaml"
META = "editions/2030/edition.yaml"
CATALOGUE = "content/documents/docs.yaml"


def edit(rel: str, old: str, new: str, count: int = 1):
    def apply(root: Path) -> None:
        file = root / rel
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        file.write_text(text.replace(old, new, count), encoding="utf-8")
    return apply


def write(rel: str, content: str | bytes):
    def apply(root: Path) -> None:
        file = root / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            file.write_bytes(content)
        else:
            file.write_text(content, encoding="utf-8")
    return apply


def link(rel: str, target: str):
    def apply(root: Path) -> None:
        file = root / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        if file.exists() or file.is_symlink():
            file.unlink()
        os.symlink(target, file)
    return apply


def mkdir(rel: str):
    return lambda root: (root / rel).mkdir(parents=True)


def both(*steps):
    def apply(root: Path) -> None:
        for step in steps:
            step(root)
    return apply


def alias_bomb(levels: int, width: int) -> str:
    lines = ["- id: consent-form", "  name: {en: a, ru: b}", "- id: x0", "  name: &a0 {en: a, ru: b}"]
    for i in range(1, levels):
        lines.append(f"- id: x{i}")
        lines.append(f"  name: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def outside_file(root: Path) -> str:
    """A file beside the project (never inside it), for links that lead out."""
    secret = root.parent / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-THE-PROJECT\n", encoding="utf-8")
    return str(secret)


def link_out(rel: str):
    return lambda root: link(rel, outside_file(root))(root)


def copy_out_and_link(rel: str):
    """Move a real project file outside and leave a link to it: valid content, wrong place."""
    def apply(root: Path) -> None:
        moved = root.parent / ("moved-" + Path(rel).name)
        shutil.move(root / rel, moved)
        os.symlink(moved, root / rel)
    return apply


def non_utf8(root: Path) -> None:
    file = root / SECTION
    file.write_bytes(file.read_bytes().replace(b"Original passport", b"Original \xe9 passport", 1))


def build_into(rel: str) -> tuple[str, ...]:
    return ("build", "--site-dir", "{root}/" + rel)


# (id, class, setup, command, expected text in stderr — the file, and its line where there is one)
CASES = [
    # -- 1. data loss: the output folder --------------------------------------------------------
    ("site-dir-project-root", "data loss", None, build_into("."), "is the project folder"),
    ("site-dir-editions", "data loss", None, build_into("editions"), "editions holds files that guidebook did not build"),
    ("site-dir-content", "data loss", None, build_into("content"), "content holds files that guidebook did not build"),
    ("site-dir-inside-content", "data loss", None, build_into("content/documents"), "lies inside the project's folder content/"),
    ("site-dir-new-inside-editions", "data loss", None, build_into("editions/2030/site"), "lies inside the project's folder editions/"),
    ("site-dir-parent-of-project", "data loss", None, build_into(".."), "contains the project folder"),
    ("site-dir-unrelated-files", "data loss", write("notes/todo.txt", "keep me\n"), build_into("notes"), "notes holds files that guidebook did not build"),
    ("site-dir-is-a-file", "data loss", write("notes.txt", "keep me\n"), build_into("notes.txt"), "notes.txt exists and is not a folder"),
    ("site-dir-link-to-editions", "data loss", link("out", "editions"), build_into("out"), "out holds files that guidebook did not build"),
    ("site-dir-unmarked-site", "data loss", write("site/index.html", "<p>hand-made</p>\n"), build_into("site"), "site holds files that guidebook did not build"),
    # -- 2. tiny inputs, huge costs --------------------------------------------------------------
    ("alias-bomb-7x9", "resources", write(CATALOGUE, alias_bomb(7, 9)), ("validate",), f"{CATALOGUE}:4:9: expected plain YAML data, found the anchor &a0"),
    ("billion-laughs-9x9", "resources", write(CATALOGUE, alias_bomb(9, 9)), ("validate",), f"{CATALOGUE}:4:9: "),
    ("single-alias", "resources", write(CATALOGUE, "- id: x\n  name: *n\n"), ("validate",), f"{CATALOGUE}:2:9: expected plain YAML data, found the alias *n"),
    ("merge-key", "resources", write(CATALOGUE, "- id: x\n  name: {<<: {en: a}, ru: b}\n"), ("validate",), f"{CATALOGUE}:2:10: [0].name: expected a text key, found the merge key <<"),
    ("nesting-500-flow", "resources", write(CATALOGUE, "[" * 500 + "]" * 500 + "\n"), ("validate",), f"{CATALOGUE}:1:{MAX_DEPTH + 1}: expected values nested at most {MAX_DEPTH} levels"),
    ("nesting-500-block", "resources", write(CATALOGUE, "".join("  " * i + "-\n" for i in range(500))), ("validate",), f"{CATALOGUE}:{MAX_DEPTH + 1}:"),
    ("nodes-over-limit", "resources", write(CATALOGUE, "[" + "1," * (MAX_NODES + 1) + "]\n"), ("validate",), f"{CATALOGUE}:1:{2 * MAX_NODES}: expected at most {MAX_NODES:,} values"),
    ("file-over-size-limit", "resources", write(CATALOGUE, "# " + "x" * MAX_BYTES + "\n"), ("validate",), f"{CATALOGUE}:1:1: expected a file of at most {MAX_BYTES // 1024} KB"),
    ("mci-exponent-underflow", "resources", edit(SECTION, "mci: 0.5, kzt: 2000", "mci: 1.0e-999999999, kzt: 0"), ("diff", "2030", "2030", "--format", "json"), f"{SECTION}:31:28: services[0].steps[0].fees.options[0].state.mci: expected a number of at most 30 digits"),
    ("kzt-exponent-underflow", "resources", edit(SECTION, "kzt: 2000", "kzt: 1.0e-999999999"), ("validate",), f"{SECTION}:31:38: "),
    ("mci-exponent-overflow", "resources", edit(SECTION, "mci: 0.5", "mci: 1.0e+999999999"), ("validate",), f"{SECTION}:31:28: services[0].steps[0].fees.options[0].state.mci: expected a number of at most 30 digits"),
    ("fee-zero-with-huge-exponent", "resources", edit(SECTION, "service: 40000", "service: 0e-999999999"), ("validate",), f"{SECTION}:29:24: "),
    ("copies-5000-digits", "resources", edit(SECTION, "forms: [original]", "forms: [original]\n            copies: " + "9" * 5000), ("validate",), f"{SECTION}:23:21: services[0].steps[0].documents[1].copies: expected a number of at most 30 digits"),
    ("fee-5000-digits", "resources", edit(SECTION, "service: 40000", "service: " + "9" * 5000), ("build", "--site-dir", "{root}/out"), f"{SECTION}:29:24: "),
    ("float-5000-digits", "resources", edit(SECTION, "service: 40000", "service: 0." + "1" * 5000), ("validate",), f"{SECTION}:29:24: "),
    ("hex-huge", "resources", edit(SECTION, "service: 40000", "service: 0x" + "f" * 200), ("validate",), f"{SECTION}:29:24: "),
    ("sexagesimal-huge", "resources", edit(SECTION, "service: 40000", "service: " + ":".join(["59"] * 40)), ("validate",), f"{SECTION}:29:24: "),
    ("mci-three-decimals", "resources", edit(SECTION, "mci: 0.5, kzt: 2000", "mci: 0.125, kzt: 500"), ("validate",), f"{SECTION}:31:28: services[0].steps[0].fees.options[0].state.mci: expected a number of MCI with at most 2 decimals"),
    ("mci-too-large", "resources", edit(SECTION, "mci: 0.5, kzt: 2000", "mci: 20000, kzt: 80000000"), ("validate",), f"{SECTION}:31:28: services[0].steps[0].fees.options[0].state.mci: expected a number of MCI of at most 10000"),
    ("money-three-decimals", "resources", edit(SECTION, "service: 40000", "service: 40000.125"), ("validate",), f"{SECTION}:29:24: services[0].steps[0].fees.options[0].service: expected an amount in KZT with at most 2 decimals"),
    ("money-too-large", "resources", edit(SECTION, "service: 40000", "service: 10000000000000"), ("validate",), f"{SECTION}:29:24: services[0].steps[0].fees.options[0].service: expected an amount in KZT below"),
    ("copies-too-many", "resources", edit(SECTION, "forms: [original]", "forms: [original]\n            copies: 99999999"), ("validate",), f"{SECTION}:23:21: services[0].steps[0].documents[1].copies: expected a number of copies (1 or more), at most 1000000"),
    ("timeframe-too-long", "resources", edit(SECTION, "max: 5,", "max: 5000000000,"), ("validate",), f"{SECTION}:32:40: services[0].steps[0].fees.options[0].timeframe.max: expected a whole number of units (1 or more), at most 1000000"),
    ("mci-kzt-too-large", "resources", edit(META, "mci_kzt: 4000", "mci_kzt: 400000000000"), ("validate",), f"{META}:6:10: mci_kzt: expected the KZT value of 1 MCI"),
    ("year-five-digits", "resources", edit(META, "year: 2030", "year: 20300"), ("validate",), f"{META}:1:7: year: expected a year (e.g. 2026), at most 9999"),
    # -- 3. no traceback on editor input -----------------------------------------------------------
    ("dangling-link-in-catalogue", "tracebacks", link("content/documents/gone.yaml", "nowhere.yaml"), ("validate",), "content/documents/gone.yaml: expected a file, found a dangling symbolic link"),
    ("link-loop-in-catalogue", "tracebacks", both(link("content/documents/a.yaml", "b.yaml"), link("content/documents/b.yaml", "a.yaml")), ("validate",), "content/documents/a.yaml: expected a file, found a symbolic link that cannot be resolved"),
    ("folder-named-yaml", "tracebacks", mkdir("content/documents/x.yaml"), ("validate",), "content/documents/x.yaml: expected a file, found a folder"),
    ("edition-folder-superscript", "tracebacks", mkdir("editions/²"), ("validate",), "editions/²: expected an edition folder named by its year in four ASCII digits"),
    ("edition-folder-arabic-digits", "tracebacks", mkdir("editions/٢٠٢٦"), ("validate",), "editions/٢٠٢٦: expected an edition folder named"),
    ("edition-folder-leading-zero", "tracebacks", mkdir("editions/02026"), ("validate",), "editions/02026: expected an edition folder named"),
    ("edition-folder-word", "tracebacks", mkdir("editions/drafts"), ("validate",), "editions/drafts: expected an edition folder named"),
    ("stray-yaml-in-editions", "tracebacks", write("editions/notes.yaml", "a: 1\n"), ("validate",), "editions/notes.yaml: expected only edition folders"),
    ("no-editions-folder", "tracebacks", lambda root: shutil.rmtree(root / "editions"), ("validate",), "editions: expected the editions folder"),
    ("editions-is-a-file", "tracebacks", both(lambda root: shutil.rmtree(root / "editions"), write("editions", "x")), ("validate",), "editions: expected the editions folder"),
    ("edition-yaml-is-a-folder", "tracebacks", both(lambda root: (root / META).unlink(), mkdir(META)), ("validate",), f"{META}: expected a file, found a folder"),
    ("edition-yaml-dangling", "tracebacks", link(META, "gone.yaml"), ("validate",), f"{META}: expected a file, found a dangling symbolic link"),
    ("section-file-is-a-folder", "tracebacks", both(lambda root: (root / SECTION).unlink(), mkdir(SECTION)), ("validate",), f"{SECTION}: expected a file, found a folder"),
    ("seed-is-a-folder", "tracebacks", both(mkdir("editions/2030/sub"), edit(META, "source_file: seed.txt", "source_file: sub")), ("check-source", "2030"), f"{META}:4:14: source_file: expected a file, found a folder ('sub')"),
    ("seed-missing", "tracebacks", edit(META, "source_file: seed.txt", "source_file: gone.txt"), ("check-source", "2030"), f"{META}:4:14: source_file: expected a file beside edition.yaml, found no file 'gone.txt'"),
    ("seed-not-utf8", "tracebacks", write("editions/2030/seed.txt", b"GUIDEBOOK\n\xff\xfe broken\n"), ("check-source", "2030"), f"{META}:4:14: source_file: expected UTF-8 text, found the byte 0xff on line 2"),
    ("non-utf8-byte", "tracebacks", non_utf8, ("validate",), f"{SECTION}:21:34: expected UTF-8 text, found the byte 0xe9"),
    ("nul-byte", "tracebacks", write(CATALOGUE, "- id: a\x00b\n"), ("validate",), f"{CATALOGUE}:1:8: expected printable text, found the character U+0000"),
    ("empty-catalogue-file", "tracebacks", write(CATALOGUE, ""), ("validate",), f"{CATALOGUE}:1:1: expected a list"),
    ("two-documents", "tracebacks", write(CATALOGUE, "- id: a\n---\n- id: b\n"), ("validate",), f"{CATALOGUE}:2:1: YAML syntax error: expected a single document"),
    ("tab-indentation", "tracebacks", write(CATALOGUE, "- id: a\n\tname: b\n"), ("validate",), f"{CATALOGUE}:2:1: YAML syntax error"),
    ("undefined-tag-handle", "tracebacks", write(CATALOGUE, "- id: !x!y a\n"), ("validate",), f"{CATALOGUE}:1:7: YAML syntax error"),
    ("python-tag", "tracebacks", write(CATALOGUE, "- id: !!python/name:os.system a\n"), ("validate",), f"{CATALOGUE}:1:7: [0].id: expected plain YAML data, found the tag !!python/name:os.system"),
    ("binary-tag", "tracebacks", write(CATALOGUE, "- id: !!binary aGVsbG8=\n"), ("validate",), f"{CATALOGUE}:1:7: [0].id: expected plain YAML data, found the tag !!binary"),
    ("impossible-date", "tracebacks", edit(META, "effective_from: 2030-01-01", "effective_from: 2030-02-30"), ("validate",), f"{META}:5:17: effective_from: expected a valid timestamp"),
    ("list-as-key", "tracebacks", write(CATALOGUE, "- [a]: 1\n"), ("validate",), f"{CATALOGUE}:1:3: [0]: expected a text key, found 'a list or mapping'"),
    ("inf-fee", "tracebacks", edit(SECTION, "service: 40000", "service: .inf"), ("validate",), f"{SECTION}:29:24: services[0].steps[0].fees.options[0].service: expected an amount in KZT"),
    ("nan-mci", "tracebacks", edit(SECTION, "mci: 0.5, kzt: 2000", "mci: .nan, kzt: 2000"), ("validate",), f"{SECTION}:31:28: services[0].steps[0].fees.options[0].state.mci: expected a number of MCI"),
    ("year-argument-superscript", "tracebacks", None, ("validate", "²"), "unknown edition '²'"),
    ("diff-argument-arabic", "tracebacks", None, ("diff", "2030", "٢٠٣٠"), "unknown edition '٢٠٣٠'"),
    ("diff-output-is-a-folder", "tracebacks", mkdir("out"), ("diff", "2030", "2030", "--output", "{root}/out"), "cannot write"),
    ("new-edition-five-digit-year", "tracebacks", None, ("new-edition", "20310", "--from", "2030", "--mci", "4000"), "expected the new edition's year in four digits"),
    # -- 4. reads outside the project ----------------------------------------------------------
    ("seed-parent-path", "confinement", edit(META, "source_file: seed.txt", "source_file: ../../../../../../etc/passwd"), ("check-source", "2030"), f"{META}:4:14: source_file: expected a file name beside edition.yaml (no folders)"),
    ("seed-proc-environ", "confinement", edit(META, "source_file: seed.txt", "source_file: /proc/self/environ"), ("check-source", "2030"), f"{META}:4:14: source_file: expected a file name beside edition.yaml"),
    ("seed-link-outside", "confinement", both(link_out("editions/2030/leak.txt"), edit(META, "source_file: seed.txt", "source_file: leak.txt")), ("check-source", "2030"), f"{META}:4:14: source_file: expected a file inside the project"),
    ("catalogue-link-outside", "confinement", copy_out_and_link(CATALOGUE), ("validate",), f"{CATALOGUE}: expected a file inside the project"),
    ("section-link-outside", "confinement", copy_out_and_link(SECTION), ("validate",), f"{SECTION}: expected a file inside the project"),
    ("edition-yaml-link-outside", "confinement", copy_out_and_link(META), ("validate",), f"{META}: expected a file inside the project"),
    ("ui-link-outside", "confinement", copy_out_and_link("content/ui.yaml"), ("validate",), "content/ui.yaml: expected a file inside the project"),
    ("page-link-outside", "confinement", link_out("content/pages/en/leak.md"), ("validate",), "content/pages/en/leak.md: expected a file or folder inside the project"),
    ("template-link-outside", "confinement", link_out("site_templates/leak.md.j2"), ("validate",), "site_templates/leak.md.j2: expected a file or folder inside the project"),
    ("template-folder-link-outside", "confinement", lambda root: os.symlink(root.parent, root / "site_templates" / "up"), ("validate",), "site_templates/up: expected a file or folder inside the project"),
    ("dangling-template-link", "confinement", link("site_templates/gone.j2", "nowhere.j2"), ("validate",), "site_templates/gone.j2: expected a file or folder, found a symbolic link that leads nowhere"),
    # -- 5. exact patterns ---------------------------------------------------------------------
    ("service-id-final-newline", "patterns", edit(SECTION, "- id: visa-inside", '- id: "visa-inside\\n"'), ("validate",), f"{SECTION}:5:9: services[0].id: expected an id in lower-case kebab-case"),
    ("document-id-final-newline", "patterns", edit(CATALOGUE, "- id: passport", '- id: "passport\\n"'), ("validate",), f"{CATALOGUE}:3:7: [1].id: expected an id in lower-case kebab-case"),
    ("section-id-final-newline", "patterns", edit(META, "sections: [test-visas]", 'sections: ["test-visas\\n"]'), ("validate",), f"{META}:14:12: sections[0]: expected an id"),
    ("hours-final-newline", "patterns", edit(META, 'open: "09:00-18:00"', 'open: "09:00-18:00\\n"'), ("validate",), f"{META}:23:9: schedule.open: expected opening hours as 'HH:MM-HH:MM'"),
    ("hours-unicode-digits", "patterns", edit(META, 'open: "09:00-18:00"', 'open: "٠٩:00-18:00"'), ("validate",), f"{META}:23:9: schedule.open: expected opening hours"),
    ("email-final-newline", "patterns", edit(META, "email: expat@example.kz", 'email: "expat@example.kz\\n"'), ("validate",), f"{META}:17:10: contacts.email: expected an e-mail address"),
    ("phone-final-newline", "patterns", edit(META, '"+7 (7172) 00 00 01"', '"+7 (7172) 00 00 01\\n"'), ("validate",), f"{META}:19:16: contacts.phones[0].number: expected a phone number"),
    ("phone-unicode-digits", "patterns", edit(META, '"+7 (7172) 00 00 01"', '"+٧ (٧١٧٢) ٠٠ ٠٠ ٠١"'), ("validate",), f"{META}:19:16: contacts.phones[0].number: expected a phone number"),
    ("footnote-marker-newline", "patterns", edit(SECTION, 'marker: "*"', 'marker: "*\\n"'), ("validate",), f"{SECTION}:39:23: services[0].steps[0].fees.footnotes[0].marker: expected a footnote marker"),
    # -- also measured: readings an editor can act on ------------------------------------------
    ("sexagesimal-hours", "editor messages", edit(META, 'lunch: "13:00-14:00"', "lunch: 13:00"), ("validate",), f"{META}:24:10: schedule.lunch: expected opening hours as 'HH:MM-HH:MM', found 780 (YAML reads the unquoted 13:00 as 780; if you meant the text, quote it: '13:00')"),
    ("norway-problem", "editor messages", edit(SECTION, 'ru: "Для эксперта"', "ru: No"), ("validate",), f"{SECTION}:33:45: services[0].steps[0].fees.options[1].label.ru: expected a text, found false (YAML reads the unquoted No as false; if you meant the text, quote it: 'No')"),
    ("octal-looking-text", "editor messages", edit(SECTION, 'ru: "Для эксперта"', "ru: 017"), ("validate",), f"{SECTION}:33:45: services[0].steps[0].fees.options[1].label.ru: expected a text, found 15 (YAML reads the unquoted 017 as 15; if you meant the text, quote it: '017')"),
]


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry of the project (links as their target), to prove a refusal changed nothing."""
    out: dict[str, bytes | str] = {}
    for parent, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(parent) / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[key] = "-> " + os.readlink(path)
            elif path.is_file():
                out[key] = path.read_bytes()
            else:
                out[key] = "dir"
    return out


def test_the_corpus_is_large_and_covers_every_class():
    assert len(CASES) >= 60
    assert len({c[0] for c in CASES}) == len(CASES)
    assert {c[1] for c in CASES} == {"data loss", "resources", "tracebacks", "confinement", "patterns",
                                     "editor messages"}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_is_one_located_refusal(tmp_path, case):
    name, _class, setup, command, expected = case
    root = make_project(tmp_path, site=True)
    if setup is not None:
        setup(root)
    before = snapshot(root)
    argv = [part.replace("{root}", str(root)) for part in command]
    tracemalloc.start()
    started = time.process_time()
    try:
        status, out, err = run_cli("--root", str(root), *argv)
    finally:
        elapsed = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert status in (1, 2), (status, out, err)
    assert expected in err, err
    assert "Traceback" not in err + out
    assert "SECRET-OUTSIDE-THE-PROJECT" not in err + out
    assert elapsed < SECONDS, f"{elapsed:.2f} s"
    assert peak < PEAK_MB * 2**20, f"{peak / 2**20:.0f} MB"
    assert snapshot(root) == before  # a refusal leaves everything as it was


def test_refused_output_folders_keep_their_files(tmp_path):
    root = make_project(tmp_path, site=True)
    unrelated = tmp_path / "photos"
    unrelated.mkdir()
    (unrelated / "holiday.jpg").write_bytes(b"\xff\xd8 not really a photo")
    before = snapshot(tmp_path)
    for target in (root, root / "editions", root / "content", unrelated, tmp_path):
        status, _, err = run_cli("--root", str(root), "build", "--site-dir", str(target))
        assert status == 1 and err.startswith("guidebook: error: refusing to build: "), err
    assert snapshot(tmp_path) == before


def test_ui_label_is_text_never_a_link(tmp_path):
    root = make_project(tmp_path, site=True)
    ui = root / "content" / "ui.yaml"
    hostile = "[x](javascript:alert(1)) *b* {: onclick=alert(2) } <img src=x onerror=alert(3)>"
    ui.write_text(re.sub(r"^sections: .*$", f"sections: {{en: '{hostile}', ru: '{hostile}'}}",
                         ui.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE), encoding="utf-8")
    library = load_library(root)
    output = render_site(library, library.ui, root / "site_templates", root / "content" / "pages")
    page = output.files["en/2030/index.md"]
    assert "&#91;x&#93;(javascript:alert(1))" in page
    html = markdown.markdown(page, extensions=["attr_list", "tables", "md_in_html"])
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # only as text, never in an attribute
    assert "<img" not in html and "onclick" not in re.sub(r">[^<]*<", "><", html)
    assert "<em>" not in html  # *b* stays two asterisks around a b


def test_csv_cells_are_not_formulas_with_either_separator(tmp_path):
    root = make_project(tmp_path)
    shutil.copytree(root / "editions" / "2030", root / "editions" / "2031")
    edit("editions/2031/edition.yaml", "year: 2030", "year: 2031")(root)
    edit("editions/2031/test-visas.yaml", "Original passport", "Original passport;=HYPERLINK(\\\"http://x\\\");+1, @SUM(A1)")(root)
    status, out, err = run_cli("--root", str(root), "diff", "2030", "2031", "--format", "csv")
    assert status == 0, err
    assert "HYPERLINK" in out
    for separator in (",", ";"):
        for row in csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=separator):
            for cell in row:
                text = cell.strip(" ")
                assert text[:1] not in ("=", "+", "@") and not re.fullmatch(r"-[^0-9].*", text), (separator, cell)


# -- bytes of the real editions, mutated ------------------------------------------------------------
REAL_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "editions").glob("*/*.yaml"))


@pytest.fixture(scope="module")
def real_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("real") / "project"
    shutil.copytree(ROOT / "editions", root / "editions")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=st.sampled_from(REAL_FILES), data=st.data())
def test_mutated_bytes_of_real_editions_never_crash(real_copy, file, data):
    target = real_copy / file
    original = (ROOT / file).read_bytes()
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        at = data.draw(st.integers(0, max(len(mutated) - 1, 0)), label="at")
        kind = data.draw(st.sampled_from(["flip", "insert", "delete", "splice"]), label="kind")
        if kind == "flip" and mutated:
            mutated[at] = data.draw(st.integers(0, 255), label="byte")
        elif kind == "insert":
            mutated[at:at] = data.draw(st.sampled_from([b"*a", b"&a ", b"!!python/object ", b"\xff", b"\t", b"[",
                                                        b"{", b"\n- ", b": ", b"'", b"\x00", b"1e-999999999",
                                                        b"9" * 5000, b"\n<<: ", b"13:00", b"No"]), label="insert")
        elif kind == "delete":
            del mutated[at:at + data.draw(st.integers(1, 200), label="length")]
        else:
            start = data.draw(st.integers(0, len(original) - 1), label="from")
            mutated[at:at] = original[start:start + data.draw(st.integers(1, 300), label="length")]
    target.write_bytes(bytes(mutated))
    try:
        year = file.split("/")[1]
        years = sorted(p.name for p in (real_copy / "editions").iterdir() if p.is_dir())
        for argv in (("validate", year), ("check-source", year), ("diff", *years[-2:])):
            status, out, err = run_cli("--root", str(real_copy), *argv)
            assert status in (0, 1), (argv, status, err)
            assert "Traceback" not in err
            if status == 1 and argv[0] == "validate":
                assert re.search(r"^editions/\d{4}/[^:]+\.yaml(:\d+:\d+)?: ", err, re.MULTILINE), err
    finally:
        target.write_bytes(original)
