"""Goals and indicators: the partnership's own simple, participatory monitoring.

The method asks partners to "make common and individual goals transparent"
and to "implement a simple participatory monitoring system". A goal names the
stakeholders whose interests it serves; an indicator belongs to a goal and is
reported over time by the partners themselves (`reported_by`), which is what
makes the monitoring participatory.

References (`Ref.stakeholder`, `Ref.goal`) are checked by pydantic with the
rest of the record. What one entry says about itself (a period that ends
before it starts) is checked here; what needs the indicator's measure, the
other periods or the build date is checked in `validate_monitoring.py`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from .references import Ref
from .values import Date, Id, Record, Text, Url, ValueKind

GoalLevel = Literal["output", "outcome", "impact"]
MeasureKind = Literal["number", "percentage", "yes-no", "text"]
Direction = Literal["higher", "lower"]

GOAL_LEVELS: dict[str, str] = {"output": "Output", "outcome": "Outcome", "impact": "Impact"}
MEASURE_LABELS: dict[str, str] = {
    "number": "Number", "percentage": "Percentage", "yes-no": "Yes or no", "text": "Qualitative (text)",
}



EXPONENT_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]+")


def _check_measurement(value: object) -> object:
    # YAML reads `yes`/`no` as true/false, numbers as numbers and anything else
    # as text; whether that fits the indicator's measure is checked with the
    # indicator (validate_monitoring.py). One type, so a mistake gives one message.
    if isinstance(value, str) and EXPONENT_NUMBER.fullmatch(value.strip()):
        # YAML 1.1 leaves 2.5e3 as text (it wants 2.5e+3); it is a number as typed.
        return float(value)
    if isinstance(value, bool) or (isinstance(value, str) and value.strip()):
        return value.strip() if isinstance(value, str) else value
    if isinstance(value, (int, float)):
        if math.isfinite(value):
            return value
        # Named as pydantic names it, so the message is the one every number gets.
        raise PydanticCustomError("finite_number", "Input should be a finite number")
    raise PydanticCustomError(
        "measurement", "'{value}' is not a value an indicator can have: write a number, yes or no, or a short text",
        {"value": value},
    )


Measurement = Annotated[
    Union[bool, int, float, str],  # int too: a whole number dumps as itself, without a serializer warning
    PlainValidator(_check_measurement),
    WithJsonSchema({"anyOf": [{"type": "boolean"}, {"type": "number"}, {"type": "string", "minLength": 1}]}),
    ValueKind("number, yes/no or text"),
]


class Goal(Record):
    """A result the partners want (output, outcome or impact) and the stakeholders whose interests it serves."""

    id: Id = Field(description="Short id of the goal; indicators name it under `goal:`.")
    title: Text = Field(description="The result the partners want, in a sentence, e.g. 'Every household has a tap within 100 metres'.")
    level: GoalLevel = Field(
        description="`output` (what the partnership delivers), `outcome` (the change it brings about) "
        "or `impact` (the lasting, wider effect)."
    )
    serves: list[Ref.stakeholder] = Field(
        min_length=1,
        description="Ids of the stakeholders whose interests this goal serves. A stakeholder that no goal "
        "serves is flagged: goals that match each partner's interests are a success factor.",
    )
    description: Optional[Text] = Field(None, description="More on the goal, in the partners' words.")


class Baseline(Record):
    """An indicator's value at the start, with the date it was measured."""

    date: Date = Field(description="When the baseline was measured, as YYYY-MM-DD.")
    value: Measurement = Field(description="The value at the start, of the indicator's `measure` kind.")


class Target(Record):
    """What the partners aim for on an indicator by the end of one period."""

    period: Text = Field(description="Name of the period, e.g. '2026' or 'First half of 2027'.")
    start: Date = Field(description="First day of the period, as YYYY-MM-DD.")
    end: Date = Field(description="Last day of the period, as YYYY-MM-DD. Periods of one indicator may not overlap.")
    value: Measurement = Field(description="What the partners aim for by the end of the period.")

    @model_validator(mode="after")
    def _starts_before_it_ends(self) -> "Target":
        if self.end < self.start:
            raise PydanticCustomError(
                "period_order", "the period '{period}' ends ({end}) before it starts ({start})",
                {"period": self.period, "end": str(self.end), "start": str(self.start)},
            )
        return self

    def covers(self, day: dt.date) -> bool:
        """Whether `day` falls within the period, its first and last day included."""
        return self.start <= day <= self.end


