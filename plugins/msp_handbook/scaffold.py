"""Starting files for a partnership, a log entry, a review and a good practice.

Each is valid as written (a test runs the validator on all three), with the
rest of the format shown as comments to fill in.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from string import Template

import yaml

from .practice_files import RESERVED_PRACTICE_NAMES
from .load import slugify
from .urls import RESERVED_SLUGS
from .model import ID_RE
from .schema import schema_file



class ScaffoldError(Exception):
    """The file cannot be created; the message says why."""


def _quoted(text: str) -> str:
    # JSON strings are valid YAML double-quoted strings, whatever they contain.
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def _schema_line(target: Path, kind: str, root: Path) -> str:
    """The comment that points editors at the schema, by a path inside the repository.

    In this repository that is the package's own copy; a handbook that installs
    msp-handbook gets a copy in `.msp-handbook/`, refreshed on each `new`.
    """
    shipped = schema_file(kind).resolve()
    if not shipped.is_relative_to(root.resolve()):
        copy = root / ".msp-handbook" / shipped.name
        copy.parent.mkdir(exist_ok=True)
        copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
        shipped = copy.resolve()
    relative = Path(os.path.relpath(shipped, target.parent.resolve())).as_posix()
    return f"# yaml-language-server: $schema={relative}\n"


def _write(path: Path, text: str) -> Path:
    if path.exists():
        raise ScaffoldError(f"{path} already exists; nothing was written (edit it, or choose another name)")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path


# Short words a title keeps in lowercase unless they come first.
_MINOR_WORDS = frozenset("a an and as at but by for from in into of on or the to with".split())


def name_from_slug(slug: str) -> str:
    """'lower-osun-river-clean-up' as 'Lower Osun River Clean Up': a partnership's
    name is a proper name, so every word but the small ones starts with a capital."""
    words = slug.split("-")
    return " ".join(word if index and word in _MINOR_WORDS else word[:1].upper() + word[1:]
                    for index, word in enumerate(words))


# A new record: only `name` set, the rest of the format as comments to fill in.
# string.Template, because the YAML shown uses braces ({date: ..., value: 0});
# `substitute` refuses a stray `$`, so the scaffold tests catch one.
_PARTNERSHIP_TEMPLATE = Template("""\
# The record of one partnership. Only `name` is required; fill in the rest as
# the partnership takes shape. Every key is explained on the site's Reference page.
name: ${name}
# summary: Two or three sentences on what the partnership does.
# started: ${today}
# phase: exploration          # exploration, building, running or sustaining
# vision: The joint vision, in the partners' own words.
# thematic_frame:
#   title: The overarching frame, e.g. a city's roadmap to clean water
#   sdg_targets: ["6.1", "17.17"]
# purposes:
#   - purpose: common-goal
#     statement: What this purpose means for us.
# stakeholders:
#   - id: city-water            # short id, used everywhere else in this file
#     name: City Water Utility
#     sector: public            # public, private, civil_society, academia or other
#     motivation: Why they take part (leave out to show the sector's typical motivation).
#     interests: [Reliable supply in the new districts]
#     contributions: [Network engineers]
#     concerns: [Cost recovery]
# facilitators:
#   - id: neutral-broker
#     name: A. Broker
#     kind: external            # internal or external
#     accepted_by: [city-water]
# governance:
#   decision_making: Consensus in the steering group.
#   bodies:
#     - id: steering-group
#       name: Steering group
#       members: [city-water, neutral-broker]
#   roles:
#     - task: Draft the monitoring plan
#       lead: city-water
#       body: steering-group
#       due: ${today}
# code_of_conduct:
#   principles:
#     - title: We speak openly
#       text: What this means for us.
#   endorsements:
#     - stakeholder: city-water
#       date: ${today}
#       by: Name, function
# cycle:
#   clarify-idea:
#     status: in-progress       # not-started, in-progress, done or skipped
#     date: ${today}
#     notes: What happened (Markdown allowed).
#     evidence:
#       - title: Meeting notes
#         url: https://example.org/notes
# goals:
#   - id: taps-for-all
#     title: Every household has a tap within 100 metres
#     level: outcome            # output, outcome or impact
#     serves: [city-water]      # stakeholders whose interests the goal serves
# indicators:
#   - id: households
#     goal: taps-for-all
#     name: Households with a tap
#     measure: number           # number, percentage, yes-no or text
#     unit: households
#     better: higher            # higher or lower
#     baseline: {date: ${today}, value: 0}
#     targets:
#       - {period: "${next_year}", start: ${next_year}-01-01, end: ${next_year}-12-31, value: 1000}
#     actuals:
#       - date: ${today}
#         value: 0
#         reported_by: [city-water]
#         verified_by: []           # optional: who checked the value
#         comment: How it was counted.
#         evidence: https://example.org/survey
""")


def new_partnership(records_dir: Path, slug: str, root: Path, name: str | None = None) -> Path:
    """Start a record; `name` as written, or made from the slug when not given."""
    if not ID_RE.fullmatch(slug):
        # Typing the name where the slug goes is the usual slip: show both in place.
        example = f"{slugify(slug)} --name {_quoted(slug if name is None else name)}"
        raise ScaffoldError(f"'{slug}' is not a valid slug: use lowercase letters, digits and hyphens, "
                            f"e.g. `new partnership {example}`")
    if slug in RESERVED_SLUGS:
        raise ScaffoldError(f"'{slug}' cannot be a partnership slug: {RESERVED_SLUGS[slug]}; "
                            f"choose another, e.g. `new partnership {slug}-partnership`")
    if name is not None and not name.strip():
        raise ScaffoldError("the name is empty: give the partnership's full name, or leave out --name")
    path = records_dir / slug / "partnership.yml"
    name = name if name is not None else name_from_slug(slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    today = dt.date.today()
    return _write(path, _schema_line(path, "partnership", root) + _PARTNERSHIP_TEMPLATE.substitute(
        name=_quoted(name), today=today.isoformat(), next_year=today.year + 1))


def new_log_entry(records_dir: Path, slug: str, title: str, date: dt.date | None = None,
                  root: Path | None = None) -> Path:
    """Write a dated log entry for an existing partnership and return its path."""
    folder = records_dir / slug
    if not (folder / "partnership.yml").is_file():
        known = sorted(p.name for p in records_dir.iterdir() if (p / "partnership.yml").is_file()) if records_dir.is_dir() else []
        raise ScaffoldError(f"there is no partnership '{slug}'; known: {', '.join(known) or 'none yet'}")
    if not title.strip():
        raise ScaffoldError("the title is empty: say in a few words what happened")
    date = date or dt.date.today()
    path = folder / "log" / f"{date.isoformat()}-{slugify(title)[:60].strip('-')}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Editors that read front matter use the schema line; for others it is a comment.
    schema = _schema_line(path, "log", root) if root else ""
    return _write(path, f"""\
