"""YAML files → plain Python data plus the line/column of every value, within hard limits.

Loading is safe (PyYAML's SafeLoader composes nodes; no object construction) and
strict where PyYAML is lax: a duplicate mapping key is a problem, not a silent
overwrite. Floats become `Decimal` from their printed text so money stays exact.

Every limit is enforced where the cost arises, so a hostile file is one located problem
within milliseconds: the file size before reading, anchors/aliases, the node count and the
nesting depth while composing (no alias is ever expanded, no recursion goes deeper than
MAX_DEPTH), and a number's digits and exponent before it is converted. Every text (key or
value) is checked for characters no page may show (`characters.refused_character`).
Inside `parse_cache()` (the preview), a file whose bytes did not change is not parsed again.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .characters import refused_character
from .errors import Problem, describe

FieldPath = tuple  # of str | int


class _Rejected:
    """A value the loader refused (a tag, an oversized or invalid number): already reported,
    so the validator must not report it again as missing or mistyped."""

    def __repr__(self) -> str:
        return "REJECTED"


REJECTED = _Rejected()

MAX_BYTES = 256 * 1024      # the largest real file is under 30 KB
MAX_NODES = 5_000           # the largest real file has under 1 000
MAX_DEPTH = 32              # the real files nest 11 deep at most
MAX_DIGITS = 30             # significant digits of a number, and the size of its exponent


@dataclass
class LoadedFile:
    """One YAML file: its data, and where each value (by field path) starts."""

    rel: str
    data: object
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_lines: dict = field(default_factory=dict)
    plain: dict = field(default_factory=dict)  # path → unquoted text YAML read as a non-text value
    yaml11: dict = field(default_factory=dict)  # path → why YAML 1.1 alone reads that text so (base 60…)

    def where(self, path: FieldPath) -> tuple[int, int]:
        """Line and column of the value at `path`, or of its nearest ancestor."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def reading_hint(self, path: FieldPath, found: object) -> str:
        """For an unquoted value YAML 1.1 read as something else (13:00 → 780, No → false)."""
        written = self.plain.get(tuple(path))
        if written is None or describe(found) == written:
            return ""
        return f" (YAML reads the unquoted {written} as {describe(found)}; if you meant the text, quote it: '{written}')"


class _Refused(Exception):
    """A limit or a forbidden construct met while composing; located at `mark`."""

    def __init__(self, mark, message: str):
        super().__init__(message)
        self.mark, self.message = mark, message


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader's composer with a node budget, a depth guard and no anchors or aliases."""

    def __init__(self, stream):
        super().__init__(stream)
        self.nodes = 0
        self.depth = 0

    def fetch_flow_collection_start(self, TokenClass):
        # Guarded in the scanner too: it looks ahead over every open `[`/`{` at each character,
        # so 500 nested brackets cost seconds before the composer sees the first of them.
        if self.flow_level >= MAX_DEPTH:
            raise _Refused(self.get_mark(), f"expected values nested at most {MAX_DEPTH} levels deep, found deeper")
        super().fetch_flow_collection_start(TokenClass)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, f"expected plain YAML data, found the alias *{event.anchor} "
                           "(anchors and aliases are not allowed; write the value out)")
        if event.anchor is not None:
            raise _Refused(event.start_mark, f"expected plain YAML data, found the anchor &{event.anchor} "
                           "(anchors and aliases are not allowed; write the value out)")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(event.start_mark, f"expected at most {MAX_NODES:,} values in one file, found more "
                           "(split the file, or look for a runaway list)")
        if self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"expected values nested at most {MAX_DEPTH} levels deep, found deeper")
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        node.explicit_tag = event.tag  # type: ignore[union-attr]  # as written (`!!int abc`, `! 5`) or None
        return node


_scalar_constructor = yaml.SafeLoader(stream="")
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


