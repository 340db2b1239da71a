"""Words of the method: sectors, the twelve purposes, step statuses, what moves each sector.

Fixed lists that records choose from; their ids are part of the record format
and never change.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)

Sector = Literal["public", "private", "civil_society", "academia", "other"]

SECTOR_LABELS: dict[str, str] = {
    "public": "Public sector",
    "private": "Private sector",
    "civil_society": "Civil society",
    "academia": "Academia",
    "other": "Other",
}


class SectorMotivation(BaseModel):
    """What typically moves a sector to join a partnership (seed, Step 1)."""

    model_config = ConfigDict(frozen=True)
    motivation: str
    orientation: str
    interests: tuple[str, ...]


# The seed's Step 1 table. Shown, marked as a default, for any stakeholder
# whose record says nothing about its own motivation.
SECTOR_DEFAULTS: dict[str, SectorMotivation] = {
    "public": SectorMotivation(
        motivation="Rule of law",
        orientation="Rights-oriented: access, information, stability, legitimacy",
        interests=(
            "A broader platform to advance common-good issues such as standards and codes of conduct",
            "More efficient delivery of governmental, legal and development services",
        ),
    ),
    "private": SectorMotivation(
        motivation="Growth",
        orientation="Profit-oriented: creative, productive, targeted, fast",
        interests=(
            "Reputation",
            "Carrying out corporate social responsibility initiatives",
            "Securing market share in the long run",
            "Reducing risk",
        ),
    ),
    "civil_society": SectorMotivation(
        motivation="Ensure social development",
        orientation="Value-oriented: responds to injustice and to concerns of society as a whole, draws attention",
        interests=(
            "Influencing business and government beyond campaigning and charity",
            "Efficient delivery of social and development goals",
        ),
    ),
}

# The twelve reasons the seed gives for bringing sectors into a structured
# dialogue. Ids are part of the record format and never change.
PURPOSES: dict[str, str] = {
    "full-picture": "Get the full picture by hearing and combining different perspectives",
    "represent-interests": "Make sure different interests are represented and visible",
    "combine-resources": "Bring different competencies and resources together",
    "better-opinions": "Raise the quality of opinion-forming",
    "trust-transparency": "Build trust and transparency",
    "credible-decisions": "Make decision-making more credible",
    "common-goal": "Define a common goal",
    "commitment": "Strengthen commitment to the goal",
    "joint-activities": "Plan joint activities",
    "learning": "Increase the partners' ability to learn",
    "implementation": "Make implementation more likely",
    "durable-results": "Achieve results that last",
}

PurposeId = Literal[
    "full-picture",
    "represent-interests",
    "combine-resources",
    "better-opinions",
    "trust-transparency",
    "credible-decisions",
    "common-goal",
    "commitment",
    "joint-activities",
    "learning",
    "implementation",
    "durable-results",
]

StepStatus = Literal["not-started", "in-progress", "done", "skipped"]

STATUS_LABELS: dict[str, str] = {
    "not-started": "Not started",
    "in-progress": "In progress",
    "done": "Done",
    "skipped": "Skipped",
}


Difficulty = Literal["easy", "moderate", "demanding"]


# Headings of generated pages whose anchors stakeholder and facilitator ids
# must not take, or a link would land on the wrong place.
RESERVED_ANCHORS = frozenset({
    "what-moves-each-stakeholder", "how-decisions-are-made", "bodies", "who-does-what", "facilitators",
    "principles", "endorsements", "not-endorsed",
})
