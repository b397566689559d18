"""Schema versions: ``PRAGMA user_version`` and the numbered upgrade steps that reach it."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import platformdirs

from archive_app.core import collation
from archive_app.core.errors import LibraryError, LibraryTooNewError
from archive_app.paths import APP_DIR_NAME

Step = Callable[[sqlite3.Connection], None]

# The FTS trigger for inserts is kept by name so bulk import can drop it for one transaction
# and fill the index directly (measured: the per-row trigger doubles insert time).
FTS_INSERT_TRIGGER = "article_fts_ai"
FTS_COLUMNS = ("title", "section_path", "byline", "photo_caption", "body")

FTS_INSERT_TRIGGER_SQL = f"""
CREATE TRIGGER {FTS_INSERT_TRIGGER} AFTER INSERT ON article BEGIN
    INSERT INTO article_fts(rowid, title, section_path, byline, photo_caption, body)
    VALUES (new.id, new.title, new.section_path, new.byline, new.photo_caption, new.body);
END
"""

_V1 = (
    """
    CREATE TABLE source_file (
        id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        original_path TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL,
        sha256 VARCHAR NOT NULL,
        encoding TEXT NOT NULL,
        compression TEXT NOT NULL DEFAULT 'zlib',
        data BLOB NOT NULL,
        imported_at DATETIME NOT NULL
    )
    """,
    "CREATE INDEX ix_source_file_sha256 ON source_file(sha256)",
    """
    CREATE TABLE article (
        id INTEGER PRIMARY KEY,
        uid VARCHAR NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        section_path JSON NOT NULL DEFAULT '[]',
        byline TEXT NOT NULL DEFAULT '',
        publisher TEXT NOT NULL DEFAULT '',
        dateline TEXT NOT NULL DEFAULT '',
        published_on DATE,
        source_url TEXT NOT NULL DEFAULT '',
        alternate_urls JSON NOT NULL DEFAULT '[]',
        language TEXT NOT NULL DEFAULT '',
        photo_caption TEXT NOT NULL DEFAULT '',
        photo_credit TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        share_section TEXT NOT NULL DEFAULT '',
        publisher_note TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        needs_review BOOLEAN NOT NULL DEFAULT 0,
        parse_warnings JSON NOT NULL DEFAULT '[]',
        content_hash VARCHAR NOT NULL,
        source_file_id INTEGER REFERENCES source_file(id) ON DELETE SET NULL,
        created_at DATETIME NOT NULL,
        updated_at DATETIME NOT NULL,
        deleted_at DATETIME
    )
    """,
    "CREATE INDEX ix_article_content_hash ON article(content_hash)",
    "CREATE INDEX ix_article_source_file ON article(source_file_id)",
    "CREATE INDEX ix_article_title ON article(title COLLATE NOCASE)",
    "CREATE INDEX ix_article_publisher ON article(publisher COLLATE NOCASE)",
    "CREATE INDEX ix_article_published_on ON article(published_on)",
    "CREATE INDEX ix_article_created_at ON article(created_at)",
    "CREATE INDEX ix_article_deleted_at ON article(deleted_at)",
    "CREATE TABLE tag (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE COLLATE NOCASE)",
    """
    CREATE TABLE article_tag (
        article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
    )
    """,
    "CREATE INDEX ix_article_tag_tag ON article_tag(tag_id)",
    """
    CREATE VIRTUAL TABLE article_fts USING fts5(
        title, section_path, byline, photo_caption, body,
        content='article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    FTS_INSERT_TRIGGER_SQL,
    """
    CREATE TRIGGER article_fts_ad AFTER DELETE ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, section_path, byline, photo_caption,
                                body)
        VALUES ('delete', old.id, old.title, old.section_path, old.byline, old.photo_caption,
                old.body);
    END
    """,
    """
    CREATE TRIGGER article_fts_au AFTER UPDATE OF title, section_path, byline, photo_caption, body
    ON article BEGIN
        INSERT INTO article_fts(article_fts, rowid, title, section_path, byline, photo_caption,
                                body)
        VALUES ('delete', old.id, old.title, old.section_path, old.byline, old.photo_caption,
                old.body);
        INSERT INTO article_fts(rowid, title, section_path, byline, photo_caption, body)
        VALUES (new.id, new.title, new.section_path, new.byline, new.photo_caption, new.body);
    END
    """,
)


