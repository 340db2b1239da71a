"""Options of the `partnerships` plugin in mkdocs.yml.

Each option is typed and documented here, once: MkDocs validates them, and
`project.py` turns them into the folders both the build and the command line use.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

DEFAULT_RECORDS_DIR = "partnerships"
DEFAULT_PRACTICES_DIR = "practices"


class PartnershipsConfig(base.Config):
    """The `partnerships:` entry under `plugins:` in mkdocs.yml."""

    records_dir = c.Type(str, default=DEFAULT_RECORDS_DIR)
    """Folder of partnership records (one sub-folder per partnership), relative to mkdocs.yml."""

    cycle_file = c.Optional(c.Type(str))
    """A cycle file of the site's own, relative to mkdocs.yml; unset, the method's default cycle is used."""

    practices_dir = c.Type(str, default=DEFAULT_PRACTICES_DIR)
    """Folder of good practices inside the docs folder; also the start of their pages' URLs."""
