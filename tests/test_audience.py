"""Partners-only content: absent from every file of the public site, shown and marked in the partners' build."""

from __future__ import annotations

import bisect
import collections.abc
import gzip
import html
import json
import re
import typing
from pathlib import Path

import pydantic
import pytest
import typing_extensions
from pydantic import BaseModel

from msp_handbook import audience
from msp_handbook.audience import for_audience, public_partnership
from msp_handbook.handbook import load_handbook
from msp_handbook.model import Feedback, Note, Partnership, is_partners_only, strip_optional
from msp_handbook.schema import SCHEMAS

from hostile import SLUG
from partners_only import MARKER, marked_project

from sitebuild import Page, build_site, copy_project

# A run of this many words from a partners-only text found in a public file
# counts as a leak, however the text was escaped or marked up there.
WINDOW = 6


def partners_only_texts(loaded_handbook, parts=("record", "log", "reviews")) -> list[str]:
    """Every piece of text inside an entry marked `visibility: partners`, in the given parts of each partnership."""
    found: list[str] = []

    def texts_of(value) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, BaseModel):
            inner = [text for name in type(value).model_fields for text in texts_of(getattr(value, name))]
            body = getattr(value, "body", None)
            return inner + ([body] if isinstance(body, str) and body else [])
        if isinstance(value, (list, tuple)):
            return [text for item in value for text in texts_of(item)]
        if isinstance(value, dict):
            return [text for item in value.values() for text in texts_of(item)]
        return []

    def walk(value) -> None:
        if is_partners_only(value):
            found.extend(text for text in texts_of(value) if len(words(text)) >= WINDOW)
            return
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for partnership in loaded_handbook.partnerships:
        for part in parts:
            walk(partnership if part == "record" else getattr(partnership, part))
    return found