def _upgrade_to_1(conn: sqlite3.Connection) -> None:
    for statement in _V1:
        conn.execute(statement)


def _upgrade_to_2(conn: sqlite3.Connection) -> None:
    """Saved searches (name + query) live in the library."""
    conn.execute(
        """
        CREATE TABLE saved_search (
            id INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL UNIQUE COLLATE NOCASE,
            query TEXT NOT NULL,
            created_at DATETIME NOT NULL
        )
        """
    )


def _upgrade_to_3(conn: sqlite3.Connection) -> None:
    """Indexes for the window's default order and the sidebar's counts at 100k articles.

    Measured on 100k articles: the newest-first id list 218 ms -> 25 ms; the publisher and
    section counts read a covering index instead of every row.
    """
    conn.execute("CREATE INDEX ix_article_live_created ON article(deleted_at, created_at, id)")
    conn.execute(
        "CREATE INDEX ix_article_live_publisher "
        "ON article(deleted_at, publisher COLLATE NOCASE, created_at)"
    )
    conn.execute("CREATE INDEX ix_article_live_section ON article(deleted_at, section_path)")
    conn.execute("CREATE INDEX ix_article_live_review ON article(deleted_at, needs_review)")
    conn.execute("CREATE INDEX ix_article_live_published ON article(deleted_at, published_on)")
    # Merge full-text segments less eagerly while importing (measured: -20% FTS insert time).
    conn.execute("INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 8)")
    # Covered by the indexes above (deleted_at first): fewer b-trees for every insert.
    for name in ("deleted_at", "created_at", "publisher", "published_on"):
        conn.execute(f"DROP INDEX ix_article_{name}")


#: ``PRAGMA application_id`` of an Article Archive library ("ArAr"): set when a library is
#: created, so another program's SQLite file is recognised and never touched.
APPLICATION_ID = 0x41724172
#: Tables every library has had since version 1 (how files from before the application id are
#: recognised).
CORE_TABLES = frozenset({"article", "source_file", "tag", "article_tag"})
DUPLICATE_MARK = ":duplicate-of:"


def _upgrade_to_4(conn: sqlite3.Connection) -> None:
    """The normalised-text hash becomes unique: two writers can never store one article twice.

    Libraries from before could hold duplicates (two imports at once raced between the check and
    the insert). They are kept, not dropped: each later copy's hash is marked, it is flagged for
    review with a warning naming the article it repeats, and the upgrade reports them.
    """
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    rows = conn.execute(
        """
        SELECT a.id, first.id FROM article a
        JOIN (SELECT content_hash, min(id) AS id FROM article GROUP BY content_hash
              HAVING count(*) > 1) AS first
          ON first.content_hash = a.content_hash AND a.id <> first.id
        ORDER BY a.id
        """
    ).fetchall()
    for article_id, first_id in rows:
        warning = f"duplicate of article {first_id} (found when upgrading the library)"
        conn.execute(
            "UPDATE article SET content_hash = content_hash || ? || ?, needs_review = 1, "
            "parse_warnings = json_insert(parse_warnings, '$[#]', ?) WHERE id = ?",
            (DUPLICATE_MARK, str(article_id), warning, article_id),
        )
        UPGRADE_NOTES.append(f"article {article_id} is a duplicate of article {first_id}")
    conn.execute("DROP INDEX IF EXISTS ix_article_content_hash")
    conn.execute("CREATE UNIQUE INDEX ux_article_content_hash ON article(content_hash)")


