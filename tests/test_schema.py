"""The JSON Schemas shipped for editors: up to date, and in agreement with the validator.

Editors (through yaml-language-server) check records against the schemas as
people type; the build checks them with the pydantic models. Both must accept
what the handbook's own examples contain and reject the same mistakes, or an
editor would flag correct files or stay silent on broken ones.

Known differences, deliberately NOT tested as agreement here (the validator is
the authority and catches them; a schema cannot express them):

- Cross-references that need the whole record, cycle or handbook: stakeholder,
  facilitator and body ids named elsewhere, cycle step and phase ids, unique
  ids, tags listed in tags.yml, partnership slugs named by practices, "a
  practice must name at least one phase or step", reserved anchor ids.
- File and folder names: partnership slugs, log and practice file names.
- Obfuscated link schemes: the validator unescapes HTML entities and drops
  whitespace and control characters before judging a URL's scheme
  (`java&#115;cript:`, `java\\tscript:`); the schema's pattern sees the raw text.
- Whitespace: the validator strips strings first, so a name of only spaces
  is empty to it but not to the schema's `minLength`; likewise `' 2024-01-02 '`.
- Lax number types: the validator accepts a quoted number ("12") for a number
  and an unquoted SDG target (6.1, a YAML float) for a target; the schema
  wants the JSON type.
- Markdown nesting depth and bracket count (only the length is in the schema);
  infinite or NaN numbers, which JSON cannot express.
- YAML-level checks: duplicate keys, tags, anchors, control characters, sizes.
- Log entries and reviews dated in the future: a warning of the validator only.
- Review files: the date in the file name against `date:`, building block
  ids (a site setting), ratings only by participants, due dates not before
  the review, the next review after it; feedback that links a log entry.
- Rules across several keys of one entry: a ledger amount with a currency or
  a unit (not both, money in a currency), feedback from either a stakeholder
  or a group, `acted-on` feedback naming its log entry.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from msp_handbook.model import LogEntry, Partnership, Practice, Review
from msp_handbook.schema import SCHEMAS, schema_file, schema_for, schema_text

REPO = Path(__file__).resolve().parent.parent
MODELS: dict[str, type[BaseModel]] = {"partnership": Partnership, "log": LogEntry, "practice": Practice, "review": Review}


# --- The shipped files ----------------------------------------------------------


def test_every_kind_has_a_model_and_a_file():
    assert sorted(SCHEMAS) == ["log", "partnership", "practice", "review"]
    for kind, model in MODELS.items():
        assert SCHEMAS[kind][0] is model


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_shipped_schema_is_up_to_date_with_the_model(kind):
    path = schema_file(kind)
    assert path == REPO / "plugins" / "msp_handbook" / "schemas" / f"{kind}.schema.json"
    assert path.is_file(), f"{path} is missing: run `make schemas`"
    assert path.read_text(encoding="utf-8") == schema_text(kind), (
        f"{path.relative_to(REPO)} is out of date with the model: run `make schemas` and commit the result"
    )


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_shipped_schema_is_a_valid_draft_2020_12_schema(kind):
    document = json.loads(schema_file(kind).read_text(encoding="utf-8"))
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(document)
    assert document["additionalProperties"] is False
    assert document["description"] == SCHEMAS[kind][1]


SHIPPED_EXAMPLES = ("alder-valley-community-energy", "sarvana-fair-garments", "tamberu-taps-for-all")


def test_example_records_point_editors_at_the_shipped_schema():
    # The shipped examples only: a coordinator's own record need not carry the line.
    records = [REPO / "partnerships" / slug / "partnership.yml" for slug in SHIPPED_EXAMPLES]
    assert all(record.is_file() for record in records)
    for record in records:
        first = record.read_text(encoding="utf-8").split("\n")[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{record.relative_to(REPO)}: first line {first!r}"
        assert (record.parent / match.group(1)).resolve() == schema_file("partnership").resolve()


def test_example_reviews_point_editors_at_the_shipped_schema():
    reviews = sorted((REPO / "partnerships").glob("*/reviews/*.yml"))
    assert reviews
    for review in reviews:
        first = review.read_text(encoding="utf-8").split("\n")[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{review.relative_to(REPO)}: first line {first!r}"
        assert (review.parent / match.group(1)).resolve() == schema_file("review").resolve()


# --- Agreement on the examples --------------------------------------------------


def as_editor_sees_it(value: Any) -> Any:
    """YAML values as JSON: dates become the ISO strings an editor checks."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): as_editor_sees_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_editor_sees_it(item) for item in value]
    return value


