"""The `msp-handbook` command line: validate, new, schema, help and errors.

Each test works on a throw-away copy of the example handbook (`copy_project`)
and runs the command in-process with click's CliRunner from the copy's folder,
as a contributor would from the repository root. One test runs the installed
console script as a real process, to prove the entry point exists.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from msp_handbook import cli
from msp_handbook.cli import main
from msp_handbook.model import Partnership
from msp_handbook.problems import Problem
from msp_handbook.schema import schema_file, schema_for, schema_text
from msp_handbook.urls import RESERVED_SLUGS

from sitebuild import copy_project

SCRIPT = Path(sys.executable).parent / "msp-handbook"
RECORD_KEYS = ", ".join(Partnership.model_fields)


# --- Helpers --------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example handbook, made the current directory."""
    root = copy_project(tmp_path / "handbook")
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="msp-handbook")


def counts(root: Path) -> str:
    """The summary `validate` prints for the handbook at `root`, counted from its files."""
    partnerships = [p for p in (root / "partnerships").iterdir() if (p / "partnership.yml").is_file()]
    logs = [log for p in partnerships for log in (p / "log").glob("*.md")]
    practices = list((root / "content" / "practices").glob("*.md"))
    return f"{len(partnerships)} partnerships, {len(logs)} log entries, {len(practices)} practices"


def no_problems(root: Path) -> str:
    return f"No problems found ({counts(root)}).\n"


def lines(text: str) -> list[str]:
    return text.splitlines()


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def insert_line(path: Path, after_prefix: str, new_line: str) -> int:
    """Insert `new_line` after the first line starting with `after_prefix`; return its 1-based number."""
    text = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(text) if line.startswith(after_prefix))
    text.insert(index + 1, new_line)
    path.write_text("\n".join(text), encoding="utf-8")
    return index + 2


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- validate -------------------------------------------------------------------


def test_validate_passes_on_the_example_and_counts_what_it_checked(project):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == no_problems(project)
    # The example has something of everything, so the counts are not vacuous.
    assert re.fullmatch(r"No problems found \([1-9]\d* partnerships, [1-9]\d* log entries, [1-9]\d* practices\)\.\n",
                        result.stderr)


@pytest.mark.parametrize("valid", [True, False])
@pytest.mark.parametrize("collecting", [True, False])
def test_validate_holds_off_cycle_collection_while_it_checks_and_leaves_it_as_it_was(project, monkeypatch,
                                                                                   valid, collecting):
    if not valid:
        insert_line(project / "partnerships" / "tamberu-taps-for-all" / "partnership.yml", "name:", "name: Twice")
    during = []
    check_site = cli.check_site
    monkeypatch.setattr(cli, "check_site", lambda *args, **kwargs: (during.append(gc.isenabled()),
                                                                    check_site(*args, **kwargs))[1])
    (gc.enable if collecting else gc.disable)()
    try:
        result = run("validate")
        assert result.exit_code == (0 if valid else 1), result.output
        assert (during, gc.isenabled()) == ([False], collecting)
    finally:
        gc.enable()


def test_the_console_script_runs_the_commands_without_cycle_collection(monkeypatch):
    during = []
    monkeypatch.setattr(cli, "main", lambda: during.append(gc.isenabled()))
    try:
        cli.run()
        assert during == [False]
    finally:
        gc.enable()


