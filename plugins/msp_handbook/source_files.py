"""Source files other than plain YAML records: Markdown with YAML front matter
(log entries, practices), read and parsed, and validation that keeps the
problems the reading already found, so every problem of a file comes at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic_core import PydanticCustomError

from .load import Document, parse_yaml, read_text, split_front_matter
from .model import LogEntry, Partnership, Practice, check_markdown
from .problems import Problem
from .validate import KnownIds, validate_document


@dataclass(frozen=True)
class MarkdownSource:
    """A Markdown file with YAML front matter, parsed but not yet validated."""

    document: Document
    body: str
    body_line: int


def read_markdown_source(path: Path, root: Path, kind: str, first_keys: str) -> tuple[MarkdownSource | None, list[Problem]]:
    """Front matter and body of a Markdown source file; `kind` and `first_keys` word its messages."""
    text, problems = read_text(path, root)
    if text is None:
        return None, problems
    front_matter, body, problems = split_front_matter(text, path)
    if front_matter is None:
        return None, problems
    if not front_matter.strip():
        return None, [Problem(path, 1, 1, "front matter is empty", f"add at least {first_keys} between the `---` lines")]
    # The front matter's problems and the text's are reported together, and
    # with those validation finds (see `validated`): every problem at once.
    document, problems = parse_yaml(front_matter, path, first_line=2)
    body_line = front_matter.count("\n") + 3
    body = body.strip("\n")
    try:
        # The very text the pages show: the renderer keeps what it converts here and converts it
        # once (see field_markdown.markdown_html), a practice's body most of all.
        check_markdown(body)
    except PydanticCustomError as limit:
        problems.append(Problem(path, body_line, 1, f"the {kind}'s text: {limit}", "shorten the text or flatten its nesting"))
    if document is None:
        return None, problems
    return MarkdownSource(document, body, body_line), problems


M = TypeVar("M", LogEntry, Practice, Partnership)


def validated(model: type[M], document: Document, problems: list[Problem], known: KnownIds) -> tuple[M | None, list[Problem]]:
    """The model of a parsed file, with the problems already found in it and validation's own."""
    result, found = validate_document(model, document, known)
    # A value YAML itself could not read is reported once, by the parser.
    parsed_at = {(problem.line, problem.column) for problem in problems}
    problems = problems + [problem for problem in found if (problem.line, problem.column) not in parsed_at]
    return (None if problems else result), problems
