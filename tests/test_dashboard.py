"""The dashboard across partnerships (/partnerships/) and its filter pages, in the built example.

Every expected value is computed from the example records (the `handbook`
fixture), so the tests follow the examples as they change.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from mkdocs.structure.files import File

from msp_handbook.model import SECTOR_LABELS
from msp_handbook.structure.reviews import review_summary
from msp_handbook.urls import SitePaths

from sitebuild import Page

PATHS = SitePaths()
COLUMNS = ["Partnership", "Phase", "Freshness", "On track", "Latest review", "Overdue actions", "Next review", "Last update", "Sectors"]


def page_at(site: Path, docs_path: str) -> Page:
    return Page(site / File(docs_path, "", str(site), True).dest_uri)


def expected_review_cell(partnership) -> str:
    if not partnership.reviews:
        return "No review yet"
    latest = partnership.reviews[0]
    given = [rating for ratings in latest.ratings.values() for rating in ratings.values()]
    symbols = {"green": "✔", "amber": "!", "red": "✖"}
    words = [f"{symbols[colour]} {given.count(colour)} {colour}" for colour in ("green", "amber", "red")
             if colour in given]
    return f"{', '.join(words) or 'No ratings'} ({latest.date.day} {latest.date:%B %Y})"


def test_dashboard_has_one_row_per_partnership_with_its_columns(site, handbook):
    dashboard = page_at(site, PATHS.partnerships())
    assert dashboard.rows[0] == COLUMNS
    assert [row[0] for row in dashboard.rows[1:]] == [p.name for p in handbook.partnerships]


def test_dashboard_says_in_words_which_phase_each_partnership_is_in(site, handbook):
    dashboard = page_at(site, PATHS.partnerships())
    phases = handbook.cycle.phases
    assert len(phases) == 4
    for partnership in handbook.partnerships:
        phase = handbook.cycle.phase(partnership.phase) if partnership.phase else None
        strip = "".join("●" if each.id == partnership.phase else "○" for each in phases)
        where = f"You are here: {phase.number}. {phase.title}" if phase else "Phase not set"
        assert dashboard.row(partnership.name)[1] == f"{strip} {where}"
    # The strip is a picture for the eyes; screen readers get the words.
    strips = [attrs for tag, attrs in dashboard.elements if "msp-strip" in (attrs.get("class") or "").split()]
    assert len(strips) == len(handbook.partnerships)
    assert all(attrs.get("aria-hidden") == "true" for attrs in strips)


def test_dashboard_shows_review_colours_overdue_actions_and_next_review(site, handbook):
    dashboard = page_at(site, PATHS.partnerships())
    today = dt.date.today()
    assert any(p.reviews for p in handbook.partnerships), "the examples should have reviews"
    for partnership in handbook.partnerships:
        summary = review_summary(partnership, handbook.building_blocks, today)
        _, _, _, _, review, overdue, next_review, _, _ = dashboard.row(partnership.name)
        assert review == expected_review_cell(partnership)
        assert overdue == str(len(summary.overdue_actions))
        if summary.next_review is None:
            assert next_review == "Not planned"
        else:
            due = f"{summary.next_review.day} {summary.next_review:%B %Y}"
            assert next_review == due + (" (overdue)" if summary.next_review < today else "")


def test_dashboard_shows_last_update_and_sectors(site, handbook):
    dashboard = page_at(site, PATHS.partnerships())
    for partnership in handbook.partnerships:
        row = dashboard.row(partnership.name)
        assert row[8] == (", ".join(SECTOR_LABELS[sector] for sector in partnership.sectors()) or "Not listed yet")
        assert (f"{partnership.slug}/", partnership.name) in dashboard.links
        if partnership.log:
            newest = partnership.log[0]
            assert (f"{partnership.slug}/log/#{newest.anchor}", f"{newest.date.day} {newest.date:%B %Y}") \
                in dashboard.links
        else:
            assert row[7] == "No log entries yet"


def filter_cases(handbook):
    cases = [(PATHS.partnerships_by_sector(sector), label,
              [p.name for p in handbook.partnerships if sector in p.sectors()])
             for sector, label in SECTOR_LABELS.items()]
    cases += [(PATHS.partnerships_by_phase(phase.id), f"{phase.number}. {phase.title}",
               [p.name for p in handbook.partnerships if p.phase == phase.id])
              for phase in handbook.cycle.phases]
    return cases


def test_filter_pages_list_exactly_the_matching_partnerships(site, handbook):
    cases = filter_cases(handbook)
    assert any(names for _, _, names in cases), "some filter should match an example"
    for docs_path, label, names in cases:
        listing = page_at(site, docs_path)
        assert f"Partnerships: {label}" in listing.article()
        listed = [row[0] for row in listing.rows[1:]]
        assert listed == names, docs_path
        if not names:
            assert "No partnership matches this filter." in listing.article()


def test_filter_bar_links_every_filter_with_its_count_and_marks_the_current_one(site, handbook):
    cases = filter_cases(handbook)
    dashboard = page_at(site, PATHS.partnerships())
    for docs_path, label, names in cases:
        href = docs_path.removeprefix("partnerships/").removesuffix(".md") + "/"
        assert (href, f"{label} ({len(names)})") in dashboard.links
    docs_path, label, names = cases[0]
    listing = page_at(site, docs_path)
    # The filter in force is named, not linked; "All" leads back to the dashboard.
    assert not any(text == f"{label} ({len(names)})" for _, text in listing.links)
    assert f"{label} ({len(names)})" in listing.article()
    assert ("../../", "All") in listing.links


def test_search_finds_the_dashboard_but_not_its_filter_bar_or_filter_pages(site, handbook):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    dashboard = [doc for doc in index["docs"] if doc["location"] == "partnerships/"]
    assert dashboard and handbook.partnerships[0].name in " ".join(doc["text"] for doc in dashboard)
    assert not any("By phase" in doc["text"] for doc in dashboard)
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for docs_path, _, _ in filter_cases(handbook):
        assert File(docs_path, "", str(site), True).url not in locations
