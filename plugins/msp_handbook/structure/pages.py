"""The pages a handbook generates, and the record file each one comes from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..clock import BadSourceDateEpoch, build_day
from ..handbook import Handbook
from ..model import SECTOR_LABELS, Partnership, Practice, Step
from ..urls import PARTNERSHIP_TABS, SitePaths
from .dashboard import dashboard_filters, dashboard_rows
from .freshness import FreshnessThresholds
from .monitoring import MonitoringView, monitoring_view
from .progress import cycle_progress, place_in_cycle
from .reference import record_formats

# Template of each partnership tab in templates/partnerships/ (its URL is in urls.py).
TAB_TEMPLATES = {"index": "overview"}


@dataclass(frozen=True)
class GeneratedPage:
    """A page the plugin writes: its docs path, its template and context, and the file it is made from."""

    src_uri: str
    template: str
    # The file "Edit this page" opens: what a contributor changes to change the page.
    source: Path | None
    context: dict[str, Any] = field(default_factory=dict)


def handbook_pages(handbook: Handbook, practices_uri: str = "practices",
                   record_dates: dict[Path, dt.date] | None = None,
                   edit_url: Callable[[Path], str | None] = lambda source: None,
                   today: dt.date | None = None, freshness: FreshnessThresholds | None = None,
                   source_path: Callable[[Path], str] = lambda source: source.name) -> list[GeneratedPage]:
    """Every generated page.

    `practices_uri` is the practices' folder inside the docs; `record_dates`
    gives the last committed change of files, where known (see history.py);
    `edit_url` the web address that edits a source file, where there is one;
    `today` the date overdue actions and reviews are counted from;
    `source_path` how a source file is named to readers (relative to mkdocs.yml).
    `freshness` the thresholds of the freshness colours.
    """
    record_dates = record_dates or {}
    paths = SitePaths(practices_uri)
    if today is None:
        try:
            today = build_day()
        except BadSourceDateEpoch:
            today = dt.date.today()  # load_handbook reports the bad value; this only draws the last good version
    monitoring = {p.slug: monitoring_view(p, today, freshness) for p in handbook.partnerships}
    common = {"handbook": handbook, "urls": paths, "practices_for_step": practices_for_step,
              "place_in_cycle": place_in_cycle, "edit_url": edit_url, "monitoring_by_slug": monitoring,
              "build_date": today, "freshness_limits": freshness or FreshnessThresholds()}
    pages = dashboard_pages(handbook, paths, common, today, monitoring)
    pages += [
        GeneratedPage(paths.reference(), "partnerships/reference.html", None, {**common, "formats": record_formats()}),
    ]
    pages += practice_pages(handbook, paths, common)
    for partnership in handbook.partnerships:
        pages += partnership_pages(partnership, paths, {
            **common,
            "partnership": partnership,
            "record_changed": record_dates.get(partnership.source.resolve()),
            "progress_by_phase": cycle_progress(partnership, handbook.cycle),
            "monitoring": monitoring[partnership.slug],
        }, source_path)
    return pages


def partnership_pages(partnership: Partnership, paths: SitePaths, context: dict[str, Any],
                      source_path: Callable[[Path], str]) -> list[GeneratedPage]:
    """A partnership's tabs and its printable dossier."""
    pages = []
    for name, _ in PARTNERSHIP_TABS:
        source = partnership.source
        if name == "log" and partnership.log:
            source = partnership.log[0].source
        pages.append(GeneratedPage(
            paths.partnership(partnership.slug, name),
            f"partnerships/{TAB_TEMPLATES.get(name, name)}.html",
            source,
            {**context, "tab": name, "tabs": PARTNERSHIP_TABS},
        ))
    pages.append(GeneratedPage(
        paths.dossier(partnership.slug), "partnerships/dossier.html", partnership.source,
        {**context, "sections": dossier_sections(partnership, context, source_path)},
    ))
    return pages


@dataclass(frozen=True)
class SectionSource:
    """A file a dossier section is made from, and the link that opens it for editing."""

    path: str  # as the reader finds it in the repository, e.g. partnerships/<slug>/partnership.yml
    edit: str | None


