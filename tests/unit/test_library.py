"""The library service: opening, schema versions, reads, writes and the full-text index."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from archive_app.core import migrations
from archive_app.core.errors import (
    ArticleNotFoundError,
    LibraryError,
    LibraryTooNewError,
    ValidationError,
)
from archive_app.core.library import Library
from archive_app.core.query import QueryError
from archive_app.core.records import ArticleFields
from tests.conftest import NewArticleFactory


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_library_is_created_at_the_current_schema_in_wal_mode(library_path: Path) -> None:
    with Library(library_path) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION == len(migrations.STEPS)
        assert lib.count() == 0
    conn = sqlite3.connect(library_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    conn.close()


def test_library_in_a_missing_folder_creates_the_folder(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "lib.sqlite3"
    with Library(path) as lib:
        assert lib.count() == 0
    assert path.is_file()


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("my precious notes, not a database\n" * 20)
    before = _sha(path)
    with pytest.raises(LibraryError, match="not a SQLite database"):
        Library(path)
    assert _sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_a_library_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = _sha(path)
    with pytest.raises(LibraryTooNewError, match="newer version"):
        Library(path)
    assert _sha(path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_folder_given_as_library_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="is a folder"):
        Library(tmp_path)


def _fake_v2(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE fake_next (id INTEGER PRIMARY KEY, query TEXT)")
    conn.execute("ALTER TABLE article ADD COLUMN rating INTEGER NOT NULL DEFAULT 0")


def test_upgrade_runs_new_steps_after_a_backup(
    library_path: Path, make_article: NewArticleFactory
) -> None:
    with Library(library_path) as lib:
        [article_id] = lib.add_articles([make_article(title="Kept through the upgrade")])
    current = migrations.SCHEMA_VERSION
    conn = sqlite3.connect(library_path, isolation_level=None)
    old = migrations.upgrade(conn, library_path, steps=(*migrations.STEPS, _fake_v2))
    assert old == current
    assert migrations.read_user_version(conn) == current + 1
    assert conn.execute("SELECT rating, title FROM article").fetchall() == [
        (0, "Kept through the upgrade")
    ]
    conn.close()
    [backup] = library_path.parent.glob(f"library.sqlite3.v{current}-*.bak")
    bconn = sqlite3.connect(backup)
    assert bconn.execute("PRAGMA user_version").fetchone()[0] == current
    assert bconn.execute("SELECT id, title FROM article").fetchall() == [
        (article_id, "Kept through the upgrade")
    ]
    bconn.close()


def test_a_failing_upgrade_step_leaves_the_library_as_it_was(
    library_path: Path, make_article: NewArticleFactory
) -> None:
    with Library(library_path) as lib:
        lib.add_articles([make_article()])

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed")

    conn = sqlite3.connect(library_path, isolation_level=None)
    with pytest.raises(RuntimeError, match="step failed"):
        migrations.upgrade(conn, library_path, steps=(*migrations.STEPS, broken))
    assert migrations.read_user_version(conn) == migrations.SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")}
    assert "half_done" not in tables
    conn.close()
    with Library(library_path) as lib:
        assert lib.count() == 1


def _affinity(declared: str) -> str:
    """SQLite's type affinity of a declared column type (section 3.1 of its datatype page)."""
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in upper or not upper:
        return "BLOB"
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _schema(path: Path) -> dict[str, object]:
    """What a library's schema means to SQLite: columns (order, affinity, NULL, default,
    key), foreign keys, indexes (unique, columns, collations), triggers and FTS5."""
    conn = sqlite3.connect(path)
    try:
        objects = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        tables = sorted(
            name
            for kind, name, _, sql in objects
            if kind == "table" and not name.startswith("article_fts")
        )
        schema: dict[str, object] = {"tables": tables}
        for table in tables:
            schema[f"{table} columns"] = [
                (name, _affinity(kind), bool(notnull) and not pk, default, pk)
                for _, name, kind, notnull, default, pk in conn.execute(
                    f"PRAGMA table_info({table})"
                )
            ]
            schema[f"{table} foreign keys"] = sorted(
                (r[2], r[3], r[4], r[6]) for r in conn.execute(f"PRAGMA foreign_key_list({table})")
            )
            indexes = set()
            for _, name, unique, origin, _ in conn.execute(f"PRAGMA index_list({table})"):
                if origin == "pk":
                    continue
                columns = tuple(
                    (r[2], r[4])
                    for r in conn.execute(f"PRAGMA index_xinfo('{name}')")
                    if r[5]  # key columns only
                )
                indexes.add((bool(unique), columns))
            schema[f"{table} indexes"] = sorted(indexes)
        # By name too (queries say INDEXED BY), except the unique ones that version 1 wrote
        # as column constraints (SQLite names those itself; compared above as indexes).
        inline = {"ux_article_uid", "ux_tag_name", "ux_saved_search_name"}
        schema["named indexes"] = sorted(
            name for kind, name, _, _ in objects if kind == "index" and name not in inline
        )
        schema["triggers"] = sorted(
            (name, " ".join(sql.split())) for kind, name, _, sql in objects if kind == "trigger"
        )
        schema["fts"] = [
            " ".join(sql.split()) for kind, name, _, sql in objects if name == "article_fts"
        ]
        schema["fts config"] = conn.execute("SELECT * FROM article_fts_config").fetchall()
        schema["ids"] = conn.execute("PRAGMA application_id").fetchone()
        schema["version"] = conn.execute("PRAGMA user_version").fetchone()
        return schema
    finally:
        conn.close()


