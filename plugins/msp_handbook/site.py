"""The checks that decide whether a handbook can be published, shared by the build and `validate`.

`check_site` loads the handbook, places every generated page among the docs
files MkDocs will publish, renders it and checks the links in its Markdown
fields (`plan_site`, with site_pages.py), then makes the files for machines.
The plugin runs it in `on_pre_build`, before MkDocs empties site_dir, so a
refused build leaves the last site as it was; `msp-handbook validate` runs
the very same function, so both give the same verdict.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from .audience import for_audience
from .edit_links import EditLinks
from .feeds import FeedLink, feed_links
from .files import special_files
from .handbook import Handbook, load_handbook
from .iati import IatiOptions, exportable
from .outputs import OutputClash, Publishing, machine_files, machine_paths
from .problems import InvalidHandbook, Problem
from .project import Project
from .render import environment, forget_rendered_text, let_go, new_build
from .site_files import docs_files
from .site_pages import field_links, link_problems, placed_pages, render_pages
from .structure import handbook_pages
from .urls import SitePaths, published_url
from .verdict_pages import overrides_templates, pages_to_render


@dataclass
class SiteCheck:
    """The verdict on a handbook, and the generated pages when it can be published."""

    handbook: Handbook | None  # everything that was checked
    # What the site shows: `handbook` as its audience may read it (see audience.py).
    published: Handbook | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # Reported at info level (validation.links set to `info`): shown, never fatal.
    notes: list[Problem] = field(default_factory=list)
    pages: list[File] = field(default_factory=list)
    # Open data, feeds and IATI files (see add_machine_files), and the feeds each page announces.
    machine_files: list[File] = field(default_factory=list)
    feed_links: dict[str | None, list[FeedLink]] = field(default_factory=dict)
    # Pages left unrendered by a check for the verdict alone (see verdict_pages.py): src_uri -> their renderer.
    unrendered: dict[str, Callable[[], str]] = field(default_factory=dict)

    def fails(self, strict: bool) -> bool:
        """Whether the build must stop: any error, or any warning in strict mode."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def rendered(self, file: File) -> File:
        """`file` with its content, rendered now if the check left it out."""
        render = self.unrendered.pop(file.src_uri, None)
        if render is not None:
            file.content_string = render()
        return file


def templates_for(config: MkDocsConfig) -> Environment:
    """The page templates, with the site's `custom_dir` overrides first."""
    theme_dir = config.theme.custom_dir
    return environment(Path(theme_dir) if theme_dir else None)


_KEPT_TEXT_OF: list[Path] = []


def _kept_text_for(records_dir: Path) -> None:
    """What rendering keeps (converted fields, escaped names) serves one handbook's next check:
    another handbook's check in the same process (a script, the tests) starts without it."""
    if _KEPT_TEXT_OF != [records_dir]:
        forget_rendered_text()
        _KEPT_TEXT_OF[:] = [records_dir]


def check_site(project: Project, templates: Environment | None = None,
               record_dates: dict[Path, dt.date] | None = None, only: str | None = None,
               verdict_only: bool = False) -> SiteCheck:
    """Everything that can stop the build, found at once: records, generated pages, links.

    With `only`, a partnership's folder name, that partnership alone is read (the serve preview).
    With `verdict_only` (validate), pages that cannot change the verdict are left unrendered
    (see verdict_pages.py): `SiteCheck.rendered` renders one when it is needed after all.
    """
    # MkDocs would hang reading a named pipe among the docs: known before it starts.
    unusable = special_files(project.docs_dir)
    _kept_text_for(project.records_dir)
    try:
        handbook = load_handbook(project.records_dir, project.cycle_file, root=project.root,
                                 practices_dir=project.practices_dir, building_blocks=project.building_blocks,
                                 only=only)
    except InvalidHandbook as invalid:
        return SiteCheck(None, errors=sorted(set(unusable) | set(invalid.problems)), warnings=list(invalid.warnings))
    if unusable:
        return SiteCheck(None, errors=unusable)
    check = add_machine_files(plan_site(project, handbook, templates or templates_for(project.config), record_dates,
                                        verdict_only), project, contents=not verdict_only)
    check.warnings[:0] = handbook.warnings
    check.errors += _iati_problems(project)
    check.notes += _iati_notes(project, handbook)
    if not project.config.site_url:
        check.warnings.append(Problem(
            Path(project.config.config_file_path), 0, 0,
            "site_url is not set, so the site publishes no feeds (Atom, JSON Feed): they need absolute links",
            "set site_url in mkdocs.yml to the address the site is published at, e.g. https://example.org/handbook/"))
    return check


