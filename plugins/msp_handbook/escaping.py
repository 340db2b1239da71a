"""Record text as inert Markdown source: what the template filters `md`, `plain`, `url` and
`quantity` write, and the front matter of every generated page.

`md` HTML-escapes plain text and backslash-escapes Markdown punctuation, so `*`,
`[x](javascript:...)` or `{#id}` show as typed; `url` percent-encodes a link
target so it stays one attribute. The Markdown fields (`markdown`) are
converted by field_markdown.py instead.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from .field_markdown import BIDI_CONTROLS
from .words import number

# Characters Python-Markdown treats as escapable (with the tables extension)
# get a backslash; the characters HTML gives a meaning get their entity (as
# html.escape writes them). One table, so text is translated in one pass.
_MD_TEXT = str.maketrans({**{character: "\\" + character for character in "\\`*_{}[]()#+-.!|"},
                          **{character: html.escape(character) for character in "&<>\"'"}})


def plain(value: Any) -> str:
    """Record text on one line, without bidirectional controls (for autoescaped HTML)."""
    return " ".join(BIDI_CONTROLS.sub("", str(value)).split())


def md_text(value: Any) -> Markup:
    """Plain record text, safe to place anywhere in Markdown source on one line."""
    if type(value) is str:  # noqa: E721 - exactly str: only those are kept (see _md_string)
        return _md_string(value)
    return Markup(plain(value).translate(_MD_TEXT))


@lru_cache(maxsize=65_536)
def _md_string(value: str) -> Markup:
    # Kept: a build escapes the same names and titles again on every tab, in
    # the dossier and in every link to them (a hundred thousand calls at N=100).
    return Markup(plain(value).translate(_MD_TEXT))


def forget_escaped() -> None:
    """Lets go of the escaped texts kept for the next page (see render.forget_rendered_text)."""
    _md_string.cache_clear()


def page_header(title: str, searchable: bool = True, wide: bool = False) -> Markup:
    """Front matter and top heading of a generated page.

    Material prints `page.meta.title` unescaped into <title> and the header,
    and would unescape a title taken from the heading: so the title is given
    in the front matter, already HTML-escaped (JSON quoting is valid YAML).
    Pages that only repeat others (`searchable=False`) stay out of Material's search;
    a `wide` page (a table of many columns) gets the table of contents' room too.
    """
    front_matter = f"title: {yaml_string(html.escape(plain(title)))}\n"
    if not searchable:
        front_matter += "search:\n  exclude: true\n"
    if wide:
        front_matter += "hide:\n- toc\n"
    return Markup(f"---\n{front_matter}---\n\n# {md_text(title)}\n")


# What YAML does not take as it is in a quoted scalar, escaped as \uXXXX: characters outside its
# printable set (DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF) and the line breaks YAML 1.1
# folds into spaces (NEL, the line and paragraph separators).
_YAML_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar that reads back as `text`.

    JSON's quoting is YAML's double-quoted style, and escapes quotes, backslashes
    and C0 controls; other characters stay as they are (YAML reads \\u escapes of
    astral characters as two halves), except the few YAML refuses in a document.
    A tenth of the cost of yaml.safe_dump, paid by every generated page.
    """
    return _YAML_UNPRINTABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", json.dumps(text, ensure_ascii=False))


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
