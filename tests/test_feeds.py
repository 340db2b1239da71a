"""Atom 1.0 and JSON Feed 1.1 feeds of the progress log and reviews, read by real feed parsers.

Atom is read by feedparser. JSON Feed is read by feedparser-rs, which is
lenient (it accepts an item without an id), so the keys JSON Feed 1.1
requires are also checked here, as the specification lists them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import feedparser
import feedparser_rs
import pytest
from mkdocs.config import load_config
from lxml import etree
from mkdocs.exceptions import Abort

from msp_handbook.audience import for_audience
from msp_handbook.handbook import load_handbook
from msp_handbook.feeds import (ATOM_NS, DEFAULT_SITE_FEED_ENTRIES, Feed, FeedItem, atom, feed_files, handbook_feeds,
                                json_feed, xml_text)
from msp_handbook.project import Project, ProjectError
from msp_handbook.urls import SitePaths

from hostile import HOSTILE
from sitebuild import REPO, Page, build_site, copy_project, without_site_url

SITE_URL = load_config(config_file=str(REPO / "mkdocs.yml")).site_url
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def feeds_of(site: Path, handbook) -> dict[str | None, Path]:
    folders = {None: site / "partnerships", **{p.slug: site / "partnerships" / p.slug for p in handbook.partnerships}}
    return folders


def expected_items(partnerships) -> int:
    return sum(len(p.log) + len(p.reviews) for p in partnerships)


def check_json_feed(data: dict) -> None:
    """The keys JSON Feed 1.1 requires (top level: version, title, items; each item: id and content)."""
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(data["title"], str) and isinstance(data["items"], list)
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert "content_text" in item or "content_html" in item


def feed_ids(made: dict[str, str], paths: SitePaths, slug: str | None) -> list[str]:
    """The entry ids of one feed as made, the Atom and the JSON Feed document holding the same ones."""
    atom_feed = feedparser.parse(made[paths.feed("atom", slug)].encode("utf-8"))
    assert atom_feed.version == "atom10" and not atom_feed.bozo, atom_feed.get("bozo_exception")
    document = json.loads(made[paths.feed("json", slug)])
    check_json_feed(document)
    ids = [entry.id for entry in atom_feed.entries]
    assert ids == [item["id"] for item in document["items"]]
    return ids


def test_every_feed_is_read_without_error_by_a_feed_parser(site, handbook):
    for slug, folder in feeds_of(site, handbook).items():
        partnerships = handbook.partnerships if slug is None else [handbook.partnership(slug)]
        atom = feedparser.parse((folder / "feed.atom.xml").read_bytes())
        assert atom.version == "atom10" and not atom.bozo, atom.get("bozo_exception")
        assert len(atom.entries) == expected_items(partnerships)
        raw = (folder / "feed.json").read_bytes()
        parsed = feedparser_rs.parse(raw)
        assert parsed.version == "json11" and not parsed.bozo
        assert len(parsed.entries) == expected_items(partnerships)
        check_json_feed(json.loads(raw))
    assert expected_items(handbook.partnerships) > 5


def test_entries_have_stable_ids_real_dates_and_absolute_links(site, handbook):
    atom = feedparser.parse((site / "partnerships" / "feed.atom.xml").read_bytes())
    data = json.loads((site / "partnerships" / "feed.json").read_text(encoding="utf-8"))
    ids = [entry.id for entry in atom.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:example-org.github.io,") for i in ids)
    assert ids == [item["id"] for item in data["items"]]
    dates = [item["date_published"] for item in data["items"]]
    assert all(RFC3339.match(date) for date in dates) and dates == sorted(dates, reverse=True)
    assert all(entry.link.startswith(SITE_URL) for entry in atom.entries)
    entry = handbook.partnerships[0].log[0]
    item = next(i for i in data["items"] if i["id"].endswith(f"/log/{entry.anchor}"))
    assert item["date_published"] == f"{entry.date.isoformat()}T00:00:00Z"
    assert item["url"] == f"{SITE_URL}partnerships/{handbook.partnerships[0].slug}/log/#{entry.anchor}"
    assert item["content_text"] == entry.body
    assert dt.datetime.fromisoformat(atom.feed.updated.replace("Z", "+00:00")).date() == max(
        p.last_update() for p in handbook.partnerships if p.last_update())


def test_reviews_are_entries_too(site, handbook):
    with_reviews = next(p for p in handbook.partnerships if p.reviews)
    data = json.loads((site / "partnerships" / with_reviews.slug / "feed.json").read_text(encoding="utf-8"))
    review_items = [item for item in data["items"] if "/reviews/" in item["id"]]
    assert len(review_items) == len(with_reviews.reviews)
    assert {item["date_published"][:10] for item in review_items} == {r.date.isoformat() for r in with_reviews.reviews}


def test_pages_announce_their_feeds_in_the_head(site, handbook):
    slug = handbook.partnerships[0].slug

    def alternates(page: Path) -> list[dict]:
        # As feed readers read rel: a set of words, "alternate" among them.
        return [attrs for tag, attrs in Page(page).elements
                if tag == "link" and "alternate" in attrs.get("rel", "").lower().split()]

    home = alternates(site / "index.html")
    assert [link["type"] for link in home] == ["application/atom+xml", "application/feed+json"]
    log_page = site / "partnerships" / slug / "log" / "index.html"
    links = alternates(log_page)
    assert len(links) == 4
    for link in links:
        target = (log_page.parent / link["href"]).resolve()
        assert target.is_file(), link
        assert target.name == ("feed.atom.xml" if link["type"] == "application/atom+xml" else "feed.json")
    assert {(log_page.parent / link["href"]).resolve().parent.name for link in links} == {"partnerships", slug}
    # Material asks for a sitemap.xml beside every link whose rel is exactly
    # "alternate" (its selector link[rel=alternate]); the feeds' folders have none.
    assert all(link["rel"] != "alternate" for link in home + links)


def test_entries_of_one_day_keep_ids_of_their_own(tmp_path):
    # Two reviews and two log entries on the same day: file names tell them apart
    # (2026-09-24.yml and 2026-09-24-<words>.yml; log files named as anchors), so must ids.
    slug = "tamberu-taps-for-all"
    project = copy_project(tmp_path / "project", only=slug)
    folder = project / "partnerships" / slug
    review = (folder / "reviews" / "2026-09-24.yml").read_text(encoding="utf-8")
    (folder / "reviews" / "2026-09-24-kiosk-follow-up.yml").write_text(
        review.replace("title: Second health check", "title: Follow-up with the kiosk operators"), encoding="utf-8")
    entry = (folder / "log" / "2026-10-08-scorecard-tested-in-two-lanes.md").read_text(encoding="utf-8")
    (folder / "log" / "2026-10-08-lane-boards-put-up.md").write_text(
        entry.replace("title: Community water scorecard tested", "title: Lane boards put up"), encoding="utf-8")
    handbook = load_handbook(project / "partnerships", practices_dir=project / "content" / "practices")
    paths, url_of = SitePaths(), (SITE_URL + "{}").format
    made = dict(feed_files(handbook, "Site", paths, url_of))
    host = "example-org.github.io"
    for kind_slug in (slug, None):
        ids = feed_ids(made, paths, kind_slug)
        assert len(ids) == len(set(ids)) == expected_items(handbook.partnerships) == 10
        # An id already published stays as it was; the new file's id is named after it.
        assert f"tag:{host},2026-09-24:{slug}/reviews/2026-09-24" in ids
        assert f"tag:{host},2026-09-24:{slug}/reviews/2026-09-24-kiosk-follow-up" in ids
        document = json.loads(made[paths.feed("json", kind_slug)])
        log_urls = [item["url"] for item in document["items"] if "/log/" in item["id"]]
        assert len(log_urls) == len(set(log_urls)) == 7


def test_record_text_in_feeds_is_inert(hostile_site):
    site = hostile_site
    atom_text = (site / "partnerships" / "hostile" / "feed.atom.xml").read_text(encoding="utf-8")
    assert "<script" not in atom_text and "<img" not in atom_text
    atom = feedparser.parse(atom_text)
    assert not atom.bozo and atom.entries[0].content[0].type == "text/plain"
    data = json.loads((site / "partnerships" / "hostile" / "feed.json").read_text(encoding="utf-8"))
    assert all("content_html" not in item for item in data["items"])
    assert data["items"][0]["title"].endswith(HOSTILE)
    head = Page(site / "partnerships" / "hostile" / "index.html").html.split("</head>")[0]
    assert "<script>alert" not in head


def test_without_site_url_the_build_warns_with_the_fix_and_writes_no_feeds(tmp_path, caplog, site_without_site_url):
    with pytest.raises(Abort):
        build_site(without_site_url(copy_project(tmp_path / "project", only="tamberu-taps-for-all")))  # strict: stopped
    assert "site_url is not set" in caplog.text and "fix: set site_url in mkdocs.yml" in caplog.text
    site = site_without_site_url  # the same project built leniently
    assert not list(site.rglob("feed.*"))
    assert not [attrs for tag, attrs in Page(site / "index.html").elements
                if tag == "link" and "alternate" in attrs.get("rel", "").split()]


def test_the_site_feeds_reuse_entries_as_written_alone(handbook):
    # Each entry is written once, in its partnership's feed, and reused in the site's: every feed
    # must be what writing it on its own gives, and be a JSON document json.loads reads back.
    paths = SitePaths()
    url_of = (SITE_URL + "{}").format
    feeds = handbook_feeds(handbook, "Site", paths, url_of)
    made = dict(feed_files(handbook, "Site", paths, url_of))
    assert feeds[None].items and len(made) == 2 * len(feeds)
    for slug, feed in feeds.items():
        atom_path, json_path = paths.feed("atom", slug), paths.feed("json", slug)
        assert made[atom_path] == atom(feed, url_of(atom_path), "Site")
        assert made[json_path] == json_feed(feed, url_of(json_path))
        document = json.loads(made[json_path])
        assert [item["id"] for item in document["items"]] == [item.id for item in feed.items]
        assert made[json_path] == json.dumps(document, ensure_ascii=False) + "\n"


# Text that would end or forge XML if it were pasted in, and characters XML 1.0 cannot carry at all.
XML_BREAKING = "]]> & &amp; &#0; </content></entry><entry><id>forged</id> \x00\x01\x0b\x1f\ufffe\uffff \u2028 " + HOSTILE


def test_an_entry_reused_in_the_site_feeds_stays_inert_whatever_its_text():
    # The site's feeds paste in each entry as its partnership's feed wrote it: the pasted text must
    # still be one well-formed entry (lxml refuses any character XML cannot carry) and plain JSON.
    def item(day: int) -> FeedItem:
        return FeedItem(f"tag:example.org,2024-01-0{day}:{XML_BREAKING}", XML_BREAKING, f"{SITE_URL}?a=1&b={day}",
                        dt.date(2024, 1, day), XML_BREAKING, (XML_BREAKING,), (XML_BREAKING,))
    atom_entries, json_entries = {}, {}
    for feed in (Feed(XML_BREAKING, SITE_URL, (item(2), item(1))), Feed("Site", SITE_URL, (item(3), item(2), item(1)))):
        written = atom(feed, f"{SITE_URL}feed.atom.xml", XML_BREAKING, atom_entries)
        assert written == atom(feed, f"{SITE_URL}feed.atom.xml", XML_BREAKING)
        entries = etree.fromstring(written.encode("utf-8")).findall(f"{{{ATOM_NS}}}entry")
        assert [entry.findtext(f"{{{ATOM_NS}}}id") for entry in entries] == [xml_text(i.id) for i in feed.items]
        assert {entry.findtext(f"{{{ATOM_NS}}}content") for entry in entries} == {xml_text(XML_BREAKING)}
        text = json_feed(feed, f"{SITE_URL}feed.json", json_entries)
        assert text == json_feed(feed, f"{SITE_URL}feed.json")
        document = json.loads(text)
        assert [entry["content_text"] for entry in document["items"]] == [XML_BREAKING] * len(feed.items)
        assert text == json.dumps(document, ensure_ascii=False) + "\n"
    assert len(atom_entries) == len(json_entries) == 3


def newest_of_every_partnership(made: dict[str, str], paths: SitePaths, handbook, count: int) -> list[str]:
    """The ids of the `count` newest entries of all the partnerships' own feeds: by date, then id, descending."""
    items = [(item["date_published"], item["id"]) for p in handbook.partnerships
             for item in json.loads(made[paths.feed("json", p.slug)])["items"]]
    return [item_id for _, item_id in sorted(items, reverse=True)[:count]]