@pytest.mark.sqlite_only  # SQLite's schema (PostgreSQL's: the models and its own parts)
def test_a_new_library_is_made_from_the_models_and_equals_an_upgraded_one(
    tmp_path: Path,
) -> None:
    # A new library comes from the SQLModel tables (plus SQLite's own parts); a library made
    # by version 1 and taken through every upgrade step must end up with the same schema.
    new = tmp_path / "new.sqlite3"
    Library(new).close()
    upgraded = tmp_path / "upgraded.sqlite3"
    conn = sqlite3.connect(upgraded, isolation_level=None)
    migrations.upgrade(conn, None, steps=migrations.STEPS[:1])
    migrations.register_functions(conn)
    migrations.upgrade(conn, None)
    conn.close()
    fresh, old = _schema(new), _schema(upgraded)
    assert fresh.keys() == old.keys()
    for key in fresh:
        assert fresh[key] == old[key], key
    # The models are where the tables come from: every model column is in the new library.
    conn = sqlite3.connect(new)
    for table in SQLModel.metadata.sorted_tables:
        db_columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table.name})")]
        assert db_columns == [c.name for c in table.columns], table.name
    conn.close()


def test_add_and_get_round_trip_every_field(
    library: Library, make_article: NewArticleFactory
) -> None:
    item = make_article(
        title="Putin tells Macron",
        section_path=("News", "Russia"),
        byline="Jane Doe",
        publisher="Press TV",
        dateline="MOSCOW",
        published_on=dt.date(2022, 5, 3),
        source_url="https://www.presstv.ir/Detail/1",
        alternate_urls=("www.presstv.co.uk", "www.presstv.tv"),
        language="en",
        photo_caption="A caption.",
        photo_credit="AFP",
        body="One.\n\nTwo.",
        share_section="SHARE THIS ARTICLE\nPress TV News Roku",
        publisher_note="Press TV’s website can also be accessed at:",
        notes="check the date",
        tags=("ukraine", "Diplomacy"),
    )
    [article_id] = library.add_articles([item])
    record = library.get_article(article_id)
    assert record.editable() == ArticleFields(
        **{**item.fields.__dict__, "tags": ("Diplomacy", "ukraine")}
    )
    assert record.source is not None
    assert record.source.sha256 == item.sha256
    assert record.source.file_name == item.file_name
    assert len(record.uid) == 36
    assert library.source_bytes(article_id) == b"Putin tells Macron\n\nOne.\n\nTwo."
    assert record.to_json()["published_on"] == "2022-05-03"


def test_get_missing_article_raises(library: Library) -> None:
    with pytest.raises(ArticleNotFoundError, match="no article with id 42"):
        library.get_article(42)


def test_full_text_index_follows_edits(library: Library, make_article: NewArticleFactory) -> None:
    [a, b] = library.add_articles(
        [
            make_article(title="Zebra crossing", body="Pedestrians in Tehran."),
            make_article(title="Other", body="Nothing here about animals."),
        ]
    )
    assert [h.id for h in library.search("zebra")] == [a]
    library.update_fields(a, {"title": "Giraffe crossing"})
    assert library.search("zebra") == []
    assert [h.id for h in library.search("giraffe")] == [a]
    assert [h.id for h in library.search("tehran")] == [a]
    library.purge([a])
    assert library.search("giraffe") == []
    assert library.integrity_check() == []
    assert [h.id for h in library.search("animals")] == [b]


