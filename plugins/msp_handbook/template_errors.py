"""A page template that cannot be rendered, as a located problem instead of a traceback.

A site may override any of our page templates by name in its custom_dir (see
render.environment); a mistake there (a Jinja syntax error, a name the
template does not have) used to stop `mkdocs build` and `msp-handbook
validate` alike with a traceback. It is reported like every other problem,
at the template's file and line, by both (through site.plan_site).
"""

from __future__ import annotations

import traceback
from pathlib import Path

from jinja2 import TemplateSyntaxError

from .problems import Problem

FIX = "correct the template, or remove it from custom_dir to use the handbook's own"


def template_problem(error: Exception, page_template: str) -> Problem:
    """Where rendering a page with `page_template` failed: the template file and line, when known."""
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return Problem(Path(error.filename), error.lineno or 0, 1 if error.lineno else 0,
                       f"the page template has a syntax error: {error.message}", FIX)
    # Jinja puts the template's file and line in the traceback's frames: the last one is where it failed.
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith(".html")]
    template, line = (frames[-1].filename, frames[-1].lineno or 0) if frames else (page_template, 0)
    return Problem(Path(template), line, 1 if line else 0,
                   f"the page template cannot be rendered ({type(error).__name__}: {error})", FIX)
