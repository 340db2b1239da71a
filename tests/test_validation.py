"""Validation of partnership records: every mistake is reported, in one run, at its line.

Each test writes a small repository under `tmp_path` (records in
`repo/partnerships/<slug>/partnership.yml`, so the repository root is
`repo`) and checks the exact problems `load_handbook` raises: file, line,
column and the words a coordinator needs in the message and the fix.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from msp_handbook.handbook import default_cycle_file, load_handbook
from msp_handbook import load
from msp_handbook.load import MAX_FILE_BYTES
from msp_handbook.problems import InvalidHandbook, Problem

EXAMPLES = Path(__file__).resolve().parents[1] / "partnerships"


# --- Helpers --------------------------------------------------------------------


def records_dir(tmp_path: Path) -> Path:
    records = tmp_path / "repo" / "partnerships"
    records.mkdir(parents=True, exist_ok=True)
    return records


def write_record(tmp_path: Path, text: str | bytes, slug: str = "demo", *, logs: dict[str, str] | None = None) -> Path:
    """Write `<records>/<slug>/partnership.yml` (and log entries); return the record's path."""
    folder = records_dir(tmp_path) / slug
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "partnership.yml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for name, body in (logs or {}).items():
        (folder / "log").mkdir(exist_ok=True)
        (folder / "log" / name).write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def problems_in(tmp_path: Path, **kwargs) -> list[Problem]:
    with pytest.raises(InvalidHandbook) as raised:
        load_handbook(records_dir(tmp_path), **kwargs)
    problems = raised.value.problems
    assert problems, "InvalidHandbook raised without problems"
    assert problems == sorted(problems)
    return problems


def only_problem(tmp_path: Path, **kwargs) -> Problem:
    problems = problems_in(tmp_path, **kwargs)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def at(text: str, snippet: str, *, after: str = "") -> tuple[int, int]:
    """1-based (line, column) of `snippet` in the dedented `text`; with `after`,
    of the first character following `after` inside the snippet."""
    text = textwrap.dedent(text)
    index = text.index(snippet)
    assert text.count(snippet) == 1, f"{snippet!r} is ambiguous in the test record"
    if after:
        index += snippet.index(after) + len(after)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def assert_problem(problem: Problem, file: Path, position: tuple[int, int], *words: str, fix: tuple[str, ...] = ()) -> None:
    report = str(problem)
    assert problem.file == file, report
    assert (problem.line, problem.column) == position, report
    for word in words:
        assert word in problem.message, f"{word!r} not in message: {report}"
    for word in fix:
        assert word in problem.fix, f"{word!r} not in fix: {report}"


def find(problems: list[Problem], word: str) -> Problem:
    matches = [p for p in problems if word in p.message]
    assert len(matches) == 1, f"{len(matches)} problems mention {word!r}:\n" + "\n".join(map(str, problems))
    return matches[0]


TWO_STAKEHOLDERS = """\
    name: Demo
    stakeholders:
      - id: brewco
        name: BrewCo
        sector: private
      - id: city-water
        name: City Water
        sector: public
"""


# --- One run reports everything ----------------------------------------------------


def test_every_problem_of_a_record_is_reported_in_one_run(tmp_path):
    text = """\
    name: Demo
    stakeholders:
      - id: brewco
        name: BrewCo
        sector: publik
      - id: city-water
        name: City Water
        sector: public
    stakholders: []
    code_of_conduct:
      endorsements:
        - stakeholder: acme
          date: 2024-01-01
          by: Ann Example
    """
    path = write_record(tmp_path, text)
    problems = problems_in(tmp_path)
    assert len(problems) == 3, "\n".join(map(str, problems))
    assert_problem(find(problems, "unknown key"), path, at(text, "stakholders:"), "unknown key 'stakholders'")
    assert_problem(find(problems, "publik"), path, at(text, "sector: publik", after="sector: "), "'publik' is not a valid")
    assert_problem(find(problems, "acme"), path, at(text, "stakeholder: acme", after="stakeholder: "),
                   "unknown stakeholder 'acme' in endorsements")


def test_problems_of_several_records_and_log_entries_are_reported_together(tmp_path):
    first = write_record(tmp_path, "name: A\nphase: nowhere\n", slug="alpha")
    second = write_record(tmp_path, "summary: no name\n", slug="beta", logs={"entry.md": "no front matter\n"})
    problems = problems_in(tmp_path)
    assert [(p.file, p.line, p.column) for p in problems] == [
        (first, 2, 8),
        (second.parent / "log" / "entry.md", 1, 1),
        (second, 1, 1),
    ], "\n".join(map(str, problems))
    assert "unknown phase 'nowhere'" in problems[0].message
    assert "does not start with front matter" in problems[1].message
    assert "missing required key 'name'" in problems[2].message


def test_a_stakeholder_with_a_shape_error_still_counts_as_known_for_references(tmp_path):
    # Only the sector is wrong; the endorsement by brewco is correct and must not be reported.
    text = """\
    name: Demo
    stakeholders:
      - id: brewco
        name: BrewCo
        sector: publik
      - id: city-water
        name: City Water
        sector: public
    code_of_conduct:
      endorsements:
        - stakeholder: brewco
          date: 2024-01-01
          by: Ann Example
    """
    path = write_record(tmp_path, text)
    problem = only_problem(tmp_path)
    assert_problem(problem, path, at(text, "sector: publik", after="sector: "), "'publik' is not a valid",
                   "did you mean 'public'", fix=("public", "private", "civil_society"))


def test_an_unknown_cycle_step_is_reported_even_when_its_status_is_wrong_too(tmp_path):
    text = """\
    name: Demo
    cycle:
      made-up-step:
        status: finished
    """
    path = write_record(tmp_path, text)
    problems = problems_in(tmp_path)
    assert_problem(find(problems, "finished"), path, at(text, "status: finished", after="status: "),
                   "'finished' is not a valid", fix=("not-started", "in-progress", "done", "skipped"))
    assert_problem(find(problems, "unknown cycle step"), path, at(text, "made-up-step:"),
                   "unknown cycle step 'made-up-step' in cycle")
    assert len(problems) == 2


