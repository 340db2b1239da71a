"""A partnership record: the content of `partnerships/<slug>/partnership.yml`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal, Optional

from pydantic import Field, PrivateAttr

from .audience import Note
from .documents import LogEntry
from .feedback import Feedback
from .ledger import Ledger
from .review import Review
from .monitoring import Goal, Indicator
from .references import Ref
from .values import Date, Id, MarkdownText, Record, SdgTarget, Text, Url
from .vocabulary import SECTOR_LABELS, PurposeId, Sector, StepStatus


class ThematicFrame(Record):
    """The wider agenda the partnership's goals fit into, such as a roadmap or SDG targets."""

    title: Optional[Text] = Field(
        None, description="The overarching frame the partnership's goals fit into, e.g. 'Roadmap to clean water by 2030'."
    )
    sdg_targets: list[SdgTarget] = Field(
        default_factory=list,
        description="Sustainable Development Goal targets the partnership contributes to, as quoted strings like '6.1'.",
    )


class PurposeStatement(Record):
    """One of the method's twelve purposes the partnership pursues, in the partners' words."""

    purpose: PurposeId = Field(description="One of the twelve purpose ids listed on the guide's purposes page.")
    statement: Text = Field(description="The partners' own words on what this purpose means for them.")


class Stakeholder(Record):
    """An organisation or group taking part in the partnership, with its sector, motivation and interests."""

    id: Id = Field(description="Short id used to refer to the stakeholder elsewhere in the record, e.g. 'city-water'.")
    name: Text = Field(description="Full name of the organisation or group.")
    sector: Sector = Field(description="One of `public`, `private`, `civil_society`, `academia`, `other`.")
    representative: Optional[Text] = Field(None, description="Person who speaks for the stakeholder in the partnership.")
    website: Optional[Url] = Field(None, description="Web address of the stakeholder (https://...).")
    motivation: Optional[Text] = Field(
        None,
        description="Why this stakeholder takes part, in its own words. Left out, the page shows the sector's "
        "typical motivation from the method, marked as a default.",
    )
    interests: list[Note] = Field(
        default_factory=list,
        description="What the stakeholder hopes to gain, one line each; a line for the partners only is written "
        "`- {text: ..., visibility: partners}`.",
    )
    contributions: list[Text] = Field(default_factory=list, description="What the stakeholder brings: money, staff, knowledge, access...")
    concerns: list[Note] = Field(
        default_factory=list,
        description="Worries, red lines or potential conflicts with other partners, one line each; a line for the "
        "partners only is written `- {text: ..., visibility: partners}`.",
    )
    iati_role: Optional[Literal[1, 2, 3, 4]] = Field(
        None, description="Role in the IATI export: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing (the default).")
    iati_ref: Optional[Text] = Field(None, description="The organisation's IATI identifier, e.g. 'GB-CHC-202918', for the IATI export.")
    iati_type: Optional[Literal[10, 11, 15, 21, 22, 23, 24, 30, 40, 60, 70, 71, 72, 73, 80, 90]] = Field(
        None, description="IATI organisation type code, e.g. 10 government, 22 national NGO, 70 private sector, 80 academic.")


class Facilitator(Record):
    """A dialogue facilitator or broker: who moves between the partners' worlds, and who accepted them."""

    id: Id = Field(description="Short id of the facilitator or broker.")
    name: Text = Field(description="Name of the person or team.")
    kind: Literal["internal", "external"] = Field(
        description="`internal` if they belong to one of the stakeholders, `external` if independent."
    )
    organisation: Optional[Text] = Field(None, description="Organisation the facilitator works for.")
    stakeholder: Optional[Ref.stakeholder] = Field(
        None, description="For an internal facilitator: id of the stakeholder they belong to."
    )
    accepted_by: list[Ref.stakeholder] = Field(
        default_factory=list,
        description="Ids of the stakeholders that have explicitly accepted this facilitator. "
        "The method counts explicit acceptance by every stakeholder as a success factor.",
    )


class GovernanceBody(Record):
    """A steering group, working group or other body of the partnership, and who sits on it."""

    id: Id = Field(description="Short id of the body, e.g. 'steering-group'.")
    name: Text = Field(description="Name of the body.")
    purpose: Optional[Text] = Field(None, description="What the body decides or does.")
    members: list[Ref.person] = Field(
        default_factory=list, description="Ids of the stakeholders and facilitators that sit on it."
    )
    meets: Optional[Text] = Field(None, description="How often or when it meets, e.g. 'every quarter'.")


class Role(Record):
    """A task assignment: what has to be done, who leads, who helps, by when."""

    task: Text = Field(description="What has to be done.")
    lead: Ref.person = Field(description="Id of the stakeholder or facilitator responsible.")
    support: list[Ref.person] = Field(default_factory=list, description="Ids of stakeholders or facilitators who help.")
    body: Optional[Ref.body] = Field(None, description="Id of the governance body the task reports to.")
    due: Optional[Date] = Field(None, description="Deadline, as YYYY-MM-DD.")


class Governance(Record):
    """How the partnership decides: its bodies, its decision rule and its task assignments."""

    decision_making: Optional[Text] = Field(
        None, description="How decisions are taken, e.g. consensus in the steering group, fallback to two-thirds majority."
    )
    bodies: list[GovernanceBody] = Field(default_factory=list, description="Steering groups, working groups and other bodies.")
    roles: list[Role] = Field(default_factory=list, description="Who does what: the task assignments.")


