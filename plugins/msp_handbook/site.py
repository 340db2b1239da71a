"""The checks that decide whether a handbook can be published, shared by the build and `validate`.

`check_site` loads the handbook, places every generated page among the docs
files MkDocs will publish, renders it and checks the links in its Markdown
fields. The plugin runs it in `on_pre_build`, before MkDocs empties site_dir,
so a refused build leaves the last site as it was; `msp-handbook validate`
runs the very same function, so both give the same verdict.

This is the MkDocs edge of the data path: URLs come from MkDocs' own
`File.url` and `get_relative_url`, never re-derived.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote, urljoin

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel, get_files
from mkdocs.utils import get_relative_url

from .audience import for_audience
from .feeds import FeedLink, feed_links
from .files import FILE, kind, special_files
from .handbook import Handbook, load_handbook, script, stylesheet
from .iati import IatiOptions, exportable
from .outputs import OutputClash, Publishing, machine_files, machine_paths
from .problems import InvalidHandbook, Problem
from .project import Project
from .field_markdown import FieldLinks, PageLink
from .render import environment, forget_rendered_text, let_go, new_build, render_page
from .structure import GeneratedPage, handbook_pages
from .tables import TableLayoutExtension
from .template_errors import template_problem
from .urls import SitePaths, published_url
from .verdict_pages import overrides_templates, pages_to_render

# Generated pages are Markdown with tables, explicit anchors and admonitions.
REQUIRED_EXTENSIONS = ("tables", "attr_list", "admonition", "md_in_html")
STYLESHEET = "assets/msp-handbook.css"
# Sorts the dashboard by column; pages work without it (see the script's comment).
SCRIPT = "assets/msp-handbook.js"


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


def stylesheet_file(config: MkDocsConfig) -> File:
    """The stylesheet of the generated pages, added to the site's files."""
    return File.generated(config, STYLESHEET, content=stylesheet())


def script_file(config: MkDocsConfig) -> File:
    """The dashboard's sorting script, added to the site's files."""
    return File.generated(config, SCRIPT, content=script())


