"""MkDocs wiring: each event hands over to a small function of the core."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .config import PartnershipsConfig
from .handbook import TAGS_FILE, Handbook, empty_handbook, load_handbook, stylesheet
from .history import last_commit_dates
from .problems import InvalidHandbook, Problem
from .render import PageLink, environment, guide_with_practices, problems_banner, render_page
from .structure import GeneratedPage, handbook_pages

log = get_plugin_logger(__name__)

# Generated pages are Markdown with tables, explicit anchors and admonitions.
REQUIRED_EXTENSIONS = ("tables", "attr_list", "admonition", "md_in_html")
STYLESHEET = "assets/msp-handbook.css"


class PartnershipsPlugin(BasePlugin[PartnershipsConfig]):
    def __init__(self) -> None:
        self.handbook: Handbook | None = None
        # While serving, the last handbook that loaded without problems, by
        # records folder: shown (under a banner) while an edit is invalid.
        self.serving = False
        self.last_good: dict[Path, Handbook] = {}
        self.problems: list[Problem] = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across serve's rebuilds.
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        self.serving = False
        self.last_good.clear()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.root = root
        self.records_dir = root / self.config.records_dir
        self.cycle_file = root / self.config.cycle_file if self.config.cycle_file else None
        self.practices_uri = self.config.practices_dir.strip("/")
        self.practices_dir = Path(config.docs_dir) / self.practices_uri
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        # `mkdocs serve` rebuilds when a record, log entry or the cycle changes.
        config.watch.append(str(self.records_dir))
        if self.cycle_file is not None:
            config.watch.append(str(self.cycle_file))
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        theme_dir = config.theme.custom_dir
        self.templates = environment(Path(theme_dir) if theme_dir else None, config.use_directory_urls)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Runs before MkDocs empties site/, so invalid records leave the last
        # good site untouched.
        self.handbook = None
        self.problems = []
        try:
            self.handbook = load_handbook(self.records_dir, self.cycle_file, root=self.root,
                                          practices_dir=self.practices_dir)
        except InvalidHandbook as invalid:
            for problem in invalid.problems:
                log.error(str(problem.relative_to(self.root)))
            fallback = self.last_good.get(self.records_dir) if self.serving else None
            if fallback is None and self.serving:
                fallback = empty_handbook(self.records_dir, self.cycle_file, self.root)
            if fallback is None:
                raise PluginError(f"{invalid}: see the messages above, fix them and build again.") from None
            # The preview keeps running: the last good version, with the problems on every page.
            log.error(f"{invalid}: the preview shows the last valid version until they are fixed.")
            self.problems = [problem.relative_to(self.root) for problem in invalid.problems]
            self.handbook = fallback
        if self.serving and not self.problems:
            self.last_good[self.records_dir] = self.handbook
        # Logged through MkDocs, so `--strict` counts them and stops the build.
        for doubt in self.handbook.warnings:
            log.warning(str(doubt.relative_to(self.root)))

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.handbook is not None
        add_stylesheet(files, config)
        remove_practice_sources(files, self.practices_uri)
        links = EditLinks(config)
        record_dates = last_commit_dates(self.records_dir) if self.records_dir.is_dir() else {}
        page_links = self.templates.globals["page_links"]
        page_links.clear()
        for page in handbook_pages(self.handbook, self.practices_uri, record_dates, links.url):
            add_generated_page(files, config, page, render_page(self.templates, page), links)
        # As MkDocs does for hand-written pages; a warning, so --strict stops on it.
        for problem in broken_page_links(page_links, files):
            log.warning(str(problem.relative_to(self.root)))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.handbook is not None
        for phase in self.handbook.cycle.phases:
            if page.file.src_uri == phase.guide:
                markdown = guide_with_practices(markdown, self.handbook, phase, page.file.src_uri, self.practices_uri)
        if self.problems:
            markdown = problems_banner(self.problems) + markdown
        return markdown


def add_stylesheet(files: Files, config: MkDocsConfig) -> None:
    """Add the package's stylesheet unless the site ships its own at the same path."""
    if files.get_file_from_path(STYLESHEET) is None:
        files.append(File.generated(config, STYLESHEET, content=stylesheet()))


def remove_practice_sources(files: Files, practices_uri: str) -> None:
    """Practices are written in the docs folder but published through our
    templates only, so their Markdown gets the same escaping as records."""
    for file in list(files):
        folder, _, name = file.src_uri.rpartition("/")
        if folder == practices_uri and (name.endswith(".md") or name == TAGS_FILE):
            files.remove(file)


def add_generated_page(files: Files, config: MkDocsConfig, page: GeneratedPage, markdown: str,
                       links: "EditLinks") -> None:
    """Add one in-memory page, refusing to overwrite a hand-written page at its path."""
    # Files.append would silently replace a hand-written page at the same URL.
    existing = files.get_file_from_path(page.src_uri)
    if existing is not None:
        raise PluginError(
            f"{existing.src_uri} in {config.docs_dir} clashes with the page generated for the same URL; "
            "rename or remove the hand-written file"
        )
    # Reached through /partnerships/, /practices/ and the partnership tabs, not the sidebar.
    file = File.generated(config, page.src_uri, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV)
    if page.source is not None:
        file.edit_uri = links.edit_uri(page.source)
    files.append(file)


class EditLinks:
    """Where "Edit this page" and "Edit this entry" lead for a source file outside the docs."""

    def __init__(self, config: MkDocsConfig):
        self.docs_dir = Path(config.docs_dir)
        self.repo_url = config.repo_url
        self.base = config.edit_uri

    def edit_uri(self, source: Path) -> str:
        # Quoted: Material prints the edit URL into an attribute unescaped.
        return quote(Path(os.path.relpath(source, self.docs_dir)).as_posix(), safe="/.-_")

    def url(self, source: Path) -> str | None:
        if not (self.repo_url and self.base):
            return None
        # Built as MkDocs builds page.edit_url, so both kinds of edit link agree.
        return urljoin(self.repo_url.rstrip("/") + "/", self.base + self.edit_uri(source))


def broken_page_links(page_links: list[PageLink], files: Files) -> list[Problem]:
    """Links written in Markdown fields that lead to no page, located in their source file."""
    problems = []
    for page_link in page_links:
        if files.get_file_from_path(page_link.docs_path) is not None or page_link.source is None:
            continue
        line, column = _find(page_link.source, f"({page_link.written}")
        problems.append(Problem(page_link.source, line, column + 1 if line else 0,
                                f"the link '{page_link.written}' leads to no page of the handbook",
                                "check the file name and folders; links count from the page the text appears on"))
    return problems


def _find(path: Path, text: str) -> tuple[int, int]:
    try:
        content = path.read_text(encoding="utf-8")
    except OSError:
        return 0, 0
    index = content.find(text)
    if index < 0:
        return 0, 0
    return content.count("\n", 0, index) + 1, index - (content.rfind("\n", 0, index) + 1) + 1