def test_validate_reports_every_mistake_at_its_line_with_a_fix(project):
    record = project / "partnerships" / "sarvana-fair-garments" / "partnership.yml"
    record_line = insert_line(record, "name:", "sumary: A typo for summary.")
    write(project / "partnerships" / "sarvana-fair-garments" / "log" / "2024-02-30-leap-day.md",
          "---\ntitle: Leap day\ndate: 2024-02-30\n---\nNo such day.\n")
    write(project / "content" / "practices" / "broken-practice.md", """\
---
title: Broken practice
summary: Names a step, a tag and a partnership that do not exist.
steps: [no-such-step]
tags: [monitring]
partnerships: [nowhere-land]
---
Body.
""")

    result = run("validate")

    assert result.exit_code == 1, result.output
    out = lines(result.stdout)
    expected_pairs = [
        (f"error: partnerships/sarvana-fair-garments/partnership.yml:{record_line}:1: "
         "unknown key 'sumary' — did you mean 'summary'?",
         f"    fix: allowed here: {RECORD_KEYS}"),
        ("error: partnerships/sarvana-fair-garments/log/2024-02-30-leap-day.md:3:7: "
         "'2024-02-30' looks like a date but is not a real calendar date",
         "    fix: check the month and day: write YYYY-MM-DD, e.g. 2025-03-14"),
        ("error: content/practices/broken-practice.md:4:9: unknown cycle step 'no-such-step' in steps",
         "    fix: use a step id from the phase's guidance page or the reference page"),
        ("error: content/practices/broken-practice.md:5:8: unknown tag 'monitring' in tags — did you mean 'monitoring'?",
         "    fix: use a tag from tags.yml beside the practices; a new tag needs a line there with its meaning, "
         "which reviewers check"),
    ]
    for error, fix in expected_pairs:
        assert error in out, f"missing {error!r} in:\n{result.stdout}"
        assert out[out.index(error) + 1] == fix
    # The list of known partnerships depends on which records are valid, so only its start is fixed.
    ghost = [i for i, line in enumerate(out) if line.startswith(
        "error: content/practices/broken-practice.md:6:16: unknown partnership 'nowhere-land' in partnerships; known: ")]
    assert len(ghost) == 1, result.stdout
    assert "tamberu-taps-for-all" in out[ghost[0]]
    assert out[ghost[0] + 1] == "    fix: use the name of a partnership's folder under partnerships/"

    # Every problem is one `error:` line followed by one `fix:` line, and the count says how many.
    errors = out[0::2]
    assert all(re.match(r"error: [^:]+:\d+:\d+: \S", line) for line in errors), result.stdout
    assert all(line.startswith("    fix: ") for line in out[1::2]), result.stdout
    assert len(out) == 2 * len(errors)
    assert result.stderr == f"{len(errors)} errors, 0 warnings\n"


def test_an_invalid_record_does_not_turn_practices_that_name_it_into_errors(project):
    # A typo in one record must be reported once, in the record. The practices
    # naming that partnership are correct: the folder exists, and saying
    # "unknown partnership ... add a partnership with id ..." sends the
    # contributor after a problem that is not there (and makes
    # `validate content/practices` fail for a mistake outside it).
    record = project / "partnerships" / "sarvana-fair-garments" / "partnership.yml"
    line = insert_line(record, "name:", "sumary: A typo for summary.")

    result = run("validate")
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        f"error: partnerships/sarvana-fair-garments/partnership.yml:{line}:1: unknown key 'sumary' — did you mean 'summary'?",
        f"    fix: allowed here: {RECORD_KEYS}",
    ]

    only_practices = run("validate", "content/practices")
    assert only_practices.stdout == ""
    assert only_practices.exit_code == 0


def test_github_format_prints_annotations_with_escaped_properties_and_message(project):
    folder = project / "partnerships" / "demo-github"
    write(folder / "partnership.yml", "name: Demo\n50%: nope\n")
    write(folder / "log" / "a,b:c.md", "---\ndate: 2024-01-01\ntitle: Bad name\n---\n")

    result = run("validate", "--format", "github")

    assert result.exit_code == 1, result.output
    assert lines(result.stdout) == [
        # No line in a whole-file problem; `,` and `:` escaped in the file property.
        "::error file=partnerships/demo-github/log/a%2Cb%3Ac.md::a log entry's file name may only hold lowercase "
        "letters, digits, hyphens and dots (it becomes the entry's web address)%0Afix: rename it to 'a-b-c.md'",
        # `%` in the message escaped as %25; the fix follows after an escaped newline.
        f"::error file=partnerships/demo-github/partnership.yml,line=2,col=1::unknown key '50%25'%0Afix: allowed here: {RECORD_KEYS}",
    ]
    assert result.stderr == "2 errors, 0 warnings\n"


