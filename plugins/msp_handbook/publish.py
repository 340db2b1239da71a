"""`mkdocs build` writes beside site/ and swaps the result in only when the build succeeded.

The plugin refuses what it can in on_pre_build, before MkDocs touches
site_dir; but MkDocs itself stops a strict build only after every page is
written (a broken link in a hand-written page, say). Building into a
sibling folder and renaming it at the end keeps the last site whole
whatever stops the build.
"""

from __future__ import annotations

import shutil
from pathlib import Path


class StagedSite:
    """The folder a build writes to instead of `site_dir`, until it is known to have succeeded."""

    def __init__(self, site_dir: str):
        self.site_dir = Path(site_dir)
        self.staging = self.site_dir.with_name(f".{self.site_dir.name}-building")
        self.previous = self.site_dir.with_name(f".{self.site_dir.name}-previous")

    def begin(self) -> str:
        """A fresh, empty folder to build into; its path."""
        shutil.rmtree(self.staging, ignore_errors=True)
        return str(self.staging)

    def publish(self) -> None:
        """Put the finished build in place of the old site, with one rename each."""
        if not self.staging.is_dir():
            return
        shutil.rmtree(self.previous, ignore_errors=True)
        if self.site_dir.exists():
            self.site_dir.rename(self.previous)
        self.staging.rename(self.site_dir)
        shutil.rmtree(self.previous, ignore_errors=True)

    def discard(self) -> None:
        """Drop a failed build; the old site was never touched."""
        shutil.rmtree(self.staging, ignore_errors=True)
