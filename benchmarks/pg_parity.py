"""Search results of PostgreSQL beside SQLite's on the real text corpus: agreement per query.

    python -m benchmarks.pg_parity                      # ../shared/corpus/text (2,935 files)
    python -m benchmarks.pg_parity --corpus DIR --show 5

The same folder is imported (``import_paths``) into a new SQLite library and a new PostgreSQL
library (the suite's throwaway server, or ``--admin-url``'s), and each query of ``QUERIES`` is
asked of both (``article_ids``, every match). Articles are paired by their text hash, so the
figures do not depend on the order of the two imports. For each query: the matches on each
engine, how many only one engine found, and the agreement (shared matches over all matches of
either; 100% is the same set). ``--show N`` prints up to N titles that only one engine found.

Results go to stdout (a table) and ``benchmarks/results/pg-parity.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from benchmarks.parsing_bench import DEFAULT_CORPUS
from benchmarks.pg_bench import Databases

RESULTS = Path(__file__).resolve().parent / "results" / "pg-parity.json"

#: ``(kind, query)`` over the corpus's four languages (English news from Tehran Times, Russian
#: from Polit.ru and Zvezda Altaya, Vietnamese from Báo Mới, Japanese from livedoor).
QUERIES: tuple[tuple[str, str], ...] = (
    ("word", "iran"),
    ("word", "sanctions"),
    ("word", "said"),
    ("word, case", "TEHRAN"),
    ("two words", "oil sanctions"),
    ("two words", "nuclear talks"),
    ("phrase", '"foreign minister"'),
    ("phrase", '"united states"'),
    ("phrase", '"security council"'),
    ("prefix", "sanct*"),
    ("prefix", "nucl*"),
    ("prefix", "presid*"),
    ("OR", "iraq OR syria"),
    ("negation", "iran -nuclear"),
    ("NOT group", "oil NOT (sanctions OR price)"),
    ("boolean", "(iran OR iraq) -sanctions"),
    ("title", "title:iran"),
    ("title", "title:nuclear"),
    ("title phrase", 'title:"foreign minister"'),
    ("section", "section:sports"),
    ("section", "section:ニュース"),
    ("byline", "byline:журналист"),
    ("byline phrase", 'byline:"звезда алтая"'),
    ("byline OR caption", "byline:peimani OR caption:peimani"),
    ("body", "body:oil"),
    ("field OR", "title:iran OR section:sports"),
    ("field NOT", "iran -title:iran"),
    ("date", "date:2017"),
    ("date range", "date:2011..2012"),
    ("word and date", "россия date:>=2022-03-01"),
    ("date before", "date:<2010"),
    ("lang", "lang:ru"),
    ("lang", "lang:vi"),
    ("not lang", "-lang:en"),
    ("publisher", 'publisher:"mehr news agency"'),
    ("lang and word", "lang:en oil"),
    ("Russian", "россия"),
    ("Russian, case", "РОССИЯ"),
    ("Russian prefix", "украин*"),
    ("Russian phrase", '"горно-алтайск"'),
    ("Russian ё", "ещё"),
    ("Russian е for ё", "еще"),
    ("Russian title", "title:спецоперация"),
    ("Russian byline", "byline:газета"),
    ("Vietnamese", "việt"),
    ("Vietnamese, no accents", "viet"),
    ("Vietnamese phrase", '"xổ số"'),
    ("Vietnamese, no accents", '"xo so"'),
    ("Vietnamese đ", "đồng"),
    ("Vietnamese d for đ", "dong"),
    ("Japanese", "東京"),
    ("Japanese prefix", "東京*"),
    ("numbers", "2017"),
    ("number with point", "1.5"),
    ("thousands", "1,600"),
    ("hyphenated", "cyprus-registered"),
    ("apostrophe", "iran's"),
    ("word in a host name", "polit"),
    ("trash", "is:trash"),
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def hashes(library: Library) -> dict[int, str]:
    """``{article id: text hash}`` of every article in the library."""
    ids = library.article_ids()
    return {i: library.get_article(i).content_hash for i in ids}


def compare(
    sqlite: Library, postgres: Library, queries: tuple[tuple[str, str], ...], show: int
) -> list[dict[str, Any]]:
    """Ask each query of both libraries; the agreement of their result sets per query."""
    sqlite_hash, pg_hash = hashes(sqlite), hashes(postgres)
    titles = {h: sqlite.get_article(i).title for i, h in sqlite_hash.items()}
    rows = []
    for kind, query in queries:
        began = time.perf_counter()
        left = {sqlite_hash[i] for i in sqlite.article_ids(query)}
        middle = time.perf_counter()
        right = {pg_hash[i] for i in postgres.article_ids(query)}
        ended = time.perf_counter()
        union = left | right
        row: dict[str, Any] = {
            "kind": kind,
            "query": query,
            "sqlite": len(left),
            "postgresql": len(right),
            "only_sqlite": len(left - right),
            "only_postgresql": len(right - left),
            "agreement": round(100 * len(left & right) / len(union), 1) if union else 100.0,
            "sqlite_ms": round((middle - began) * 1000, 1),
            "postgresql_ms": round((ended - middle) * 1000, 1),
        }
        if show:
            row["only_sqlite_titles"] = [titles.get(h, h) for h in sorted(left - right)][:show]
            row["only_postgresql_titles"] = [titles.get(h, h) for h in sorted(right - left)][:show]
        rows.append(row)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| query | SQLite | PostgreSQL | only SQLite | only PostgreSQL | agreement |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| `{r['query']}` | {r['sqlite']} | {r['postgresql']} | {r['only_sqlite']} | "
            f"{r['only_postgresql']} | {r['agreement']}% |"
        )
    same = sum(1 for r in rows if r["agreement"] == 100.0)
    lines.append(f"\n{same} of {len(rows)} queries give the same set on both engines.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--admin-url", help="a server where this role may create databases")
    parser.add_argument("--show", type=int, default=0, help="titles found by one engine only")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus} is not a folder")
    databases = Databases(args.admin_url)
    try:
        with tempfile.TemporaryDirectory(prefix="archive-parity-") as folder:
            path = str(Path(folder) / "library.sqlite3")
            url = databases.new()
            with Library(path) as sqlite, Library(url) as postgres:
                for name, library in (("SQLite", sqlite), ("PostgreSQL", postgres)):
                    log(f"{name}: importing {args.corpus} ...")
                    began = time.perf_counter()
                    report = import_paths(library, [args.corpus])
                    log(
                        f"  {len(report.imported)} imported, {len(report.failed)} failed, "
                        f"{time.perf_counter() - began:.0f} s"
                    )
                log("comparing ...")
                rows = compare(sqlite, postgres, QUERIES, args.show)
    finally:
        databases.close()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(rows))
    if args.show:
        for r in rows:
            if r["only_sqlite"] or r["only_postgresql"]:
                print(f"\n{r['query']}:")
                for t in r["only_sqlite_titles"]:
                    print(f"  SQLite only: {t}")
                for t in r["only_postgresql_titles"]:
                    print(f"  PostgreSQL only: {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
