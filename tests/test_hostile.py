"""Hostile input: every case is one located refusal, bounded in time and memory, never a traceback.

The corpus covers the five classes of issue 8 (data loss through the output folder, tiny
inputs that exhaust time or memory, tracebacks on editor input, reads outside the project,
loose patterns) and the smaller findings measured with them (YAML 1.1 readings, bad bytes,
stray edition folders, no editions/). Each case runs the real command in-process under
tracemalloc and asserts: exit status 1, a message naming the file (and line where there is
one), no traceback, under SECONDS seconds of CPU time (wall time on a shared machine measures
the neighbours) and, for the cases built to exhaust time or memory ("resources"), PEAK_MB of
allocations under tracemalloc (it slows the YAML loader about 4x, so the other classes run
untraced). Then a hypothesis test mutates the bytes of the real editions and finds no crash in validate, check-source or diff.

Like every test, these run inside the loader's parse cache (tests/conftest.py): a file whose
bytes are those of the last parse of that name (the real content/ui.yaml every fixture project
carries, the fixture files a case leaves as they are) is not parsed again. Each case's hostile file has bytes of its
own, so it is parsed, traced and timed in full; what is left out is the same parse of the same
bytes, case after case.
"""
# The corpus is a table, one case per line: its long lines read better than wrapped ones.
# ruff: noqa: E501
from __future__ import annotations

