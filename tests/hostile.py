"""A partnership, log entry and good practice whose every text field is an attack.

The files are generated from the model, so a field added to any record class
later is attacked without anyone touching this file: every text field gets
HOSTILE, every Markdown field HOSTILE_MARKDOWN and every link HOSTILE_URL (the
attacks link validation lets through: quote-breaking and Markdown inside an
https URL; `javascript:` and `data:` URLs are refused at load time, so they
appear in the Markdown fields, where links are allowed). Ids, dates, numbers
and fixed choices get valid values, and each reference names an id that
exists, so the record builds and every part of it is rendered. Where a class
has rules across its fields (either `stakeholder` or `group`, say), the fewest
optional fields are left out, values that are not attacks first.

Shared by the static escaping tests and the browser tests.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import annotated_types
import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from msp_handbook.model import REFERENCE_KINDS, RefersTo, ValueKind, marker, strip_optional
from msp_handbook.schema import SCHEMAS

from sitebuild import copy_project

MARKER = "XSS-MARKER"

HOSTILE = (
    '<script>alert("x");console.log("' + MARKER + '")</script><img src=x onerror=alert(1)>'
    '<div id="injected-marker">boo</div></article></div> '
    "{{ 7*7 }} {% if true %}TPL{% endif %} [click](javascript:alert(2)) *stars* `ticks` | pipe "
    "\u202eRTL <b>unclosed " + "W" * 300
)

HOSTILE_URL = 'https://example.org/"><script>alert(9)</script>[x](/y onmouseover=alert(10))'

HOSTILE_MARKDOWN = (
    HOSTILE + "\n\n<script>alert(3)</script>\n\n<div onclick=\"alert(4)\">x</div>\n\n"
    "[js](javascript:alert(5)) [tab](java\tscript:alert(6)) [data](data:text/html,alert7) "
    "<a href='javascript:alert(8)'>a</a> ![img](data:image/svg+xml,<svg onload=alert(11)>)\n"
    # Images from other hosts (a tracking pixel), however the host is written.
    "![pixel](https://tracker.example/p.gif) ![p2](//tracker.example/p.gif) ![p3](/\\tracker.example/p.gif)\n"
)

SLUG = "hostile"
# Not named after a date: its generated `date:` would have to match the name.
LOG_ENTRY = "entry-of-every-field"

# Where each kind of source file (schema.SCHEMAS) goes in the hostile project,
# from its generated content; a test fails when a kind of source file is missing.
FILES: dict[str, Callable[[dict[str, Any]], str]] = {
    "partnership": lambda document: f"partnerships/{SLUG}/partnership.yml",
    "log": lambda document: f"partnerships/{SLUG}/log/{LOG_ENTRY}.md",
    "review": lambda document: f"partnerships/{SLUG}/reviews/{document['date']}.yml",
    "practice": lambda document: "content/practices/hostile-practice.md",
}

# Ids a file may name that are defined outside it: by the example handbook's
# cycle, tags.yml and building blocks, and by the hostile project's own files.
# A new kind of reference to the handbook needs a line here (the generator says so).
HANDBOOK_IDS: dict[str, list[str]] = {
    "phase": ["exploration"],
    "step": ["clarify-idea"],
    "phase_or_step": ["clarify-idea"],
    "tag": ["facilitation"],
    "partnership": [SLUG],
    "building_block": ["trust-communication", "results"],
    "log_entry": [LOG_ENTRY],
}

# What the constrained kinds of value (by ValueKind name) get. Dates count up a
# day at a time, field after field, so "due after the review" and the like hold.
ATTACKS: dict[str, str] = {"Markdown text": HOSTILE_MARKDOWN, "link": HOSTILE_URL}
VALID: dict[str, Any] = {"SDG target": "6.1", "currency code": "EUR", "number, yes/no or text": 1}
FIRST_DATE = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class _Reference:
    """A reference, filled in once the ids the file defines are known."""

    kind: str
    many: bool  # a list of references names every id of the kind


def _max_length(metadata: list[Any]) -> int | None:
    limits = [item.max_length for item in metadata if isinstance(item, annotated_types.MaxLen)]
    limits += [limit for item in metadata if isinstance(item, FieldInfo) for limit in [_max_length(item.metadata)]
               if limit is not None]
    return min(limits) if limits else None


def _has_id(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel) and "id" in annotation.model_fields


class _Filler:
    """Builds a document that fills every field of a model class, nested classes included."""

    def __init__(self) -> None:
        self.numbers = itertools.count(1)
        self.choices: dict[Any, itertools.cycle] = {}

    def model(self, model: type[BaseModel]) -> dict[str, Any]:
        document = {name: self.value(field.annotation, list(field.metadata), f"{model.__name__}.{name}", model)
                    for name, field in model.model_fields.items()}
        return _valid_part(model, document)

    def value(self, annotation: Any, metadata: list[Any], where: str, owner: type, many: bool = False) -> Any:
        annotation = strip_optional(annotation)
        reference = marker(RefersTo, annotation, metadata)
        if reference is not None:
            return _Reference(reference.kind, many)
        kind = marker(ValueKind, annotation, metadata)
        if kind is not None:
            return self.constrained(kind.name, where, owner)
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is typing.Annotated:
            return self.value(args[0], [*metadata, *args[1:]], where, owner, many)
        if origin is typing.Literal:  # each choice in turn, so two entries differ
            return next(self.choices.setdefault(annotation, itertools.cycle(args)))
        if origin is list:
            # Two entries of things with ids, so pages show both a list and its "not yet" part.
            count = min(2 if _has_id(args[0]) else 1, _max_length(metadata) or 2)
            items = [self.value(args[0], [], f"{where}[]", owner, many=True) for _ in range(count)]
            return items[0] if isinstance(items[0], _Reference) else items
        if origin is dict:
            return {self.value(args[0], [], f"{where} key", owner): self.value(args[1], [], f"{where}.*", owner)}
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.model(annotation)
        if annotation is str:
            return HOSTILE[:_max_length(metadata) or len(HOSTILE)]
        if annotation in (int, float):
            return annotation(next(self.numbers))
        if annotation is bool:
            return True
        raise TypeError(f"{where}: tests/hostile.py cannot fill a {annotation!r}: teach _Filler.value this type")

    def constrained(self, kind: str, where: str, owner: type) -> Any:
        if kind == "id":  # an entry's own id, unique in the file
            return f"{owner.__name__.lower()}-{next(self.numbers)}"
        if kind == "date":
            return FIRST_DATE + dt.timedelta(days=next(self.numbers))
        if kind in ATTACKS:
            return ATTACKS[kind]
        if kind in VALID:
            return VALID[kind]
        raise TypeError(f"{where}: tests/hostile.py has no value for a {kind!r}: add one to VALID or ATTACKS")


def _valid_part(model: type[BaseModel], document: dict[str, Any]) -> dict[str, Any]:
    """`document`, less the fewest optional fields that break the class's own rules."""
    optional = [name for name, field in model.model_fields.items() if not field.is_required()]
    # Leave out values that are not attacks first, one field, then two...
    optional.sort(key=lambda name: _attacks(document[name]))
    for size in range(min(len(optional), 3) + 1):
        for left_out in itertools.combinations(optional, size):
            candidate = {name: value for name, value in document.items() if name not in left_out}
            try:
                model.model_validate(_resolve(candidate, _ANY_ID))
            except ValidationError as error:
                failure = error
                continue
            return candidate
    raise ValueError(f"tests/hostile.py cannot fill {model.__name__} validly: {failure}")


