"""The good practices folder: one Markdown file per practice and the tag vocabulary (tags.yml).

Practices refer to the cycle's phases and steps, to tags and to partnerships
(by folder name, valid or not, so a broken record does not echo here).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .files import FOLDER, kind, listing
from .load import parse_yaml, read_text, slugify
from .model import ID_RE, Cycle, Practice
from .problems import Problem
from .source_files import read_markdown_source, validated
from .validate import KnownIds, check_practice_scope

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
    known: KnownIds = {**cycle.reference_ids(), "tag": list(tags), "partnership": slugs}
    practices: list[Practice] = []
    paths, found = listing(practices_dir)
    problems += found
    for path in paths:
        if path.name == TAGS_FILE:
            continue
        practice, found = load_practice(path, cycle, known, root)
        problems += found
        if practice is not None:
            practices.append(practice)
    practices.sort(key=lambda practice: practice.title.casefold())
    return practices, tags, problems


def load_practice(path: Path, cycle: Cycle, known: KnownIds, root: Path) -> tuple[Practice | None, list[Problem]]:
    """One entry of the practices folder: a practice, or the problems that keep it off the site."""
    if isinstance(what := kind(path), Problem):
        return None, [what]
    if what == FOLDER:
        # Everything here is published through the practice template or
        # not at all: a sub-folder's files would skip every check.
        return None, [Problem(path, 0, 0, "the practices folder holds one .md file per practice, "
                              "and no folders: files in a folder here would be published unchecked",
                              "move each practice in it up into the practices folder, and anything "
                              "else out of the docs")]
    if not PRACTICE_FILE_NAME.fullmatch(path.name) or path.stem in RESERVED_PRACTICE_NAMES:
        return None, [Problem(
            path, 0, 0,
            "a practice's file name may only hold lowercase letters, digits and hyphens, end in .md, "
            f"and not be one of {', '.join(sorted(RESERVED_PRACTICE_NAMES))} (it becomes the page's address)",
            f"rename it to '{slugify(path.stem)}-practice.md'" if path.stem in RESERVED_PRACTICE_NAMES
            else f"rename it to '{slugify(path.stem)}.md'")]
    source, problems = read_markdown_source(path, root, "practice", "`title:`, `summary:` and `steps:`")
    if source is None:
        return None, problems
    practice, problems = validated(Practice, source.document, problems, known)
    problems += check_practice_scope(source.document)
    if practice is None or problems:
        return None, problems
    practice._slug = path.stem
    practice._source = path
    practice._body = source.body
    named = set(practice.phases) | {cycle.locate(step)[0].id for step in practice.steps}
    practice._phase_ids = tuple(phase.id for phase in cycle.phases if phase.id in named)
    return practice, []


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
