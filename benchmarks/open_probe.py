"""Child process: start the app as ``python -m archive_app`` does; time the table's first paint."""

from __future__ import annotations

import time

PROBE_STARTED = time.monotonic()

import argparse  # noqa: E402 (the timestamp above must come first)
import cProfile  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.open_probe --library FILE --t0 T --out JSON [--profile PROF]``.

    ``T`` is the parent's ``time.monotonic()`` just before it started this process (the clock
    is system-wide), so the figure runs from process creation to the first paint.
    """
    parser = argparse.ArgumentParser(prog="python -m benchmarks.open_probe")
    parser.add_argument("--library", required=True)
    parser.add_argument("--t0", type=float, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the start-up here")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QWidget

    marks: dict[str, Any] = {"t0": args.t0, "probe_started": PROBE_STARTED}
    profiler = cProfile.Profile() if args.profile else None

    class PaintWatcher(QObject):
        """Notes when the main window is shown and when the table viewport first paints rows."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            kind = event.type()
            if (
                kind == QEvent.Type.Show
                and "shown" not in marks
                and isinstance(watched, QMainWindow)
            ):
                marks["shown"] = time.monotonic()
            elif kind == QEvent.Type.Paint and isinstance(watched, QWidget):
                view = watched.parent()
                if (
                    isinstance(view, QTableView)
                    and view.objectName() == "articleTable"
                    and watched is view.viewport()
                    and view.model() is not None
                    and view.model().rowCount() > 0
                    and "paint_event" not in marks
                ):
                    marks["paint_event"] = time.monotonic()
                    # Runs once this paint event has been handled, i.e. the rows are painted.
                    QTimer.singleShot(0, lambda: finish(view))
            return False

    def finish(view: QTableView) -> None:
        marks["painted"] = time.monotonic()
        if profiler is not None:
            profiler.disable()
        app.removeEventFilter(watcher)
        model = view.model()
        marks["rows"] = model.rowCount()
        marks["first_title"] = model.data(model.index(0, 0))
        marks["visible_rows"] = view.rowAt(view.viewport().height() - 1) + 1 or model.rowCount()
        # Close as a person does: the window saves its layout, so the next launch (the
        # measured runs come after a warm-up) restores it, as every launch but the first does.
        # Without the daily backup on quit: a copy of the library (12 GB at 1M articles),
        # after the figure but before the next launch.
        window = view.window()
        if hasattr(window, "auto_backup_on_quit"):
            window.auto_backup_on_quit = False
        window.close()
        app.quit()

    app = QApplication(sys.argv[:1])
    watcher = PaintWatcher()
    app.installEventFilter(watcher)
    marks["qt_ready"] = time.monotonic()

    from archive_app.cli import main as cli_main

    if profiler is not None:
        profiler.enable()
    code = cli_main(["--library", args.library])
    marks["exit_code"] = code
    if profiler is not None:
        profiler.dump_stats(str(args.profile))
    args.out.write_text(json.dumps(marks), encoding="utf-8")
    return 0 if "painted" in marks and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
