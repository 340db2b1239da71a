"""JSON Schemas of the source formats, generated from the same model the validator uses.

Editors use them to complete keys and flag mistakes as you type. They cover
each file's shape; what needs the whole handbook (ids that must refer to a
stakeholder or a step, unique ids, file names) only the validator checks. A
key that refers to something else says so in its description (see
model/references.py), so an editor shows what it must name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .model import LogEntry, Partnership, Practice, Review
from .opendata import EXPORT_SCHEMA_BODY, generated_export_schema_text

SCHEMA_DIR = Path(__file__).parent / "schemas"

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "partnership": (Partnership, "A partnership record: partnerships/<slug>/partnership.yml"),
    "log": (LogEntry, "Front matter of a progress-log entry: partnerships/<slug>/log/<date>-<title>.md"),
    "review": (Review, "A review of the partnership: partnerships/<slug>/reviews/<date>.yml"),
    "practice": (Practice, "Front matter of a good practice: content/practices/<slug>.md"),
}


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one source format (`partnership`, `log` or `practice`)."""
    model, description = SCHEMAS[kind]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **model.model_json_schema(),
        "description": description,
    }


def schema_file(kind: str) -> Path:
    """Where the schema of `kind` is shipped in the package."""
    return SCHEMA_DIR / f"{kind}.schema.json"


def schema_text(kind: str) -> str:
    """The schema of `kind` as the text of its shipped file."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas() -> list[Path]:
    """Regenerate the shipped schema files (`make schemas`), and the generated part of the open data's."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    written = []
    for kind in SCHEMAS:
        schema_file(kind).write_text(schema_text(kind), encoding="utf-8")
        written.append(schema_file(kind))
    EXPORT_SCHEMA_BODY.write_text(generated_export_schema_text(), encoding="utf-8")
    return [*written, EXPORT_SCHEMA_BODY]


if __name__ == "__main__":
    for path in write_schemas():
        print(path)
