"""YAML files → plain Python data plus the line/column of every value.

Loading is safe (PyYAML's SafeLoader composes nodes; no object construction) and
strict where PyYAML is lax: a duplicate mapping key is a problem, not a silent
overwrite. Floats become `Decimal` from their printed text so money stays exact.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .errors import Problem

FieldPath = tuple  # of str | int


@dataclass
class LoadedFile:
    """One YAML file: its data, and where each value (by field path) starts."""

    rel: str
    data: object
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_lines: dict = field(default_factory=dict)

    def where(self, path: FieldPath) -> tuple[int, int]:
        """Line and column of the value at `path`, or of its nearest ancestor."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


_scalar_constructor = yaml.SafeLoader(stream="")


def _scalar(node: yaml.ScalarNode):
    if node.tag == "tag:yaml.org,2002:float":
        text = node.value.replace("_", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            return _scalar_constructor.construct_object(node, deep=True)
    return _scalar_constructor.construct_object(node, deep=True)


PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in
              ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")}


def _convert(node, path: FieldPath, loaded: LoadedFile, problems: list[Problem]):
    loaded.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in PLAIN_TAGS:
        problems.append(Problem(loaded.rel, *loaded.marks[path], _dotted(path),
                                f"expected plain YAML data, found the tag {node.tag!r} (tags are not allowed)"))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            plain = isinstance(key_node, yaml.ScalarNode) and key_node.tag in PLAIN_TAGS
            key = _scalar(key_node) if plain else None
            if not isinstance(key, str):
                problems.append(Problem(loaded.rel, key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1, _dotted(path),
                                        f"expected a text key, found {key_node.value!r}"))
                continue
            if key in result:
                first = loaded.key_lines[path + (key,)]
                problems.append(Problem(loaded.rel, key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1, _dotted(path + (key,)),
                                        f"expected each key once, found {key!r} again (first on line {first})"))
                continue
            loaded.key_lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, path + (key,), loaded, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), loaded, problems) for i, item in enumerate(node.value)]
    try:
        return _scalar(node)
    except (yaml.YAMLError, ValueError) as exc:
        problems.append(Problem(loaded.rel, *loaded.marks[path], _dotted(path),
                                f"expected a valid {node.tag.rsplit(':', 1)[-1]}, found {node.value!r} ({exc})"))
        return None


def _dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


dotted = _dotted


def load_yaml(file: Path, rel: str, problems: list[Problem]) -> LoadedFile | None:
    """Parse one file; syntax errors and duplicate keys are appended to `problems`."""
    loaded = LoadedFile(rel=rel, data=None)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, 1, 1, "", f"expected UTF-8 text, found undecodable byte at offset {exc.start}"))
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        if exc.context_mark and mark and exc.context_mark.line != mark.line:
            what += f" (the construct began on line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
        problems.append(Problem(rel, line, col, "", f"YAML syntax error: {what}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, 1, 1, "", f"YAML error: {exc}"))
        return None
    if node is None:
        loaded.data = None
        loaded.marks[()] = (1, 1)
        return loaded
    loaded.data = _convert(node, (), loaded, problems)
    return loaded
