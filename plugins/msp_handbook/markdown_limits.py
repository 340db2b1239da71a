"""What a Markdown field may hold so that rendering it is always safe and quick.

Python-Markdown recurses once per level of nesting (blockquotes, list items,
however they are written: `> > >`, `- - -`, indentation), and its inline
patterns rebuild a block's text once per match, so a block's cost grows with
its length times the markup in it. The bounds below keep both in check:

- nesting: the run of container markers and indentation that starts a line
  (`>`, `-`, `*`, `+`, `1.`, `1)`, spaces, tabs) is at most MAX_NESTING
  characters, far below what exhausts Python's stack wherever it is rendered;
- cost: a field is at most MAX_CHARS characters on MAX_LINES lines (each
  line can make an element of the page), and a block (the lines between two
  blank lines) at most MAX_BLOCK_CHARS, so the work is at most proportional
  to MAX_CHARS x MAX_BLOCK_CHARS;
- brackets: for every `[` the renderer scans ahead, character by character,
  to the `]` that closes it (or to the end of the block), so the length of
  all those scans together is at most MAX_BRACKET_SCAN; it is small for
  ordinary links, and large for brackets left open or nested deep.

`tests/markdown_fuzz.py` (a development tool, not part of the tests) looks for
inputs that get through and still crash or take long.

Within those bounds the field is then rendered once, while validating (see
`rendering_problem`), so a crash that no bound foresaw is reported at the
field, by validation and the build alike, instead of breaking the build.
"""

from __future__ import annotations

import re

# The longest text in the example handbook is about 3,000 characters.
MAX_CHARS = 20_000
MAX_LINES = 1_000
MAX_BLOCK_CHARS = 5_000
MAX_NESTING = 24
MAX_BRACKET_SCAN = 50_000

# Container markers and indentation at the start of a line, however mixed.
_CONTAINERS = re.compile(r"(?:[ \t>]|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$))*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def cost_problem(text: str) -> str | None:
    """Why rendering `text` could be slow or crash, or None when it is within every bound."""
    if len(text) > MAX_CHARS:
        return f"the text is {len(text):,} characters long; at most {MAX_CHARS:,} are allowed here"
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        return f"the text has {len(lines):,} lines; at most {MAX_LINES:,} are allowed here"
    for line in lines:
        depth = _CONTAINERS.match(line).end()
        if depth > MAX_NESTING:
            return (f"a line starts with {depth} characters of indentation, quote marks (>) and list markers; "
                    f"at most {MAX_NESTING} are allowed")
    blocks = _BLANK_LINE.split(text)
    longest = max(map(len, blocks))
    if longest > MAX_BLOCK_CHARS:
        return (f"a paragraph, list or table is {longest:,} characters long without a blank line; "
                f"at most {MAX_BLOCK_CHARS:,} are allowed")
    scan = sum(map(_bracket_scan, blocks)) if "[" in text else 0
    if scan > MAX_BRACKET_SCAN:
        return (f"the text has square brackets left open or nested deep (reading them means scanning "
                f"{scan:,} characters; at most {MAX_BRACKET_SCAN:,} are allowed)")
    return None


def _bracket_scan(block: str) -> int:
    """How far the renderer reads ahead from every `[` in `block` to the `]` that closes it."""
    total = 0
    opened: list[int] = []
    for index, character in enumerate(block):
        if character == "[":
            opened.append(index)
        elif character == "]" and opened:
            total += index - opened.pop()
    return total + sum(len(block) - index for index in opened)


def rendering_problem(text: str) -> str | None:
    """Why `text` cannot be rendered (a bound exceeded, or the renderer failing), or None."""
    problem = cost_problem(text)
    if problem is not None:
        return problem
    # Imported here: the renderer imports the model, which checks its fields with this.
    from .field_markdown import markdown_html

    try:
        markdown_html(text)
    except Exception as error:  # noqa: BLE001 - whatever the renderer raises becomes a located problem
        return f"this text cannot be rendered ({type(error).__name__}); simplify its formatting"
    return None
