"""Where "Edit this page" and "Edit this entry" lead: a source file's path from the docs folder
(MkDocs' `edit_uri` of a generated page) and its address in the repository's editor."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, urljoin


class EditLinks:
    """Where "Edit this page" and "Edit this entry" lead for a source file outside the docs."""

    def __init__(self, docs_dir: Path, repo_url: str | None, edit_uri: str | None):
        self.docs_dir = docs_dir
        self.repo_url = repo_url
        self.base = edit_uri
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