def test_github_annotation_escaping():
    problem = Problem(Path("dir,x/a:b%.md"), 3, 5, "50% done\r\nsecond line", "fix, it: 100%")
    assert cli._github("error", problem) == (
        # Line breaks in a message are shown as escapes (Problem makes them visible), never sent raw.
        "::error file=dir%2Cx/a%3Ab%25.md,line=3,col=5::50%25 done\\r\\nsecond line%0Afix: fix, it: 100%25"
    )
    whole_file = Problem(Path("p.yml"), 0, 0, "is empty")
    assert cli._github("warning", whole_file) == "::warning file=p.yml::is empty"


def test_validate_paths_reports_only_problems_in_them(project):
    # A partnership no practice names, so its mistake cannot show up elsewhere.
    write(project / "partnerships" / "demo-broken" / "partnership.yml", "name: Demo\nsumary: typo\n")

    practices = run("validate", "content/practices")
    assert practices.stdout == ""
    assert practices.stderr == "No problems in content/practices.\n"
    assert practices.exit_code == 0

    record = run("validate", "partnerships/demo-broken")
    assert lines(record.stdout) == [
        "error: partnerships/demo-broken/partnership.yml:2:1: unknown key 'sumary' — did you mean 'summary'?",
        f"    fix: allowed here: {RECORD_KEYS}",
    ]
    assert record.stderr == "1 error, 0 warnings\n"
    assert record.exit_code == 1

    everything = run("validate")
    assert everything.exit_code == 1
    assert everything.stderr == "1 error, 0 warnings\n"


def test_validate_paths_still_checks_references_to_the_rest_of_the_handbook(project):
    write(project / "content" / "practices" / "names-a-ghost.md",
          "---\ntitle: Names a ghost\nsummary: Refers to a partnership that is not there.\n"
          "phases: [exploration]\npartnerships: [tamberu-taps-for-all, ghost-partnership]\n---\nBody.\n")

    ghost = run("validate", "content/practices/names-a-ghost.md")
    assert ghost.exit_code == 1
    assert lines(ghost.stdout)[0].startswith(
        "error: content/practices/names-a-ghost.md:5:38: unknown partnership 'ghost-partnership' in partnerships; known: ")
    assert len(lines(ghost.stdout)) == 2
    assert ghost.stderr == "1 error, 0 warnings\n"

    # A practice naming only real partnerships passes: the records were loaded to check it.
    real = Path("content/practices/map-interests-before-the-first-meeting.md")
    assert re.search(r"^partnerships: \[\S", real.read_text(encoding="utf-8"), re.M), "the example should name a partnership"
    fine = run("validate", str(real))
    assert fine.exit_code == 0, fine.output
    assert fine.stdout == ""
    assert fine.stderr == f"No problems in {real}.\n"


