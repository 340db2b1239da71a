"""The built handbook in a real browser: hostile text inert and splitting no word, chart labels that never collide."""

from __future__ import annotations

import pytest

from browser import DESKTOP, MOBILE, measure_layout, pages_by_template
from hostile import MARKER

pytest.importorskip("playwright", reason="install the test extras: pip install -e '.[test]'")


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


def test_hostile_text_in_tables_splits_no_ordinary_word(hostile_url, browser):
    base_url = hostile_url
    failures: list[str] = []
    for size in (MOBILE, DESKTOP):
        page = browser.new_page(viewport=size)
        for name in ("", "stakeholders/", "governance/", "code-of-conduct/"):
            url = f"partnerships/hostile/{name}"
            page.goto(base_url + url, wait_until="load")
            seen = measure_layout(page)
            failures += [f"{url} at {size['width']}px: {word}" for word in seen["split"]]
            assert seen["overflow"] <= 1, url
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

