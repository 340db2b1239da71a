"""When a build's memory peaks: resident memory at each MkDocs event of one `mkdocs build`.

`make bench` reports only each build's peak (its rusage). To see which stage
sets it, run this in a project folder (a variant of variants.py, say):

    python tests/benchmarks/memory_stages.py SITE_DIR [--tracemalloc]

It builds in this process and prints, to stderr, the resident memory (VmRSS)
and the peak so far (VmHWM) before and after every build-wide event, after
each plugin's handler of post_build, and after
each tenth of the pages; with --tracemalloc also the memory Python's objects
hold (current and peak; the build runs several times slower). Comparing A and
B at the same N shows where B's extra peak comes from: objects still alive
(tracemalloc) or memory freed but kept by the allocator (resident only).
"""

from __future__ import annotations

import sys
import time
import tracemalloc

from mkdocs.__main__ import cli
from mkdocs.plugins import PluginCollection

PAGE_EVENTS = {"pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page"}
# Events whose handlers report one by one: post_build, where Material's search
# writes its index and a build's memory peaks. Wrapping the handlers of
# pre_build too changed what it measures (the plugin's build peaked 33 MB
# higher at N = 100, probably by moving the cycle collector's pass that freed
# what rendering left, see the end of the plugin's on_pre_build), so they are left alone.
PER_PLUGIN = {"post_build"}
START = time.perf_counter()


def memory_mb() -> dict[str, int]:
    """VmRSS and VmHWM of this process (Linux), in MB."""
    found = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = int(value.split()[0]) // 1024
    return found


def report(label: str) -> None:
    memory = memory_mb()
    traced = ""
    if tracemalloc.is_tracing():
        current, peak = tracemalloc.get_traced_memory()
        traced = f"  objects {current >> 20} MB (peak {peak >> 20})"
    print(f"{time.perf_counter() - START:8.2f} s  {label:44s} RSS {memory['VmRSS']:5d} MB  "
          f"peak {memory['VmHWM']:5d} MB{traced}", file=sys.stderr, flush=True)


def each_handler_reported(event: str, handler):
    def reported(*args, **kwargs):
        result = handler(*args, **kwargs)
        owner = getattr(handler, "__self__", handler)
        report(f"  after {event} of {type(owner).__module__}")
        return result
    return reported


def watch_events() -> None:
    """Wraps MkDocs' dispatch of plugin events so that each one reports the memory."""
    dispatch = PluginCollection.run_event
    seen: dict[str, int] = {}
    pages = [0]

    def run_event(self, name, item=None, **kwargs):
        if name in PAGE_EVENTS:
            seen[name] = seen.get(name, 0) + 1
            result = dispatch(self, name, item, **kwargs)
            if pages[0] and seen[name] % max(1, pages[0] // 10) == 0:
                report(f"{name} {seen[name]}/{pages[0]}")
            return result
        report(f"before {name}")
        if name in PER_PLUGIN:
            self.events[name] = [each_handler_reported(name, handler) for handler in self.events[name]]
        result = dispatch(self, name, item, **kwargs)
        if name == "files":
            pages[0] = len(result.documentation_pages())
        report(f"after {name}")
        return result

    PluginCollection.run_event = run_event


if __name__ == "__main__":
    if "--tracemalloc" in sys.argv:
        sys.argv.remove("--tracemalloc")
        tracemalloc.start()
    watch_events()
    site_dir = sys.argv[1]
    sys.argv = ["mkdocs", "build", "--strict", "--quiet", "--site-dir", site_dir]
    try:
        cli()
    finally:
        report("end")
