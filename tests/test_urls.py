"""Every URL comes from MkDocs, under both `use_directory_urls` settings.

The example handbook with conftest.EXTRA_SOURCES is built twice (directory
URLs on and off): among them a README.md page and links to it from Markdown
fields, which a hand-made URL scheme gets wrong. Every internal link of every
built page must lead to a file of the built site, and every generated page
must sit where urls.py says.
"""

from __future__ import annotations

import os
import re
import posixpath
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File

from msp_handbook.edit_links import EditLinks
from msp_handbook.urls import PARTNERSHIP_TABS, SitePaths, relative_link

from sitebuild import Page

SLUG = "tamberu-taps-for-all"
PRACTICE = "map-interests-before-the-first-meeting"
NOTES_PRACTICE = "see-the-notes"  # conftest.EXTRA_SOURCES' practice linking to the README.md page


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "file-urls"])
def site(request) -> tuple[Path, bool]:
    """The example handbook with conftest.EXTRA_SOURCES, built under each setting (the first shared with other tests)."""
    use_directory_urls = request.param
    return request.getfixturevalue("extended_site" if use_directory_urls else "extended_site_with_file_urls"), \
        use_directory_urls


def page_file(site_dir: Path, url: str) -> Path:
    return site_dir / (url + "index.html" if url == "" or url.endswith("/") else url)


def target_of(page: Path, site_dir: Path, href: str) -> Path | None:
    """The file a relative link on `page` leads to, or None for links that leave the site or stay on the page."""
    scheme, netloc, path, _, _ = urlsplit(href)
    if scheme or netloc or not path:
        return None
    base = page.parent.relative_to(site_dir).as_posix()
    joined = posixpath.normpath(posixpath.join(base, unquote(path)))
    # A folder (`../..`, `notes/`) is served by its index.html.
    return page_file(site_dir, "" if joined == "." else joined + "/" if (site_dir / joined).is_dir() else joined)


def test_every_internal_link_of_every_page_leads_to_a_file_of_the_site(site):
    site_dir, _ = site
    checked = 0
    for html_file in sorted(site_dir.rglob("*.html")):
        if html_file.name == "404.html":  # served for any URL: its links are absolute by design
            continue
        page = Page(html_file)
        for tag, attributes in page.elements:
            for key in ("href", "src"):
                href = attributes.get(key)
                if not href or tag not in ("a", "link", "img", "script"):
                    continue
                target = target_of(html_file, site_dir, href)
                if target is None:
                    continue
                checked += 1
                assert target.is_file(), f"{html_file.relative_to(site_dir)}: {href} leads nowhere"
    assert checked > 1000


def test_links_in_markdown_fields_use_the_url_mkdocs_gives_a_readme_page(site):
    site_dir, use_directory_urls = site
    notes = "notes/" if use_directory_urls else "notes/index.html"
    log_page = page_file(site_dir, f"partnerships/{SLUG}/log/" if use_directory_urls
                         else f"partnerships/{SLUG}/log.html")
    practice_page = page_file(site_dir, f"practices/{NOTES_PRACTICE}/" if use_directory_urls
                              else f"practices/{NOTES_PRACTICE}.html")
    hrefs = {text: href for href, text in Page(log_page).links}
    assert hrefs["facilitators' notes"] == ("../../../" if use_directory_urls else "../../") + notes + "#top"
    assert target_of(log_page, site_dir, hrefs["step"]) == page_file(
        site_dir, "guide/exploration/" if use_directory_urls else "guide/exploration.html")
    practice_hrefs = {text: href for href, text in Page(practice_page).links}
    assert target_of(practice_page, site_dir, practice_hrefs["the notes"]) == site_dir / "notes" / "index.html"


def generated_paths(paths: SitePaths) -> list[str]:
    """One docs path of every kind of generated page, from urls.py."""
    return [paths.partnerships(), paths.reference(), paths.practices_list(), paths.practice(PRACTICE),
            paths.phase("exploration"), paths.tag("facilitation"), paths.sector("civil_society"),
            paths.partnerships_by_sector("civil_society"), paths.partnerships_by_phase("exploration"),
            paths.dossier(SLUG), *(paths.partnership(SLUG, tab) for tab, _ in PARTNERSHIP_TABS)]


def test_every_kind_of_generated_page_is_written_where_mkdocs_puts_its_docs_path(site):
    site_dir, use_directory_urls = site
    for docs_path in generated_paths(SitePaths("practices")):
        file = File(docs_path, str(site_dir.parent / "content"), str(site_dir), use_directory_urls)
        assert (site_dir / file.dest_uri).is_file(), docs_path
        assert file.url.endswith("/" if use_directory_urls else ".html"), file.url


def test_the_partnership_tabs_link_to_each_other_through_urls_py(site):
    site_dir, use_directory_urls = site
    overview = page_file(site_dir, f"partnerships/{SLUG}/")
    links = {text: href for href, text in Page(overview).links}
    for tab, label in PARTNERSHIP_TABS[1:]:
        expected = page_file(site_dir, f"partnerships/{SLUG}/{tab}/" if use_directory_urls
                             else f"partnerships/{SLUG}/{tab}.html")
        assert target_of(overview, site_dir, links[label]) == expected, label
    assert target_of(overview, site_dir, links["Print dossier"]) == page_file(
        site_dir, f"partnerships/{SLUG}/dossier/" if use_directory_urls else f"partnerships/{SLUG}/dossier.html")


