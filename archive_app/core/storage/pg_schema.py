"""The PostgreSQL schema: the SQLModel tables plus what only PostgreSQL has.

The tables come from ``core.models`` (one schema source for both engines). Attached here: the
full-text column (``search``, a weighted ``tsvector`` kept by a trigger, with a GIN index), the
case-insensitive unique names, the unique text hash, the indexes of the window's orders, and
``archive_meta``, which marks a database as an Article Archive library and holds its schema
version (SQLite's ``application_id`` and ``user_version``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from archive_app.core import models

#: The version of the PostgreSQL schema (its own numbering: steps are per engine). A new
#: library is made at this version; ``UPGRADES`` brings an older one to it.
SCHEMA_VERSION = 4
#: The collation titles sort by (as SQLite's ``collation.title_key``: case, accents and
#: punctuation ignored; ICU's root order at primary strength with punctuation shifted).
TITLE_COLLATION = "archive_title"
#: The channel every write to the articles, their tags or the saved searches notifies (the
#: payload is the table's name): other windows LISTEN and refresh.
NOTIFY_CHANNEL = "archive_changes"
#: The tables whose writes notify (one notification per statement, folded per transaction).
NOTIFYING_TABLES = ("article", "article_tag", "saved_search")
APPLICATION = "Article Archive"
META_TABLE = "archive_meta"
#: The text search configuration: PostgreSQL's ``simple`` parser and dictionary (no stemming,
#: no stop words: like FTS5's unicode61) with ``unaccent`` first where the server has it
#: (FTS5's ``remove_diacritics 2``).
TEXT_CONFIG = "archive_text"
#: Advisory lock keys: creating the schema, and the one-writer-at-a-time write lock.
SCHEMA_LOCK = 0x41724172_0001
WRITE_LOCK = 0x41724172_0002
#: Full-text weights: title A, section B, byline and caption C, body D (ts_rank's default
#: weights make a title match count ten times a body match).
COLUMN_WEIGHTS = {
    "title": "A",
    "section_path": "B",
    "byline": "C",
    "photo_caption": "C",
    "body": "D",
}

TABLES: tuple[Table, ...] = tuple(
    SQLModel.metadata.tables[str(model.__tablename__)]
    for model in (
        models.SourceFile,
        models.Article,
        models.Tag,
        models.ArticleTag,
        models.Revision,
        models.Draft,
        models.LearnedState,
        models.SavedSearch,
    )
)

SEARCH_FUNCTION = f"""
CREATE FUNCTION archive_search_vector(title text, section jsonb, byline text, caption text,
                                      body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('{TEXT_CONFIG}', coalesce(title, '')), 'A')
        || setweight(to_tsvector('{TEXT_CONFIG}', coalesce(section::text, '')), 'B')
        || setweight(to_tsvector('{TEXT_CONFIG}', coalesce(byline, '')), 'C')
        || setweight(to_tsvector('{TEXT_CONFIG}', coalesce(caption, '')), 'C')
        || setweight(to_tsvector('{TEXT_CONFIG}', coalesce(body, '')), 'D')
$$
"""
#: The same call over ``article a`` (the check compares it with the stored column).
SEARCH_VECTOR_SQL = (
    "archive_search_vector(a.title, a.section_path, a.byline, a.photo_caption, a.body)"
)

_EXTRAS: Sequence[str] = (
    "ALTER TABLE article ADD COLUMN search tsvector",
    SEARCH_FUNCTION,
    """
    CREATE FUNCTION archive_article_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search := archive_search_vector(NEW.title, NEW.section_path, NEW.byline,
                                            NEW.photo_caption, NEW.body);
        RETURN NEW;
    END $$
    """,
    # Only when a searched field is written (a trash or a tag change does not re-tokenise).
    """
    CREATE TRIGGER article_search_biu
    BEFORE INSERT OR UPDATE OF title, section_path, byline, photo_caption, body ON article
    FOR EACH ROW EXECUTE FUNCTION archive_article_search()
    """,
    "CREATE INDEX ix_article_search ON article USING gin (search)",
    "CREATE UNIQUE INDEX ux_article_uid ON article (uid)",
    "CREATE UNIQUE INDEX ux_article_content_hash ON article (content_hash)",
    "CREATE INDEX ix_article_source_file ON article (source_file_id)",
    "CREATE INDEX ix_article_live_created ON article (deleted_at, created_at, id)",
    'CREATE INDEX ix_article_title ON article (lower(title) COLLATE "C")',
    'CREATE INDEX ix_article_publisher ON article (lower(publisher) COLLATE "C")',
    "CREATE INDEX ix_article_published_on ON article (published_on)",
    "CREATE UNIQUE INDEX ux_tag_name ON tag (lower(name))",
    "CREATE INDEX ix_article_tag_tag ON article_tag (tag_id)",
    "CREATE INDEX ix_revision_article ON revision (article_id, id)",
    "CREATE UNIQUE INDEX ux_saved_search_name ON saved_search (lower(name))",
)


_NOTIFY: Sequence[str] = (
    f"""
    CREATE OR REPLACE FUNCTION archive_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{NOTIFY_CHANNEL}', TG_TABLE_NAME);
        RETURN NULL;
    END $$
    """,
    *(
        statement
        for table in NOTIFYING_TABLES
        for statement in (
            f"DROP TRIGGER IF EXISTS {table}_notify ON {table}",  # PostgreSQL 13: no OR REPLACE
            f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION archive_notify()",
        )
    ),
)


def _create_text_config(conn: Connection) -> bool:
    """Create the text search configuration; return whether it folds diacritics."""
    conn.execute(text(f"CREATE TEXT SEARCH CONFIGURATION {TEXT_CONFIG} (COPY = simple)"))
    try:
        with conn.begin_nested():  # a savepoint: a missing extension must not end the rest
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except Exception:  # not installed (postgresql-contrib) or not allowed: no folding
        return False
    conn.execute(
        text(
            f"ALTER TEXT SEARCH CONFIGURATION {TEXT_CONFIG} ALTER MAPPING FOR "
            "asciiword, asciihword, hword_asciipart, word, hword, hword_part "
            "WITH unaccent, simple"
        )
    )
    return True


def existing_tables(conn: Connection) -> set[str]:
    """The tables in the database's current schema."""
    rows = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
    return {str(r[0]) for r in rows}


