"""The PostgreSQL schema: the SQLModel tables plus what only PostgreSQL has.

The tables come from ``core.models`` (one schema source for both engines). Attached here: the
full-text columns (``search``, a weighted ``tsvector`` of every searched field, and one per
short field for ``title:``, ``section:``, ``byline:`` and ``caption:``, kept by a trigger, each
with a GIN index), the case-insensitive unique names, the unique text hash, the indexes of the
window's orders, and ``archive_meta``, which marks a database as an Article Archive library
and holds its schema version (SQLite's ``application_id`` and ``user_version``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from archive_app.core import models

#: The version of the PostgreSQL schema (its own numbering: steps are per engine). A new
#: library is made at this version; ``UPGRADES`` brings an older one to it.
SCHEMA_VERSION = 6
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
#: Full-text weights in ``search``: title A, section B, byline and caption C, body D (ts_rank's
#: default weights make a title match count ten times a body match).
COLUMN_WEIGHTS = {
    "title": "A",
    "section_path": "B",
    "byline": "C",
    "photo_caption": "C",
    "body": "D",
}
#: The field vectors: a field query (``title:nuclear``) reads its own GIN index, where a weight
#: in ``search`` would have the server recheck every row the index finds. The body has none
#: (it would double the index); ``body:`` is the weight D in ``search``.
FIELD_VECTORS = {
    "title": "search_title",
    "section_path": "search_section",
    "byline": "search_byline",
    "photo_caption": "search_caption",
}
#: What the text is cut at before PostgreSQL's parser sees it: its punctuation (the parser would
#: otherwise keep ``1.5``, ``6/2/2017``, ``m.polit.ru`` or ``a@b.com`` whole and add the whole
#: of ``cyprus-registered`` beside its parts, where FTS5's unicode61 cuts at every character
#: that is not a letter or digit; ``[[:punct:]]`` is Unicode's punctuation and symbols in a
#: UTF-8 locale, ASCII's in the C locale, whose parser takes other characters for letters).
WORD_BREAKS = "[[:punct:]]+"
#: The longest text a ``tsvector`` is always made of (a vector holds at most 1 MB; a byte of
#: text never makes more than four). A longer body is tried whole, then halved until it fits.
SAFE_VECTOR_BYTES = 250_000
MAX_BODY_VECTOR_BYTES = 900_000
#: A lexeme no query has (queries are letters and digits) at a position of its own, put between
#: the fields of ``search`` so that a phrase never runs on from one field into the next (as in
#: FTS5; ``||`` numbers the right vector's words on from the left one's last).
FIELD_GAP = "'-:1'::tsvector"

#: The model tables but the sort keys' (SQLite's; the server sorts by a collation instead).
TABLES: tuple[Table, ...] = models.tables(leave_out=(models.ArticleSort,))

_FUNCTIONS: Sequence[str] = (
    f"""
    CREATE OR REPLACE FUNCTION archive_words(words text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT to_tsvector('{TEXT_CONFIG}',
                           regexp_replace(coalesce(words, ''), '{WORD_BREAKS}', ' ', 'g'))
    $$
    """,
    # A body past 1 MB of vector (a few MB of text) would make the insert fail: what fits of it
    # is indexed instead (only a body that long pays for the exception block).
    f"""
    CREATE OR REPLACE FUNCTION archive_long_words(words text) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
        keep integer := length(words);
        vector tsvector;
    BEGIN
        IF words IS NULL OR octet_length(words) <= {SAFE_VECTOR_BYTES} THEN
            RETURN archive_words(words);
        END IF;
        LOOP  -- room left for the other fields' words in ``search``
            BEGIN
                vector := archive_words(left(words, keep));
                IF pg_column_size(vector) <= {MAX_BODY_VECTOR_BYTES} THEN
                    RETURN vector;
                END IF;
            EXCEPTION WHEN program_limit_exceeded THEN
                NULL;
            END;
            keep := keep / 2;
        END LOOP;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION archive_join_vectors(title tsvector, section tsvector,
                                                    byline tsvector, caption tsvector,
                                                    body tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(title, 'A') || {FIELD_GAP} || setweight(section, 'B')
            || {FIELD_GAP} || setweight(byline, 'C') || {FIELD_GAP}
            || setweight(caption, 'C') || {FIELD_GAP} || setweight(body, 'D')
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION archive_search_vector(title text, section jsonb, byline text,
                                                     caption text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT archive_join_vectors(archive_words(title), archive_words(section::text),
                                    archive_words(byline), archive_words(caption),
                                    archive_long_words(body))
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION archive_article_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_title := archive_words(NEW.title);
        NEW.search_section := archive_words(NEW.section_path::text);
        NEW.search_byline := archive_words(NEW.byline);
        NEW.search_caption := archive_words(NEW.photo_caption);
        NEW.search := archive_join_vectors(NEW.search_title, NEW.search_section,
                                           NEW.search_byline, NEW.search_caption,
                                           archive_long_words(NEW.body));
        RETURN NEW;
    END $$
    """,
)
#: The same calls over ``article a`` (the check compares them with the stored columns).
SEARCH_VECTOR_SQL = (
    "archive_search_vector(a.title, a.section_path, a.byline, a.photo_caption, a.body)"
)
FIELD_VECTOR_SQL = {
    "search_title": "archive_words(a.title)",
    "search_section": "archive_words(a.section_path::text)",
    "search_byline": "archive_words(a.byline)",
    "search_caption": "archive_words(a.photo_caption)",
}
#: Only when a searched field is written (a trash or a tag change does not re-tokenise).
_SEARCH_TRIGGER = """
    CREATE TRIGGER article_search_biu
    BEFORE INSERT OR UPDATE OF title, section_path, byline, photo_caption, body ON article
    FOR EACH ROW EXECUTE FUNCTION archive_article_search()
"""
_SEARCH_INDEX = "CREATE INDEX ix_article_search ON article USING gin (search)"
_FIELD_INDEXES: Sequence[str] = tuple(
    f"CREATE INDEX ix_article_{column} ON article USING gin ({column})"
    for column in FIELD_VECTORS.values()
)

_EXTRAS: Sequence[str] = (
    "ALTER TABLE article ADD COLUMN search tsvector",
    *(f"ALTER TABLE article ADD COLUMN {column} tsvector" for column in FIELD_VECTORS.values()),
    *_FUNCTIONS,
    _SEARCH_TRIGGER,
    _SEARCH_INDEX,
    *_FIELD_INDEXES,
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
        conn.exec_driver_sql(statement)  # no bind parameters: a literal may hold ":1"
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


def _upgrade_to_5(conn: Connection) -> None:
    """Text cut at punctuation as FTS5 cuts it, a gap between the fields of ``search``, a body
    too long for one vector indexed as far as it fits, and a vector with a GIN index for each
    short field. Every article is indexed again (the trigger is off meanwhile: one pass)."""
    for column in FIELD_VECTORS.values():
        conn.execute(text(f"ALTER TABLE article ADD COLUMN IF NOT EXISTS {column} tsvector"))
    conn.execute(text("DROP TRIGGER IF EXISTS article_search_biu ON article"))
    conn.execute(text("DROP INDEX IF EXISTS ix_article_search"))  # built again after, faster
    for statement in _FUNCTIONS:
        conn.exec_driver_sql(statement)
    columns = ", ".join(f"{column} = {sql}" for column, sql in FIELD_VECTOR_SQL.items())
    conn.execute(text(f"UPDATE article a SET search = {SEARCH_VECTOR_SQL}, {columns}"))
    for statement in (*_FIELD_INDEXES, _SEARCH_INDEX, _SEARCH_TRIGGER):
        conn.exec_driver_sql(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))


def _upgrade_to_6(conn: Connection) -> None:
    """New source files are stored Zstandard-compressed (``compression`` = ``'zstd'``).

    Nothing is rewritten: the zlib rows stay readable. The version rises so that an older
    version of the app, which would take zstd bytes for uncompressed ones, refuses the
    library instead of handing out wrong bytes. The index on ``source_file.sha256``, which
    no query uses, goes (as on SQLite).
    """
    conn.execute(text("DROP INDEX IF EXISTS ix_source_file_sha256"))


#: ``UPGRADES[n]`` takes a library from schema ``n`` to ``n + 1`` (1 is the first schema).
UPGRADES: Mapping[int, Callable[[Connection], None]] = {
    1: _upgrade_to_2,
    2: _upgrade_to_3,
    3: _create_title_collation,
    4: _upgrade_to_5,
    5: _upgrade_to_6,
}


def upgrade(conn: Connection, old: int) -> None:
    """Bring a library from schema ``old`` to ``SCHEMA_VERSION``, in the caller's transaction."""
    for version in range(old, SCHEMA_VERSION):
        UPGRADES[version](conn)
    conn.execute(
        text(f"UPDATE {META_TABLE} SET value = :v WHERE name = 'schema_version'"),
        {"v": str(SCHEMA_VERSION)},
    )
