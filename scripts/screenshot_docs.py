"""Save the PNGs the documentation shows (under Xvfb: ``scripts/screenshot.sh --docs``).

In the light scheme (default): ``main-window-light.png`` (the seed article open),
``preview.png`` (the seed's preview alone), ``export-dialog.png`` and ``import-report.png``
(an import of a folder with duplicates, a file that is not text, an image and files in
legacy encodings). With ``--scheme dark``: ``main-window-dark.png`` only. Into OUT_DIR
(default: ``docs``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshot import SAMPLES, SEED, SEED_TITLE, settle, wait_until, widen_form
from screenshot_redecode import DOUBTFUL_TEXT

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QWidget

    from archive_app.gui.windows.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs"
#: Where the export dialog says it writes (a path the archivist might have typed).
EXPORT_FOLDER = "~/Documents/Article exports"
#: A legacy (cp1252) article with smart quotes: imported, decoded right.
LEGACY_TEXT = (
    "Ferry service resumes after the storm\n\n"
    "The island\u2019s ferry ran again on Monday, \u201cright on time\u201d, said the harbour "
    "master.\n\nPassengers queued from dawn.\n"
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--scheme", choices=("light", "dark"), default="light")
    parser.add_argument("--width", type=int, default=1500)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--timeout", type=float, default=30.0)
    return parser.parse_args(argv)


def save(pixmap: QPixmap, path: Path) -> None:
    """Write ``pixmap`` as a PNG and say so."""
    if not pixmap.save(str(path), "PNG"):
        raise RuntimeError(f"could not write {path}")
    print(f"{path}: {pixmap.width()}x{pixmap.height()}, {path.stat().st_size:,} bytes")


def shown(widget: QWidget, timeout: float, what: str) -> None:
    """Show ``widget`` and wait until it is on screen and painted."""
    widget.show()
    wait_until(lambda: widget.windowHandle() is not None, timeout, what)
    wait_until(lambda: widget.windowHandle().isExposed(), timeout, what)
    settle(0.5)


def incoming_folder(folder: Path) -> Path:
    """An import with something of every kind: new, duplicate, not text, skipped, doubtful."""
    folder.mkdir(parents=True)
    for sample in sorted(SAMPLES.glob("*.txt"))[:2]:
        shutil.copy(sample, folder / sample.name)  # already in the library: duplicates
    (folder / "ferry-service.txt").write_bytes(LEGACY_TEXT.encode("cp1252"))
    (folder / "scan-0042.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "harbour-photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    # Read right, but the decoder is unsure (cp1251 is close): imported, to review.
    (folder / "yolka.txt").write_bytes(DOUBTFUL_TEXT.encode("mac_cyrillic"))
    return folder


def main_window_shot(window: MainWindow, out: Path, timeout: float) -> None:
    """The window with the seed article in the form and the preview."""
    from PySide6.QtCore import QEvent, QObject

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
    save(window.grab(), out)


def take_screenshots(args: argparse.Namespace, work: Path) -> None:
    """Import the samples and the seed, open the window, grab what the docs show."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from archive_app.core.importer import import_paths
    from archive_app.core.library import Library
    from archive_app.gui import theme
    from archive_app.gui.app import configure_application
    from archive_app.gui.dialogs.export_dialog import ExportDialog
    from archive_app.gui.views.preview import PreviewView
    from archive_app.gui.windows.main_window import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
            QSettings.setPath(fmt, scope, str(work / "settings"))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    configure_application(app)
    theme.apply_color_scheme(app, args.scheme)
    out_dir: Path = args.out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    timeout: float = args.timeout

    library = Library(work / "library.sqlite3")
    try:
        report = import_paths(library, [SAMPLES, SEED])
        if report.failed or len(report.imported) < 2:
            raise RuntimeError(f"the samples did not import: {report.summary()}")
        seed = next((a for a in library.list_articles() if a.title.startswith(SEED_TITLE)), None)
        if seed is None:
            raise RuntimeError(f"no article titled {SEED_TITLE!r} after the import")

        window = MainWindow(library)
        window.show_import_reports = False
        window.resize(args.width, args.height)
        shown(window, timeout, "the window to show")
        if not window.library_view.select_id(seed.id):
            raise RuntimeError(f"article {seed.id} is not listed in the table")
        wait_until(
            lambda: window.form.record is not None and window.form.record.id == seed.id,
            timeout,
            "the form to load the article",
        )
        settle(0.3)
        widen_form(window)
        main_window_shot(window, out_dir / f"main-window-{args.scheme}.png", timeout)
        if args.scheme == "dark":
            window.close()
            return

        record = library.get_article(seed.id)
        preview = PreviewView()
        preview.resize(760, 1040)
        preview.show_fields(record)
        shown(preview, timeout, "the preview to show")
        save(preview.grab(), out_dir / "preview.png")
        preview.close()

        settings = QSettings()
        for key, value in (
            ("export/format", "pdf"),
            ("export/single_file", True),
            ("export/folder", EXPORT_FOLDER),
            ("export/pdfa", True),
        ):
            settings.setValue(key, value)
        window.library_view.table.selectAll()
        dialog = ExportDialog(len(window.library_view.selected_ids()), window)
        shown(dialog, timeout, "the export dialog to show")
        save(dialog.grab(), out_dir / "export-dialog.png")
        dialog.close()

        window.show_import_reports = True
        finished: list[object] = []
        window.import_finished.connect(finished.append)
        window.start_import([incoming_folder(work / "incoming")])
        wait_until(lambda: bool(finished), timeout, "the import to finish")
        report_dialog = window.last_report_dialog
        if report_dialog is None:
            raise RuntimeError("no import report was shown")
        wait_until(lambda: report_dialog.isVisible(), timeout, "the import report to show")
        settle(0.5)
        save(report_dialog.grab(), out_dir / "import-report.png")
        report_dialog.close()
        window.close()
        settle(0.1)
    finally:
        library.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the script; return the exit code."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="archive-docs-") as tmp:
        try:
            take_screenshots(args, Path(tmp))
        except (RuntimeError, TimeoutError) as exc:
            sys.stderr.write(f"screenshot_docs: error: {exc}\n")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
