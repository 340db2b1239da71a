"""The partnership world as typed classes: the contract coordinators edit by hand.

Every class here is validated once, when a record is loaded; rendering trusts
the result and never re-checks it. Field descriptions are not decoration: the
reference page of the site and the JSON Schema are generated from them, so a
key without a description is a key nobody can look up (a test enforces this).

Cross-references between parts of a record (an endorsement naming a
stakeholder, a cycle step id) are checked in `validate.py`, because they need
the whole record and the cycle at once.
"""

from __future__ import annotations

import datetime as dt
import html
import types
import re
from pathlib import Path
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Optional, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, WithJsonSchema
from pydantic_core import PydanticCustomError

# --- Vocabulary of the method ------------------------------------------------

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


# --- Value types with messages a coordinator can act on ----------------------


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise PydanticCustomError(
            "id_format",
            "'{value}' is not a valid id: use lowercase letters, digits and single hyphens, e.g. 'city-water'",
            {"value": value},
        )
    return value


def _parse_date(value: object) -> object:
    # YAML already turns 2025-03-14 into a date; a quoted string is accepted
    # too, but never a bare number (pydantic would read it as a timestamp).
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError(
        "date_format",
        "'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2025-03-14",
        {"value": value},
    )


_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def is_safe_url(url: str) -> bool:
    """Web, mail and relative links only: never javascript:, data: or the like.

    Browsers drop tabs, newlines and control characters inside a URL and
    decode entities in attributes, so the scheme is judged after doing the same.
    """

    cleaned = "".join(ch for ch in html.unescape(url) if ch.isprintable() and not ch.isspace())
    scheme = _SCHEME.match(cleaned)
    return scheme is None or scheme.group(1).lower() in _SAFE_SCHEMES


def _check_url(value: str) -> str:
    # Links end up in href attributes, so a record can never carry a script URL.
    if value.strip() and is_safe_url(value):
        return value.strip()
    raise PydanticCustomError(
        "url_scheme",
        "'{value}' is not an allowed link: use an https://, http:// or mailto: address, or a relative path",
        {"value": value},
    )


def _check_sdg_target(value: str) -> str:
    match = re.fullmatch(r"(\d{1,2})\.([0-9]{1,2}|[a-z])", value)
    if not match or not 1 <= int(match.group(1)) <= 17:
        raise PydanticCustomError(
            "sdg_target",
            "'{value}' is not an SDG target: write goal.target, e.g. '6.1' or '17.17' (goals 1 to 17); quote it",
            {"value": value},
        )
    return value


def _number_to_text(value: object) -> object:
    # `6.1` unquoted is read by YAML as a float; accept it as the target "6.1".
    if isinstance(value, float):
        return repr(value)
    return value


# Python-Markdown recurses per nesting level and slows down sharply on long
# runs of brackets; no real log entry comes near these limits.
MARKDOWN_MAX_CHARS = 50_000
MARKDOWN_MAX_INDENT = 48
MARKDOWN_MAX_BRACKETS = 1_000


def _check_markdown(value: str) -> str:
    if len(value) > MARKDOWN_MAX_CHARS:
        raise PydanticCustomError(
            "markdown_limit", "text is {size} characters long; at most {limit} are allowed here",
            {"size": len(value), "limit": MARKDOWN_MAX_CHARS},
        )
    for line in value.splitlines():
        stripped = line.lstrip(" \t>")
        depth = len(line) - len(stripped)
        if depth > MARKDOWN_MAX_INDENT:
            raise PydanticCustomError(
                "markdown_limit", "a line is nested {depth} levels deep; at most {limit} are allowed",
                {"depth": depth, "limit": MARKDOWN_MAX_INDENT},
            )
    if value.count("[") > MARKDOWN_MAX_BRACKETS:
        raise PydanticCustomError(
            "markdown_limit", "text has more than {limit} '[' characters", {"limit": MARKDOWN_MAX_BRACKETS}
        )
    return value


