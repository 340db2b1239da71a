"""Markdown fields of records as HTML that can hold no script, raw HTML or foreign request.

One Markdown instance, with raw HTML disabled and link targets restricted to
safe schemes, converts every field (validation and rendering alike), reset
between conversions.

A field is usually converted more than once in a build: when it is validated
(see markdown_limits.py), on its tab, in the dossier. The HTML of a text
depends only on the text, unless it holds a relative link (those resolve
from the page it appears on), so it is kept and reused, within a bound on
memory. Plain paragraphs, without a character Markdown gives a meaning to,
skip the converter: their HTML is written directly, the same as the
converter's (tests/test_markdown_fields.py compares the two).
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit, urlunsplit

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

from .model import is_safe_url
from .tables import TableLayoutExtension

# Explicit bidirectional overrides and isolates ("Trojan Source" characters)
# can make text read differently from what it is and flip the text around it.
# Ordinary right-to-left writing needs none of them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


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


def _relative_path(url: str) -> bool:
    """Whether `url` is a path the build resolves from the page it appears on (`../guide/x.md#y`)."""
    scheme, netloc, path, _, _ = urlsplit(url)
    return not (scheme or netloc or not path or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url)


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
    # Whether the latest conversion had a relative link, so its HTML depends on the page.
    relative = False

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
            elif _relative_path(url):
                self.relative = True
                if self.links is not None and (resolved := self.site_url(url)) is not None:
                    element.set(key, resolved)

    def site_url(self, url: str) -> str | None:
        """The URL a relative link leads to, as MkDocs resolves links on hand-written pages."""
        _, _, path, query, anchor = urlsplit(url)
        docs_path = posixpath.normpath(posixpath.join(posixpath.dirname(self.page_uri), unquote(path)))
        assert self.links is not None
        relative = self.links.url_between(self.page_uri, docs_path)
        if relative is None:
            self.broken.append((url, docs_path))
            return None
        return urlunsplit(("", "", relative, query, anchor))


class _SectionHeadings(Treeprocessor):
    """Marks the headings at the top level of the text, so `markdown_sections` can find them in
    the HTML (raw HTML being disabled, no text can forge the mark).

    Every conversion marks them, and the mark is taken out again for a field shown as it is
    (`active` off, see unmarked): one conversion serves both, so a practice converted while
    validating is not converted again for its page (some 20 ms of every build).
    """

    active = False

    def run(self, root: etree.Element) -> None:
        for child in root:
            if child.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                child.set("data-msp-section", "1")


# A heading as _SectionHeadings marks it (ElementTree writes the one attribute such a heading has),
# and any heading at all, marked or not (one nested in a quote or list is never marked).
_MARKED_HEADING = re.compile(r'<(h[1-6]) data-msp-section="1">')
_ANY_HEADING = re.compile(r"<h[1-6][ >]")


def unmarked(html: str) -> str:
    """The converter's HTML without the marks of _SectionHeadings: as it writes a field shown as it is."""
    return _MARKED_HEADING.sub(r"<\1>", html)


def _safe_markdown() -> tuple[markdown.Markdown, _SafeLinks, _SectionHeadings]:
    engine = markdown.Markdown(extensions=["tables", "sane_lists", TableLayoutExtension()], output_format="html")
    # Without these, raw HTML in record Markdown is treated as text and escaped.
    engine.preprocessors.deregister("html_block")
    engine.inlinePatterns.deregister("html")
    links, sections = _SafeLinks(engine), _SectionHeadings(engine)
    engine.treeprocessors.register(links, "msp_safe_links", 0)
    engine.treeprocessors.register(sections, "msp_sections", -10)
    return engine, links, sections


_MARKDOWN, _LINKS, SECTIONS = _safe_markdown()

# A paragraph of plain text: nothing the converter reads as markup, escapes
# or entities (`\ ` * _ [ ] ! < > & # |), no control character or tab, and
# every line starting with a letter (no list, heading, quote, code block)
# and neither starting nor ending with a space (no line break).
_PLAIN_LINE = re.compile(r"[^\W\d_][^\\`*_\[\]!<>&#|\x00-\x1f\x7f]*(?<! )")
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def plain_paragraphs_html(text: str) -> str | None:
    """The HTML of `text` if it is only plain paragraphs (exactly as the converter writes it), else None."""
    paragraphs = _PARAGRAPH_BREAK.split(text.strip("\n"))
    for paragraph in paragraphs:
        if not all(_PLAIN_LINE.fullmatch(line) for line in paragraph.split("\n")):
            return None
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