def _number_too_big(node: yaml.ScalarNode) -> bool:
    """More digits or a larger exponent than any fee, count or year (checked before converting:
    int('9' * 5000) raises, and Decimal('1e-999999999') expands to a billion digits when printed)."""
    text = node.value.replace("_", "")
    if node.tag == "tag:yaml.org,2002:int":
        return len(text) > MAX_DIGITS + 3  # sign and 0x prefix
    try:
        number = Decimal(text)
    except InvalidOperation:
        return False  # .inf, .nan, 1:30.5: read by PyYAML as a float, which no field accepts
    if not number.is_finite():
        return False
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    return len(digits) > MAX_DIGITS or abs(exponent) > MAX_DIGITS or abs(number.adjusted()) > MAX_DIGITS


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


def _tag_name(tag: str) -> str:
    """How the editor wrote the tag: 'tag:yaml.org,2002:python/object' → '!!python/object'."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _tag_problem(node) -> str | None:
    """Why a node's tag is refused: every tag written out, like anchors (`!!bool maybe` would
    otherwise reach PyYAML's constructors, which raise on such values instead of reporting)."""
    if node.tag not in PLAIN_TAGS:
        return f"expected plain YAML data, found the tag {_tag_name(node.tag)} (tags are not allowed)"
    written = getattr(node, "explicit_tag", None)
    if written is not None:
        return (f"expected plain YAML data, found the tag {_tag_name(written)} (tags are not allowed; "
                "write the value without it, in quotes if it is a text)")
    return None


def _convert(node, path: FieldPath, loaded: LoadedFile, problems: list[Problem]):
    loaded.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    refused_tag = _tag_problem(node)
    if refused_tag is not None:
        problems.append(Problem(loaded.rel, *loaded.marks[path], _dotted(path), refused_tag))
        return REJECTED
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(loaded.rel, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                        _dotted(path), "expected a text key, found the merge key << "
                                        "(merge keys are not allowed; write the keys out)"))
                continue
            key_tag = _tag_problem(key_node)
            if key_tag is not None:
                problems.append(Problem(loaded.rel, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                        _dotted(path), key_tag))
                continue
            key, why = None, ""
            if isinstance(key_node, yaml.ScalarNode) and not _number_too_big(key_node):
                try:
                    key = _scalar(key_node)
                except (yaml.YAMLError, ValueError, OverflowError) as exc:  # 2030-02-30: as a key
                    why = f" (YAML reads it as a {key_node.tag.rsplit(':', 1)[-1]}, and it is not a valid one: {exc})"
            if isinstance(key, str) and not _printable(key, key_node, path, loaded, problems):
                continue
            if not isinstance(key, str):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a list or mapping"
                problems.append(Problem(loaded.rel, key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1, _dotted(path),
                                        f"expected a text key, found {shown!r}{why}"))
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
    if node.tag in _NUMBER_TAGS and _number_too_big(node):
        shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
        problems.append(Problem(loaded.rel, *loaded.marks[path], _dotted(path),
                                f"expected a number of at most {MAX_DIGITS} digits and a small exponent, "
                                f"found {shown!r} ({len(node.value)} characters)"))
        return REJECTED
    try:
        value = _scalar(node)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        problems.append(Problem(loaded.rel, *loaded.marks[path], _dotted(path),
                                f"expected a valid {node.tag.rsplit(':', 1)[-1]}, found {node.value!r} ({exc})"))
        return REJECTED
    if isinstance(value, str) and not _printable(value, node, path, loaded, problems):
        return REJECTED
    if node.style is None and not isinstance(value, str):
        loaded.plain[path] = node.value
        reading = yaml11_reading(node.value, value)
        if reading is not None:
            loaded.yaml11[path] = reading
    return value


_OCTAL = re.compile(r"[-+]?0[0-7_]+")


def yaml11_reading(written: str, value) -> str | None:
    """Why a plain scalar means `value` only to YAML 1.1 (PyYAML), or None: a reader of YAML 1.2,
    or a person, reads `20:00`, `04325`, `1_000`, `0x10` and `yes` otherwise (or as text)."""
    if isinstance(value, bool):
        return None if written.lower() in ("true", "false") else "a YAML 1.1 boolean"
    if not isinstance(value, (int, float, Decimal)):
        return None
    text = written.lstrip("+-")
    if ":" in text:
        return "a number in base 60"
    if text[:2].lower() in ("0x", "0b", "0o"):
        return "a number in base 16" if text[1] in "xX" else "a number in base 2" if text[1] in "bB" else "an octal number"
    if isinstance(value, int) and _OCTAL.fullmatch(written):
        return "an octal number, for the leading zero"
    if "_" in text:
        return "a number whose digits are grouped with _"
    return None


