"""The plugin's options that MkDocs refuses, each told where it is in mkdocs.yml and how to fix it.

MkDocs stops at the first option that fails and names no line; the plugin's
configuration checks every option, then finds each bad one's value in the
file MkDocs read, with the same position-keeping parser as the records.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem
from .yaml_loader import Loader

PLUGIN_NAME = "partnerships"

# The problems found while `collecting_config_problems` runs (the command line's
# reading of mkdocs.yml), so it can print them as it prints every other problem.
_collected: ContextVar[list[Problem] | None] = ContextVar("msp_config_problems", default=None)


@contextmanager
def collecting_config_problems() -> Iterator[list[Problem]]:
    """The plugin options' problems found inside the `with`, as Problems."""
    problems: list[Problem] = []
    token = _collected.set(problems)
    try:
        yield problems
    finally:
        _collected.reset(token)


def located_problems(config_file: str, failures: list[tuple[str, str, str]]) -> list[Problem]:
    """A Problem per (option, what is wrong, fix), at its value in `config_file` or, not found there, the file."""
    file = Path(config_file or "mkdocs.yml")
    values = _option_values(file)
    problems = []
    for key, message, fix in failures:
        node = values.get(key)
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (0, 0)
        # Not in this file (set through INHERIT in another): the file and the option's name say where.
        problems.append(Problem(file, line, column, f"option {key} of the {PLUGIN_NAME} plugin: {message}", fix))
    problems.sort()
    collected = _collected.get()
    if collected is not None:
        collected.extend(problems)
    return problems


def folded_message(problems: list[Problem]) -> str:
    """Every problem in one message, for MkDocs to print after its `Plugin ... option ...:`."""
    count = len(problems)
    # Named from the folder of mkdocs.yml, as the build names the records' problems.
    listed = "".join(f"\n{problem.relative_to(problem.file.parent)}" for problem in problems)
    return f"{count} problem{'s' if count != 1 else ''} in the {PLUGIN_NAME} plugin's options:{listed}"


def _option_values(file: Path) -> dict[str, Node]:
    """The value node of each option under `plugins:` -> `partnerships:` in `file`; empty when not there."""
    try:
        root = yaml.compose(file.read_text(encoding="utf-8-sig"), Loader=Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    options = _value(_value(root, "plugins"), PLUGIN_NAME)
    if not isinstance(options, MappingNode):
        return {}
    return {key.value: value for key, value in options.value if isinstance(key, ScalarNode)}


def _value(node: Node | None, name: str) -> Node | None:
    """The value of `name` in a mapping, or of the first `- name:` item of a list (plugins are either)."""
    if isinstance(node, SequenceNode):
        for item in node.value:
            found = _value(item, name)
            if found is not None:
                return found
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == name:
                return value
    return None
