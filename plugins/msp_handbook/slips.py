"""Slips people make in records, each told as the one mistake it is.

A single slip can otherwise surface as several unrelated-looking problems
(a key indented one level too little under `cycle:`), or as none at all (a
log file named for one date and dated another).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .load import Document
from .model import Cycle, LogEntry, StepProgress
from .problems import Problem


def misplaced_progress_keys(document: Document, cycle: Cycle) -> list[Problem]:
    """A key of a step's progress (`status:`, `notes:`...) indented as a step of its own, reported once.

    Otherwise one slip of indentation under `cycle:` gives an unknown step, a
    step that is not a group of keys, and a missing status in the step above.
    The key is moved, in `document`, under the step above, where it was meant.
    """
    progress = document.value.get("cycle") if isinstance(document.value, dict) else None
    if not isinstance(progress, dict):
        return []
    problems = []
    steps, previous = set(cycle.step_ids()), None
    for key in list(progress):
        if key in steps or key not in StepProgress.model_fields or previous is None:
            previous = key if key in steps else previous
            continue
        owner = progress[previous] if isinstance(progress[previous], dict) else {}
        if key in owner:
            continue  # given in the step above too: the duplicate is reported as an unknown step
        line, column = document.position(("cycle", key), key=True)
        indent = column - 1 + 2
        problems.append(Problem(document.source, line, column,
                                f"'{key}' belongs to the step '{previous}' above it, but is indented as a step of its own",
                                f"indent it by {indent} spaces, under '{previous}:' like the step's other keys"))
        progress[previous] = {**owner, key: progress.pop(key)}
        _move_positions(document, ("cycle", key), ("cycle", previous, key))
    return problems


def _move_positions(document: Document, old: tuple, new: tuple) -> None:
    for positions in (document.positions, document.key_positions):
        for loc in [loc for loc in positions if loc[:len(old)] == old]:
            positions[new + loc[len(old):]] = positions.pop(loc)


_DATED_NAME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?=[-.])")


def dated_name_problems(path: Path, entry: LogEntry, document: Document) -> list[Problem]:
    """A log file named after a date (2025-11-19-...) must carry that date in `date:` too."""
    match = _DATED_NAME.match(path.name)
    if match is None:
        return []
    renamed = f"{entry.date.isoformat()}{path.name[match.end():]}"
    try:
        named = dt.date(*map(int, match.groups()))
    except ValueError:
        return [Problem(path, 0, 0, f"the file name starts with {match.group()}, which is not a real date",
                        f"rename it to '{renamed}', after the entry's `date:`")]
    if named == entry.date:
        return []
    return [document.problem(("date",), f"`date:` says {entry.date.isoformat()}, but the file name says {named.isoformat()}",
                             f"correct `date:`, or rename the file to '{renamed}'")]