def read_meta(conn: Connection) -> dict[str, str]:
    """The ``archive_meta`` rows ({} when the table is missing)."""
    if META_TABLE not in existing_tables(conn):
        return {}
    rows = conn.execute(text(f"SELECT name, value FROM {META_TABLE}"))
    return {str(r[0]): str(r[1]) for r in rows}


def create(conn: Connection) -> bool:
    """Create the schema in an empty database, in the caller's transaction.

    Returns:
        Whether full-text search folds diacritics (``unaccent`` was available).
    """
    models_tables = list(TABLES)
    SQLModel.metadata.create_all(conn, tables=models_tables)
    folds = _create_text_config(conn)
    _create_title_collation(conn)
    for statement in (*_EXTRAS, *_NOTIFY):
        conn.execute(text(statement))
    conn.execute(text(f"CREATE TABLE {META_TABLE} (name text PRIMARY KEY, value text NOT NULL)"))
    conn.execute(
        text(f"INSERT INTO {META_TABLE} (name, value) VALUES (:a, :b), (:c, :d), (:e, :f)"),
        {
            "a": "application",
            "b": APPLICATION,
            "c": "schema_version",
            "d": str(SCHEMA_VERSION),
            "e": "unaccent",
            "f": "yes" if folds else "no",
        },
    )
    return folds


def _create_title_collation(conn: Connection) -> None:
    """Titles sort like the SQLite library's: ICU where the server has it, else code points."""
    try:
        with conn.begin_nested():  # a savepoint: a server without ICU must not end the rest
            conn.execute(
                text(
                    f"CREATE COLLATION IF NOT EXISTS {TITLE_COLLATION} (provider = icu, "
                    "locale = 'und-u-ka-shifted-ks-level1', deterministic = false)"
                )
            )
    except Exception:  # built without ICU: lower-cased code points, as before
        conn.execute(text(f'CREATE COLLATION IF NOT EXISTS {TITLE_COLLATION} FROM "C"'))


def _upgrade_to_2(conn: Connection) -> None:
    """A version per article (optimistic concurrency); existing articles start at 1."""
    conn.execute(
        text("ALTER TABLE article ADD COLUMN IF NOT EXISTS version integer NOT NULL DEFAULT 1")
    )


def _upgrade_to_3(conn: Connection) -> None:
    """Writes notify ``NOTIFY_CHANNEL``, so other windows see them within a second or two."""
    for statement in _NOTIFY:
        conn.execute(text(statement))


#: ``UPGRADES[n]`` takes a library from schema ``n`` to ``n + 1`` (1 is the first schema).
UPGRADES: Mapping[int, Callable[[Connection], None]] = {
    1: _upgrade_to_2,
    2: _upgrade_to_3,
    3: _create_title_collation,
}


def upgrade(conn: Connection, old: int) -> None:
    """Bring a library from schema ``old`` to ``SCHEMA_VERSION``, in the caller's transaction."""
    for version in range(old, SCHEMA_VERSION):
        UPGRADES[version](conn)
    conn.execute(
        text(f"UPDATE {META_TABLE} SET value = :v WHERE name = 'schema_version'"),
        {"v": str(SCHEMA_VERSION)},
    )