def _attacks(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_attacks(item) for item in value.values())
    if isinstance(value, list):
        return sum(_attacks(item) for item in value)
    return int(isinstance(value, str) and value[:20] in (HOSTILE[:20], HOSTILE_URL[:20]))


class _AnyId(dict):
    """Stands in for the ids a reference may name while a class is checked on its own."""

    def get(self, kind: str, default: Any = None) -> list[str]:
        return ["any-id"]

    def __getitem__(self, kind: str) -> list[str]:
        return ["any-id"]


_ANY_ID = _AnyId()


def _ids_in(document: Any, section: tuple[str, ...]) -> list[str]:
    for key in section:
        document = document.get(key) if isinstance(document, dict) else None
    return [entry["id"] for entry in document or [] if isinstance(entry, dict) and "id" in entry]


def _resolve(value: Any, known: dict[str, list[str]]) -> Any:
    if isinstance(value, _Reference):
        if not known.get(value.kind):
            raise KeyError(f"tests/hostile.py knows no id for a {value.kind!r} reference: add one to HANDBOOK_IDS")
        return known[value.kind] if value.many else known[value.kind][0]
    if isinstance(value, dict):
        return {_resolve(key, known): _resolve(item, known) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, known) for item in value]
    return value


def attack_document(model: type[BaseModel], record: dict[str, Any] | None = None,
                    filler: _Filler | None = None) -> dict[str, Any]:
    """Every field of `model` filled: text with attacks, the rest valid, references to ids that exist.

    References to stakeholders and the like name those of `record` (the
    partnership a log entry or review belongs to), or of the document itself.
    `filler` may fill the text with something else (see partners_only.py).
    """
    document = (filler or _Filler()).model(model)
    known = dict(HANDBOOK_IDS)
    for kind, spec in REFERENCE_KINDS.items():
        if spec.sections:
            known[kind] = [ident for section in spec.sections for ident in _ids_in(record or document, section)]
    return _resolve(document, known)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # write shared values out in full, as a person would


def to_yaml(document: dict[str, Any]) -> str:
    """YAML that reads back as exactly `document`, so no attack is lost to quoting."""
    text = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 20)
    assert yaml.safe_load(text) == document
    return text


def hostile_project(destination: Path) -> Path:
    """The example handbook's guidance with only the hostile partnership, log entry and practice."""
    project = copy_project(destination, with_partnerships=False)
    record = attack_document(SCHEMAS["partnership"][0])
    for kind, place in FILES.items():
        document = record if kind == "partnership" else attack_document(SCHEMAS[kind][0], record)
        path = project / place(document)
        text = to_yaml(document)
        if path.suffix == ".md":
            text = f"---\n{text}---\n{HOSTILE_MARKDOWN}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project
