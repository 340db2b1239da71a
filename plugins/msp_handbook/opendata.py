"""Open data: every partnership as JSON, with the JSON Schema of the export, from one definition.

The classes below ARE the export format: the JSON files are dumps of them,
the published schema is generated from them, and the reference page lists
their keys. A key renamed here changes all three together; `EXPORT_VERSION`
says when the shape changes (major: a key removed or changed in meaning).

The exporter is handed an already validated (and, for the audience,
filtered) Handbook and never reads a file itself.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Callable, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .handbook import Handbook
from .model import Partnership, Review
from .urls import SitePaths

EXPORT_VERSION = "1.0"

# Docs path -> the address it is published at (absolute when `site_url` is set).
UrlOf = Callable[[str], str]


class Export(BaseModel):
    """What every open-data file starts with: the version of its format."""

    model_config = ConfigDict(frozen=True)

    schema_version: Literal["1.0"] = Field(
        EXPORT_VERSION, description="Version of this export format; the major number changes when a key is removed or changes meaning."
    )


class ExportedLogEntry(BaseModel):
    """A log entry as the open-data file of its partnership publishes it."""

    id: str = Field(description="Stable id of the entry: its anchor on the partnership's log page.")
    date: dt.date = Field(description="Date of the event, as YYYY-MM-DD.")
    title: str = Field(description="Headline of the entry, as written.")
    step: Optional[str] = Field(None, description="Id of the phase, step or sub-step of the cycle the entry is about.")
    authors: list[str] = Field(default_factory=list, description="Who wrote the entry.")
    tags: list[str] = Field(default_factory=list, description="Keywords of the entry.")
    text: str = Field(description="The body of the entry as written: Markdown, not HTML.")
    url: str = Field(description="Address of the entry on the partnership's log page.")


class PartnershipExport(Export):
    """The open-data file of one partnership: its validated record, log and reviews."""

    kind: Literal["partnership"] = Field("partnership", description="What this file holds: one partnership.")
    slug: str = Field(description="The partnership's folder name and address: stable as long as the folder keeps its name.")
    url: str = Field(description="Address of the partnership's overview page.")
    record: Partnership = Field(
        description="The validated partnership record, with the keys of the [partnership record](#partnership-record), "
        "including its monitoring data."
    )
    log: list[ExportedLogEntry] = Field(default_factory=list, description="The progress log, newest first.")
    reviews: list[Review] = Field(
        default_factory=list, description="The partners' reviews, newest first, each with the keys of a [review](#review)."
    )


class IndexEntry(BaseModel):
    """One partnership in the open-data index: its name, phase, latest update and page."""

    slug: str = Field(description="The partnership's folder name and address.")
    name: str = Field(description="Name of the partnership.")
    phase: Optional[str] = Field(None, description="Id of the phase of the cycle the partnership is in now.")
    last_update: Optional[dt.date] = Field(None, description="Date of the newest log entry, if any.")
    url: str = Field(description="Address of the partnership's overview page.")
    data: str = Field(description="Address of the partnership's own export (a file of kind `partnership`).")


class IndexExport(Export):
    """The open-data index: every published partnership, one entry each."""

    kind: Literal["partnership-index"] = Field("partnership-index", description="What this file holds: the list of partnerships.")
    partnerships: list[IndexEntry] = Field(default_factory=list, description="Every published partnership, by slug.")


AnyExport = Annotated[Union[IndexExport, PartnershipExport], Field(discriminator="kind")]


# The part of the export schema that pydantic generates from the classes above, shipped with the
# package: `make schemas` writes it, and tests/test_opendata.py fails while it is out of date.
EXPORT_SCHEMA_BODY = Path(__file__).parent / "schemas" / "open-data-export.json"


def export_schema(schema_id: str) -> dict:
    """The JSON Schema every export file validates against; `schema_id` is where it is published."""
    schema = json.loads(_shipped_export_schema())  # a copy of its own, whatever the caller does with it
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": "Partnership handbook open data",
        "description": "Files under /partnerships/ ending in .json: `index.json` (kind `partnership-index`) "
        "and one `<slug>.json` per partnership (kind `partnership`).",
        "version": EXPORT_VERSION,
        **schema,
    }


def generated_export_schema_text() -> str:
    """The schema pydantic generates from the classes above, as the text of its shipped file."""
    return json.dumps(TypeAdapter(AnyExport).json_schema(mode="serialization"), indent=2, ensure_ascii=False) + "\n"


@lru_cache(maxsize=1)
def _shipped_export_schema() -> str:
    """The generated schema as shipped, read once per process.

    It depends on nothing but the code; generating it took about 13 ms of
    every `mkdocs build` and `validate` (each a process of its own), read
    it takes a fraction of one.
    """
    return EXPORT_SCHEMA_BODY.read_text(encoding="utf-8")


def partnership_export(partnership: Partnership, paths: SitePaths, url_of: UrlOf) -> PartnershipExport:
    """One partnership as exported."""
    log_page = url_of(paths.partnership(partnership.slug, "log"))
    entries = [
        ExportedLogEntry(id=entry.anchor, date=entry.date, title=entry.title, step=entry.step, authors=list(entry.authors),
                         tags=list(entry.tags), text=entry.body, url=f"{log_page}#{entry.anchor}")
        for entry in partnership.log
    ]
    return PartnershipExport(slug=partnership.slug, url=url_of(paths.partnership(partnership.slug)),
                             record=partnership, log=entries, reviews=list(partnership.reviews))


def index_export(handbook: Handbook, paths: SitePaths, url_of: UrlOf) -> IndexExport:
    """The list of partnerships, each with the address of its own export."""
    return IndexExport(partnerships=[
        IndexEntry(slug=p.slug, name=p.name, phase=p.phase, last_update=p.last_update(),
                   url=url_of(paths.partnership(p.slug)), data=url_of(paths.open_data(p.slug)))
        for p in handbook.partnerships
    ])


def open_data_paths(handbook: Handbook, paths: SitePaths) -> list[str]:
    """The docs paths `open_data_files` makes, in its order."""
    return [paths.open_data_schema(), paths.open_data_index(), *(paths.open_data(p.slug) for p in handbook.partnerships)]


def open_data_files(handbook: Handbook, paths: SitePaths, url_of: UrlOf) -> list[tuple[str, str]]:
    """(docs path, content) of every open-data file: the schema, the index and one file per partnership."""
    schema_path = paths.open_data_schema()
    files = [(schema_path, json_document(export_schema(url_of(schema_path)))),
             (paths.open_data_index(), json_document(index_export(handbook, paths, url_of).model_dump(mode="json")))]
    for partnership in handbook.partnerships:
        files.append((paths.open_data(partnership.slug),
                      json_document(partnership_export(partnership, paths, url_of).model_dump(mode="json"))))
    return files


def json_document(data: dict) -> str:
    """A JSON file's text, one document on one line.

    Not indented: Python writes indented JSON with its pure-Python encoder,
    which took a tenth of a build's own work (every log entry is in a feed);
    readers of these files are programs, and any JSON viewer indents them.
    """
    return json_text(data) + "\n"


def json_text(data: object) -> str:
    """`data` as JSON on one line, written as in json_document (feeds write parts of a document with it)."""
    return json.dumps(data, ensure_ascii=False)