def test_search_matches_section_caption_byline_and_folds_diacritics(
    library: Library, make_article: NewArticleFactory
) -> None:
    [a] = library.add_articles(
        [
            make_article(
                section_path=("Новости", "Россия"),
                photo_caption="Élysée Palace at night.",
                byline="Zoë Quill",
            )
        ]
    )
    assert [h.id for h in library.search("россия")] == [a]
    assert [h.id for h in library.search("elysee")] == [a]
    assert [h.id for h in library.search("zoe")] == [a]
    hit = library.search("palace")[0]
    assert "[Palace]" in hit.snippet


def test_search_ranks_better_matches_first(
    library: Library, make_article: NewArticleFactory
) -> None:
    [weak, strong] = library.add_articles(
        [
            make_article(title="Markets", body="Oil prices rose. " + "Filler words. " * 50),
            make_article(title="Oil oil oil", body="Oil exports and oil prices."),
        ]
    )
    assert [h.id for h in library.search("oil")] == [strong, weak]


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "NEAR(", "a:b", "*", "(", "O'Brien", "AND", "-", '""', "title:", "^x"],
)
def test_hostile_queries_never_error(
    library: Library, make_article: NewArticleFactory, query: str
) -> None:
    library.add_articles([make_article(body="O'Brien said a:b near the unbalanced scale.")])
    message = None
    try:
        library.search(query)
        library.list_articles(query)
    except QueryError as exc:  # the other acceptable outcome: a one-line explanation
        message = str(exc)
    assert message is None or (message and "\n" not in message)


def test_prefix_and_phrase_queries(library: Library, make_article: NewArticleFactory) -> None:
    [a, b] = library.add_articles(
        [
            make_article(body="The ceasefire around the steelworks held."),
            make_article(body="Around the fire the steelworks workers sat."),
        ]
    )
    assert {h.id for h in library.search("steel*")} == {a, b}
    assert [h.id for h in library.search('"the steelworks held"')] == [a]


def test_update_validates_and_keeps_the_stored_values(
    library: Library, make_article: NewArticleFactory
) -> None:
    [a] = library.add_articles([make_article(title="Keep me")])
    with pytest.raises(ValidationError) as info:
        library.update_fields(
            a, {"title": "  ", "source_url": "not a url", "language": "english please"}
        )
    assert set(info.value.errors) == {"title", "source_url", "language"}
    assert library.get_article(a).title == "Keep me"


def test_tags_are_normalised_and_case_insensitive(
    library: Library, make_article: NewArticleFactory
) -> None:
    [a, b] = library.add_articles([make_article(), make_article()])
    library.update_fields(a, {"tags": ("  Ukraine  war ", "ukraine war", "Energy")})
    library.update_fields(b, {"tags": ("UKRAINE WAR",)})
    assert library.get_article(a).tags == ("Energy", "Ukraine war")
    assert library.get_article(b).tags == ("Ukraine war",)
    assert library.all_tags() == ["Energy", "Ukraine war"]


def test_trash_and_restore(library: Library, make_article: NewArticleFactory) -> None:
    [a, b] = library.add_articles([make_article(body="alpha"), make_article(body="beta")])
    changes = library.trash([a])
    assert changes.article_ids == {a}
    assert changes.removed
    assert library.count() == 1
    assert library.count(trash=True) == 1
    assert [s.id for s in library.list_articles()] == [b]
    assert [s.id for s in library.list_articles(trash=True)] == [a]
    assert library.search("alpha") == []
    assert library.get_article(a).deleted_at is not None
    library.restore([a])
    assert [s.id for s in library.list_articles()] == [a, b]
    assert [h.id for h in library.search("alpha")] == [a]


def test_sorting_happens_in_sql(library: Library, make_article: NewArticleFactory) -> None:
    ids = library.add_articles(
        [
            make_article(title="banana", published_on=dt.date(2022, 1, 2)),
            make_article(title="Apple", published_on=dt.date(2021, 1, 1)),
            make_article(title="cherry", published_on=None),
        ]
    )
    assert library.article_ids(sort="title") == [ids[1], ids[0], ids[2]]
    assert library.article_ids(sort="title", descending=True) == [ids[2], ids[0], ids[1]]
    assert library.article_ids(sort="published_on") == [ids[2], ids[1], ids[0]]
    assert library.summaries([ids[1]])[ids[1]].title == "Apple"


