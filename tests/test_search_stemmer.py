"""The browser's stemmer is the index's: the Snowball stemmers compiled to JavaScript
(site_templates/stemmers/, the script the build writes from them) run under Node give, for every
word of the printed editions, the YAML and the content pages, and for word forms made up here,
the stems the Python package gives (snowballstemmer, pinned), in both languages. A mismatch
would make a typed word miss the pages that hold it. Node comes with npm (the browser tests'
axe-core needs it); skipped without it, except in CI."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from generator.site.search_index import engine_files
from generator.site.search_text import stem, words

FOUND = shutil.which("node")
if FOUND is None:
    if os.environ.get("CI"):
        raise RuntimeError("node is missing (it comes with npm): the stemmer test cannot run")
    pytest.skip("no node", allow_module_level=True)
NODE: str = FOUND or "node"

RUN = """
const vm = require("vm");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {};
for (const [lang, script] of Object.entries(input.scripts)) {
  const context = { window: {} };
  vm.createContext(context);
  vm.runInContext(script, context);
  out[lang] = input.words[lang].map((w) => context.window.guidebookStem(w));
}
process.stdout.write(JSON.stringify(out));
"""


def js_stems(lists: dict[str, list[str]]) -> dict[str, list[str]]:
    scripts = {re.match(r"engine\.(\w+)\.", name).group(1): text  # type: ignore[union-attr]
               for name, text in engine_files(ROOT).items()}
    done = subprocess.run([NODE, "-e", RUN], input=json.dumps({"scripts": scripts, "words": lists}),
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def project_words() -> dict[str, list[str]]:
    """Every word of the printed seeds, the editions' YAML and content/, split by script."""
    found: set[str] = set()
    for folder in (ROOT / "editions", ROOT / "content"):
        for file in sorted(folder.rglob("*")):
            if file.suffix in (".txt", ".yaml", ".md"):
                found.update(words(file.read_text(encoding="utf-8")))
    cyrillic = sorted(w for w in found if re.search("[а-я]", w))
    return {"ru": cyrillic, "en": sorted(found - set(cyrillic))}


def test_the_browsers_stems_are_the_indexs_for_every_word_of_the_project():
    lists = project_words()
    assert len(lists["ru"]) > 1000 and len(lists["en"]) > 1000
    both = {lang: lists["ru"] + lists["en"] for lang in ("en", "ru")}  # each stemmer meets the other script too
    got = js_stems(both)
    for lang, typed in both.items():
        differ = [(w, s, stem(w, lang)) for w, s in zip(typed, got[lang], strict=True) if s != stem(w, lang)]
        assert not differ, differ[:20]


ENDINGS = {"ru": ["", "а", "ы", "ой", "ою", "ью", "ями", "ся", "ись", "ость", "ение", "ейший", "ивши", "нн"],
           "en": ["", "s", "es", "ed", "ing", "ly", "ness", "ational", "ization", "fulness", "y", "ies"]}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ru", "en"]),
                          st.text(st.sampled_from("абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcdefghijklmnopqrstuvwxyz"),
                                  min_size=1, max_size=9),
                          st.integers(min_value=0, max_value=13)), min_size=1, max_size=40))
def test_the_browsers_stems_are_the_indexs_for_made_up_words(made):
    lists: dict[str, list[str]] = {"en": [], "ru": []}
    for lang, root, ending in made:
        lists[lang].append(words(root + ENDINGS[lang][ending % len(ENDINGS[lang])])[0])
    got = js_stems(lists)
    for lang, typed in lists.items():
        assert got[lang] == [stem(w, lang) for w in typed]
