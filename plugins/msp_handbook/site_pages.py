"""The generated pages among the site's files: placed where MkDocs will publish them, rendered,
and the links in their Markdown fields resolved as MkDocs resolves a hand-written page's.

A generated page at the address of a hand-written one is a clash (MkDocs would
silently keep one of them); a link that leads to no file is reported at the level
the site's `validation.links` gives a hand-written page's. URLs come from MkDocs'
own `File.url` and `get_relative_url`, never re-derived.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from .edit_links import EditLinks
from .field_markdown import FieldLinks, PageLink
from .problems import Problem
from .render import render_page
from .structure import GeneratedPage
from .template_errors import template_problem


def placed_pages(config: MkDocsConfig, pages: list[GeneratedPage], docs: Files, edit: EditLinks,
                 docs_dir: Path) -> tuple[list[File], list[Problem]]:
    """A file for each generated page, not yet rendered, and a problem for each hand-written file at its address."""
    by_dest = {file.dest_uri: file for file in docs}
    files, clashes = [], []
    for page in pages:
        # Reached through /partnerships/, /practices/ and the partnership tabs, not the sidebar.
        file = File.generated(config, page.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
        if page.source is not None:
            file.edit_uri = edit.edit_uri(page.source)
        if (existing := by_dest.get(file.dest_uri)) is not None:
            # Files.append would silently replace it; the hand-written one must move.
            clashes.append(Problem(
                Path(existing.abs_src_path or docs_dir / existing.src_uri), 0, 0,
                f"clashes with the page the handbook generates at the same address ({page.src_uri})",
                "rename or move the hand-written file"))
        files.append(file)
    return files, clashes


def field_links(site: Files) -> FieldLinks:
    """How the links in Markdown fields become URLs among the site's files (see FieldLinks)."""
    # Links ask for the same pages again and again (each row of the dashboard, from each of its pages),
    # and MkDocs spells each path out through PurePath: each is found once.
    file_at = lru_cache(maxsize=None)(site.get_file_from_path)
    return FieldLinks(lambda page_uri, docs_path: url_between(file_at, page_uri, docs_path))


def url_between(file_at: Callable[[str], File | None], page_uri: str, docs_path: str) -> str | None:
    """The URL of the file at `docs_path`, relative to the page at `page_uri`, as MkDocs writes it
    (`file_at`: the site's Files.get_file_from_path)."""
    target, page = file_at(docs_path), file_at(page_uri)
    if target is None or page is None:
        return None
    return get_relative_url(target.url, page.url)


def render_pages(pages: list[GeneratedPage], files: list[File], templates: Environment, links: FieldLinks,
                 chosen: list[bool]) -> tuple[list[Problem], dict[str, Callable[[], str]]]:
    """Each chosen page's Markdown into its file: the problems of the templates that failed, and
    for each page not chosen (by its src_uri), what renders it when it is asked for."""
    failed: dict[Problem, None] = {}  # one template's mistake fails many pages: said once
    unrendered: dict[str, Callable[[], str]] = {}
    for page, file, render in zip(pages, files, chosen, strict=True):
        if not render:
            unrendered[file.src_uri] = partial(render_page, templates, page, links)
            continue
        try:
            file.content_string = render_page(templates, page, links)
        except Exception as error:  # noqa: BLE001 - a template the site overrides can fail in any way
            failed.setdefault(template_problem(error, page.template))
    return list(failed), unrendered


def link_problems(broken: list[PageLink], config: MkDocsConfig) -> tuple[list[Problem], list[Problem]]:
    """The links in Markdown fields that lead to no page, at the levels the site sets for
    hand-written pages' links (`validation.links`): (warnings, notes)."""
    levels = config.validation.links
    warnings, notes = [], []
    for link in broken:
        # As MkDocs decides for hand-written pages: a path without a file
        # extension is an "unrecognized" link, anything else a missing file.
        level = levels.not_found if os.path.splitext(link.docs_path)[1] else levels.unrecognized_links
        if level >= logging.WARNING:
            warnings.append(broken_link(link))
        elif level >= logging.INFO:
            notes.append(broken_link(link))
    return warnings, notes


def broken_link(link: PageLink) -> Problem:
    """A link in a Markdown field that leads to no page, located in its source file."""
    line, column = _find(link.source, f"({link.written}") if link.source else (0, 0)
    return Problem(link.source or Path(link.docs_path), line, column + 1 if line else 0,
                   f"the link '{link.written}' leads to no page of the handbook",
                   "check the file name and folders; links count from the page the text appears on")


def _find(path: Path, text: str) -> tuple[int, int]:
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 0, 0
    index = content.find(text)
    if index < 0:
        return 0, 0
    return content.count("\n", 0, index) + 1, index - (content.rfind("\n", 0, index) + 1) + 1
