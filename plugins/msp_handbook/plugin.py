"""MkDocs wiring: each event hands over to a small function of the core.

Everything that can refuse the build is decided in `on_pre_build`, by the
same `check_site` that `msp-handbook validate` runs: MkDocs empties site_dir
right after that event, so a refused build leaves the last site untouched.
"""

from __future__ import annotations

import gc
import os
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .config import PartnershipsConfig
from .feeds import FeedLink
from .handbook import Handbook, empty_handbook
from .history import last_commit_dates
from .outputs import write_out
from .page_additions import page_markdown, problems_banner
from .problems import Problem, visible
from .project import Project, project_paths
from .publish import StagedSite
from .render import forget_rendered_text
from .site import SiteCheck, add_machine_files, check_site, plan_site, templates_for
from .site_files import (SCRIPT, STYLESHEET, add_markdown_extensions, script_file, stylesheet_file,
                         without_practice_sources, without_special_files)
from .urls import partnership_of

if TYPE_CHECKING:
    # Serve only: the live-reload server (http.server, ssl...) and watchdog cost
    # a build some 4.5 MB of peak memory that plain MkDocs does not pay.
    from mkdocs.livereload import LiveReloadServer

    from .prompt_watch import SaveWatch

log = get_plugin_logger(__name__)

# From this many partnerships, plain `mkdocs serve` suggests the one-partnership
# preview: on a two-core laptop a save then takes about ten seconds or more to show.
PREVIEW_SUGGESTED_FROM = 30


