"""Fixtures shared by every test module.

Building a handbook is the slow part of most tests, so the example handbook
and the hostile one are each built once per test run, from throw-away copies,
even when `make test` spreads the tests over several processes (pytest-xdist).
Tests that only read a built site ask for `site` (or `hostile_site`); a test
that changes a project asks for `built_project` or makes its own copy with
`sitebuild.copy_project`, so the shared copies are never changed.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from msp_handbook.audience import for_audience
from msp_handbook.handbook import load_handbook

from hostile import hostile_project
from partners_only import PartnersOnlyEntry, marked_project
from sitebuild import build_site, copy_project, without_site_url


@dataclass(frozen=True)
class MarkedSites:
    public: Path
    partners: Path
    public_markers: frozenset[str]
    partners_only: tuple[PartnersOnlyEntry, ...]


def built_once(tmp_path_factory, name: str, make: Callable[[Path], Path]) -> Path:
    """`make(folder)` run once per test run, its result shared by every test process."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # each xdist worker has its own basetemp inside the run's
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait here while the first one builds
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            done.write_text(str(make(folder)))
    return Path(done.read_text())


# `make test` hands whole modules to its two processes (xdist's --dist loadfile
# --no-loadscope-reorder), each taking the next module in the order collected
# here when it is nearly done with its own. The modules that take longest (CPU
# seconds on a 2-core machine, browser and site builds included) go first, so
# that neither process is left with one of them at the end while the other has
# nothing to do; xdist's own order (by number of tests) sent the browser tests
# off last. Only the order changes: the rest keep theirs, a module not named
# here merely starts later.
RUN_FIRST = ("test_browser.py",          # ~60 s: every kind of page at two widths, axe
             "test_broken_inputs.py",    # ~15 s: 86 refused builds
             "test_serve.py",            # ~15 s
             "test_browser_print.py",    # ~12 s
             "test_parity.py",           # ~12 s
             "test_browser_layout.py",   # ~10 s
             "test_safety.py", "test_cli.py", "test_site.py", "test_benchmark.py", "test_new_user.py")


def pytest_collection_modifyitems(items):
    rank = {name: position for position, name in enumerate(RUN_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(RUN_FIRST)))  # a stable sort: each module's own order kept


@pytest.fixture(scope="session")
def example_project(tmp_path_factory) -> Path:
    """A copy of the example handbook, built strictly into its site/. Read only."""

    def build(folder: Path) -> Path:
        project = copy_project(folder / "project")
        build_site(project)
        return project

    return built_once(tmp_path_factory, "example", build)


@pytest.fixture(scope="session")
def site(example_project) -> Path:
    """The example handbook's built site. Read only."""
    return example_project / "site"


@pytest.fixture(scope="session")
def loaded_handbook(example_project):
    """The example handbook as loaded from its files, partners-only entries included."""
    return load_handbook(example_project / "partnerships", practices_dir=example_project / "content" / "practices")


@pytest.fixture(scope="session")
def handbook(loaded_handbook):
    """The example handbook as the public site shows it (the default audience), practices included."""
    return for_audience(loaded_handbook, "public")


@pytest.fixture
def built_project(example_project, tmp_path) -> Path:
    """A copy of the built example handbook (site/ included) that the test may change."""
    return Path(shutil.copytree(example_project, tmp_path / "project", symlinks=True))


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    """The site built from hostile.py's project, where every text field is an attack. Read only."""
    return built_once(tmp_path_factory, "hostile", lambda folder: build_site(hostile_project(folder)))



# Sources added to a copy of the example handbook for tests that need a page
# the examples do not have. Each is independent of the others and read by one
# test on its own page, so they share one strict build (extended_site).
EXTRA_SOURCES = {
    # test_practices: a practice body is Markdown, raw HTML in it shown as text.
    "content/practices/hostile.md": (
        '---\ntitle: "<script>alert(1)</script> {{ 7*7 }}"\nsummary: "<img src=x onerror=alert(2)>"\n'
        "phases: [exploration]\n---\n**Bold** and <script>alert(3)</script> and [js](javascript:alert(4)).\n"),
    # test_practices: links between pages in Markdown fields, a practice's and a log entry's.
    "content/practices/linking.md": (
        "---\ntitle: Linking\nsummary: S\nphases: [exploration]\n---\n"
        "See [the step](../guide/exploration.md#clarify-idea), [home](../index.md) and "
        "[a neighbour](map-interests-before-the-first-meeting.md).\n"),
    "partnerships/tamberu-taps-for-all/log/2026-11-02-links.md": (
        "---\ndate: 2026-11-02\ntitle: Links\n---\nAs the [guide](../../guide/building.md) says.\n"),
    # test_new_user: a practice's headings in the table of contents.
    "content/practices/zz-headings.md": (
        "---\ntitle: Headings\nsummary: S\nphases: [exploration]\n---\nBefore any heading.\n\n"
        "# <script>alert(1)</script> *Why* {#evil}\n\nBody with [a link](../guide/index.md).\n\n"
        "> ## Quoted, not a section\n\n### Deeper\n\nLast words.\n"),
    # test_urls: a README.md page (published as notes/), linked from a log entry's and a practice's Markdown.
    "content/notes/README.md": "# Notes\n\nKept by the facilitators.\n",
    "partnerships/tamberu-taps-for-all/log/2020-01-01-notes.md": (
        "---\ndate: 2020-01-01\ntitle: Notes started\n---\n"
        "The [facilitators' notes](../../notes/README.md#top) and [step](../../guide/exploration.md).\n"),
    "content/practices/see-the-notes.md": (
        "---\ntitle: See the notes\nsummary: S\nphases: [exploration]\n---\nSee also [the notes](../notes/README.md).\n"),
}


