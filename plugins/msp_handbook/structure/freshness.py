"""How fresh is a partnership's record? Green, amber or red, computed never typed.

Each signal looks at one thing (the latest log entry, the latest reported
value, the next review, the actions agreed in reviews) and may give a colour
with a reason; the partnership takes the worst colour of all its signals.
A new signal is one more rule in SIGNALS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..model import Partnership
from ..words import long_date
from .reviews import review_summary

Colour = Literal["green", "amber", "red"]
COLOUR_ORDER: tuple[Colour, ...] = ("green", "amber", "red")
COLOUR_LABELS: dict[str, str] = {"green": "Green", "amber": "Amber", "red": "Red"}


@dataclass(frozen=True)
class FreshnessThresholds:
    """Ages in days after which a partnership turns amber and red (set in mkdocs.yml)."""

    log_amber_days: int = 90
    log_red_days: int = 180
    actual_amber_days: int = 120
    actual_red_days: int = 240
    # A planned review or an agreed action turns the partnership amber the day
    # after it was due, and red once it is more than this many days late.
    review_overdue_red_days: int = 60
    action_overdue_red_days: int = 90


@dataclass(frozen=True)
class Signal:
    """One freshness rule's verdict on a partnership: its colour and the reason in words."""

    colour: Colour
    reason: str


@dataclass(frozen=True)
class Freshness:
    """How up to date a partnership's record is: the worst colour of its signals, and the signals."""

    colour: Colour
    signals: tuple[Signal, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """The colour as the page writes it: Green, Amber or Red."""
        return COLOUR_LABELS[self.colour]

    @property
    def reasons(self) -> list[str]:
        """Why the partnership is not green: the reasons of its amber and red signals."""
        return [signal.reason for signal in self.signals if signal.colour != "green"]


SignalRule = Callable[[Partnership, dt.date, FreshnessThresholds], "Signal | None"]


def by_age(what: str, day: dt.date | None, today: dt.date, amber: int, red: int) -> Signal:
    """A signal from the age of the latest `what`; red when there is none."""
    if day is None:
        return Signal("red", f"no {what} yet")
    age = (today - day).days
    colour: Colour = "red" if age > red else "amber" if age > amber else "green"
    limit = {"red": f"more than {red}", "amber": f"more than {amber}", "green": f"at most {amber}"}[colour]
    return Signal(colour, f"the latest {what} is from {long_date(day)}, {limit} days before the build date")


def latest_log_entry(partnership: Partnership, today: dt.date, limits: FreshnessThresholds) -> Signal:
    """Signal from the age of the newest log entry."""
    return by_age("log entry", partnership.last_update(), today, limits.log_amber_days, limits.log_red_days)


def latest_actual(partnership: Partnership, today: dt.date, limits: FreshnessThresholds) -> Signal | None:
    """Signal from the age of the newest value reported for any indicator."""
    if not partnership.indicators:
        return None  # nothing is measured yet, so nothing can be stale
    days = [actual.date for indicator in partnership.indicators for actual in indicator.actuals]
    return by_age("reported indicator value", max(days, default=None), today,
                  limits.actual_amber_days, limits.actual_red_days)


def by_lateness(what: str, due: dt.date, today: dt.date, red: int) -> Signal:
    """A signal from how late something due on `due` is: amber once late, red when more than `red` days late."""
    late = (today - due).days
    if late <= 0:
        return Signal("green", f"{what} is due on {long_date(due)}")
    colour: Colour = "red" if late > red else "amber"
    limit = f"more than {red}" if colour == "red" else f"red after {red}"
    return Signal(colour, f"{what} was due on {long_date(due)}: {late} day{'' if late == 1 else 's'} overdue, {limit}")


def next_review(partnership: Partnership, today: dt.date, limits: FreshnessThresholds) -> Signal | None:
    """Signal from the review the partners planned in their latest review."""
    summary = review_summary(partnership, {}, today)
    if summary.next_review is None:
        return None  # no review yet, or none planned: the monitoring page asks for one
    return by_lateness("the next review", summary.next_review, today, limits.review_overdue_red_days)


def agreed_actions(partnership: Partnership, today: dt.date, limits: FreshnessThresholds) -> Signal | None:
    """Signal from the most overdue action agreed in a review and not yet done or dropped."""
    summary = review_summary(partnership, {}, today)
    if not summary.open_actions:
        return None
    overdue = summary.overdue_actions
    if not overdue:
        return Signal("green", f"no open action agreed in a review is overdue ({len(summary.open_actions)} open)")
    oldest = min(item.action.due for item in overdue)
    what = "an action agreed in a review" if len(overdue) == 1 else f"the oldest of {len(overdue)} overdue actions"
    return by_lateness(what, oldest, today, limits.action_overdue_red_days)


# A rule returns None when it does not apply.
SIGNALS: list[SignalRule] = [latest_log_entry, latest_actual, next_review, agreed_actions]


def freshness(partnership: Partnership, today: dt.date, limits: FreshnessThresholds | None = None) -> Freshness:
    """The partnership's colour: the worst of all signals, which are kept as the reasons."""
    limits = limits or FreshnessThresholds()
    signals = tuple(signal for rule in SIGNALS if (signal := rule(partnership, today, limits)) is not None)
    worst = max((signal.colour for signal in signals), key=COLOUR_ORDER.index, default="green")
    return Freshness(worst, signals)
