"""The built handbook in a real browser: accessible, self-contained, tables that split no word, keyboard and no-JavaScript use."""

from __future__ import annotations

import pytest

from browser import DESKTOP, MOBILE, measure_layout, open_page, pages_by_template, visited_pages
from sitebuild import Page

pytest.importorskip("playwright", reason="install the test extras: pip install -e '.[test]'")

def test_the_visited_pages_cover_every_template(site):
    kinds = pages_by_template(site)
    for template in ("partnerships/list.html", "partnerships/overview.html", "partnerships/stakeholders.html",
                     "partnerships/cycle.html", "partnerships/governance.html", "partnerships/code-of-conduct.html",
                     "partnerships/log.html", "partnerships/monitoring.html", "partnerships/reference.html", "practices/list.html",
                     "practices/practice.html", "practices/phase.html", "practices/tag.html", "practices/sector.html"):
        assert template in kinds, template
    assert "content:" in kinds and "content:guide/" in kinds


def test_every_kind_of_page_is_accessible_and_loads_nothing_from_outside(site, visits):
    failures: list[str] = []
    audited = visited_pages(site)
    for (url, width), seen in visits.items():
        if url not in audited:
            continue
        if seen["overflow"] > 1:  # WCAG 1.4.10: content reflows instead of scrolling sideways
            failures.append(f"{url} at {width}px scrolls sideways by {seen['overflow']}px")
        if seen["axe"]:
            failures.append(f"{url} at {width}px:\n{seen['axe']}")
        if seen["outside"]:
            failures.append(f"{url} at {width}px requested {seen['outside']}")
    assert {(url, size["width"]) for url in audited for size in (DESKTOP, MOBILE)} <= visits.keys()
    assert not failures, "\n".join(failures)


def test_the_home_a_partnership_and_the_dashboard_request_only_files_the_site_has(site, visits):
    # Material asks for sitemap.xml beside the address of every <link rel=alternate>
    # (meant for other languages of the site): with the feeds announced that way,
    # every page asked for a sitemap.xml in the feeds' folders, which has none.
    kinds = pages_by_template(site)
    pages = {"home": kinds["content:"][0], "partnership": kinds["partnerships/overview.html"][0],
             "dashboard": kinds["partnerships/list.html"][0]}
    failures: list[str] = []
    for name, url in pages.items():
        for size in (MOBILE, DESKTOP):
            seen = visits[url, size["width"]]
            failures += [f"{name} ({url}) at {size['width']}px: {request}" for request in seen["failed"]]
            failures += [f"{name} ({url}) at {size['width']}px requested {request}" for request in seen["outside"]]
    assert failures == [], "\n".join(failures)


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

# Where focus is after each Tab, noted by the page itself when the key is
# released (the moment a page.evaluate after the key press would read it),
# so a walk through a page costs one round trip per key instead of two.
FOCUS_LOG_SCRIPT = """
() => {
  window.mspFocusLog = [];
  document.addEventListener('keyup', event => {
    if (event.key !== 'Tab') return;
    const el = document.activeElement;
    if (!el || el === document.body) { window.mspFocusLog.push(null); return; }
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    const box = el.getBoundingClientRect();
    const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
                     && box.right > 0 && box.left < innerWidth;
    window.mspFocusLog.push({kbd: el.dataset.kbd ?? null, visible: (outline || shadow) && onScreen,
                             html: el.outerHTML.slice(0, 120)});
  }, true);
}
"""


@pytest.mark.parametrize("kind", ["partnerships/overview.html", "partnerships/cycle.html", "partnerships/log.html",
                                  "partnerships/list.html"])
def test_every_control_is_reachable_by_keyboard_and_visible_on_focus(site, base_url, tab, kind):
    url = pages_by_template(site)[kind][0]
    page = open_page(tab, base_url + url, DESKTOP, wait_until="networkidle")
    controls = page.evaluate(KEYBOARD_SCRIPT)
    assert len(controls) > 10
    page.evaluate(FOCUS_LOG_SCRIPT)
    presses = len(controls) + 20
    for _ in range(presses):
        page.keyboard.press("Tab")
    log = page.evaluate("window.mspFocusLog")
    assert len(log) == presses, "the page noted focus after every Tab"
    reached: set[str] = set()
    unseen: list[str] = []
    for focus in log:
        if focus is None:
            continue
        if focus["kbd"] is not None:
            reached.add(focus["kbd"])
        if not focus["visible"]:
            unseen.append(focus["html"])
    missed = [html for index, html in enumerate(controls) if str(index) not in reached]
    assert missed == [], "not reachable with Tab:\n" + "\n".join(missed)
    assert unseen == [], "no visible focus indicator:\n" + "\n".join(unseen)


@pytest.mark.parametrize("kind", ["partnerships/overview.html", "partnerships/stakeholders.html",
                                  "partnerships/cycle.html", "partnerships/log.html", "practices/list.html"])
def test_core_content_is_readable_without_javascript(site, base_url, tab_without_js, kind):
    url = pages_by_template(site)[kind][0]
    expected = Page(site / url / "index.html")
    page = open_page(tab_without_js, base_url + url, MOBILE)
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


def test_the_layout_measure_finds_a_word_split_across_lines_and_passes_a_cell_on_one_line(tab):
    # The measure takes a text on one line as a whole and only the others word by word:
    # a word broken inside a wrapped cell is still found, next to a cell it passes.
    tab.set_viewport_size(MOBILE)
    tab.set_content("<article><table><tr><td style='width:40px; word-break:break-all'>Partnershipsareforever</td>"
                    "</tr><tr><td>Kept on one line</td></tr></table></article>")
    seen = measure_layout(tab)
    assert [word.split(" in: ")[0] for word in seen["split"]] == ["Partnershipsareforever"]
    assert seen["measured"] == 5


def test_tables_never_split_a_word_and_stack_their_rows_on_phones(visits):
    failures: list[str] = []
    measured = 0
    for (url, width), seen in visits.items():
        measured += seen["measured"]
        failures += [f"{url} at {width}px: {word}" for word in seen["split"]]
        if seen["overflow"] > 1:
            failures.append(f"{url} at {width}px scrolls sideways by {seen['overflow']}px")
        for cell in seen["cells"]:
            if width == MOBILE["width"] and cell["width"] > 0:
                if cell["display"] == "table-cell" or cell["width"] < 0.9 * cell["tableWidth"]:
                    failures.append(f"{url} at 390px: a cell is not stacked: {cell}")
                if cell["label"] and cell["shown"] != f'"{cell["label"]}"':
                    failures.append(f"{url} at 390px: a cell is not labelled {cell['label']!r}: {cell['shown']}")
            if width == DESKTOP["width"] and cell["display"] != "table-cell":
                failures.append(f"{url} at 1280px: not laid out as a table: {cell}")
    assert measured > 5000
    assert failures == [], "\n".join(failures[:40])
