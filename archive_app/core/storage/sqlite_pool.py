"""The SQLite library's connections: a small pool shared by threads, without SQLAlchemy.

SQLAlchemy's engine was used here only as a pool (SQLite runs the app's own SQL), and
importing it cost 0.4-0.6 s of every start of the window and the command line, measured with
``python -X importtime``: most of the time before a large library's first rows show. The
SQLAlchemy schema tools are still used, imported only when a library is created
(``migrations.create_current``) or a server library opened.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class PooledConnection:
    """One connection of the pool, with what the library notes about it (``info``)."""

    dbapi: sqlite3.Connection
    generation: int
    info: dict[str, Any] = field(default_factory=dict)


class ConnectionPool:
    """Connections to one SQLite file, each used by one thread at a time.

    A connection comes back rolled back if its user left a transaction open (an exception
    between BEGIN and COMMIT). ``dispose`` closes the idle ones at once and every one in use
    when it comes back, as SQLAlchemy's ``Engine.dispose`` did; the pool can still be used
    after it (new connections are made).

    Args:
        connect: Makes a new connection, set up for the library.
        keep: How many idle connections are kept open (the window's thread, two workers,
            an import's writer and one spare).
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection], keep: int = 5) -> None:
        self._connect = connect
        self._keep = keep
        self._lock = threading.Lock()
        self._idle: list[PooledConnection] = []
        self._generation = 0

    @contextmanager
    def connection(self) -> Iterator[PooledConnection]:
        """Lend a connection for the ``with`` block."""
        with self._lock:
            pooled = self._idle.pop() if self._idle else None
            generation = self._generation
        if pooled is None:
            pooled = PooledConnection(self._connect(), generation)
        try:
            yield pooled
        finally:
            self._give_back(pooled)

    def _give_back(self, pooled: PooledConnection) -> None:
        try:
            if pooled.dbapi.in_transaction:
                pooled.dbapi.rollback()
        except sqlite3.Error:
            pooled.dbapi.close()  # a broken connection is not lent again
            return
        with self._lock:
            if pooled.generation == self._generation and len(self._idle) < self._keep:
                self._idle.append(pooled)
                return
        pooled.dbapi.close()

    def dispose(self) -> None:
        """Close every idle connection; those lent out are closed when they come back."""
        with self._lock:
            idle, self._idle = self._idle, []
            self._generation += 1
        for pooled in idle:
            pooled.dbapi.close()
