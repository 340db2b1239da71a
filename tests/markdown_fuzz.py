"""Look for Markdown that passes the field bounds and still crashes or renders slowly.

A development tool, not a test (timing depends on the machine):

    .venv/bin/python tests/markdown_fuzz.py [SECONDS] [SEED]

It renders random mixes of the markup Python-Markdown treats specially
(containers, emphasis, code, links, tables, escapes), sometimes repeated to
fill the bounds, and prints every input that raises or takes longer than a
quarter of a second. A finding becomes a bound in markdown_limits.py and a
case in tests/test_markdown_fields.py.
"""

from __future__ import annotations

import random
import sys
import time

from msp_handbook.markdown_limits import cost_problem
from msp_handbook.field_markdown import markdown_html

PIECES = [
    "*", "**", "_", "__", "`", "``", "[", "]", "(", ")", "![", "<", ">", "> ", "- ", "* ", "+ ", "1. ", "1) ",
    "\n", "\n\n", "    ", "  ", "\t", "|", "|-|", "#", "\\", "&", "&#", ";", "x", "word ", ":", "http://a",
    "---", "===", "~", '"', "'", "=", "{", "}", "\n    ", "\n> ", "\n- ", "\n1. ", "\n|a|b|\n|-|-|\n",
    "<http://x>", "<a@b>", "[x]: y\n", "[x]", "[x](y)", "![x](y)",
]
SLOW = 0.25


def main(seconds: float = 60.0, seed: int = 0) -> int:
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    tried = findings = 0
    while time.monotonic() < deadline:
        text = "".join(rng.choice(PIECES) for _ in range(rng.choice([5, 20, 100, 400])))
        text *= rng.choice([1, 1, 2, 10, 50, 200])
        if cost_problem(text) is not None:
            continue
        tried += 1
        start = time.perf_counter()
        try:
            markdown_html(text)
        except Exception as error:  # noqa: BLE001 - every failure is a finding
            findings += 1
            print(f"CRASH {type(error).__name__}: {text[:200]!r} ({len(text)} characters)")
            continue
        elapsed = time.perf_counter() - start
        if elapsed > SLOW:
            findings += 1
            print(f"SLOW {elapsed:.2f} s: {text[:200]!r} ({len(text)} characters)")
    print(f"{tried} inputs within the bounds rendered, {findings} findings", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(*(float(arg) if index == 0 else int(arg) for index, arg in enumerate(sys.argv[1:]))))
