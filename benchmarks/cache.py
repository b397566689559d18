"""The benchmark cache: generated corpora and large libraries, keyed on what shapes them."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from archive_app.core.migrations import SCHEMA_VERSION
from benchmarks import corpus

CACHE_DIR = Path(__file__).resolve().parent / ".cache"

#: Articles per ``Library.add_articles`` call when building a library.
BUILD_CHUNK = 2000

Log = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


def corpus_dir(n: int, seed: int) -> Path:
    """Return the folder of the cached corpus of ``n`` files (generator version in the name)."""
    return CACHE_DIR / f"corpus-gen{corpus.GENERATOR_VERSION}-seed{seed}-n{n}"


def ensure_corpus(n: int, seed: int, log: Log = _quiet) -> Path:
    """Return the corpus folder, writing it first if it is missing or incomplete."""
    folder = corpus_dir(n, seed)
    stamp = folder.with_name(folder.name + ".json")
    if folder.is_dir() and stamp.is_file():
        return folder
    _remove_stale("corpus-", keep=folder.name)
    if folder.exists():
        shutil.rmtree(folder)
    log(f"generating {n} files into {folder} ...")
    started = time.perf_counter()
    summary = corpus.write_corpus(folder, n, seed)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    stamp.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    log(f"generated {n} files in {summary['seconds']} s")
    return folder


def library_path(n: int, seed: int) -> Path:
    """Return the cached library of ``n`` articles (schema and generator versions in the name)."""
    return CACHE_DIR / (
        f"library-schema{SCHEMA_VERSION}-gen{corpus.GENERATOR_VERSION}-seed{seed}-n{n}.sqlite3"
    )


def ensure_library(n: int, seed: int, log: Log = _quiet) -> Path:
    """Return a library of ``n`` generated articles, building it if it is not cached.

    The articles are generated as parsed fields (no files, no decoding or parsing: the
    generator knows what a correct parse gives) and stored with ``Library.add_articles`` in
    chunks of ``BUILD_CHUNK``, each with its source bytes, as an import stores them.
    """
    from archive_app.core.library import Library

    path = library_path(n, seed)
    if path.is_file():
        return path
    _remove_stale("library-", keep=path.name)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    for leftover in _with_sidecars(building):
        leftover.unlink(missing_ok=True)
    log(f"building a library of {n} articles into {path.name} ...")
    started = time.perf_counter()
    library = Library(building)
    try:
        for start in range(0, n, BUILD_CHUNK):
            items = [
                corpus.new_article(corpus.generate_article(i, seed))
                for i in range(start, min(n, start + BUILD_CHUNK))
            ]
            library.add_articles(items)
            if (start // BUILD_CHUNK) % 10 == 9:
                log(f"  {start + len(items)} articles, {time.perf_counter() - started:.0f} s")
    finally:
        library.close()
    raw = sqlite3.connect(building)
    try:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    building.replace(path)
    log(f"built the library in {time.perf_counter() - started:.1f} s")
    return path


def _with_sidecars(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _remove_stale(prefix: str, keep: str) -> None:
    """Delete cache entries of an older schema or generator version (same prefix)."""
    if not CACHE_DIR.is_dir():
        return
    current = f"schema{SCHEMA_VERSION}-gen{corpus.GENERATOR_VERSION}-"
    if prefix == "corpus-":
        current = f"gen{corpus.GENERATOR_VERSION}-"
    for entry in CACHE_DIR.glob(prefix + "*"):
        if entry.name.startswith(keep) or entry.name.startswith(prefix + current):
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
