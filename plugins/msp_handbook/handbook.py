"""The whole handbook: the cycle and every partnership, loaded and validated in one go.

This is the single entry point from files to models, shared by the MkDocs
plugin and anything else (a command line, tests). It has no MkDocs imports.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .load import parse_yaml, read_text, slugify, split_front_matter
from pydantic_core import PydanticCustomError

from .model import ID_RE, Cycle, LogEntry, Partnership, _check_markdown
from .problems import InvalidHandbook, Problem
from .validate import check_cycle, check_log_entry, check_references, salvage, validate_document

RECORD_FILE = "partnership.yml"
LOG_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*\.md$")
LOG_DIR = "log"


def default_cycle_file() -> Path:
    return Path(str(resources.files("msp_handbook") / "data" / "cycle.yml"))


def stylesheet() -> str:
    """CSS for generated pages, shipped with the package."""
    return (resources.files("msp_handbook") / "data" / "msp-handbook.css").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Handbook:
    cycle: Cycle
    partnerships: tuple[Partnership, ...]
    records_dir: Path
    # Doubtful but publishable: reported, and fatal only under --strict.
    warnings: tuple[Problem, ...] = ()


def load_handbook(records_dir: Path, cycle_file: Path | None = None, *, root: Path | None = None,
                  today: dt.date | None = None) -> Handbook:
    """Load everything under `records_dir`, or raise InvalidHandbook listing every problem.

    `root` is the repository: symbolic links may not lead out of it.
    """
    root = (root or records_dir.parent).resolve()
    cycle_path = cycle_file or default_cycle_file()
    cycle, problems = load_cycle(cycle_path, root if cycle_file else cycle_path.parent)
    if cycle is None:
        raise InvalidHandbook(problems)

    partnerships: list[Partnership] = []
    if not records_dir.is_dir():
        raise InvalidHandbook([Problem(records_dir, 0, 0, "the partnership records folder does not exist",
                                       "create it, or set `records_dir` for the partnerships plugin in mkdocs.yml")])
    for folder in sorted(records_dir.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        partnership, found = load_partnership(folder, cycle, root)
        problems += found
        if partnership is not None:
            partnerships.append(partnership)
    if problems:
        raise InvalidHandbook(problems)
    partnerships.sort(key=lambda p: p.name.casefold())
    return Handbook(cycle, tuple(partnerships), records_dir, tuple(doubts(partnerships, today or dt.date.today())))


def doubts(partnerships: list[Partnership], today: dt.date) -> list[Problem]:
    """Dates in the future are usually typos for the current year."""
    found = []
    for partnership in partnerships:
        for entry in partnership.log:
            if entry.date > today:
                found.append(Problem(entry.source, entry.date_line, 1, f"log entry is dated {entry.date}, in the future",
                                     "check the year and month of `date:`"))
    return found


def load_cycle(path: Path, root: Path) -> tuple[Cycle | None, list[Problem]]:
    text, problems = read_text(path, root)
    if text is None:
        return None, problems
    document, problems = parse_yaml(text, path)
    if document is None or problems:
        return None, problems
    cycle, problems = validate_document(Cycle, document)
    if cycle is None:
        return None, problems
    problems = check_cycle(cycle, document)
    return (None if problems else cycle), problems


def load_partnership(folder: Path, cycle: Cycle, root: Path) -> tuple[Partnership | None, list[Problem]]:
    """One partnership folder: its record and its log entries."""
    slug = folder.name
    if folder.is_symlink() and not folder.resolve().is_relative_to(root):
        return None, [Problem(folder, 0, 0, "is a symbolic link to a folder outside the repository",
                              "move the partnership's folder into the records folder")]
    if not ID_RE.match(slug):
        return None, [Problem(folder, 0, 0, f"folder name '{slug}' is not a valid partnership slug: it becomes the URL",
                              f"rename the folder to '{slugify(slug)}' (lowercase letters, digits, hyphens)")]
    record_path = folder / RECORD_FILE
    if not record_path.is_file():
        fix = f"create {RECORD_FILE} with at least `name: ...`"
        if (folder / "partnership.yaml").exists():
            fix = f"rename partnership.yaml to {RECORD_FILE}"
        return None, [Problem(record_path, 0, 0, "the partnership record is missing", fix)]

    text, problems = read_text(record_path, root)
    document = None
    if text is not None:
        document, problems = parse_yaml(text, record_path)
    partnership = None
    if document is not None:
        partnership, found = validate_document(Partnership, document)
        # A value YAML itself could not read is reported once, by the parser.
        parsed_at = {(p.line, p.column) for p in problems}
        problems += [p for p in found if (p.line, p.column) not in parsed_at]
        if partnership is not None:
            problems += check_references(partnership, cycle, document)
        elif (salvaged := salvage(Partnership, document)) is not None:
            problems += check_references(salvaged[0], cycle, salvaged[1], written=document)

    entries, log_problems = load_log(folder / LOG_DIR, cycle, root)
    problems += log_problems
    if partnership is None or problems:
        return None, problems
    partnership._slug = slug
    partnership._source = record_path
    partnership._log = tuple(sorted(entries, key=lambda entry: (entry.date, entry.anchor), reverse=True))
    return partnership, []


def load_log(log_dir: Path, cycle: Cycle, root: Path) -> tuple[list[LogEntry], list[Problem]]:
    if not log_dir.is_dir():
        return [], []
    entries: list[LogEntry] = []
    problems: list[Problem] = []
    for path in sorted(log_dir.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix != ".md" or not path.is_file():
            problems.append(Problem(path, 0, 0, "only Markdown files (.md) belong in a log folder",
                                    "rename it to end in .md, or move it elsewhere"))
            continue
        if not LOG_FILE_NAME.match(path.name):
            problems.append(Problem(path, 0, 0, "a log entry's file name may only hold lowercase letters, digits, "
                                    "hyphens and dots (it becomes the entry's web address)",
                                    f"rename it to '{slugify(path.stem)}.md'"))
            continue
        entry, found = load_log_entry(path, cycle, root)
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


def load_log_entry(path: Path, cycle: Cycle, root: Path) -> tuple[LogEntry | None, list[Problem]]:
    text, problems = read_text(path, root)
    if text is None:
        return None, problems
    front_matter, body, problems = split_front_matter(text, path)
    if front_matter is None:
        return None, problems
    if not front_matter.strip():
        return None, [Problem(path, 1, 1, "front matter is empty", "add at least `date:` and `title:` between the `---` lines")]
    document, problems = parse_yaml(front_matter, path, first_line=2)
    if document is None or problems:
        return None, problems
    entry, problems = validate_document(LogEntry, document)
    if entry is None:
        return None, problems
    problems = check_log_entry(entry, cycle, document)
    if problems:
        return None, problems
    try:
        _check_markdown(body)
    except PydanticCustomError as limit:
        return None, [Problem(path, front_matter.count("\n") + 3, 1, f"the log entry's text: {limit}",
                              "shorten the text or flatten its nesting")]
    entry._source = path
    entry._date_line = document.position(("date",))[0]
    entry._body = body.strip("\n")
    entry._anchor = slugify(path.stem)
    return entry, []