def _upgrade_to_5(conn: sqlite3.Connection) -> None:
    """Rights and boilerplate fields, the decoder's confidence, sidecars, learned boilerplate.

    ``rights`` holds licence and copyright notices; ``boilerplate`` what was taken out of the
    body (kept, re-insertable). The source keeps the JSON sidecar that gave the metadata, and
    the library keeps what it learned of each source's recurring lines (``learned_state``).
    """
    conn.execute("ALTER TABLE article ADD COLUMN rights TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE article ADD COLUMN boilerplate TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE source_file ADD COLUMN encoding_confidence REAL NOT NULL DEFAULT 1.0")
    conn.execute("ALTER TABLE source_file ADD COLUMN sidecar_name TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE source_file ADD COLUMN sidecar_data BLOB")
    conn.execute(
        "CREATE TABLE learned_state (name VARCHAR PRIMARY KEY, state TEXT NOT NULL, "
        "updated_at DATETIME NOT NULL)"
    )


def _upgrade_to_6(conn: sqlite3.Connection) -> None:
    """Revisions (every change, field by field, who and when) and drafts (unsaved edits)."""
    conn.execute(
        """
        CREATE TABLE revision (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
            created_at DATETIME NOT NULL,
            user VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            changes JSON NOT NULL
        )
        """
    )
    conn.execute("CREATE INDEX ix_revision_article ON revision(article_id, id)")
    conn.execute(
        """
        CREATE TABLE draft (
            article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
            fields JSON NOT NULL,
            updated_at DATETIME NOT NULL
        )
        """
    )


def register_functions(conn: sqlite3.Connection) -> None:
    """Give a connection the SQL functions the schema's triggers call (``archive_title_key``).

    Like calibre's ``title_sort``: a program that writes titles without them is refused by
    SQLite ("no such function") rather than leaving a stale key; reading needs nothing.
    """
    conn.create_function(collation.SQL_FUNCTION, 1, collation.title_key, deterministic=True)


_V7_TRIGGERS = (
    f"""
    CREATE TRIGGER article_sort_ai AFTER INSERT ON article BEGIN
        INSERT INTO article_sort(article_id, live, title_key, created_at, needs_review)
        VALUES (new.id, new.deleted_at IS NULL, {collation.SQL_FUNCTION}(new.title),
                new.created_at, new.needs_review);
    END
    """,
    f"""
    CREATE TRIGGER article_sort_au_title AFTER UPDATE OF title ON article BEGIN
        UPDATE article_sort SET title_key = {collation.SQL_FUNCTION}(new.title)
        WHERE article_id = new.id;
    END
    """,
    """
    CREATE TRIGGER article_sort_au_state AFTER UPDATE OF deleted_at, needs_review, created_at
    ON article BEGIN
        UPDATE article_sort SET live = new.deleted_at IS NULL, needs_review = new.needs_review,
            created_at = new.created_at
        WHERE article_id = new.id;
    END
    """,
    """
    CREATE TRIGGER article_sort_ad AFTER DELETE ON article BEGIN
        DELETE FROM article_sort WHERE article_id = old.id;
    END
    """,
)


