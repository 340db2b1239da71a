"""`msp-handbook validate` finds a clash between the files for machines from their paths alone
(outputs.machine_paths): the same paths, in the same order, as the files the build makes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from msp_handbook.iati import IatiOptions
from msp_handbook.outputs import OutputClash, Publishing, machine_files, machine_paths
from msp_handbook.urls import SitePaths

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
