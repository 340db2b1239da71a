"""Reviews: the partners' own critical look at whether their partnership works.

The method asks for a "critical review and statement on progress" and to
"agree on further monitoring and review". A review is a file of its own,
`partnerships/<slug>/reviews/<date>.yml`, so each one arrives as a pull
request that the partners can read and approve before it is published.

Each participating stakeholder rates each building block of the partnership
green, amber or red; the partners agree a joint statement and actions, each
with an owner and a due date. Which building blocks there are is a site
setting (`building_blocks` in mkdocs.yml), with the defaults below.

Rules that need the rest of the record (known stakeholders and building
blocks) are checked in `validate_reviews.py`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import Field, PrivateAttr

from .audience import Visibility, visibility_field
from .references import Ref
from .values import Date, MarkdownText, Record, Text
from .vocabulary import ID_RE

Rating = Literal["green", "amber", "red"]
ActionStatus = Literal["open", "in-progress", "done", "dropped"]

# Words and symbols beside the colours, so a rating never rests on colour alone.
RATING_WORDS: dict[str, str] = {"green": "Green", "amber": "Amber", "red": "Red"}
RATING_SYMBOLS: dict[str, str] = {"green": "✔", "amber": "!", "red": "✖"}
RATING_SCORES: dict[str, int] = {"green": 2, "amber": 1, "red": 0}
ACTION_STATUS_LABELS: dict[str, str] = {"open": "Open", "in-progress": "In progress", "done": "Done", "dropped": "Dropped"}
# Actions in these states still have to be done.
OPEN_ACTION_STATUSES = frozenset({"open", "in-progress"})

# What partners look at when they ask "is this partnership working?": the
# seed's success factors, grouped. A site replaces them in mkdocs.yml.
DEFAULT_BUILDING_BLOCKS: dict[str, str] = {
    "trust-communication": "Trust and communication",
    "shared-vision": "Shared vision and goals",
    "roles-governance": "Roles and governance",
    "resources": "Resources",
    "results": "Results",
    "fair-benefits": "Fairness of benefits",
    "learning": "Learning",
}


def _ids_only(schema: dict[str, Any]) -> None:
    # Keys that are not ids are errors for editors too, at both levels, as the validator says.
    schema["additionalProperties"] = False
    for inner in schema.get("patternProperties", {}).values():
        inner["additionalProperties"] = False


class ReviewComment(Record):
    """What a partner said in a review, about one building block or in general."""

    by: Ref.person = Field(description="Id of the stakeholder or facilitator who made the comment.")
    block: Optional[Ref.building_block] = Field(
        None, description="Id of the building block the comment is about; leave out for a general comment."
    )
    text: Text = Field(description="The comment, in the partner's words.")
    visibility: Visibility = visibility_field()


class ReviewAction(Record):
    """Something the partners agreed at a review to do next, who sees it done and by when."""

    task: Text = Field(description="What the partners agreed to do.")
    owner: Ref.person = Field(description="Id of the stakeholder or facilitator who sees it done.")
    due: Date = Field(description="When it should be done, as YYYY-MM-DD; not before the review.")
    status: ActionStatus = Field(
        "open", description="One of `open`, `in-progress`, `done`, `dropped`; update it as the action moves on."
    )
    note: Optional[Text] = Field(None, description="Where the action stands, or why it was dropped.")

    def is_open(self) -> bool:
        """Whether the action still has to be done (not done, not dropped)."""
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        """Whether the action is still open after its due date."""
        return self.is_open() and self.due < today


class Review(Record):
    """One review: the content of `partnerships/<slug>/reviews/<date>.yml`."""

    date: Date = Field(description="When the review took place, as YYYY-MM-DD; the file name starts with the same date.")
    title: Optional[Text] = Field(None, description="A name for the review, e.g. 'Annual review 2026'.")
    participants: list[Ref.person] = Field(
        min_length=1, description="Ids of the stakeholders and facilitators who took part."
    )
    ratings: dict[Ref.stakeholder, dict[Ref.building_block, Rating]] = Field(
        default_factory=dict,
        description="For each participating stakeholder (by id), its rating of each building block (by id): "
        "`green`, `amber` or `red`.",
        json_schema_extra=_ids_only,
    )
    comments: list[ReviewComment] = Field(default_factory=list, description="What partners said about the ratings.")
    statement: MarkdownText = Field(
        description="The joint statement on progress that all participants agreed. Markdown is allowed; raw HTML is shown as text."
    )
    actions: list[ReviewAction] = Field(default_factory=list, description="What the partners agreed to do next.")
    next_review: Optional[Date] = Field(None, description="When the partners plan to review again, as YYYY-MM-DD.")

    # Set by the loader, not written in the YAML.
    _source: Path = PrivateAttr(default_factory=Path)  # a factory: a default Path() is deep-copied per entry
    _date_line: int = PrivateAttr(1)

    @property
    def source(self) -> Path:
        """The review file it was read from."""
        return self.__pydantic_private__["_source"]

    @property
    def date_line(self) -> int:
        """Line of `date:` in the file, for messages about the date."""
        return self.__pydantic_private__["_date_line"]

    @property
    def name(self) -> str:
        """The review's title, or 'Review of <day month year>' when it has none."""
        return self.title or f"Review of {self.date.day} {self.date:%B %Y}"


def building_blocks(value: object) -> dict[str, str]:
    """The `building_blocks` option of mkdocs.yml: `id: name` lines, in the order the grid shows them.

    Raises ValueError with what is wrong and how to write it instead.
    """
    example = "e.g. `trust-communication: Trust and communication`"
    if not isinstance(value, dict) or not value:
        raise ValueError(f"building_blocks must be `id: name` lines, one per building block, {example}")
    blocks: dict[str, str] = {}
    for ident, name in value.items():
        if not isinstance(ident, str) or not ID_RE.match(ident):
            raise ValueError(f"building block id '{ident}' is not a valid id: use lowercase letters, digits and "
                             f"hyphens, {example}")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"building block '{ident}' needs a name: write `{ident}: <what the partners rate>`")
        blocks[ident] = " ".join(name.split())
    return blocks
