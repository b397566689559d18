"""Child process: search, preview and export timings on a library, through the app's own paths."""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.measure import percentile
from benchmarks.queries import QUERIES

if TYPE_CHECKING:
    from archive_app.core.library import Library
    from archive_app.gui.windows.main_window import MainWindow

#: Rows of the first page fetched after each search (what a table shows without scrolling).
FIRST_PAGE_ROWS = 40


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": _ms(percentile(samples, 50)),
        "p95_ms": _ms(percentile(samples, 95)),
        "max_ms": _ms(max(samples)),
        "samples": len(samples),
    }


def _fetch_first_page(window: MainWindow) -> int:
    model = window.model
    rows = min(FIRST_PAGE_ROWS, model.rowCount())
    for row in range(rows):
        model.data(model.index(row, 0))
    return rows


def _search_field(window: MainWindow, query: str) -> tuple[float, str]:
    """Type ``query``, press Enter; return the seconds until its first page is fetched.

    On a large library the search field runs the query in a background task and shows the
    result when it arrives (``search_finished``); the wait includes that hand-over.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    view = window.library_view
    view.search_edit.setText(query)
    loop = QEventLoop()
    finished = getattr(view, "search_finished", None)
    if finished is not None:
        finished.connect(loop.quit)
    started = time.perf_counter()
    view.apply_search()
    if getattr(view, "searching", False):
        QTimer.singleShot(120_000, loop.quit)
        loop.exec()
    _fetch_first_page(window)
    elapsed = time.perf_counter() - started
    if finished is not None:
        finished.disconnect(loop.quit)
    error = view.query_error.text() if hasattr(view, "query_error") else ""
    return elapsed, error


def _set_query(window: MainWindow, query: str) -> float:
    """``model.set_query(query)`` and the first page: the synchronous path, no thread."""
    started = time.perf_counter()
    window.model.set_query(query)
    _fetch_first_page(window)
    return time.perf_counter() - started


def bench_search(window: MainWindow, rounds: int) -> dict[str, Any]:
    """Run every query once to warm up, then ``rounds`` times through the search field."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    per_query: dict[str, dict[str, Any]] = {
        q: {"kind": kind, "field_ms": [], "set_query_ms": []} for kind, q in QUERIES
    }
    samples: list[float] = []
    for round_ in range(rounds + 1):
        for _kind, query in QUERIES:
            elapsed, error = _search_field(window, query)
            app.processEvents()  # paint outside the timing
            entry = per_query[query]
            entry["rows"] = window.model.rowCount()
            if error:
                entry["error"] = error
            if round_ > 0:
                samples.append(elapsed)
                entry["field_ms"].append(_ms(elapsed))
    _search_field(window, "")
    direct: list[float] = []
    for _kind, query in QUERIES:
        try:
            elapsed = _set_query(window, query)
        except Exception as exc:  # a QueryError is already reported by the field path
            per_query[query]["set_query_error"] = str(exc)
            continue
        app.processEvents()
        direct.append(elapsed)
        per_query[query]["set_query_ms"].append(_ms(elapsed))
    window.model.set_query("")
    return {
        "queries": len(QUERIES),
        "rounds": rounds,
        "search_field": _summary(samples),
        "set_query": _summary(direct) if direct else None,
        "per_query": per_query,
    }


def bench_preview(window: MainWindow, ids: list[int]) -> dict[str, Any]:
    """Open each article as selecting it does; time until the preview has rendered it."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    stamps: list[tuple[float, float]] = []

    def on_rendered(ms: float) -> None:
        stamps.append((time.perf_counter(), ms))

    window.preview.rendered.connect(on_rendered)
    to_rendered: list[float] = []
    render_only: list[float] = []
    to_painted: list[float] = []
    window.open_article(ids[-1])  # warm-up (template compilation, fonts)
    app.processEvents()
    for article_id in ids:
        stamps.clear()
        started = time.perf_counter()
        window.open_article(article_id)
        if stamps:
            to_rendered.append(stamps[0][0] - started)
            render_only.append(stamps[0][1] / 1000)
        window.preview.viewport().repaint()  # the document layout and paint happen here
        to_painted.append(time.perf_counter() - started)
        app.processEvents()
    window.preview.rendered.disconnect(on_rendered)
    return {
        "articles": len(ids),
        "open_to_rendered": _summary(to_rendered) if to_rendered else None,
        "render_signal": _summary(render_only) if render_only else None,
        "open_to_painted": _summary(to_painted),
    }


def _time_export(
    library: Library, ids: list[int], out: Path, fmt: str, single_file: bool
) -> dict[str, Any]:
    from archive_app.export.run import export_records

    started = time.perf_counter()
    records = [library.get_article(i) for i in ids]
    fetched = time.perf_counter()
    result = export_records(records, out, fmt=fmt, single_file=single_file, force=True)
    done = time.perf_counter()
    files = list(result.files)
    return {
        "articles": len(ids),
        "seconds": round(done - fetched, 4),
        "fetch_seconds": round(fetched - started, 4),
        "files": len(files),
        "bytes": sum(f.stat().st_size for f in files if f.exists()),
    }


def bench_export(library: Library, ids: list[int], pdf_n: int, html_n: int) -> dict[str, Any]:
    """Export ``pdf_n`` articles to one PDF and ``html_n`` to per-article HTML files + index."""
    out: dict[str, Any] = {}
    folder = Path(tempfile.mkdtemp(prefix="archive-bench-export-"))
    try:
        jobs: dict[str, Callable[[], dict[str, Any]]] = {
            "pdf": lambda: _time_export(library, ids[:pdf_n], folder / "all.pdf", "pdf", True),
            "html": lambda: _time_export(library, ids[:html_n], folder / "html", "html", False),
        }
        for name, job in jobs.items():
            try:
                out[name] = job()
            except Exception as exc:
                out[name] = {"error": f"{type(exc).__name__}: {exc}"}
                traceback.print_exc()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.gui_bench --library FILE --out JSON [options]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gui_bench")
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", default="search,preview,export", help="comma-separated parts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="measured passes over the queries")
    parser.add_argument("--preview-n", type=int, default=200)
    parser.add_argument("--pdf-n", type=int, default=100)
    parser.add_argument("--html-n", type=int, default=1000)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the measured parts")
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.only.split(",") if p.strip()}

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from archive_app.core.library import Library
    from archive_app.gui.app import configure_application
    from archive_app.gui.windows.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    configure_application(app)
    settings_dir = tempfile.mkdtemp(prefix="archive-bench-settings-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)

    library = Library(args.library)
    window = MainWindow(library)
    window.show_import_reports = False
    window.show()
    for _ in range(5):
        app.processEvents()

    results: dict[str, Any] = {"library_articles": library.count()}
    rng = random.Random(f"{args.seed}:bench-sample")
    all_ids = library.article_ids()
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    if "search" in parts:
        results["search"] = bench_search(window, args.rounds)
    if "preview" in parts:
        results["preview"] = bench_preview(window, rng.sample(all_ids, args.preview_n))
    if "export" in parts:
        sample = rng.sample(all_ids, max(args.pdf_n, args.html_n))
        results["export"] = bench_export(library, sample, args.pdf_n, args.html_n)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(args.profile))
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    window.runner.wait(30_000)
    window.close()
    library.close()
    shutil.rmtree(settings_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
