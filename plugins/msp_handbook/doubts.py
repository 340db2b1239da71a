"""Records that are valid but say something doubtful: warnings, fatal only under --strict."""

from __future__ import annotations

from .load import Document
from .model import STATUS_LABELS, Cycle, Partnership
from .problems import Problem

FINISHED = ("done", "skipped")


def progress_doubts(partnership: Partnership, cycle: Cycle, document: Document) -> list[Problem]:
    """Steps recorded as done while a sub-step recorded for them is not finished.

    The cycle page shows both as recorded, so the record contradicts itself
    in public; usually one of the two statuses is out of date.
    """
    found = []
    for _, step in cycle.steps():
        progress = partnership.cycle.get(step.id)
        if progress is None or progress.status != "done":
            continue
        unfinished = [(sub.id, partnership.cycle[sub.id].status) for sub in step.substeps
                      if sub.id in partnership.cycle and partnership.cycle[sub.id].status not in FINISHED]
        if not unfinished:
            continue
        listed = ", ".join(f"'{ident}' is {STATUS_LABELS[status].lower()}" for ident, status in unfinished)
        plural = "s" if len(unfinished) > 1 else ""
        found.append(document.problem(
            ("cycle", step.id, "status"),
            f"step '{step.id}' is marked done, but its sub-step{plural} {listed}",
            f"mark the sub-step{plural} done or skipped, or set the step back to in-progress"))
    return found
