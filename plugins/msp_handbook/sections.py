"""A partnership's sections, written once for its tab and reused by its printable dossier.

The dossier repeats every tab's section (templates/partnerships/_<name>.html):
rendering each twice was about a third of the Jinja time of a build. The two
uses differ in three ways, each handled here rather than assumed away:

- headings: the dossier's are one level deeper. The packaged partials write
  their heading marks through `heading(level)`; while a section is written
  for sharing, that gives a placeholder (a control character no record can
  hold, see files.decode), put in as `#`s for each use.
- links: `link()` is relative to the page's folder, the same for a tab and
  its dossier; the URLs of links in Markdown fields and of `html_link` come
  from the build (FieldLinks) and can differ (use_directory_urls puts
  `index.md` and `dossier.md` in other folders, and a link to the tab itself
  differs). Every URL asked while writing the section is noted: the dossier
  reuses it only if each one is the same from the dossier, else writes its own.
- the log: the dossier shows only the latest entries, so it writes its own.

A site that overrides a partial gets it rendered as it is, never shared.

The dashboard's rows are reused the same way (DashboardRows): its filter pages repeat them.
"""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, pass_context
from markupsafe import Markup

from .field_markdown import FieldLinks, PageLink

_HEADING_MARK = "\x01{}\x01"
_HEADING_MARKS = re.compile("\x01([1-6])\x01")


@pass_context
def heading(context: Any, level: int) -> Markup:
    """The Markdown mark of a section's heading of `level` (2 for `##`), one deeper in the dossier."""
    if context.get("shared_headings"):
        return Markup(_HEADING_MARK.format(level))
    return Markup("#" * min(level + context.get("heading_shift", 0), 6))


@dataclass
class _Written:
    """A section as written for one page, and what it depends on beyond the partnership."""

    text: str  # with heading placeholders
    folder: str  # of the page: `link()` and `person()` are relative to it
    urls: dict[str, str | None] = field(default_factory=dict)  # docs path -> URL from the page
    broken: list[PageLink] = field(default_factory=list)

    def fits(self, page_uri: str, links: FieldLinks | None, any_folder: bool = False) -> bool:
        """Whether the page at `page_uri` would write the same: from the same folder (unless the text
        has no link written relative to its folder: `any_folder`), with every URL it asked the same."""
        if not any_folder and _folder(page_uri) != self.folder:
            return False
        if not self.urls:
            return True
        return links is not None and all(links.url_between(page_uri, path) == url for path, url in self.urls.items())


class SharedSections:
    """The template global `shared_section(name, heading_shift=0)`: the partial `partnerships/_<name>.html`
    of the partnership being rendered, kept from its tab for its dossier (see the module's docstring).

    Only the current partnership's sections are kept: the tabs come just before their dossier.
    """

    def __init__(self) -> None:
        self.partnership: object = None
        self.written: dict[str, _Written] = {}
        # Whether every partial is ours (asked once per build): see _all_packaged.
        self.sharing: bool | None = None

    def new_build(self) -> None:
        """Nothing is kept from the last build; whether a partial is overridden is asked again."""
        self.partnership, self.written, self.sharing = None, {}, None

    @pass_context
    def __call__(self, context: Any, name: str, heading_shift: int = 0) -> Markup:
        """The section `name` of the page's partnership, its headings `heading_shift` levels deeper."""
        env: Environment = context.environment
        template_name = f"partnerships/_{name}.html"
        variables = context.get_all()
        if self.sharing is None:
            self.sharing = _all_packaged(env)
        if not self.sharing:
            return Markup(env.get_template(template_name).render({**variables, "heading_shift": heading_shift}))
        partnership, page_uri, links = variables["partnership"], variables["page_uri"], variables.get("field_links")
        if partnership is not self.partnership:
            self.partnership, self.written = partnership, {}
        written = self.written.get(name)
        if written is not None and written.fits(page_uri, links):
            if links is not None:  # reported again from this page, as writing it anew would
                links.broken.extend(written.broken)
        else:
            written = self.written[name] = _write(env, template_name, variables, page_uri, links)
        marks = {str(level): "#" * min(level + heading_shift, 6) for level in range(1, 7)}
        return Markup(_HEADING_MARKS.sub(lambda found: marks[found.group(1)], written.text))


class DashboardRows:
    """The template global `dashboard_row(row)`: a partnership's row of the dashboard, the partial
    `partnerships/_dashboard_row.html`, written once and reused on the other dashboard pages it fits.

    The filter pages repeat the dashboard's rows (800 rows at N=100, a hundred partnerships): a
    row depends on the page only through its links, so it is reused, as a section is for the
    dossier, where every URL it asked for is the same (_Written.fits). Unlike a section, from any
    folder: the row's links are all html_link's, asked through FieldLinks and so compared, none
    written relative to the page's folder (link(), person()); the dashboard and its filter pages
    lie in four folders. Kept for one build (see render.let_go); nothing is shared when a site
    overrides a partial.
    """

    TEMPLATE = "partnerships/_dashboard_row.html"

    def __init__(self) -> None:
        self.new_build()

    def new_build(self) -> None:
        """Nothing is kept from the last build; whether a partial is overridden is asked again."""
        # By id of the row, with the row itself (so its id stays its own): each way it was written.
        self.written: dict[int, tuple[object, list[_Written]]] = {}
        self.sharing: bool | None = None

    @pass_context
    def __call__(self, context: Any, row: Any) -> Markup:
        """The row as the partial writes it on the page being rendered."""
        env: Environment = context.environment
        variables = {**context.get_all(), "row": row}
        if self.sharing is None:
            self.sharing = _all_packaged(env)
        if not self.sharing:
            return Markup(env.get_template(self.TEMPLATE).render(variables))
        page_uri, links = variables["page_uri"], variables.get("field_links")
        _, kept = self.written.setdefault(id(row), (row, []))
        for written in kept:
            # Without FieldLinks, html_link falls back to link(), relative to the folder.
            if written.fits(page_uri, links, any_folder=links is not None):
                if links is not None:  # reported again from this page, as writing it anew would
                    links.broken.extend(written.broken)
                return Markup(written.text)
        written = _write(env, self.TEMPLATE, variables, page_uri, links)
        kept.append(written)
        return Markup(written.text)


def _write(env: Environment, template_name: str, variables: dict, page_uri: str, links: FieldLinks | None) -> _Written:
    written = _Written("", _folder(page_uri))
    noting = None
    if links is not None:
        def url_between(from_page: str, docs_path: str) -> str | None:
            url = links.url_between(from_page, docs_path)
            if from_page == page_uri:
                written.urls[docs_path] = url
            return url
        noting = FieldLinks(url_between)
    written.text = env.get_template(template_name).render(
        {**variables, "field_links": noting, "shared_headings": True, "heading_shift": 0})
    if links is not None and noting is not None:
        written.broken = noting.broken
        links.broken.extend(noting.broken)
    return written


def _folder(page_uri: str) -> str:
    return page_uri.rpartition("/")[0]


def _all_packaged(env: Environment) -> bool:
    """Whether every partial of a partnership's pages is ours: a site's override of one (a section or a
    part it includes) may write its headings otherwise than through `heading`, so nothing is shared."""
    ours = str(Path(__file__).parent / "templates")
    partials = env.list_templates(filter_func=lambda name: name.startswith("partnerships/_"))
    return all((env.get_template(name).filename or "").startswith(ours) for name in partials)
