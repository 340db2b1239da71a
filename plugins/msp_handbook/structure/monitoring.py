"""Is each indicator on track? Computed from the record, and said in words.

The rule is the method's "critical review and statement on progress" made
mechanical, so nobody types a status that the numbers contradict: take the
latest actual, find the target of the period it falls in, and compare in the
direction the partners said is better.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..model import Partnership
from ..model.monitoring import Actual, Indicator, Target, unserved_stakeholders
from ..words import long_date, number
from .freshness import Freshness, FreshnessThresholds, freshness

Track = Literal["on-track", "off-track", "not-assessed"]

TRACK_LABELS: dict[str, str] = {"on-track": "On track", "off-track": "Off track", "not-assessed": "Not assessed"}


@dataclass(frozen=True)
class IndicatorStatus:
    """Whether an indicator is on track against its current target, with the reason in words."""

    indicator: Indicator
    track: Track
    explanation: str
    latest: Actual | None
    target: Target | None

    @property
    def label(self) -> str:
        """The track as the page writes it: On track, Off track or Not assessed."""
        return TRACK_LABELS[self.track]


def format_value(indicator: Indicator, value: object) -> str:
    """A value as people read it: 1,240 households, 45.5%, yes, or the text itself."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        shown = number(value)
        if indicator.measure == "percentage":
            return f"{shown}%"
        return f"{shown} {indicator.unit}" if indicator.unit else shown
    return str(value)


def indicator_status(indicator: Indicator) -> IndicatorStatus:
    """On or off track (or not assessed) from the latest actual and its period's target, with why in words."""
    latest = indicator.latest()
    if latest is None:
        return IndicatorStatus(indicator, "not-assessed", "no value reported yet", None, None)
    if indicator.measure == "text":
        return IndicatorStatus(indicator, "not-assessed", f"latest report {long_date(latest.date)}: a qualitative "
                               "indicator is judged by the partners, not computed", latest, None)
    shown = f"latest {format_value(indicator, latest.value)} ({long_date(latest.date)})"
    target = indicator.target_for(latest.date)
    if target is None:
        return IndicatorStatus(indicator, "not-assessed", f"{shown}: no target is set for a period that includes "
                               "this date", latest, None)
    goal = f"the {target.period} target of {format_value(indicator, target.value)}"
    if indicator.measure == "yes-no":
        met = latest.value == target.value
        verb = "matches" if met else "does not match"
        return IndicatorStatus(indicator, "on-track" if met else "off-track", f"{shown} {verb} {goal}", latest, target)
    value, aim = float(latest.value), float(target.value)  # numbers: validated against the measure
    if value == aim:
        comparison = "meets"
    else:
        comparison = "is above" if value > aim else "is below"
    met = value >= aim if indicator.better == "higher" else value <= aim
    return IndicatorStatus(indicator, "on-track" if met else "off-track",
                           f"{shown} {comparison} {goal}; {indicator.better} is better", latest, target)


def indicator_statuses(partnership: Partnership) -> list[IndicatorStatus]:
    """The status of each indicator, in the record's order."""
    return [indicator_status(indicator) for indicator in partnership.indicators]


@dataclass(frozen=True)
class GoalAlignment:
    """The goals × stakeholders matrix: which goal serves whose interests."""

    partnership: Partnership

    def serves(self, goal_id: str, stakeholder_id: str) -> bool:
        """Whether the goal `goal_id` serves the interests of the stakeholder `stakeholder_id`."""
        goal = next((goal for goal in self.partnership.goals if goal.id == goal_id), None)
        return goal is not None and stakeholder_id in goal.serves

    def unserved(self) -> list[str]:
        """Ids of the stakeholders no goal serves; empty while no goal is stated."""
        return [self.partnership.stakeholders[index].id for index in unserved_stakeholders(self.partnership)]


@dataclass(frozen=True)
class MonitoringView:
    """What the monitoring page, the overview and the list show of one partnership."""

    statuses: list[IndicatorStatus]
    alignment: GoalAlignment
    freshness: Freshness

    def count(self, track: Track) -> int:
        """How many indicators are on the track `track`."""
        return sum(1 for status in self.statuses if status.track == track)

    def assessed(self) -> int:
        """How many indicators can be judged on or off track yet."""
        return len(self.statuses) - self.count("not-assessed")


def monitoring_view(partnership: Partnership, today: dt.date,
                    limits: FreshnessThresholds | None = None) -> MonitoringView:
    """Everything the pages show of a partnership's monitoring, computed once per build."""
    return MonitoringView(indicator_statuses(partnership), GoalAlignment(partnership),
                          freshness(partnership, today, limits))
