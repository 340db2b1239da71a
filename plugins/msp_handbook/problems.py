"""What is wrong in a source file, where, and how to fix it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

# C0 and C1 controls (line breaks included), DEL, the Unicode line and
# paragraph separators and the bidirectional overrides and isolates: any of
# them, printed from a file name or a value, could move the cursor, colour the
# terminal or start what looks like a message line of its own.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: object) -> str:
    """`text` on one line, every control character written as an escape (\\n, \\x1b, \\u202e)."""
    return _UNPRINTABLE.sub(_escape, str(text))


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return {9: "\\t", 10: "\\n", 13: "\\r"}.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file. Line and column count from 1; 0 means the whole file."""

    file: Path
    line: int
    column: int
    message: str
    fix: str = ""

    def __post_init__(self) -> None:
        # Messages quote values and names from the files: made visible once,
        # here, for the terminal, CI annotations and the preview's banner alike.
        object.__setattr__(self, "message", visible(self.message))
        object.__setattr__(self, "fix", visible(self.fix))

    def location(self) -> str:
        """`file:line:col`, or the file alone for a problem with the whole file."""
        if self.line <= 0:
            return visible(self.file)
        return f"{visible(self.file)}:{self.line}:{self.column}"

    def relative_to(self, root: Path) -> "Problem":
        """The same problem with its file named from `root`, as people read it."""
        # The path as written first: a symbolic link is named where it is, not
        # where it points (which may be outside `root`, as a problem says).
        try:
            resolved = (self.file.resolve(), root.resolve())
        except (OSError, RuntimeError):  # a link that loops: named as written only
            resolved = (self.file, root)
        for file, base in ((Path(os.path.abspath(self.file)), Path(os.path.abspath(root))), resolved):
            try:
                return Problem(file.relative_to(base), self.line, self.column, self.message, self.fix)
            except ValueError:
                continue
        return self

    def __str__(self) -> str:
        # The only line break is the one this adds before the fix.
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

    def __init__(self, problems: list[Problem], warnings: list[Problem] | tuple[Problem, ...] = ()):
        self.problems = sorted(problems)
        # Doubts about the records that are valid, reported with the problems: every problem at once.
        self.warnings = sorted(warnings)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the handbook's sources")
