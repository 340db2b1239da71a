"""The dashboard across partnerships (/partnerships/) and its filter pages, in the built example.

Every expected value is computed from the example records (the `handbook`
fixture), so the tests follow the examples as they change.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import re
from pathlib import Path

import markdown
import pytest
from mkdocs.structure.files import File

from msp_handbook.model import SECTOR_LABELS
from msp_handbook.project import Project
from msp_handbook.site import check_site
from msp_handbook.structure.monitoring import indicator_statuses
from msp_handbook.structure.freshness import COLOUR_LABELS, COLOUR_ORDER, freshness
from msp_handbook.structure.reviews import review_summary
from msp_handbook.urls import SitePaths

from sitebuild import REPO, Page, copy_project, planned_pages

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))
from synthetic import write_partnerships  # noqa: E402

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
        where = f"{phase.number}. {phase.title}" if phase else "Phase not set"
        assert dashboard.row(partnership.name)[1] == f"{strip} {where}"
    # The strip is a picture for the eyes; screen readers get the words. The
    # words name the partnership's phase: "You are here" would speak of the reader.
    assert "You are here" not in dashboard.html
    strips = re.findall(r'<td data-v="\d*"><span aria-hidden="true">([○●]+)</span> (?:\d\. |Phase not set)',
                        dashboard.html)
    assert len(strips) == len(handbook.partnerships)


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
            # The log page starts with its newest entry.
            newest = partnership.log[0]
            assert (f"{partnership.slug}/log/", f"{newest.date.day} {newest.date:%B %Y}") in dashboard.links
        else:
            assert row[7] == "No log entries yet"


def filter_cases(handbook):
    cases = [(PATHS.partnerships_by_sector(sector), label,
              [p.name for p in handbook.partnerships if sector in p.sectors()])
             for sector, label in SECTOR_LABELS.items()]
    cases += [(PATHS.partnerships_by_phase(phase.id), f"{phase.number}. {phase.title}",
               [p.name for p in handbook.partnerships if p.phase == phase.id])
              for phase in handbook.cycle.phases]
    cases += [(PATHS.partnerships_by_freshness(colour), COLOUR_LABELS[colour],
               [p.name for p in handbook.partnerships if freshness(p, dt.date.today()).colour == colour])
              for colour in COLOUR_ORDER]
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


# --- Sorting (keys the script reads) and size -------------------------------------

ROW = re.compile(r"<tr><th scope=\"row\">.*?</tr>", re.S)


def sort_keys_of(dashboard: Page) -> dict[str, dict[str, str]]:
    """Partnership name -> heading -> the data-v key its cell carries, read off the built page."""
    headings = dashboard.rows[0]
    keyed = {}
    for row_html, cells in zip(ROW.findall(dashboard.html), dashboard.rows[1:], strict=True):
        tags = re.findall(r"<t[dh]( data-v=\"([^\"]*)\")?[ >]", row_html)
        keyed[cells[0]] = {heading: value for heading, (attribute, value) in zip(headings, tags, strict=True) if attribute}
    return keyed


def test_every_sortable_cell_carries_its_key_computed_from_the_record(site, handbook):
    keys = sort_keys_of(page_at(site, PATHS.partnerships()))
    today = dt.date.today()
    for partnership in handbook.partnerships:
        summary = review_summary(partnership, handbook.building_blocks, today)
        statuses = [status.track for status in indicator_statuses(partnership)]
        assessed = len(statuses) - statuses.count("not-assessed")
        given = [rating for ratings in summary.latest.ratings.values() for rating in ratings.values()] \
            if summary.latest else []
        phase = handbook.cycle.phase(partnership.phase) if partnership.phase else None
        expected = {
            "Phase": str(phase.number) if phase else "",
            "Freshness": str(["green", "amber", "red"].index(freshness(partnership, today).colour)),
            "On track": f"{statuses.count('on-track') / assessed:.3g}" if assessed else "",
            "Latest review": f"{sum({'green': 2, 'amber': 1, 'red': 0}[c] for c in given) / len(given):.3g}"
            if given else "",
            "Overdue actions": str(len(summary.overdue_actions)),
            "Next review": summary.next_review.isoformat() if summary.next_review else "",
            "Last update": partnership.log[0].date.isoformat() if partnership.log else "",
        }
        assert keys[partnership.name] == expected, partnership.name


def test_sortable_headings_say_how_they_sort_and_the_sectors_do_not_sort(site):
    html = page_at(site, PATHS.partnerships()).html
    headings = re.findall(r"<th scope=\"col\"([^>]*)>([^<]+)</th>", html)
    assert [label for _, label in headings] == COLUMNS
    for attributes, label in headings:
        if label == "Sectors":
            assert "data-sort" not in attributes
        else:
            assert re.search(r'data-sort="[a-z-]+" data-asc="[^"]+" data-desc="[^"]+"', attributes), label
    assert "data-msp-sortable" in html
    assert html.count('src="../assets/msp-handbook.js"') == 1


def test_phone_labels_in_the_stylesheet_are_the_column_headings(site):
    # Rows carry no labels: the stylesheet writes each column's label before its cells.
    css = (site / "assets" / "msp-handbook.css").read_text(encoding="utf-8")
    labels = dict(re.findall(r'\.msp-dashboard tbody > tr > :nth-child\((\d+)\)::before \{ content: "([^"]+)"; \}', css))
    assert [labels[str(number)] for number in range(1, len(COLUMNS) + 1)] == COLUMNS
    assert 'data-label' not in page_at(site, PATHS.partnerships()).html.split("<tbody>")[1]


# A dashboard row holds a name, a phase, dates, counts and sectors: about 700
# bytes in the examples. A row with a label repeated in every cell, SVG or
# sub-tables goes far beyond (rows were about 1,100 bytes before).
ROW_BYTES = 800


def test_each_partnership_adds_a_bounded_number_of_bytes_to_the_dashboard(site, handbook, tmp_path):
    rows = ROW.findall(page_at(site, PATHS.partnerships()).html)
    assert len(rows) == len(handbook.partnerships)
    assert max(len(row.encode()) for row in rows) <= ROW_BYTES
    # The whole page, at two sizes of a synthetic network: nothing else grows per partnership.
    small, large = (dashboard_bytes(tmp_path / str(count), count) for count in (3, 15))
    assert (large - small) / 12 <= ROW_BYTES, (small, large)


def dashboard_bytes(folder: Path, count: int) -> int:
    """Bytes of the dashboard's HTML for `count` synthetic partnerships (the benchmark's generator),
    rendered by the checks the build runs and converted as MkDocs converts a page's Markdown."""
    project = copy_project(folder, with_partnerships=False)
    write_partnerships(REPO / "partnerships", project / "partnerships", count)
    handbook_project = Project.read(project / "mkdocs.yml")
    check = check_site(handbook_project)
    assert not check.errors, check.errors
    page = next(file for file in check.pages if file.src_uri == PATHS.partnerships())
    config = handbook_project.config
    html = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    return len(html.convert(page.content_string).encode())