# --- Unknown keys and references ------------------------------------------------------


def test_unknown_key_suggests_the_close_one(tmp_path):
    text = """\
    name: Demo
    stakholders:
      - id: brewco
        name: BrewCo
        sector: private
    """
    path = write_record(tmp_path, text)
    problem = only_problem(tmp_path)
    assert_problem(problem, path, (2, 1), "unknown key 'stakholders'", "did you mean 'stakeholders'",
                   fix=("allowed here", "stakeholders", "name"))


def test_unknown_nested_key_is_reported_at_the_key_with_the_keys_allowed_there(tmp_path):
    text = TWO_STAKEHOLDERS + "        website_url: https://example.org\n"
    path = write_record(tmp_path, text)
    problem = only_problem(tmp_path)
    assert_problem(problem, path, at(text, "website_url:"), "unknown key 'website_url'", "did you mean 'website'",
                   fix=("allowed here", "website", "sector"))
    assert "stakholders" not in problem.fix and "summary" not in problem.fix


def test_unknown_stakeholder_in_endorsements_lists_the_known_ids(tmp_path):
    text = TWO_STAKEHOLDERS + """\
    code_of_conduct:
      endorsements:
        - stakeholder: brewco
          date: 2024-01-01
          by: Ann Example
        - stakeholder: acme
          date: 2024-01-02
          by: Bob Example
    """
    path = write_record(tmp_path, text)
    problem = only_problem(tmp_path)
    assert_problem(problem, path, at(text, "stakeholder: acme", after="stakeholder: "),
                   "unknown stakeholder 'acme' in endorsements; known: brewco, city-water",
                   fix=("acme",))


def test_unknown_stakeholder_in_accepted_by(tmp_path):
    text = TWO_STAKEHOLDERS + """\
    facilitators:
      - id: facilitator
        name: Fay
        kind: external
        accepted_by:
          - brewco
          - acme
    """
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "- acme", after="- "),
                   "unknown stakeholder 'acme' in accepted_by", "known: brewco, city-water")


def test_unknown_stakeholder_of_an_internal_facilitator(tmp_path):
    text = TWO_STAKEHOLDERS + """\
    facilitators:
      - id: facilitator
        name: Fay
        kind: internal
        stakeholder: brewcoo
    """
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "stakeholder: brewcoo", after="stakeholder: "),
                   "unknown stakeholder 'brewcoo' in facilitators", "did you mean 'brewco'")


def test_unknown_member_of_a_governance_body(tmp_path):
    text = TWO_STAKEHOLDERS + """\
    facilitators:
      - id: fay
        name: Fay
        kind: external
    governance:
      bodies:
        - id: steering-group
          name: Steering group
          members: [brewco, fay, ghost]
    """
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "ghost"),
                   "unknown stakeholder or facilitator 'ghost' in members", "known: brewco, city-water, fay")


def test_unknown_lead_and_unknown_body_in_roles(tmp_path):
    text = TWO_STAKEHOLDERS + """\
    governance:
      bodies:
        - id: steering-group
          name: Steering group
      roles:
        - task: Draft the agreement
          lead: nobody
          body: council
    """
    path = write_record(tmp_path, text)
    problems = problems_in(tmp_path)
    assert len(problems) == 2, "\n".join(map(str, problems))
    assert_problem(problems[0], path, at(text, "lead: nobody", after="lead: "),
                   "unknown stakeholder or facilitator 'nobody' in roles", "known: brewco, city-water")
    assert_problem(problems[1], path, at(text, "body: council", after="body: "),
                   "unknown governance body 'council' in roles", "known: steering-group",
                   fix=("council",))


def test_unknown_cycle_step_is_reported_at_its_key(tmp_path):
    text = """\
    name: Demo
    cycle:
      clarify-idea:
        status: done
      clarify-ideas:
        status: in-progress
    """
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, (5, 3), "unknown cycle step 'clarify-ideas' in cycle",
                   "did you mean 'clarify-idea'")


def test_invalid_cycle_key_is_reported_at_the_key(tmp_path):
    text = """\
    name: Demo
    cycle:
      Clarify Idea:
        status: done
    """
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, (3, 3), "'Clarify Idea' is not a valid id",
                   fix=("lowercase",))


def test_unknown_phase(tmp_path):
    text = "name: Demo\nphase: explore\n"
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, (2, 8), "unknown phase 'explore' in phase",
                   "known: building, exploration, running, sustaining", "did you mean 'exploration'")


def test_steps_substeps_and_phases_that_exist_are_accepted(tmp_path):
    write_record(tmp_path, """\
    name: Demo
    phase: running
    cycle:
      clarify-idea:
        status: done
      build-promoters:
        status: skipped
    """, logs={"a.md": "---\ndate: 2024-01-01\ntitle: T\nstep: building\n---\n",
               "b.md": "---\ndate: 2024-01-02\ntitle: T\nstep: first-dialogue\n---\n"})
    handbook = load_handbook(records_dir(tmp_path))
    assert list(handbook.partnerships[0].cycle) == ["clarify-idea", "build-promoters"]


def test_unknown_step_in_a_log_entry_counts_the_opening_dashes_as_line_one(tmp_path):
    record = write_record(tmp_path, "name: Demo\n", logs={"2024-01-01-kickoff.md": """\
    ---
    date: 2024-01-01
    title: Kick-off
    step: nowhere
    ---
    We met.
    """})
    problem = only_problem(tmp_path)
    assert_problem(problem, record.parent / "log" / "2024-01-01-kickoff.md", (4, 7),
                   "unknown phase or step 'nowhere' in step")


