"""BagIt export and import speed, each against its plain counterpart measured in the same run.

``python -m benchmarks.bag_bench [--n 10000]`` (``make bench-bag``): writes N generated corpus
articles as text files and imports them (``import_paths``: the text import), exports them as HTML
(one page per article plus the index) and as a bag, then imports the bag into an empty library.
It prints files/s and the ratios bag export / HTML export and bag import / text import (the
acceptance target is within 2x), and where the bag's time goes: writing the payload, bagit's
manifests, checksum validation on import, reading the articles back, storing them.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from archive_app.core.formats import bag as bag_format
from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.export import bag as bag_export
from archive_app.export.run import export_records
from benchmarks.corpus import generate_article

T = TypeVar("T")


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


class _Stopwatch:
    """Adds up the time spent in some functions of a module while they are patched."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}

    def wrap(self, module: Any, name: str) -> None:
        original = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.totals[name] = self.totals.get(name, 0.0) + time.perf_counter() - start

        setattr(module, name, timed)


def run(n: int, workdir: Path) -> dict[str, Any]:
    files = workdir / "files"
    files.mkdir()
    for i in range(n):
        (files / f"{i:06d}.txt").write_bytes(generate_article(i).data)
    source_bytes = sum(p.stat().st_size for p in files.iterdir())

    source = Library(workdir / "source.sqlite3")
    report, text_import = _timed(lambda: import_paths(source, [files]))
    ids = source.article_ids()
    records = [source.get_article(i) for i in ids]

    _, html_export = _timed(lambda: export_records(records, workdir / "html", fmt="html"))

    watch = _Stopwatch()
    watch.wrap(bag_export, "_write_article")
    watch.wrap(bag_export, "_make_bag")
    _, bag_export_time = _timed(
        lambda: export_records(records, workdir / "bag", fmt="bag", library=source)
    )
    bag_dir = workdir / "bag"
    payload = sum(p.stat().st_size for p in (bag_dir / "data").rglob("*") if p.is_file())

    target = Library(workdir / "target.sqlite3")
    watch.wrap(bag_format, "check_bag")
    watch.wrap(bag_format, "read_article")
    watch.wrap(target, "add_new_articles")
    bag_report, bag_import = _timed(lambda: bag_format.import_bag(target, bag_dir))
    assert len(bag_report.imported) == len(report.imported), bag_report.summary()
    source.close()
    target.close()

    count = len(report.imported)
    return {
        "articles": count,
        "source_mb": round(source_bytes / 1e6, 1),
        "bag_payload_mb": round(payload / 1e6, 1),
        "text_import_s": round(text_import, 2),
        "html_export_s": round(html_export, 2),
        "bag_export_s": round(bag_export_time, 2),
        "bag_import_s": round(bag_import, 2),
        "text_import_files_per_s": round(count / text_import),
        "html_export_files_per_s": round(count / html_export),
        "bag_export_files_per_s": round(count / bag_export_time),
        "bag_import_files_per_s": round(count / bag_import),
        "bag_export_vs_html_export": round(bag_export_time / html_export, 2),
        "bag_import_vs_text_import": round(bag_import / text_import, 2),
        "bag_export_breakdown_s": {
            "write payload (originals, metadata.json, article.html)": round(
                watch.totals.get("_write_article", 0.0), 2
            ),
            "bagit make_bag + save (sha256 + sha512 manifests)": round(
                watch.totals.get("_make_bag", 0.0), 2
            ),
        },
        "bag_import_breakdown_s": {
            "validate every checksum": round(watch.totals.get("check_bag", 0.0), 2),
            "read articles (json, bytes, decode for the hash, zlib)": round(
                watch.totals.get("read_article", 0.0), 2
            ),
            "store (add_new_articles)": round(watch.totals.get("add_new_articles", 0.0), 2),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles (10000)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        workdir = Path(args.keep)
        workdir.mkdir(parents=True, exist_ok=False)
        result = run(args.n, workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="bag-bench-") as tmp:
            result = run(args.n, Path(tmp))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
