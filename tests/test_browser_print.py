"""The built handbook in a real browser: printing, the dossier as PDF, and the dashboard's sorting."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from browser import AXE_OPTIONS, DESKTOP, MOBILE, open_page, pages_by_template

pytest.importorskip("playwright", reason="install the test extras: pip install -e '.[test]'")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

# The width of an A4 sheet at 96 dpi, as printing lays pages out.
A4 = {"width": 794, "height": 1123}

PRINT_SCRIPT = """
() => {
  const hidden = sel => Array.from(document.querySelectorAll(sel)).every(el => el.getClientRects().length === 0);
  const article = document.querySelector('article').getBoundingClientRect();
  const tables = Array.from(document.querySelectorAll('article table')).map(table => {
    const box = table.getBoundingClientRect();
    return {fits: box.left >= article.left - 1 && box.right <= article.right + 1 && table.scrollWidth <= table.clientWidth + 1,
            rowsKeptWhole: Array.from(table.rows).every(row => getComputedStyle(row).breakInside === 'avoid')};
  });
  const links = Array.from(document.querySelectorAll('article a[href^="http"]'))
    .filter(a => a.getClientRects().length > 0)
    .map(a => ({href: a.getAttribute('href'), after: getComputedStyle(a, '::after').content}));
  return {chrome: ['.md-header', '.md-sidebar', '.md-footer', '.msp-tabs', '.md-content__button', '.md-top']
                    .filter(sel => !hidden(sel)),
          tables, links};
}
"""


def test_every_partnership_prints_without_chrome_with_whole_tables_and_visible_links(site, base_url, tab):
    kinds = pages_by_template(site)
    urls = [url for kind, group in kinds.items() if kind.startswith("partnerships/") and kind not in (
        "partnerships/list.html", "partnerships/reference.html") for url in group]
    assert len(urls) >= 6 * 3
    # Printing to PDF is the slow part: one page of each kind is printed, every page is measured in print media.
    printed = {group[0] for kind, group in kinds.items() if kind.startswith("partnerships/")} & set(urls)
    assert len(printed) >= 6
    links_checked = 0
    for url in urls:
        page = open_page(tab, base_url + url, A4, media="print")
        report = page.evaluate(PRINT_SCRIPT)
        assert report["chrome"] == [], f"{url} prints navigation: {report['chrome']}"
        assert all(table["fits"] for table in report["tables"]), f"{url}: a table is cut"
        assert all(table["rowsKeptWhole"] for table in report["tables"]), f"{url}: rows may split across pages"
        for link in report["links"]:
            assert link["href"] in link["after"], f"{url}: {link}"
            links_checked += 1
        if url in printed:
            pdf = page.pdf(format="A4")
            assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1
    assert links_checked > 0


def test_the_dossier_prints_to_a_pdf_of_several_pages_one_section_per_sheet(site, base_url, tab):
    dossiers = pages_by_template(site)["partnerships/dossier.html"]
    assert len(dossiers) >= 3
    page = open_page(tab, base_url + dossiers[0], A4)
    sections = page.locator("article h2.msp-dossier-section")
    assert sections.count() >= 7
    page.emulate_media(media="print")
    report = page.evaluate(PRINT_SCRIPT)
    assert report["chrome"] == [], f"the dossier prints navigation: {report['chrome']}"
    breaks = sections.evaluate_all("els => els.map(el => getComputedStyle(el).breakBefore)")
    assert breaks[0] != "page" and set(breaks[1:]) == {"page"}, breaks
    assert "dossier-monitoring" in sections.evaluate_all("els => els.map(el => el.id)")
    # The monitoring section prints its charts whole and inside the page, each beside its table of numbers.
    charts = page.evaluate("""() => {
      const article = document.querySelector('article').getBoundingClientRect();
      return Array.from(document.querySelectorAll('article svg.msp-chart')).map(svg => {
        const box = svg.getBoundingClientRect(), figure = svg.closest('figure');
        return {shown: box.width > 100 && box.height > 50, inside: box.left >= article.left - 1 && box.right <= article.right + 1,
                whole: getComputedStyle(figure).breakInside === 'avoid',
                table: (next => next !== null && (next.tagName === 'TABLE' || next.querySelector('table') !== null))(
                  (figure.parentElement.tagName === 'P' ? figure.parentElement : figure).nextElementSibling)};
      });
    }""")
    assert len(charts) >= 3 and all(chart == {"shown": True, "inside": True, "whole": True, "table": True}
                                    for chart in charts), charts
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    # A page break before each section after the first: at least one sheet per section.
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= sections.count()


NAMES_SCRIPT = "() => Array.from(document.querySelectorAll('table.msp-dashboard tbody tr > th')).map(th => th.textContent)"
SORT_STATE_SCRIPT = """
() => Array.from(document.querySelectorAll('table.msp-dashboard thead th'))
  .filter(th => th.hasAttribute('aria-sort')).map(th => [th.textContent, th.getAttribute('aria-sort')])
