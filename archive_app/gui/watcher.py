"""Telling the window that another program wrote to the library, without blocking it."""

from __future__ import annotations

import logging

from PySide6.QtCore import QElapsedTimer, QObject, QSocketNotifier, QTimer, Signal

from archive_app.core.errors import LibraryError
from archive_app.core.library import Library
from archive_app.core.watching import ChangeWatcher

log = logging.getLogger(__name__)


class LibraryWatcher(QObject):
    """Emits ``changed_elsewhere`` soon after another program (or window) writes.

    A PostgreSQL library's watcher has a socket: a ``QSocketNotifier`` on it wakes us when a
    notification arrives, and reading it never waits. A SQLite library's is polled every
    ``POLL_MS`` (``PRAGMA data_version``: microseconds). The timer also runs for a server,
    so a lost connection is noticed and, once made again, its socket watched. Bursts are
    folded: the signal comes ``SETTLE_MS`` after the first news, and at most once per
    ``MIN_INTERVAL_MS`` (an import on another machine notifies every chunk; each refresh
    queries the library), so news is shown within two seconds, never in a stream.

    Args:
        library: The open library.

    Signals:
        changed_elsewhere: The library changed (on SQLite possibly by this window: a
            refresh is harmless).
    """

    POLL_MS = 1000
    SETTLE_MS = 150
    MIN_INTERVAL_MS = 1500

    changed_elsewhere = Signal()

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher: ChangeWatcher | None = None
        try:
            self._watcher = library.watch_changes()
        except LibraryError as exc:  # the window works on; it just hears of nothing
            log.warning("not watching the library for other programs' writes: %s", exc)
        self._notifier: QSocketNotifier | None = None
        self._fd: int | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(self.SETTLE_MS)
        self._settle.timeout.connect(self._on_settle_timeout)
        self._last_emit = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self.poll)
        if self._watcher is not None:
            self._watch_socket()
            self._timer.start()

    @property
    def active(self) -> bool:
        """Whether the library is being watched."""
        return self._watcher is not None

    @property
    def uses_socket(self) -> bool:
        """Whether a socket wakes the watcher (a server) rather than only the timer."""
        return self._notifier is not None

    def _watch_socket(self) -> None:
        fd = self._watcher.fileno() if self._watcher is not None else None
        if fd == self._fd:
            return
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        self._fd = fd
        if fd is not None:
            self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(lambda *_args: self.poll())

    def poll(self) -> bool:
        """Read what the watcher has (never waits); return whether the library changed."""
        if self._watcher is None:
            return False
        changed = self._watcher.poll()
        self._watch_socket()  # a connection made again has another socket
        if changed and not self._settle.isActive():
            since = self._last_emit.elapsed() if self._last_emit.isValid() else 1 << 30
            self._settle.start(max(self.SETTLE_MS, self.MIN_INTERVAL_MS - since))
        return changed

    def _on_settle_timeout(self) -> None:
        self._last_emit.start()
        self.changed_elsewhere.emit()

    def stop(self) -> None:
        """Stop watching (the window closes)."""
        self._timer.stop()
        self._settle.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
