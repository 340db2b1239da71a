"""A real `mkdocs serve` in its own process, for the serve tests and the benchmark.

Nothing here sleeps: the server's start is read from its own output, and a
rebuild is awaited the way the browser's live reload awaits it, with a
request to /livereload/ that the server answers as soon as a newer version
of the site is visible. Every wait has a deadline, so a hang fails instead
of blocking for ever.
"""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

MKDOCS = Path(sys.executable).parent / "mkdocs"
# The version of the site a page was served from, as the live-reload script carries it.
_VERSION = re.compile(r"livereload\((\d+), \d+\);")
_SERVING = re.compile(r"Serving on (http://\S+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """One running `mkdocs serve`: its address, its output so far, and waits on it."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.base = ""  # the site's address, as the server announces it (under site_url's path)
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def wait_until_serving(self, limit_s: float) -> None:
        """Until the first build is done and the server listens."""
        deadline = time.monotonic() + limit_s
        while True:
            try:
                line = self._lines.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise TimeoutError(f"mkdocs serve was not serving within {limit_s} s:\n{self.log()}") from None
            if line is None:
                raise RuntimeError(f"mkdocs serve stopped:\n{self.log()}")
            self.output.append(line)
            if serving := _SERVING.search(line):
                self.base = serving[1].rstrip("/") + "/"
                return

    @property
    def origin(self) -> str:
        return "/".join(self.base.split("/")[:3])

    def log(self) -> str:
        while not self._lines.empty():
            line = self._lines.get_nowait()
            if line is not None:
                self.output.append(line)
        return "".join(self.output[-40:])

    def get(self, path: str) -> str | None:
        """The text served at `path` (relative to the site), None if not found."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=60) as response:
                return response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError:
            return None

    def page_showing(self, path: str, text: str, limit_s: float) -> str:
        """The page at `path` once a rebuild has put `text` in it."""
        deadline = time.monotonic() + limit_s
        while True:
            page = self.get(path) or ""
            if text in page:
                return page
            version = _VERSION.search(page)
            if version is None:
                raise AssertionError(f"{path} has no live-reload script:\n{page[:500]}")
            self._newer_than(int(version[1]), deadline)

    def _newer_than(self, version: int, deadline: float) -> None:
        # The server holds this request until a newer site is built (a minute at most).
        while (remaining := deadline - time.monotonic()) > 0:
            with urllib.request.urlopen(f"{self.origin}/livereload/{version}/1", timeout=remaining + 70) as response:
                if int(response.read()) > version:
                    return
            if self.process.poll() is not None:
                break
        raise TimeoutError(f"no rebuild of the site in time:\n{self.log()}")


@contextmanager
def mkdocs_serve(project: Path, *, partnership: str | None = None, start_limit_s: float = 600) -> Iterator[Served]:
    """`make serve` in `project` (with PARTNERSHIP=`partnership`), stopped when done."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MSP_PREVIEW_PARTNERSHIP": partnership or ""}
    process = subprocess.Popen([str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    try:
        served = Served(process)
        served.wait_until_serving(start_limit_s)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
