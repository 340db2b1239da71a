"""The record reference, read off the model so it can never drift from what validation accepts."""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..model import Cycle, LogEntry, Partnership, Practice, strip_optional, value_kind


@dataclass(frozen=True)
class KeyDoc:
    key: str  # dotted path as written in YAML, `[]` marking list entries
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class FormatDoc:
    title: str
    where: str
    anchor: str
    keys: tuple[KeyDoc, ...]


def record_formats() -> list[FormatDoc]:
    """The source file formats the reference page documents, each with its keys."""
    return [
        FormatDoc("Partnership record", "partnerships/<slug>/partnership.yml", "partnership-record", tuple(document_keys(Partnership))),
        FormatDoc("Log entry", "front matter of partnerships/<slug>/log/<date>-<title>.md", "log-entry", tuple(document_keys(LogEntry))),
        FormatDoc("Good practice", "front matter of content/practices/<slug>.md", "good-practice", tuple(document_keys(Practice))),
        FormatDoc("Cycle file", "plugins/msp_handbook/data/cycle.yml, or `cycle_file` in mkdocs.yml", "cycle-file",
                  tuple(document_keys(Cycle))),
    ]


def document_keys(model: type[BaseModel], prefix: str = "") -> list[KeyDoc]:
    """Every key of a model, nested keys as dotted paths, with type, need and description."""
    keys: list[KeyDoc] = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = field.annotation
        keys.append(KeyDoc(path, describe_type(annotation, field.metadata), field.is_required(), field.description or ""))
        nested = _nested_model(annotation)
        if nested is not None:
            inner, suffix = nested
            keys += document_keys(inner, f"{path}{suffix}.")
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
    """A field's type in words for the reference page (e.g. 'id', 'list of text')."""
    annotation = strip_optional(annotation)
    kind = value_kind(annotation, metadata or ())
    if kind is not None:
        return kind.name
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return describe_type(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{value}`" for value in typing.get_args(annotation))
    if origin is list:
        return f"list of {describe_type(typing.get_args(annotation)[0])}"
    if origin is dict:
        return f"mapping of id to {describe_type(typing.get_args(annotation)[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "group of keys"
    return {str: "text", float: "number", int: "whole number", dt.date: "date"}.get(annotation, str(annotation))
