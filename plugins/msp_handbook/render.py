"""The Jinja environment generated pages are rendered in, and `render_page`, which renders one.

Templates output Markdown for MkDocs to finish (so the table of contents,
search, permalinks and link checking work as on hand-written pages). Record
text never becomes markup: the environment autoescapes, `md` and the other
filters of escaping.py make plain text inert in Markdown source, and `markdown`
passes on the fields documented as Markdown (log bodies, step notes) as the
safe HTML field_markdown.py converts them to.

Templates are looked up first in the site's `custom_dir`, so any of them can
be overridden by name.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from typing import Any, Callable

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup

from . import markdown_limits
from .charts import chartable, indicator_chart
from .escaping import forget_escaped, md_text, page_header, plain, quantity, url
from .field_markdown import SECTIONS, FieldLinks, PageLink, forget_converted, markdown_html
from .model import PURPOSES, SECTOR_DEFAULTS, SECTOR_LABELS, STATUS_LABELS, is_partners_only
from .model.monitoring import GOAL_LEVELS, MEASURE_LABELS
from .structure import GeneratedPage
from .structure.dashboard import DASHBOARD_COLUMNS
from .structure.monitoring import format_value
from .structure.reviews import template_globals as review_template_globals
from .words import long_date, number
from .urls import forget_relative_paths, relative_link
from .tables import wrappable
from .template_output import PageEnvironment, compiled_templates
from .sections import DashboardRows, SharedSections, heading as section_heading


@pass_context
def markdown_filter(context: Any, value: str | None, source: Path | None = None) -> Markup:
    """Template filter: a Markdown field as safe HTML, its relative links resolved by the build."""
    return markdown_html(value, context.get("page_uri", ""), context.get("field_links"), source)


_SECTION_HEADING = re.compile(r'^<h([1-6]) data-msp-section="1">(.*?)</h\1>$', re.M | re.S)


@pass_context
def markdown_sections(context: Any, value: str | None, source: Path | None = None) -> Markup:
    """Like `markdown`, but the text's own headings become Markdown headings of the page.

    MkDocs builds the table of contents (and search sections, permalinks)
    from the page's Markdown, not from finished HTML: so the sections between
    headings are passed on as safe HTML, and each heading as plain, escaped
    heading text, levels shifted so the highest is a page section (`##`).
    """
    SECTIONS.active = True
    try:
        rendered = str(markdown_filter(context, value, source))
    finally:
        SECTIONS.active = False
    headings = list(_SECTION_HEADING.finditer(rendered))
    shift = 2 - min((int(heading.group(1)) for heading in headings), default=2)
    parts, start = [], 0
    for heading in headings:
        parts.append(_body_block(rendered[start:heading.start()]))
        text = html.unescape(re.sub(r"<[^>]+>", "", heading.group(2)))
        parts.append("#" * min(int(heading.group(1)) + shift, 6) + " " + md_text(text))
        start = heading.end()
    parts.append(_body_block(rendered[start:]))
    return Markup("\n\n".join(part for part in parts if part))


def _body_block(rendered: str) -> str:
    rendered = rendered.strip()
    return f'<div class="msp-practice-body">\n{rendered}\n</div>' if rendered else ""


def render_page(env: Environment, page: "GeneratedPage", links: FieldLinks | None = None) -> str:
    """The Markdown source of one generated page, its template named in the front matter.

    `links` resolves relative links in the page's Markdown fields (see FieldLinks).
    """
    source = env.get_template(page.template).render(page.context, page_uri=page.src_uri, field_links=links)
    if source.startswith("---\n"):
        source = f"---\nmsp_template: {json.dumps(page.template)}\n" + source[4:]
    return source


@pass_context
def link(context: Any, target: str) -> str:
    """Relative link from the page being rendered to another docs path (`guide/x.md#y`)."""
    return relative_link(context["page_uri"], target)


@pass_context
def html_link(context: Any, target: str) -> str:
    """The URL of docs path `target` (`x/log.md#entry`) from the page being rendered, for a link in
    raw HTML, which MkDocs leaves alone: from the build's File.url (FieldLinks), else `link`'s docs path."""
    path, _, anchor = target.partition("#")
    links: FieldLinks | None = context.get("field_links")
    resolved = links.url_between(context["page_uri"], path) if links is not None else None
    if resolved is None:
        if links is not None:  # a template linking to no page: reported like a broken link
            links.broken.append(PageLink(None, target, path))
        return link(context, target)
    return resolved + (f"#{anchor}" if anchor else "")


def partners_mark(item: object) -> Markup:
    """A visible "Partners only" label after an entry marked `visibility: partners` (partners' build only)."""
    if not is_partners_only(item):
        return Markup("")
    return Markup(' <span class="msp-partners-only">Partners only</span>')


class _TemplateFiles(ChoiceLoader):
    """The template files, overrides first; whether one changed on disk is asked once per build.

    Jinja asks it at every include (a stat of the file), thousands of times a
    build; the preview still sees an edited template at its next rebuild.
    """

    def __init__(self, loaders: list) -> None:
        super().__init__(loaders)
        self.build = 0

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        if uptodate is None:
            return source, filename, None
        checked = [self.build]  # the build in which the file was last found unchanged

        def unchanged() -> bool:
            if checked[0] != self.build:
                if not uptodate():
                    return False
                checked[0] = self.build
            return True

        return source, filename, unchanged

    def load(self, environment: Environment, name: str, globals: Any = None) -> Any:  # noqa: A002 - Jinja's name
        # Through get_source above (ChoiceLoader's own load asks each loader directly).
        return BaseLoader.load(self, environment, name, globals)


class PersonLinks:
    """The template global `person(partnership, ident)`: a stakeholder's or facilitator's name, linked,
    as the macro `person` of partnerships/_person.html writes it (a site may override that file).

    The macro was called some 28,000 times at N=100, for a few hundred different people: what it
    writes depends only on the partnership, the id and the folder of the page (its links are
    relative), so it runs once for each and is kept while a build's pages are written (see let_go). For the
    same reason the template's module, bound to a page's variables, serves the pages of its folder
    that come one after another: making one copies every variable and global, and cost more than
    the macro. Only the last folder's module is kept, since it holds that page's partnership: one
    per folder would keep every partnership's model alive until the build ends.
    """

    TEMPLATE = "partnerships/_person.html"

    def __init__(self) -> None:
        self.new_build()

    def new_build(self) -> None:
        """Nothing written for the last build is kept: a record reloaded in place starts afresh."""
        self.written: dict[tuple[str, str, str], Markup] = {}
        self.module: tuple[str, Any] = ("", None)  # the last page folder, and the template's module for it
        # The last page's folder and the last partnership's slug: asked on every call, the same for
        # hundreds in a row, and a pydantic private attribute takes ~2 us to read (~14,000 calls at N=100).
        self.page: tuple[str, str] = ("", "")
        self.partnership: tuple[object, str] = (None, "")

    @pass_context
    def __call__(self, context: Any, partnership: Any, ident: str) -> Markup:
        """The person `ident` of `partnership` as the macro writes them on the page being rendered."""
        page_uri = context["page_uri"]
        if page_uri != self.page[0]:
            self.page = (page_uri, posixpath.dirname(page_uri))
        if partnership is not self.partnership[0]:
            self.partnership = (partnership, partnership.slug)
        key = (self.partnership[1], ident, self.page[1])
        written = self.written.get(key)
        if written is None:
            # The macro, bound to the variables of a page of this folder, as an import `with context` would be.
            folder, macros = self.module
            if macros is None or folder != self.page[1]:
                macros = context.environment.get_template(self.TEMPLATE).make_module(context.get_all())
                self.module = (self.page[1], macros)
            written = self.written[key] = Markup(macros.person(partnership, ident))
        return written


def new_build(env: Environment) -> None:
    """Templates are checked for changes again (once each) from now on; kept output is let go."""
    if isinstance(env.loader, _TemplateFiles):
        env.loader.build += 1
    let_go(env)


def let_go(env: Environment) -> None:
    """The template globals that keep output while pages are rendered let go of it, and of the
    last page's variables they hold (every partnership, after a dashboard page)."""
    for kept in (env.globals.get("person"), env.globals.get("shared_section"), env.globals.get("dashboard_row")):
        if isinstance(kept, (PersonLinks, SharedSections, DashboardRows)):  # a site's own globals are left alone
            kept.new_build()


def forget_rendered_text() -> None:
    """Lets go of the text kept while pages are rendered (escaped names, converted fields, relative links).

    Kept to answer the next page's same question, it serves nothing once every
    page is made: a build lets go of it then, so it is not held at the build's
    peak, when Material writes the search index. Serve keeps it: the next
    save renders the same texts again.
    """
    forget_escaped()
    forget_relative_paths()
    forget_converted()


# The filters that print record text (see escaping.py and field_markdown.py).
_FILTERS: dict[str, Callable[..., Any]] = dict(
    md=md_text, plain=plain, markdown=markdown_filter, markdown_sections=markdown_sections,
    long_date=long_date, number=number, quantity=quantity, url=url, partners_mark=partners_mark,
    # Record text in an HTML table cell (the dashboard's): see tables.wrappable.
    cell=lambda value: Markup(wrappable(plain(value))),
)

# The partnership world's words and labels, as the templates name them (the reviews' own are
# structure/reviews.py's template_globals).
_VOCABULARY: dict[str, Any] = dict(
    SECTOR_LABELS=SECTOR_LABELS, SECTOR_DEFAULTS=SECTOR_DEFAULTS, STATUS_LABELS=STATUS_LABELS, PURPOSES=PURPOSES,
    GOAL_LEVELS=GOAL_LEVELS, DASHBOARD_COLUMNS=DASHBOARD_COLUMNS, MEASURE_LABELS=MEASURE_LABELS,
)


def environment(override_dir: Path | None = None) -> Environment:
    """The Jinja environment for generated pages; templates in override_dir win by name."""
    loaders = [PackageLoader("msp_handbook", "templates")]
    if override_dir is not None and override_dir.is_dir():
        loaders.insert(0, FileSystemLoader(str(override_dir)))
    # Values are printed as autoescape prints them, a cheaper way (see template_output.py).
    env = PageEnvironment(
        loader=_TemplateFiles(loaders),
        bytecode_cache=compiled_templates(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_FILTERS)
    env.globals.update(_page_globals(), **_VOCABULARY, **review_template_globals())
    return env


def _page_globals() -> dict[str, Any]:
    """What templates call by name; those that keep output are new for each environment."""
    return dict(
        link=link,
        html_link=html_link,
        page_header=page_header,
        heading=section_heading,
        person=PersonLinks(),
        # A partnership's sections, written for its tab, reused by its dossier (sections.py).
        shared_section=SharedSections(),
        # The dashboard's rows, written once and reused on every dashboard page they read the same on
        # (sections.py).
        dashboard_row=DashboardRows(),
        # The bounds of Markdown fields, stated on the reference page.
        markdown_limits=markdown_limits,
        format_value=format_value,
        chartable=chartable,
        # charts.py escapes every text it draws, so its SVG is finished markup.
        indicator_chart=lambda indicator, chart_id: Markup(indicator_chart(indicator, chart_id)),
    )
