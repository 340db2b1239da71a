"""Read record files safely and turn YAML into plain values that remember their lines.

Nothing here knows what a partnership is: this module only guarantees that
what reaches validation is text of a sane size, valid UTF-8 and YAML without
duplicate keys or alias bombs, and that every value can be traced back to the
line and column it came from.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .files import MAX_FILE_BYTES, read_text  # noqa: F401  (the loading API in one place)
from .problems import Problem, shorten
from .yaml_errors import syntax_problem
from .yaml_loader import Loader as _Loader

# A record has a few thousand values at most; far more means aliases
# expanding into each other (a "billion laughs" file) or a generated dump.
MAX_VALUES = 50_000
MAX_DEPTH = 40

_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_INT_TAG = "tag:yaml.org,2002:int"
_STR_TAG = "tag:yaml.org,2002:str"
_Mapping, _Sequence = yaml.MappingNode, yaml.SequenceNode
# Plain YAML values only: no !!binary, !!set, !!python/... or custom tags.
_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}



class Document:
    """Values of one YAML document, and where in the file each of them was written.

    Positions are looked up in the YAML's node tree when a problem asks for
    one: most files have none, and recording the line of every value of every
    file cost more than building the values. `positions` and `key_positions`
    list them all (built on first use), for code that moves values around.
    """

    def __init__(self, source: Path, value: Any, root: yaml.Node, first_line: int = 1):
        """`value` as built from the node tree `root`, parsed from text starting at `first_line` of `source`."""
        self.source = source
        self.value = value
        self.root = root
        self.first_line = first_line
        self._positions: tuple[dict[tuple, tuple[int, int]], dict[tuple, tuple[int, int]]] | None = None
        self._looked_up = 0

    @property
    def positions(self) -> dict[tuple, tuple[int, int]]:
        """Line and column of every value, by its place (keys and indexes from the top)."""
        return self._listed()[0]

    @property
    def key_positions(self) -> dict[tuple, tuple[int, int]]:
        """Line and column of every mapping key, by the place of its value."""
        return self._listed()[1]

    def position(self, loc: tuple, *, key: bool = False) -> tuple[int, int]:
        """Line and column of `loc`, or of its nearest enclosing value that has one."""
        self._looked_up += 1
        if self._positions is not None or self._looked_up > _LOOKUPS_IN_THE_TREE:
            # Listed (and maybe moved since, slips.py), or asked often: a lookup in the
            # tree reads every key before the one asked, so a file with thousands of
            # problems would take the square of its size.
            positions, key_positions = self._listed()
            if key and loc in key_positions:
                return key_positions[loc]
            for end in range(len(loc), -1, -1):
                if loc[:end] in positions:
                    return positions[loc[:end]]
            return (1, 1)
        node, key_node = self.root, None
        for depth, step in enumerate(loc):
            found = _child(node, step)
            if found is None:
                return self._where(node)
            key_node, node = found
            if key and key_node is not None and depth == len(loc) - 1:
                return self._where(key_node)
        return self._where(node)

    def problem(self, loc: tuple, message: str, fix: str = "", *, key: bool = False) -> Problem:
        """A Problem located at `loc` (at its key with `key=True`), with `message` and `fix`."""
        line, column = self.position(loc, key=key)
        return Problem(self.source, line, column, message, fix)

    def _where(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + self.first_line, node.start_mark.column + 1)

    def _listed(self) -> tuple[dict[tuple, tuple[int, int]], dict[tuple, tuple[int, int]]]:
        if self._positions is None:
            positions: dict[tuple, tuple[int, int]] = {}
            key_positions: dict[tuple, tuple[int, int]] = {}
            places = [((), self.root)]
            while places:
                loc, node = places.pop()
                positions[loc] = self._where(node)
                if isinstance(node, yaml.MappingNode):
                    for key_node, value_node in _kept(node):
                        key_positions[loc + (key_node.value,)] = self._where(key_node)
                        places.append((loc + (key_node.value,), value_node))
                elif isinstance(node, yaml.SequenceNode):
                    places += [(loc + (index,), child) for index, child in enumerate(node.value)]
            self._positions = positions, key_positions
        return self._positions


def _kept(node: yaml.MappingNode) -> Iterator[tuple[yaml.ScalarNode, yaml.Node]]:
    """The pairs of a mapping the builder keeps: its usable keys, each at its first occurrence."""
    seen = set()
    for key_node, value_node in node.value:
        if _refused_key(key_node) is None and key_node.value not in seen:
            seen.add(key_node.value)
            yield key_node, value_node


def _child(node: yaml.Node, step: Any) -> tuple[yaml.Node | None, yaml.Node] | None:
    """Key node (None in a list) and value node at `step`, a key or index under `node`, as the builder kept them."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == step and _refused_key(key_node) is None:
                return key_node, value_node  # the first occurrence: a later one is a duplicate, refused
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return None, node.value[step]
    return None


