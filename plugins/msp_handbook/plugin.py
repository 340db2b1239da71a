"""MkDocs wiring: each event hands over to a small function of the core."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .config import PartnershipsConfig
from .handbook import TAGS_FILE, Handbook, load_handbook, stylesheet
from .problems import InvalidHandbook
from .render import environment, guide_with_practices, render_page
from .structure import handbook_pages

log = get_plugin_logger(__name__)

# Generated pages are Markdown with tables, explicit anchors and admonitions.
REQUIRED_EXTENSIONS = ("tables", "attr_list", "admonition", "md_in_html")
STYLESHEET = "assets/msp-handbook.css"


class PartnershipsPlugin(BasePlugin[PartnershipsConfig]):
    def __init__(self) -> None:
        self.handbook: Handbook | None = None

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
        self.templates = environment(Path(theme_dir) if theme_dir else None)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Runs before MkDocs empties site/, so invalid records leave the last
        # good site untouched.
        self.handbook = None
        try:
            self.handbook = load_handbook(self.records_dir, self.cycle_file, root=self.root,
                                          practices_dir=self.practices_dir)
        except InvalidHandbook as invalid:
            for problem in invalid.problems:
                log.error(str(problem.relative_to(self.root)))
            raise PluginError(f"{invalid}: see the messages above, fix them and build again.") from None
        # Logged through MkDocs, so `--strict` counts them and stops the build.
        for doubt in self.handbook.warnings:
            log.warning(str(doubt.relative_to(self.root)))

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.handbook is not None
        docs_dir = Path(config.docs_dir)
        if files.get_file_from_path(STYLESHEET) is None:
            files.append(File.generated(config, STYLESHEET, content=stylesheet()))
        # Practices are written in the docs folder but published through our
        # templates, so their Markdown gets the same escaping as records.
        for practice in self.handbook.practices:
            files.remove(files.get_file_from_path(f"{self.practices_uri}/{practice.slug}.md"))
        tags_file = files.get_file_from_path(f"{self.practices_uri}/{TAGS_FILE}")
        if tags_file is not None:
            files.remove(tags_file)
        for page in handbook_pages(self.handbook, self.practices_uri):
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                raise PluginError(
                    f"{existing.src_uri} in {config.docs_dir} clashes with the page generated for the same URL; "
                    "rename or remove the hand-written file"
                )
            # Reached through /partnerships/ and the partnership tabs, not the sidebar.
            file = File.generated(config, page.src_uri, content=render_page(self.templates, page),
                                  inclusion=InclusionLevel.NOT_IN_NAV)
            if page.source is not None:
                # Quoted: Material prints the edit URL into an attribute unescaped.
                file.edit_uri = quote(Path(os.path.relpath(page.source, docs_dir)).as_posix(), safe="/.-_")
            files.append(file)
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.handbook is not None
        for phase in self.handbook.cycle.phases:
            if page.file.src_uri == phase.guide:
                return guide_with_practices(markdown, self.handbook, phase, page.file.src_uri, self.practices_uri)
        return markdown
