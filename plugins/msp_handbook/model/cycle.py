"""The partnership cycle: phases, steps and sub-steps (data, not code: see data/cycle.yml)."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from .values import Id, Record, Text

class SubStep(Record):
    """A finer activity within a step of the partnership cycle."""

    id: Id = Field(description="Stable id of the sub-step, unique in the whole cycle.")
    title: Text = Field(description="Short name of the sub-step.")


class Step(Record):
    """A step of the partnership cycle: what partners do within a phase, with its sub-steps."""

    id: Id = Field(description="Stable id of the step, unique in the whole cycle; records refer to it under `cycle:`.")
    title: Text = Field(description="Short name of the step.")
    summary: Optional[str] = Field(None, description="One or two sentences on what the step is for.")
    substeps: list[SubStep] = Field(default_factory=list, description="Finer activities within the step.")


class Phase(Record):
    """A phase of the partnership cycle, its guidance page and its steps in order."""

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
    """The partnership cycle every record is measured against: its phases in order."""

    phases: list[Phase] = Field(min_length=1, description="The phases of the cycle, in order.")

    def phase(self, phase_id: str) -> Phase | None:
        """The phase with id `phase_id`, if any."""
        return next((phase for phase in self.phases if phase.id == phase_id), None)

    def steps(self) -> list[tuple[Phase, Step]]:
        """Every step with its phase, in cycle order."""
        return [(phase, step) for phase in self.phases for step in phase.steps]

    def step_ids(self) -> list[str]:
        """Every id a record may use under `cycle:`: steps and sub-steps."""
        return [
            ident
            for _, step in self.steps()
            for ident in [step.id, *(sub.id for sub in step.substeps)]
        ]

    def reference_ids(self) -> dict[str, list[str]]:
        """The ids records may use, by kind of reference (see references.REFERENCE_KINDS)."""
        phases = [phase.id for phase in self.phases]
        return {"phase": phases, "step": self.step_ids(), "phase_or_step": phases + self.step_ids()}

    def locate(self, ident: str) -> tuple[Phase, Step | None]:
        """The phase (and step) that a phase, step or sub-step id belongs to."""
        for phase in self.phases:
            if phase.id == ident:
                return phase, None
            for step in phase.steps:
                if step.id == ident or any(sub.id == ident for sub in step.substeps):
                    return phase, step
        raise KeyError(ident)
