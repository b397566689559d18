"""The SQLite library's connection pool, and what opening a library leaves out (start time)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from archive_app.core.library import Library
from archive_app.core.storage.sqlite_pool import ConnectionPool

pytestmark = pytest.mark.sqlite_only


def _pool(tmp_path: Path) -> tuple[ConnectionPool, list[sqlite3.Connection]]:
    made: list[sqlite3.Connection] = []

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(
            tmp_path / "db.sqlite3", isolation_level=None, check_same_thread=False
        )
        made.append(conn)
        return conn

    return ConnectionPool(connect, keep=2), made


def _is_closed(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def test_a_connection_left_in_a_transaction_comes_back_rolled_back(tmp_path: Path) -> None:
    pool, _made = _pool(tmp_path)
    with pool.connection() as conn:
        conn.dbapi.execute("CREATE TABLE t (x)")
    lent: list[object] = []

    def fail_mid_transaction() -> None:
        with pool.connection() as conn:
            lent.append(conn)
            conn.dbapi.execute("BEGIN IMMEDIATE")
            conn.dbapi.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("the caller failed between BEGIN and COMMIT")

    with pytest.raises(RuntimeError):
        fail_mid_transaction()
    with pool.connection() as again:
        assert again is lent[0]  # lent again, without the write lock or the half-done row
        assert not again.dbapi.in_transaction
        assert again.dbapi.execute("SELECT count(*) FROM t").fetchone() == (0,)
    pool.dispose()


def test_threads_get_connections_of_their_own_and_idle_ones_are_kept(tmp_path: Path) -> None:
    pool, made = _pool(tmp_path)
    inside = threading.Barrier(3)
    used: list[int] = []

    def work() -> None:
        with pool.connection() as conn:
            used.append(id(conn.dbapi))
            inside.wait(timeout=10)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(set(used)) == 3  # all three at once: three connections
    assert sum(not _is_closed(c) for c in made) == 2  # two kept idle (keep=2), one closed
    pool.dispose()
    assert all(_is_closed(c) for c in made)


def test_dispose_closes_a_lent_connection_when_it_comes_back(tmp_path: Path) -> None:
    pool, made = _pool(tmp_path)
    with pool.connection() as conn:
        pool.dispose()  # the library closes while a worker still reads
        assert conn.dbapi.execute("SELECT 1").fetchone() == (1,)
    assert _is_closed(made[0])
    with pool.connection() as fresh:  # still usable, with a new connection
        assert fresh.dbapi is not made[0]
    pool.dispose()


def test_opening_a_sqlite_library_does_not_load_sqlalchemy(tmp_path: Path) -> None:
    # SQLAlchemy costs 0.4-0.6 s of every start; an existing file library never needs it.
    path = tmp_path / "library.sqlite3"
    Library(path).close()  # created (the schema tools load SQLAlchemy then)
    code = (
        "import sys\n"
        "from archive_app.core.library import Library\n"
        f"with Library({str(path)!r}) as lib:\n"
        "    lib.count()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
