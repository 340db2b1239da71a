"""What a build holds beyond plain MkDocs: only what building needs (peak memory is measured by `make bench`).

No memory is measured here: these check the things the benchmark's figure
was brought down by, so a change that brings them back fails a test.
"""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from msp_handbook.plugin import PartnershipsPlugin

from sitebuild import build_site, copy_project

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


def test_what_exists_before_the_pages_are_built_is_left_out_of_cycle_collection_until_the_build_ends(
        tmp_path, monkeypatch):
    project = copy_project(tmp_path / "handbook", only="tamberu-taps-for-all")
    frozen_while_building, on_page_markdown = [], PartnershipsPlugin.on_page_markdown

    def watched(self, markdown, page, *args, **kwargs):
        frozen_while_building.append(gc.get_freeze_count())
        if fail and page.file.src_uri == "index.md":
            raise RuntimeError("a plugin failing in the middle of the build")
        return on_page_markdown(self, markdown, page, *args, **kwargs)

    monkeypatch.setattr(PartnershipsPlugin, "on_page_markdown", watched)
    for fail in (False, True):
        frozen_while_building.clear()
        if fail:
            with pytest.raises(RuntimeError):
                build_site(project, tmp_path / "site")
        else:
            build_site(project, tmp_path / "site")
        assert frozen_while_building and min(frozen_while_building) > 0, fail
        assert gc.get_freeze_count() == 0, fail  # a finished or failed build leaves nothing frozen