@dataclass(frozen=True)
class DossierSection:
    """One section of a partnership's printable dossier: its partial template, heading and sources."""

    name: str  # the partial templates/partnerships/_<name>.html
    title: str
    sources: list[SectionSource]
    limit: int | None = None  # how many log entries a board paper needs


# The dossier's sections, in print order: (partial, heading).
DOSSIER_SECTIONS = (
    ("overview", "Overview"),
    ("monitoring", "Monitoring"),
    ("stakeholders", "Stakeholders"),
    ("cycle", "Partnership cycle"),
    ("governance", "Governance"),
    ("code-of-conduct", "Code of conduct"),
    ("log", "Recent progress log"),
)
DOSSIER_LOG_ENTRIES = 5


def dossier_sections(partnership: Partnership, context: dict[str, Any],
                     source_path: Callable[[Path], str]) -> list[DossierSection]:
    """The dossier's sections, each with the files it is written from."""
    def source(path: Path) -> SectionSource:
        return SectionSource(source_path(path), context["edit_url"](path))

    record = [source(partnership.source)]
    sources = {
        "log": [source(entry.source) for entry in partnership.log[:DOSSIER_LOG_ENTRIES]] or record,
        # Goals, indicators, ledger and feedback are in the record; each review is a file of its own.
        "monitoring": record + [source(review.source) for review in partnership.reviews],
    }
    return [DossierSection(name, title, sources.get(name, record), DOSSIER_LOG_ENTRIES if name == "log" else None)
            for name, title in DOSSIER_SECTIONS]


def dashboard_pages(handbook: Handbook, paths: SitePaths, common: dict[str, Any],
                    today: dt.date, monitoring: dict[str, MonitoringView]) -> list[GeneratedPage]:
    """The dashboard across partnerships, and the same table narrowed by each filter."""
    rows = dashboard_rows(handbook, today, monitoring)
    filters = dashboard_filters(handbook, paths)
    counts = {each.src_uri: sum(1 for row in rows if each.matches(row)) for each in filters}
    shared = {**common, "filters": filters, "filter_counts": counts, "today": today}
    pages = [GeneratedPage(paths.partnerships(), "partnerships/list.html", None,
                           {**shared, "rows": rows, "current_filter": None})]
    pages += [
        GeneratedPage(each.src_uri, "partnerships/list.html", None,
                      {**shared, "rows": tuple(row for row in rows if each.matches(row)), "current_filter": each})
        for each in filters
    ]
    return pages


def practice_pages(handbook: Handbook, paths: SitePaths, common: dict[str, Any]) -> list[GeneratedPage]:
    """The catalogue: one page per practice, and listings by phase, tag and sector.

    Listings are plain pages rather than a JavaScript filter, so narrowing the
    catalogue works everywhere, and search finds every practice page.
    """
    practices = handbook.practices
    pages = [GeneratedPage(paths.practices_list(), "practices/list.html", None, common)]
    pages += [
        GeneratedPage(paths.practice(practice.slug), "practices/practice.html", practice.source,
                      {**common, "practice": practice})
        for practice in practices
    ]
    for phase in handbook.cycle.phases:
        pages.append(GeneratedPage(
            paths.phase(phase.id), "practices/phase.html", None,
            {**common, "phase": phase, "practices": [p for p in practices if phase.id in p.phase_ids]},
        ))
    for tag, meaning in handbook.tags.items():
        pages.append(GeneratedPage(
            paths.tag(tag), "practices/tag.html", None,
            {**common, "tag": tag, "meaning": meaning, "practices": [p for p in practices if tag in p.tags]},
        ))
    for sector in SECTOR_LABELS:
        pages.append(GeneratedPage(
            paths.sector(sector), "practices/sector.html", None,
            {**common, "sector": sector, "practices": [p for p in practices if sector in p.sectors]},
        ))
    return pages


def practices_for_step(handbook: Handbook, step: Step) -> list[Practice]:
    """Practices naming the step itself or one of its sub-steps."""
    idents = {step.id, *(sub.id for sub in step.substeps)}
    return [practice for practice in handbook.practices if idents.intersection(practice.steps)]