def front_matter(path: Path) -> dict:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0].rstrip() == "---", f"{path} has no front matter"
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in ("---", "..."))
    return yaml.safe_load("\n".join(lines[1:end]))


def examples() -> list[tuple[str, Path]]:
    found = [("partnership", path) for path in sorted((REPO / "partnerships").glob("*/partnership.yml"))]
    found += [("log", path) for path in sorted((REPO / "partnerships").glob("*/log/*.md"))]
    found += [("review", path) for path in sorted((REPO / "partnerships").glob("*/reviews/*.yml"))]
    found += [("practice", path) for path in sorted((REPO / "content" / "practices").glob("*.md"))]
    return found


EXAMPLES = examples()


def load_example(kind: str, path: Path) -> dict:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.suffix == ".yml" else front_matter(path)
    return as_editor_sees_it(raw)


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema_for(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(kind: str, document: Any) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
            for error in validator(kind).iter_errors(document)]


def validator_accepts(kind: str, document: Any) -> tuple[bool, str]:
    try:
        MODELS[kind].model_validate(copy.deepcopy(document))
    except ValidationError as error:
        return False, str(error)
    return True, ""


def test_there_are_examples_of_every_kind():
    kinds = {kind for kind, _ in EXAMPLES}
    assert kinds == {"partnership", "log", "practice", "review"}
    assert sum(kind == "log" for kind, _ in EXAMPLES) >= 3


@pytest.mark.parametrize(("kind", "path"), EXAMPLES, ids=[str(path.relative_to(REPO)) for _, path in EXAMPLES])
def test_every_example_is_valid_for_schema_and_validator(kind, path):
    document = load_example(kind, path)
    assert schema_errors(kind, document) == [], f"the {kind} schema rejects {path.relative_to(REPO)}"
    accepted, why = validator_accepts(kind, document)
    assert accepted, f"the validator rejects {path.relative_to(REPO)}:\n{why}"


# --- Agreement on mistakes ------------------------------------------------------

PARTNERSHIP = {
    "name": "Demo partnership",
    "started": "2024-03-01",
    "thematic_frame": {"sdg_targets": ["6.1"]},
    "stakeholders": [{"id": "city-water", "name": "City Water", "sector": "public", "website": "https://example.org"}],
    "cycle": {"clarify-idea": {"status": "done", "date": "2024-03-02",
                               "evidence": [{"title": "Notes", "url": "https://example.org/notes"}]}},
    "goals": [{"id": "water", "title": "Water for all", "level": "outcome", "serves": ["city-water"]}],
    "indicators": [{"id": "households", "goal": "water", "name": "Households", "measure": "number",
                    "better": "higher", "baseline": {"date": "2024-03-01", "value": 0},
                    "targets": [{"period": "2025", "start": "2025-01-01", "end": "2025-12-31", "value": 1000}],
                    "actuals": [{"date": "2024-06-30", "value": 120, "reported_by": ["city-water"]}]}],
}
LOG = {"date": "2024-03-14", "title": "First meeting", "authors": ["A. Person"], "tags": ["kickoff"]}
PRACTICE = {"title": "Do a thing", "summary": "Why it helps.", "phases": ["exploration"],
            "tags": ["facilitation"], "difficulty": "easy", "sectors": ["public"]}
REVIEW = {"date": "2025-03-14", "participants": ["city-water"], "ratings": {"city-water": {"results": "green"}},
          "statement": "Going well.", "actions": [{"task": "Write it up", "owner": "city-water", "due": "2025-04-01"}],
          "next_review": "2025-09-14"}