def _upgrade_to_7(conn: sqlite3.Connection) -> None:
    """Titles sort by a collation key (``collation.title_key``), not by ``COLLATE NOCASE``;
    the table's rows read nothing past an article's body.

    NOCASE put titles opening with a curly quote after Z and accented capitals after Z too.
    The keys live in a narrow table of their own, ``article_sort``, kept by triggers, with
    the trash flag (so the title order of the library or the trash is one covering index
    scan) and the two columns of a table row that ``article`` stores after the body,
    ``created_at`` and ``needs_review``: reading those from ``article`` follows the body's
    overflow pages, two or three random reads a row once a library outgrows the memory cache
    (a table page of 200 rows, a first page of a date search). Adding columns to ``article``
    would rewrite every row, bodies and all, on upgrade (gigabytes at 1M articles), and the
    insert and edit paths need no change. The old NOCASE title index goes.
    """
    register_functions(conn)
    conn.execute(
        "CREATE TABLE article_sort (article_id INTEGER PRIMARY KEY, live BOOLEAN NOT NULL, "
        "title_key TEXT NOT NULL, created_at DATETIME NOT NULL, needs_review BOOLEAN NOT NULL)"
    )
    # Filled from covering indexes and the first page of each row (the title), so the
    # upgrade never reads a body: created_at and the trash from ix_article_live_created, the
    # review flag from ix_article_live_review.
    conn.execute(
        "INSERT INTO article_sort(article_id, live, title_key, created_at, needs_review) "
        "SELECT id, deleted_at IS NULL, '', created_at, 0 "
        "FROM article INDEXED BY ix_article_live_created"
    )
    conn.execute(
        f"UPDATE article_sort SET title_key = {collation.SQL_FUNCTION}("
        "(SELECT title FROM article WHERE id = article_id))"
    )
    conn.execute(
        "UPDATE article_sort SET needs_review = 1 WHERE article_id IN "
        "(SELECT id FROM article INDEXED BY ix_article_live_review WHERE needs_review = 1)"
    )
    conn.execute("CREATE INDEX ix_article_sort_title ON article_sort(live, title_key)")
    for statement in _V7_TRIGGERS:
        conn.execute(statement)
    conn.execute("DROP INDEX IF EXISTS ix_article_title")


def _upgrade_to_8(conn: sqlite3.Connection) -> None:
    """A version per article (optimistic concurrency): every stored change raises it, and a
    save that edited an older version is refused as a conflict instead of overwriting.

    Self-contained: touches only ``article.version`` (existing articles start at 1).
    """
    columns = {r[1] for r in conn.execute("PRAGMA table_info(article)")}
    if "version" not in columns:
        conn.execute("ALTER TABLE article ADD COLUMN version INTEGER NOT NULL DEFAULT 1")


def _upgrade_to_9(conn: sqlite3.Connection) -> None:
    """New source files are stored Zstandard-compressed (``compression`` = ``'zstd'``).

    Nothing is rewritten: the zlib rows stay readable. The version rises so that an older
    version of the app, which would take zstd bytes for uncompressed ones, refuses the
    library instead of handing out wrong bytes.

    The index on ``source_file.sha256`` goes: no query looks a source up by its SHA-256
    (``check`` reads every row), and its random-order pages cost each imported article a
    page read and write once the library holds a million (measured: 5 s of a 100,000-file
    import's storing there), and 90 bytes on disk an article.
    """
    conn.execute("DROP INDEX IF EXISTS ix_source_file_sha256")


#: What only SQLite has, attached to the model tables of a new library: the unique and
#: expression indexes (names as the upgrades made them; ``INDEXED BY`` uses some), FTS5 and
#: its triggers, and the sort keys' triggers. Upgraded libraries reach the same (tested).
_SQLITE_ONLY: tuple[str, ...] = (
    "CREATE UNIQUE INDEX ux_article_uid ON article(uid)",
    "CREATE UNIQUE INDEX ux_tag_name ON tag(name)",
    "CREATE UNIQUE INDEX ux_saved_search_name ON saved_search(name)",
    "CREATE UNIQUE INDEX ux_article_content_hash ON article(content_hash)",
    "CREATE INDEX ix_article_source_file ON article(source_file_id)",
    "CREATE INDEX ix_article_tag_tag ON article_tag(tag_id)",
    "CREATE INDEX ix_article_live_created ON article(deleted_at, created_at, id)",
    "CREATE INDEX ix_article_live_publisher "
    "ON article(deleted_at, publisher COLLATE NOCASE, created_at)",
    "CREATE INDEX ix_article_live_section ON article(deleted_at, section_path)",
    "CREATE INDEX ix_article_live_review ON article(deleted_at, needs_review)",
    "CREATE INDEX ix_article_live_published ON article(deleted_at, published_on)",
    "CREATE INDEX ix_revision_article ON revision(article_id, id)",
    "CREATE INDEX ix_article_sort_title ON article_sort(live, title_key)",
    *_V1[-4:],  # the FTS5 table and its three triggers
    "INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 8)",
    *_V7_TRIGGERS,
)