import csv
import errno
import html
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import markdown  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, copy_fixture_project, copy_project, make_project, run_cli
from generator.edition.loader import MAX_BYTES, MAX_DEPTH, MAX_NODES
from generator.edition.validate import load_library
from generator.site.output import MARKER
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
    # -- issue 21: injection through published text ----------------------------------------------
    ("bidi-override-in-title", "injection", edit(SECTION, '{en: "Test visa inside Kazakhstan"', '{en: "Test visa \\u202einside Kazakhstan"'), ("validate",), f"{SECTION}:7:17: services[0].title.en: expected printable text, found the character U+202E RIGHT-TO-LEFT OVERRIDE, an invisible bidirectional control"),
    ("bidi-isolate-raw", "injection", edit(SECTION, '{en: "Test visa inside Kazakhstan"', '{en: "Test visa \u2067inside Kazakhstan"'), ("validate",), f"{SECTION}:7:17: services[0].title.en: expected printable text, found the character U+2067 RIGHT-TO-LEFT ISOLATE"),
    ("zero-width-space-raw", "injection", edit(SECTION, '{en: "Original passport"', '{en: "Original\u200b passport"'), ("validate",), f"{SECTION}:21:24: services[0].steps[0].documents[1].text.en: expected printable text, found the character U+200B ZERO WIDTH SPACE, an invisible zero-width character, at character 9"),
    ("zero-width-joiner-in-key", "injection", edit(SECTION, "    title: {en: \"Test visa", "    \"ti\\u200dtle\": {en: \"Test visa"), ("validate",), f"{SECTION}:7:5: services[0]: expected printable text, found the character U+200D ZERO WIDTH JOINER"),
    ("bom-inside-text", "injection", edit(CATALOGUE, "- id: passport", "- id: passport\n  note: \"\\ufeffx\""), ("validate",), f"{CATALOGUE}:4:9: [1].note: expected printable text, found the character U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("escaped-bell", "injection", edit(SECTION, '{en: "Original passport"', '{en: "Original \\a passport"'), ("validate",), f"{SECTION}:21:24: services[0].steps[0].documents[1].text.en: expected printable text, found the character U+0007, a control character"),
    ("escaped-delete-breaks-front-matter", "injection", edit(SECTION, '{en: "Test visa inside Kazakhstan"', '{en: "Test visa \\x7f [x](javascript:alert(1))"'), ("build", "--site-dir", "{root}/out"), f"{SECTION}:7:17: services[0].title.en: expected printable text, found the character U+007F, a control character"),
    ("escaped-next-line", "injection", edit(SECTION, '{en: "Test visa inside Kazakhstan"', '{en: "Test visa \\N---"'), ("validate",), f"{SECTION}:7:17: services[0].title.en: expected printable text, found the character U+0085, a control character"),
    ("escaped-line-separator", "injection", edit(SECTION, '{en: "Test visa inside Kazakhstan"', '{en: "Test visa \\L---\\L"'), ("validate",), f"{SECTION}:7:17: services[0].title.en: expected printable text, found the character U+2028 LINE SEPARATOR"),
    ("private-use-character", "injection", edit(SECTION, '{en: "Original passport"', '{en: "Original \\ue000 passport"'), ("validate",), f"{SECTION}:21:24: services[0].steps[0].documents[1].text.en: expected printable text, found the character U+E000, a private-use character"),
    ("bidi-in-ui-label", "injection", lambda root: (root / "content/ui.yaml").write_text((root / "content/ui.yaml").read_text(encoding="utf-8").replace("home_title:", "home_title_x: {en: \"\\u202eabc\", ru: \"x\"}\nhome_title:", 1), encoding="utf-8"), ("validate",), "content/ui.yaml:"),
    ("email-with-query", "injection", edit(META, "email: expat@example.kz", 'email: "expat@example.kz?cc=x@evil.kz&body=hi"'), ("validate",), f"{META}:17:10: contacts.email: expected an e-mail address alone"),
    ("email-query-looking-like-domain", "injection", edit(META, "email: expat@example.kz", 'email: "expat@example.kz?body=hello.com"'), ("validate",), f"{META}:17:10: contacts.email: expected an e-mail address alone"),
    ("email-with-name", "injection", edit(META, "email: expat@example.kz", 'email: "Expat <expat@example.kz>"'), ("validate",), f"{META}:17:10: contacts.email: expected an e-mail address alone"),
    # -- issue 21: tracebacks, now located ---------------------------------------------------------
    ("tag-timestamp-garbage", "tracebacks", edit(META, "effective_from: 2030-01-01", "effective_from: !!timestamp garbage"), ("validate",), f"{META}:5:17: effective_from: expected plain YAML data, found the tag !!timestamp (tags are not allowed"),
    ("tag-bool-maybe", "tracebacks", edit(SECTION, "if_applicable: true", "if_applicable: !!bool maybe"), ("validate",), f"{SECTION}:19:28: services[0].steps[0].documents[0].if_applicable: expected plain YAML data, found the tag !!bool"),
    ("tag-int-abc", "tracebacks", edit(META, "mci_kzt: 4000", "mci_kzt: !!int abc"), ("validate",), f"{META}:6:10: mci_kzt: expected plain YAML data, found the tag !!int"),
    ("tag-int-on-valid-number", "tracebacks", edit(META, "mci_kzt: 4000", "mci_kzt: !!int 4000"), ("validate",), f"{META}:6:10: mci_kzt: expected plain YAML data, found the tag !!int"),
    ("tag-non-specific", "tracebacks", edit(META, "mci_kzt: 4000", "mci_kzt: ! 4000"), ("validate",), f"{META}:6:10: mci_kzt: expected plain YAML data, found the tag !"),
    ("tag-on-mapping", "tracebacks", edit(META, "schedule:\n", "schedule: !!map\n"), ("validate",), f"{META}:22:11: schedule: expected plain YAML data, found the tag !!map"),
    ("impossible-date-as-key", "tracebacks", write(CATALOGUE, "- id: a\n  2030-02-30: x\n"), ("validate",), f"{CATALOGUE}:2:3: [0]: expected a text key, found '2030-02-30' (YAML reads it as a timestamp, and it is not a valid one"),
    ("tagged-impossible-date-as-key", "tracebacks", write(CATALOGUE, "- id: a\n  ? !!timestamp 2030-02-30\n  : x\n"), ("validate",), f"{CATALOGUE}:2:5: [0]: expected plain YAML data, found the tag !!timestamp"),
    ("lone-surrogate", "tracebacks", edit(SECTION, '{en: "Original passport"', '{en: "Original \\ud800 passport"'), ("build", "--site-dir", "{root}/out"), f"{SECTION}:21:24: services[0].steps[0].documents[1].text.en: expected printable text, found the character U+D800, a lone surrogate"),
    ("escaped-surrogate-pair", "tracebacks", edit(SECTION, '{en: "Original passport"', '{en: "Original \\ud83d\\ude00 passport"'), ("validate",), f"{SECTION}:21:24: services[0].steps[0].documents[1].text.en: expected printable text, found the character U+D83D, a lone surrogate"),
    ("service-id-500-characters", "tracebacks", edit(SECTION, "- id: visa-inside", "- id: " + "a" * 500), ("build", "--site-dir", "{root}/out"), f"{SECTION}:5:9: services[0].id: expected an id of at most 80 characters, found one of 500"),
    ("document-id-500-characters", "tracebacks", both(edit(CATALOGUE, "- id: passport", "- id: " + "p" * 500), edit(SECTION, "doc: passport", "doc: " + "p" * 500)), ("validate",), f"{CATALOGUE}:3:7: [1].id: expected an id of at most 80 characters"),
    ("ui-label-missing", "tracebacks", edit("content/ui.yaml", "\nhome_title:", "\nhome_titel:"), ("validate",), "content/ui.yaml: expected the label 'home_title' (used by site_templates/home.md.j2:"),
    ("ui-label-missing-build", "tracebacks", edit("content/ui.yaml", "\nhome_title:", "\nhome_titel:"), ("build", "--site-dir", "{root}/out"), "content/ui.yaml: expected the label 'home_title' (used by site_templates/home.md.j2:"),
    ("ui-computed-label-missing", "tracebacks", edit("content/ui.yaml", "\nform_apostilled:", "\nform_apostiled:"), ("validate",), "content/ui.yaml: expected the label 'form_apostilled' (used by site_templates/"),
    ("ui-code-label-missing", "tracebacks", edit("content/ui.yaml", "\nnot_found_lead:", "\nnot_found_lede:"), ("validate",), "content/ui.yaml: expected the label 'not_found_lead' (used by the site's code)"),
    ("search-term-final-newline", "tracebacks", write("content/search.yaml", 'abbreviations:\n  - terms: ["IIN\\n"]\n    means: {en: "individual identification number", ru: "индивидуальный идентификационный номер"}\n'), ("validate",), "content/search.yaml:2:13: abbreviations[0].terms[0]: expected one word of letters or digits"),
    ("search-not-a-mapping", "tracebacks", write("content/search.yaml", "- IIN\n"), ("validate",), "content/search.yaml:1:1: expected a mapping with keys abbreviations"),
    ("search-link-outside", "confinement", link_out("content/search.yaml"), ("validate",), "content/search.yaml: expected a file inside the project"),
    ("effective-from-date-time", "tracebacks", edit(META, "effective_from: 2030-01-01", "effective_from: 2030-01-01T10:00:00"), ("validate",), f"{META}:5:17: effective_from: expected an ISO date (YYYY-MM-DD) or null, found a date and time (2030-01-01T10:00:00); write the date alone (2030-01-01)"),
    # -- issue 21: YAML 1.1 readings, never taken silently ------------------------------------------
    ("sexagesimal-fee", "editor messages", edit(SECTION, "service: 40000", "service: 11:06:40"), ("validate",), f"{SECTION}:29:24: services[0].steps[0].fees.options[0].service: expected an amount in KZT (a number, e.g. 40000), found the unquoted 11:06:40, which YAML reads as 40000 (a number in base 60)"),
    ("sexagesimal-fee-20-00", "editor messages", edit(SECTION, "service: 40000", "service: 20:00"), ("validate",), f"{SECTION}:29:24: services[0].steps[0].fees.options[0].service: expected an amount in KZT (a number, e.g. 40000), found the unquoted 20:00, which YAML reads as 1200 (a number in base 60)"),
    ("octal-mci", "editor messages", edit(META, "mci_kzt: 4000", "mci_kzt: 04325"), ("validate",), f"{META}:6:10: mci_kzt: expected the KZT value of 1 MCI (a whole number), found the unquoted 04325, which YAML reads as 2261 (an octal number, for the leading zero)"),
    ("underscore-grouped-fee", "editor messages", edit(SECTION, "service: 40000", "service: 40_000"), ("validate",), f"{SECTION}:29:24: services[0].steps[0].fees.options[0].service: expected an amount in KZT (a number, e.g. 40000), found the unquoted 40_000, which YAML reads as 40000 (a number whose digits are grouped with _)"),
    ("hexadecimal-copies", "editor messages", edit(SECTION, "forms: [original]", "forms: [original]\n            copies: 0x10"), ("validate",), f"{SECTION}:23:21: services[0].steps[0].documents[1].copies: expected a number of copies (1 or more), found the unquoted 0x10, which YAML reads as 16 (a number in base 16)"),
    ("yaml11-boolean-yes", "editor messages", edit(SECTION, "if_applicable: true", "if_applicable: yes"), ("validate",), f"{SECTION}:19:28: services[0].steps[0].documents[0].if_applicable: expected true or false, found the unquoted yes, which YAML reads as true (a YAML 1.1 boolean)"),
    ("yaml11-boolean-on-as-mci", "editor messages", edit(SECTION, "mci: 0.5, kzt: 2000", "mci: on, kzt: 2000"), ("validate",), f"{SECTION}:31:28: services[0].steps[0].fees.options[0].state.mci: expected a number of MCI (e.g. 0.5 or 30), found true (YAML reads the unquoted on as true"),
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
                                     "editor messages", "injection"}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_is_one_located_refusal(tmp_path, case):
    name, _class, setup, command, expected = case
    root = make_project(tmp_path, site=True)
    if setup is not None:
        setup(root)
    before = snapshot(root)
    argv = [part.replace("{root}", str(root)) for part in command]
    # Tracing allocations makes the YAML loader ~4x slower; the cases built to exhaust memory are
    # the "resources" class; the others are held by the time bound.
    traced = _class == "resources"
    if traced:
        tracemalloc.start()
    started = time.process_time()
    try:
        status, out, err = run_cli("--root", str(root), *argv)
    finally:
        elapsed = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        if traced:
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


