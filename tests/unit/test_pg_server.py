"""The tests' throwaway PostgreSQL server: it starts, serves, and leaves nothing behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import pg_server

pytestmark = pytest.mark.postgresql


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() if Path("/proc").is_dir() else True


def test_the_server_is_stopped_and_removed_even_when_the_block_fails() -> None:
    import psycopg

    if pg_server.find_bin_dir() is None:
        pytest.fail(pg_server.INSTALL_HINT, pytrace=False)
    seen: list[pg_server.PgServer] = []

    def failing_test() -> None:
        with pg_server.running() as server:
            seen.append(server)
            name = server.create_database()
            with psycopg.connect(server.url(name)) as conn:
                assert conn.execute("SELECT current_user").fetchone() == (pg_server.SUPERUSER,)
                assert conn.execute("SHOW listen_addresses").fetchone() == ("",)  # no TCP
            raise RuntimeError("a failing test")

    with pytest.raises(RuntimeError, match="a failing test"):
        failing_test()
    root, pid = seen[0].root, seen[0].process.pid
    assert not root.exists()
    assert not _alive(pid)


def test_the_server_runs_as_an_unprivileged_user() -> None:
    account = pg_server._run_as()
    if os.geteuid() == 0:
        assert account is not None
        assert account.pw_uid != 0
    else:
        assert account is None  # as ourselves


def test_without_postgresql_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pg_server, "find_bin_dir", lambda: None)
    with pytest.raises(pg_server.PostgresUnavailableError) as info:
        pg_server.start()
    message = str(info.value)
    assert "\n" not in message
    assert "apt-get install postgresql" in message
    assert "-m 'not postgresql'" in message
