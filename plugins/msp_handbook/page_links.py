"""MkDocs' own checks of the hand-written pages, run for `msp-handbook validate`.

The build checks the links of hand-written pages (and the `nav`) itself, at
the levels the site sets in `validation:`. `validate` does not build, so it
runs the very same MkDocs code here: the site's files as the build will have
them (docs, generated pages, files for machines, the theme's), the `nav`,
and each hand-written page read and rendered as the build renders it; a
generated page is rendered only when a hand-written one links to an anchor
in it, or when the site overrides our page templates (its links are then
checked too, and placed in the override that writes them). What MkDocs logs becomes located problems, so both give one verdict.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from .files import line_and_column
from .problems import Problem
from .project import Project
from .page_additions import page_markdown
from .site import SiteCheck
from .site_files import STYLESHEET, add_markdown_extensions, docs_files, stylesheet_file
from .verdict_pages import TEMPLATE_FOLDERS, overrides_templates

# The link as MkDocs quotes it in its messages, and what to do about each kind.
_LINK = re.compile(r"^Doc file '(?P<page>.*?)' contains (?:a link(?: to)?|an unrecognized relative link|"
                   r"an absolute link) '(?P<link>.*?)'(?:,| but| which)")
_FIXES = (
    ("anchor", "link to a heading that is on that page: its anchor is the heading in lowercase, words joined by hyphens"),
    ("absolute link", "write the link relative to this page, to the Markdown file, e.g. ../guide/index.md"),
    ("unrecognized relative link", "link to the Markdown file (ending in .md), relative to this page"),
    ("excluded from the built site", "link to a page that is published, or publish the page"),
    ("not found", "check the file name and folders; links count from the page the link is on"),
)


def handwritten_page_problems(project: Project, check: SiteCheck) -> tuple[list[Problem], list[Problem]]:
    """What the build logs about the hand-written pages' links and the nav: (warnings, notes)."""
    config = project.config
    add_markdown_extensions(config)
    files = docs_files(config, project.practices_uri)
    if files.get_file_from_path(STYLESHEET) is None:
        files.append(stylesheet_file(config))
    files = Files([*files, *check.pages, *check.machine_files])
    files.add_files_from_theme(config.theme.get_env(), config)
    # A site's own page templates may write links of their own, which MkDocs
    # checks on the generated pages as on any other: then those pages too.
    generated = {file.src_uri for file in check.pages} if overrides_templates(config.theme.custom_dir) else set()
    with _logged() as records:
        get_navigation(files, config)
        pages = [_rendered(file, config, files, project, check) for file in files.documentation_pages()
                 if file.generated_by is None or file.src_uri in generated]
        for page in pages:
            for target in (page.links_to_anchors or {}):
                if target.page is None or target.page.present_anchor_ids is None:  # generated: rendered for its anchors
                    _rendered(target, config, files, project, check)
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    warnings, notes = [], []
    seen: dict[tuple[str, str], int] = {}  # a link written twice is reported twice: the nth at the nth place
    for record in records:
        problem = _located(record.getMessage(), project, config, seen)
        if record.levelno >= logging.WARNING:
            warnings.append(problem)
        elif record.levelno >= logging.INFO:
            notes.append(problem)
    return warnings, notes


def _rendered(file: File, config: MkDocsConfig, files: Files, project: Project, check: SiteCheck) -> Page:
    # The nav made the pages it lists, as in the build; the others are made here.
    check.rendered(file)  # a generated page validate left unrendered (see verdict_pages.py)
    page = file.page or Page(None, file, config)
    page.read_source(config)
    if check.published is not None and page.markdown is not None:
        page.markdown = page_markdown(page.markdown, check.published, file.src_uri, project.practices_uri)
    page.render(config, files)
    return page


def _located(message: str, project: Project, config: MkDocsConfig, seen: dict[tuple[str, str], int]) -> Problem:
    """MkDocs' message, placed at the link in the page's source when it can be found."""
    fix = next((fix for key, fix in _FIXES if key in message), "")
    match = _LINK.match(message)
    if match is None:  # about the nav: the configuration file
        return Problem(Path(config.config_file_path), 0, 0, message,
                       "list only files that exist in the docs folder" if "nav" in message else "")
    source = project.docs_dir / match["page"]
    if not source.exists() and (written := _in_template_override(match["link"], config)) is not None:
        return Problem(*written, message[match.end("page") + 2:],
                       "fix the link in your page template: it counts from the page the template makes")
    line = column = 0
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    nth = seen[match["page"], match["link"]] = seen.get((match["page"], match["link"]), -1) + 1
    index = _nth_link(text, match["link"], nth)
    if index >= 0:
        line, column = line_and_column(text, index)
    return Problem(source, line, column, message[match.end("page") + 2:], fix)


def _in_template_override(link: str, config: MkDocsConfig) -> tuple[Path, int, int] | None:
    """Where a site's own page template (custom_dir) writes `link`: file, line and column; None if none does."""
    custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    if custom_dir is None:
        return None
    for folder in TEMPLATE_FOLDERS:
        for template in sorted((custom_dir / folder).rglob("*")):
            try:
                text = template.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            if (index := _nth_link(text, link, 0)) >= 0:
                return (template, *line_and_column(text, index))
    return None


def _nth_link(text: str, link: str, nth: int) -> int:
    """Where the `nth` link to `link` starts in a page's source: as a Markdown link or
    HTML attribute if written so, else as any text; -1 if it cannot be found."""
    for before in ("](", "(", '"', "<", ""):
        pattern = re.escape(before + link) + r"""(?=[\s)"'>]|$)"""  # the whole link, not the start of a longer one
        starts = [match.start() + len(before) for match in re.finditer(pattern, text)]
        if starts:
            return starts[min(nth, len(starts) - 1)]
    return -1


@contextmanager
def _logged() -> Iterator[list[logging.LogRecord]]:
    """MkDocs' messages of info level and above, kept instead of printed."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("mkdocs")
    handler, level, propagate = Keep(logging.INFO), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