def test_shape_errors_in_a_log_entry_are_located_in_the_markdown_file(tmp_path):
    record = write_record(tmp_path, "name: Demo\n", logs={"entry.md": """\
    ---
    date: 2024-01-01
    titel: Kick-off
    ---
    """})
    problems = problems_in(tmp_path)
    entry = record.parent / "log" / "entry.md"
    assert_problem(find(problems, "unknown key"), entry, (3, 1), "unknown key 'titel'", "did you mean 'title'")
    assert_problem(find(problems, "missing"), entry, (2, 1), "missing required key 'title'", fix=("title:",))
    assert len(problems) == 2


# --- Duplicates ---------------------------------------------------------------------------


def test_duplicate_yaml_key_names_the_first_line(tmp_path):
    path = write_record(tmp_path, "name: A\nsummary: s\nname: B\n")
    assert_problem(only_problem(tmp_path), path, (3, 1), "duplicate key 'name'", "first given on line 1",
                   fix=("name",))


def test_duplicate_nested_yaml_key(tmp_path):
    path = write_record(tmp_path, "name: A\nthematic_frame:\n  title: One\n  title: Two\n")
    assert_problem(only_problem(tmp_path), path, (4, 3), "duplicate key 'title'", "first given on line 3")


def test_duplicate_stakeholder_ids(tmp_path):
    text = TWO_STAKEHOLDERS + """\
      - id: brewco
        name: BrewCo Again
        sector: private
    """
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "id: brewco\n    name: BrewCo Again", after="id: "),
                   "id 'brewco' is used twice", fix=("own id",))


def test_duplicate_stakeholder_ids_are_located_after_an_invalid_entry_is_set_aside(tmp_path):
    text = """\
    name: Demo
    stakeholders:
      - id: broken
        name: Broken
        sector: nope
      - id: brewco
        name: BrewCo
        sector: private
      - id: brewco
        name: BrewCo Again
        sector: private
    """
    path = write_record(tmp_path, text)
    problems = problems_in(tmp_path)
    assert len(problems) == 2, "\n".join(map(str, problems))
    assert_problem(problems[0], path, (5, 13), "'nope' is not a valid")
    assert_problem(problems[1], path, (9, 9), "id 'brewco' is used twice")


def test_facilitator_id_colliding_with_a_stakeholder_id(tmp_path):
    text = TWO_STAKEHOLDERS + """\
    facilitators:
      - id: city-water
        name: Fay
        kind: external
    """
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "- id: city-water\n    name: Fay", after="- id: "),
                   "id 'city-water' is used twice", "stakeholders")


def test_duplicate_governance_body_ids_and_purposes(tmp_path):
    text = TWO_STAKEHOLDERS + """\
    purposes:
      - purpose: learning
        statement: We learn.
      - purpose: learning
        statement: We learn more.
    governance:
      bodies:
        - id: steering
          name: Steering
        - id: steering
          name: Steering again
    """
    path = write_record(tmp_path, text)
    problems = problems_in(tmp_path)
    assert len(problems) == 2, "\n".join(map(str, problems))
    assert_problem(problems[0], path, at(text, "purpose: learning\n    statement: We learn more.", after="purpose: "),
                   "purpose 'learning' is listed twice")
    assert_problem(problems[1], path, at(text, "id: steering\n      name: Steering again", after="id: "),
                   "id 'steering' is used twice")


# --- Types and values ------------------------------------------------------------------------


def test_text_expected_but_list_given(tmp_path):
    text = "name: Demo\nsummary:\n  - one\n  - two\n"
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, (3, 3), "'summary' must be text, not a list", fix=("quotes",))


def test_list_expected_but_text_given(tmp_path):
    text = TWO_STAKEHOLDERS + "        interests: cheaper water\n"
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "cheaper water"),
                   "'stakeholders[2].interests' must be a list", "'cheaper water'", fix=("- ",))


def test_number_where_text_is_expected(tmp_path):
    path = write_record(tmp_path, "name: 42\n")
    assert_problem(only_problem(tmp_path), path, (1, 7), "'name' must be text, not a number (42)", fix=("quotes",))


def test_yes_where_text_is_expected(tmp_path):
    # Refused by the loader, whatever the key expects: YAML 1.1 changed what was typed.
    path = write_record(tmp_path, "name: yes\n")
    assert_problem(only_problem(tmp_path), path, (1, 7), "YAML would read 'yes' as true", fix=("quotes: 'yes'",))


def test_empty_value_of_a_required_key(tmp_path):
    text = TWO_STAKEHOLDERS.replace("name: BrewCo", "name:")
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, (4, 10), "'stakeholders[1].name' is empty")


def test_missing_required_name(tmp_path):
    path = write_record(tmp_path, "summary: A record without a name\n")
    assert_problem(only_problem(tmp_path), path, (1, 1), "missing required key 'name'", fix=("name:",))


def test_missing_required_key_in_a_list_entry_names_the_entry(tmp_path):
    text = "name: Demo\nstakeholders:\n  - id: brewco\n    name: BrewCo\n"
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, (3, 5), "missing required key 'sector' in 'stakeholders[1]'",
                   fix=("sector:",))


def test_bad_sector_suggests_the_close_one(tmp_path):
    text = TWO_STAKEHOLDERS.replace("sector: private", "sector: publik")
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, (5, 13), "'publik' is not a valid 'stakeholders[1].sector'",
                   "did you mean 'public'", fix=("public", "private", "civil_society", "academia", "other"))


def test_bad_status(tmp_path):
    text = "name: Demo\ncycle:\n  clarify-idea:\n    status: finished\n"
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, (4, 13), "'finished' is not a valid 'cycle.clarify-idea.status'",
                   fix=("not-started", "in-progress", "done", "skipped"))


