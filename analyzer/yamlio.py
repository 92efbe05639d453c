"""Strict YAML reading shared by the catalog and profiles.

PyYAML's defaults are unsafe for data people act on: duplicate keys silently keep the last value,
``NO`` becomes ``False``, ``012`` becomes 10 and aliases can expand a small file into gigabytes.
:func:`read_yaml` parses with :class:`yaml.SafeLoader` underneath, rejects duplicate keys,
anchors and aliases and non-mapping roots, resolves only YAML 1.2 style booleans and decimal
integers, and records where every value stands so that later validation errors can point at a
``line:col``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analyzer.errors import InputError, Problem

MAX_YAML_BYTES = 1_000_000
"""Largest YAML document accepted, catalog file or profile upload alike."""

FieldPath = tuple[str | int, ...]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without anchors, aliases or YAML 1.1 surprises."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                problem=f"alias *{event.anchor} is not allowed (aliases can expand a small file "
                "into a huge one)",
                problem_mark=event.start_mark,
            )
        if getattr(event, "anchor", None) is not None:
            raise yaml.MarkedYAMLError(
                problem=f"anchor &{event.anchor} is not allowed (anchors and aliases can expand a "
                "small file into a huge one; write the values out)",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


# Replace YAML 1.1 bool and int resolution by YAML 1.2 core rules: only true/false are booleans
# and integers are decimal, so "NO" stays a string and "012" is 12, not octal 10.
_StrictLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    return int(loader.construct_scalar(node))


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


@dataclass(frozen=True)
class YamlDocument:
    """A parsed document with the ``(line, col)`` of every value, keyed by its field path."""

    path: str
    data: dict[str, Any]
    marks: dict[FieldPath, tuple[int, int]]

    def locate(self, field_path: Iterable[str | int]) -> tuple[int, int]:
        """Line and column of the deepest known part of ``field_path`` (1-based)."""
        parts = tuple(field_path)
        for end in range(len(parts), -1, -1):
            if parts[:end] in self.marks:
                return self.marks[parts[:end]]
        return (1, 1)

    def problem(self, field_path: Iterable[str | int], message: str) -> Problem:
        """A :class:`Problem` located at ``field_path`` in this document."""
        parts = tuple(field_path)
        line, col = self.locate(parts)
        return Problem(self.path, line, col, ".".join(str(p) for p in parts), message)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _build(
    loader: _StrictLoader,
    node: yaml.Node,
    path: FieldPath,
    marks: dict[FieldPath, tuple[int, int]],
    problems: list[Problem],
    source: str,
) -> Any:
    marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int) or isinstance(key, bool):
                line, col = _mark(key_node)
                problems.append(
                    Problem(
                        source, line, col, ".".join(map(str, path)), f"key {key!r} must be a string"
                    )
                )
                continue
            if key in result:
                line, col = _mark(key_node)
                first_line = marks[(*path, key)][0]
                problems.append(
                    Problem(
                        source,
                        line,
                        col,
                        ".".join(map(str, (*path, key))),
                        f"duplicate key {key!r} (first defined on line {first_line})",
                    )
                )
                continue
            result[key] = _build(loader, value_node, (*path, key), marks, problems, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*path, index), marks, problems, source)
            for index, item in enumerate(node.value)
        ]
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as exc:
        # An impossible date such as 2027-02-30 matches the timestamp pattern but fails here.
        line, col = _mark(node)
        problems.append(
            Problem(
                source,
                line,
                col,
                ".".join(map(str, path)),
                f"{node.value!r} is not a valid value ({exc})",
            )
        )
        return None


def parse_yaml(text: str | bytes, source: str = "<input>") -> YamlDocument:
    """Parse one YAML mapping strictly; raise :class:`InputError` listing every problem.

    >>> parse_yaml("a: 1\\nb: NO\\n").data
    {'a': 1, 'b': 'NO'}
    """
    size = len(text.encode() if isinstance(text, str) else text)
    if size > MAX_YAML_BYTES:
        raise InputError(
            [Problem(source, 1, 1, "", f"file is {size:,} bytes; the limit is {MAX_YAML_BYTES:,}")]
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError([Problem(source, 1, 1, "", f"not UTF-8 text ({exc.reason})")]) from exc
    loader = _StrictLoader(text)
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError([Problem(source, 1, 1, "", "the document is empty")])
        if not isinstance(node, yaml.MappingNode):
            line, col = _mark(node)
            raise InputError(
                [
                    Problem(
                        source,
                        line,
                        col,
                        "",
                        "the document must be a mapping of field names to values",
                    )
                ]
            )
        marks: dict[FieldPath, tuple[int, int]] = {}
        data = _build(loader, node, (), marks, problems, source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise InputError([Problem(source, line, col, "", exc.problem or str(exc))]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(source, 1, 1, "", str(exc))]) from None
    finally:
        loader.dispose()
    if problems:
        raise InputError(problems)
    return YamlDocument(source, data, marks)


def read_yaml(path: str | Path) -> YamlDocument:
    """Read and strictly parse the YAML file at ``path``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise InputError(
                [
                    Problem(
                        str(path),
                        1,
                        1,
                        "",
                        f"file is {size:,} bytes; the limit is {MAX_YAML_BYTES:,}",
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(str(path), 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    return parse_yaml(raw, str(path))


def validation_problems(document: YamlDocument, error: Any) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` into located problems."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if isinstance(part, str | int))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
        elif item["type"] == "missing":
            message = f"required field {loc[-1]!r} is missing"
        problems.append(document.problem(_data_path(document, loc), message))
    return problems


def _data_path(document: YamlDocument, loc: FieldPath) -> FieldPath:
    """Drop the parts pydantic adds to a location (union member names) that are not in the data."""
    path: list[str | int] = []
    for part in loc:
        if (*path, part) in document.marks or not path or isinstance(part, int):
            path.append(part)
    return tuple(path)
