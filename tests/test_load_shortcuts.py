"""The loader's shortcuts give what the plain way gives.

Positions: the loader no longer notes the line of every value while building
(load.py): `Document.position` finds it in the YAML's node tree when a
problem asks. These tests hold the lookup to the plain way, listing every
position (`Document.positions`), on the example records, the hostile ones and
random YAML full of what the builder refuses or leaves out (duplicate and
merge keys, keys that are lists, control characters, tags, aliases).

Links: while a handbook loads, a file that is no link is placed in its
folder's real path, found once per folder (files.folders_resolved_once);
whether it is inside the repository must come out as resolving it in full.

Reading: a file is read with as much memory as its size asks for, not a
buffered stream's megabyte (files.read_up_to); what is read must be what the
stream reads, for a file of any size, and one that grew or shrank meanwhile.

Loaded attributes: a partnership's slug, an entry's anchor and the like
(PrivateAttr, set by the loader) are read by their properties straight from
pydantic's store; they must be what pydantic's own attribute access gives.

Links in records: `is_safe_url` judges a plain ASCII link as written, without
decoding entities or dropping characters, which must judge it as the full way does.

Types: the loader's `resolve` (yaml_loader.py) must give every value the tag
PyYAML's own gives it, the first time and from the tags it remembers, and
the dates and whole numbers load.py builds itself must be what PyYAML's
constructor builds, refusals included.
"""

from __future__ import annotations

import html
import os
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from hostile import hostile_project
from msp_handbook import files
from msp_handbook.files import MAX_FILE_BYTES, decode, folders_resolved_once, inside, read_text, read_up_to
from msp_handbook import load, yaml_loader
from msp_handbook.handbook import load_handbook
from msp_handbook.load import Document, parse_yaml, split_front_matter
from msp_handbook.model import is_safe_url
from msp_handbook.yaml_loader import Loader
from sitebuild import REPO

_KEYS = ["name", "id", "yes", "2024", "<<", '"<<"', "a b", '"k\\x01"', "? [x, y]\n", "? {q: 1}\n", "date", "x"]
_SCALARS = ["text", "'quoted'", '"esc\\u0085aped"', "12", "1:20", "17.10", "on", "2025-02-30", "2025-01-01",
            "!!str tagged", "!custom v", "~", "", "[]", "{}", "'a\n  folded'", "|\n  literal\n  block\n"]


def _random_yaml(rng: random.Random, depth: int = 0, indent: str = "") -> str:
    """A random block of YAML at `indent`, as a mapping or a list, with values the builder refuses among them."""
    lines = []
    as_list = depth > 0 and rng.random() < 0.4
    for _ in range(rng.randint(1, 5)):
        nested = depth < 4 and rng.random() < 0.35
        if as_list:
            head = f"{indent}- "
        else:
            key = rng.choice(_KEYS)
            if key.startswith("?"):
                lines.append(f"{indent}{key}{indent}:" + (" v" if not nested else ""))
                if nested:
                    lines.append(_random_yaml(rng, depth + 1, indent + "  ").rstrip("\n"))
                continue
            head = f"{indent}{key}:"
        if nested:
            lines.append(head.rstrip())
            lines.append(_random_yaml(rng, depth + 1, indent + "  ").rstrip("\n"))
        else:
            scalar = rng.choice(_SCALARS).replace("\n", "\n" + indent + "  ")
            lines.append(f"{head.rstrip()} {scalar}" if scalar else head.rstrip())
    return "\n".join(lines) + "\n"


def _random_documents(count: int) -> list[Document]:
    rng = random.Random(12)
    documents = []
    while len(documents) < count:
        text = _random_yaml(rng)
        if rng.random() < 0.2:
            text = "base: &anchor\n  k: v\n  l: [1, 2]\ncopy: *anchor\n" + text
        document, _ = parse_yaml(text, Path("random.yml"), first_line=rng.choice([1, 2]))
        if document is not None:
            documents.append(document)
    return documents


def _documents_in(folder: Path) -> list[Document]:
    documents = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".yml", ".md") and "site" not in path.relative_to(folder).parts[:1]:
            text, first_line = path.read_text(encoding="utf-8"), 1
            if path.suffix == ".md":
                text, _, _ = split_front_matter(text, path)
                first_line = 2
            document = parse_yaml(text, path, first_line)[0] if text else None
            if document is not None:
                documents.append(document)
    return documents


