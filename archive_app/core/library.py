"""The library service: the one owner of the database and of every read and write."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from archive_app.core import history, listing, migrations
from archive_app.core.compression import CompressionError, decompress
from archive_app.core.errors import (
    ArticleNotFoundError,
    LibraryBusyError,
    LibraryConflictError,
    LibraryError,
    LibraryReadOnlyError,
    NoLibraryHereError,
    ValidationError,
)
from archive_app.core.listing import Listing, SortKey
from archive_app.core.query import QueryError, compile_query
from archive_app.core.records import (
    EDITABLE_FIELDS,
    ArticleFields,
    ArticleRecord,
    ArticleSummary,
    BatchEdit,
    BatchTarget,
    BatchUndo,
    Changes,
    FacetCount,
    Facets,
    FieldChange,
    NewArticle,
    SavedSearch,
    SearchHit,
    SourceInfo,
)
from archive_app.core.storage import is_server_url
from archive_app.core.storage.sqlite_pool import ConnectionPool, PooledConnection
from archive_app.core.validation import validate_fields
from archive_app.core.watching import ChangeWatcher, DataVersionWatcher

#: FTS5's snippet() grows faster than linearly with a document's matches; past this size a
#: search result shows the start of the body instead (measured: minutes for a 20 MB body).
SNIPPET_MAX_CHARS = 60_000
#: What SQLite says when a compiled query is beyond its limits (the query module keeps queries
#: within them; these are the last guard, e.g. for an older SQLite with smaller limits).
_QUERY_LIMIT_ERRORS = (
    "parser stack overflow",
    "Expression tree is too large",
    "too many SQL variables",
    "fts5: syntax error",
)

#: ``created_at`` and ``needs_review`` from ``article_sort``: ``article`` stores them after the
#: body, where reading them follows its overflow pages (migrations step 7).
_SUMMARY_COLUMNS = (
    "a.id, a.title, a.section_path, a.publisher, a.published_on, o.created_at, o.needs_review"
)

_ARTICLE_INSERT = """
INSERT INTO article (id, uid, title, section_path, byline, publisher, dateline, published_on,
    source_url, alternate_urls, language, photo_caption, photo_credit, body, share_section,
    publisher_note, rights, boilerplate, notes, needs_review, parse_warnings, content_hash,
    source_file_id, created_at, updated_at, deleted_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

_SOURCE_INSERT = """
INSERT INTO source_file (id, file_name, original_path, size, sha256, encoding, compression,
    data, imported_at, encoding_confidence, sidecar_name, sidecar_data)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

_FTS_INSERT = """
INSERT INTO article_fts(rowid, title, section_path, byline, photo_caption, body)
VALUES (?, ?, ?, ?, ?, ?)
"""


def utcnow() -> dt.datetime:
    """Return the current UTC time, naive (the library stores UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _db_datetime(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _parse_datetime(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    return dt.datetime.fromisoformat(value)


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(value)


def _dumps(value: Sequence[str]) -> str:
    if not value:
        return "[]"  # most lists are empty (measured: 3 json.dumps an article, 0.1 s a 10k import)
    return json.dumps(list(value), ensure_ascii=False)


def bulk_cache_kib(library_bytes: int) -> int:
    """The page cache (KiB) an import's writes get in a library file of ``library_bytes``.

    An eighth of the file, between the usual ``CACHE_KIB`` and ``BULK_CACHE_KIB``: a chunk
    dirties more pages the larger the random-order indexes are, and a small library does not
    need (nor should its import's memory grow by) the large cache.
    """
    return max(CACHE_KIB, min(BULK_CACHE_KIB, library_bytes // 8 // 1024))


def new_uid() -> str:
    """A new article uid: a UUID version 7 (RFC 9562), millisecond time first, then random.

    Ids made later sort later, so the unique index on ``uid`` grows at its end instead of
    taking each new uid at a random place: with random (version 4) uids every article of an
    import rewrote a page of that index once the library held a few hundred thousand.
    """
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    value = value & ~(0xF000 << 64) | 0x7000 << 64  # version 7
    value = value & ~(0xC << 60) | 0x8 << 60  # the RFC 4122 variant
    return str(uuid.UUID(int=value))


def _loads(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    loaded = json.loads(value)
    return tuple(str(v) for v in loaded) if isinstance(loaded, list) else ()


#: How long a write waits for another program's write to finish (seconds), unless the
#: environment variable ARCHIVE_APP_BUSY_TIMEOUT says otherwise.
DEFAULT_BUSY_WAIT = 30.0
BUSY_ENV_VAR = "ARCHIVE_APP_BUSY_TIMEOUT"
#: SQLite's own wait per attempt (ms); between attempts the library reports that it waits.
BUSY_STEP_MS = 1000
#: Below this much free space the library opens read-only (a write would fail half-way).
MIN_FREE_BYTES = 1024 * 1024
#: Page cache of a connection (KiB).
CACHE_KIB = 64 * 1024
#: Largest page cache of a writing connection during an import (``Library.bulk_import``),
#: KiB: a chunk's pages do not spill mid-transaction at 1,000,000 articles (64 MB did; 1 GB
#: measured no better than 256 MB). See :func:`bulk_cache_kib`.
BULK_CACHE_KIB = 256 * 1024
#: WAL pages between automatic checkpoints during an import (SQLite's default: 1000). Pages
#: that several chunks rewrite (random-order index pages, full-text merges) are copied into
#: the file once per checkpoint (measured at 1,000,000 articles: 30-45% fewer bytes written
#: than checkpointing after every chunk). The WAL grows to about this much (256 MB) and one
#: chunk more, and is emptied when the import ends.
BULK_AUTOCHECKPOINT = 65536
#: Bytes of pending full-text terms FTS5 keeps in memory before writing a segment (FTS5's
#: ``hashsize``; its default is 1 MB).
FTS_HASHSIZE = 64 * 1024 * 1024
#: FTS5's ``automerge`` outside imports (a new library's). During an import it is 0: each
#: chunk's segment is merged only with other new ones (FTS5's ``crisismerge``), not into the
#: index's large old segments again and again (measured: 100,000 files into a 1,000,000-article
#: library took 67.7 s instead of 103-108 s, the storing thread's CPU 38 s instead of 56-63 s).
FTS_AUTOMERGE = 8


def default_busy_wait() -> float:
    """The write wait from ARCHIVE_APP_BUSY_TIMEOUT (seconds), else ``DEFAULT_BUSY_WAIT``."""
    try:
        return max(0.0, float(os.environ.get(BUSY_ENV_VAR, DEFAULT_BUSY_WAIT)))
    except ValueError:
        return DEFAULT_BUSY_WAIT


def _read_only_reason(path: Path) -> str:
    """Why an existing library cannot be written ("" when it can)."""
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK):
        return "its folder is read-only"
    try:
        if shutil.disk_usage(path.parent).free < MIN_FREE_BYTES:
            return "the disk is full"
    except OSError:
        pass
    return ""


def _dbapi_error(exc: BaseException) -> sqlite3.DatabaseError | None:
    """The sqlite3 error ``exc`` is, if it is one."""
    return exc if isinstance(exc, sqlite3.DatabaseError) else None


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


_QUERY_ERROR_HINTS = ("fts5", "syntax error", "parser stack overflow", "no such column")


def _is_query_error(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(hint in text for hint in _QUERY_ERROR_HINTS)


def translate_error(exc: sqlite3.Error, path: Path, *, action: str) -> LibraryError:
    """Turn a SQLite error into a one-line LibraryError that says what to do."""
    text = str(exc)
    low = text.lower()
    if "disk is full" in low or "disk full" in low:
        return LibraryError(
            f"the disk holding {path} is full; nothing of the failed {action} was kept. "
            "Free some space and try again"
        )
    if "readonly" in low or "read-only" in low:
        return LibraryReadOnlyError(f"{path} cannot be written ({text}); nothing was changed")
    if _is_busy(exc):
        return LibraryBusyError(
            f"{path} is busy: another program is writing to it; try again when it has finished"
        )
    if "disk i/o error" in low:
        return LibraryError(
            f"the disk failed while {action}ing {path} ({text}); the library is unchanged. "
            "Check the disk and free space, then try again"
        )
    if "not a database" in low or "malformed" in low or "file is encrypted" in low:
        return LibraryError(
            f"{path} is damaged or not a library ({text}); restore a backup or choose another "
            "file with --library"
        )
    return LibraryError(f"cannot {action} {path}: {text}")


def normalize_tag(name: str) -> str:
    """Return a tag name trimmed, with inner white space collapsed."""
    return " ".join(name.split())


class Library:
    """An Article Archive library file.

    Opening creates the file if needed and upgrades its schema (after a backup copy). A file
    that is not a SQLite database, or that a newer version wrote, raises ``LibraryError`` and
    is left untouched. Every method is safe to call from any thread; one writer at a time.

    Args:
        path: The library file, or a ``postgresql://`` URL (then the library is a
            ``core.storage.postgres.PostgresLibrary``, with the same methods).
    """

    def __new__(cls, path: str | Path, *args: Any, **kwargs: Any) -> Library:
        if cls is Library and is_server_url(path):
            from archive_app.core.storage.postgres import PostgresLibrary

            cls = PostgresLibrary
        return super().__new__(cls)

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        busy_wait: float | None = None,
    ) -> None:
        self.path = Path(path)
        #: Why the library is open read-only ("" when it is writable).
        self.read_only_reason = ""
        #: What opening found that a person should know (e.g. duplicates kept by an upgrade).
        self.notes: tuple[str, ...] = ()
        #: Called with the seconds waited so far while another program holds the write lock.
        self.on_busy: Callable[[float], None] | None = None
        self.busy_wait = default_busy_wait() if busy_wait is None else busy_wait
        self._bulk_depth = 0
        migrations.check_library_file(self.path)
        exists = self.path.exists() and self.path.stat().st_size > 0
        if not exists and not create:
            raise NoLibraryHereError(
                f"there is no library at {self.path}; import articles into it first "
                f"('article-archive import PATH') or choose another with --library"
            )
        if exists:
            self.read_only_reason = _read_only_reason(self.path)
        if not self.read_only_reason:
            if not exists:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise LibraryError(
                        f"cannot create the folder for {self.path}: {exc.strerror}"
                    ) from exc
            self._prepare_file()
        else:
            self._check_read_only_schema()
        self._pool = self._create_pool()
        # A library its user never closed closes its connections when it is collected
        # (Python 3.13 warns of a sqlite3 connection collected open).
        weakref.finalize(self, self._pool.dispose)

    # -- opening ---------------------------------------------------------------------------

    @property
    def location(self) -> str:
        """Where the library is, fit to show: its file, or its URL without a password."""
        return str(self.path)

    @property
    def file(self) -> Path | None:
        """The library file, or ``None`` for a library on a server (which has no ``path``)."""
        return self.path

    @property
    def read_only(self) -> bool:
        """Whether the library is open for reading only (read-only file or folder, full disk)."""
        return bool(self.read_only_reason)

    def _prepare_file(self) -> None:
        try:
            raw = sqlite3.connect(self.path, isolation_level=None, timeout=self.busy_wait)
        except sqlite3.Error as exc:
            raise LibraryError(f"cannot open {self.path}: {exc}") from exc
        try:
            migrations.register_functions(raw)
            version = migrations.read_user_version(raw)
            migrations.check_not_newer(self.path, version)
            if version < migrations.SCHEMA_VERSION:
                migrations.upgrade(raw, self.path)
                self.notes = tuple(migrations.UPGRADE_NOTES)
            if version == 0:
                # A new library: WAL lets the window read while an import writes.
                raw.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:
            raise translate_error(exc, self.path, action="open") from exc
        finally:
            raw.close()

    def _read_only_uri(self) -> str:
        # A WAL library needs its shared-memory file; in a read-only folder it cannot be made,
        # so the file is opened as immutable (nobody can write there either).
        immutable = "&immutable=1" if not os.access(self.path.parent, os.W_OK) else ""
        return f"file:{quote(str(self.path))}?mode=ro{immutable}"

    def _check_read_only_schema(self) -> None:
        uri = self._read_only_uri()
        try:
            raw = sqlite3.connect(uri, uri=True)
            try:
                version = migrations.read_user_version(raw)
            finally:
                raw.close()
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path, action="open") from exc
        migrations.check_not_newer(self.path, version)
        if version < migrations.SCHEMA_VERSION:
            raise LibraryError(
                f"{self.path} is from an older version and is {self.read_only_reason}, so it "
                "cannot be upgraded; open it once where it can be written"
            )

    def _create_pool(self) -> ConnectionPool:
        if self.read_only:
            # Read-only: never create a journal, WAL or shared-memory file beside the library.
            target, uri = self._read_only_uri(), True
        else:
            target, uri = str(self.path), False

        def connect() -> sqlite3.Connection:
            # isolation_level None: we emit BEGIN ourselves (pysqlite's implicit transactions
            # are wrong for DDL); any thread may use it, one at a time (the pool lends it).
            conn = sqlite3.connect(
                target,
                uri=uri,
                isolation_level=None,
                check_same_thread=False,
                timeout=BUSY_STEP_MS / 1000,
            )
            try:
                migrations.register_functions(conn)  # the sort-key triggers call them
                conn.execute("PRAGMA foreign_keys=ON")
                # Short waits inside SQLite; a writer waits longer in _begin_write, saying so.
                conn.execute(f"PRAGMA busy_timeout={BUSY_STEP_MS}")
                conn.execute("PRAGMA synchronous=NORMAL")
                # 64 MB page cache: an import chunk (rows, source bytes, FTS pages) fits
                # without spilling mid-transaction (measured: 10k files stored in 5.4 s
                # instead of 7.2 s).
                conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            except BaseException:
                conn.close()
                raise
            return conn

        return ConnectionPool(connect)

    def optimize(self, *, analyze: bool = False, changed: int | None = None) -> None:
        """Keep the query planner's statistics current (after imports, or in the background).

        Measured on 100k articles: without statistics a date filter walks the newest-first
        index (110 ms); with them it seeks the date index (20 ms). A sampled ANALYZE costs
        about 80 ms there (1.4-2.2 s of CPU at 1,000,000). Opening never calls this (opening
        never writes); a read-only library is left as it is.

        Args:
            analyze: Re-sample now (after an import); otherwise only when none exist.
            changed: How many articles the import added: with ``analyze``, re-sample only
                when they are a tenth or more of the articles the statistics counted (the
                shares they describe hardly move otherwise; PostgreSQL's autovacuum uses the
                same tenth).
        """
        if self.read_only:
            return
        with self._write() as cursor:
            cursor.execute("PRAGMA analysis_limit=1000")
            has_stats = cursor.execute(
                "SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'"
            ).fetchone()
            counted = 0
            if has_stats:
                row = cursor.execute(
                    "SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = 'article'"
                ).fetchone()
                counted = int(row[0] or 0)
            if analyze and changed is not None and counted and changed * 10 < counted:
                analyze = False
            if analyze or not counted:
                cursor.execute("ANALYZE")

    @property
    def needs_statistics(self) -> bool:
        """Whether the planner has no statistics yet (the window then runs ``optimize``)."""
        with self._read() as cur:
            return not (
                cur.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'").fetchone()
                and cur.execute(
                    "SELECT 1 FROM sqlite_stat1 WHERE tbl = 'article' LIMIT 1"
                ).fetchone()
            )

    def close(self) -> None:
        """Release the database connections."""
        self._pool.dispose()

    def watch_changes(self) -> ChangeWatcher:
        """A watcher that says when the library was written since it last looked (another
        window, the command line; on SQLite this program's own writes too)."""
        if self.read_only:
            return DataVersionWatcher(self._read_only_uri(), uri=True)
        return DataVersionWatcher(str(self.path))

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Cursor]:
        try:
            with self._pool.connection() as conn:
                cursor = self._cursor(conn)
                try:
                    cursor.execute("BEGIN DEFERRED")
                    yield cursor
                    cursor.execute("COMMIT")
                finally:
                    cursor.close()  # an open transaction is rolled back by the pool
        except sqlite3.DatabaseError as exc:
            orig = _dbapi_error(exc)
            if orig is None or isinstance(orig, sqlite3.IntegrityError) or _is_query_error(orig):
                raise
            raise translate_error(orig, self.path, action="read") from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction: the write lock first (waiting while another program writes),
        then the work, then COMMIT; any failure rolls back and becomes a one-line LibraryError.
        """
        if self.read_only:
            raise LibraryReadOnlyError(
                f"{self.path} is open read-only ({self.read_only_reason}); nothing was changed"
            )
        with self._pool.connection() as conn:
            cursor = self._cursor(conn)
            try:
                self._apply_write_settings(conn, cursor)
                self._begin_write(cursor)
                try:
                    check = not self._bulk_depth and not conn.info.get("automerge_checked")
                    if check:
                        # An import that was killed left FTS5 without its merges: back on.
                        self._set_automerge(cursor, FTS_AUTOMERGE)
                    yield cursor
                    cursor.execute("COMMIT")
                    if check:
                        conn.info["automerge_checked"] = True
                except BaseException:
                    if cursor.connection.in_transaction:
                        cursor.execute("ROLLBACK")
                    raise
            except sqlite3.DatabaseError as exc:
                orig = _dbapi_error(exc)
                if (
                    orig is None
                    or isinstance(orig, sqlite3.IntegrityError)
                    or _is_query_error(orig)
                ):
                    raise
                raise translate_error(orig, self.path, action="write") from exc
            finally:
                cursor.close()

    @contextmanager
    def bulk_import(self) -> Iterator[None]:
        """Write settings for a long run of large transactions (an import), then the usual ones.

        While it lasts, a writing connection keeps a larger page cache in a large library and
        checkpoints the WAL less often (``bulk_cache_kib``, ``BULK_AUTOCHECKPOINT``); at the end
        the WAL is checkpointed and emptied. Nesting is allowed. What is stored is the same.
        """
        self._bulk_depth += 1
        try:
            yield
        finally:
            self._bulk_depth -= 1
            if not self._bulk_depth and not self.read_only:
                self._end_bulk_import()

    def _apply_write_settings(self, conn: PooledConnection, cursor: sqlite3.Cursor) -> None:
        """Give a connection about to write the bulk or the usual settings (once per change)."""
        bulk = self._bulk_depth > 0
        cache = CACHE_KIB
        if bulk:
            with contextlib.suppress(OSError):
                cache = bulk_cache_kib(self.path.stat().st_size)  # the library grows
        if conn.info.get("write_settings", (False, CACHE_KIB)) == (bulk, cache):
            return
        cursor.execute(f"PRAGMA cache_size=-{cache}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={BULK_AUTOCHECKPOINT if bulk else 1000}")
        conn.info["write_settings"] = (bulk, cache)

    def _end_bulk_import(self) -> None:
        # New segments are merged again as the library is written to (if this fails, the
        # next write of a connection sets it: see _write).
        with contextlib.suppress(LibraryError), self._write() as cur:
            self._set_automerge(cur, FTS_AUTOMERGE)
        try:
            with self._pool.connection() as conn:
                cursor = self._cursor(conn)
                try:
                    self._apply_write_settings(conn, cursor)
                    # The WAL was allowed to grow: move it into the file and empty it now
                    # (waiting at most BUSY_STEP_MS for readers; if one is still reading, the
                    # usual checkpoints take over).
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    cursor.close()
        except sqlite3.DatabaseError:
            pass  # only housekeeping: every chunk is committed already

    def _begin_write(self, cursor: sqlite3.Cursor) -> None:
        """Take the write lock, waiting up to ``busy_wait`` seconds and reporting the wait."""
        start = time.monotonic()
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                waited = time.monotonic() - start
                if waited >= self.busy_wait:
                    raise LibraryBusyError(
                        f"{self.path} is busy: another program has been writing to it for "
                        f"{waited:.0f} s; nothing was changed. Try again when it has finished "
                        f"(or close the other window or command)"
                    ) from exc
                if self.on_busy is not None:
                    self.on_busy(waited)

    @staticmethod
    def _cursor(conn: PooledConnection) -> sqlite3.Cursor:
        return conn.dbapi.cursor()

    @property
    def schema_version(self) -> int:
        """The schema version of the open library."""
        with self._read() as cur:
            return int(cur.execute("PRAGMA user_version").fetchone()[0])

    def integrity_check(self) -> list[str]:
        """Run SQLite's and the full-text index's integrity checks; return the problems."""
        problems: list[str] = []
        with self._read() as cur:
            rows = [r[0] for r in cur.execute("PRAGMA integrity_check").fetchall()]
            if rows != ["ok"]:
                problems.extend(rows)
            try:
                cur.execute(
                    "INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)"
                )
            except sqlite3.DatabaseError as exc:
                problems.append(f"full-text index: {exc}")
        return problems

    # -- reading ---------------------------------------------------------------------------

    def count(self, *, trash: bool = False) -> int:
        """Return how many articles there are (in the library, or in the trash)."""
        where = "deleted_at IS NOT NULL" if trash else "deleted_at IS NULL"
        with self._read() as cur:
            return int(cur.execute(f"SELECT count(*) FROM article WHERE {where}").fetchone()[0])

    def get_article(self, article_id: int) -> ArticleRecord:
        """Return one article with its tags and source-file information.

        Raises:
            ArticleNotFoundError: No article has that id.
        """
        with self._read() as cur:
            cur.row_factory = sqlite3.Row
            row = cur.execute(
                """
                SELECT a.*, s.file_name, s.sha256, s.encoding, s.size, s.original_path,
                       s.imported_at, s.encoding_confidence, s.sidecar_name
                FROM article a LEFT JOIN source_file s ON s.id = a.source_file_id
                WHERE a.id = ?
                """,
                (article_id,),
            ).fetchone()
            if row is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            tags = tuple(
                r[0]
                for r in cur.execute(
                    "SELECT t.name FROM tag t JOIN article_tag at ON at.tag_id = t.id "
                    "WHERE at.article_id = ? ORDER BY t.name COLLATE NOCASE",
                    (article_id,),
                ).fetchall()
            )
        source = None
        if row["file_name"] is not None:
            imported_at = _parse_datetime(row["imported_at"])
            assert imported_at is not None
            source = SourceInfo(
                file_name=row["file_name"],
                sha256=row["sha256"],
                encoding=row["encoding"],
                size=row["size"],
                original_path=row["original_path"],
                imported_at=imported_at,
                encoding_confidence=float(row["encoding_confidence"]),
                sidecar_name=row["sidecar_name"],
            )
        return ArticleRecord(
            id=row["id"],
            uid=row["uid"],
            title=row["title"],
            section_path=_loads(row["section_path"]),
            byline=row["byline"],
            publisher=row["publisher"],
            dateline=row["dateline"],
            published_on=_parse_date(row["published_on"]),
            source_url=row["source_url"],
            alternate_urls=_loads(row["alternate_urls"]),
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
            parse_warnings=_loads(row["parse_warnings"]),
            created_at=_parse_datetime(row["created_at"]),
            updated_at=_parse_datetime(row["updated_at"]),
            deleted_at=_parse_datetime(row["deleted_at"]),
            source=source,
            version=row["version"],
            content_hash=row["content_hash"],
        )

    def source_bytes(self, article_id: int) -> bytes:
        """Return the exact bytes of the file an article was imported from.

        Raises:
            ArticleNotFoundError: No article with that id, or it has no source file.
        """
        with self._read() as cur:
            row = cur.execute(
                "SELECT s.data, s.compression FROM article a JOIN source_file s "
                "ON s.id = a.source_file_id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
        if row is None:
            raise ArticleNotFoundError(f"no source file for article {article_id}")
        data, compression = row
        return decompress(data, compression)

    @staticmethod
    def _summary(row: Sequence[Any]) -> ArticleSummary:
        created = _parse_datetime(row[5])
        assert created is not None
        return ArticleSummary(
            id=row[0],
            title=row[1],
            section_path=_loads(row[2]),
            publisher=row[3],
            published_on=_parse_date(row[4]),
            created_at=created,
            needs_review=bool(row[6]),
        )

    @staticmethod
    @contextmanager
    def _query_errors() -> Iterator[None]:
        """Turn SQLite's refusal of a query too complex for it into a one-line ``QueryError``."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if not any(m in str(exc) for m in _QUERY_LIMIT_ERRORS):
                raise
            reason = " ".join(str(exc).split())
            raise QueryError(
                f"the query is too complex for the database ({reason}); simplify it"
            ) from None

    def article_ids(
        self,
        query: str | None = None,
        *,
        sort: SortKey = "id",
        descending: bool = False,
        trash: bool = False,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[int]:
        """Return the ids of the matching articles in table order (sorting is done in SQL).

        ``sort="rank"`` orders by relevance when the query has free words (newest first when
        it has none, or when a word is too common to rank: ``listing.RANK_LIMIT``). With
        ``limit``, only the first ids: the same order, so they start the full list.
        ``cancelled`` is asked every so often while SQLite works; when it says yes, the query
        stops and nothing (``[]``) is returned.

        Raises:
            QueryError: The query cannot be understood (a one-line explanation).
        """
        wanted = Listing(query, sort, descending, trash)
        compile_query(query, trash=trash)  # a QueryError before any connection is taken
        try:
            with self._query_errors(), self._read() as cur:
                if cancelled is None:
                    return listing.list_ids(cur, wanted, limit=limit)
                cur.connection.set_progress_handler(
                    lambda: int(cancelled()), listing.CANCEL_CHECK_STEPS
                )
                try:
                    return listing.list_ids(cur, wanted, limit=limit)
                finally:
                    cur.connection.set_progress_handler(None, 0)
        except LibraryError:
            if cancelled is not None and cancelled():
                return []  # interrupted on purpose
            raise

    def size_hint(self) -> int:
        """An upper bound of the number of articles, in microseconds at any size (``max(id)``).

        Enough to choose between answering now and answering in the background.
        """
        with self._read() as cur:
            return int(cur.execute("SELECT coalesce(max(id), 0) FROM article").fetchone()[0])

    def summaries(self, ids: Sequence[int]) -> dict[int, ArticleSummary]:
        """Return the summaries of the given articles, keyed by id (missing ids are absent)."""
        out: dict[int, ArticleSummary] = {}
        with self._read() as cur:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                for row in cur.execute(
                    f"SELECT {_SUMMARY_COLUMNS} FROM article a "
                    f"JOIN article_sort o ON o.article_id = a.id WHERE a.id IN ({marks})",
                    chunk,
                ):
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
        wanted = Listing(query, sort, descending, trash)
        with self._query_errors(), self._read() as cur:
            sql, params = listing.select_sql(cur, _SUMMARY_COLUMNS, wanted)
            sql += " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else limit, offset]
            return [self._summary(row) for row in cur.execute(sql, params).fetchall()]

    def search(self, query: str, *, limit: int | None = 50) -> list[SearchHit]:
        """Return the best matches for a query (bm25 ranking) with snippets.

        Raises:
            QueryError: The query cannot be understood.
        """
        snippet = (
            f"CASE WHEN length(a.body) <= {SNIPPET_MAX_CHARS} "
            "THEN snippet(article_fts, -1, '[', ']', '…', 12) "
            "ELSE substr(a.body, 1, 120) || '…' END"
        )
        compiled = compile_query(query)
        columns = f"{_SUMMARY_COLUMNS}, " + (snippet if compiled.match else "''")
        with self._query_errors(), self._read() as cur:
            sql, params = listing.select_sql(cur, columns, Listing(query, "rank"), compiled)
            sql += " LIMIT ?"
            params.append(-1 if limit is None else limit)
            rows = cur.execute(sql, params).fetchall()
        hits = []
        for row in rows:
            s = self._summary(row)
            hits.append(SearchHit(**{**s.__dict__, "snippet": row[7]}))
        return hits

    def snippet(self, article_id: int, query: str) -> str:
        """Return the matching words of one article in context, ``[marked]`` ("" if none)."""
        try:
            compiled = compile_query(query)
        except QueryError:
            return ""
        if compiled.match is None:
            return ""
        with self._read() as cur:
            row = cur.execute(
                "SELECT CASE WHEN length(a.body) <= ? "
                "THEN snippet(article_fts, -1, '[', ']', '…', 16) ELSE '' END "
                "FROM article_fts JOIN article a ON a.id = article_fts.rowid "
                "WHERE article_fts MATCH ? AND article_fts.rowid = ?",
                (SNIPPET_MAX_CHARS, compiled.match, article_id),
            ).fetchone()
        return str(row[0]) if row else ""

    def existing_ids_by_hash(self, hashes: Iterable[str]) -> dict[str, int]:
        """Return ``{content_hash: article id}`` for the hashes already in the library."""
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, int] = {}
        with self._read() as cur:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for content_hash, article_id in cur.execute(
                    f"SELECT content_hash, min(id) FROM article WHERE content_hash IN ({marks}) "
                    "GROUP BY content_hash",
                    chunk,
                ):
                    found[content_hash] = article_id
        return found

    def all_tags(self) -> list[str]:
        """Return every tag name, sorted."""
        with self._read() as cur:
            return [r[0] for r in cur.execute("SELECT name FROM tag ORDER BY name COLLATE NOCASE")]

    # -- writing ---------------------------------------------------------------------------

    def add_articles(self, items: Sequence[NewArticle]) -> list[int]:
        """Store parsed articles and their source files in one transaction; return the new ids.

        Raises:
            sqlite3.IntegrityError: One of them is already in the library (use
                ``add_new_articles`` to skip duplicates instead).
        """
        if not items:
            return []
        with self._write() as cur:
            return self._insert_articles(cur, items)

    def learned_state(self, name: str) -> str | None:
        """What the library learned under ``name`` (JSON text), or ``None``."""
        with self._read() as cur:
            row = cur.execute("SELECT state FROM learned_state WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def learned_states(self, names: Sequence[str]) -> dict[str, str]:
        """The learned rows among ``names`` that exist: name -> JSON text."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(names))
        with self._read() as cur:
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                found.update(
                    (str(name), str(state))
                    for name, state in cur.execute(
                        f"SELECT name, state FROM learned_state WHERE name IN ({marks})", chunk
                    )
                )
        return found

    def learned_state_names(self, prefix: str) -> list[str]:
        """The names of the learned rows that start with ``prefix``, sorted (the texts are
        not read)."""
        with self._read() as cur:
            return [
                str(row[0])
                for row in cur.execute(
                    "SELECT name FROM learned_state WHERE substr(name, 1, ?) = ? ORDER BY name",
                    (len(prefix), prefix),
                )
            ]

    def save_learned_state(self, name: str, state: str) -> None:
        """Keep what the library learned under ``name``."""
        with self._write() as cur:
            self._save_learned(cur, {name: state})

    def save_learned_states(self, states: Mapping[str, str]) -> None:
        """Keep what the library learned under each name of ``states``, in one transaction."""
        if states:
            with self._write() as cur:
                self._save_learned(cur, states)

    def split_learned_state(
        self,
        name: str,
        split: Callable[[str, Callable[[Sequence[str]], dict[str, str]]], Mapping[str, str] | None],
    ) -> bool:
        """Replace the learned row ``name`` by the rows ``split`` makes of it, in one write
        transaction (the row and the ones it becomes are never both missing).

        ``split`` gets the row's text and a reader of other rows (names -> texts, to merge
        with), and returns the new rows, or ``None`` to leave everything as it is. Returns
        whether the row was replaced (``False`` also when there is none).
        """
        with self._write() as cur:
            row = cur.execute("SELECT state FROM learned_state WHERE name = ?", (name,)).fetchone()
            if row is None:
                return False

            def read(names: Sequence[str]) -> dict[str, str]:
                found: dict[str, str] = {}
                for start in range(0, len(names), 500):
                    chunk = list(names[start : start + 500])
                    marks = ", ".join("?" * len(chunk))
                    found.update(
                        cur.execute(
                            f"SELECT name, state FROM learned_state WHERE name IN ({marks})",
                            chunk,
                        ).fetchall()
                    )
                return found

            rows = split(str(row[0]), read)
            if rows is None:
                return False
            self._save_learned(cur, rows)
            if name not in rows:
                cur.execute("DELETE FROM learned_state WHERE name = ?", (name,))
        return True

    @staticmethod
    def _save_learned(cur: sqlite3.Cursor, states: Mapping[str, str]) -> None:
        now = _db_datetime(utcnow())
        cur.executemany(
            "INSERT INTO learned_state (name, state, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET state = excluded.state, "
            "updated_at = excluded.updated_at",
            [(name, state, now) for name, state in states.items()],
        )

    def replace_parsed_fields(
        self,
        changes: Mapping[int, Mapping[str, Any]],
        *,
        sources: Mapping[int, tuple[str, float]] | None = None,
        kind: str = "re-parse",
    ) -> Changes:
        """Store what a re-parse (or learned boilerplate) gives, in one transaction.

        Args:
            changes: ``{article id: {field: value}}`` for fields of ``ArticleFields`` (and
                ``parse_warnings``); the archivist's notes and tags are not touched unless
                named.
            sources: ``{article id: (encoding, confidence)}`` when the text was re-decoded.
        """
        if not changes and not sources:
            return Changes()
        with self._write() as cur:
            for article_id, values in changes.items():
                self._write_fields(cur, article_id, values, kind=kind)
            for article_id, (encoding, confidence) in (sources or {}).items():
                cur.execute(
                    "UPDATE source_file SET encoding = ?, encoding_confidence = ? WHERE id = "
                    "(SELECT source_file_id FROM article WHERE id = ?)",
                    (encoding, confidence, article_id),
                )
        return Changes(article_ids=frozenset({*changes, *(sources or {})}))

    def source_sidecar(self, article_id: int) -> tuple[str, bytes] | None:
        """The JSON sidecar stored with an article's source file: its name and bytes."""
        with self._read() as cur:
            row = cur.execute(
                "SELECT s.sidecar_name, s.sidecar_data, s.compression FROM article a "
                "JOIN source_file s ON s.id = a.source_file_id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
        if row is None or row[1] is None:
            return None
        return str(row[0]), decompress(row[1], row[2])

    def add_new_articles(
        self, items: Sequence[NewArticle], *, learned: Mapping[str, str] | None = None
    ) -> list[tuple[int, bool]]:
        """Store the articles not yet in the library; return ``(id, is_new)`` for each item.

        ``learned``: learned rows (name -> JSON text) to keep in the same transaction, so
        what was learned from the articles lands with them.

        The duplicate check and the inserts run in one write transaction, so two imports of
        the same files at once (two windows, a window and a command line) store each article
        once; the unique index on the normalised-text hash guarantees it. An item whose text
        is already stored, or repeats an earlier item, gets that article's id and ``False``;
        so does an item whose ``uid`` is already stored (an exported article coming back).
        """
        if not items:
            return []
        with self._write() as cur:
            existing = self._ids_by_hash(cur, [item.content_hash for item in items])
            by_uid = self._ids_by_uid(cur, [item.uid for item in items if item.uid])
            fresh: list[NewArticle] = []
            # Per item: an existing article's id, or the index of the fresh item it stores as.
            plan: list[tuple[int | None, int]] = []
            first_of: dict[str, int] = {}
            first_uid: dict[str, int] = {}
            for item in items:
                if item.uid in by_uid:  # "" is never a key: uids are set only on re-imports
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
            new_ids = self._insert_articles(cur, fresh) if fresh else []
            if learned:
                self._save_learned(cur, learned)  # what was learned lands with the articles
        result: list[tuple[int, bool]] = []
        claimed: set[int] = set()
        for existing_id, index in plan:
            if existing_id is not None:
                result.append((existing_id, False))
            else:
                result.append((new_ids[index], index not in claimed))
                claimed.add(index)
        return result

    @staticmethod
    def _ids_by_uid(cur: sqlite3.Cursor, uids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        unique = list(dict.fromkeys(uids))
        for start in range(0, len(unique), 500):
            part = unique[start : start + 500]
            marks = ",".join("?" * len(part))
            found.update(
                cur.execute(f"SELECT uid, id FROM article WHERE uid IN ({marks})", part).fetchall()
            )
        return found

    @staticmethod
    def _ids_by_hash(cur: sqlite3.Cursor, hashes: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), 500):
            part = unique[start : start + 500]
            marks = ",".join("?" * len(part))
            found.update(
                cur.execute(
                    f"SELECT content_hash, id FROM article WHERE content_hash IN ({marks})", part
                ).fetchall()
            )
        return found

    def _tune_fts(self, cur: sqlite3.Cursor) -> None:
        """Let the full-text index hold a whole import chunk in memory before writing it.

        FTS5 writes its pending terms out as a new segment whenever they pass ``hashsize``
        (1 MB by default, about 250 articles), and merges those segments again and again as
        the index grows. With ``FTS_HASHSIZE`` a chunk becomes one segment (measured: storing
        10,000 articles in chunks of 2,000 took a fifth less CPU). The setting is kept in the
        index's own config table (this runs in the chunk's write transaction).
        """
        row = cur.execute("SELECT v FROM article_fts_config WHERE k = 'hashsize'").fetchone()
        if row is None or row[0] != FTS_HASHSIZE:
            cur.execute(
                "INSERT INTO article_fts(article_fts, rank) VALUES ('hashsize', ?)",
                (FTS_HASHSIZE,),
            )
        if self._bulk_depth:
            self._set_automerge(cur, 0)

    @staticmethod
    def _set_automerge(cur: sqlite3.Cursor, value: int) -> None:
        """Set FTS5's ``automerge`` (kept in the index's config table) unless it is ``value``."""
        row = cur.execute("SELECT v FROM article_fts_config WHERE k = 'automerge'").fetchone()
        if (row[0] if row is not None else FTS_AUTOMERGE) != value:
            cur.execute(
                "INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', ?)", (value,)
            )

    def _insert_articles(self, cur: sqlite3.Cursor, items: Sequence[NewArticle]) -> list[int]:
        """Insert articles and sources in the open transaction.

        The full-text index is filled directly for the batch (the per-row insert trigger is
        dropped and re-created inside the same transaction, so a crash leaves it in place).
        Each table gets one statement for the whole batch with the ids given: nobody else
        inserts during this write transaction, and they are the ids SQLite would pick
        (``max(id) + 1`` on).
        """
        now = _db_datetime(utcnow())
        self._tune_fts(cur)
        cur.execute(f"DROP TRIGGER IF EXISTS {migrations.FTS_INSERT_TRIGGER}")
        first_source = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM source_file").fetchone()
        first_article = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM article").fetchone()
        source_ids = range(first_source[0], first_source[0] + len(items))
        ids = list(range(first_article[0], first_article[0] + len(items)))
        sources: list[tuple[Any, ...]] = []
        articles: list[tuple[Any, ...]] = []
        fts_rows: list[tuple[Any, ...]] = []
        for item, source_id, article_id in zip(items, source_ids, ids, strict=True):
            f = item.fields
            created = _db_datetime(item.created_at) if item.created_at else now
            sources.append(
                (
                    source_id,
                    item.file_name,
                    item.original_path,
                    item.size,
                    item.sha256,
                    item.encoding,
                    item.compression,
                    item.compressed_data,
                    _db_datetime(item.imported_at) if item.imported_at else now,
                    item.encoding_confidence,
                    item.sidecar_name,
                    item.sidecar_data or None,
                )
            )
            section_json = _dumps(f.section_path)
            articles.append(
                (
                    article_id,
                    item.uid or new_uid(),
                    f.title,
                    section_json,
                    f.byline,
                    f.publisher,
                    f.dateline,
                    f.published_on.isoformat() if f.published_on else None,
                    f.source_url,
                    _dumps(f.alternate_urls),
                    f.language,
                    f.photo_caption,
                    f.photo_credit,
                    f.body,
                    f.share_section,
                    f.publisher_note,
                    f.rights,
                    f.boilerplate,
                    f.notes,
                    int(f.needs_review),
                    _dumps(item.parse_warnings),
                    item.content_hash,
                    source_id,
                    created,
                    _db_datetime(item.updated_at) if item.updated_at else created,
                    _db_datetime(item.deleted_at) if item.deleted_at else None,
                )
            )
            fts_rows.append((article_id, f.title, section_json, f.byline, f.photo_caption, f.body))
        cur.executemany(_SOURCE_INSERT, sources)
        cur.executemany(_ARTICLE_INSERT, articles)
        for item, article_id in zip(items, ids, strict=True):
            for revision in item.revisions:  # kept as they were (a re-import of an export)
                cur.execute(
                    "INSERT INTO revision (article_id, created_at, user, kind, changes) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        article_id,
                        _db_datetime(revision.created_at),
                        revision.user,
                        revision.kind,
                        json.dumps(
                            {k: list(v) for k, v in revision.changes.items()}, ensure_ascii=False
                        ),
                    ),
                )
            if item.fields.tags:
                self._set_tags(cur, article_id, item.fields.tags)
        cur.executemany(_FTS_INSERT, fts_rows)
        cur.execute(migrations.FTS_INSERT_TRIGGER_SQL)
        return ids

    def update_article(
        self,
        article_id: int,
        fields: ArticleFields,
        *,
        kind: str = "edit",
        expected_version: int | None = None,
    ) -> Changes:
        """Replace an article's editable fields (and tags) with ``fields``; keep a revision.

        Args:
            expected_version: The version the edits were made on (``ArticleRecord.version``
                as the editor loaded it); ``None`` saves over whatever is stored.

        Raises:
            ValidationError: A field is not acceptable (e.g. an empty title).
            ArticleNotFoundError: No article has that id.
            LibraryConflictError: Another version was stored since ``expected_version``;
                nothing was written (the error carries both versions).
        """
        errors = validate_fields(fields)
        if errors:
            raise ValidationError(errors)
        values = {name: getattr(fields, name) for name in EDITABLE_FIELDS}
        with self._write() as cur:
            row = cur.execute("SELECT version FROM article WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            stale = expected_version is not None and row[0] != expected_version
            if not stale:
                self._write_fields(cur, article_id, values, kind=kind)
        if stale:
            assert expected_version is not None
            raise conflict_error(self, article_id, fields, expected_version)
        return Changes(article_ids=frozenset({article_id}), tags=True)

    def update_fields(
        self,
        article_id: int,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
    ) -> Changes:
        """Change some editable fields of an article, keeping the others.

        Raises:
            LibraryConflictError: ``expected_version`` is given and another version was
                stored since (see ``update_article``).
        """
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        current = self.get_article(article_id).editable()
        merged = ArticleFields(**{**current.__dict__, **changes})
        return self.update_article(article_id, merged, expected_version=expected_version)

    def _set_tags(self, cur: sqlite3.Cursor, article_id: int, tags: Iterable[str]) -> None:
        names = list(dict.fromkeys(n for n in (normalize_tag(t) for t in tags) if n))
        cur.execute("DELETE FROM article_tag WHERE article_id = ?", (article_id,))
        for name in names:
            cur.execute("INSERT OR IGNORE INTO tag(name) VALUES (?)", (name,))
            cur.execute(
                "INSERT OR IGNORE INTO article_tag(article_id, tag_id) "
                "SELECT ?, id FROM tag WHERE name = ?",
                (article_id, name),
            )

    def trash(self, ids: Iterable[int]) -> Changes:
        """Move articles to the trash (they can be restored)."""
        return self._set_deleted(ids, utcnow())

    def restore(self, ids: Iterable[int]) -> Changes:
        """Bring articles back from the trash."""
        return self._set_deleted(ids, None)

    def _set_deleted(self, ids: Iterable[int], when: dt.datetime | None) -> Changes:
        id_list = list(ids)
        stamp = _db_datetime(when) if when else None
        with self._write() as cur:
            cur.executemany(
                "UPDATE article SET deleted_at = ? WHERE id = ?", [(stamp, i) for i in id_list]
            )
        return Changes(article_ids=frozenset(id_list), removed=when is not None, added=when is None)

    def purge(self, ids: Iterable[int]) -> Changes:
        """Delete articles for good, with their source files (those no other article uses).

        In statements of 500 ids, not one id at a time (measured: 1,000 articles in about a
        tenth of the time); the full-text index's delete trigger still runs per row.
        """
        id_list = list(dict.fromkeys(ids))
        with self._write() as cur:
            for start in range(0, len(id_list), 500):
                chunk = id_list[start : start + 500]
                marks = ",".join("?" * len(chunk))
                sources = [
                    r[0]
                    for r in cur.execute(
                        f"SELECT DISTINCT source_file_id FROM article WHERE id IN ({marks}) "
                        "AND source_file_id IS NOT NULL",
                        chunk,
                    )
                ]
                cur.execute(f"DELETE FROM article WHERE id IN ({marks})", chunk)
                if sources:
                    source_marks = ",".join("?" * len(sources))
                    cur.execute(
                        f"DELETE FROM source_file WHERE id IN ({source_marks}) AND NOT EXISTS "
                        "(SELECT 1 FROM article WHERE source_file_id = source_file.id)",
                        sources,
                    )
        return Changes(article_ids=frozenset(id_list), removed=True)

    # -- sidebar, saved searches, batch edit ----------------------------------------------

    def facets(self, *, trash: bool = False) -> Facets:
        """Return the sidebar's sections tree, publishers and tags with counts (SQL aggregates).

        Section counts include every article filed under the section or below it. With
        ``trash`` the sections, publishers and tags count the trash (the sidebar in the trash
        view); ``total``, ``review`` and ``trash`` always count the library and the trash.
        """
        listed = "deleted_at IS NOT NULL" if trash else "deleted_at IS NULL"
        with self._read() as cur:
            sections: dict[tuple[str, ...], int] = {}
            for path_json, count in cur.execute(
                f"SELECT section_path, count(*) FROM article WHERE {listed} GROUP BY section_path"
            ):
                path = _loads(path_json)
                for depth in range(1, len(path) + 1):
                    sections[path[:depth]] = sections.get(path[:depth], 0) + count
            publishers = cur.execute(
                f"SELECT publisher, count(*) FROM article WHERE {listed} "
                "AND publisher != '' GROUP BY publisher COLLATE NOCASE "
                "ORDER BY count(*) DESC, publisher COLLATE NOCASE"
            ).fetchall()
            tags = cur.execute(
                "SELECT t.name, count(a.id) FROM tag t JOIN article_tag at ON at.tag_id = t.id "
                f"JOIN article a ON a.id = at.article_id AND a.{listed} "
                "GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
            ).fetchall()
            # Three indexed counts: a sum() over the table would read every article's body.
            total, review, trashed = (
                cur.execute(f"SELECT count(*) FROM article WHERE {where}").fetchone()[0]
                for where in (
                    "deleted_at IS NULL",
                    "deleted_at IS NULL AND needs_review = 1",
                    "deleted_at IS NOT NULL",
                )
            )
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
        with self._read() as cur:
            return [
                SavedSearch(*row)
                for row in cur.execute(
                    "SELECT id, name, query FROM saved_search ORDER BY name COLLATE NOCASE"
                )
            ]

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
        with self._write() as cur:
            clash = cur.execute(
                "SELECT id FROM saved_search WHERE name = ? AND id IS NOT ?", (name, search_id)
            ).fetchone()
            if clash:
                raise ValidationError({"name": f"A saved search is already called {name!r}."})
            if search_id is None:
                cur.execute(
                    "INSERT INTO saved_search(name, query, created_at) VALUES (?, ?, ?)",
                    (name, query, _db_datetime(utcnow())),
                )
                search_id = cur.lastrowid
            else:
                cur.execute(
                    "UPDATE saved_search SET name = ?, query = ? WHERE id = ?",
                    (name, query, search_id),
                )
        assert search_id is not None
        return SavedSearch(search_id, name, query)

    def delete_saved_search(self, search_id: int) -> None:
        """Forget a saved search."""
        with self._write() as cur:
            cur.execute("DELETE FROM saved_search WHERE id = ?", (search_id,))

    def batch_targets(self, ids: Sequence[int]) -> list[BatchTarget]:
        """What a batch edit of ``ids`` reads, in the order given (missing ids are left out).

        A few queries of 500 ids each instead of one ``get_article`` (body and all) per id.
        """
        with self._read() as cur:
            return self._batch_targets(cur, ids)

    @staticmethod
    def _batch_targets(cur: sqlite3.Cursor, ids: Sequence[int]) -> list[BatchTarget]:
        rows: dict[int, tuple[Any, ...]] = {}
        tags: dict[int, list[str]] = {}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in cur.execute(
                "SELECT id, title, section_path, publisher, language FROM article "
                f"WHERE id IN ({marks})",
                chunk,
            ):
                rows[row[0]] = row
            for article_id, name in cur.execute(
                "SELECT at.article_id, t.name FROM article_tag at JOIN tag t ON t.id = at.tag_id "
                f"WHERE at.article_id IN ({marks}) ORDER BY t.name COLLATE NOCASE",
                chunk,
            ):
                tags.setdefault(article_id, []).append(name)
        return [
            BatchTarget(
                id=row[0],
                title=row[1],
                tags=tuple(tags.get(row[0], ())),
                section_path=_loads(row[2]),
                publisher=row[3],
                language=row[4],
            )
            for row in (rows.get(i) for i in wanted)
            if row is not None
        ]

    def plan_batch_edit(
        self,
        ids: Sequence[int],
        edit: BatchEdit,
        targets: Sequence[BatchTarget] | None = None,
    ) -> list[FieldChange]:
        """Return what ``edit`` would change, field by field (the preview before applying).

        ``targets`` (from ``batch_targets``) saves reading the articles again: a preview
        that follows every keystroke reads them once.
        """
        if targets is None:
            targets = self.batch_targets(ids)
        return plan_batch(targets, edit)

    def apply_batch_edit(self, ids: Sequence[int], edit: BatchEdit) -> tuple[Changes, BatchUndo]:
        """Apply ``edit`` to every article in one transaction; return what to undo it with."""
        before: dict[int, dict[str, Any]] = {}
        with self._write() as cur:
            for target in self._batch_targets(cur, ids):
                planned = _batch_fields(target, edit)
                if not planned:
                    continue
                before[target.id] = {name: old for name, old, _new in planned}
                self._write_fields(
                    cur, target.id, {name: new for name, _old, new in planned}, kind="batch edit"
                )
        return (
            Changes(article_ids=frozenset(before), tags=bool(edit.add_tags or edit.remove_tags)),
            BatchUndo(before),
        )

    def undo_batch_edit(self, undo: BatchUndo) -> Changes:
        """Put back what a batch edit replaced, in one transaction."""
        with self._write() as cur:
            for article_id, values in undo.before.items():
                self._write_fields(cur, article_id, values, kind="undo of a batch edit")
        return Changes(article_ids=frozenset(undo.before), tags=True)

    def _write_fields(
        self, cur: sqlite3.Cursor, article_id: int, values: Mapping[str, Any], *, kind: str
    ) -> None:
        """Change fields of an article and store a revision of what changed (who, when).

        ``values`` may be Python values (tuples, dates) or their JSON form (lists, ISO text).
        """
        values = dict(values)
        before = history.current_values(cur, article_id, values)
        after = {name: history.jsonable(name, value) for name, value in values.items()}
        changes = history.diff(before, after)
        if not changes:
            return
        now = _db_datetime(utcnow())
        columns = _db_values({n: v for n, v in values.items() if n != "tags" and n in changes})
        if columns:
            columns["updated_at"] = now
        assignments = "".join(f"{name} = ?, " for name in columns)
        cur.execute(  # every stored change raises the version (a tag change too)
            f"UPDATE article SET {assignments}version = version + 1 WHERE id = ?",
            [*columns.values(), article_id],
        )
        if "tags" in changes:
            self._set_tags(cur, article_id, values["tags"])
        history.record(cur, article_id, kind, changes, now)

    def history(self, article_id: int) -> list[history.Revision]:
        """An article's revisions, oldest first.

        Raises:
            ArticleNotFoundError: No article has that id.
        """
        with self._read() as cur:
            if cur.execute("SELECT 1 FROM article WHERE id = ?", (article_id,)).fetchone() is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            return history.read(cur, article_id)

    def revert(self, article_id: int, revision_id: int) -> Changes:
        """Put an article back as it was right after ``revision_id`` (itself a revision).

        Raises:
            ArticleNotFoundError: No such article, or the revision is not one of its own.
        """
        with self._write() as cur:
            revisions = history.read(cur, article_id)
            names = {name for r in revisions for name in r.changes}
            current = history.current_values(cur, article_id, names)
            if not current and names:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            try:
                state = history.state_at(current, revisions, revision_id)
            except LookupError:
                raise ArticleNotFoundError(
                    f"article {article_id} has no revision {revision_id}; see "
                    f"'article-archive history {article_id}'"
                ) from None
            self._write_fields(cur, article_id, state, kind=f"restore of revision {revision_id}")
        return Changes(article_ids=frozenset({article_id}), tags=True)

    # -- backups and checks ----------------------------------------------------------------

    def backup(self, out: str | Path) -> Path:
        """Write a consistent copy of the library with SQLite's online backup API.

        Works while the library is in use (other windows, an import). Refuses to replace an
        existing file.

        Raises:
            LibraryError: ``out`` exists or cannot be written.
        """
        target = Path(out)
        if target.exists():
            raise LibraryError(f"{target} exists; choose another name (backups never overwrite)")
        partial = target.with_name(target.name + ".partial")
        try:
            source = sqlite3.connect(
                f"{self._read_only_uri() if self.read_only else self.path}",
                uri=self.read_only,
            )
            try:
                dest = sqlite3.connect(partial)
                try:
                    source.backup(dest)
                finally:
                    dest.close()
            finally:
                source.close()
            partial.replace(target)
        except (OSError, sqlite3.Error) as exc:
            partial.unlink(missing_ok=True)
            raise LibraryError(f"cannot write the backup {target}: {exc}") from exc
        return target

    def check(self) -> list[str]:
        """Check everything a library promises; return one line per problem (none: all well).

        SQLite's integrity check, the full-text index's own check and its row count, every
        original file's bytes against its SHA-256, articles without their source file and
        source files without an article.
        """
        problems = self.integrity_check()
        with self._read() as cur:
            articles = cur.execute("SELECT count(*) FROM article").fetchone()[0]
            indexed = cur.execute("SELECT count(*) FROM article_fts_docsize").fetchone()[0]
            if indexed != articles:
                problems.append(
                    f"full-text index: {indexed} documents for {articles} articles; "
                    "re-index the library"
                )
            for source_id, name, sha, compression, data in cur.execute(
                "SELECT id, file_name, sha256, compression, data FROM source_file ORDER BY id"
            ):
                try:
                    raw = decompress(data, compression)
                except CompressionError:
                    problems.append(f"source file {source_id} ({name}): its bytes are damaged")
                    continue
                if hashlib.sha256(raw).hexdigest() != sha:
                    problems.append(
                        f"source file {source_id} ({name}): its bytes do not match its SHA-256"
                    )
            for (article_id,) in cur.execute(
                "SELECT a.id FROM article a LEFT JOIN source_file s ON s.id = a.source_file_id "
                "WHERE s.id IS NULL ORDER BY a.id"
            ):
                problems.append(f"article {article_id} has no source file")
            for source_id, name in cur.execute(
                "SELECT s.id, s.file_name FROM source_file s WHERE NOT EXISTS "
                "(SELECT 1 FROM article a WHERE a.source_file_id = s.id) ORDER BY s.id"
            ):
                problems.append(f"source file {source_id} ({name}) belongs to no article")
        return problems

    def counts(self) -> dict[str, int]:
        """Row counts (articles, trash, sources, tags, revisions, drafts) for ``check``."""
        with self._read() as cur:
            return {
                "articles": cur.execute(
                    "SELECT count(*) FROM article WHERE deleted_at IS NULL"
                ).fetchone()[0],
                "trash": cur.execute(
                    "SELECT count(*) FROM article WHERE deleted_at IS NOT NULL"
                ).fetchone()[0],
                "source_files": cur.execute("SELECT count(*) FROM source_file").fetchone()[0],
                "tags": cur.execute("SELECT count(*) FROM tag").fetchone()[0],
                "revisions": cur.execute("SELECT count(*) FROM revision").fetchone()[0],
                "drafts": cur.execute("SELECT count(*) FROM draft").fetchone()[0],
            }

    # -- drafts (unsaved edits, for crash recovery) ----------------------------------------

    def save_draft(self, article_id: int, fields: Mapping[str, Any]) -> None:
        """Keep the form's unsaved values of an article (JSON form) until saved or discarded."""
        data = json.dumps(
            {name: history.jsonable(name, value) for name, value in fields.items()},
            ensure_ascii=False,
        )
        with self._write() as cur:
            cur.execute(
                "INSERT INTO draft (article_id, fields, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET fields = excluded.fields, "
                "updated_at = excluded.updated_at",
                (article_id, data, _db_datetime(utcnow())),
            )

    def discard_draft(self, article_id: int) -> None:
        """Forget an article's draft (after saving or discarding the edits)."""
        with self._write() as cur:
            cur.execute("DELETE FROM draft WHERE article_id = ?", (article_id,))

    def drafts(self) -> dict[int, dict[str, Any]]:
        """Every article's unsaved edits left from a session that did not end well."""
        with self._read() as cur:
            rows = cur.execute(
                "SELECT article_id, fields FROM draft ORDER BY article_id"
            ).fetchall()
        return {int(r[0]): json.loads(r[1]) for r in rows}


def conflict_error(
    library: Library, article_id: int, ours: ArticleFields, expected_version: int
) -> LibraryConflictError:
    """The conflict of a stale save: the stored article (theirs) beside the edits (ours)."""
    return LibraryConflictError(article_id, library.get_article(article_id), ours, expected_version)


def _db_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Field values as the database stores them (JSON lists, ISO dates, 0/1)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in history.JSON_FIELDS:
            value = _dumps(value)
        elif name == "published_on":
            value = value.isoformat() if isinstance(value, dt.date) else (value or None)
        elif name == "needs_review":
            value = int(value)
        out[name] = value
    return out


def _quote_value(value: str) -> str:
    return (
        '"' + value.replace('"', "") + '"'
        if any(c.isspace() or c in '()"' for c in value)
        else value
    )


def _show(name: str, value: Any) -> str:
    if name == "section_path":
        return " / ".join(value)
    if name == "tags":
        return ", ".join(value)
    return str(value)


def plan_batch(targets: Iterable[BatchTarget], edit: BatchEdit) -> list[FieldChange]:
    """Return what ``edit`` would change in ``targets``, field by field (no database)."""
    return [
        FieldChange(target.id, target.title, name, _show(name, old), _show(name, new))
        for target in targets
        for name, old, new in _batch_fields(target, edit)
    ]


def _batch_fields(record: BatchTarget, edit: BatchEdit) -> list[tuple[str, Any, Any]]:
    """Return (field, old, new) for every field ``edit`` changes in ``record``."""
    out: list[tuple[str, Any, Any]] = []
    if edit.add_tags or edit.remove_tags:
        removing = {normalize_tag(t).lower() for t in edit.remove_tags}
        tags = [t for t in record.tags if t.lower() not in removing]
        present = {t.lower() for t in tags}
        for tag in (normalize_tag(t) for t in edit.add_tags):
            if tag and tag.lower() not in present:
                tags.append(tag)
                present.add(tag.lower())
        new_tags = tuple(sorted(tags, key=str.lower))
        if new_tags != record.tags:
            out.append(("tags", record.tags, new_tags))
    if edit.section_path is not None and edit.section_path != record.section_path:
        out.append(("section_path", record.section_path, edit.section_path))
    if edit.publisher is not None and edit.publisher != record.publisher:
        out.append(("publisher", record.publisher, edit.publisher))
    if edit.language is not None and edit.language != record.language:
        out.append(("language", record.language, edit.language))
    return out
