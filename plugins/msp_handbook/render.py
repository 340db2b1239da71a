"""Render generated pages as Markdown source, with every text from YAML made inert.

Templates output Markdown for MkDocs to finish (so the table of contents,
search, permalinks and link checking work as on hand-written pages). Two
filters keep record text from ever becoming markup:

- `md` for plain text: HTML-escaped, and Markdown punctuation backslash-escaped,
  so `*`, `[x](javascript:...)` or `{#id}` show as typed.
- `markdown` for the fields documented as Markdown (log bodies, step notes):
  rendered here by a Markdown instance with raw HTML disabled and link targets
  restricted to safe schemes, then passed on as finished HTML.

The Jinja environment autoescapes, so anything else printed from a record is
HTML-escaped. Templates are looked up first in the site's `custom_dir` under
`partnerships/`, so any of them can be overridden by name.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import markdown
import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, pass_context
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

from . import markdown_limits
from .charts import chartable, indicator_chart
from .model import (PURPOSES, RATING_SYMBOLS, RATING_WORDS, SECTOR_DEFAULTS, SECTOR_LABELS, STATUS_LABELS,
                    is_partners_only, is_safe_url)
from .model.monitoring import GOAL_LEVELS, MEASURE_LABELS
from .structure import GeneratedPage
from .structure.dashboard import DASHBOARD_COLUMNS
from .structure.monitoring import format_value
from .structure.reviews import template_globals as review_template_globals
from .words import long_date, number
from .urls import SitePaths, relative_link
from .tables import TableLayoutExtension, wrappable

if TYPE_CHECKING:
    from .handbook import Handbook
    from .problems import Problem
    from .model import Phase

# Characters Python-Markdown treats as escapable (with the tables extension).
_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


# Explicit bidirectional overrides and isolates ("Trojan Source" characters)
# can make text read differently from what it is and flip the text around it.
# Ordinary right-to-left writing needs none of them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def plain(value: Any) -> str:
    """Record text on one line, without bidirectional controls (for autoescaped HTML)."""
    return " ".join(_BIDI_CONTROLS.sub("", str(value)).split())


def md_text(value: Any) -> Markup:
    """Plain record text, safe to place anywhere in Markdown source on one line."""
    return Markup(html.escape(_MD_PUNCTUATION.sub(r"\\\1", plain(value)), quote=True))


@dataclass(frozen=True)
class PageLink:
    """A relative link written in a Markdown field, that leads to no file of the site."""

    source: Path | None  # the file the Markdown came from
    written: str  # the link as written
    docs_path: str  # the file it would lead to, as a docs path


@dataclass
class FieldLinks:
    """How relative links in Markdown fields become URLs, for one build.

    `url_between(page_uri, docs_path)` is given by the build (from MkDocs'
    `File.url`): the URL of `docs_path` relative to the page `page_uri`, or
    None when the site has no such file. Links it cannot resolve are kept in
    `broken` for the build to report, as MkDocs does for hand-written pages.
    """

    url_between: Callable[[str, str], "str | None"]
    broken: list[PageLink] = field(default_factory=list)


_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)


def is_local_url(url: str) -> bool:
    """Whether a browser resolves `url` within the site: no scheme, and no host (`//host`, `\\\\host`).

    Judged as a browser reads it: entities decoded, white space and control
    characters dropped, and a backslash taken for a slash.
    """
    cleaned = "".join(ch for ch in html.unescape(url) if ch.isprintable() and not ch.isspace()).replace("\\", "/")
    return bool(cleaned) and not _URL_SCHEME.match(cleaned) and not cleaned.startswith("//")


class _SafeLinks(Treeprocessor):
    """Drops unsafe link targets and turns relative links (`../guide/x.md#y`) into site URLs.

    The rest of the page is finished by MkDocs, but this HTML is not, so
    relative links are resolved here, from the page the text appears on, by
    the build's `FieldLinks`.
    """

    page_uri = ""
    links: FieldLinks | None = None
    # Relative links of the latest conversion that lead nowhere: (as written, docs path).
    broken: list[tuple[str, str]] = []

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "img" and not is_local_url(element.get("src", "")):
                # Loading an image from elsewhere would tell that host who
                # reads the page: it becomes a link to the image, or (for a
                # script or data URL) only its description.
                src, alt = element.get("src", ""), element.get("alt", "") or "image"
                element.attrib.clear()
                element.tag, element.text = ("a", alt) if is_safe_url(src) else ("span", alt)
                if element.tag == "a":
                    element.set("href", src)
            key = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            url = element.get(key) if key else None
            if url is None:
                continue
            if not is_safe_url(url):
                del element.attrib[key]
            elif self.links is not None and (resolved := self.site_url(url)) is not None:
                element.set(key, resolved)

    def site_url(self, url: str) -> str | None:
        """The URL a relative link leads to, as MkDocs resolves links on hand-written pages."""
        scheme, netloc, path, query, anchor = urlsplit(url)
        if scheme or netloc or not path or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url:
            return None
        docs_path = posixpath.normpath(posixpath.join(posixpath.dirname(self.page_uri), unquote(path)))
        assert self.links is not None
        relative = self.links.url_between(self.page_uri, docs_path)
        if relative is None:
            self.broken.append((url, docs_path))
            return None
        return urlunsplit(("", "", relative, query, anchor))


def _safe_markdown() -> tuple[markdown.Markdown, _SafeLinks]:
    engine = markdown.Markdown(extensions=["tables", "sane_lists", TableLayoutExtension()], output_format="html")
    # Without these, raw HTML in record Markdown is treated as text and escaped.
    engine.preprocessors.deregister("html_block")
    engine.inlinePatterns.deregister("html")
    links = _SafeLinks(engine)
    engine.treeprocessors.register(links, "msp_safe_links", 0)
    engine.treeprocessors.register(_SECTIONS, "msp_sections", -10)
    return engine, links


class _SectionHeadings(Treeprocessor):
    """While `active`, marks the headings at the top level of the text, so
    `markdown_sections` can find them in the HTML (raw HTML being disabled,
    no text can forge the mark)."""

    active = False

    def run(self, root: etree.Element) -> None:
        if self.active:
            for child in root:
                if child.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    child.set("data-msp-section", "1")


_SECTIONS = _SectionHeadings()
_MARKDOWN, _LINKS = _safe_markdown()


@pass_context
def markdown_filter(context: Any, value: str | None, source: Path | None = None) -> Markup:
    """Template filter: a Markdown field as safe HTML, its relative links resolved by the build."""
    return markdown_html(value, context.get("page_uri", ""), context.get("field_links"), source)


def markdown_html(value: str | None, page_uri: str = "", links: FieldLinks | None = None,
                  source: Path | None = None) -> Markup:
    """Markdown from a record, as HTML that can contain no script or raw HTML.

    With `links`, relative links (`../guide/x.md#step`, counted from the page
    at docs path `page_uri`) become the site's URLs; the ones that lead
    nowhere are added to `links.broken`, located in `source`.
    """
    if not value:
        return Markup("")
    _MARKDOWN.reset()
    _LINKS.page_uri, _LINKS.links, _LINKS.broken = page_uri, links, []
    try:
        html_text = _MARKDOWN.convert(_BIDI_CONTROLS.sub("", value))
        if links is not None:
            links.broken.extend(PageLink(source, written, docs_path) for written, docs_path in _LINKS.broken)
        return Markup(html_text)
    finally:
        # Per-call state: the next conversion starts clean even after an error.
        _LINKS.page_uri, _LINKS.links, _LINKS.broken = "", None, []


_SECTION_HEADING = re.compile(r'^<h([1-6]) data-msp-section="1">(.*?)</h\1>$', re.M | re.S)


@pass_context
def markdown_sections(context: Any, value: str | None, source: Path | None = None) -> Markup:
    """Like `markdown`, but the text's own headings become Markdown headings of the page.

    MkDocs builds the table of contents (and search sections, permalinks)
    from the page's Markdown, not from finished HTML: so the sections between
    headings are passed on as safe HTML, and each heading as plain, escaped
    heading text, levels shifted so the highest is a page section (`##`).
    """
    _SECTIONS.active = True
    try:
        rendered = str(markdown_filter(context, value, source))
    finally:
        _SECTIONS.active = False
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


def page_header(title: str, searchable: bool = True, wide: bool = False) -> Markup:
    """Front matter and top heading of a generated page.

    Material prints `page.meta.title` unescaped into <title> and the header,
    and would unescape a title taken from the heading: so the title is given
    in the front matter, already HTML-escaped (JSON quoting is valid YAML).
    Pages that only repeat others (`searchable=False`) stay out of Material's search;
    a `wide` page (a table of many columns) gets the table of contents' room too.
    """
    meta: dict[str, Any] = {"title": html.escape(plain(title))}
    if not searchable:
        meta["search"] = {"exclude": True}
    if wide:
        meta["hide"] = ["toc"]
    front_matter = yaml.safe_dump(meta, allow_unicode=True, width=float("inf"), default_style='"')
    return Markup(f"---\n{front_matter}---\n\n# {md_text(title)}\n")


# Everything Markdown might read as syntax inside an attribute is
# percent-encoded (an equivalent URL), so a link target stays one attribute.
_URL_SAFE = "/:?#@&=+,;%.-"


def url(value: str) -> Markup:
    """A link target from a record, for `href="{{ x|url }}"` in Markdown source."""
    encoded = quote(value.strip(), safe=_URL_SAFE).replace("_", "%5F").replace("~", "%7E")
    return Markup(html.escape(encoded, quote=True))


# Signs written straight after the number in English ("45%"); every other
# unit is a word or symbol of its own ("2,140 households", "12 km").
_GLUED_UNITS = ("%", "‰")


def quantity(value: float, unit: str | None = None) -> Markup:
    """A measurement with its unit, for Markdown source: '2,140 households', '45%'.

    The space is part of the output, not of the unit: `md` trims record text,
    so a space concatenated in front of a unit used to vanish ('2,140households').
    A no-break space keeps the number on the line of its unit.
    """
    if not unit:
        return Markup(number(value))
    separator = "" if plain(unit) in _GLUED_UNITS else "\u00a0"
    return Markup(number(value) + separator) + md_text(unit)


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


def environment(override_dir: Path | None = None) -> Environment:
    """The Jinja environment for generated pages; templates in override_dir win by name."""
    loaders = [PackageLoader("msp_handbook", "templates")]
    if override_dir is not None and override_dir.is_dir():
        loaders.insert(0, FileSystemLoader(str(override_dir)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_text, plain=plain, markdown=markdown_filter, markdown_sections=markdown_sections,
                       long_date=long_date, number=number, quantity=quantity, url=url, partners_mark=partners_mark,
                       # Record text in an HTML table cell (the dashboard's): see tables.wrappable.
                       cell=lambda value: Markup(wrappable(plain(value))))
    env.globals.update(
        link=link,
        html_link=html_link,
        page_header=page_header,
        # The bounds of Markdown fields, stated on the reference page.
        markdown_limits=markdown_limits,
        SECTOR_LABELS=SECTOR_LABELS,
        SECTOR_DEFAULTS=SECTOR_DEFAULTS,
        STATUS_LABELS=STATUS_LABELS,
        PURPOSES=PURPOSES,
        RATING_SYMBOLS=RATING_SYMBOLS,
        RATING_WORDS=RATING_WORDS,
        GOAL_LEVELS=GOAL_LEVELS,
        DASHBOARD_COLUMNS=DASHBOARD_COLUMNS,
        MEASURE_LABELS=MEASURE_LABELS,
        format_value=format_value,
        chartable=chartable,
        # charts.py escapes every text it draws, so its SVG is finished markup.
        indicator_chart=lambda indicator, chart_id: Markup(indicator_chart(indicator, chart_id)),
    )
    env.globals.update(review_template_globals())
    return env


def guide_with_practices(markdown_source: str, handbook: "Handbook", phase: "Phase", page_uri: str,
                         practices_uri: str = "practices") -> str:
    """A phase's guidance page with, under each step's heading, the practices for that step.

    The guidance stays hand-written; the lists come from the practices' own
    front matter, so the two-way links never need editing by hand.
    """
    from .structure.pages import practices_for_step

    lines = markdown_source.split("\n")
    paths = SitePaths(practices_uri)
    for step in phase.steps:
        practices = practices_for_step(handbook, step)
        if not practices:
            continue
        heading = re.compile(r"^#{1,6} .*\{[^}]*#" + re.escape(step.id) + r"[\s}]")
        index = next((i for i, line in enumerate(lines) if heading.match(line)), None)
        if index is None:
            continue
        items = [
            f"    - [{md_text(practice.title)}]({relative_link(page_uri, paths.practice(practice.slug))}): "
            f"{md_text(practice.summary)}"
            for practice in practices
        ]
        lines[index + 1:index + 1] = ["", '!!! tip "Good practices for this step"', "", *items, ""]
    return "\n".join(lines)


def problems_banner(problems: list["Problem"]) -> str:
    """A warning block for the top of every page while `mkdocs serve` shows an older version."""
    lines = [f'!!! failure "{len(problems)} problem{"s" if len(problems) != 1 else ""} in the sources: '
             'this preview shows the last version without problems"', ""]
    for problem in problems:
        message = problem.message if problem.message.endswith(("?", ".", "!")) else problem.message + "."
        fix = f" Fix: {md_text(problem.fix)}" if problem.fix else ""
        lines.append(f"    - **{md_text(problem.location())}**: {md_text(message)}{fix}")
    return "\n".join(lines) + "\n\n"
