"""Reviews, the benefit ledger and the feedback register: each mistake reported at its line.

Every test writes a small repository under `tmp_path` with one partnership
and checks the exact file, line and column of what `load_handbook` reports.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from msp_handbook.handbook import load_handbook
from test_validation import TWO_STAKEHOLDERS, assert_problem, at, find, only_problem, problems_in, records_dir, write_record

RECORD = TWO_STAKEHOLDERS + """\
    facilitators:
      - id: broker
        name: A. Broker
        kind: external
"""

REVIEW = """\
    date: 2025-03-14
    participants: [brewco, city-water, broker]
    ratings:
      brewco: {trust-communication: green, results: amber}
      city-water:
        trust-communication: red
        results: green
    comments:
      - by: city-water
        block: results
        text: Better than we hoped.
    statement: We are on our way.
    actions:
      - task: Share the minutes
        owner: broker
        due: 2025-04-01
    next_review: 2025-09-14
"""


def write_review(tmp_path: Path, text: str, name: str = "2025-03-14.yml", record: str = RECORD,
                 logs: dict[str, str] | None = None) -> Path:
    record_path = write_record(tmp_path, record, logs=logs)
    path = record_path.parent / "reviews" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --- Reviews ----------------------------------------------------------------------


def test_a_valid_review_is_loaded_with_its_ratings_and_actions(tmp_path):
    write_review(tmp_path, REVIEW)
    write_review(tmp_path, changed(REVIEW, "2025-03-14", "2024-09-01").replace("2025-04-01", "2024-10-01")
                 .replace("2025-09-14", "2025-03-14"), name="2024-09-01-first.yml")
    partnership = load_handbook(records_dir(tmp_path)).partnerships[0]
    assert [review.date for review in partnership.reviews] == [dt.date(2025, 3, 14), dt.date(2024, 9, 1)]
    latest = partnership.reviews[0]
    assert latest.ratings["city-water"] == {"trust-communication": "red", "results": "green"}
    assert latest.actions[0].status == "open" and latest.next_review == dt.date(2025, 9, 14)


def test_unknown_stakeholder_in_ratings_is_reported_at_its_key(tmp_path):
    text = changed(REVIEW, "  brewco: {trust", "  brewko: {trust")
    path = write_review(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "brewko: {"), "unknown stakeholder 'brewko'",
                   "did you mean 'brewco'")


def test_a_stakeholder_who_rates_must_have_taken_part(tmp_path):
    text = changed(REVIEW, "participants: [brewco, city-water, broker]", "participants: [brewco, broker]")
    path = write_review(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "city-water:\n"), "'city-water' gave ratings but is not listed",
                   fix=("add 'city-water' to `participants:`",))


@pytest.mark.parametrize(("old", "new", "stakeholder"), [
    ("        results: green", "        resluts: green", "city-water"),  # block style
    ("{trust-communication: green, results: amber}", "{trust-communication: green, resluts: amber}", "brewco"),
])
def test_unknown_building_block_is_reported_at_its_key(tmp_path, old, new, stakeholder):
    text = changed(REVIEW, old, new)
    path = write_review(tmp_path, text)
    # Named as what it is: a block rated by a stakeholder, not a key "in city-water".
    assert_problem(only_problem(tmp_path), path, at(text, "resluts"),
                   f"unknown building block 'resluts' in the ratings of stakeholder '{stakeholder}'",
                   "known: fair-benefits, learning, resources, results", "did you mean 'results'",
                   fix=("building block id", "`building_blocks` in mkdocs.yml"))


def test_a_site_sets_its_own_building_blocks(tmp_path):
    write_review(tmp_path, REVIEW)
    problems = problems_in(tmp_path, building_blocks={"results": "Results", "money": "Money"})
    # The default block the review uses is now unknown, everywhere it is rated.
    assert len(problems) == 2
    assert all("unknown building block 'trust-communication'" in p.message for p in problems)
    blocks = {"results": "Results", "trust-communication": "Trust"}
    assert load_handbook(records_dir(tmp_path), building_blocks=blocks).building_blocks == blocks


def test_a_rating_outside_green_amber_red_is_reported_at_its_value(tmp_path):
    text = changed(REVIEW, "        results: green", "        results: yellow")
    path = write_review(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "yellow"), "'yellow' is not a valid",
                   fix=("green, amber, red",))


def test_unknown_owner_of_an_action_and_unknown_participant(tmp_path):
    text = changed(changed(REVIEW, "owner: broker", "owner: brokker"), "[brewco, city-water, broker]",
                   "[brewco, city-water, broker, mayor]")
    path = write_review(tmp_path, text)
    problems = problems_in(tmp_path)
    assert_problem(find(problems, "'brokker'"), path, at(text, "brokker"), "unknown stakeholder or facilitator")
    assert_problem(find(problems, "'mayor'"), path, at(text, "mayor"), "in participants")


def test_unknown_commenter_and_block_of_a_comment(tmp_path):
    text = changed(changed(REVIEW, "by: city-water", "by: citywater"), "block: results", "block: finance")
    path = write_review(tmp_path, text)
    problems = problems_in(tmp_path)
    assert_problem(find(problems, "'citywater'"), path, at(text, "citywater"), "did you mean 'city-water'")
    assert_problem(find(problems, "'finance'"), path, at(text, "finance"), "unknown building block")


def test_an_action_due_before_the_review_is_reported_at_its_due_date(tmp_path):
    text = changed(REVIEW, "due: 2025-04-01", "due: 2024-04-01")
    path = write_review(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "2024-04-01"), "before the review", fix=("`due:`",))


def test_an_impossible_due_date_is_reported_once_at_its_line(tmp_path):
    text = changed(REVIEW, "due: 2025-04-01", "due: 2025-04-31")
    path = write_review(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "2025-04-31"), "not a real calendar date")


def test_the_next_review_must_come_after_this_one(tmp_path):
    text = changed(REVIEW, "next_review: 2025-09-14", "next_review: 2025-03-14")
    path = write_review(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "next_review: 2025-03-14", after="next_review: "), "is not after this one")


def test_the_file_name_date_must_match_the_date_key(tmp_path):
    path = write_review(tmp_path, REVIEW, name="2025-03-15.yml")
    assert_problem(only_problem(tmp_path), path, at(REVIEW, "2025-03-14"), "the file name says 2025-03-15",
                   fix=("rename the file to '2025-03-14.yml'",))


@pytest.mark.parametrize("name", ["review.yml", "2025-03-14.yaml", "14-03-2025.yml", "2025-03-14_Board.yml"])
def test_a_review_file_is_named_after_its_date(tmp_path, name):
    path = write_review(tmp_path, REVIEW, name=name)
    assert_problem(only_problem(tmp_path), path, (0, 0), "file name is its date")


def test_shape_and_reference_mistakes_of_a_review_are_reported_together(tmp_path):
    text = changed(changed(REVIEW, "\n    statement: We are on our way.", ""), "owner: broker", "owner: nobody")
    path = write_review(tmp_path, text)
    problems = problems_in(tmp_path)
    assert_problem(find(problems, "missing required key 'statement'"), path, (1, 1))
    assert_problem(find(problems, "'nobody'"), path, at(text, "nobody"), "unknown stakeholder or facilitator")


def test_a_review_in_the_future_is_a_warning(tmp_path):
    path = write_review(tmp_path, REVIEW)
    handbook = load_handbook(records_dir(tmp_path), today=dt.date(2025, 3, 1))
    assert [(w.file, w.line) for w in handbook.warnings] == [(path, 1)]
    assert "in the future" in handbook.warnings[0].message


# --- The benefit ledger -------------------------------------------------------------

LEDGER = RECORD + """\
    ledger:
      put_in:
        - stakeholder: brewco
          date: 2024-05-01
          kind: money
          description: Co-funding
          amount: 12000
          currency: EUR
      get_out:
        - stakeholder: city-water
          date: 2025-01-10
          kind: results
          description: Fewer leaks
