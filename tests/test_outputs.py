"""`msp-handbook validate` finds a clash between the files for machines from their paths alone
(outputs.machine_paths): the same paths, in the same order, as the files the build makes.
And the build writes them into the site as it made them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin, event_priority

from msp_handbook.iati import IatiOptions
from msp_handbook.outputs import OutputClash, Publishing, machine_files, machine_paths
from msp_handbook.urls import SitePaths

from sitebuild import copy_project

IATI = IatiOptions("XX-EXAMPLE", "XX-EXAMPLE", 21, "Example Partnership Support Organisation")
PATHS = SitePaths("practices")


def url_of(docs_path: str) -> str:
    return "https://example.org/" + docs_path


@pytest.mark.parametrize("publishing", [Publishing("Site"), Publishing("Site", feeds=False),
                                        Publishing("Site", iati=IATI), Publishing("Site", feeds=False, iati=IATI)],
                         ids=["feeds", "nothing-else", "feeds-and-iati", "iati"])
def test_the_paths_are_those_of_the_files_the_build_makes(handbook, publishing):
    # One partnership without a start date: left out of the IATI files, by both.
    first = handbook.partnerships[0].model_copy(update={"started": None})
    without_start = replace(handbook, partnerships=(first, *handbook.partnerships[1:]))
    for published in (handbook, without_start):
        assert machine_paths(published, PATHS, publishing) == list(machine_files(published, PATHS, url_of, publishing))
    assert len(machine_paths(without_start, PATHS, Publishing("Site", iati=IATI))) \
        < len(machine_paths(handbook, PATHS, Publishing("Site", iati=IATI)))


@pytest.mark.parametrize("slug", ["index", "feed"])
def test_a_clash_is_found_from_the_paths_as_from_the_files(handbook, slug):
    clashing = handbook.partnerships[0].model_copy()
    clashing._slug = slug  # the loader refuses these names; an exporter must not trust that alone
    published = replace(handbook, partnerships=(*handbook.partnerships, clashing))
    publishing = Publishing("Site", iati=IATI)
    with pytest.raises(OutputClash) as from_files:
        machine_files(published, PATHS, url_of, publishing)
    with pytest.raises(OutputClash) as from_paths:
        machine_paths(published, PATHS, publishing)
    assert str(from_paths.value) == str(from_files.value)
    assert f"partnerships/{slug}.json" in str(from_paths.value)


class _Watch(BasePlugin):
    """Runs after the partnerships plugin: notes what it holds and hands to MkDocs."""

    def __init__(self, ours) -> None:
        self.ours = ours
        self.made: dict[str, str] = {}
        self.files: list[tuple[str, str | None, str, bool]] = []
        self.held_after_files: dict | None = None

    @event_priority(-100)
    def on_pre_build(self, config) -> None:
        self.made = dict(self.ours.machine_contents)  # what the build made, before it is written

    @event_priority(-100)
    def on_files(self, files, config):
        self.held_after_files = self.ours.machine_contents
        self.files = [(file.src_uri, file.abs_src_path, file.abs_dest_path, Path(file.abs_dest_path).is_file())
                      for file in files if file.src_uri in self.made]
        return files


def test_the_files_for_machines_are_written_once_into_the_site_as_made(tmp_path):
    # on_files writes them where MkDocs would copy them to, as their own source (so MkDocs skips
    # them), and lets go of their contents; the site holds exactly what the build made.
    project = copy_project(tmp_path, only="tamberu-taps-for-all")
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    watch = config.plugins["watch"] = _Watch(config.plugins["partnerships"])
    build(config)
    assert any(path.endswith(".iati.xml") for path in watch.made) and "partnerships/feed.json" in watch.made
    assert watch.held_after_files == {}
    assert [src for src, *_ in watch.files] == list(watch.made)
    for src_uri, abs_src_path, abs_dest_path, written in watch.files:
        assert abs_src_path == abs_dest_path and written, src_uri
        assert Path(abs_dest_path).read_bytes() == watch.made[src_uri].encode("utf-8"), src_uri
