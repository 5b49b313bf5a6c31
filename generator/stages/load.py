"""Find and parse the YAML sources, keeping the line of every key. No meaning yet.

Every file is treated as untrusted: size is capped, symlinks may not leave the project,
aliases are refused (no alias bombs), duplicate keys are errors, and bytes must be UTF-8
(a byte-order mark is accepted).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Collector
from generator.records.kinds import KINDS, Kind

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 512 * 1024
FILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.yaml$")
Loc = tuple[object, ...]
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class RawDocument:
    path: str  # relative to the project root, with forward slashes
    kind: Kind
    data: object
    lines: dict[Loc, int] = field(default_factory=dict)  # key path -> 1-based line
    source: Path | None = None  # set when `lines` was not kept: they are read again from here if needed
    digest: str = ""  # SHA-256 of the file's bytes, when known

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest key on `loc` that exists (a missing key points at its parent)."""
        lines = self._lines
        for end in range(len(loc), -1, -1):
            if loc[:end] in lines:
                return lines[loc[:end]]
        return 1

    @functools.cached_property
    def _lines(self) -> dict[Loc, int]:
        if self.lines or self.source is None:
            return self.lines
        return key_lines(self.path, self.source.read_bytes().decode("utf-8-sig"))


def source_files(root: Path, only: set[str] | None = None) -> Iterator[tuple[Path, Kind]]:
    """Every candidate source file under the kinds' folders, in a stable order."""
    for kind in KINDS:
        for path in sorted((root / kind.folder).glob("*")):
            if only is not None and path.relative_to(root).as_posix() not in only:
                continue
            if path.is_dir() or path.name.startswith(".") or path.name == "README.md":
                continue
            yield path, kind


def parse_source(rel: str, raw: bytes, kind: Kind, problems: Collector) -> RawDocument | None:
    """A source file's bytes, decoded and parsed; None (and problems) if that fails."""
    text = decode_source(rel, raw, problems)
    return None if text is None else parse_document(rel, text, kind, problems)


def read_source(root: Path, path: Path, rel: str, problems: Collector) -> bytes | None:
    """A source file's bytes, or None (and a problem) if its name, place or size is wrong."""
    if not path.name.endswith(".yaml"):
        hint = "Rename it to end in .yaml." if path.suffix == ".yml" else "Move it out of this folder."
        problems.add(rel, 0, "", f"not a .yaml file. {hint}")
        return None
    if not FILE_NAME.match(path.name):
        problems.add(
            rel,
            0,
            "",
            "file name must be lowercase letters, digits and hyphens, ending in .yaml "
            f"(no spaces or accents). Rename it, e.g. to '{suggest_id(path.stem)}.yaml'.",
        )
        return None
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        problems.add(rel, 0, "", "symbolic link to a file outside the project. Copy the file in instead.")
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.add(
            rel, 0, "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}. Split the record or shorten it."
        )
        return None
    return path.read_bytes()


def decode_source(rel: str, raw: bytes, problems: Collector) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        problems.add(rel, line, "", f"bytes that are not UTF-8 (byte {raw[e.start]:#04x}). Save the file as UTF-8.")
        return None


def suggest_id(stem: str) -> str:
    import unicodedata

    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-") or "new-record"


def parse_document(rel: str, text: str, kind: Kind, problems: Collector) -> RawDocument | None:
    """Parse one YAML text into data plus a key-path -> line map."""
    try:
        node = yaml.compose(text, Loader=_Loader)  # an alias is a shared node here: nothing is expanded
    except yaml.MarkedYAMLError as e:
        line = _mark_line(e)
        problems.add(rel, line, "", _syntax_message(e, text, line))
        return None
    except yaml.YAMLError as e:  # pragma: no cover - every PyYAML error we know is marked
        problems.add(rel, 1, "", f"YAML could not be read ({e}).")
        return None
    if node is None:
        problems.add(
            rel, 1, "", f"the file is empty (or only comments). Write the {kind.label} record, or delete the file."
        )
        return None
    loader = _Loader(text)
    try:
        checker = _NodeChecker(rel, problems, loader)
        data = checker.check(node)
    finally:
        loader.dispose()
    if checker.failed:
        return None
    if not isinstance(node, yaml.MappingNode):
        problems.add(
            rel,
            node.start_mark.line + 1,
            "",
            "the file must be a mapping of keys to values (`id: ...` on the first line after the comment).",
        )
        return None
    if checker.error is not None:
        line = _mark_line(checker.error)
        problems.add(rel, line, "", _syntax_message(checker.error, text, line))
        return None
    return RawDocument(rel, kind, data, checker.lines)


