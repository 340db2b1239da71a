"""A project where every kind of entry that may be `visibility: partners` comes twice.

Generated from the model, like hostile.py's project: any list of a class with
a `visibility` field (stakeholder interests and concerns, review comments,
ledger entries, feedback, ... and whatever gets the field later) holds one
public entry and one partners-only entry, and the log has one public and one
partners-only entry. Every text is a marker of its own (`zqxmark17`), so a test
can search every file of a built site for the partners-only ones, however the
text was escaped or split into words there.
"""

from __future__ import annotations

import itertools
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from msp_handbook.model import RefersTo, ValueKind, marker, strip_optional
from msp_handbook.schema import SCHEMAS

from hostile import FILES, LOG_ENTRY, SLUG, _Filler, attack_document, to_yaml
from sitebuild import copy_project

MARKER_PREFIX = "zqxmark"
MARKER = re.compile(MARKER_PREFIX + r"[0-9]+")
VISIBILITIES = ("public", "partners")


def _has_visibility(annotation: Any) -> bool:
    annotation = strip_optional(annotation)
    return isinstance(annotation, type) and issubclass(annotation, BaseModel) and "visibility" in annotation.model_fields


class _MarkerFiller(_Filler):
    """Fills every text with a new marker, and every list of entries with a visibility with one entry of each."""

    markers = itertools.count(1)  # shared by every document of the project: each marker is unique

    def marker(self) -> str:
        return f"{MARKER_PREFIX}{next(self.markers)}"

    def value(self, annotation: Any, metadata: list[Any], where: str, owner: type, many: bool = False) -> Any:
        stripped = strip_optional(annotation)
        if typing.get_origin(stripped) is list and _has_visibility(typing.get_args(stripped)[0]):
            entry = typing.get_args(stripped)[0]
            return [{**self.model(entry), "visibility": visibility} for visibility in VISIBILITIES]
        if stripped is str and not any(marker(kind, stripped, metadata) for kind in (RefersTo, ValueKind)):
            return self.marker()  # plain text, not an id, a reference or a date
        return super().value(annotation, metadata, where, owner, many)

    def constrained(self, kind: str, where: str, owner: type) -> Any:
        if kind == "Markdown text":
            return f"Said in {self.marker()}."
        if kind == "link":
            return f"https://example.org/{self.marker()}"
        return super().constrained(kind, where, owner)


@dataclass(frozen=True)
class PartnersOnlyEntry:
    where: str  # the file and the path in it, for messages
    markers: tuple[str, ...]  # every text of the entry


def partners_only_entries(document: Any, where: str) -> list[PartnersOnlyEntry]:
    """Every entry marked `visibility: partners` in a generated document, with its markers."""
    if isinstance(document, dict):
        if document.get("visibility") == "partners":
            return [PartnersOnlyEntry(where, tuple(MARKER.findall(str(document))))]
        return [entry for key, value in document.items() for entry in partners_only_entries(value, f"{where}.{key}")]
    if isinstance(document, list):
        return [entry for index, value in enumerate(document)
                for entry in partners_only_entries(value, f"{where}[{index}]")]
    return []


@dataclass(frozen=True)
class MarkedProject:
    root: Path
    partners_only: tuple[PartnersOnlyEntry, ...]
    public_markers: frozenset[str]  # markers of everything else


def marked_project(destination: Path) -> MarkedProject:
    """The example handbook's guidance with one generated partnership whose entries come public and partners-only."""
    project = copy_project(destination, with_partnerships=False)
    record = attack_document(SCHEMAS["partnership"][0], filler=_MarkerFiller())
    documents = {FILES["partnership"](record): record}
    for kind in ("log", "review"):
        document = attack_document(SCHEMAS[kind][0], record, filler=_MarkerFiller())
        documents[FILES[kind](document)] = document
    public_log = documents[FILES["log"]({})]
    # A whole log entry for the partners only; its file name is a marker too.
    hidden_log = {**attack_document(SCHEMAS["log"][0], record, filler=_MarkerFiller()), "visibility": "partners"}
    documents[f"partnerships/{SLUG}/log/{_MarkerFiller().marker()}-entry.md"] = hidden_log
    public_log["visibility"] = "public"
    entries: list[PartnersOnlyEntry] = []
    everything: set[str] = set()
    for place, document in documents.items():
        path = project / place
        text = to_yaml(document)
        if path.suffix == ".md":
            text = f"---\n{text}---\nThe body says {_MarkerFiller().marker()}.\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        found = partners_only_entries(document, place)
        if document is hidden_log:  # the name and body belong to the hidden entry too
            found = [PartnersOnlyEntry(place, (*found[0].markers, *MARKER.findall(place + text)))]
        entries += found
        everything |= set(MARKER.findall(place + text))
    hidden = {marker for entry in entries for marker in entry.markers}
    assert LOG_ENTRY in FILES["log"]({})
    return MarkedProject(project, tuple(entries), frozenset(everything - hidden))
