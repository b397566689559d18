"""PostgreSQL beside SQLite: storing, importing files, opening, search p95, two importers at once.

    python -m benchmarks.pg_bench                 # 100,000 articles, 2,000 files to import
    python -m benchmarks.pg_bench --n 10000 --import-files 500     # a quick run
    python -m benchmarks.pg_bench --admin-url postgresql://me@dbhost/postgres
    python -m benchmarks.pg_bench --n 30000 --parts store,search    # search only

Each engine gets the same generated library (``benchmarks.corpus``, as ``cache.py`` builds it:
parsed fields and source bytes stored with ``Library.add_articles`` in chunks) and the same
corpus of files to import. PostgreSQL runs on the suite's throwaway server (``initdb`` in
/tmp, a Unix socket, ``fsync`` off: the same as a SQLite file on a local disk is not, so the
write figures flatter the server a little) unless ``--admin-url`` names a server where that
role may create databases (``archive_bench_*``, dropped at the end). Figures:

- store: articles/s through ``add_articles`` (bulk store, no parsing);
- import: files/s of ``import_paths`` on a corpus folder into an empty library (read, decode,
  parse in worker processes, dedupe, store);
- open: median seconds to open the library, count it, list the window's first page (200 rows,
  newest first) and count the sidebar (``facets``);
- search: p50 and p95 ms of ``search`` (50 best hits with snippets) and of the window's
  ``article_ids`` (every matching id, ranked) over ``queries.QUERIES``, and each query's
  fastest round of both (``per_query``, in the JSON);
- two importers: the same corpus imported by two ``article-archive import`` processes at
  once into one empty library: wall seconds, and that each file is stored once.

Results go to stdout and ``benchmarks/results/pg-latest.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from benchmarks import cache, corpus
from benchmarks.measure import REPO, child_env, median, percentile
from benchmarks.queries import QUERIES

RESULTS = Path(__file__).resolve().parent / "results" / "pg-latest.json"
CHUNK = cache.BUILD_CHUNK


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Databases:
    """Where PostgreSQL libraries are made: the throwaway server, or ``--admin-url``'s."""

    def __init__(self, admin_url: str | None) -> None:
        self._admin_url = admin_url
        self._server: Any = None
        self._made: list[str] = []
        if admin_url is None:
            from tests import pg_server

            self._server = pg_server.start()

    def new(self) -> str:
        """An empty database's URL."""
        if self._server is not None:
            name = self._server.create_database()
            self._made.append(name)
            return str(self._server.url(name))
        import psycopg
        from psycopg import sql

        assert self._admin_url is not None
        name = f"archive_bench_{int(time.time() * 1000) % 10**9}_{len(self._made)}"
        with psycopg.connect(self._admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self._made.append(name)
        base, _, query = self._admin_url.partition("?")
        return base.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else "")

    def close(self) -> None:
        """Drop what was made (and stop the throwaway server)."""
        if self._server is not None:
            for name in self._made:
                with contextlib.suppress(Exception):
                    self._server.drop_database(name)
            self._server.stop()
            return
        import psycopg
        from psycopg import sql

        assert self._admin_url is not None
        with psycopg.connect(self._admin_url, autocommit=True) as conn:
            for name in self._made:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def store(location: str, n: int, seed: int) -> dict[str, float]:
    """Fill a new library with ``n`` generated articles; time only the stores."""
    spent = 0.0
    with Library(location) as library:
        for start in range(0, n, CHUNK):
            items = [
                corpus.new_article(corpus.generate_article(i, seed))
                for i in range(start, min(n, start + CHUNK))
            ]
            began = time.perf_counter()
            library.add_articles(items)
            spent += time.perf_counter() - began
            if (start // CHUNK) % 10 == 9:
                log(f"    {start + len(items)} stored, {spent:.0f} s")
        began = time.perf_counter()
        library.optimize(analyze=True)
        analyze = time.perf_counter() - began
    return {"seconds": round(spent, 2), "articles_per_s": round(n / spent), "analyze_s": analyze}


def open_library(location: str, runs: int) -> dict[str, float]:
    """Open, count, list the first page and count the sidebar: median seconds of ``runs``."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        with Library(location, create=False) as library:
            library.count()
            ids = library.article_ids(sort="created_at", descending=True)
            library.summaries(ids[:200])
            library.facets()
        times.append(time.perf_counter() - began)
    return {"median_s": round(median(times), 3), "runs": runs}


def search(location: str, rounds: int) -> dict[str, Any]:
    """p50/p95 of ``search`` (50 hits, snippets) and ``article_ids`` (ranked) per query."""
    hits: list[float] = []
    ids: list[float] = []
    slowest: list[tuple[float, str]] = []
    per_query: dict[str, list[float]] = {}
    with Library(location, create=False) as library:
        library.search("warm up", limit=5)
        for _ in range(rounds):
            for _kind, query in QUERIES:
                began = time.perf_counter()
                library.search(query, limit=50)
                hits.append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                library.article_ids(query, sort="rank")
                ids.append((time.perf_counter() - began) * 1000)
                slowest.append((hits[-1] + ids[-1], query))
                best = per_query.setdefault(query, [hits[-1], ids[-1]])
                best[:] = [round(min(best[0], hits[-1]), 1), round(min(best[1], ids[-1]), 1)]
    return {
        "search_p50_ms": round(percentile(hits, 50), 1),
        "search_p95_ms": round(percentile(hits, 95), 1),
        "ids_p50_ms": round(percentile(ids, 50), 1),
        "ids_p95_ms": round(percentile(ids, 95), 1),
        "slowest": sorted(slowest, reverse=True)[:3],
        "queries": len(QUERIES) * rounds,
        "per_query": per_query,
    }


def import_files(location: str, folder: Path) -> dict[str, float]:
    """Import the corpus folder into an empty library: files/s."""
    with Library(location) as library:
        began = time.perf_counter()
        report = import_paths(library, [folder])
        seconds = time.perf_counter() - began
        count = library.count()
    files = len(report.imported) + len(report.duplicates) + len(report.failed)
    return {
        "seconds": round(seconds, 2),
        "files_per_s": round(files / seconds, 1),
        "stored": count,
        "failed": len(report.failed),
    }


def two_importers(location: str, folder: Path, expected: int) -> dict[str, Any]:
    """Two ``article-archive import`` processes at once on one empty library."""
    import subprocess

    with Library(location):
        pass  # the schema first, as an administrator would
    with tempfile.TemporaryDirectory() as home:
        env = child_env(home=Path(home))
        command = [sys.executable, "-m", "archive_app", "--library", location, "import"]
        began = time.perf_counter()
        procs = [
            subprocess.Popen(
                [*command, str(folder), "--json"],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [proc.communicate(timeout=3600) for proc in procs]
        seconds = time.perf_counter() - began
    reports = [json.loads(out) if out.strip().startswith("{") else {} for out, _err in outputs]
    with Library(location, create=False) as library:
        stored = library.count()
    return {
        "seconds": round(seconds, 2),
        "files_per_s": round(2 * expected / seconds, 1),
        "stored": stored,
        "expected": expected,
        "each_once": stored == expected,
        "imported_by_each": [len(r.get("imported", [])) for r in reports],
        "exit_codes": [proc.returncode for proc in procs],
    }


@contextlib.contextmanager
def sqlite_locations() -> Iterator[Callable[[], str]]:
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as folder:
        counter = iter(range(1000))
        yield lambda: str(Path(folder) / f"library-{next(counter)}.sqlite3")


def run_engine(
    name: str, new: Callable[[], str], args: argparse.Namespace, folder: Path
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    location = new()
    log(f"{name}: storing {args.n} articles ...")
    out["store"] = store(location, args.n, args.seed)
    if "open" in args.parts:
        log(f"{name}: opening ...")
        out["open"] = open_library(location, args.open_runs)
    if "search" in args.parts:
        log(f"{name}: searching ...")
        out["search"] = search(location, args.rounds)
    if "import" in args.parts:
        log(f"{name}: importing {args.import_files} files ...")
        out["import"] = import_files(new(), folder)
        log(f"{name}: two importers at once ...")
        out["two_importers"] = two_importers(new(), folder, out["import"]["stored"])
    return out


def table(results: dict[str, Any], n: int, files: int) -> str:
    rows = [
        ("store (articles/s)", lambda r: r["store"]["articles_per_s"]),
        ("import (files/s)", lambda r: r["import"]["files_per_s"]),
        (f"open + first page + sidebar at {n:,} (s)", lambda r: r["open"]["median_s"]),
        (
            "search p50 / p95 (ms)",
            lambda r: f"{r['search']['search_p50_ms']} / {r['search']['search_p95_ms']}",
        ),
        (
            "table ids p50 / p95 (ms)",
            lambda r: f"{r['search']['ids_p50_ms']} / {r['search']['ids_p95_ms']}",
        ),
        (f"two importers of {files:,} files (s)", lambda r: r["two_importers"]["seconds"]),
        ("  each article stored once", lambda r: r["two_importers"]["each_once"]),
    ]
    engines = list(results)
    lines = ["| | " + " | ".join(engines) + " |", "| --- |" + " --- |" * len(engines)]
    for label, get in rows:
        try:
            cells = [str(get(results[e])) for e in engines]
        except KeyError:
            continue  # a part that was not run
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles in the library")
    parser.add_argument("--import-files", type=int, default=2000, help="files to import")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the search queries")
    parser.add_argument("--open-runs", type=int, default=3)
    parser.add_argument("--admin-url", help="a server where this role may create databases")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument(
        "--parts",
        default="store,open,search,import",
        help="what to measure besides storing (import: also the two importers)",
    )
    args = parser.parse_args(argv)
    folder = (
        cache.ensure_corpus(args.import_files, args.seed, log) if "import" in args.parts else Path()
    )
    results: dict[str, Any] = {}
    engines = args.engines.split(",")
    if "sqlite" in engines:
        with sqlite_locations() as new:
            results["SQLite"] = run_engine("SQLite", new, args, folder)
    if "postgresql" in engines:
        databases = Databases(args.admin_url)
        try:
            results["PostgreSQL"] = run_engine("PostgreSQL", databases.new, args, folder)
        finally:
            databases.close()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"n": args.n, "import_files": args.import_files, **results}, indent=2) + "\n",
        encoding="utf-8",
    )
    print(table(results, args.n, args.import_files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
