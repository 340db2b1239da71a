"""The example handbook, built strictly in-process: what each page shows."""

from __future__ import annotations

import json
import re
from pathlib import Path


from msp_handbook.model import PURPOSES, SECTOR_DEFAULTS, SECTOR_LABELS, STATUS_LABELS
from msp_handbook.structure import cycle_progress

from sitebuild import Page, build_site, copy_project

PAGES = ("", "stakeholders/", "cycle/", "governance/", "code-of-conduct/", "log/")


def page(site: Path, url: str) -> Page:
    return Page(site / url / "index.html")


def test_every_fixed_url_exists(site, handbook):
    assert len(handbook.partnerships) >= 2
    urls = ["partnerships/", "reference/", "guide/"]
    urls += [f"guide/{phase.guide.removeprefix('guide/').removesuffix('.md')}/" for phase in handbook.cycle.phases]
    urls += [f"partnerships/{p.slug}/{name}" for p in handbook.partnerships for name in PAGES]
    missing = [url for url in urls if not (site / url / "index.html").is_file()]
    assert missing == []


def test_overview_shows_phase_vision_purposes_and_progress(site, handbook):
    for partnership in handbook.partnerships:
        overview = page(site, f"partnerships/{partnership.slug}")
        text = overview.article()
        phase = handbook.cycle.phase(partnership.phase) if partnership.phase else None
        if phase:
            assert f"Phase {phase.number}: {phase.title}" in text
        if partnership.vision:
            assert " ".join(partnership.vision.split()) in text
        for statement in partnership.purposes:
            assert (f"../../guide/purposes/#{statement.purpose}", PURPOSES[statement.purpose]) in overview.links
        assert text.count("(you are here)") == (1 if phase else 0)
        for tab in ("Stakeholders", "Cycle", "Governance", "Code of conduct", "Log"):
            assert any(label == tab for _, label in overview.links), tab


def test_stakeholder_table_shows_own_motivation_or_marked_sector_default(site, handbook):
    defaults_seen = 0
    for partnership in handbook.partnerships:
        stakeholders = page(site, f"partnerships/{partnership.slug}/stakeholders")
        for stakeholder in partnership.stakeholders:
            assert stakeholder.id in stakeholders.ids
            _, sector, motivation, _ = stakeholders.row(stakeholder.name)
            assert sector == SECTOR_LABELS[stakeholder.sector]
            if stakeholder.motivation:
                assert motivation == " ".join(stakeholder.motivation.split())
            elif stakeholder.sector in SECTOR_DEFAULTS:
                default = SECTOR_DEFAULTS[stakeholder.sector]
                assert motivation == f"{default.motivation}; {default.orientation} (sector default)"
                defaults_seen += 1
    assert defaults_seen, "the examples should show at least one sector default"


def test_cycle_page_lists_every_step_with_status_guidance_link_and_one_you_are_here(site, handbook):
    for partnership in handbook.partnerships:
        cycle_page = page(site, f"partnerships/{partnership.slug}/cycle")
        text = cycle_page.article()
        for progress in cycle_progress(partnership, handbook.cycle):
            assert progress.phase.id in cycle_page.ids
            guide = progress.phase.guide.removesuffix(".md")
            for view in progress.steps:
                assert view.step.id in cycle_page.ids
                assert (f"../../../{guide}/#{view.step.id}", "Guidance") in cycle_page.links
                section = text[text.index(view.step.title):][:200]
                assert STATUS_LABELS[view.status] in section
        if not partnership.phase:
            assert "You are here" not in text
            continue
        assert text.count("You are here.") == 1
        assert 'You are here' in text[text.index(f"Phase {handbook.cycle.phase(partnership.phase).number}:"):][:300]
        for progress in partnership.cycle.values():
            for evidence in progress.evidence:
                assert (evidence.url, evidence.title) in cycle_page.links


def test_governance_shows_who_does_what_and_facilitator_acceptance(site, handbook):
    for partnership in handbook.partnerships:
        governance = page(site, f"partnerships/{partnership.slug}/governance")
        text = governance.article()
        for role in partnership.governance.roles if partnership.governance else []:
            lead = governance.row(" ".join(role.task.split()))[1]
            assert lead.startswith((partnership.stakeholder(role.lead) or next(
                f for f in partnership.facilitators if f.id == role.lead)).name)
        for facilitator in partnership.facilitators:
            section = text[text.index(f"{facilitator.name} ¶"):]
            pending = [s.name for s in partnership.stakeholders if s.id not in facilitator.accepted_by]
            line = section[section.index("Not yet accepted by"):][:300]
            for name in pending:
                assert name in line
            if not pending:
                assert "everyone has accepted" in line