def _paths(value: Any, loc: tuple = ()) -> set[tuple]:
    """Every place in a built value, from the top: keys of mappings and indexes of lists."""
    places = {loc}
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for step, item in items:
        places |= _paths(item, loc + (step,))
    return places


def _asked(document: Document) -> set[tuple]:
    """The places a problem may name: every real one, and ones one step past it that do not exist."""
    places = set(document.positions) | set(document.key_positions)
    return places | {loc + (extra,) for loc in places for extra in ("missing", 0, 3, -1, "<<")}


def _compare(make: list[Document], again: list[Document]) -> int:
    """Looked up lazily (`make`) against the full listing of the same files parsed again (`again`)."""
    compared = 0
    for lazy, listed in zip(make, again, strict=True):
        assert set(listed.positions) == _paths(listed.value)
        for loc in sorted(_asked(listed), key=repr):
            for key in (False, True):
                assert lazy.position(loc, key=key) == listed.position(loc, key=key), (lazy.source, loc, key)
                compared += 1
    return compared


@pytest.fixture
def tree_lookups_only(monkeypatch):
    """Every lookup goes through the node tree: a document asked often lists its positions instead."""
    monkeypatch.setattr(load, "_LOOKUPS_IN_THE_TREE", float("inf"))


def test_looked_up_positions_are_the_listed_ones_in_random_yaml(tree_lookups_only):
    assert _compare(_random_documents(300), _random_documents(300)) > 10_000


@pytest.mark.parametrize("folder", ["partnerships", "content"])
def test_looked_up_positions_are_the_listed_ones_in_the_example_records(folder, tree_lookups_only):
    assert _compare(_documents_in(REPO / folder), _documents_in(REPO / folder)) > 1_000


def test_looked_up_positions_are_the_listed_ones_in_the_hostile_records(tmp_path, tree_lookups_only):
    project = hostile_project(tmp_path / "hostile")
    assert _compare(_documents_in(project / "partnerships"), _documents_in(project / "partnerships")) > 100


def test_a_duplicate_key_names_the_line_of_the_first():
    _, problems = parse_yaml("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n", Path("x.yml"))
    assert [(p.line, p.column, p.message) for p in problems] == [
        (4, 3, "duplicate key 'c' (first given on line 3)"), (5, 1, "duplicate key 'a' (first given on line 1)")]


def test_thousands_of_duplicates_and_problems_in_one_mapping_are_not_each_a_search_of_it(monkeypatch):
    # A search of the mapping for each duplicate or problem made a file of
    # 45,000 keys (under the size limit) take 30 s instead of 1 s.
    searches = []
    monkeypatch.setattr(load, "_child", lambda node, step, child=load._child: searches.append(step) or child(node, step))
    keys = [f"k{number}" for number in range(2000)]
    document, problems = parse_yaml("".join(f"{key}: 1\n" for key in keys * 2), Path("x.yml"))
    assert len(problems) == 2000 and problems[-1].message == "duplicate key 'k1999' (first given on line 2000)"
    assert [document.position((key,), key=True) for key in keys] == [(line, 1) for line in range(1, 2001)]
    assert len(searches) <= load._LOOKUPS_IN_THE_TREE


# Every spelling PyYAML's patterns tell apart, and near misses of each.
_TYPED = ["", "~", "null", "Null", "NULL", "nul", "true", "True", "TRUE", "tRUE", "yes", "Yes", "no", "on", "ON", "off",
          "y", "n", "0", "-0", "+12", "012", "0x1F", "0b101", "0o17", "1_000", "1:20", "190:20:30", "-1:20", "1.5",
          "17.10", ".5", "1e3", "1.0e+3", "-.inf", ".Inf", ".NaN", ".nan", "2025-01-01", "2025-1-1", "2025-01-01T10:00:00Z",
          "2025-01-01 10:00:00.5 +02:00", "2025-13-45", "<<", "<", "=", "==", "- a", "text", "Ünïcode", "\u0041", " ", "."]


