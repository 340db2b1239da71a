"""Files for machines rather than readers: open data, feeds and IATI, from one validated handbook.

Each exporter takes the Handbook (already filtered for the audience) and a
function giving the published address of a docs path, and returns file
contents by docs path; none reads a file. The plugin publishes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .feeds import feed_files
from .handbook import Handbook
from .iati import IatiOptions, iati_files
from .opendata import UrlOf, open_data_files
from .urls import SitePaths


class OutputClash(Exception):
    """Two generated files would have the same path, e.g. a partnership folder named `index`."""


@dataclass(frozen=True)
class Publishing:
    """What the site's configuration says about the files for machines."""

    site_name: str
    # Feeds need absolute links: without `site_url` they are left out (site.py warns).
    feeds: bool = True
    # Without the `iati_*` plugin options no IATI files are made (site.py says so).
    iati: IatiOptions | None = None


def machine_files(handbook: Handbook, paths: SitePaths, url_of: UrlOf, publishing: Publishing) -> dict[str, str]:
    """Docs path -> content of every file for machines the site publishes."""
    files: dict[str, str] = {}
    made = open_data_files(handbook, paths, url_of)
    if publishing.feeds:
        made += feed_files(handbook, publishing.site_name, paths, url_of)
    if publishing.iati is not None:
        made += iati_files(handbook, paths, publishing.iati)
    for path, content in made:
        if path in files:
            raise OutputClash(f"two generated files would be written to {path}: "
                              "a partnership folder has the name of a site-wide file; rename the folder")
        files[path] = content
    return files
