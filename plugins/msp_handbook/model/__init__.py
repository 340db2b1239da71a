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
    documents.py    Markdown files with front matter: log entries, practices

Cross-references between parts of a record (an endorsement naming a
stakeholder, a cycle step id) are checked in `validate.py`, because they need
the whole record and the cycle at once.
"""

from .cycle import Cycle, Phase, Step, SubStep
from .documents import LogEntry, MarkdownDocument, Practice
from .partnership import (
    RESERVED_ANCHORS,
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
from .values import (
    MARKDOWN_MAX_BRACKETS,
    MARKDOWN_MAX_CHARS,
    MARKDOWN_MAX_INDENT,
    PLACEHOLDER,
    Date,
    Id,
    MarkdownText,
    Number,
    Record,
    SdgTarget,
    Text,
    Url,
    ValueKind,
    _check_markdown,
    is_safe_url,
    strip_optional,
    value_kind,
)
from .vocabulary import (
    ID_PATTERN,
    ID_RE,
    PURPOSES,
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
    "ID_PATTERN", "ID_RE", "MARKDOWN_MAX_BRACKETS", "MARKDOWN_MAX_CHARS", "MARKDOWN_MAX_INDENT", "PLACEHOLDER",
    "PURPOSES", "RESERVED_ANCHORS", "SECTOR_DEFAULTS", "SECTOR_LABELS", "STATUS_LABELS",
    "CodeOfConduct", "Cycle", "Date", "Difficulty", "Endorsement", "EvidenceLink", "Facilitator", "Governance",
    "GovernanceBody", "Id", "Indicator", "LogEntry", "MarkdownDocument", "MarkdownText", "Number", "Partnership",
    "Phase", "Practice", "Principle", "PurposeId", "PurposeStatement", "Record", "Role", "SdgTarget", "Sector",
    "SectorMotivation", "Stakeholder", "Step", "StepProgress", "StepStatus", "SubStep", "Text", "ThematicFrame",
    "Url", "ValueKind", "_check_markdown", "is_safe_url", "strip_optional", "value_kind",
]
