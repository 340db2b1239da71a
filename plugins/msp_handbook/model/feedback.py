"""The feedback register: what stakeholders and people outside the partnership
said, what the partners answered, and what they did about it.

The method asks partnerships to "establish feedback mechanisms" and to
"potentially allow for external feedback". "You said, we did" is a link from
an entry to the log entry that records what was done.
"""

from __future__ import annotations

import re
from typing import Literal, Optional
from urllib.parse import quote

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .audience import Visibility, visibility_field
from .references import Ref
from .values import Date, Record, Text, is_safe_url

FeedbackChannel = Literal[
    "meeting", "survey", "email", "phone", "message", "letter", "website", "social-media", "suggestion-box", "other"
]
FeedbackStatus = Literal["open", "answered", "acted-on", "declined"]

FEEDBACK_CHANNEL_LABELS: dict[str, str] = {
    "meeting": "Meeting", "survey": "Survey", "email": "Email", "phone": "Phone", "message": "Text message",
    "letter": "Letter", "website": "Website", "social-media": "Social media", "suggestion-box": "Suggestion box",
    "other": "Other",
}
FEEDBACK_STATUS_LABELS: dict[str, str] = {
    "open": "Open", "answered": "Answered", "acted-on": "Acted on", "declined": "Declined",
}


class Feedback(Record):
    """An entry of the feedback register: what someone said, what the partnership answered and did."""

    date: Date = Field(description="When the feedback was received, as YYYY-MM-DD.")
    stakeholder: Optional[Ref.stakeholder] = Field(None, description="Id of the stakeholder it came from; or use `group`.")
    group: Optional[Text] = Field(
        None, description="Who it came from if not a stakeholder, e.g. 'Tenants in Kilima lane 4'; or use `stakeholder`."
    )
    channel: FeedbackChannel = Field(
        description="How it came in: `meeting`, `survey`, `email`, `phone`, `message`, `letter`, `website`, "
        "`social-media`, `suggestion-box` or `other`."
    )
    said: Text = Field(description="What was said, in short and as faithfully as possible.")
    response: Optional[Text] = Field(None, description="What the partnership answered.")
    status: FeedbackStatus = Field(
        description="`open` (not yet answered), `answered`, `acted-on` (something was done: name it in `log`) or `declined`."
    )
    log: Optional[Ref.log_entry] = Field(
        None,
        description="You said, we did: the log entry that records what was done, by its file name without `.md`.",
    )
    visibility: Visibility = visibility_field()

    @model_validator(mode="after")
    def _from_someone_and_acted_on_visibly(self) -> "Feedback":
        if (self.stakeholder is None) == (self.group is None):
            raise PydanticCustomError(
                "feedback_source", "say who the feedback came from: either `stakeholder` or `group`, not both or neither",
                {"fix": "write `stakeholder: <id>` for a partner, or `group: <who>` for anyone else"},
            )
        if self.status == "acted-on" and self.log is None:
            raise PydanticCustomError(
                "feedback_log", "feedback marked `acted-on` needs the log entry that records what was done",
                {"fix": "add `log: <file name of the log entry, without .md>`, or set another status"},
            )
        return self


# The parts of the partnership a "give feedback" address may carry.
FEEDBACK_URL_FIELDS = ("slug", "name")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def feedback_url_pattern(value: str) -> str:
    """The `feedback_url` option of mkdocs.yml, checked: a safe address with `{slug}` or `{name}` in it, if anything.

    Raises ValueError with what is wrong and how to write it instead.
    """
    pattern = value.strip()
    if not pattern or not is_safe_url(pattern):
        raise ValueError(f"feedback_url '{value}' is not an allowed link: use an https://, http:// or mailto: address")
    for field in _PLACEHOLDER.findall(pattern):
        if field not in FEEDBACK_URL_FIELDS:
            raise ValueError(f"feedback_url has the placeholder '{{{field}}}'; only {{slug}} and {{name}} are "
                             "replaced (by the partnership's folder name and its name)")
    return pattern


def feedback_url(pattern: str, slug: str, name: str) -> str:
    """The "give feedback" address of one partnership, its parts percent-encoded."""
    values = {"slug": slug, "name": name}
    # Replaced one by one rather than str.format, which would read {slug.x}.
    return _PLACEHOLDER.sub(lambda match: quote(values[match.group(1)], safe=""), pattern)