# Stands in for a value that failed validation while the rest of a file is
# salvaged (see validate.salvage); a valid id, text and relative link at once.
PLACEHOLDER = "msp-placeholder"


@dataclass(frozen=True)
class ValueKind:
    """What a constrained value is, in words for the reference page, and a
    stand-in that passes its checks (used when salvaging an invalid file)."""

    name: str
    stand_in: Any


def value_kind(annotation: Any, metadata: Iterable[Any] = ()) -> ValueKind | None:
    """The ValueKind attached to a type, directly or through a field's metadata."""
    extra = list(metadata)
    if get_origin(annotation) is Annotated:
        extra += get_args(annotation)[1:]
    return next((item for item in extra if isinstance(item, ValueKind)), None)


def strip_optional(annotation: Any) -> Any:
    """`X` for `Optional[X]` (or `X | None`); anything else unchanged."""
    if get_origin(annotation) is Union or isinstance(annotation, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


# Each type carries the JSON Schema that editors check as you type; the
# validators above stay the authority (and give the friendlier messages).
_URL_SCHEMA_PATTERN = r"^(?:(?:[hH][tT][tT][pP][sS]?://|[mM][aA][iI][lL][tT][oO]:)|(?![A-Za-z][A-Za-z0-9+.\-]*:))\S"
Id = Annotated[
    str, AfterValidator(_check_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN}),
    ValueKind("id", PLACEHOLDER),
]
MarkdownText = Annotated[
    str, AfterValidator(_check_markdown), WithJsonSchema({"type": "string", "maxLength": MARKDOWN_MAX_CHARS}),
    ValueKind("Markdown text", ""),
]
Number = Annotated[float, Field(allow_inf_nan=False)]
Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
    ValueKind("date", dt.date(2000, 1, 1)),
]
Url = Annotated[
    str, AfterValidator(_check_url), WithJsonSchema({"type": "string", "pattern": _URL_SCHEMA_PATTERN}),
    ValueKind("link", PLACEHOLDER),
]
SdgTarget = Annotated[
    str,
    BeforeValidator(_number_to_text),
    AfterValidator(_check_sdg_target),
    WithJsonSchema({"type": "string", "pattern": r"^([1-9]|1[0-7])\.([0-9]{1,2}|[a-z])$"}),
    ValueKind("SDG target", "1.1"),
]
Text = Annotated[str, Field(min_length=1)]


# Headings of generated pages whose anchors stakeholder and facilitator ids
# must not take, or a link would land on the wrong place.
RESERVED_ANCHORS = frozenset({
    "what-moves-each-stakeholder", "how-decisions-are-made", "bodies", "who-does-what", "facilitators",
    "principles", "endorsements", "not-endorsed",
})