@pytest.mark.parametrize("date", ["2024-13-01", "2024-02-30"])
def test_impossible_calendar_date_is_one_problem(tmp_path, date):
    path = write_record(tmp_path, f"name: Demo\nstarted: {date}\n")
    assert_problem(only_problem(tmp_path), path, (2, 10), f"'{date}'", "not a real calendar date",
                   fix=("YYYY-MM-DD",))


def test_impossible_date_deep_in_the_record_is_one_problem(tmp_path):
    text = TWO_STAKEHOLDERS + """\
    code_of_conduct:
      endorsements:
        - stakeholder: brewco
          date: 2024-02-30
          by: Ann Example
    """
    path = write_record(tmp_path, text)
    assert_problem(only_problem(tmp_path), path, at(text, "2024-02-30"), "not a real calendar date")


def test_impossible_date_in_a_log_entry_is_one_problem(tmp_path):
    record = write_record(tmp_path, "name: Demo\n", logs={"e.md": "---\ndate: 2024-02-30\ntitle: T\n---\n"})
    assert_problem(only_problem(tmp_path), record.parent / "log" / "e.md", (2, 7), "not a real calendar date")


def test_date_given_as_words(tmp_path):
    path = write_record(tmp_path, "name: Demo\nstarted: soon\n")
    problem = only_problem(tmp_path)
    assert_problem(problem, path, (2, 10), "'started'", "'soon' is not a date")
    assert "YYYY-MM-DD" in str(problem)


def test_quoted_iso_date_is_accepted(tmp_path):
    write_record(tmp_path, "name: Demo\nstarted: '2024-03-14'\n")
    assert str(load_handbook(records_dir(tmp_path)).partnerships[0].started) == "2024-03-14"


def test_invalid_id_format(tmp_path):
    text = TWO_STAKEHOLDERS.replace("id: city-water", "id: City Water")
    path = write_record(tmp_path, text)
    problem = only_problem(tmp_path)
    assert_problem(problem, path, at(text, "id: City Water", after="id: "), "'stakeholders[2].id'", "'City Water' is not a valid id")
    assert "lowercase" in str(problem)


def test_sdg_target_outside_the_seventeen_goals(tmp_path):
    text = "name: Demo\nthematic_frame:\n  sdg_targets: ['6.1', 6.4, '18.1']\n"
    path = write_record(tmp_path, text)
    problem = only_problem(tmp_path)
    assert_problem(problem, path, at(text, "'18.1'"), "'thematic_frame.sdg_targets[3]'", "'18.1' is not an SDG target")


def test_unquoted_sdg_target_is_read_as_text(tmp_path):
    write_record(tmp_path, "name: Demo\nthematic_frame:\n  sdg_targets: [6.1, '17.17']\n")
    frame = load_handbook(records_dir(tmp_path)).partnerships[0].thematic_frame
    assert frame.sdg_targets == ["6.1", "17.17"]


def test_script_urls_are_rejected_in_evidence_and_websites(tmp_path):
    text = TWO_STAKEHOLDERS + """\
        website: javascript:alert(1)
    cycle:
      clarify-idea:
        status: done
        evidence:
          - title: Minutes
            url: https://example.org/minutes.pdf
          - title: Trap
            url: javascript:alert(1)
          - title: Agreement
            url: ../docs/agreement.pdf
    """
    path = write_record(tmp_path, text)
    problems = problems_in(tmp_path)
    assert len(problems) == 2, "\n".join(map(str, problems))
    assert_problem(problems[0], path, at(text, "website: javascript", after="website: "),
                   "'stakeholders[2].website'", "'javascript:alert(1)' is not an allowed link")
    assert_problem(problems[1], path, at(text, "url: javascript", after="url: "),
                   "'cycle.clarify-idea.evidence[2].url'", "'javascript:alert(1)' is not an allowed link")


@pytest.mark.parametrize("url", ["JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x", "&#106;avascript:alert(1)"])
def test_disguised_script_urls_are_rejected(tmp_path, url):
    path = write_record(tmp_path, f"name: Demo\ncycle:\n  clarify-idea:\n    status: done\n    evidence:\n"
                                  f"      - title: T\n        url: \"{url}\"\n")
    assert_problem(only_problem(tmp_path), path, (7, 14), "is not an allowed link")


def test_safe_urls_are_accepted(tmp_path):
    write_record(tmp_path, TWO_STAKEHOLDERS + """\
        website: https://brewco.example.org
    cycle:
      clarify-idea:
        status: done
        evidence:
          - title: Minutes
            url: https://example.org/minutes.pdf
          - title: Agreement
            url: ../docs/agreement.pdf
          - title: Mail
            url: mailto:team@example.org
    """)
    partnership = load_handbook(records_dir(tmp_path)).partnerships[0]
    urls = [link.url for link in partnership.cycle["clarify-idea"].evidence]
    assert urls == ["https://example.org/minutes.pdf", "../docs/agreement.pdf", "mailto:team@example.org"]
    assert partnership.stakeholders[1].website == "https://brewco.example.org"


# --- Files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n"])
def test_empty_record_file(tmp_path, content):
    path = write_record(tmp_path, content)
    assert_problem(only_problem(tmp_path), path, (0, 0), "is empty", fix=("add content",))


def test_comment_only_record_file(tmp_path):
    path = write_record(tmp_path, "# To be written\n\n# by the coordinator\n")
    problem = only_problem(tmp_path)
    assert problem.file == path and problem.line in (0, 1), str(problem)
    assert "contains no YAML values" in problem.message and "name:" in problem.fix


def test_non_utf8_byte_is_located(tmp_path):
    path = write_record(tmp_path, b"name: Caf\xe9\n")
    assert_problem(only_problem(tmp_path), path, (1, 10), "not valid UTF-8", "0xE9", fix=("UTF-8",))


def test_non_utf8_byte_on_a_later_line(tmp_path):
    path = write_record(tmp_path, b"name: Demo\nsummary: \xff\n")
    assert_problem(only_problem(tmp_path), path, (2, 10), "not valid UTF-8", "0xFF")


