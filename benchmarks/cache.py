"""The benchmark cache: generated corpora and large libraries, keyed on what shapes them."""

from __future__ import annotations

import contextlib
import fcntl
import json
import multiprocessing
import os
import shutil
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from archive_app.core.migrations import SCHEMA_VERSION
from archive_app.core.records import NewArticle
from benchmarks import corpus

CACHE_DIR = Path(__file__).resolve().parent / ".cache"

#: Articles per ``Library.add_articles`` call when building a library.
BUILD_CHUNK = 2000
#: A library is built in ten slices; the store time of each is kept with it (import decay).
SLICES = 10
#: The large library of ``make bench BENCH_ARGS=--million``.
MILLION = 1_000_000
#: Chunks generated ahead of the one being stored (each is ~15 MB of articles).
AHEAD = 3

Log = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


def corpus_dir(n: int, seed: int, start: int = 0) -> Path:
    """Return the folder of the cached corpus of ``n`` files (generator version in the name)."""
    offset = f"-from{start}" if start else ""
    return CACHE_DIR / f"corpus-gen{corpus.GENERATOR_VERSION}-seed{seed}-n{n}{offset}"


def ensure_corpus(n: int, seed: int, log: Log = _quiet, *, start: int = 0) -> Path:
    """Return the corpus folder, writing it first if it is missing or incomplete.

    ``start`` makes a corpus of files ``start .. start + n - 1`` (articles a library of
    ``start`` generated articles does not hold yet).
    """
    folder = corpus_dir(n, seed, start)
    stamp = folder.with_name(folder.name + ".json")
    if folder.is_dir() and stamp.is_file():
        return folder
    _remove_stale("corpus-", keep=folder.name)
    if folder.exists():
        shutil.rmtree(folder)
    log(f"generating {n} files into {folder} ...")
    started = time.perf_counter()
    summary = corpus.write_corpus(folder, n, seed, start=start)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    stamp.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    log(f"generated {n} files in {summary['seconds']} s")
    return folder


def library_path(n: int, seed: int) -> Path:
    """Return the cached library of ``n`` articles (schema and generator versions in the name)."""
    return CACHE_DIR / (
        f"library-schema{SCHEMA_VERSION}-gen{corpus.GENERATOR_VERSION}-seed{seed}-n{n}.sqlite3"
    )


def library_stamp(n: int, seed: int) -> dict[str, Any] | None:
    """What building the cached library measured (slices, seconds, bytes), or None."""
    stamp = _stamp_path(library_path(n, seed))
    if not stamp.is_file():
        return None
    data: dict[str, Any] = json.loads(stamp.read_text(encoding="utf-8"))
    return data


def million_library(seed: int = 1, log: Log = _quiet) -> Path:
    """Return the cached library of 1,000,000 generated articles, building it if needed.

    Built like the 100,000 one (see :func:`ensure_library`); about 13 GB and, on the 2-core
    reference machine, about half an hour the first time. An interrupted build resumes.
    """
    return ensure_library(MILLION, seed, log)


def ensure_library(n: int, seed: int, log: Log = _quiet) -> Path:
    """Return a library of ``n`` generated articles, building it if it is not cached.

    The articles are generated as parsed fields (no files, no decoding or parsing: the
    generator knows what a correct parse gives) in worker processes and stored by this one
    through the app's bulk path (``Library.bulk_import`` and ``Library.add_articles``) in
    chunks of ``BUILD_CHUNK``, each with its source bytes, as an import stores them. The
    store time of each tenth is kept in ``<library>.json`` (:func:`library_stamp`). Two
    callers at once build it once; a build that was stopped resumes where it stopped.
    """
    path = library_path(n, seed)
    if path.is_file():
        return path
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with _locked(path.with_name(path.name + ".lock")):
        if path.is_file():  # built by another caller while this one waited
            return path
        _remove_stale("library-", keep=path.name)
        building = path.with_name(path.name + ".building")
        stamp = _build(building, n, seed, log)
        raw = sqlite3.connect(building)
        try:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        stamp["bytes"] = building.stat().st_size
        stamp["bytes_per_article"] = round(stamp["bytes"] / n, 1)
        _stamp_path(path).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        building.replace(path)
        _stamp_path(building).unlink(missing_ok=True)
        per_article = stamp["bytes_per_article"]
        log(f"built the library in {stamp['seconds']:.1f} s ({per_article} bytes an article)")
    return path


