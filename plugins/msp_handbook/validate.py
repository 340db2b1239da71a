"""Turn parsed YAML into model objects, or into problems a coordinator can fix.

One pydantic run per file reports every problem at once, shape and references
alike (fields typed `Ref.<kind>`, see model/references.py), each mapped back to
its YAML line. The ids a reference may name are read from the file as written,
before validating, so an entry with a mistake of its own still counts as
defined, and a misspelt section (`stakholders:`) still defines its ids: one
mistake, one message. Ids used twice are found on the file as written too.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Collection, Iterator, Mapping
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .load import Document
from .model import ID_RE, REFERENCE_KINDS, Cycle, RefersTo, marker, strip_optional
from .problems import Problem, shorten

M = TypeVar("M", bound=BaseModel)

# Ids of each kind of reference (see REFERENCE_KINDS) that a file may name.
KnownIds = Mapping[str, Collection[str]]

# Beyond this many, known ids are not listed in a message.
_LISTED_IDS = 12


def validate_document(model: type[M], document: Document, known: KnownIds | None = None) -> tuple[M | None, list[Problem]]:
    """The model built from `document`, or every problem that prevented it.

    `known` holds the ids the handbook defines outside this file (the cycle,
    tags, partnerships); the file's own sections add theirs.
    """
    if not isinstance(document.value, dict):
        return None, [document.problem((), "must be a set of `key: value` lines at the top level",
                                       "start the file with `name: ...` (or `date:` in a log entry), not a list or plain text")]
    context = reference_context(model, document.value, known or {})
    problems = _check_unique(model, document)
    try:
        result = model.model_validate(document.value, context=context)
    except ValidationError as error:
        return None, problems + [_explain(model, document, context, detail) for detail in error.errors(include_url=False)]
    return (None if problems else result), problems


def reference_context(model: type[BaseModel], value: Any, known: KnownIds) -> dict[str, Collection[str] | None]:
    """`known`, plus the ids each section of `value` (a file of `model`) defines, as written.

    A kind whose section cannot be read (not a list) maps to None: its
    references are not checked, as the section's own problem says enough.
    """
    context: dict[str, Collection[str] | None] = dict(known)
    for name, kind in REFERENCE_KINDS.items():
        sections = _sections_of(model, kind.sections)
        if not sections:
            continue
        ids: list[str] | None = []
        for path in sections:
            found = _section(model, value, path)
            if found is False:
                ids = None
                break
            ids += [ident for _, ident in _entry_values(found, "id")] if found else []
        context[name] = ids
    return context


def _check_unique(model: type[BaseModel], document: Document) -> list[Problem]:
    """Ids used twice (within a kind of reference) or reserved, and entries listed twice."""
    problems: dict[Problem, None] = {}
    for kind in REFERENCE_KINDS.values():
        seen: dict[str, str] = {}
        for path in _sections_of(model, kind.sections):
            found = _section(model, document.value, path)
            for loc, ident in _entry_values(found or None, "id"):
                if ident in kind.reserved:
                    problems[document.problem(loc, f"id '{ident}' is reserved: a heading of the generated pages uses it",
                                              f"choose another id, e.g. '{ident}-1'")] = None
                elif ident in seen:
                    problems[document.problem(loc, f"id '{ident}' is used twice (also in {seen[ident]})",
                                              "give each entry its own id")] = None
                else:
                    seen[ident] = ".".join(path)
    for path, key, message, fix in _ONCE_EACH:
        listed: set[str] = set()
        found = _section(model, document.value, path) if _sections_of(model, (path,)) else None
        for loc, value in _entry_values(found or None, key):
            if value in listed:
                problems[document.problem(loc, message.format(value=value), fix)] = None
            listed.add(value)
    return list(problems)


# Entries of a list that may appear once each: (list, key, message, fix).
_ONCE_EACH = (
    (("purposes",), "purpose", "purpose '{value}' is listed twice", "merge the two statements into one"),
    (("code_of_conduct", "endorsements"), "stakeholder", "'{value}' has endorsed the code of conduct twice",
     "keep one endorsement per stakeholder"),
)


@lru_cache(maxsize=None)  # asked for every kind of reference in every file: once per class and kind is enough
def _sections_of(model: type[BaseModel], sections: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """The sections (key paths) that files of `model` can have."""
    return tuple(path for path in sections if path[0] in model.model_fields)


def _section(model: type[BaseModel], value: Any, path: tuple[str, ...]) -> tuple[tuple, list] | None | bool:
    """The list at `path` in `value` with its location, following a misspelt key.

    None when the file has no such section, False when it is there but not a list.
    """
    loc: tuple = ()
    for key in path:
        if not isinstance(value, dict):
            return None if value is None else False
        if key not in value:
            allowed = _fields_at(model, loc)
            strays = [name for name in value if isinstance(name, str) and name not in allowed]
            guess = difflib.get_close_matches(key, strays, n=1, cutoff=0.8)
            if not guess:
                return None
            key = guess[0]
        value, loc = value[key], loc + (key,)
    if value is None:
        return None
    return (loc, value) if isinstance(value, list) else False


def _entry_values(found: tuple[tuple, list] | None, key: str) -> Iterator[tuple[tuple, str]]:
    """(location, value) of `key` in each entry of a section, where it is a well-formed id."""
    if not found:
        return
    loc, entries = found
    for index, entry in enumerate(entries):
        value = entry.get(key) if isinstance(entry, dict) else None
        if isinstance(value, str) and ID_RE.fullmatch(value):
            yield loc + (index, key), value


def check_practice_scope(document: Document) -> list[Problem]:
    """A practice names at least one phase or step of the cycle."""
    value = document.value if isinstance(document.value, dict) else {}
    if value.get("phases") or value.get("steps"):
        return []
    return [document.problem((), "a practice must name at least one phase or step of the cycle",
                             "add `steps: [step-id]` or `phases: [phase-id]`")]


def check_cycle(cycle: Cycle, document: Document) -> list[Problem]:
    """Ids in a cycle file are unique across phases, steps and sub-steps."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for p_index, phase in enumerate(cycle.phases):
        entries = [((p_index, "id"), phase.id)]
        for s_index, step in enumerate(phase.steps):
            entries.append(((p_index, "steps", s_index, "id"), step.id))
            entries += [((p_index, "steps", s_index, "substeps", u_index, "id"), sub.id)
                        for u_index, sub in enumerate(step.substeps)]
        for loc, ident in entries:
            if ident in seen:
                problems.append(document.problem(("phases", *loc), f"id '{ident}' is used twice in the cycle",
                                                 "every phase, step and sub-step needs its own id"))
            seen.add(ident)
    return problems


