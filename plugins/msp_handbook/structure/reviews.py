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

from ..model import RATING_SCORES, Partnership, Review, ReviewAction
from ..model.ledger import LedgerEntry

Trend = Literal["up", "down", "same", "new"]


@dataclass(frozen=True)
class BlockRow:
    """One building block in the latest review."""

    block: str
    name: str
    ratings: tuple[str | None, ...]  # per participating stakeholder, in the grid's column order
    trend: Trend | None  # None: nobody rated it this time


@dataclass(frozen=True)
class OpenAction:
    action: ReviewAction
    review: Review
    overdue: bool


@dataclass(frozen=True)
class ReviewSummary:
    latest: Review | None
    previous: Review | None
    stakeholders: tuple[str, ...]  # the grid's columns: stakeholders who rated in the latest review
    rows: tuple[BlockRow, ...]
    open_actions: tuple[OpenAction, ...]
    next_review: dt.date | None
    next_review_overdue: bool

    @property
    def overdue_actions(self) -> tuple[OpenAction, ...]:
        return tuple(item for item in self.open_actions if item.overdue)


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
        return ReviewSummary(None, None, (), (), open_actions, None, False)
    # Columns in the order of the record, so every review reads the same way.
    columns = tuple(s.id for s in partnership.stakeholders if s.id in latest.ratings)
    rows = tuple(
        BlockRow(block, name, tuple(latest.ratings[s].get(block) for s in columns), trend(latest, previous, block))
        for block, name in blocks.items()
    )
    due = latest.next_review
    return ReviewSummary(latest, previous, columns, rows, open_actions, due, due is not None and due < today)


# --- The cooperation rent -----------------------------------------------------


@dataclass(frozen=True)
class Total:
    """Amounts of one kind that count the same thing (one currency or one unit), added up."""

    kind: str
    measure: str  # the currency or unit
    amount: float
    entries: int


@dataclass(frozen=True)
class StakeholderRent:
    stakeholder: str
    put_in: tuple[LedgerEntry, ...]
    get_out: tuple[LedgerEntry, ...]
    put_in_totals: tuple[Total, ...]
    get_out_totals: tuple[Total, ...]


@dataclass(frozen=True)
class RentSummary:
    by_stakeholder: tuple[StakeholderRent, ...]
    put_in_totals: tuple[Total, ...]
    get_out_totals: tuple[Total, ...]
    # (kind, measure) -> stakeholder -> amount: each partner's share of a total.
    shares: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)

    def share(self, total: Total, stakeholder: str) -> float:
        amount = self.shares.get((total.kind, total.measure), {}).get(stakeholder, 0.0)
        return amount / total.amount if total.amount else 0.0


def totals(entries: Sequence[LedgerEntry]) -> tuple[Total, ...]:
    """Totals by kind and by currency or unit: different currencies or units are never added together."""
    sums: dict[tuple[str, str], list[float]] = defaultdict(list)
    for entry in entries:
        if entry.amount is not None:
            sums[(entry.kind, entry.measure())].append(entry.amount)  # type: ignore[attr-defined]
    return tuple(Total(kind, measure, sum(amounts), len(amounts)) for (kind, measure), amounts in sorted(sums.items()))


def rent_summary(partnership: Partnership) -> RentSummary | None:
    """The ledger per stakeholder and for the whole partnership; None when nothing is recorded."""
    ledger = partnership.ledger
    if ledger is None or not (ledger.put_in or ledger.get_out):
        return None
    by_stakeholder = []
    shares: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for stakeholder in partnership.stakeholders:
        put_in = tuple(sorted((e for e in ledger.put_in if e.stakeholder == stakeholder.id), key=lambda e: e.date))
        get_out = tuple(sorted((e for e in ledger.get_out if e.stakeholder == stakeholder.id), key=lambda e: e.date))
        for total in totals(put_in):
            shares[(total.kind, total.measure)][stakeholder.id] += total.amount
        by_stakeholder.append(StakeholderRent(stakeholder.id, put_in, get_out, totals(put_in), totals(get_out)))
    return RentSummary(tuple(by_stakeholder), totals(ledger.put_in), totals(ledger.get_out),
                       {key: dict(value) for key, value in shares.items()})
