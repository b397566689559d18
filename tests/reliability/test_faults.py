"""Nothing lost under real conditions: concurrency, faults and odd files, through the real CLI."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from archive_app.core import migrations

ROOT = Path(__file__).parents[2]


def cli(
    library: Path,
    *args: str,
    env: dict[str, str] | None = None,
    preexec: object = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``article-archive --library LIBRARY ARGS`` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "archive_app", "--library", str(library), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        preexec_fn=preexec,  # type: ignore[arg-type]
    )


def write_articles(folder: Path, count: int, *, size: int = 0, prefix: str = "Story") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    filler = ("Padding words for a longer body of reporting text. " * (size // 50 + 1))[:size]
    for n in range(count):
        (folder / f"{prefix.lower()}-{n:05d}.txt").write_text(
            f"{prefix} headline number {n}\n\nThe body of story {n}, with words. {filler}\n",
            encoding="utf-8",
        )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def count_articles(library: Path) -> int:
    conn = sqlite3.connect(library)
    try:
        return int(conn.execute("SELECT count(*) FROM article").fetchone()[0])
    finally:
        conn.close()


def integrity(library: Path) -> str:
    conn = sqlite3.connect(library)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start_cli(library: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "archive_app", "--library", str(library), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def finish(procs: Sequence[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        results.append((proc.returncode, out, err))
    return results


# -- concurrency --------------------------------------------------------------------------


def test_two_imports_of_one_folder_at_once_store_every_article_once(tmp_path: Path) -> None:
    write_articles(tmp_path / "batch", 1200)
    library = tmp_path / "lib.sqlite3"
    assert cli(library, "import", str(tmp_path / "batch" / "story-00000.txt")).returncode == 0
    procs = [start_cli(library, "import", str(tmp_path / "batch"), "--json") for _ in range(2)]
    results = finish(procs)
    for code, _out, err in results:
        assert code == 0, err
    reports = [json.loads(out) for _code, out, _err in results]
    assert count_articles(library) == 1200
    # Between them every file was stored exactly once; the rest are reported as duplicates.
    assert sum(len(r["imported"]) for r in reports) == 1199
    assert all(len(r["imported"]) + len(r["duplicates"]) == 1200 for r in reports)
    assert integrity(library) == "ok"


def test_two_first_opens_of_a_new_library_at_once_both_work(tmp_path: Path) -> None:
    for attempt in range(3):
        library = tmp_path / f"new-{attempt}.sqlite3"
        folders = []
        for n in range(2):
            folder = tmp_path / f"a{attempt}-{n}"
            write_articles(folder, 5, prefix=f"Attempt{attempt}Writer{n}")
            folders.append(folder)
        results = finish([start_cli(library, "import", str(f)) for f in folders])
        for code, _out, err in results:
            assert code == 0, err
        assert count_articles(library) == 10


def test_a_write_waits_for_another_writer_then_fails_in_one_line(tmp_path: Path) -> None:
    library = tmp_path / "lib.sqlite3"
    write_articles(tmp_path / "first", 2)
    assert cli(library, "import", str(tmp_path / "first")).returncode == 0
    write_articles(tmp_path / "more", 3, prefix="More")
    holder = sqlite3.connect(library, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        result = cli(
            library, "import", str(tmp_path / "more"), env={"ARCHIVE_APP_BUSY_TIMEOUT": "2"}
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_one_line_error(result, "busy", "another program", "0 articles stored")
    assert count_articles(library) == 2
    # Busy is not an error while the other writer finishes within the wait.
    holder = sqlite3.connect(library, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    proc = start_cli(library, "import", str(tmp_path / "more"))
    time.sleep(1.5)  # hold the lock a while: another process, no signal to wait on
    holder.execute("ROLLBACK")
    holder.close()
    [(code, _out, err)] = finish([proc])
    assert code == 0, err
    assert count_articles(library) == 5


# -- files that are not ours ----------------------------------------------------------------


@pytest.mark.parametrize("user_version", [0, 2])
def test_another_programs_sqlite_file_is_refused_untouched(
    tmp_path: Path, user_version: int
) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('keep me')")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    before = sha(other)
    write_articles(tmp_path / "in", 2)
    for args in (("import", str(tmp_path / "in")), ("list",), ("search", "story")):
        result = cli(other, *args)
        assert_one_line_error(result, "another program", "not changed")
    assert sha(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "other.db"]  # no -wal, no .bak


def test_a_foreign_file_with_another_application_id_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA application_id = 12345")
    conn.execute("CREATE TABLE article (id INTEGER)")
    conn.commit()
    conn.close()
    before = sha(other)
    assert_one_line_error(cli(other, "list"), "another program")
    assert sha(other) == before


def test_read_commands_never_create_a_library(tmp_path: Path) -> None:
    library = tmp_path / "missing" / "deeper" / "lib.sqlite3"
    for args in (("list",), ("search", "word"), ("show", "1")):
        assert_one_line_error(cli(library, *args), "no library")
    assert not (tmp_path / "missing").exists()


# -- odd files ------------------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_imported_and_the_rest_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    write_articles(folder, 3)
    bad_name = os.fsdecode(b"caf\xe9-story.txt")  # Latin-1 bytes: not valid UTF-8
    (folder / bad_name).write_text("Cafe headline\n\nA body about a cafe.\n", encoding="utf-8")
    library = tmp_path / "lib.sqlite3"
    result = cli(library, "import", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["imported"]) == 4
    shown = [json.loads(cli(library, "show", str(i), "--json").stdout) for i in report["imported"]]
    names = {s["source"]["file_name"] for s in shown}
    assert "caf\ufffd-story.txt" in names  # shown with a replacement mark


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifos_and_sockets_in_a_folder_are_skipped_without_being_opened(tmp_path: Path) -> None:
    import socket

    folder = tmp_path / "odd"
    write_articles(folder, 2)
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    try:
        result = cli(tmp_path / "lib.sqlite3", "import", str(folder), "--json", timeout=60)
    finally:
        sock.close()
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["imported"]) == 2
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert skipped == {"pipe.txt": "not a regular file", "sock.txt": "not a regular file"}


# -- faults ---------------------------------------------------------------------------------


def _file_size_limit(limit: int) -> object:
    def apply() -> None:
        # Writes past the limit fail (EFBIG) as on a full disk, instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_during_import_stops_in_one_line_and_the_library_still_works(
    tmp_path: Path,
) -> None:
    library = tmp_path / "lib.sqlite3"
    write_articles(tmp_path / "first", 5)
    assert cli(library, "import", str(tmp_path / "first")).returncode == 0
    write_articles(tmp_path / "big", 1500, size=6000, prefix="Big")
    result = cli(
        library,
        "import",
        str(tmp_path / "big"),
        preexec=_file_size_limit(library.stat().st_size + 4 * 1024 * 1024),
    )
    assert_one_line_error(result, "stored before it stopped")
    assert integrity(library) == "ok"
    stored = count_articles(library)
    assert 5 <= stored < 1505
    assert f"({stored - 5} articles stored" in result.stderr
    # Every read command still works afterwards, and the rest can be imported.
    listed = cli(library, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == stored
    assert cli(library, "search", "headline", "--limit", "3").returncode == 0
    assert cli(library, "show", "1").returncode == 0
    again = cli(library, "import", str(tmp_path / "big"), "--json")
    assert again.returncode == 0, again.stderr
    assert count_articles(library) == 1505


def _read_only_command(folder: Path, argv: list[str]) -> list[str]:
    """Run ``argv`` with ``folder`` read-only: a read-only bind mount as root, else chmod."""
    return [
        "unshare",
        "-m",
        "sh",
        "-c",
        'mount --bind -o ro "$0" "$0" && exec "$@"',
        str(folder),
        *argv,
    ]


def _run_read_only(folder: Path, library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "archive_app", "--library", str(library), *args]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if os.geteuid() == 0 and shutil.which("unshare"):
        argv = _read_only_command(folder, argv)
        return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    mode = folder.stat().st_mode
    library.chmod(0o444)
    folder.chmod(0o555)
    try:
        return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    finally:
        folder.chmod(mode)
        library.chmod(0o644)


def test_a_read_only_library_opens_read_only_and_every_read_works(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    library = folder / "lib.sqlite3"
    write_articles(tmp_path / "in", 3)
    assert cli(library, "import", str(tmp_path / "in")).returncode == 0
    before = sha(library)
    listed = _run_read_only(folder, library, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 3
    assert "read-only" in listed.stderr
    assert listed.stderr.count("\n") == 1
    found = _run_read_only(folder, library, "search", "headline", "--json")
    assert found.returncode == 0, found.stderr
    assert len(json.loads(found.stdout)) == 3
    write_articles(tmp_path / "more", 2, prefix="More")
    result = _run_read_only(folder, library, "import", str(tmp_path / "more"))
    assert_one_line_error(result, "read-only")
    assert sha(library) == before


def test_a_corrupt_library_gives_one_line(tmp_path: Path) -> None:
    library = tmp_path / "lib.sqlite3"
    write_articles(tmp_path / "in", 50, size=4000)
    assert cli(library, "import", str(tmp_path / "in")).returncode == 0
    conn = sqlite3.connect(library)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(library.read_bytes())
    for page in range(2, len(data) // page_size):  # every page but the header's
        data[page * page_size : page * page_size + 100] = b"\xff" * 100
    library.write_bytes(bytes(data))
    result = cli(library, "list")
    assert_one_line_error(result, "damaged")


def test_an_old_library_with_duplicates_keeps_and_reports_them(tmp_path: Path) -> None:
    library = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(library, isolation_level=None)
    migrations.upgrade(conn, library, steps=migrations.STEPS[:3])
    now = "2026-01-01 00:00:00.000000"
    for n in range(3):
        conn.execute(
            "INSERT INTO article (uid, title, content_hash, created_at, updated_at) "
            "VALUES (?, ?, 'same-hash', ?, ?)",
            (f"uid-{n}", f"Copy {n}", now, now),
        )
    conn.close()
    result = cli(library, "list", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3  # nothing dropped
    assert "article 2 is a duplicate of article 1" in result.stderr
    assert "article 3 is a duplicate of article 1" in result.stderr
    shown = json.loads(cli(library, "show", "3", "--json").stdout)
    assert shown["needs_review"]
    assert any("duplicate of article 1" in w for w in shown["parse_warnings"])
    conn = sqlite3.connect(library)
    # Another writer of articles needs the function the sort-key trigger calls (as calibre's
    # title_sort): without it SQLite refuses the insert outright; with it, the unique hash does.
    with pytest.raises(sqlite3.OperationalError, match="archive_title_key"):
        conn.execute(
            "INSERT INTO article (uid, title, content_hash, created_at, updated_at) "
            "VALUES ('u9', 'x', 'same-hash', ?, ?)",
            (now, now),
        )
    migrations.register_functions(conn)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO article (uid, title, content_hash, created_at, updated_at) "
            "VALUES ('u9', 'x', 'same-hash', ?, ?)",
            (now, now),
        )
    conn.close()


def _peak_rss_of_import(library: Path, path: Path) -> float:
    """Peak RSS (MB) of a command-line import of ``path``, measured in a wrapper process."""
    code = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    argv = [sys.executable, "-m", "archive_app", "--library", str(library), "import", str(path)]
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return int(out.split()[-1]) / 1024


def test_a_huge_file_imports_with_memory_bounded_by_a_small_multiple_of_its_size(
    tmp_path: Path,
) -> None:
    small = tmp_path / "small.txt"
    small.write_text("Headline\n\nA short body.\n")
    baseline = _peak_rss_of_import(tmp_path / "a.sqlite3", small)
    huge = tmp_path / "huge.txt"
    para = "Длинный абзац простого текста новостей, который продолжается. " * 10 + "\n"
    huge.write_text("Huge file headline\n\n" + para * (24 * 1024 * 1024 // len(para.encode())))
    size_mb = huge.stat().st_size / 1048576
    peak = _peak_rss_of_import(tmp_path / "b.sqlite3", huge)
    assert (peak - baseline) / size_mb < 10, f"{peak:.0f} MB peak for a {size_mb:.0f} MB file"
    assert count_articles(tmp_path / "b.sqlite3") == 1
