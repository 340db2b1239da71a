"""What a build holds beyond plain MkDocs: only what building needs (peak memory is measured by `make bench`).

No memory is measured here: these check the things the benchmark's figure
was brought down by, so a change that brings them back fails a test.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin, event_priority

from msp_handbook import escaping
from msp_handbook.model import LogEntry, Partnership
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


class _AfterThePlugin(BasePlugin):
    """Notes, once the partnerships plugin has made every page, which of its models are still in memory."""

    def __init__(self, records: Path) -> None:
        self.records = records
        self.models_left: list[str] | None = None
        self.kept_texts: int | None = None

    @event_priority(-100)
    def on_files(self, files, config):
        # gc.get_objects lists garbage not yet collected too (a model only a reference cycle keeps
        # counts), but not what the plugin froze: unfrozen while looking, frozen again after.
        frozen = gc.get_freeze_count()
        gc.unfreeze()
        try:
            self.models_left = [type(found).__name__ for found in gc.get_objects()
                                if isinstance(found, (Partnership, LogEntry)) and self.records in found.source.parents]
        finally:
            if frozen:
                gc.freeze()
        self.kept_texts = escaping._md_string.cache_info().currsize
        return files


def test_a_build_lets_go_of_the_models_and_kept_texts_once_every_page_is_made(tmp_path):
    # Jinja leaves each rendered page's context in a reference cycle that holds the page's
    # variables: without the collection at the end of on_pre_build, every partnership's models
    # stayed until the collector happened to run (or, frozen, to the end of the build); the
    # texts kept for rendering stayed until the process ended.
    project = copy_project(tmp_path, only="tamberu-taps-for-all")
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    after = config.plugins["after"] = _AfterThePlugin((project / "partnerships").resolve())
    build(config)
    assert after.models_left == []
    assert after.kept_texts == 0


def test_text_kept_while_rendering_serves_one_handbook_only(monkeypatch, tmp_path):
    # A serve checks the same handbook on every save and reuses the HTML of its fields; a process
    # that checks other handbooks (scripts, the test workers) must not pile theirs up.
    from msp_handbook import field_markdown, site

    kept = field_markdown._Converted()
    monkeypatch.setattr(field_markdown, "_CONVERTED", kept)
    monkeypatch.setattr(site, "_KEPT_TEXT_OF", [])
    site._kept_text_for(tmp_path / "one")
    field_markdown.markdown_html("*kept*")
    site._kept_text_for(tmp_path / "one")
    assert len(kept.html) == 1
    site._kept_text_for(tmp_path / "two")
    assert not kept.html
