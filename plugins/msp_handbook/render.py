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

import datetime as dt
import html
import json
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import markdown
import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, pass_context
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .model import PURPOSES, SECTOR_DEFAULTS, SECTOR_LABELS, STATUS_LABELS, is_safe_url
from .structure import GeneratedPage

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


_PAGE_LINK = re.compile(r"^(?![a-z][a-z0-9+.\-]*:|/|#)([^?#]*\.md)(#.*)?$", re.IGNORECASE)


def page_url(docs_path: str, use_directory_urls: bool = True) -> str:
    """The site URL path of a Markdown file in the docs, as MkDocs gives it."""
    stem = docs_path[: -len(".md")]
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


class _SafeLinks(Treeprocessor):
    """Drops unsafe link targets and turns links to other pages (`x.md`) into site URLs.

    The rest of the page is finished by MkDocs, but this HTML is not, so links
    written the way hand-written pages write them are resolved here, from the
    page the text appears on (`page_uri`, a docs path).
    """

    page_uri = ""
    use_directory_urls = True

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        # (link as written, docs path it leads to) for the latest conversion.
        self.resolved: list[tuple[str, str]] = []

    def run(self, root: etree.Element) -> None:
        self.resolved = []
        for element in root.iter():
            if element.tag == "img" and not is_safe_url(element.get("src", "")):
                # An image that may not load is shown as its description.
                alt = element.get("alt", "")
                element.attrib.clear()
                element.tag, element.text = "span", alt
            url = element.get("href")
            if url is not None and not is_safe_url(url):
                del element.attrib["href"]
            elif url is not None and self.page_uri and (match := _PAGE_LINK.match(url)):
                element.set("href", self.site_link(match.group(1), match.group(2) or ""))

    def site_link(self, target: str, anchor: str) -> str:
        here = posixpath.dirname(self.page_uri)
        docs_path = posixpath.normpath(posixpath.join(here, target))
        self.resolved.append((target + anchor, docs_path))
        from_dir = posixpath.dirname(page_url(self.page_uri, self.use_directory_urls) + "x")
        to_url = page_url(docs_path, self.use_directory_urls)
        relative = posixpath.relpath(to_url or ".", from_dir or ".")
        if (to_url == "" or to_url.endswith("/")) and not relative.endswith("/"):
            relative += "/"
        return relative + anchor


def _safe_markdown() -> tuple[markdown.Markdown, _SafeLinks]:
    engine = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # Without these, raw HTML in record Markdown is treated as text and escaped.
    engine.preprocessors.deregister("html_block")
    engine.inlinePatterns.deregister("html")
    links = _SafeLinks(engine)
    engine.treeprocessors.register(links, "msp_safe_links", 0)
    return engine, links


_MARKDOWN, _LINKS = _safe_markdown()


@dataclass(frozen=True)
class PageLink:
    """A link to another page written in a Markdown field, for the build to check."""

    source: Path | None  # the file the Markdown came from
    written: str
    docs_path: str


@pass_context
def markdown_filter(context: Any, value: str | None, source: Path | None = None) -> Markup:
    """Template filter: a Markdown field as safe HTML, noting its page links for checking."""
    rendered = markdown_html(value, context.get("page_uri", ""), context.get("use_directory_urls", True))
    page_links = context.get("page_links")
    if page_links is not None:
        page_links.extend(PageLink(source, written, docs_path) for written, docs_path in _LINKS.resolved)
    return rendered


def markdown_html(value: str | None, page_uri: str = "", use_directory_urls: bool = True) -> Markup:
    """Markdown from a record, as HTML that can contain no script or raw HTML.

    With `page_uri` (the docs path of the page it appears on), links to other
    pages written as `../guide/x.md#step` become the site's URLs.
    """
    _LINKS.resolved = []
    if not value:
        return Markup("")
    _MARKDOWN.reset()
    _LINKS.page_uri, _LINKS.use_directory_urls = page_uri, use_directory_urls
    return Markup(_MARKDOWN.convert(_BIDI_CONTROLS.sub("", value)))


def page_header(title: str) -> Markup:
    """Front matter and top heading of a generated page.

    Material prints `page.meta.title` unescaped into <title> and the header,
    and would unescape a title taken from the heading: so the title is given
    in the front matter, already HTML-escaped (JSON quoting is valid YAML).
    """
    front_matter = yaml.safe_dump(
        {"title": html.escape(plain(title))}, allow_unicode=True, width=float("inf"), default_style='"'
    )
    return Markup(f"---\n{front_matter}---\n\n# {md_text(title)}\n")


# Everything Markdown might read as syntax inside an attribute is
# percent-encoded (an equivalent URL), so a link target stays one attribute.
_URL_SAFE = "/:?#@&=+,;%.-"


def url(value: str) -> Markup:
    """A link target from a record, for `href="{{ x|url }}"` in Markdown source."""
    encoded = quote(value.strip(), safe=_URL_SAFE).replace("_", "%5F").replace("~", "%7E")
    return Markup(html.escape(encoded, quote=True))


def long_date(value: dt.date | None) -> str:
    """A date as people write it in prose, e.g. 3 March 2025; empty for no date."""
    return f"{value.day} {value:%B %Y}" if value else ""


def number(value: float) -> str:
    """1200.0 as 1,200 and 12.5 as 12.5: measurements read as people write them."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def render_page(env: Environment, page: "GeneratedPage") -> str:
    """The Markdown source of one generated page, its template named in the front matter."""
    source = env.get_template(page.template).render(page.context, page_uri=page.src_uri)
    if source.startswith("---\n"):
        source = f"---\nmsp_template: {json.dumps(page.template)}\n" + source[4:]
    return source


@pass_context
def link(context: Any, target: str) -> str:
    """Relative link from the page being rendered to another docs path (`guide/x.md#y`)."""
    path, _, anchor = target.partition("#")
    here = posixpath.dirname(context["page_uri"])
    relative = posixpath.relpath(path, here or ".") if path else ""
    return relative + (f"#{anchor}" if anchor else "")


def environment(override_dir: Path | None = None, use_directory_urls: bool = True) -> Environment:
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
    env.filters.update(md=md_text, plain=plain, markdown=markdown_filter, long_date=long_date, number=number, url=url)
    env.globals.update(
        use_directory_urls=use_directory_urls,
        # Filled while rendering; the plugin checks them once every page exists.
        page_links=[],
        link=link,
        page_header=page_header,
        SECTOR_LABELS=SECTOR_LABELS,
        SECTOR_DEFAULTS=SECTOR_DEFAULTS,
        STATUS_LABELS=STATUS_LABELS,
        PURPOSES=PURPOSES,
    )
    return env


def guide_with_practices(markdown_source: str, handbook: "Handbook", phase: "Phase", page_uri: str,
                         practices_uri: str = "practices") -> str:
    """A phase's guidance page with, under each step's heading, the practices for that step.

    The guidance stays hand-written; the lists come from the practices' own
    front matter, so the two-way links never need editing by hand.
    """
    from .structure.pages import practices_for_step

    lines = markdown_source.split("\n")
    context = {"page_uri": page_uri}
    for step in phase.steps:
        practices = practices_for_step(handbook, step)
        if not practices:
            continue
        heading = re.compile(r"^#{1,6} .*\{[^}]*#" + re.escape(step.id) + r"[\s}]")
        index = next((i for i, line in enumerate(lines) if heading.match(line)), None)
        if index is None:
            continue
        items = [
            f"    - [{md_text(practice.title)}]({link(context, practices_uri + '/' + practice.slug + '.md')}): "
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
