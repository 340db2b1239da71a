"""The built handbook in a real browser: hostile text inert and splitting no word, chart labels that never collide."""

from __future__ import annotations

import pytest

from browser import DESKTOP, MOBILE, open_page, pages_by_template
from hostile import MARKER

pytest.importorskip("playwright", reason="install the test extras: pip install -e '.[test]'")


def test_injected_text_stays_inert_in_the_browser(hostile_visits):
    pages = {url for url, _ in hostile_visits.pages}
    assert len([url for url in pages if url.startswith("partnerships/hostile/")]) >= 6
    for (url, width), seen in hostile_visits.pages.items():
        state = seen["state"]
        where = f"{url} at {width}px"
        assert state["injected"] == 0, where
        assert state["handlers"] == 0, where
        assert state["scriptLinks"] == 0, where
        assert seen["layout"]["overflow"] <= 1, f"{where} scrolls sideways by {seen['layout']['overflow']}px"
        if url.startswith(("partnerships/hostile", "practices/hostile")):
            assert "{{ 7*7 }}" in state["text"] and "{% if true %}TPL{% endif %}" in state["text"], where
        assert seen["heading_shown"], where
    assert hostile_visits.dialogs == [], f"a script ran: {hostile_visits.dialogs}"
    assert not any(MARKER in line for line in hostile_visits.console), f"a script ran: {hostile_visits.console}"


def test_hostile_text_in_tables_splits_no_ordinary_word(hostile_visits):
    failures: list[str] = []
    tables = [f"partnerships/hostile/{name}" for name in ("", "stakeholders/", "governance/", "code-of-conduct/")]
    for size in (MOBILE, DESKTOP):
        for url in tables:
            seen = hostile_visits.pages[url, size["width"]]["layout"]
            failures += [f"{url} at {size['width']}px: {word}" for word in seen["split"]]
            assert seen["overflow"] <= 1, url
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


def test_chart_labels_never_cover_each_other_or_a_dot(site, base_url, tab):
    clashes, charts = [], 0
    for url in pages_by_template(site)["partnerships/monitoring.html"]:
        page = open_page(tab, base_url + url, MOBILE)
        charts += page.locator("article svg.msp-chart").count()
        clashes += [f"{url}: {clash}" for clash in page.evaluate(CHART_LABELS_SCRIPT)]
    assert charts >= 9
    assert clashes == [], "\n".join(clashes)


# --- Sorting the dashboard --------------------------------------------------------

