"""What the plugin adds to the Markdown of a page MkDocs reads (on_page_markdown, and validate's
own reading): a phase's guide gets the practices for each of its steps, and while
`mkdocs serve` shows the last good version, every page gets the problems that keep the newer one out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .escaping import md_text
from .structure.pages import practices_for_step
from .urls import SitePaths, relative_link

if TYPE_CHECKING:
    from .handbook import Handbook
    from .model import Phase
    from .problems import Problem


def page_markdown(markdown: str, handbook: Handbook, src_uri: str, practices_uri: str) -> str:
    """A hand-written page's Markdown as the site shows it: a phase's guide gets its practices."""
    for phase in handbook.cycle.phases:
        if src_uri == phase.guide:
            markdown = guide_with_practices(markdown, handbook, phase, src_uri, practices_uri)
    return markdown


def guide_with_practices(markdown_source: str, handbook: Handbook, phase: Phase, page_uri: str,
                         practices_uri: str = "practices") -> str:
    """A phase's guidance page with, under each step's heading, the practices for that step.

    The guidance stays hand-written; the lists come from the practices' own
    front matter, so the two-way links never need editing by hand.
    """
    lines = markdown_source.split("\n")
    paths = SitePaths(practices_uri)
    for step in phase.steps:
        practices = practices_for_step(handbook, step)
        if not practices:
            continue
        heading = re.compile(r"^#{1,6} .*\{[^}]*#" + re.escape(step.id) + r"[\s}]")
        index = next((i for i, line in enumerate(lines) if heading.match(line)), None)
        if index is None:
            continue
        items = [
            f"    - [{md_text(practice.title)}]({relative_link(page_uri, paths.practice(practice.slug))}): "
            f"{md_text(practice.summary)}"
            for practice in practices
        ]
        lines[index + 1:index + 1] = ["", '!!! tip "Good practices for this step"', "", *items, ""]
    return "\n".join(lines)


def problems_banner(problems: list[Problem]) -> str:
    """A warning block for the top of every page while `mkdocs serve` shows an older version."""
    lines = [f'!!! failure "{len(problems)} problem{"s" if len(problems) != 1 else ""} in the sources: '
             'this preview shows the last version without problems"', ""]
    for problem in problems:
        message = problem.message if problem.message.endswith(("?", ".", "!")) else problem.message + "."
        fix = f" Fix: {md_text(problem.fix)}" if problem.fix else ""
        lines.append(f"    - **{md_text(problem.location())}**: {md_text(message)}{fix}")
    return "\n".join(lines) + "\n\n"
