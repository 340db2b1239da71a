"""The built handbook in a real browser: accessible, self-contained, readable without JavaScript, printable."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import DESKTOP, MOBILE, launch_browser, pages_by_template, serve
from sitebuild import REPO, build_site

pytest.importorskip("playwright", reason="install the test extras: pip install -e '.[test]'")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(REPO, tmp_path_factory.mktemp("browser-site"))


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


def visited_pages(site: Path) -> list[str]:
    """One page of each generated kind, and every hand-written page."""
    return [urls[0] for urls in pages_by_template(site).values()]


def test_the_visited_pages_cover_every_template(site):
    kinds = pages_by_template(site)
    for template in ("partnerships/list.html", "partnerships/overview.html", "partnerships/stakeholders.html",
                     "partnerships/cycle.html", "partnerships/governance.html", "partnerships/code-of-conduct.html",
                     "partnerships/log.html", "partnerships/reference.html", "practices/list.html",
                     "practices/practice.html", "practices/phase.html", "practices/tag.html", "practices/sector.html"):
        assert template in kinds, template
    assert "content:" in kinds and "content:guide/" in kinds


def test_every_kind_of_page_is_accessible_and_loads_nothing_from_outside(site, base_url, browser):
    axe = Axe()
    failures: list[str] = []
    host = urlsplit(base_url).netloc
    for size in (DESKTOP, MOBILE):
        context = browser.new_context(viewport=size)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        for url in visited_pages(site):
            requests.clear()
            page.goto(base_url + url, wait_until="networkidle")
            outside = [r for r in requests if urlsplit(r).scheme in ("http", "https", "ws", "wss")
                       and urlsplit(r).netloc != host]
            if outside:
                failures.append(f"{url} at {size['width']}px requested {outside}")
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            if results.violations_count:
                failures.append(f"{url} at {size['width']}px:\n{results.generate_report()}")
        context.close()
    assert not failures, "\n".join(failures)
