"""A library in a PostgreSQL database: the same public API as ``Library``, PostgreSQL's SQL.

``Library("postgresql://user@host/dbname")`` returns a ``PostgresLibrary``. The schema is the
SQLModel tables plus ``pg_schema``'s parts; queries compile with ``pg_query``. Writes take one
advisory lock (one writer at a time, as on SQLite: the duplicate check and the insert of an
import cannot interleave with another machine's), waiting up to ``busy_wait`` seconds and saying
so. Passwords come from libpq (``~/.pgpass``, ``PGPASSWORD``, or the URL); every message shows
the URL without its password. A role that may not write opens the library read-only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from sqlalchemy import Engine, create_engine, text

from archive_app.core import history
from archive_app.core import library as library_module
from archive_app.core.errors import (
    ArticleNotFoundError,
    LibraryBusyError,
    LibraryError,
    LibraryReadOnlyError,
    LibraryTooNewError,
    ValidationError,
)
from archive_app.core.library import (
    SNIPPET_MAX_CHARS,
    Library,
    SortKey,
    _batch_fields,
    _quote_value,
    default_busy_wait,
    normalize_tag,
    utcnow,
)
from archive_app.core.query import QueryError, compile_query
from archive_app.core.records import (
    EDITABLE_FIELDS,
    ArticleFields,
    ArticleRecord,
    ArticleSummary,
    BatchEdit,
    BatchUndo,
    Changes,
    FacetCount,
    Facets,
    NewArticle,
    SavedSearch,
    SearchHit,
    SourceInfo,
)
from archive_app.core.storage import pg_schema, redact_url
from archive_app.core.storage.pg_query import PgQuery, compile_pg_query, tsquery_sql
from archive_app.core.validation import validate_fields

if TYPE_CHECKING:
    import sqlite3

Cursor = psycopg.Cursor[Any]

_SORT_SQL: dict[str, str] = {
    "id": "a.id",
    "title": 'lower(a.title) COLLATE "C"',
    "section": 'a.section_path::text COLLATE "C"',
    "publisher": 'lower(a.publisher) COLLATE "C"',
    "published_on": "a.published_on",
    "created_at": "a.created_at",
}
_SUMMARY_COLUMNS = (
    "a.id, a.title, a.section_path, a.publisher, a.published_on, a.created_at, a.needs_review"
)
#: ts_rank over the weighted vector, without length normalisation: on the test corpora it orders
#: like bm25 (normalising by length let a short title-only match beat a title-and-body match).
_RANK = f"ts_rank(a.search, {tsquery_sql()})"
_HEADLINE_OPTIONS = (
    "StartSel=[, StopSel=], MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, "
    "FragmentDelimiter=…"
)
_ARTICLE_COLUMNS = (
    "uid, title, section_path, byline, publisher, dateline, published_on, source_url, "
    "alternate_urls, language, photo_caption, photo_credit, body, share_section, "
    "publisher_note, rights, boilerplate, notes, needs_review, parse_warnings, content_hash, "
    "source_file_id, created_at, updated_at, deleted_at"
)
_ARTICLE_INSERT = (
    f"INSERT INTO article ({_ARTICLE_COLUMNS}) VALUES "
    f"({', '.join(['%s'] * len(_ARTICLE_COLUMNS.split(',')))}) RETURNING id"
)
_SOURCE_INSERT = (
    "INSERT INTO source_file (file_name, original_path, size, sha256, encoding, compression, "
    "data, imported_at, encoding_confidence, sidecar_name, sidecar_data) "
    "VALUES (%s, %s, %s, %s, %s, 'zlib', %s, %s, %s, %s, %s) RETURNING id"
)
#: Lock waits inside PostgreSQL per attempt; between attempts the library reports the wait.
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


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _db_values(values: Mapping[str, Any]) -> dict[str, Any]:
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


def _tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):  # a json column read as text
        value = json.loads(value) if value else []
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


class PostgresLibrary(Library):
    """An Article Archive library in a PostgreSQL database (a team library).

    Args:
        url: ``postgresql://user@host[:port]/dbname`` (libpq's URL; ``?host=/socket/dir``
            for a Unix socket). Without a password in it, libpq reads ``~/.pgpass`` or
            ``PGPASSWORD``.
        create: Create the schema in an empty database (only ``import`` does).
        busy_wait: How long a write waits for another writer (seconds).
    """

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
        #: A server library has no file; ``path`` is its database name, for messages.
        self.path = Path(_database_name(url))
        self.read_only_reason = ""
        self.notes: tuple[str, ...] = ()
        self.on_busy = None
        self.busy_wait = default_busy_wait() if busy_wait is None else busy_wait
        self.folds_diacritics = True
        self._pg_engine: Engine = create_engine(
            _sqlalchemy_url(url), pool_pre_ping=True, pool_size=4, max_overflow=8
        )
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

    def _connection_error(self, exc: BaseException, action: str) -> LibraryError:
        reason = _first_line(getattr(exc, "orig", None) or exc).replace(self.url, self.display_url)
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
                        raise LibraryError(
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
                        f"create tables there ({_first_line(orig)}); ask for a role that owns "
                        "the database"
                    ) from None
                raise
            return pg_schema.read_meta(conn)

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

    def optimize(self, *, analyze: bool = False) -> None:
        """Refresh the planner's statistics after an import (autovacuum also does)."""
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

    def __enter__(self) -> PostgresLibrary:
        return self

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
                f"{self.display_url} cannot be written ({_first_line(exc)}); nothing was changed"
            )
        if isinstance(exc, pg_errors.DiskFull):
            return LibraryError(
                f"the server's disk is full; nothing of the failed {action} was kept. "
                "Ask the administrator to free some space, then try again"
            )
        if isinstance(exc, psycopg.OperationalError):
            return self._connection_error(exc, action)
        return LibraryError(f"cannot {action} {self.display_url}: {_first_line(exc)}")

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
                f"the query is too complex for the database ({_first_line(exc)}); simplify it"
            ) from None

    @property
    def schema_version(self) -> int:
        """The schema version of the open library (PostgreSQL's own numbering)."""
        with self._pg_read() as cur:
            cur.execute(f"SELECT value FROM {pg_schema.META_TABLE} WHERE name = 'schema_version'")
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def integrity_check(self) -> list[str]:
        """Check the full-text column against the fields it is made from."""
        with self._pg_read() as cur:
            cur.execute(
                f"SELECT count(*) FROM article a "
                f"WHERE a.search IS DISTINCT FROM {pg_schema.SEARCH_VECTOR_SQL}"
            )
            stale = int(cur.fetchone()[0])  # type: ignore[index]
        if stale:
            return [f"full-text index: {stale} articles are indexed with outdated text"]
        return []

    # -- reading ---------------------------------------------------------------------------

    def count(self, *, trash: bool = False) -> int:
        """Return how many articles there are (in the library, or in the trash)."""
        where = "deleted_at IS NOT NULL" if trash else "deleted_at IS NULL"
        with self._pg_read() as cur:
            cur.execute(f"SELECT count(*) FROM article WHERE {where}")
            return int(cur.fetchone()[0])  # type: ignore[index]

    def get_article(self, article_id: int) -> ArticleRecord:
        """Return one article with its tags and source-file information.

        Raises:
            ArticleNotFoundError: No article has that id.
        """
        with self._pg_read() as plain:
            cur = plain.connection.cursor(row_factory=dict_row)
            cur.execute(
                "SELECT a.*, s.file_name, s.sha256, s.encoding, s.size, s.original_path, "
                "s.imported_at, s.encoding_confidence, s.sidecar_name "
                "FROM article a LEFT JOIN source_file s ON s.id = a.source_file_id "
                "WHERE a.id = %s",
                (article_id,),
            )
            row = cur.fetchone()
            if row is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            tags = self._tags(plain, article_id)
        source = None
        if row["file_name"] is not None:
            source = SourceInfo(
                file_name=row["file_name"],
                sha256=row["sha256"],
                encoding=row["encoding"],
                size=row["size"],
                original_path=row["original_path"],
                imported_at=row["imported_at"],
                encoding_confidence=float(row["encoding_confidence"]),
                sidecar_name=row["sidecar_name"],
            )
        return ArticleRecord(
            id=row["id"],
            uid=row["uid"],
            title=row["title"],
            section_path=_tuple(row["section_path"]),
            byline=row["byline"],
            publisher=row["publisher"],
            dateline=row["dateline"],
            published_on=row["published_on"],
            source_url=row["source_url"],
            alternate_urls=_tuple(row["alternate_urls"]),
            language=row["language"],
            photo_caption=row["photo_caption"],
            photo_credit=row["photo_credit"],
            body=row["body"],
            share_section=row["share_section"],
            publisher_note=row["publisher_note"],
            rights=row["rights"],
            boilerplate=row["boilerplate"],
            notes=row["notes"],
            tags=tags,
            needs_review=bool(row["needs_review"]),
            parse_warnings=_tuple(row["parse_warnings"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            deleted_at=row["deleted_at"],
            source=source,
        )

    @staticmethod
    def _tags(cur: Cursor, article_id: int) -> tuple[str, ...]:
        cur.execute(
            "SELECT t.name FROM tag t JOIN article_tag at ON at.tag_id = t.id "
            'WHERE at.article_id = %s ORDER BY lower(t.name) COLLATE "C"',
            (article_id,),
        )
        return tuple(r[0] for r in cur.fetchall())

    def source_bytes(self, article_id: int) -> bytes:
        """Return the exact bytes of the file an article was imported from.

        Raises:
            ArticleNotFoundError: No article with that id, or it has no source file.
        """
        with self._pg_read() as cur:
            cur.execute(
                "SELECT s.data, s.compression FROM article a JOIN source_file s "
                "ON s.id = a.source_file_id WHERE a.id = %s",
                (article_id,),
            )
            row = cur.fetchone()
        if row is None:
            raise ArticleNotFoundError(f"no source file for article {article_id}")
        data, compression = row
        return zlib.decompress(data) if compression == "zlib" else bytes(data)

    @staticmethod
    def _summary(row: Sequence[Any]) -> ArticleSummary:
        return ArticleSummary(
            id=row[0],
            title=row[1],
            section_path=_tuple(row[2]),
            publisher=row[3],
            published_on=row[4],
            created_at=row[5],
            needs_review=bool(row[6]),
        )

    @staticmethod
    def _pg_select(
        columns: str, compiled: PgQuery, sort: str, descending: bool
    ) -> tuple[str, list[Any]]:
        """SQL selecting ``columns`` for a compiled query in the wanted order, and its params.

        ``columns`` may hold one ``%s`` for the tsquery (a snippet), filled first.
        """
        direction = "DESC" if descending else "ASC"
        params: list[Any] = []
        if "%s" in columns:
            params.append(compiled.tsquery)
        where = compiled.where
        if compiled.tsquery is not None:
            where = f"a.search @@ {tsquery_sql()} AND {where}"
            params.append(compiled.tsquery)
        params.extend(compiled.params)
        if sort == "rank" and compiled.tsquery is not None:
            order = f"{_RANK} DESC, a.id DESC"
            params.append(compiled.tsquery)
        elif sort == "rank":
            order = "a.id DESC"
        else:
            nulls = "NULLS LAST" if descending else "NULLS FIRST"  # SQLite: NULL is smallest
            order = f"{_SORT_SQL[sort]} {direction} {nulls}, a.id {direction}"
        return f"SELECT {columns} FROM article a WHERE {where} ORDER BY {order}", params

    def article_ids(
        self,
        query: str | None = None,
        *,
        sort: SortKey = "id",
        descending: bool = False,
        trash: bool = False,
    ) -> list[int]:
        """Return the ids of the matching articles in table order (sorting is done in SQL).

        Raises:
            QueryError: The query cannot be understood (a one-line explanation).
        """
        compiled = compile_pg_query(query, trash=trash)
        if compiled.tsquery is not None and compiled.only_text and sort == "rank":
            # As on SQLite: past RANK_LIMIT matches, newest first (ranking them all costs much
            # and ranks nothing useful).
            sql, params = self._pg_select("a.id", compiled, "id", True)
            with self._query_errors(), self._pg_read() as cur:
                cur.execute(sql, params)
                ids = [r[0] for r in cur.fetchall()]
            if len(ids) > library_module.RANK_LIMIT:
                return ids
        sql, params = self._pg_select("a.id", compiled, sort, descending)
        with self._query_errors(), self._pg_read() as cur:
            cur.execute(sql, params)
            return [r[0] for r in cur.fetchall()]

    def summaries(self, ids: Sequence[int]) -> dict[int, ArticleSummary]:
        """Return the summaries of the given articles, keyed by id (missing ids are absent)."""
        out: dict[int, ArticleSummary] = {}
        with self._pg_read() as cur:
            for start in range(0, len(ids), 1000):
                cur.execute(
                    f"SELECT {_SUMMARY_COLUMNS} FROM article a WHERE a.id = ANY(%s)",
                    (list(ids[start : start + 1000]),),
                )
                for row in cur.fetchall():
                    summary = self._summary(row)
                    out[summary.id] = summary
        return out

    def list_articles(
        self,
        query: str | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        sort: SortKey = "id",
        descending: bool = False,
        trash: bool = False,
    ) -> list[ArticleSummary]:
        """Return article summaries in table order, optionally filtered by a query.

        Raises:
            QueryError: The query cannot be understood.
        """
        compiled = compile_pg_query(query, trash=trash)
        sql, params = self._pg_select(_SUMMARY_COLUMNS, compiled, sort, descending)
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
        with self._query_errors(), self._pg_read() as cur:
            cur.execute(sql, params)
            return [self._summary(row) for row in cur.fetchall()]

    @staticmethod
    def _headline(max_chars: int) -> str:
        return (
            f"CASE WHEN length(a.body) <= {max_chars} THEN ts_headline('"
            f"{pg_schema.TEXT_CONFIG}', concat_ws(' … ', nullif(a.body, ''), "
            "nullif(a.photo_caption, ''), nullif(a.byline, ''), nullif(a.title, '')), "
            f"{tsquery_sql()}, '{_HEADLINE_OPTIONS}') "
        )

    def search(self, query: str, *, limit: int | None = 50) -> list[SearchHit]:
        """Return the best matches for a query (ts_rank) with snippets.

        Raises:
            QueryError: The query cannot be understood.
        """
        compiled = compile_pg_query(query)
        snippet = (
            self._headline(SNIPPET_MAX_CHARS) + "ELSE substr(a.body, 1, 120) || '…' END"
            if compiled.tsquery
            else "''"
        )
        sql, params = self._pg_select(f"{_SUMMARY_COLUMNS}, {snippet}", compiled, "rank", False)
        sql += " LIMIT %s"
        params.append(limit)
        with self._query_errors(), self._pg_read() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall()
        return [
            SearchHit(**{**self._summary(row).__dict__, "snippet": row[7] or ""}) for row in rows
        ]

    def snippet(self, article_id: int, query: str) -> str:
        """Return the matching words of one article in context, ``[marked]`` ("" if none)."""
        try:
            compiled = compile_pg_query(query)
        except QueryError:
            return ""
        if compiled.tsquery is None:
            return ""
        with self._pg_read() as cur:
            cur.execute(
                f"SELECT {self._headline(SNIPPET_MAX_CHARS)} ELSE '' END FROM article a "
                f"WHERE a.id = %s AND a.search @@ {tsquery_sql()}",
                (compiled.tsquery, article_id, compiled.tsquery),
            )
            row = cur.fetchone()
        return str(row[0]) if row and row[0] else ""

    def existing_ids_by_hash(self, hashes: Iterable[str]) -> dict[str, int]:
        """Return ``{content_hash: article id}`` for the hashes already in the library."""
        with self._pg_read() as cur:
            return self._ids_by(cur, "content_hash", list(dict.fromkeys(hashes)))

    @staticmethod
    def _ids_by(cur: Cursor, column: str, values: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(values), 1000):
            cur.execute(
                f"SELECT {column}, id FROM article WHERE {column} = ANY(%s)",
                (list(values[start : start + 1000]),),
            )
            found.update((str(k), int(v)) for k, v in cur.fetchall())
        return found

    def all_tags(self) -> list[str]:
        """Return every tag name, sorted."""
        with self._pg_read() as cur:
            cur.execute('SELECT name FROM tag ORDER BY lower(name) COLLATE "C"')
            return [r[0] for r in cur.fetchall()]

    # -- writing ---------------------------------------------------------------------------

    def add_articles(self, items: Sequence[NewArticle]) -> list[int]:
        """Store parsed articles and their source files in one transaction; return the new ids.

        Raises:
            psycopg.IntegrityError: One of them is already in the library.
        """
        if not items:
            return []
        with self._pg_write() as cur:
            return self._pg_insert_articles(cur, items)

    def learned_state(self, name: str) -> str | None:
        """What the library learned under ``name`` (JSON text), or ``None``."""
        with self._pg_read() as cur:
            cur.execute("SELECT state FROM learned_state WHERE name = %s", (name,))
            row = cur.fetchone()
        return None if row is None else str(row[0])

    def save_learned_state(self, name: str, state: str) -> None:
        """Keep what the library learned under ``name``."""
        with self._pg_write() as cur:
            self._pg_save_learned(cur, name, state)

    @staticmethod
    def _pg_save_learned(cur: Cursor, name: str, state: str) -> None:
        cur.execute(
            "INSERT INTO learned_state (name, state, updated_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET state = excluded.state, "
            "updated_at = excluded.updated_at",
            (name, state, utcnow()),
        )

    def replace_parsed_fields(
        self,
        changes: Mapping[int, Mapping[str, Any]],
        *,
        sources: Mapping[int, tuple[str, float]] | None = None,
        kind: str = "re-parse",
    ) -> Changes:
        """Store what a re-parse (or learned boilerplate) gives, in one transaction."""
        if not changes and not sources:
            return Changes()
        with self._pg_write() as cur:
            for article_id, values in changes.items():
                self._pg_write_fields(cur, article_id, values, kind=kind)
            for article_id, (encoding, confidence) in (sources or {}).items():
                cur.execute(
                    "UPDATE source_file SET encoding = %s, encoding_confidence = %s WHERE id = "
                    "(SELECT source_file_id FROM article WHERE id = %s)",
                    (encoding, confidence, article_id),
                )
        return Changes(article_ids=frozenset({*changes, *(sources or {})}))

    def source_sidecar(self, article_id: int) -> tuple[str, bytes] | None:
        """The JSON sidecar stored with an article's source file: its name and bytes."""
        with self._pg_read() as cur:
            cur.execute(
                "SELECT s.sidecar_name, s.sidecar_data FROM article a JOIN source_file s "
                "ON s.id = a.source_file_id WHERE a.id = %s",
                (article_id,),
            )
            row = cur.fetchone()
        if row is None or row[1] is None:
            return None
        return str(row[0]), zlib.decompress(row[1])

    def add_new_articles(
        self, items: Sequence[NewArticle], *, learned: tuple[str, str] | None = None
    ) -> list[tuple[int, bool]]:
        """Store the articles not yet in the library; return ``(id, is_new)`` for each item.

        The duplicate check and the inserts run under the write lock in one transaction, so
        imports from several machines at once store each article once (and the unique index on
        the text hash guarantees it).
        """
        if not items:
            return []
        with self._pg_write() as cur:
            existing = self._ids_by(
                cur, "content_hash", list(dict.fromkeys(i.content_hash for i in items))
            )
            by_uid = self._ids_by(cur, "uid", list(dict.fromkeys(i.uid for i in items if i.uid)))
            fresh: list[NewArticle] = []
            plan: list[tuple[int | None, int]] = []
            first_of: dict[str, int] = {}
            first_uid: dict[str, int] = {}
            for item in items:
                if item.uid in by_uid:
                    plan.append((by_uid[item.uid], -1))
                elif item.content_hash in existing:
                    plan.append((existing[item.content_hash], -1))
                elif item.content_hash in first_of:
                    plan.append((None, first_of[item.content_hash]))
                elif item.uid and item.uid in first_uid:
                    plan.append((None, first_uid[item.uid]))
                else:
                    first_of[item.content_hash] = len(fresh)
                    if item.uid:
                        first_uid[item.uid] = len(fresh)
                    plan.append((None, len(fresh)))
                    fresh.append(item)
            new_ids = self._pg_insert_articles(cur, fresh) if fresh else []
            if learned is not None:
                self._pg_save_learned(cur, *learned)
        result: list[tuple[int, bool]] = []
        claimed: set[int] = set()
        for existing_id, index in plan:
            if existing_id is not None:
                result.append((existing_id, False))
            else:
                result.append((new_ids[index], index not in claimed))
                claimed.add(index)
        return result

    def _pg_insert_articles(self, cur: Cursor, items: Sequence[NewArticle]) -> list[int]:
        """Insert articles and sources in the open transaction (pipelined, one round trip
        per batch rather than per row); the trigger fills ``search``."""
        now = utcnow()
        cur.executemany(
            _SOURCE_INSERT,
            [
                (
                    item.file_name,
                    item.original_path,
                    item.size,
                    item.sha256,
                    item.encoding,
                    item.compressed_data,
                    now,
                    item.encoding_confidence,
                    item.sidecar_name,
                    item.sidecar_data or None,
                )
                for item in items
            ],
            returning=True,
        )
        source_ids = self._returned_ids(cur)
        rows = []
        for item, source_id in zip(items, source_ids, strict=True):
            f = item.fields
            created = item.created_at or now
            rows.append(
                (
                    item.uid or str(uuid.uuid4()),
                    f.title,
                    Jsonb(list(f.section_path)),
                    f.byline,
                    f.publisher,
                    f.dateline,
                    f.published_on,
                    f.source_url,
                    Jsonb(list(f.alternate_urls)),
                    f.language,
                    f.photo_caption,
                    f.photo_credit,
                    f.body,
                    f.share_section,
                    f.publisher_note,
                    f.rights,
                    f.boilerplate,
                    f.notes,
                    bool(f.needs_review),
                    Jsonb(list(item.parse_warnings)),
                    item.content_hash,
                    source_id,
                    created,
                    item.updated_at or created,
                    item.deleted_at,
                )
            )
        cur.executemany(_ARTICLE_INSERT, rows, returning=True)
        ids = self._returned_ids(cur)
        revisions = [
            (
                article_id,
                revision.created_at,
                revision.user,
                revision.kind,
                json.dumps({k: list(v) for k, v in revision.changes.items()}, ensure_ascii=False),
            )
            for item, article_id in zip(items, ids, strict=True)
            for revision in item.revisions
        ]
        if revisions:
            cur.executemany(
                'INSERT INTO revision (article_id, created_at, "user", kind, changes) '
                "VALUES (%s, %s, %s, %s, %s::json)",
                revisions,
            )
        for item, article_id in zip(items, ids, strict=True):
            if item.fields.tags:
                self._pg_set_tags(cur, article_id, item.fields.tags)
        return ids

    @staticmethod
    def _returned_ids(cur: Cursor) -> list[int]:
        ids: list[int] = []
        while True:
            row = cur.fetchone()
            assert row is not None
            ids.append(int(row[0]))
            if not cur.nextset():
                return ids

    def update_article(
        self, article_id: int, fields: ArticleFields, *, kind: str = "edit"
    ) -> Changes:
        """Replace an article's editable fields (and tags) with ``fields``; keep a revision.

        Raises:
            ValidationError: A field is not acceptable (e.g. an empty title).
            ArticleNotFoundError: No article has that id.
        """
        errors = validate_fields(fields)
        if errors:
            raise ValidationError(errors)
        values = {name: getattr(fields, name) for name in EDITABLE_FIELDS}
        with self._pg_write() as cur:
            cur.execute("SELECT 1 FROM article WHERE id = %s", (article_id,))
            if cur.fetchone() is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            self._pg_write_fields(cur, article_id, values, kind=kind)
        return Changes(article_ids=frozenset({article_id}), tags=True)

    def _pg_set_tags(self, cur: Cursor, article_id: int, tags: Iterable[str]) -> None:
        names = list(dict.fromkeys(n for n in (normalize_tag(t) for t in tags) if n))
        cur.execute("DELETE FROM article_tag WHERE article_id = %s", (article_id,))
        for name in names:
            cur.execute(
                "INSERT INTO tag (name) VALUES (%s) ON CONFLICT ((lower(name))) DO NOTHING",
                (name,),
            )
            cur.execute(
                "INSERT INTO article_tag (article_id, tag_id) SELECT %s, id FROM tag "
                "WHERE lower(name) = lower(%s) ON CONFLICT DO NOTHING",
                (article_id, name),
            )

    def _set_deleted(self, ids: Iterable[int], when: dt.datetime | None) -> Changes:
        id_list = list(ids)
        with self._pg_write() as cur:
            cur.execute("UPDATE article SET deleted_at = %s WHERE id = ANY(%s)", (when, id_list))
        return Changes(article_ids=frozenset(id_list), removed=when is not None, added=when is None)

    def purge(self, ids: Iterable[int]) -> Changes:
        """Delete articles for good, with their source files."""
        id_list = list(ids)
        with self._pg_write() as cur:
            cur.execute(
                "WITH gone AS (DELETE FROM article WHERE id = ANY(%s) RETURNING source_file_id) "
                "DELETE FROM source_file s USING gone WHERE s.id = gone.source_file_id "
                "AND NOT EXISTS (SELECT 1 FROM article a WHERE a.source_file_id = s.id "
                "AND a.id <> ALL(%s))",
                (id_list, id_list),
            )
        return Changes(article_ids=frozenset(id_list), removed=True)

    # -- sidebar, saved searches, batch edit ----------------------------------------------

    def facets(self, *, trash: bool = False) -> Facets:
        """Return the sidebar's sections tree, publishers and tags with counts.

        With ``trash`` the sections, publishers and tags count the trash; ``total``,
        ``review`` and ``trash`` always count the library and the trash.
        """
        listed = "deleted_at IS NOT NULL" if trash else "deleted_at IS NULL"
        with self._pg_read() as cur:
            sections: dict[tuple[str, ...], int] = {}
            cur.execute(
                f"SELECT section_path, count(*) FROM article WHERE {listed} GROUP BY section_path"
            )
            for path_json, count in cur.fetchall():
                path = _tuple(path_json)
                for depth in range(1, len(path) + 1):
                    sections[path[:depth]] = sections.get(path[:depth], 0) + count
            cur.execute(
                f"SELECT min(publisher), count(*) FROM article WHERE {listed} "
                "AND publisher <> '' GROUP BY lower(publisher) "
                'ORDER BY count(*) DESC, lower(publisher) COLLATE "C"'
            )
            publishers = cur.fetchall()
            cur.execute(
                "SELECT t.name, count(a.id) FROM tag t JOIN article_tag at ON at.tag_id = t.id "
                f"JOIN article a ON a.id = at.article_id AND a.{listed} "
                'GROUP BY t.id, t.name ORDER BY lower(t.name) COLLATE "C"'
            )
            tags = cur.fetchall()
            cur.execute(
                "SELECT count(*) FILTER (WHERE deleted_at IS NULL), "
                "count(*) FILTER (WHERE deleted_at IS NULL AND needs_review), "
                "count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM article"
            )
            total, review, trashed = cur.fetchone()  # type: ignore[misc]
        return Facets(
            sections=tuple(
                FacetCount(path[-1], count, f"section:{_quote_value(' '.join(path))}", path)
                for path, count in sorted(
                    sections.items(), key=lambda kv: [p.lower() for p in kv[0]]
                )
            ),
            publishers=tuple(
                FacetCount(name, count, 'publisher:"' + name.replace('"', "") + '"')
                for name, count in publishers
            ),
            tags=tuple(
                FacetCount(name, count, f"tag:{_quote_value(name)}") for name, count in tags
            ),
            total=int(total or 0),
            review=int(review or 0),
            trash=int(trashed or 0),
        )

    def saved_searches(self) -> list[SavedSearch]:
        """Return the saved searches, by name."""
        with self._pg_read() as cur:
            cur.execute('SELECT id, name, query FROM saved_search ORDER BY lower(name) COLLATE "C"')
            return [SavedSearch(*row) for row in cur.fetchall()]

    def save_search(self, name: str, query: str, *, search_id: int | None = None) -> SavedSearch:
        """Create a saved search, or change the one with ``search_id``.

        Raises:
            ValidationError: Empty name or query, or a name another saved search has.
        """
        name, query = " ".join(name.split()), query.strip()
        errors = {}
        if not name:
            errors["name"] = "A name is required."
        if not query:
            errors["query"] = "A query is required."
        if errors:
            raise ValidationError(errors)
        compile_query(query)  # refuse a query that cannot be understood
        with self._pg_write() as cur:
            cur.execute(
                "SELECT id FROM saved_search WHERE lower(name) = lower(%s) "
                "AND id IS DISTINCT FROM %s",
                (name, search_id),
            )
            if cur.fetchone():
                raise ValidationError({"name": f"A saved search is already called {name!r}."})
            if search_id is None:
                cur.execute(
                    "INSERT INTO saved_search (name, query, created_at) VALUES (%s, %s, %s) "
                    "RETURNING id",
                    (name, query, utcnow()),
                )
                search_id = int(cur.fetchone()[0])  # type: ignore[index]
            else:
                cur.execute(
                    "UPDATE saved_search SET name = %s, query = %s WHERE id = %s",
                    (name, query, search_id),
                )
        return SavedSearch(search_id, name, query)

    def delete_saved_search(self, search_id: int) -> None:
        """Forget a saved search."""
        with self._pg_write() as cur:
            cur.execute("DELETE FROM saved_search WHERE id = %s", (search_id,))

    def apply_batch_edit(self, ids: Sequence[int], edit: BatchEdit) -> tuple[Changes, BatchUndo]:
        """Apply ``edit`` to every article in one transaction; return what to undo it with."""
        before: dict[int, dict[str, Any]] = {}
        with self._pg_write() as cur:
            for article_id in ids:
                record = self.get_article(article_id)
                planned = _batch_fields(record, edit)
                if not planned:
                    continue
                before[article_id] = {name: old for name, old, _new in planned}
                self._pg_write_fields(
                    cur, article_id, {name: new for name, _old, new in planned}, kind="batch edit"
                )
        return (
            Changes(article_ids=frozenset(before), tags=bool(edit.add_tags or edit.remove_tags)),
            BatchUndo(before),
        )

    def undo_batch_edit(self, undo: BatchUndo) -> Changes:
        """Put back what a batch edit replaced, in one transaction."""
        with self._pg_write() as cur:
            for article_id, values in undo.before.items():
                self._pg_write_fields(cur, article_id, values, kind="undo of a batch edit")
        return Changes(article_ids=frozenset(undo.before), tags=True)

    # -- history ---------------------------------------------------------------------------

    def _current_values(self, cur: Cursor, article_id: int, names: Iterable[str]) -> dict[str, Any]:
        names = list(names)
        columns = [n for n in names if n != "tags"]
        out: dict[str, Any] = {}
        if columns:
            cur.execute(f"SELECT {', '.join(columns)} FROM article WHERE id = %s", (article_id,))
            row = cur.fetchone()
            if row is None:
                return {}
            for name, value in zip(columns, row, strict=True):
                if name in history.JSON_FIELDS:
                    value = list(_tuple(value))
                out[name] = history.jsonable(name, value)
        if "tags" in names:
            cur.execute(
                "SELECT t.name FROM tag t JOIN article_tag at ON at.tag_id = t.id "
                "WHERE at.article_id = %s",
                (article_id,),
            )
            out["tags"] = history.jsonable("tags", [r[0] for r in cur.fetchall()])
        return out

    def _pg_write_fields(
        self, cur: Cursor, article_id: int, values: Mapping[str, Any], *, kind: str
    ) -> None:
        """Change fields of an article and store a revision of what changed (who, when)."""
        values = dict(values)
        before = self._current_values(cur, article_id, values)
        after = {name: history.jsonable(name, value) for name, value in values.items()}
        changes = history.diff(before, after)
        if not changes:
            return
        now = utcnow()
        columns = _db_values({n: v for n, v in values.items() if n != "tags" and n in changes})
        if columns:
            columns["updated_at"] = now
            assignments = ", ".join(f"{name} = %s" for name in columns)
            cur.execute(
                f"UPDATE article SET {assignments} WHERE id = %s", [*columns.values(), article_id]
            )
        if "tags" in changes:
            self._pg_set_tags(cur, article_id, values["tags"])
        cur.execute(
            'INSERT INTO revision (article_id, created_at, "user", kind, changes) '
            "VALUES (%s, %s, %s, %s, %s::json)",
            (
                article_id,
                now,
                history.current_user(),
                kind,
                json.dumps({k: list(v) for k, v in changes.items()}, ensure_ascii=False),
            ),
        )

    @staticmethod
    def _revisions(cur: Cursor, article_id: int) -> list[history.Revision]:
        cur.execute(
            'SELECT id, article_id, created_at, "user", kind, changes::text FROM revision '
            "WHERE article_id = %s ORDER BY id",
            (article_id,),
        )
        return [
            history.Revision(
                id=r[0],
                article_id=r[1],
                created_at=r[2],
                user=r[3],
                kind=r[4],
                changes={k: (v[0], v[1]) for k, v in json.loads(r[5]).items()},
            )
            for r in cur.fetchall()
        ]

    def history(self, article_id: int) -> list[history.Revision]:
        """An article's revisions, oldest first.

        Raises:
            ArticleNotFoundError: No article has that id.
        """
        with self._pg_read() as cur:
            cur.execute("SELECT 1 FROM article WHERE id = %s", (article_id,))
            if cur.fetchone() is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            return self._revisions(cur, article_id)

    def revert(self, article_id: int, revision_id: int) -> Changes:
        """Put an article back as it was right after ``revision_id`` (itself a revision).

        Raises:
            ArticleNotFoundError: No such article, or the revision is not one of its own.
        """
        with self._pg_write() as cur:
            revisions = self._revisions(cur, article_id)
            names = {name for r in revisions for name in r.changes}
            current = self._current_values(cur, article_id, names)
            if not current and names:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            try:
                state = history.state_at(current, revisions, revision_id)
            except LookupError:
                raise ArticleNotFoundError(
                    f"article {article_id} has no revision {revision_id}; see "
                    f"'article-archive history {article_id}'"
                ) from None
            self._pg_write_fields(cur, article_id, state, kind=f"restore of revision {revision_id}")
        return Changes(article_ids=frozenset({article_id}), tags=True)

    # -- backups and checks ----------------------------------------------------------------

    def backup(self, out: str | Path) -> Path:
        """A server library is backed up by its server; the app's portable copy is a bag.

        Raises:
            LibraryError: Always, saying what to use instead.
        """
        raise LibraryError(
            f"{self.display_url} is on a PostgreSQL server: back it up there (pg_dump), or "
            "export a portable copy with 'article-archive export --all --format bag --out DIR'"
        )

    def check(self) -> list[str]:
        """Check the full-text column, every original file against its SHA-256, and the links
        between articles and sources; one line per problem (none: all well)."""
        problems = self.integrity_check()
        with self._pg_read() as cur:
            cur.execute(
                "SELECT id, file_name, sha256, compression, data FROM source_file ORDER BY id"
            )
            for source_id, name, sha, compression, data in cur:
                try:
                    raw = zlib.decompress(data) if compression == "zlib" else bytes(data)
                except zlib.error:
                    problems.append(f"source file {source_id} ({name}): its bytes are damaged")
                    continue
                if hashlib.sha256(raw).hexdigest() != sha:
                    problems.append(
                        f"source file {source_id} ({name}): its bytes do not match its SHA-256"
                    )
            cur.execute(
                "SELECT a.id FROM article a LEFT JOIN source_file s ON s.id = a.source_file_id "
                "WHERE s.id IS NULL ORDER BY a.id"
            )
            for (article_id,) in cur.fetchall():
                problems.append(f"article {article_id} has no source file")
            cur.execute(
                "SELECT s.id, s.file_name FROM source_file s WHERE NOT EXISTS "
                "(SELECT 1 FROM article a WHERE a.source_file_id = s.id) ORDER BY s.id"
            )
            for source_id, name in cur.fetchall():
                problems.append(f"source file {source_id} ({name}) belongs to no article")
        return problems

    def counts(self) -> dict[str, int]:
        """Row counts (articles, trash, sources, tags, revisions, drafts) for ``check``."""
        with self._pg_read() as cur:
            cur.execute(
                "SELECT (SELECT count(*) FROM article WHERE deleted_at IS NULL), "
                "(SELECT count(*) FROM article WHERE deleted_at IS NOT NULL), "
                "(SELECT count(*) FROM source_file), (SELECT count(*) FROM tag), "
                "(SELECT count(*) FROM revision), (SELECT count(*) FROM draft)"
            )
            row = cur.fetchone()
        assert row is not None
        keys = ("articles", "trash", "source_files", "tags", "revisions", "drafts")
        return {key: int(value) for key, value in zip(keys, row, strict=True)}

    # -- drafts ----------------------------------------------------------------------------

    def save_draft(self, article_id: int, fields: Mapping[str, Any]) -> None:
        """Keep the form's unsaved values of an article (JSON form) until saved or discarded."""
        data = json.dumps(
            {name: history.jsonable(name, value) for name, value in fields.items()},
            ensure_ascii=False,
        )
        with self._pg_write() as cur:
            cur.execute(
                "INSERT INTO draft (article_id, fields, updated_at) VALUES (%s, %s::json, %s) "
                "ON CONFLICT (article_id) DO UPDATE SET fields = excluded.fields, "
                "updated_at = excluded.updated_at",
                (article_id, data, utcnow()),
            )

    def discard_draft(self, article_id: int) -> None:
        """Forget an article's draft (after saving or discarding the edits)."""
        with self._pg_write() as cur:
            cur.execute("DELETE FROM draft WHERE article_id = %s", (article_id,))

    def drafts(self) -> dict[int, dict[str, Any]]:
        """Every article's unsaved edits left from a session that did not end well."""
        with self._pg_read() as cur:
            cur.execute("SELECT article_id, fields::text FROM draft ORDER BY article_id")
            rows = cur.fetchall()
        return {int(r[0]): json.loads(r[1]) for r in rows}
