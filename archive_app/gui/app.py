"""Starting the window: the QApplication, the error dialog hook and the library."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from archive_app import APP_ID, APP_NAME, __version__
from archive_app.core.errors import LibraryError
from archive_app.core.library import Library
from archive_app.core.storage import is_server_url
from archive_app.gui import theme
from archive_app.paths import default_library_path

log = logging.getLogger(__name__)
ORGANIZATION = "ArticleArchive"


def configure_application(app: QCoreApplication) -> None:
    """Set the names Qt uses for settings and desktop integration."""
    app.setApplicationName("ArticleArchive")
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    if isinstance(app, QApplication):
        app.setApplicationDisplayName(APP_NAME)
        app.setDesktopFileName(APP_ID)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    text = "".join(traceback.format_exception(kind, value, tb))
    log.error("unhandled exception:\n%s", text)
    sys.stderr.write(text)
    headless = QApplication.platformName() in ("offscreen", "minimal")
    if QApplication.instance() is not None and not headless:  # nobody could answer it
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, f"Something went wrong: {value}")
        box.setDetailedText(text)
        box.exec()


def _remembered_or_default() -> Path | str:
    """The library File › Open Library… opened last, if it still opens; else the default."""
    from archive_app.gui.windows.libraries import remembered_library

    remembered = remembered_library()
    if remembered:
        try:
            Library(
                remembered if is_server_url(remembered) else Path(remembered), create=False
            ).close()
            return remembered if is_server_url(remembered) else Path(remembered)
        except LibraryError as exc:
            log.warning("the last library cannot be opened (%s); opening the default", exc)
    return default_library_path()


def run(library_path: Path | str | None, *, quit_after_ms: int | None = None) -> int:
    """Open the main window on ``library_path`` and run the event loop; return the exit code.

    Args:
        library_path: The library file, or a ``postgresql://`` URL; ``None``: the one File ›
            Open Library… opened last (see ``remembered_library``), else the default file.
        quit_after_ms: Close the window after this long (smoke tests of the real app).
    """
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application(app)
    theme.apply_color_scheme(app)  # ARCHIVE_APP_COLOR_SCHEME=dark|light, else the system's
    sys.excepthook = _excepthook
    if library_path is None:
        library_path = _remembered_or_default()
    try:
        library = Library(library_path)
    except LibraryError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        sys.stderr.write(f"article-archive: error: {exc}\n")
        return 1
    from archive_app.gui.windows.main_window import MainWindow

    window = MainWindow(library)
    window.show()
    log.info("main window shown on %s (%d articles)", library.location, library.count())
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, window.close)
    code = app.exec()
    library.close()
    return int(code)
