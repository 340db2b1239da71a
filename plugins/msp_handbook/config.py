"""Options of the `partnerships` plugin in mkdocs.yml."""

from mkdocs.config import base
from mkdocs.config import config_options as c

from .project import DEFAULT_PRACTICES_DIR, DEFAULT_RECORDS_DIR


class PartnershipsConfig(base.Config):
    # Folder of partnership records, relative to mkdocs.yml.
    records_dir = c.Type(str, default=DEFAULT_RECORDS_DIR)
    # A cycle file of the site's own, relative to mkdocs.yml; the method's
    # default cycle when unset.
    cycle_file = c.Optional(c.Type(str))
    # Folder of good practices inside the docs folder; also their URL.
    practices_dir = c.Type(str, default=DEFAULT_PRACTICES_DIR)
