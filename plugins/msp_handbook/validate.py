"""Turn parsed YAML into model objects, or into problems a coordinator can fix.

Two passes, both reporting every problem rather than the first: the shape of
each file (pydantic, errors mapped back to YAML lines) and then the references
between its parts (ids that must name something that exists).
"""

from __future__ import annotations

import copy
import difflib
import re
import typing
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .load import Document
from .model import ID_RE, PLACEHOLDER, RESERVED_ANCHORS, Cycle, LogEntry, Partnership, Practice, strip_optional, value_kind
from .problems import Problem

M = TypeVar("M", bound=BaseModel)


def validate_document(model: type[M], document: Document) -> tuple[M | None, list[Problem]]:
    """The model built from `document`, or the problems that prevented it."""
    if not isinstance(document.value, dict):
        return None, [document.problem((), "must be a set of `key: value` lines at the top level",
                                       "start the file with `name: ...` (or `date:` in a log entry), not a list or plain text")]
    try:
        return model.model_validate(document.value), []
    except ValidationError as error:
        return None, [_explain(model, document, detail) for detail in error.errors(include_url=False)]


def salvage(model: type[M], document: Document) -> M | None:
    """The model of a document that failed validation, with its mistakes patched over.

    Invalid values are replaced by placeholders of the right type and unknown
    keys dropped, so nothing moves: reference checks then run on everything
    else, at the file's own positions, and one run reports reference mistakes
    alongside shape mistakes. None when even that does not give a valid model.
    """
    value = copy.deepcopy(document.value)
    for _ in range(12):
        try:
            return model.model_validate(value)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                loc = tuple(detail["loc"])
                if loc and loc[-1] == "[key]":
                    _patch(value, loc[:-1], None, remove=True)
                elif detail["type"] == "extra_forbidden":
                    _patch(value, loc, None, remove=True)
                elif not loc:
                    return None
                elif detail["type"] == "too_long":
                    _patch(value, loc, list(detail["input"])[: detail["ctx"]["max_length"]])
                else:
                    _patch(value, loc, _placeholder(_annotation_at(model, loc)))
    return None


def without_echoes(problems: list[Problem]) -> list[Problem]:
    """Reference problems about a stand-in value echo a problem already reported."""
    return [problem for problem in problems if f"'{PLACEHOLDER}'" not in problem.message]


def _patch(value: Any, loc: tuple, replacement: Any, *, remove: bool = False) -> None:
    parent = value
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return
    last = loc[-1]
    if isinstance(parent, dict):
        if remove:
            parent.pop(last, None)
        else:
            parent[last] = replacement
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent) and not remove:
        parent[last] = replacement


