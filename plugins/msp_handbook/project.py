"""Where a handbook's sources are: one reading of mkdocs.yml for the build and the command line.

`mkdocs.yml` is read by MkDocs' own loader, so `!ENV`, `INHERIT` and every
validation MkDocs applies work exactly as in `mkdocs build`; the folders are
then resolved by `project_paths`, the one function the plugin uses too.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from .config import PartnershipsConfig
from .config_problems import collecting_config_problems
from .feeds import DEFAULT_SITE_FEED_ENTRIES
from .iati import IatiOptions, iati_options
from .problems import Problem
from .structure.freshness import FreshnessThresholds

PLUGIN_NAME = "partnerships"


class ProjectError(Exception):
    """The site configuration cannot be read; the message says why and what to do."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        # The plugin's options that are wrong, located in mkdocs.yml, to print as every other problem.
        self.problems = problems or []


@dataclass(frozen=True)
class Project:
    """The folders a handbook is built from, all absolute."""

    root: Path  # the folder of mkdocs.yml
    docs_dir: Path
    records_dir: Path
    practices_dir: Path
    practices_uri: str  # the practices' folder inside the docs, as a docs path
    cycle_file: Path | None
    config: MkDocsConfig
    # What each review rates (id -> name) and the "give feedback" address pattern, from the plugin's options.
    building_blocks: dict[str, str] = field(default_factory=dict)
    feedback_url: str | None = None
    # The IATI options when complete (None: no IATI files), or the names of the ones missing.
    iati: IatiOptions | None | list[str] = None
    audience: str = "public"  # who the built site is for: `public` or `partners`
    # What MkDocs said about the configuration while loading it (unknown keys, say).
    config_warnings: tuple[str, ...] = ()
    freshness: FreshnessThresholds = FreshnessThresholds()
    site_feed_entries: int = DEFAULT_SITE_FEED_ENTRIES  # the newest entries the site-wide feeds carry

    @classmethod
    def read(cls, config_file: Path, *, strict: bool = False) -> "Project":
        """Load `config_file` as MkDocs does and find the partnerships plugin in it."""
        config, warnings = read_config(config_file, strict=strict or None)
        options = plugin_options(config)
        if options is None:
            raise ProjectError(f"{config_file} does not use the partnerships plugin: "
                               f"add `- {PLUGIN_NAME}` under `plugins:`")
        # MkDocs sets this while an event runs; File.generated reads it to name
        # the plugin that made a page. Outside a build nothing is running.
        config.plugins._current_plugin = None
        return replace(project_paths(config, options), config_warnings=tuple(warnings))


def project_paths(config: MkDocsConfig, options: PartnershipsConfig) -> Project:
    """The handbook's folders from a loaded site configuration and the plugin's options."""
    root = Path(config.config_file_path).resolve().parent
    docs_dir = Path(config.docs_dir)  # MkDocs makes it absolute, relative to mkdocs.yml
    practices_uri = options.practices_dir.strip("/")
    return Project(
        root=root,
        docs_dir=docs_dir,
        records_dir=root / options.records_dir,
        practices_dir=docs_dir / practices_uri,
        practices_uri=practices_uri,
        cycle_file=root / options.cycle_file if options.cycle_file else None,
        building_blocks=dict(options.building_blocks),
        feedback_url=options.feedback_url,
        iati=iati_options(options.iati_prefix, options.iati_reporting_org_ref, options.iati_reporting_org_type,
                          options.iati_reporting_org_name, options.iati_language),
        audience=options.audience,
        config=config,
        freshness=FreshnessThresholds(options.freshness_log_amber_days, options.freshness_log_red_days,
                                      options.freshness_actual_amber_days, options.freshness_actual_red_days,
                                      options.freshness_review_overdue_red_days,
                                      options.freshness_action_overdue_red_days),
        site_feed_entries=options.site_feed_entries,
    )


def plugin_options(config: MkDocsConfig) -> PartnershipsConfig | None:
    """The validated options of the partnerships plugin, or None if the site does not use it."""
    for plugin in config.plugins.values():
        if isinstance(plugin.config, PartnershipsConfig):
            return plugin.config
    return None


def read_config(config_file: Path, **overrides: Any) -> tuple[MkDocsConfig, list[str]]:
    """mkdocs.yml loaded and validated by MkDocs, with its warnings; its errors become one ProjectError."""
    if not config_file.is_file():
        raise ProjectError(
            f"{config_file} not found: run this in the handbook's folder, or name the site configuration with --config"
        )
    with _mkdocs_messages() as messages, collecting_config_problems() as problems:
        try:
            return load_config(config_file=str(config_file), **overrides), messages
        except (MkDocsException, OSError, ValueError) as error:
            details = "".join(f"\n  {message}" for message in messages) or f"\n  {error}"
            raise ProjectError(f"{config_file} cannot be used as the site configuration:{details}",
                               list(problems)) from None


@contextmanager
def _mkdocs_messages() -> Iterator[list[str]]:
    """What MkDocs logs while loading (warnings and errors), to be reported by the caller."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
