"""The benchmark's generator and its proof that both variants publish the same pages still work.

No timing here: `make bench` measures. This only keeps the benchmark from
rotting as the record format grows.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))

from sitebuild import REPO  # noqa: E402
from synthetic import LOG_ENTRIES, write_partnerships  # noqa: E402
from variants import differences, prepare  # noqa: E402


def test_generated_partnerships_vary_the_examples_and_have_a_full_log(tmp_path):
    examples = sorted(p.name for p in (REPO / "partnerships").iterdir() if (p / "partnership.yml").is_file())
    slugs = write_partnerships(REPO / "partnerships", tmp_path, len(examples) + 2)
    assert slugs[:len(examples)] == examples
    assert len(set(slugs)) == len(slugs) == len(examples) + 2
    variant = tmp_path / slugs[-1]
    original = REPO / "partnerships" / examples[(len(slugs) - 1) % len(examples)]
    assert variant.name.startswith(original.name + "-")
    name = next(line for line in (variant / "partnership.yml").read_text().splitlines() if line.startswith("name:"))
    assert name.endswith(" 1")
    for slug in slugs:
        example = slug if slug in examples else slug.rsplit("-", 1)[0]
        written = len(list((REPO / "partnerships" / example / "log").glob("*.md")))
        assert len(list((tmp_path / slug / "log").glob("*.md"))) == max(LOG_ENTRIES, written)


def test_plain_markdown_variant_publishes_the_same_pages_as_the_plugin(tmp_path):
    # prepare() builds both variants strictly and raises on any difference.
    project_a, project_b = prepare(REPO, tmp_path, 4)
    site_a, site_b = tmp_path / "a4-site", tmp_path / "b4-site"
    assert "partnerships:" not in (project_a / "mkdocs.yml").read_text()
    assert (site_b / "partnerships" / "tamberu-taps-for-all" / "log" / "index.html").is_file()
    assert len(list(site_a.rglob("*.html"))) == len(list(site_b.rglob("*.html"))) > 20
    # The comparison would notice a page that differs.
    page = site_a / "partnerships" / "tamberu-taps-for-all" / "log" / "index.html"
    page.write_text(page.read_text().replace("</article>", "<p>extra</p></article>", 1))
    found = differences(site_a, site_b)
    assert len(found) == 1 and found[0].startswith("differs: partnerships/tamberu-taps-for-all/log/index.html")


def test_too_few_partnerships_for_the_examples_is_refused(tmp_path):
    with pytest.raises(ValueError, match="example practices"):
        write_partnerships(REPO / "partnerships", tmp_path, 1)


def test_copies_of_an_example_share_no_free_text(tmp_path):
    # The build keeps the HTML of a text it converted before: copies sharing their texts
    # would let it convert far less than a real network of as many partnerships.
    examples = sorted(p.name for p in (REPO / "partnerships").iterdir() if (p / "partnership.yml").is_file())
    slugs = write_partnerships(REPO / "partnerships", tmp_path, 3 * len(examples))
    for example in examples:
        family = [slug for slug in slugs if slug == example or slug.rsplit("-", 1)[0] == example]
        found: dict[str, set[str]] = {}
        for slug in family:
            for text in free_texts(tmp_path / slug):
                found.setdefault(text, set()).add(slug)
        shared = {text: sorted(where) for text, where in found.items() if len(where) > 1}
        assert len(family) == 3 and len(found) > 3 * 40
        assert not shared, list(shared.items())[:3]


def free_texts(folder: Path) -> list[str]:
    """The strings of four words or more in a partnership's YAML, and its log entries' bodies."""
    def strings(value):
        if isinstance(value, dict):
            return [text for item in value.values() for text in strings(item)]
        if isinstance(value, list):
            return [text for item in value for text in strings(item)]
        return [value] if isinstance(value, str) and len(value.split()) >= 4 else []

    texts = []
    for path in sorted(folder.rglob("*.yml")):
        texts += strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    for entry in sorted(folder.glob("log/*.md")):
        _, front_matter, body = entry.read_text(encoding="utf-8").split("---\n", 2)
        texts += strings(yaml.safe_load(front_matter)) + [body]
    return texts