def key_lines(rel: str, text: str) -> dict[Loc, int]:
    """The key path -> line map of a text that parsed without problems before."""
    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        return {}
    checker = _NodeChecker(rel, Collector(), None)
    checker.check(node)
    return checker.lines


class _Loader(_Base):  # type: ignore[misc,valid-type]  # CSafeLoader when PyYAML has libyaml
    """PyYAML's safe loader with a shorter way to each node's tag (the composer asks for every node):
    the same rules as PyYAML's resolver (a plain scalar is tried against the implicit resolvers for
    its first character, anything else gets the default tag of its kind) without its general path
    for path resolvers, which the safe loader has none of."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if self.yaml_path_resolvers:  # pragma: no cover - the safe loader registers none
            return super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_MAPPING_TAG if kind is yaml.MappingNode else self.DEFAULT_SEQUENCE_TAG


_WILDCARD = list(_Base.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {  # first character ('' for an empty scalar) -> the resolvers PyYAML tries, in its order
    first: [*resolvers, *_WILDCARD] for first, resolvers in _Base.yaml_implicit_resolvers.items() if first is not None
}


_STR, _SEQ, _MAP = _Loader.DEFAULT_SCALAR_TAG, _Loader.DEFAULT_SEQUENCE_TAG, _Loader.DEFAULT_MAPPING_TAG


class _NodeChecker:
    """Walks the node tree: aliases and duplicate keys are refused before anything is expanded, the
    line of every key is noted, and the data is built on the way (strings, lists and mappings here;
    any other value by PyYAML's safe constructor, so the data is what `yaml.safe_load` gives:
    tests/test_stages.py). A value the constructor refuses is kept in `error` (the walk goes on, so
    that an alias or duplicate key further on is reported as without it)."""

    def __init__(self, rel: str, problems: Collector, constructor: Any) -> None:
        self.rel, self.problems, self.failed = rel, problems, False
        self.constructor = constructor  # None: only the lines are wanted
        self.error: yaml.YAMLError | None = None
        self.lines: dict[Loc, int] = {}
        self.seen: set[int] = set()

    def check(self, node: yaml.Node) -> object:
        return self._walk(node, ())

    def _walk(self, node: yaml.Node, loc: Loc) -> object:
        if id(node) in self.seen:  # the same node met twice is an alias: refuse before anything expands
            if not self.failed:
                self._fail(self._alias_line(loc), "aliases (*name) are not allowed. Write the value out in full.")
            return None
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) or node.value:
            self.seen.add(id(node))
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            data = self._walk_mapping(node, loc)
            return data if node.tag == _MAP else self._construct(node)
        if isinstance(node, yaml.SequenceNode):
            items = [self._walk(item, (*loc, i)) for i, item in enumerate(node.value)]
            return items if node.tag == _SEQ else self._construct(node)
        return node.value if node.tag == _STR else self._construct(node)

    def _walk_mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[object, object]:
        seen: dict[str, int] = {}
        data: dict[object, object] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(line, "merge keys (<<) are not allowed. Write the keys out in full.")
                continue
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in seen:
                self._fail(line, f"duplicate key '{key}' (first at line {seen[key]}). Keep one of them.")
                continue
            seen[key] = line
            self.lines[(*loc, key)] = line
            value = self._walk(value_node, (*loc, key))
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR:
                data[key_node.value] = value
                continue
            try:  # a key that is not a string (1:, yes:, a list): as the safe constructor makes it
                data[self._construct(key_node)] = value
            except TypeError:
                self._refuse(key_node, "found unhashable key")
        return data

    def _construct(self, node: yaml.Node) -> object:
        if self.constructor is None or self.error is not None:
            return None
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as e:
            self.error = e
            return None

    def _refuse(self, node: yaml.Node, problem: str) -> None:
        if self.error is None and self.constructor is not None:
            self.error = yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, problem, node.start_mark
            )

    def _alias_line(self, loc: Loc) -> int:
        """The line of the key or item that holds the alias (the node itself points at the anchor)."""
        return self.lines.get(loc) or self.lines.get(loc[:-1], 1)

    def _fail(self, line: int, message: str) -> None:
        self.failed = True
        self.problems.add(self.rel, line, "", message)


def _mark_line(e: yaml.YAMLError) -> int:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    return mark.line + 1 if mark is not None else 1


def _syntax_message(e: yaml.YAMLError, text: str, line: int) -> str:
    lines = text.splitlines()
    if 0 < line <= len(lines) and "\t" in lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]:
        return "a tab character is used for indentation. Indent with spaces only."
    problem = getattr(e, "problem", None) or str(e)
    return f"YAML syntax error: {problem}. Check the indentation and quoting on this line and the one before."
