"""The whole handbook: the cycle and every partnership, loaded and validated in one go.

This is the single entry point from files to models, shared by the MkDocs
plugin and anything else (a command line, tests). It has no MkDocs imports.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .files import FOLDER, folders_resolved_once, inside, kind, listing
from .load import parse_yaml, read_text, read_yaml, slugify
from .log_files import LOG_DIR, load_log, log_anchors
from .model import DEFAULT_BUILDING_BLOCKS, ID_RE, Cycle, Partnership, Practice
from .clock import BadSourceDateEpoch, build_day
from .doubts import progress_doubts
from .practice_files import load_practices
from .problems import InvalidHandbook, Problem
from .slips import misplaced_progress_keys
from .source_files import validated
from .validate_monitoring import check_monitoring, unserved_stakeholder_doubts
from .review_files import REVIEW_DIR, load_reviews
from .urls import RESERVED_SLUGS
from .validate import KnownIds, check_cycle, reference_context, validate_document

RECORD_FILE = "partnership.yml"


def default_cycle_file() -> Path:
    """The four-phase cycle shipped with the package."""
    return Path(str(resources.files("msp_handbook") / "data" / "cycle.yml"))


def stylesheet() -> str:
    """CSS for generated pages, shipped with the package."""
    from .structure.dashboard import dashboard_labels_css  # structure imports this module

    return (resources.files("msp_handbook") / "data" / "msp-handbook.css").read_text(encoding="utf-8") \
        + dashboard_labels_css()


def script() -> str:
    """The script that sorts the dashboard by column, shipped with the package (see its comment)."""
    return (resources.files("msp_handbook") / "data" / "msp-handbook.js").read_text(encoding="utf-8")


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


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's collector of reference cycles held off while the handbook is read (or, in
    `validate`, while it is checked), then left as it was, also after an error.

    Loading makes a few hundred thousand objects (YAML nodes, values, models)
    that mostly stay alive, and the collector walks every live object each
    time their number has grown by a quarter: at 100 partnerships, a fifth of
    `validate`'s time. Garbage is still freed at once by reference counting;
    the rare cycle made meanwhile is collected once the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cycle_collection_paused()
@folders_resolved_once()
def load_handbook(records_dir: Path, cycle_file: Path | None = None, *, root: Path | None = None,
                  practices_dir: Path | None = None, today: dt.date | None = None,
                  building_blocks: dict[str, str] | None = None, only: str | None = None) -> Handbook:
    """Load the records under `records_dir` and the good practices in `practices_dir`.

    Raises InvalidHandbook listing every problem found. `root` is the
    repository: symbolic links may not lead out of it. `today` is the build
    date (see clock.py): no measured value may come after it. With `only`, a
    partnership's folder name, no other record is read (the serve preview).
    """
    today = today or _build_day()
    root = (root or records_dir.parent).resolve()
    cycle_path = cycle_file or default_cycle_file()
    cycle, problems = load_cycle(cycle_path, root if cycle_file else cycle_path.parent)
    if cycle is None:
        raise InvalidHandbook(problems)

    blocks = dict(building_blocks or DEFAULT_BUILDING_BLOCKS)
    partnerships: list[Partnership] = []
    warnings: list[Problem] = []
    folders, found = partnership_folders(records_dir)
    problems += found
    loading, found = previewed(folders, records_dir, only)
    problems += found
    for folder in loading:
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
        raise InvalidHandbook(problems, warnings)
    partnerships.sort(key=lambda p: p.name.casefold())
    return Handbook(cycle, tuple(partnerships), records_dir, tuple(practices), tags,
                    tuple(warnings + doubts(partnerships, today)), blocks)


def _build_day() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names (see clock.py)."""
    try:
        return build_day()
    except BadSourceDateEpoch as bad:
        raise InvalidHandbook([Problem(Path("SOURCE_DATE_EPOCH"), 0, 0, str(bad), bad.fix)]) from None


def partnership_folders(records_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The folders in the records folder (other files there, a README say, are left alone)."""
    if not os.path.lexists(records_dir):
        raise InvalidHandbook([Problem(records_dir, 0, 0, "the partnership records folder does not exist",
                                       "create it, or set `records_dir` for the partnerships plugin in mkdocs.yml")])
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


def previewed(folders: list[Path], records_dir: Path, only: str | None) -> tuple[list[Path], list[Problem]]:
    """The folders to load: all of them, or only the one previewed."""
    if only is None:
        return folders, []
    chosen = [folder for folder in folders if folder.name == only]
    if chosen:
        return chosen, []
    close = difflib.get_close_matches(only, [folder.name for folder in folders], n=1)
    return [], [Problem(records_dir / only, 0, 0, f"there is no partnership folder '{only}' to preview",
                        f"use the name of one of the folders in {records_dir.name}/"
                        + (f": did you mean '{close[0]}'?" if close else ""))]


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
    record_path = folder / RECORD_FILE
    wrong = _folder_problem(folder, root)
    if wrong is not None:
        return None, [wrong], []

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
    if partnership is None:
        return None, problems, []
    # The record's doubts do not depend on its log and reviews: reported beside their problems.
    doubtful = progress_doubts(partnership, cycle, document) + unserved_stakeholder_doubts(partnership, document)
    if problems:
        return None, problems, doubtful
    partnership._slug = slug
    partnership._source = record_path
    partnership._log = tuple(sorted(entries, key=lambda entry: (entry.date, entry.anchor), reverse=True))
    partnership._reviews = tuple(reviews)
    return partnership, [], doubtful


def _folder_problem(folder: Path, root: Path) -> Problem | None:
    """Why a folder in the records folder cannot be a partnership at all, if it cannot."""
    slug = folder.name
    if folder.is_symlink() and inside(folder, root) is not None:
        return Problem(folder, 0, 0, "is a symbolic link to a folder outside the repository",
                       "move the partnership's folder into the records folder")
    if not ID_RE.fullmatch(slug):
        return Problem(folder, 0, 0, f"folder name '{slug}' is not a valid partnership slug: it becomes the URL",
                       f"rename the folder to '{slugify(slug)}' (lowercase letters, digits, hyphens)")
    if slug in RESERVED_SLUGS:
        # Its pages or files would land where the site's own are (urls.py).
        return Problem(folder, 0, 0, f"folder name '{slug}' cannot be a partnership slug: {RESERVED_SLUGS[slug]}",
                       f"rename the folder, e.g. to '{slug}-partnership' (the slug is the partnership's URL)")
    record_path = folder / RECORD_FILE
    if not os.path.lexists(record_path):
        fix = f"create {RECORD_FILE} with at least `name: ...`"
        if (folder / "partnership.yaml").exists():
            fix = f"rename partnership.yaml to {RECORD_FILE}"
        return Problem(record_path, 0, 0, "the partnership record is missing", fix)
    return None
