"""Save a PNG of the main window showing sample articles (under Xvfb: scripts/screenshot.sh)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive_app.gui.windows.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "resources" / "samples"
SEED = ROOT / "tests" / "fixtures" / "seed" / "000_7f3caeb8daf06a9f.txt"
SEED_TITLE = "Putin tells Macron"
DEFAULT_OUT = ROOT / "docs" / "main-window-light.png"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "out",
        nargs="?",
        type=Path,
        default=DEFAULT_OUT,
        help=f"the PNG to write (default: {DEFAULT_OUT.relative_to(ROOT)})",
    )
    parser.add_argument("--width", type=int, default=1500, help="window width (1500)")
    parser.add_argument("--height", type=int, default=900, help="window height (900)")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for painting (30)"
    )
    parser.add_argument(
        "--scheme",
        choices=("light", "dark"),
        default="light",
        help="the colour scheme to draw the window in (light)",
    )
    return parser.parse_args(argv)


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Process Qt events until ``condition()`` holds.

    Raises:
        TimeoutError: It did not hold within ``timeout`` seconds.
    """
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def settle(seconds: float) -> None:
    """Process Qt events for ``seconds`` (deferred refreshes, layouts, repaints)."""
    from PySide6.QtCore import QCoreApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def widen_form(window: MainWindow) -> None:
    """Give the editor form the width its fields need (no side scrolling), from its neighbours.

    The SHA-256 in the form's Provenance box cannot wrap, so the form may need more than its
    default share of the window.
    """
    from PySide6.QtWidgets import QScrollArea

    scroll = window.form.findChild(QScrollArea)
    if scroll is None or scroll.widget() is None:
        return
    scroll.widget().layout().activate()
    needed = (
        scroll.widget().minimumSizeHint().width()
        + scroll.verticalScrollBar().sizeHint().width()
        + 2 * scroll.frameWidth()
    )
    sizes = window.splitter.sizes()
    if sizes[1] >= needed:
        return
    extra = needed - sizes[1]
    from_table = extra // 2
    window.splitter.setSizes([sizes[0] - from_table, needed, sizes[2] - (extra - from_table)])
    print(f"widened the form by {extra} px (its content needs {needed} px)", file=sys.stderr)


def take_screenshot(
    out: Path, size: tuple[int, int], timeout: float, work: Path, scheme: str = "light"
) -> Path:
    """Import the samples into a library in ``work``, show the window and save it to ``out``."""
    from PySide6.QtCore import QEvent, QObject, QSettings
    from PySide6.QtWidgets import QApplication

    from archive_app.core.importer import import_paths
    from archive_app.core.library import Library
    from archive_app.gui import theme
    from archive_app.gui.app import configure_application
    from archive_app.gui.windows.main_window import MainWindow

    # Settings go to the temporary folder: the user's window layout is neither read nor written.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
            QSettings.setPath(fmt, scope, str(work / "settings"))

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    configure_application(app)
    theme.apply_color_scheme(app, scheme)  # type: ignore[arg-type]

    library = Library(work / "library.sqlite3")
    try:
        report = import_paths(library, [SAMPLES, SEED])
        if report.failed or len(report.imported) < 2:
            raise RuntimeError(f"the samples did not import: {report.summary()}")
        seed = [a for a in library.list_articles() if a.title.startswith(SEED_TITLE)]
        if not seed:
            raise RuntimeError(f"no article titled {SEED_TITLE!r} after the import")

        window = MainWindow(library)
        window.show_import_reports = False
        window.resize(*size)
        window.show()
        wait_until(lambda: window.windowHandle().isExposed(), timeout, "the window to show")
        settle(0.3)  # the sidebar fills itself after the window shows

        if not window.library_view.select_id(seed[0].id):
            raise RuntimeError(f"article {seed[0].id} is not listed in the table")
        wait_until(
            lambda: window.form.record is not None and window.form.record.id == seed[0].id,
            timeout,
            "the form to load the article",
        )
        settle(0.3)  # the form's layout takes the loaded text into account
        widen_form(window)

        class PaintWatch(QObject):
            """Counts paint events of the preview's viewport."""

            painted = 0

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    self.painted += 1
                return False

        watch = PaintWatch()
        window.preview.viewport().installEventFilter(watch)
        window.preview.viewport().update()
        wait_until(lambda: watch.painted > 0, timeout, "the preview to paint")
        settle(0.5)

        pixmap = window.grab()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not pixmap.save(str(out), "PNG"):
            raise RuntimeError(f"could not write {out}")
        print(f"{out}: {pixmap.width()}x{pixmap.height()}, {out.stat().st_size:,} bytes")
        window.close()
        settle(0.1)
    finally:
        library.close()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; return the exit code."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="archive-screenshot-") as tmp:
        try:
            take_screenshot(
                args.out.resolve(), (args.width, args.height), args.timeout, Path(tmp), args.scheme
            )
        except (RuntimeError, TimeoutError) as exc:
            sys.stderr.write(f"screenshot: error: {exc}\n")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
