"""Markdown files with front matter: progress-log entries and good practices."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from pydantic import Field, PrivateAttr

from .audience import Visibility, visibility_field
from .references import Ref
from .values import Date, Id, Record, Text
from .vocabulary import Difficulty, Sector

class MarkdownDocument(Record):
    """Front matter of a Markdown file; the loader adds where it is and its body."""

    _source: Path = PrivateAttr(default_factory=Path)  # a factory: a default Path() is deep-copied per entry
    _body: str = PrivateAttr("")

    @property
    def source(self) -> Path:
        """The file it was read from."""
        return self.__pydantic_private__["_source"]

    @property
    def body(self) -> str:
        """The Markdown below the front matter."""
        return self.__pydantic_private__["_body"]


class LogEntry(MarkdownDocument):
    """Front matter of one progress-log file, `partnerships/<slug>/log/<file>.md`."""

    date: Date = Field(description="Date of the event, as YYYY-MM-DD.")
    title: Text = Field(description="Headline of the entry.")
    step: Optional[Ref.phase_or_step] = Field(None, description="Id of the phase, step or sub-step of the cycle the entry is about.")
    authors: list[Text] = Field(default_factory=list, description="Who wrote the entry.")
    tags: list[Id] = Field(default_factory=list, description="Keywords, lowercase with hyphens, e.g. 'steering-group'.")
    visibility: Visibility = visibility_field()

    _anchor: str = PrivateAttr("")
    _date_line: int = PrivateAttr(2)

    @property
    def date_line(self) -> int:
        """Line of `date:` in the file, for messages about the date."""
        return self.__pydantic_private__["_date_line"]

    @property
    def anchor(self) -> str:
        """Stable anchor on the log page, from the file name."""
        return self.__pydantic_private__["_anchor"]


class Practice(MarkdownDocument):
    """Front matter of one good practice, `content/practices/<slug>.md`."""

    title: Text = Field(description="Name of the practice, as a short instruction, e.g. 'Map interests before the first meeting'.")
    summary: Text = Field(description="One or two sentences: what it is and why it helps.")
    phases: list[Ref.phase] = Field(
        default_factory=list,
        description="Ids of the cycle phases it helps with. Phases of the listed `steps` are added automatically.",
    )
    steps: list[Ref.step] = Field(default_factory=list, description="Ids of the cycle steps or sub-steps it helps with.")
    sectors: list[Sector] = Field(
        default_factory=list, description="Sectors it suits best: `public`, `private`, `civil_society`, `academia`, `other`."
    )
    tags: list[Ref.tag] = Field(
        default_factory=list,
        max_length=3,
        description="Up to three tags from the list in `content/practices/tags.yml`.",
    )
    time: Optional[Text] = Field(None, description="How long it takes, in words, e.g. 'two hours' or 'three meetings'.")
    difficulty: Optional[Difficulty] = Field(None, description="One of `easy`, `moderate`, `demanding`.")
    authors: list[Text] = Field(default_factory=list, description="Who contributed the practice.")
    partnerships: list[Ref.partnership] = Field(
        default_factory=list, description="Slugs of the partnerships in this handbook that applied it."
    )

    _slug: str = PrivateAttr("")
    _phase_ids: tuple[str, ...] = PrivateAttr(())

    @property
    def slug(self) -> str:
        """The file name without `.md`: the address of the practice's page."""
        return self.__pydantic_private__["_slug"]

    @property
    def phase_ids(self) -> tuple[str, ...]:
        """Phases named directly or through a step, in cycle order."""
        return self.__pydantic_private__["_phase_ids"]
