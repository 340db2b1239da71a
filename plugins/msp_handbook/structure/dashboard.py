"""The dashboard across partnerships: one row per partnership, and the filters over them.

Each row is computed once per build and shared by the dashboard and every
filter page, so a network of 500 partnerships costs 500 rows, not 500 per page.
A row holds only what fits on one line of the table (counts and dates, never
a sub-table), so the pages stay small.

Filters are generated pages (by sector, by phase, by freshness) rather than
JavaScript, so narrowing the list works in every browser and every filter has
an address. Sorting by column is JavaScript (msp-handbook.js), on keys the
build writes into each cell (`DashboardRow.sort_keys`), so the script never
reads the words a reader sees. A new column: a field of `DashboardRow`, filled
in `dashboard_row`, its key in `sort_keys`, a cell in _dashboard_table.html
and its phone label in msp-handbook.css.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from ..handbook import Handbook
from ..model import SECTOR_LABELS, Partnership, Phase
from ..model.review import RATING_SCORES, Review
from ..urls import SitePaths
from .freshness import COLOUR_LABELS, COLOUR_ORDER, Freshness
from .monitoring import MonitoringView
from .reviews import review_summary

# The colours of a review, best first: the order the dashboard names them in.
RATING_ORDER: tuple[str, ...] = tuple(sorted(RATING_SCORES, key=RATING_SCORES.__getitem__, reverse=True))


@dataclass(frozen=True)
class DashboardColumn:
    """A column of the dashboard: its heading, and how the script names its two sort orders."""

    label: str
    sort_key: str | None = None  # a key of DashboardRow.sort_keys; None: not sortable
    ascending: str = ""  # the order the first click gives, in words ("oldest first")
    descending: str = ""


# The dashboard's columns, in order. The phone layout's labels (dashboard_labels_css)
# and the sort control's words come from here; the cells from _dashboard_table.html.
DASHBOARD_COLUMNS: tuple[DashboardColumn, ...] = (
    DashboardColumn("Partnership", "order", "A to Z", "Z to A"),
    DashboardColumn("Phase", "phase", "earliest phase first", "latest phase first"),
    DashboardColumn("Freshness", "freshness", "freshest first", "stalest first"),
    DashboardColumn("On track", "on-track", "fewest on track first", "most on track first"),
    DashboardColumn("Latest review", "latest-review", "weakest first", "strongest first"),
    DashboardColumn("Overdue actions", "overdue-actions", "fewest first", "most first"),
    DashboardColumn("Next review", "next-review", "soonest first", "latest first"),
    DashboardColumn("Last update", "last-update", "oldest first", "newest first"),
    DashboardColumn("Sectors"),
)


def dashboard_labels_css() -> str:
    """The phone layout's label of each cell, drawn by the stylesheet rather than repeated
    in every row (a data-label per cell would be a fifth of a 500-row page)."""
    rules = "".join(
        f'  .md-typeset .msp-dashboard tbody > tr > :nth-child({number})::before {{ content: "{column.label}"; }}\n'
        for number, column in enumerate(DASHBOARD_COLUMNS, start=1)
    )
    return f"@media screen and (max-width: 44.9375em) {{\n{rules}}}\n"


@dataclass(frozen=True)
class PhaseMark:
    """One phase of the strip: which it is and whether the partnership is in it."""

    phase: Phase
    here: bool


@dataclass(frozen=True)
class DashboardRow:
    """One partnership's row on the dashboard: phase, latest review, actions, freshness, indicators."""

    partnership: Partnership
    phase: Phase | None  # None: the record names no phase yet
    strip: tuple[PhaseMark, ...]
    latest_review: Review | None
    # (colour, how many ratings of the latest review have it), best colour first, only colours given.
    review_colours: tuple[tuple[str, int], ...]
    overdue_actions: int
    next_review: dt.date | None
    next_review_overdue: bool
    freshness: Freshness
    on_track: int  # indicators on track ...
    assessed: int  # ... of those that can be assessed yet

    def sort_keys(self) -> dict[str, str]:
        """Column -> the key the dashboard's script sorts that column by; "" for none (sorted last).

        Numbers or ISO dates, so the script compares them without reading a
        single word of the page. The partnership column needs none: the build
        writes rows by name, and the script remembers that order.
        """
        def day(value: dt.date | None) -> str:
            return value.isoformat() if value else ""

        return {
            "phase": str(self.phase.number) if self.phase else "",
            # Freshest first when ascending.
            "freshness": str(COLOUR_ORDER.index(self.freshness.colour)),
            "on-track": f"{self.on_track / self.assessed:.3g}" if self.assessed else "",
            "latest-review": f"{review_score(self.review_colours):.3g}" if self.review_colours else "",
            "overdue-actions": str(self.overdue_actions),
            "next-review": day(self.next_review),
            "last-update": day(self.partnership.last_update()),
        }


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


def review_score(colours: tuple[tuple[str, int], ...]) -> float:
    """The mean of a review's ratings, red 0 to green 2: how the dashboard ranks reviews."""
    return sum(RATING_SCORES[colour] * count for colour, count in colours) / sum(count for _, count in colours)


def dashboard_row(partnership: Partnership, handbook: Handbook, today: dt.date,
                  monitoring: MonitoringView) -> DashboardRow:
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
        freshness=monitoring.freshness,
        on_track=monitoring.count("on-track"),
        assessed=monitoring.assessed(),
    )


def dashboard_rows(handbook: Handbook, today: dt.date,
                   monitoring: dict[str, MonitoringView]) -> tuple[DashboardRow, ...]:
    """One row per partnership, in the handbook's order (by name); `monitoring` by slug."""
    return tuple(dashboard_row(partnership, handbook, today, monitoring[partnership.slug])
                 for partnership in handbook.partnerships)


def dashboard_filters(handbook: Handbook, paths: SitePaths) -> tuple[DashboardFilter, ...]:
    """Every filter page: one per sector, per phase of the cycle and per freshness colour, matching or not.

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
    by_freshness = tuple(
        DashboardFilter("freshness", colour, COLOUR_LABELS[colour], paths.partnerships_by_freshness(colour),
                        lambda row, colour=colour: row.freshness.colour == colour)
        for colour in COLOUR_ORDER
    )
    return by_sector + by_phase + by_freshness