def _annotation_at(model: type[BaseModel], loc: tuple) -> Any:
    """The declared type at `loc` inside `model` (Any where it cannot be told)."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int) or typing.get_origin(annotation) is dict:
            args = typing.get_args(annotation)
            annotation = args[-1] if args else Any
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel) and part in annotation.model_fields:
            field = annotation.model_fields[part]
            annotation = typing.Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
        else:
            return Any
    return annotation


def _placeholder(annotation: Any) -> Any:
    """A value that passes validation for `annotation`."""
    kind = value_kind(annotation)
    if kind is not None:
        return kind.stand_in
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _placeholder(typing.get_args(annotation)[0])
    if origin is typing.Union or str(origin) == "types.UnionType":
        members = typing.get_args(annotation)
        return None if type(None) in members else _placeholder(members[0])
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if origin is list:
        return []
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return {}
    return {float: 0.0, int: 1}.get(annotation, PLACEHOLDER)


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Names of the keys allowed at `loc` inside `model`, for "did you mean"."""
    annotation = _unwrap(_annotation_at(model, loc))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _explain(model: type[BaseModel], document: Document, detail: dict[str, Any]) -> Problem:
    loc = tuple(detail["loc"])
    kind = detail["type"]
    value = detail.get("input")
    name = _describe(loc)

    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _fields_at(model, loc[:-1])
        guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        message = f"unknown key '{key}'" + (f" — did you mean '{guess[0]}'?" if guess else "")
        fix = f"allowed here: {', '.join(allowed)}" if allowed else "remove the key"
        return document.problem(loc, message, fix, key=True)
    if kind == "missing":
        return document.problem(loc[:-1], f"missing required key '{loc[-1]}'" + _within(loc[:-1]),
                                f"add `{loc[-1]}: ...` here")
    if loc and loc[-1] == "[key]":
        # A mapping key (e.g. a step id under `cycle:`) failed its own check.
        return document.problem(loc[:-1], _strip_value_error(detail["msg"]), "use lowercase letters, digits and hyphens", key=True)
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", detail.get("ctx", {}).get("expected", ""))
        guess = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        message = f"'{_short(value)}' is not a valid {name}" + (f" — did you mean '{guess[0]}'?" if guess else "")
        return document.problem(loc, message, f"use one of: {', '.join(options)}")
    if kind in _FORMAT_FIXES:
        return document.problem(loc, f"{name}: {detail['msg']}", _FORMAT_FIXES[kind])
    if kind == "string_type":
        if value is None:
            return document.problem(loc, f"{name} is empty", f"write a value after '{loc[-1]}:' or remove the line")
        return document.problem(loc, f"{name} must be text, not {_kind_of(value)}", "put the value in quotes")
    if kind == "string_too_short":
        return document.problem(loc, f"{name} is empty", "write a value or remove the line")
    if kind == "list_type":
        return document.problem(loc, f"{name} must be a list, not {_kind_of(value)}",
                                "write each entry on its own line, starting with '- '")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return document.problem(loc, f"{name} must be a group of `key: value` lines, not {_kind_of(value)}",
                                "indent the keys that belong to it under it")
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float", "finite_number"):
        what = "a finite number" if kind == "finite_number" else "a number"
        return document.problem(loc, f"{name} must be {what}, not {_kind_of(value)}", "write digits only, e.g. 1200 or 12.5")
    if kind == "markdown_limit":
        return document.problem(loc, f"{name}: {detail['msg']}", "shorten the text or flatten its nesting")
    if kind == "too_long":
        return document.problem(loc, f"{name} has {detail['ctx'].get('actual_length')} entries; "
                                f"at most {detail['ctx'].get('max_length')} are allowed", "keep the most fitting ones")
    if kind == "too_short":
        return document.problem(loc, f"{name} needs at least one entry", "add an entry starting with '- '")
    return document.problem(loc, f"{name}: {_strip_value_error(detail['msg'])}")


_FORMAT_FIXES = {
    "id_format": "write it in lowercase, with hyphens instead of spaces and no accents or other signs",
    "date_format": "write the year, month and day with hyphens, e.g. 2025-03-14 (two digits for month and day)",
    "url_scheme": "link to a web page (https://...) or a file in the repository; scripts and data links are refused",
    "sdg_target": "put the target in quotes, goal number first, e.g. \"6.1\"",
}


def _strip_value_error(message: str) -> str:
    return message.removeprefix("Value error, ")


def _describe(loc: tuple) -> str:
    """`stakeholders[2].sector` style name of a location, for messages."""
    text = ""
    for part in loc:
        if part == "[key]":
            continue
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"'{text}'" if text else "the file"


