"""A library in a PostgreSQL database: the same public API as ``Library``, PostgreSQL's SQL.

``Library("postgresql://user@host/dbname")`` returns a ``PostgresLibrary``. The schema is the
SQLModel tables plus ``pg_schema``'s parts; queries compile with ``pg_query``. Writes take one
advisory lock (one writer at a time, as on SQLite: the duplicate check and the insert of an
import cannot interleave with another machine's), waiting up to ``busy_wait`` seconds and saying
so. Passwords come from libpq (``~/.pgpass``, ``PGPASSWORD``, or the URL); every message shows
the URL without its password. A role that may not write opens the library read-only.
"""

from __future__ import annotations

from archive_app.core.storage.postgres.checks import PgChecks
from archive_app.core.storage.postgres.history import PgHistory
from archive_app.core.storage.postgres.notify import PgNotifying
from archive_app.core.storage.postgres.organising import PgOrganising

__all__ = ["PostgresLibrary"]


class PostgresLibrary(PgHistory, PgOrganising, PgChecks, PgNotifying):
    """An Article Archive library in a PostgreSQL database (a team library).

    Args:
        url: ``postgresql://user@host[:port]/dbname`` (libpq's URL; ``?host=/socket/dir``
            for a Unix socket). Without a password in it, libpq reads ``~/.pgpass`` or
            ``PGPASSWORD``.
        create: Create the schema in an empty database (only ``import`` does).
        busy_wait: How long a write waits for another writer (seconds).
    """

    def __enter__(self) -> PostgresLibrary:
        return self
