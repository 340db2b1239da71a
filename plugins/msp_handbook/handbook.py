"""The whole handbook: the cycle and every partnership, loaded and validated in one go.

This is the single entry point from files to models, shared by the MkDocs
plugin and anything else (a command line, tests). It has no MkDocs imports.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TypeVar

from pydantic_core import PydanticCustomError

from .files import FILE, FOLDER, inside, kind, listing
from .load import Document, parse_yaml, read_text, read_yaml, slugify, split_front_matter
from .model import DEFAULT_BUILDING_BLOCKS, ID_RE, Cycle, LogEntry, Partnership, Practice, check_markdown
from .clock import BadSourceDateEpoch, build_day
from .doubts import progress_doubts
from .problems import InvalidHandbook, Problem
from .slips import dated_name_problems, misplaced_progress_keys
from .validate_monitoring import check_monitoring, unserved_stakeholder_doubts
from .review_files import REVIEW_DIR, load_reviews
from .validate import KnownIds, check_cycle, check_practice_scope, reference_context, validate_document

RECORD_FILE = "partnership.yml"
LOG_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*\.md$")
LOG_DIR = "log"


def default_cycle_file() -> Path:
    """The four-phase cycle shipped with the package."""
    return Path(str(resources.files("msp_handbook") / "data" / "cycle.yml"))


def stylesheet() -> str:
    """CSS for generated pages, shipped with the package."""
    return (resources.files("msp_handbook") / "data" / "msp-handbook.css").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Handbook:
    """Everything the site is built from, validated."""

    cycle: Cycle
    partnerships: tuple[Partnership, ...]
    records_dir: Path
    practices: tuple[Practice, ...] = ()
    # Tag id -> what it means: the vocabulary practices draw on.
    tags: dict[str, str] = field(default_factory=dict)
    # Doubtful but publishable: reported, and fatal only under --strict.
    warnings: tuple[Problem, ...] = ()
    # Building block id -> name: what each review rates (`building_blocks` in mkdocs.yml).
    building_blocks: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_BUILDING_BLOCKS))

    def partnership(self, slug: str) -> Partnership | None:
        """The partnership in folder `slug`, if any."""
        return next((p for p in self.partnerships if p.slug == slug), None)

    def practices_for(self, partnership: Partnership) -> list[Practice]:
        """The good practices that say they were applied in `partnership`."""
        return [practice for practice in self.practices if partnership.slug in practice.partnerships]


def load_handbook(records_dir: Path, cycle_file: Path | None = None, *, root: Path | None = None,
                  practices_dir: Path | None = None, today: dt.date | None = None,
                  building_blocks: dict[str, str] | None = None) -> Handbook:
    """Load the records under `records_dir` and the good practices in `practices_dir`.

    Raises InvalidHandbook listing every problem found. `root` is the
    repository: symbolic links may not lead out of it. `today` is the build
    date (see clock.py): no measured value may come after it.
    """
    if today is None:
        try:
            today = build_day()
        except BadSourceDateEpoch as bad:
            raise InvalidHandbook([Problem(Path("SOURCE_DATE_EPOCH"), 0, 0, str(bad), bad.fix)]) from None
    root = (root or records_dir.parent).resolve()
    cycle_path = cycle_file or default_cycle_file()
    cycle, problems = load_cycle(cycle_path, root if cycle_file else cycle_path.parent)
    if cycle is None:
        raise InvalidHandbook(problems)

    blocks = dict(building_blocks or DEFAULT_BUILDING_BLOCKS)
    partnerships: list[Partnership] = []
    warnings: list[Problem] = []
    if not os.path.lexists(records_dir):
        raise InvalidHandbook([Problem(records_dir, 0, 0, "the partnership records folder does not exist",
                                       "create it, or set `records_dir` for the partnerships plugin in mkdocs.yml")])
    folders, found = partnership_folders(records_dir)
    problems += found
    for folder in folders:
        partnership, found, doubtful = load_partnership(folder, cycle, root, blocks, today)
        problems += found
        warnings += doubtful
        if partnership is not None:
            partnerships.append(partnership)
    practices: list[Practice] = []
    tags: dict[str, str] = {}
    if practices_dir is not None:
        # Every partnership folder counts as known, valid or not: its own
        # problems are reported already and should not echo through practices.
        slugs = [folder.name for folder in folders if ID_RE.fullmatch(folder.name)]
        practices, tags, found = load_practices(practices_dir, cycle, slugs, root)
        problems += found
    if problems:
        raise InvalidHandbook(problems)
    partnerships.sort(key=lambda p: p.name.casefold())
    return Handbook(cycle, tuple(partnerships), records_dir, tuple(practices), tags,
                    tuple(warnings + doubts(partnerships, today)), blocks)


def partnership_folders(records_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The folders in the records folder (other files there, a README say, are left alone)."""
    what = kind(records_dir)
    if what != FOLDER:
        return [], [what if isinstance(what, Problem) else
                    Problem(records_dir, 0, 0, "should be the folder of partnership records, but is a file",
                            "move the file away and create the folder, or set `records_dir` in mkdocs.yml")]
    folders = []
    paths, problems = listing(records_dir)
    for path in paths:
        what = kind(path)
        if isinstance(what, Problem):
            problems.append(what)
        elif what == FOLDER:
            folders.append(path)
    return folders, problems


