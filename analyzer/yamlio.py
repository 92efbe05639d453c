"""Strict YAML reading shared by the catalog and profiles.

PyYAML's defaults are unsafe for data people act on: duplicate keys silently keep the last value,
``NO`` becomes ``False``, ``012`` becomes 10 and aliases can expand a small file into gigabytes.
:func:`read_yaml` parses with PyYAML's safe constructor underneath, rejects duplicate keys,
anchors and aliases and non-mapping roots, resolves only YAML 1.2 style booleans and decimal
integers, and records where every value stands so that later validation errors can point at a
``line:col``.

It is also the input boundary (README "Limits"): at most :data:`MAX_YAML_BYTES` are read from any
kind of file (a FIFO or ``/dev/zero`` included, whatever ``stat`` says), control characters other
than tab and line breaks, lone surrogates, nesting deeper than :data:`MAX_NESTING`, integers
beyond :data:`MAX_INTEGER`, non-finite floats and documents of more than :data:`MAX_NODES`
values are refused, and every parser failure becomes a located ``path:line:col`` problem.
Scanning and parsing use libyaml when PyYAML has it (about 20 times faster), and so does
composing the node tree when the text can hold no anchor or alias and cannot nest deep enough to
overflow libyaml's recursion; the same limits are then checked on the finished tree.
"""

from __future__ import annotations

import functools
import math
import os
import re
import select
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analyzer.errors import InputError, Problem

MAX_YAML_BYTES = 1_000_000
"""Largest YAML document accepted, catalog file or profile upload alike."""

MAX_NESTING = 40
"""Deepest nesting of mappings and lists accepted; real profiles and catalogs use under 10."""

MAX_NODES = 100_000
"""Most keys, values and collections in one document (500 roles with 40 needs each use about
46,000); parsing more would take seconds."""

MAX_INTEGER = 10**15
"""Largest integer magnitude the reader accepts; the models' own bounds are far lower."""

READ_TIMEOUT_SECONDS = 5.0
"""How long a pipe or device may take to deliver its bytes before the read gives up."""

FieldPath = tuple[str | int, ...]

_FORBIDDEN_CHARACTER = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff]")
"""Control characters other than tab, line feed and carriage return, and lone surrogates."""

_FORBIDDEN_IN_VALUE = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff]")
"""In a value a carriage return is refused too: YAML turns line breaks into line feeds, so one
can only come from an escape such as ``"\\r"`` (which starts a row in some spreadsheet readers)."""


try:
    from yaml.cyaml import CParser as _EventSource
except ImportError:  # PyYAML built without libyaml
    _EventSource = yaml.SafeLoader  # type: ignore[assignment, misc]
"""libyaml's scanner and parser when installed (about 20x faster than PyYAML's pure Python
one, so a 1 MB file parses in well under a second)."""

C_COMPOSER = _EventSource is not yaml.SafeLoader
"""True when libyaml can also compose the node tree (:func:`parse_yaml` then uses it for
documents that :func:`_fits_c_composer` clears); the Python composer below is the fallback."""

C_COMPOSER_MAX_DEPTH = 1_000
"""Deepest nesting a document may possibly reach to be composed by libyaml. Its composer
recurses in C without a limit (a 200 KB run of "[" crashes the process), so a sound upper bound
of the depth is worked out from the text first and a document over this bound is composed in
Python, which stops at :data:`MAX_NESTING` as it goes."""

C_COMPOSER_MAX_CHARACTERS = 256_000
"""Longest document libyaml composes. It builds the whole tree before the node count is
checked, so a hostile document of short values ("1,1,1,...") is left to the Python composer,
which stops at :data:`MAX_NODES`; a quarter of a megabyte of them composes in about 50 MB."""

_ANCHOR_OR_ALIAS = re.compile(r"(?<![0-9A-Za-z])[&*](?=[^\s])")
"""Every place an anchor ``&a`` or alias ``*a`` could start (and some that are only text, such
as ``*bold*``): a document with none cannot hold one."""

_BLOCK_START = re.compile(r"^ *(?:(?:---|[-?:]|![^ \t]*)[ \t]+)*", re.MULTILINE)
"""The leading indentation, block indicators and tags of a line: a block collection starts at
the column where this ends, or to its left."""


