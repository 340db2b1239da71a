"""References between parts of the handbook, declared in the type of the field that makes them.

A field that names something else is typed `Ref.stakeholder` (or any other
kind below) instead of `Id`. Pydantic then checks it in the same run as the
shape of the file, against the ids passed in the validation context: those
written in the same file (stakeholders, facilitators, bodies...) and those of
the whole handbook (the cycle, the practice tags, the partnership folders).
Without a context (a model built by hand, the JSON Schema) only the id format
is checked.

A new kind of thing to refer to is one line in `REFERENCE_KINDS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo
from pydantic_core import PydanticCustomError, core_schema

from .values import Id
from .vocabulary import RESERVED_ANCHORS

_ADD_ONE = "use one of the ids listed, or add a {label} with id '{ident}'"


@dataclass(frozen=True)
class ReferenceKind:
    """What a reference may name: its label in messages and where its ids are defined."""

    label: str  # "stakeholder or facilitator": words for messages and the reference page
    # Lists of entries with an `id:` in the same file that define the ids, as key
    # paths from the top of the file; empty for ids the loader supplies.
    sections: tuple[tuple[str, ...], ...] = ()
    fix: str = _ADD_ONE  # how to mend an unknown id; may use {label} and {ident}
    reserved: frozenset[str] = frozenset()  # ids refused in these sections


REFERENCE_KINDS: dict[str, ReferenceKind] = {
    # Defined in the same partnership record.
    "stakeholder": ReferenceKind("stakeholder", (("stakeholders",),)),
    "person": ReferenceKind("stakeholder or facilitator", (("stakeholders",), ("facilitators",)),
                            reserved=RESERVED_ANCHORS),
    "body": ReferenceKind("governance body", (("governance", "bodies"),)),
    "indicator": ReferenceKind("indicator", (("indicators",),)),
    "goal": ReferenceKind("goal", (("goals",),)),
    # Defined by the handbook: the cycle file, tags.yml, the partnership folders.
    "phase": ReferenceKind("phase", fix="use a phase id of the cycle, listed on the reference page"),
    "step": ReferenceKind("cycle step", fix="use a step id from the phase's guidance page or the reference page"),
    "phase_or_step": ReferenceKind("phase or step", fix="use a phase, step or sub-step id from the reference page"),
    "tag": ReferenceKind("tag", fix="use a tag from tags.yml beside the practices; a new tag needs a line there "
                                    "with its meaning, which reviewers check"),
    "partnership": ReferenceKind("partnership", fix="use the name of a partnership's folder under partnerships/"),
    # Defined by the site (`building_blocks` in mkdocs.yml) and the partnership's log folder.
    "building_block": ReferenceKind("building block", fix="use a building block id listed on the reference page; "
                                                          "a site sets its own under `building_blocks` in mkdocs.yml"),
    "log_entry": ReferenceKind("log entry", fix="write the file name of a log entry of this partnership, without .md"),
}


@dataclass(frozen=True)
class RefersTo:
    """Marks an id as naming a `kind` of thing; checked against the validation context."""

    kind: str

    def __post_init__(self) -> None:
        if self.kind not in REFERENCE_KINDS:
            raise ValueError(f"unknown reference kind {self.kind!r}: add it to REFERENCE_KINDS")

    @property
    def label(self) -> str:
        """Words for the thing referred to, e.g. 'stakeholder or facilitator'."""
        return REFERENCE_KINDS[self.kind].label

    @property
    def described(self) -> str:
        """The value in words: 'id of a stakeholder'."""
        return f"id of {'an' if self.label[0] in 'aeiou' else 'a'} {self.label}"

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict:
        json_schema = handler.resolve_ref_schema(handler(schema))
        json_schema["description"] = f"Reference: the {self.described}; the validator checks that it exists."
        return json_schema

    def _check(self, value: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get(self.kind)
        if known is not None and value not in known:
            # validate.py turns this into the full message: where, known ids, "did you mean".
            raise PydanticCustomError("unknown_reference", "unknown {label} '{ident}'",
                                      {"label": self.label, "ident": value, "kind": self.kind})
        return value


class _References:
    """`Ref.stakeholder`, `Ref.person`...: an id that must name that kind of thing (see REFERENCE_KINDS)."""

    def __getattr__(self, kind: str) -> Any:
        if kind.startswith("_"):
            raise AttributeError(kind)
        return Annotated[Id, RefersTo(kind)]


# Attribute syntax keeps annotations plain Python for linters and readers:
# `lead: Ref.person` rather than a string that looks like a forward reference.
Ref = _References()
