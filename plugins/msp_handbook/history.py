"""When each partnership record last changed, from the repository's history.

One `git log` call covers every record, so the cost does not grow with the
number of partnerships beyond reading the history itself. Without git or
outside a repository the dates are simply unknown.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_commit_dates(folder: Path) -> dict[Path, dt.date]:
    """Date of the newest commit touching each file under `folder`, by absolute path."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True,
                             text=True, check=True).stdout.strip()
        log = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", "."],
            cwd=folder, capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[Path, dt.date] = {}
    current: dt.date | None = None
    # Resolved once: git lists files as stored, never below a symbolic link,
    # so joining them to the resolved top gives their resolved paths (one
    # resolve() per listed file cost a third of a preview rebuild at 500 partnerships).
    resolved_top = Path(top).resolve()
    for line in log.splitlines():
        if line.startswith("\x00"):
            current = dt.date.fromisoformat(line[1:])
        elif line and current is not None:
            # Newest commits come first: keep the first date seen for a file.
            dates.setdefault(resolved_top / line, current)
    return dates
