"""What only a library on PostgreSQL has: URLs, foreign databases, roles, several writers."""

from __future__ import annotations

import datetime as dt
import inspect
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from archive_app.core.errors import LibraryError, LibraryReadOnlyError, NoLibraryFileError
from archive_app.core.library import Library
from archive_app.core.storage import is_server_url, pg_schema, redact_url
from archive_app.core.storage.pg_query import compile_pg_query
from archive_app.core.storage.postgres import PostgresLibrary
from archive_app.paths import resolve_library
from tests import pg_server
from tests.conftest import NewArticleFactory

pytestmark = pytest.mark.postgresql


@pytest.fixture
def database(postgres: pg_server.PgServer) -> Iterator[str]:
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)


def test_a_url_opens_a_postgres_library_and_a_path_a_sqlite_one(
    database: str, tmp_path: Path
) -> None:
    with Library(database) as lib:
        assert isinstance(lib, PostgresLibrary)
        assert lib.count() == 0
        assert lib.location == database  # no password in it: shown as it is
    with Library(tmp_path / "x.sqlite3") as lib:
        assert type(lib) is Library
        assert lib.file == lib.path == tmp_path / "x.sqlite3"
    assert not list(tmp_path.glob("test_*"))


def test_a_server_library_has_no_file_to_take_for_one(
    database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # ``path`` once was Path(dbname): code that took it for a file wrote beside the program.
    from archive_app.cli import main
    from archive_app.gui import auto_backup

    monkeypatch.chdir(tmp_path)
    with Library(database) as lib:
        assert lib.file is None
        assert not hasattr(lib, "path")
        with pytest.raises(NoLibraryFileError, match=r"library\.location"):
            _ = lib.path
        assert not auto_backup.is_due(lib, dt.datetime.now())
        with pytest.raises(LibraryError, match="on a server"):
            auto_backup.write_backup(lib, 5)
    assert main(["--library", database, "backup"]) == 1
    assert "--format bag" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_urls_come_through_the_environment_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql://ann@db.example.org:5433/archive?sslmode=require"
    monkeypatch.setenv("ARCHIVE_APP_LIBRARY", url)
    assert resolve_library() == url
    assert resolve_library("/tmp/x.sqlite3").as_posix() == "/tmp/x.sqlite3"  # type: ignore[union-attr]
    assert is_server_url("postgres://x/y")
    assert not is_server_url("postgresql.sqlite3")


def test_passwords_are_never_shown(postgres: pg_server.PgServer) -> None:
    assert redact_url("postgresql://ann:s3cret@host/db") == "postgresql://ann:***@host/db"
    assert redact_url("postgresql://host/db?password=s3cret&x=1") == (
        "postgresql://host/db?password=***&x=1"
    )
    url = f"postgresql://nobody:s3cret@/no_such_db?host={postgres.socket_dir}"
    with pytest.raises(LibraryError) as info:
        Library(url)
    message = str(info.value)
    assert "s3cret" not in message
    assert "\n" not in message
    assert "no_such_db" in message


def test_an_empty_database_is_no_library_until_an_import(database: str) -> None:
    with pytest.raises(LibraryError, match="there is no library in"):
        Library(database, create=False)
    with Library(database) as lib:
        assert lib.schema_version == pg_schema.SCHEMA_VERSION
    with Library(database, create=False) as lib:
        assert lib.count() == 0


def test_another_programs_database_is_refused_and_left_alone(database: str) -> None:
    with psycopg.connect(database) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(LibraryError, match="another program's tables"):
        Library(database)
    with psycopg.connect(database) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    assert tables == [("invoices",)]


def test_a_read_only_role_gets_a_read_only_library(
    postgres: pg_server.PgServer, database: str, make_article: NewArticleFactory
) -> None:
    with Library(database) as lib:
        [article_id] = lib.add_articles([make_article(title="Readable", body="Plain words.")])
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS reader")
        conn.execute("CREATE ROLE reader LOGIN")
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    try:
        url = database.replace(f"{pg_server.SUPERUSER}@", "reader@")
        with Library(url, create=False) as lib:
            assert lib.read_only
            assert "reader may only read" in lib.read_only_reason
            assert [h.id for h in lib.search("plain")] == [article_id]
            assert lib.get_article(article_id).title == "Readable"
            with pytest.raises(LibraryReadOnlyError, match="read-only"):
                lib.update_fields(article_id, {"title": "Changed"})
        with Library(database) as lib:
            assert lib.get_article(article_id).title == "Readable"
    finally:
        postgres.drop_database(urlsplit(database).path.lstrip("/"))  # its grants first
        with psycopg.connect(postgres.url("postgres"), autocommit=True) as conn:
            conn.execute("DROP ROLE IF EXISTS reader")


def test_two_importers_at_once_store_each_article_once(
    database: str, make_article: NewArticleFactory
) -> None:
    items = [make_article() for _ in range(40)]
    results: list[list[tuple[int, bool]]] = []
    errors: list[BaseException] = []

    def run(part: list) -> None:  # type: ignore[type-arg]
        try:
            with Library(database) as lib:
                results.append(lib.add_new_articles(part))
        except BaseException as exc:  # pragma: no cover (reported below)
            errors.append(exc)

    with Library(database):
        pass  # the schema first
    threads = [threading.Thread(target=run, args=(items[i:] + items[:i],)) for i in (0, 20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Library(database) as lib:
        assert lib.count() == 40
    new = sum(is_new for result in results for _id, is_new in result)
    assert new == 40


def test_the_check_finds_a_stale_full_text_vector(
    database: str, make_article: NewArticleFactory
) -> None:
    with Library(database) as lib:
        [article_id] = lib.add_articles([make_article()])
        assert lib.check() == []
    with psycopg.connect(database) as conn:
        conn.execute("ALTER TABLE article DISABLE TRIGGER article_search_biu")
        conn.execute(
            "UPDATE article SET body = 'changed behind its back' WHERE id = %s", [article_id]
        )
    with Library(database) as lib:
        assert lib.check() == ["full-text index: 1 articles are indexed with outdated text"]


def test_backup_points_to_the_portable_copy(database: str, tmp_path: Path) -> None:
    with Library(database) as lib, pytest.raises(LibraryError, match="--format bag"):
        lib.backup(tmp_path / "copy")
    assert not list(tmp_path.iterdir())


def test_user_text_never_reaches_tsquery_as_syntax() -> None:
    compiled = compile_pg_query("O'Brien & | ! :* <-> 'x' title:a:b")
    assert compiled.tsquery == "('O' <-> 'Brien') & 'x' & ('a':A <-> 'b':A)"
    byline = compile_pg_query("byline:doe")
    assert byline.match == "a.search_byline @@ to_tsquery('archive_text', %s)"
    assert byline.match_params == ["'doe'"]


#: Methods of ``Library`` that only call other public methods, so they serve both engines.
ENGINE_NEUTRAL = {"read_only", "plan_batch_edit", "update_fields", "trash", "restore", "__exit__"}


def _defined_by(cls: type, name: str) -> type:
    return next(klass for klass in cls.__mro__ if name in vars(klass))


def test_every_library_method_has_a_postgres_implementation() -> None:
    # A method added to Library (SQLite SQL) must also be written for PostgreSQL, or be
    # listed above as engine-neutral; otherwise it would run SQLite code on the server. The
    # PostgreSQL methods live in the parts of ``storage.postgres``: any class but Library.
    public = {
        name
        for name, value in vars(Library).items()
        if (not name.startswith("_") or name in ("__enter__", "__exit__"))
        and (callable(value) or isinstance(value, property | staticmethod))
    }
    missing = {
        name
        for name in public - ENGINE_NEUTRAL
        if _defined_by(PostgresLibrary, name) in Library.__mro__
    }
    assert missing == set()


def test_postgres_methods_take_the_same_arguments() -> None:
    # Callers pass keywords the SQLite library takes (the trash view's facets(trash=True)).
    different = {}
    for name, value in vars(Library).items():
        if name.startswith("_") or not callable(value):
            continue
        ours = getattr(PostgresLibrary, name)
        if ours is value:
            continue
        theirs, mine = inspect.signature(value), inspect.signature(ours)
        if list(theirs.parameters) != list(mine.parameters):
            different[name] = (str(theirs), str(mine))
    assert different == {}


def test_the_command_line_names_the_server_without_its_password(
    postgres: pg_server.PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from archive_app.cli import main

    url = f"postgresql://nobody:s3cret@/missing_db?host={postgres.socket_dir}"
    assert main(["--library", url, "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("article-archive: error: cannot open postgresql://nobody:***@/missing_db")
    assert "s3cret" not in err


def test_times_are_naive_utc_whatever_the_servers_time_zone(
    database: str, make_article: NewArticleFactory
) -> None:
    # As on SQLite: the window and the exports take a naive time for UTC.
    dbname = urlsplit(database).path.lstrip("/")
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {dbname} SET TimeZone = 'Asia/Kolkata'")
    created = dt.datetime(2024, 3, 1, 12, 30, 15, 123456)
    with Library(database) as lib:
        [article_id] = lib.add_articles([replace(make_article(), created_at=created)])
        record = lib.get_article(article_id)
        assert record.created_at == created
        assert record.source is not None
        assert record.source.imported_at.tzinfo is None
        assert lib.summaries([article_id])[article_id].created_at == created
