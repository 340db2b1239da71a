"""What the partners read off their reviews, ledger and feedback: computed here, shown by templates.

The latest review as a grid (building block by stakeholder), how each block
moved since the review before, the actions still to do, and the cooperation
rent added up only where amounts count the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal, Sequence

from ..model import (
    ACTION_STATUS_LABELS,
    FEEDBACK_CHANNEL_LABELS,
    FEEDBACK_STATUS_LABELS,
    LEDGER_KIND_LABELS,
    RATING_SCORES,
    RATING_SYMBOLS,
    RATING_WORDS,
    Partnership,
    Review,
    ReviewAction,
    feedback_url,
)
from ..model.ledger import LedgerEntry

Trend = Literal["up", "down", "same", "new"]
# Words beside the arrows, so a change never rests on a symbol alone.
TREND_WORDS: dict[str, str] = {"up": "Better", "down": "Worse", "same": "Same", "new": "First rated"}
TREND_SYMBOLS: dict[str, str] = {"up": "▲", "down": "▼", "same": "=", "new": "•"}


@dataclass(frozen=True)
class BlockRow:
    """One building block in the latest review."""

    block: str
    name: str
    ratings: tuple[str | None, ...]  # per participating stakeholder, in the grid's column order
    trend: Trend | None  # None: nobody rated it this time


@dataclass(frozen=True)
class OpenAction:
    """An action agreed at a review that is not done yet, and whether it is overdue."""

    action: ReviewAction
    review: Review
    overdue: bool


@dataclass(frozen=True)
class ReviewSummary:
    """What the reviews of a partnership add up to: the latest grid with trends, open actions, the next review."""

    latest: Review | None
    previous: Review | None
    stakeholders: tuple[str, ...]  # the grid's columns: stakeholders who rated in the latest review
    rows: tuple[BlockRow, ...]
    earlier: tuple[Review, ...]  # every review before the latest, newest first
    open_actions: tuple[OpenAction, ...]
    next_review: dt.date | None
    next_review_overdue: bool
    # The stakeholders' names, one for each column: the grid labels every cell with one.
    column_names: tuple[str, ...] = ()

    @property
    def overdue_actions(self) -> tuple[OpenAction, ...]:
        """The open actions past their due date."""
        return tuple(item for item in self.open_actions if item.overdue)

    def colour_counts(self) -> dict[str, int]:
        """How many ratings of the latest review are green, amber and red."""
        counts = dict.fromkeys(RATING_SCORES, 0)
        for ratings in self.latest.ratings.values() if self.latest else ():
            for rating in ratings.values():
                counts[rating] += 1
        return counts


def block_score(review: Review, block: str) -> float | None:
    """The mean rating of a building block in a review (red 0, amber 1, green 2), None if unrated."""
    scores = [RATING_SCORES[ratings[block]] for ratings in review.ratings.values() if block in ratings]
    return sum(scores) / len(scores) if scores else None


def trend(latest: Review, previous: Review | None, block: str) -> Trend | None:
    """How a building block moved since the previous review; None when nobody rated it this time."""
    now = block_score(latest, block)
    if now is None:
        return None
    before = block_score(previous, block) if previous is not None else None
    if before is None:
        return "new"
    return "up" if now > before else "down" if now < before else "same"


def review_summary(partnership: Partnership, blocks: dict[str, str], today: dt.date) -> ReviewSummary:
    """The latest review as a grid with trends, the actions still open, and when the next review is due."""
    reviews = partnership.reviews
    latest = reviews[0] if reviews else None
    previous = reviews[1] if len(reviews) > 1 else None
    open_actions = tuple(
        OpenAction(action, review, action.is_overdue(today))
        for review in reviews for action in review.actions if action.is_open()
    )
    open_actions = tuple(sorted(open_actions, key=lambda item: (item.action.due, item.action.task)))
    if latest is None:
        return ReviewSummary(None, None, (), (), (), open_actions, None, False)
    # Columns in the order of the record, so every review reads the same way.
    columns = tuple(s.id for s in partnership.stakeholders if s.id in latest.ratings)
    rows = tuple(
        BlockRow(block, name, tuple(latest.ratings[s].get(block) for s in columns), trend(latest, previous, block))
        for block, name in blocks.items()
    )
    due = latest.next_review
    names = tuple(stakeholder.name if (stakeholder := partnership.stakeholder(ident)) else "" for ident in columns)
    return ReviewSummary(latest, previous, columns, rows, reviews[1:], open_actions, due,
                         due is not None and due < today, names)


# --- The cooperation rent -----------------------------------------------------


@dataclass(frozen=True)
class Total:
    """Entries of one kind that count the same thing (one currency or one unit), added up.

    Entries without an amount make a total of their own, with no measure.
    """

    kind: str
    measure: str  # the currency or unit; "" for entries that are not counted
    amount: float
    # Stakeholder id -> how much of the total it accounts for (its number of entries, if not counted).
    by_stakeholder: dict[str, float] = field(default_factory=dict)

    def shares(self) -> list[tuple[str, str]]:
        """Each stakeholder with its share of the total in words ("75%"), largest first."""
        ranked = sorted(self.by_stakeholder.items(), key=lambda item: -item[1])
        if not self.measure or not self.amount:
            return [(ident, "") for ident, _ in ranked]
        return [(ident, f"{round(100 * value / self.amount)}%") for ident, value in ranked]


def totals(entries: Sequence[LedgerEntry]) -> tuple[Total, ...]:
    """Totals by kind and by currency or unit: different currencies or units are never added together."""
    sums: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for entry in entries:
        counted = entry.amount is not None
        sums[(entry.kind, entry.measure())][entry.stakeholder] += entry.amount if counted else 1  # type: ignore[attr-defined]
    return tuple(
        Total(kind, measure, sum(parts.values()) if measure else 0.0, dict(parts))
        for (kind, measure), parts in sorted(sums.items(), key=lambda item: (item[0][0], item[0][1] == "", item[0][1]))
    )


@dataclass(frozen=True)
class StakeholderRent:
    """One stakeholder's cooperation rent: what it puts in and what it gets out."""

    stakeholder: str
    put_in: tuple[LedgerEntry, ...]
    get_out: tuple[LedgerEntry, ...]


