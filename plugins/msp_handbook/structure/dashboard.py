"""The dashboard across partnerships: one row per partnership, and the filters over them.

Each row is computed once per build and shared by the dashboard and every
filter page, so a network of 500 partnerships costs 500 rows, not 500 per page.
A row holds only what fits on one line of the table (counts and dates, never
a sub-table), so the pages stay small.

Filters are generated pages (by sector, by phase) rather than JavaScript, so
narrowing the list works in every browser and every filter has an address.
Hook for the freshness light and indicators on/off track (structure/freshness.py,
structure/monitoring.py, when they land): add them as fields of `DashboardRow`,
filled in `dashboard_rows`, and a filter in `dashboard_filters`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from ..handbook import Handbook
from ..model import SECTOR_LABELS, Partnership, Phase
from ..model.review import RATING_SCORES, Review
from ..urls import SitePaths
from .reviews import review_summary

# The colours of a review, best first: the order the dashboard names them in.
RATING_ORDER: tuple[str, ...] = tuple(sorted(RATING_SCORES, key=RATING_SCORES.__getitem__, reverse=True))


@dataclass(frozen=True)
class PhaseMark:
    """One phase of the strip: which it is and whether the partnership is in it."""

    phase: Phase
    here: bool


@dataclass(frozen=True)
class DashboardRow:
    partnership: Partnership
    phase: Phase | None  # None: the record names no phase yet
    strip: tuple[PhaseMark, ...]
    latest_review: Review | None
    # (colour, how many ratings of the latest review have it), best colour first, only colours given.
    review_colours: tuple[tuple[str, int], ...]
    overdue_actions: int
    next_review: dt.date | None
    next_review_overdue: bool


@dataclass(frozen=True)
class DashboardFilter:
    """A generated page listing the partnerships that match one value of one filter."""

    kind: str  # "sector" or "phase": the group in the filter bar
    value: str  # the sector or phase id
    label: str  # what the filter bar and the page title call it
    src_uri: str
    matches: Callable[[DashboardRow], bool]


def review_colours(review: Review | None) -> tuple[tuple[str, int], ...]:
    """How many ratings of `review` are green, amber and red, leaving out colours nobody gave."""
    if review is None:
        return ()
    given = [rating for ratings in review.ratings.values() for rating in ratings.values()]
    return tuple((colour, given.count(colour)) for colour in RATING_ORDER if colour in given)


def dashboard_row(partnership: Partnership, handbook: Handbook, today: dt.date) -> DashboardRow:
    """One partnership's row of the dashboard, with dates counted from `today`."""
    phases = handbook.cycle.phases
    phase = handbook.cycle.phase(partnership.phase) if partnership.phase else None
    summary = review_summary(partnership, handbook.building_blocks, today)
    return DashboardRow(
        partnership=partnership,
        phase=phase,
        strip=tuple(PhaseMark(each, phase is not None and each.id == phase.id) for each in phases),
        latest_review=summary.latest,
        review_colours=review_colours(summary.latest),
        overdue_actions=len(summary.overdue_actions),
        next_review=summary.next_review,
        next_review_overdue=summary.next_review_overdue,
    )


def dashboard_rows(handbook: Handbook, today: dt.date) -> tuple[DashboardRow, ...]:
    """One row per partnership, in the handbook's order (by name)."""
    return tuple(dashboard_row(partnership, handbook, today) for partnership in handbook.partnerships)


def dashboard_filters(handbook: Handbook, paths: SitePaths) -> tuple[DashboardFilter, ...]:
    """Every filter page: one per sector and one per phase of the cycle, matching or not.

    Every sector and phase has its page even when no partnership matches, so
    the filter bar is the same on every page and its links never break.
    """
    by_sector = tuple(
        DashboardFilter("sector", sector, label, paths.partnerships_by_sector(sector),
                        lambda row, sector=sector: sector in row.partnership.sectors())
        for sector, label in SECTOR_LABELS.items()
    )
    by_phase = tuple(
        DashboardFilter("phase", phase.id, f"{phase.number}. {phase.title}", paths.partnerships_by_phase(phase.id),
                        lambda row, ident=phase.id: row.phase is not None and row.phase.id == ident)
        for phase in handbook.cycle.phases
    )
    return by_sector + by_phase