def _models_in(annotation) -> list[type[BaseModel]]:
    """The model classes a field's type holds: itself, or inside a list, mapping or Annotated."""
    annotation = strip_optional(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def windows(text: str) -> set[tuple[str, ...]]:
    sequence = words(text)
    return {tuple(sequence[i:i + WINDOW]) for i in range(len(sequence) - WINDOW + 1)}


def readable_text(path: Path) -> str:
    """What a file says, with markup, escapes and JSON quoting undone."""
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            raw = " ".join(_strings(json.loads(raw)))
        except ValueError:
            pass
    return html.unescape(re.sub(r"<[^>]+>", " ", html.unescape(raw)))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def test_the_examples_mark_every_kind_of_entry_partners_only(loaded_handbook):
    # The leak test below means something only if there is something to leak.
    kinds = set()
    for partnership in loaded_handbook.partnerships:
        kinds |= {"note" for s in partnership.stakeholders for n in [*s.interests, *s.concerns] if is_partners_only(n)}
        kinds |= {"log entry" for entry in partnership.log if is_partners_only(entry)}
        kinds |= {"review comment" for r in partnership.reviews for c in r.comments if is_partners_only(c)}
        if partnership.ledger:
            kinds |= {"ledger" for e in [*partnership.ledger.put_in, *partnership.ledger.get_out] if is_partners_only(e)}
        kinds |= {"feedback" for f in partnership.feedback if is_partners_only(f)}
    assert kinds == {"note", "log entry", "review comment", "ledger", "feedback"}


def test_no_partners_only_text_anywhere_in_the_public_site(loaded_handbook, site):
    secrets = partners_only_texts(loaded_handbook)
    assert len(secrets) >= 5
    forbidden = {window: text for text in secrets for window in windows(text)}
    files = [path for path in site.rglob("*") if path.is_file() and path.suffix not in (".png", ".ico", ".gz", ".woff2")]
    assert any(path.name == "search_index.json" for path in files) and any(path.name == "sitemap.xml" for path in files)
    for path in files:
        leaked = windows(readable_text(path)) & forbidden.keys()
        assert not leaked, f"{path.relative_to(site)} contains partners-only text: {forbidden[next(iter(leaked))]!r}"


@pytest.fixture(scope="module")
def partners_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("partners") / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - partnerships:\n", "  - partnerships:\n      audience: partners\n", 1))
    return build_site(project)


def test_the_partners_build_shows_partners_only_entries_marked(loaded_handbook, partners_site):
    slug = "tamberu-taps-for-all"
    stakeholders = Page(partners_site / "partnerships" / slug / "stakeholders" / "index.html")
    assert "The board may cut the extension budget" in stakeholders.text
    log = Page(partners_site / "partnerships" / slug / "log" / "index.html")
    assert "Closed session on the utility board's tariff doubts" in log.text
    monitoring = Page(partners_site / "partnerships" / slug / "monitoring" / "index.html")
    for page in (stakeholders, log, monitoring):
        marks = [attrs for tag, attrs in page.elements if attrs.get("class") == "msp-partners-only"]
        assert marks, "partners-only entries are not marked"
    # Every partners-only text of the examples: notes, log entries, review comments, ledger and feedback.
    secrets = partners_only_texts(loaded_handbook) + [
        str(note) for partnership in loaded_handbook.partnerships for s in partnership.stakeholders
        for note in [*s.interests, *s.concerns] if is_partners_only(note)]
    everything = " ".join(readable_text(path) for path in partners_site.rglob("*.html"))
    shown = windows(everything)
    missing = [text for text in secrets if not windows(text) & shown]
    assert not missing, f"partners-only texts missing from the partners' build: {missing}"


def test_a_public_answer_never_links_to_a_partners_only_log_entry(loaded_handbook):
    partnership = loaded_handbook.partnership("tamberu-taps-for-all")
    hidden = next(entry for entry in partnership.log if is_partners_only(entry))
    answer = Feedback(date="2026-11-01", group="Residents", channel="meeting", said="Why the delay?",
                      status="acted-on", log=hidden.anchor)
    with_answer = partnership.model_copy(update={"feedback": [*partnership.feedback, answer]})
    with_answer._log = partnership.log
    public = public_partnership(with_answer)
    assert hidden.anchor not in {entry.anchor for entry in public.log}
    assert public.feedback[-1].said == "Why the delay?" and public.feedback[-1].log is None
    # The record as loaded is untouched: the partners' build still has everything.
    assert partnership.log == with_answer.log and any(is_partners_only(entry) for entry in partnership.log)


def test_filtering_a_record_with_nothing_partners_only_leaves_its_log_as_loaded(loaded_handbook):
    hidden = next(entry for partnership in loaded_handbook.partnerships for entry in partnership.log
                  if is_partners_only(entry))
    record = Partnership.model_validate({"name": "Only a name"})
    record._log = (hidden,)
    public = public_partnership(record)
    assert public.log == () and record.log == (hidden,)


def test_the_partners_audience_keeps_the_handbook_as_it_is(loaded_handbook):
    assert for_audience(loaded_handbook, "partners") is loaded_handbook
    public = for_audience(loaded_handbook, "public")
    assert [p.slug for p in public.partnerships] == [p.slug for p in loaded_handbook.partnerships]
    assert public.partnership("tamberu-taps-for-all").source == loaded_handbook.partnership("tamberu-taps-for-all").source


# --- Every field that may be partners-only, from the model (partners_only.py) ----------

# Where an entry ends in a page: a table cell or row, a list item, a line break, the next heading.
ENTRY_BOUNDARY = re.compile(r"<(?:tr|li|br|td|th|h[1-6])\b|</(?:tr|li|td|th)>")


def site_files(site: Path) -> dict[str, str]:
    """Every file of a built site as lowercase text, compressed ones unpacked."""
    texts = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            texts[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="replace").casefold()
    return texts


def markers_in(text: str) -> set[str]:
    return set(MARKER.findall(text))


def test_the_marked_project_has_a_partners_only_entry_of_every_kind_the_model_allows(marked_sites):
    # Read off the model: every class with a `visibility` field, wherever it is used.
    def classes_with_visibility(model, seen):
        for field in model.model_fields.values():
            for inner in _models_in(field.annotation):
                if inner not in seen:
                    seen.add(inner)
                    classes_with_visibility(inner, seen)
        return seen

    models = {model for roots in SCHEMAS.values() for model in classes_with_visibility(roots[0], {roots[0]})}
    kinds = {model.__name__ for model in models if "visibility" in model.model_fields}
    assert {"Note", "ReviewComment", "Contribution", "Benefit", "Feedback", "LogEntry"} <= kinds
    # One partners-only entry per list of such entries (stakeholder interests and concerns count twice).
    where = {re.sub(r"\[[0-9]+\]", "[]", entry.where) for entry in marked_sites.partners_only}
    assert len(where) >= len(kinds) + 1
    assert any(".interests[]" in place for place in where) and any(".concerns[]" in place for place in where)
    assert any(place.endswith("-entry.md") for place in where)  # a whole log entry


def test_no_partners_only_marker_in_any_file_of_the_public_site(marked_sites):
    files = site_files(marked_sites.public)
    # Every kind of output is searched: pages, search index, feeds, exports, IATI, sitemap.
    for name in ("search/search_index.json", "sitemap.xml", "partnerships/index.json", "partnerships/feed.atom.xml",
                 "partnerships/feed.json", f"partnerships/{SLUG}/feed.atom.xml", f"partnerships/{SLUG}/feed.json",
                 f"partnerships/{SLUG}.json", f"partnerships/{SLUG}.iati.xml", "partnerships/iati-activities.xml"):
        assert name in files, f"{name} is not in the public build: {sorted(files)[:40]}"
    hidden = {marker: entry.where for entry in marked_sites.partners_only for marker in entry.markers}
    for name, text in files.items():
        leaked = markers_in(text) & hidden.keys()
        assert not leaked, f"{name} holds partners-only text of {sorted(hidden[m] for m in leaked)}"
    # The search finds what it looks for: the public twins are in the pages, the feeds and the exports.
    for name in ("partnerships/hostile/stakeholders/index.html", "partnerships/hostile/monitoring/index.html",
                 "partnerships/hostile/log/index.html", "search/search_index.json", "partnerships/feed.atom.xml",
                 f"partnerships/{SLUG}/feed.json", f"partnerships/{SLUG}.json", f"partnerships/{SLUG}.iati.xml"):
        assert markers_in(files[name]) & marked_sites.public_markers, f"{name} shows no record text"


def marked_near(html: str, marker: str) -> bool:
    """Whether some place `marker` is shown in `html` carries the partners-only label in the same entry."""
    bounds = [match.start() for match in ENTRY_BOUNDARY.finditer(html)]
    for found in re.finditer(re.escape(marker) + r"(?![0-9])", html):
        after = bisect.bisect_right(bounds, found.start())
        start = bounds[after - 1] if after else 0
        end = bounds[after] if after < len(bounds) else len(html)
        if 'class="msp-partners-only"' in html[start:end]:
            return True
    return False


def test_the_partners_build_shows_every_partners_only_entry_marked(marked_sites):
    pages = {name: text for name, text in site_files(marked_sites.partners).items() if name.endswith(".html")}
    for entry in marked_sites.partners_only:
        shown = [name for name, text in pages.items() if markers_in(text) & set(entry.markers)]
        assert shown, f"{entry.where} is not shown in the partners' build"
        assert any(marked_near(pages[name], marker) for name in shown for marker in entry.markers), (
            f"{entry.where} is shown but not marked partners-only on {shown}")


def _everything_public(partnership: Partnership) -> tuple:
    """A public partnership as plain data: its record, its log (with bodies) and its reviews."""
    return (partnership.model_dump(), [(entry.model_dump(), entry.body, entry.anchor) for entry in partnership.log],
            [review.model_dump() for review in partnership.reviews])


def test_looking_into_fields_that_can_hold_entries_filters_as_looking_into_every_field(tmp_path, monkeypatch,
                                                                                      loaded_handbook):
    marked = load_handbook(marked_project(tmp_path / "marked").root / "partnerships")
    loaded = [*loaded_handbook.partnerships, *marked.partnerships]
    quick = [_everything_public(public_partnership(partnership)) for partnership in loaded]
    monkeypatch.setattr(audience, "_fields_that_can_hide", lambda model: tuple(model.model_fields))
    assert [_everything_public(public_partnership(partnership)) for partnership in loaded] == quick
    # Each kind of partners-only entry was there to be left out.
    assert quick != [_everything_public(partnership) for partnership in loaded]


_ANY_TYPE = pydantic.ConfigDict(arbitrary_types_allowed=True)


class _Notes(list):
    """A list of its own kind: the filter walks into it as into any list."""


class _HeldNotes(typing_extensions.TypedDict):
    first: Note


class _NotePair(typing.NamedTuple):
    first: Note
    second: Note


@pytest.mark.parametrize("declared", [_Notes, _HeldNotes, _NotePair, typing.Optional[_HeldNotes],
                                      collections.abc.Sequence[Note], dict[str, list[Note]], typing.Any])
def test_a_field_of_a_kind_the_filter_walks_into_is_looked_into(declared):
    # Declared types the filter cannot tell apart from lists and mappings of entries
    # (a subclass of list, a TypedDict, a NamedTuple) count as able to hold one.
    holder = pydantic.create_model("Holder", __config__=_ANY_TYPE, held=(declared, None), count=(int, 0), said=(list[str], []))
    assert audience._fields_that_can_hide(holder) == ("held",)


def test_a_partners_only_entry_in_a_typed_mapping_or_a_list_of_its_own_kind_is_left_out():
    holder = pydantic.create_model("Holder", __config__=_ANY_TYPE, mapping=(_HeldNotes, ...), notes=(_Notes, ...))
    secret, shown = Note(text="only for partners", visibility="partners"), Note(text="for everyone")
    loaded = holder(mapping={"first": secret}, notes=_Notes([shown, secret]))
    public = audience._without_partners_only(loaded, set())
    assert public.mapping == {} and public.notes == [shown]
    assert loaded.mapping == {"first": secret} and loaded.notes == [shown, secret]  # the loaded one is untouched


def _everything_in(value) -> list:
    """`value` and every model, list item and mapping value inside it, at any depth."""
    found = [value]
    if isinstance(value, BaseModel):
        children = [getattr(value, name) for name in type(value).model_fields]
    elif isinstance(value, (list, tuple)):
        children = list(value)
    elif isinstance(value, dict):
        children = list(value.values())
    else:
        children = []
    for child in children:
        found += _everything_in(child)
    return found


class _Open(BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")


class _SaysPartners(BaseModel):
    @property
    def visibility(self) -> str:
        return "partners"


def test_partners_only_is_what_the_entry_says_whether_or_not_its_class_has_the_key(tmp_path, loaded_handbook):
    marked = load_handbook(marked_project(tmp_path / "marked").root / "partnerships")
    asked = [item for handbook in (loaded_handbook, marked) for partnership in handbook.partnerships
             for item in _everything_in([partnership, list(partnership.log), list(partnership.reviews)])]
    asked += [_Open(visibility="partners"), _Open(visibility="public"), _Open(), _SaysPartners(), {"visibility": "partners"},
              "partners", None, type("Plain", (), {"visibility": "partners"})()]
    answers = [is_partners_only(item) for item in asked]
    assert answers == [getattr(item, "visibility", "public") == "partners" for item in asked]
    assert answers[-8:] == [True, False, False, True, False, False, False, True]
    kinds = {type(item) for item in asked if isinstance(item, BaseModel)}
    assert any("visibility" not in kind.model_fields for kind in kinds) and sum(answers) > 10