def replace_docs(target: str):
    """build/docs (the generated Markdown) replaced by a symbolic link to `target`."""
    def apply(root: Path) -> None:
        shutil.rmtree(root / "build" / "docs")
        os.symlink(target if target.startswith("/") else root / target, root / "build" / "docs")
    return apply


def build_outside(root: Path) -> None:
    """build/ a symbolic link to a folder beside the project, holding a file of its own."""
    outside = root.parent / "elsewhere"
    (outside / "docs").mkdir(parents=True)
    (outside / "docs" / "keep.md").write_text("not ours\n", encoding="utf-8")
    shutil.rmtree(root / "build")
    os.symlink(outside, root / "build")


def site_outside(root: Path) -> None:
    """The default site/ a symbolic link to an empty folder beside the project."""
    (root.parent / "empty").mkdir()
    os.symlink(root.parent / "empty", root / "site")


# (id, setup, expected text in stderr): every folder a build writes, led somewhere it must not go.
GENERATED_FOLDER_CASES = [
    ("docs-link-to-editions", replace_docs("editions"), "build/docs (docs_dir in mkdocs.yml) leads to the project folder editions/"),
    ("docs-link-to-content", replace_docs("content"), "build/docs (docs_dir in mkdocs.yml) leads to the project folder content/"),
    ("docs-link-to-project", replace_docs("."), "build/docs (docs_dir in mkdocs.yml) leads to the project folder ./"),
    ("docs-link-to-build", replace_docs("build"), "build/docs (docs_dir in mkdocs.yml) leads to the project folder build/"),
    ("docs-link-outside", lambda root: replace_docs(str(root.parent))(root), "build/docs (docs_dir in mkdocs.yml) leads outside the project"),
    ("docs-link-inside-build", both(mkdir("build/other"), replace_docs("build/other")), "build/docs (docs_dir in mkdocs.yml) is reached through a symbolic link"),
    ("build-link-outside", build_outside, "build/docs (docs_dir in mkdocs.yml) leads outside the project"),
    ("link-inside-docs", lambda root: os.symlink(root / "editions", root / "build" / "docs" / "en"), "build/docs/en is a symbolic link inside the generated Markdown"),
    ("docs-is-a-file", both(lambda root: shutil.rmtree(root / "build" / "docs"), write("build/docs", "x")), "build/docs (docs_dir in mkdocs.yml) exists and is not a folder"),
    ("docs-dir-set-to-editions", edit("mkdocs.yml", "docs_dir: build/docs", "docs_dir: editions"), "editions (docs_dir in mkdocs.yml) leads to the project folder editions/"),
    ("docs-dir-set-outside", edit("mkdocs.yml", "docs_dir: build/docs", "docs_dir: ../elsewhere"), "(docs_dir in mkdocs.yml) leads outside the project"),
    ("site-link-outside", site_outside, "site is inside the project but leads to"),
]


