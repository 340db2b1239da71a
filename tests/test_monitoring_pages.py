"""The monitoring tab, the charts and the summaries, read off a built site and off the SVG itself."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from msp_handbook.charts import Box, Labels, Scale, indicator_chart
from msp_handbook.model.monitoring import Indicator, unserved_stakeholders
from msp_handbook.structure.monitoring import format_value, indicator_status

from sitebuild import Page, build_site, copy_project

SVG = "{http://www.w3.org/2000/svg}"
# `site` and `handbook` (conftest.py) are the example handbook, built once per run.
# Where freshness matters, the build date is fixed, as a reproducible build does.
BUILD_DAY = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)


def charts_in(page: Page) -> list[etree.Element]:
    return [etree.fromstring(svg) for svg in re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="msp-chart".*?</svg>',
                                                          page.html, re.S)]


# --- The chart, as data ------------------------------------------------------------

INDICATOR = Indicator.model_validate({
    "id": "households", "goal": "taps", "name": 'Households <with> "taps" & more', "measure": "number",
    "unit": "households", "better": "higher", "baseline": {"date": "2025-01-10", "value": 1000},
    "targets": [{"period": "2025", "start": "2025-01-01", "end": "2025-12-31", "value": 1200},
                {"period": "2026", "start": "2026-01-01", "end": "2026-12-31", "value": 1500}],
    "actuals": [{"date": "2026-05-12", "value": 1240, "reported_by": ["a"]},
                {"date": "2025-06-30", "value": 1100, "reported_by": ["a"]},
                {"date": "2025-11-30", "value": 1180, "reported_by": ["a"]}],
})


def test_chart_is_an_accessible_image_that_scales():
    svg = etree.fromstring(indicator_chart(INDICATOR, "chart-households"))
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert svg.get("width") == "100%" and svg.get("viewBox") == "0 0 600 320"
    title_id, desc_id = svg.get("aria-labelledby").split()
    title = svg.find(f"{SVG}title")
    assert title.get("id") == title_id and title.text.startswith('Households <with> "taps" & more')
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    # Nothing that runs or loads: no script, no link, no foreign content.
    assert not [el for el in svg.iter() if el.tag.split("}")[1] in ("script", "a", "image", "foreignObject", "use")]
    assert not [name for el in svg.iter() for name in el.attrib if name.startswith("on") or "href" in name]


def test_chart_points_follow_the_actuals_in_date_order_and_height():
    svg = etree.fromstring(indicator_chart(INDICATOR, "c"))
    dots = svg.findall(f"{SVG}circle[@class='msp-chart-actual']")
    assert [(d.get("data-date"), float(d.get("data-value"))) for d in dots] == [
        ("2025-06-30", 1100), ("2025-11-30", 1180), ("2026-05-12", 1240)]
    xs, ys = [float(d.get("cx")) for d in dots], [float(d.get("cy")) for d in dots]
    assert xs == sorted(xs) and ys == sorted(ys, reverse=True)  # later is further right, more is higher up
    line = svg.find(f"{SVG}polyline[@class='msp-chart-actuals']").get("points").split()
    assert line == [f"{x},{y}" for x, y in zip(xs, ys, strict=True)]
    labels = [t.text for t in svg.findall(f"{SVG}text[@class='msp-chart-actual-label']")]
    assert labels == ["1,100", "1,180", "1,240"]


def test_chart_draws_each_target_across_its_period_and_the_baseline():
    svg = etree.fromstring(indicator_chart(INDICATOR, "c"))
    targets = svg.findall(f"{SVG}line[@class='msp-chart-target']")
    assert [(t.get("data-period"), float(t.get("data-value"))) for t in targets] == [("2025", 1200), ("2026", 1500)]
    for target in targets:
        assert target.get("y1") == target.get("y2") and float(target.get("x1")) < float(target.get("x2"))
    assert float(targets[1].get("y1")) < float(targets[0].get("y1"))  # 1,500 above 1,200
    assert float(targets[0].get("x2")) < float(targets[1].get("x1"))  # 2025 ends before 2026 starts
    labels = [t.text for t in svg.findall(f"{SVG}text[@class='msp-chart-target-label']")]
    assert labels == ["2025: 1,200 households", "2026: 1,500 households"]
    baseline = svg.find(f"{SVG}rect[@class='msp-chart-baseline']")
    assert float(baseline.get("data-value")) == 1000
    first_dot = svg.find(f"{SVG}circle[@class='msp-chart-actual']")
    assert float(baseline.get("y")) + 6 > float(first_dot.get("cy"))  # 1,000 drawn below 1,100


def test_yes_no_chart_has_no_and_yes_on_its_axis():
    indicator = Indicator.model_validate({
        "id": "plan", "goal": "g", "name": "Plan", "measure": "yes-no",
        "actuals": [{"date": "2026-01-01", "value": False, "reported_by": ["a"]},
                    {"date": "2026-03-01", "value": True, "reported_by": ["a"]}]})
    svg = etree.fromstring(indicator_chart(indicator, "c"))
    assert [t.text for t in svg.findall(f"{SVG}text[@class='msp-chart-ylabel']")] == ["no", "yes"]
    no, yes = svg.findall(f"{SVG}circle[@class='msp-chart-actual']")
    assert float(yes.get("cy")) < float(no.get("cy"))


@pytest.mark.parametrize("anchor, left", [("start", 200.0), ("middle", 200.0 - 5 * 15 * 0.56 / 2), ("end", 200.0 - 5 * 15 * 0.56)])
def test_a_label_takes_the_first_free_spot_and_is_left_out_when_none_is_free(anchor, left):
    mark = Box(100, 100, 300, 140)  # a dot or a target line the label must not cover
    labels = Labels([mark])
    first_free = (200.0, 200.0, anchor)
    placed = labels.place("1,240", [(200.0, 120.0, anchor), (200.0, 400.0, anchor), first_free], "c")
    assert placed == [f'<text class="c" x="200.0" y="200.0" text-anchor="{anchor}">1,240</text>']
    assert labels.taken[-1] == Box(left - 2, 200 - 15 * 0.8, left + 5 * 15 * 0.56 + 2, 200 + 15 * 0.25)
    # The spot just taken is no longer free; one touching its edge (not overlapping) still is.
    assert labels.place("1,240", [first_free], "c") == []
    below = 200 + 15 * 0.25 + 15 * 0.8
    assert labels.place("1,240", [(200.0, below, anchor)], "c") != []
    assert not Box(0, 0, 1, 1).overlaps(Box(1, 0, 2, 1)) and Box(0, 0, 1, 1).overlaps(Box(0.5, 0.5, 2, 2))


def test_scale_maps_the_ends_of_its_range_to_the_edges_of_the_plot():
    scale = Scale(dt.date(2025, 1, 1), dt.date(2025, 12, 31), 0.0, 2000.0)
    assert (scale.x(dt.date(2025, 1, 1)), scale.x(dt.date(2025, 12, 31))) == (64, 580)
    assert (scale.y(0.0), scale.y(2000.0), scale.y(1000.0)) == (276, 28, 152)
    single_day = Scale(dt.date(2025, 1, 1), dt.date(2025, 1, 1), 5.0, 5.0)  # no span: nothing divides by zero
    assert (single_day.x(dt.date(2025, 1, 1)), single_day.y(5.0)) == (64, 276)


# --- The pages --------------------------------------------------------------------


def test_every_example_carries_goals_indicators_reviews_ledger_and_feedback(loaded_handbook):
    # What issue 10 asks the examples to show, for every example partnership.
    assert len(loaded_handbook.partnerships) == 3
    for partnership in loaded_handbook.partnerships:
        name = partnership.slug
        assert partnership.goals and not unserved_stakeholders(partnership), name
        assert {indicator.goal for indicator in partnership.indicators} == {goal.id for goal in partnership.goals}, name
        for indicator in partnership.indicators:
            assert len({actual.date for actual in indicator.actuals}) >= 3, (name, indicator.id)
            # Plausible: measured after the baseline, by more than one partner over the indicators.
            if indicator.baseline:
                assert all(actual.date > indicator.baseline.date for actual in indicator.actuals), (name, indicator.id)
        assert len({ident for i in partnership.indicators for a in i.actuals for ident in a.reported_by}) >= 3, name
        assert len(partnership.reviews) >= 2 and all(review.actions for review in partnership.reviews), name
        assert partnership.reviews[0].next_review is not None, name
        ledger = partnership.ledger
        assert ledger and ledger.put_in and ledger.get_out, name
        # Every stakeholder puts something in and gets something out.
        stakeholders = {s.id for s in partnership.stakeholders}
        assert {e.stakeholder for e in ledger.put_in} == stakeholders == {e.stakeholder for e in ledger.get_out}, name
        assert len(partnership.feedback) >= 3 and any(entry.log for entry in partnership.feedback), name


def test_every_partnership_has_a_monitoring_tab(site, handbook):
    for partnership in handbook.partnerships:
        for tab in ("", "log/"):
            page = Page(site / "partnerships" / partnership.slug / tab / "index.html")
            assert ("../monitoring/" if tab else "monitoring/", "Monitoring") in page.links
        page = Page(site / "partnerships" / partnership.slug / "monitoring" / "index.html")
        assert '<strong aria-current="page">Monitoring</strong>' in page.html


def test_monitoring_page_shows_goals_matrix_and_status_in_words(site, handbook):
    for partnership in handbook.partnerships:
        page = Page(site / "partnerships" / partnership.slug / "monitoring" / "index.html")
        for number, goal in enumerate(partnership.goals, 1):
            assert f"goal-{goal.id}" in page.ids and f"Goal {number}: {goal.title}" in page.article()
        # The alignment matrix: the rows with one cell per goal (the review grid and ledger name stakeholders too).
        width = 1 + len(partnership.goals)
        for stakeholder in partnership.stakeholders:
            rows = [row for row in page.rows if row and row[0].startswith(stakeholder.name) and len(row) == width
                    and set(row[1:]) <= {"Serves", "–"}]
            expected = ["Serves" if stakeholder.id in goal.serves else "–" for goal in partnership.goals]
            assert [row[1:] for row in rows] == [expected]
        for indicator in partnership.indicators:
            status = indicator_status(indicator)
            assert page.row(indicator.name)[1:] == [status.label, status.explanation]


def test_each_indicator_has_a_chart_and_a_table_with_the_same_numbers(site, handbook):
    for partnership in handbook.partnerships:
        page = Page(site / "partnerships" / partnership.slug / "monitoring" / "index.html")
        charts = {svg.find(f"{SVG}title").get("id"): svg for svg in charts_in(page)}
        for indicator in partnership.indicators:
            if indicator.measure == "text":
                assert f"chart-{indicator.id}-title" not in charts
            else:
                svg = charts[f"chart-{indicator.id}-title"]
                dots = svg.findall(f"{SVG}circle[@class='msp-chart-actual']")
                assert [d.get("data-date") for d in dots] == [str(a.date) for a in indicator.actuals_by_date()]
            values = [row[1] for row in page.rows if row and row[0] in
                      {f"{a.date.day} {a.date:%B %Y}" for a in indicator.actuals}]
            for actual in indicator.actuals:
                assert format_value(indicator, actual.value) in values


def test_values_written_out_of_order_are_shown_in_date_order(tmp_path):
    # The record lists the latest actual first and the 2027 target before 2026's;
    # the table, the chart and its description go by date all the same.
    slug = "tamberu-taps-for-all"
    project = copy_project(tmp_path / "project", only=slug)
    record = project / "partnerships" / slug / "partnership.yml"
    text = record.read_text(encoding="utf-8")
    targets = ('      - {period: "2026", start: 2026-01-01, end: 2026-12-31, value: 3000}\n'
               '      - {period: "2027", start: 2027-01-01, end: 2027-12-31, value: 4500}\n')
    first, last = text.index("      - date: 2026-03-31\n        value: 2180"), text.index("      - date: 2026-10-31")
    end = text.index("  - id: non-revenue-water")
    assert targets in text[:first]
    swapped = "".join(reversed(targets.splitlines(keepends=True)))
    text = text[:first].replace(targets, swapped) + text[last:end] + text[first:last] + text[end:]
    record.write_text(text, encoding="utf-8")
    site = build_site(project)
    page = Page(site / "partnerships" / slug / "monitoring" / "index.html")
    table = next(t for t in page.tables if ["10 October 2025", "2,140 households", "Baseline"] in t)
    assert [row[:2] for row in table[1:]] == [
        ["10 October 2025", "2,140 households"], ["31 December 2026", "3,000 households"],
        ["31 December 2027", "4,500 households"], ["31 March 2026", "2,180 households"],
        ["30 June 2026", "2,290 households"], ["31 October 2026", "2,410 households"]]
    svg = next(svg for svg in charts_in(page) if svg.find(f"{SVG}title").get("id") == "chart-households-with-tap-title")
    assert [d.get("data-date") for d in svg.findall(f"{SVG}circle[@class='msp-chart-actual']")] == [
        "2026-03-31", "2026-06-30", "2026-10-31"]
    assert [line.get("data-period") for line in svg.findall(f"{SVG}line[@class='msp-chart-target']")] == ["2026", "2027"]
    described = svg.find(f"{SVG}desc").text
    assert described.index("2026 target") < described.index("2027 target")
    assert described.index("31 March 2026") < described.index("30 June 2026") < described.index("31 October 2026")


def test_actuals_name_who_reported_and_who_verified(site, handbook):
    partnership = handbook.partnership("tamberu-taps-for-all")
    page = Page(site / "partnerships" / partnership.slug / "monitoring" / "index.html")
    rows = [row for row in page.rows if row[:2] == ["31 October 2026", "2,410 households"]]
    assert rows and rows[0][2].startswith(
        "Reported by Tamberu Water and Sanitation Company, Kilima and Mji Mpya Residents' Water Forum; "
        "verified by Tamberu Polytechnic University, Water Engineering Group.")
    assert "Evidence" in rows[0][2]


def test_overview_and_list_summarise_track_and_freshness(site, handbook):
    listing = Page(site / "partnerships" / "index.html")
    for partnership in handbook.partnerships:
        statuses = [indicator_status(i) for i in partnership.indicators]
        on_track = sum(s.track == "on-track" for s in statuses)
        assessed = sum(s.track != "not-assessed" for s in statuses)
        row = listing.row(partnership.name)
        assert row[3] == f"{on_track} of {assessed}" and row[2] in ("Green", "Amber", "Red")
        overview = re.sub(r"\s+([:.,])", r"\1", Page(site / "partnerships" / partnership.slug / "index.html").article())
        assert f"Indicators: {on_track} of {assessed} assessed on track" in overview
        assert f"Freshness: {row[2]}" in overview


def test_every_freshness_signal_is_said_in_words_on_the_monitoring_page(site, handbook, example_project):
    from msp_handbook.project import Project
    from msp_handbook.structure.freshness import freshness

    limits = Project.read(example_project / "mkdocs.yml").freshness
    kinds = set()
    for partnership in handbook.partnerships:
        folder = site / "partnerships" / partnership.slug
        # The day the site was built, as the dossier prints it (a build near midnight stays right).
        built = re.search(r'Built on <time datetime="([0-9-]+)"', (folder / "dossier" / "index.html").read_text())
        result = freshness(partnership, dt.date.fromisoformat(built[1]), limits)
        page = Page(folder / "monitoring" / "index.html")
        assert f"Freshness: {result.label}" in page.text
        for signal in result.signals:
            assert f"{signal.colour.capitalize()}: {signal.reason}." in page.text
        overview = Page(folder / "index.html").text
        assert all(reason in overview for reason in result.reasons)
        kinds |= {word for signal in result.signals for word in ("log entry", "indicator value", "next review", "action")
                  if word in signal.reason}
    # The examples exercise every kind of signal.
    assert kinds == {"log entry", "indicator value", "next review", "action"}


def test_the_reference_page_gives_every_freshness_threshold(site):
    from msp_handbook.config import PartnershipsConfig

    options = [name for name, _ in PartnershipsConfig._schema if name.startswith("freshness_")]
    assert len(options) == 6
    table = next(rows for rows in Page(site / "reference" / "index.html").tables if rows[0][0] == "Signal")
    assert sorted(name for row in table[1:] for name in re.findall(r"freshness_\w+", row[3])) == sorted(options)
    assert table[3][2] == "more than 60 days after it" and table[4][2] == "more than 90 days after it"


def build_with(project: Path, **options) -> Path:
    """Build non-strictly with extra plugin options; the site folder."""
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    config.plugins["partnerships"].config.update(options)
    build(config)
    return project / "site"


def test_freshness_thresholds_come_from_mkdocs_yml(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BUILD_DAY.timestamp())))
    project = copy_project(tmp_path)
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text.replace("freshness_log_amber_days: 90", "freshness_log_amber_days: 1")
                                        .replace("freshness_log_red_days: 180", "freshness_log_red_days: 2"),
                                        encoding="utf-8")
    site = build_site(project)
    listing = Page(site / "partnerships" / "index.html")
    assert {row[2] for row in listing.rows[1:]} == {"Red"}


def test_an_unserved_stakeholder_is_flagged_on_the_page_and_stops_a_strict_build(tmp_path):
    project = copy_project(tmp_path, only="tamberu-taps-for-all")
    record = project / "partnerships" / "tamberu-taps-for-all" / "partnership.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("serves: [tamberu-water, aquameter, tpu-civil]", "serves: [tamberu-water, tpu-civil]"),
                      encoding="utf-8")
    with pytest.raises(Exception, match="warning"):
        build_site(project)
    site = build_with(project)
    page = Page(site / "partnerships" / "tamberu-taps-for-all" / "monitoring" / "index.html")
    assert "AquaMeter East Ltd (no goal serves this stakeholder)" in page.row(
        "AquaMeter East Ltd (no goal serves this stakeholder)")[0]
    assert "1 stakeholder whose interests no goal serves" in page.article()


def test_validate_reports_an_unserved_stakeholder_at_its_line_and_fails_only_with_strict(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from msp_handbook.cli import main

    project = copy_project(tmp_path, only="tamberu-taps-for-all")
    record = project / "partnerships" / "tamberu-taps-for-all" / "partnership.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("serves: [tamberu-water, aquameter, tpu-civil]", "serves: [tamberu-water, tpu-civil]"),
                      encoding="utf-8")
    line = text[: text.index("  - id: aquameter")].count("\n") + 1
    monkeypatch.chdir(project)
    expected = (f"warning: partnerships/tamberu-taps-for-all/partnership.yml:{line}:9: no goal serves the interests of "
                "stakeholder 'aquameter'")
    relaxed = CliRunner().invoke(main, ["validate"])
    assert relaxed.exit_code == 0 and expected in relaxed.stdout
    strict = CliRunner().invoke(main, ["validate", "--strict"])
    assert strict.exit_code == 1 and expected in strict.stdout


@pytest.mark.parametrize(("option", "value", "words"), [
    ("freshness_log_red_days: 180", "freshness_log_red_days: 60", "must be more than freshness_log_amber_days (90)"),
    ("freshness_actual_amber_days: 120", "freshness_actual_amber_days: -3", "a whole number of days above 0, not -3"),
    ("freshness_log_amber_days: 90", "freshness_log_amber_days: soon", "a whole number of days above 0, not 'soon'"),
    ("freshness_review_overdue_red_days: 60", "freshness_review_overdue_red_days: 0", "a whole number of days above 0"),
    ("freshness_action_overdue_red_days: 90", "freshness_action_overdue_red_days: 1.5", "a whole number of days"),
])
def test_freshness_options_are_checked_where_the_site_configuration_is_read(tmp_path, option, value, words):
    from msp_handbook.project import Project, ProjectError

    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(option, value), encoding="utf-8")
    with pytest.raises(ProjectError) as raised:
        Project.read(config)
    assert words in str(raised.value) and value.split(":")[0] in str(raised.value)
