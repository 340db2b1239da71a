"""A record saved during `mkdocs serve` starts the rebuild at once.

MkDocs finds changes by polling: it scans what it watches every half second,
so a save waits a quarter of a second on average (half at worst) before the
rebuild even starts, and on a large handbook each scan stats thousands of
files. Where the operating system reports changes itself (inotify, FSEvents,
ReadDirectoryChangesW), watchdog's native observer sees a save as it happens.

It runs beside MkDocs' polling, not instead of it: on a folder where the
system reports nothing (some network and container mounts) polling still
sees the change, and a change seen by both is built once, because MkDocs
gathers changes for a tenth of a second before it builds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

log = logging.getLogger(__name__)

# Native observers also report files being opened and closed after reading:
# the build reads every record, so reacting to those would rebuild for ever.
_CHANGES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED})


def is_change(event: FileSystemEvent, files: frozenset[str] | None = None) -> bool:
    """Whether `event` changed a file's content or name (of `files`, when given), so the site must be rebuilt."""
    if event.is_directory or event.event_type not in _CHANGES:
        return False
    if files is None:
        return True
    touched = {str(event.src_path), str(getattr(event, "dest_path", "") or "")}
    return not touched.isdisjoint(files)


class _Prompt(FileSystemEventHandler):
    """Tells the live-reload server to rebuild, as its own polling would."""

    def __init__(self, server: Any, files: frozenset[str] | None = None) -> None:
        self.server = server
        self.files = files

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Ask for a rebuild when `event` is a change of a watched file."""
        if not is_change(event, self.files):
            return
        # MkDocs' own watch callback does exactly this (mkdocs/livereload).
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()


def watch_promptly(server: Any, paths: Iterable[Path]) -> BaseObserver | None:
    """A started native observer that asks `server` to rebuild when anything in `paths` changes.

    None where it cannot help: a MkDocs whose live-reload server works
    differently, or a system that refuses more watches. Polling then goes on alone.
    """
    if not (hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild")):
        return None
    observer = Observer()
    try:
        for path in paths:
            if path.is_dir():
                observer.schedule(_Prompt(server), str(path), recursive=True)
            elif path.is_file():
                # A single file is watched through its folder, for that file only.
                observer.schedule(_Prompt(server, frozenset({str(path)})), str(path.parent), recursive=False)
        observer.start()
    except OSError as error:  # e.g. the system's limit of inotify watches
        log.debug("Watching by polling only: %s", error)
        observer.stop()
        return None
    return observer


def stop_watching(observer: BaseObserver | None) -> None:
    """Stop `observer` (from watch_promptly) and wait for its thread."""
    if observer is not None:
        observer.stop()
        observer.join()
