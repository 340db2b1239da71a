"""Keeps Material's end-of-life notice off, however `mkdocs` is started on this handbook.

Material 9.8 prints the notice on stderr while MkDocs loads the theme, which
comes before any plugin is imported, unless NO_MKDOCS_2_WARNING is set. The
handbook's mkdocs.yml names `NOTICE_OFF` with `!!python/name:` (MkDocs reads
its configuration with PyYAML's full loader, as Material's own emoji setting
relies on), so MkDocs imports this module while it reads the file, before the
theme: `.venv/bin/mkdocs`, an activated environment and `pip install -e .`
without make are all quiet, with nothing written into the environment.
"""

import os

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

NOTICE_OFF = True
