"""`mkdocs serve`: data edits trigger rebuilds, and an invalid edit never takes the preview down."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from serving import mkdocs_serve
from sitebuild import Page, copy_project


def serve_config(project: Path, site: Path):
    # As `mkdocs serve` does for every rebuild: a fresh config; plugins that
    # define on_startup come back as the same instance.
    return load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))


def test_records_practices_and_cycle_are_watched(tmp_path):
    project = copy_project(tmp_path / "project")
    config = (project / "mkdocs.yml").read_text().replace("# cycle_file: my-cycle.yml", "cycle_file: my-cycle.yml")
    (project / "mkdocs.yml").write_text(config)
    loaded = serve_config(project, tmp_path / "site")
    loaded.plugins.on_config(loaded)
    watched = {Path(path).resolve() for path in loaded.watch}
    assert (project / "partnerships").resolve() in watched
    assert (project / "my-cycle.yml").resolve() in watched
    # Practices live in the docs folder, which serve always watches.
    assert (project / "content" / "practices").resolve().is_relative_to(Path(loaded.docs_dir).resolve())


def test_an_invalid_edit_during_serve_shows_the_problem_and_recovers(tmp_path):
    project = copy_project(tmp_path / "project", only="tamberu-taps-for-all")
    site = tmp_path / "site"
    record = project / "partnerships" / "tamberu-taps-for-all" / "partnership.yml"
    good = record.read_text()
    config = serve_config(project, site)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
        overview = site / "partnerships/tamberu-taps-for-all/index.html"
        assert "problem" not in Page(overview).article()

        record.write_text(good.replace("\nstakeholders:", "\nstakholders:", 1))
        build(serve_config(project, site))  # does not raise: the preview stays up
        for page in (overview, site / "guide/index.html", site / "partnerships/index.html"):
            text = Page(page).article()
            assert "1 problem in the sources: this preview shows the last version without problems" in text
            assert "partnerships/tamberu-taps-for-all/partnership.yml" in text
            assert "unknown key 'stakholders' — did you mean 'stakeholders'?" in text
        # The last good version of the partnership is still there to look at.
        assert "Tamberu Taps for All" in Page(overview).article()

        record.write_text(good)
        build(serve_config(project, site))
        assert "problem in the sources" not in Page(overview).article()
    finally:
        config.plugins.on_shutdown()


def test_outside_serve_an_invalid_record_still_stops_the_build(tmp_path):
    from mkdocs.exceptions import Abort
    import pytest

    project = copy_project(tmp_path / "project", only="tamberu-taps-for-all")
    config = serve_config(project, tmp_path / "site")
    config.plugins.on_startup(command="build", dirty=False)
    record = project / "partnerships" / "tamberu-taps-for-all" / "partnership.yml"
    record.write_text(record.read_text().replace("\nstakeholders:", "\nstakholders:", 1))
    try:
        with pytest.raises(Abort):
            build(config)
    finally:
        config.plugins.on_shutdown()


PREVIEWED = "tamberu-taps-for-all"
# The start of the banner an invalid source puts on every page of the preview.
BANNER = "in the sources: this preview shows the last version without problems"
ENTRY = f"partnerships/{PREVIEWED}/log/2026-02-27-partners-pledge-resources.md"
# The pages that show that entry: the log, and the dossier with the latest entries.
# The dossier repeats the log (and every tab): search leaves it out, so an edit is found once.
LOG_PAGE = f"partnerships/{PREVIEWED}/log/"


def preview_project(tmp_path: Path, slug: str) -> Path:
    """The example handbook with `preview_partnership` set as `make serve PARTNERSHIP=slug` sets it."""
    project = copy_project(tmp_path / "project")
    config = (project / "mkdocs.yml").read_text()
    assert "preview_partnership: !ENV [MSP_PREVIEW_PARTNERSHIP, null]" in config
    (project / "mkdocs.yml").write_text(config.replace("!ENV [MSP_PREVIEW_PARTNERSHIP, null]", slug))
    return project


@contextmanager
def first_serve_build(project: Path, site: Path):
    """The first build of `mkdocs serve`, and the plugins' shutdown after the test."""
    config = serve_config(project, site)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
        yield
    finally:
        config.plugins.on_shutdown()


def search_entries(index: str) -> list[dict]:
    return json.loads(index)["docs"]


def edited_pages(entries: list[dict], text: str) -> set[str]:
    return {e["location"].split("#")[0] for e in entries if text in e["text"]}


def served_pages(site: Path) -> set[str]:
    """Every page of a built site, as search locations name them."""
    return {p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
            if p.parent != site and "search" not in p.parts}


def assert_index_matches_pages(entries: list[dict], pages: set[str], full_site: Path) -> None:
    """The preview's search index covers what it serves, as the full site's does, and nothing else."""
    indexed = {e["location"].split("#")[0] for e in entries}
    indexed_in_full_site = {e["location"].split("#")[0] for e in
                            search_entries((full_site / "search/search_index.json").read_text(encoding="utf-8"))}
    assert "guide/building/" in indexed and LOG_PAGE in indexed
    assert pages & indexed_in_full_site <= indexed <= pages | {""}


