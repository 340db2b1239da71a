"""The YAML loader every source file is read with: libyaml's, guessing types as PyYAML does, for less.

libyaml's parser is about ten times faster than PyYAML's own; fall back to
that when it is not built. For every value it reads, the parser asks
Python what type the text stands for (`resolve`): PyYAML's answer joins two
lists of patterns each time and looks for path rules no loader here sets.
This one asks the same patterns in the same order, found once per first
character, and remembers the tags of short texts it met before; the
result is the same tag for every value (tests/test_load_shortcuts.py).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# PyYAML tries the patterns listed for a value's first character, then those for any character (None).
_ANY_FIRST = tuple(_Base.yaml_implicit_resolvers.get(None, []))
_BY_FIRST = {first: tuple(patterns) + _ANY_FIRST
             for first, patterns in _Base.yaml_implicit_resolvers.items() if first is not None}
_DEFAULT_TAGS = {ScalarNode: _Base.DEFAULT_SCALAR_TAG, SequenceNode: _Base.DEFAULT_SEQUENCE_TAG,
                 MappingNode: _Base.DEFAULT_MAPPING_TAG}


# The tags of short plain scalars met before: keys, ids, dates, numbers come
# again and again (a plain scalar's tag depends on its text alone). Bounded,
# so it holds a few hundred kilobytes at most; the first ones met stay.
_KNOWN_TAGS: dict[str, str] = {}
_KNOWN_MAX_COUNT = 4096
_KNOWN_MAX_LENGTH = 40


def plain_scalar_tag(value: str) -> str:
    """The tag PyYAML gives a plain scalar (written without quotes or a tag), from its patterns."""
    for tag, pattern in _BY_FIRST.get(value[:1], _ANY_FIRST):
        if pattern.match(value):
            return tag
    return _DEFAULT_TAGS[ScalarNode]


class Loader(_Base):
    """libyaml's safe loader (PyYAML's without it) with a quicker way to the same tags."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node written without one: a plain scalar's from the patterns, else the default."""
        if kind is ScalarNode and implicit[0]:
            tag = _KNOWN_TAGS.get(value)
            if tag is None:
                tag = plain_scalar_tag(value)
                if len(value) <= _KNOWN_MAX_LENGTH and len(_KNOWN_TAGS) < _KNOWN_MAX_COUNT:
                    _KNOWN_TAGS[value] = tag
            return tag
        return _DEFAULT_TAGS[kind]

    # Path rules (add_path_resolver) are never set, so there is no path to follow.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing to do: no path rules."""

    def ascend_resolver(self) -> None:
        """Nothing to do: no path rules."""
