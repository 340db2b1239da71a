"""What a build holds beyond plain MkDocs: only what building needs (peak memory is measured by `make bench`).

No memory is measured here: these check the things the benchmark's figure
was brought down by, so a change that brings them back fails a test.
"""

from __future__ import annotations

import subprocess
import sys

# Loaded by `mkdocs serve` only: a build that imported them would hold some
# 4.5 MB more at its peak than the same site built without the plugin.
SERVE_ONLY_MODULES = ("mkdocs.livereload", "watchdog", "http.server")


def test_building_loads_nothing_only_serve_needs():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, mkdocs.commands.build, msp_handbook.plugin, msp_handbook.cli; "
                               "print(' '.join(sorted(sys.modules)))"],
        check=True, capture_output=True, text=True).stdout.split()
    assert "msp_handbook.plugin" in loaded
    assert [name for name in loaded if name.startswith(SERVE_ONLY_MODULES)] == []