def test_previewing_one_partnership_reads_and_builds_it_alone_with_the_guide(tmp_path, site):
    full_site = site
    project = preview_project(tmp_path, PREVIEWED)
    # Another partnership's record is broken: the preview does not even read it.
    other = project / "partnerships/sarvana-fair-garments/partnership.yml"
    other.write_text(other.read_text().replace("\nstakeholders:", "\nstakholders:", 1))
    site = tmp_path / "site"
    with first_serve_build(project, site):
        log_page = site / f"partnerships/{PREVIEWED}/log/index.html"
        assert BANNER not in Page(log_page).article()
        assert (site / "guide/building/index.html").is_file() and (site / "practices/index.html").is_file()
        records = {path.name for path in (project / "partnerships").iterdir()}
        assert len(records) > 1
        assert {path.name for path in (site / "partnerships").iterdir()} & records == {PREVIEWED}
        assert "Sarvana" not in Page(site / "partnerships/index.html").article()

        entry = project / ENTRY
        entry.write_text(entry.read_text() + "\nThe kiosk association offered its storage tanks for free.\n")
        build(serve_config(project, site))
        assert "offered its storage tanks for free" in Page(log_page).article()
        entries = search_entries((site / "search/search_index.json").read_text(encoding="utf-8"))
        assert edited_pages(entries, "offered its storage tanks for free") == {LOG_PAGE}
        assert_index_matches_pages(entries, served_pages(site), full_site)


def test_serving_a_large_handbook_suggests_the_preview_once(tmp_path, monkeypatch, caplog):
    import msp_handbook.plugin

    # The threshold is set to the project's size: one partnership is enough, and builds fast.
    project = copy_project(tmp_path / "project", only=PREVIEWED)
    partnerships = sorted(path.name for path in (project / "partnerships").iterdir() if path.is_dir())
    monkeypatch.setattr(msp_handbook.plugin, "PREVIEW_SUGGESTED_FROM", len(partnerships))
    suggestion = f"{len(partnerships)} partnerships: every save rebuilds all of them"
    with caplog.at_level("INFO"), first_serve_build(project, tmp_path / "site"):
        assert caplog.text.count(suggestion) == 1
        assert f"`make serve PARTNERSHIP={partnerships[0]}`" in caplog.text
        build(serve_config(project, tmp_path / "site"))  # the next save's rebuild
        assert caplog.text.count(suggestion) == 1
    caplog.clear()
    monkeypatch.setattr(msp_handbook.plugin, "PREVIEW_SUGGESTED_FROM", len(partnerships) + 1)
    with caplog.at_level("INFO"), first_serve_build(project, tmp_path / "site"):
        assert "every save rebuilds all of them" not in caplog.text


def test_mkdocs_build_ignores_the_preview_and_publishes_every_partnership(tmp_path):
    project = preview_project(tmp_path, PREVIEWED)
    config = serve_config(project, tmp_path / "site")
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()  # `mkdocs build` publishes its staged site here
    records = {p.name for p in (project / "partnerships").iterdir()}
    assert {path.name for path in (tmp_path / "site" / "partnerships").iterdir()} >= records
    # MkDocs keeps the plugin for the rest of the process: a later build
    # started without `on_startup` (as tests and scripts do) writes site_dir itself.
    build(serve_config(project, tmp_path / "again"))
    assert (tmp_path / "again" / "index.html").is_file()


def test_previewing_a_partnership_that_does_not_exist_names_the_closest_folder(tmp_path):
    project = preview_project(tmp_path, "tamberu-taps")
    site = tmp_path / "site"
    with first_serve_build(project, site):  # the preview stays up, with the problem on every page
        text = Page(site / "guide/index.html").article()
        assert "there is no partnership folder 'tamberu-taps' to preview" in text
        assert "use the name of one of the folders in partnerships/: did you mean 'tamberu-taps-for-all'?" in text


def test_an_edited_theme_override_shows_at_the_next_serve_build(tmp_path):
    # Compiled templates are kept across serve rebuilds; an edit must still show.
    project = copy_project(tmp_path / "project", only=PREVIEWED)
    site = tmp_path / "site"
    main = project / "theme" / "main.html"
    with first_serve_build(project, site):
        assert "msp-edited-override" not in (site / "index.html").read_text()
        main.write_text(main.read_text().replace("{% block extrahead %}",
                                                 '{% block extrahead %}<meta name="msp-edited-override" content="1">', 1))
        build(serve_config(project, site))
        assert "msp-edited-override" in (site / "index.html").read_text()
        assert "msp-edited-override" in (site / f"partnerships/{PREVIEWED}/log/index.html").read_text()


def test_a_log_entry_saved_during_make_serve_partnership_shows_on_its_page_and_in_search(tmp_path, site):
    # The real thing: `mkdocs serve` as `make serve PARTNERSHIP=slug` runs it,
    # an entry saved, then its page and the search index as the browser gets them.
    project = copy_project(tmp_path / "project")
    entry = project / ENTRY
    with mkdocs_serve(project, partnership=PREVIEWED, start_limit_s=300) as served:
        sitemap = served.get("sitemap.xml") or ""
        pages = {location.removeprefix(served.base) for location in re.findall(r"<loc>([^<]*)</loc>", sitemap)}
        assert LOG_PAGE in pages and not any("sarvana" in page for page in pages)
        for number in (1, 2):
            marker = f"Tank number {number} was handed over to the kiosk association."
            entry.write_text(entry.read_text() + f"\n{marker}\n")
            assert BANNER not in served.page_showing(LOG_PAGE, marker, limit_s=300)
            entries = search_entries(served.get("search/search_index.json") or "{}")
            assert edited_pages(entries, marker) == {LOG_PAGE}
            assert_index_matches_pages(entries, pages, site)
