"""`msp-handbook validate` renders only the generated pages that can change the verdict (verdict_pages.py).

The rule is held to the templates: every page rendered with each relative
field link counted, only pages the rule chooses report any; and the checks
with and without the shortcut give the same problems, for a link planted in
each kind of Markdown field, and when the site overrides a template.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from msp_handbook.field_markdown import convert
from msp_handbook.project import Project
from msp_handbook.field_markdown import FieldLinks
from msp_handbook.render import render_page
from msp_handbook.site import check_site, templates_for
from msp_handbook.handbook import load_handbook
from msp_handbook.structure import handbook_pages
from msp_handbook.verdict_pages import could_hold_a_link, pages_to_render

from hostile import HOSTILE, HOSTILE_MARKDOWN, HOSTILE_URL
from sitebuild import copy_project

ALDER, SARVANA, TAMBERU = "alder-valley-community-energy", "sarvana-fair-garments", "tamberu-taps-for-all"
PRACTICE = "content/practices/check-who-carries-the-costs.md"


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, relative
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def plant_links(project: Path) -> None:
    """A broken and a working relative link in each kind of Markdown field, each in another record."""
    (project / f"partnerships/{TAMBERU}/log/2026-06-01-links.md").write_text(
        "---\ndate: 2026-06-01\ntitle: Links\n---\n\nSee [nothing](../../nowhere-log.md) "
        "and [the guide](../../guide/index.md).\n", encoding="utf-8")
    edit(project, f"partnerships/{ALDER}/partnership.yml", "    notes: Evening",
         "    notes: Evening. See [nothing](../nowhere-notes.md) and [the guide](../../guide/index.md). ")
    edit(project, f"partnerships/{SARVANA}/reviews/2025-11-13.yml", "statement: |-\n",
         "statement: |-\n  See [nothing](../nowhere-review.md) and [the guide](../../guide/index.md).\n")
    path = project / PRACTICE
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [nothing](nowhere-practice.md) and "
                    "[the guide](../guide/index.md).\n", encoding="utf-8")


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("planted") / "project")
    plant_links(project)
    return Project.read(project / "mkdocs.yml")


def test_only_pages_the_rule_chooses_report_field_links(planted):
    """Rendered one by one, with every link to a page the handbook does not generate counted as
    broken (the hand-written guide too), the pages reporting any are among those the rule renders."""
    handbook = load_handbook(planted.records_dir, planted.cycle_file, root=planted.root,
                             practices_dir=planted.practices_dir, building_blocks=planted.building_blocks)
    pages = handbook_pages(handbook, planted.practices_uri)
    generated = {page.src_uri for page in pages}
    templates = templates_for(planted.config)
    templates.globals["feedback_url_pattern"] = planted.feedback_url
    reporting = set()
    written = set()
    for page in pages:
        links = FieldLinks(lambda page_uri, docs_path: "x" if docs_path in generated else None)
        render_page(templates, page, links)
        if links.broken:
            reporting.add(page.src_uri)
            written.update(link.written for link in links.broken)
    chosen = {page.src_uri for page, render in zip(pages, pages_to_render(pages), strict=True) if render}
    assert reporting <= chosen
    # Not vacuous: each planted link was reported, on its partnership's pages and the practice's.
    assert {"../../nowhere-log.md", "../nowhere-notes.md", "../nowhere-review.md", "nowhere-practice.md",
            "../../guide/index.md", "../guide/index.md"} <= written
    assert {f"partnerships/{slug}/dossier.md" for slug in (ALDER, SARVANA, TAMBERU)} <= reporting
    assert "practices/check-who-carries-the-costs.md" in reporting
    # And the shortcut leaves something out: pages of no partnership or practice are never rendered.
    assert "partnerships/index.md" not in chosen and "reference/index.md" not in chosen


def test_validate_finds_the_same_problems_without_rendering_every_page(planted):
    full, short = check_site(planted), check_site(planted, verdict_only=True)
    assert short.unrendered  # the shortcut was taken
    assert (short.errors, short.warnings, short.notes) == (full.errors, full.warnings, full.notes)
    broken = [problem.message for problem in full.warnings if "leads to no page" in problem.message]
    assert len(broken) >= 4, full.warnings


def test_pages_left_unrendered_are_rendered_as_the_build_renders_them(planted):
    full, short = check_site(planted), check_site(planted, verdict_only=True)
    for before, after in zip(full.pages, short.pages, strict=True):
        assert short.rendered(after).content_string == before.content_string
    assert not short.unrendered


def test_a_site_overriding_a_template_gets_every_page_rendered(tmp_path, planted):
    project = copy_project(tmp_path / "project")
    templates = templates_for(Project.read(project / "mkdocs.yml").config)
    original = Path(templates.loader.get_source(templates, "partnerships/list.html")[1])
    override = project / "theme" / "partnerships" / "list.html"
    override.parent.mkdir(parents=True)
    # An override can print a field on any page (here every log entry on the dashboard): none is left out.
    override.write_text(original.read_text(encoding="utf-8") + "{% for p in handbook.partnerships %}"
                        "{% for entry in p.log %}{{ entry.body|markdown(entry.source) }}{% endfor %}{% endfor %}\n")
    plant_links(project)
    handbook_project = Project.read(project / "mkdocs.yml")
    full, short = check_site(handbook_project), check_site(handbook_project, verdict_only=True)
    assert not short.unrendered
    assert (short.errors, short.warnings, short.notes) == (full.errors, full.warnings, full.notes)
    # The dashboard's copies of the broken link are reported too.
    assert _count("nowhere-log", full.warnings) > _count("nowhere-log", check_site(planted).warnings)


def _count(text: str, problems: list) -> int:
    return sum(text in problem.message for problem in problems)


def test_the_verdict_does_not_depend_on_the_pages_left_out_in_a_handbook_without_field_links(example_project):
    project = Project.read(example_project / "mkdocs.yml")
    full, short = check_site(project), check_site(project, verdict_only=True)
    assert len(short.unrendered) == len(short.pages)  # the example has no link in its fields
    assert (short.errors, short.warnings, short.notes) == (full.errors, full.warnings, full.notes)


@pytest.mark.parametrize("text", [HOSTILE, HOSTILE_MARKDOWN, HOSTILE_URL, "[a](b.md)", "![i](x.png)", "[a][r]\n\n[r]: b.md",
                                  "<b.md>", "<http://x>", "a\\[b](c)"])
def test_every_text_the_converter_finds_a_relative_link_in_is_caught(text):
    if convert(text)[1]:
        assert could_hold_a_link(text)


def test_could_hold_a_link_looks_through_private_fields(loaded_handbook):
    partnership = next(p for p in loaded_handbook.partnerships if not could_hold_a_link(p))
    entry = partnership.log[0]  # a log entry's body is a private attribute of a private attribute
    body, entry._body = entry._body, "See [x](y.md)."
    try:
        assert could_hold_a_link(partnership)
    finally:
        entry._body = body
