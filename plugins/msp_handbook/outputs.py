"""Files for machines rather than readers: open data, feeds and IATI, from one validated handbook.

Each exporter takes the Handbook (already filtered for the audience) and a
function giving the published address of a docs path, and returns file
contents by docs path; none reads a file. The plugin publishes them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .feeds import DEFAULT_SITE_FEED_ENTRIES, feed_files, feed_paths
from .handbook import Handbook
from .iati import IatiOptions, iati_files, iati_paths
from .opendata import UrlOf, open_data_files, open_data_paths
from .urls import SitePaths


class OutputClash(Exception):
    """Two generated files would have the same path, e.g. a partnership folder named `index`."""


@dataclass(frozen=True)
class Publishing:
    """What the site's configuration says about the files for machines."""

    site_name: str
    # Feeds need absolute links: without `site_url` they are left out (site.py warns).
    feeds: bool = True
    site_feed_entries: int = DEFAULT_SITE_FEED_ENTRIES  # the newest entries the site-wide feeds carry
    # Without the `iati_*` plugin options no IATI files are made (site.py says so).
    iati: IatiOptions | None = None


def machine_files(handbook: Handbook, paths: SitePaths, url_of: UrlOf, publishing: Publishing) -> dict[str, str]:
    """Docs path -> content of every file for machines the site publishes."""
    files: dict[str, str] = {}
    made = open_data_files(handbook, paths, url_of)
    if publishing.feeds:
        made += feed_files(handbook, publishing.site_name, paths, url_of, publishing.site_feed_entries)
    if publishing.iati is not None:
        made += iati_files(handbook, paths, publishing.iati)
    for path, content in made:
        files[_unclaimed(path, files)] = content
    return files


def machine_paths(handbook: Handbook, paths: SitePaths, publishing: Publishing) -> list[str]:
    """The docs paths of `machine_files`, in its order, its contents left unmade: where a clash
    is all that can fail (validate). tests/test_outputs.py holds both to the same paths."""
    made = open_data_paths(handbook, paths)
    if publishing.feeds:
        made += feed_paths(handbook, paths)
    if publishing.iati is not None:
        made += iati_paths(handbook, paths)
    taken: dict[str, None] = {}
    for path in made:
        taken[_unclaimed(path, taken)] = None
    return list(taken)


def _unclaimed(path: str, taken: dict) -> str:
    if path in taken:
        raise OutputClash(f"two generated files would be written to {path}: "
                          "a partnership folder has the name of a site-wide file; rename the folder")
    return path


def write_out(contents: dict[str, str]) -> None:
    """Writes each content to its file (an absolute path), making the folders it needs."""
    for path, content in contents.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as file:  # as MkDocs writes a generated file's content
            file.write(content)
