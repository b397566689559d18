"""Several people on one library: a version per article, and a stale save is a conflict."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from archive_app.core import migrations
from archive_app.core.errors import LibraryConflictError
from archive_app.core.library import Library
from archive_app.core.records import BatchEdit
from archive_app.core.storage import pg_schema
from tests import pg_server
from tests.conftest import NewArticleFactory


@pytest.fixture
def two(library_location: str) -> Iterator[tuple[Library, Library]]:
    """Two archivists' libraries: two Library objects on the same library."""
    ann = Library(library_location)
    bob = Library(library_location)
    yield ann, bob
    bob.close()
    ann.close()


def test_a_stale_save_is_a_conflict_with_both_versions_and_overwrites_nothing(
    two: tuple[Library, Library], make_article: NewArticleFactory
) -> None:
    ann, bob = two
    [article_id] = ann.add_articles([make_article(title="Original", body="Old body.")])
    ann_loaded, bob_loaded = ann.get_article(article_id), bob.get_article(article_id)
    assert ann_loaded.version == bob_loaded.version == 1

    bob.update_article(
        article_id,
        replace(bob_loaded.editable(), title="Bob's title"),
        expected_version=bob_loaded.version,
    )
    mine = replace(ann_loaded.editable(), body="Ann's body.")
    with pytest.raises(LibraryConflictError) as info:
        ann.update_article(article_id, mine, expected_version=ann_loaded.version)
    conflict = info.value
    assert conflict.article_id == article_id
    assert conflict.theirs.title == "Bob's title"
    assert conflict.theirs.body == "Old body."
    assert conflict.their_version == conflict.theirs.version == 2
    assert conflict.ours == mine
    assert conflict.expected_version == 1
    assert "changed by someone else" in str(conflict)

    stored = bob.get_article(article_id)
    assert (stored.title, stored.body, stored.version) == ("Bob's title", "Old body.", 2)
    assert len(bob.history(article_id)) == 1  # only Bob's save

    # Merging: Bob's title, Ann's body, saved over the version the conflict showed.
    merged = replace(mine, title=conflict.theirs.title)
    ann.update_article(article_id, merged, expected_version=conflict.their_version)
    final = bob.get_article(article_id)
    assert (final.title, final.body, final.version) == ("Bob's title", "Ann's body.", 3)
    assert [set(r.changes) for r in bob.history(article_id)] == [{"title"}, {"body"}]


def test_update_fields_checks_the_version_too(
    two: tuple[Library, Library], make_article: NewArticleFactory
) -> None:
    ann, bob = two
    [article_id] = ann.add_articles([make_article(title="Original")])
    bob.update_fields(article_id, {"notes": "Bob was here"}, expected_version=1)
    with pytest.raises(LibraryConflictError) as info:
        ann.update_fields(article_id, {"title": "Ann's"}, expected_version=1)
    assert info.value.theirs.notes == "Bob was here"
    assert ann.get_article(article_id).title == "Original"
    # Without a version a save goes over whatever is stored (the command line's ``set``).
    ann.update_fields(article_id, {"title": "Ann's"})
    assert bob.get_article(article_id).title == "Ann's"


def test_every_stored_change_raises_the_version_and_no_change_does_not(
    library: Library, make_article: NewArticleFactory
) -> None:
    [article_id, other] = library.add_articles([make_article(), make_article()])

    def version() -> int:
        return library.get_article(article_id).version

    library.update_fields(article_id, {"tags": ("one",)})  # a tag change alone
    assert version() == 2
    library.update_fields(article_id, {"tags": ("one",)})  # nothing changes: no revision
    assert version() == 2
    library.apply_batch_edit([article_id, other], BatchEdit(publisher="Batch"))
    assert version() == 3
    assert library.get_article(other).version == 2
    library.replace_parsed_fields({article_id: {"body": "Re-parsed."}})
    assert version() == 4
    library.revert(article_id, library.history(article_id)[0].id)
    assert version() == 5


@pytest.mark.sqlite_only  # SQLite's upgrade steps (PostgreSQL's are below)
def test_an_older_library_file_gets_versions_by_its_upgrade(library_path: Path) -> None:
    path = library_path.with_name("old.sqlite3")
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.upgrade(conn, path, steps=migrations.STEPS[:6])
    conn.execute(
        "INSERT INTO article (uid, title, content_hash, created_at, updated_at) "
        "VALUES ('u-1', 'From version six', 'h', '2022-01-01 00:00:00.000000', "
        "'2022-01-01 00:00:00.000000')"
    )
    conn.close()
    with Library(path) as lib:
        assert lib.schema_version == migrations.SCHEMA_VERSION == 9
        [article_id] = lib.article_ids()
        assert lib.get_article(article_id).version == 1
        lib.update_fields(article_id, {"title": "Edited"}, expected_version=1)
        assert lib.get_article(article_id).version == 2


@pytest.mark.postgresql
def test_an_older_server_library_gets_versions_when_opened(
    postgres: pg_server.PgServer, make_article: NewArticleFactory
) -> None:
    name = postgres.create_database()
    url = postgres.url(name)
    try:
        with Library(url) as lib:
            [article_id] = lib.add_articles([make_article()])
        with psycopg.connect(url) as conn:  # as schema 1 (before versions) left it
            conn.execute("ALTER TABLE article DROP COLUMN version")
            conn.execute("DROP FUNCTION archive_notify() CASCADE")  # and its triggers (3)
            conn.execute("UPDATE archive_meta SET value = '1' WHERE name = 'schema_version'")
        with Library(url, create=False) as lib:
            assert lib.schema_version == pg_schema.SCHEMA_VERSION
            assert lib.get_article(article_id).version == 1
            lib.update_fields(article_id, {"title": "Edited"}, expected_version=1)
            with pytest.raises(LibraryConflictError):
                lib.update_fields(article_id, {"title": "Stale"}, expected_version=1)
        with psycopg.connect(url) as conn:
            triggers = {
                r[0] for r in conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            }
        assert {f"{t}_notify" for t in pg_schema.NOTIFYING_TABLES} <= triggers
    finally:
        postgres.drop_database(name)