class _StrictLoader(
    _EventSource,  # type: ignore[misc, valid-type]
    yaml.composer.Composer,
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """A safe loader without anchors, aliases, deep nesting or YAML 1.1 surprises."""

    def __init__(self, text: str):
        _EventSource.__init__(self, text)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def document_node(self, c_composer: bool = False) -> yaml.Node | None:
        """The single document's node tree.

        Composed in Python by default, so every check below runs as the events arrive; with
        ``c_composer`` (only for a document :func:`_fits_c_composer` cleared) libyaml composes
        it and :func:`_check_tree` runs the same checks on the finished tree.
        """
        if c_composer:
            node = _EventSource.get_single_node(self)
            if node is not None:
                _check_tree(node)
            return node
        return yaml.composer.Composer.get_single_node(self)

    depth = 0
    nodes = 0

    def descend_resolver(self, current_node, current_index):  # type: ignore[no-untyped-def]
        """Nothing to do: the loader has no path resolvers (the composers call this for every
        node, and PyYAML's own version looks for some first)."""

    def ascend_resolver(self):  # type: ignore[no-untyped-def]
        """Nothing to do: the loader has no path resolvers (see :meth:`descend_resolver`)."""

    def resolve(self, kind, value, implicit):  # type: ignore[no-untyped-def]
        """The tag of a node without one; short plain scalars (most keys and values, which
        repeat across files) are looked up once per process."""
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= _MEMO_SCALAR_LENGTH:
            return _plain_scalar_tag(value)
        return super().resolve(kind, value, implicit)

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise yaml.MarkedYAMLError(
                problem=f"more than {MAX_NODES:,} values and keys in one document",
                problem_mark=event.start_mark,
            )
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if self.depth >= MAX_NESTING:
                raise yaml.MarkedYAMLError(
                    problem=f"nesting deeper than {MAX_NESTING} levels is not allowed",
                    problem_mark=event.start_mark,
                )
            self.depth += 1
            try:
                return self._compose_checked(parent, index, event)
            finally:
                self.depth -= 1
        return self._compose_checked(parent, index, event)

    def _compose_checked(self, parent, index, event):  # type: ignore[no-untyped-def]
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


def _fits_c_composer(text: str) -> bool:
    """True when libyaml may compose ``text``: it is at most :data:`C_COMPOSER_MAX_CHARACTERS`
    long, can hold no anchor or alias, and its nesting cannot exceed
    :data:`C_COMPOSER_MAX_DEPTH` (see :func:`_nesting_bound`)."""
    if not C_COMPOSER or len(text) > C_COMPOSER_MAX_CHARACTERS:
        return False
    if ("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text):
        return False
    flow_starts = text.count("[") + text.count("{")
    if flow_starts > C_COMPOSER_MAX_DEPTH:
        return False
    # Without a tag, where a block collection can start lies within its line: twice the
    # longest line bounds the block nesting too, and finding every start costs ten times more.
    if "!" not in text and 2 * (_longest_line(text) + 1) + flow_starts <= C_COMPOSER_MAX_DEPTH:
        return True
    return _nesting_bound(text) <= C_COMPOSER_MAX_DEPTH


def _longest_line(text: str) -> int:
    """The length of the longest run of ``text`` without a line feed.

    >>> _longest_line("a: 1\\nbc: [2]\\n")
    7
    """
    return max(map(len, text.split("\n")))


def _nesting_bound(text: str) -> int:
    """An upper bound of how deep collections nest in ``text`` (the root collection is 1).

    Along a chain of nested block collections the start column never falls, and stays the same
    only from a mapping to a sequence that is one of its values, so block collections nest at
    most twice per column up to the rightmost column where one can start (where
    :data:`_BLOCK_START` ends, at most). Flow collections only nest inside the last block one,
    and each needs its own ``[`` or ``{``.
    """
    rightmost = max(map(len, _BLOCK_START.findall(text)))
    return 2 * (rightmost + 1) + text.count("[") + text.count("{")


def _check_tree(root: yaml.Node) -> None:
    """Apply the Python composer's node-count and nesting limits to a composed tree.

    A tree within both limits (:func:`_within_limits`) passes at once. Otherwise nodes are
    visited in document order (a key before its value), as the Python composer meets them, so
    the first node over a limit, and so the error and its position, are the same.
    """
    if _within_limits(root):
        return
    count = 0
    pending: list[tuple[yaml.Node, int]] = [(root, 0)]
    while pending:
        node, depth = pending.pop()
        count += 1
        if count > MAX_NODES:
            raise yaml.MarkedYAMLError(
                problem=f"more than {MAX_NODES:,} values and keys in one document",
                problem_mark=node.start_mark,
            )
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth >= MAX_NESTING:
            raise yaml.MarkedYAMLError(
                problem=f"nesting deeper than {MAX_NESTING} levels is not allowed",
                problem_mark=node.start_mark,
            )
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = list(node.value)
        pending.extend((child, depth + 1) for child in reversed(children))


def _within_limits(root: yaml.Node) -> bool:
    """True when the tree holds at most :data:`MAX_NODES` nodes and no collection at a depth of
    :data:`MAX_NESTING` or more (the root is at depth 0): what :func:`_check_tree` requires.

    Counted a level at a time, whole lists at once: about twice as fast as the walk in
    document order, which is needed only to find the first node over a limit.
    """
    level = [root]
    count = 0
    depth = 0
    while True:
        count += len(level)
        if count > MAX_NODES:
            return False
        collections = [node for node in level if not isinstance(node, yaml.ScalarNode)]
        if not collections:
            return True
        if depth == MAX_NESTING:
            return False
        level = []
        for node in collections:
            if isinstance(node, yaml.MappingNode):
                level.extend(child for pair in node.value for child in pair)
            else:
                level.extend(node.value)
        depth += 1


# Replace YAML 1.1 bool, int and float resolution by YAML 1.2 core rules: only true/false are
# booleans, integers are decimal, so "NO" stays a string and "012" is 12, not octal 10, and
# "1e5" is a number, as a reader expects.
_StrictLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)


_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


_MEMO_SCALAR_LENGTH = 64
"""Longest plain scalar whose tag :func:`_plain_scalar_tag` remembers."""


@functools.lru_cache(maxsize=4096)
def _plain_scalar_tag(value: str) -> str:
    """The tag the strict loader's implicit resolvers give a plain scalar (no path resolvers
    are registered, so the value alone decides)."""
    resolvers = _StrictLoader.yaml_implicit_resolvers
    for tag, pattern in resolvers.get(value[:1], []) + resolvers.get(None, []):
        if pattern.match(value):
            return tag
    return _StrictLoader.DEFAULT_SCALAR_TAG


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if len(text.lstrip("+-").lstrip("0")) > len(str(MAX_INTEGER)):
        raise ValueError(f"integer too large (the limit is {MAX_INTEGER:,})")
    value = int(text)
    if abs(value) > MAX_INTEGER:
        raise ValueError(f"integer too large (the limit is {MAX_INTEGER:,})")
    return value


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node))
    value = math.inf if text.lstrip("+-").lower() in (".inf", ".nan") else float(text)
    if not math.isfinite(value):
        raise ValueError("numbers must be finite (no .inf, .nan or values beyond 1e308)")
    return value


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


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
    """The value of ``node`` with the ``(line, col)`` of it and of everything in it put in
    ``marks``; keys and scalars that cannot be read become located ``problems``.

    Plain and single-quoted text (most keys and values) is taken from the node as it is, here:
    it needs none of :func:`_scalar`'s checks (see there), and a call per key and value cost
    about a third of the building.
    """
    start = node.start_mark
    marks[path] = (start.line + 1, start.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STR_TAG and type(key_node) is _SCALAR and key_node.style != '"':
                key = key_node.value
            else:
                key = _scalar(loader, key_node, path, problems, source)
                if key is _INVALID:
                    continue
                if not isinstance(key, str | int) or isinstance(key, bool):
                    line, col = _mark(key_node)
                    problems.append(
                        Problem(source, line, col, _field(path), f"key {key!r} must be a string")
                    )
                    continue
            field = (*path, key)
            if key in result:
                line, col = _mark(key_node)
                problems.append(
                    Problem(
                        source,
                        line,
                        col,
                        _field(field),
                        f"duplicate key {key!r} (first defined on line {marks[field][0]})",
                    )
                )
                continue
            if (
                value_node.tag == _STR_TAG
                and type(value_node) is _SCALAR
                and value_node.style != '"'
            ):
                start = value_node.start_mark
                marks[field] = (start.line + 1, start.column + 1)
                result[key] = value_node.value
            else:
                result[key] = _build(loader, value_node, field, marks, problems, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*path, index), marks, problems, source)
            for index, item in enumerate(node.value)
        ]
    value = _scalar(loader, node, path, problems, source)
    return None if value is _INVALID else value