@pytest.mark.parametrize("case", GENERATED_FOLDER_CASES, ids=[c[0] for c in GENERATED_FOLDER_CASES])
def test_generated_folders_never_lead_out_of_build(tmp_path, case):
    """A link in the way of a folder the build writes is one refusal; nothing anywhere changes."""
    _name, setup, expected = case
    root = make_project(tmp_path, site=True)
    setup(root)
    before = snapshot(tmp_path)
    tracemalloc.start()
    started = time.process_time()
    try:
        status, out, err = run_cli("--root", str(root), "build", "--quiet")
    finally:
        elapsed = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert status == 1, (out, err)
    assert err.startswith("guidebook: error: refusing to build: ") and err.count("\n") == 1, err
    assert expected in err, err
    assert elapsed < SECONDS and peak < PEAK_MB * 2**20
    assert snapshot(tmp_path) == before


def test_real_editions_survive_a_docs_link_to_them(tmp_path):
    """The data-loss case of issue 21, on a copy of the real project: build/docs -> editions/."""
    root = copy_project(tmp_path / "guidebook")
    shutil.rmtree(root / "build" / "docs")
    os.symlink(root / "editions", root / "build" / "docs")
    before = snapshot(root / "editions")
    status, _, err = run_cli("--root", str(root), "build", "--quiet")
    assert status == 1 and "leads to the project folder editions/" in err, err
    assert snapshot(root / "editions") == before
    assert not (root / "site").exists()


