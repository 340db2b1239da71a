"""Rules of a review file beyond its shape and references: its name, its dates, who may rate.

References (stakeholders, facilitators, building blocks) are checked by the
model itself (`Ref.person`, `Ref.building_block`); what is left here compares
parts of one review with each other and with its file name.
"""

from __future__ import annotations

import re
from pathlib import Path

from .load import Document
from .model import Review
from .problems import Problem

REVIEW_FILE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(-[a-z0-9]+(?:-[a-z0-9]+)*)?\.yml$")


def review_file_problem(path: Path) -> Problem | None:
    """A review file is named after its date: `2026-03-12.yml`, or `2026-03-12-<words>.yml`."""
    if REVIEW_FILE_NAME.match(path.name):
        return None
    return Problem(path, 0, 0, "a review's file name is its date, YYYY-MM-DD.yml (words may follow the date: "
                   "YYYY-MM-DD-<words>.yml, in lowercase with hyphens)",
                   "rename it after the day of the review, e.g. '2026-03-12.yml'")


def check_review(review: Review, document: Document) -> list[Problem]:
    """The date matches the file name, raters took part, and actions and the next review come after it."""
    problems: list[Problem] = []
    match = REVIEW_FILE_NAME.match(document.source.name)
    if match and match.group(1) != review.date.isoformat():
        problems.append(document.problem(
            ("date",), f"the file name says {match.group(1)} but `date:` is {review.date.isoformat()}",
            f"correct `date:`, or rename the file to '{review.date.isoformat()}{match.group(2) or ''}.yml'"))
    seen: set[str] = set()
    for index, ident in enumerate(review.participants):
        if ident in seen:
            problems.append(document.problem(("participants", index), f"'{ident}' is listed twice in participants",
                                             "keep one of the two"))
        seen.add(ident)
    for stakeholder in review.ratings:
        if stakeholder not in seen:
            problems.append(document.problem(
                ("ratings", stakeholder), f"'{stakeholder}' gave ratings but is not listed under participants",
                f"add '{stakeholder}' to `participants:`", key=True))
    for index, action in enumerate(review.actions):
        if action.due < review.date:
            problems.append(document.problem(
                ("actions", index, "due"), f"the action is due on {action.due}, before the review of {review.date} agreed it",
                "check the year and month of `due:`"))
    if review.next_review is not None and review.next_review <= review.date:
        problems.append(document.problem(
            ("next_review",), f"the next review ({review.next_review}) is not after this one ({review.date})",
            "give the date of the next review, after this one"))
    return problems
