"""Reviews, the cooperation rent and feedback on the monitoring page: computed right, shown in words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from msp_handbook.handbook import load_handbook
from msp_handbook.model import Partnership, Review
from msp_handbook.model.ledger import Contribution
from msp_handbook.structure.reviews import rent_summary, review_summary, totals, trend

from sitebuild import REPO, Page, build_site, copy_project

BUILD_DAY = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
BLOCKS = {"trust": "Trust", "results": "Results"}


# A site option that changes only the monitoring page's feedback link, set on this
# module's build so that the link's test needs no build of its own.
FEEDBACK_URL = '      feedback_url: "https://example.org/issues/new?title={slug}&body={name}"\n'


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example handbook built on BUILD_DAY, with FEEDBACK_URL set. Read only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(BUILD_DAY.timestamp())))
        return build_site(with_options(tmp_path_factory.mktemp("reviews"), FEEDBACK_URL))


def review(day: str, ratings: dict, actions: list | None = None, next_review: str | None = None) -> Review:
    return Review.model_validate({"date": day, "participants": list(ratings) or ["a"], "ratings": ratings,
                                  "statement": "S", "actions": actions or [], "next_review": next_review})


# --- What is computed ----------------------------------------------------------------


@pytest.mark.parametrize(("before", "after", "expected"), [
    ({"a": "amber", "b": "red"}, {"a": "green", "b": "red"}, "up"),
    ({"a": "green", "b": "green"}, {"a": "green", "b": "amber"}, "down"),
    ({"a": "green", "b": "red"}, {"a": "amber", "b": "amber"}, "same"),  # the average counts, not each rating
    ({}, {"a": "red"}, "new"),
])
def test_trend_compares_the_average_rating_of_a_block(before, after, expected):
    previous = review("2025-01-01", {who: {"trust": rating} for who, rating in before.items()})
    latest = review("2025-07-01", {who: {"trust": rating} for who, rating in after.items()})
    assert trend(latest, previous, "trust") == expected
    assert trend(latest, previous, "results") is None  # nobody rated it this time


def partnership_with(*reviews: Review) -> Partnership:
    partnership = Partnership.model_validate({"name": "P", "stakeholders": [
        {"id": "a", "name": "A", "sector": "public"}, {"id": "b", "name": "B", "sector": "private"}]})
    partnership._reviews = tuple(sorted(reviews, key=lambda r: r.date, reverse=True))
    return partnership


def test_summary_grid_open_and_overdue_actions_and_next_review():
    actions = [{"task": "Late", "owner": "a", "due": "2025-02-01", "status": "in-progress"},
               {"task": "Later", "owner": "b", "due": "2025-09-01"},
               {"task": "Finished", "owner": "a", "due": "2025-02-01", "status": "done"}]
    first = review("2025-01-01", {"a": {"trust": "red"}}, actions, next_review="2025-06-01")
    latest = review("2025-03-01", {"b": {"trust": "green"}, "a": {"trust": "amber", "results": "green"}},
                    next_review="2025-06-01")
    summary = review_summary(partnership_with(first, latest), BLOCKS, dt.date(2025, 6, 2))
    assert summary.latest is latest and summary.previous is first and summary.earlier == (first,)
    assert summary.stakeholders == ("a", "b")  # in the record's order
    assert [(row.name, row.ratings, row.trend) for row in summary.rows] == [
        ("Trust", ("amber", "green"), "up"), ("Results", ("green", None), "new")]
    assert [item.action.task for item in summary.open_actions] == ["Late", "Later"]
    assert [item.action.task for item in summary.overdue_actions] == ["Late"]
    assert summary.next_review_overdue
    assert not review_summary(partnership_with(first, latest), BLOCKS, dt.date(2025, 6, 1)).next_review_overdue


def contribution(who: str, amount: float | None, currency: str | None = None, unit: str | None = None,
                 kind: str = "money") -> Contribution:
    return Contribution.model_validate({"stakeholder": who, "date": "2025-01-01", "kind": kind, "description": "x",
                                        "amount": amount, "currency": currency, "unit": unit})


def test_totals_never_add_different_currencies_or_units():
    entries = [contribution("a", 100, "EUR"), contribution("b", 50, "USD"), contribution("b", 300, "EUR"),
               contribution("a", 4, unit="person-days", kind="staff-time"),
               contribution("b", 2, unit="hours", kind="staff-time"), contribution("a", None, kind="access")]
    found = {(total.kind, total.measure): total for total in totals(entries)}
    assert {key: total.amount for key, total in found.items()} == {
        ("money", "EUR"): 400, ("money", "USD"): 50, ("staff-time", "person-days"): 4, ("staff-time", "hours"): 2,
        ("access", ""): 0}
    assert found[("money", "EUR")].shares() == [("b", "75%"), ("a", "25%")]
    assert found[("access", "")].shares() == [("a", "")]


def test_rent_summary_per_stakeholder_in_the_records_order():
    partnership = partnership_with()
    assert rent_summary(partnership) is None
    handbook = load_handbook(REPO / "partnerships", today=BUILD_DAY.date())
    sarvana = handbook.partnership("sarvana-fair-garments")
    rent = rent_summary(sarvana)
    assert [row.stakeholder for row in rent.by_stakeholder] == [s.id for s in sarvana.stakeholders]
    money = {total.measure: total.amount for total in rent.put_in_totals if total.kind == "money"}
    assert money == {"EUR": 240_000 + 610_000 + 36_000, "USD": 150_000}


# --- What the page shows -------------------------------------------------------------


def test_the_latest_review_is_a_grid_in_words_and_symbols(site):
    page = Page(site / "partnerships/sarvana-fair-garments/monitoring/index.html")
    text = page.article()
    assert "Second annual review" in text and "13 November 2025" in text
    header = next(row for row in page.rows if row and row[0] == "Building block")
    assert header[1] == "Nordweave Apparel Group" and header[-1] == "Since the last review"
    fairness = page.row("Fairness of benefits")
    # Every stakeholder rated it amber; a year before two said red: better, in words.
    assert fairness[1:-1] == ["! Amber"] * 7
    assert fairness[-1] == "▲ Better"
    assert page.row("Trust and communication")[1] == "✔ Green"
    assert ('table', {'class': 'msp-review-grid'}) in page.elements
    caption = "How each stakeholder rated each building block on 13 November 2025"
    assert caption in text


def test_open_and_overdue_actions_and_the_next_review(site):
    page = Page(site / "partnerships/sarvana-fair-garments/monitoring/index.html")
    text = page.article()
    row = next(row for row in page.rows if row and row[0].startswith("Propose a seat for a women workers"))
    assert row[1:] == ["Sahar Women Workers' Legal Aid Centre", "30 September 2026", "Overdue, in progress"]
    assert "1 open action, 1 overdue ." in text
    assert "Planned for 3 December 2026." in text


def test_the_cooperation_rent_keeps_currencies_apart(site):
    page = Page(site / "partnerships/sarvana-fair-garments/monitoring/index.html")
    euros = next(row for row in page.rows if row[:2] == ["Money", "886,000 EUR"])
    assert euros[2].startswith("Nordweave Apparel Group (96%)")
    assert next(row for row in page.rows if row[:2] == ["Money", "150,000 USD"])
    # The ledger's row for the stakeholder (the goals matrix names stakeholders too).
    stitch = next(row for row in page.rows if row and row[0] == "Sarvana Stitch Works" and "Money" in row[1])
    assert "Money, 150,000 USD: Share of the wage increase not covered by the price (1 July 2025)" in stitch[1]
    assert "Market: Longer order lead times" in stitch[2]


def test_you_said_we_did_links_the_log_entry(site):
    page = Page(site / "partnerships/sarvana-fair-garments/monitoring/index.html")
    assert ("../log/#2026-08-19-order-planning-changed-to-cut-overtime", "you said, we did") in page.links
    row = next(row for row in page.rows if row and row[0].startswith("2 September 2026"))
    assert row[0] == "2 September 2026, from Workers at the Riverside factory (suggestion box)"
    assert row[3] == "Answered"


def test_the_overview_summarises_the_latest_review(site):
    text = Page(site / "partnerships/sarvana-fair-garments/index.html").article()
    assert "Latest review : 13 November 2025: 31 green, 18 amber, 0 red; 1 overdue action" in text
    assert "Next review : 3 December 2026." in text


# --- Site options ----------------------------------------------------------------------


def with_options(tmp_path: Path, options: str) -> Path:
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text()
    assert "  - partnerships:\n" in text
    config.write_text(text.replace("  - partnerships:\n", "  - partnerships:\n" + options, 1))
    return project


def test_give_feedback_link_from_the_site_pattern_is_encoded(site):
    page = Page(site / "partnerships/alder-valley-community-energy/monitoring/index.html")
    href = next(href for href, text in page.links if text.startswith("Give feedback on"))
    assert href == "https://example.org/issues/new?title=alder-valley-community-energy&body=Alder%20Valley%20Community%20Energy"


@pytest.mark.parametrize(("option", "words"), [
    ('      feedback_url: "javascript:alert(1)//{slug}"\n', "not an allowed link"),
    ('      feedback_url: "https://example.org/new?t={slug.__class__}"\n', "placeholder '{slug.__class__}'"),
    ("      building_blocks: [trust, results]\n", "building_blocks must be `id: name` lines"),
    ("      building_blocks: {Trust Building: Trust}\n", "building block id 'Trust Building' is not a valid id"),
])
def test_bad_site_options_stop_the_build_with_a_reason(tmp_path, caplog, option, words):
    with pytest.raises(Abort):
        build_site(with_options(tmp_path, option))
    assert words in caplog.text


def test_a_site_sets_its_own_building_blocks_and_the_examples_follow(tmp_path, caplog):
    # The examples rate the default blocks: a site with other blocks is told where each unknown one is rated.
    with pytest.raises(Abort):
        build_site(with_options(tmp_path, "      building_blocks: {trust-communication: Trust, results: Results}\n"))
    assert "sarvana-fair-garments/reviews/2025-11-13.yml:6:43: unknown building block 'shared-vision'" in caplog.text
