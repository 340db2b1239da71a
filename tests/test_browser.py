"""The built handbook in a real browser: accessible, self-contained, readable without JavaScript, printable."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import DESKTOP, MOBILE, launch_browser, pages_by_template, serve
from hostile import MARKER
from sitebuild import Page

pytest.importorskip("playwright", reason="install the test extras: pip install -e '.[test]'")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Passing options replaces the library's default, which asks for violations
# only; without it axe also returns every passing node, which doubles its time.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


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
                     "partnerships/log.html", "partnerships/monitoring.html", "partnerships/reference.html", "practices/list.html",
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
        page.on("request", lambda request, seen=requests: seen.append(request.url))
        for url in visited_pages(site):
            requests.clear()
            page.goto(base_url + url, wait_until="load")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:  # WCAG 1.4.10: content reflows instead of scrolling sideways
                failures.append(f"{url} at {size['width']}px scrolls sideways by {overflow}px")
            results = axe.run(page, options=AXE_OPTIONS)
            if results.violations_count:
                failures.append(f"{url} at {size['width']}px:\n{results.generate_report()}")
            # Read after axe has run, well over a second after loading: longer than the
            # quiet half second "networkidle" would wait for late requests.
            outside = [r for r in requests if urlsplit(r).scheme in ("http", "https", "ws", "wss")
                       and urlsplit(r).netloc != host]
            if outside:
                failures.append(f"{url} at {size['width']}px requested {outside}")
        context.close()
    assert not failures, "\n".join(failures)


KEYBOARD_SCRIPT = """
() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
                      && !el.closest('[hidden], [inert]') && !el.disabled && el.tabIndex >= 0;
  const controls = Array.from(document.querySelectorAll(selector)).filter(shown);
  controls.forEach((el, index) => el.dataset.kbd = String(index));
  return controls.map(el => el.outerHTML.slice(0, 120));
}
"""

FOCUS_SCRIPT = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
                   && box.right > 0 && box.left < innerWidth;
  return {kbd: el.dataset.kbd ?? null, visible: (outline || shadow) && onScreen, html: el.outerHTML.slice(0, 120)};
}
"""


@pytest.mark.parametrize("kind", ["partnerships/overview.html", "partnerships/cycle.html", "partnerships/log.html",
                                  "partnerships/list.html"])
def test_every_control_is_reachable_by_keyboard_and_visible_on_focus(site, base_url, browser, kind):
    url = pages_by_template(site)[kind][0]
    page = browser.new_page(viewport=DESKTOP)
    page.goto(base_url + url, wait_until="networkidle")
    controls = page.evaluate(KEYBOARD_SCRIPT)
    assert len(controls) > 10
    reached: set[str] = set()
    unseen: list[str] = []
    for _ in range(len(controls) + 20):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_SCRIPT)
        if focus is None:
            continue
        if focus["kbd"] is not None:
            reached.add(focus["kbd"])
        if not focus["visible"]:
            unseen.append(focus["html"])
    page.close()
    missed = [html for index, html in enumerate(controls) if str(index) not in reached]
    assert missed == [], "not reachable with Tab:\n" + "\n".join(missed)
    assert unseen == [], "no visible focus indicator:\n" + "\n".join(unseen)


@pytest.mark.parametrize("kind", ["partnerships/overview.html", "partnerships/stakeholders.html",
                                  "partnerships/cycle.html", "partnerships/log.html", "practices/list.html"])
def test_core_content_is_readable_without_javascript(site, base_url, browser, kind):
    url = pages_by_template(site)[kind][0]
    expected = Page(site / url / "index.html")
    context = browser.new_context(viewport=MOBILE, java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + url)
    tables = page.locator("article table")
    assert tables.count() == len([1 for tag, _ in expected.elements if tag == "table"])
    for index in range(tables.count()):
        assert tables.nth(index).is_visible()
    for heading in page.locator("article h2").all():
        assert heading.is_visible()
    text = page.locator("article").inner_text()
    if kind == "partnerships/cycle.html":
        assert "You are here" in text and "Done" in text
    if kind == "partnerships/log.html":
        assert page.locator("article .msp-log-body").count() >= 1
    if kind == "practices/list.html":
        assert page.locator("article table tr").count() > 8
    context.close()


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


def test_every_partnership_prints_without_chrome_with_whole_tables_and_visible_links(site, base_url, browser):
    page = browser.new_page(viewport={"width": 794, "height": 1123})
    page.emulate_media(media="print")
    kinds = pages_by_template(site)
    urls = [url for kind, group in kinds.items() if kind.startswith("partnerships/") and kind not in (
        "partnerships/list.html", "partnerships/reference.html") for url in group]
    assert len(urls) >= 6 * 3
    links_checked = 0
    for url in urls:
        page.goto(base_url + url)
        report = page.evaluate(PRINT_SCRIPT)
        assert report["chrome"] == [], f"{url} prints navigation: {report['chrome']}"
        assert all(table["fits"] for table in report["tables"]), f"{url}: a table is cut"
        assert all(table["rowsKeptWhole"] for table in report["tables"]), f"{url}: rows may split across pages"
        for link in report["links"]:
            assert link["href"] in link["after"], f"{url}: {link}"
            links_checked += 1
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1
    assert links_checked > 0
    page.close()


