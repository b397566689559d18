"""Shared fixtures: temporary libraries and article factories."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from archive_app.core.compression import compress
from archive_app.core.library import Library
from archive_app.core.records import ArticleFields, NewArticle
from tests import pg_server

TESTS_DIR = Path(__file__).parent
FIXTURES = TESTS_DIR / "fixtures" / "articles"
# A byte-identical copy of ../shared/seed/ (the sample that started the project), so the suite
# does not depend on where the checkout sits.
SEED_DIR = TESTS_DIR / "fixtures" / "seed"
SEED_FILE = SEED_DIR / "000_7f3caeb8daf06a9f.txt"


#: The database engines a library can live in. Tests under these folders that use a library
#: (the ``library`` or ``library_location`` fixture) run once per engine; elsewhere (the window,
#: fault injection) on SQLite only. ``@pytest.mark.sqlite_only`` keeps one test on SQLite.
ENGINE_TEST_DIRS = ("unit", "e2e")
ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    folder = Path(str(metafunc.definition.path)).relative_to(TESTS_DIR).parts[0]
    if folder not in ENGINE_TEST_DIRS or metafunc.definition.get_closest_marker("sqlite_only"):
        return  # the ``engine`` fixture: SQLite, and the test keeps its name
    metafunc.parametrize(
        "engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
    )


@pytest.fixture(scope="session", autouse=True)
def _user_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The suite's own per-user cache folder (the app keeps a new library's compiled tables
    there), inherited by the app processes the tests start: nothing lands in ~/.cache."""
    folder = tmp_path_factory.mktemp("user-cache")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture
def engine() -> str:
    """The engine of a test that is not run on both (see ``pytest_generate_tests``)."""
    return "sqlite"


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg_server.PgServer]:
    """A throwaway PostgreSQL server for the whole run (see tests/pg_server.py).

    Where PostgreSQL is not installed, every PostgreSQL test fails with one line naming what to
    install; ``-m 'not postgresql'`` leaves them out on purpose.
    """
    try:
        server = pg_server.start()
    except pg_server.PostgresUnavailableError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def library_location(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Where a new, empty library lives: a file path, or a ``postgresql://`` URL of an empty
    database (dropped after the test)."""
    if engine == "sqlite":
        yield str(tmp_path / "library.sqlite3")
        return
    server: pg_server.PgServer = request.getfixturevalue("postgres")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


@pytest.fixture
def library(library_location: str) -> Iterator[Library]:
    lib = Library(library_location)
    yield lib
    lib.close()


NewArticleFactory = Callable[..., NewArticle]


@pytest.fixture
def make_article() -> NewArticleFactory:
    counter = iter(range(1, 1_000_000))

    def make(**overrides: object) -> NewArticle:
        n = next(counter)
        fields = ArticleFields(
            **{
                "title": f"Article number {n}",
                "body": f"First paragraph of article {n}.\n\nSecond paragraph.",
                **overrides,
            }  # type: ignore[arg-type]
        )
        raw = f"{fields.title}\n\n{fields.body}".encode()
        return NewArticle(
            fields=fields,
            parse_warnings=(),
            content_hash=hashlib.sha256(raw).hexdigest(),
            file_name=f"article-{n}.txt",
            original_path=f"/tmp/article-{n}.txt",
            size=len(raw),
            sha256=hashlib.sha256(raw).hexdigest(),
            encoding="utf-8",
            compressed_data=compress(raw),
        )

    return make
