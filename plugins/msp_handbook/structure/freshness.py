"""How fresh is a partnership's record? Green, amber or red, computed never typed.

Each signal looks at one thing (the latest log entry, the latest reported
value, ...) and may give a colour with a reason; the partnership takes the
worst colour of all its signals. Other parts of the handbook add their own
signals to SIGNALS (an overdue review, an overdue action), so this module
does not need to know about them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..model import Partnership
from ..words import long_date

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


@dataclass(frozen=True)
class Signal:
    colour: Colour
    reason: str


@dataclass(frozen=True)
class Freshness:
    colour: Colour
    signals: tuple[Signal, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
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


# Extend with `SIGNALS.append(rule)`; a rule returns None when it does not apply.
SIGNALS: list[SignalRule] = [latest_log_entry, latest_actual]


def freshness(partnership: Partnership, today: dt.date, limits: FreshnessThresholds | None = None) -> Freshness:
    """The partnership's colour: the worst of all signals, which are kept as the reasons."""
    limits = limits or FreshnessThresholds()
    signals = tuple(signal for rule in SIGNALS if (signal := rule(partnership, today, limits)) is not None)
    worst = max((signal.colour for signal in signals), key=COLOUR_ORDER.index, default="green")
    return Freshness(worst, signals)