def test_future_log_entry_is_a_warning_and_fails_only_with_strict(project):
    made = run("new", "log", "tamberu-taps-for-all", "Time travel", "--date", "2999-01-01")
    assert made.exit_code == 0, made.output
    path = "partnerships/tamberu-taps-for-all/log/2999-01-01-time-travel.md"
    expected = [
        f"warning: {path}:3:1: log entry is dated 2999-01-01, in the future",
        "    fix: check the year and month of `date:`",
    ]

    lenient = run("validate")
    assert lenient.exit_code == 0, lenient.output
    assert lines(lenient.stdout) == expected
    assert lenient.stderr == "0 errors, 1 warning\n"

    strict = run("validate", "--strict")
    assert strict.exit_code == 1
    assert lines(strict.stdout) == expected
    assert strict.stderr == "0 errors, 1 warning\n"

    github = run("validate", "--format", "github")
    assert github.exit_code == 0
    assert lines(github.stdout) == [
        f"::warning file={path},line=3,col=1::log entry is dated 2999-01-01, in the future"
        "%0Afix: check the year and month of `date:`"
    ]


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_links_in_hand_written_pages_are_checked_as_the_build_checks_them(project, use_directory_urls):
    # The same MkDocs check as the build, placed at the link: a missing page, an
    # anchor that no heading makes, and a link written twice (reported at each place).
    if not use_directory_urls:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    page = project / "content" / "guide" / "index.md"
    lines_before = page.read_text(encoding="utf-8").count("\n")
    page.write_text(page.read_text(encoding="utf-8") + "\n[Gone](gone.md), [step](exploration.md#nope)\n"
                    "[Gone](gone.md) and [the list](../partnerships/index.md) and [data](../partnerships/index.json)\n"
                    "[A generated page's anchor](../partnerships/index.md#nope)\n",
                    encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 0, result.output  # warnings: the build passes too unless strict
    gone = "contains a link 'gone.md', but the target 'guide/gone.md' is not found among documentation files."
    assert lines(result.stdout) == [
        f"warning: content/guide/index.md:{lines_before + 2}:8: {gone}",
        "    fix: check the file name and folders; links count from the page the link is on",
        f"warning: content/guide/index.md:{lines_before + 3}:8: {gone}",
        "    fix: check the file name and folders; links count from the page the link is on",
        f"warning: content/guide/index.md:{lines_before + 2}:25: contains a link 'exploration.md#nope', "
        "but the doc 'guide/exploration.md' does not contain an anchor '#nope'.",
        "    fix: link to a heading that is on that page: its anchor is the heading in lowercase, words joined by hyphens",
        f"warning: content/guide/index.md:{lines_before + 4}:29: contains a link '../partnerships/index.md#nope', "
        "but the doc 'partnerships/index.md' does not contain an anchor '#nope'.",
        "    fix: link to a heading that is on that page: its anchor is the heading in lowercase, words joined by hyphens",
    ]
    assert run("validate", "--strict").exit_code == 1


def test_validate_with_config_from_another_folder(project, monkeypatch):
    monkeypatch.chdir(project.parent)
    result = run("validate", "--config", "handbook/mkdocs.yml")
    assert result.exit_code == 0, result.output
    assert result.stderr == no_problems(project)


# --- new ------------------------------------------------------------------------


def test_new_partnership_writes_a_valid_record_and_refuses_to_overwrite(project):
    existing = len(list((project / "partnerships").glob("*/partnership.yml")))
    result = run("new", "partnership", "zz-cli-test-partnership")
    assert result.exit_code == 0, result.output
    assert result.stdout == "partnerships/zz-cli-test-partnership/partnership.yml\n"
    path = project / "partnerships" / "zz-cli-test-partnership" / "partnership.yml"
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"name": "Zz Cli Test Partnership"}

    check = run("validate")
    assert check.exit_code == 0, check.output
    assert check.stderr == no_problems(project)
    assert check.stderr.startswith(f"No problems found ({existing + 1} partnerships, ")

    path.write_text(path.read_text(encoding="utf-8") + "# my own edit\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    again = run("new", "partnership", "zz-cli-test-partnership")
    assert again.exit_code == 1
    assert again.stdout == ""
    assert again.stderr.startswith("Error: ")
    assert "partnership.yml already exists; nothing was written" in again.stderr
    assert path.read_text(encoding="utf-8") == before
    assert_no_traceback(again)


def test_new_partnership_scaffold_points_at_a_schema_copy_inside_the_project(project):
    assert run("new", "partnership", "zz-cli-test-partnership").exit_code == 0
    path = project / "partnerships" / "zz-cli-test-partnership" / "partnership.yml"
    first = path.read_text(encoding="utf-8").split("\n")[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    relative = match.group(1)
    assert not Path(relative).is_absolute()
    target = (path.parent / relative).resolve()
    assert target.is_file(), target
    # The package lives outside the copy, so the project gets its own copy of the schema.
    assert target == (project / ".msp-handbook" / "partnership.schema.json").resolve()
    assert target.read_text(encoding="utf-8") == schema_file("partnership").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == schema_text("partnership")


def test_new_partnership_refuses_an_invalid_slug(project):
    result = run("new", "partnership", "Harbour_Clean Air")
    assert result.exit_code == 1
    assert result.stderr == ("Error: 'Harbour_Clean Air' is not a valid slug: use lowercase letters, digits and "
                             'hyphens, e.g. `new partnership harbour-clean-air --name "Harbour_Clean Air"`\n')
    assert not (project / "partnerships" / "Harbour_Clean Air").exists()
    assert_no_traceback(result)


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_new_partnership_refuses_a_slug_the_site_uses_itself(project, slug):
    result = run("new", "partnership", slug)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: '{slug}' cannot be a partnership slug: {RESERVED_SLUGS[slug]}; "
                             f"choose another, e.g. `new partnership {slug}-partnership`\n")
    assert not (project / "partnerships" / slug).exists()


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_validate_refuses_a_partnership_folder_named_like_a_page_of_the_site(project, slug):
    # A copy of a valid partnership: the folder's name is its only mistake.
    shutil.copytree(project / "partnerships" / "tamberu-taps-for-all", project / "partnerships" / slug)
    result = run("validate")
    assert result.exit_code == 1, result.output
    assert lines(result.stdout) == [
        f"error: partnerships/{slug}: folder name '{slug}' cannot be a partnership slug: {RESERVED_SLUGS[slug]}",
        f"    fix: rename the folder, e.g. to '{slug}-partnership' (the slug is the partnership's URL)",
    ]
    assert_no_traceback(result)


@pytest.mark.parametrize(("arguments", "name"), [
    (["zz-lower-osun-river-clean-up"], "Zz Lower Osun River Clean Up"),
    (["zz-taps-for-all-of-the-city"], "Zz Taps for All of the City"),
    (["zz-lower-osun-river-clean-up", "--name", "Lower Osun River Clean-up"], "Lower Osun River Clean-up"),
    (["zz-lower-osun-river-clean-up", "--name", "Ọ̀ṣun: \"Clean-up\" #1"], "Ọ̀ṣun: \"Clean-up\" #1"),
])
def test_new_partnership_names_it_with_capitals_or_as_given(project, arguments, name):
    result = run("new", "partnership", *arguments)
    assert result.exit_code == 0, result.output
    path = project / "partnerships" / arguments[0] / "partnership.yml"
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"name": name}
    assert run("validate").exit_code == 0


