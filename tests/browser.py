"""Shared set-up of the browser tests: Debian's Chromium through Playwright, and a built site on 127.0.0.1."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium itself phones home, which this machine refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]

DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}


# Debian's chromium-headless-shell first: the same Blink and V8 as its `chromium`
# (one source package, one version), without the browser's own user interface
# layer, which headless Chromium still runs. Playwright's own headless default is
# this shell. Each page load costs it about a quarter less CPU (0.15 against
# 0.20 s; the browser process 0.027 against 0.057 s), and most of the browser
# tests' time is page loads. The full browser serves where the shell is missing.
def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium-headless-shell"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def launch_browser(playwright):
    """Chromium from the system; a missing browser skips locally and fails in CI."""
    executable = chromium_path()
    if executable is None:
        message = ("Chromium is not installed: run `apt-get install chromium-headless-shell` (Debian) "
                   "to run the browser tests")
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — CI must install it (.ci/run does)")
        pytest.skip(message)
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


# A new tab costs the browser about 0.45 s of CPU (a renderer starting cold,
# every script compiled afresh), loading another address in an open one about
# 0.2 s. So each test module keeps its tabs (conftest's `tab`, `tab_without_js`)
# and every visit goes through open_page: the viewport and media type are set
# before the address is loaded, so the page is laid out at that size from the
# start, exactly as in a tab opened at that size.
def open_page(page, url: str, viewport: dict[str, int], *, media: str = "screen", wait_until: str = "load"):
    """`page` showing `url`, loaded afresh at `viewport` under CSS media `media` ("screen" or "print")."""
    page.set_viewport_size(viewport)
    page.emulate_media(media=media)
    page.goto(url, wait_until=wait_until)
    return page


SEARCH_INDEX = "/search/search_index.json"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):  # noqa: N802 - the base class's name
        # Material's search worker turns the index into a lunr index on every page
        # load, in the background, while the tests measure: over a third of the
        # browser's time. No browser test searches, so the worker gets the site's
        # own search settings (the same language files load) with no documents.
        # It still asks for the index at the same address, so a request that
        # left the site would be seen as before.
        if self.path.split("?")[0] == SEARCH_INDEX:
            index = json.loads(Path(self.directory, SEARCH_INDEX[1:]).read_text(encoding="utf-8"))
            body = json.dumps({"config": index["config"], "docs": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 at a free port for the duration of the block (search finds nothing, see above)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


_TEMPLATE = re.compile(r'<meta name="msp-template" content="([^"]+)"')


def pages_by_template(site: Path) -> dict[str, list[str]]:
    """URL paths of the built site's pages, grouped by the template that made them.

    Read off the built site, so a template added later is visited without
    editing the tests. Hand-written pages each count as their own kind.
    """
    groups: dict[str, list[str]] = {}
    for path in sorted(site.rglob("index.html")):
        match = _TEMPLATE.search(path.read_text(encoding="utf-8"))
        if match is None:
            continue
        url = path.parent.relative_to(site).as_posix()
        url = "" if url == "." else url + "/"
        kind = match.group(1)
        groups.setdefault(f"content:{url}" if kind == "content" else kind, []).append(url)
    return groups


def visited_pages(site: Path) -> list[str]:
    """One page of each generated kind, and every hand-written page."""
    return [urls[0] for urls in pages_by_template(site).values()]


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Passing options replaces the library's default, which asks for violations
# only; without it axe also returns every passing node, which doubles its time.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


# One page.evaluate per visit measures everything the layout checks need:
# sideways scrolling, every word of every table cell and caption (does it sit
# on one line?) and every body cell's box (stacked as a labelled card on
# phones, a table cell on wider screens).
#
# Words are runs of letters and digits (with inner apostrophes, commas and
# full stops: "partners'", "2,140"); a line may break at a space or after a
# hyphen, never inside a word. Text that tables.py marked as a long run (a
# link, an id path) may wrap anywhere, so it is not measured.
LAYOUT_SCRIPT = """
(longRun) => {
  const word = /[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M}'\u2019.,]*/gu;
  const split = [];
  let measured = 0;
  for (const cell of document.querySelectorAll('article td, article th, article caption')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.msp-long')) continue;
      const words = Array.from(node.data.matchAll(word)).filter(match => match[0].length < longRun);
      if (!words.length) continue;
      // A text on one line splits none of its words: measured whole, at one range
      // for all its words (most cells on both widths). Else word by word.
      const whole = document.createRange();
      whole.selectNodeContents(node);
      const lines = Array.from(whole.getClientRects()).filter(r => r.width > 0).map(r => r.top);
      if (!lines.length) continue;
      if (Math.max(...lines) - Math.min(...lines) <= 2) {
        measured += words.length;
        continue;
      }
      for (const match of words) {
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
  const cells = Array.from(document.querySelectorAll('article table')).flatMap(table => {
    // textContent: on phones a heading's sort button is hidden, its words still the label.
    const labels = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim());
    return Array.from(table.querySelectorAll('tbody tr')).flatMap(row => Array.from(row.cells).map((cell, i) => ({
      display: getComputedStyle(cell).display,
      label: labels[i] || '',
      shown: getComputedStyle(cell, '::before').content,
      width: cell.getBoundingClientRect().width,
      tableWidth: table.getBoundingClientRect().width,
    })));
  });
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, measured, split, cells};
}
"""


def measure_layout(page) -> dict:
    """LAYOUT_SCRIPT's report on the page as loaded: overflow, measured, split (words), cells."""
    from msp_handbook.tables import LONG_RUN

    return page.evaluate(LAYOUT_SCRIPT, LONG_RUN)


