"""A partnership's log folder, `log/<date>-<what>.md`: found, read, validated.

Log entries refer to what the partnership's record defines (its stakeholders,
steps...), so they are validated with the ids the record declares, as written.
"""

from __future__ import annotations

import re
from pathlib import Path

from .files import FILE, FOLDER, kind, listing, optional_folder
from .load import slugify
from .model import LogEntry
from .problems import Problem
from .slips import dated_name_problems
from .source_files import read_markdown_source, validated
from .validate import KnownIds

LOG_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*\.md$")
LOG_DIR = "log"


def log_anchors(log_dir: Path) -> list[str]:
    """The anchors of a log folder's entries, from their file names (as written, valid or not)."""
    paths, _ = listing(log_dir) if kind(log_dir) == FOLDER else ([], [])  # load_log reports what cannot be read
    return [slugify(path.stem) for path in paths if path.suffix == ".md"]


def load_log(log_dir: Path, known: KnownIds, root: Path) -> tuple[list[LogEntry], list[Problem]]:
    """Every entry in a partnership's log folder, checked against `known` ids."""
    entries: list[LogEntry] = []
    paths, problems = optional_folder(log_dir, "log entries")
    for path in paths:
        if isinstance(what := kind(path), Problem):
            problems.append(what)
            continue
        if path.suffix != ".md" or what != FILE:
            problems.append(Problem(path, 0, 0, "only Markdown files (.md) belong in a log folder",
                                    "rename it to end in .md, or move it elsewhere"))
            continue
        if not LOG_FILE_NAME.fullmatch(path.name):
            problems.append(Problem(path, 0, 0, "a log entry's file name may only hold lowercase letters, digits, "
                                    "hyphens and dots (it becomes the entry's web address)",
                                    f"rename it to '{slugify(path.stem)}.md'"))
            continue
        entry, found = load_log_entry(path, known, root)
        problems += found
        if entry is not None:
            entries.append(entry)
    anchors: dict[str, Path] = {}
    for entry in entries:
        if entry.anchor in anchors:
            problems.append(Problem(entry.source, 0, 0, f"has the same web anchor '#{entry.anchor}' as {anchors[entry.anchor].name}",
                                    "rename one of the two files"))
        anchors[entry.anchor] = entry.source
    return entries, problems


def load_log_entry(path: Path, known: KnownIds, root: Path) -> tuple[LogEntry | None, list[Problem]]:
    """One log entry, its references checked against `known` (the cycle's and its record's ids)."""
    source, problems = read_markdown_source(path, root, "log entry", "`date:` and `title:`")
    if source is None:
        return None, problems
    entry, problems = validated(LogEntry, source.document, problems, known)
    if entry is None:
        return None, problems
    problems = dated_name_problems(path, entry, source.document)
    if problems:
        return None, problems
    entry._source = path
    entry._date_line = source.document.position(("date",))[0]
    entry._body = source.body
    entry._anchor = slugify(path.stem)
    return entry, []