PARTNERSHIP["ledger"] = {"put_in": [{"stakeholder": "city-water", "date": "2024-03-01", "kind": "money",
                                     "description": "Co-funding", "amount": 1000, "currency": "EUR"}]}
PARTNERSHIP["feedback"] = [{"date": "2024-04-01", "group": "Residents", "channel": "meeting", "said": "More taps",
                            "status": "open"}]
BASES = {"partnership": PARTNERSHIP, "log": LOG, "practice": PRACTICE, "review": REVIEW}


def changed(kind: str, change) -> dict:
    document = copy.deepcopy(BASES[kind])
    change(document)
    return document


def setter(*path, value=None, delete=False):
    def change(document):
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        if delete:
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
    return change


INVALID = [
    ("unknown-key-top", "partnership", setter("sumary", value="typo")),
    ("unknown-key-nested", "partnership", setter("stakeholders", 0, "webiste", value="https://example.org")),
    ("unknown-key-in-cycle-step", "partnership", setter("cycle", "clarify-idea", "note", value="typo")),
    ("unknown-key-log", "log", setter("step-id", value="clarify-idea")),
    ("unknown-key-practice", "practice", setter("tag", value=["facilitation"])),
    ("sector-not-in-enum", "partnership", setter("stakeholders", 0, "sector", value="government")),
    ("status-not-in-enum", "partnership", setter("cycle", "clarify-idea", "status", value="finished")),
    ("difficulty-not-in-enum", "practice", setter("difficulty", value="hard")),
    ("purpose-not-in-enum", "partnership", setter("purposes", value=[{"purpose": "world-peace", "statement": "x"}])),
    ("facilitator-kind-not-in-enum", "partnership",
     setter("facilitators", value=[{"id": "broker", "name": "B", "kind": "neutral"}])),
    ("practice-sector-not-in-enum", "practice", setter("sectors", value=["government"])),
    ("string-for-list-authors", "log", setter("authors", value="A. Person")),
    ("string-for-list-interests", "partnership", setter("stakeholders", 0, "interests", value="money")),
    ("string-for-list-sectors", "practice", setter("sectors", value="public")),
    ("list-for-string-title", "log", setter("title", value=["First", "meeting"])),
    ("string-for-group", "partnership", setter("thematic_frame", value="water")),
    ("number-for-text", "log", setter("title", value=5)),
    ("list-for-measurement", "partnership", setter("indicators", 0, "actuals", 0, "value", value=[1, 2])),
    ("measure-not-in-enum", "partnership", setter("indicators", 0, "measure", value="count")),
    ("goal-level-not-in-enum", "partnership", setter("goals", 0, "level", value="result")),
    ("actual-without-reporter", "partnership", setter("indicators", 0, "actuals", 0, "reported_by", value=[])),
    ("missing-name", "partnership", setter("name", delete=True)),
    ("missing-title-practice", "practice", setter("title", delete=True)),
    ("missing-summary-practice", "practice", setter("summary", delete=True)),
    ("missing-title-log", "log", setter("title", delete=True)),
    ("missing-date-log", "log", setter("date", delete=True)),
    ("missing-stakeholder-sector", "partnership", setter("stakeholders", 0, "sector", delete=True)),
    ("bad-id-stakeholder", "partnership", setter("stakeholders", 0, "id", value="City_Water")),
    ("bad-id-double-hyphen", "partnership", setter("indicators", 0, "id", value="house--holds")),
    ("bad-id-log-tag", "log", setter("tags", value=["Steering Group"])),
    ("bad-id-practice-step", "practice", setter("steps", value=["Clarify Idea"])),
    # A cycle step key must be an id too; the validator says so at the key.
    ("bad-id-cycle-key", "partnership", setter("cycle", "Clarify_Idea", value={"status": "done"})),
    ("bad-date-month-13", "log", setter("date", value="2024-13-01")),
    ("bad-date-soon", "log", setter("date", value="soon")),
    ("bad-date-feb-30", "partnership", setter("started", value="2024-02-30")),
    ("bad-date-short-form", "partnership", setter("cycle", "clarify-idea", "date", value="2024-3-2")),
    ("bad-date-endorsement", "partnership",
     setter("code_of_conduct", value={"endorsements": [{"stakeholder": "city-water", "date": "2024-13-01", "by": "X"}]})),
    ("unsafe-url-javascript", "partnership", setter("stakeholders", 0, "website", value="javascript:alert(1)")),
    ("unsafe-url-mixed-case", "partnership",
     setter("cycle", "clarify-idea", "evidence", 0, "url", value="JavaScript:alert(1)")),
    ("unsafe-url-data", "partnership",
     setter("cycle", "clarify-idea", "evidence", 0, "url", value="data:text/html,<script>alert(1)</script>")),
    ("sdg-goal-18", "partnership", setter("thematic_frame", "sdg_targets", value=["18.1"])),
    ("sdg-goal-0", "partnership", setter("thematic_frame", "sdg_targets", value=["0.1"])),
    ("sdg-no-target", "partnership", setter("thematic_frame", "sdg_targets", value=["6"])),
    ("more-than-3-tags", "practice", setter("tags", value=["facilitation", "inclusion", "conflict", "monitoring"])),
    ("empty-name", "partnership", setter("name", value="")),
    ("empty-title-log", "log", setter("title", value="")),
    ("empty-author", "log", setter("authors", value=[""])),
    ("empty-list-item-interests", "partnership", setter("stakeholders", 0, "interests", value=[""])),
    ("null-list", "practice", setter("authors", value=None)),
    ("markdown-too-long", "partnership", setter("cycle", "clarify-idea", "notes", value="x" * 50_001)),
    ("rating-not-in-enum", "review", setter("ratings", "city-water", "results", value="yellow")),
    ("rating-block-not-an-id", "review", setter("ratings", "city-water", "Results", value="green")),
    ("rating-stakeholder-not-an-id", "review", setter("ratings", "City Water", value={})),
    ("missing-statement", "review", setter("statement", delete=True)),
    ("no-participants", "review", setter("participants", value=[])),
    ("action-status-not-in-enum", "review", setter("actions", 0, "status", value="finished")),
    ("action-without-due", "review", setter("actions", 0, "due", delete=True)),
    ("bad-date-next-review", "review", setter("next_review", value="next spring")),
    ("ledger-kind-not-in-enum", "partnership", setter("ledger", "put_in", 0, "kind", value="cash")),
    ("ledger-currency-not-a-code", "partnership", setter("ledger", "put_in", 0, "currency", value="euro")),
    ("ledger-negative-amount", "partnership", setter("ledger", "put_in", 0, "amount", value=-5)),
    ("feedback-channel-not-in-enum", "partnership", setter("feedback", 0, "channel", value="pigeon")),
    ("feedback-status-not-in-enum", "partnership", setter("feedback", 0, "status", value="closed")),
]


