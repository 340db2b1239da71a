"""A corpus of broken inputs: each is refused at its file and line, and costs nothing.

Issue 5: every YAML error class, every reference error and every file-level
failure (empty, non-UTF-8, binary, huge, alias bomb, symbolic link out of the
repository, a slug trying `..`) must give its message with file and line,
make `mkdocs build --strict` exit non-zero without a traceback, and leave an
existing site/ byte for byte as it was.

The example handbook is built once, and a copy of it with Tamberu alone;
each case mutates a copy of one of them (site/ included) as little as it
can, then runs the real command line in it: a case about practices the
whole example (practices name the other partnerships), any other case,
which changes Tamberu's files or the site's own, the smaller one. Expected positions are computed from the text the case writes,
never counted by hand. The builds of all selected cases run a few at a time
in the background, so the whole corpus stays within a minute or so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

import commands
from sitebuild import REPO, build_site, copy_project, digest

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# `mkdocs build --strict` in a process of its own (see commands.py).
BUILD = ["mkdocs", "build", "--strict"]
# A failing build stops while loading the records, in a second or two. A build
# still running after this long is hung (an alias bomb expanding instead of being
# refused, a named pipe being read): the test fails as a hang, it does not time
# a working build. Generous, so a busy machine never trips it.
HANG = 120

TAMBERU = "partnerships/tamberu-taps-for-all"
RECORD = f"{TAMBERU}/partnership.yml"
LOG_ENTRY = f"{TAMBERU}/log/2025-11-19-first-ward-dialogue.md"
PRACTICE = "content/practices/publish-a-quarterly-dashboard.md"
TAGS = "content/practices/tags.yml"
CYCLE = "my-cycle.yml"


# --- Where a problem is expected ------------------------------------------------


@dataclass(frozen=True)
class At:
    """The position of `snippet` (its `nth` occurrence) in the mutated file;
    with `after`, of the first character following `after` inside the snippet."""

    snippet: str
    after: str = ""
    nth: int = 1

    def resolve(self, path: Path) -> tuple[int, int]:
        # surrogateescape: a non-UTF-8 byte still counts as one character, as
        # the plugin counts columns.
        text = path.read_bytes().decode("utf-8", errors="surrogateescape")
        index = -1
        for _ in range(self.nth):
            index = text.find(self.snippet, index + 1)
            assert index >= 0, f"{self.snippet!r} (occurrence {self.nth}) not in {path}"
        if self.nth == 1:
            assert text.count(self.snippet) == 1, f"{self.snippet!r} is ambiguous in {path}"
        if self.after:
            index += self.snippet.index(self.after) + len(self.after)
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        return line, column


def line_of(path: Path, snippet: str) -> int:
    return At(snippet).resolve(path)[0]


Mutation = Callable[[Path, Path], None]  # (project, outside): change the project


class Case(NamedTuple):
    id: str
    mutate: Mutation
    file: str  # relative to the project, as the message names it
    line: int | At  # 0: the whole file
    column: int | None  # None: from `line` when it is an `At`
    message: str | Callable[[Path], str]  # the message's start, or computed from the project
    fix: str = ""  # a substring of the fix printed under the message


# --- Mutations ------------------------------------------------------------------


def replace(relative: str, old: str, new: str) -> Mutation:
    """Replace the first `old` in a file, which must contain it."""
    def mutate(project: Path, outside: Path) -> None:
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mutate


def write(relative: str, content: str | bytes) -> Mutation:
    def mutate(project: Path, outside: Path) -> None:
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return mutate


def patch_bytes(relative: str, old: bytes, new: bytes) -> Mutation:
    def mutate(project: Path, outside: Path) -> None:
        path = project / relative
        raw = path.read_bytes()
        assert old in raw
        path.write_bytes(raw.replace(old, new, 1))
    return mutate


def copy_folder(relative: str, destination: str) -> Mutation:
    def mutate(project: Path, outside: Path) -> None:
        shutil.copytree(project / relative, project / destination)
    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(project: Path, outside: Path) -> None:
        for mutation in mutations:
            mutation(project, outside)
    return mutate


def pad_to(relative: str, size: int) -> Mutation:
    """Grow a file to exactly `size` bytes with a trailing YAML comment."""
    def mutate(project: Path, outside: Path) -> None:
        path = project / relative
        raw = path.read_bytes() + b"# "
        path.write_bytes(raw + b"x" * (size - len(raw) - 1) + b"\n")
        assert path.stat().st_size == size
    return mutate


def record_links_outside(project: Path, outside: Path) -> None:
    target = outside / "partnership.yml"
    shutil.copy(project / RECORD, target)
    (project / RECORD).unlink()
    (project / RECORD).symlink_to(target)


def folder_links_outside(project: Path, outside: Path) -> None:
    target = outside / "elsewhere"
    shutil.copytree(project / TAMBERU, target)
    (project / "partnerships" / "elsewhere").symlink_to(target, target_is_directory=True)


def log_entry_links_outside(project: Path, outside: Path) -> None:
    target = outside / "entry.md"
    target.write_text("---\ndate: 2026-11-01\ntitle: Borrowed\n---\nText from elsewhere\n", encoding="utf-8")
    (project / TAMBERU / "log" / "2026-11-01-borrowed.md").symlink_to(target)


def practice_links_outside(project: Path, outside: Path) -> None:
    target = outside / "secret.md"
    target.write_text("---\ntitle: Secret\nsummary: S\nsteps: [clarify-idea]\n---\nNot for the site\n", encoding="utf-8")
    (project / "content/practices/borrowed.md").symlink_to(target)


def record_renamed_to_yaml(project: Path, outside: Path) -> None:
    (project / RECORD).rename(project / TAMBERU / "partnership.yaml")


def custom_cycle_with_duplicate_step(project: Path, outside: Path) -> None:
    text = (REPO / "plugins/msp_handbook/data/cycle.yml").read_text(encoding="utf-8")
    old = "      - id: test-common-ground\n"
    assert text.count(old) == 1
    (project / CYCLE).write_text(text.replace(old, "      - id: clarify-idea\n"), encoding="utf-8")
    replace("mkdocs.yml", "      records_dir: partnerships\n",
            f"      records_dir: partnerships\n      cycle_file: {CYCLE}\n")(project, outside)


def without_lines(relative: str, *starts: str) -> Mutation:
    def mutate(project: Path, outside: Path) -> None:
        path = project / relative
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(starts)]
        assert len(kept) == len(lines) - len(starts)
        path.write_text("".join(kept), encoding="utf-8")
    return mutate


# Built node by node, the record below expands to 10**9 values. Counting the
# values the loader builds, in order: the document and `name` (2), l1 (11),
# l2 (111), l3 (1,111), l4 (11,111) make 12,346; l5's list 12,347; three
# copies of l4 45,680; the fourth l4 list 45,681 and three l3 49,014; the
# fourth l3 list 49,015 and eight l2 49,903; the ninth l2 list 49,904 and
# eight l1 49,992; the ninth l1 list 49,993 and v1..v7 50,000. So the
# 50,001st value, where the loader must stop, is v8.
ALIAS_BOMB = "name: Alias bomb\nl1: &l1 [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10]\n" + "".join(
    f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]\n" for level in range(2, 10)
)
TOO_DEEP = "name: " + "[" * 45 + "]" * 45 + "\n"
NESTED_LIST = "".join("  " * level + "- x\n" for level in range(60))


def named_pipe(relative: str) -> Mutation:
    """Replace a file with a named pipe: reading it would wait for ever."""
    def mutate(project: Path, outside: Path) -> None:
        path = project / relative
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    return mutate


def link_loop(relative: str) -> Mutation:
    """Replace a file with a symbolic link to itself."""
    def mutate(project: Path, outside: Path) -> None:
        path = project / relative
        path.unlink(missing_ok=True)
        path.symlink_to(path.name)
    return mutate


def new_log_entry(name: str, text: str | bytes) -> Mutation:
    return write(f"{TAMBERU}/log/{name}", text)


# --- The corpus -----------------------------------------------------------------

CASES = [
    # YAML: syntax and the parts of YAML a record may not use.
    Case("yaml-syntax-error", replace(RECORD, "name: Tamberu Taps", "name: Tamberu: Taps"), RECORD,
         At("name: Tamberu: Taps", after="name: Tamberu"), None, "YAML syntax error: mapping values are not allowed"),
    Case("yaml-unclosed-quote", replace(RECORD, 'extension is built."\n', 'extension is built.\n'), RECORD,
         # The parser gives up lines later, at the next quote; the mistake is the quote that opens the summary.
         At('summary: "', after="summary: "), None, 'YAML syntax error: the quote " that starts this value is not closed',
         'close the quote: add " after the last word'),
    Case("yaml-key-indented-one-space-less",
         replace(RECORD, "    status: done\n    date: 2025-06-20", "    status: done\n   date: 2025-06-20"), RECORD,
         At("   date: 2025-06-20", after="   "), None, "YAML syntax error: this line is indented 3 spaces",
         "indent it by 4 spaces"),
    Case("yaml-key-indented-as-a-step", replace(RECORD, "    notes: The idea was presented", "  notes: The idea was presented"),
         RECORD, At("  notes: The idea was presented", after="  "), None,
         "'notes' belongs to the step 'test-common-ground' above it, but is indented as a step of its own"),
    Case("yaml-tab-indentation", replace(RECORD, "\n  - id: city-hall\n", "\n\t- id: city-hall\n"), RECORD,
         At("\t- id: city-hall"), None, "YAML syntax error: ", "indent with spaces, not tabs"),
    Case("yaml-undefined-alias", replace(RECORD, "phase: building", "phase: *current"), RECORD,
         At("*current"), None, "YAML syntax error: found undefined alias"),
    Case("yaml-two-documents", replace(RECORD, "\nvision:", "\n---\nvision:"), RECORD,
         At("---\nvision:"), None, "YAML syntax error: expected a single document in the stream"),
    Case("yaml-duplicate-key", replace(RECORD, "phase: building\n", "phase: building\nstarted: 2025-07-01\n"), RECORD,
         At("started: 2025-07-01"), None,
         lambda project: f"duplicate key 'started' (first given on line {line_of(project / RECORD, 'started: 2025-06-02')})"),
    Case("yaml-merge-key", replace(RECORD, "    sector: public\n    representative: Mr. Daudi",
                                   "    <<: {sector: public}\n    representative: Mr. Daudi"), RECORD,
         At("<<:"), None, "merge keys (<<) are not supported"),
    Case("yaml-binary-tag", replace(RECORD, "phase: building", "phase: !!binary YnVpbGRpbmc="), RECORD,
         At("!!binary"), None, "the YAML tag 'tag:yaml.org,2002:binary' is not supported"),
    Case("yaml-key-not-text", replace(RECORD, "\nvision:", "\n? [a, b]\n: c\nvision:"), RECORD,
         At("[a, b]"), None, "a key must be plain text"),
    Case("yaml-top-level-list", write(RECORD, "- name: Tamberu Taps for All\n"), RECORD,
         1, 1, "must be a set of `key: value` lines at the top level"),
    Case("yaml-nested-too-deep", write(RECORD, TOO_DEEP), RECORD,
         # The document is depth 0 and `name`'s outer list depth 1: the 41st '[' is one level too deep.
         At(TOO_DEEP, after="name: " + "[" * 40), None, "the YAML is nested more than 40 levels deep"),
    Case("yaml-alias-bomb", write(RECORD, ALIAS_BOMB), RECORD,
         At("v8"), None, "the YAML expands to more than 50,000 values, which no record needs"),

    Case("yaml-sexagesimal-number", replace(RECORD, "value: 2410", "value: 40:10"), RECORD,
         At("40:10"), None, "YAML would read '40:10' as 2410", "put it in quotes: '40:10'"),
    Case("yaml-yes-as-text", replace(RECORD, "phase: building", "phase: yes"), RECORD,
         At("phase: yes", after="phase: "), None, "YAML would read 'yes' as true"),
    Case("yaml-octal-number", replace(RECORD, "value: 2410", "value: 02410"), RECORD,
         At("02410"), None, "YAML would read '02410' as 1288"),
    Case("yaml-tag-on-list", replace(RECORD, "\nstakeholders:\n", "\nstakeholders: !!omap\n"), RECORD,
         At("!!omap"), None, "the YAML tag 'tag:yaml.org,2002:omap' is not supported"),
    Case("yaml-tag-on-mapping", replace(RECORD, "\nthematic_frame:\n", "\nthematic_frame: !frame\n"), RECORD,
         At("!frame"), None, "the YAML tag '!frame' is not supported"),
    Case("yaml-tag-on-key", replace(RECORD, "\nvision:", "\n!!str vision:"), RECORD,
         At("!!str vision"), None, "the YAML tag 'tag:yaml.org,2002:str' is not supported"),
    Case("yaml-escaped-control-character", replace(RECORD, "name: Tamberu Taps for All", 'name: "Tamberu \\e[31mTaps"'),
         RECORD, At('"Tamberu'), None, "contains the control character U+001B"),
    Case("yaml-escaped-next-line", replace(LOG_ENTRY, "title: First ward dialogue agrees three issues to tackle",
                                               'title: "First \\u0085ward dialogue agrees three issues to tackle"'),
         LOG_ENTRY, At('"First'), None, "contains the control character U+0085"),
    Case("byte-order-mark-inside", replace(RECORD, "\nvision:", "\n\ufeffvision:"), RECORD,
         At("\ufeffvision"), None, "contains a byte-order mark (U+FEFF, invisible) here"),

    # Shape: keys, types, enumerations, formats.
    Case("unknown-key-did-you-mean", replace(RECORD, "    representative: Eng. Halima", "    represntative: Eng. Halima"),
         RECORD, At("represntative:"), None, "unknown key 'represntative' — did you mean 'representative'?"),
    Case("list-where-text-expected", replace(RECORD, "name: Tamberu Taps for All", "name: [Tamberu, Taps]"), RECORD,
         At("[Tamberu, Taps]"), None, "'name' must be text, not a list"),
    Case("text-where-list-expected", replace(RECORD, 'sdg_targets: ["6.1", "6.4", "11.1", "17.17"]',
                                             "sdg_targets: 6.1 and 6.4"), RECORD,
         At("6.1 and 6.4"), None, "'thematic_frame.sdg_targets' must be a list, not '6.1 and 6.4'"),
    Case("text-where-number-expected", replace(RECORD, "value: 2410", "value: lots"), RECORD,
         At("value: lots", after="value: "), None, "'indicators[1].actuals[3].value' is 'lots', not a number"),
    Case("bad-sector", replace(RECORD, "sector: public", "sector: publik"), RECORD,
         At("publik"), None, "'publik' is not a valid 'stakeholders[1].sector' — did you mean 'public'?"),
    Case("bad-status", replace(RECORD, "status: in-progress", "status: in-progres"), RECORD,
         At("in-progres\n"), None, "'in-progres' is not a valid 'cycle.clarify-roles.status' — did you mean 'in-progress'?"),
    Case("impossible-date", replace(RECORD, "started: 2025-06-02", "started: 2024-02-30"), RECORD,
         At("2024-02-30"), None, "'2024-02-30' looks like a date but is not a real calendar date"),
    Case("date-as-text", replace(RECORD, "started: 2025-06-02", "started: soon"), RECORD,
         At("soon\n"), None, "'started': 'soon' is not a date: write it as YYYY-MM-DD"),
    Case("missing-name", without_lines(RECORD, "name: Tamberu Taps for All"), RECORD,
         # The record then starts (after its two comment lines) at `summary:`.
         At("summary:"), None, "missing required key 'name'"),
    Case("invalid-id", replace(RECORD, "  - id: city-hall", "  - id: City_Hall"), RECORD,
         At("City_Hall"), None, "'stakeholders[2].id': 'City_Hall' is not a valid id"),
    Case("bad-sdg-target", replace(RECORD, '"17.17"', '"18.1"'), RECORD,
         At('"18.1"'), None, "'thematic_frame.sdg_targets[4]': '18.1' is not an SDG target"),
    Case("javascript-url", replace(RECORD, "url: https://tamberu-taps.example.org/docs/context-note-2025.pdf",
                                   'url: "javascript:alert(1)"'), RECORD,
         At('"javascript:'), None,
         "'cycle.understand-context.evidence[1].url': 'javascript:alert(1)' is not an allowed link"),
    Case("data-url", replace(RECORD, "website: https://tamberu-water.example.org", 'website: "data:text/html,hi"'), RECORD,
         At('"data:'), None, "'stakeholders[1].website': 'data:text/html,hi' is not an allowed link"),

    # Whole files that cannot be used as text at all.
    Case("control-character", replace(RECORD, "name: Tamberu Taps", "name: Tamberu \x1b[31mTaps"), RECORD,
         At("\x1b"), None, "contains the invisible control character U+001B"),
    Case("not-utf8", patch_bytes(RECORD, b"name: Tamberu Taps for All", b"name: Tamberu Taps f\xfcr All"), RECORD,
         At("f\udcfcr", after="f"), None, "is not valid UTF-8 text (byte 0xFC)"),
    Case("binary-file", write(LOG_ENTRY, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"), LOG_ENTRY,
         0, None, "is a binary file, not text"),
    Case("empty-record", write(RECORD, ""), RECORD, 0, None, "is empty"),
    Case("comment-only-record", write(RECORD, "# Tamberu Taps for All: to be written\n"), RECORD,
         1, 1, "contains no YAML values"),
    Case("huge-record", pad_to(RECORD, 1_000_001), RECORD,
         0, None, "is 1,000,001 bytes; source files are limited to 1,000,000 bytes"),
    Case("record-symlink-outside", record_links_outside, RECORD, 0, None,
         lambda project: f"is a symbolic link to {(project.parent / 'outside/partnership.yml').resolve()}, outside the repository"),
    Case("log-entry-symlink-outside", log_entry_links_outside, f"{TAMBERU}/log/2026-11-01-borrowed.md", 0, None,
         lambda project: f"is a symbolic link to {(project.parent / 'outside/entry.md').resolve()}, outside the repository"),
    Case("folder-symlink-outside", folder_links_outside, "partnerships/elsewhere",
         0, None, "is a symbolic link to a folder outside the repository"),
    Case("slug-with-dots", write("partnerships/a..b/partnership.yml", "name: Dots\n"), "partnerships/a..b",
         0, None, "folder name 'a..b' is not a valid partnership slug"),
    # The dashboard's filter pages live in /partnerships/sector/: no partnership may be called that.
    Case("slug-of-a-filter-folder", copy_folder(TAMBERU, "partnerships/sector"), "partnerships/sector",
         0, None, "folder name 'sector' cannot be a partnership slug: /partnerships/sector/ holds the dashboard's "
         "pages filtered by sector", "rename the folder, e.g. to 'sector-partnership'"),
    Case("practice-partnership-dotdot", replace(PRACTICE, "partnerships: [sarvana-fair-garments, alder-valley-community-energy]",
                                                'partnerships: ["../tamberu-taps-for-all"]'), PRACTICE,
         At('"../'), None, "'partnerships[1]': '../tamberu-taps-for-all' is not a valid id"),
    Case("record-named-pipe", named_pipe(RECORD), RECORD, 0, None, "is a named pipe, not a file"),
    Case("log-entry-named-pipe", named_pipe(LOG_ENTRY), LOG_ENTRY, 0, None, "is a named pipe, not a file"),
    Case("practice-named-pipe", named_pipe(PRACTICE), PRACTICE, 0, None, "is a named pipe, not a file"),
    Case("log-entry-link-loop", link_loop(LOG_ENTRY), LOG_ENTRY, 0, None, "is a symbolic link that leads round in a loop"),
    Case("tags-link-loop", link_loop(TAGS), TAGS, 0, None, "is a symbolic link that leads round in a loop"),
    Case("practice-symlink-outside", practice_links_outside, "content/practices/borrowed.md", 0, None,
         lambda project: f"is a symbolic link to {(project.parent / 'outside/secret.md').resolve()}, outside the repository"),
    Case("practice-sub-folder", write("content/practices/more/page.md", "<script>alert(1)</script>\n"),
         "content/practices/more", 0, None, "the practices folder holds one .md file per practice, and no folders"),
    # MkDocs itself would wait for ever on a named pipe among the docs, after emptying site/.
    Case("docs-named-pipe", named_pipe("content/guide/waiting.md"), "content/guide/waiting.md", 0, None,
         "is a named pipe, not a file"),
    Case("docs-folder-link-loop", lambda project, outside: (project / "content/guide/again").symlink_to(".."),
         "content/guide/again", 0, None, "is a symbolic link to a folder that contains it, a loop"),
    Case("record-missing", record_renamed_to_yaml, RECORD,
         0, None, "the partnership record is missing", "rename partnership.yaml to partnership.yml"),

    # Log entries.
    Case("log-not-markdown", write(f"{TAMBERU}/log/notes.txt", "Remember the minutes\n"), f"{TAMBERU}/log/notes.txt",
         0, None, "only Markdown files (.md) belong in a log folder"),
    Case("log-without-front-matter", new_log_entry("2026-11-01-no-front-matter.md", "Just some text\n"),
         f"{TAMBERU}/log/2026-11-01-no-front-matter.md", 1, 1, "does not start with front matter"),
    Case("log-unclosed-front-matter", new_log_entry("2026-11-01-unclosed.md", "---\ndate: 2026-11-01\ntitle: Open\nBody\n"),
         f"{TAMBERU}/log/2026-11-01-unclosed.md", 1, 1, "front matter is not closed"),
    Case("log-empty-front-matter", new_log_entry("2026-11-01-blank.md", "---\n---\nBody\n"),
         f"{TAMBERU}/log/2026-11-01-blank.md", 1, 1, "front matter is empty"),
    Case("log-missing-title", new_log_entry("2026-11-01-untitled.md", "---\ndate: 2026-11-01\n---\nBody\n"),
         f"{TAMBERU}/log/2026-11-01-untitled.md", 2, 1, "missing required key 'title'"),
    Case("log-file-name", new_log_entry("2026-11-01 Big News.md", "---\ndate: 2026-11-01\ntitle: Big\n---\nBody\n"),
         f"{TAMBERU}/log/2026-11-01 Big News.md", 0, None,
         "a log entry's file name may only hold lowercase letters", "rename it to '2026-11-01-big-news.md'"),
    Case("log-same-anchor", both(new_log_entry("2026-11-01-a-b.md", "---\ndate: 2026-11-01\ntitle: One\n---\nBody\n"),
                                 new_log_entry("2026-11-01-a_b.md", "---\ndate: 2026-11-01\ntitle: Two\n---\nBody\n")),
         # Files are read in name order, and '-' sorts before '_'.
         f"{TAMBERU}/log/2026-11-01-a_b.md", 0, None, "has the same web anchor '#2026-11-01-a-b' as 2026-11-01-a-b.md"),
    Case("log-unknown-step", replace(LOG_ENTRY, "step: first-dialogue", "step: first-dialog"), LOG_ENTRY,
         At("step: first-dialog\n", after="step: "), None,
         "unknown phase or step 'first-dialog' in step — did you mean 'first-dialogue'?"),
    Case("log-markdown-too-deep", replace(LOG_ENTRY, "Next step: bilateral", NESTED_LIST + "\nNext step: bilateral"), LOG_ENTRY,
         # Reported where the entry's text starts, below the front matter.
         At("---\nForty-eight", after="---\n"), None, "the log entry's text: a line starts with 26 characters"),
    Case("log-file-name-date-differs", replace(LOG_ENTRY, "date: 2025-11-19", "date: 2025-11-20"), LOG_ENTRY,
         At("date: 2025-11-20", after="date: "), None, "`date:` says 2025-11-20, but the file name says 2025-11-19",
         "correct `date:`, or rename the file to '2025-11-20-first-ward-dialogue.md'"),
    Case("log-markdown-list-markers", replace(LOG_ENTRY, "Next step: bilateral", "- " * 1000 + "x\n\nNext step: bilateral"),
         # Once a recursion error in the renderer; bounded by the same check wherever the build starts.
         LOG_ENTRY, At("---\nForty-eight", after="---\n"), None, "the log entry's text: a line starts with 2000 characters"),

    # References between the parts of a record.
    Case("unknown-endorser", replace(RECORD, "- stakeholder: tpu-civil", "- stakeholder: tpu-civl"), RECORD,
         At("tpu-civl"), None, "unknown stakeholder 'tpu-civl' in endorsements"),
    Case("unknown-accepted-by", replace(RECORD, "aquameter, tpu-civil]\n", "aqua-meter, tpu-civil]\n"), RECORD,
         At("aqua-meter"), None, "unknown stakeholder 'aqua-meter' in accepted_by"),
    Case("unknown-body-member", replace(RECORD, "[tpu-civil, residents-forum, aquameter]", "[tpu-civil, residents-forum, aquameterr]"),
         RECORD, At("aquameterr"), None, "unknown stakeholder or facilitator 'aquameterr' in members"),
    Case("unknown-role-lead", replace(RECORD, "lead: tpu-civil", "lead: tpu"), RECORD,
         At("lead: tpu\n", after="lead: "), None, "unknown stakeholder or facilitator 'tpu' in roles"),
    Case("unknown-role-body", replace(RECORD, "body: monitoring-team", "body: monitoring-teem"), RECORD,
         At("monitoring-teem"), None, "unknown governance body 'monitoring-teem' in roles"),
    Case("unknown-cycle-step", replace(RECORD, "  review-partnership:", "  review-partnershp:"), RECORD,
         At("review-partnershp:"), None, "unknown cycle step 'review-partnershp' in cycle"),
    Case("unknown-phase", replace(RECORD, "phase: building", "phase: bulding"), RECORD,
         At("bulding"), None, "unknown phase 'bulding' in phase; known: building, exploration, running, sustaining"),
    Case("duplicate-stakeholder-id", replace(RECORD, "  - id: city-hall", "  - id: tamberu-water"), RECORD,
         At("- id: tamberu-water", after="- id: ", nth=2), None, "id 'tamberu-water' is used twice (also in stakeholders)"),
    Case("reserved-stakeholder-id", replace(RECORD, "  - id: aquameter", "  - id: facilitators"), RECORD,
         At("id: facilitators", after="id: "), None, "id 'facilitators' is reserved"),

    # Good practices and their tag list.
    Case("practice-unknown-tag", replace(PRACTICE, "tags: [communication, monitoring]", "tags: [communication, monitorng]"),
         PRACTICE, At("monitorng"), None, "unknown tag 'monitorng' in tags"),
    Case("practice-unknown-step", replace(PRACTICE, "implement-monitor-evaluate]", "implement-monitor-evaluat]"), PRACTICE,
         At("implement-monitor-evaluat]"), None, "unknown cycle step 'implement-monitor-evaluat' in steps"),
    Case("practice-unknown-partnership", replace(PRACTICE, "[sarvana-fair-garments,", "[sarvana-fair-garment,"), PRACTICE,
         At("sarvana-fair-garment,"), None, "unknown partnership 'sarvana-fair-garment' in partnerships"),
    Case("practice-too-many-tags", replace(PRACTICE, "tags: [communication, monitoring]",
                                           "tags: [communication, monitoring, evaluation, governance]"), PRACTICE,
         At("[communication, monitoring, evaluation"), None, "'tags' has 4 entries; at most 3 are allowed"),
    Case("practice-no-phase-or-step", without_lines(PRACTICE, "steps:", "phases:"), PRACTICE,
         At("title:"), None, "a practice must name at least one phase or step of the cycle"),
    Case("tags-invalid-id", replace(TAGS, "\nmonitoring:", "\nBad_Tag: Something else.\nmonitoring:"), TAGS,
         At("Bad_Tag:"), None, "'Bad_Tag' is not a valid tag id"),

    # A site's own cycle.
    Case("custom-cycle-duplicate-step", custom_cycle_with_duplicate_step, CYCLE,
         At("- id: clarify-idea", after="- id: ", nth=2), None, "id 'clarify-idea' is used twice in the cycle"),
]


# --- Running the corpus ---------------------------------------------------------


class Outcome(NamedTuple):
    project: Path
    returncode: int
    stdout: str
    stderr: str


def on_the_whole_example(case: Case) -> bool:
    """A case about practices needs the whole example: they name the other partnerships."""
    return case.file.startswith("content/practices/")


@pytest.fixture(scope="module")
def built(example_project, tmp_path_factory) -> dict[bool, tuple[Path, dict[str, str]]]:
    """By on_the_whole_example: the example handbook (built once for the whole run) or a copy
    with Tamberu alone, built for this module; each with the digest of its site/."""
    alone = copy_project(tmp_path_factory.mktemp("tamberu-alone") / "project", only=TAMBERU.split("/")[1])
    build_site(alone)
    projects = {}
    for whole, project in ((True, example_project), (False, alone)):
        before = digest(project / "site")
        assert len(before) > 50
        projects[whole] = project, before
    return projects


def run_case(case: Case, built_project: Path, base: Path) -> Outcome:
    project = base / "project"
    outside = base / "outside"
    outside.mkdir(parents=True)
    shutil.copytree(built_project, project, symlinks=True)
    case.mutate(project, outside)
    try:
        result = commands.run(BUILD, cwd=project, env=ENV, timeout=HANG)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.id}: the build hung (still running after {HANG} s)")
    return Outcome(project, result.returncode, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def outcomes(request, built, tmp_path_factory):
    """Builds of every selected case, started together and run a few at a time."""
    selected = [item.callspec.params["case"] for item in request.session.items
                if item.path == request.path and hasattr(item, "callspec") and "case" in item.callspec.params]
    workers = max(2, min(4, os.cpu_count() or 2))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures: dict[str, Future] = {
            case.id: pool.submit(run_case, case, built[on_the_whole_example(case)][0], tmp_path_factory.mktemp(case.id))
            for case in selected
        }
        yield futures
        pool.shutdown(cancel_futures=True)


def test_the_corpus_is_large_and_distinct():
    assert len(CASES) >= 34
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_broken_input_is_refused_at_its_line_and_the_site_is_kept(case: Case, built, outcomes):
    outcome: Outcome = outcomes[case.id].result()
    output = outcome.stdout + outcome.stderr
    assert outcome.returncode != 0, output
    assert "Traceback" not in output, output
    if isinstance(case.line, At):
        line, column = case.line.resolve(outcome.project / case.file)
    else:
        line, column = case.line, case.column
    message = case.message(outcome.project) if callable(case.message) else case.message
    expected = f"{case.file}:{line}:{column}: {message}" if line else f"{case.file}: {message}"
    # After a space: the file is named from the project, not as an absolute path ending alike.
    assert f" {expected}" in outcome.stderr, f"expected {expected!r} in:\n{outcome.stderr}"
    if case.fix:
        assert f"fix: {case.fix}" in outcome.stderr, outcome.stderr
    assert digest(outcome.project / "site") == built[on_the_whole_example(case)][1]
    shutil.rmtree(outcome.project.parent)  # kept only when a check fails, for a look