"""


def test_a_valid_ledger_is_loaded(tmp_path):
    write_record(tmp_path, LEDGER)
    ledger = load_handbook(records_dir(tmp_path)).partnerships[0].ledger
    assert ledger.put_in[0].measure() == "EUR" and ledger.get_out[0].amount is None


def test_unknown_stakeholder_in_the_ledger(tmp_path):
    text = changed(LEDGER, "stakeholder: city-water", "stakeholder: city-waters")
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "city-waters"), "unknown stakeholder 'city-waters' in get_out")


@pytest.mark.parametrize(("old", "new", "words", "fix"), [
    ("\n          currency: EUR", "", "does not say what it counts", "currency:"),
    ("currency: EUR", "currency: EUR\n          unit: boxes", "not both", "`unit:` for anything else"),
    ("currency: EUR", "unit: euros", "money is counted in a currency", "replace `unit:` with `currency:`"),
    ("\n          amount: 12000", "", "without an amount", "add `amount:`"),
])
def test_an_amount_says_what_it_counts_reported_at_its_entry(tmp_path, old, new, words, fix):
    text = changed(LEDGER, old, new)
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "stakeholder: brewco"), "'ledger.put_in[1]'", words,
                   fix=(fix,))


def test_a_currency_is_a_three_letter_code(tmp_path):
    text = changed(LEDGER, "currency: EUR", "currency: euro")
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "euro"), "not a currency code",
                   fix=("ISO 4217 code in capitals", "use `unit:` instead"))


def test_a_ledger_kind_of_the_wrong_side(tmp_path):
    text = changed(LEDGER, "kind: results", "kind: staff-time")
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "staff-time"), "'staff-time' is not a valid",
                   fix=("results", "legitimacy"))


# --- The feedback register ------------------------------------------------------------

LOG_ENTRY = {"2025-02-01-more-taps.md": "---\ndate: 2025-02-01\ntitle: Two more taps\n---\nDone.\n"}
FEEDBACK = RECORD + """\
    feedback:
      - date: 2025-01-05
        group: Residents of lane 4
        channel: meeting
        said: We need more taps.
        response: Two more taps in February.
        status: acted-on
        log: 2025-02-01-more-taps
      - date: 2025-01-06
        stakeholder: brewco
        channel: email
        said: Meetings are too early.
        status: open