def test_non_utf8_column_counts_characters_like_other_problems(tmp_path):
    # "name: ét" is 8 characters but 9 bytes: the bad byte is the 9th character,
    # the column an editor shows and the one YAML errors use (they count characters).
    path = write_record(tmp_path, "name: ét".encode() + b"\xe9\n")
    assert_problem(only_problem(tmp_path), path, (1, 9), "not valid UTF-8")


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    write_record(tmp_path, "\ufeffname: Demo\n".encode())
    assert load_handbook(records_dir(tmp_path)).partnerships[0].name == "Demo"


def test_binary_file(tmp_path):
    path = write_record(tmp_path, b"name: Demo\x00\x01\x02\n")
    assert_problem(only_problem(tmp_path), path, (0, 0), "binary", fix=("UTF-8",))


def test_file_over_the_size_limit(tmp_path):
    assert MAX_FILE_BYTES == 1_000_000
    content = b"name: Demo\n" + b"#" * (MAX_FILE_BYTES - len(b"name: Demo\n")) + b"\n"
    path = write_record(tmp_path, content)
    assert path.stat().st_size == MAX_FILE_BYTES + 1
    assert_problem(only_problem(tmp_path), path, (0, 0), "1,000,001 bytes", "1,000,000", fix=("split",))


def test_file_at_the_size_limit_is_accepted(tmp_path):
    content = b"name: Demo\n#" + b"x" * (MAX_FILE_BYTES - len(b"name: Demo\n#") - 1) + b"\n"
    path = write_record(tmp_path, content)
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_handbook(records_dir(tmp_path)).partnerships[0].name == "Demo"