def with_option(project: Path, line: str) -> Path:
    """`project`'s mkdocs.yml with one more option of the partnerships plugin; the file."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      records_dir: partnerships\n", f"      records_dir: partnerships\n      {line}\n"),
                      encoding="utf-8")
    assert line in config.read_text(encoding="utf-8")
    return config


def test_the_site_feeds_carry_only_the_newest_entries_and_each_partnership_all_of_its_own(handbook):
    paths, url_of = SitePaths(), (SITE_URL + "{}").format
    limit = 7
    assert expected_items(handbook.partnerships) > limit and len(handbook.partnerships) > 1
    made = dict(feed_files(handbook, "Site", paths, url_of, limit))
    for partnership in handbook.partnerships:
        assert len(feed_ids(made, paths, partnership.slug)) == expected_items([partnership])
    newest = newest_of_every_partnership(made, paths, handbook, limit)
    assert feed_ids(made, paths, None) == newest
    # The entries of several partnerships interleave among the newest (the order is the site's, not one's).
    assert len({item_id.split(":")[-1].split("/")[0] for item_id in newest}) > 1
    # An entry is the same, byte for byte, in the site's feed and in its partnership's.
    site_json = json.loads(made[paths.feed("json", None)])["items"]
    own = {item["id"]: item for p in handbook.partnerships for item in json.loads(made[paths.feed("json", p.slug)])["items"]}
    assert site_json == [own[item["id"]] for item in site_json]


def test_a_build_caps_the_site_feeds_at_the_option_of_mkdocs_yml(tmp_path):
    slug = "tamberu-taps-for-all"
    project = copy_project(tmp_path / "project", only=slug)
    with_option(project, "site_feed_entries: 3")
    site = build_site(project)
    # The partnership's own feed is whole (its public entries; partners-only ones are left out of the site).
    own = json.loads((site / "partnerships" / slug / "feed.json").read_text(encoding="utf-8"))["items"]
    assert len(own) == expected_items(for_audience(load_handbook(project / "partnerships"), "public").partnerships) > 3
    for name in ("feed.json", "feed.atom.xml"):
        text = (site / "partnerships" / name).read_text(encoding="utf-8")
        ids = [item["id"] for item in json.loads(text)["items"]] if name.endswith(".json") else \
            [entry.id for entry in feedparser.parse(text).entries]
        assert ids == [item["id"] for item in own[:3]], name


def test_without_the_option_the_site_feeds_carry_the_newest_fifty(tmp_path):
    slug = "tamberu-taps-for-all"
    project = copy_project(tmp_path / "project", only=slug)
    assert Project.read(project / "mkdocs.yml").site_feed_entries == DEFAULT_SITE_FEED_ENTRIES == 50
    log = project / "partnerships" / slug / "log"
    entry = (log / "2026-10-08-scorecard-tested-in-two-lanes.md").read_text(encoding="utf-8")
    for day in range(1, 61):  # sixty more entries, on days before and after the example's own
        date = dt.date(2025, 6, 1) + dt.timedelta(days=7 * day)
        (log / f"{date.isoformat()}-visit-{day}.md").write_text(
            entry.replace("date: 2026-10-08", f"date: {date.isoformat()}")
            .replace("title: Community water scorecard tested", f"title: Visit {day}"), encoding="utf-8")
    handbook = load_handbook(project / "partnerships")
    paths, url_of = SitePaths(), (SITE_URL + "{}").format
    made = dict(feed_files(handbook, "Site", paths, url_of))
    assert len(feed_ids(made, paths, slug)) == expected_items(handbook.partnerships) > 60
    assert feed_ids(made, paths, None) == newest_of_every_partnership(made, paths, handbook, 50)


@pytest.mark.parametrize("value", ["0", "-5", "lots", "2.5", "true", "[]"])
def test_a_site_feed_size_that_is_not_a_whole_number_above_0_is_refused(tmp_path, value):
    config = with_option(copy_project(tmp_path / "project", only="tamberu-taps-for-all"), f"site_feed_entries: {value}")
    with pytest.raises(ProjectError) as raised:
        Project.read(config)
    message = str(raised.value)
    assert str(config) in message and "site_feed_entries" in message
    assert "expected a whole number of entries above 0, not " in message
