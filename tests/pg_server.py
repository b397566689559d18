"""A throwaway PostgreSQL server for the tests: ``initdb`` in a temporary folder, a Unix socket.

The server listens on a socket in its own temporary folder only (no TCP), trusts local
connections, runs with ``fsync`` off (a test database is never worth keeping) and is stopped and
its folder removed when the context ends, also after a failed test. PostgreSQL refuses to run as
root: as root the server runs as an unprivileged account (``ARCHIVE_APP_TEST_PG_USER``, else
``nobody``), as anyone else as that user. If the test process dies without cleaning up, the
server gets SIGQUIT (Linux's parent-death signal), so no ``postgres`` outlives the suite.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: The superuser's role name in the throwaway cluster (whoever runs it).
SUPERUSER = "archive"
USER_ENV_VAR = "ARCHIVE_APP_TEST_PG_USER"
INSTALL_HINT = (
    "PostgreSQL is not installed (no initdb and postgres found on PATH or in "
    "/usr/lib/postgresql/*/bin): install it (Debian/Ubuntu: sudo apt-get install postgresql; "
    "'make test' installs it), or leave the PostgreSQL tests out with -m 'not postgresql'"
)


class PostgresUnavailableError(RuntimeError):
    """The throwaway server cannot be started (the message says what to install or fix)."""


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb`` and ``postgres``: PATH first, then Debian's layout."""
    initdb = shutil.which("initdb")
    if initdb:
        folder = Path(initdb).resolve().parent
        if (folder / "postgres").exists():
            return folder
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)] or [0],
    )
    for folder in reversed(candidates):
        if (folder / "initdb").exists() and (folder / "postgres").exists():
            return folder
    return None


def _run_as() -> pwd.struct_passwd | None:
    """The account the server runs as when we are root (``None``: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get(USER_ENV_VAR, "nobody")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise PostgresUnavailableError(
            f"the tests run as root and PostgreSQL refuses root, but there is no user {name!r} "
            f"to run it as; create one or set {USER_ENV_VAR} to an unprivileged user"
        ) from None


def _child_setup(account: pwd.struct_passwd | None) -> Callable[[], None]:
    def setup() -> None:
        os.setsid()  # its own process group: a Ctrl+C in the terminal goes to pytest only
        if account is not None:
            os.setgroups([])
            os.setgid(account.pw_gid)
            os.setuid(account.pw_uid)
        if sys.platform.startswith("linux"):
            # After the uid change (a credential change clears it): SIGQUIT when we die.
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGQUIT)  # PR_SET_PDEATHSIG

    return setup


@dataclass
class PgServer:
    """A running throwaway server."""

    root: Path
    process: subprocess.Popen[bytes]
    log: Path
    _counter: int = 0

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(self, database: str) -> str:
        """A ``postgresql://`` URL for ``database`` over the server's socket."""
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def admin(self, sql: str) -> None:
        """Run one statement on the maintenance database (autocommit)."""
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self) -> str:
        """Create an empty database with a new name; return the name."""
        self._counter += 1
        name = f"test_{os.getpid()}_{self._counter}"
        self.admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever is still connected."""
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Fast shutdown (clients are disconnected), then remove the folder."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)
                try:
                    self.process.wait(30)
                except subprocess.TimeoutExpired:
                    self.process.send_signal(signal.SIGQUIT)
                    try:
                        self.process.wait(10)
                    except subprocess.TimeoutExpired:
                        self.process.kill()
                        self.process.wait()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def start(timeout: float = 60.0) -> PgServer:
    """Create a cluster in a new temporary folder and start a server on it.

    Raises:
        PostgresUnavailableError: PostgreSQL is not installed, or the server did not start.
    """
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailableError(INSTALL_HINT)
    account = _run_as()
    # Short and in /tmp: a Unix socket's path must stay under ~100 bytes.
    root = Path(
        tempfile.mkdtemp(prefix="archive-pg-", dir="/tmp" if Path("/tmp").is_dir() else None)
    )
    try:
        if account is not None:
            os.chown(root, account.pw_uid, account.pw_gid)
        data, log = root / "data", root / "server.log"
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "TZ": "UTC"}
        init = subprocess.run(
            [
                str(bin_dir / "initdb"),
                "-D", str(data),
                "-U", SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            capture_output=True,
            cwd=root,
            env=env,
            preexec_fn=_child_setup(account),  # single-threaded set-up
            check=False,
        )  # fmt: skip
        if init.returncode != 0:
            raise PostgresUnavailableError(
                f"initdb failed: {init.stderr.decode(errors='replace').strip()[-500:]}"
            )
        with log.open("wb") as log_file:
            if account is not None:
                os.chown(log, account.pw_uid, account.pw_gid)
            process = subprocess.Popen(
                [
                    str(bin_dir / "postgres"),
                    "-D", str(data),
                    "-k", str(root),
                    "-c", "listen_addresses=",
                    "-c", "fsync=off",
                    "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off",
                    "-c", "max_connections=100",
                    "-c", "dynamic_shared_memory_type=mmap",
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                cwd=root,
                env=env,
                preexec_fn=_child_setup(account),
            )  # fmt: skip
        server = PgServer(root=root, process=process, log=log)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        _wait_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: PgServer, timeout: float) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise PostgresUnavailableError(f"postgres exited at start:\n{_tail(server.log)}")
        try:
            with psycopg.connect(
                host=str(server.socket_dir), user=SUPERUSER, dbname="postgres", connect_timeout=2
            ):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise PostgresUnavailableError(
                    f"postgres did not accept connections within {timeout:.0f} s:\n"
                    f"{_tail(server.log)}"
                ) from None
            time.sleep(0.05)


@contextlib.contextmanager
def running() -> Iterator[PgServer]:
    """A throwaway server for the length of the block (stopped and removed afterwards)."""
    server = start()
    try:
        yield server
    finally:
        server.stop()
