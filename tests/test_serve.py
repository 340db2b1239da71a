"""`mkdocs serve`: data edits trigger rebuilds, and an invalid edit never takes the preview down."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

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
    project = copy_project(tmp_path / "project")
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

    project = copy_project(tmp_path / "project")
    config = serve_config(project, tmp_path / "site")
    config.plugins.on_startup(command="build", dirty=False)
    record = project / "partnerships" / "tamberu-taps-for-all" / "partnership.yml"
    record.write_text(record.read_text().replace("\nstakeholders:", "\nstakholders:", 1))
    with pytest.raises(Abort):
        build(config)
