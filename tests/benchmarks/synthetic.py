"""Synthetic but realistic partnerships for the benchmark, made by varying the examples.

Every generated partnership is a copy of one of the example records in
`partnerships/` under a new slug and name, with its log grown to about
`LOG_ENTRIES` entries by re-dating copies of its own entries. Every free text
of a copy (a string of a few words or more, in the record, its reviews and its
log) is made its own, as texts in a real network are: a build that reuses work
for a text it has seen before (field_markdown keeps converted HTML) gains no
more here than it would there. Nothing here
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
    """A copy of the example partnership under another name, with texts of its own."""
    shutil.copytree(example, destination)
    mark = f"copy {variant}"
    record_path = destination / "partnership.yml"
    record = yaml.safe_load(record_path.read_text(encoding="utf-8"))
    name = record["name"]
    record = own_texts(record, mark)
    record["name"] = f"{name} {variant}"
    record_path.write_text(dump(record), encoding="utf-8")
    for review in sorted((destination / "reviews").glob("*.yml")):
        text = review.read_text(encoding="utf-8")
        # The schema comment on the first line stays (the dump would drop it).
        comment = text.split("\n", 1)[0] + "\n" if text.startswith("#") else ""
        review.write_text(comment + dump(own_texts(yaml.safe_load(text), mark)), encoding="utf-8")
    for entry in sorted((destination / "log").glob("*.md")):
        _, front_matter, body = entry.read_text(encoding="utf-8").split("---\n", 2)
        meta = own_texts(yaml.safe_load(front_matter), mark)
        entry.write_text(f"---\n{dump(meta)}---\n{own_body(body, mark)}", encoding="utf-8")


# Strings of fewer words are names, ids, dates, links and choices: left as they are,
# so references and formats stay valid.
TEXT_WORDS = 4


def own_texts(value, mark: str):
    """`value` (a loaded YAML document) with `mark` added to every free text in it."""
    if isinstance(value, dict):
        return {key: own_texts(item, mark) for key, item in value.items()}
    if isinstance(value, list):
        return [own_texts(item, mark) for item in value]
    if isinstance(value, str) and len(value.split()) >= TEXT_WORDS:
        if "\n" in value.strip():
            return own_body(value, mark)  # Markdown: a paragraph of its own, after a list or table too
        return f"{value.rstrip()} ({mark})"
    return value


def own_body(text: str, mark: str) -> str:
    """Markdown `text` with a last paragraph naming `mark`."""
    return f"{text.rstrip()}\n\nThis text is the benchmark's {mark}.\n"


def dump(document) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


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
    body = own_body(body, f"update {round_number}")
    stem = entry.stem[len("YYYY-MM-DD-"):] if entry.stem[:4].isdigit() else entry.stem
    copy = entry.with_name(f"{meta['date'].isoformat()}-{stem}-update-{round_number}.md")
    copy.write_text(f"---\n{dump(meta)}---\n{body}", encoding="utf-8")
    return copy
