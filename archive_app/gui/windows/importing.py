"""Importing: the File menu's imports, drops anywhere on the window, the report."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)

from archive_app.core.records import Changes
from archive_app.gui.dialogs.import_report import ImportReportDialog
from archive_app.gui.tasks import Task
from archive_app.gui.windows.base import WindowBase

if TYPE_CHECKING:
    from archive_app.core.importer import ImportReport

log = logging.getLogger(__name__)


def importable(urls: Sequence[QUrl]) -> list[Path | str]:
    """What a drop can import: local files and folders, and web addresses (links dragged from a
    browser's address bar), which the import downloads."""
    found: list[Path | str] = []
    for url in urls:
        if url.isLocalFile() and url.toLocalFile():
            found.append(Path(url.toLocalFile()))
        elif url.scheme() in ("http", "https") and url.host():
            found.append(url.toString())
    return found


class ImportingMixin(WindowBase):
    """Imports from menus and drops: the window's part."""

    def choose_import_files(self) -> None:
        """Ask for files and import them."""
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import articles",
            "",
            "Articles and saved pages (*.txt *.text *.html *.htm *.xhtml *.mhtml *.mht);;"
            "Archival packages (BagIt) (*.zip);;All files (*)",
        )
        if files:
            self.start_import([Path(f) for f in files])

    def choose_import_url(self) -> None:
        """Ask for a web address, then download and import the page."""
        text, ok = QInputDialog.getText(
            self, "Import from URL", "Address of the page (http:// or https://):"
        )
        url = text.strip()
        if not ok or not url:
            return
        if not url.lower().startswith(("http://", "https://")):
            QMessageBox.warning(
                self,
                "Import from URL",
                f"{url!r} is not a web address: it must start with http:// or https://.",
            )
            return
        self.start_import([url])

    def choose_import_folder(self) -> None:
        """Ask for a folder and import it."""
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles")
        if folder:
            self.start_import([Path(folder)])

    def import_samples(self) -> None:
        """Import the sample articles shipped with the app."""
        samples = resources.files("archive_app.resources").joinpath("samples")
        self.start_import([Path(str(samples))])

    def start_import(self, paths: Sequence[Path | str]) -> Task | None:
        """Import ``paths`` in the background with a progress dialog; return the task."""
        if self.import_task is not None:
            QMessageBox.information(
                self, "Import running", "An import is already running; wait for it to finish."
            )
            return None
        library = self.library
        path_list = list(paths)

        from archive_app.core.importer import import_paths  # the parsing stack: when used

        def work(progress: Any, cancelled: Any) -> ImportReport:
            def on_busy(waited: float) -> None:
                progress(
                    -1,
                    0,
                    f"The library is busy: another program is writing to it. "
                    f"Waiting… ({waited:.0f} s)",
                )

            library.on_busy = on_busy
            try:
                return import_paths(library, path_list, progress=progress, cancel=cancelled)
            finally:
                library.on_busy = None

        self.statusBar().showMessage("Importing…")
        task = self._run_with_progress(work, "Import", "Importing", self._on_import_task_succeeded)
        self.import_task = task
        task.signals.finished.connect(lambda: self._on_import_task_finished(task))
        return task

    def _on_import_task_succeeded(self, report: ImportReport) -> None:
        # Its report is in: the import is over, even before its ``finished`` arrives (a drop
        # right after ``import_finished`` must not be refused as "already running").
        self.import_task = None
        if report.imported:
            self.library_changed.emit(Changes(added=True, tags=True), self)
            if self.model.showing_trash:
                self.toggle_trash(False)
            if not self.form.is_modified:
                self.library_view.select_id(report.imported[0])
        self.statusBar().showMessage("Import: " + report.summary(), 8000)
        if report.error:
            stored = len(report.imported)
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                "Import stopped",
                f"The import stopped: {report.error}\n\n"
                f"{stored} article{'' if stored == 1 else 's'} were stored before it stopped; "
                "the library is consistent.",
                parent=self,
            )
            box.open()
            self.last_error_box = box
        if self.show_import_reports:
            dialog = ImportReportDialog(report, self)
            self.last_report_dialog = dialog
            dialog.open()
        self.import_finished.emit(report)

    def _on_import_task_finished(self, task: Task) -> None:
        if self.import_task is task:
            self.import_task = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take file drops anywhere in the window (text fields keep plain-text drops)."""
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop) and (
            watched is self or (isinstance(watched, QWidget) and self.isAncestorOf(watched))
        ):
            assert isinstance(event, QDragEnterEvent | QDropEvent)
            mime = event.mimeData()
            if mime.hasUrls() and importable(mime.urls()):
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                if kind == QEvent.Type.Drop:
                    self.start_import(importable(mime.urls()))
                return True
        return super().eventFilter(watched, event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept file drops; politely ignore anything else."""
        if event.mimeData().hasUrls() and importable(event.mimeData().urls()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Import the dropped files and folders."""
        paths = importable(event.mimeData().urls()) if event.mimeData().hasUrls() else []
        if paths:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.start_import(paths)
        else:
            event.ignore()