def _refused_key(key_node: yaml.Node) -> tuple[str, str] | None:
    """Why a mapping key is left out of the values (message and fix); None for a key kept."""
    if key_node.tag == _MERGE_TAG:
        return "merge keys (<<) are not supported", "write the keys out in full"
    if not isinstance(key_node, yaml.ScalarNode):
        return "a key must be plain text", "write the key as a single word followed by ':'"
    if control := _CONTROL_IN_KEY.search(key_node.value):
        return (f"the key '{key_node.value}' contains the control character {_named(control.group())}",
                "write the key in plain letters, digits and hyphens")
    return None


# Problems a file may have before its positions are all listed (see Document.position).
_LOOKUPS_IN_THE_TREE = 16


class _TooBig(Exception):
    pass


def parse_yaml(text: str, source: Path, first_line: int = 1) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document. `first_line` is where `text` starts in the file."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        loader.dispose()
        return None, [syntax_problem(text, error, source, first_line)]
    except yaml.YAMLError as error:
        return None, [Problem(source, first_line, 1, f"YAML error: {error}", "check the file's indentation and quotes")]

    if node is None:
        loader.dispose()
        return None, [Problem(source, first_line, 1, "contains no YAML values", "add the keys of the record, starting with `name:`")]

    tag_problems = _explicit_tags(text, source, first_line) if "!" in text else []
    builder = _Builder(loader, source, first_line, {(p.line, p.column) for p in tag_problems})
    builder.problems += tag_problems
    try:
        value = builder.build(node, 0)
    except _TooBig as error:
        message, (line, column) = error.args
        return None, [*builder.problems, Problem(source, line, column, message,
                                                  "write the values out instead of nesting aliases (*name), or split the file")]
    finally:
        loader.dispose()
    document = Document(source, value, node, first_line)
    return document, builder.problems


