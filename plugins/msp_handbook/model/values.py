"""Value types with messages a coordinator can act on, and the base of every record class.

Each constrained type (an id, a date, a link, Markdown text, an SDG target)
carries its own check, the JSON Schema editors use, and a `ValueKind` naming
it on the reference page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import types
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from .. import markdown_limits
from ..problems import shorten
from .vocabulary import ID_PATTERN, ID_RE

def _check_id(value: str) -> str:
    if not ID_RE.fullmatch(value):
        raise PydanticCustomError(
            "id_format",
            "'{value}' is not a valid id: use lowercase letters, digits and single hyphens, e.g. 'city-water'",
            {"value": shorten(value)},
        )
    return value


# Compiled once: checked for every date and SDG target of every record.
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
_SDG_TARGET = re.compile(r"(\d{1,2})\.([0-9]{1,2}|[a-z])")


def _parse_date(value: object) -> object:
    # YAML already turns 2025-03-14 into a date; a quoted string is accepted
    # too, but never a bare number (pydantic would read it as a timestamp).
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE_TEXT.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError(
        "date_format",
        "'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2025-03-14",
        {"value": shorten(value)},
    )


_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def is_safe_url(url: str) -> bool:
    """Web, mail and relative links only: never javascript:, data: or the like.

    Browsers drop tabs, newlines and control characters inside a URL and
    decode entities in attributes, so the scheme is judged after doing the same.
    """

    if url.isascii() and url.isprintable() and " " not in url and "&" not in url:
        cleaned = url  # nothing to drop or decode: the only printable ASCII space is ' ' (most links; quicker)
    else:
        cleaned = "".join(ch for ch in html.unescape(url) if ch.isprintable() and not ch.isspace())
    scheme = _SCHEME.match(cleaned)
    return scheme is None or scheme.group(1).lower() in _SAFE_SCHEMES


def _check_url(value: str) -> str:
    # Links end up in href attributes, so a record can never carry a script URL.
    if value.strip() and is_safe_url(value):
        return value.strip()
    raise PydanticCustomError(
        "url_scheme",
        "'{value}' is not an allowed link: use an https://, http:// or mailto: address, or a relative path",
        {"value": shorten(value)},
    )


def _check_sdg_target(value: str) -> str:
    match = _SDG_TARGET.fullmatch(value)
    if not match or not 1 <= int(match.group(1)) <= 17:
        raise PydanticCustomError(
            "sdg_target",
            "'{value}' is not an SDG target: write goal.target, e.g. '6.1' or '17.17' (goals 1 to 17); quote it",
            {"value": shorten(value)},
        )
    return value


def _number_to_text(value: object) -> object:
    # `6.1` unquoted is read by YAML as a number; accept it as the target
    # "6.1", spelt as typed (the loader keeps `17.10` from becoming "17.1").
    if isinstance(value, float):
        return getattr(value, "typed", repr(value))
    return value


def check_markdown(value: str) -> str:
    """`value` unchanged if it renders, within the bounds that keep rendering quick; else a PydanticCustomError."""
    problem = markdown_limits.rendering_problem(value)
    if problem is not None:
        raise PydanticCustomError("markdown_limit", "{reason}", {"reason": problem})
    return value


@dataclass(frozen=True)
class ValueKind:
    """What a constrained value is, in words for the reference page (e.g. 'date')."""

    name: str


M = TypeVar("M")


def marker(cls: type[M], annotation: Any, metadata: Iterable[Any] = ()) -> M | None:
    """The `cls` instance attached to a type, directly or through a field's metadata."""
    extra = list(metadata)
    if get_origin(annotation) is Annotated:
        extra += get_args(annotation)[1:]
    return next((item for item in extra if isinstance(item, cls)), None)


def strip_optional(annotation: Any) -> Any:
    """`X` for `Optional[X]` (or `X | None`); anything else unchanged."""
    if get_origin(annotation) is Union or isinstance(annotation, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


# Each type carries the JSON Schema that editors check as you type; the
# validators above stay the authority (and give the friendlier messages).
_URL_SCHEMA_PATTERN = r"^(?:(?:[hH][tT][tT][pP][sS]?://|[mM][aA][iI][lL][tT][oO]:)|(?![A-Za-z][A-Za-z0-9+.\-]*:))\S"
Id = Annotated[
    str, AfterValidator(_check_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN}),
    ValueKind("id"),
]
# The bound of a Markdown field is the renderer's (markdown_limits.py), so editors refuse what the build would.
MarkdownText = Annotated[
    str, AfterValidator(check_markdown), WithJsonSchema({"type": "string", "maxLength": markdown_limits.MAX_CHARS}),
    ValueKind("Markdown text"),
]
Number = Annotated[float, Field(allow_inf_nan=False)]
Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
    ValueKind("date"),
]
Url = Annotated[
    str, AfterValidator(_check_url), WithJsonSchema({"type": "string", "pattern": _URL_SCHEMA_PATTERN}),
    ValueKind("link"),
]
SdgTarget = Annotated[
    str,
    BeforeValidator(_number_to_text),
    AfterValidator(_check_sdg_target),
    WithJsonSchema({"type": "string", "pattern": r"^([1-9]|1[0-7])\.([0-9]{1,2}|[a-z])$"}),
    ValueKind("SDG target"),
]
Text = Annotated[str, Field(min_length=1)]


class Record(BaseModel):
    """Base of every class read from a file: unknown keys are errors, not silently dropped.

    What the loader sets beside the fields (a partnership's slug, an entry's
    anchor: PrivateAttr) is read by properties from `__pydantic_private__`
    itself: `self._slug` first fails the ordinary lookup, then finds it through
    BaseModel.__getattr__, about 1.8 us, and pages read them some 76,000 times
    per build at 100 partnerships (tests/test_load_shortcuts.py).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
