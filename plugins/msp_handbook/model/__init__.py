"""The partnership world as typed classes: the contract coordinators edit by hand.

Every class here is validated once, when a record is loaded; rendering trusts
the result and never re-checks it. Field descriptions are not decoration: the
reference page of the site and the JSON Schema are generated from them, so a
key without a description is a key nobody can look up (a test enforces this).

Where things live (add a new area of the record as a module of its own and
re-export its public names here, so `from .model import X` keeps working):

    vocabulary.py   fixed lists of the method: sectors, purposes, statuses
    values.py       constrained value types (Id, Date, Url, ...) and `Record`
    cycle.py        the partnership cycle: phases, steps, sub-steps
    partnership.py  a partnership record and its parts
    monitoring.py   goals and indicators over time (baseline, targets, actuals)
    documents.py    Markdown files with front matter: log entries, practices
    references.py   `Ref.stakeholder`: fields that name something else
    review.py       reviews: ratings of the building blocks, statement, actions
    ledger.py       the cooperation rent: what each stakeholder puts in and gets out
    feedback.py     the feedback register: you said, we did

A field that refers to a stakeholder, a body, a step... is typed with `Ref`,
and validation checks it against the ids of the same file and of the handbook
(see references.py); a new such field is one line, here only.
"""

from .cycle import Cycle, Phase, Step, SubStep
from .documents import LogEntry, MarkdownDocument, Practice
from .feedback import FEEDBACK_CHANNEL_LABELS, FEEDBACK_STATUS_LABELS, Feedback, feedback_url, feedback_url_pattern
from .ledger import LEDGER_KIND_LABELS, Benefit, Contribution, Ledger, LedgerEntry
from .review import (
    ACTION_STATUS_LABELS,
    DEFAULT_BUILDING_BLOCKS,
    RATING_SCORES,
    RATING_SYMBOLS,
    RATING_WORDS,
    Review,
    ReviewAction,
    ReviewComment,
    building_blocks,
)
from .audience import Note, Visibility, is_partners_only, visibility_field
from .monitoring import (
    GOAL_LEVELS,
    MEASURE_LABELS,
    Actual,
    Baseline,
    Goal,
    Measurement,
    Target,
    unserved_stakeholders,
)
from .partnership import (
    CodeOfConduct,
    Endorsement,
    EvidenceLink,
    Facilitator,
    Governance,
    GovernanceBody,
    Indicator,
    Partnership,
    Principle,
    PurposeStatement,
    Role,
    Stakeholder,
    StepProgress,
    ThematicFrame,
)
from .references import REFERENCE_KINDS, Ref, ReferenceKind, RefersTo
from .values import (
    Date,
    Id,
    MarkdownText,
    Number,
    Record,
    SdgTarget,
    Text,
    Url,
    ValueKind,
    check_markdown,
    is_safe_url,
    strip_optional,
    marker,
)
from .vocabulary import (
    ID_PATTERN,
    ID_RE,
    PURPOSES,
    RESERVED_ANCHORS,
    SECTOR_DEFAULTS,
    SECTOR_LABELS,
    STATUS_LABELS,
    Difficulty,
    PurposeId,
    Sector,
    SectorMotivation,
    StepStatus,
)

__all__ = [
    "GOAL_LEVELS", "MEASURE_LABELS", "Actual", "Baseline", "Goal", "Measurement", "Target", "unserved_stakeholders",
    "Note", "Visibility", "is_partners_only", "visibility_field",
    "ID_PATTERN", "ID_RE",
    "PURPOSES", "REFERENCE_KINDS", "RESERVED_ANCHORS", "SECTOR_DEFAULTS", "SECTOR_LABELS", "STATUS_LABELS",
    "CodeOfConduct", "Cycle", "Date", "Difficulty", "Endorsement", "EvidenceLink", "Facilitator", "Governance",
    "GovernanceBody", "Id", "Indicator", "LogEntry", "MarkdownDocument", "MarkdownText", "Number", "Partnership",
    "Phase", "Practice", "Principle", "PurposeId", "PurposeStatement", "Record", "Ref", "ReferenceKind", "RefersTo",
    "Role", "SdgTarget", "Sector", "SectorMotivation", "Stakeholder", "Step", "StepProgress", "StepStatus", "SubStep",
    "Text", "ThematicFrame", "Url", "ValueKind", "check_markdown", "is_safe_url", "marker", "strip_optional",
    "ACTION_STATUS_LABELS", "DEFAULT_BUILDING_BLOCKS", "FEEDBACK_CHANNEL_LABELS", "FEEDBACK_STATUS_LABELS",
    "LEDGER_KIND_LABELS", "RATING_SCORES", "RATING_SYMBOLS", "RATING_WORDS", "Benefit",
    "Contribution", "Feedback", "Ledger", "LedgerEntry", "Review", "ReviewAction", "ReviewComment",
    "building_blocks", "feedback_url", "feedback_url_pattern",
]
