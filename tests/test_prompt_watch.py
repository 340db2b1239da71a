"""A save during `mkdocs serve` reaches the live-reload server as it happens, not at MkDocs' next poll."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from msp_handbook.prompt_watch import SaveWatch, is_change, watch_promptly
from sitebuild import copy_project

# Far beyond any real delay: only a broken watcher waits this long.
HANG_LIMIT_S = 30


@pytest.mark.parametrize(("event", "rebuilds"), [
    (FileModifiedEvent("/h/partnerships/a/record.yml"), True),
    (FileCreatedEvent("/h/partnerships/a/log/2026-01-01.md"), True),
    (FileDeletedEvent("/h/partnerships/a/log/2026-01-01.md"), True),
    (FileMovedEvent("/h/partnerships/a/.record.yml.swp", "/h/partnerships/a/record.yml"), True),
    # The build reads every record: reacting to reads would rebuild for ever.
    (FileOpenedEvent("/h/partnerships/a/record.yml"), False),
    (FileClosedNoWriteEvent("/h/partnerships/a/record.yml"), False),
    (FileClosedEvent("/h/partnerships/a/record.yml"), False),
    (DirModifiedEvent("/h/partnerships/a"), False),
])
def test_only_changed_content_or_names_ask_for_a_rebuild(event, rebuilds):
    assert is_change(event) is rebuilds


@pytest.mark.parametrize(("event", "rebuilds"), [
    (FileModifiedEvent("/h/my-cycle.yml"), True),
    (FileMovedEvent("/h/.my-cycle.yml.tmp", "/h/my-cycle.yml"), True),
    (FileModifiedEvent("/h/README.md"), False),
])
def test_a_single_watched_file_is_told_apart_from_its_neighbours(event, rebuilds):
    assert is_change(event, frozenset({"/h/my-cycle.yml"})) is rebuilds


def _rebuild_asked(server: LiveReloadServer) -> bool:
    with server._rebuild_cond:
        return server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=HANG_LIMIT_S)


def test_a_saved_log_entry_asks_serve_to_rebuild_without_waiting_for_its_polling(tmp_path):
    project = copy_project(tmp_path / "project")
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=False)
    config.plugins.on_config(config)
    plugin = config.plugins["partnerships"]
    # MkDocs' polling observer is never started here: only the prompt watcher can ask.
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.watch(config.docs_dir)  # as `mkdocs serve` does before on_serve
    try:
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        watch = plugin.prompt_watch
        assert watch is not None and all(observer.is_alive() for observer in watch.observers)
        # One watcher per path: MkDocs neither polls the docs nor will poll the records.
        assert server._watched_paths == {}
        assert not {Path(item).resolve() for item in config.watch} & {(project / "partnerships").resolve()}
        entry = sorted((project / "partnerships").glob("*/log/*.md"))[0]
        with entry.open("a", encoding="utf-8") as text:
            text.write("\nSaved while serving.\n")
        assert _rebuild_asked(server)
    finally:
        observers = plugin.prompt_watch.observers if plugin.prompt_watch else []
        config.plugins.on_shutdown()
    assert plugin.prompt_watch is None and observers and not any(observer.is_alive() for observer in observers)


class _CountingServer:
    """Counts the rebuilds asked of it, as LiveReloadServer's flag would be set."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self.asked = 0

    def __setattr__(self, name, value):
        if name == "_want_rebuild" and value:
            object.__setattr__(self, "asked", self.asked + 1)
        object.__setattr__(self, name, value)


def test_a_save_is_built_once_when_the_system_reports_it_and_the_scan_finds_it_again():
    now = [100.0]
    server = _CountingServer()
    watch = SaveWatch(server, clock=lambda: now[0])
    record = "/h/partnerships/a/partnership.yml"
    watch.reported_by_system(FileModifiedEvent(record))
    now[0] += 0.6
    watch.found_by_scan(FileModifiedEvent(record))
    assert server.asked == 1
    # A change the system did not report (a mount without notifications) is built from the scan.
    watch.found_by_scan(FileModifiedEvent("/h/partnerships/a/log/2026-01-01.md"))
    assert server.asked == 2
    # Long after, a scan's finding is a new change.
    now[0] += 60
    watch.found_by_scan(FileModifiedEvent(record))
    assert server.asked == 3


def test_a_server_without_the_expected_hooks_is_left_to_its_polling(tmp_path):
    assert watch_promptly(object(), [Path(tmp_path)]) is None