"""


def expected_orders(handbook) -> dict[str, list[str]]:
    """Heading -> the partnerships' names in ascending order, computed from the records, never from the page."""
    import datetime as dt

    from msp_handbook.structure.reviews import review_summary

    today = dt.date.today()
    by_name = [p.name for p in handbook.partnerships]

    def order(key) -> list[str]:
        # Partnerships without a value go last; ties keep the build's order (by name).
        keyed = [(key(p), position, p.name) for position, p in enumerate(handbook.partnerships)]
        return [name for _, _, name in sorted((k, pos, n) for k, pos, n in keyed if k is not None)] + \
               [name for k, _, name in keyed if k is None]

    return {
        "Partnership": by_name,
        "Phase": order(lambda p: handbook.cycle.phase(p.phase).number if p.phase else None),
        "Last update": order(lambda p: p.log[0].date if p.log else None),
        "Next review": order(lambda p: review_summary(p, handbook.building_blocks, today).next_review),
    }


def test_the_dashboard_sorts_by_column_by_mouse_keyboard_and_on_phones(site, base_url, tab, handbook):
    orders = expected_orders(handbook)
    assert len(set(map(tuple, orders.values()))) >= 3, "the examples should sort differently by each column"
    host = urlsplit(base_url).netloc
    axe = Axe()
    requests: list[str] = []

    def log_request(request) -> None:
        requests.append(request.url)

    tab.on("request", log_request)
    try:
        sort_on_desktop_and_phone(base_url, tab, handbook, orders, axe)
    finally:
        tab.remove_listener("request", log_request)  # the module's other tests share the tab
    outside = [url for url in requests if urlsplit(url).netloc != host]
    assert outside == []


def sort_on_desktop_and_phone(base_url, page, handbook, orders, axe) -> None:
    """The dashboard sorted by mouse and keyboard at desktop width, on a filter page, and from the phone's list."""
    open_page(page, base_url + "partnerships/", DESKTOP)
    assert page.evaluate(NAMES_SCRIPT) == orders["Partnership"]
    # The build's order is by name, and the page says so.
    assert page.evaluate(SORT_STATE_SCRIPT) == [["Partnership", "ascending"]]
    heading = page.locator("table.msp-dashboard thead th")

    # By mouse: ascending first, then descending; one heading at a time carries aria-sort.
    update = heading.filter(has_text="Last update").get_by_role("button")
    update.click()
    assert page.evaluate(NAMES_SCRIPT) == orders["Last update"]
    assert page.evaluate(SORT_STATE_SCRIPT) == [["Last update", "ascending"]]
    update.click()
    assert page.evaluate(NAMES_SCRIPT) == orders["Last update"][::-1]
    assert page.evaluate(SORT_STATE_SCRIPT) == [["Last update", "descending"]]
    assert page.get_by_role("status").inner_text() == "Sorted by Last update: newest first."

    # By keyboard: Tab reaches the heading's button, Enter and Space sort.
    phase = heading.filter(has_text="Phase").get_by_role("button")
    heading.filter(has_text="Partnership").get_by_role("button").focus()
    page.keyboard.press("Tab")
    assert phase.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate(NAMES_SCRIPT) == orders["Phase"]
    page.keyboard.press("Space")
    assert page.evaluate(NAMES_SCRIPT) == orders["Phase"][::-1]
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()

    # The filter pages are the same table: they sort too.
    sector = next(s for s in ("public", "private", "civil-society") if sum(1 for p in handbook.partnerships
                                                                         if s.replace("-", "_") in p.sectors()) >= 2)
    page.goto(base_url + f"partnerships/sector/{sector}/", wait_until="load")
    listed = page.evaluate(NAMES_SCRIPT)
    heading.filter(has_text="Last update").get_by_role("button").click()
    assert page.evaluate(NAMES_SCRIPT) == [name for name in orders["Last update"] if name in listed]

    # On a phone the headings are hidden and a "Sort by" list does the same.
    open_page(page, base_url + "partnerships/", MOBILE)
    assert not page.locator("table.msp-dashboard thead button").first.is_visible()
    choice = page.get_by_label("Sort by")
    assert choice.is_visible()
    assert choice.evaluate("el => el.selectedOptions[0].textContent") == "Partnership: A to Z"
    choice.select_option(label="Next review: soonest first")
    assert page.evaluate(NAMES_SCRIPT) == orders["Next review"]
    assert page.evaluate(SORT_STATE_SCRIPT) == [["Next review", "ascending"]]
    choice.select_option(label="Partnership: Z to A")
    assert page.evaluate(NAMES_SCRIPT) == orders["Partnership"][::-1]
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


def test_without_javascript_the_dashboard_is_the_plain_table_in_name_order(site, base_url, tab_without_js, handbook):
    page = open_page(tab_without_js, base_url + "partnerships/", MOBILE)
    assert page.evaluate(NAMES_SCRIPT) == [p.name for p in handbook.partnerships]
    assert page.locator("table.msp-dashboard button").count() == 0
    assert page.locator("select").count() == 0
    assert page.locator("table.msp-dashboard tbody tr").first.is_visible()


def test_the_dashboard_prints_as_a_whole_table_without_its_controls(site, base_url, tab):
    page = open_page(tab, base_url + "partnerships/", A4)
    page.emulate_media(media="print")
    report = page.evaluate(PRINT_SCRIPT)
    assert report["chrome"] == []
    assert report["tables"] and all(table["fits"] and table["rowsKeptWhole"] for table in report["tables"])
    # Filters and sorting are for the screen; the printed page is the list.
    for control in (".msp-browse", ".msp-sort", ".msp-sort-status"):
        assert page.locator(control).evaluate_all("els => els.every(el => el.getClientRects().length === 0)"), control
    assert page.pdf(format="A4").startswith(b"%PDF")
