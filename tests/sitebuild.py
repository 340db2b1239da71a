"""Build a handbook in-process, as `mkdocs build --strict` would, for tests to inspect."""

from __future__ import annotations

import hashlib
import html
import logging
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from msp_handbook import sections

REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# The function itself, before any test wraps it to count what it writes (planned_pages).
_SECTIONS_WRITE = sections._write


def copy_project(destination: Path, *, with_partnerships: bool = True, only: str | None = None) -> Path:
    """A throw-away copy of the example handbook that a test may change.

    `only`: with that one example partnership and no practices (they name the
    others), for a test about the site rather than the records: it builds in
    half the time.
    """
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, destination / name)
    if with_partnerships and only is None:
        shutil.copytree(REPO / "partnerships", destination / "partnerships")
    else:
        (destination / "partnerships").mkdir()
        if only is not None:
            shutil.copytree(REPO / "partnerships" / only, destination / "partnerships" / only)
        # The example practices name the example partnerships.
        for practice in (destination / "content" / "practices").glob("*.md"):
            practice.unlink()
    shutil.copy(REPO / "mkdocs.yml", destination / "mkdocs.yml")
    return destination


def without_site_url(project: Path) -> Path:
    """`project` with the site_url line taken out of its mkdocs.yml."""
    config = project / "mkdocs.yml"
    config.write_text("\n".join(line for line in config.read_text().splitlines() if not line.startswith("site_url:")))
    return project


def build_site(project: Path, site_dir: Path | None = None, *, strict: bool = True, **options) -> Path:
    """Build `project` (strictly unless told, with `options` over mkdocs.yml's); raises like the CLI would exit non-zero."""
    site_dir = site_dir or project / "site"
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict, **options)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    build(config)
    return site_dir


def digest(site: Path) -> dict[str, str]:
    """sha256 of every file under `site`, by path: equal digests mean an untouched site."""
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


class Page(HTMLParser):
    """The parts of a built page the tests look at: text, ids, links and main content."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.html = path.read_text(encoding="utf-8")
        self.ids: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self._text: list[str] = []
        self._link: tuple[str, list[str]] | None = None
        self._skip = 0
        self.rows: list[list[str]] = []  # every table row of the page, cell texts
        self.tables: list[list[list[str]]] = []  # the same rows, table by table
        self._cell: list[str] | None = None
        self.feed(self.html)
        self.text = re.sub(r"\s+", " ", "".join(self._text))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"] or "")
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            self._link = (attributes.get("href") or "", [])
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.rows.append([])
            if self.tables:
                self.tables[-1].append(self.rows[-1])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        if tag == "a" and self._link is not None:
            href, text = self._link
            self.links.append((href, re.sub(r"\s+", " ", "".join(text)).strip()))
            self._link = None

    def handle_data(self, data):
        if self._skip:
            return
        self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)

    def row(self, first_cell: str) -> list[str]:
        """The table row whose first cell reads `first_cell`."""
        matches = [row for row in self.rows if row and row[0] == first_cell]
        assert len(matches) == 1, f"{len(matches)} rows start with {first_cell!r}"
        return matches[0]

    def article(self) -> str:
        """Text of the page body, without navigation chrome."""
        match = re.search(r'<article[^>]*>(.*)</article>', self.html, re.S)
        assert match, "page has no <article>"
        return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))))


def planned_pages(mkdocs_yml: Path, monkeypatch, *, share: bool,
                  directory_urls: bool) -> tuple[dict[str, str], list[str], list[str]]:
    """The generated pages' Markdown as check_site writes them, with the reuse of written sections
    and dashboard rows (sections.py) on or off; the warnings, and the partial of each thing written."""
    from msp_handbook.project import Project
    from msp_handbook.site import check_site

    written: list[str] = []
    monkeypatch.setattr(sections, "_all_packaged", lambda env: share)
    monkeypatch.setattr(sections, "_write", lambda *args: written.append(args[1]) or _SECTIONS_WRITE(*args))
    site = Project.read(mkdocs_yml)
    site.config.use_directory_urls = directory_urls
    check = check_site(site)
    assert not check.errors
    return {file.src_uri: file.content_string for file in check.pages}, sorted(map(str, check.warnings)), written
