"""The loader refuses, at their place, the inputs that once slipped through (issue 9).

Each test names a class of input, not one example: values YAML changes from
what was typed, tags anywhere, control characters however they are written,
ids with a trailing line break, special files and folders that cannot be
read. Every one must end as a located problem, never a hang or a traceback.
"""

from __future__ import annotations

import errno
import gc
import os
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from msp_handbook import files, scaffold
from msp_handbook import handbook as handbook_module
from msp_handbook.handbook import load_handbook
from msp_handbook.model import Id
from msp_handbook.load import parse_yaml
from msp_handbook.problems import InvalidHandbook, Problem
from test_validation import only_problem, problems_in, records_dir, write_record

# The number stands on line 6, as an indicator's baseline.
RECORD_WITH = "name: Demo\nthematic_frame:\n  title: Water\n  sdg_targets: [{target}]\n" \
              "indicators:\n  - {{id: reach, goal: taps, name: Reach, measure: number, better: higher, unit: people, " \
              "baseline: {{date: 2025-01-01, value: {number}}}}}\n" \
              "goals:\n  - {{id: taps, title: Taps, level: outcome, serves: [city]}}\n" \
              "stakeholders:\n  - {{id: city, name: City, sector: public}}\n"


def loaded(tmp_path: Path, **kwargs):
    return load_handbook(records_dir(tmp_path), **kwargs)


# --- What is printed ------------------------------------------------------------


@pytest.mark.parametrize("character", ["\n", "\r", "\x1b", "\x07", "\x85", "\u2028", "\u202e"])
def test_a_problem_prints_control_characters_as_escapes(character):
    problem = Problem(Path(f"log/a{character}b.md"), 2, 3, f"value 'x{character}y'", f"fix{character}it")
    printed = str(problem)
    assert character not in printed.replace("\n    fix: ", " fix: ")
    # One line for the message, one for the fix: a name cannot forge a message line.
    assert printed.count("\n") == 1 and printed.split("\n")[1].startswith("    fix: ")
    assert repr(character)[1:-1] in printed or f"\\u{ord(character):04x}" in printed


# --- Values YAML would change ------------------------------------------------------


@pytest.mark.parametrize("typed, read_as", [
    ("yes", "true"), ("No", "false"), ("on", "true"), ("1:20", "80"), ("012", "10"), ("0x1f", "31"),
    ("0b101", "5"), ("1_000", "1000"),
    ("1_0.5", "10.5"), ("1:30.5", "90.5"),
])
def test_a_plain_value_yaml_would_change_is_refused_with_what_to_quote(tmp_path, typed, read_as):
    path = write_record(tmp_path, RECORD_WITH.format(target='"6.1"', number=typed))
    problem = only_problem(tmp_path)
    assert (problem.file, problem.line) == (path, 6)
    assert problem.message == f"YAML would read '{typed}' as {read_as}"
    assert f"put it in quotes: '{typed}'" in problem.fix


@pytest.mark.parametrize("target", ["6.1", "17.10", "17.17", "6.a", '"17.10"'])
def test_sdg_targets_keep_what_was_typed(tmp_path, target):
    write_record(tmp_path, RECORD_WITH.format(target=target, number="1200"))
    (partnership,) = loaded(tmp_path).partnerships
    assert partnership.thematic_frame.sdg_targets == [target.strip('"')]


@pytest.mark.parametrize("number, value", [("1200", 1200), ("12.5", 12.5), ("-3", -3), ("0", 0), ("1.50", 1.5),
                                           ("+7", 7), ("2.5e3", 2500)])
def test_plain_numbers_are_numbers(tmp_path, number, value):
    write_record(tmp_path, RECORD_WITH.format(target='"6.1"', number=number))
    (partnership,) = loaded(tmp_path).partnerships
    assert partnership.indicators[0].baseline.value == value


def test_keys_and_quoted_values_are_never_reinterpreted(tmp_path):
    document, problems = parse_yaml('yes: "1:20"\n012: \'on\'\n', Path("x.yml"))
    assert problems == [] and document.value == {"yes": "1:20", "012": "on"}


# --- Tags ------------------------------------------------------------------------


