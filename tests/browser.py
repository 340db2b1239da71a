"""Shared set-up of the browser tests: Debian's Chromium through Playwright, and a built site on 127.0.0.1."""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def launch_browser(playwright):
    """Chromium from the system; a missing browser skips locally and fails in CI."""
    executable = chromium_path()
    if executable is None:
        message = "Chromium is not installed: run `apt-get install chromium` (Debian) to run the browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — CI must install it (.ci/run does)")
        pytest.skip(message)
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 at a free port for the duration of the block."""
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
