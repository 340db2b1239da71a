"""What MkDocs publishes besides the generated pages, as the plugin arranges it: the docs folder's
files (without the practices' sources, and only ordinary files), the generated pages' stylesheet
and script, and the Markdown extensions they need.

The build (plugin.py) and `validate` (site.py, page_links.py) take them from here alike.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, get_files

from .files import FILE, kind
from .handbook import script, stylesheet
from .tables import TableLayoutExtension

# Generated pages are Markdown with tables, explicit anchors and admonitions.
REQUIRED_EXTENSIONS = ("tables", "attr_list", "admonition", "md_in_html")
STYLESHEET = "assets/msp-handbook.css"
# Sorts the dashboard by column; pages work without it (see the script's comment).
SCRIPT = "assets/msp-handbook.js"


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