@pytest.mark.parametrize("directory_urls", [True, False])
def test_a_dashboard_row_is_written_once_for_the_pages_it_reads_the_same_on(example_project, monkeypatch,
                                                                           directory_urls):
    # sections.DashboardRows: the filter pages repeat the dashboard's rows; a row written for one
    # page is reused wherever its links are the same. The pages must be exactly those written
    # without reuse, with fewer rows written.
    from msp_handbook import sections

    shared, _, written = planned_pages(example_project / "mkdocs.yml", monkeypatch, share=True,
                                       directory_urls=directory_urls)
    alone, _, _ = planned_pages(example_project / "mkdocs.yml", monkeypatch, share=False, directory_urls=directory_urls)
    rows_written = written.count(sections.DashboardRows.TEMPLATE)
    assert shared == alone
    dashboard = [text for uri, text in shared.items() if uri.startswith("partnerships/") and "<tbody>" in text]
    rows_shown = sum(text.count("<tr><th scope=\"row\">") for text in dashboard)
    # Written at most twice: for the dashboard, and for the filter pages (one level deeper, so their
    # links read otherwise), whichever of their three folders comes first.
    partnerships = sum(1 for uri in shared if uri.endswith("/dossier.md"))
    assert 0 < rows_written <= 2 * partnerships < rows_shown
