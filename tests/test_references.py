"""References declared in the model: a field typed `Ref[...]` is checked by the same validation run.

The point of declaring references in the model is that a new field naming a
stakeholder (or a body, a step...) needs nothing else: these tests define such
fields in test-only models and show they are checked, located and described,
with no change to validate.py. They validate through `validate_document`, the
function the loader calls for every file.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Optional

import pytest
from pydantic import Field

from msp_handbook.handbook import default_cycle_file, load_cycle
from msp_handbook.load import parse_yaml
from msp_handbook.model import LogEntry, Partnership, Record, Ref, RefersTo
from msp_handbook.structure.reference import document_keys, record_formats
from msp_handbook.validate import reference_context, validate_document

SOURCE = Path("partnerships/demo/partnership.yml")


class Sponsorship(Record):
    """A test-only part of a record, as a future feature would add it."""

    sponsor: Ref.stakeholder = Field(description="Id of the stakeholder who pays.")
    amount: Optional[float] = Field(None, description="How much.")


class SponsoredPartnership(Partnership):
    sponsorships: list[Sponsorship] = Field(default_factory=list, description="Who pays for what.")
    chair: Optional[Ref.person] = Field(None, description="Id of the stakeholder or facilitator who chairs.")


class ReportedLogEntry(LogEntry):
    reported_by: list[Ref.stakeholder] = Field(default_factory=list, description="Who reported it.")


@pytest.fixture(scope="module")
def cycle_ids() -> dict[str, list[str]]:
    path = default_cycle_file()
    cycle, problems = load_cycle(path, path.parent)
    assert cycle is not None, problems
    return cycle.reference_ids()


def validate(model, text: str, known=None):
    document, problems = parse_yaml(textwrap.dedent(text), SOURCE)
    assert document is not None and not problems, problems
    return validate_document(model, document, known or {})


RECORD = """\
name: Demo
stakeholders:
  - {id: brewco, name: BrewCo, sector: private}
  - {id: city-water, name: City Water, sector: public}
facilitators:
  - {id: fay, name: Fay, kind: external}
"""


def test_a_new_field_naming_a_stakeholder_is_checked_where_it_is_written(cycle_ids):
    text = RECORD + "sponsorships:\n  - {sponsor: brewco, amount: 10}\n  - sponsor: brewcoo\nchair: nobody\n"
    model, problems = validate(SponsoredPartnership, text, cycle_ids)
    assert model is None
    assert [(p.file, p.line, p.column) for p in problems] == [(SOURCE, 9, 14), (SOURCE, 10, 8)]
    assert problems[0].message == ("unknown stakeholder 'brewcoo' in sponsorships; known: brewco, city-water"
                                   " — did you mean 'brewco'?")
    assert "'brewcoo'" in problems[0].fix
    assert problems[1].message.startswith("unknown stakeholder or facilitator 'nobody' in chair; known: brewco, city-water, fay")


def test_a_new_field_naming_a_stakeholder_accepts_the_stakeholders_of_the_record(cycle_ids):
    text = RECORD + "sponsorships:\n  - {sponsor: city-water}\nchair: fay\n"
    model, problems = validate(SponsoredPartnership, text, cycle_ids)
    assert problems == []
    assert model.sponsorships[0].sponsor == "city-water" and model.chair == "fay"


def test_a_new_field_is_described_as_a_reference_on_the_reference_page_and_in_the_schema():
    kinds = {key.key: key.kind for key in document_keys(SponsoredPartnership)}
    assert kinds["sponsorships[].sponsor"] == "id of a stakeholder"
    assert kinds["chair"] == "id of a stakeholder or facilitator"
    schema = json.dumps(SponsoredPartnership.model_json_schema())
    assert "Reference: the id of a stakeholder or facilitator; the validator checks that it exists." in schema


def test_a_log_entry_field_naming_a_stakeholder_uses_the_ids_of_its_record(cycle_ids):
    record, _ = parse_yaml(RECORD, SOURCE)
    known = reference_context(Partnership, record.value, cycle_ids)
    entry, problems = validate(ReportedLogEntry, "date: 2025-01-01\ntitle: T\nreported_by: [brewco, ghost]\n", known)
    assert [(p.line, p.column) for p in problems] == [(3, 23)]
    assert "unknown stakeholder 'ghost' in reported_by; known: brewco, city-water" in problems[0].message


def test_references_to_an_entry_with_a_mistake_of_its_own_are_not_echoed(cycle_ids):
    text = RECORD.replace("sector: private", "sector: privat") + "chair: brewco\nsponsorships:\n  - {sponsor: brewco}\n"
    _, problems = validate(SponsoredPartnership, text, cycle_ids)
    assert [p.message.split(" —")[0] for p in problems] == ["'privat' is not a valid 'stakeholders[1].sector'"]


def test_a_misspelt_section_still_defines_its_ids_so_one_mistake_gives_one_message(cycle_ids):
    text = RECORD.replace("stakeholders:", "stakholders:") + "sponsorships:\n  - {sponsor: brewco}\n"
    _, problems = validate(SponsoredPartnership, text, cycle_ids)
    assert [(p.line, p.message.split(" —")[0]) for p in problems] == [(2, "unknown key 'stakholders'")]


def test_a_section_that_is_not_a_list_does_not_make_every_reference_unknown(cycle_ids):
    text = "name: Demo\nstakeholders: none yet\nsponsorships:\n  - {sponsor: brewco}\n"
    _, problems = validate(SponsoredPartnership, text, cycle_ids)
    assert [p.message for p in problems] == ["'stakeholders' must be a list, not 'none yet'"]


def test_without_a_context_only_the_id_format_is_checked():
    model = SponsoredPartnership.model_validate({"name": "X", "sponsorships": [{"sponsor": "anyone"}]})
    assert model.sponsorships[0].sponsor == "anyone"


def test_a_reference_to_an_undeclared_kind_fails_when_the_model_is_defined():
    with pytest.raises(ValueError, match="REFERENCE_KINDS"):
        RefersTo("sponsor")


# --- The reference page --------------------------------------------------------------


def test_reference_texts_are_markdown_that_shows_as_written():
    # Places, kinds and descriptions reach the page as Markdown: anything that
    # would turn into HTML there (a `<` outside a code span) must be in a code span.
    for record_format in record_formats():
        texts = [record_format.where] + [text for key in record_format.keys for text in (key.kind, key.description)]
        for text in texts:
            outside_code = re.sub(r"`[^`]*`", "", str(text))
            assert "<" not in outside_code and "`" not in outside_code, f"{record_format.title}: {text}"
            assert "|" not in outside_code.replace("\\|", ""), f"{record_format.title}: {text}"
