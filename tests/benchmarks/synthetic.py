"""Synthetic but realistic partnerships for the benchmark, made by varying the examples.

Every generated partnership is a copy of one of the example records in
`partnerships/` under a new slug and name, with its log grown to about
`LOG_ENTRIES` entries by re-dating copies of its own entries. Nothing here
knows the record format: whatever fields the examples carry (monitoring,
reviews, anything added later) come along unchanged, and a record that no
longer validates shows up at once in the benchmark's first build.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

LOG_ENTRIES = 20
# Copies of a log entry are moved back in time by this many days each,
# so no generated entry is dated in the future (a warning under --strict).
REDATE_DAYS = 23


def write_partnerships(examples: Path, records_dir: Path, count: int) -> list[str]:
    """Fill `records_dir` with `count` partnerships; returns their slugs.

    The examples themselves come first, unchanged (the example practices name
    them), then variants of them in turn until there are `count`.
    """
    originals = sorted(folder for folder in examples.iterdir() if (folder / "partnership.yml").is_file())
    if count < len(originals):
        raise ValueError(f"at least {len(originals)} partnerships: the example practices name every example")
    records_dir.mkdir(parents=True, exist_ok=True)
    slugs = []
    for number in range(count):
        example = originals[number % len(originals)]
        variant = number // len(originals)
        slug = example.name if variant == 0 else f"{example.name}-{variant:03d}"
        if variant == 0:
            shutil.copytree(example, records_dir / slug)
        else:
            write_variant(example, records_dir / slug, variant)
        grow_log(records_dir / slug / "log", LOG_ENTRIES)
        slugs.append(slug)
    return slugs


def write_variant(example: Path, destination: Path, variant: int) -> None:
    """A copy of the example partnership under another name."""
    shutil.copytree(example, destination)
    record_path = destination / "partnership.yml"
    record = yaml.safe_load(record_path.read_text(encoding="utf-8"))
    record["name"] = f"{record['name']} {variant}"
    record_path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


def grow_log(log_dir: Path, wanted: int) -> None:
    """Add re-dated copies of the folder's entries until it holds `wanted` entries."""
    if not log_dir.is_dir():
        return
    entries = sorted(log_dir.glob("*.md"))
    round_number = 1
    while entries and len(list(log_dir.glob("*.md"))) < wanted:
        for entry in entries:
            if len(list(log_dir.glob("*.md"))) >= wanted:
                break
            copy_log_entry(entry, round_number)
        round_number += 1


def copy_log_entry(entry: Path, round_number: int) -> Path:
    """The entry again, `round_number` * REDATE_DAYS days earlier, with its own title and file name."""
    _, front_matter, body = entry.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front_matter)
    date = meta["date"] if isinstance(meta["date"], dt.date) else dt.date.fromisoformat(str(meta["date"]))
    meta["date"] = date - dt.timedelta(days=REDATE_DAYS * round_number)
    meta["title"] = f"{meta['title']} (update {round_number})"
    stem = entry.stem[len("YYYY-MM-DD-"):] if entry.stem[:4].isdigit() else entry.stem
    copy = entry.with_name(f"{meta['date'].isoformat()}-{stem}-update-{round_number}.md")
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    copy.write_text(f"---\n{dumped}---\n{body}", encoding="utf-8")
    return copy