def doubts(partnerships: list[Partnership], today: dt.date) -> list[Problem]:
    """Dates in the future are usually typos for the current year."""
    found = []
    for partnership in partnerships:
        for entry in partnership.log:
            if entry.date > today:
                found.append(Problem(entry.source, entry.date_line, 1, f"log entry is dated {entry.date}, in the future",
                                     "check the year and month of `date:`"))
        for review in partnership.reviews:
            if review.date > today:
                found.append(Problem(review.source, review.date_line, 1, f"review is dated {review.date}, in the future",
                                     "check the year and month of `date:`"))
    return found


def empty_handbook(records_dir: Path, cycle_file: Path | None, root: Path) -> Handbook | None:
    """A handbook with the cycle and nothing else, or None if even the cycle is invalid."""
    cycle_path = cycle_file or default_cycle_file()
    cycle, _ = load_cycle(cycle_path, root if cycle_file else cycle_path.parent)
    return Handbook(cycle, (), records_dir) if cycle is not None else None


def load_cycle(path: Path, root: Path) -> tuple[Cycle | None, list[Problem]]:
    """The cycle in `path`, or the problems that make it unusable."""
    document, problems = read_yaml(path, root)
    if document is None:
        return None, problems
    cycle, problems = validate_document(Cycle, document)
    if cycle is None:
        return None, problems
    problems = check_cycle(cycle, document)
    return (None if problems else cycle), problems