def _tags(node: yaml.Node) -> list[str]:
    children = [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else \
        node.value if isinstance(node, yaml.SequenceNode) else []
    return [node.tag] + [tag for child in children for tag in _tags(child)]


@pytest.mark.parametrize("implicit", [(True, False), (False, True), (False, False), (True, True)])
def test_every_value_gets_the_tag_pyyaml_gives_it(implicit, monkeypatch):
    monkeypatch.setattr(yaml_loader, "_KNOWN_TAGS", {})
    ours, theirs = Loader(""), yaml.CSafeLoader("")
    values = _TYPED + [typed + tail for typed in _TYPED for tail in ("x", " ", "0", ":")] + \
        [chr(code) + "1" for code in range(32, 0x250)] + ["2025-01-01T10:00:00.123456789+02:00", "9" * 60, "a" * 41]
    for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
        # Asked twice: the second answer comes from the tags remembered the first time.
        assert [ours.resolve(kind, value, implicit) for value in values * 2] == \
            [theirs.resolve(kind, value, implicit) for value in values] * 2
    assert (len(yaml_loader._KNOWN_TAGS) > 500) == implicit[0]


def test_the_remembered_tags_are_bounded(monkeypatch):
    monkeypatch.setattr(yaml_loader, "_KNOWN_TAGS", {})
    ours, theirs = Loader(""), yaml.CSafeLoader("")
    values = [f"{number}" for number in range(yaml_loader._KNOWN_MAX_COUNT + 100)] + ["x" * 41, "1" * 41]
    for value in values:
        assert ours.resolve(yaml.ScalarNode, value, (True, False)) == theirs.resolve(yaml.ScalarNode, value, (True, False))
    assert len(yaml_loader._KNOWN_TAGS) == yaml_loader._KNOWN_MAX_COUNT
    assert not any(len(value) > yaml_loader._KNOWN_MAX_LENGTH for value in yaml_loader._KNOWN_TAGS)


def test_random_yaml_composes_to_the_same_tags_as_with_pyyaml():
    rng = random.Random(7)
    texts = [_random_yaml(rng) for _ in range(300)] + [f"- {typed}\n- '{typed}'\n- k: {typed}\n" for typed in _TYPED[1:]]
    composed = 0
    for text in texts:
        try:
            theirs = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            continue
        assert _tags(yaml.compose(text, Loader=Loader)) == _tags(theirs), text
        composed += 1
    assert composed > 250


def test_a_file_placed_in_its_folder_is_inside_exactly_when_its_full_resolution_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / "records" / "sub").mkdir(parents=True)
    outside.mkdir()
    for path in (repo / "records" / "a.yml", repo / "records" / "sub" / "b.yml", outside / "c.yml", tmp_path / "a.yml"):
        path.write_text("name: x\n")
    links = {"out.yml": outside / "c.yml", "in.yml": repo / "records" / "a.yml", "dangling.yml": tmp_path / "none",
             "loop1": repo / "records" / "loop2", "loop2": repo / "records" / "loop1", "outdir": outside,
             "indir": repo / "records" / "sub", "pipe.yml": repo / "records" / "sub"}
    for name, target in links.items():
        (repo / "records" / name).symlink_to(target)
    (tmp_path / "repo-link").symlink_to(repo, target_is_directory=True)
    names = ["a.yml", "out.yml", "in.yml", "dangling.yml", "loop1", "missing.yml", "outdir/c.yml", "outdir/../a.yml",
             "indir/b.yml", "indir/../a.yml", "sub/b.yml", "sub/../a.yml", "sub/..", "sub/.", "a.yml/x", "pipe.yml/b.yml"]
    roots = [repo, tmp_path / "repo-link", repo / "records" / "..", tmp_path / "repo-link" / "records" / ".."]
    asked = [(root / "records" / name, root) for root in roots for name in names] + [(Path("repo/records/a.yml"), repo)]
    plain = [inside(path, root) for path, root in asked]
    with folders_resolved_once():
        assert [inside(path, root) for path, root in asked] * 2 == plain * 2  # the second time from what is known
    assert {problem is None for problem in plain} == {True, False}


def test_dates_and_whole_numbers_built_quickly_are_what_pyyaml_builds(monkeypatch):
    spellings = _TYPED + ["2024-02-29", "2025-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "2025-00-10",
                          "2025-12-32", "2025-1-01", "00", "-12", "+0", "9" * 4300, "9" * 4301, "-" + "9" * 5000]
    rng = random.Random(3)
    texts = [f"k: {typed}\nl: [{typed}, '{typed}']\n" for typed in spellings] + [_random_yaml(rng) for _ in range(200)]

    def built() -> list[tuple]:
        return [(repr(document and document.value), problems) for document, problems in
                (parse_yaml(text, Path("typed.yml")) for text in texts)]

    quick = built()
    monkeypatch.setattr(load, "_QUICK", {})
    assert built() == quick
    assert any("date" in repr(value) for value, _ in quick) and any(problems for _, problems in quick)


