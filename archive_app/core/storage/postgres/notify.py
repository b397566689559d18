"""Other programs' writes to a PostgreSQL library, as they happen: LISTEN on the triggers'
channel, on a connection of the watcher's own whose socket the window waits on."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any

import psycopg

from archive_app.core.storage import pg_schema
from archive_app.core.storage.postgres.engine import PgEngine
from archive_app.core.watching import ChangeWatcher

log = logging.getLogger(__name__)


class PgChangeWatcher:
    """Says when another program wrote to the library (``NOTIFY`` from its triggers).

    ``poll`` reads what arrived on the socket and never waits. Notifications from this
    library's own connections (``own_pids``) are left out. A lost connection is made again in
    a background thread (every ``RETRY_S``); the first poll after that says "changed", since
    writes in between were not heard.

    Args:
        url: The library's URL (libpq's; its password, if any, stays in memory only).
        own_pids: The server processes of the library's own connections (kept up to date).
    """

    RETRY_S = 2.0

    def __init__(self, url: str, own_pids: set[int]) -> None:
        self._url = url
        self._own = own_pids
        self._lock = threading.Lock()
        self._conn: psycopg.Connection[Any] | None = self._listen()  # before any write is missed
        self._missed = False
        self._retrying: threading.Thread | None = None
        self._closed = False

    def _listen(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(self._url, autocommit=True)
        conn.execute(f"LISTEN {pg_schema.NOTIFY_CHANNEL}")
        return conn

    def fileno(self) -> int | None:
        """The listening connection's socket (``None`` while it is being made again)."""
        with self._lock:
            conn = self._conn
        try:
            return None if conn is None or conn.closed else conn.fileno()
        except psycopg.Error:
            return None

    def poll(self) -> bool:
        """Whether another program wrote since the last poll (never waits)."""
        with self._lock:
            conn, missed = self._conn, self._missed
            self._missed = False
        if conn is None:
            self._retry()
            return missed
        try:
            pids = [note.pid for note in conn.notifies(timeout=0)]
        except psycopg.Error as exc:
            log.warning("change notifications stopped (%s); listening again soon", exc)
            self._drop(conn)
            return False
        return missed or any(pid not in self._own for pid in pids)

    def _drop(self, conn: psycopg.Connection[Any]) -> None:
        with self._lock:
            if self._conn is conn:
                self._conn = None
        with contextlib.suppress(psycopg.Error):  # already broken
            conn.close()
        self._retry()

    def _retry(self) -> None:
        if self._closed or (self._retrying is not None and self._retrying.is_alive()):
            return

        def run() -> None:
            while not self._closed:
                time.sleep(self.RETRY_S)
                try:
                    conn = self._listen()
                except psycopg.Error:
                    continue
                with self._lock:
                    if self._closed:
                        conn.close()
                        return
                    self._conn, self._missed = conn, True
                return

        self._retrying = threading.Thread(target=run, name="archive-listen", daemon=True)
        self._retrying.start()

    def close(self) -> None:
        """Stop listening."""
        self._closed = True
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()


class PgNotifying(PgEngine):
    """Watching a PostgreSQL library for other programs' writes."""

    def watch_changes(self) -> ChangeWatcher:
        """A watcher of other programs' writes (``LISTEN``; its socket to wait on).

        Raises:
            LibraryError: The server cannot be reached.
        """
        try:
            return PgChangeWatcher(self.url, self.own_backend_pids)
        except psycopg.Error as exc:
            raise self._connection_error(exc, "watch") from None