_SCALAR = yaml.ScalarNode


_INVALID = object()
"""Stands for a scalar that could not be read (its problem is already recorded)."""


def _scalar(
    loader: _StrictLoader,
    node: yaml.Node,
    path: FieldPath,
    problems: list[Problem],
    source: str,
) -> Any:
    """The value of a key or scalar node, or :data:`_INVALID` with a located problem."""
    if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        # Only an escape in a double-quoted scalar can put a character in a value that the
        # check of the whole text let through (YAML turns every raw line break into "\n").
        if node.style == '"' and (found := _FORBIDDEN_IN_VALUE.search(node.value)):
            problems.append(
                Problem(source, *_mark(node), _field(path), _forbidden_message(found.group()))
            )
            return _INVALID
        return node.value
    construct = _SCALAR_CONSTRUCTORS.get(node.tag) if isinstance(node, yaml.ScalarNode) else None
    try:
        if construct is None:
            value = loader.construct_object(node, deep=True)
        else:
            value = construct(loader, node)
    except ValueError as exc:
        # An impossible date such as 2027-02-30 matches the timestamp pattern but fails here,
        # as do huge integers and non-finite floats.
        shown = node.value if len(str(node.value)) <= 40 else f"{str(node.value)[:40]}..."
        problems.append(
            Problem(source, *_mark(node), _field(path), f"{shown!r} is not a valid value ({exc})")
        )
        return _INVALID
    if isinstance(value, str) and (found := _FORBIDDEN_IN_VALUE.search(value)):
        problems.append(
            Problem(source, *_mark(node), _field(path), _forbidden_message(found.group()))
        )
        return _INVALID
    return value