def test_a_file_read_to_its_size_is_what_a_buffered_stream_reads(tmp_path):
    limit = MAX_FILE_BYTES + 1
    sizes = [0, 1, 99, files._READ_ON_BYTES - 1, files._READ_ON_BYTES, files._READ_ON_BYTES + 1,
             MAX_FILE_BYTES - 1, MAX_FILE_BYTES, limit, limit + 1, limit + 3 * files._READ_ON_BYTES + 5]
    rng = random.Random(5)
    compared = 0
    for size in sizes:
        path = tmp_path / f"f{size}"
        path.write_bytes(bytes(rng.getrandbits(8) for _ in range(min(size, 200))) * (size // 200) + b"x" * (size % 200))
        with open(path, "rb") as stream:
            plain = stream.read(limit)
        # The size as asked, and as it would be had the file grown or shrunk since.
        for told in {size, 0, size // 2, size - 1, size + 1, size + 10_000, 3 * size + 7}:
            descriptor = os.open(path, os.O_RDONLY)
            try:
                assert read_up_to(descriptor, limit, max(told, 0)) == plain, (size, told)
            finally:
                os.close(descriptor)
            compared += 1
    assert compared > 60


def test_a_source_file_reads_as_the_buffered_stream_read_it(tmp_path):
    texts = ["name: x\n", "", " \n", "caf\u00e9: 1\n" * 5000, "\ufeffname: y\n", "a: \x07\n", "b\x00",
             "x" * MAX_FILE_BYTES]
    for number, text in enumerate(texts):
        path = tmp_path / f"t{number}.yml"
        path.write_bytes(text.encode("utf-8"))
        with open(path, "rb") as stream:
            plain = decode(stream.read(MAX_FILE_BYTES + 1), path)
        assert read_text(path, tmp_path) == plain, number
    for raw in (b"\xff\xfe", "\u00e9".encode("utf-8")[:1] + b"abc"):
        path = tmp_path / "bytes.yml"
        path.write_bytes(raw)
        assert read_text(path, tmp_path) == decode(raw, path)


def test_what_the_loader_set_reads_as_pydantic_reads_it():
    handbook = load_handbook(REPO / "partnerships", practices_dir=REPO / "content" / "practices")
    partnerships = list(handbook.partnerships)
    models = [*partnerships, *handbook.practices, *(entry for p in partnerships for entry in p.log),
              *(review for p in partnerships for review in p.reviews)]
    read: dict[str, set[str]] = {}
    for model in models:
        for private in type(model).__private_attributes__:
            name = private.lstrip("_")
            if isinstance(getattr(type(model), name, None), property):
                assert getattr(model, name) is getattr(model, private), (model, name)
                read.setdefault(type(model).__name__, set()).add(name)
    assert read == {"Partnership": {"slug", "source", "log", "reviews"}, "LogEntry": {"source", "body", "date_line", "anchor"},
                    "Practice": {"slug", "source", "body", "phase_ids"}, "Review": {"source", "date_line"}}
    assert all(p.last_update() == (p._log[0].date if p._log else None) for p in partnerships)
    # Set on a copy (as the public filter does), read from the copy only.
    first = partnerships[0]
    copy = first.model_copy()
    copy._slug, copy._log = "another", ()
    assert (copy.slug, copy.log, copy.last_update()) == ("another", (), None)
    assert first.slug != "another" and first.log and first.last_update() == first.log[0].date


def _judged_in_full(url: str) -> bool:
    """is_safe_url's rule the long way: entities decoded, unprintable characters and spaces dropped."""
    cleaned = "".join(ch for ch in html.unescape(url) if ch.isprintable() and not ch.isspace())
    scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned, re.IGNORECASE)
    return scheme is None or scheme.group(1).lower() in ("http", "https", "mailto")


def test_a_link_judged_as_written_is_judged_as_in_full():
    written = ["https://example.org/a?b=c", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java script:alert(1)",
               "java\tscript:x", "java\nscript:x", "java&#x09;script:x", "&#106;avascript:x", "javascript&colon;x",
               "data:text/html,x", "mailto:a@example.org", "../guide/index.md", "#anchor", "", " ", "vb\x00script:x",
               "java\u00a0script:x", "java\u2028script:x", "ht tp://x", "1http:x", "a+b.c-d:x", "https:", ":x"]
    rng = random.Random(12)
    alphabet = "jav script:&#x9;;\t\n\x00\x7f\u00a0\u200bhtpsmailoAJ0+.-/"
    written += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(3000)]
    for url in written:
        assert is_safe_url(url) == _judged_in_full(url), repr(url)
