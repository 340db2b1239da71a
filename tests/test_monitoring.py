"""Goals and indicators: validation at file:line:col, on/off track in words, freshness and the build date.

The record below is valid; each test changes one line of it and checks the
exact place and words of the problem, so a rule that stops working fails here.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from msp_handbook.clock import BadSourceDateEpoch, build_day
from msp_handbook.handbook import load_handbook
from msp_handbook.problems import InvalidHandbook
from msp_handbook.structure import freshness as freshness_module
from msp_handbook.structure.freshness import FreshnessThresholds, Signal, freshness
from msp_handbook.structure.monitoring import indicator_status

from test_validation import at, only_problem, problems_in, records_dir, write_record

TODAY = dt.date(2026, 6, 1)

RECORD = textwrap.dedent("""\
    name: Demo
    stakeholders:
      - {id: utility, name: Utility, sector: public}
      - {id: residents, name: Residents, sector: civil_society}
    goals:
      - id: taps
        title: Taps for all
        level: outcome
        serves: [utility, residents]
    indicators:
      - id: households
        goal: taps
        name: Households with a tap
        measure: number
        unit: households
        better: higher
        baseline: {date: 2025-01-10, value: 1000}
        targets:
          - {period: "2025", start: 2025-01-01, end: 2025-12-31, value: 1200}
          - {period: "2026", start: 2026-01-01, end: 2026-12-31, value: 1500}
        actuals:
          - {date: 2025-06-30, value: 1100, reported_by: [residents]}
          - {date: 2026-05-12, value: 1240, reported_by: [utility, residents], verified_by: [utility]}
      - id: leaks
        goal: taps
        name: Water lost
        measure: percentage
        better: lower
        targets: [{period: "2026", start: 2026-01-01, end: 2026-12-31, value: 40}]
        actuals: [{date: 2026-03-01, value: 45, reported_by: [utility]}]
      - id: plan
        goal: taps
        name: Plan agreed
        measure: yes-no
        targets: [{period: "2026", start: 2026-01-01, end: 2026-12-31, value: "yes"}]
        actuals: [{date: 2026-03-01, value: "no", reported_by: [residents]}]
    """)


def load(tmp_path, text=RECORD, today=TODAY):
    write_record(tmp_path, text)
    return load_handbook(records_dir(tmp_path), today=today)


def one_problem(tmp_path, old, new, today=TODAY):
    assert old in RECORD, old
    text = RECORD.replace(old, new, 1)
    write_record(tmp_path, text)
    return only_problem(tmp_path, today=today), text


def test_the_base_record_is_valid_and_has_no_warnings(tmp_path):
    handbook = load(tmp_path)
    assert handbook.warnings == ()
    assert [i.id for i in handbook.partnerships[0].indicators] == ["households", "leaks", "plan"]


@pytest.mark.parametrize(("old", "new", "snippet", "words"), [
    ("value: 45, reported_by", "value: 140, reported_by", "140", "is '140', but a percentage lies between 0 and 100"),
    ("value: \"no\", reported_by", "value: maybe, reported_by", "maybe", "is 'maybe', not yes or no"),
    ("value: 1100,", "value: lots,", "lots", "is 'lots', not a number"),
    ("value: 1200}", "value: true}", "true}", "is yes, not a number"),
    ("{date: 2025-01-10, value: 1000}", "{date: 2025-01-10, value: -5%}", "-5%", "is '-5%', not a number"),
])
def test_a_value_must_fit_its_indicators_measure(tmp_path, old, new, snippet, words):
    problem, text = one_problem(tmp_path, old, new)
    assert (problem.line, problem.column) == at(text, snippet)
    assert words in problem.message and problem.fix


def test_target_periods_of_one_indicator_may_not_overlap(tmp_path):
    problem, text = one_problem(tmp_path, '{period: "2026", start: 2026-01-01, end: 2026-12-31, value: 1500}',
                                '{period: "2026", start: 2025-12-01, end: 2026-12-31, value: 1500}')
    assert (problem.line, problem.column) == at(text, "2025-12-01")
    assert "the period '2026' (2025-12-01 to 2026-12-31) overlaps '2025'" in problem.message


def test_a_period_may_not_end_before_it_starts(tmp_path):
    problem, text = one_problem(tmp_path, '{period: "2025", start: 2025-01-01, end: 2025-12-31, value: 1200}',
                                '{period: "2025", start: 2025-12-31, end: 2025-01-01, value: 1200}')
    assert problem.line == at(text, '{period: "2025"')[0]
    assert "ends (2025-01-01) before it starts (2025-12-31)" in problem.message and "swap" in problem.fix


def test_an_actual_may_not_be_dated_after_the_build_date(tmp_path):
    problem, text = one_problem(tmp_path, "date: 2026-05-12", "date: 2026-06-02")
    assert (problem.line, problem.column) == at(text, "2026-06-02")
    assert "dated 2026-06-02, after the build date 2026-06-01" in problem.message


def test_the_build_date_comes_from_source_date_epoch(tmp_path, monkeypatch):
    text = RECORD.replace("date: 2026-05-12", "date: 2026-06-02")
    write_record(tmp_path, text)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 6, 3, tzinfo=dt.timezone.utc).timestamp())))
    load_handbook(records_dir(tmp_path))  # 2 June is before 3 June: fine
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 6, 1, 23, 59, tzinfo=dt.timezone.utc).timestamp())))
    problem = only_problem(tmp_path)
    assert "after the build date 2026-06-01" in problem.message


def test_build_date_is_today_without_source_date_epoch_and_refuses_nonsense():
    assert build_day({}) == dt.date.today()
    assert build_day({"SOURCE_DATE_EPOCH": "0"}) == dt.date(1970, 1, 1)
    with pytest.raises(BadSourceDateEpoch, match="not a number of seconds"):
        build_day({"SOURCE_DATE_EPOCH": "yesterday"})


def test_a_bad_source_date_epoch_is_a_problem_not_a_traceback(tmp_path, monkeypatch):
    write_record(tmp_path, RECORD)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(InvalidHandbook) as raised:
        load_handbook(records_dir(tmp_path))
    [problem] = raised.value.problems
    assert str(problem.file) == "SOURCE_DATE_EPOCH" and "'yesterday', not a number of seconds" in problem.message


@pytest.mark.parametrize(("old", "new", "snippet", "words"), [
    ("reported_by: [residents]}\n      - {date: 2026-05-12", "reported_by: [resident]}\n      - {date: 2026-05-12",
     "resident]", "unknown stakeholder 'resident' in reported_by"),
    ("verified_by: [utility]", "verified_by: [utilty]", "utilty", "unknown stakeholder 'utilty' in verified_by"),
    ("serves: [utility, residents]", "serves: [utility, resident]", "resident]", "unknown stakeholder 'resident' in serves"),
    ("    goal: taps\n    name: Water lost", "    goal: tap\n    name: Water lost", "tap\n    name: Water",
     "unknown goal 'tap' in indicators"),
])
def test_references_name_known_stakeholders_and_goals(tmp_path, old, new, snippet, words):
    problem, text = one_problem(tmp_path, old, new)
    assert (problem.line, problem.column) == at(text, snippet)
    assert words in problem.message and "did you mean" in problem.message


def test_numbers_say_whether_higher_or_lower_is_better(tmp_path):
    problem, text = one_problem(tmp_path, "    better: lower\n", "")
    assert problem.line == at(text, "- id: leaks")[0]
    assert "does not say whether higher or lower is better" in problem.message


def test_goal_ids_are_unique(tmp_path):
    text = RECORD.replace("    serves: [utility, residents]\n",
                          "    serves: [utility, residents]\n  - {id: taps, title: Again, level: impact, serves: [utility]}\n")
    write_record(tmp_path, text)
    problem = only_problem(tmp_path, today=TODAY)
    assert (problem.line, problem.column) == at(text, "taps, title: Again")
    assert "id 'taps' is used twice (also in goals)" in problem.message


def test_a_measurement_must_be_a_value(tmp_path):
    problem, text = one_problem(tmp_path, "value: 1100,", "value: [1, 2],")
    assert (problem.line, problem.column) == at(text, "[1, 2]")
    assert "not a value an indicator can have" in problem.message


def test_every_mistake_in_a_broken_record_is_reported_at_once(tmp_path):
    # The shape problem (a list as a value) does not hide the reference and measure problems.
    text = RECORD.replace("value: 1100,", "value: [1],").replace("verified_by: [utility]", "verified_by: [nobody]")
    text = text.replace("value: 45, reported_by", "value: 145, reported_by")
    write_record(tmp_path, text)
    messages = [p.message for p in problems_in(tmp_path, today=TODAY)]
    assert len(messages) == 3, messages
    assert any("nobody" in m for m in messages) and any("145" in m for m in messages)


# --- Goals that match each partner's interests ----------------------------------


def test_a_stakeholder_no_goal_serves_is_a_warning_at_its_id(tmp_path):
    text = RECORD.replace("serves: [utility, residents]", "serves: [utility]")
    handbook = load(tmp_path, text)
    [warning] = handbook.warnings
    assert (warning.line, warning.column) == at(text, "residents, name: Residents")
    assert "no goal serves the interests of stakeholder 'residents'" in warning.message
    assert "serves:" in warning.fix


def test_without_any_goal_nobody_is_flagged(tmp_path):
    text = RECORD[: RECORD.index("goals:")]
    assert load(tmp_path, text).warnings == ()


# --- On track, in words -----------------------------------------------------------


def statuses(tmp_path, text=RECORD):
    partnership = load(tmp_path, text).partnerships[0]
    return {indicator.id: indicator_status(indicator) for indicator in partnership.indicators}


def test_on_or_off_track_is_explained_in_words(tmp_path):
    found = statuses(tmp_path)
    assert found["households"].track == "off-track"
    assert found["households"].explanation == (
        "latest 1,240 households (12 May 2026) is below the 2026 target of 1,500 households; higher is better")
    # Lower is better: 45% against a target of 40% is off track; yes/no must match.
    assert (found["leaks"].track, found["leaks"].explanation) == (
        "off-track", "latest 45% (1 March 2026) is above the 2026 target of 40%; lower is better")
    assert (found["plan"].track, found["plan"].explanation) == (
        "off-track", "latest no (1 March 2026) does not match the 2026 target of yes")


def test_the_target_is_the_one_for_the_period_of_the_latest_actual(tmp_path):
    text = RECORD.replace("date: 2026-05-12, value: 1240", "date: 2025-12-31, value: 1240")
    found = statuses(tmp_path, text)["households"]
    # 1,240 in 2025 beats the 2025 target of 1,200, though not the 2026 one.
    assert found.track == "on-track" and "the 2025 target of 1,200 households" in found.explanation
    assert found.explanation.startswith("latest 1,240 households (31 December 2025) is above")
    lower = statuses(tmp_path, RECORD.replace("value: 45, reported_by", "value: 40, reported_by"))["leaks"]
    assert lower.track == "on-track" and " meets " in lower.explanation


def test_without_a_target_for_the_period_nothing_is_claimed(tmp_path):
    text = RECORD.replace('{period: "2026", start: 2026-01-01, end: 2026-12-31, value: 1500}',
                          '{period: "2026", start: 2026-06-01, end: 2026-12-31, value: 1500}')
    found = statuses(tmp_path, text)["households"]
    assert found.track == "not-assessed" and "no target is set for a period that includes" in found.explanation


def test_qualitative_indicators_are_not_computed(tmp_path):
    text = RECORD + (
        "  - id: voice\n    goal: taps\n    name: What residents say\n    measure: text\n"
        '    actuals: [{date: 2026-03-01, value: "Taps work most mornings", reported_by: [residents]}]\n')
    found = statuses(tmp_path, text)["voice"]
    assert found.track == "not-assessed" and "judged by the partners" in found.explanation


# --- Freshness --------------------------------------------------------------------


def partnership_with_log(tmp_path, log_date: str):
    write_record(tmp_path, RECORD, logs={"entry.md": f"---\ndate: {log_date}\ntitle: News\n---\nText.\n"})
    return load_handbook(records_dir(tmp_path), today=TODAY).partnerships[0]


@pytest.mark.parametrize(("log_date", "colour"), [("2026-05-01", "green"), ("2026-02-01", "amber"), ("2025-10-01", "red")])
def test_freshness_follows_the_age_of_the_latest_log_entry(tmp_path, log_date, colour):
    partnership = partnership_with_log(tmp_path, log_date)
    limits = FreshnessThresholds(log_amber_days=90, log_red_days=180, actual_amber_days=400, actual_red_days=500)
    result = freshness(partnership, TODAY, limits)
    assert result.colour == colour
    assert result.signals[0].colour == colour and "latest log entry" in result.signals[0].reason


def test_freshness_takes_the_worst_signal_and_says_why(tmp_path):
    partnership = partnership_with_log(tmp_path, "2026-05-01")
    # The latest actual is from 12 May 2026: 20 days old.
    assert freshness(partnership, TODAY, FreshnessThresholds(actual_amber_days=10, actual_red_days=15)).colour == "red"
    result = freshness(partnership, TODAY, FreshnessThresholds(actual_amber_days=10, actual_red_days=30))
    assert result.colour == "amber"
    assert result.reasons == ["the latest reported indicator value is from 12 May 2026, more than 10 days before "
                              "the build date"]


def test_a_partnership_without_log_entries_is_red(tmp_path):
    partnership = load(tmp_path).partnerships[0]
    assert freshness(partnership, TODAY).colour == "red"
    assert "no log entry yet" in freshness(partnership, TODAY).reasons


def test_other_parts_of_the_handbook_can_add_freshness_signals(tmp_path, monkeypatch):
    partnership = partnership_with_log(tmp_path, "2026-05-30")
    assert freshness(partnership, TODAY).colour == "green"
    overdue = lambda p, today, limits: Signal("red", "a review is overdue")  # noqa: E731
    monkeypatch.setattr(freshness_module, "SIGNALS", [*freshness_module.SIGNALS, overdue])
    assert freshness(partnership, TODAY).colour == "red"
    assert freshness(partnership, TODAY).reasons == ["a review is overdue"]


# --- Freshness from reviews: the next review and the actions agreed -----------------

REVIEW = textwrap.dedent("""\
    date: 2026-01-15
    participants: [utility, residents]
    ratings:
      utility: {results: green}
    statement: We agree.
    actions:
      - {task: Fix the leaks, owner: utility, due: 2026-05-20, status: in-progress}
      - {task: Print the map, owner: residents, due: 2026-02-01, status: done}
    next_review: 2026-07-15
    """)


def partnership_with_review(tmp_path, review=REVIEW):
    write_record(tmp_path, RECORD, logs={"entry.md": "---\ndate: 2026-05-30\ntitle: News\n---\nText.\n"})
    (records_dir(tmp_path) / "demo" / "reviews").mkdir()
    (records_dir(tmp_path) / "demo" / "reviews" / "2026-01-15.yml").write_text(review, encoding="utf-8")
    return load_handbook(records_dir(tmp_path), today=TODAY).partnerships[0]


def signal_about(result, words):
    found = [signal for signal in result.signals if words in signal.reason]
    assert len(found) == 1, result.signals
    return found[0]


NO_OPEN_ACTION = REVIEW.replace("status: in-progress", "status: done")
NO_NEXT_REVIEW = REVIEW.replace("next_review: 2026-07-15\n", "")


@pytest.mark.parametrize(("review", "signal", "other", "today", "limit", "colour", "words"), [
    (NO_OPEN_ACTION, "next review", "action", dt.date(2026, 7, 15), 60, "green", "the next review is due on 15 July 2026"),
    (NO_OPEN_ACTION, "next review", "action", dt.date(2026, 7, 16), 60, "amber",
     "the next review was due on 15 July 2026: 1 day overdue, red after 60"),
    (NO_OPEN_ACTION, "next review", "action", dt.date(2026, 9, 13), 60, "amber", "60 days overdue, red after 60"),
    (NO_OPEN_ACTION, "next review", "action", dt.date(2026, 9, 14), 60, "red",
     "the next review was due on 15 July 2026: 61 days overdue, more than 60"),
    (NO_OPEN_ACTION, "next review", "action", dt.date(2026, 8, 15), 30, "red", "31 days overdue, more than 30"),
    (NO_NEXT_REVIEW, "action", "next review", dt.date(2026, 5, 20), 90, "green",
     "no open action agreed in a review is overdue (1 open)"),
    (NO_NEXT_REVIEW, "action", "next review", dt.date(2026, 6, 1), 90, "amber",
     "an action agreed in a review was due on 20 May 2026: 12 days overdue, red after 90"),
    (NO_NEXT_REVIEW, "action", "next review", dt.date(2026, 6, 1), 10, "red", "12 days overdue, more than 10"),
])
def test_an_overdue_review_or_action_turns_a_partnership_amber_then_red(tmp_path, review, signal, other, today, limit,
                                                                         colour, words):
    partnership = partnership_with_review(tmp_path, review)
    limits = FreshnessThresholds(log_amber_days=900, log_red_days=901, actual_amber_days=900, actual_red_days=901,
                                 review_overdue_red_days=limit, action_overdue_red_days=limit)
    result = freshness(partnership, today, limits)
    found = signal_about(result, signal)
    assert found.colour == colour and words in found.reason
    assert result.colour == colour  # the other signals are green here
    # Nothing open, or no review planned: that signal does not apply.
    assert not any(other in each.reason for each in result.signals)


def test_the_oldest_of_several_overdue_actions_decides(tmp_path):
    review = REVIEW.replace("status: done", "status: open")  # the print job, due 1 February, is open again
    result = freshness(partnership_with_review(tmp_path, review), TODAY)
    action = signal_about(result, "overdue actions")
    assert action.colour == "red" and "the oldest of 2 overdue actions was due on 1 February 2026: 120 days" in action.reason
    assert result.colour == "red" and action.reason in result.reasons


def test_a_partnership_without_reviews_has_no_review_or_action_signal(tmp_path):
    partnership = partnership_with_log(tmp_path, "2026-05-30")
    reasons = [signal.reason for signal in freshness(partnership, TODAY).signals]
    assert len(reasons) == 2 and not any("review" in reason for reason in reasons)