def test_code_of_conduct_lists_endorsements_and_who_has_not_endorsed(site, handbook):
    for partnership in handbook.partnerships:
        coc = page(site, f"partnerships/{partnership.slug}/code-of-conduct")
        text = coc.article()
        if partnership.code_of_conduct is None:
            assert "have not recorded a code of conduct yet" in text
            continue
        for principle in partnership.code_of_conduct.principles:
            assert principle.title in text
        for endorsement in partnership.code_of_conduct.endorsements:
            name = partnership.stakeholder(endorsement.stakeholder).name
            assert coc.row(name)[1:] == [f"{endorsement.date.day} {endorsement.date:%B %Y}", endorsement.by]
        tail = text[text.index("Not endorsed yet"):]
        for stakeholder in partnership.stakeholders:
            assert (stakeholder.name in tail) == (stakeholder.id not in partnership.endorsed_ids())


def test_log_is_newest_first_with_an_anchor_per_entry(site, handbook):
    for partnership in handbook.partnerships:
        log = page(site, f"partnerships/{partnership.slug}/log")
        anchors = [ident for ident in log.ids if any(ident == e.anchor for e in partnership.log)]
        expected = [e.anchor for e in sorted(partnership.log, key=lambda e: e.date, reverse=True)]
        assert anchors == expected
        if not partnership.log:
            assert "No log entries yet" in log.article()
            continue
        first_body_line = partnership.log[0].body.strip().splitlines()[0][:30]
        assert first_body_line.replace("**", "")[:15] in log.article()


def test_edit_links_open_the_source_files(site, handbook):
    partnership = handbook.partnerships[0]
    repo_url = "https://github.com/example-org/msp-handbook/edit/main/"
    overview = page(site, f"partnerships/{partnership.slug}")
    assert any(href == f"{repo_url}partnerships/{partnership.slug}/partnership.yml" for href, _ in overview.links)
    log = page(site, f"partnerships/{partnership.slug}/log")
    newest = partnership.log[0].source.name
    assert any(href == f"{repo_url}partnerships/{partnership.slug}/log/{newest}" for href, _ in log.links)


def test_search_index_covers_generated_pages(site, handbook):
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    for partnership in handbook.partnerships:
        for name in PAGES:
            assert f"partnerships/{partnership.slug}/{name}" in locations
    stakeholder = handbook.partnerships[0].stakeholders[0]
    assert any(stakeholder.name in doc["text"] or stakeholder.name in doc["title"] for doc in index["docs"])


def test_reference_documents_every_key_of_every_format(site):
    from msp_handbook.structure.reference import record_formats

    reference = page(site, "reference")
    text = reference.article()
    for record_format in record_formats():
        for key in record_format.keys:
            assert key.description, f"{key.key} has no description"
            row = [key.key, key.kind.replace("`", ""), "yes" if key.required else "no"]
            assert any(documented[:3] == row for documented in reference.rows), f"{row} is not on the reference page"
    # Constrained values are named for what they are, not just "text".
    assert reference.row("stakeholders[].id")[1] == "id"
    # A key that names something else says what it names.
    assert reference.row("code_of_conduct.endorsements[].stakeholder")[1] == "id of a stakeholder"
    assert reference.row("governance.roles[].support")[1] == "list of stakeholder or facilitator ids"
    assert reference.row("cycle")[1] == "mapping of cycle step id to group of keys"
    assert reference.row("code_of_conduct.endorsements[].date")[1] == "date"
    assert reference.row("stakeholders[].website")[1] == "link"
    for value in SECTOR_LABELS:
        assert value in text
    for ident in PURPOSES:
        assert ident in text

    # Places and keys written as code show as typed: `<slug>` neither escaped twice
    # nor taken for HTML, and code spans inside a cell are not turned inside out.
    assert "<code>partnerships/&lt;slug&gt;/partnership.yml</code>" in reference.html
    assert "<code>cycle_file</code> in <code>mkdocs.yml</code>" in reference.html
    assert "&amp;lt;" not in reference.html and "&amp;gt;" not in reference.html


def test_sidebar_does_not_grow_with_the_number_of_partnerships(site, tmp_path):
    project = copy_project(tmp_path / "many")
    few = site
    source = project / "partnerships" / "tamberu-taps-for-all"
    for number in range(12):
        copy = project / "partnerships" / f"copy-{number}"
        copy.mkdir()
        (copy / "partnership.yml").write_text(f"name: Copy {number}\n")
    many = build_site(project, tmp_path / "many-site")
    url = f"partnerships/{source.name}/cycle/index.html"
    nav_links = lambda site: Page(site / url).html.count("md-nav__link")  # noqa: E731
    assert nav_links(many) == nav_links(few)
    assert (many / "partnerships/copy-11/index.html").is_file()


