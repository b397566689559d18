"""Seeing other programs' writes: a watcher per library says, without blocking, that it changed.

``Library.watch_changes()`` hands one out. On SQLite it asks ``PRAGMA data_version`` on a
connection of its own (a number that changes when any other connection commits: another
window, the command line, this program's own writes too); the caller polls it about once a
second. On PostgreSQL it LISTENs on the channel the schema's triggers notify, and its
``fileno()`` is the socket to wait on (``QSocketNotifier``), so nothing polls the server.
"""

from __future__ import annotations

import sqlite3
import weakref
from typing import Protocol


class ChangeWatcher(Protocol):
    """Says whether a library was changed by someone else since the last ``poll``."""

    def fileno(self) -> int | None:
        """A socket that becomes readable when news comes (``None``: poll on a timer)."""

    def poll(self) -> bool:
        """Whether the library changed since the last call; never blocks (or waits for a
        lock)."""

    def close(self) -> None:
        """Stop watching."""


class DataVersionWatcher:
    """A SQLite library's watcher: ``PRAGMA data_version`` on its own connection.

    Args:
        target: The library file (or a ``file:`` URI with ``uri=True``).
        uri: Whether ``target`` is a URI (a read-only library is opened as one).
    """

    def __init__(self, target: str, *, uri: bool = False) -> None:
        # Autocommit: no transaction stays open, so each poll sees the newest commit.
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            target, uri=uri, isolation_level=None, check_same_thread=False, timeout=0
        )
        # A watcher dropped without close() (a window destroyed with unsaved edits) closes its
        # connection when it is collected; a weakref callback runs before the connection's own
        # finalizer, which on Python 3.13 warns (ResourceWarning) about an unclosed database.
        self._finalizer = weakref.finalize(self, self._conn.close)
        self._version = self._read()

    def _read(self) -> int | None:
        if self._conn is None:
            return None
        try:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None  # busy or gone: try again at the next poll

    def fileno(self) -> int | None:
        """SQLite has nothing to wait on: poll it (about once a second)."""
        return None

    def poll(self) -> bool:
        """Whether a commit happened since the last poll (any connection but this one's)."""
        version = self._read()
        if version is None or version == self._version:
            return False
        changed = self._version is not None
        self._version = version
        return changed

    def close(self) -> None:
        """Close the watcher's connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
