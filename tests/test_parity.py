"""`msp-handbook validate` and `mkdocs build` give the same verdict, and a refused build keeps site/.

Each input runs through both commands as a user would type them (each in a
process of its own, see commands.py); the verdict (passes or fails) and the located message must
agree, and a failed build must leave the previous site/ byte for byte.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Callable

import pytest

import commands
import msp_handbook
from sitebuild import copy_project

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
SLUG = "tamberu-taps-for-all"
# The page templates the plugin ships, which a site may copy into its custom_dir and change.
SOURCE_TEMPLATES = Path(msp_handbook.__file__).parent / "templates"
LOG = f"partnerships/{SLUG}/log/2020-01-01-broken-link.md"


def write(project: Path, relative: str, text: str) -> None:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def edit_config(project: Path, old: str, new: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


def clash(project: Path) -> None:
    write(project, "content/partnerships/index.md", "# My own list\n")


def clash_through_readme(project: Path) -> None:
    # Published at the same URL as the generated overview, though named differently.
    write(project, f"content/partnerships/{SLUG}/README.md", "# Mine\n")


def broken_field_link(project: Path) -> None:
    write(project, LOG, "---\ndate: 2020-01-01\ntitle: Notes\n---\n\nSee [the notes](../../nowhere.md).\n")


REVIEW = f"partnerships/{SLUG}/reviews/2026-09-24.yml"
PRACTICE = "content/practices/check-who-carries-the-costs.md"


def broken_review_link(project: Path) -> None:
    # validate renders only the pages of records with a link in a Markdown field (see verdict_pages.py):
    # one case per kind of field, each shown on other pages.
    write(project, REVIEW, (project / REVIEW).read_text().replace(
        "statement: |-\n", "statement: |-\n  See [the notes](../nowhere.md).\n", 1))


def broken_notes_link(project: Path) -> None:
    record = f"partnerships/{SLUG}/partnership.yml"
    write(project, record, (project / record).read_text().replace(
        "    notes: The idea was presented", "    notes: See [the notes](../nowhere.md). The idea was presented", 1))


def broken_practice_link(project: Path) -> None:
    append(project, PRACTICE, "\nSee [the notes](nowhere.md).\n")


def broken_template_override(project: Path) -> None:
    # A site's own version of one of the page templates, with a Jinja syntax error.
    write(project, "theme/partnerships/_log.html", "{% if %}broken\n")


def failing_template_override(project: Path) -> None:
    write(project, "theme/partnerships/overview.html", "# Overview\n\n{{ partnership.no_such_field.name }}\n")


def template_override_with_a_broken_link(project: Path) -> None:
    # A site's own overview section writing a Markdown link to no page: MkDocs checks it on every page made with it.
    template = (SOURCE_TEMPLATES / "partnerships" / "_overview.html").read_text(encoding="utf-8")
    write(project, "theme/partnerships/_overview.html", template + "\nSee [the missing page](missing.md).\n")


def broken_links_at_info(project: Path) -> None:
    # Links to no page in a record's Markdown field and in a hand-written page, the level set to info: both pass.
    broken_field_link(project)
    broken_page_link(project)
    edit_config(project, "    not_found: warn", "    not_found: info")


def append(project: Path, relative: str, text: str) -> None:
    path = project / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def broken_page_link(project: Path) -> None:
    # A hand-written page: MkDocs checks its links while building, validate runs the same check.
    append(project, "content/guide/index.md", "\nSee [the notes](nowhere.md).\n")


def broken_page_anchor(project: Path) -> None:
    append(project, "content/guide/index.md", "\nSee [step one](exploration.md#no-such-heading).\n")


def records_from_env(project: Path) -> None:
    # `!ENV` picks the records folder: a copy holding a broken record.
    (project / "partnerships").rename(project / "records")
    write(project, f"records/{SLUG}/partnership.yml",
          (project / f"records/{SLUG}/partnership.yml").read_text().replace("stakeholders:", "stakholders:", 1))
    edit_config(project, "      records_dir: partnerships\n", "      records_dir: !ENV [MSP_TEST_RECORDS, partnerships]\n")


def future_log_entry(project: Path) -> None:
    write(project, f"partnerships/{SLUG}/log/2999-01-01-typo.md", "---\ndate: 2999-01-01\ntitle: Typo\n---\nBody\n")


def misspelt_option(project: Path) -> None:
    edit_config(project, "      records_dir: partnerships\n", "      records_dri: partnerships\n")


def error_beside_a_warning(project: Path) -> None:
    # A doubt about the record (no goal serves a stakeholder) is still reported when a review is broken.
    record = f"partnerships/{SLUG}/partnership.yml"
    write(project, record, (project / record).read_text().replace(
        "serves: [tamberu-water, aquameter, tpu-civil]", "serves: [tamberu-water, tpu-civil]", 1))
    review = f"partnerships/{SLUG}/reviews/2026-09-24.yml"
    write(project, review, (project / review).read_text().replace("next_review: 2027-03-25", "next_review: 2026-09-01"))


def nothing(project: Path) -> None:
    pass


PAGE_LINK = "contains a link 'nowhere.md', but the target 'guide/nowhere.md' is not found"
FIELD_LINK = f"{LOG}:6:17: the link '../../nowhere.md' leads to no page"

# (change, passes, the locations printed by both; none when nothing is reported)
CASES: list[tuple[Callable[[Path], None], bool, tuple[str, ...]]] = [
    (nothing, True, ()),
    (clash, False, ("content/partnerships/index.md: clashes with the page",)),
    (clash_through_readme, False, (f"content/partnerships/{SLUG}/README.md: clashes with the page",)),
    (broken_field_link, False, (FIELD_LINK,)),
    (broken_review_link, False, (f"{REVIEW}:27:19: the link '../nowhere.md' leads to no page",)),
    (broken_notes_link, False, (f"partnerships/{SLUG}/partnership.yml:272:28: the link '../nowhere.md' leads",)),
    (broken_practice_link, False, (f"{PRACTICE}:37:17: the link 'nowhere.md' leads to no page",)),
    (broken_template_override, False, ("theme/partnerships/_log.html:1:1: the page template has a syntax error",)),
    (failing_template_override, False, ("theme/partnerships/overview.html:3:1: the page template cannot be rendered",)),
    (template_override_with_a_broken_link, False, ("contains a link 'missing.md', but the target 'partnerships/",)),
    (broken_links_at_info, True, (FIELD_LINK, PAGE_LINK)),
    (broken_page_link, False, (PAGE_LINK,)),
    (broken_page_anchor, False, ("does not contain an anchor '#no-such-heading'",)),
    (records_from_env, False, (f"records/{SLUG}/partnership.yml:",)),
    (future_log_entry, False, (f"partnerships/{SLUG}/log/2999-01-01-typo.md:2:1: log entry is dated 2999-01-01",)),
    (misspelt_option, False, ("option 'records_dri': Unrecognised configuration name",)),
    (error_beside_a_warning, False, ("no goal serves the interests of stakeholder 'aquameter'",)),
]
# Every other change is to SLUG's files or to the site's own pages and options, so both commands read a
# copy with SLUG alone (copy_project(only=...)), about half a build. These two need the whole example:
# it must pass both as it is, and its practices name the other partnerships.
WHOLE_EXAMPLE = (nothing, broken_practice_link)


@pytest.mark.parametrize(("change", "passes", "locations"), CASES, ids=[case[0].__name__ for case in CASES])
def test_validate_and_a_strict_build_agree_and_a_refused_build_keeps_the_site(tmp_path, change, passes, locations):
    project = copy_project(tmp_path / "project", only=None if change in WHOLE_EXAMPLE else SLUG)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good site\n")
    change(project)
    env = {**ENV, "MSP_TEST_RECORDS": "records"}
    validate = commands.run(["msp-handbook", "validate", "--strict"], cwd=project, env=env, timeout=300)
    build = commands.run(["mkdocs", "build", "--strict"], cwd=project, env=env, timeout=300)
    assert (validate.returncode == 0, build.returncode == 0) == (passes, passes), validate.stdout + build.stderr
    for output in (validate.stdout + validate.stderr, build.stderr):
        assert "Traceback" not in output
        for location in locations:
            assert location in output, output
    if not passes:
        assert [path.name for path in site.iterdir()] == ["index.html"]
        assert (site / "index.html").read_text() == "the last good site\n"


def test_validate_places_a_broken_link_of_a_template_override_in_the_override(tmp_path):
    project = copy_project(tmp_path / "project", only=SLUG)
    template_override_with_a_broken_link(project)
    validate = commands.run(["msp-handbook", "validate", "--strict"], cwd=project, env=ENV, timeout=300)
    # The link is on the line added after the shipped template, after "See [the missing page](".
    line = len((SOURCE_TEMPLATES / "partnerships" / "_overview.html").read_text(encoding="utf-8").splitlines()) + 2
    assert f"theme/partnerships/_overview.html:{line}:24: contains a link 'missing.md'" in validate.stdout, validate.stdout
    assert "fix the link in your page template" in validate.stdout


def test_validate_is_strict_when_the_site_configuration_says_so(tmp_path):
    project = copy_project(tmp_path / "project", only=SLUG)
    future_log_entry(project)
    edit_config(project, "strict: false", "strict: true")
    validate = commands.run(["msp-handbook", "validate"], cwd=project, env=ENV, timeout=300)
    build = commands.run(["mkdocs", "build"], cwd=project, env=ENV, timeout=300)
    assert validate.returncode == build.returncode == 1


def test_validate_reads_the_configuration_through_inherit(tmp_path):
    project = copy_project(tmp_path / "project", only=SLUG)
    (project / "partnerships").rename(project / "records")
    config = project / "mkdocs.yml"
    base = config.read_text().replace("      records_dir: partnerships\n", "      records_dir: records\n")
    (project / "base.yml").write_text(base)
    config.write_text("INHERIT: base.yml\n")
    write(project, f"records/{SLUG}/log/2999-01-01-typo.md", "---\ndate: 2999-01-01\ntitle: Typo\n---\nBody\n")
    validate = commands.run(["msp-handbook", "validate"], cwd=project, env=ENV, timeout=300)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert f"warning: records/{SLUG}/log/2999-01-01-typo.md:2:1" in validate.stdout


def test_validate_refuses_a_site_without_the_partnerships_plugin(tmp_path):
    project = copy_project(tmp_path / "project", only=SLUG)
    edit_config(project, "  - partnerships:\n", "  - tags:\n")
    edit_config(project, "      records_dir: partnerships\n", "")
    result = commands.run(["msp-handbook", "validate"], cwd=project, env=ENV, timeout=300)
    assert result.returncode == 1
    assert "does not use the partnerships plugin: add `- partnerships` under `plugins:`" in result.stderr


# --- validate PATH finds the handbook PATH belongs to ---------------------------


def run_validate(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return commands.run(["msp-handbook", "validate", *args], cwd=cwd, env=ENV, timeout=300)


def test_validate_path_in_another_handbook_checks_that_handbook(tmp_path):
    here = copy_project(tmp_path / "here", only=SLUG)
    other = copy_project(tmp_path / "other", only=SLUG)
    record = other / "partnerships" / SLUG / "partnership.yml"
    record.write_text(record.read_text().replace("stakeholders:", "stakholders:", 1))
    result = run_validate(here, str(record))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "unknown key 'stakholders'" in result.stdout
    assert f"{record}:" in result.stdout or f"../other/partnerships/{SLUG}/partnership.yml:" in result.stdout


def test_validate_refuses_paths_from_two_handbooks(tmp_path):
    here = copy_project(tmp_path / "here", only=SLUG)
    other = copy_project(tmp_path / "other", only=SLUG)
    result = run_validate(here, "partnerships", str(other / "partnerships"))
    assert result.returncode == 1
    assert "belong to different handbooks" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_refuses_a_path_its_handbook_does_not_read(tmp_path):
    here = copy_project(tmp_path / "here", only=SLUG)
    # A handbook without its own mkdocs.yml inside this one: not this handbook's records.
    stray = here / "drafts" / "partnerships" / SLUG / "partnership.yml"
    stray.parent.mkdir(parents=True)
    stray.write_text("sumary: not a record of this handbook\n")
    result = run_validate(here, str(stray.relative_to(here)))
    assert result.returncode == 1
    assert "is not part of the handbook configured in" in result.stderr
    assert "No problems" not in result.stderr


def test_validate_refuses_a_path_outside_any_handbook(tmp_path):
    here = copy_project(tmp_path / "here", only=SLUG)
    outside = tmp_path / "loose.yml"
    outside.write_text("name: Loose\n")
    result = run_validate(here, str(outside))
    assert result.returncode == 1
    assert "is not inside a handbook" in result.stderr


# --- make serve takes another address -----------------------------------------


@pytest.mark.parametrize(("variables", "address"), [([], "127.0.0.1:8000"), (["PORT=8001"], "127.0.0.1:8001"),
                                                     (["ADDR=0.0.0.0:9000"], "0.0.0.0:9000")])
def test_make_serve_takes_another_port_or_address(variables, address):
    repo = Path(__file__).resolve().parent.parent
    dry_run = subprocess.run(["make", "-n", "-o", ".venv/.installed", "serve", *variables], cwd=repo,
                             capture_output=True, text=True, timeout=60)
    assert dry_run.returncode == 0, dry_run.stderr
    assert f"mkdocs serve --dev-addr {address}" in dry_run.stdout


def test_every_plugin_option_is_typed_and_documented():
    """Each option in config.py carries a MkDocs type and a docstring right under it."""
    import ast
    import inspect

    from mkdocs.config.base import BaseConfigOption

    from msp_handbook import config

    tree = ast.parse(inspect.getsource(config.PartnershipsConfig))
    body = tree.body[0].body
    options = {}
    for index, node in enumerate(body):
        if isinstance(node, ast.Assign):
            following = body[index + 1] if index + 1 < len(body) else None
            docstring = following.value.value if isinstance(following, ast.Expr) else None
            options[node.targets[0].id] = docstring
    assert {"records_dir", "cycle_file", "practices_dir"} <= set(options)
    for name, docstring in options.items():
        assert isinstance(docstring, str) and docstring.strip(), name
        assert isinstance(getattr(config.PartnershipsConfig, name), BaseConfigOption), name


def value_at(project: Path, option: str, config: str = "mkdocs.yml") -> str:
    """`config:line:col` of the value of `option` in the project's `config` (a path from its folder)."""
    lines = (project / config).read_text(encoding="utf-8").splitlines()
    number, line = next((number, line) for number, line in enumerate(lines, 1) if line.strip().startswith(f"{option}:"))
    return f"{config}:{number}:{line.index(option) + len(option) + 3}"


