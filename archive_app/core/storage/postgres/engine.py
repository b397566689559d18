"""A PostgreSQL library's connections: opening, transactions, the write lock, errors."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.abc import Buffer
from psycopg.types.datetime import TimestamptzBinaryLoader, TimestamptzLoader
from psycopg.types.json import Jsonb
from sqlalchemy import Engine, create_engine, event, text

from archive_app.core import history
from archive_app.core.errors import (
    LibraryBusyError,
    LibraryError,
    LibraryReadOnlyError,
    LibraryTooNewError,
    NoLibraryFileError,
    NoLibraryHereError,
)
from archive_app.core.library import Library, default_busy_wait
from archive_app.core.query import QueryError
from archive_app.core.storage import pg_schema, redact_url

if TYPE_CHECKING:
    import sqlite3

Cursor = psycopg.Cursor[Any]


_LOCK_STEP = "1s"


def _sqlalchemy_url(url: str) -> str:
    _scheme, _, rest = url.partition("://")
    return f"postgresql+psycopg://{rest}"


def _database_name(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:
        return "library"
    return unquote(path.lstrip("/")) or "library"


class _NaiveUtcLoader(TimestamptzLoader):
    """``timestamptz`` as the naive UTC ``datetime`` the rest of the app uses."""

    def load(self, data: Buffer) -> dt.datetime:
        return super().load(data).astimezone(dt.UTC).replace(tzinfo=None)


class _NaiveUtcBinaryLoader(TimestamptzBinaryLoader):
    """The binary form of ``_NaiveUtcLoader``."""

    def load(self, data: Buffer) -> dt.datetime:
        return super().load(data).astimezone(dt.UTC).replace(tzinfo=None)


def _naive_utc_times(dbapi_connection: Any, _record: object) -> None:
    adapters = dbapi_connection.adapters
    adapters.register_loader("timestamptz", _NaiveUtcLoader)
    adapters.register_loader("timestamptz", _NaiveUtcBinaryLoader)


def first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def db_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Field values as PostgreSQL stores them (jsonb lists, dates, booleans)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in history.JSON_FIELDS:
            value = Jsonb([str(v) for v in value])
        elif name == "published_on":
            if isinstance(value, str):
                value = dt.date.fromisoformat(value) if value else None
        elif name == "needs_review":
            value = bool(value)
        out[name] = value
    return out


def as_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):  # a json column read as text
        value = json.loads(value) if value else []
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


class PgEngine(Library):
    """The connections: opening, the schema check, read and write transactions, the write lock."""

    def __init__(
        self,
        url: str,
        *,
        create: bool = True,
        busy_wait: float | None = None,
    ) -> None:
        self.url = url
        #: The URL without its password: what every message shows.
        self.display_url = redact_url(url)
        #: The database's name (what a file name would be in a message).
        self.database = _database_name(url)
        self.read_only_reason = ""
        self.notes: tuple[str, ...] = ()
        self.on_busy = None
        self.busy_wait = default_busy_wait() if busy_wait is None else busy_wait
        self.folds_diacritics = True
        #: The server processes of this library's connections: their notifications are our
        #: own writes, which the window has shown already (see ``watch_changes``).
        self.own_backend_pids: set[int] = set()
        self._pg_engine: Engine = create_engine(
            _sqlalchemy_url(url),
            pool_pre_ping=True,
            pool_size=4,
            max_overflow=8,
            # The library's times are naive UTC (as on SQLite): the session reads and writes
            # them in UTC, whatever the server's TimeZone.
            connect_args={"options": "-c TimeZone=UTC"},
        )
        event.listen(self._pg_engine, "connect", _naive_utc_times)
        try:
            self._open(create)
        except BaseException:
            self._pg_engine.dispose()
            raise

    # -- opening ---------------------------------------------------------------------------

    @property
    def location(self) -> str:
        """The library's URL, without its password."""
        return self.display_url

    @property
    def file(self) -> None:
        """A library on a server has no file."""
        return None

    @property
    def path(self) -> Path:
        """Refused: a library on a server has no file (a path made of its name could be taken
        for one, and files made beside the program). Name it with ``location``.

        Raises:
            NoLibraryFileError: Always (an ``AttributeError`` too, so ``hasattr`` says no).
        """
        raise NoLibraryFileError(
            f"{self.display_url} is on a PostgreSQL server and has no file; "
            "use library.location to name it (library.file is None)"
        )

    @path.setter
    def path(self, value: Path) -> None:
        raise NoLibraryFileError(f"{self.display_url} is on a server: it cannot get a file")

    def _connection_error(self, exc: BaseException, action: str) -> LibraryError:
        reason = first_line(getattr(exc, "orig", None) or exc).replace(self.url, self.display_url)
        if "does not exist" in reason and "database" in reason:
            return LibraryError(
                f"cannot {action} {self.display_url}: {reason}; create the database first "
                "(createdb) or choose another with --library"
            )
        if "password" in reason.lower() or "authentication" in reason.lower():
            return LibraryError(
                f"cannot {action} {self.display_url}: {reason}; put the password in ~/.pgpass "
                "or PGPASSWORD (never in the settings)"
            )
        return LibraryError(
            f"cannot {action} {self.display_url}: {reason}; check that the server is running "
            "and reachable"
        )

    def _open(self, create: bool) -> None:
        try:
            with self._pg_engine.connect() as conn:
                meta = pg_schema.read_meta(conn)
                if not meta:
                    tables = pg_schema.existing_tables(conn)
                    if tables:
                        raise LibraryError(
                            f"{self.display_url} holds another program's tables "
                            f"({', '.join(sorted(tables)[:5])}), not an Article Archive "
                            "library; it was not changed. Choose another database with --library"
                        )
                    if not create:
                        raise NoLibraryHereError(
                            f"there is no library in {self.display_url}; import articles into "
                            "it first ('article-archive import PATH') or choose another with "
                            "--library"
                        )
                conn.rollback()
                if not meta:
                    meta = self._create_schema(conn)
                self._check_meta(meta)
                self.folds_diacritics = meta.get("unaccent", "yes") == "yes"
                self.read_only_reason = self._read_only_reason(conn)
                conn.rollback()
                if int(meta.get("schema_version", "0") or 0) < pg_schema.SCHEMA_VERSION:
                    self._upgrade_schema(conn)
        except LibraryError:
            raise
        except (psycopg.Error, Exception) as exc:
            if isinstance(exc, psycopg.Error) or type(exc).__module__.startswith("sqlalchemy"):
                raise self._connection_error(exc, "open") from None
            raise

    def _create_schema(self, conn: Any) -> dict[str, str]:
        with conn.begin():
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": pg_schema.SCHEMA_LOCK})
            meta = pg_schema.read_meta(conn)  # another program may have created it meanwhile
            if meta:
                return meta
            try:
                pg_schema.create(conn)
            except Exception as exc:
                orig = getattr(exc, "orig", exc)
                if isinstance(orig, pg_errors.InsufficientPrivilege):
                    raise LibraryReadOnlyError(
                        f"cannot create a library in {self.display_url}: the role may not "
                        f"create tables there ({first_line(orig)}); ask for a role that owns "
                        "the database"
                    ) from None
                raise
            return pg_schema.read_meta(conn)

    def _upgrade_schema(self, conn: Any) -> None:
        """Bring an older library's schema up to date (once, whoever opens it first)."""
        if self.read_only:
            raise LibraryError(
                f"{self.display_url} is from an older version and is open read-only "
                f"({self.read_only_reason}), so it cannot be upgraded; open it once with a "
                "role that owns it"
            )
        with conn.begin():
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": pg_schema.SCHEMA_LOCK})
            meta = pg_schema.read_meta(conn)  # another program may have upgraded it meanwhile
            old = int(meta.get("schema_version", "0") or 0)
            if old >= pg_schema.SCHEMA_VERSION:
                return
            try:
                pg_schema.upgrade(conn, old)
            except Exception as exc:
                orig = getattr(exc, "orig", exc)
                if isinstance(orig, pg_errors.InsufficientPrivilege):
                    raise LibraryReadOnlyError(
                        f"{self.display_url} is from an older version and this role may not "
                        f"upgrade it ({first_line(orig)}); open it once with the role that "
                        "owns the database"
                    ) from None
                raise

    def _check_meta(self, meta: Mapping[str, str]) -> None:
        if meta.get("application") != pg_schema.APPLICATION:
            raise LibraryError(
                f"{self.display_url} is not an Article Archive library; choose another database"
            )
        version = int(meta.get("schema_version", "0") or 0)
        if version > pg_schema.SCHEMA_VERSION:
            raise LibraryTooNewError(
                f"{self.display_url} was written by a newer version of Article Archive "
                f"(schema {version}, this version reads up to {pg_schema.SCHEMA_VERSION}); "
                "upgrade the app to open it"
            )

    @staticmethod
    def _read_only_reason(conn: Any) -> str:
        row = conn.execute(
            text(
                "SELECT current_user, pg_is_in_recovery(), "
                "current_setting('default_transaction_read_only') = 'on', "
                "has_table_privilege('article', 'INSERT') "
                "AND has_table_privilege('article', 'UPDATE')"
            )
        ).one()
        user, standby, read_only_default, may_write = row
        if standby:
            return "the server is a read-only standby"
        if read_only_default:
            return f"the role {user} opens read-only transactions"
        if not may_write:
            return f"the database role {user} may only read it"
        return ""

    def optimize(self, *, analyze: bool = False, changed: int | None = None) -> None:
        """Refresh the planner's statistics after an import (autovacuum also does).

        ``changed`` is taken for the same API as SQLite's; the server's ANALYZE samples a
        fixed number of rows, so it is cheap at any size and always runs after an import.
        """
        if self.read_only or not analyze:
            return
        try:
            with self._pg_write() as cur:
                cur.execute("ANALYZE article")
        except LibraryError:
            pass  # not the table's owner: autovacuum keeps them instead

    @property
    def needs_statistics(self) -> bool:
        """PostgreSQL's autovacuum keeps the statistics; the window never needs to."""
        return False

    def close(self) -> None:
        """Release the database connections."""
        self._pg_engine.dispose()

    # -- connections -----------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Cursor]:
        self._not_here()
        yield  # pragma: no cover

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        self._not_here()
        yield  # pragma: no cover

    @staticmethod
    def _not_here() -> NoReturn:
        raise LibraryError(
            "internal error: a SQLite code path ran on a PostgreSQL library; "
            "PostgresLibrary must implement it"
        )

    def _translate(self, exc: psycopg.Error, action: str) -> LibraryError:
        if isinstance(exc, pg_errors.InsufficientPrivilege | pg_errors.ReadOnlySqlTransaction):
            return LibraryReadOnlyError(
                f"{self.display_url} cannot be written ({first_line(exc)}); nothing was changed"
            )
        if isinstance(exc, pg_errors.DiskFull):
            return LibraryError(
                f"the server's disk is full; nothing of the failed {action} was kept. "
                "Ask the administrator to free some space, then try again"
            )
        if isinstance(exc, psycopg.OperationalError):
            return self._connection_error(exc, action)
        return LibraryError(f"cannot {action} {self.display_url}: {first_line(exc)}")

    def _passthrough(self, exc: psycopg.Error) -> bool:
        """Errors the caller handles (a duplicate; a query beyond the server's limits)."""
        return isinstance(
            exc, psycopg.IntegrityError | pg_errors.SyntaxError | pg_errors.ProgramLimitExceeded
        )

    @contextmanager
    def _connection(self, action: str) -> Iterator[psycopg.Connection[Any]]:
        try:
            raw = self._pg_engine.raw_connection()
        except Exception as exc:
            raise self._connection_error(exc, action) from None
        try:
            conn = raw.driver_connection
            assert isinstance(conn, psycopg.Connection)
            self.own_backend_pids.add(conn.info.backend_pid)
            yield conn
        finally:
            raw.close()

    @contextmanager
    def _pg_read(self) -> Iterator[Cursor]:
        with self._connection("read") as conn:
            try:
                with conn.cursor() as cur:
                    yield cur
            except psycopg.Error as exc:
                conn.rollback()
                if self._passthrough(exc):
                    raise
                raise self._translate(exc, "read") from exc
            else:
                conn.rollback()  # nothing to keep; ends the snapshot

    @contextmanager
    def _pg_write(self) -> Iterator[Cursor]:
        """One write transaction under the write lock (waiting while another program writes)."""
        if self.read_only:
            raise LibraryReadOnlyError(
                f"{self.display_url} is open read-only ({self.read_only_reason}); "
                "nothing was changed"
            )
        with self._connection("write") as conn:
            try:
                with conn.cursor() as cur:
                    self._lock(conn, cur)
                    try:
                        yield cur
                    except BaseException:
                        conn.rollback()
                        raise
                    conn.commit()
            except psycopg.Error as exc:
                if not conn.closed:
                    conn.rollback()
                if self._passthrough(exc):
                    raise
                raise self._translate(exc, "write") from exc

    def _lock(self, conn: psycopg.Connection[Any], cur: Cursor) -> None:
        start = time.monotonic()
        while True:
            try:
                cur.execute(f"SET LOCAL lock_timeout = '{_LOCK_STEP}'")
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (pg_schema.WRITE_LOCK,))
                cur.execute("SET LOCAL lock_timeout = 0")
                return
            except pg_errors.LockNotAvailable as exc:
                conn.rollback()
                waited = time.monotonic() - start
                if waited >= self.busy_wait:
                    raise LibraryBusyError(
                        f"{self.display_url} is busy: another program has been writing to it "
                        f"for {waited:.0f} s; nothing was changed. Try again when it has "
                        "finished"
                    ) from exc
                if self.on_busy is not None:
                    self.on_busy(waited)

    @staticmethod
    @contextmanager
    def _query_errors() -> Iterator[None]:
        try:
            yield
        except pg_errors.ProgramLimitExceeded as exc:
            raise QueryError(
                f"the query is too complex for the database ({first_line(exc)}); simplify it"
            ) from None
