"""A partnership's review files, `reviews/<date>.yml`: found, read, validated and checked.

Reviews are files of their own (one pull request per review) but refer to the
record's stakeholders and facilitators and to the site's building blocks, so
they are validated with the ids the record declares (as written) and the
building blocks of the site.
"""

from __future__ import annotations

from pathlib import Path

from .files import FILE, kind, optional_folder
from .load import read_yaml
from .model import Review
from .problems import Problem
from .validate import KnownIds, validate_document
from .validate_reviews import check_review, review_file_problem

REVIEW_DIR = "reviews"


def load_reviews(review_dir: Path, known: KnownIds, root: Path) -> tuple[list[Review], list[Problem]]:
    """Every review of a partnership, newest first, checked against `known` ids."""
    reviews: list[Review] = []
    paths, problems = optional_folder(review_dir, "review files")
    for path in paths:
        what = kind(path)
        wrong_name = what if isinstance(what, Problem) else review_file_problem(path) if what == FILE else Problem(
            path, 0, 0, "only review files (YYYY-MM-DD.yml) belong in a reviews folder", "move it elsewhere")
        if wrong_name is not None:
            problems.append(wrong_name)
            continue
        review, found = load_review(path, known, root)
        problems += found
        if review is not None:
            reviews.append(review)
    reviews.sort(key=lambda review: (review.date, review.source.name), reverse=True)
    return reviews, problems


def load_review(path: Path, known: KnownIds, root: Path) -> tuple[Review | None, list[Problem]]:
    """One review file: the review, or None with every problem found in it."""
    document, problems = read_yaml(path, root)
    if document is None:
        return None, problems
    review, problems = validate_document(Review, document, known)
    if review is None:
        return None, problems
    problems = check_review(review, document)
    if problems:
        return None, problems
    review._source = path
    review._date_line = document.position(("date",))[0]
    return review, []