def load_partnership(folder: Path, cycle: Cycle, root: Path,
                     blocks: dict[str, str] | None = None, today: dt.date | None = None
                     ) -> tuple[Partnership | None, list[Problem], list[Problem]]:
    """One partnership folder: its record, its log entries and its reviews, the
    problems found in them and, for a valid record, the doubts (warnings) it raises."""
    slug = folder.name
    if folder.is_symlink() and inside(folder, root) is not None:
        return None, [Problem(folder, 0, 0, "is a symbolic link to a folder outside the repository",
                              "move the partnership's folder into the records folder")], []
    if not ID_RE.fullmatch(slug):
        return None, [Problem(folder, 0, 0, f"folder name '{slug}' is not a valid partnership slug: it becomes the URL",
                              f"rename the folder to '{slugify(slug)}' (lowercase letters, digits, hyphens)")], []
    record_path = folder / RECORD_FILE
    if not os.path.lexists(record_path):
        fix = f"create {RECORD_FILE} with at least `name: ...`"
        if (folder / "partnership.yaml").exists():
            fix = f"rename partnership.yaml to {RECORD_FILE}"
        return None, [Problem(record_path, 0, 0, "the partnership record is missing", fix)], []

    text, problems = read_text(record_path, root)
    document = None
    if text is not None:
        document, problems = parse_yaml(text, record_path)
    partnership = None
    # Log entries and reviews may refer to what the record defines (its stakeholders...), as written;
    # the record's feedback to its log entries, by file name; reviews to the site's building blocks.
    known: KnownIds = {**cycle.reference_ids(), "log_entry": log_anchors(folder / LOG_DIR),
                       "building_block": list(blocks or DEFAULT_BUILDING_BLOCKS)}
    if document is not None:
        problems += misplaced_progress_keys(document, cycle)
        partnership, problems = validated(Partnership, document, problems, known)
        # A value the loader already refused is reported once, by the loader.
        reported = {(problem.line, problem.column) for problem in problems}
        problems += [problem for problem in check_monitoring(document, today or build_day())
                     if (problem.line, problem.column) not in reported]
        if isinstance(document.value, dict):
            known = reference_context(Partnership, document.value, known)

    entries, log_problems = load_log(folder / LOG_DIR, known, root)
    problems += log_problems
    reviews, review_problems = load_reviews(folder / REVIEW_DIR, known, root)
    problems += review_problems
    if partnership is None or problems:
        return None, problems, []
    partnership._slug = slug
    partnership._source = record_path
    partnership._log = tuple(sorted(entries, key=lambda entry: (entry.date, entry.anchor), reverse=True))
    partnership._reviews = tuple(reviews)
    return partnership, [], progress_doubts(partnership, cycle, document) + unserved_stakeholder_doubts(partnership, document)


def log_anchors(log_dir: Path) -> list[str]:
    """The anchors of a log folder's entries, from their file names (as written, valid or not)."""
    paths, _ = listing(log_dir) if kind(log_dir) == FOLDER else ([], [])  # load_log reports what cannot be read
    return [slugify(path.stem) for path in paths if path.suffix == ".md"]


def load_log(log_dir: Path, known: KnownIds, root: Path) -> tuple[list[LogEntry], list[Problem]]:
    """Every entry in a partnership's log folder, checked against `known` ids."""
    if not os.path.lexists(log_dir):
        return [], []
    if (what := kind(log_dir)) != FOLDER:
        return [], [what if isinstance(what, Problem) else Problem(
            log_dir, 0, 0, "should be the folder of log entries, but is a file", "rename the file")]
    entries: list[LogEntry] = []
    paths, problems = listing(log_dir)
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


@dataclass(frozen=True)
class MarkdownSource:
    """A Markdown file with YAML front matter, parsed but not yet validated."""

    document: Document
    body: str
    body_line: int


def read_markdown_source(path: Path, root: Path, kind: str, first_keys: str) -> tuple[MarkdownSource | None, list[Problem]]:
    """Front matter and body of a Markdown source file; `kind` and `first_keys` word its messages."""
    text, problems = read_text(path, root)
    if text is None:
        return None, problems
    front_matter, body, problems = split_front_matter(text, path)
    if front_matter is None:
        return None, problems
    if not front_matter.strip():
        return None, [Problem(path, 1, 1, "front matter is empty", f"add at least {first_keys} between the `---` lines")]
    # The front matter's problems and the text's are reported together, and
    # with those validation finds (see `validated`): every problem at once.
    document, problems = parse_yaml(front_matter, path, first_line=2)
    body_line = front_matter.count("\n") + 3
    try:
        check_markdown(body)
    except PydanticCustomError as limit:
        problems.append(Problem(path, body_line, 1, f"the {kind}'s text: {limit}", "shorten the text or flatten its nesting"))
    if document is None:
        return None, problems
    return MarkdownSource(document, body.strip("\n"), body_line), problems


M = TypeVar("M", LogEntry, Practice, Partnership)


def validated(model: type[M], document: Document, problems: list[Problem], known: KnownIds) -> tuple[M | None, list[Problem]]:
    """The model of a parsed file, with the problems already found in it and validation's own."""
    result, found = validate_document(model, document, known)
    # A value YAML itself could not read is reported once, by the parser.
    parsed_at = {(problem.line, problem.column) for problem in problems}
    problems = problems + [problem for problem in found if (problem.line, problem.column) not in parsed_at]
    return (None if problems else result), problems


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


