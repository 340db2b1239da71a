"""Open data: /partnerships/index.json and /partnerships/<slug>.json, and the JSON Schema they follow."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from msp_handbook import opendata
from msp_handbook.opendata import EXPORT_VERSION, export_schema

from sitebuild import REPO, build_site, copy_project

SITE_URL = load_config(config_file=str(REPO / "mkdocs.yml")).site_url


def read(site: Path, path: str):
    return json.loads((site / path).read_text(encoding="utf-8"))


def test_every_export_validates_against_the_published_schema(site, handbook):
    schema = read(site, "partnerships/export.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    exports = [site / "partnerships" / name for name in ["index.json", *(f"{p.slug}.json" for p in handbook.partnerships)]]
    for export in exports:
        data = json.loads(export.read_text(encoding="utf-8"))
        errors = [error.message for error in validator.iter_errors(data)]
        assert not errors, f"{export.name}: {errors[:3]}"
        assert data["schema_version"] == EXPORT_VERSION


def test_schema_is_versioned_and_names_where_it_is_published(site):
    schema = read(site, "partnerships/export.schema.json")
    assert schema["$id"] == SITE_URL + "partnerships/export.schema.json"
    assert schema["version"] == EXPORT_VERSION
    # Generated from the same classes as the files: nothing else may write it.
    assert schema == export_schema(schema["$id"])


def test_the_shipped_schema_is_up_to_date_with_the_export_classes():
    shipped = opendata.EXPORT_SCHEMA_BODY
    assert shipped == REPO / "plugins" / "msp_handbook" / "schemas" / "open-data-export.json"
    assert shipped.read_text(encoding="utf-8") == opendata.generated_export_schema_text(), (
        f"{shipped.relative_to(REPO)} is out of date with the export classes: run `make schemas` and commit the result")


def test_the_schema_read_from_the_package_is_the_one_generated_each_time(monkeypatch):
    from pydantic import TypeAdapter

    ids = ["https://example.org/a.json", "https://example.org/b/export.schema.json"]
    body = TypeAdapter(opendata.AnyExport).json_schema(mode="serialization")  # as every build generated it
    expected = [json.dumps({**{key: value for key, value in export_schema(schema_id).items() if key not in body}, **body})
                for schema_id in ids]
    export_schema(ids[0])["$defs"].clear()  # what a caller does with its copy stays with it
    asked = []
    monkeypatch.setattr(opendata, "TypeAdapter", lambda *args: asked.append(args))
    assert [json.dumps(export_schema(schema_id)) for schema_id in ids] == expected
    assert not asked and json.loads(expected[1])["$id"] == ids[1]


def test_schema_rejects_what_an_export_never_holds(site, handbook):
    validator = jsonschema.Draft202012Validator(read(site, "partnerships/export.schema.json"))
    data = read(site, f"partnerships/{handbook.partnerships[0].slug}.json")
    assert validator.is_valid(data)
    assert not validator.is_valid({**data, "kind": "something-else"})
    assert not validator.is_valid({**data, "schema_version": "0.1"})
    broken = {**data, "record": {**data["record"], "stakeholders": [{"id": "x"}]}}
    assert not validator.is_valid(broken)


def test_index_lists_every_partnership_with_addresses_that_exist(site, handbook):
    index = read(site, "partnerships/index.json")
    assert index["kind"] == "partnership-index"
    assert [entry["slug"] for entry in index["partnerships"]] == [p.slug for p in handbook.partnerships]
    for entry, partnership in zip(index["partnerships"], handbook.partnerships, strict=True):
        assert entry["name"] == partnership.name
        assert entry["phase"] == partnership.phase
        assert entry["url"] == f"{SITE_URL}partnerships/{partnership.slug}/"
        assert entry["data"] == f"{SITE_URL}partnerships/{partnership.slug}.json"
        assert (site / "partnerships" / f"{partnership.slug}.json").is_file()


def test_partnership_export_holds_the_validated_record_and_the_log(site, handbook):
    for partnership in handbook.partnerships:
        data = read(site, f"partnerships/{partnership.slug}.json")
        assert data["kind"] == "partnership" and data["slug"] == partnership.slug
        assert data["record"] == partnership.model_dump(mode="json")
        assert data["reviews"] == [review.model_dump(mode="json") for review in partnership.reviews]
        assert [entry["id"] for entry in data["log"]] == [entry.anchor for entry in partnership.log]
        for exported, entry in zip(data["log"], partnership.log, strict=True):
            assert exported["date"] == entry.date.isoformat()
            assert exported["text"] == entry.body
            assert exported["url"] == f"{SITE_URL}partnerships/{partnership.slug}/log/#{entry.anchor}"


def test_without_site_url_addresses_are_relative_to_the_site_root(site_without_site_url):
    site = site_without_site_url
    index = read(site, "partnerships/index.json")
    assert all(not entry["url"].startswith("http") for entry in index["partnerships"])
    assert (site / index["partnerships"][0]["data"]).is_file()


def test_a_partnership_folder_named_like_a_site_wide_export_is_refused_before_site_is_touched(tmp_path, caplog):
    project = copy_project(tmp_path / "project", only="tamberu-taps-for-all")
    (project / "partnerships" / "index").mkdir()
    (project / "partnerships" / "index" / "partnership.yml").write_text("name: Index\n")
    (project / "site").mkdir()
    (project / "site" / "kept.html").write_text("last good site")
    with pytest.raises(Abort):
        build_site(project)
    # Refused with the record's problems (validate says the same), at the folder, with a fix.
    assert ("partnerships/index: folder name 'index' cannot be a partnership slug: its open data would overwrite "
            "/partnerships/index.json") in caplog.text
    assert "fix: rename the folder, e.g. to 'index-partnership'" in caplog.text
    assert (project / "site" / "kept.html").is_file()