def test_alias_bomb_is_stopped_after_a_bounded_number_of_values(tmp_path, monkeypatch):
    lines = ["name: Demo", 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    path = write_record(tmp_path, "\n".join(lines) + "\n")
    # The work done, not the time taken: the loader builds at most one value past
    # the bound. Should the bound break, the spy stops the 9**9 expansion itself,
    # so the test fails at once instead of hanging.
    built = 0
    build = load._Builder.build

    def counted(self, *args):
        nonlocal built
        built += self.source == path  # the cycle file is read with the same builder
        if built > 100_000:  # twice the bound the message states
            pytest.fail(f"the loader built {built:,} values of an alias bomb and was still going")
        return build(self, *args)

    monkeypatch.setattr(load._Builder, "build", counted)
    problem = only_problem(tmp_path)
    assert built == 50_001
    assert problem.file == path and problem.line >= 2, str(problem)
    assert "expands to more than 50,000 values" in problem.message
    assert "alias" in problem.fix


def test_self_referencing_alias_is_stopped(tmp_path):
    path = write_record(tmp_path, "name: Demo\nsummary: &loop [*loop]\n")
    problem = only_problem(tmp_path)
    assert problem.file == path and problem.line == 2, str(problem)
    assert "nested more than 40 levels" in problem.message


def test_deeply_nested_yaml_is_stopped(tmp_path):
    path = write_record(tmp_path, "name: Demo\nsummary: " + "[" * 60 + "]" * 60 + "\n")
    problem = only_problem(tmp_path)
    assert problem.file == path and problem.line == 2, str(problem)
    assert "nested more than 40 levels" in problem.message


def test_record_symlinked_outside_the_repository(tmp_path):
    secret = tmp_path / "secret.yml"
    secret.write_text("name: Secret\n")
    folder = records_dir(tmp_path) / "demo"
    folder.mkdir()
    (folder / "partnership.yml").symlink_to(secret)
    problem = only_problem(tmp_path, root=tmp_path / "repo")
    assert_problem(problem, folder / "partnership.yml", (0, 0), "symbolic link", "outside the repository",
                   fix=("copy",))


def test_record_symlinked_inside_the_repository_is_accepted(tmp_path):
    shared = tmp_path / "repo" / "shared"
    shared.mkdir(parents=True)
    (shared / "record.yml").write_text("name: Shared\n")
    folder = records_dir(tmp_path) / "demo"
    folder.mkdir()
    (folder / "partnership.yml").symlink_to(shared / "record.yml")
    assert load_handbook(records_dir(tmp_path), root=tmp_path / "repo").partnerships[0].name == "Shared"


def test_partnership_folder_symlinked_outside_the_repository(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "partnership.yml").write_text("name: Elsewhere\n")
    (records_dir(tmp_path) / "demo").symlink_to(outside)
    problem = only_problem(tmp_path, root=tmp_path / "repo")
    assert_problem(problem, records_dir(tmp_path) / "demo", (0, 0), "symbolic link", "outside the repository")


def test_log_folder_symlinked_outside_the_repository(tmp_path):
    outside = tmp_path / "private-notes"
    outside.mkdir()
    (outside / "note.md").write_text("---\ndate: 2024-01-01\ntitle: Private\n---\nNot for publication.\n")
    record = write_record(tmp_path, "name: Demo\n")
    (record.parent / "log").symlink_to(outside)
    problems = problems_in(tmp_path, root=tmp_path / "repo")
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert problem.file in (record.parent / "log", record.parent / "log" / "note.md"), str(problem)
    assert "symbolic link" in problem.message and "outside" in problem.message


@pytest.mark.parametrize(("folder", "suggestion"), [("Bad Name", "bad-name"), ("UPPER", "upper")])
def test_folder_name_that_is_not_a_slug(tmp_path, folder, suggestion):
    write_record(tmp_path, "name: Demo\n", slug=folder)
    problem = only_problem(tmp_path)
    assert_problem(problem, records_dir(tmp_path) / folder, (0, 0), f"folder name '{folder}' is not a valid",
                   fix=(f"'{suggestion}'",))


def test_hidden_folders_and_stray_files_in_the_records_folder_are_ignored(tmp_path):
    write_record(tmp_path, "name: Demo\n")
    write_record(tmp_path, "not: [valid yaml\n", slug=".hidden")
    (records_dir(tmp_path) / "README.md").write_text("notes\n")
    handbook = load_handbook(records_dir(tmp_path))
    assert [p.slug for p in handbook.partnerships] == ["demo"]


def test_missing_record_file(tmp_path):
    folder = records_dir(tmp_path) / "demo"
    folder.mkdir()
    assert_problem(only_problem(tmp_path), folder / "partnership.yml", (0, 0), "partnership record is missing",
                   fix=("create partnership.yml", "name:"))


def test_missing_record_file_with_yaml_extension_suggests_renaming(tmp_path):
    folder = records_dir(tmp_path) / "demo"
    folder.mkdir()
    (folder / "partnership.yaml").write_text("name: Demo\n")
    assert_problem(only_problem(tmp_path), folder / "partnership.yml", (0, 0), "partnership record is missing",
                   fix=("rename partnership.yaml",))


def test_missing_records_folder(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(InvalidHandbook) as raised:
        load_handbook(missing)
    [problem] = raised.value.problems
    assert_problem(problem, missing, (0, 0), "does not exist")


def test_non_markdown_file_in_log(tmp_path):
    record = write_record(tmp_path, "name: Demo\n", logs={"notes.txt": "hello\n"})
    assert_problem(only_problem(tmp_path), record.parent / "log" / "notes.txt", (0, 0), "only Markdown files",
                   fix=(".md",))


def test_log_entry_without_front_matter(tmp_path):
    record = write_record(tmp_path, "name: Demo\n", logs={"entry.md": "# Kick-off\n\nWe met.\n"})
    assert_problem(only_problem(tmp_path), record.parent / "log" / "entry.md", (1, 1),
                   "does not start with front matter", fix=("---",))


def test_log_entry_with_unclosed_front_matter(tmp_path):
    record = write_record(tmp_path, "name: Demo\n", logs={"entry.md": "---\ndate: 2024-01-01\ntitle: T\n\nWe met.\n"})
    assert_problem(only_problem(tmp_path), record.parent / "log" / "entry.md", (1, 1),
                   "front matter is not closed", fix=("---",))


def test_log_entry_with_empty_front_matter(tmp_path):
    record = write_record(tmp_path, "name: Demo\n", logs={"entry.md": "---\n---\nWe met.\n"})
    assert_problem(only_problem(tmp_path), record.parent / "log" / "entry.md", (1, 1), "front matter is empty",
                   fix=("date:", "title:"))


def test_yaml_syntax_error_is_located(tmp_path):
    path = write_record(tmp_path, "name: a: b\n")
    assert_problem(only_problem(tmp_path), path, (1, 8), "YAML syntax error", "mapping values are not allowed",
                   fix=("quotes",))


def test_yaml_syntax_error_in_log_front_matter_is_located_in_the_file(tmp_path):
    record = write_record(tmp_path, "name: Demo\n", logs={"entry.md": "---\ndate: 2024-01-01\ntitle: a: b\n---\n"})
    assert_problem(only_problem(tmp_path), record.parent / "log" / "entry.md", (3, 9), "YAML syntax error")


def test_top_level_list_instead_of_mapping(tmp_path):
    path = write_record(tmp_path, "- name: Demo\n")
    assert_problem(only_problem(tmp_path), path, (1, 1), "must be a set of `key: value` lines at the top level",
                   fix=("name:",))


def test_merge_keys_are_rejected(tmp_path):
    text = """\
    name: Demo
    stakeholders:
      - &base
        id: brewco
        name: BrewCo
        sector: private
      - <<: *base
        id: brewco-two
    """
    path = write_record(tmp_path, text)
    problems = problems_in(tmp_path)
    assert_problem(find(problems, "merge keys"), path, at(text, "<<"), "merge keys (<<) are not supported",
                   fix=("write the keys out",))


# --- Valid records and the example data --------------------------------------------------------


def test_minimal_record_loads(tmp_path):
    write_record(tmp_path, "name: X\n")
    handbook = load_handbook(records_dir(tmp_path))
    [partnership] = handbook.partnerships
    assert (partnership.name, partnership.slug, partnership.log) == ("X", "demo", ())
    assert partnership.source == records_dir(tmp_path) / "demo" / "partnership.yml"


def test_log_entries_are_sorted_newest_first_with_their_body(tmp_path):
    write_record(tmp_path, "name: X\n", logs={
        "b.md": "---\ndate: 2024-05-01\ntitle: Later\n---\nSecond.\n",
        "a.md": "---\ndate: 2024-01-01\ntitle: Earlier\n---\nFirst.\n",
        "c.md": "---\ndate: 2025-01-01\ntitle: Latest\nauthors: [Ann]\ntags: [steering-group]\n---\n\nThird.\n",
    })
    log = load_handbook(records_dir(tmp_path)).partnerships[0].log
    assert [entry.title for entry in log] == ["Latest", "Later", "Earlier"]
    assert [entry.body for entry in log] == ["Third.", "Second.", "First."]


def test_example_partnerships_load_without_problems():
    handbook = load_handbook(EXAMPLES)
    # The shipped examples at least; coordinators add their own beside them.
    assert {"alder-valley-community-energy", "sarvana-fair-garments", "tamberu-taps-for-all"} <= {
        p.slug for p in handbook.partnerships}
    assert [p.name.casefold() for p in handbook.partnerships] == sorted(p.name.casefold() for p in handbook.partnerships)
    assert sum(1 for p in handbook.partnerships if p.log) >= 3
    for partnership in handbook.partnerships:
        if not partnership.log:
            continue
        dates = [entry.date for entry in partnership.log]
        assert dates == sorted(dates, reverse=True), partnership.slug
        assert partnership.last_update() == dates[0]


# --- The cycle file --------------------------------------------------------------------------------


CUSTOM_CYCLE = """\
phases:
  - id: one
    number: 1
    title: One
    guide: guide/one.md
    steps:
      - id: start
        title: Start
        substeps:
          - id: warm-up
            title: Warm up
      - id: warm-up
        title: Warm up again
"""


def test_custom_cycle_with_a_duplicated_step_id_is_rejected(tmp_path):
    write_record(tmp_path, "name: Demo\n")
    cycle_file = tmp_path / "repo" / "cycle.yml"
    cycle_file.write_text(CUSTOM_CYCLE)
    problem = only_problem(tmp_path, cycle_file=cycle_file)
    assert_problem(problem, cycle_file, at(CUSTOM_CYCLE, "- id: warm-up\n        title: Warm up again", after="- id: "),
                   "id 'warm-up' is used twice in the cycle", fix=("own id",))


def test_custom_cycle_is_used_for_references(tmp_path):
    write_record(tmp_path, "name: Demo\nphase: one\ncycle:\n  start:\n    status: done\n  clarify-idea:\n    status: done\n")
    cycle_file = tmp_path / "repo" / "cycle.yml"
    cycle_file.write_text(CUSTOM_CYCLE.replace("- id: warm-up\n        title: Warm up again", "- id: finish\n        title: Finish"))
    problem = only_problem(tmp_path, cycle_file=cycle_file)
    assert "unknown cycle step 'clarify-idea'" in problem.message
    assert "known: finish, start, warm-up" in problem.message


def test_custom_cycle_shape_errors_are_located(tmp_path):
    write_record(tmp_path, "name: Demo\n")
    cycle_file = tmp_path / "repo" / "cycle.yml"
    cycle_file.write_text("phases: []\n")
    assert_problem(only_problem(tmp_path, cycle_file=cycle_file), cycle_file, (1, 9), "'phases' needs at least one entry")


def test_default_cycle_has_four_phases_and_unique_ids(tmp_path):
    write_record(tmp_path, "name: Demo\n")
    cycle = load_handbook(records_dir(tmp_path)).cycle
    assert [phase.number for phase in cycle.phases] == [1, 2, 3, 4]
    assert [phase.id for phase in cycle.phases] == ["exploration", "building", "running", "sustaining"]
    ids = [phase.id for phase in cycle.phases] + cycle.step_ids()
    assert len(ids) == len(set(ids))
    assert all(phase.steps for phase in cycle.phases)
    assert default_cycle_file().name == "cycle.yml"


# --- Inputs found in review ------------------------------------------------------


def test_control_characters_are_refused_with_their_position(tmp_path):
    path = write_record(tmp_path, "name: ok\nsummary: a\x1b[2Jb\n")
    problem = only_problem(tmp_path)
    assert (problem.file, problem.line, problem.column) == (path, 2, 11)
    assert "control character U+001B" in problem.message


def test_yaml_tags_are_refused(tmp_path):
    write_record(tmp_path, "name: !!binary aGVsbG8=\nsummary: !!python/name:os.system ''\n")
    problems = problems_in(tmp_path)
    assert [(p.line, "YAML tag" in p.message) for p in problems][:2] == [(1, True), (2, True)]
    assert "tag:yaml.org,2002:binary" in problems[0].message


def test_infinite_numbers_are_refused(tmp_path):
    write_record(tmp_path, "name: X\nstakeholders: [{id: s, name: S, sector: public}]\n"
                 "goals: [{id: g, title: G, level: output, serves: [s]}]\nindicators:\n"
                 "  - {id: a, goal: g, name: A, measure: number, better: higher, baseline: {date: 2024-01-01, value: .inf}}\n")
    problem = only_problem(tmp_path)
    assert problem.line == 5 and "must be a finite number" in problem.message


def test_not_a_number_is_not_called_a_number(tmp_path):
    write_record(tmp_path, "name: X\nstakeholders: [{id: s, name: S, sector: public}]\n"
                 "goals: [{id: g, title: G, level: output, serves: [s]}]\nindicators:\n"
                 "  - {id: a, goal: g, name: A, measure: number, better: higher, baseline: {date: 2024-01-01, value: .nan},\n"
                 "     targets: [{period: '2024', start: 2024-01-01, end: 2024-12-31, value: -.inf}]}\n")
    messages = [problem.message for problem in problems_in(tmp_path)]
    assert messages == ["'indicators[1].baseline.value' must be a finite number, not .nan (not a number)",
                        "'indicators[1].targets[1].value' must be a finite number, not -.inf (infinity)"]


def test_a_fraction_where_a_whole_number_is_expected_says_so(tmp_path):
    cycle = tmp_path / "repo" / "cycle.yml"
    records_dir(tmp_path)
    cycle.write_text(default_cycle_file().read_text(encoding="utf-8").replace("number: 1", "number: 1.5", 1))
    write_record(tmp_path, "name: X\n")
    problem = only_problem(tmp_path, cycle_file=cycle)
    assert problem.message == "'phases[1].number' must be a whole number, not a number (1.5)"


def test_a_huge_value_is_quoted_short_in_messages(tmp_path):
    digits, letters = "9" * 5000, "A" * 1000  # YAML allows keys of up to 1024 characters
    write_record(tmp_path, f"name: X\nstarted: {digits}\nphase: {letters * 5}\n{letters}: 1\n")
    problems = problems_in(tmp_path)
    assert [p.line for p in problems] == [2, 3, 4]
    assert "the number '999" in problems[0].message and "5,000 characters" in problems[0].message
    for problem in problems:
        assert len(str(problem)) < 400, str(problem)
        assert "…" in problem.message


def test_dates_must_be_written_year_month_day(tmp_path):
    write_record(tmp_path, "name: X\nstarted: '20240101'\n")
    problem = only_problem(tmp_path)
    assert problem.line == 2 and "is not a date: write it as YYYY-MM-DD" in problem.message


def test_future_dates_are_reported_at_the_date_line(tmp_path):
    write_record(tmp_path, "name: X\n", logs={"2999-01-01-a.md": "---\ntitle: Later\nauthors: [A]\ndate: 2999-01-01\n---\nB\n"})
    handbook = load_handbook(records_dir(tmp_path))
    assert [(w.line, "in the future" in w.message) for w in handbook.warnings] == [(4, True)]


# --- One run reports shape and reference mistakes in the same entry ---------------


def test_an_entry_with_a_bad_value_still_has_its_references_checked(tmp_path):
    text = """\
    name: Demo
    stakeholders:
      - {id: city-water, name: City Water, sector: public}
    code_of_conduct:
      endorsements:
        - stakeholder: neighbors
          date: 2025-13-01
          by: Someone
    """
    path = write_record(tmp_path, text)
    problems = problems_in(tmp_path)
    assert [(p.file, (p.line, p.column)) for p in problems] == [(path, (6, 20)), (path, (7, 13))]
    assert "unknown stakeholder 'neighbors' in endorsements; known: city-water" in problems[0].message
    assert "not a real calendar date" in problems[1].message


def test_a_log_entry_with_a_bad_date_still_has_its_step_checked(tmp_path):
    write_record(tmp_path, "name: X\n", logs={"2025-01-01-a.md": "---\ndate: soon\ntitle: T\nstep: clarify-ideas\n---\nB\n"})
    problems = problems_in(tmp_path)
    assert [(p.line, p.column) for p in problems] == [(2, 7), (4, 7)]
    assert "is not a date" in problems[0].message
    assert "unknown phase or step 'clarify-ideas' in step" in problems[1].message
    assert "did you mean 'clarify-idea'" in problems[1].message


def test_a_practice_with_a_bad_value_still_has_its_references_checked(tmp_path):
    practices = tmp_path / "repo" / "content" / "practices"
    practices.mkdir(parents=True)
    (practices / "tags.yml").write_text("facilitation: Running meetings\n")
    (practices / "p.md").write_text("---\ntitle: P\nsummary: S\ndifficulty: hard\nsteps: [clarify-ideas]\n"
                                    "tags: [facilitaton]\n---\nB\n")
    write_record(tmp_path, "name: X\n")
    problems = problems_in(tmp_path, practices_dir=practices)
    assert [(p.line, p.column) for p in problems] == [(4, 13), (5, 9), (6, 8)]
    assert "'hard' is not a valid 'difficulty'" in problems[0].message
    assert "unknown cycle step 'clarify-ideas'" in problems[1].message
    assert "unknown tag 'facilitaton' in tags" in problems[2].message


def test_misaligned_list_entries_get_an_indentation_fix(tmp_path):
    write_record(tmp_path, "name: X\nstakeholders:\n  - id: a\n    name: A\n    sector: public\n - id: b\n")
    problem = only_problem(tmp_path)
    assert problem.line == 6 and "YAML syntax error: this line is indented 1 space" in problem.message
    assert "indent it by 2 spaces, lined up with the other keys (or '- ' entries) of its group" in problem.fix


def test_format_problems_come_with_a_fix(tmp_path):
    write_record(tmp_path, "name: X\nstarted: '2025-6-1'\nstakeholders:\n  - {id: City Water, name: C, sector: public}\n")
    problems = problems_in(tmp_path)
    assert [p.line for p in problems] == [2, 4]
    assert problems[0].fix.startswith("write the year, month and day with hyphens")
    assert problems[1].fix.startswith("write it in lowercase, with hyphens")


def test_slugs_keep_accented_letters_without_their_accents():
    from msp_handbook.load import slugify

    assert slugify("Réunion de quartier à Dakar") == "reunion-de-quartier-a-dakar"
    assert slugify("Ünïcode: café") == "unicode-cafe"


# --- A step's status and its sub-steps' ----------------------------------------------

# (step's status, sub-steps' statuses, the warning or None): the rule on the reference page.
STEP_AND_SUBSTEPS = [
    ("done", {"state-agreements": "in-progress"}, "is marked done, but its sub-step 'state-agreements' is in progress"),
    ("done", {"state-agreements": "not-started", "steering-structure": "done"},
     "is marked done, but its sub-step 'state-agreements' is not started"),
    ("skipped", {"state-agreements": "in-progress"}, "is marked skipped, but its sub-step 'state-agreements' is in progress"),
    ("skipped", {"state-agreements": "not-started", "transparent-goals": "in-progress"},
     "is marked skipped, but its sub-steps 'transparent-goals' is in progress, 'state-agreements' is not started"),
    ("not-started", {"state-agreements": "done"}, "is marked not started, but its sub-step 'state-agreements' is done"),
    ("not-started", {"state-agreements": "in-progress"},
     "is marked not started, but its sub-step 'state-agreements' is in progress"),
    ("done", {"state-agreements": "done", "transparent-goals": "skipped"}, None),
    ("skipped", {"state-agreements": "skipped", "transparent-goals": "done"}, None),
    ("not-started", {"state-agreements": "skipped", "transparent-goals": "not-started"}, None),
    ("in-progress", {"state-agreements": "done", "transparent-goals": "not-started"}, None),
]


@pytest.mark.parametrize(("step", "substeps", "warning"), STEP_AND_SUBSTEPS)
def test_a_step_whose_status_contradicts_its_substeps_is_a_warning_at_the_step(tmp_path, step, substeps, warning):
    text = f"name: P\ncycle:\n  clarify-roles:\n    status: {step}\n" + "".join(
        f"  {ident}:\n    status: {status}\n" for ident, status in substeps.items())
    path = write_record(tmp_path, text)
    warnings = load_handbook(records_dir(tmp_path)).warnings
    if warning is None:
        assert warnings == ()
        return
    assert len(warnings) == 1, warnings
    assert (warnings[0].file, warnings[0].line, warnings[0].column) == (path, 4, 13)
    assert warnings[0].message == f"step 'clarify-roles' {warning}"
    assert warnings[0].fix
