"""The pages a handbook generates, and the record file each one comes from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..handbook import Handbook
from ..model import SECTOR_LABELS, Practice, Step
from .progress import cycle_progress
from .reference import record_formats

# Fixed URLs: /partnerships/<slug>/<page>/, in the order of the tabs:
# (file name, tab label, template name in templates/partnerships/).
PARTNERSHIP_PAGES: tuple[tuple[str, str, str], ...] = (
    ("index", "Overview", "overview"),
    ("stakeholders", "Stakeholders", "stakeholders"),
    ("cycle", "Cycle", "cycle"),
    ("governance", "Governance", "governance"),
    ("code-of-conduct", "Code of conduct", "code-of-conduct"),
    ("log", "Log", "log"),
)


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    template: str
    # The file "Edit this page" opens: what a contributor changes to change the page.
    source: Path | None
    context: dict[str, Any] = field(default_factory=dict)


def sector_slug(sector: str) -> str:
    """The URL segment for a sector (underscores become hyphens)."""
    return sector.replace("_", "-")


def handbook_pages(handbook: Handbook, practices_uri: str = "practices",
                   record_dates: dict[Path, dt.date] | None = None,
                   edit_url: Callable[[Path], str | None] = lambda source: None) -> list[GeneratedPage]:
    """Every generated page.

    `practices_uri` is the practices' folder inside the docs; `record_dates`
    gives the last committed change of files, where known (see history.py);
    `edit_url` the web address that edits a source file, where there is one.
    """
    record_dates = record_dates or {}
    common = {"handbook": handbook, "practices_uri": practices_uri, "sector_slug": sector_slug,
              "practices_for_step": practices_for_step, "edit_url": edit_url}
    pages = [
        GeneratedPage("partnerships/index.md", "partnerships/list.html", None, common),
        GeneratedPage("reference/index.md", "partnerships/reference.html", None, {**common, "formats": record_formats()}),
    ]
    pages += practice_pages(handbook, practices_uri, common)
    for partnership in handbook.partnerships:
        progress = cycle_progress(partnership, handbook.cycle)
        for name, _, template in PARTNERSHIP_PAGES:
            source = partnership.source
            if name == "log" and partnership.log:
                source = partnership.log[0].source
            pages.append(
                GeneratedPage(
                    f"partnerships/{partnership.slug}/{name}.md",
                    f"partnerships/{template}.html",
                    source,
                    {
                        **common,
                        "partnership": partnership,
                        "record_changed": record_dates.get(partnership.source.resolve()),
                        "progress_by_phase": progress,
                        "tab": name,
                        "tabs": PARTNERSHIP_PAGES,
                    },
                )
            )
    return pages


def practice_pages(handbook: Handbook, prefix: str, common: dict[str, Any]) -> list[GeneratedPage]:
    """The catalogue: one page per practice, and listings by phase, tag and sector.

    Listings are plain pages rather than a JavaScript filter, so narrowing the
    catalogue works everywhere, and search finds every practice page.
    """
    practices = handbook.practices
    pages = [GeneratedPage(f"{prefix}/index.md", "practices/list.html", None, common)]
    pages += [
        GeneratedPage(f"{prefix}/{practice.slug}.md", "practices/practice.html", practice.source,
                      {**common, "practice": practice})
        for practice in practices
    ]
    for phase in handbook.cycle.phases:
        pages.append(GeneratedPage(
            f"{prefix}/phases/{phase.id}.md", "practices/phase.html", None,
            {**common, "phase": phase, "practices": [p for p in practices if phase.id in p.phase_ids]},
        ))
    for tag, meaning in handbook.tags.items():
        pages.append(GeneratedPage(
            f"{prefix}/tags/{tag}.md", "practices/tag.html", None,
            {**common, "tag": tag, "meaning": meaning, "practices": [p for p in practices if tag in p.tags]},
        ))
    for sector in SECTOR_LABELS:
        pages.append(GeneratedPage(
            f"{prefix}/sectors/{sector_slug(sector)}.md", "practices/sector.html", None,
            {**common, "sector": sector, "practices": [p for p in practices if sector in p.sectors]},
        ))
    return pages


def practices_for_step(handbook: Handbook, step: Step) -> list[Practice]:
    """Practices naming the step itself or one of its sub-steps."""
    idents = {step.id, *(sub.id for sub in step.substeps)}
    return [practice for practice in handbook.practices if idents.intersection(practice.steps)]
