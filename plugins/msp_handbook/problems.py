"""What is wrong in a source file, where, and how to fix it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file. Line and column count from 1; 0 means the whole file."""

    file: Path
    line: int
    column: int
    message: str
    fix: str = ""

    def location(self) -> str:
        """`file:line:col`, or the file alone for a problem with the whole file."""
        if self.line <= 0:
            return str(self.file)
        return f"{self.file}:{self.line}:{self.column}"

    def relative_to(self, root: Path) -> "Problem":
        """The same problem with its file named from `root`, as people read it."""
        # The path as written first: a symbolic link is named where it is, not
        # where it points (which may be outside `root`, as a problem says).
        for file, base in ((Path(os.path.abspath(self.file)), Path(os.path.abspath(root))),
                           (self.file.resolve(), root.resolve())):
            try:
                return Problem(file.relative_to(base), self.line, self.column, self.message, self.fix)
            except ValueError:
                continue
        return self

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text


def shorten(value: object, limit: int = 60) -> str:
    """`value` as text, cut to `limit` characters with an ellipsis: messages quote, never dump."""
    try:
        text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    except ValueError:  # an integer with more digits than Python will print
        text = "a number of more than 4,000 digits"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InvalidHandbook(Exception):
    """Raised with every problem found, so one run reports them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the handbook's sources")
