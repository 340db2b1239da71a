"""The record reference, read off the model so it can never drift from what validation accepts.

Kinds, descriptions and places are Markdown written by the developers (with
code spans such as `partnerships/<slug>/`), never record text: they are handed
to the template as Markdown, not as text to escape, so code shows as written.
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from markupsafe import Markup

from ..model import Cycle, LogEntry, Partnership, Practice, RefersTo, Review, ValueKind, marker, strip_optional
from ..opendata import IndexExport, PartnershipExport


def table_cell(markdown: str) -> Markup:
    """Developer-written Markdown, ready for a table cell of the generated Markdown page."""
    return Markup(markdown.replace("|", "\\|").replace("\n", " "))


@dataclass(frozen=True)
class KeyDoc:
    """One key of a source format, as a row of the reference page."""

    key: str  # dotted path as written in YAML, `[]` marking list entries
    kind: Markup  # Markdown
    required: bool
    description: Markup  # Markdown


@dataclass(frozen=True)
class FormatDoc:
    """One source format: its title, where its files live, and its keys."""

    title: str
    where: Markup  # Markdown
    anchor: str
    keys: tuple[KeyDoc, ...]


def record_formats() -> list[FormatDoc]:
    """Every source format, with where its files live and every key it allows."""
    formats = (
        ("Partnership record", "`partnerships/<slug>/partnership.yml`", "partnership-record", Partnership),
        ("Log entry", "front matter of `partnerships/<slug>/log/<date>-<title>.md`", "log-entry", LogEntry),
        ("Review", "`partnerships/<slug>/reviews/<date>.yml`", "review", Review),
        ("Good practice", "front matter of `content/practices/<slug>.md`", "good-practice", Practice),
        ("Cycle file", "`plugins/msp_handbook/data/cycle.yml`, or the file named by `cycle_file` in `mkdocs.yml`",
         "cycle-file", Cycle),
    )
    exports = (
        ("Open data: one partnership", "`/partnerships/<slug>.json` on the published site", "open-data-partnership",
         PartnershipExport),
        ("Open data: the list", "`/partnerships/index.json` on the published site", "open-data-index", IndexExport),
    )
    # The exported record and reviews are the formats above: their keys are not listed twice.
    return [FormatDoc(title, table_cell(where), anchor, tuple(document_keys(model, skip=(Partnership, Review))))
            for title, where, anchor, model in formats + exports]


def document_keys(model: type[BaseModel], prefix: str = "", skip: tuple[type[BaseModel], ...] = ()) -> list[KeyDoc]:
    """One entry per key `model` allows, nested groups flattened to dotted paths (not into the models in `skip`)."""
    keys: list[KeyDoc] = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = field.annotation
        keys.append(KeyDoc(path, table_cell(describe_type(annotation, field.metadata)), field.is_required(),
                           table_cell(field.description or "")))
        nested = _nested_model(annotation)
        if nested is not None and nested[0] not in skip:
            inner, suffix = nested
            keys += document_keys(inner, f"{path}{suffix}.", skip)
    return keys


def _nested_model(annotation: Any) -> tuple[type[BaseModel], str] | None:
    annotation = strip_optional(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        inner = strip_optional(typing.get_args(annotation)[0])
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner, "[]"
    elif origin is dict:
        inner = typing.get_args(annotation)[1]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner, ".<id>"
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, ""
    return None


def describe_type(annotation: Any, metadata: list[Any] | None = None) -> str:
    """The type of a key in words (Markdown), e.g. "list of stakeholder ids" or "date"."""
    annotation = strip_optional(annotation)
    reference = marker(RefersTo, annotation, metadata or ())
    if reference is not None:
        return reference.described
    kind = marker(ValueKind, annotation, metadata or ())
    if kind is not None:
        return kind.name
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return describe_type(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{value}`" for value in typing.get_args(annotation))
    if origin is list:
        item = typing.get_args(annotation)[0]
        reference = marker(RefersTo, item)
        return f"list of {reference.label} ids" if reference else f"list of {describe_type(item)}"
    if origin is dict:
        key, value = typing.get_args(annotation)
        reference = marker(RefersTo, key)
        return f"mapping of {reference.label + ' ' if reference else ''}id to {describe_type(value)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "group of keys"
    return {str: "text", float: "number", int: "whole number", dt.date: "date"}.get(annotation, str(annotation))