def _field(path: FieldPath) -> str:
    """A field path as a problem shows it: ``tiers.0.name``."""
    return ".".join(map(str, path))


_STR_TAG = "tag:yaml.org,2002:str"

_SCALAR_CONSTRUCTORS = {
    tag: _StrictLoader.yaml_constructors[tag]
    for tag in (
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:timestamp",
    )
}
"""The constructors of the other plain scalar types, called directly: what
``construct_object`` would pick for these tags, without its bookkeeping for aliases and
recursive collections. A string is the node's own value."""


def _forbidden_message(character: str) -> str:
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return f"lone surrogate U+{code:04X} is not text (an escape such as \\u{code:04x})"
    return f"control character U+{code:04X} is not allowed (only tab and line breaks are)"


def _first_forbidden_character(text: str, source: str) -> Problem | None:
    """A located problem for the first control character or lone surrogate in ``text``."""
    found = _FORBIDDEN_CHARACTER.search(text)
    if found is None:
        return None
    before = text[: found.start()]
    line = before.count("\n") + 1
    col = found.start() - (before.rfind("\n") + 1) + 1
    return Problem(source, line, col, "", _forbidden_message(found.group()))


def parse_yaml(text: str | bytes, source: str = "<input>") -> YamlDocument:
    """Parse one YAML mapping strictly; raise :class:`InputError` listing every problem.

    >>> parse_yaml("a: 1\\nb: NO\\n").data
    {'a': 1, 'b': 'NO'}
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_YAML_BYTES:
        raise InputError([_too_large(source, f"{size:,} bytes")])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError([Problem(source, 1, 1, "", f"not UTF-8 text ({exc.reason})")]) from exc
    forbidden = _first_forbidden_character(text, source)
    if forbidden is not None:
        raise InputError([forbidden])
    problems: list[Problem] = []
    try:
        loader = _StrictLoader(text)
        try:
            node = loader.document_node(_fits_c_composer(text))
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
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(exc, source)]) from None
    except yaml.YAMLError as exc:
        # A reader error (a character the YAML reader refuses) carries only a position.
        raise InputError([Problem(source, 1, 1, "", str(exc).splitlines()[0])]) from None
    if problems:
        raise InputError(problems)
    return YamlDocument(source, data, marks)


def _syntax_problem(exc: yaml.MarkedYAMLError, source: str) -> Problem:
    """Locate a parser failure where the broken construct opens (an unclosed quote's quote)."""
    mark = exc.context_mark or exc.problem_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = exc.problem or str(exc)
    if "invalid Unicode character escape" in message:
        # libyaml's words for an escape such as "\\ud83d" (half of a surrogate pair).
        message += " (a lone surrogate such as \\ud83d is not text)"
    if exc.context and exc.context_mark is not None:
        where = exc.problem_mark
        found = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        message = f"{exc.context}: {message}{found}"
    return Problem(source, line, col, "", message)


def _too_large(source: str, size: str) -> Problem:
    return Problem(source, 1, 1, "", f"file is {size}; the limit is {MAX_YAML_BYTES:,} bytes")


def read_limited(path: str | Path, limit: int = MAX_YAML_BYTES) -> bytes:
    """At most ``limit + 1`` bytes of the file at ``path``, whatever kind of file it is.

    The size from ``stat`` is not trusted (``/dev/zero`` says 0); a pipe or device that takes
    longer than :data:`READ_TIMEOUT_SECONDS` is given up on. Opening and reading never block, so
    a FIFO without a writer reads as empty instead of hanging. Raises :class:`InputError` when the
    file is larger than ``limit`` or cannot be read.
    """
    source = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError([Problem(source, 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    try:
        chunks = _read_chunks(fd, limit, time.monotonic() + READ_TIMEOUT_SECONDS)
    except TimeoutError:
        raise InputError(
            [Problem(source, 1, 1, "", "cannot read: no data arrived in time")]
        ) from None
    except OSError as exc:
        raise InputError([Problem(source, 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    finally:
        os.close(fd)
    size = sum(len(chunk) for chunk in chunks)
    if size > limit:
        raise InputError([_too_large(source, f"over {limit:,} bytes")])
    return b"".join(chunks)


def _read_chunks(fd: int, limit: int, deadline: float) -> list[bytes]:
    """Up to ``limit + 1`` bytes from a non-blocking ``fd``, waiting for a slow pipe until
    ``deadline`` (a FIFO that no one writes to reads as empty at once)."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        try:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError from None
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return chunks


def read_yaml(path: str | Path) -> YamlDocument:
    """Read and strictly parse the YAML file at ``path`` (at most :data:`MAX_YAML_BYTES`)."""
    return parse_yaml(read_limited(path), str(path))


def validation_problems(document: YamlDocument, error: Any) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` into located problems."""
    problems = []
    items = error.errors(include_url=False)
    failed_inside = {tuple(item["loc"][:end]) for item in items for end in range(len(item["loc"]))}
    for item in items:
        if item["type"] == "too_short" and tuple(item["loc"]) in failed_inside:
            # A tuple counts only the items that validated: one whose items failed is not
            # also reported as too short.
            continue
        loc = tuple(part for part in item["loc"] if isinstance(part, str | int))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
        elif item["type"] == "missing":
            message = f"required field {loc[-1]!r} is missing"
        problems.append(document.problem(_data_path(document, loc), message))
    return _merge_alternatives(problems)


def _merge_alternatives(problems: list[Problem]) -> list[Problem]:
    """One problem per field: a value that fits no member of a union gets one message per
    member from pydantic, joined here with "or"."""
    merged: dict[tuple[int, int, str], Problem] = {}
    for problem in problems:
        key = (problem.line, problem.col, problem.field)
        if key in merged:
            first = merged[key]
            problem = Problem(
                first.path,
                first.line,
                first.col,
                first.field,
                f"{first.message}, or {problem.message[0].lower()}{problem.message[1:]}",
            )
        merged[key] = problem
    return list(merged.values())


def _data_path(document: YamlDocument, loc: FieldPath) -> FieldPath:
    """Drop the parts pydantic adds to a location (union member names) that are not in the data."""
    path: list[str | int] = []
    for part in loc:
        if (*path, part) in document.marks or not path or isinstance(part, int):
            path.append(part)
    return tuple(path)
