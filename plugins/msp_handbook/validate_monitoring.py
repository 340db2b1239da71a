"""Checks on indicators that need more than one value at a time, or the build date.

Errors: a value that does not fit its indicator's measure, a number without
a direction, overlapping target periods, an actual dated after the build
date. Warnings (the record is publishable, but doubtful): a stakeholder whose
interests no goal serves. References (reporters, goals) are checked by the
model itself (`Ref`).

The errors are read off the file as written, not off the model, so they are
reported in the same run as any mistake in the shape of the record.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

from .load import Document
from .model.monitoring import EXPONENT_NUMBER
from .model import Partnership
from .model.monitoring import unserved_stakeholders
from .problems import Problem
from .validate import _describe

MEASURES = ("number", "percentage", "yes-no", "text")


def check_monitoring(document: Document, today: dt.date) -> list[Problem]:
    """Every measure, direction, period and date mistake in the record's `indicators`."""
    problems: list[Problem] = []
    indicators = document.value.get("indicators") if isinstance(document.value, dict) else None
    for index, indicator in enumerate(indicators if isinstance(indicators, list) else []):
        if not isinstance(indicator, dict):
            continue
        where = ("indicators", index)
        measure = indicator.get("measure")
        if measure in ("number", "percentage") and indicator.get("better") is None:
            problems.append(document.problem(
                where, f"indicator '{indicator.get('id', index + 1)}' does not say whether higher or lower is better",
                "add `better: higher` or `better: lower`"))
        if measure in MEASURES:
            for loc, value in measured_values(indicator):
                wrong = misfit(measure, value)
                if wrong:
                    name = _describe((*where, *loc))
                    problems.append(document.problem((*where, *loc), f"{name} is {wrong}", FIXES[measure]))
        problems += overlapping_periods(document, where, indicator.get("targets"))
        for loc, day in entry_dates(indicator.get("actuals"), "date"):
            if day > today:
                problems.append(document.problem(
                    (*where, "actuals", *loc), f"an actual is dated {day}, after the build date {today}",
                    "check the year and month: an actual is a value already measured (plans go under `targets:`)"))
    return problems


def measured_values(indicator: dict) -> Iterator[tuple[tuple, Any]]:
    """(location inside the indicator, value) of the baseline, every target and every actual, as written."""
    baseline = indicator.get("baseline")
    if isinstance(baseline, dict) and "value" in baseline:
        yield ("baseline", "value"), baseline["value"]
    for key in ("targets", "actuals"):
        entries = indicator.get(key)
        for position, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict) and "value" in entry:
                yield (key, position, "value"), entry["value"]


def misfit(measure: str, value: Any) -> str:
    """Why `value` does not fit `measure`, in words after "is"; empty when it fits.

    Values that are no measurement at all (a list, an empty or infinite value)
    are the model's to report, so they are passed over here.
    """
    if isinstance(value, str) and EXPONENT_NUMBER.fullmatch(value.strip()):
        value = float(value)  # read as the model reads it
    if not isinstance(value, (bool, int, float, str)):
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, str) and not value.strip():
        return ""
    shown = f"'{value}'" if not isinstance(value, bool) else ("yes" if value else "no")
    if measure in ("number", "percentage"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{shown}, not a number"
        if measure == "percentage" and not 0 <= value <= 100:
            return f"'{value:g}', but a percentage lies between 0 and 100"
    elif measure == "yes-no" and not isinstance(value, bool) and str(value).strip().casefold() not in ("yes", "no"):
        return f"{shown}, not yes or no"
    elif measure == "text" and not isinstance(value, str):
        return f"{shown}, not text"
    return ""


FIXES = {
    "number": "write digits only, e.g. 1200 or 12.5, or change the indicator's `measure`",
    "percentage": "write the percentage as a number from 0 to 100 without the % sign, e.g. 42.5",
    "yes-no": 'write "yes" or "no", in quotes',
    "text": "put the value in quotes, or change the indicator's `measure` to `number`",
}


def as_date(value: Any) -> dt.date | None:
    """A date as YAML gives it (or quoted as YYYY-MM-DD); None for anything else, which the model reports."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def entry_dates(entries: Any, key: str) -> Iterator[tuple[tuple, dt.date]]:
    """(location, date) of `key` in each entry of a list as written, where it is a date."""
    for position, entry in enumerate(entries if isinstance(entries, list) else []):
        day = as_date(entry.get(key)) if isinstance(entry, dict) else None
        if day is not None:
            yield (position, key), day


def overlapping_periods(document: Document, where: tuple, targets: Any) -> list[Problem]:
    """Target periods of one indicator do not overlap: each date has at most one target."""
    periods = []
    for (position, _), start in entry_dates(targets, "start"):
        end, label = as_date(targets[position].get("end")), targets[position].get("period", position + 1)
        if end is not None and start <= end:  # a reversed period is the model's to report
            periods.append((start, end, position, label))
    periods.sort()
    problems = []
    for (_, end, _, label), (start, later_end, position, later) in zip(periods, periods[1:], strict=False):
        if start <= end:
            problems.append(document.problem(
                (*where, "targets", position, "start"),
                f"the period '{later}' ({start} to {later_end}) overlaps '{label}' (which ends {end})",
                f"start '{later}' after {end}, or end '{label}' earlier"))
    return problems


def unserved_stakeholder_doubts(partnership: Partnership, document: Document) -> list[Problem]:
    """Warnings for stakeholders whose interests no goal serves (once any goal is stated)."""
    return [
        document.problem(("stakeholders", index, "id"),
                         f"no goal serves the interests of stakeholder '{partnership.stakeholders[index].id}'",
                         f"add '{partnership.stakeholders[index].id}' to `serves:` of the goals that match its "
                         "interests, or agree a goal that does")
        for index in unserved_stakeholders(partnership)
    ]
