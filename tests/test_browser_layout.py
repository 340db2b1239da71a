"""The built handbook in a real browser: tables that split no word at any width, chart labels that never collide."""

from __future__ import annotations


import pytest

from browser import DESKTOP, MOBILE, pages_by_template, visited_pages

pytest.importorskip("playwright", reason="install the test extras: pip install -e '.[test]'")

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

