"""A record saved during `mkdocs serve` starts the rebuild at once, and only once.

MkDocs finds changes by polling: it scans what it watches every half second,
so a save waits a quarter of a second on average (half at worst) before the
rebuild even starts, and on a large handbook each scan stats thousands of
files. Where the operating system reports changes itself (inotify, FSEvents,
ReadDirectoryChangesW), watchdog's native observer sees a save as it happens.

Polling stays, as a fallback for folders where the system reports nothing
(some network and container mounts), but it is ours, not MkDocs': a change
the native observer has already reported is not reported again when the
scan finds it, so one save is one rebuild (with both, MkDocs built twice).
"""

from __future__ import annotations

import logging
import threading
import time
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
from watchdog.observers.polling import PollingObserver

log = logging.getLogger(__name__)

# Native observers also report files being opened and closed after reading:
# the build reads every record, so reacting to those would rebuild for ever.
_CHANGES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED})
# As often as MkDocs polls.
POLL_INTERVAL_S = 0.5
# A change the system reported this recently is the one a scan finds again: a
# scan follows a change within one interval, plus the time the scan takes.
_ALREADY_REPORTED_S = 4 * POLL_INTERVAL_S


def is_change(event: FileSystemEvent, files: frozenset[str] | None = None) -> bool:
    """Whether `event` changed a file's content or name (of `files`, when given), so the site must be rebuilt."""
    if event.is_directory or event.event_type not in _CHANGES:
        return False
    return files is None or not _paths(event).isdisjoint(files)


def _paths(event: FileSystemEvent) -> set[str]:
    return {str(event.src_path), str(getattr(event, "dest_path", "") or "")} - {""}


class SaveWatch:
    """Asks the live-reload server to rebuild once for each change, whoever sees it first."""

    def __init__(self, server: Any, clock=time.monotonic) -> None:
        self.server = server
        self.clock = clock
        self.reported: dict[str, float] = {}  # path -> when the system reported its change
        self.lock = threading.Lock()
        self.observers: list[BaseObserver] = []

    def reported_by_system(self, event: FileSystemEvent, files: frozenset[str] | None = None) -> None:
        """A change the native observer saw: rebuild now, and remember it for the scan."""
        if not is_change(event, files):
            return
        with self.lock:
            for path in _paths(event):
                self.reported[path] = self.clock()
        self._ask()

    def found_by_scan(self, event: FileSystemEvent, files: frozenset[str] | None = None) -> None:
        """A change polling found: rebuild unless the system reported it already."""
        if not is_change(event, files):
            return
        with self.lock:
            now = self.clock()
            self.reported = {path: at for path, at in self.reported.items() if now - at < _ALREADY_REPORTED_S}
            if not _paths(event).isdisjoint(self.reported):
                return
        self._ask()

    def _ask(self) -> None:
        # What MkDocs' own watch callback does (mkdocs/livereload).
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()

    def start(self, paths: Iterable[Path]) -> bool:
        """Watch `paths` natively and by polling; False (nothing watched) where the system refuses."""
        native, polling = Observer(), PollingObserver(timeout=POLL_INTERVAL_S)
        try:
            for path in paths:
                folder, files = (path, None) if path.is_dir() else (path.parent, frozenset({str(path)}))
                if not folder.is_dir():
                    continue
                recursive = files is None  # a single file is watched through its folder, for that file only
                native.schedule(_Forward(self.reported_by_system, files), str(folder), recursive=recursive)
                polling.schedule(_Forward(self.found_by_scan, files), str(folder), recursive=recursive)
            native.start()
        except OSError as error:  # e.g. the system's limit of inotify watches
            log.debug("Watching by MkDocs' polling only: %s", error)
            native.stop()
            return False
        polling.start()
        self.observers = [native, polling]
        return True

    def stop(self) -> None:
        """Stop both observers and wait for their threads."""
        for observer in self.observers:
            observer.stop()
        for observer in self.observers:
            observer.join()
        self.observers = []


class _Forward(FileSystemEventHandler):
    """Hands every event of one watched folder (or file) to a SaveWatch method."""

    def __init__(self, receive, files: frozenset[str] | None) -> None:
        self.receive = receive
        self.files = files

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Pass `event` on, with the files it is about."""
        self.receive(event, self.files)


def watch_promptly(server: Any, paths: list[Path]) -> SaveWatch | None:
    """A started SaveWatch over `paths` for `server`; None where it cannot help (a MkDocs
    whose live-reload server works differently, or a system refusing more watches)."""
    if not (hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild")):
        return None
    watch = SaveWatch(server)
    return watch if watch.start(paths) else None


def stop_watching(watch: SaveWatch | None) -> None:
    """Stop `watch` (from watch_promptly), if any."""
    if watch is not None:
        watch.stop()