class PartnershipsPlugin(BasePlugin[PartnershipsConfig]):
    """The `partnerships` MkDocs plugin: publishes the handbook's records as pages, feeds and open data."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.handbook: Handbook | None = None
        self.pages: list[File] = []
        self.machine_files: list[File] = []
        # The files for machines' contents, from on_pre_build until on_files writes them into site_dir.
        self.machine_contents: dict[str, str] = {}
        self.feed_links: dict[str | None, list[FeedLink]] = {}
        # The machine files' URLs by docs path, asked by every page announcing feeds: found once per build.
        self.machine_urls: dict[str, str] = {}
        # While serving, the last handbook that loaded without problems, by
        # records folder: shown (under a banner) while an edit is invalid.
        self.serving = False
        self.last_good: dict[tuple[Path, str | None], Handbook] = {}
        self.problems: list[Problem] = []
        # The one partnership `make serve PARTNERSHIP=slug` builds (serve only), else None.
        self.preview: str | None = None
        # `mkdocs build` writes beside site_dir and swaps at the end (see publish.py).
        self.stage = False
        self.staged: StagedSite | None = None
        self.built = False
        # Compiled templates, ours and the theme's, kept across serve rebuilds
        # with what they were made from: compiling them anew on every save
        # cost about a fifth of a one-partnership preview's rebuild.
        self.page_templates: tuple[object, Environment] | None = None
        self.theme_templates: tuple[tuple, Environment] | None = None
        # Reports each save once, as it happens (prompt_watch.py).
        self.prompt_watch: SaveWatch | None = None
        # Whether this serve has suggested the preview already (see _suggest_preview).
        self.preview_suggested = False
        # Whether on_pre_build froze what existed for the cycle collector (see there), until the build ends.
        self.frozen = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Notes which command runs: serve previews and keeps the last good version, build stages beside site_dir."""
        # Defining on_startup also keeps this instance across serve's rebuilds.
        self.serving = command == "serve"
        # Serve builds into a temporary folder already; gh-deploy and --dirty reuse site_dir.
        self.stage = command == "build" and not dirty

    def on_shutdown(self) -> None:
        """Ends the command: publishes or discards the staged build, and forgets everything it held."""
        # MkDocs keeps this instance for the rest of the process (its plugin
        # cache is per process): the command is over, so nothing of it may
        # carry over to a later build in the same process (tests, scripts).
        self.serving = self.stage = False
        self._forget_build()
        self.last_good.clear()
        staged, self.staged = self.staged, None
        if staged is not None:
            staged.publish() if self.built else staged.discard()
        self.page_templates = self.theme_templates = None
        if self.prompt_watch is not None:
            self.prompt_watch.stop()
        self.prompt_watch = None
        self.preview_suggested = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Finds the project's folders, watches the records, adds our stylesheet and script, picks the templates."""
        # The same folders as the command line finds, through the same function.
        self.project = project_paths(config, self.config)
        add_markdown_extensions(config)
        self.preview = (self.config.preview_partnership or None) if self.serving else None
        # `mkdocs serve` rebuilds when a record, log entry or the cycle changes
        # (on_serve watches them itself where the system reports saves).
        config.watch.extend(str(path) for path in self._sources())
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in config.extra_javascript:
            config.extra_javascript.append(SCRIPT)
        made_from = config.theme.custom_dir
        if self.page_templates is None or self.page_templates[0] != made_from:
            # Our environment checks its template files' times itself (Jinja's
            # auto_reload), so an edited override is read again.
            self.page_templates = made_from, templates_for(config)
        self.templates = self.page_templates[1]
        if self.stage and self.staged is None:
            self.staged = StagedSite(config.site_dir)
            config.site_dir = self.staged.begin()
        return config

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
        """Watches the records, the cycle file and the docs itself, so a save starts one rebuild at once."""
        from .prompt_watch import stop_watching, watch_promptly  # see TYPE_CHECKING above

        assert self.project is not None
        # What on_config adds to config.watch, and the hand-written pages.
        watched = [*self._sources(), Path(config.docs_dir)]
        stop_watching(self.prompt_watch)
        self.prompt_watch = watch_promptly(server, watched)
        if self.prompt_watch is not None:
            # Ours reports each save once; MkDocs' polling of the same paths would build it again.
            ours = {path.resolve() for path in watched}
            config.watch = [item for item in config.watch if Path(item).resolve() not in ours]
            with suppress(KeyError):
                server.unwatch(config.docs_dir)
            shown = ", ".join(f"'{_shown_path(path)}'" for path in watched)
            log.info(f"Watching {shown} for saves, and rebuilding once for each")
        return server

    @event_priority(100)  # before other plugins, so they adjust the environment that is used
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """While serving, reuses the theme's compiled templates for as long as the theme is unchanged."""
        if not self.serving:
            return env
        # MkDocs makes the theme's environment anew for every build, without
        # auto-reload: it is reused while the theme's folders, language and
        # every file of custom_dir are as they were.
        made_from = theme_state(config)
        if self.theme_templates is None or self.theme_templates[0] != made_from:
            self.theme_templates = made_from, env
        return self.theme_templates[1]

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Checks the handbook and makes every page and file for machines; stops here if it may not be published."""
        project = self.project
        assert project is not None
        self.handbook, self.pages, self.problems, self.machine_files, self.feed_links = None, [], [], [], {}
        self.machine_urls = {}
        if self.preview:
            log.info(f"Previewing only the partnership '{visible(self.preview)}', with the guide and the practices; "
                     "`make serve` without PARTNERSHIP= builds every partnership.")
        history = previewed_folder(project.records_dir, self.preview)
        dates = last_commit_dates(history) if history.is_dir() else {}
        check = check_site(project, self.templates, dates, only=self.preview)
        for problem in check.errors:
            log.error(str(problem.relative_to(project.root)))
        if check.errors:  # with the doubts found beside them, as `msp-handbook validate` says
            for problem in check.warnings:
                log.warning(str(problem.relative_to(project.root)))
        if check.errors and self.serving:
            check = self._last_good_version(check, dates)
        if check.errors:
            raise PluginError(f"{_count(check.errors, 'problem')} in the handbook's sources: "
                              "see the messages above, fix them and build again.")
        # Logged through MkDocs, so `--strict` counts them.
        for problem in check.warnings:
            log.warning(str(problem.relative_to(project.root)))
        for problem in check.notes:
            log.info(str(problem.relative_to(project.root)))
        if check.fails(config.strict):
            # MkDocs would stop on them only after rewriting site/; stop while it is intact.
            raise Abort(f"Aborted with {_count(check.warnings, 'warning')} in strict mode! "
                        "The site folder was left as it was.")
        if self.serving and not self.problems and check.handbook is not None:
            self.last_good[project.records_dir, self.preview] = check.handbook
            self._suggest_preview(check.handbook)
        # The pages, feeds and exports are made (as the audience may read it, see audience.py);
        # after this only the guide's pages read the handbook (its cycle and practices), so
        # the partnerships' models are let go before MkDocs builds every page.
        published = check.published
        self.handbook = replace(published, partnerships=()) if published is not None else None
        self.pages = check.pages
        self.machine_contents = {file.src_uri: file.content_string for file in check.machine_files}
        self.machine_files = [_in_site_dir(config, file) for file in check.machine_files]
        self.feed_links = check.feed_links
        self.machine_urls = {file.src_uri: file.url for file in self.machine_files}
        self._settle_before_pages()

    def _settle_before_pages(self) -> None:
        """Lets go of what rendering kept and keeps what outlives page building out of the collector's walks."""
        if not self.serving:
            # Every page is made: what rendering kept for the next page serves none now
            # (serve keeps it for the next save).
            forget_rendered_text()
        # What is left now (MkDocs, the theme, the plugin's code and pages) outlives the page
        # building, so Python's cycle collector is told to leave it out of its walks until the
        # build ends (_forget_build): it walked all of it again at each full collection. The
        # cycles made so far are collected first: frozen, they would be held to the end (+17 MB
        # at the peak at 100 partnerships). Garbage is still freed by reference counting.
        gc.collect()
        gc.freeze()
        self.frozen = True

    def _last_good_version(self, failed: SiteCheck, dates: dict) -> SiteCheck:
        """While serving, the preview keeps the last good version, with the problems on every page."""
        project = self.project
        assert project is not None
        fallback = self.last_good.get((project.records_dir, self.preview)) or empty_handbook(
            project.records_dir, project.cycle_file, project.root)
        if fallback is None:
            return failed
        log.error(f"{_count(failed.errors, 'problem')} in the handbook's sources: "
                  "the preview shows the last valid version until they are fixed.")
        self.problems = [problem.relative_to(project.root) for problem in failed.errors]
        return add_machine_files(plan_site(project, fallback, self.templates, dates), project)

    def _sources(self) -> list[Path]:
        # The records a save may change, and the cycle: while one partnership
        # is previewed, only that one's folder (polling stats every file).
        assert self.project is not None
        return [previewed_folder(self.project.records_dir, self.preview),
                *([Path(self.project.cycle_file)] if self.project.cycle_file is not None else [])]

    def _suggest_preview(self, handbook: Handbook) -> None:
        # Plain serve rebuilds every partnership on every save: on a large
        # handbook that is minutes, and the preview is the way out. Said once.
        if self.preview or self.preview_suggested or len(handbook.partnerships) < PREVIEW_SUGGESTED_FROM:
            return
        self.preview_suggested = True
        example = handbook.partnerships[0].slug
        log.info(f"{len(handbook.partnerships)} partnerships: every save rebuilds all of them. To see your edits "
                 f"at once, preview the one you work on: `make serve PARTNERSHIP={visible(example)}` "
                 "(the name of its folder).")

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Adds the generated pages, files for machines, stylesheet and script to the site, refusing a clash."""
        assert self.project is not None
        if files.get_file_from_path(STYLESHEET) is None:
            files.append(stylesheet_file(config))
        if files.get_file_from_path(SCRIPT) is None:
            files.append(script_file(config))
        without_special_files(without_practice_sources(files, self.project.practices_uri))
        taken = {file.dest_uri: file for file in files}
        for page in [*self.pages, *self.machine_files]:
            if page.dest_uri in taken:
                # Only another plugin, or a partnership folder named like a site-wide
                # export (`index`), can get here: on_pre_build checked the docs folder.
                raise PluginError(f"{taken[page.dest_uri].src_uri} clashes with the file generated for "
                                  f"{page.src_uri}")
            taken[page.dest_uri] = page
            files.append(page)
        # MkDocs emptied site_dir before this event and copies files only later, after reading every
        # page: written now, the contents need not be held (nor copied) until then.
        contents, self.machine_contents = self.machine_contents, {}
        write_out({file.abs_dest_path: contents[file.src_uri] for file in self.machine_files})
        return files

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
        """Gives the page's template the feeds it announces in its head, as relative links."""
        # theme/main.html announces them in the head, so feed readers find them;
        # relative, as every link of a page, so the page names no other host.
        slug = partnership_of(page.file.src_uri)
        feeds = [*self.feed_links.get(None, []), *(self.feed_links.get(slug, []) if slug else [])]
        context["msp_feeds"] = [{"type": feed.type, "title": feed.title,
                                 "href": get_relative_url(self.machine_urls[feed.docs_path], page.url)}
                                for feed in feeds]
        return context

    @event_priority(100)  # before Material's search writes its index, where a build's memory peaks
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Forgets the finished build's pages and notes that it succeeded, so shutdown publishes it."""
        self._forget_build()
        self.built = True

    def on_build_error(self, error: Exception) -> None:
        """Forgets the failed build's pages and notes that it failed, so shutdown discards it."""
        # Also after on_post_build: MkDocs' strict abort comes last.
        self._forget_build()
        self.built = False

    def _forget_build(self) -> None:
        # Per-build state: the next build (a serve rebuild) starts clean.
        if self.frozen:
            gc.unfreeze()  # the collector walks everything again, and collects cycles left meanwhile
            self.frozen = False
        self.machine_contents = {}
        self.handbook, self.pages, self.machine_files, self.feed_links, self.machine_urls = None, [], [], {}, {}

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        """Hands MkDocs the Markdown of a page the plugin generated."""
        if page.file.generated_by != "partnerships" or page.file.abs_src_path is not None:
            return None
        # MkDocs keeps the page's Markdown from here on: the File lets go of
        # its copy, or every generated page would be held twice until the end.
        source, page.file.content_string = page.file.content_string, ""
        return source

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Adds a phase's practices to its guide page, and the problems banner while the preview shows an older version."""
        assert self.handbook is not None and self.project is not None
        markdown = page_markdown(markdown, self.handbook, page.file.src_uri, self.project.practices_uri)
        if self.problems:
            markdown = problems_banner(self.problems) + markdown
        return markdown


