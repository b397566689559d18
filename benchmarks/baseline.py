"""The import floor: read the files, decode UTF-8, store the raw text with an FTS5 index."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

SCHEMA = (
    "CREATE TABLE doc (id INTEGER PRIMARY KEY, path TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE doc_fts USING fts5(body, content='doc', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
)


def iter_files(root: Path) -> Iterator[Path]:
    """Yield every file under ``root`` in name order (as the importer walks)."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            yield Path(folder) / name


def run(root: Path, db_path: Path) -> dict[str, float | int]:
    """Import ``root`` into a new database at ``db_path``; return counts and seconds.

    The same settings as the app's library (WAL, ``synchronous=NORMAL``, the same tokenizer)
    and one transaction; undecodable bytes become U+FFFD (no detection, no parsing).
    """
    started = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for statement in SCHEMA:
        conn.execute(statement)
    count = size = 0
    conn.execute("BEGIN IMMEDIATE")
    rows: list[tuple[int, str]] = []
    for path in iter_files(root):
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        cur = conn.execute("INSERT INTO doc (path, body) VALUES (?, ?)", (str(path), text))
        assert cur.lastrowid is not None
        rows.append((cur.lastrowid, text))
        count += 1
        size += len(data)
    conn.executemany("INSERT INTO doc_fts (rowid, body) VALUES (?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()
    return {"files": count, "bytes": size, "seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.baseline DIR DB``: print ``{"files", "bytes", "seconds"}``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baseline", description=__doc__)
    parser.add_argument("root", type=Path, help="folder of files to import")
    parser.add_argument("db", type=Path, help="database to create (must not exist)")
    args = parser.parse_args(argv)
    if args.db.exists():
        parser.error(f"{args.db} exists")
    json.dump(run(args.root, args.db), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