class Record(BaseModel):
    """Base of every class read from a file: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- The partnership cycle (data, not code: see data/cycle.yml) --------------


class SubStep(Record):
    id: Id = Field(description="Stable id of the sub-step, unique in the whole cycle.")
    title: Text = Field(description="Short name of the sub-step.")


class Step(Record):
    id: Id = Field(description="Stable id of the step, unique in the whole cycle; records refer to it under `cycle:`.")
    title: Text = Field(description="Short name of the step.")
    summary: Optional[str] = Field(None, description="One or two sentences on what the step is for.")
    substeps: list[SubStep] = Field(default_factory=list, description="Finer activities within the step.")


class Phase(Record):
    id: Id = Field(description="Stable id of the phase; records name it in `phase:`.")
    number: int = Field(ge=1, description="Position of the phase in the cycle, from 1.")
    title: Text = Field(description="Name of the phase.")
    guide: str = Field(
        description="Path of the guidance page for this phase inside the docs folder; "
        "each step of the phase must be an anchor (`#step-id`) on it."
    )
    summary: Optional[str] = Field(None, description="What the phase achieves.")
    steps: list[Step] = Field(min_length=1, description="The steps of the phase, in order.")


class Cycle(Record):
    phases: list[Phase] = Field(min_length=1, description="The phases of the cycle, in order.")

    def phase(self, phase_id: str) -> Phase | None:
        return next((phase for phase in self.phases if phase.id == phase_id), None)

    def steps(self) -> list[tuple[Phase, Step]]:
        return [(phase, step) for phase in self.phases for step in phase.steps]

    def step_ids(self) -> list[str]:
        """Every id a record may use under `cycle:`: steps and sub-steps."""
        return [
            ident
            for _, step in self.steps()
            for ident in [step.id, *(sub.id for sub in step.substeps)]
        ]

    def locate(self, ident: str) -> tuple[Phase, Step | None]:
        """The phase (and step) that a phase, step or sub-step id belongs to."""
        for phase in self.phases:
            if phase.id == ident:
                return phase, None
            for step in phase.steps:
                if step.id == ident or any(sub.id == ident for sub in step.substeps):
                    return phase, step
        raise KeyError(ident)


# --- A partnership record ----------------------------------------------------


class ThematicFrame(Record):
    title: Optional[Text] = Field(
        None, description="The overarching frame the partnership's goals fit into, e.g. 'Roadmap to clean water by 2030'."
    )
    sdg_targets: list[SdgTarget] = Field(
        default_factory=list,
        description="Sustainable Development Goal targets the partnership contributes to, as quoted strings like '6.1'.",
    )


class PurposeStatement(Record):
    purpose: PurposeId = Field(description="One of the twelve purpose ids listed on the guide's purposes page.")
    statement: Text = Field(description="The partners' own words on what this purpose means for them.")


class Stakeholder(Record):
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
    interests: list[Text] = Field(default_factory=list, description="What the stakeholder hopes to gain.")
    contributions: list[Text] = Field(default_factory=list, description="What the stakeholder brings: money, staff, knowledge, access...")
    concerns: list[Text] = Field(
        default_factory=list, description="Worries, red lines or potential conflicts with other partners."
    )


class Facilitator(Record):
    id: Id = Field(description="Short id of the facilitator or broker.")
    name: Text = Field(description="Name of the person or team.")
    kind: Literal["internal", "external"] = Field(
        description="`internal` if they belong to one of the stakeholders, `external` if independent."
    )
    organisation: Optional[Text] = Field(None, description="Organisation the facilitator works for.")
    stakeholder: Optional[Id] = Field(None, description="For an internal facilitator: id of the stakeholder they belong to.")
    accepted_by: list[Id] = Field(
        default_factory=list,
        description="Ids of the stakeholders that have explicitly accepted this facilitator. "
        "The method counts explicit acceptance by every stakeholder as a success factor.",
    )


class GovernanceBody(Record):
    id: Id = Field(description="Short id of the body, e.g. 'steering-group'.")
    name: Text = Field(description="Name of the body.")
    purpose: Optional[Text] = Field(None, description="What the body decides or does.")
    members: list[Id] = Field(default_factory=list, description="Ids of the stakeholders and facilitators that sit on it.")
    meets: Optional[Text] = Field(None, description="How often or when it meets, e.g. 'every quarter'.")


class Role(Record):
    task: Text = Field(description="What has to be done.")
    lead: Id = Field(description="Id of the stakeholder or facilitator responsible.")
    support: list[Id] = Field(default_factory=list, description="Ids of stakeholders or facilitators who help.")
    body: Optional[Id] = Field(None, description="Id of the governance body the task reports to.")
    due: Optional[Date] = Field(None, description="Deadline, as YYYY-MM-DD.")


class Governance(Record):
    decision_making: Optional[Text] = Field(
        None, description="How decisions are taken, e.g. consensus in the steering group, fallback to two-thirds majority."
    )
    bodies: list[GovernanceBody] = Field(default_factory=list, description="Steering groups, working groups and other bodies.")
    roles: list[Role] = Field(default_factory=list, description="Who does what: the task assignments.")


class Principle(Record):
    title: Text = Field(description="Short name of the principle, e.g. 'We speak openly'.")
    text: Optional[Text] = Field(None, description="The principle in the partners' own words.")


class Endorsement(Record):
    stakeholder: Id = Field(description="Id of the stakeholder that endorsed the code of conduct.")
    date: Date = Field(description="When it was endorsed, as YYYY-MM-DD.")
    by: Text = Field(description="Name and function of the person who endorsed it on the stakeholder's behalf.")


class CodeOfConduct(Record):
    adopted: Optional[Date] = Field(None, description="When the partners adopted the code, as YYYY-MM-DD.")
    principles: list[Principle] = Field(default_factory=list, description="The principles, in the partners' words.")
    endorsements: list[Endorsement] = Field(default_factory=list, description="Which stakeholders endorsed it, when and by whom.")


class EvidenceLink(Record):
    title: Text = Field(description="What the evidence is, e.g. 'Signed memorandum of understanding'.")
    url: Url = Field(description="Link to it: https://..., mailto:, or a path relative to the page.")


class StepProgress(Record):
    status: StepStatus = Field(description="One of `not-started`, `in-progress`, `done`, `skipped`.")
    date: Optional[Date] = Field(None, description="When the status last changed, as YYYY-MM-DD.")
    notes: Optional[MarkdownText] = Field(
        None, description="What happened. Markdown is allowed here; raw HTML is shown as text."
    )
    evidence: list[EvidenceLink] = Field(default_factory=list, description="Documents or pages that show the work.")


class Indicator(Record):
    id: Id = Field(description="Short id of the indicator.")
    name: Text = Field(description="What is measured.")
    unit: Optional[Text] = Field(None, description="Unit of measurement, e.g. 'households' or '%'.")
    baseline: Optional[Number] = Field(None, description="Value at the start.")
    target: Optional[Number] = Field(None, description="Value the partners aim for.")
    current: Optional[Number] = Field(None, description="Latest measured value.")
    updated: Optional[Date] = Field(None, description="When `current` was measured, as YYYY-MM-DD.")


class Partnership(Record):
    """One partnership: the content of `partnerships/<slug>/partnership.yml`."""

    name: Text = Field(description="Name of the partnership. The only required key.")
    summary: Optional[Text] = Field(None, description="Two or three sentences on what the partnership does.")
    started: Optional[Date] = Field(None, description="When the partnership started, as YYYY-MM-DD.")
    phase: Optional[Id] = Field(None, description="Id of the phase of the cycle the partnership is in now.")
    vision: Optional[Text] = Field(None, description="The joint vision, in the partners' words.")
    thematic_frame: Optional[ThematicFrame] = Field(None, description="The overarching thematic frame, e.g. SDG targets.")
    purposes: list[PurposeStatement] = Field(default_factory=list, description="Which of the twelve purposes the partnership pursues.")
    stakeholders: list[Stakeholder] = Field(default_factory=list, description="Everyone taking part.")
    facilitators: list[Facilitator] = Field(default_factory=list, description="Dialogue facilitators and brokers.")
    governance: Optional[Governance] = Field(None, description="Bodies, decision-making and task assignments.")
    code_of_conduct: Optional[CodeOfConduct] = Field(None, description="Principles and who endorsed them.")
    cycle: dict[Id, StepProgress] = Field(
        default_factory=dict,
        description="Progress through the cycle: a step or sub-step id, then its status, date, notes and evidence.",
        # Keys that are not ids are errors for editors too, not silently unchecked.
        json_schema_extra={"additionalProperties": False},
    )
    indicators: list[Indicator] = Field(default_factory=list, description="The simple monitoring system: what is measured.")

    # Set by the loader, not written in the YAML.
    _slug: str = PrivateAttr("")
    _source: Path = PrivateAttr(Path())
    _log: tuple["LogEntry", ...] = PrivateAttr(())

    @property
    def slug(self) -> str:
        return self._slug

    @property
    def source(self) -> Path:
        return self._source

    @property
    def log(self) -> tuple["LogEntry", ...]:
        """Log entries, newest first."""
        return self._log

    def stakeholder(self, ident: str) -> Stakeholder | None:
        return next((s for s in self.stakeholders if s.id == ident), None)

    def sectors(self) -> list[str]:
        seen = {s.sector for s in self.stakeholders}
        return [sector for sector in SECTOR_LABELS if sector in seen]

    def last_update(self) -> dt.date | None:
        return self._log[0].date if self._log else None

    def endorsed_ids(self) -> set[str]:
        return {e.stakeholder for e in self.code_of_conduct.endorsements} if self.code_of_conduct else set()


class MarkdownDocument(Record):
    """Front matter of a Markdown file; the loader adds where it is and its body."""

    _source: Path = PrivateAttr(Path())
    _body: str = PrivateAttr("")

    @property
    def source(self) -> Path:
        return self._source

    @property
    def body(self) -> str:
        """The Markdown below the front matter."""
        return self._body


class LogEntry(MarkdownDocument):
    """Front matter of one progress-log file, `partnerships/<slug>/log/<file>.md`."""

    date: Date = Field(description="Date of the event, as YYYY-MM-DD.")
    title: Text = Field(description="Headline of the entry.")
    step: Optional[Id] = Field(None, description="Id of the phase, step or sub-step of the cycle the entry is about.")
    authors: list[Text] = Field(default_factory=list, description="Who wrote the entry.")
    tags: list[Id] = Field(default_factory=list, description="Keywords, lowercase with hyphens, e.g. 'steering-group'.")

    _anchor: str = PrivateAttr("")
    _date_line: int = PrivateAttr(2)

    @property
    def date_line(self) -> int:
        """Line of `date:` in the file, for messages about the date."""
        return self._date_line

    @property
    def anchor(self) -> str:
        """Stable anchor on the log page, from the file name."""
        return self._anchor


# --- Good practices (Communities of Practice) --------------------------------

Difficulty = Literal["easy", "moderate", "demanding"]


class Practice(MarkdownDocument):
    """Front matter of one good practice, `content/practices/<slug>.md`."""

    title: Text = Field(description="Name of the practice, as a short instruction, e.g. 'Map interests before the first meeting'.")
    summary: Text = Field(description="One or two sentences: what it is and why it helps.")
    phases: list[Id] = Field(
        default_factory=list,
        description="Ids of the cycle phases it helps with. Phases of the listed `steps` are added automatically.",
    )
    steps: list[Id] = Field(default_factory=list, description="Ids of the cycle steps or sub-steps it helps with.")
    sectors: list[Sector] = Field(
        default_factory=list, description="Sectors it suits best: `public`, `private`, `civil_society`, `academia`, `other`."
    )
    tags: list[Id] = Field(
        default_factory=list,
        max_length=3,
        description="Up to three tags from the list in `content/practices/tags.yml`.",
    )
    time: Optional[Text] = Field(None, description="How long it takes, in words, e.g. 'two hours' or 'three meetings'.")
    difficulty: Optional[Difficulty] = Field(None, description="One of `easy`, `moderate`, `demanding`.")
    authors: list[Text] = Field(default_factory=list, description="Who contributed the practice.")
    partnerships: list[Id] = Field(
        default_factory=list, description="Slugs of the partnerships in this handbook that applied it."
    )

    _slug: str = PrivateAttr("")
    _phase_ids: tuple[str, ...] = PrivateAttr(())

    @property
    def slug(self) -> str:
        return self._slug

    @property
    def phase_ids(self) -> tuple[str, ...]:
        """Phases named directly or through a step, in cycle order."""
        return self._phase_ids