@pytest.mark.parametrize(("page", "target", "written"), [
    ("partnerships/index.md", "guide/index.md", "../guide/index.md"),
    ("partnerships/x/log.md", "partnerships/x/cycle.md#step", "cycle.md#step"),
    ("practices/tags/monitoring.md", "practices/a.md", "../a.md"),
    ("index.md", "practices/phases/exploration.md", "practices/phases/exploration.md"),
    ("practices/a.md", "practices/a.md#x", "a.md#x"),
])
def test_relative_link_is_the_docs_path_a_hand_written_page_would_use(page, target, written):
    assert relative_link(page, target) == written


def test_every_address_in_the_files_for_machines_leads_to_a_file_of_the_site(site):
    """Open data, feeds and IATI files carry absolute addresses from `site_url` and MkDocs' File.url."""
    site_dir, _ = site
    site_url = load_config(config_file=str(site_dir.parent / "mkdocs.yml")).site_url
    checked = 0
    for export in sorted((site_dir / "partnerships").rglob("*")):
        if export.suffix not in (".json", ".xml"):
            continue
        for address in re.findall(re.escape(site_url) + r'[^"<\s]*', export.read_text(encoding="utf-8")):
            path, _, anchor = address[len(site_url):].partition("#")
            target = page_file(site_dir, unquote(path))
            assert target.is_file(), f"{export.name}: {address} leads to no file"
            if anchor:
                assert anchor in Page(target).ids, f"{export.name}: {address} leads to no anchor"
            checked += 1
    assert checked > 10


def site_wide_paths() -> set[str]:
    """Every generated file of the partnerships folder that belongs to no one partnership."""
    from msp_handbook.handbook import load_cycle, default_cycle_file
    from msp_handbook.model import SECTOR_LABELS
    from msp_handbook.structure.freshness import COLOUR_ORDER

    cycle, _ = load_cycle(default_cycle_file(), default_cycle_file().parent)
    paths = SitePaths()
    return {paths.partnerships(), paths.open_data_index(), paths.open_data_schema(), paths.iati(),
            *(paths.feed(kind) for kind in ("atom", "json")),
            *(paths.partnerships_by_sector(sector) for sector in SECTOR_LABELS),
            *(paths.partnerships_by_phase(phase.id) for phase in cycle.phases),
            *(paths.partnerships_by_freshness(colour) for colour in COLOUR_ORDER)}


def partnership_paths(slug: str) -> set[str]:
    paths = SitePaths()
    return {*(paths.partnership(slug, tab) for tab, _ in PARTNERSHIP_TABS), paths.dossier(slug),
            paths.open_data(slug), paths.iati(slug), *(paths.feed(kind, slug) for kind in ("atom", "json"))}


def test_reserved_slugs_are_exactly_the_names_that_would_clash_with_site_wide_pages():
    from msp_handbook.urls import RESERVED_SLUGS

    site_wide = site_wide_paths()
    folders = {posixpath.dirname(path) for path in site_wide}
    # Any name a clash could come from: each site-wide file's or folder's first name, up to its first dot.
    candidates = {path.split("/")[1].split(".")[0] for path in site_wide} | {"tamberu-taps-for-all", "sectors"}

    def clashes(slug: str) -> bool:
        own = partnership_paths(slug)
        return bool(own & site_wide) or f"partnerships/{slug}" in folders

    assert {slug for slug in candidates if clashes(slug)} == set(RESERVED_SLUGS)
    assert {"sector", "phase", "freshness", "index", "feed"} <= set(RESERVED_SLUGS)


@pytest.mark.parametrize("repo_url, edit_uri", [
    ("https://github.com/o/r", "edit/main/content/"),
    ("https://github.com/o/r/", "edit/main/docs"),
    ("https://example.org/a/b", "../../x/edit/"),
    ("https://example.org/repo", "?path=content/"),
])
def test_edit_links_are_what_mkdocs_joins_for_each_source_file(tmp_path, repo_url, edit_uri):
    # EditLinks works a folder out once; each file must still get what joining its whole path gives.
    docs = tmp_path / "content"
    sources = [docs / "index.md", docs / "guide" / "a b.md", tmp_path / "partnerships" / "p" / "log" / "2025-01-02-x.md",
               tmp_path / "partnerships" / "p" / "log" / "ü?#%.md", tmp_path / "partnerships" / "p" / "partnership.yml",
               tmp_path.parent / "elsewhere" / "r.yml", docs / "index.md"]
    links = EditLinks(docs, repo_url, edit_uri)
    for source in sources:
        whole = quote(Path(os.path.relpath(source, docs)).as_posix(), safe="/.-_")
        assert links.edit_uri(source) == whole
        assert links.url(source) == urljoin(repo_url.rstrip("/") + "/", edit_uri + whole)