# --- Pydantic errors in words ----------------------------------------------------


def _explain(model: type[BaseModel], document: Document, context: KnownIds, detail: dict[str, Any]) -> Problem:
    loc = tuple(detail["loc"])
    kind = detail["type"]
    if kind == "unknown_reference":
        return _unknown_reference(model, document, context, loc, detail["ctx"])
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        message = f"unknown key '{shorten(loc[-1])}'" + (f" — did you mean '{guess[0]}'?" if guess else "")
        fix = f"allowed here: {', '.join(allowed)}" if allowed else "remove the key"
        return document.problem(loc, message, fix, key=True)
    if kind == "missing":
        return document.problem(loc[:-1], f"missing required key '{loc[-1]}'" + _within(loc[:-1]),
                                f"add `{loc[-1]}: ...` here")
    if loc and loc[-1] == "[key]":
        # A mapping key (e.g. a step id under `cycle:`) failed its own check.
        return document.problem(loc[:-1], _strip_value_error(detail["msg"]), "use lowercase letters, digits and hyphens", key=True)
    message, fix = _wrong_value(kind, loc, detail)
    return document.problem(loc, message, fix)


def _wrong_value(kind: str, loc: tuple, detail: dict[str, Any]) -> tuple[str, str]:
    """Message and fix for a value that does not fit its key."""
    value = detail.get("input")
    name = _describe(loc)
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", detail.get("ctx", {}).get("expected", ""))
        guess = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        message = f"'{shorten(value)}' is not a valid {name}" + (f" — did you mean '{guess[0]}'?" if guess else "")
        return message, f"use one of: {', '.join(options)}"
    if kind in _FORMAT_FIXES:
        return f"{name}: {detail['msg']}", _FORMAT_FIXES[kind]
    if kind == "string_type" and value is None:
        return f"{name} is empty", f"write a value after '{loc[-1]}:' or remove the line"
    if kind in _EXPECTED:
        expected, fix = _EXPECTED[kind]
        return f"{name} must be {expected}, not {_kind_of(value)}", fix
    if kind == "string_too_short":
        return f"{name} is empty", "write a value or remove the line"
    if kind == "markdown_limit":
        return f"{name}: {detail['msg']}", "shorten the text or flatten its nesting"
    if kind == "too_long":
        return (f"{name} has {detail['ctx'].get('actual_length')} entries; "
                f"at most {detail['ctx'].get('max_length')} are allowed", "keep the most fitting ones")
    if kind == "too_short":
        return f"{name} needs at least one entry", "add an entry starting with '- '"
    # Rules spanning several keys of an entry carry their own fix (see model/ledger.py).
    # Anything else still gets a fix line: where the key's rules are written down.
    fix = (detail.get("ctx") or {}).get("fix") or "see what this key accepts on the site's Reference page"
    return f"{name}: {_strip_value_error(detail['msg'])}", fix