def test_new_partnership_refuses_an_empty_name(project):
    result = run("new", "partnership", "zz-cli-test-partnership", "--name", " ")
    assert result.exit_code == 1
    assert "the name is empty" in result.stderr
    assert not (project / "partnerships" / "zz-cli-test-partnership").exists()


def test_new_log_help_documents_the_date_option_and_its_format(project):
    result = run("new", "log", "--help")
    assert result.exit_code == 0
    assert "--date YYYY-MM-DD" in result.stdout and "default: today" in result.stdout


def test_new_log_with_date_writes_a_valid_entry_and_refuses_to_overwrite(project):
    title = 'Tariff: "50%" proposal, presented'
    result = run("new", "log", "tamberu-taps-for-all", title, "--date", "2025-01-02")
    assert result.exit_code == 0, result.output
    relative = "partnerships/tamberu-taps-for-all/log/2025-01-02-tariff-50-proposal-presented.md"
    assert result.stdout == relative + "\n"
    path = project / relative
    front_matter = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert front_matter["title"] == title
    assert front_matter["date"] == dt.date(2025, 1, 2)

    check = run("validate")
    assert check.exit_code == 0, check.output
    assert check.stderr == no_problems(project)

    path.write_text(path.read_text(encoding="utf-8") + "\nMy notes.\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    again = run("new", "log", "tamberu-taps-for-all", title, "--date", "2025-01-02")
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: ")
    assert "already exists; nothing was written" in again.stderr
    assert path.read_text(encoding="utf-8") == before


def test_new_log_without_date_is_dated_today(project):
    before = dt.date.today()
    result = run("new", "log", "alder-valley-community-energy", "Assembly votes on the trust")
    after = dt.date.today()
    assert result.exit_code == 0, result.output
    assert result.stdout in {
        f"partnerships/alder-valley-community-energy/log/{day.isoformat()}-assembly-votes-on-the-trust.md\n"
        for day in (before, after)
    }
    path = project / result.stdout.strip()
    assert yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])["date"] in (before, after)
    check = run("validate")
    assert check.exit_code == 0, check.output
    assert check.stderr == no_problems(project)