@pytest.mark.parametrize("text, at", [
    ("a: !!set {x: null}\n", (1, 4)),           # on a mapping
    ("a: !!omap [x]\n", (1, 4)),                # on a list
    ("a: !custom\n  - x\n", (1, 4)),            # a local tag on a block list
    ("!!str a: x\n", (1, 1)),                   # on a key, even one YAML reads as text anyway
    ("? !!int 1\n: x\n", (1, 3)),               # on a complex key
    ("a: ! 12\n", (1, 4)),                      # the non-specific tag
    ("a: [!!str 12]\n", (1, 5)),                # inside a flow list
])
def test_every_tag_is_refused_at_its_place(text, at):
    _, problems = parse_yaml(text, Path("x.yml"))
    assert [(p.line, p.column) for p in problems] == [at], problems
    assert "YAML tag" in problems[0].message and "remove the tag" in problems[0].fix


# --- Control characters -------------------------------------------------------------


@pytest.mark.parametrize("escape, code", [("\\x07", "U+0007"), ("\\u0085", "U+0085"), ("\\e", "U+001B"),
                                          ("\\x1b[31m", "U+001B"), ("\\r", "U+000D"), ("\\0", "U+0000")])
def test_control_characters_written_as_escapes_are_refused(tmp_path, escape, code):
    path = write_record(tmp_path, f'name: Demo\nsummary: "Water {escape} for all"\n')
    problem = only_problem(tmp_path)
    assert (problem.file, problem.line, problem.column) == (path, 2, 10)
    assert problem.message == f"contains the control character {code}"


def test_control_characters_in_keys_are_refused_and_shown_as_escapes(tmp_path):
    write_record(tmp_path, 'name: Demo\n"vision\\e[2J": x\n')
    problem = only_problem(tmp_path)
    assert problem.line == 2 and "the key 'vision\\x1b[2J' contains the control character U+001B" in problem.message
    assert "\x1b" not in str(problem)


def test_tabs_and_line_breaks_in_text_stay_allowed(tmp_path):
    write_record(tmp_path, 'name: Demo\nsummary: "One\\tTwo\\nThree"\nvision: |\n  Line one\n  Line two\n')
    (partnership,) = loaded(tmp_path).partnerships
    assert partnership.summary == "One\tTwo\nThree"


# --- Ids ---------------------------------------------------------------------------


@pytest.mark.parametrize("ident", ["city\n", "city\nx", "\ncity"])
def test_an_id_with_a_line_break_is_not_an_id(ident):
    # Records strip surrounding white space first; the id type itself must hold without that.
    with pytest.raises(ValidationError, match="is not a valid id"):
        TypeAdapter(Id).validate_python(ident)


def test_a_folder_name_with_a_trailing_line_break_is_not_a_slug(tmp_path):
    write_record(tmp_path, "name: Demo\n", slug="demo\n")
    problem = only_problem(tmp_path)
    assert "is not a valid partnership slug" in problem.message and "demo\\n" in str(problem)


def test_the_new_command_refuses_a_slug_with_a_line_break(tmp_path):
    with pytest.raises(scaffold.ScaffoldError):
        scaffold.new_partnership(records_dir(tmp_path), "demo\n", tmp_path / "repo")
    assert list(records_dir(tmp_path).iterdir()) == []


# --- Byte-order marks -------------------------------------------------------------------


def test_a_byte_order_mark_inside_a_file_is_named(tmp_path):
    path = write_record(tmp_path, "\ufeffname: Demo\n\ufeffsummary: Pasted\n")
    problem = only_problem(tmp_path)
    assert (problem.file, problem.line, problem.column) == (path, 2, 1)
    assert "byte-order mark" in problem.message and "delete" in problem.fix


def test_a_byte_order_mark_at_the_start_is_fine(tmp_path):
    write_record(tmp_path, "\ufeffname: Demo\n")
    assert loaded(tmp_path).partnerships[0].name == "Demo"


# --- Special files ------------------------------------------------------------------------


def test_a_named_pipe_as_a_record_is_named_and_never_read(tmp_path):
    folder = records_dir(tmp_path) / "demo"
    folder.mkdir()
    os.mkfifo(folder / "partnership.yml")  # reading it would wait for a writer for ever
    problem = only_problem(tmp_path)
    assert (problem.file, problem.line) == (folder / "partnership.yml", 0)
    assert problem.message == "is a named pipe, not a file"


def test_special_files_in_a_log_and_the_records_folder_are_named(tmp_path):
    write_record(tmp_path, "name: Demo\n", logs={"2025-01-01-a.md": "---\ndate: 2025-01-01\ntitle: A\n---\nText\n"})
    log = records_dir(tmp_path) / "demo" / "log"
    os.mkfifo(log / "2025-01-02-pipe.md")
    (log / "2025-01-03-loop.md").symlink_to(log / "2025-01-03-loop.md")
    (records_dir(tmp_path) / "circle").symlink_to(records_dir(tmp_path) / "circle")
    problems = problems_in(tmp_path)
    assert {(p.file.name, p.message) for p in problems} == {
        ("2025-01-02-pipe.md", "is a named pipe, not a file"),
        ("2025-01-03-loop.md", "is a symbolic link that leads round in a loop"),
        ("circle", "is a symbolic link that leads round in a loop"),
    }
    # Named from the repository without following the loop.
    assert all(p.relative_to(tmp_path / "repo").file.parts[0] == "partnerships" for p in problems)


