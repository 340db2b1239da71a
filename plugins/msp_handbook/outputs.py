"""Files for machines rather than readers: open data, feeds and IATI, from one validated handbook.

Each exporter takes the Handbook (already filtered for the audience) and a
function giving the published address of a docs path, and returns file
contents by docs path; none reads a file. The plugin publishes them.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from .feeds import feed_files, feed_paths
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


class WrittenOut:
    """Files for machines kept on disk, in a temporary folder, until the build has copied them.

    Held in memory they were a quarter of what the plugin added to a build's
    peak (the site-wide feeds carry every log entry); MkDocs copies a file
    it reads from disk the same way it copies a hand-written one.
    """

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory | None = None

    def write(self, contents: dict[str, str]) -> dict[str, str]:
        """Docs path -> the file holding its content (any files written before are removed)."""
        self.remove()
        self._folder = tempfile.TemporaryDirectory(prefix="msp-handbook-")
        written = {}
        for docs_path, content in contents.items():
            target = Path(self._folder.name, docs_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            written[docs_path] = str(target)
        return written

    def remove(self) -> None:
        """Deletes the folder of files written for the last build, if there is one."""
        folder, self._folder = self._folder, None
        if folder is not None:
            folder.cleanup()