# (options set to wrong values, what each one's message says), the first one replacing the example's value.
BAD_OPTIONS = [
    ({"site_feed_entries": "lots"}, ("expected a whole number of entries above 0, not 'lots'",)),
    ({"freshness_log_amber_days": "0", "site_feed_entries": "lots", "freshness_actual_red_days": "100"},
     ("expected a whole number of days above 0, not 0", "expected a whole number of entries above 0, not 'lots'",
      "must be more than freshness_actual_amber_days (120)")),
    # A misspelt name is only a warning, which MkDocs drops once an option fails: it is listed with the errors.
    ({"site_feed_entries": "0", "freshness_log_amber_dayz": "20"},
     ("expected a whole number of entries above 0, not 0", "is not one of its options, so it is ignored")),
]


@pytest.mark.parametrize(("options", "messages"), BAD_OPTIONS, ids=["one", "three", "with-a-misspelt-name"])
def test_every_bad_plugin_option_is_located_by_validate_and_the_build(tmp_path, options, messages):
    project = copy_project(tmp_path / "project", only=SLUG)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good site\n")
    for option, value in options.items():
        config = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
        kept = [line for line in config if line.strip().split(":")[0] != option]
        (project / "mkdocs.yml").write_text("\n".join(kept) + "\n", encoding="utf-8")
        edit_config(project, "      records_dir: partnerships\n", f"      records_dir: partnerships\n      {option}: {value}\n")
    validate = commands.run(["msp-handbook", "validate"], cwd=project, env=ENV, timeout=300)
    build = commands.run(["mkdocs", "build"], cwd=project, env=ENV, timeout=300)
    assert validate.returncode == build.returncode == 1, validate.stdout + build.stderr
    assert f"{len(options)} error" in validate.stderr
    for output in (validate.stdout + validate.stderr, build.stderr):
        assert "Traceback" not in output
        for option, message in zip(options, messages, strict=True):
            located = f"{value_at(project, option)}: option {option} of the partnerships plugin: {message}"
            assert located in output, output
        assert output.count("\n    fix: ") == len(options), output
        assert ("did you mean `freshness_log_amber_days`?" in output) == ("freshness_log_amber_dayz" in options)
    assert [path.name for path in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text() == "the last good site\n"


def test_a_bad_plugin_option_set_through_inherit_is_located_in_the_file_that_sets_it(tmp_path):
    # mkdocs.yml inherits shared/base.yml, which sets the bad value; mkdocs.yml's own bad value
    # overrides a good one of the base's (MkDocs merges the child over the parent).
    project = copy_project(tmp_path / "project", only=SLUG)
    edit_config(project, "      records_dir: partnerships\n",
                "      records_dir: partnerships\n      site_feed_entries: 0\n      freshness_log_amber_days: 5\n")
    (project / "shared").mkdir()
    base = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # Plugins as a mapping, as MkDocs asks for options to be merged from both files.
    (project / "shared" / "base.yml").write_text(base.replace("  - search\n  - partnerships:\n",
                                                              "  search: {}\n  partnerships:\n"), encoding="utf-8")
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").write_text("INHERIT: shared/base.yml\nplugins:\n  partnerships:\n"
                                        "    freshness_log_amber_days: none\n", encoding="utf-8")
    validate = commands.run(["msp-handbook", "validate"], cwd=project, env=ENV, timeout=300)
    build = commands.run(["mkdocs", "build"], cwd=project, env=ENV, timeout=300)
    assert validate.returncode == build.returncode == 1
    in_base = value_at(project, "site_feed_entries", "shared/base.yml")
    for output in (validate.stdout + validate.stderr, build.stderr):
        assert "Traceback" not in output
        assert f"{in_base}: option site_feed_entries of the partnerships plugin: expected a whole number" in output, output
        assert "mkdocs.yml:4:31: option freshness_log_amber_days of the partnerships plugin" in output, output
        assert output.count("fix: write a whole number above 0") == 2