def test_templates_can_be_overridden_by_name_from_the_theme_folder(tmp_path):
    project = copy_project(tmp_path / "project", only="tamberu-taps-for-all")
    (project / "theme" / "partnerships").mkdir(parents=True)
    (project / "theme" / "partnerships" / "log.html").write_text(
        '{{ page_header("Diary of " ~ partnership.name) }}\nOur own log layout for {{ partnership.log|length }} entries.\n\n'
        "{% for entry in partnership.log %}\n## {{ entry.title|md }} { #{{ entry.anchor }} }\n\n{% endfor %}\n"
    )
    site = build_site(project)
    text = Page(site / "partnerships/tamberu-taps-for-all/log/index.html").article()
    assert "Diary of Tamberu Taps for All" in text and "Our own log layout for" in text
    assert "Progress log" not in text


def test_a_site_can_use_its_own_cycle_file(tmp_path):
    project = copy_project(tmp_path / "project", with_partnerships=False)
    (project / "short-cycle.yml").write_text(
        "phases:\n"
        "  - id: start\n    number: 1\n    title: Getting going\n    guide: guide/exploration.md\n"
        "    steps:\n      - id: clarify-idea\n        title: Agree the idea\n"
        "  - id: deliver\n    number: 2\n    title: Delivering together\n    guide: guide/running.md\n"
        "    steps:\n      - id: celebrate-success\n        title: Show the results\n"
    )
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(config.replace("# cycle_file: my-cycle.yml", "cycle_file: short-cycle.yml"))
    record = project / "partnerships" / "small"
    record.mkdir()
    (record / "partnership.yml").write_text(
        "name: Small\nphase: deliver\ncycle:\n  clarify-idea: {status: done}\n  celebrate-success: {status: in-progress}\n"
    )
    site = build_site(project)
    cycle_page = Page(site / "partnerships/small/cycle/index.html")
    assert {"start", "deliver", "clarify-idea", "celebrate-success"} <= set(cycle_page.ids)
    assert "Phase 2: Delivering together" in cycle_page.article()
    assert "exploration" not in cycle_page.ids  # the default cycle is not used
    reference = Page(site / "reference/index.html")
    assert reference.row("deliver")[1:] == ["phase 2", "Delivering together"]


# What each page of a partnership whose record has only a name says instead of
# its content. A new page of a partnership needs its line here.
EMPTY_STATES: dict[str, tuple[str, ...]] = {
    "": ("Current phase: not set", "Started: not recorded", "Sectors: none listed yet", "Stakeholders: 0",
         "Last update: no log entries yet", "Joint vision: not yet written down", "Facilitators: none recorded yet",
         "Code of conduct: not agreed yet", "Monitoring: 0 indicators, 0 log entries",
         "Latest review: none yet", "Next review: not planned yet"),
    "stakeholders/": ("No stakeholders recorded yet.",),
    "cycle/": ("Not started",),
    "governance/": ("No tasks assigned yet.", "No facilitators recorded yet."),
    "code-of-conduct/": ("The partners have not recorded a code of conduct yet.",),
    "log/": ("No log entries yet. Add one as a Markdown file",),
    "monitoring/": ("No goals recorded yet.", "No indicators recorded yet.",
                    "Is the partnership working?", "No review yet.", "Nothing recorded yet. The ledger: of the record",
                    "No feedback recorded yet."),
    "dossier/": ("Current phase: not set", "No stakeholders recorded yet.", "No tasks assigned yet.",
                 "The partners have not recorded a code of conduct yet.", "No log entries yet.",
                 "Source: partnerships/bare/partnership.yml"),
}


def test_a_record_with_only_a_name_builds_and_each_page_says_what_is_missing(tmp_path):
    project = copy_project(tmp_path / "project", with_partnerships=False)
    (project / "partnerships" / "bare").mkdir()
    (project / "partnerships" / "bare" / "partnership.yml").write_text("name: Bare\n")
    site = build_site(project)
    folder = site / "partnerships" / "bare"
    urls = {path.parent.relative_to(folder).as_posix().removeprefix(".") for path in folder.rglob("index.html")}
    assert urls == {url.rstrip("/") for url in EMPTY_STATES}, "list the new page's empty state in EMPTY_STATES"
    for url, sentences in EMPTY_STATES.items():
        page = Page(folder / url / "index.html")
        text = re.sub(r"\s+(?=[:.,])", "", page.article())  # "Started : not" as read: "Started: not"
        for sentence in sentences:
            assert sentence in text, f"{url or 'overview'}: {sentence!r} missing"
        assert not re.search(r"\b(None|nan|undefined)\b", text), url
        assert "You are here" not in text, url  # no phase recorded, so no phase is marked
        for table in page.tables:
            assert len(table) > 1 and any(cell for row in table[1:] for cell in row), f"{url}: an empty table"
    listing = Page(site / "partnerships" / "index.html")
    assert listing.row("Bare")[1:] == ["○○○○ Phase not set", "Red", "0 of 0", "No review yet", "0", "Not planned",
                                       "No log entries yet", "Not listed yet"]
