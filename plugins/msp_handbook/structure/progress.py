"""Where a partnership stands in the cycle, phase by phase and step by step."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Cycle, Partnership, Phase, Step, StepProgress, SubStep


@dataclass(frozen=True)
class SubStepProgressView:
    substep: SubStep
    progress: StepProgress | None

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else "not-started"


@dataclass(frozen=True)
class StepProgressView:
    step: Step
    progress: StepProgress | None
    substeps: tuple[SubStepProgressView, ...]
    here: bool = False

    @property
    def status(self) -> str:
        """The step's own status or, when only its sub-steps were recorded, theirs summed up."""
        if self.progress:
            return self.progress.status
        recorded = [sub.status for sub in self.substeps if sub.progress]
        if not recorded:
            return "not-started"
        if all(status in ("done", "skipped") for status in recorded) and len(recorded) == len(self.substeps):
            return "done"
        return "in-progress"


@dataclass(frozen=True)
class PhaseProgress:
    phase: Phase
    steps: tuple[StepProgressView, ...]
    current: bool

    @property
    def finished(self) -> int:
        return sum(1 for view in self.steps if view.status in ("done", "skipped"))

    @property
    def status(self) -> str:
        if self.finished == len(self.steps):
            return "done"
        if self.current or any(view.status != "not-started" for view in self.steps):
            return "in-progress"
        return "not-started"


def cycle_progress(partnership: Partnership, cycle: Cycle) -> list[PhaseProgress]:
    """Each phase of the cycle with the partnership's progress on its steps."""
    phases = []
    for phase in cycle.phases:
        views = [
            StepProgressView(
                step,
                partnership.cycle.get(step.id),
                tuple(SubStepProgressView(sub, partnership.cycle.get(sub.id)) for sub in step.substeps),
            )
            for step in phase.steps
        ]
        current = phase.id == partnership.phase
        if current:
            # "You are here": the first step of the current phase not yet finished.
            for index, view in enumerate(views):
                if view.status not in ("done", "skipped"):
                    views[index] = StepProgressView(view.step, view.progress, view.substeps, here=True)
                    break
        phases.append(PhaseProgress(phase, tuple(views), current))
    return phases