class Actual(Record):
    """A value of an indicator as measured on a date, and which stakeholders reported and checked it."""

    date: Date = Field(description="When the value was measured, as YYYY-MM-DD; not after the build date.")
    value: Measurement = Field(description="The measured value, of the indicator's `measure` kind.")
    reported_by: list[Ref.stakeholder] = Field(
        min_length=1, description="Ids of the stakeholders who reported the value (one or more)."
    )
    verified_by: list[Ref.stakeholder] = Field(
        default_factory=list, description="Ids of the stakeholders who checked the value, if any."
    )
    comment: Optional[Text] = Field(None, description="A short note on the value, e.g. what changed.")
    evidence: Optional[Url] = Field(None, description="Link to the evidence: a report, survey or data file.")


def _truth(entry: Any) -> Any:
    """An entry whose `value` is "yes" or "no", with that value as true or false."""
    if isinstance(entry, dict) and isinstance(entry.get("value"), str):
        word = entry["value"].strip().casefold()
        if word in ("yes", "no"):
            return {**entry, "value": word == "yes"}
    return entry


class Indicator(Record):
    """What is measured to show progress towards a goal: baseline, targets per period and measured values."""

    id: Id = Field(description="Short id of the indicator.")
    goal: Ref.goal = Field(description="Id of the goal (under `goals:`) the indicator shows progress towards.")
    name: Text = Field(description="What is measured.")
    measure: MeasureKind = Field(
        description="Kind of value: `number`, `percentage` (0 to 100), `yes-no` (yes or no) or `text` (qualitative)."
    )
    unit: Optional[Text] = Field(None, description="Unit of a number, e.g. 'households'. Percentages need none.")
    better: Optional[Direction] = Field(
        None, description="`higher` or `lower`: which way is better. Required for numbers and percentages."
    )
    baseline: Optional[Baseline] = Field(None, description="The value at the start, with its date.")
    targets: list[Target] = Field(default_factory=list, description="What the partners aim for, period by period.")
    actuals: list[Actual] = Field(
        default_factory=list, description="Measured values over time, each with who reported it."
    )

    @model_validator(mode="before")
    @classmethod
    def _yes_no_as_truth(cls, data: Any) -> Any:
        # The loader refuses a bare yes/no (YAML 1.1 would turn it into a boolean
        # unasked), so a yes-no indicator's values are written "yes" or "no" in quotes.
        if not isinstance(data, dict) or data.get("measure") != "yes-no":
            return data
        data = dict(data)
        for key in ("baseline", "targets", "actuals"):
            entries = data.get(key)
            single = isinstance(entries, dict)
            converted = [_truth(entry) for entry in ([entries] if single else entries or [])] if isinstance(
                entries, (dict, list)) else entries
            if isinstance(entries, (dict, list)):
                data[key] = converted[0] if single else converted
        return data

    def actuals_by_date(self) -> list[Actual]:
        """The measured values, oldest first."""
        return sorted(self.actuals, key=lambda actual: actual.date)

    def targets_by_date(self) -> list[Target]:
        """The targets, earliest period first (periods do not overlap), however the record lists them."""
        return sorted(self.targets, key=lambda target: target.start)

    def latest(self) -> Actual | None:
        """The most recently measured value, or None before the first."""
        ordered = self.actuals_by_date()
        return ordered[-1] if ordered else None

    def target_for(self, day: dt.date) -> Target | None:
        """The target whose period contains `day`, or None when no period does."""
        return next((target for target in self.targets if target.covers(day)), None)


def unserved_stakeholders(partnership: Any) -> list[int]:
    """Positions in `stakeholders` of those whose interests no goal serves.

    Empty while no goal is stated: a partnership still exploring has no goals
    yet, and that is not a mistake.
    """
    if not partnership.goals:
        return []
    served = {ident for goal in partnership.goals for ident in goal.serves}
    return [index for index, stakeholder in enumerate(partnership.stakeholders) if stakeholder.id not in served]