def test_a_record_that_links_to_itself_is_named(tmp_path):
    folder = records_dir(tmp_path) / "demo"
    folder.mkdir()
    (folder / "partnership.yml").symlink_to("partnership.yml")
    assert only_problem(tmp_path).message == "is a symbolic link that leads round in a loop"


def refuse_listing(monkeypatch, folder: Path) -> None:
    """Make listing `folder` fail as it does for a folder one may not read."""
    real_listdir = os.listdir

    def listdir(path):
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(files.os, "listdir", listdir)


def test_a_folder_that_cannot_be_listed_is_named(tmp_path, monkeypatch):
    # Tests may run as root, who can list any folder: the refusal is simulated
    # where the loader lists folders, with the error the system would give.
    write_record(tmp_path, "name: Demo\n", logs={"2025-01-01-a.md": "---\ndate: 2025-01-01\ntitle: A\n---\nText\n"})
    log = records_dir(tmp_path) / "demo" / "log"
    refuse_listing(monkeypatch, log)
    problem = only_problem(tmp_path)
    assert (problem.file, problem.message) == (log, "cannot be read: Permission denied")
    assert "may read it" in problem.fix


def test_a_file_that_cannot_be_opened_is_named(tmp_path, monkeypatch):
    path = write_record(tmp_path, "name: Demo\n")
    real_open = os.open

    def refusing_open(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", refusing_open)
    assert only_problem(tmp_path).message == "cannot be read: Permission denied"


def test_reading_never_opens_a_special_file_for_reading_its_content(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    text, problems = files.read_text(pipe, tmp_path)
    assert text is None and problems[0].message == "is a named pipe, not a file"
    assert files.read_text(tmp_path, tmp_path)[1][0].message == "is a folder, not a file"


def test_the_handbook_loads_again_once_the_special_file_is_gone(tmp_path):
    write_record(tmp_path, "name: Demo\n")
    pipe = records_dir(tmp_path) / "demo" / "log"
    pipe.parent.mkdir(exist_ok=True)
    os.mkfifo(pipe)
    assert only_problem(tmp_path).message == "is a named pipe, not a file"
    pipe.unlink()
    assert loaded(tmp_path).partnerships[0].name == "Demo"


# --- The practices folder -----------------------------------------------------------------


def test_a_folder_inside_the_practices_folder_is_refused(tmp_path):
    write_record(tmp_path, "name: Demo\n")
    practices = tmp_path / "repo" / "docs" / "practices"
    (practices / "extra").mkdir(parents=True)
    (practices / "extra" / "page.md").write_text("<script>alert(1)</script>\n", encoding="utf-8")
    (practices / "linked").symlink_to(tmp_path, target_is_directory=True)
    problems = problems_in(tmp_path, practices_dir=practices)
    assert [(p.file.name, p.line) for p in problems] == [("extra", 0), ("linked", 0)]
    assert all("no folders" in p.message for p in problems)


# --- Log entries: every problem at once, and their dates ---------------------------------------


def test_a_log_entry_reports_every_problem_at_once(tmp_path):
    entry = ("---\ndate: 2025-02-30\ntitle: A\ntitle: B\nstep: 1:20\nmood: fine\n---\n"
             + "- " * 30 + "x\n")
    write_record(tmp_path, "name: Demo\n", logs={"2025-02-28-a.md": entry})
    problems = problems_in(tmp_path)
    assert [(p.line, p.message.split(":")[0].split(" (")[0]) for p in problems] == [
        (2, "'2025-02-30' looks like a date but is not a real calendar date"),
        (4, "duplicate key 'title'"),
        (5, "YAML would read '1"),
        (6, "unknown key 'mood'"),
        (8, "the log entry's text"),
    ]


def test_a_practice_reports_every_problem_at_once(tmp_path):
    write_record(tmp_path, "name: Demo\n")
    practices = tmp_path / "repo" / "docs" / "practices"
    practices.mkdir(parents=True)
    (practices / "a-practice.md").write_text(
        "---\ntitle: A\ntitle: B\nsummary: yes\nsteps: [clarify-idea]\ncolour: red\n---\n" + "> " * 30 + "x\n",
        encoding="utf-8")
    problems = problems_in(tmp_path, practices_dir=practices)
    assert [p.line for p in problems] == [3, 4, 6, 8], problems


def test_a_log_file_named_for_another_date_is_flagged_at_its_date(tmp_path):
    write_record(tmp_path, "name: Demo\n", logs={"2025-11-19-dialogue.md": "---\ntitle: T\ndate: 2025-11-20\n---\nText\n"})
    problem = only_problem(tmp_path)
    assert (problem.file.name, problem.line, problem.column) == ("2025-11-19-dialogue.md", 3, 7)
    assert problem.message == "`date:` says 2025-11-20, but the file name says 2025-11-19"
    assert "rename the file to '2025-11-20-dialogue.md'" in problem.fix


def test_a_log_file_named_for_no_real_date_is_flagged(tmp_path):
    write_record(tmp_path, "name: Demo\n", logs={"2025-13-01-dialogue.md": "---\ntitle: T\ndate: 2025-11-20\n---\nText\n"})
    problem = only_problem(tmp_path)
    assert problem.message == "the file name starts with 2025-13-01, which is not a real date"


def test_log_files_named_without_a_date_or_with_the_same_date_are_fine(tmp_path):
    write_record(tmp_path, "name: Demo\n", logs={"2025-11-20-a.md": "---\ntitle: T\ndate: 2025-11-20\n---\nText\n",
                                                 "kickoff.md": "---\ntitle: K\ndate: 2025-11-21\n---\nText\n"})
    assert len(loaded(tmp_path).partnerships[0].log) == 2


# --- YAML syntax errors where the mistake is ------------------------------------------------------

SYNTAX_BASE = """\
name: Demo
summary: "A partnership for water"
vision: Taps for all
stakeholders:
  - id: utility
    name: Water utility
    sector: public
  - id: council
    name: City council
    sector: public
cycle:
  clarify-idea:
    status: done
    date: 2025-06-20
    notes: Kitchen-table talks.
  test-common-ground:
    status: in-progress
"""


@pytest.mark.parametrize("old, new, line, column, message, fix", [
    # A quote left open: the parser stops at the next quote, lines later.
    ('"A partnership for water"', '"A partnership for water', 2, 10, 'the quote " that starts this value is not closed',
     'add " after the last word'),
    ("vision: Taps for all", "vision: 'Taps for all", 3, 9, "the quote ' that starts this value is not closed",
     "written ''"),
    # One line indented unlike its group: the parser notices it there or one line later.
    ("    sector: public\n  - id: council", "   sector: public\n  - id: council", 7, 4,
     "this line is indented 3 spaces, unlike the lines of its group around it (4 spaces)", "indent it by 4 spaces"),
    ("    name: City council", "     name: City council", 9, 6, "indented 5 spaces", "indent it by 4 spaces"),
    ("  - id: council", " - id: council", 8, 2, "indented 1 space, unlike", "indent it by 2 spaces"),
    ("  - id: council", "   - id: council", 8, 4, "indented 3 spaces", "indent it by 2 spaces"),
    ("    date: 2025-06-20", "  date: 2025-06-20", 14, 3, "indented 2 spaces", "indent it by 4 spaces"),
    ("  clarify-idea:\n    status: done", "  clarify-idea:\n  status: done", 13, 3, "indented 2 spaces", "by 4 spaces"),

    # The first key of a group indented unlike the keys after it: YAML takes the group's
    # indentation from it and stops only at the next key, which is where it should be.
    ("cycle:\n  clarify-idea:", "cycle:\n first-step:\n    status: done\n  clarify-idea:", 12, 2,
     "indented 1 space, unlike", "indent it by 2 spaces"),
    ("cycle:\n  clarify-idea:", "cycle:\n   first-step:\n    status: done\n  clarify-idea:", 12, 4,
     "indented 3 spaces, unlike", "indent it by 2 spaces"),
])
def test_a_syntax_error_is_reported_where_the_mistake_is(old, new, line, column, message, fix):
    assert old in SYNTAX_BASE
    assert parse_yaml(SYNTAX_BASE, Path("r.yml"))[1] == []
    _, (problem,) = parse_yaml(SYNTAX_BASE.replace(old, new, 1), Path("r.yml"))
    assert (problem.line, problem.column) == (line, column), problem
    assert problem.message.startswith("YAML syntax error: ") and message in problem.message, problem
    assert fix in problem.fix, problem


def test_a_syntax_error_in_front_matter_counts_lines_from_the_file(tmp_path):
    entry = '---\ndate: 2025-01-01\ntitle: "Open\nstep: clarify-idea\n---\nText "x"\n'
    write_record(tmp_path, "name: Demo\n", logs={"2025-01-01-a.md": entry})
    problem = only_problem(tmp_path)
    assert (problem.line, problem.column) == (3, 8) and "is not closed" in problem.message


@pytest.mark.parametrize("old, new, key, step", [
    ("    notes: Kitchen-table talks.\n", "  notes: Kitchen-table talks.\n", "notes", "clarify-idea"),
    ("  clarify-idea:\n    status: done\n    date: 2025-06-20\n    notes: Kitchen-table talks.\n",
     "  clarify-idea:\n  status: done\n", "status", "clarify-idea"),
    ("    status: in-progress\n", "    status: in-progress\n  evidence: []\n", "evidence", "test-common-ground"),
])
def test_a_step_key_indented_as_a_step_is_one_problem(tmp_path, old, new, key, step):
    text = SYNTAX_BASE.replace(old, new, 1)
    path = write_record(tmp_path, text)
    problem = only_problem(tmp_path)
    line = text.split("\n").index(f"  {key}:" + text.split(f"\n  {key}:", 1)[1].split("\n", 1)[0]) + 1
    assert (problem.file, problem.line, problem.column) == (path, line, 3)
    assert problem.message == f"'{key}' belongs to the step '{step}' above it, but is indented as a step of its own"
    assert problem.fix == f"indent it by 4 spaces, under '{step}:' like the step's other keys"


def test_the_preview_leaves_special_files_out_of_what_mkdocs_reads(tmp_path):
    # While serving, the plugin shows the last good version; MkDocs must not be handed the pipe meanwhile.
    from mkdocs.structure.files import File, Files

    from msp_handbook.site_files import without_special_files

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("# Page\n", encoding="utf-8")
    os.mkfifo(docs / "pipe.md")
    (docs / "loop.md").symlink_to("loop.md")
    listed = Files([File(name, str(docs), str(tmp_path / "site"), True) for name in ("page.md", "pipe.md", "loop.md")])
    assert [file.src_uri for file in without_special_files(listed)] == ["page.md"]
    assert [p.message for p in sorted(files.special_files(docs), key=lambda problem: problem.file.name)] == [
        "is a symbolic link that leads round in a loop", "is a named pipe, not a file"]


def test_special_files_and_unreadable_folders_among_reviews_are_named(tmp_path, monkeypatch):
    write_record(tmp_path, "name: Demo\n")
    reviews = records_dir(tmp_path) / "demo" / "reviews"
    reviews.mkdir()
    os.mkfifo(reviews / "2025-03-14.yml")
    assert only_problem(tmp_path).message == "is a named pipe, not a file"
    (reviews / "2025-03-14.yml").unlink()
    refuse_listing(monkeypatch, reviews)
    problem = only_problem(tmp_path)
    assert (problem.file, problem.message) == (reviews, "cannot be read: Permission denied")


def test_a_repository_reached_through_a_link_or_dots_keeps_its_files_and_no_others(tmp_path):
    real = tmp_path / "real"
    (real / "records").mkdir(parents=True)
    (real / "records" / "mine.yml").write_text("name: Mine\n")
    (tmp_path / "outside.yml").write_text("name: Not mine\n")
    (real / "records" / "theirs.yml").symlink_to(tmp_path / "outside.yml")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    for root in (real, tmp_path / "link", real / "records" / "..", tmp_path / "link" / "records" / ".."):
        assert files.inside(root / "records" / "mine.yml", root) is None, root
        assert "outside the repository" in files.inside(root / "records" / "theirs.yml", root).message, root


@pytest.mark.parametrize("valid", [True, False])
@pytest.mark.parametrize("collecting", [True, False])
def test_loading_holds_off_cycle_collection_and_leaves_it_as_it_was(tmp_path, monkeypatch, valid, collecting):
    write_record(tmp_path, "name: Demo\n" if valid else "name: [Demo\n")
    during = []
    load_partnership = handbook_module.load_partnership
    monkeypatch.setattr(handbook_module, "load_partnership",
                        lambda *args, **kwargs: (during.append(gc.isenabled()), load_partnership(*args, **kwargs))[1])
    (gc.enable if collecting else gc.disable)()
    try:
        if valid:
            loaded(tmp_path)
        else:
            with pytest.raises(InvalidHandbook):
                loaded(tmp_path)
        assert (during, gc.isenabled()) == ([False], collecting)
    finally:
        gc.enable()