def test_there_are_enough_invalid_cases():
    assert len(INVALID) >= 15
    assert len({name for name, _, _ in INVALID}) == len(INVALID)
    assert {kind for _, kind, _ in INVALID} == {"partnership", "log", "practice", "review"}


@pytest.mark.parametrize("kind", sorted(BASES))
def test_the_valid_bases_of_the_invalid_cases_are_valid_for_both(kind):
    # Otherwise every invalid case below would pass for the wrong reason.
    assert schema_errors(kind, BASES[kind]) == []
    accepted, why = validator_accepts(kind, BASES[kind])
    assert accepted, why


@pytest.mark.parametrize(("name", "kind", "change"), INVALID, ids=[name for name, _, _ in INVALID])
def test_schema_and_validator_both_reject(name, kind, change):
    document = changed(kind, change)
    assert document != BASES[kind]
    accepted, _ = validator_accepts(kind, document)
    assert not accepted, f"the validator accepts {name}: {document}"
    assert schema_errors(kind, document), f"the {kind} schema accepts {name}, which the validator refuses: {document}"


def test_date_format_is_only_caught_with_format_checking_on():
    # Without a format checker, `format: date` is a mere annotation; the tests
    # above use one, as yaml-language-server does.
    document = changed("log", setter("date", value="2024-13-01"))
    assert Draft202012Validator(schema_for("log")).is_valid(document)
    assert not validator("log").is_valid(document)