def read_yaml(path: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """A YAML source file, read safely and parsed; None with the reasons when it cannot be used."""
    text, problems = read_text(path, root)
    if text is None:
        return None, problems
    document, problems = parse_yaml(text, path)
    return (None, problems) if document is None or problems else (document, [])


def _explicit_tags(text: str, source: Path, first_line: int) -> list[Problem]:
    """Every tag written in the text (`!!set`, `!custom`, `!!str`), on values, lists, mappings and keys alike.

    Tags are found in the parser's events: once composed, a tag on a list or a
    key that YAML would have guessed anyway can no longer be told apart.
    """
    problems = []
    for event in yaml.parse(text, Loader=_Loader):
        tag = getattr(event, "tag", None)
        if tag is not None:
            problems.append(Problem(source, event.start_mark.line + first_line, event.start_mark.column + 1,
                                    f"the YAML tag '{tag}' is not supported",
                                    "remove the tag (the part starting with '!'); put text in quotes"))
    return problems


def split_front_matter(text: str, source: Path) -> tuple[str | None, str, list[Problem]]:
    """Split a Markdown file into its YAML front matter and its body."""
    # Only \n ends a line, as for YAML: str.splitlines would also split on U+2028 and the like.
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if not lines or lines[0].rstrip() != "---":
        return None, text, [Problem(source, 1, 1, "does not start with front matter",
                                    "begin the file with a line `---`, the keys (date, title, ...), then another `---`")]
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "".join(lines[1:number]), "".join(lines[number + 1:]), []
    return None, text, [Problem(source, 1, 1, "front matter is not closed",
                                "add a line `---` after the last key of the front matter")]


class _Builder:
    """Turns a composed node tree into dicts, lists and scalars (the positions stay in the tree)."""

    def __init__(self, loader: Any, source: Path, first_line: int, tagged: set[tuple[int, int]]):
        self.loader = loader
        # Positions of nodes whose tag is reported already: built as written.
        self.tagged = tagged
        self.source = source
        self.first_line = first_line
        self.problems: list[Problem] = []
        self.count = 0

    def where(self, node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + self.first_line, node.start_mark.column + 1)

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(f"the YAML expands to more than {MAX_VALUES:,} values, which no record needs", self.where(node))
        if depth > MAX_DEPTH:
            raise _TooBig(f"the YAML is nested more than {MAX_DEPTH} levels deep", self.where(node))
        kind = type(node)
        if kind is _Mapping:
            return self.build_mapping(node, depth)
        if kind is _Sequence:
            return [self.build(child, depth + 1) for child in node.value]
        if node.tag == _STR_TAG and not self.tagged:
            # Most values are text: the scalar as read, as PyYAML's constructor
            # builds it, without its per-node bookkeeping.
            value = node.value
            if _CONTROL_IN_VALUE.search(value):
                return self.as_typed(node, value)  # which reports it
            return value
        return self.build_scalar(node)

    def build_scalar(self, node: yaml.ScalarNode) -> Any:
        """A value YAML typed (number, date, true...), or one with a tag."""
        if self.tagged and self.where(node) in self.tagged:
            return node.value
        if node.tag == _STR_TAG:
            return self.as_typed(node, node.value)
        if node.tag not in _SCALAR_TAGS:
            self.problems.append(Problem(self.source, *self.where(node), f"the YAML tag '{node.tag}' is not supported",
                                         "remove the tag (the part starting with '!') and write a plain value"))
            return None
        try:
            quick = _QUICK.get(node.tag)
            value = quick(node.value) if quick is not None else None
            if value is None:
                value = self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            self.problems.append(Problem(self.source, *self.where(node), *_unreadable(node)))
            return node.value
        return self.as_typed(node, value)

    def build_mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        """A mapping's keys as written (refusing merge keys, non-text, control characters and duplicates)."""
        mapping: dict[str, Any] = {}
        first_keys: dict[str, yaml.Node] | None = None  # listed at the first duplicate: asking each time reads the whole mapping
        for key_node, value_node in node.value:
            # Keys stay as written: `yes:` or `2024:` are names here, not booleans or numbers.
            if (refused := _refused_key(key_node)) is not None:
                self.problems.append(Problem(self.source, *self.where(key_node), *refused))
                continue
            key = key_node.value
            if key in mapping:  # a key kept already: this one is a duplicate
                first_keys = first_keys or {kept.value: kept for kept, _ in _kept(node)}
                first = first_keys[key]
                self.problems.append(Problem(self.source, *self.where(key_node),
                                             f"duplicate key '{key}' (first given on line {self.where(first)[0]})",
                                             f"keep one '{key}:' and merge or delete the other"))
                continue
            mapping[key] = self.build(value_node, depth + 1)
        return mapping

    def as_typed(self, node: yaml.ScalarNode, value: Any) -> Any:
        """`value`, unless YAML read the text typed as something else (`1:20` as 80)."""
        if isinstance(value, str):
            control = _CONTROL_IN_VALUE.search(value)
            if control:
                self.problems.append(Problem(
                    self.source, *self.where(node), f"contains the control character {_named(control.group())}",
                    "delete it (in quotes, YAML reads escapes such as \\x07, \\u0085 or \\e as control characters)"))
            return value
        if node.style or not isinstance(value, (bool, int, float)):  # quoted, or not a number
            return value
        typed = node.value
        if isinstance(value, bool):
            if typed.lower() in ("true", "false"):
                return value
            self.problems.append(Problem(self.source, *self.where(node), f"YAML would read '{shorten(typed)}' as {str(value).lower()}",
                                         f"put it in quotes: '{shorten(typed)}' (or write true or false)"))
            return typed
        if isinstance(value, int) and _PLAIN_INTEGER.fullmatch(typed):
            return value
        if isinstance(value, float) and _NOT_FINITE.fullmatch(typed):
            return value  # YAML's own spelling of infinity and not-a-number: refused where a number is expected
        if isinstance(value, float) and _PLAIN_DECIMAL.fullmatch(typed):
            # Kept as typed too: an SDG target written 17.10 is "17.10", not "17.1".
            return TypedNumber(typed)
        self.problems.append(Problem(self.source, *self.where(node), f"YAML would read '{shorten(typed)}' as {shorten(repr(value))}",
                                     f"put it in quotes: '{shorten(typed)}'; a number is written in plain digits, e.g. 1200 or 12.5"))
        return typed


def _plain_date(typed: str) -> dt.date | None:
    """A plain date (2025-03-14) as PyYAML builds it; None for any other spelling of a timestamp."""
    match = _PLAIN_DATE.fullmatch(typed)
    return dt.date(int(match[1]), int(match[2]), int(match[3])) if match else None  # ValueError for 2025-02-30


def _plain_integer(typed: str) -> int | None:
    """A plain integer (-12) as PyYAML builds it; None for any other spelling (012, 1_000, 0x1F, 1:20)."""
    return int(typed) if _PLAIN_INTEGER.fullmatch(typed) else None  # ValueError when far too long


# Dates and whole numbers, the typed values records hold most, built without PyYAML's
# bookkeeping for each; any other spelling goes to PyYAML (tests/test_load_shortcuts.py).
_QUICK = {_TIMESTAMP_TAG: _plain_date, _INT_TAG: _plain_integer}
_PLAIN_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


class TypedNumber(float):
    """A decimal number from YAML that remembers how it was typed (`17.10`, `1.50`)."""

    typed: str

    def __new__(cls, typed: str) -> "TypedNumber":
        """The number `typed` stands for, keeping `typed` beside it."""
        number = super().__new__(cls, typed)
        number.typed = typed
        return number


# What YAML 1.1 reads as numbers, but only these spellings mean what they
# look like: it also reads 012 as 10, 1_000 as 1000 and 1:20 as 80.
_PLAIN_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_NOT_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)")
_PLAIN_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
# Tab and line feed are ordinary in text; every other control character in a
# value or key came from an escape in quotes.
_CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_IN_KEY = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _named(character: str) -> str:
    return f"U+{ord(character):04X}"


def _unreadable(node: yaml.ScalarNode) -> tuple[str, str]:
    """Message and fix for a plain value YAML recognised but could not construct."""
    if node.tag == _TIMESTAMP_TAG:
        return (f"'{shorten(node.value)}' looks like a date but is not a real calendar date",
                "check the month and day: write YYYY-MM-DD, e.g. 2025-03-14")
    if node.tag == _INT_TAG:
        return (f"the number '{shorten(node.value)}' ({len(node.value):,} characters) is too long to read",
                "write a shorter number, or put it in quotes if it is meant as text")
    return f"'{shorten(node.value)}' cannot be read as a value", "put the value in quotes"


_SLUGGISH = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lowercase, hyphen-separated form of a title or file name, for file names and anchors.

    Accents are dropped rather than the letters ("Réunion" gives "reunion").
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUGGISH.sub("-", ascii_text.lower()).strip("-") or "entry"