class Principle(Record):
    """One principle of the code of conduct, in the partners' words."""

    title: Text = Field(description="Short name of the principle, e.g. 'We speak openly'.")
    text: Optional[Text] = Field(None, description="The principle in the partners' own words.")


class Endorsement(Record):
    """A stakeholder's endorsement of the code of conduct: when, and who signed for it."""

    stakeholder: Ref.stakeholder = Field(description="Id of the stakeholder that endorsed the code of conduct.")
    date: Date = Field(description="When it was endorsed, as YYYY-MM-DD.")
    by: Text = Field(description="Name and function of the person who endorsed it on the stakeholder's behalf.")


class CodeOfConduct(Record):
    """The rules the partners agreed to work by, and which stakeholders endorsed them."""

    adopted: Optional[Date] = Field(None, description="When the partners adopted the code, as YYYY-MM-DD.")
    principles: list[Principle] = Field(default_factory=list, description="The principles, in the partners' words.")
    endorsements: list[Endorsement] = Field(default_factory=list, description="Which stakeholders endorsed it, when and by whom.")


class EvidenceLink(Record):
    """A document or page that shows the work of a step was done."""

    title: Text = Field(description="What the evidence is, e.g. 'Signed memorandum of understanding'.")
    url: Url = Field(description="Link to it: https://..., mailto:, or a path relative to the page.")


class StepProgress(Record):
    """Where the partnership stands on one step or sub-step of the cycle, with notes and evidence."""

    status: StepStatus = Field(description="One of `not-started`, `in-progress`, `done`, `skipped`.")
    date: Optional[Date] = Field(None, description="When the status last changed, as YYYY-MM-DD.")
    notes: Optional[MarkdownText] = Field(
        None, description="What happened. Markdown is allowed here; raw HTML is shown as text."
    )
    evidence: list[EvidenceLink] = Field(default_factory=list, description="Documents or pages that show the work.")


class Partnership(Record):
    """One partnership: the content of `partnerships/<slug>/partnership.yml`."""

    name: Text = Field(description="Name of the partnership. The only required key.")
    summary: Optional[Text] = Field(None, description="Two or three sentences on what the partnership does.")
    started: Optional[Date] = Field(None, description="When the partnership started, as YYYY-MM-DD.")
    phase: Optional[Ref.phase] = Field(None, description="Id of the phase of the cycle the partnership is in now.")
    vision: Optional[Text] = Field(None, description="The joint vision, in the partners' words.")
    thematic_frame: Optional[ThematicFrame] = Field(None, description="The overarching thematic frame, e.g. SDG targets.")
    purposes: list[PurposeStatement] = Field(default_factory=list, description="Which of the twelve purposes the partnership pursues.")
    stakeholders: list[Stakeholder] = Field(default_factory=list, description="Everyone taking part.")
    facilitators: list[Facilitator] = Field(default_factory=list, description="Dialogue facilitators and brokers.")
    governance: Optional[Governance] = Field(None, description="Bodies, decision-making and task assignments.")
    code_of_conduct: Optional[CodeOfConduct] = Field(None, description="Principles and who endorsed them.")
    cycle: dict[Ref.step, StepProgress] = Field(
        default_factory=dict,
        description="Progress through the cycle: a step or sub-step id, then its status, date, notes and evidence.",
        # Keys that are not ids are errors for editors too, not silently unchecked.
        json_schema_extra={"additionalProperties": False},
    )
    goals: list[Goal] = Field(
        default_factory=list,
        description="The results the partners want, each naming the stakeholders whose interests it serves.",
    )
    indicators: list[Indicator] = Field(
        default_factory=list,
        description="The simple, participatory monitoring system: what is measured for each goal, "
        "with baseline, targets per period and the values the partners report.",
    )
    ledger: Optional[Ledger] = Field(
        None, description="The cooperation rent: what each stakeholder puts in and gets out, with dates."
    )
    feedback: list[Feedback] = Field(
        default_factory=list, description="The feedback register: what was said, the response, and what was done."
    )

    # Set by the loader, not written in the YAML.
    _slug: str = PrivateAttr("")
    _source: Path = PrivateAttr(default_factory=Path)  # a factory: a default Path() is deep-copied per entry
    _log: tuple["LogEntry", ...] = PrivateAttr(())
    _reviews: tuple[Review, ...] = PrivateAttr(())

    @property
    def slug(self) -> str:
        """The folder name: the partnership's address."""
        return self.__pydantic_private__["_slug"]

    @property
    def source(self) -> Path:
        """The record file it was read from."""
        return self.__pydantic_private__["_source"]

    @property
    def log(self) -> tuple["LogEntry", ...]:
        """Log entries, newest first."""
        return self.__pydantic_private__["_log"]

    @property
    def reviews(self) -> tuple[Review, ...]:
        """Reviews (files under `reviews/`), newest first."""
        return self.__pydantic_private__["_reviews"]

    def stakeholder(self, ident: str) -> Stakeholder | None:
        """The stakeholder with id `ident`, if any."""
        return next((s for s in self.stakeholders if s.id == ident), None)

    def sectors(self) -> list[str]:
        """Sectors of the stakeholders, in the order of SECTOR_LABELS."""
        seen = {s.sector for s in self.stakeholders}
        return [sector for sector in SECTOR_LABELS if sector in seen]

    def last_update(self) -> dt.date | None:
        """Date of the newest log entry, if any."""
        log = self.__pydantic_private__["_log"]
        return log[0].date if log else None

    def endorsed_ids(self) -> set[str]:
        """Ids of the stakeholders that endorsed the code of conduct."""
        return {e.stakeholder for e in self.code_of_conduct.endorsements} if self.code_of_conduct else set()
