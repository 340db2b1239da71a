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
    """A Problem per (option, what is wrong, fix), at its value in `config_file` or a file it inherits.

    Not found in any (which should not happen), the problem names `config_file` and the option.
    """
    file = Path(config_file or "mkdocs.yml")
    values = _option_values(file)
    problems = []
    for key, message, fix in failures:
        where, node = values.get(key, (file, None))
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (0, 0)
        problems.append(Problem(where, line, column, f"option {key} of the {PLUGIN_NAME} plugin: {message}", fix))
    problems.sort()
    collected = _collected.get()
    if collected is not None:
        collected.extend(problems)
    return problems


def folded_message(problems: list[Problem], config_file: str) -> str:
    """Every problem in one message, for MkDocs to print after its `Plugin ... option ...:`."""
    count = len(problems)
    # Named from the folder of mkdocs.yml, as the build names the records' problems.
    root = Path(config_file or "mkdocs.yml").parent
    listed = "".join(f"\n{problem.relative_to(root)}" for problem in problems)
    return f"{count} problem{'s' if count != 1 else ''} in the {PLUGIN_NAME} plugin's options:{listed}"


def _option_values(file: Path, inheriting: tuple[Path, ...] = ()) -> dict[str, tuple[Path, Node]]:
    """Each option under `plugins:` -> `partnerships:`, with the file that sets it (`file`, or one it
    inherits through `INHERIT:`, which `file` overrides as MkDocs merges them) and its value node."""
    try:
        root = yaml.compose(file.read_text(encoding="utf-8-sig"), Loader=Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    found: dict[str, tuple[Path, Node]] = {}
    parent = _value(root, "INHERIT")
    # MkDocs refuses a loop of INHERITs before the plugin's options are read; the bound is for safety.
    if isinstance(parent, ScalarNode) and file not in inheriting and len(inheriting) < 20:
        found.update(_option_values(file.parent / parent.value, (*inheriting, file)))
    options = _value(_value(root, "plugins"), PLUGIN_NAME)
    if isinstance(options, MappingNode):
        found.update((key.value, (file, value)) for key, value in options.value if isinstance(key, ScalarNode))
    return found


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