---
{schema}date: {date.isoformat()}
title: {_quoted(title)}
# step: clarify-idea            # the phase, step or sub-step this is about
authors: []                     # e.g. [Amina Diallo]
# tags: [steering-group]
---
What happened, what was decided and what comes next. Markdown is allowed:
lists, **bold**, [links](https://example.org).
""")


def new_practice(practices_dir: Path, title: str, root: Path | None = None) -> Path:
    """Write a starter good-practice page named after its title and return its path."""
    if not title.strip():
        raise ScaffoldError("the title is empty: name the practice as a short instruction")
    slug = slugify(title)[:60].strip("-")
    if slug in RESERVED_PRACTICE_NAMES:
        slug += "-practice"  # those names belong to the catalogue's own pages
    path = practices_dir / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = _schema_line(path, "practice", root) if root else ""
    return _write(path, f"---\n{schema}" + practice_template(title))


def practice_template(title: str) -> str:
    """What `new practice` writes below the schema line; CONTRIBUTING.md shows the
    same text for contributors working in the browser (a test keeps them equal)."""
    return f"""\
title: {_quoted(title)}
summary: In one or two sentences, what the practice is and why it helps.
phases: [exploration]           # exploration, building, running, sustaining
# steps: [explore-partners]     # or, more precisely, step ids from the Reference page
# sectors: [public, private, civil_society]   # also academia, other
# tags: [facilitation]          # up to three, from content/practices/tags.yml
# time: two hours
# difficulty: easy              # easy, moderate or demanding
authors: []                     # e.g. [Your Name]
# partnerships: []              # slugs of partnerships in this handbook that applied it
---
## Why it helps

What problem it solves, and for whom.

## How to do it

1. Step by step, in your own words.

## What to watch out for

What can go wrong, and how to avoid it.

## Example

Where it was tried and what happened.
"""


def new_review(records_dir: Path, slug: str, blocks: dict[str, str], date: dt.date | None = None,
               root: Path | None = None) -> Path:
    """Write a review file for an existing partnership, its stakeholders listed, and return its path."""
    record = records_dir / slug / "partnership.yml"
    if not record.is_file():
        known = sorted(p.name for p in records_dir.iterdir() if (p / "partnership.yml").is_file()) if records_dir.is_dir() else []
        raise ScaffoldError(f"there is no partnership '{slug}'; known: {', '.join(known) or 'none yet'}")
    stakeholders = _stakeholder_ids(record)
    if not stakeholders:
        raise ScaffoldError(f"{record} lists no stakeholders yet: a review is rated by them, so add them first")
    date = date or dt.date.today()
    path = record.parent / "reviews" / f"{date.isoformat()}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = _schema_line(path, "review", root) if root else ""
    rating_lines = "\n".join(
        f"#   {ident}: {{{', '.join(f'{block}: amber' for block in blocks)}}}" for ident in stakeholders)
    later = (date + dt.timedelta(days=182)).isoformat()
    return _write(path, schema + f"""\
# A review of the partnership: each participating stakeholder rates each
# building block green, amber or red; together the partners agree a statement
# and actions. Every key is explained on the site's Reference page.
date: {date.isoformat()}
# title: Annual review {date.year}
participants: [{', '.join(stakeholders)}]   # remove who was absent; add facilitator ids
# Replace `ratings: {{}}` with one line per participant, e.g.:
# ratings:
{rating_lines}
ratings: {{}}
# comments:
#   - by: {stakeholders[0]}
#     block: {next(iter(blocks))}
#     text: What they said about it.
statement: |-
  The joint statement on progress, as the partners agreed it. Markdown is allowed.
actions: []
# actions:
#   - task: What was agreed
#     owner: {stakeholders[0]}        # a stakeholder or facilitator id
#     due: {later}
#     status: open                # open, in-progress, done or dropped
# next_review: {later}
""")


def _stakeholder_ids(record: Path) -> list[str]:
    try:
        document = yaml.safe_load(record.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ScaffoldError(f"{record} cannot be read ({error}); run `msp-handbook validate` first") from None
    entries = document.get("stakeholders") if isinstance(document, dict) else None
    return [entry["id"] for entry in entries or [] if isinstance(entry, dict) and isinstance(entry.get("id"), str)]
