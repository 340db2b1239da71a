"""YAML syntax errors told where the mistake most likely is, with the fix for that mistake.

The parser reports where it gave up, which is often far from the mistake: a
quote left open swallows the lines below it until the next quote character,
and a line indented one space too little or too many is noticed only on the
line after it. These are recognised from the text; anything else is reported
where the parser stopped.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .problems import Problem
from .yaml_loader import Loader as _Loader


# A line that reads as `key: value` or `- key: value`: inside a quoted value it
# means the quote was meant to end above it.
_KEY_LINE = re.compile(r"[ \t]*(?:- +)?[A-Za-z0-9_][A-Za-z0-9_ -]*:(?:[ \t]|$)")
_INDENTATION_ERRORS = ("did not find expected key", "did not find expected '-' indicator",
                       "mapping values are not allowed")


def syntax_problem(text: str, error: yaml.MarkedYAMLError, source: Path, first_line: int) -> Problem:
    """The problem to report for `error`, raised while parsing `text` (which starts at `first_line`)."""
    found = _unclosed_quote(text, error) or _odd_indentation(text, error)
    if found is not None:
        line, column, message, fix = found
        return Problem(source, line + first_line, column + 1, message, fix)
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
    what = error.problem or "invalid YAML"
    if error.context:
        what = f"{error.context}, {what}"
    return Problem(source, line, column, f"YAML syntax error: {what}", _syntax_fix(what))


def _unclosed_quote(text: str, error: yaml.MarkedYAMLError) -> tuple[int, int, str, str] | None:
    """(line, column from 0, message, fix) of a quote left open before where the parser stopped."""
    if error.context == "while scanning a quoted scalar" and error.context_mark is not None:
        mark = error.context_mark
        return mark.line, mark.column, *_quote_advice(text[mark.index])
    stop = error.problem_mark.line if error.problem_mark is not None else 0
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.line > stop:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                    and token.end_mark.line > token.start_mark.line):
                swallowed = text[token.start_mark.index:token.end_mark.index].split("\n")[1:]
                if any(_KEY_LINE.match(line) for line in swallowed):
                    mark = token.start_mark
                    return mark.line, mark.column, *_quote_advice(text[mark.index])
    except yaml.YAMLError:
        pass  # the scanner stops at the error too; what was read before it is enough
    return None


def _quote_advice(quote: str) -> tuple[str, str]:
    inside = '\\"' if quote == '"' else "''"
    return (f"YAML syntax error: the quote {quote} that starts this value is not closed, so YAML reads on "
            "into the lines below as part of it",
            f"close the quote: add {quote} after the last word of the value (a {quote} inside the text is written {inside})")


def _odd_indentation(text: str, error: yaml.MarkedYAMLError) -> tuple[int, int, str, str] | None:
    """(line, column from 0, message, fix) of the line indented unlike its neighbours."""
    if error.problem_mark is None or not any(kind in (error.problem or "") for kind in _INDENTATION_ERRORS):
        return None
    lines = text.split("\n")
    stop = error.problem_mark.line
    content = [i for i in range(min(stop, len(lines) - 1) + 1) if lines[i].strip() and not lines[i].lstrip().startswith("#")]
    if len(content) < 3 or content[-1] != stop:
        return None
    before, previous = content[-3], content[-2]
    indent = {i: len(lines[i]) - len(lines[i].lstrip(" ")) for i in (before, previous, stop)}
    opens_block = lines[before].rstrip().endswith(":")
    # The line before the one the parser stopped at is the odd one when it
    # breaks a run (before and stop agree) or fails to indent under a key that opens a block.
    if (indent[before] == indent[stop] != indent[previous] and not opens_block) or (
            opens_block and indent[previous] <= indent[before] < indent[stop]):
        odd, expected = previous, indent[stop]
    else:
        levels = _open_levels(lines, content[:-1], dash=lines[stop].lstrip().startswith("- "))
        if not levels or indent[stop] in levels:
            return None
        # The nearest level the line could belong to; of two, the deeper.
        odd, expected = stop, min(levels, key=lambda level: (abs(level - indent[stop]), -level))
        odd, expected = _odd_group_start(lines, content, stop, expected)
    return (odd, indent.get(odd, _indent(lines[odd])), f"YAML syntax error: this line is indented "
            f"{_spaces(_indent(lines[odd]))}, unlike the lines of its group around it ({_spaces(expected)})",
            f"indent it by {_spaces(expected)}, lined up with the other keys (or '- ' entries) of its group")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _odd_group_start(lines: list[str], content: list[int], stop: int, expected: int) -> tuple[int, int]:
    """(odd line, expected indentation) when the group's first line, not `stop`, is the odd one.

    YAML takes a group's indentation from its first line, so a first key
    indented wrongly is noticed only at its next sibling. When that sibling's
    indentation goes on below it (another key at the same column before the
    group ends) and the first line is the only one at its own, the first line is the mistake.
    """
    level = _indent(lines[stop])
    starts = [i for i in content if _indent(lines[i]) == expected and i < stop]
    if not starts:
        return stop, expected
    first = starts[-1]
    siblings_above = [i for i in content if first > i and _indent(lines[i]) <= expected]
    if siblings_above and _indent(lines[siblings_above[-1]]) == expected:
        return stop, expected  # the group started earlier at `expected`: `stop` is the odd one
    below = []
    for i in range(stop + 1, len(lines)):
        if not lines[i].strip() or lines[i].lstrip().startswith("#"):
            continue
        if _indent(lines[i]) < min(level, expected + 1):
            break
        below.append(_indent(lines[i]))
    return (first, level) if level in below else (stop, expected)


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _open_levels(lines: list[str], content: list[int], *, dash: bool) -> list[int]:
    """Indentations a line after `content` may have: those of the groups still open above it.

    With `dash`, only those of list entries (`- `), when there are any.
    """
    levels: list[tuple[int, bool]] = []
    for index in reversed(content):
        stripped = lines[index].lstrip(" ")
        indent = len(lines[index]) - len(stripped)
        starts = [(indent, stripped.startswith("- "))]
        if stripped.startswith("- "):  # the keys of an entry line up after its '- '
            starts.insert(0, (indent + len(stripped) - len(stripped[1:].lstrip(" ")), False))
        for level in starts:
            if not levels or level[0] < levels[-1][0]:
                levels.append(level)
    dashes = [indent for indent, is_dash in levels if is_dash]
    return dashes if dash and dashes else [indent for indent, _ in levels]


def _syntax_fix(what: str) -> str:
    if "tab" in what:
        return "indent with spaces, not tabs"
    if "did not find expected key" in what or "did not find expected '-' indicator" in what:
        return ("line this up with the lines of the same list or group above it: entries of one list start "
                "with '- ' in the same column, and keys of one group start in the same column")
    if "mapping values are not allowed" in what:
        return "put text that contains ': ' in quotes, or fix the indentation of this line"
    if "could not find expected ':'" in what or "simple key" in what:
        return "each line needs `key: value`; check the indentation and closing quotes above"
    if "found undefined alias" in what:
        return "define the anchor (&name) before using the alias (*name), or write the value out"
    return "check the indentation and quotes on this line and the one above"