def _printable(text: str, node, path: FieldPath, loaded: LoadedFile, problems: list[Problem]) -> bool:
    """False (and a problem naming the code point) for a text holding a character no page may show."""
    refused = refused_character(text)
    if refused is None:
        return True
    index, what = refused
    problems.append(Problem(loaded.rel, node.start_mark.line + 1, node.start_mark.column + 1, _dotted(path),
                            f"expected printable text, found the character {what}, at character {index + 1} "
                            "of the text (remove it; if the print shows a mark there, type the mark itself)"))
    return False


def _dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


dotted = _dotted


def _decode(raw: bytes, rel: str, problems: list[Problem]) -> str | None:
    """UTF-8 text, or a problem at the line and column of the first undecodable byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        problems.append(Problem(rel, line, column, "", f"expected UTF-8 text, found the byte "
                                f"0x{raw[exc.start]:02x} (save the file as UTF-8)"))
        return None


def load_yaml(file: Path, rel: str, problems: list[Problem]) -> LoadedFile | None:
    """Parse one file; syntax errors, limits and duplicate keys are appended to `problems`."""
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            problems.append(Problem(rel, 1, 1, "", f"expected a file of at most {MAX_BYTES // 1024} KB, "
                                    f"found {size:,} bytes"))
            return None
        raw = file.read_bytes()[:MAX_BYTES + 1]
    except OSError as exc:
        problems.append(Problem(rel, 1, 1, "", f"expected a readable file, found {exc.strerror or exc}"))
        return None
    if len(raw) > MAX_BYTES:  # grew, or a device that reports no size
        problems.append(Problem(rel, 1, 1, "", f"expected a file of at most {MAX_BYTES // 1024} KB, found more"))
        return None
    if _parsed is None:
        return _parse(raw, rel, problems)
    kept = _parsed.get(rel)
    if kept is not None and kept[0] == raw:
        problems.extend(kept[2])
        return kept[1]
    found: list[Problem] = []
    loaded = _parse(raw, rel, found)
    _parsed[rel] = (raw, loaded, tuple(found))
    problems.extend(found)
    return loaded


# The files parsed while a `parse_cache` is open: rel → (bytes, what they parsed to, problems).
_parsed: dict[str, tuple[bytes, LoadedFile | None, tuple[Problem, ...]]] | None = None


@contextmanager
def parse_cache() -> Iterator[None]:
    """While open, a file whose bytes are those parsed last time is not parsed again (a
    long-running preview re-reads every file on each save; nothing reads a LoadedFile's data
    to change it). One entry per file, so it holds at most one copy of the project."""
    global _parsed
    before, _parsed = _parsed, ({} if _parsed is None else _parsed)
    try:
        yield
    finally:
        _parsed = before


def _parse(raw: bytes, rel: str, problems: list[Problem]) -> LoadedFile | None:
    loaded = LoadedFile(rel=rel, data=None)
    text = _decode(raw, rel, problems)
    if text is None:
        return None
    loader = None
    try:
        loader = _LimitedLoader(text)
        node = loader.get_single_node()
    except _Refused as refused:
        problems.append(Problem(rel, refused.mark.line + 1, refused.mark.column + 1, "", refused.message))
        return None
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
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, most controls)
        before = text[:exc.position]
        problems.append(Problem(rel, before.count("\n") + 1, exc.position - before.rfind("\n"), "",
                                f"expected printable text, found the character U+{exc.character:04X} "
                                "(YAML does not allow control characters)"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, 1, 1, "", f"YAML error: {exc}"))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        loaded.data = None
        loaded.marks[()] = (1, 1)
        return loaded
    loaded.data = _convert(node, (), loaded, problems)
    return loaded
