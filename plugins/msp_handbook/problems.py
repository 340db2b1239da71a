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


class InvalidHandbook(Exception):
    """Raised with every problem found, so one run reports them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the handbook's sources")

    def report(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)
