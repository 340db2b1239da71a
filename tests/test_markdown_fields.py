"""Markdown fields: what validates renders, within bounds, and loads nothing from elsewhere (issue 9).

No test here measures time: the bounds are asserted as bounds, and the inputs
that once crashed or crawled are asserted to be refused by them or to render
without an exception. `tests/markdown_fuzz.py` searches for new such inputs.
"""

from __future__ import annotations

import os
import random

import pytest

from msp_handbook import field_markdown, markdown_limits, render
from msp_handbook.markdown_limits import (
    MAX_BLOCK_CHARS,
    MAX_CHARS,
    MAX_LINES,
    MAX_NESTING,
    cost_problem,
    rendering_problem,
)
from msp_handbook.field_markdown import FieldLinks, is_local_url, markdown_html
from msp_handbook.source_files import read_markdown_source
from sitebuild import REPO
from test_validation import only_problem, write_record

LOG = "---\ndate: 2025-01-01\ntitle: T\n---\n"


# --- Every bound holds, and only just -------------------------------------------------


def paragraphs(count: int, size: int) -> str:
    return "\n\n".join(["x" * size] * count)


@pytest.mark.parametrize("within, beyond", [
    (paragraphs(MAX_CHARS // MAX_BLOCK_CHARS, MAX_BLOCK_CHARS - 2), "x\n\n" * (MAX_CHARS // 3 + 1)),
    ("x\n" * (MAX_LINES - 1) + "x", "x\n" * MAX_LINES + "x"),
    ("x" * MAX_BLOCK_CHARS, "x" * (MAX_BLOCK_CHARS + 1)),
    (" " * MAX_NESTING + "x", " " * (MAX_NESTING + 1) + "x"),
    # n brackets left open make the renderer read n + (n-1) + ... + 1 characters ahead.
    ("[" * 315, "[" * 316),
    ("[x](y) " * 700, "[" + "x" * 4999 + "\n\n" + "[" + "x" * 4999 + "]" * 100),
])
def test_each_bound_admits_its_limit_and_refuses_one_more(within, beyond):
    assert cost_problem(within) is None
    assert cost_problem(beyond) is not None


@pytest.mark.parametrize("prefix", ["- ", "* ", "+ ", "1. ", "1) ", "> ", ">", "  ", "\t", "- > ", "> 1. "])
def test_nesting_counts_every_kind_of_container_marker(prefix):
    # The recursion that once crashed came from markers (`- - - - x`), not only indentation.
    line = prefix * (MAX_NESTING // len(prefix) + 1) + "x"
    assert "a line starts with" in cost_problem(line)


def test_markers_inside_a_line_are_not_nesting():
    assert cost_problem("x " + "- " * 100 + "> " * 100) is None


# --- What once crashed or crawled ----------------------------------------------------------


@pytest.mark.parametrize("text", [
    "**![[<http://x>+ " * 200,                                                             # found by markdown_fuzz.py
    "- " * 1000 + "x", "1. " * 1000 + "x", "* " * 1000 + "x", "> - " * 1000 + "x",    # RecursionError
    "[" * 20000, "\\" * 49000, "` " * 24000, "|a|b|\n|-|-|\n" + "|x|y|\n" * 8000,      # seconds each
    "# x\n" * 12000, "\n\n".join(["x"] * 16000), "*a " * 16000,
])
def test_inputs_that_crashed_or_crawled_are_refused_by_the_bounds(text):
    assert cost_problem(text) is not None


def worst_cases() -> dict[str, str]:
    """Inputs at the bounds, each as heavy as the bounds allow for one kind of markup."""
    def fill(unit: str) -> str:
        block = (unit * (MAX_BLOCK_CHARS // len(unit)))[:MAX_BLOCK_CHARS - 1]
        return "\n\n".join([block] * (MAX_CHARS // (MAX_BLOCK_CHARS + 2)))
    cases = {name: fill(unit) for name, unit in {
        "escapes": "\\", "backticks": "` ", "emphasis": "*a ", "strong": "***a", "underscores": "_a ",
        "entities": "&#65;", "autolinks": "<http://a> ", "angles": "<a ", "ampersands": "&x; ",
    }.items()}
    cases["nested containers"] = "\n".join(["> - " * (MAX_NESTING // 4) + "x"] * (MAX_LINES - 1))[:MAX_BLOCK_CHARS]
    cases["open brackets"] = "[" * 315
    cases["open images"] = "![" * 223
    cases["nested brackets"] = "[" * 223 + "x" + "]" * 223
    cases["links"] = fill("[ab](c) ")
    cases["emphasis runs"] = "*" * 2000 + "x" + "*" * 2000
    cases["table"] = "|a|b|\n|-|-|\n" + "|*x*|`y`|\n" * 400
    return cases


@pytest.mark.parametrize("name", sorted(worst_cases()))
def test_the_heaviest_text_within_the_bounds_renders(name):
    text = worst_cases()[name]
    assert cost_problem(text) is None, name
    assert rendering_problem(text) is None
    assert markdown_html(text)


# --- Validation renders every field once, the build the same way --------------------------


def test_a_renderer_failure_is_a_located_problem_not_a_traceback(tmp_path, monkeypatch):
    # Whatever the bounds miss, validation renders the text and reports a failure at the field.
    def crash(value, *args, **kwargs):
        if "boom" in value:
            raise RecursionError("maximum recursion depth exceeded")
        return markdown_html(value, *args, **kwargs)

    monkeypatch.setattr(field_markdown, "markdown_html", crash)
    path = write_record(tmp_path, "name: P\ncycle:\n  clarify-idea:\n    status: done\n    notes: boom\n")
    problem = only_problem(tmp_path)
    assert (problem.file, problem.line) == (path, 5)
    assert "cannot be rendered (RecursionError)" in problem.message


def test_every_markdown_field_is_bounded(tmp_path):
    write_record(tmp_path, "name: P\n", logs={"2025-01-01-a.md": LOG + "- " * 1000 + "x\n"})
    problem = only_problem(tmp_path)
    assert (problem.file.name, problem.line) == ("2025-01-01-a.md", 5)
    assert problem.message.startswith("the log entry's text: a line starts with 2000 characters")
    write_record(tmp_path, "name: P\ncycle:\n  clarify-idea:\n    status: done\n    notes: \"" + "- " * 30 + "x\"\n",
                 logs={"2025-01-01-a.md": LOG + "Text\n"})
    problem = only_problem(tmp_path)
    assert problem.line == 5 and "a line starts with 60 characters" in problem.message


def test_editors_refuse_the_markdown_the_build_refuses():
    # One bound, the renderer's: the JSON Schema states it rather than a copy of the number.
    from msp_handbook.schema import schema_for
    assert schema_for("review")["properties"]["statement"]["maxLength"] == markdown_limits.MAX_CHARS


# --- Images load only from the site -------------------------------------------------------


@pytest.mark.parametrize("src", ["https://tracker.example/p.gif", "HTTP://tracker.example/p.gif", "//tracker.example/p.gif",
                                 "/\\\\tracker.example/p.gif", "\\\\\\\\tracker.example/p.gif", " //tracker.example/p.gif",
                                 "&#47;/tracker.example/p.gif", "ftp://tracker.example/p.gif"])
def test_an_image_from_another_host_becomes_a_link(src):
    # (In Markdown a backslash is written twice: `\\\\host` reaches the page as `\\host`.)
    html = markdown_html(f"![the pixel]({src})")
    assert "<img" not in html and "the pixel" in html


@pytest.mark.parametrize("src", ["data:image/gif;base64,R0lGOD", "javascript:alert(1)"])
def test_an_image_with_a_script_or_data_url_becomes_its_description(src):
    html = markdown_html(f"![the pixel]({src})")
    assert html == "<p><span>the pixel</span></p>"


def test_an_image_by_reference_is_judged_the_same():
    assert "<img" not in markdown_html("![pixel][p]\n\n[p]: https://tracker.example/p.gif")


@pytest.mark.parametrize("src", ["img/chart.png", "../assets/chart.png", "/assets/chart.png", "chart.png?v=2"])
def test_an_image_inside_the_site_stays_an_image(src):
    assert is_local_url(src)
    assert "<img" in markdown_html(f"![chart]({src})")


# --- Converted once, and plain text without the converter ---------------------------------

# Letters, digits, punctuation and line ends, then with every character that
# means something to Markdown or HTML or indents a line: random texts from
# both fall on either side of the fast path.
_PLAIN_ALPHABET = "aaaaaaaabbbcé Ωz1 9.,;:'\"?()/%-+=~^{}$@\u00a0\n\n"
_ALPHABET = _PLAIN_ALPHABET + "\\`*_[]!<>&#|\t"


def random_texts(count: int, seed: int, special_share: float) -> list[str]:
    """Texts of plain characters, about `special_share` of them from every kind."""
    chooser = random.Random(seed)
    return ["".join(chooser.choice(_ALPHABET if chooser.random() < special_share else _PLAIN_ALPHABET)
                    for _ in range(chooser.randint(1, 60))) for _ in range(count)]


PLAIN_EXAMPLES = [
    "Steering group met in Ibadan.",
    "Two paragraphs.\n\nThe second one, with a comma; a colon: and 45% (of them)?",
    "A line\nwrapped by hand\n\n\nand a paragraph after three line breaks.\n",
    "Ünïcode letters, “quotes” — dashes – and 1,200 households; e-mail me at x@example.org",
    "Right-to-left: مرحبا بالعالم",
]


def test_plain_paragraphs_skip_the_converter_with_the_same_html():
    texts = PLAIN_EXAMPLES + random_texts(10_000, 12, 0) + random_texts(10_000, 12, 0.05)
    fast = {text: field_markdown.plain_paragraphs_html(text) for text in texts}
    different = [text for text, html in fast.items() if html is not None and html != field_markdown.convert(text)[0]]
    assert different == []
    # The comparison covers many texts that take the fast path, not a handful.
    assert sum(html is not None for html in fast.values()) > 1000


def test_plain_text_takes_the_fast_path_and_markup_does_not():
    assert all(field_markdown.plain_paragraphs_html(text) is not None for text in PLAIN_EXAMPLES)
    for markup in ["*a*", "a_b_", "1. a", "- a", "# a", "a\n===", "    code", "a  \nb", "<b>x</b>", "a &amp; b",
                   "[x](y)", "a | b\n--|--\n1 | 2", "> a", "a\n    b", "a\\*", "!x", " a"]:
        assert field_markdown.plain_paragraphs_html(markup) is None, markup


def test_a_text_with_a_relative_link_is_resolved_on_every_page_it_appears_on():
    # The same text on two pages: its link counts from each page (a kept HTML would carry the first one's).
    found = {"partnerships/a/log.md": "../../guide/x/", "partnerships/a/dossier.md": "../../guide/x/#from-the-dossier"}
    links = FieldLinks(lambda page_uri, docs_path: found[page_uri] if docs_path == "guide/x.md" else None)
    text = "See [the guide](../../guide/x.md) for *more*."
    first = markdown_html(text, "partnerships/a/log.md", links)
    second = markdown_html(text, "partnerships/a/dossier.md", links)
    assert 'href="../../guide/x/"' in first and 'href="../../guide/x/#from-the-dossier"' in second
    markdown_html("[gone](../nowhere.md)", "partnerships/a/log.md", links)
    markdown_html("[gone](../nowhere.md)", "partnerships/a/log.md", links)
    assert [link.written for link in links.broken] == ["../nowhere.md", "../nowhere.md"]


def test_kept_html_is_bounded_and_the_same_as_converting_again(monkeypatch):
    kept = field_markdown._Converted()
    monkeypatch.setattr(kept, "MAX_CHARS", 100)
    monkeypatch.setattr(field_markdown, "_CONVERTED", kept)
    texts = [f"*text {number}*" for number in range(20)]
    first = [markdown_html(text) for text in texts]
    assert kept.size <= 100 and 0 < len(kept.html) < len(texts)
    assert [markdown_html(text) for text in texts] == first == [field_markdown.convert(text)[0] for text in texts]


def test_kept_html_holds_the_texts_of_a_network_of_500_partnerships(monkeypatch):
    # The records are checked (every field converted) before any page is rendered: the pages
    # reuse that HTML only if none of it was let go. 16,300 characters of distinct Markdown per
    # partnership, as in the benchmark's synthetic network.
    kept = field_markdown._Converted()
    monkeypatch.setattr(field_markdown, "_CONVERTED", kept)
    text = "A *field* of a record, with a [link](https://example.org/) in it. " * 240
    for number in range(500):
        kept.keep((False, f"{number} {text}"), f"<p>{number} {text}</p>")
    assert len(kept.html) == 500


# --- One conversion per field: marked headings taken out again, the validated text reused ----------

SECTION_TEXTS = [
    "# Top\n\nText under it.", "Intro.\n\n## A\n\n*x*\n\n### B\n\n- one\n- two", "> ## Quoted, not a section\n\ntext",
    "- item\n\n    ## inside the list", "Rule below.\n\n---\n\n## After the rule", "| a | b |\n|---|---|\n| 1 | 2 |",
    "Setext\n======\n\nand *more*", "Code: `<h2 data-msp-section=\"1\">` and\n\n    <h3 data-msp-section=\"1\">",
    '<h2 data-msp-section="1">forged</h2>', "Title *one*\n\n## Two {#id}\n\n1. first\n2. second",
]


def converted_by_a_fresh_converter(text: str, sections: bool) -> str:
    """The HTML as converted before every conversion marked headings: marks only for markdown_sections."""
    engine, _, _ = field_markdown._safe_markdown()
    if not sections:
        engine.treeprocessors.deregister("msp_sections")
    return engine.convert(text)


@pytest.mark.parametrize("sections_first", [False, True])
def test_a_field_is_converted_once_for_both_uses_with_the_same_html(monkeypatch, sections_first):
    monkeypatch.setattr(field_markdown, "_CONVERTED", field_markdown._Converted())
    converted = []
    real = field_markdown._MARKDOWN.convert
    monkeypatch.setattr(field_markdown._MARKDOWN, "convert", lambda text: converted.append(text) or real(text))
    for text in SECTION_TEXTS:
        for sections in ([True, False] if sections_first else [False, True]):
            field_markdown.SECTIONS.active = sections
            try:
                assert markdown_html(text) == converted_by_a_fresh_converter(text, sections), (text, sections)
                assert field_markdown.convert(text)[0] == converted_by_a_fresh_converter(text, sections)
            finally:
                field_markdown.SECTIONS.active = False
    assert converted.count(SECTION_TEXTS[0]) == 3  # once for both uses, and once each time convert() is asked
    assert "&lt;h2 data-msp-section=" in markdown_html(SECTION_TEXTS[8])  # no text forges a mark


def test_a_practice_validated_while_loading_is_not_converted_again_for_its_page(monkeypatch):
    monkeypatch.setattr(field_markdown, "_CONVERTED", field_markdown._Converted())
    path = REPO / "content" / "practices" / "talk-the-idea-through-before-writing-it-down.md"
    source, problems = read_markdown_source(path, REPO, "practice", "`title:`")
    assert source is not None and not problems and "\n## " in source.body
    converted = []
    real = field_markdown._MARKDOWN.convert
    monkeypatch.setattr(field_markdown._MARKDOWN, "convert", lambda text: converted.append(text) or real(text))
    page = {"page_uri": "practices/talk-the-idea-through-before-writing-it-down.md", "field_links": None}
    shown = render.markdown_sections(page, source.body)
    assert converted == [] and "## Why it helps" in shown
    monkeypatch.setattr(field_markdown, "_CONVERTED", field_markdown._Converted())
    assert render.markdown_sections(page, source.body) == shown and converted == [source.body]


# --- Templates: a changed file is read again at the next build ------------------------------


def test_an_edited_template_shows_from_the_next_build_on(tmp_path):
    override = tmp_path / "partnerships" / "note.html"
    override.parent.mkdir()
    override.write_text("first", encoding="utf-8")
    env = render.environment(tmp_path)
    assert env.get_template("partnerships/note.html").render() == "first"
    override.write_text("second", encoding="utf-8")
    os.utime(override, (1_000_000_000, 1_000_000_000))
    # Within a build a template file is looked at once ...
    assert env.get_template("partnerships/note.html").render() == "first"
    render.new_build(env)
    # ... and at the next build (a serve rebuild, with the same environment) again.
    assert env.get_template("partnerships/note.html").render() == "second"