# --- Good practices ------------------------------------------------------------

TAGS_FILE = "tags.yml"
PRACTICE_FILE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
# Generated listing pages live beside the practices under these names.
RESERVED_PRACTICE_NAMES = frozenset({"index", "tags", "phases", "sectors"})


def load_practices(practices_dir: Path, cycle: Cycle, slugs: list[str],
                   root: Path) -> tuple[list[Practice], dict[str, str], list[Problem]]:
    """Every good practice in `practices_dir`, and the tag vocabulary they draw on."""
    if not os.path.lexists(practices_dir):
        return [], {}, []
    tags, problems = load_tags(practices_dir / TAGS_FILE, root)
    known = {**cycle.reference_ids(), "tag": list(tags), "partnership": slugs}
    practices: list[Practice] = []
    paths, found = listing(practices_dir)
    problems += found
    for path in paths:
        if path.name == TAGS_FILE:
            continue
        if isinstance(what := kind(path), Problem):
            problems.append(what)
            continue
        if what == FOLDER:
            # Everything here is published through the practice template or
            # not at all: a sub-folder's files would skip every check.
            problems.append(Problem(path, 0, 0, "the practices folder holds one .md file per practice, "
                                    "and no folders: files in a folder here would be published unchecked",
                                    "move each practice in it up into the practices folder, and anything "
                                    "else out of the docs"))
            continue
        if not PRACTICE_FILE_NAME.fullmatch(path.name) or path.stem in RESERVED_PRACTICE_NAMES:
            problems.append(Problem(
                path, 0, 0,
                "a practice's file name may only hold lowercase letters, digits and hyphens, end in .md, "
                f"and not be one of {', '.join(sorted(RESERVED_PRACTICE_NAMES))} (it becomes the page's address)",
                f"rename it to '{slugify(path.stem)}-practice.md'" if path.stem in RESERVED_PRACTICE_NAMES
                else f"rename it to '{slugify(path.stem)}.md'"))
            continue
        source, found = read_markdown_source(path, root, "practice", "`title:`, `summary:` and `steps:`")
        if source is None:
            problems += found
            continue
        practice, found = validated(Practice, source.document, found, known)
        found += check_practice_scope(source.document)
        problems += found
        if practice is None or found:
            continue
        practice._slug = path.stem
        practice._source = path
        practice._body = source.body
        named = set(practice.phases) | {cycle.locate(step)[0].id for step in practice.steps}
        practice._phase_ids = tuple(phase.id for phase in cycle.phases if phase.id in named)
        practices.append(practice)
    practices.sort(key=lambda practice: practice.title.casefold())
    return practices, tags, problems


def load_tags(path: Path, root: Path) -> tuple[dict[str, str], list[Problem]]:
    """The tag vocabulary of the practices: tag id to its meaning."""
    if not os.path.lexists(path):
        return {}, []
    text, problems = read_text(path, root)
    if text is None:
        return {}, problems
    document, problems = parse_yaml(text, path)
    if document is None or problems:
        return {}, problems
    if not isinstance(document.value, dict):
        return {}, [document.problem((), "the tag list must be `tag-id: what the tag means` lines",
                                     "write one tag per line, e.g. `monitoring: Measuring progress together`")]
    tags: dict[str, str] = {}
    for tag, meaning in document.value.items():
        if not ID_RE.fullmatch(tag):
            problems.append(document.problem((tag,), f"'{tag}' is not a valid tag id",
                                             "use lowercase letters, digits and hyphens", key=True))
        elif not isinstance(meaning, str) or not meaning.strip():
            problems.append(document.problem((tag,), f"tag '{tag}' needs a one-line meaning", f"write `{tag}: what the tag means`"))
        else:
            tags[tag] = meaning.strip()
    return tags, problems
