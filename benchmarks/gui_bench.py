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
    """Type ``query``, press Enter; return the seconds until its first page is painted.

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
    view.table.viewport().repaint()  # the first page painted
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


STALL_TICK_MS = 5
#: How long every pending piece of an action must stay done before it counts as complete.
SETTLE_S = 0.05


class StallMonitor:
    """The longest gap between event-loop iterations while it runs (a precise 5 ms timer).

    A timer can only fire between events: a gap longer than its interval is time the GUI
    thread spent in one piece of work (a handler, a query, a paint), i.e. a stall.
    """

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(STALL_TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.last = 0.0
        self.longest = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> float:
        self.tick()
        self.timer.stop()
        return self.longest


def _idle(window: MainWindow) -> bool:
    """Whether nothing the window started is still under way (tasks, loads, counts, searches)."""
    busy = (
        window.runner.busy
        or getattr(window.model, "loading", False)
        or getattr(window.library_view, "searching", False)
        or getattr(window, "sidebar_pending", False)
        or window.library_view._search_timer.isActive()  # typed, not yet searched
    )
    return not busy


def run_action(
    window: MainWindow,
    action: Callable[[], object],
    done: Callable[[], bool] | None = None,
    timeout: float = 120.0,
) -> dict[str, float]:
    """Run ``action`` from the event loop; wait until it and what it started are done.

    Returns the longest GUI-thread stall and the wall time until done (both in ms).
    """
    from PySide6.QtCore import QEventLoop, QTimer

    monitor = StallMonitor()
    loop = QEventLoop()
    state = {"ran": False, "since": 0.0}
    started = time.perf_counter()

    def run() -> None:
        action()
        state["ran"] = True

    def check() -> None:
        now = time.perf_counter()
        finished = state["ran"] and _idle(window) and (done is None or done())
        if not finished:
            state["since"] = 0.0
        elif not state["since"]:
            state["since"] = now
        if (state["since"] and now - state["since"] >= SETTLE_S) or now - started > timeout:
            loop.quit()

    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(check)
    monitor.start()
    poll.start()
    QTimer.singleShot(0, run)
    loop.exec()
    poll.stop()
    stall = monitor.stop()
    wall = time.perf_counter() - started - (state["since"] and SETTLE_S)
    return {"stall_ms": _ms(stall), "wall_ms": _ms(max(0.0, wall))}


def _select_rows(window: MainWindow, first: int, last: int) -> None:
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    model = window.model
    selection = QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1))
    window.library_view.table.selectionModel().select(
        selection,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _type(window: MainWindow, text: str, gap_s: float = 0.06) -> Callable[[], None]:
    """An action typing ``text`` into the search field a key every ``gap_s`` seconds."""
    from PySide6.QtCore import QTimer

    edit = window.library_view.search_edit
    typed = {"n": 0}

    def key() -> None:
        if typed["n"] < len(text):
            edit.insert(text[typed["n"]])
            typed["n"] += 1
            QTimer.singleShot(int(gap_s * 1000), key)

    def start() -> None:
        edit.setFocus()
        key()

    start.typed = typed  # type: ignore[attr-defined]
    return start


def _status(window: MainWindow) -> str:
    label = getattr(window, "count_label", None)
    return label.text() if label is not None else ""


def bench_stalls(window: MainWindow, library: Library, n_selected: int) -> dict[str, Any]:
    """The longest GUI-thread stall of each action of issue 15, on this library.

    The library comes back as it was: the articles deleted are restored, and the purge removes
    ``n_selected`` articles the benchmark adds for it (generated past the library's own).
    """
    from PySide6.QtWidgets import QApplication, QTreeWidgetItemIterator

    from archive_app.gui.dialogs.batch_edit import BatchEditDialog
    from benchmarks import corpus

    app = QApplication.instance()
    assert app is not None
    out: dict[str, Any] = {}
    view = window.library_view
    table = view.table

    def record(name: str, result: dict[str, float]) -> None:
        result["status"] = _status(window)  # type: ignore[assignment]
        out[name] = result
        print(f"stalls: {name}: {result}", file=sys.stderr, flush=True)

    record("open (settle)", run_action(window, lambda: None))
    # The first article shown compiles the preview's templates (once a session, about 100 ms;
    # the preview figure's business): done here, so it does not land on the first delete.
    first = window.model.id_at(0)
    if first is not None:
        window.open_article(first)
        window.open_article(0)
        app.processEvents()
    header = table.horizontalHeader()
    for column in range(window.model.columnCount()):
        name = window.model.headerData(column, _horizontal())
        header.setSectionHidden(column, False)
        record(f"sort by {name}", run_action(window, lambda c=column: _click_header(window, c)))
    record("sort by Imported (back)", run_action(window, lambda: _sort_default(window)))

    typing = _type(window, "sanctions")
    record(
        "search (typed 'sanctions')",
        run_action(window, typing, done=lambda: typing.typed["n"] == len("sanctions")),  # type: ignore[attr-defined]
    )
    record("search cleared (Esc)", run_action(window, view.clear_search))
    typing = _type(window, "said")
    record(
        "search (typed 'said')",
        run_action(window, typing, done=lambda: typing.typed["n"] == len("said")),  # type: ignore[attr-defined]
    )
    record("search cleared (Esc) 2", run_action(window, view.clear_search))

    section = None
    iterator = QTreeWidgetItemIterator(window.sidebar)
    while iterator.value() is not None:
        item = iterator.value()
        parent = item.parent()
        if parent is not None and parent.text(0).startswith("Sections") and section is None:
            section = item
        iterator += 1
    if section is not None:
        item = section
        record(
            f"sidebar click ({item.text(0)})",
            run_action(window, lambda: window.sidebar.itemClicked.emit(item, 0)),
        )
        record("search cleared (Esc) 3", run_action(window, view.clear_search))

    record("select all", run_action(window, table.selectAll))
    table.clearSelection()
    app.processEvents()
    record("trash toggle (show trash)", run_action(window, lambda: window.toggle_trash(True)))
    record("trash toggle (back)", run_action(window, lambda: window.toggle_trash(False)))

    count = min(n_selected, window.model.rowCount())
    _select_rows(window, 0, count - 1)
    app.processEvents()
    record(f"delete {count} selected", run_action(window, window.delete_selected))
    run_action(window, lambda: window.toggle_trash(True))
    record(f"select all in trash ({window.model.rowCount()})", run_action(window, table.selectAll))
    record(f"restore {count} selected", run_action(window, window.restore_selected))
    run_action(window, lambda: window.toggle_trash(False))

    _select_rows(window, 0, count - 1)
    app.processEvents()
    ids = list(view.selected_ids())
    dialog: list[Any] = []

    def open_dialog() -> None:
        box = BatchEditDialog(library, ids, window)
        box.show()
        box.add_tags_edit.setText("bench-tag")
        dialog.append(box)

    def preview_done() -> bool:
        box = dialog[0] if dialog else None
        return box is not None and not getattr(box, "pending", False) and not box._timer.isActive()

    record(f"batch-edit preview of {len(ids)}", run_action(window, open_dialog, done=preview_done))
    if dialog:
        out[f"batch-edit preview of {len(ids)}"]["changes"] = len(dialog[0].changes)
        dialog[0].reject()
        dialog[0].deleteLater()
    table.clearSelection()

    # Purge: articles added for it (generated past the library's own), then trashed.
    start = library.count() + library.count(trash=True) + 10_000_000
    added = library.add_articles(
        [corpus.new_article(corpus.generate_article(start + i, 7)) for i in range(count)]
    )
    library.trash(added)
    run_action(window, lambda: window.toggle_trash(True))
    run_action(window, table.selectAll)
    window.confirm_purge = lambda _n: True  # type: ignore[method-assign]
    record(f"purge {len(view.selected_ids())} selected", run_action(window, window.delete_selected))
    run_action(window, lambda: window.toggle_trash(False))

    record("scroll to the end", run_action(window, lambda: _scroll_end(window)))
    record("scroll to the top", run_action(window, table.scrollToTop))
    return out


def _horizontal() -> Any:
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _click_header(window: MainWindow, column: int) -> None:
    """Click a column header as a person does (its initial order on a first click)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    header = window.library_view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, 5)
    )


def _sort_default(window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    window.library_view.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)


def _scroll_end(window: MainWindow) -> None:
    table = window.library_view.table
    table.scrollToBottom()
    table.viewport().repaint()


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
    parser.add_argument("--selected", type=int, default=1000, help="rows deleted, restored...")
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
    constructed = time.perf_counter()
    window = MainWindow(library)
    window.show_import_reports = False
    window.auto_backup_on_quit = False  # a copy of a 1M-article library on quit: minutes
    window.show()
    app.processEvents()
    construct_s = time.perf_counter() - constructed
    if "stalls" not in parts:
        for _ in range(5):
            app.processEvents()

    results: dict[str, Any] = {"library_articles": library.count()}
    rng = random.Random(f"{args.seed}:bench-sample")
    all_ids = library.article_ids() if parts & {"preview", "export"} else []
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    if "stalls" in parts:
        stalls = {"open (construct and show)": {"stall_ms": _ms(construct_s)}}
        stalls.update(bench_stalls(window, library, args.selected))
        results["stalls"] = stalls
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
