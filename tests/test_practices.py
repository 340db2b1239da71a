"""The good-practice catalogue: pages, listings that work without JavaScript, two-way links."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from mkdocs.exceptions import Abort

from msp_handbook.audience import for_audience
from msp_handbook.handbook import load_handbook
from msp_handbook.model import SECTOR_LABELS
from msp_handbook.structure.pages import practices_for_step

from sitebuild import Page, build_site, copy_project


def test_examples_cover_every_phase_with_at_least_eight_practices(handbook):
    assert len(handbook.practices) >= 8
    for phase in handbook.cycle.phases:
        assert any(phase.id in practice.phase_ids for practice in handbook.practices), phase.id


def test_catalogue_lists_every_practice_with_links_to_listings(site, handbook):
    catalogue = Page(site / "practices/index.html")
    for practice in handbook.practices:
        row = catalogue.row(practice.title)
        assert row[2] == ", ".join(SECTOR_LABELS[s] for s in practice.sectors)
        assert row[3] == ", ".join(practice.tags)
        assert (f"{practice.slug}/", practice.title) in catalogue.links
    hrefs = {href for href, _ in catalogue.links}
    for phase in handbook.cycle.phases:
        assert f"phases/{phase.id}/" in hrefs
    for tag in handbook.tags:
        assert f"tags/{tag}/" in hrefs
    assert "sectors/civil-society/" in hrefs


def test_listing_pages_narrow_by_phase_step_tag_and_sector(site, handbook):
    for phase in handbook.cycle.phases:
        listing = Page(site / f"practices/phases/{phase.id}/index.html")
        for step in phase.steps:
            assert step.id in listing.ids
            for practice in practices_for_step(handbook, step):
                assert (f"../../{practice.slug}/", practice.title) in listing.links
        titles = {text for _, text in listing.links}
        for practice in handbook.practices:
            if phase.id not in practice.phase_ids:
                assert practice.title not in titles
    for tag in handbook.tags:
        listing = Page(site / f"practices/tags/{tag}/index.html")
        listed = {row[0] for row in listing.rows[1:]}
        assert listed == {p.title for p in handbook.practices if tag in p.tags}
    listing = Page(site / "practices/sectors/private/index.html")
    assert {row[0] for row in listing.rows[1:]} == {p.title for p in handbook.practices if "private" in p.sectors}


def test_two_way_links_between_practices_partnerships_and_guidance(site, handbook):
    linked_partnerships = 0
    for practice in handbook.practices:
        page = Page(site / f"practices/{practice.slug}/index.html")
        for slug in practice.partnerships:
            partnership = handbook.partnership(slug)
            assert (f"../../partnerships/{slug}/", partnership.name) in page.links
            overview = Page(site / f"partnerships/{slug}/index.html")
            assert (f"../../practices/{practice.slug}/", practice.title) in overview.links
            linked_partnerships += 1
        for step_id in practice.steps:
            phase, step = handbook.cycle.locate(step_id)
            guide = Page(site / phase.guide.removesuffix(".md") / "index.html")
            assert (f"../../practices/{practice.slug}/", practice.title) in guide.links
            assert any(href.endswith(f"/#{step_id}") for href, _ in page.links)
    assert linked_partnerships


def test_practice_pages_edit_their_source_file_and_are_searchable(site, handbook):
    practice = handbook.practices[0]
    page = Page(site / f"practices/{practice.slug}/index.html")
    edit = f"https://github.com/example-org/msp-handbook/edit/main/content/practices/{practice.slug}.md"
    assert any(href == edit for href, _ in page.links)
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert any(doc["location"] == f"practices/{practice.slug}/" for doc in index["docs"])
    assert not (site / "practices" / "tags.yml").exists()


def test_practice_bodies_are_markdown_with_raw_html_shown_as_text(extended_site):
    site = extended_site  # with conftest.EXTRA_SOURCES' practices/hostile.md
    page = Page(site / "practices/hostile/index.html")
    text = page.article()
    assert "<script>alert(1)</script> {{ 7*7 }}" in text and "<script>alert(3)</script>" in text
    assert "<strong>Bold</strong>" in page.html
    assert not any(name.startswith("on") for _, attributes in page.elements for name in attributes)
    assert not any(href.startswith("javascript") for href, _ in page.links)


@pytest.mark.parametrize(("line", "message"), [
    ("steps: [explore-partnerz]", "4:9: unknown cycle step 'explore-partnerz' in steps — did you mean 'explore-partners'?"),
    ("tags: [facilitation, made-up-tag]", "4:22: unknown tag 'made-up-tag' in tags"),
    ("partnerships: [tamberu-taps-for-al]", "4:16: unknown partnership 'tamberu-taps-for-al' in partnerships"),
    ("tags: [facilitation, governance, monitoring, conflict]", "4:7: 'tags' has 4 entries; at most 3 are allowed"),
])
def test_practice_references_are_checked_with_file_and_line(tmp_path, caplog, line, message):
    project = copy_project(tmp_path / "project")
    practice = project / "content" / "practices" / "new-one.md"
    practice.write_text(f"---\ntitle: New\nsummary: S\n{line}\nphases: [exploration]\n---\nBody\n")
    with pytest.raises(Abort):
        build_site(project)
    assert f"content/practices/new-one.md:{message}" in caplog.text


def test_each_partnership_page_says_when_its_record_last_changed(tmp_path):
    project = copy_project(tmp_path / "project")
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_COMMITTER_DATE": "2025-02-03T10:00:00", "GIT_AUTHOR_DATE": "2025-02-03T10:00:00"}
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "first"]):
        subprocess.run(command, cwd=project, check=True, env=env)
    record = project / "partnerships" / "sarvana-fair-garments" / "partnership.yml"
    record.write_text(record.read_text() + "\n")
    env["GIT_COMMITTER_DATE"] = "2026-04-05T10:00:00"
    subprocess.run(["git", "commit", "-qam", "second"], cwd=project, check=True, env=env)
    site = build_site(project)
    handbook = for_audience(load_handbook(project / "partnerships"), "public")
    for slug, changed in (("sarvana-fair-garments", "5 April 2026"), ("tamberu-taps-for-all", "3 February 2025")):
        newest = handbook.partnership(slug).log[0]
        for name in ("", "cycle/", "log/"):
            text = Page(site / f"partnerships/{slug}/{name}index.html").article()
            assert f"Record last changed on {changed}." in text
            assert f"Latest log entry: {newest.title} , {newest.date.day} {newest.date:%B %Y}" in text


def test_each_log_entry_links_to_editing_its_own_file(site, handbook):
    partnership = handbook.partnerships[0]
    log = Page(site / f"partnerships/{partnership.slug}/log/index.html")
    base = "https://github.com/example-org/msp-handbook/edit/main/partnerships/"
    edits = [href for href, text in log.links if text == "Edit this entry"]
    assert edits == [f"{base}{partnership.slug}/log/{entry.source.name}" for entry in partnership.log]


def test_links_to_other_pages_in_markdown_fields_become_site_urls(extended_site):
    site = extended_site  # with conftest.EXTRA_SOURCES' practices/linking.md and a Tamberu log entry
    practice = Page(site / "practices/linking/index.html")
    links = dict((text, href) for href, text in practice.links)
    assert links["the step"] == "../../guide/exploration/#clarify-idea"
    assert links["home"] == "../../"
    assert links["a neighbour"] == "../map-interests-before-the-first-meeting/"
    for href in (links["the step"], links["home"], links["a neighbour"]):
        target = (site / "practices/linking" / href.partition("#")[0] / "index.html").resolve()
        assert target.is_file(), href
    log = Page(site / "partnerships/tamberu-taps-for-all/log/index.html")
    assert ("../../../guide/building/", "guide") in log.links


def test_a_link_to_a_page_that_does_not_exist_stops_a_strict_build(tmp_path, caplog):
    project = copy_project(tmp_path / "project", only="tamberu-taps-for-all")  # the practice below names no partnership
    (project / "content" / "practices" / "linking.md").write_text(
        "---\ntitle: Linking\nsummary: S\nphases: [exploration]\n---\nSee [the step](../guide/explortion.md#x).\n"
    )
    with pytest.raises(Abort, match="strict"):
        build_site(project)
    assert ("content/practices/linking.md:6:16: the link '../guide/explortion.md#x' leads to no page of the handbook"
            in caplog.text)
