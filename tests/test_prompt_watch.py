"""A save during `mkdocs serve` reaches the live-reload server as it happens, not at MkDocs' next poll."""

from __future__ import annotations

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

from msp_handbook.prompt_watch import is_change, watch_promptly
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
    try:
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        assert plugin.prompt_watch is not None and plugin.prompt_watch.is_alive()
        entry = sorted((project / "partnerships").glob("*/log/*.md"))[0]
        with entry.open("a", encoding="utf-8") as text:
            text.write("\nSaved while serving.\n")
        assert _rebuild_asked(server)
    finally:
        observer = plugin.prompt_watch
        config.plugins.on_shutdown()
    assert plugin.prompt_watch is None and not observer.is_alive()


def test_a_server_without_the_expected_hooks_is_left_to_its_polling(tmp_path):
    assert watch_promptly(object(), [Path(tmp_path)]) is None