def visit_pages(browser, base_url: str, urls: list[str], audited: set[str]) -> dict[tuple[str, int], dict]:
    """Each of `urls` loaded once at phone and at desktop width: (url, width) -> what was seen there.

    Every visit is measured (measure_layout). On the `audited` pages axe also
    judges the page as loaded at that width (its report under "axe", empty
    when it found nothing), "outside" lists the requests that left the site
    and "failed" those answered with an error status ("404 <url>").
    The audited pages are loaded in a context of their own whose init script
    brings axe-core into each of them: its 570 kB of source go to the browser
    once per context, not again with every page.evaluate. Each context keeps
    one tab for both widths (see open_page).
    """
    from axe_playwright_python.base import AXE_SCRIPT, AxeResults

    host = urlsplit(base_url).netloc
    visits: dict[tuple[str, int], dict] = {}
    for judged in (True, False):
        context = browser.new_context()
        if judged:
            context.add_init_script(AXE_SCRIPT)
        page = context.new_page()
        requests: list[str] = []
        failed: list[str] = []
        if judged:
            page.on("request", lambda request, seen=requests: seen.append(request.url))
            page.on("response", lambda response, seen=failed:
                    seen.append(f"{response.status} {response.url}") if response.status >= 400 else None)
        for size in (MOBILE, DESKTOP):
            for url in [url for url in urls if (url in audited) == judged]:
                requests.clear()
                failed.clear()
                open_page(page, base_url + url, size)
                seen = measure_layout(page)
                if judged:
                    results = AxeResults(page.evaluate("options => axe.run(options)", AXE_OPTIONS))
                    seen["axe"] = results.generate_report() if results.violations_count else ""
                    # Read after axe has run, well over a second after loading: longer than the
                    # quiet half second "networkidle" would wait for late requests.
                    seen["outside"] = [r for r in requests if urlsplit(r).scheme in ("http", "https", "ws", "wss")
                                       and urlsplit(r).netloc != host]
                    seen["failed"] = list(failed)
                visits[url, size["width"]] = seen
        context.close()
    return visits


# What hostile text could have done to a page, read in one call once it has loaded.
INERT_SCRIPT = """() => ({
    injected: document.querySelectorAll('#injected-marker, article img, article iframe, article b').length,
    handlers: Array.from(document.querySelectorAll('*')).filter(el =>
        Array.from(el.attributes).some(a => a.name.startsWith('on'))).length,
    scriptLinks: Array.from(document.querySelectorAll('[href], [src]')).filter(el =>
        /^\\s*(javascript|data|vbscript):/i.test(el.getAttribute('href') || el.getAttribute('src') || '')).length,
    text: document.querySelector('article').innerText,
})"""


@dataclass
class HostileVisits:
    """(url, width) -> {"state": INERT_SCRIPT's report, "layout": measure_layout's, "heading_shown": bool};
    every dialog a page opened and every console line, over all visits."""

    pages: dict[tuple[str, int], dict] = field(default_factory=dict)
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


def visit_hostile_pages(browser, base_url: str, urls: list[str]) -> HostileVisits:
    """Each of `urls` loaded once at desktop and at phone width, as an attacked page would be read."""
    visits = HostileVisits()
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda dialog: (visits.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: visits.console.append(message.text))
    for size in (DESKTOP, MOBILE):
        for url in urls:
            # Inline scripts run while the page is parsed and broken images fail
            # before "load", so any attack that could run has run by then.
            open_page(page, base_url + url, size)
            visits.pages[url, size["width"]] = {"state": page.evaluate(INERT_SCRIPT), "layout": measure_layout(page),
                                                "heading_shown": page.locator("article h1").first.is_visible()}
    context.close()
    return visits