def test_the_dossier_prints_to_a_pdf_of_several_pages_one_section_per_sheet(site, base_url, browser):
    dossiers = pages_by_template(site)["partnerships/dossier.html"]
    assert len(dossiers) >= 3
    page = browser.new_page(viewport={"width": 794, "height": 1123})
    page.goto(base_url + dossiers[0])
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
    page.close()


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    with serve(hostile_site) as url:
        yield url


def test_injected_text_stays_inert_in_the_browser(hostile_site, hostile_url, browser):
    base_url = hostile_url
    # Every page of the hostile partnership, tabs added later included.
    urls = [path.parent.relative_to(hostile_site).as_posix() + "/"
            for path in sorted((hostile_site / "partnerships" / "hostile").rglob("index.html"))]
    assert len(urls) >= 6
    urls += ["partnerships/", "practices/", "practices/hostile-practice/", "practices/tags/facilitation/",
             "practices/phases/exploration/", "guide/exploration/"]
    for size in (DESKTOP, MOBILE):
        context = browser.new_context(viewport=size)
        page = context.new_page()
        dialogs: list[str] = []
        console: list[str] = []
        page.on("dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda message, seen=console: seen.append(message.text))
        for url in urls:
            # Inline scripts run while the page is parsed and broken images fail
            # before "load", so any attack that could run has run by then.
            page.goto(base_url + url, wait_until="load")
            state = page.evaluate("""() => ({
                injected: document.querySelectorAll('#injected-marker, article img, article iframe, article b').length,
                handlers: Array.from(document.querySelectorAll('*')).filter(el =>
                    Array.from(el.attributes).some(a => a.name.startsWith('on'))).length,
                scriptLinks: Array.from(document.querySelectorAll('[href], [src]')).filter(el =>
                    /^\\s*(javascript|data|vbscript):/i.test(el.getAttribute('href') || el.getAttribute('src') || '')).length,
                overflow: document.documentElement.scrollWidth - window.innerWidth,
                text: document.querySelector('article').innerText,
            })""")
            where = f"{url} at {size['width']}px"
            assert state["injected"] == 0, where
            assert state["handlers"] == 0, where
            assert state["scriptLinks"] == 0, where
            assert state["overflow"] <= 1, f"{where} scrolls sideways by {state['overflow']}px"
            if url.startswith(("partnerships/hostile", "practices/hostile")):
                assert "{{ 7*7 }}" in state["text"] and "{% if true %}TPL{% endif %}" in state["text"], where
            assert page.locator("article h1").first.is_visible(), where
        assert dialogs == [], f"a script ran: {dialogs}"
        assert not any(MARKER in line for line in console), f"a script ran: {console}"
        context.close()


# Words are runs of letters and digits (with inner apostrophes, commas and
# full stops: "partners'", "2,140"); a line may break at a space or after a
# hyphen, never inside a word. Text that tables.py marked as a long run (a
# link, an id path) may wrap anywhere, so it is not measured.
SPLIT_WORDS_SCRIPT = """
(longRun) => {
  const word = /[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M}'\u2019.,]*/gu;
  const split = [];
  let measured = 0;
  for (const cell of document.querySelectorAll('article td, article th, article caption')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.msp-long')) continue;
      for (const match of node.data.matchAll(word)) {
        if (match[0].length >= longRun) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => r.top);
        if (!tops.length) continue;
        measured += 1;
        if (Math.max(...tops) - Math.min(...tops) > 2) split.push(match[0] + ' in: ' + cell.innerText.slice(0, 60));
      }
    }
  }
  return {measured, split};
}
"""

# At phone width every row is a card: cells stacked, each headed by its column's label.
TABLE_LAYOUT_SCRIPT = """
() => Array.from(document.querySelectorAll('article table')).flatMap(table => {
  // textContent: on phones a heading's sort button is hidden, its words still the label.
  const labels = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim());
  return Array.from(table.querySelectorAll('tbody tr')).flatMap(row => Array.from(row.cells).map((cell, i) => ({
    display: getComputedStyle(cell).display,
    label: labels[i] || '',
    shown: getComputedStyle(cell, '::before').content,
    width: cell.getBoundingClientRect().width,
    tableWidth: table.getBoundingClientRect().width,
  })));
})
"""


def _measure_tables(page, url: str, width: int) -> tuple[int, list[str]]:
    from msp_handbook.tables import LONG_RUN

    report = page.evaluate(SPLIT_WORDS_SCRIPT, LONG_RUN)
    return report["measured"], [f"{url} at {width}px: {word}" for word in report["split"]]


def test_tables_never_split_a_word_and_stack_their_rows_on_phones(site, base_url, browser):
    kinds = pages_by_template(site)
    urls = visited_pages(site) + [url for kind, group in kinds.items()
                                  if kind.startswith("partnerships/") for url in group]
    failures: list[str] = []
    measured = 0
    for size in (MOBILE, DESKTOP):
        page = browser.new_page(viewport=size)
        for url in dict.fromkeys(urls):
            page.goto(base_url + url, wait_until="load")
            count, split = _measure_tables(page, url, size["width"])
            measured += count
            failures += split
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                failures.append(f"{url} at {size['width']}px scrolls sideways by {overflow}px")
            for cell in page.evaluate(TABLE_LAYOUT_SCRIPT):
                if size is MOBILE and cell["width"] > 0:
                    if cell["display"] == "table-cell" or cell["width"] < 0.9 * cell["tableWidth"]:
                        failures.append(f"{url} at 390px: a cell is not stacked: {cell}")
                    if cell["label"] and cell["shown"] != f'"{cell["label"]}"':
                        failures.append(f"{url} at 390px: a cell is not labelled {cell['label']!r}: {cell['shown']}")
                if size is DESKTOP and cell["display"] != "table-cell":
                    failures.append(f"{url} at 1280px: not laid out as a table: {cell}")
        page.close()
    assert measured > 5000
    assert failures == [], "\n".join(failures[:40])


def test_hostile_text_in_tables_splits_no_ordinary_word(hostile_url, browser):
    base_url = hostile_url
    failures: list[str] = []
    for size in (MOBILE, DESKTOP):
        page = browser.new_page(viewport=size)
        for name in ("", "stakeholders/", "governance/", "code-of-conduct/"):
            url = f"partnerships/hostile/{name}"
            page.goto(base_url + url, wait_until="load")
            failures += _measure_tables(page, url, size["width"])[1]
            assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1, url
        page.close()
    assert failures == [], "\n".join(failures[:40])


# Every label of every chart, as the browser lays it out: no two overlap, none covers a dot.
CHART_LABELS_SCRIPT = """
() => Array.from(document.querySelectorAll('article svg.msp-chart')).flatMap((svg, n) => {
  const box = el => el.getBBox();
  const texts = Array.from(svg.querySelectorAll('text')).map(el => ({text: el.textContent, box: box(el)}));
  const dots = Array.from(svg.querySelectorAll('circle')).map(el => ({text: 'dot ' + el.dataset.date, box: box(el)}));
  const hit = (a, b) => a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;
  const clashes = [];
  texts.forEach((a, i) => [...texts.slice(i + 1), ...dots].forEach(b => {
    if (hit(a.box, b.box)) clashes.push(`chart ${n}: '${a.text}' covers '${b.text}'`);
  }));
  return clashes;
})
"""


def test_chart_labels_never_cover_each_other_or_a_dot(site, base_url, browser):
    page = browser.new_page(viewport=MOBILE)
    clashes, charts = [], 0
    for url in pages_by_template(site)["partnerships/monitoring.html"]:
        page.goto(base_url + url, wait_until="load")
        charts += page.locator("article svg.msp-chart").count()
        clashes += [f"{url}: {clash}" for clash in page.evaluate(CHART_LABELS_SCRIPT)]
    page.close()
    assert charts >= 9
    assert clashes == [], "\n".join(clashes)


# --- Sorting the dashboard --------------------------------------------------------

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


def test_the_dashboard_sorts_by_column_by_mouse_keyboard_and_on_phones(site, base_url, browser, handbook):
    orders = expected_orders(handbook)
    assert len(set(map(tuple, orders.values()))) >= 3, "the examples should sort differently by each column"
    host = urlsplit(base_url).netloc
    axe = Axe()
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + "partnerships/", wait_until="load")
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
    context.close()

    # On a phone the headings are hidden and a "Sort by" list does the same.
    context = browser.new_context(viewport=MOBILE)
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + "partnerships/", wait_until="load")
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

    outside = [url for url in requests if urlsplit(url).netloc != host]
    assert outside == []
    context.close()


def test_without_javascript_the_dashboard_is_the_plain_table_in_name_order(site, base_url, browser, handbook):
    context = browser.new_context(viewport=MOBILE, java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "partnerships/")
    assert page.evaluate(NAMES_SCRIPT) == [p.name for p in handbook.partnerships]
    assert page.locator("table.msp-dashboard button").count() == 0
    assert page.locator("select").count() == 0
    assert page.locator("table.msp-dashboard tbody tr").first.is_visible()
    context.close()


def test_the_dashboard_prints_as_a_whole_table_without_its_controls(site, base_url, browser):
    page = browser.new_page(viewport={"width": 794, "height": 1123})
    page.goto(base_url + "partnerships/", wait_until="load")
    page.emulate_media(media="print")
    report = page.evaluate(PRINT_SCRIPT)
    assert report["chrome"] == []
    assert report["tables"] and all(table["fits"] and table["rowsKeptWhole"] for table in report["tables"])
    # Filters and sorting are for the screen; the printed page is the list.
    for control in (".msp-browse", ".msp-sort", ".msp-sort-status"):
        assert page.locator(control).evaluate_all("els => els.every(el => el.getClientRects().length === 0)"), control
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.close()
