"""Records that are valid but say something doubtful: warnings, fatal only under --strict."""

from __future__ import annotations

from .load import Document
from .model import STATUS_LABELS, Cycle, Partnership
from .problems import Problem

FINISHED = ("done", "skipped")


# What a step's own status says about its recorded sub-steps (the reference page
# states the same rule): a finished step has no unfinished sub-step, and a step
# not started has no sub-step that was started.
STARTED = ("in-progress", "done")
_CONTRADICTING = {"done": ("not-started", "in-progress"), "skipped": ("not-started", "in-progress"),
                  "not-started": STARTED}
_FIXES = {
    "done": "mark the sub-step{s} done or skipped, or set the step back to in-progress",
    "skipped": "mark the sub-step{s} done or skipped, or set the step back to in-progress",
    "not-started": "set the step to in-progress (done once every sub-step is finished), or correct the sub-step{s}",
}


def progress_doubts(partnership: Partnership, cycle: Cycle, document: Document) -> list[Problem]:
    """Steps whose own status contradicts a sub-step recorded for them (`_CONTRADICTING`).

    The cycle page shows both as recorded, so the record contradicts itself
    in public; usually one of the two statuses is out of date.
    """
    found = []
    for _, step in cycle.steps():
        progress = partnership.cycle.get(step.id)
        if progress is None or progress.status not in _CONTRADICTING:
            continue
        contradicting = [(sub.id, partnership.cycle[sub.id].status) for sub in step.substeps
                         if sub.id in partnership.cycle and partnership.cycle[sub.id].status in _CONTRADICTING[progress.status]]
        if not contradicting:
            continue
        listed = ", ".join(f"'{ident}' is {STATUS_LABELS[status].lower()}" for ident, status in contradicting)
        plural = "s" if len(contradicting) > 1 else ""
        found.append(document.problem(
            ("cycle", step.id, "status"),
            f"step '{step.id}' is marked {STATUS_LABELS[progress.status].lower()}, but its sub-step{plural} {listed}",
            _FIXES[progress.status].format(s=plural)))
    return found
