"""Where a partnership stands in the cycle, phase by phase and step by step.

How a step and its sub-steps relate (the reference page says the same):

- A step recorded under `cycle:` has the status recorded for it.
- A step not recorded itself takes its status from its sub-steps: not started
  while none is recorded, done once every sub-step is done or skipped, and in
  progress otherwise.
- A sub-step not recorded itself is not started, unless its step is recorded
  as done or skipped: then it counts as done (or skipped) with the step.
- A step recorded as done or skipped while a sub-step recorded for it is not
  started or in progress, or recorded as not started while a sub-step is in
  progress or done, contradicts itself: the build warns (doubts.progress_doubts).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..doubts import FINISHED
from ..model import Cycle, LogEntry, Partnership, Phase, Step, StepProgress, SubStep


@dataclass(frozen=True)
class CyclePlace:
    """What a phase, step or sub-step id names: the thing and where it sits."""

    phase: Phase
    step: Step | None = None
    substep: SubStep | None = None

    @property
    def ident(self) -> str:
        """The id of the phase, step or sub-step named."""
        return (self.substep or self.step or self.phase).id

    @property
    def title(self) -> str:
        """The title of the phase, step or sub-step named."""
        return (self.substep or self.step or self.phase).title

    @property
    def kind(self) -> str:
        """What is named, in words: 'phase', 'step' or 'sub-step'."""
        return "sub-step" if self.substep else "step" if self.step else "phase"


def place_in_cycle(cycle: Cycle, ident: str) -> CyclePlace | None:
    """The phase, step or sub-step `ident` names, or None for an unknown id."""
    for phase in cycle.phases:
        if phase.id == ident:
            return CyclePlace(phase)
        for step in phase.steps:
            if step.id == ident:
                return CyclePlace(phase, step)
            for substep in step.substeps:
                if substep.id == ident:
                    return CyclePlace(phase, step, substep)
    return None


@dataclass(frozen=True)
class SubStepProgressView:
    """Where a partnership stands on one sub-step, as the cycle page shows it."""

    substep: SubStep
    progress: StepProgress | None
    # The status recorded for the step itself, if any.
    step_status: str | None = None

    @property
    def with_step(self) -> bool:
        """Not recorded itself, but finished together with its step."""
        return self.progress is None and self.step_status in FINISHED

    @property
    def status(self) -> str:
        """The sub-step's recorded status, its step's when finished with it, or 'not-started'."""
        if self.progress:
            return self.progress.status
        return self.step_status if self.with_step else "not-started"


@dataclass(frozen=True)
class StepProgressView:
    """Where a partnership stands on one step: its sub-steps and the log entries about it."""

    step: Step
    progress: StepProgress | None
    substeps: tuple[SubStepProgressView, ...]
    here: bool = False
    # Log entries about the step or one of its sub-steps, newest first.
    log_entries: tuple[LogEntry, ...] = ()

    @property
    def status(self) -> str:
        """The step's own status or, when only its sub-steps were recorded, theirs summed up."""
        if self.progress:
            return self.progress.status
        recorded = [sub.status for sub in self.substeps if sub.progress]
        if not recorded:
            return "not-started"
        if all(status in FINISHED for status in recorded) and len(recorded) == len(self.substeps):
            return "done"
        return "in-progress"

    def about(self, entry: LogEntry) -> SubStep | None:
        """The sub-step a log entry is about, or None when it is about the step itself."""
        return next((sub.substep for sub in self.substeps if sub.substep.id == entry.step), None)


@dataclass(frozen=True)
class PhaseProgress:
    """Where a partnership stands in one phase of the cycle: its steps and whether it is there now."""

    phase: Phase
    steps: tuple[StepProgressView, ...]
    current: bool
    # Log entries about the phase as a whole, newest first.
    log_entries: tuple[LogEntry, ...] = ()

    @property
    def finished(self) -> int:
        """How many of the phase's steps are done or skipped."""
        return sum(1 for view in self.steps if view.status in FINISHED)

    @property
    def status(self) -> str:
        """'done' when every step is finished, 'in-progress' once any has begun or the partnership is there, else 'not-started'."""
        if self.finished == len(self.steps):
            return "done"
        if self.current or any(view.status != "not-started" for view in self.steps):
            return "in-progress"
        return "not-started"


def step_view(partnership: Partnership, step: Step) -> StepProgressView:
    """What the partnership recorded for one step, its sub-steps and its log entries."""
    progress = partnership.cycle.get(step.id)
    own = progress.status if progress else None
    idents = {step.id, *(sub.id for sub in step.substeps)}
    return StepProgressView(
        step,
        progress,
        tuple(SubStepProgressView(sub, partnership.cycle.get(sub.id), own) for sub in step.substeps),
        log_entries=tuple(entry for entry in partnership.log if entry.step in idents),
    )


def cycle_progress(partnership: Partnership, cycle: Cycle) -> list[PhaseProgress]:
    """Every phase with its steps, and where the partnership is ("you are here")."""
    phases = []
    for phase in cycle.phases:
        views = [step_view(partnership, step) for step in phase.steps]
        current = phase.id == partnership.phase
        if current:
            # "You are here": the first step of the current phase not yet finished.
            for index, view in enumerate(views):
                if view.status not in FINISHED:
                    views[index] = replace(view, here=True)
                    break
        about_phase = tuple(entry for entry in partnership.log if entry.step == phase.id)
        phases.append(PhaseProgress(phase, tuple(views), current, about_phase))
    return phases

