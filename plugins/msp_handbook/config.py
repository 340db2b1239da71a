"""Options of the `partnerships` plugin in mkdocs.yml."""

from mkdocs.config import base
from mkdocs.config import config_options as c


class PartnershipsConfig(base.Config):
    # Folder of partnership records, relative to mkdocs.yml.
    records_dir = c.Type(str, default="partnerships")
    # A cycle file of the site's own, relative to mkdocs.yml; the method's
    # default cycle when unset.
    cycle_file = c.Optional(c.Type(str))