def test_plain_mkdocs_refuses_a_docs_dir_outside_build(tmp_path):
    """MkDocs run directly (not through guidebook) meets the same check in the hook."""
    root = make_project(tmp_path, site=True)
    replace_docs("editions")(root)
    before = snapshot(tmp_path)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(root / "mkdocs.yml")],
                            capture_output=True, text=True, cwd=root, timeout=120,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    assert "refusing to build: build/docs (docs_dir in mkdocs.yml) leads to the project folder editions/" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(tmp_path) == before


# -- issue 21: what the table cannot hold (a socket, a real-edition register, faults, properties) ----

def test_front_matter_title_always_parses_back(tmp_path):
    """Front matter MkDocs cannot parse is published as Markdown (a title's `[x](javascript:…)`
    became a live link), so every title, whatever its characters, must parse back to itself."""
    from mkdocs.utils.meta import get_data

    from generator.site.render import front_matter_title

    @settings(max_examples=300, deadline=None)
    @given(st.text(min_size=1, max_size=40).map(lambda t: t + " [x](javascript:alert(1))"))
    def parses_back(title):
        body, meta = get_data(f"---\ntitle: {front_matter_title(title)}\n---\n\n# page\n")
        assert body == "# page\n"
        assert html.unescape(meta["title"]) == re.sub(r"[ \t\r\n\f\v]+", " ", title).strip()
    parses_back()


def test_unparsable_front_matter_is_refused_not_published():
    """The backstop in the hook: a page whose front matter did not parse stops the build."""
    from mkdocs.exceptions import Abort

    from generator.site import hooks

    class Page:
        class file:
            src_uri = "2030/test-visas/visa-inside/index.md"
    broken = '---\ntitle: "a \x7f [x](javascript:alert(1))"\n---\n\n# page\n'
    with pytest.raises(Abort, match="front matter is not valid YAML"):
        hooks.on_page_markdown(broken, page=Page, config=None, files=None)
    assert hooks.on_page_markdown("# page\n", page=Page, config=None, files=None) == "# page\n"


def test_serve_on_a_busy_port_is_one_line_naming_address(tmp_path):
    root = make_project(tmp_path, site=True)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        address = f"127.0.0.1:{busy.getsockname()[1]}"
        started = time.process_time()
        status, out, err = run_cli("--root", str(root), "serve", "--address", address)
    assert status == 1 and time.process_time() - started < SECONDS
    assert err.count("\n") == 1 and f"cannot serve on {address}" in err and "--address" in err, err
    assert "Traceback" not in err + out
    status, _, err = run_cli("--root", str(root), "serve", "--address", "localhost")
    assert status == 1 and "--address 'localhost': expected HOST:PORT" in err and err.count("\n") == 1