def _in_site_dir(config: MkDocsConfig, generated: File) -> File:
    """A file for machines whose source is its own place in site_dir, where on_files writes it.

    MkDocs then finds nothing to copy (a file copied onto itself is skipped, for plugins
    that write into site_dir). Kept in memory until MkDocs copies its static files, after
    reading every page, they were about a quarter of what the plugin added to a build's
    peak; written to a folder of their own first, every one was written twice and copied.
    """
    return File.generated(config, generated.src_uri, abs_src_path=generated.abs_dest_path)


def previewed_folder(records: Path, preview: str | None) -> Path:
    """The folder whose history dates the pages: one partnership's while previewing it, else every record's."""
    folder = records / preview if preview else records
    # A name such as `../x` reads no history outside the records.
    return folder if folder.parent == records and folder.is_dir() else records


def _shown_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # on another drive (Windows)
        return str(path)


def theme_state(config: MkDocsConfig) -> tuple:
    """What the theme's templates are made from: folders, language and the site's own overrides."""
    theme = config.theme
    overrides = sorted((str(path), path.stat().st_mtime_ns) for path in Path(theme.custom_dir).rglob("*")
                       if path.is_file()) if theme.custom_dir else []
    return tuple(theme.dirs), str(theme.locale), tuple(overrides)


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"
