"""The printable dossier: every section of a partnership on one page, dated and sourced."""

from __future__ import annotations

import datetime as dt
import gc
import html
import json
import re
import weakref

import pytest

from msp_handbook.charts import chartable
from msp_handbook.clock import build_date
from msp_handbook.handbook import load_handbook
from msp_handbook.structure.pages import DOSSIER_LOG_ENTRIES, DOSSIER_SECTIONS

from conftest import DOSSIER_EPOCH as EPOCH  # the dossier_project's build date
from sitebuild import Page, copy_project, planned_pages



def test_build_date_follows_source_date_epoch_else_today(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert build_date().date() == dt.date(2027, 1, 17)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date().date() == dt.datetime.now(tz=dt.timezone.utc).date()


def test_dossier_has_every_section_with_its_source_and_the_build_date(dossier_project):
    project, site = dossier_project, dossier_project / "site"
    handbook = load_handbook(project / "partnerships", practices_dir=project / "content" / "practices")
    assert handbook.partnerships
    assert any(len(partnership.log) > DOSSIER_LOG_ENTRIES for partnership in handbook.partnerships)
    for partnership in handbook.partnerships:
        dossier = Page(site / "partnerships" / partnership.slug / "dossier" / "index.html")
        text = dossier.article()
        assert "Built on 17 January 2027" in text
        headings = [attributes.get("id") for tag, attributes in dossier.elements
                    if tag == "h2" and "msp-dossier-section" in (attributes.get("class") or "")]
        assert headings == [f"dossier-{name}" for name, _ in DOSSIER_SECTIONS]
        for _, title in DOSSIER_SECTIONS:
            assert title in text
        record = f"partnerships/{partnership.slug}/partnership.yml"
        assert text.count(f"Source: {record}") == len(DOSSIER_SECTIONS) - (1 if partnership.log else 0)
        edits = {href for href, label in dossier.links if label == "edit"}
        assert any(href.endswith(record) for href in edits)
        # The recent log: the newest entries, each named by its own file, none older.
        public = [entry for entry in partnership.log if entry.visibility != "partners"]  # the public build's log
        recent, older = public[:DOSSIER_LOG_ENTRIES], public[DOSSIER_LOG_ENTRIES:]
        for entry in recent:
            assert entry.anchor in dossier.ids
            assert f"partnerships/{partnership.slug}/log/{entry.source.name}" in text
        for entry in older:
            assert entry.anchor not in dossier.ids
        assert_monitoring_section(dossier, partnership)
        # Shared partials, not copies: the stakeholders' and the code's content is all there.
        for stakeholder in partnership.stakeholders:
            assert stakeholder.id in dossier.ids
        if partnership.code_of_conduct:
            assert "not-endorsed" in dossier.ids


def section_html(page: Page, name: str) -> str:
    """The HTML of one dossier section: from its heading to the next section's."""
    start = page.html.index(f'id="dossier-{name}"')
    end = page.html.find("msp-dossier-section", start + 1)
    return page.html[start:end if end > 0 else len(page.html)]


def assert_monitoring_section(dossier: Page, partnership) -> None:
    """Goals, alignment, indicators with charts and tables, the latest review grid, ledger and feedback."""
    section = section_html(dossier, "monitoring")
    slug = partnership.slug
    # Written from the record and each review file, every one named with its edit link.
    for path in [f"partnerships/{slug}/partnership.yml"] + [f"partnerships/{slug}/reviews/{review.source.name}"
                                                              for review in partnership.reviews]:
        assert f"<code>{path}</code> (<a href=" in section, path
    # One heading level below the section's own, as in every other section.
    for ident in ("freshness", "goals", "indicators", "reviews", "cooperation-rent", "feedback"):
        assert f'<h3 id="{ident}"' in section, ident
    assert '<h4 id="alignment"' in section
    for goal in partnership.goals:
        assert f'<h4 id="goal-{goal.id}"' in section
    for indicator in partnership.indicators:
        assert f'<h4 id="indicator-{indicator.id}"' in section
        # The chart and, beside it, the same numbers in a table (one row per actual).
        if chartable(indicator):
            assert f'aria-labelledby="chart-{indicator.id}-title' in section, indicator.id
        table = section[section.index(f'id="indicator-{indicator.id}"'):]
        table = table[table.index("<table"):table.index("</table>")]
        assert table.count("Reported by") == len(indicator.actuals)
    assert sum(chartable(indicator) for indicator in partnership.indicators) >= 3
    assert 'class="msp-review-grid"' in section and partnership.reviews
    assert 'id="rent-by-stakeholder"' in section and partnership.feedback
    for entry in partnership.feedback:
        if entry.visibility == "partners":
            continue  # not in the public build
        assert entry.said[:40] in html.unescape(re.sub(r"<[^>]+>", "", section))


def test_person_global_writes_what_the_person_macro_writes(handbook):
    # The kept names (render.PersonLinks) against the macro itself, for every person of
    # every partnership, from a tab and from the dossier (same folder, other page).
    from msp_handbook.render import environment, new_build
    from msp_handbook.urls import SitePaths

    env = environment()
    new_build(env)
    both = env.from_string('{% from "partnerships/_person.html" import person as macro with context %}'
                           "{% for ident in idents %}{{ macro(partnership, ident) }}|{{ person(partnership, ident) }}\n"
                           "{% endfor %}")
    for partnership in handbook.partnerships:
        idents = [s.id for s in partnership.stakeholders] + [f.id for f in partnership.facilitators] + ["nobody"]
        for page in ("governance", "dossier"):
            lines = both.render(partnership=partnership, idents=idents, urls=SitePaths(),
                                page_uri=f"partnerships/{partnership.slug}/{page}.md").splitlines()
            assert len(lines) == len(idents)
            for line in lines:
                by_macro, by_global = line.split("|")
                assert by_macro == by_global
            assert any("](stakeholders.md#" in line for line in lines)


def test_person_global_follows_the_page_and_the_partnership_from_call_to_call(handbook):
    # PersonLinks keeps the last page's folder and the last partnership's slug between calls:
    # pages of other folders and partnerships taking turns must still get their own links.
    from msp_handbook.render import environment, new_build
    from msp_handbook.urls import SitePaths

    env = environment()
    new_build(env)
    both = env.from_string('{% from "partnerships/_person.html" import person as macro with context %}'
                           "{{ macro(partnership, ident) }}|{{ person(partnership, ident) }}")
    first, second = handbook.partnerships[:2]
    turns = [(first, f"partnerships/{first.slug}/governance.md"), (second, f"partnerships/{second.slug}/governance.md"),
             (first, "partnerships/index.md"), (first, f"partnerships/{first.slug}/dossier.md"), (second, "index.md"),
             (second, "partnerships/list.md")]
    seen = set()
    for partnership, page_uri in turns:
        ident = partnership.stakeholders[0].id
        by_macro, by_global = both.render(partnership=partnership, ident=ident, urls=SitePaths(),
                                          page_uri=page_uri).split("|")
        assert by_macro == by_global
        seen.add(by_global)
    assert len(seen) == 5  # the two pages of one folder share a link; every other turn has its own
    # The macro's module kept is the one bound to the last folder's page.
    assert env.globals["person"].module[0] == "partnerships"


def test_person_global_lets_go_of_a_partnership_once_the_next_one_is_written(handbook):
    # A build writes every partnership's pages in turn. Had PersonLinks kept a module per page
    # folder, each bound to a page's variables, every partnership's model would live until the
    # build ended (15 MB more at N = 100 in make bench, growing with N).
    from msp_handbook.render import environment, new_build
    from msp_handbook.urls import SitePaths

    env = environment()
    new_build(env)
    page = env.from_string("{{ person(partnership, ident) }}")
    first, second = (partnership.model_copy() for partnership in handbook.partnerships[:2])
    for partnership in (first, second):
        page.render(partnership=partnership, ident=partnership.stakeholders[0].id, urls=SitePaths(),
                    page_uri=f"partnerships/{partnership.slug}/governance.md")
    first_written = weakref.ref(first)
    del first, partnership
    gc.collect()
    assert first_written() is None
    assert env.globals["person"].partnership[0] is second  # the current one is kept, as it is asked again


def test_an_overridden_person_macro_shows_on_the_tabs_and_in_the_dossier(dossier_project):
    project, site = dossier_project, dossier_project / "site"
    handbook = load_handbook(project / "partnerships", practices_dir=project / "content" / "practices")
    partnership = next(p for p in handbook.partnerships if p.governance and p.governance.roles)
    lead = partnership.governance.roles[0].lead
    written = f"Member {lead.upper()} of {partnership.slug}"
    for page in ("governance", "dossier"):
        assert written in Page(site / "partnerships" / partnership.slug / page / "index.html").article()


def test_search_finds_each_text_on_its_tab_not_again_in_the_dossier(site, handbook):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    for partnership in handbook.partnerships:
        folder = f"partnerships/{partnership.slug}/"
        assert folder in pages and f"{folder}log/" in pages and f"{folder}monitoring/" in pages
        assert f"{folder}dossier/" not in pages



@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_dossier_reuses_a_tabs_section_only_where_it_reads_the_same(tmp_path, monkeypatch, directory_urls):
    # sections.py: each section is written once for its tab and reused by the dossier, unless a link
    # in it resolves otherwise from the dossier. The pages must be exactly those written without reuse.
    from msp_handbook import sections

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project = copy_project(tmp_path / "project", only="alder-valley-community-energy")
    record = project / "partnerships" / "alder-valley-community-energy" / "partnership.yml"
    # A link to the cycle tab itself (`./#...` there, `../cycle/#...` from the dossier with directory
    # URLs), one that reads the same from both, and one that leads nowhere (reported from both pages).
    record.write_text(record.read_text(encoding="utf-8").replace(
        "notes: Evening meetings in three villages",
        "notes: See [the next step](cycle.md#test-common-ground), [the guide](../../guide/index.md) and "
        "[nothing](missing.md). Evening meetings in three villages", 1), encoding="utf-8")

    def pages(share: bool) -> tuple[dict[str, str], list[str], int]:
        planned, warnings, written = planned_pages(project / "mkdocs.yml", monkeypatch, share=share,
                                                   directory_urls=directory_urls)
        return planned, warnings, sum(1 for name in written if name != sections.DashboardRows.TEMPLATE)

    shared, shared_warnings, writes = pages(share=True)
    alone, alone_warnings, _ = pages(share=False)
    assert shared == alone
    assert shared_warnings == alone_warnings
    assert sum("missing.md" in warning for warning in shared_warnings) == 2  # the tab and the dossier
    partnerships = sum(1 for uri in shared if uri.endswith("/dossier.md"))
    # Six shared sections a partnership, written for its tabs; the dossier writes anew only the
    # cycle whose link to its own tab reads otherwise from the dossier (with directory URLs).
    assert writes == 6 * partnerships + (1 if directory_urls else 0)
    overview = shared["partnerships/alder-valley-community-energy/index.md"]
    dossier = shared["partnerships/alder-valley-community-energy/dossier.md"]
    assert "\n## Joint vision\n" in overview and "\n### Joint vision\n" in dossier
    assert "\x01" not in overview + dossier


def test_the_page_templates_keep_no_partnership_once_the_site_is_planned(example_project):
    # The plugin keeps its page templates from build to build (serve), and their kept output
    # (render.PersonLinks, sections.SharedSections) holds the last page's variables: after a
    # dashboard page, every partnership. Once the pages are written they must let go, or every
    # model lives until the end of the build (make bench: +170 MB of peak memory at N = 500).
    from msp_handbook.project import Project
    from msp_handbook.render import environment
    from msp_handbook.site import check_site

    templates = environment()
    check = check_site(Project.read(example_project / "mkdocs.yml"), templates)
    assert not check.errors and check.pages
    models = [weakref.ref(partnership) for handbook in (check.handbook, check.published)
              for partnership in handbook.partnerships]
    del check
    gc.collect()
    assert models and [model() for model in models] == [None] * len(models)
    assert templates.globals["person"].module == ("", None)
