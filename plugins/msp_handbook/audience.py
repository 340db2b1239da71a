"""The handbook as one audience may read it: the public, or the partners.

The public build must contain no partners-only text anywhere: pages, search
index, feeds, exports, sitemap. Rather than asking every template and exporter
to remember that, the validated handbook is filtered once, here, before
anything is rendered: what is not in the model cannot leak.

The walk is generic. Any entry in any list, at any depth, that carries
`visibility: partners` is dropped, so a new kind of entry only needs the
`visibility` field (model/audience.py). References to a dropped log entry
(a feedback's "you said, we did") are cleared, so no public page links to it.
"""

from __future__ import annotations

import types
import typing
from dataclasses import replace
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from .handbook import Handbook
from .model import Partnership, RefersTo, is_partners_only, marker, strip_optional


def for_audience(handbook: Handbook, audience: str) -> Handbook:
    """`handbook` with everything the audience may not read taken out."""
    if audience == "partners":
        return handbook
    return replace(handbook, partnerships=tuple(public_partnership(p) for p in handbook.partnerships))


def public_partnership(partnership: Partnership) -> Partnership:
    """A partnership without its partners-only entries, log entries and review comments."""
    hidden_log = {entry.anchor for entry in partnership.log if is_partners_only(entry)}
    public = _without_partners_only(partnership, hidden_log)
    if public is partnership:
        # Nothing in the record itself is partners-only: its log and reviews
        # still are filtered below, on a copy, never on the record as loaded.
        public = partnership.model_copy()
    public._log = tuple(_without_partners_only(entry, hidden_log) for entry in partnership.log
                        if not is_partners_only(entry))
    public._reviews = tuple(_without_partners_only(review, hidden_log) for review in partnership.reviews)
    return public


def _without_partners_only(model: Any, hidden_log: set[str]) -> Any:
    """A copy of `model` whose lists and mappings, at any depth, hold no partners-only entry."""
    changes: dict[str, Any] = {}
    log_references = _log_entry_fields(type(model))
    for name in _fields_that_can_hide(type(model)):
        value = getattr(model, name)
        if name in log_references and value in hidden_log:
            changes[name] = None  # the entry it names is not published
            continue
        filtered = _filtered(value, hidden_log)
        if filtered is not value:
            changes[name] = filtered
    # model_copy keeps the private attributes the loader set (source, slug...).
    return model.model_copy(update=changes) if changes else model


@lru_cache(maxsize=None)
def _log_entry_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of a model class that name a log entry (read once per class, not once per record)."""
    return frozenset(name for name, field in model.model_fields.items()
                     if (reference := marker(RefersTo, strip_optional(field.annotation), field.metadata)) is not None
                     and reference.kind == "log_entry")


@lru_cache(maxsize=None)
def _fields_that_can_hide(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class the filter must look into: those that can hold an entry
    (a model, which may be partners-only or hold one) or name a log entry. The others hold
    text, numbers, dates and lists of them, which the filter would return as they are."""
    return tuple(name for name, field in model.model_fields.items()
                 if name in _log_entry_fields(model) or _can_hold_a_model(field.annotation))


def _can_hold_a_model(annotation: Any) -> bool:
    """Whether a value of this declared type can be or contain a pydantic model (True when unsure)."""
    if annotation is typing.Any or annotation in (object, list, tuple, dict, set, frozenset):
        return True  # anything may be in it
    if isinstance(annotation, type) and not typing.get_args(annotation):  # list[X] passes for a type too
        # A model, or a list or mapping of a kind of its own (a TypedDict, a NamedTuple), which the walk enters.
        return issubclass(annotation, (BaseModel, list, tuple, dict, set, frozenset))
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return False
    if origin is typing.Annotated:
        return _can_hold_a_model(typing.get_args(annotation)[0])
    arguments = typing.get_args(annotation)
    if origin in (list, tuple, dict, set, frozenset, typing.Union, types.UnionType) and arguments:
        return any(_can_hold_a_model(argument) for argument in arguments if argument is not Ellipsis)
    return annotation is not type(None)


def _filtered(value: Any, hidden_log: set[str]) -> Any:
    if isinstance(value, BaseModel):
        return _without_partners_only(value, hidden_log)
    if isinstance(value, (list, tuple)):
        items = [_filtered(item, hidden_log) for item in value if not is_partners_only(item)]
        same = len(items) == len(value) and all(new is old for new, old in zip(items, value, strict=False))
        return value if same else type(value)(items)
    if isinstance(value, dict):
        mapping = {key: _filtered(item, hidden_log) for key, item in value.items() if not is_partners_only(item)}
        same = mapping.keys() == value.keys() and all(mapping[key] is value[key] for key in value)
        return value if same else mapping
    return value