def add_markdown_extensions(config: MkDocsConfig) -> None:
    """The Markdown extensions the generated pages need, and column labels for every table.

    Hand-written pages are rendered with them too (the build, and validate's link checks).
    """
    for extension in REQUIRED_EXTENSIONS:
        if extension not in config.markdown_extensions:
            config.markdown_extensions.append(extension)
    # Every table of the site, hand-written or generated, gets column
    # labels for the phone layout (see tables.py and msp-handbook.css).
    if not any(isinstance(extension, TableLayoutExtension) for extension in config.markdown_extensions):
        config.markdown_extensions.append(TableLayoutExtension())


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
    edit = EditLinks(config)
    # The "give feedback" link of each partnership comes from the site's options.
    templates.globals["feedback_url_pattern"] = project.feedback_url
    new_build(templates)
    pages = handbook_pages(check.published, project.practices_uri, record_dates, edit.url, freshness=project.freshness,
                           source_path=lambda source: Path(os.path.relpath(source, project.root)).as_posix())
    by_dest = {file.dest_uri: file for file in docs}
    for page in pages:
        # Reached through /partnerships/, /practices/ and the partnership tabs, not the sidebar.
        file = File.generated(config, page.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
        if page.source is not None:
            file.edit_uri = edit.edit_uri(page.source)
        if (existing := by_dest.get(file.dest_uri)) is not None:
            # Files.append would silently replace it; the hand-written one must move.
            check.errors.append(Problem(
                Path(existing.abs_src_path or project.docs_dir / existing.src_uri), 0, 0,
                f"clashes with the page the handbook generates at the same address ({page.src_uri})",
                "rename or move the hand-written file"))
        check.pages.append(file)
    if check.errors:
        return check
    site = Files([*docs, *check.pages])
    # Links ask for the same pages again and again (each row of the dashboard, from each of its pages),
    # and MkDocs spells each path out through PurePath: each is found once.
    file_at = lru_cache(maxsize=None)(site.get_file_from_path)
    links = FieldLinks(lambda page_uri, docs_path: url_between(file_at, page_uri, docs_path))
    everything = not verdict_only or overrides_templates(config.theme.custom_dir)
    try:
        render_pages(check, pages, templates, links, [True] * len(pages) if everything else pages_to_render(pages))
    finally:
        # The environment outlives the build (serve keeps it): what it kept must not keep the models.
        let_go(templates)
    if check.errors:
        return check
    levels = config.validation.links
    for broken in links.broken:
        # As MkDocs decides for hand-written pages: a path without a file
        # extension is an "unrecognized" link, anything else a missing file.
        level = levels.not_found if os.path.splitext(broken.docs_path)[1] else levels.unrecognized_links
        if level >= logging.WARNING:
            check.warnings.append(broken_link(broken))
        elif level >= logging.INFO:
            check.notes.append(broken_link(broken))
    return check


def render_pages(check: SiteCheck, pages: list[GeneratedPage], templates: Environment, links: FieldLinks,
                 chosen: list[bool]) -> None:
    """Each chosen page's Markdown into its file; the others kept to be rendered when asked for."""
    failed: dict[Problem, None] = {}  # one template's mistake fails many pages: said once
    for page, file, render in zip(pages, check.pages, chosen, strict=True):
        if not render:
            check.unrendered[file.src_uri] = partial(render_page, templates, page, links)
            continue
        try:
            file.content_string = render_page(templates, page, links)
        except Exception as error:  # noqa: BLE001 - a template the site overrides can fail in any way
            failed.setdefault(template_problem(error, page.template))
    check.errors += failed


def url_between(file_at: Callable[[str], File | None], page_uri: str, docs_path: str) -> str | None:
    """The URL of the file at `docs_path`, relative to the page at `page_uri`, as MkDocs writes it
    (`file_at`: the site's Files.get_file_from_path)."""
    target, page = file_at(docs_path), file_at(page_uri)
    if target is None or page is None:
        return None
    return get_relative_url(target.url, page.url)


def docs_files(config: MkDocsConfig, practices_uri: str) -> Files:
    """The docs folder's files as MkDocs will publish them, without the practices' sources."""
    with _quiet("mkdocs.structure.files"):  # MkDocs says the same again when it reads them
        files = get_files(config)
    return without_special_files(without_practice_sources(files, practices_uri))


def without_special_files(files: Files) -> Files:
    """Only ordinary files are published: MkDocs would wait for ever reading a named pipe.

    Such files are reported by `check_site`; this keeps them out of the
    preview, which goes on showing the last good version meanwhile.
    """
    for file in list(files):
        if file.abs_src_path and kind(Path(file.abs_src_path)) != FILE:
            files.remove(file)
    return files


def without_practice_sources(files: Files, practices_uri: str) -> Files:
    """Practices are published through our templates only, so their Markdown
    gets the same escaping as records: their sources leave the file list.
    Nothing else under the practices folder is published either: the loader
    refuses anything there but practices and tags.yml, and while the preview
    shows the last good version, such files must not slip through."""
    for file in list(files):
        if file.src_uri.startswith(practices_uri + "/"):
            files.remove(file)
    return files


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = disabled


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


class EditLinks:
    """Where "Edit this page" and "Edit this entry" lead for a source file outside the docs."""

    def __init__(self, config: MkDocsConfig):
        self.docs_dir = Path(config.docs_dir)
        self.repo_url = config.repo_url
        self.base = config.edit_uri
        # Per folder of a source (a partnership's log holds dozens of files): relpath and urljoin
        # cost some 40 us a file, and a file's name only adds itself to what its folder gives.
        self._folder_uris: dict[Path, str] = {}
        self._folder_urls: dict[Path, str] = {}

    def edit_uri(self, source: Path) -> str:
        """The source file's path from the docs folder, quoted for an edit link."""
        # Quoted: Material prints the edit URL into an attribute unescaped.
        return self._in_folder(self._folder_uri(source.parent), source.name)

    def _folder_uri(self, folder: Path) -> str:
        found = self._folder_uris.get(folder)
        if found is None:
            found = self._folder_uris[folder] = quote(Path(os.path.relpath(folder, self.docs_dir)).as_posix(),
                                                      safe="/.-_")
        return found

    @staticmethod
    def _in_folder(folder_uri: str, name: str) -> str:
        # relpath names a file of the docs folder itself without `./`.
        named = quote(name, safe="/.-_")
        return named if folder_uri == "." else f"{folder_uri}/{named}"

    def url(self, source: Path) -> str | None:
        """The address that opens `source` in the repository's editor, or None without repo_url and edit_uri."""
        if not (self.repo_url and self.base):
            return None
        folder = source.parent
        found = self._folder_urls.get(folder)
        if found is None:
            # Built as MkDocs builds page.edit_url, so both kinds of edit link agree. urljoin resolves
            # the folder's `..`s; a file's name (never `.` or `..`) only follows them: joined with a
            # stand-in name, taken off again.
            joined = urljoin(self.repo_url.rstrip("/") + "/", self.base + self._in_folder(self._folder_uri(folder), "x"))
            found = self._folder_urls[folder] = joined[:-1]
        return found + quote(source.name, safe="/.-_")
