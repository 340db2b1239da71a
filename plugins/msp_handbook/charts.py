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
from dataclasses import dataclass
from html import escape

from .model.monitoring import Indicator
from .structure.monitoring import format_value
from .words import long_date, number

WIDTH, HEIGHT = 600, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 28, 44
FONT = 15  # viewBox units: about 11 px on a 390 px wide phone


@dataclass(frozen=True)
class Scale:
    start: dt.date
    end: dt.date
    low: float
    high: float

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        return round(LEFT + (day - self.start).days / span * (WIDTH - LEFT - RIGHT), 1)

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return round(HEIGHT - BOTTOM - (value - self.low) / span * (HEIGHT - TOP - BOTTOM), 1)


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
    parts += [f"{target.period} target {format_value(indicator, target.value)}" for target in indicator.targets]
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
    out += _axes(indicator, scale)
    out += _targets(indicator, scale)
    out += _baseline(indicator, scale)
    out += _actuals(indicator, scale)
    out.append("</svg>")
    return "".join(out)


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
    for target in indicator.targets:
        x1, x2, y = scale.x(target.start), scale.x(target.end), scale.y(_numeric(target.value))
        parts.append(f'<line class="msp-chart-target" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="currentColor" '
                     f'stroke-width="3" stroke-dasharray="8 5" data-period="{escape(target.period)}" '
                     f'data-value="{escape(str(target.value))}"/>')
        label = f"{target.period}: {format_value(indicator, target.value)}"
        anchor, x = ("end", x2) if x2 > WIDTH - RIGHT - 120 else ("start", x1)
        parts.append(f'<text class="msp-chart-target-label" x="{x}" y="{y - 8}" text-anchor="{anchor}" '
                     f'font-style="italic">{escape(_shorten(label))}</text>')
    return parts


def _baseline(indicator: Indicator, scale: Scale) -> list[str]:
    if indicator.baseline is None:
        return []
    x, y = scale.x(indicator.baseline.date), scale.y(_numeric(indicator.baseline.value))
    return [f'<rect class="msp-chart-baseline" x="{x - 6}" y="{y - 6}" width="12" height="12" fill="none" '
            f'stroke="currentColor" stroke-width="2.5" data-value="{escape(str(indicator.baseline.value))}"/>',
            f'<text class="msp-chart-baseline-label" x="{x + 10}" y="{y + 18}">baseline</text>']


def _actuals(indicator: Indicator, scale: Scale) -> list[str]:
    points = [(scale.x(a.date), scale.y(_numeric(a.value)), a) for a in indicator.actuals_by_date()]
    parts = [f'<polyline class="msp-chart-actuals" fill="none" stroke="currentColor" stroke-width="3" '
             f'points="{" ".join(f"{x},{y}" for x, y, _ in points)}"/>']
    for x, y, actual in points:
        parts.append(f'<circle class="msp-chart-actual" cx="{x}" cy="{y}" r="6" data-date="{actual.date}" '
                     f'data-value="{escape(str(actual.value))}"/>')
        anchor = "end" if x > WIDTH - RIGHT - 60 else "middle"
        label_y = y - 12 if y > TOP + 20 else y + 24
        parts.append(f'<text class="msp-chart-actual-label" x="{x}" y="{label_y}" text-anchor="{anchor}" '
                     f'font-weight="bold">{escape(format_value(indicator, actual.value).split(" ")[0])}</text>')
    return parts


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
