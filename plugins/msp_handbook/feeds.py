"""Feeds of the progress log and the reviews: Atom 1.0 (RFC 4287) and JSON Feed 1.1.

One list of `FeedItem`s per feed (the whole site, and each partnership) is
written twice, once per format, so both always carry the same entries. Record
text goes out as plain text (Atom `type="text"`, JSON Feed `content_text`):
a feed reader shows it as written and never runs it. Feeds need absolute
links, so they are only made when `site_url` is set (site.py warns otherwise).
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit
# ElementTree's escaping, so a feed is escaped exactly as ElementTree escaped it.
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # noqa: PLC2701

from .clock import build_date
from .handbook import Handbook
from .model import Partnership, Review
from .opendata import UrlOf, json_text
from .urls import SitePaths

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Feed kind (as in urls.FEED_SUFFIXES) -> media type, for files and <link rel="alternate feed">.
FEED_TYPES = {"atom": "application/atom+xml", "json": "application/feed+json"}
# How many entries the site-wide feeds carry unless the `site_feed_entries` option says otherwise:
# the newest few dozen, as blog feeds do. Every partnership's feed keeps its whole history.
DEFAULT_SITE_FEED_ENTRIES = 50
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text safe to put in an XML document: characters XML forbids are dropped (the serialiser escapes the rest)."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: a log entry or a review, as a feed reader lists it."""

    id: str  # a tag: URI, stable while the host, the folder and the file name stay
    title: str
    url: str
    date: dt.date
    text: str  # plain text (Markdown as written)
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    """A partnership's feed, or the whole site's: its title, its home page and its entries."""

    title: str
    home: str  # the page the feed belongs to
    items: tuple[FeedItem, ...]


@lru_cache(maxsize=4096)  # a build writes each entry's date up to six times (two formats, two feeds)
def rfc3339(date: dt.date | dt.datetime) -> str:
    """A date as RFC 3339 date-time in UTC (a day's entries are dated at its start)."""
    if not isinstance(date, dt.datetime):
        date = dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc)
    return date.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tag(host: str, date: dt.date, specific: str) -> str:
    # RFC 4151: the site's host and the entry's own date name it, whatever the page URLs become.
    return f"tag:{host},{date.isoformat()}:{specific}"


def partnership_items(partnership: Partnership, paths: SitePaths, url_of: UrlOf) -> list[FeedItem]:
    """Log entries and reviews of one partnership, newest first."""
    slug, name = partnership.slug, partnership.name
    host = urlsplit(url_of(paths.partnerships())).hostname or "localhost"
    log_page = url_of(paths.partnership(slug, "log"))
    items = [
        FeedItem(_tag(host, entry.date, f"{slug}/log/{entry.anchor}"), f"{name}: {entry.title}",
                 f"{log_page}#{entry.anchor}", entry.date, entry.body, tuple(entry.authors), tuple(entry.tags))
        for entry in partnership.log
    ]
    overview = url_of(paths.partnership(slug))
    items += [
        FeedItem(_tag(host, review.date, f"{slug}/reviews/{_review_name(review)}"),
                 f"{name}: review, {review.title or review.date.isoformat()}", overview, review.date,
                 review.statement or "", tags=("review",))
        for review in partnership.reviews
    ]
    return sorted(items, key=_recency, reverse=True)


def _review_name(review: Review) -> str:
    """What names a review in its entry's id: its file name without `.yml`.

    The date alone named two reviews of one day (`2026-03-12.yml`, `2026-03-12-<words>.yml`)
    alike; the file name is unique in its folder, starts with the date, and is the date
    alone for the usual one review a day, so those ids stay as published.
    """
    return review.source.stem or review.date.isoformat()  # a review made in code has no file


def handbook_feeds(handbook: Handbook, site_name: str, paths: SitePaths, url_of: UrlOf,
                   site_entries: int = DEFAULT_SITE_FEED_ENTRIES) -> dict[str | None, Feed]:
    """The feed of each partnership (by slug), whole, and of the whole site (under None): its newest `site_entries`."""
    feeds: dict[str | None, Feed] = {}
    for partnership in handbook.partnerships:
        feeds[partnership.slug] = Feed(f"{partnership.name}: progress", url_of(paths.partnership(partnership.slug)),
                                       tuple(partnership_items(partnership, paths, url_of)))
    # A reader polls the site's feed for what is new: with hundreds of partnerships every entry
    # ever written would make it megabytes. nlargest keeps only the newest, in sorted's order.
    newest = heapq.nlargest(site_entries, (item for feed in feeds.values() for item in feed.items),
                            key=_recency)
    feeds[None] = Feed(f"{site_name}: partnership progress", url_of(paths.partnerships()), tuple(newest))
    return feeds


def _recency(item: FeedItem) -> tuple[dt.date, str]:
    """How recent an entry is, to order feeds newest first (descending): by date, then by id."""
    return item.date, item.id


def _updated(feed: Feed) -> str:
    return rfc3339(feed.items[0].date) if feed.items else rfc3339(build_date())


# An entry as written in each format, by item: the site's feeds repeat every partnership's entries.
WrittenEntries = dict[FeedItem, str]


