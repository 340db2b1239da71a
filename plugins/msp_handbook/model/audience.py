"""Who may read what: text the partners keep among themselves.

Interest, power and conflict analysis is often not for the public. Entries
that carry `visibility: partners` are left out of the public site altogether
(see `audience.py`, which filters the validated handbook before anything is
rendered); the partners' build shows them, marked as partners-only.

Stakeholder interests and concerns stay one line of text each in the common
case; a line that is for the partners only is written as a small mapping:

    concerns:
      - Cost recovery
      - text: We doubt the utility will keep the kiosk tariff
        visibility: partners
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .values import Record, Text

Visibility = Literal["public", "partners"]


def visibility_field() -> Any:
    """The `visibility:` key, described once for every kind of entry that has it."""
    return Field(
        "public",
        description="Who may read it: `public` (the default) or `partners`. Partners-only entries are left out "
        "of the public site entirely (pages, search, feeds, exports) and shown, marked, in the partners' build.",
    )


def is_partners_only(item: object) -> bool:
    """True for an entry marked `visibility: partners`."""
    kind = type(item)
    if issubclass(kind, BaseModel) and not _can_have_visibility(kind):
        # Most entries asked have no such key: pydantic answers a missing
        # attribute only after two failed lookups and an exception (about 2 us).
        return False
    return getattr(item, "visibility", "public") == "partners"


@lru_cache(maxsize=None)
def _can_have_visibility(kind: type[BaseModel]) -> bool:
    """Whether a model of class `kind` can have a `visibility` attribute: a field, anything on the class, or an extra key."""
    return "visibility" in kind.model_fields or hasattr(kind, "visibility") or kind.model_config.get("extra") == "allow"


def _text_or_mapping(schema: dict[str, Any]) -> None:
    # Editors accept the plain one-line form too, as the validator does.
    mapping = dict(schema)
    schema.clear()
    schema["anyOf"] = [{"type": "string", "minLength": 1}, mapping]


class Note(Record):
    """One line of text, optionally for the partners only; prints as its text."""

    model_config = ConfigDict(json_schema_extra=_text_or_mapping)

    text: Text = Field(description="The text.")
    visibility: Visibility = visibility_field()

    @model_validator(mode="before")
    @classmethod
    def _from_plain_text(cls, value: Any) -> Any:
        # The common case is a plain line of text; anything but a mapping is read
        # as that, so a wrong value is reported as the text it should be.
        return value if isinstance(value, dict) else {"text": value}

    def __str__(self) -> str:
        return self.text