def add_machine_files(check: SiteCheck, project: Project, *, contents: bool = True) -> SiteCheck:
    """Open data, feeds and IATI files of the published handbook, made before site/ is emptied,
    so a clash between them (a partnership folder named `index`) stops the build in time.

    Every address in them is of a generated file, so MkDocs' File.url for its
    docs path is the address it will have. Without `contents` (validate), the files are
    placed empty: a clash between their paths is all that making them can find.
    """
    if check.errors or check.published is None:
        return check
    config = project.config

    @lru_cache(maxsize=None)  # per build: feeds ask the same pages' addresses again and again
    def url_of(docs_path: str) -> str:
        return published_url(config.site_url, File.generated(config, docs_path, content="").url)

    iati = project.iati if isinstance(project.iati, IatiOptions) else None
    publishing = Publishing(config.site_name, feeds=bool(config.site_url), site_feed_entries=project.site_feed_entries,
                            iati=iati)
    paths = SitePaths(project.practices_uri)
    try:
        made = machine_files(check.published, paths, url_of, publishing) if contents else \
            dict.fromkeys(machine_paths(check.published, paths, publishing), "")
    except OutputClash as clash:
        check.errors.append(Problem(project.records_dir, 0, 0, str(clash)))
        return check
    if publishing.feeds and contents:
        check.feed_links = feed_links(check.published, config.site_name, paths)
    check.machine_files = [File.generated(config, path, content=content) for path, content in made.items()]
    return check


def _iati_problems(project: Project) -> list[Problem]:
    """Incomplete IATI options: the build stops rather than publish files no registry accepts."""
    config_file = Path(project.config.config_file_path)
    if isinstance(project.iati, list):
        return [Problem(config_file, 0, 0, f"iati_prefix is set for the partnerships plugin, but {name} is not",
                        f"set {name} under the partnerships plugin in mkdocs.yml, or remove iati_prefix")
                for name in project.iati]
    return []


def _iati_notes(project: Project, handbook: Handbook) -> list[Problem]:
    """What is left out of the IATI files, and why: shown, never fatal."""
    config_file = Path(project.config.config_file_path)
    if project.iati is None:
        return [Problem(config_file, 0, 0, "no IATI files are published: iati_prefix is not set",
                        "to publish IATI 2.03 activities, set iati_prefix and iati_reporting_org_ref, _type and _name "
                        "under the partnerships plugin in mkdocs.yml")]
    if isinstance(project.iati, list):
        return []
    return [Problem(partnership.source, 0, 0, "is left out of the IATI files: IATI needs the date the activity started",
                    "add `started: YYYY-MM-DD` to the record")
            for partnership in handbook.partnerships if not exportable(partnership)]


def plan_site(project: Project, handbook: Handbook, templates: Environment,
              record_dates: dict[Path, dt.date] | None = None, verdict_only: bool = False) -> SiteCheck:
    """The generated pages of `handbook`, rendered, with the problems of placing them in the site.

    With `verdict_only`, only the pages whose rendering could report a problem are rendered.
    """
    config = project.config
    # Filtered before anything is rendered: partners-only text cannot reach a public page.
    check = SiteCheck(handbook, published=for_audience(handbook, project.audience))
    docs = docs_files(config, project.practices_uri)
    edit = EditLinks(Path(config.docs_dir), config.repo_url, config.edit_uri)
    # The "give feedback" link of each partnership comes from the site's options.
    templates.globals["feedback_url_pattern"] = project.feedback_url
    new_build(templates)
    pages = handbook_pages(check.published, project.practices_uri, record_dates, edit.url, freshness=project.freshness,
                           source_path=lambda source: Path(os.path.relpath(source, project.root)).as_posix())
    check.pages, check.errors = placed_pages(config, pages, docs, edit, project.docs_dir)
    if check.errors:
        return check
    links = field_links(Files([*docs, *check.pages]))
    everything = not verdict_only or overrides_templates(config.theme.custom_dir)
    try:
        check.errors, check.unrendered = render_pages(pages, check.pages, templates, links,
                                                      [True] * len(pages) if everything else pages_to_render(pages))
    finally:
        # The environment outlives the build (serve keeps it): what it kept must not keep the models.
        let_go(templates)
    if not check.errors:
        check.warnings, check.notes = link_problems(links.broken, config)
    return check