def _stamp_path(library: Path) -> Path:
    return library.with_name(library.name + ".json")


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _generate_chunk(start: int, stop: int, seed: int) -> list[NewArticle]:
    return [corpus.new_article(corpus.generate_article(i, seed)) for i in range(start, stop)]


def _build(building: Path, n: int, seed: int, log: Log) -> dict[str, Any]:
    """Store articles ``0 .. n-1`` into ``building`` (resuming after those already there).

    The boilerplate learner counts every chunk as an import's does (one source per folder of
    the corpus, or per publisher), and what it learned is kept in the library at the end of
    each slice: a library built by importing holds it too, and every import loads and saves it.
    """
    from archive_app.core.learning import CollectionLearner, source_group
    from archive_app.core.library import Library
    from archive_app.core.prepare import watch_parent

    partial = _stamp_path(building)
    done = 0
    if building.is_file() and partial.is_file():
        with Library(building) as library:
            done = library.count()
        stamp: dict[str, Any] = json.loads(partial.read_text(encoding="utf-8"))
        log(f"resuming the library of {n} articles at {done} ({building.name})")
    else:
        for leftover in [*_with_sidecars(building), partial]:
            leftover.unlink(missing_ok=True)
        stamp = {"articles": n, "seed": seed, "chunk": BUILD_CHUNK, "seconds": 0.0, "slices": []}
        log(f"building a library of {n} articles into {building.name} ...")
    size = max(BUILD_CHUNK, n // SLICES // BUILD_CHUNK * BUILD_CHUNK)  # whole chunks a slice
    slices: list[dict[str, Any]] = stamp["slices"]
    started = time.perf_counter()
    spent = stamp["seconds"]
    # Generating takes about twice the CPU of storing: every core generates, and this process
    # stores whenever a chunk is ready.
    workers = max(1, min(4, os.cpu_count() or 1))
    starts = iter(range(done, n, BUILD_CHUNK))
    pending: deque[Future[list[NewArticle]]] = deque()
    with (
        ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=watch_parent,  # a stopped build leaves no worker behind
            initargs=(os.getpid(),),
        ) as pool,
        Library(building) as library,
        library.bulk_import(),
    ):
        learner = CollectionLearner.for_library(library)

        def submit() -> None:
            start = next(starts, None)
            if start is not None:
                pending.append(
                    pool.submit(_generate_chunk, start, min(n, start + BUILD_CHUNK), seed)
                )

        for _ in range(AHEAD + workers):
            submit()
        while pending:
            items = pending.popleft().result()
            submit()
            index = done // size
            while len(slices) <= index:
                slices.append(
                    {"first": len(slices) * size, "articles": 0, "store_s": 0.0, "cpu_s": 0.0}
                )
            wall, cpu = time.perf_counter(), time.thread_time()
            library.add_articles(items)
            entry = slices[index]
            entry["store_s"] = round(entry["store_s"] + time.perf_counter() - wall, 3)
            entry["cpu_s"] = round(entry["cpu_s"] + time.thread_time() - cpu, 3)
            entry["articles"] += len(items)
            done += len(items)
            learner.learn((source_group(i.fields, i.source_group), i.fields.body) for i in items)
            if done % size == 0 or done == n:
                library.save_learned_states(learner.changed_states())
            stamp["seconds"] = round(spent + time.perf_counter() - started, 1)
            partial.write_text(json.dumps(stamp) + "\n", encoding="utf-8")
            if (done // BUILD_CHUNK) % 10 == 0 or done == n:
                log(f"  {done} articles, {stamp['seconds']:.0f} s")
        library.optimize(analyze=True)  # planner statistics, as an import leaves them
    return stamp


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
