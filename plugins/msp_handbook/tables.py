"""Tables that read well on a phone: a Markdown extension for every table of the site.

On a narrow screen the stylesheet shows each row as a card, one cell under
the other, each headed by its column's label. The label comes from the
`data-label` this extension gives every cell, so hand-written tables and
generated ones behave the same, with no HTML written by hand.

Words are never split to squeeze a column. Only a run of characters too long
for any line (a pasted link, an id path) may wrap anywhere: such runs are
wrapped in `<span class="msp-long">`, so the rest of the cell keeps whole words.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# A "word" this long is a link, a path or a code name rather than language;
# the browser test measures that every shorter word stays on one line.
LONG_RUN = 25
_LONG = re.compile(r"\S{%d,}" % LONG_RUN)
_LONG_CLASS = "msp-long"


def _long_runs(text: str) -> tuple[str, list[etree.Element]]:
    """`text` up to its first long run, and a span (with the text after it as tail) per run."""
    matches = list(_LONG.finditer(text))
    spans = []
    for index, match in enumerate(matches):
        span = etree.Element("span", {"class": _LONG_CLASS})
        span.text = match.group()
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        span.tail = text[match.end():end]
        spans.append(span)
    return (text[: matches[0].start()] if matches else text), spans


def wrappable(text: str) -> str:
    """Escaped `text` for raw HTML, each long run in a span that may wrap anywhere (as on Markdown tables)."""
    return _LONG.sub(lambda run: f'<span class="{_LONG_CLASS}">{run.group()}</span>', html.escape(text, quote=False))


def mark_long_runs(element: etree.Element) -> None:
    """Put each long run of characters under `element` in a span that may wrap anywhere."""
    if element.tag in ("code", "pre"):
        if _LONG.search("".join(element.itertext())):
            element.set("class", f"{element.get('class', '')} {_LONG_CLASS}".strip())
        return
    children = list(element)
    if element.text and _LONG.search(element.text):
        element.text, spans = _long_runs(element.text)
        for offset, span in enumerate(spans):
            element.insert(offset, span)
    for child in children:
        mark_long_runs(child)
        if child.tail and _LONG.search(child.tail):
            child.tail, spans = _long_runs(child.tail)
            position = list(element).index(child) + 1
            for offset, span in enumerate(spans):
                element.insert(position + offset, span)


class _TableLayout(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            header = table.find("thead/tr")
            labels = [" ".join("".join(cell.itertext()).split()) for cell in header] if header is not None else []
            for row in table.iter("tr"):
                for column, cell in enumerate(row):
                    if cell.tag == "td" and column < len(labels) and labels[column]:
                        cell.set("data-label", labels[column])
                    mark_long_runs(cell)


class TableLayoutExtension(Extension):
    """Column labels on every table cell, and long runs marked as wrappable."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        """Registers the table layout step, after inline Markdown has been resolved."""
        # After inline Markdown and its escapes are resolved ('unescape' is 0),
        # so labels and runs are the text a reader sees.
        md.treeprocessors.register(_TableLayout(md), "msp_table_layout", -5)
