"""Which generated pages `msp-handbook validate` renders to reach the build's verdict.

Rendering a generated page reports one thing only: a relative link in a
Markdown field (a log entry, step notes, a review statement, a practice) that
leads to no page (`FieldLinks.broken`). Our templates print a partnership's
Markdown fields only on that partnership's own pages (its tabs and dossier),
and a practice's body only on the practice's page; every other link they
write leads to a page the build generates itself. So a page whose partnership
or practice holds no text that could be a link reports nothing, whatever it
would show, and validate leaves it unrendered (the build renders it, of
course). A site that overrides our templates (`partnerships/` or
`practices/` in its custom_dir) could print anything anywhere: then every page
is rendered, as before. tests/test_verdict_pages.py holds the rule to the
templates: rendered with every field link reported, only pages chosen here
report any.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel

from .structure import GeneratedPage

# Where an override of our templates would be found in the site's custom_dir (see render.environment).
TEMPLATE_FOLDERS = ("partnerships", "practices")


def overrides_templates(custom_dir: str | None) -> bool:
    """Whether the site's custom_dir holds anything our page templates could be looked up as."""
    if not custom_dir:
        return False
    return any((Path(custom_dir) / folder).exists() for folder in TEMPLATE_FOLDERS)


def pages_to_render(pages: Iterable[GeneratedPage]) -> list[bool]:
    """For each page, whether rendering it could report a link: whether its partnership
    or practice holds any text with a `[` (every Markdown link and image has one) or a `<`."""
    verdicts: dict[int, bool] = {}
    chosen = []
    for page in pages:
        owner = page.context.get("partnership") or page.context.get("practice")
        if owner is None:
            chosen.append(False)
            continue
        if id(owner) not in verdicts:
            verdicts[id(owner)] = could_hold_a_link(owner)
        chosen.append(verdicts[id(owner)])
    return chosen


def could_hold_a_link(value: Any) -> bool:
    """Whether any text in `value` (a record with its log, reviews, body: every field,
    private ones included) has a character that starts a Markdown link."""
    seen: set[int] = set()
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is str or isinstance(item, str):  # the exact type first: most values are plain text
            if "[" in item or "<" in item:
                return True
        elif kind is list or kind is tuple:
            pending.extend(item)
        elif kind is dict:
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, BaseModel):
            if id(item) in seen:
                continue
            seen.add(id(item))
            pending.extend(item.__dict__.values())
            pending.extend((item.__pydantic_private__ or {}).values())
        elif isinstance(item, (list, tuple, set, frozenset, dict)):  # their subclasses
            pending.extend(item.items() if isinstance(item, dict) else item)
    return False
