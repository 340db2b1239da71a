"""The built handbook in a real browser: accessible, self-contained, readable without JavaScript, hostile text inert."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser import AXE_OPTIONS, DESKTOP, MOBILE, pages_by_template, visited_pages
from hostile import MARKER
from sitebuild import Page

pytest.importorskip("playwright", reason="install the test extras: pip install -e '.[test]'")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

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