def atom(feed: Feed, self_url: str, site_name: str, entries: WrittenEntries | None = None) -> str:
    """The feed as an Atom 1.0 document (`entries`: each item's <entry>, kept for the next feed).

    Written out as text with ElementTree's own escaping, so it is the document
    ElementTree wrote: its serialiser, pure Python, was most of the feeds' cost.
    """
    parts = ["<?xml version='1.0' encoding='utf-8'?>\n", f'<feed xmlns="{ATOM_NS}">']
    _element(parts, "id", self_url)
    _element(parts, "title", feed.title, type="text")
    _element(parts, "updated", _updated(feed))
    _element(parts, "link", rel="self", type=FEED_TYPES["atom"], href=self_url)
    _element(parts, "link", rel="alternate", type="text/html", href=feed.home)
    # Entries without authors of their own are by the site's partners.
    parts.append("<author>")
    _element(parts, "name", site_name)
    parts.append("</author>")
    entries = {} if entries is None else entries
    for item in feed.items:
        written = entries.get(item)
        if written is None:
            written = entries[item] = _atom_entry(item)
        parts.append(written)
    parts.append("</feed>\n")
    return "".join(parts)


def _atom_entry(item: FeedItem) -> str:
    parts = ["<entry>"]
    _element(parts, "id", item.id)
    _element(parts, "title", item.title, type="text")
    _element(parts, "updated", rfc3339(item.date))
    _element(parts, "published", rfc3339(item.date))
    _element(parts, "link", rel="alternate", type="text/html", href=item.url)
    for author in item.authors:
        parts.append("<author>")
        _element(parts, "name", author)
        parts.append("</author>")
    for tag in item.tags:
        _element(parts, "category", term=tag)
    _element(parts, "content", item.text, type="text")
    parts.append("</entry>")
    return "".join(parts)


def _element(parts: list[str], tag: str, text: str | None = None, **attributes: str) -> None:
    written = "".join(f' {name}="{_escape_attrib(xml_text(value))}"' for name, value in attributes.items())
    text = xml_text(text) if text is not None else ""
    parts.append(f"<{tag}{written}>{_escape_cdata(text)}</{tag}>" if text else f"<{tag}{written} />")


def json_feed(feed: Feed, self_url: str, entries: WrittenEntries | None = None) -> str:
    """The feed as a JSON Feed 1.1 document (`entries`: each item as JSON, kept for the next feed).

    The items are written one by one and put in the document's last key, as json_document
    would write it whole (its separators, ensure_ascii=False).
    """
    entries = {} if entries is None else entries
    items = []
    for item in feed.items:
        written = entries.get(item)
        if written is None:
            written = entries[item] = json_text(_json_entry(item))
        items.append(written)
    head = json_text({"version": JSON_FEED_VERSION, "title": feed.title, "home_page_url": feed.home,
                      "feed_url": self_url})
    return f'{head[:-1]}, "items": [{", ".join(items)}]}}\n'


def _json_entry(item: FeedItem) -> dict:
    entry = {"id": item.id, "url": item.url, "title": item.title, "content_text": item.text,
             "date_published": rfc3339(item.date)}
    if item.authors:
        entry["authors"] = [{"name": author} for author in item.authors]
    if item.tags:
        entry["tags"] = list(item.tags)
    return entry


@dataclass(frozen=True)
class FeedLink:
    """A feed as announced in a page's head (`<link rel="alternate feed">`, theme/main.html)."""

    type: str
    title: str
    docs_path: str  # the page links to it by a URL relative to itself


def feed_links(handbook: Handbook, site_name: str, paths: SitePaths) -> dict[str | None, list[FeedLink]]:
    """The feeds to announce: the site's (under None) on every page, a partnership's (by slug) on its pages."""
    names: dict[str | None, str] = {None: site_name, **{p.slug: p.name for p in handbook.partnerships}}
    return {
        slug: [FeedLink(FEED_TYPES["atom"], f"{name} (Atom)", paths.feed("atom", slug)),
               FeedLink(FEED_TYPES["json"], f"{name} (JSON Feed)", paths.feed("json", slug))]
        for slug, name in names.items()
    }


def feed_paths(handbook: Handbook, paths: SitePaths) -> list[str]:
    """The docs paths `feed_files` makes, in its order: each partnership's feeds, then the site's."""
    return [paths.feed(kind, slug) for slug in [*(p.slug for p in handbook.partnerships), None]
            for kind in ("atom", "json")]


def feed_files(handbook: Handbook, site_name: str, paths: SitePaths, url_of: UrlOf,
               site_entries: int = DEFAULT_SITE_FEED_ENTRIES) -> list[tuple[str, str]]:
    """(docs path, content) of every feed, Atom and JSON Feed, of the site (its newest `site_entries`)
    and of each partnership."""
    files = []
    # The site's feeds (last) reuse each entry as its partnership's feeds wrote it.
    atom_entries: WrittenEntries = {}
    json_entries: WrittenEntries = {}
    for slug, feed in handbook_feeds(handbook, site_name, paths, url_of, site_entries).items():
        atom_path, json_path = paths.feed("atom", slug), paths.feed("json", slug)
        files.append((atom_path, atom(feed, url_of(atom_path), site_name, atom_entries)))
        files.append((json_path, json_feed(feed, url_of(json_path), json_entries)))
    return files
