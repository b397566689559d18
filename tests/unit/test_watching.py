"""Other programs' writes are noticed: a library's change watcher, on both engines."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from archive_app.core.library import Library
from archive_app.core.watching import ChangeWatcher
from tests.conftest import NewArticleFactory


def _noticed(watcher: ChangeWatcher, within: float = 2.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if watcher.poll():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def two(library_location: str) -> Iterator[tuple[Library, Library]]:
    writer = Library(library_location)
    watched = Library(library_location)
    yield writer, watched
    watched.close()
    writer.close()


def test_another_librarys_writes_are_noticed_within_two_seconds(
    two: tuple[Library, Library], make_article: NewArticleFactory
) -> None:
    writer, watched = two
    [article_id] = writer.add_articles([make_article()])
    watcher = watched.watch_changes()
    try:
        assert not watcher.poll()  # nothing since it started
        writer.update_fields(article_id, {"title": "Changed elsewhere"})
        assert _noticed(watcher)
        assert not watcher.poll()  # told once
        writer.add_articles([make_article()])
        assert _noticed(watcher)
        writer.save_search("Mine", "title:changed")
        assert _noticed(watcher)
        writer.trash([article_id])
        assert _noticed(watcher)
        # Reading is no change.
        watched.search("changed")
        writer.get_article(article_id)
        assert not _noticed(watcher, within=0.5)
    finally:
        watcher.close()


@pytest.mark.postgresql
def test_a_server_librarys_own_writes_are_not_news_to_it(
    postgres: object, make_article: NewArticleFactory
) -> None:
    from tests import pg_server

    assert isinstance(postgres, pg_server.PgServer)
    name = postgres.create_database()
    try:
        with Library(postgres.url(name)) as lib, Library(postgres.url(name)) as other:
            [article_id] = lib.add_articles([make_article()])
            watcher = lib.watch_changes()
            assert watcher.fileno() is not None  # a socket to wait on, not a timer
            try:
                lib.update_fields(article_id, {"title": "Mine"})
                assert not _noticed(watcher, within=0.5)
                other.update_fields(article_id, {"title": "Theirs"})
                assert _noticed(watcher)
            finally:
                watcher.close()
    finally:
        postgres.drop_database(name)


@pytest.mark.postgresql
def test_a_lost_listening_connection_is_made_again_and_says_it_missed_news(
    postgres: object, make_article: NewArticleFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    from archive_app.core.storage.postgres.notify import PgChangeWatcher
    from tests import pg_server

    assert isinstance(postgres, pg_server.PgServer)
    monkeypatch.setattr(PgChangeWatcher, "RETRY_S", 0.1)
    name = postgres.create_database()
    try:
        with Library(postgres.url(name)) as lib, Library(postgres.url(name)) as other:
            [article_id] = lib.add_articles([make_article()])
            watcher = lib.watch_changes()
            try:
                pid = watcher._conn.info.backend_pid  # type: ignore[attr-defined]
                with psycopg.connect(postgres.url(name), autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", [pid])
                other.update_fields(article_id, {"title": "While it was away"})
                assert _noticed(watcher)  # it listens again, and says it may have missed some
                assert watcher.fileno() is not None
                assert not _noticed(watcher, within=0.3)
                other.update_fields(article_id, {"title": "After"})
                assert _noticed(watcher)
            finally:
                watcher.close()
    finally:
        postgres.drop_database(name)
