"""Where every generated page lives, in one place.

Each function gives the docs path (`src_uri`) of a generated page: the path a
hand-written Markdown file at the same place would have. MkDocs turns docs
paths into URLs (`File.url`, under either `use_directory_urls` setting), so
nothing here formats a URL itself. Python (structure/pages.py) and the
templates (through the `urls` global and `link`) both use these functions.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import urljoin
from dataclasses import dataclass

PARTNERSHIPS_FOLDER = "partnerships"

# A partnership's pages, in the order of its tabs: (name in the URL, tab label).
PARTNERSHIP_TABS: tuple[tuple[str, str], ...] = (
    ("index", "Overview"),
    ("stakeholders", "Stakeholders"),
    ("cycle", "Cycle"),
    ("governance", "Governance"),
    ("code-of-conduct", "Code of conduct"),
    ("monitoring", "Monitoring"),
    ("log", "Log"),
)


# Feed kind -> file name ending; the media types are in feeds.py.
FEED_SUFFIXES = {"atom": "atom.xml", "json": "json"}


# Filter pages of the dashboard live in these folders of the partnerships folder.
FILTER_FOLDERS = ("sector", "phase", "freshness")

# Partnership slugs that would put a partnership's pages or files where the
# site-wide ones are: slug -> what already lives there (a reader's words).
RESERVED_SLUGS: dict[str, str] = {
    "index": "its open data would overwrite /partnerships/index.json, the list of every partnership",
    "feed": "its open data would overwrite /partnerships/feed.json, the site's JSON Feed",
    **{folder: f"/partnerships/{folder}/ holds the dashboard's pages filtered by {folder}" for folder in FILTER_FOLDERS},
}


def sector_slug(sector: str) -> str:
    """A sector id as it appears in a URL (`public_sector` -> `public-sector`)."""
    return sector.replace("_", "-")


@dataclass(frozen=True)
class SitePaths:
    """The docs paths of generated pages; `practices` is the practices' folder in the docs."""

    practices: str = "practices"

    def partnerships(self) -> str:
        """The dashboard: the list of every partnership."""
        return f"{PARTNERSHIPS_FOLDER}/index.md"

    def partnership(self, slug: str, tab: str = "index") -> str:
        """One tab of a partnership (`index` is its overview)."""
        return f"{PARTNERSHIPS_FOLDER}/{slug}/{tab}.md"

    def partnerships_by_sector(self, sector: str) -> str:
        """The dashboard narrowed to the partnerships a sector takes part in."""
        return f"{PARTNERSHIPS_FOLDER}/{FILTER_FOLDERS[0]}/{sector_slug(sector)}.md"

    def partnerships_by_phase(self, phase_id: str) -> str:
        """The dashboard narrowed to the partnerships in one phase of the cycle."""
        return f"{PARTNERSHIPS_FOLDER}/{FILTER_FOLDERS[1]}/{phase_id}.md"

    def partnerships_by_freshness(self, colour: str) -> str:
        """The dashboard narrowed to the partnerships whose record is green, amber or red."""
        return f"{PARTNERSHIPS_FOLDER}/{FILTER_FOLDERS[2]}/{colour}.md"

    def dossier(self, slug: str) -> str:
        """A partnership's printable page: not one of its tabs, linked from its overview."""
        return f"{PARTNERSHIPS_FOLDER}/{slug}/dossier.md"

    def reference(self) -> str:
        """The reference page: every key of the records, and the site's options."""
        return "reference/index.md"

    def practices_list(self) -> str:
        """The list of every good practice."""
        return f"{self.practices}/index.md"

    def practice(self, slug: str) -> str:
        """The page of one good practice."""
        return f"{self.practices}/{slug}.md"

    def phase(self, phase_id: str) -> str:
        """The good practices for one phase of the cycle."""
        return f"{self.practices}/phases/{phase_id}.md"

    def tag(self, tag: str) -> str:
        """The good practices with one tag."""
        return f"{self.practices}/tags/{tag}.md"

    def sector(self, sector: str) -> str:
        """The good practices for one sector."""
        return f"{self.practices}/sectors/{sector_slug(sector)}.md"

    # Files for machines (open data, feeds, IATI): their docs path is also their URL.

    def open_data_index(self) -> str:
        """The open-data index of every published partnership."""
        return f"{PARTNERSHIPS_FOLDER}/index.json"

    def open_data(self, slug: str) -> str:
        """The open-data file of one partnership."""
        return f"{PARTNERSHIPS_FOLDER}/{slug}.json"

    def open_data_schema(self) -> str:
        """The JSON Schema of the open-data files."""
        return f"{PARTNERSHIPS_FOLDER}/export.schema.json"

    def feed(self, kind: str, slug: str | None = None) -> str:
        """`kind` is `atom` or `json`; without `slug`, the feed of the whole site."""
        folder = f"{PARTNERSHIPS_FOLDER}/{slug}" if slug else PARTNERSHIPS_FOLDER
        return f"{folder}/feed.{FEED_SUFFIXES[kind]}"

    def iati(self, slug: str | None = None) -> str:
        """Without `slug`, the file with every partnership's activity."""
        return f"{PARTNERSHIPS_FOLDER}/{slug}.iati.xml" if slug else f"{PARTNERSHIPS_FOLDER}/iati-activities.xml"


def partnership_of(src_uri: str) -> str | None:
    """The slug of the partnership a generated page (by docs path) belongs to, if any."""
    folder, _, rest = src_uri.partition("/")
    slug, _, tab = rest.partition("/")
    return slug if folder == PARTNERSHIPS_FOLDER and tab else None


def published_url(site_url: str | None, file_url: str) -> str:
    """The address machines (feeds, open data, IATI) use for a file whose MkDocs `File.url` is `file_url`.

    Absolute from `site_url` when it is set; otherwise relative to the site's root.
    """
    return urljoin(site_url.rstrip("/") + "/", file_url) if site_url else file_url


def relative_link(page_uri: str, target: str) -> str:
    """A Markdown link target from the page at docs path `page_uri` to `target` (`guide/x.md#step`).

    The result is a relative docs path, as a hand-written page would write it;
    MkDocs resolves it to the target's URL and checks that the target exists.
    """
    path, _, anchor = target.partition("#")
    relative = _relative_path(path, posixpath.dirname(page_uri)) if path else ""
    return relative + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=16_384)
def _relative_path(path: str, here: str) -> str:
    # Kept: a build asks the same few paths from the same few folders tens of
    # thousands of times, and relpath makes both absolute (a getcwd) each time.
    return posixpath.relpath(path, here or ".")


def forget_relative_paths() -> None:
    """Lets go of the relative paths kept while pages are rendered (see render.forget_rendered_text)."""
    _relative_path.cache_clear()