def test_seed_with_a_byte_order_mark_reads_like_without(tmp_path):
    root = make_project(tmp_path)
    plain = run_cli("--root", str(root), "check-source", "2030", "-v")
    seed = root / "editions" / "2030" / "seed.txt"
    seed.write_bytes(b"\xef\xbb\xbf" + seed.read_bytes())
    marked = run_cli("--root", str(root), "check-source", "2030", "-v")
    assert plain[0] == 0 and marked == plain


def test_a_selector_repeated_in_one_register_entry_is_reported(tmp_path):
    root = tmp_path / "project"
    for folder in ("editions", "content"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    years = sorted(int(p.parent.name) for p in root.glob("editions/*/changes.yaml"))
    register = root / "editions" / str(years[-1]) / "changes.yaml"
    lines = register.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip() == "covers:") + 1
    lines.insert(at + 1, lines[at])
    register.write_text("\n".join(lines), encoding="utf-8")
    status, _, err = run_cli("--root", str(root), "validate", str(years[-1]))
    rel = register.relative_to(root).as_posix()
    assert status == 1
    assert re.search(rf"^{rel}:{at + 2}:\d+: entries\[\d+\]\.covers\[1\]: expected each selector once in an entry, "
                     r"found the same as entries\[\d+\]\.covers\[0\] again", err, re.MULTILINE), err


FAULTS = """
import builtins, errno, io, os
_open = builtins.open
def _faulty(file, mode="r", *args, **kwargs):
    if any(m in mode for m in "wax") and os.environ["GUIDEBOOK_TEST_FAULT_IN"] in os.fspath(file):
        code = getattr(errno, os.environ["GUIDEBOOK_TEST_FAULT"])
        raise OSError(code, os.strerror(code), os.fspath(file))
    return _open(file, mode, *args, **kwargs)
builtins.open = io.open = _faulty
"""