def test_existing_ids_by_hash(library: Library, make_article: NewArticleFactory) -> None:
    item = make_article()
    [a] = library.add_articles([item])
    assert library.existing_ids_by_hash([item.content_hash, "nope"]) == {item.content_hash: a}


@pytest.mark.sqlite_only  # FTS5's insert trigger (PostgreSQL's trigger is never dropped)
def test_the_insert_trigger_is_back_after_a_bulk_insert(
    library: Library, make_article: NewArticleFactory
) -> None:
    library.add_articles([make_article()])
    conn = sqlite3.connect(library.path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type='trigger'")}
    conn.close()
    assert migrations.FTS_INSERT_TRIGGER in names


def test_a_version_1_library_is_upgraded_with_its_articles_and_a_backup(
    library_path: Path,
) -> None:
    # A library as version 1 wrote it, with an article, is opened by this version.
    path = library_path.with_name("old.sqlite3")
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.upgrade(conn, path, steps=migrations.STEPS[:1])
    conn.execute(
        "INSERT INTO article (uid, title, content_hash, created_at, updated_at) "
        "VALUES ('u-1', 'From version one', 'h', '2022-01-01 00:00:00.000000', "
        "'2022-01-01 00:00:00.000000')"
    )
    conn.close()
    with Library(path) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION
        assert [s.title for s in lib.list_articles()] == ["From version one"]
        assert lib.saved_searches() == []
    assert len(list(path.parent.glob("old.sqlite3.v1-*.bak"))) == 1


@pytest.mark.sqlite_only  # SQLite's DDL
def test_a_new_library_after_the_first_needs_no_sqlalchemy(tmp_path: Path) -> None:
    # The first new library compiles the models' tables and caches the DDL per user; later
    # ones read it (importing SQLAlchemy and SQLModel was 0.4 s of every import's start).
    script = (
        "import sys\n"
        "from archive_app.core.library import Library\n"
        "Library(sys.argv[1]).close()\n"
        "print('sqlalchemy' in sys.modules, 'sqlmodel' in sys.modules)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def create(name: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / name)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert create("first.sqlite3") == "True True"
    assert create("second.sqlite3") == "False False"
    assert _schema(tmp_path / "first.sqlite3") == _schema(tmp_path / "second.sqlite3")


@pytest.mark.parametrize(
    "saved",
    [
        None,
        "not json",
        '["a list"]',
        '{"key": "models of another version", "statements": ["CREATE TABLE x (y)"]}',
        '{"key": "%s", "statements": [1, 2]}',
    ],
    ids=["missing", "garbage", "not-an-object", "other-models", "not-text"],
)
def test_a_missing_stale_or_damaged_ddl_cache_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: str | None
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = tmp_path / "ArticleArchive" / "schema-ddl.json"
    if saved is not None:
        cache.parent.mkdir(parents=True)
        cache.write_text(saved.replace("%s", migrations._ddl_key() or ""), encoding="utf-8")
    compiled = migrations.compile_model_tables()
    assert migrations.model_ddl() == compiled
    assert json.loads(cache.read_text(encoding="utf-8"))["statements"] == compiled
    assert [p.name for p in cache.parent.iterdir()] == ["schema-ddl.json"]  # no temp left


def test_an_unwritable_ddl_cache_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ArticleArchive").write_text("a file where the folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert migrations.model_ddl() == migrations.compile_model_tables()
    with Library(tmp_path / "lib.sqlite3") as lib:
        assert lib.count() == 0


@pytest.mark.sqlite_only  # SQLite's schema
def test_source_files_carry_no_sha256_index_new_or_upgraded(tmp_path: Path) -> None:
    # Nothing looks a source up by its SHA-256, and the index's random-order pages cost
    # every imported article a page write in a large library.
    Library(tmp_path / "new.sqlite3").close()
    old = tmp_path / "v8.sqlite3"
    conn = sqlite3.connect(old, isolation_level=None)
    migrations.upgrade(conn, None, steps=migrations.STEPS[:8])
    assert [r[1] for r in conn.execute("PRAGMA index_list(source_file)")] == [
        "ix_source_file_sha256"
    ]
    conn.close()
    Library(old).close()
    for path in (tmp_path / "new.sqlite3", old):
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA index_list(source_file)").fetchall() == []
        conn.close()