class _Converted:
    """HTML of texts converted before (those without relative links), up to MAX_CHARS of text in all."""

    # Checking the records converts every field of every partnership before the first page is
    # rendered, so the pages reuse that HTML only if all of it is still here: a network of 500
    # partnerships whose texts differ holds about 17 million characters of text and HTML (the
    # benchmark's). A build lets go of it once its pages are made, before its memory peaks
    # (render.forget_rendered_text); 1 million, the bound before, made a build of 100 such
    # partnerships convert half its fields twice.
    MAX_CHARS = 32_000_000

    def __init__(self) -> None:
        self.html: dict[tuple[bool, str], str] = {}
        self.size = 0

    def get(self, key: tuple[bool, str]) -> str | None:
        return self.html.get(key)

    def keep(self, key: tuple[bool, str], converted: str) -> None:
        while self.html and self.size + len(key[1]) + len(converted) > self.MAX_CHARS:
            # Oldest first: a field's reuses (tab, dossier) come soon after each other.
            oldest = next(iter(self.html))
            self.size -= len(oldest[1]) + len(self.html.pop(oldest))
        self.html[key] = converted
        self.size += len(key[1]) + len(converted)


_CONVERTED = _Converted()


def forget_converted() -> None:
    """Lets go of the HTML kept from earlier conversions (see render.forget_rendered_text)."""
    _CONVERTED.html.clear()
    _CONVERTED.size = 0


def markdown_html(value: str | None, page_uri: str = "", links: FieldLinks | None = None,
                  source: Path | None = None) -> Markup:
    """Markdown from a record, as HTML that can contain no script or raw HTML.

    With `links`, relative links (`../guide/x.md#step`, counted from the page
    at docs path `page_uri`) become the site's URLs; the ones that lead
    nowhere are added to `links.broken`, located in `source`.
    """
    if not value:
        return Markup("")
    text = BIDI_CONTROLS.sub("", value)
    converted = _kept(text, SECTIONS.active)
    if converted is None:
        converted = plain_paragraphs_html(text)
    if converted is not None:
        return Markup(converted)
    marked, relative = _converted(text, page_uri, links, source)
    shown = unmarked(marked)
    if not relative:
        _CONVERTED.keep((False, text), shown)
        if marked != shown:  # with headings the marks change: kept for markdown_sections too
            _CONVERTED.keep((True, text), marked)
    return Markup(marked if SECTIONS.active else shown)


def _kept(text: str, marked: bool) -> str | None:
    """The HTML of `text` kept from an earlier conversion, with the heading marks if `marked`; None if none is."""
    if not marked:
        return _CONVERTED.get((False, text))
    found = _CONVERTED.get((True, text))
    if found is None:
        shown = _CONVERTED.get((False, text))
        # Without any heading the marks change nothing: the HTML kept without them is the same.
        if shown is not None and _ANY_HEADING.search(shown) is None:
            found = shown
    return found


def convert(text: str, page_uri: str = "", links: FieldLinks | None = None,
            source: Path | None = None) -> tuple[str, bool]:
    """The converter's HTML of `text` (nothing kept or skipped), and whether it has a relative link."""
    marked, relative = _converted(text, page_uri, links, source)
    return (marked if SECTIONS.active else unmarked(marked)), relative


def _converted(text: str, page_uri: str, links: FieldLinks | None, source: Path | None) -> tuple[str, bool]:
    """The converter's HTML of `text`, top-level headings marked, and whether it has a relative link."""
    _MARKDOWN.reset()
    _LINKS.page_uri, _LINKS.links, _LINKS.broken, _LINKS.relative = page_uri, links, [], False
    try:
        converted = _MARKDOWN.convert(text)
        if links is not None:
            links.broken.extend(PageLink(source, written, docs_path) for written, docs_path in _LINKS.broken)
        return converted, _LINKS.relative
    finally:
        # Per-call state: the next conversion starts clean even after an error.
        _LINKS.page_uri, _LINKS.links, _LINKS.broken, _LINKS.relative = "", None, [], False