def extended_project(folder: Path) -> Path:
    """A copy of the example handbook in `folder` with EXTRA_SOURCES added."""
    project = copy_project(folder / "project")
    for name, text in EXTRA_SOURCES.items():
        assert not (project / name).exists(), name
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def extended_site(tmp_path_factory) -> Path:
    """The example handbook with EXTRA_SOURCES added, built strictly. Read only."""
    return built_once(tmp_path_factory, "extended", lambda folder: build_site(extended_project(folder)))


@pytest.fixture(scope="session")
def extended_site_with_file_urls(tmp_path_factory) -> Path:
    """The same project built strictly with `use_directory_urls: false` (pages as name.html). Read only."""
    return built_once(tmp_path_factory, "extended-file-urls",
                      lambda folder: build_site(extended_project(folder), use_directory_urls=False))


# 2027-01-17 10:00 UTC: after every dated example entry (an actual may not lie after the build date).
DOSSIER_EPOCH = "1800180000"


@pytest.fixture(scope="session")
def dossier_project(tmp_path_factory) -> Path:
    """The example handbook built on DOSSIER_EPOCH, with two changes read by test_dossier's tests (one each). Read only.

    An old log entry that the dossier must leave out, and a site's own person
    macro (theme/partnerships/_person.html) that the tabs and the dossier must use.
    """

    def build(folder: Path) -> Path:
        project = copy_project(folder / "project")
        log = project / "partnerships" / "tamberu-taps-for-all" / "log"
        (log / "2025-06-01-oldest-entry.md").write_text(
            "---\ndate: 2025-06-01\ntitle: The oldest entry\n---\nToo old for the dossier.\n", encoding="utf-8")
        (project / "theme" / "partnerships").mkdir(parents=True, exist_ok=True)
        (project / "theme" / "partnerships" / "_person.html").write_text(
            "{%- macro person(partnership, ident) -%}Member {{ ident|upper }} of {{ partnership.slug }}{%- endmacro -%}\n")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", DOSSIER_EPOCH)
            build_site(project)
        return project

    return built_once(tmp_path_factory, "dossier", build)


@pytest.fixture(scope="session")
def site_without_site_url(tmp_path_factory) -> Path:
    """The example handbook with Tamberu alone and without site_url, built leniently (strictly, the missing
    site_url stops it). Read only. One partnership has feeds and open data to get wrong, at half a build."""
    return built_once(tmp_path_factory, "no-site-url", lambda folder: build_site(
        without_site_url(copy_project(folder / "project", only="tamberu-taps-for-all")), strict=False))

@pytest.fixture(scope="session")
def marked_sites(tmp_path_factory) -> MarkedSites:
    """partners_only.py's project built for the public and for the partners. Read only."""

    def build(folder: Path) -> Path:
        marked = marked_project(folder / "project")
        build_site(marked.root, folder / "public")
        config = marked.root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("  - partnerships:\n", "  - partnerships:\n      audience: partners\n", 1),
                          encoding="utf-8")
        build_site(marked.root, folder / "partners")
        (folder / "entries.json").write_text(json.dumps(
            {"public_markers": sorted(marked.public_markers),
             "partners_only": [[entry.where, list(entry.markers)] for entry in marked.partners_only]}))
        return folder

    folder = built_once(tmp_path_factory, "marked", build)
    entries = json.loads((folder / "entries.json").read_text())
    return MarkedSites(folder / "public", folder / "partners", frozenset(entries["public_markers"]),
                       tuple(PartnersOnlyEntry(where, tuple(markers)) for where, markers in entries["partners_only"]))


# The browser tests are spread over several modules so that `make test` can run
# them in parallel (whole files go to one process); each module serves the site
# and starts Chromium once. Playwright is imported here only when asked for.
@pytest.fixture(scope="module")
def base_url(site):
    from browser import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    from browser import serve

    with serve(hostile_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from browser import launch_browser

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def tab(browser):
    """One browser tab that the module's tests load their pages in, through browser.open_page (why: see there)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def tab_without_js(browser):
    """The same with JavaScript turned off, for the pages as read without it."""
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def visits(site, base_url, browser) -> dict[tuple[str, int], dict]:
    """One visit per width to each page the page-wide browser checks judge (browser.visit_pages).

    Axe and the request log on one page of each kind; the layout measures on
    those and on every partnership page. Loaded once, asserted by several tests.
    """
    from browser import pages_by_template, visit_pages, visited_pages

    audited = visited_pages(site)
    partnership_pages = [url for kind, group in pages_by_template(site).items() if kind.startswith("partnerships/")
                         for url in group]
    return visit_pages(browser, base_url, list(dict.fromkeys(audited + partnership_pages)), set(audited))


@pytest.fixture(scope="module")
def hostile_visits(hostile_site, hostile_url, browser):
    """Every page of the hostile partnership (tabs added later included) and the listings and guide
    pages that show its practice, each loaded once per width (browser.visit_hostile_pages)."""
    from browser import visit_hostile_pages

    urls = [path.parent.relative_to(hostile_site).as_posix() + "/"
            for path in sorted((hostile_site / "partnerships" / "hostile").rglob("index.html"))]
    urls += ["partnerships/", "practices/", "practices/hostile-practice/", "practices/tags/facilitation/",
             "practices/phases/exploration/", "guide/exploration/"]
    return visit_hostile_pages(browser, hostile_url, urls)