"""


def test_valid_feedback_links_its_log_entry(tmp_path):
    write_record(tmp_path, FEEDBACK, logs=LOG_ENTRY)
    feedback = load_handbook(records_dir(tmp_path)).partnerships[0].feedback
    assert feedback[0].log == "2025-02-01-more-taps" and feedback[1].stakeholder == "brewco"


def test_you_said_we_did_must_name_a_log_entry_that_exists(tmp_path):
    text = changed(FEEDBACK, "log: 2025-02-01-more-taps", "log: 2025-02-01-more-tap")
    path = write_record(tmp_path, text, logs=LOG_ENTRY)
    assert_problem(only_problem(tmp_path), path, at(text, "2025-02-01-more-tap\n"), "unknown log entry",
                   "did you mean '2025-02-01-more-taps'", fix=("without .md",))


def test_unknown_stakeholder_giving_feedback(tmp_path):
    text = changed(FEEDBACK, "stakeholder: brewco", "stakeholder: brew-co")
    path = write_record(tmp_path, text, logs=LOG_ENTRY)
    assert_problem(only_problem(tmp_path), path, at(text, "brew-co"), "unknown stakeholder 'brew-co' in feedback")


def test_feedback_acted_on_needs_its_log_entry(tmp_path):
    text = changed(FEEDBACK, "        log: 2025-02-01-more-taps\n", "")
    path = write_record(tmp_path, text, logs=LOG_ENTRY)
    assert_problem(only_problem(tmp_path), path, at(text, "date: 2025-01-05"), "needs the log entry",
                   fix=("add `log:",))


def test_feedback_comes_from_a_stakeholder_or_a_group_not_both(tmp_path):
    text = changed(FEEDBACK, "        stakeholder: brewco\n", "        stakeholder: brewco\n        group: Staff\n")
    path = write_record(tmp_path, text, logs=LOG_ENTRY)
    assert_problem(only_problem(tmp_path), path, at(text, "date: 2025-01-06"), "either `stakeholder` or `group`",
                   fix=("group: <who>",))


def test_a_bad_feedback_channel_suggests_the_close_one(tmp_path):
    text = changed(FEEDBACK, "channel: email", "channel: e-mail")
    path = write_record(tmp_path, text, logs=LOG_ENTRY)
    assert_problem(only_problem(tmp_path), path, at(text, "e-mail"), "did you mean 'email'")


def test_references_are_checked_in_a_record_without_stakeholders(tmp_path):
    # Only a record that failed validation skips them (its own problem says why).
    path = write_record(tmp_path, "    name: Demo\n" + LEDGER[LEDGER.index("    ledger:"):])
    problems = problems_in(tmp_path)
    assert [(p.file, "unknown stakeholder" in p.message) for p in problems] == [(path, True), (path, True)]


def test_a_misspelt_stakeholders_section_is_one_problem_not_an_echo_per_reference(tmp_path):
    text = changed(LEDGER, "stakeholders:", "stakholders:")
    write_review(tmp_path, REVIEW, record=text)
    assert "unknown key 'stakholders'" in only_problem(tmp_path).message
