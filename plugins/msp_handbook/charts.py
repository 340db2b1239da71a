"""Charts of an indicator over time, drawn as inline SVG when the site is built.

No JavaScript and nothing fetched from anywhere: the picture is part of the
page, scales with it (viewBox, width 100%), prints as it shows, and carries
an accessible name and a text description. Every text from a record is
XML-escaped here, because the SVG reaches the page as finished markup.

Shapes, not only colours, tell the series apart (square baseline, dashed
targets, solid line with dots for actuals), so the chart reads in black and
white print too.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from html import escape
from typing import NamedTuple

from .model.monitoring import Indicator
from .structure.monitoring import format_value
from .words import long_date, number

WIDTH, HEIGHT = 600, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 28, 44
FONT = 15  # viewBox units: about 11 px on a 390 px wide phone


@dataclass(frozen=True)
class Scale:
    """How an indicator's chart maps dates across and values up onto the SVG drawing."""

    start: dt.date
    end: dt.date
    low: float
    high: float
    _days: int = field(init=False, repr=False, compare=False)
    _values: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The spans, worked out once: x and y run for every point, tick and label spot of the chart.
        object.__setattr__(self, "_days", max((self.end - self.start).days, 1))
        object.__setattr__(self, "_values", (self.high - self.low) or 1.0)

    def x(self, day: dt.date) -> float:
        """Horizontal position of `day` in the drawing."""
        return round(LEFT + (day - self.start).days / self._days * (WIDTH - LEFT - RIGHT), 1)

    def y(self, value: float) -> float:
        """Vertical position of `value` in the drawing; higher values sit higher."""
        return round(HEIGHT - BOTTOM - (value - self.low) / self._values * (HEIGHT - TOP - BOTTOM), 1)


def chartable(indicator: Indicator) -> bool:
    """Numbers, percentages and yes/no over time; qualitative text is shown as a table only."""
    return indicator.measure != "text" and bool(indicator.actuals)