def compile_model_tables() -> list[str]:
    """The SQLModel tables and their plain indexes as SQLite DDL, in creation order.

    Imports SQLAlchemy and SQLModel (0.35-0.45 s): opening an existing library never needs
    them, and a new one reads this from :func:`model_ddl`'s cache.
    """
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex, CreateTable

    from archive_app.core import models

    dialect = sqlite_dialect.dialect()
    statements = []
    for table in models.tables():
        statements.append(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
            statements.append(str(CreateIndex(index).compile(dialect=dialect)))
    return statements


def _ddl_key() -> str | None:
    """What the compiled tables depend on: the models' source and SQLAlchemy's and SQLModel's
    versions (``None`` when the source cannot be read, e.g. in a frozen bundle)."""
    spec = importlib.util.find_spec("archive_app.core.models")
    if spec is None or spec.origin is None:
        return None
    try:
        source = Path(spec.origin).read_bytes()
        versions = [importlib.metadata.version(name) for name in ("sqlalchemy", "sqlmodel")]
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    digest = hashlib.sha256(source)
    digest.update(f"{SCHEMA_VERSION} {' '.join(versions)}".encode())
    return digest.hexdigest()


def model_ddl() -> list[str]:
    """:func:`compile_model_tables`, kept in the user's cache folder once compiled.

    A new library then needs no SQLAlchemy: its creation was 0.4 s of an import's start,
    when the import's workers had nothing to do yet. A cache that is missing, unreadable,
    unwritable or of other models is compiled again; the cache only saves time.
    """
    key = _ddl_key()
    cache = Path(platformdirs.user_cache_dir(APP_DIR_NAME, appauthor=False)) / "schema-ddl.json"
    if key is not None:
        with contextlib.suppress(OSError, ValueError):
            saved = json.loads(cache.read_text(encoding="utf-8"))
            statements = saved.get("statements") if isinstance(saved, dict) else None
            if (
                isinstance(statements, list)
                and saved.get("key") == key
                and all(isinstance(statement, str) for statement in statements)
            ):
                return statements
    statements = compile_model_tables()
    if key is not None:
        with contextlib.suppress(OSError):
            cache.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".schema-ddl-", dir=cache.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump({"key": key, "statements": statements}, out)
                os.replace(temp, cache)  # whole or not at all, whoever else writes it
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
    return statements


def create_current(conn: sqlite3.Connection) -> None:
    """Make an empty database a library at ``SCHEMA_VERSION``, from ``core.models``.

    The tables and their plain indexes are the SQLModel tables compiled for SQLite (the
    same tables PostgreSQL is made from; :func:`model_ddl`); ``_SQLITE_ONLY`` adds the rest.
    """
    for statement in model_ddl():
        conn.execute(statement)
    register_functions(conn)
    for statement in _SQLITE_ONLY:
        conn.execute(statement)


#: What the last upgrade found that a person should know (e.g. duplicates kept and flagged).
UPGRADE_NOTES: list[str] = []

#: Upgrade steps: ``STEPS[n]`` takes a library from version ``n`` to ``n + 1``.
STEPS: tuple[Step, ...] = (
    _upgrade_to_1,
    _upgrade_to_2,
    _upgrade_to_3,
    _upgrade_to_4,
    _upgrade_to_5,
    _upgrade_to_6,
    _upgrade_to_7,
    _upgrade_to_8,
    _upgrade_to_9,
)
SCHEMA_VERSION = len(STEPS)

SQLITE_HEADER = b"SQLite format 3\x00"
#: Offsets of ``user_version`` and ``application_id`` in a SQLite file's 100-byte header.
_USER_VERSION_OFFSET = 60
_APPLICATION_ID_OFFSET = 68


def _foreign(path: Path, reason: str) -> LibraryError:
    return LibraryError(
        f"{path} is another program's SQLite database ({reason}), not an Article Archive "
        "library; it was not changed. Choose another file with --library"
    )


def _tables_read_only(path: Path) -> set[str]:
    uri = f"file:{quote(str(path))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise LibraryError(f"cannot read {path}: {exc}") from exc
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise LibraryError(
            f"{path} cannot be read as a library ({exc}); choose another file with --library"
        ) from exc
    finally:
        conn.close()


def check_library_file(path: Path) -> None:
    """Refuse a file that is not an Article Archive library, without modifying it.

    Only the file's header is read (and, for libraries from before the application id, the
    table names through a read-only connection): a foreign file stays byte-identical, with no
    journal, WAL or backup written beside it.

    Raises:
        LibraryError: The file exists but is not a SQLite database, or is another program's.
    """
    if path.is_dir():
        raise LibraryError(f"{path} is a folder, not a library file; pass a file path")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise LibraryError(f"cannot read {path}: {exc.strerror}") from exc
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        raise LibraryError(
            f"{path} is not an Article Archive library (not a SQLite database); "
            "choose another file with --library"
        )
    app_id = int.from_bytes(header[_APPLICATION_ID_OFFSET : _APPLICATION_ID_OFFSET + 4], "big")
    version = int.from_bytes(header[_USER_VERSION_OFFSET : _USER_VERSION_OFFSET + 4], "big")
    if app_id == APPLICATION_ID:
        return
    if app_id != 0:
        raise _foreign(path, f"application id {app_id:#x}")
    tables = _tables_read_only(path)
    if not tables and version == 0:
        return  # an empty database: it becomes a library
    if not tables >= CORE_TABLES:
        raise _foreign(path, f"its tables are {', '.join(sorted(tables)) or 'none'}")


def read_user_version(conn: sqlite3.Connection) -> int:
    """Return the schema version stored in the database."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def check_not_newer(path: Path, version: int, steps: Sequence[Step] = STEPS) -> None:
    """Raise if the library was written by a newer version of the app."""
    if version > len(steps):
        raise LibraryTooNewError(
            f"{path} was written by a newer version of Article Archive "
            f"(schema {version}, this version reads up to {len(steps)}); "
            "upgrade the app to open it"
        )


def upgrade(
    conn: sqlite3.Connection,
    path: Path | None,
    steps: Sequence[Step] = STEPS,
) -> int:
    """Bring the library up to the newest schema; return the version it was at.

    The write lock is taken first and the version read under it, so two programs opening a new
    or old library at once upgrade it once. Before an existing library is upgraded, a backup
    copy is written next to it (``<name>.v<old>-<timestamp>.bak``). All steps run in that one
    transaction, so a failed or interrupted upgrade leaves the library as it was. A new library
    gets the application id.

    Args:
        conn: A connection in autocommit mode (``isolation_level=None``).
        path: The library file (``None`` for an in-memory library: no backup).
        steps: The upgrade steps (tests pass extra ones).
    """
    old = read_user_version(conn)
    check_not_newer(path or Path(":memory:"), old, steps)
    if old == len(steps):
        return old
    UPGRADE_NOTES.clear()
    if old > 0 and path is not None:
        # Before the lock: SQLite's backup of a connection that holds the write lock never ends.
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup_path = path.with_name(f"{path.name}.v{old}-{stamp}.bak")
        backup = sqlite3.connect(backup_path)
        try:
            conn.backup(backup)
        finally:
            backup.close()
    conn.execute("BEGIN IMMEDIATE")
    try:
        old = read_user_version(conn)  # another program may have upgraded it meanwhile
        check_not_newer(path or Path(":memory:"), old, steps)
        if old == len(steps):
            conn.execute("COMMIT")
            return old
        if old == 0:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        start = old
        if old == 0 and tuple(steps[: len(STEPS)]) == STEPS:  # a new library, made as it is now
            create_current(conn)
            start = len(STEPS)
            conn.execute(f"PRAGMA user_version = {start}")
        for version in range(start, len(steps)):
            steps[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return old