def test_new_log_for_an_unknown_partnership_lists_the_known_ones(project):
    known = sorted(p.parent.name for p in (project / "partnerships").glob("*/partnership.yml"))
    result = run("new", "log", "zz-cli-test-partnership", "Kick-off")
    assert result.exit_code == 1
    assert result.stderr == f"Error: there is no partnership 'zz-cli-test-partnership'; known: {', '.join(known)}\n"
    assert not (project / "partnerships" / "zz-cli-test-partnership").exists()
    assert_no_traceback(result)


def test_new_log_refuses_an_empty_title(project):
    result = run("new", "log", "tamberu-taps-for-all", "   ")
    assert result.exit_code == 1
    assert result.stderr == "Error: the title is empty: say in a few words what happened\n"


def test_new_practice_writes_a_valid_practice_and_refuses_to_overwrite(project):
    result = run("new", "practice", "Walk the pipeline with residents")
    assert result.exit_code == 0, result.output
    assert result.stdout == "content/practices/walk-the-pipeline-with-residents.md\n"
    path = project / "content" / "practices" / "walk-the-pipeline-with-residents.md"
    assert yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])["title"] == "Walk the pipeline with residents"

    check = run("validate")
    assert check.exit_code == 0, check.output
    assert check.stderr == no_problems(project)

    path.write_text(path.read_text(encoding="utf-8").replace("Step by step", "My own steps"), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    again = run("new", "practice", "Walk the pipeline with residents")
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: ")
    assert "walk-the-pipeline-with-residents.md already exists; nothing was written" in again.stderr
    assert path.read_text(encoding="utf-8") == before


@pytest.mark.parametrize("title", ["Index", "Tags"])
def test_new_practice_never_writes_a_file_that_validate_refuses(project, title):
    # `index`, `tags`, `phases` and `sectors` are the generated listing pages
    # beside the practices; a practice may not take their names.
    result = run("new", "practice", title)
    if result.exit_code == 0:
        check = run("validate")
        assert check.exit_code == 0, (f"`new practice {title!r}` wrote {result.stdout.strip()}, "
                                      f"which validate refuses:\n{check.stdout}")
    else:
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ")
        assert not (project / "content" / "practices" / f"{title.lower()}.md").exists()


# --- schema ---------------------------------------------------------------------


def test_schema_prints_all_schemas_as_json(project):
    result = run("schema")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert sorted(document) == ["log", "partnership", "practice", "review"]
    for kind in document:
        assert document[kind] == schema_for(kind)


def test_schema_partnership_prints_the_shipped_partnership_schema(project):
    result = run("schema", "partnership")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == schema_for("partnership")
    assert result.stdout == schema_file("partnership").read_text(encoding="utf-8")
    assert json.loads(result.stdout)["title"] == "Partnership"


def test_schema_refuses_an_unknown_kind(project):
    result = run("schema", "budget")
    assert result.exit_code == 2
    assert ("Error: Invalid value for '[log|partnership|practice|review]': 'budget' is not one of 'log', "
            "'partnership', 'practice', 'review'.") in result.stderr
    assert_no_traceback(result)


# --- help and usage errors ------------------------------------------------------


@pytest.mark.parametrize("command", [
    [], ["validate"], ["new"], ["new", "partnership"], ["new", "log"], ["new", "practice"], ["schema"],
], ids=lambda command: " ".join(command) or "main")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_works_on_every_command(tmp_path, monkeypatch, command, flag):
    monkeypatch.chdir(tmp_path)  # help needs no handbook
    result = run(*command, flag)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: msp-handbook {' '.join(command)}".rstrip() + " [OPTIONS]")
    assert "Traceback" not in result.output


def test_main_help_lists_the_commands(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = run("--help").stdout
    for command in ("validate", "new", "schema"):
        assert re.search(rf"^  {command}\s", text, re.M), text
    new_text = run("new", "--help").stdout
    for command in ("partnership", "log", "practice"):
        assert re.search(rf"^  {command}\s", new_text, re.M), new_text


def test_unknown_command_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("frobnicate")
    assert result.exit_code == 2
    assert "Error: No such command 'frobnicate'." in result.stderr
    assert result.stderr.startswith("Usage: msp-handbook")
    assert_no_traceback(result)


@pytest.mark.parametrize("command", [["validate"], ["new", "partnership", "zz-cli-test-partnership"],
                                     ["new", "practice", "A practice"]], ids=" ".join)
def test_missing_site_configuration_is_a_clear_error(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run(*command)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == ("Error: mkdocs.yml not found: run this in the handbook's folder, "
                             "or name the site configuration with --config\n")
    assert "--config" in result.stderr
    assert_no_traceback(result)
    assert list(tmp_path.iterdir()) == []  # nothing was written


# --- The installed console script ----------------------------------------------


def test_installed_console_script_runs_validate(tmp_path):
    project = copy_project(tmp_path / "handbook")
    assert SCRIPT.is_file(), f"{SCRIPT} is not installed: run `make setup`"
    completed = subprocess.run([str(SCRIPT), "validate"], cwd=project, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    assert completed.stderr == no_problems(project)
    assert "Traceback" not in completed.stderr


def test_new_review_lists_the_stakeholders_is_valid_and_its_example_ratings_are_too(project):
    result = run("new", "review", "tamberu-taps-for-all", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    relative = "partnerships/tamberu-taps-for-all/reviews/2026-11-20.yml"
    assert result.stdout == relative + "\n"
    path = project / relative
    review = yaml.safe_load(path.read_text(encoding="utf-8"))
    record = yaml.safe_load((project / "partnerships/tamberu-taps-for-all/partnership.yml").read_text(encoding="utf-8"))
    assert review["participants"] == [s["id"] for s in record["stakeholders"]]
    check = run("validate")
    assert check.exit_code == 0, check.output

    # The commented example ratings, switched on, are valid too: every stakeholder rates every building block.
    text = path.read_text(encoding="utf-8").replace("ratings: {}\n", "")
    text = "\n".join(line[2:] if line.startswith(("# ratings:", "#   ")) and ": {" in line or line == "# ratings:"
                     else line for line in text.split("\n"))
    path.write_text(text, encoding="utf-8")
    check = run("validate")
    assert check.exit_code == 0, check.output
    assert len(yaml.safe_load(text)["ratings"]) == len(record["stakeholders"])

    again = run("new", "review", "tamberu-taps-for-all", "--date", "2026-11-20")
    assert again.exit_code == 1 and "already exists; nothing was written" in again.stderr


def test_new_review_for_an_unknown_partnership_lists_the_known_ones(project):
    result = run("new", "review", "zz-cli-test-partnership")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: there is no partnership 'zz-cli-test-partnership'; known: ")
    assert_no_traceback(result)
