"""Record text never becomes live markup, and bad input never costs a good site."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Optional

import pytest
from mkdocs.exceptions import Abort
from pydantic import Field, create_model

from msp_handbook.model import Date, Id, MarkdownText, Partnership, Record, Ref, Text, Url
from msp_handbook.schema import SCHEMAS
from msp_handbook.urls import PARTNERSHIP_TABS

import commands
from hostile import FILES, HOSTILE, HOSTILE_MARKDOWN, HOSTILE_URL, attack_document
from sitebuild import REPO, Page, build_site, copy_project, digest


def hostile_pages(site: Path) -> list[Page]:
    paths = sorted((site / "partnerships").rglob("index.html"))
    # Each tab of the hostile partnership and its dossier, besides the dashboard and its filter pages (which list it too).
    assert sum(1 for path in paths if "hostile" in path.relative_to(site).parts) == len(PARTNERSHIP_TABS) + 1
    assert site / "partnerships" / "index.html" in paths
    return [Page(path) for path in paths] + [Page(site / "practices/hostile-practice/index.html")]


def test_record_text_never_becomes_script_or_markup(hostile_site):
    for page in hostile_pages(hostile_site):
        for tag, attributes in page.elements:
            for name, value in attributes.items():
                assert not name.startswith("on"), (tag, name, value)
                if name in ("href", "src"):
                    # Record URLs arrive percent-encoded: nothing in them can end the attribute.
                    assert not any(char in (value or "") for char in '"<> '), (tag, name, value)
                    assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (tag, value)
            assert tag not in ("img", "b", "iframe"), (tag, attributes)
        assert "injected-marker" not in page.ids
        assert "<script>alert" not in page.html


def test_hostile_text_is_shown_literally(hostile_site):
    overview = Page(hostile_site / "partnerships/hostile/index.html")
    text = overview.article()
    assert "{{ 7*7 }}" in text and "{% if true %}TPL{% endif %}" in text
    assert '<script>alert("x");console.log("XSS-MARKER")</script><img src=x onerror=alert(1)>' in text
    assert "[click](javascript:alert(2)) *stars* `ticks` | pipe" in text
    # The page title is escaped in <title> and the header too.
    assert "<title>&lt;script&gt;" in overview.html


def test_markdown_fields_render_markdown_but_not_raw_html(hostile_site):
    log = Page(hostile_site / "partnerships/hostile/log/index.html")
    text = log.article()
    assert "<script>alert(3)</script>" in text  # shown as text
    assert '<div onclick="alert(4)">x</div>' in text
    assert ("", "js") in log.links or all(href != "javascript:alert(5)" for href, _ in log.links)
    hrefs = [href for href, _ in log.links]
    assert not any("script:" in href.replace("\t", "") or href.startswith("data:") for href in hrefs)


def test_every_kind_of_source_file_has_a_hostile_one():
    assert set(FILES) == set(SCHEMAS), "add the new kind of source file to FILES in tests/hostile.py"


def test_a_field_added_later_is_attacked_without_editing_hostile_py():
    class Audit(Record):
        id: Id = Field(description="Id of the audit.")
        finding: Text = Field(description="What the partners found.")
        notes: Optional[MarkdownText] = Field(None, description="Discussion.")
        source: Optional[Url] = Field(None, description="Minutes.")
        held: Date = Field(description="When.")
        chaired_by: Ref.person = Field(description="Who chaired it.")
        attended: list[Ref.stakeholder] = Field(default_factory=list, description="Who came.")

    extended = create_model("Extended", __base__=Partnership,
                            audits=(list[Audit], Field(default_factory=list, description="Audits.")))
    document = attack_document(extended)
    stakeholders = [stakeholder["id"] for stakeholder in document["stakeholders"]]
    audit = document["audits"][0]
    assert (audit["finding"], audit["notes"], audit["source"]) == (HOSTILE, HOSTILE_MARKDOWN, HOSTILE_URL)
    assert audit["chaired_by"] == stakeholders[0] and audit["attended"] == stakeholders
    assert len({entry["id"] for entry in document["audits"]}) == 2
    extended.model_validate(document)


def test_an_invalid_record_stops_the_build_before_site_is_touched(built_project, caplog):
    project = built_project
    site = project / "site"
    before = digest(site)
    record = project / "partnerships" / "tamberu-taps-for-all" / "partnership.yml"
    record.write_text(record.read_text().replace("stakeholders:", "stakholders:", 1))
    with pytest.raises(Abort):
        build_site(project)
    assert "unknown key 'stakholders'" in caplog.text
    assert digest(site) == before


def test_cli_build_reports_file_line_and_fix_without_a_traceback(tmp_path):
    project = copy_project(tmp_path / "project", only="tamberu-taps-for-all")
    record = project / "partnerships" / "tamberu-taps-for-all" / "partnership.yml"
    lines = record.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("stakeholders:"))
    lines[number] = "stakholders:"
    record.write_text("\n".join(lines) + "\n")
    result = commands.run(["mkdocs", "build", "--strict"], cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    assert (f"partnerships/tamberu-taps-for-all/partnership.yml:{number + 1}:1: "
            "unknown key 'stakholders' — did you mean 'stakeholders'?") in result.stderr
    assert "fix: allowed here:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_a_handwritten_page_at_a_generated_url_is_refused(tmp_path, caplog):
    project = copy_project(tmp_path / "project", only="tamberu-taps-for-all")
    (project / "content" / "partnerships").mkdir()
    (project / "content" / "partnerships" / "index.md").write_text("# Mine\n")
    with pytest.raises(Abort):
        build_site(project)
    assert ("content/partnerships/index.md: clashes with the page the handbook generates at the same address "
            "(partnerships/index.md)") in caplog.text


def test_make_build_keeps_the_old_site_when_a_strict_build_fails(tmp_path):
    """`make build` (mkdocs build --strict) builds aside and swaps, so even MkDocs' own late strict abort loses nothing."""
    # About the site, not the records: a copy with one partnership, with the site it built last.
    project = copy_project(tmp_path / "project", only="tamberu-taps-for-all")
    build_site(project)
    (project / "Makefile").write_text((REPO / "Makefile").read_text())
    before = digest(project / "site")
    assert "index.html" in before
    make = ["make", "-s", "-o", ".venv/.installed", f"BIN={Path(sys.executable).parent}", "build"]
    # A broken link in a hand-written page is only a warning, counted by --strict after every page is written.
    (project / "content" / "index.md").write_text("# Home\n\n[gone](missing-page.md)\n")
    failed = subprocess.run(make, cwd=project, capture_output=True, text=True)
    assert failed.returncode != 0
    assert "build] Error 1" in failed.stderr, failed.stderr  # make names mkdocs' own exit status
    assert "missing-page.md" in failed.stderr
    assert digest(project / "site") == before
    # Once fixed, the new site takes the old one's place and no scratch folder is left.
    (project / "content" / "index.md").write_text("# Home\n\nFixed.\n")
    fixed = subprocess.run(make, cwd=project, capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stderr
    assert "Fixed." in Page(project / "site" / "index.html").article()
    assert sorted(path.name for path in project.iterdir() if path.name.startswith(".site")) == []


def test_strict_build_fails_on_a_log_entry_dated_in_the_future(tmp_path, caplog):
    project = copy_project(tmp_path / "project", only="tamberu-taps-for-all")
    entry = project / "partnerships" / "tamberu-taps-for-all" / "log" / "2999-01-01-typo.md"
    entry.write_text("---\ndate: 2999-01-01\ntitle: Year typo\n---\nBody\n")
    with pytest.raises(Abort, match="strict"):
        build_site(project)
    assert "partnerships/tamberu-taps-for-all/log/2999-01-01-typo.md:2:1: log entry is dated 2999-01-01, in the future" in caplog.text


# --- Regressions found in review: each of these once produced live markup ---


def small_project(tmp_path: Path, record: str, log_files: dict[str, str] | None = None) -> Path:
    project = copy_project(tmp_path / "project", with_partnerships=False)
    folder = project / "partnerships" / "p"
    (folder / "log").mkdir(parents=True)
    (folder / "partnership.yml").write_text(record, encoding="utf-8")
    for name, text in (log_files or {}).items():
        (folder / "log" / name).write_text(text, encoding="utf-8")
    return project


def live_markup(page: Page) -> list:
    return [(tag, name, value) for tag, attributes in page.elements for name, value in attributes.items()
            if name.startswith("on") or name == "autofocus"
            or (name in ("href", "src") and (value or "").lower().startswith(("javascript:", "data:")))]


def test_link_fields_cannot_break_out_of_their_href(tmp_path):
    attack = "https://e.org/[x](/x autofocus onfocus=alert(1) tabindex=1 )`![i](/ onerror=alert(2))`"
    project = small_project(tmp_path, textwrap.dedent(f"""\
        name: Links
        stakeholders:
          - {{id: a, name: A, sector: public, website: "{attack}"}}
        cycle:
          clarify-idea:
            status: done
            evidence: [{{title: Proof, url: "{attack}"}}, {{title: Paper, url: "https://en.wikipedia.org/wiki/Foo_(bar)"}}]
        """))
    site = build_site(project)
    for url in ("stakeholders", "cycle"):
        page = Page(site / "partnerships/p" / url / "index.html")
        assert live_markup(page) == []
        assert not any(tag == "img" for tag, _ in page.elements)
    cycle = Page(site / "partnerships/p/cycle/index.html")
    hrefs = dict((text, href) for href, text in cycle.links)
    assert hrefs["Paper"] == "https://en.wikipedia.org/wiki/Foo%5F%28bar%29"


def test_names_outside_the_basic_plane_keep_the_title_escaped(tmp_path):
    name = "Café 🌍 𠀋 [x](javascript:alert(1)) ![i](https://x.invalid/i.png){: onerror=alert(2) }"
    project = small_project(tmp_path, f'name: "{name}"\n')
    site = build_site(project)
    overview = Page(site / "partnerships/p/index.html")
    assert live_markup(overview) == []
    assert f"<title>{html_escape(name)} - " in overview.html
    assert "<hr" not in overview.html.split('<article', 1)[1].split("</article>")[0]


def html_escape(text: str) -> str:
    import html

    return html.escape(text)


def test_log_file_names_must_be_plain(tmp_path, caplog):
    entry = "---\ndate: 2024-01-01\ntitle: T\n---\nBody\n"
    project = small_project(tmp_path, "name: P\n", {'2024-01-01-x" onmouseover="alert(1)".md': entry})
    with pytest.raises(Abort):
        build_site(project)
    assert "a log entry's file name may only hold lowercase letters" in caplog.text
    assert "rename it to '2024-01-01-x-onmouseover-alert-1.md'" in caplog.text


def test_two_log_files_with_the_same_anchor_are_refused(tmp_path, caplog):
    entry = "---\ndate: 2024-02-01\ntitle: T\n---\nBody\n"
    project = small_project(tmp_path, "name: P\n", {"2024-02-01-a_b.md": entry, "2024-02-01-a-b.md": entry})
    with pytest.raises(Abort):
        build_site(project)
    assert "same web anchor '#2024-02-01-a-b'" in caplog.text


def test_deeply_nested_or_bracket_heavy_markdown_is_refused_not_crashed(tmp_path, caplog):
    nested = "".join("  " * level + "- x\n" for level in range(60))
    project = small_project(tmp_path, "name: P\n", {
        "2024-01-01-deep.md": "---\ndate: 2024-01-01\ntitle: Deep\n---\n" + nested,
        "2024-01-02-brackets.md": "---\ndate: 2024-01-02\ntitle: B\n---\n" + "[" * 1000 + "\n",
    })
    with pytest.raises(Abort):
        build_site(project)
    assert "2024-01-01-deep.md:5:1: the log entry's text: a line starts with 26 characters of indentation" in caplog.text
    assert "2024-01-02-brackets.md:5:1: the log entry's text: the text has square brackets left open" in caplog.text


def test_reserved_anchor_ids_are_refused(tmp_path, caplog):
    project = small_project(tmp_path, "name: P\nstakeholders:\n  - {id: facilitators, name: F, sector: other}\n")
    with pytest.raises(Abort):
        build_site(project)
    assert "partnership.yml:3:10: id 'facilitators' is reserved" in caplog.text


def test_front_matter_titles_read_back_as_written_for_every_character():
    # Generated pages' front matter is written by hand (yaml_string), not by a
    # YAML library: every code point, alone and among text, must read back as it was.
    import yaml

    from msp_handbook.escaping import page_header, plain, yaml_string

    # Lone surrogates aside: no text decoded from a UTF-8 file holds one (and libyaml refuses them).
    everything = [chr(point) for point in range(0x110000) if not 0xD800 <= point <= 0xDFFF]
    for start in range(0, len(everything), 4096):
        text = "a" + "".join(everything[start:start + 4096]) + "z"
        assert yaml.load(f"title: {yaml_string(text)}\n", Loader=yaml.CSafeLoader) == {"title": text}
    for title in ("Quote \" back\\slash", "Ünïcode 🌍 \x85 next\u2028line", "a: b # c", HOSTILE):
        header = page_header(title, searchable=False, wide=True)
        front_matter = header.split("---\n")[1]
        assert yaml.safe_load(front_matter) == {"title": html_escape(plain(title)), "search": {"exclude": True},
                                                "hide": ["toc"]}
