"""Property tests: a mutated valid edition either validates or yields located problems — never a crash."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from generator.edition.errors import ProblemsFound
from generator.edition.validate import load_library

SECTION = Path("editions/2030/test-visas.yaml")
BASE = yaml.safe_load((FIXTURES / "valid" / SECTION).read_text(encoding="utf-8"))
BASE_TEXT = (FIXTURES / "valid" / SECTION).read_text(encoding="utf-8")


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from paths(value, prefix + (i,))


ALL_PATHS = [p for p in paths(BASE) if p]
values = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**7), st.text(max_size=12),
    st.floats(allow_nan=False, allow_infinity=False), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["en", "ru", "x", "id"]), st.text(max_size=5), max_size=2),
)


def apply(data, path, action, value):
    import copy
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif action == "unknown-key" and isinstance(parent[last], dict):
        parent[last]["surprise"] = value
    return data


def check(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(FIXTURES / "valid", root)
        (root / SECTION).write_text(text, encoding="utf-8")
        lines = {str(SECTION): len(text.splitlines()) or 1}
        for file in (root / "editions" / "2030").glob("*.yaml"):
            rel = file.relative_to(root).as_posix()
            lines.setdefault(rel, len(file.read_text(encoding="utf-8").splitlines()))
        try:
            load_library(root)
        except ProblemsFound as found:
            assert found.problems
            for problem in found.problems:
                assert problem.file in lines, problem
                assert 1 <= problem.line <= lines[problem.file] + 1, problem
                assert problem.column >= 1
                assert problem.message.strip()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_PATHS), st.sampled_from(["replace", "delete", "unknown-key"]), values)
def test_structural_mutation_is_located(path, action, value):
    check(yaml.safe_dump(apply(BASE, path, action, value), allow_unicode=True, sort_keys=False))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(BASE_TEXT)), st.integers(0, 8),
       st.lists(st.sampled_from(list(":-{}[]\"'#&*!|>%@` \n\tab1") + ["!!python/object ", "\u00ff", "&a ", "*a"]),
                max_size=6).map("".join))
def test_text_mutation_is_located(position, cut, insert):
    check(BASE_TEXT[:position] + insert + BASE_TEXT[position + cut:])
