"""The cooperation rent: what each stakeholder puts into the partnership and gets out of it.

The method asks partners to "be aware of transparent and just distribution of
the cooperation rent". The ledger records both sides with dates, so partners
can judge whether the rent is shared fairly. An amount always says what it
counts (a currency for money, a unit for anything else), and totals are only
ever made of amounts that count the same thing.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from .audience import Visibility, visibility_field
from .references import Ref
from .values import Date, Record, Text, ValueKind

ContributionKind = Literal["money", "in-kind", "staff-time", "expertise", "access", "other"]
BenefitKind = Literal["results", "reputation", "learning", "market", "legitimacy", "money", "other"]

LEDGER_KIND_LABELS: dict[str, str] = {
    "money": "Money", "in-kind": "In kind", "staff-time": "Staff time", "expertise": "Expertise",
    "access": "Access", "results": "Results", "reputation": "Reputation", "learning": "Learning",
    "market": "Market", "legitimacy": "Legitimacy", "other": "Other",
}

_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _check_currency(value: str) -> str:
    if not _CURRENCY.match(value):
        raise PydanticCustomError(
            "currency_code",
            "'{value}' is not a currency code: use the three capital letters of ISO 4217, e.g. EUR, USD or KES",
            {"value": value},
        )
    return value


Currency = Annotated[
    str, AfterValidator(_check_currency), WithJsonSchema({"type": "string", "pattern": _CURRENCY.pattern}),
    ValueKind("currency code"),
]


class LedgerEntry(Record):
    """One thing a stakeholder puts into the partnership or gets out of it, with its date and amount."""

    stakeholder: Ref.stakeholder = Field(description="Id of the stakeholder the entry is about.")
    date: Date = Field(description="When it was given or received, as YYYY-MM-DD (the start, for something ongoing).")
    description: Text = Field(description="What it is, in a few words.")
    amount: Optional[float] = Field(
        None, ge=0, allow_inf_nan=False,
        description="How much, if it can be counted; then `currency` (for money) or `unit` says what it counts.",
    )
    currency: Optional[Currency] = Field(None, description="For money: the ISO 4217 code, e.g. EUR, USD or KES.")
    unit: Optional[Text] = Field(None, description="For anything else counted: the unit, e.g. 'person-days' or 'households'.")
    visibility: Visibility = visibility_field()

    @model_validator(mode="after")
    def _amount_says_what_it_counts(self) -> "LedgerEntry":
        kind = getattr(self, "kind", "")
        if self.currency and self.unit:
            _fail("an amount counts either money (`currency`) or something else (`unit`), not both",
                  "keep `currency:` for money, `unit:` for anything else")
        if kind == "money" and self.unit:
            _fail("money is counted in a currency, not a unit", "replace `unit:` with `currency:`, e.g. `currency: EUR`")
        if self.amount is not None and not (self.currency or self.unit):
            _fail("the amount does not say what it counts",
                  "add `currency:` (e.g. EUR) for money, or `unit:` (e.g. person-days) for anything else")
        if self.amount is None and (self.currency or self.unit):
            _fail("a currency or unit is given without an amount", "add `amount:`, or remove the currency or unit")
        return self

    def measure(self) -> str:
        """What the amount counts: its currency or unit."""
        return self.currency or self.unit or ""


def _fail(message: str, fix: str) -> None:
    # The fix travels in the context; validate.py shows it on its `fix:` line.
    raise PydanticCustomError("ledger_amount", message, {"fix": fix})


class Contribution(LedgerEntry):
    """What a stakeholder puts into the partnership: money, time, expertise, access..."""

    kind: ContributionKind = Field(
        description="What is put in: `money`, `in-kind`, `staff-time`, `expertise`, `access` or `other`."
    )


class Benefit(LedgerEntry):
    """What a stakeholder gets out of the partnership: results, reputation, learning, money..."""

    kind: BenefitKind = Field(
        description="What is got out: `results`, `reputation`, `learning`, `market`, `legitimacy`, `money` (revenue, "
        "dividends, savings) or `other`."
    )


class Ledger(Record):
    """The cooperation rent: what each stakeholder puts in and gets out, entry by entry."""

    put_in: list[Contribution] = Field(default_factory=list, description="What each stakeholder puts into the partnership.")
    get_out: list[Benefit] = Field(default_factory=list, description="What each stakeholder gets out of it.")