def _numeric(value: object) -> float:
    return float(value)  # yes/no as 1/0: bool is a number in Python


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` intervals."""
    raw = span / ticks if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def _scale(indicator: Indicator) -> Scale:
    days = [actual.date for actual in indicator.actuals]
    days += [day for target in indicator.targets for day in (target.start, target.end)]
    values = [_numeric(actual.value) for actual in indicator.actuals]
    values += [_numeric(target.value) for target in indicator.targets]
    if indicator.baseline is not None:
        days.append(indicator.baseline.date)
        values.append(_numeric(indicator.baseline.value))
    if indicator.measure == "yes-no":
        return Scale(min(days), max(days), 0.0, 1.0)
    low, high = min(0.0, min(values)), max(values)
    step = nice_step(high - low)
    high = math.ceil(high / step) * step if high > low else low + step
    if indicator.measure == "percentage":
        high = min(high, 100.0) if max(values) <= 100 else high
    return Scale(min(days), max(days), math.floor(low / step) * step, high)


def _y_ticks(indicator: Indicator, scale: Scale) -> list[tuple[float, str]]:
    if indicator.measure == "yes-no":
        return [(0.0, "no"), (1.0, "yes")]
    step = nice_step(scale.high - scale.low)
    ticks, value = [], scale.low
    while value <= scale.high + step / 1000:
        ticks.append((value, number(round(value, 6)) + ("%" if indicator.measure == "percentage" else "")))
        value += step
    return ticks


def _x_ticks(scale: Scale) -> list[tuple[dt.date, str]]:
    """1 January of each year in range; the two ends when the range is within one year."""
    years = [dt.date(year, 1, 1) for year in range(scale.start.year + 1, scale.end.year + 1)]
    if len(years) > 8:
        years = years[:: math.ceil(len(years) / 8)]
    if years:
        return [(day, str(day.year)) for day in years]
    return [(scale.start, f"{scale.start:%b %Y}"), (scale.end, f"{scale.end:%b %Y}")]


def description(indicator: Indicator) -> str:
    """The chart in words: what a screen reader says and what a search engine reads."""
    parts = []
    if indicator.baseline is not None:
        parts.append(f"baseline {format_value(indicator, indicator.baseline.value)} on {long_date(indicator.baseline.date)}")
    parts += [f"{target.period} target {format_value(indicator, target.value)}" for target in indicator.targets_by_date()]
    parts += [f"{format_value(indicator, a.value)} on {long_date(a.date)}" for a in indicator.actuals_by_date()]
    return "; ".join(parts) + "."


def indicator_chart(indicator: Indicator, chart_id: str) -> str:
    """The SVG for one indicator; `chart_id` must be unique on the page (it names the title)."""
    scale = _scale(indicator)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="msp-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="{FONT}" fill="currentColor">',
        f'<title id="{chart_id}-title">{escape(indicator.name)}: baseline, targets and reported values</title>',
        f'<desc id="{chart_id}-desc">{escape(description(indicator))}</desc>',
    ]
    labels = Labels(_marks(indicator, scale))
    out += _axes(indicator, scale)
    out += _targets(indicator, scale)
    out += _baseline(indicator, scale)
    out += _actuals(indicator, scale, labels)
    # Values first, then what they are measured against: the most telling labels get the free room.
    out += _target_labels(indicator, scale, labels)
    out += _baseline_label(indicator, scale, labels)
    out.append("</svg>")
    return "".join(out)


class Box(NamedTuple):
    """A rectangle of the drawing taken by a mark or a label (a tuple: hundreds are made per chart)."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "Box") -> bool:
        """Whether this box and `other` cover any of the same area."""
        return self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom


# Where a label may go: inside the plot, clear of the axis labels.
PLOT = Box(LEFT - 4, 0, WIDTH, HEIGHT - BOTTOM)


class Labels:
    """Places each label at the first of its candidate spots that is free, so no two labels overlap.

    A label's size is estimated from its length (the font's average advance),
    which is all a build-time SVG can know; a label with no free spot is left
    out, since the table beside the chart gives every number anyway.
    """

    def __init__(self, marks: list[Box]):
        self.taken = list(marks)

    def place(self, text: str, spots: list[tuple[float, float, str]], css: str, bold: bool = False,
              style: str = "") -> list[str]:
        """The SVG text of a label at the first free spot that fits in the plot, or nothing when none does."""
        width = len(text) * FONT * (0.62 if bold else 0.56)
        for x, y, anchor in spots:
            left = x if anchor == "start" else x - width / 2 if anchor == "middle" else x - width
            box = Box(left - 2, y - FONT * 0.8, left + width + 2, y + FONT * 0.25)
            if _inside_plot(box) and not self._covers(box):
                self.taken.append(box)
                weight = ' font-weight="bold"' if bold else ""
                return [f'<text class="{css}" x="{round(x, 1)}" y="{round(y, 1)}" text-anchor="{anchor}"{weight}{style}>'
                        f'{escape(text)}</text>']
        return []

    def _covers(self, box: Box) -> bool:
        """Whether `box` overlaps a mark or a placed label (Box.overlaps written out: this is the chart's inner loop)."""
        left, top, right, bottom = box
        for other_left, other_top, other_right, other_bottom in self.taken:
            if left < other_right and other_left < right and top < other_bottom and other_top < bottom:
                return True
        return False


def _inside_plot(box: Box) -> bool:
    return PLOT.left <= box.left and box.right <= PLOT.right and PLOT.top <= box.top and box.bottom <= PLOT.bottom


def _marks(indicator: Indicator, scale: Scale) -> list[Box]:
    """What labels must not cover: the dots, the baseline square and the target lines."""
    points = [(scale.x(a.date), scale.y(_numeric(a.value))) for a in indicator.actuals]
    if indicator.baseline is not None:
        points.append((scale.x(indicator.baseline.date), scale.y(_numeric(indicator.baseline.value))))
    marks = [Box(x - 7, y - 7, x + 7, y + 7) for x, y in points]
    for target in indicator.targets:
        y = scale.y(_numeric(target.value))
        marks.append(Box(scale.x(target.start), y - 2, scale.x(target.end), y + 2))
    return marks


def _axes(indicator: Indicator, scale: Scale) -> list[str]:
    parts = []
    for value, label in _y_ticks(indicator, scale):
        y = scale.y(value)
        parts.append(f'<line class="msp-chart-grid" x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" '
                     'stroke="currentColor" stroke-opacity="0.2"/>')
        parts.append(f'<text class="msp-chart-ylabel" x="{LEFT - 6}" y="{y + 5}" text-anchor="end">{escape(label)}</text>')
    for day, label in _x_ticks(scale):
        x = scale.x(day)
        parts.append(f'<line x1="{x}" y1="{HEIGHT - BOTTOM}" x2="{x}" y2="{HEIGHT - BOTTOM + 6}" stroke="currentColor"/>')
        parts.append(f'<text class="msp-chart-xlabel" x="{x}" y="{HEIGHT - BOTTOM + 24}" text-anchor="middle">{escape(label)}</text>')
    parts.append(f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" stroke="currentColor"/>')
    return parts


def _targets(indicator: Indicator, scale: Scale) -> list[str]:
    parts = []
    for target in indicator.targets_by_date():
        x1, x2, y = scale.x(target.start), scale.x(target.end), scale.y(_numeric(target.value))
        parts.append(f'<line class="msp-chart-target" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="currentColor" '
                     f'stroke-width="3" stroke-dasharray="8 5" data-period="{escape(target.period)}" '
                     f'data-value="{escape(str(target.value))}"/>')
    return parts


def _target_labels(indicator: Indicator, scale: Scale, labels: Labels) -> list[str]:
    parts = []
    for target in indicator.targets_by_date():
        x1, x2, y = scale.x(target.start), scale.x(target.end), scale.y(_numeric(target.value))
        label = _shorten(f"{target.period}: {format_value(indicator, target.value)}")
        ends = ((x1, "start"), (x2, "end"), ((x1 + x2) / 2, "middle"))
        spots = [(x, y + dy, anchor) for dy in (-8, 20, -26, 38) for x, anchor in ends]
        parts += labels.place(label, spots, "msp-chart-target-label", style=' font-style="italic"')
    return parts


def _baseline(indicator: Indicator, scale: Scale) -> list[str]:
    if indicator.baseline is None:
        return []
    x, y = scale.x(indicator.baseline.date), scale.y(_numeric(indicator.baseline.value))
    return [f'<rect class="msp-chart-baseline" x="{x - 6}" y="{y - 6}" width="12" height="12" fill="none" '
            f'stroke="currentColor" stroke-width="2.5" data-value="{escape(str(indicator.baseline.value))}"/>']


def _baseline_label(indicator: Indicator, scale: Scale, labels: Labels) -> list[str]:
    if indicator.baseline is None:
        return []
    x, y = scale.x(indicator.baseline.date), scale.y(_numeric(indicator.baseline.value))
    spots = [(x + 10, y + 18, "start"), (x + 10, y - 10, "start"), (x + 11, y + 5, "start"), (x - 6, y + 24, "start"),
             (x - 6, y - 12, "start")]
    return labels.place("baseline", spots, "msp-chart-baseline-label")


def _actuals(indicator: Indicator, scale: Scale, labels: Labels) -> list[str]:
    points = [(scale.x(a.date), scale.y(_numeric(a.value)), a) for a in indicator.actuals_by_date()]
    parts = [f'<polyline class="msp-chart-actuals" fill="none" stroke="currentColor" stroke-width="3" '
             f'points="{" ".join(f"{x},{y}" for x, y, _ in points)}"/>']
    for x, y, actual in points:
        parts.append(f'<circle class="msp-chart-actual" cx="{x}" cy="{y}" r="6" data-date="{actual.date}" '
                     f'data-value="{escape(str(actual.value))}"/>')
    for x, y, actual in points:
        spots = [(x, y - 12, "middle"), (x, y + 24, "middle"), (x - 10, y - 10, "end"), (x + 10, y - 10, "start"),
                 (x - 10, y + 20, "end"), (x + 10, y + 20, "start")]
        parts += labels.place(format_value(indicator, actual.value).split(" ")[0], spots, "msp-chart-actual-label",
                              bold=True)
    return parts


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
