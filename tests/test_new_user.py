"""What a new user meets first: the numbers and search results they read, and
documentation whose examples and templates match what the tools do."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from msp_handbook.cli import main
from msp_handbook.escaping import quantity
from msp_handbook.scaffold import new_practice

from sitebuild import REPO, Page, copy_project


# --- Numbers and units ------------------------------------------------------------


@pytest.mark.parametrize(("value", "unit", "shown"), [
    (2140, "households", "2,140\u00a0households"),
    (340, "items per 100 m", "340\u00a0items per 100 m"),
    (12.5, "km", "12.5\u00a0km"),
    (45, "%", "45%"),
    (7, None, "7"),
    (7, "  spaced  ", "7\u00a0spaced"),
])
def test_a_quantity_keeps_a_space_between_number_and_unit(value, unit, shown):
    assert str(quantity(value, unit)) == shown


def test_indicator_tables_never_glue_a_number_to_its_unit(site, handbook):
    seen = 0
    for partnership in handbook.partnerships:
        monitoring = Page(site / "partnerships" / partnership.slug / "monitoring" / "index.html")
        for indicator in partnership.indicators:
            if not indicator.unit or indicator.measure != "number":
                continue
            dates = {f"{actual.date.day} {actual.date:%B %Y}" for actual in indicator.actuals}
            cells = [row[1] for row in monitoring.rows if len(row) == 3 and row[0] in dates
                     and row[1].endswith(indicator.unit)]
            for cell in cells:
                assert re.fullmatch(r"[\d,.]+\s" + re.escape(indicator.unit), cell), cell
                seen += 1
        # Nowhere on the pages does a number run into a word ("2,140households").
        for page in ("index.html", "monitoring/index.html"):
            text = Page(site / "partnerships" / partnership.slug / page).article().replace("\u00a0", " ")
            assert not re.search(r"\d[a-z]{3,}", text), (partnership.slug, page)
    assert seen > 0


# --- Search -------------------------------------------------------------------------


def test_search_results_show_what_a_page_says_not_its_navigation(site, handbook):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    for partnership in handbook.partnerships:
        for name in ("", "stakeholders/", "cycle/", "governance/", "code-of-conduct/", "monitoring/", "log/"):
            for location, doc in docs.items():
                if location.split("#")[0] != f"partnerships/{partnership.slug}/{name}":
                    continue
                for navigation in ("Latest log entry", "No log entries yet", "Record last changed",
                                   "Overview · Stakeholders", "Stakeholders · Cycle"):
                    assert navigation not in doc["text"], f"{location}: {navigation}"
        if partnership.summary:
            overview = docs[f"partnerships/{partnership.slug}/"]["text"]
            assert overview.startswith("<p>" + " ".join(partnership.summary.split())[:40])
    for location, doc in docs.items():
        if location.startswith("practices/"):
            assert "By phase" not in doc["text"] and "By sector" not in doc["text"], location
    # Excluded from the index only: the tabs are still on the page.
    first = handbook.partnerships[0]
    assert ("stakeholders/", "Stakeholders") in Page(site / "partnerships" / first.slug / "index.html").links


# --- The MkDocs command ---------------------------------------------------------


# MkDocs as `.venv/bin/mkdocs` starts it: the notice depends on the program's name.
# NO_MKDOCS_2_WARNING is taken out after start-up, so neither the Makefile's
# variable nor anything in the environment can keep the notice away: only mkdocs.yml.
LOAD_AS_MKDOCS = """
import os, sys
os.environ.pop("NO_MKDOCS_2_WARNING", None)
sys.argv[0] = sys.argv[1]
from mkdocs.config import load_config
load_config(config_file=sys.argv[2])
"""


@pytest.mark.parametrize("quieted", [True, False])
def test_mkdocs_run_directly_prints_no_end_of_life_banner(tmp_path, quieted):
    """mkdocs.yml itself turns Material's notice off, for a fresh clone without `make setup` too."""
    config = tmp_path / "mkdocs.yml"
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "theme", tmp_path / "theme")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    line = "extra:\n  quiet_material: !!python/name:msp_handbook.quiet_material.NOTICE_OFF\n"
    assert line in text
    config.write_text(text if quieted else text.replace(line, ""), encoding="utf-8")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    env = {key: value for key, value in os.environ.items() if key != "NO_MKDOCS_2_WARNING"}
    result = subprocess.run([sys.executable, "-c", LOAD_AS_MKDOCS, str(mkdocs), str(config)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # Without the line the notice shows: the check would see it.
    assert ("end of life" in result.stderr) is not quieted, result.stderr


# --- Documentation that matches the tools -------------------------------------


def _shell_examples(document: Path) -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", document.read_text(encoding="utf-8"), re.S)
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md"])
def test_command_line_examples_work_without_activating_the_environment(document, tmp_path, monkeypatch):
    examples = [line for line in _shell_examples(REPO / document) if "msp-handbook" in line]
    assert examples
    project = copy_project(tmp_path / "handbook")
    monkeypatch.chdir(project)
    ran = 0
    for example in examples:
        program, *arguments = shlex.split(example)
        # Called by their path in .venv/bin (or through make), never as a bare name.
        assert program == ".venv/bin/msp-handbook", example
        if "[" in example:  # a synopsis such as `validate [PATH...]`, not a command to paste
            continue
        result = CliRunner().invoke(main, arguments, prog_name="msp-handbook")
        assert result.exit_code == 0, f"{example}\n{result.output}"
        ran += 1
    assert ran >= 4


def test_new_log_date_and_new_partnership_name_are_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"new log .* --date \d{4}-\d{2}-\d{2}", readme)
    assert "--date YYYY-MM-DD" in readme
    assert re.search(r'new partnership [a-z-]+ --name "', readme)


def test_contributing_shows_the_practice_template_that_new_practice_writes(tmp_path):
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = contributing.split("## c) Propose a good practice")[1].split("\n## ")[0]
    block = re.search(r"\n   ```markdown\n(.*?)\n   ```\n", section, re.S).group(1)
    shown = "\n".join(line.removeprefix("   ") for line in block.split("\n")) + "\n"
    title = yaml.safe_load(shown.split("---\n")[1])["title"]
    written = new_practice(tmp_path, title).read_text(encoding="utf-8")
    assert shown == written


def test_contributing_and_the_tag_list_agree_on_adding_a_tag():
    tags_comment = " ".join(line.lstrip("# ") for line in
                            (REPO / "content" / "practices" / "tags.yml").read_text(encoding="utf-8").splitlines()
                            if line.startswith("#"))
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = " ".join(contributing.split("## c) Propose a good practice")[1].split("\n## ")[0].split())
    # Both allow a new tag: added to tags.yml, with its meaning, in the practice's pull request.
    for text in (tags_comment, section):
        assert "tags.yml" in text or "this file" in text
        assert "same pull request" in text and "one-line meaning" in text
    assert "don't invent" not in section.lower() and "do not invent" not in section.lower()


# --- Tables ---------------------------------------------------------------------------


def test_every_table_cell_carries_its_column_label_for_the_phone_layout(site):
    cells = 0
    for path in site.rglob("index.html"):
        article = Page(path).html.split("<article", 1)[-1].split("</article>")[0]
        for table in re.findall(r"<table>.*?</table>", article, re.S):
            labels = [re.sub(r"<[^>]+>", "", th).strip() for th in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
                for column, attributes in enumerate(re.findall(r"<td([^>]*)>", row)):
                    if labels[column]:
                        assert f'data-label="{labels[column]}"' in attributes, f"{path}: {row[:200]}"
                        cells += 1
    assert cells > 1000


def test_long_runs_in_tables_may_wrap_and_nothing_else_is_marked():
    import markdown

    from msp_handbook.tables import LONG_RUN, TableLayoutExtension

    long_link = "https://example.org/" + "a" * LONG_RUN
    source = f"| Name | Link |\n|---|---|\n| Ordinary words only | see {long_link} and `{'x' * LONG_RUN}` |\n"
    output = markdown.markdown(source, extensions=["tables", TableLayoutExtension()])
    assert '<td data-label="Name">Ordinary words only</td>' in output
    assert f'see <span class="msp-long">{long_link}</span> and <code class="msp-long">' in output


# --- Steps and sub-steps -----------------------------------------------------------------


@pytest.mark.parametrize(("record", "step_shown", "substeps_shown"), [
    # The step's own record wins; unrecorded sub-steps finish with a finished step.
    ({"clarify-roles": "done"}, "done", ["done with the step"] * 3),
    ({"clarify-roles": "skipped"}, "skipped", ["skipped with the step"] * 3),
    ({"clarify-roles": "in-progress"}, "in-progress", ["not-started"] * 3),
    ({"clarify-roles": "done", "state-agreements": "skipped"}, "done",
     ["done with the step", "skipped", "done with the step"]),
    # Without a record of its own, the step sums up its sub-steps.
    ({}, "not-started", ["not-started"] * 3),
    ({"state-agreements": "done"}, "in-progress", ["not-started", "done", "not-started"]),
    ({"transparent-goals": "done", "state-agreements": "skipped", "steering-structure": "done"}, "done",
     ["done", "skipped", "done"]),
])
def test_how_a_step_and_its_substeps_relate(handbook, record, step_shown, substeps_shown):
    from msp_handbook.model import Partnership
    from msp_handbook.structure.progress import step_view

    partnership = Partnership.model_validate(
        {"name": "P", "cycle": {ident: {"status": status} for ident, status in record.items()}})
    view = step_view(partnership, handbook.cycle.phase("building").steps[1])
    assert view.step.id == "clarify-roles"
    assert view.status == step_shown
    assert [sub.status + (" with the step" if sub.with_step else "") for sub in view.substeps] == substeps_shown


def test_the_cycle_page_never_lists_a_substep_of_a_done_step_as_not_started(site, handbook):
    from msp_handbook.structure import cycle_progress

    checked = 0
    for partnership in handbook.partnerships:
        cycle_page = Page(site / "partnerships" / partnership.slug / "cycle" / "index.html")
        for phase in cycle_progress(partnership, handbook.cycle):
            for view in phase.steps:
                for sub in view.substeps:
                    status = cycle_page.row(sub.substep.title)[1]
                    if view.status == "done":
                        assert status != "Not started", (partnership.slug, sub.substep.id)
                    if sub.with_step:
                        assert status == f"{view.status.capitalize()} with the step"
                        checked += 1
    assert checked > 0


def test_each_step_lists_its_log_entries_and_the_log_names_the_substep(site, handbook):
    from msp_handbook.structure.progress import place_in_cycle

    substeps = 0
    for partnership in handbook.partnerships:
        cycle_page = Page(site / "partnerships" / partnership.slug / "cycle" / "index.html")
        log_page = Page(site / "partnerships" / partnership.slug / "log" / "index.html")
        for entry in partnership.log:
            place = place_in_cycle(handbook.cycle, entry.step) if entry.step else None
            if place is None:
                continue
            assert (f"../log/#{entry.anchor}", entry.title) in cycle_page.links
            assert (f"../cycle/#{place.ident}", place.title) in log_page.links
            assert place.ident in cycle_page.ids
            if place.substep:
                assert f"Cycle: {place.title}, a sub-step of {place.step.title}" in log_page.text
                assert f"{entry.title} (sub-step: {place.title})" in cycle_page.text
                substeps += 1
    assert substeps > 0


def test_a_done_step_with_an_unfinished_substep_is_a_warning_at_its_line(tmp_path, caplog, monkeypatch):
    from mkdocs.exceptions import Abort

    from sitebuild import build_site

    project = copy_project(tmp_path / "project", with_partnerships=False)  # the record below alone
    record = project / "partnerships" / "zz-contradiction" / "partnership.yml"
    record.parent.mkdir()
    record.write_text("name: Contradiction\ncycle:\n  clarify-roles:\n    status: done\n"
                      "  state-agreements:\n    status: in-progress\n", encoding="utf-8")
    message = ("partnerships/zz-contradiction/partnership.yml:4:13: step 'clarify-roles' is marked done, "
               "but its sub-step 'state-agreements' is in progress")
    fix = "fix: mark the sub-step done or skipped, or set the step back to in-progress"
    monkeypatch.chdir(project)
    checked = CliRunner().invoke(main, ["validate"], prog_name="msp-handbook")
    assert checked.exit_code == 0
    assert f"warning: {message}\n    {fix}" in checked.stdout
    assert CliRunner().invoke(main, ["validate", "--strict"], prog_name="msp-handbook").exit_code == 1
    with pytest.raises(Abort):
        build_site(project)
    assert message in caplog.text


# --- Practice pages ------------------------------------------------------------------


def _table_of_contents(page: Page) -> list[str]:
    # From the secondary sidebar's label to the article (the contents nest navs of their own).
    nav = page.html.split('aria-label="Table of contents"', 1)[1].split('class="md-content"', 1)[0]
    return [" ".join(text.split()) for text in re.findall(r'<span class="md-ellipsis">(.*?)</span>', nav, re.S)]


def test_practice_pages_list_their_own_headings_in_the_table_of_contents(site, handbook):
    for practice in handbook.practices:
        headings = [line.lstrip("#").strip() for line in practice.body.splitlines() if re.match(r"#{1,6} ", line)]
        assert headings, practice.slug
        contents = _table_of_contents(Page(site / "practices" / practice.slug / "index.html"))
        assert contents == [*headings, "Applied in"], practice.slug


def test_practice_headings_reach_the_contents_as_plain_text_and_nested_ones_stay_put(extended_site):
    page = Page(extended_site / "practices" / "zz-headings" / "index.html")  # conftest.EXTRA_SOURCES' page
    assert _table_of_contents(page) == ["&lt;script&gt;alert(1)&lt;/script&gt; Why {#evil}", "Deeper", "Applied in"]
    assert "<script>alert(1)" not in page.html and 'id="evil"' not in page.html
    assert re.search(r'<h2 id="[^"]*">&lt;script&gt;alert\(1\)&lt;/script&gt; Why \{#evil\}', page.html)
    assert re.search(r"<blockquote>\s*<h2>Quoted, not a section</h2>", page.html)
    assert ("../../guide/", "a link") in page.links
    assert "Before any heading." in page.text and "Last words." in page.text


# --- A mistake in each new kind of monitoring entry ------------------------------------

SLUG = "tamberu-taps-for-all"
RECORD = f"partnerships/{SLUG}/partnership.yml"
REVIEW = f"partnerships/{SLUG}/reviews/2026-09-24.yml"
# (file, the text as written, the same with a newcomer's mistake, where it is reported, what is said)
MONITORING_MISTAKES = [
    ("goal", RECORD, "    level: output\n    serves: [kiosk-association", "    level: outputs\n    serves: [kiosk-association",
     "level: outputs", "'outputs' is not a valid 'goals[4].level' — did you mean 'output'?"),
    ("indicator", RECORD, "    measure: number\n    unit: shillings", "    measure: numbr\n    unit: shillings",
     "measure: numbr", "'numbr' is not a valid 'indicators[3].measure' — did you mean 'number'?"),
    ("actual", RECORD, "        value: 45.5\n", "        value: 145.5\n",
     "value: 145.5", "'indicators[2].actuals[3].value' is '145.5', but a percentage lies between 0 and 100"),
    ("review", REVIEW, "  city-hall: {trust-communication: green,", "  city-hall: {trust-communication: gren,",
     "trust-communication: gren", "'gren' is not a valid 'ratings.city-hall.trust-communication' — did you mean"),
    ("ledger entry", RECORD, "amount: 38000, currency: USD}", "amount: 38000, currency: dollars}",
     "currency: dollars", "'dollars' is not a currency code"),
    ("feedback entry", RECORD, "    channel: message\n", "    channel: sms\n",
     "channel: sms", "'sms' is not a valid 'feedback[3].channel'"),
]


def test_a_mistake_in_each_new_kind_of_entry_is_reported_at_its_place_with_a_fix(tmp_path, monkeypatch):
    from test_validation import at

    project = copy_project(tmp_path / "project")
    written: dict[str, str] = {}
    for _, name, old, new, _, _ in MONITORING_MISTAKES:
        text = written.get(name) or (project / name).read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        written[name] = text.replace(old, new)
    for name, text in written.items():
        (project / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    reported = result.stdout.split("error: ")[1:]
    assert len(reported) == len(MONITORING_MISTAKES), result.stdout  # each once, all at once
    for kind, name, _, _, where, message in MONITORING_MISTAKES:
        line, column = at(written[name], where, after=": ")
        found = [text for text in reported if text.startswith(f"{name}:{line}:{column}: ")]
        assert len(found) == 1, f"{kind}: nothing reported at {name}:{line}:{column}\n{result.stdout}"
        assert message in found[0] and "\n    fix: " in found[0], f"{kind}: {found[0]}"