@dataclass(frozen=True)
class RentSummary:
    """The cooperation rent of a partnership: per stakeholder, and added up by kind."""

    by_stakeholder: tuple[StakeholderRent, ...]
    put_in_totals: tuple[Total, ...]
    get_out_totals: tuple[Total, ...]


def rent_summary(partnership: Partnership) -> RentSummary | None:
    """The ledger per stakeholder and for the whole partnership; None when nothing is recorded."""
    ledger = partnership.ledger
    if ledger is None or not (ledger.put_in or ledger.get_out):
        return None

    def of(entries: Sequence[LedgerEntry], ident: str) -> tuple[LedgerEntry, ...]:
        return tuple(sorted((entry for entry in entries if entry.stakeholder == ident), key=lambda entry: entry.date))

    rows = tuple(StakeholderRent(s.id, of(ledger.put_in, s.id), of(ledger.get_out, s.id)) for s in partnership.stakeholders)
    return RentSummary(rows, totals(ledger.put_in), totals(ledger.get_out))


def feedback_address(pattern: str, partnership: Partnership) -> str:
    """The site's "give feedback" address for one partnership."""
    return feedback_url(pattern, partnership.slug, partnership.name)


def template_globals() -> dict[str, object]:
    """What the review, ledger and feedback templates use beyond their page's context."""
    return {
        "RATING_SYMBOLS": RATING_SYMBOLS, "RATING_WORDS": RATING_WORDS, "TREND_SYMBOLS": TREND_SYMBOLS,
        "TREND_WORDS": TREND_WORDS, "ACTION_STATUS_LABELS": ACTION_STATUS_LABELS,
        "LEDGER_KIND_LABELS": LEDGER_KIND_LABELS, "FEEDBACK_CHANNEL_LABELS": FEEDBACK_CHANNEL_LABELS,
        "FEEDBACK_STATUS_LABELS": FEEDBACK_STATUS_LABELS, "feedback_address": feedback_address,
        "review_summary": review_summary, "rent_summary": rent_summary,
        # Set per site from `feedback_url` in mkdocs.yml (see site.py); no link without it.
        "feedback_url_pattern": None,
    }