def _within(loc: tuple) -> str:
    return f" in {_describe(loc)}" if loc else ""


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({_short(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of keys"
    return f"'{_short(value)}'"


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the class they hold."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif (stripped := strip_optional(annotation)) is not annotation:
            annotation = stripped
        else:
            return annotation


# --- References between parts of a record ------------------------------------


def _unknown(kind: str, ident: str, where: str, known: Iterable[str]) -> tuple[str, str]:
    known = sorted(set(known))
    guess = difflib.get_close_matches(ident, known, n=1, cutoff=0.6)
    message = f"unknown {kind} '{ident}' in {where}"
    if len(known) <= 12:
        message += f"; known: {', '.join(known) if known else 'none yet'}"
        fix = f"use one of the ids listed, or add a {kind} with id '{ident}'"
    else:
        fix = f"use an id from the list of {kind} ids on the handbook's reference page"
    if guess:
        message += f" — did you mean '{guess[0]}'?"
    return message, fix


def _raw_ids(document: Document, *path: str) -> list[str]:
    """Ids as written in the file, including entries that failed validation."""
    section: Any = document.value
    for key in path:
        section = section.get(key) if isinstance(section, dict) else None
    if not isinstance(section, list):
        return []
    return [entry["id"] for entry in section if isinstance(entry, dict) and isinstance(entry.get("id"), str)]


def check_references(partnership: Partnership, cycle: Cycle, document: Document,
                     *, written: Document | None = None) -> list[Problem]:
    """Every id in the record that must name a stakeholder, body, phase or step does.

    `written` is given when the record failed validation and `partnership` is
    what `salvage` left of it (`document` then holds the matching positions):
    known ids are taken from the file as written, and references to a section
    that is missing altogether (say, misspelt) are not reported, as the shape
    problems already say what is wrong.
    """
    salvaged = written is not None
    written = written or document
    problems: list[Problem] = []

    def report(loc: tuple, message: str, fix: str, *, key: bool = False) -> None:
        problems.append(document.problem(loc, message, fix, key=key))

    def unique(section: str, idents: list[str], taken: dict[str, str] | None = None) -> None:
        seen = dict(taken or {})
        for index, ident in enumerate(idents):
            if section in ("stakeholders", "facilitators") and ident in RESERVED_ANCHORS:
                report((section, index, "id"), f"id '{ident}' is reserved: a heading of the generated pages uses it",
                       f"choose another id, e.g. '{ident}-1'")
            elif ident in seen:
                report((section, index, "id"), f"id '{ident}' is used twice (also in {seen[ident]})",
                       "give each entry its own id")
            else:
                seen[ident] = section

    raw_stakeholders = _raw_ids(written, "stakeholders")
    raw_people = raw_stakeholders + _raw_ids(written, "facilitators")
    raw_bodies = _raw_ids(written, "governance", "bodies")
    # Duplicates are found among the validated entries, whose positions `document` holds...
    unique("stakeholders", [s.id for s in partnership.stakeholders])
    unique("facilitators", [f.id for f in partnership.facilitators],
           {s.id: "stakeholders" for s in partnership.stakeholders})
    # ...while references may name any entry written, valid or not.
    stakeholders = raw_stakeholders if salvaged else [s.id for s in partnership.stakeholders]
    people = raw_people if salvaged else stakeholders + [f.id for f in partnership.facilitators]

    def checked(known: list[str]) -> bool:
        return not salvaged or bool(known)

    unique("indicators", [i.id for i in partnership.indicators])

    seen_purposes: set[str] = set()
    for index, statement in enumerate(partnership.purposes):
        if statement.purpose in seen_purposes:
            report(("purposes", index, "purpose"), f"purpose '{statement.purpose}' is listed twice",
                   "merge the two statements into one")
        seen_purposes.add(statement.purpose)

    if partnership.phase and cycle.phase(partnership.phase) is None:
        report(("phase",), *_unknown("phase", partnership.phase, "phase", [p.id for p in cycle.phases]))

    for index, facilitator in enumerate(partnership.facilitators if checked(stakeholders) else []):
        if facilitator.stakeholder and facilitator.stakeholder not in stakeholders:
            report(("facilitators", index, "stakeholder"),
                   *_unknown("stakeholder", facilitator.stakeholder, "facilitators", stakeholders))
        for position, ident in enumerate(facilitator.accepted_by):
            if ident not in stakeholders:
                report(("facilitators", index, "accepted_by", position),
                       *_unknown("stakeholder", ident, "accepted_by", stakeholders))

    if partnership.governance and checked(stakeholders):
        bodies = raw_bodies if salvaged else [body.id for body in partnership.governance.bodies]
        unique_bodies: set[str] = set()
        for index, body in enumerate(partnership.governance.bodies):
            if body.id in unique_bodies:
                report(("governance", "bodies", index, "id"), f"id '{body.id}' is used twice", "give each body its own id")
            unique_bodies.add(body.id)
            for position, ident in enumerate(body.members):
                if ident not in people:
                    report(("governance", "bodies", index, "members", position),
                           *_unknown("stakeholder or facilitator", ident, "members", people))
        for index, role in enumerate(partnership.governance.roles):
            if role.lead not in people:
                report(("governance", "roles", index, "lead"), *_unknown("stakeholder or facilitator", role.lead, "roles", people))
            for position, ident in enumerate(role.support):
                if ident not in people:
                    report(("governance", "roles", index, "support", position),
                           *_unknown("stakeholder or facilitator", ident, "roles", people))
            if role.body and role.body not in bodies and checked(bodies):
                report(("governance", "roles", index, "body"), *_unknown("governance body", role.body, "roles", bodies))

    if partnership.code_of_conduct and checked(stakeholders):
        endorsed: set[str] = set()
        for index, endorsement in enumerate(partnership.code_of_conduct.endorsements):
            if endorsement.stakeholder not in stakeholders:
                report(("code_of_conduct", "endorsements", index, "stakeholder"),
                       *_unknown("stakeholder", endorsement.stakeholder, "endorsements", stakeholders))
            elif endorsement.stakeholder in endorsed:
                report(("code_of_conduct", "endorsements", index, "stakeholder"),
                       f"'{endorsement.stakeholder}' has endorsed the code of conduct twice", "keep one endorsement per stakeholder")
            endorsed.add(endorsement.stakeholder)

    step_ids = cycle.step_ids()
    # Step ids are checked as written, so an entry with a bad status is still checked.
    progress = written.value.get("cycle") if isinstance(written.value, dict) else None
    for ident in progress if isinstance(progress, dict) else partnership.cycle:
        if ident not in step_ids and ID_RE.match(ident):  # a malformed id is reported already
            problems.append(written.problem(("cycle", ident), *_unknown("cycle step", ident, "cycle", step_ids), key=True))
    return problems


def check_log_entry(entry: LogEntry, cycle: Cycle, document: Document) -> list[Problem]:
    """A log entry's step, if given, must name a phase or step of the cycle."""
    if entry.step is None:
        return []
    known = [p.id for p in cycle.phases] + cycle.step_ids()
    if entry.step in known:
        return []
    return [document.problem(("step",), *_unknown("phase or step", entry.step, "step", known))]


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


def check_practice(practice: Practice, cycle: Cycle, tags: dict[str, str], slugs: list[str],
                   document: Document) -> list[Problem]:
    """A practice's phases, steps, tags and partnerships all exist."""
    problems: list[Problem] = []
    if not practice.phases and not practice.steps:
        problems.append(document.problem((), "a practice must name at least one phase or step of the cycle",
                                         "add `steps: [step-id]` or `phases: [phase-id]`"))
    phase_ids = [phase.id for phase in cycle.phases]
    checks = (("phases", "phase", practice.phases, phase_ids),
              ("steps", "cycle step", practice.steps, cycle.step_ids()),
              ("tags", "tag", practice.tags, list(tags)),
              ("partnerships", "partnership", practice.partnerships, slugs))
    fixes = {
        "phases": "use a phase id: " + ", ".join(phase_ids),
        "steps": "use a step id from the phase's guidance page or the reference page",
        "tags": "use a tag from tags.yml beside the practices; a new tag needs a line there with its meaning, "
                "which reviewers check",
        "partnerships": "use the name of a partnership's folder under partnerships/",
    }
    for key, kind, idents, known in checks:
        for index, ident in enumerate(idents):
            if ident not in known:
                message, _ = _unknown(kind, ident, key, known)
                problems.append(document.problem((key, index), message, fixes[key]))
    return problems