_FORMAT_FIXES = {
    "id_format": "write it in lowercase, with hyphens instead of spaces and no accents or other signs",
    "date_format": "write the year, month and day with hyphens, e.g. 2025-03-14 (two digits for month and day)",
    "url_scheme": "link to a web page (https://...) or a file in the repository; scripts and data links are refused",
    "sdg_target": "put the target in quotes, goal number first, e.g. \"6.1\"",
    "measurement": "write digits (e.g. 1200 or 12.5), yes or no, or text in quotes, as the indicator's `measure` says",
    "period_order": "swap `start` and `end`, or correct the year",
    "currency_code": "write the currency's ISO 4217 code in capitals, e.g. EUR, USD or KES; "
                     "for anything else that is counted, use `unit:` instead",
}

_NUMBER_FIX = "write digits only, e.g. 1200 or 12.5"
# What a key expected, by pydantic error type, and how to write it.
_EXPECTED = {
    "string_type": ("text", "put the value in quotes"),
    "list_type": ("a list", "write each entry on its own line, starting with '- '"),
    **dict.fromkeys(("model_type", "dict_type", "model_attributes_type"),
                    ("a group of `key: value` lines", "indent the keys that belong to it under it")),
    **dict.fromkeys(("float_type", "float_parsing"), ("a number", _NUMBER_FIX)),
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), ("a whole number", "write digits only, e.g. 3")),
    "finite_number": ("a finite number", _NUMBER_FIX),
}


def _unknown_reference(model: type[BaseModel], document: Document, context: KnownIds, loc: tuple,
                       ctx: dict[str, Any]) -> Problem:
    kind, ident = REFERENCE_KINDS[ctx["kind"]], ctx["ident"]
    known = sorted(set(context.get(ctx["kind"]) or ()))
    message = f"unknown {kind.label} '{ident}' in {_where(model, loc)}"
    if len(known) <= _LISTED_IDS:
        message += f"; known: {', '.join(known) if known else 'none yet'}"
    guess = difflib.get_close_matches(ident, known, n=1, cutoff=0.6)
    if guess:
        message += f" — did you mean '{guess[0]}'?"
    fix = kind.fix.format(label=kind.label, ident=ident)
    if loc[-1] == "[key]":
        return document.problem(loc[:-1], message, fix, key=True)
    return document.problem(loc, message, fix)


def _where(model: type[BaseModel], loc: tuple) -> str:
    """The list or key a reference is written in: `accepted_by`, `roles`, `cycle`..."""
    if loc[-1] == "[key]":
        return _inner_mapping(model, loc[:-2]) or (str(loc[-3]) if len(loc) >= 3 else "the file")
    last_list = max((index for index, part in enumerate(loc) if isinstance(part, int)), default=None)
    return str(loc[last_list - 1] if last_list else loc[-1])


def _inner_mapping(model: type[BaseModel], loc: tuple) -> str | None:
    """Names the mapping at `loc` when it is one entry of a mapping of mappings.

    `ratings:` maps each stakeholder to its ratings of building blocks; a wrong
    block is "in the ratings of stakeholder 'city-hall'", not "in city-hall".
    """
    if len(loc) < 2 or not isinstance(loc[-1], str) or not isinstance(loc[-2], str):
        return None
    outer = _unwrap(_annotation_at(model, loc[:-1]))
    if typing.get_origin(outer) is not dict:
        return None
    reference = marker(RefersTo, typing.get_args(outer)[0])
    return f"the {loc[-2]} of {reference.label + ' ' if reference else ''}'{loc[-1]}'"


def _strip_value_error(message: str) -> str:
    return message.removeprefix("Value error, ")


def _describe(loc: tuple) -> str:
    """`stakeholders[2].sector` style name of a location, for messages."""
    text = ""
    for part in loc:
        if part == "[key]":
            continue
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{shorten(part)}" if text else shorten(part))
    return f"'{text}'" if text else "the file"


def _within(loc: tuple) -> str:
    return f" in {_describe(loc)}" if loc else ""


def _kind_of(value: Any) -> str:
    """What a value is, in words, for "must be X, not Y"."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, float) and value != value:
        return ".nan (not a number)"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return f"{'-' if value < 0 else ''}.inf (infinity)"
    if isinstance(value, (int, float)):
        return f"a number ({shorten(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of keys"
    return f"'{shorten(value)}'"


# --- Types at a location of a model, for "allowed here" ------------------------------


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Names of the keys allowed at `loc` inside `model`, for "did you mean"."""
    annotation = _unwrap(_annotation_at(model, loc))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _annotation_at(model: type[BaseModel], loc: tuple) -> Any:
    """The declared type at `loc` inside `model` (Any where it cannot be told)."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int) or typing.get_origin(annotation) is dict:
            args = typing.get_args(annotation)
            annotation = args[-1] if args else Any
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel) and part in annotation.model_fields:
            annotation = annotation.model_fields[part].annotation
        else:
            return Any
    return annotation


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the class they hold."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif (stripped := strip_optional(annotation)) is not annotation:
            annotation = stripped
        else:
            return annotation