@pytest.mark.parametrize("fault, inside", [("ENOSPC", "/.site-"), ("EROFS", "/build/docs/"), ("EACCES", "/.site-")])
def test_a_write_that_fails_in_the_build_is_one_line_and_the_site_stays(tmp_path, monkeypatch, fault, inside, fixture_build):
    """Full disk or read-only folders while MkDocs writes (simulated in the child process: as
    root a read-only folder is writable): one line naming the path, exit 1, site/ as before,
    no staging folder — on a first build (no site/ yet) and on a rebuild.

    The project is a copy of the fixture site's (conftest.fixture_build, built once per run):
    the failure handling does not depend on what the pages say. Its first build starts, as a
    fresh project's, with an empty build/docs; its rebuild replaces the fixture's own built
    site, copied to site/, after an edit that changes pages. Then, with no fault, a build succeeds."""
    project, built = fixture_build
    root = copy_fixture_project(project, tmp_path / "project")
    hooks_dir = tmp_path / "faults"
    hooks_dir.mkdir()
    (hooks_dir / "sitecustomize.py").write_text(FAULTS, encoding="utf-8")
    for rebuild in (False, True):
        if rebuild:
            shutil.copytree(built, root / "site", symlinks=True)
            edit(SECTION, "Тестовая виза в Казахстане", "Тестовая виза в Казахстане, изменено")(root)  # pages to rewrite
        before = snapshot(root / "site") if rebuild else False
        monkeypatch.setenv("PYTHONPATH", str(hooks_dir))
        monkeypatch.setenv("GUIDEBOOK_TEST_FAULT", fault)
        monkeypatch.setenv("GUIDEBOOK_TEST_FAULT_IN", inside)
        result = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", "--quiet"],
                                capture_output=True, text=True, timeout=300,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "Traceback" not in output
        problem = [line for line in output.splitlines() if line.strip()]
        assert len(problem) == 1 and problem[0].startswith("cannot write ") and inside in problem[0], output
        assert os.strerror(getattr(errno, fault)) in problem[0]
        assert (snapshot(root / "site") if rebuild else (root / "site").exists()) == before
        assert not list(root.glob(".site-*"))
    # and once the disk is writable again, the next build goes through
    for name in ("PYTHONPATH", "GUIDEBOOK_TEST_FAULT", "GUIDEBOOK_TEST_FAULT_IN"):
        monkeypatch.delenv(name)
    result = subprocess.run([sys.executable, "-m", "generator", "-C", str(root), "build", "--quiet"],
                            capture_output=True, text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0 and (root / "site" / "index.html").is_file(), result.stdout + result.stderr


@pytest.mark.parametrize("fault", ["EROFS", "ENOSPC", "EACCES"])
def test_a_project_that_cannot_be_written_is_one_line(tmp_path, monkeypatch, fault):
    """The staging folder or the swap cannot be made (read-only project, full disk): one line
    naming the path, site/ as before."""
    import generator.editorial.staging as staging  # build_site stages through it

    root = make_project(tmp_path, site=True)
    site = root / "site"
    site.mkdir()
    (site / MARKER).write_text("built\n", encoding="utf-8")
    (site / "index.html").write_text("previous\n", encoding="utf-8")
    before = snapshot(root)
    code = getattr(errno, fault)

    def refuse(*args, dir=None, **kwargs):
        raise OSError(code, os.strerror(code), str(dir))
    monkeypatch.setattr(staging.tempfile, "mkdtemp", refuse)
    status, out, err = run_cli("--root", str(root), "build", "--quiet")
    assert status == 1 and "Traceback" not in err + out
    assert err == f"guidebook: error: cannot write {root}: {os.strerror(code)}; the site was not built (the previous one is unchanged)\n"
    assert snapshot(root) == before


def test_every_label_the_code_reads_is_listed():
    """labels.PYTHON_LABELS must name every label the site's Python code reads by name."""
    from generator.site.labels import PYTHON_LABELS, used_labels

    named = set()
    for file in (ROOT / "generator" / "site").glob("*.py"):
        named |= set(re.findall(r"""(?:ui|labels|self\.ui)\[["']([a-z_]+)["']\]""", file.read_text(encoding="utf-8")))
    assert named and named <= set(PYTHON_LABELS), named - set(PYTHON_LABELS)
    assert len(list(used_labels(ROOT / "site_templates"))) > 100  # every computed key is enumerable


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


# Each example validates, checks and diffs the real editions (seconds): a tenth of the profile's
# examples (10 in the standard profile, 3 in the quick default, 300 in the thorough one).
@settings(max_examples=max(3, settings().max_examples // 10), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
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


@pytest.mark.parametrize("target", ["editions/2030/edition.yaml", "content/ui.yaml", "mkdocs.yml", "editions",
                                    "link-to-editions/2030/edition.yaml"])
def test_a_diff_report_never_replaces_a_source(tmp_path, target):
    """`diff --output` names a file of the project's sources (directly or through a link): refused in
    one line, nothing written."""
    root = make_project(tmp_path)
    shutil.copytree(root / "editions" / "2030", root / "editions" / "2031")
    edit("editions/2031/edition.yaml", "year: 2030", "year: 2031")(root)
    (root / "link-to-editions").symlink_to(root / "editions")
    before = snapshot(root)
    status, out, err = run_cli("--root", str(root), "diff", "2030", "2031", "--output", str(root / target))
    assert status == 1 and "Traceback" not in err + out
    assert err.startswith(f"guidebook: error: --output {root / target}: ") and err.endswith("; nothing was written\n")
    assert len(err.splitlines()) == 1
    assert snapshot(root) == before


def test_a_diff_report_may_be_written_beside_the_sources(tmp_path):
    root = make_project(tmp_path)
    shutil.copytree(root / "editions" / "2030", root / "editions" / "2031")
    edit("editions/2031/edition.yaml", "year: 2030", "year: 2031")(root)
    for target in (root / "changes.csv", tmp_path / "elsewhere.csv"):
        status, out, err = run_cli("--root", str(root), "diff", "2030", "2031", "--format", "csv", "--output", str(target))
        assert status == 0, err
        assert target.read_text(encoding="utf-8")
