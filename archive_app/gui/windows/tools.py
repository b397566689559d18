"""The Tools and Help menus: Check Library, backups, statistics, About."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
)

from archive_app import APP_NAME
from archive_app.core.errors import LibraryError
from archive_app.core.library import Library
from archive_app.gui import auto_backup
from archive_app.gui.tasks import Task
from archive_app.gui.windows.base import WindowBase

log = logging.getLogger(__name__)


def library_name(library: Library) -> str:
    """A short name for messages: the file's name, or the server library's URL."""
    file = library.file
    return file.name if file is not None else library.location


class ToolsMixin(WindowBase):
    """The Tools and Help menus: the window's part."""

    def check_library(self) -> Task:
        """Run ``Library.check`` in the background and show what it found."""
        library = self.library

        def work(_progress: Any, _cancelled: Any) -> list[str]:
            return library.check()

        def on_success(problems: list[str]) -> None:
            if problems:
                box = QMessageBox(
                    QMessageBox.Icon.Warning,
                    "Check Library",
                    f"{len(problems)} problem{'' if len(problems) == 1 else 's'} found in "
                    f"{library_name(library)}:",
                    parent=self,
                )
                box.setInformativeText("\n".join(problems[:20]))
                box.setDetailedText("\n".join(problems))
            else:
                counts = library.counts()
                box = QMessageBox(
                    QMessageBox.Icon.Information,
                    "Check Library",
                    f"All is well: {library_name(library)} passed every check.",
                    parent=self,
                )
                box.setInformativeText(
                    f"{counts['articles']} articles, {counts['trash']} in the trash, "
                    f"{counts['source_files']} original files checked, "
                    f"{counts['revisions']} revisions."
                )
            self.last_check_box = box
            box.open()
            self.library_checked.emit(problems)

        self.statusBar().showMessage("Checking the library…")
        return self._run_with_progress(work, "Check Library", "Checking", on_success)

    def ask_backup_path(self) -> Path | None:
        """Ask where Back Up Now writes; ``None`` if cancelled (or the library has no file)."""
        file = self.library.file
        if file is None:  # on a server: the action is disabled, its tip says why
            return None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        suggested = file.with_name(f"{file.stem}-{stamp}.backup")
        name, _ = QFileDialog.getSaveFileName(
            self, "Back Up the Library", str(suggested), "Library backups (*.backup *.sqlite3)"
        )
        return Path(name) if name else None

    def backup_now(self, out: Path | None = None) -> Task | None:
        """Write a copy of the library (in the background) to a file the archivist names."""
        target = out or self.ask_backup_path()
        if target is None:
            return None
        library = self.library

        def work(_progress: Any, _cancelled: Any) -> Path:
            return library.backup(target)

        def on_success(path: Path) -> None:
            self.statusBar().showMessage(f"Backed up to {path}", 8000)
            self.backup_written.emit(path)

        self.statusBar().showMessage("Backing up…")
        return self._run_with_progress(work, "Back Up", "Backing up", on_success)

    def write_auto_backup(self, now: dt.datetime | None = None) -> Path | None:
        """Write the rotating backup beside the library if one is due (on quit)."""
        when = now or dt.datetime.now()
        if not auto_backup.is_due(self.library, when):
            return None
        file = self.library.file
        reason = auto_backup.no_room_reason(file) if file is not None else ""
        if reason:
            log.warning("automatic backup skipped: %s", reason)
            self.statusBar().showMessage(f"Automatic backup skipped: {reason}.", 8000)
            return None
        keep = QSettings().value("backup/keep", auto_backup.DEFAULT_KEEP)
        try:
            keep_count = int(keep)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            keep_count = auto_backup.DEFAULT_KEEP
        progress = QProgressDialog("Backing up the library…", "", 0, 0, self)
        progress.setWindowTitle("Back Up")
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.show()
        QApplication.processEvents()
        try:
            path = auto_backup.write_backup(self.library, keep_count, when)
        except LibraryError as exc:
            log.warning("automatic backup not written: %s", exc)
            return None
        finally:
            progress.reset()
            progress.deleteLater()
        log.info("automatic backup written to %s", path)
        self.backup_written.emit(path)
        return path

    def _refresh_statistics(self) -> None:
        library = self.library
        if library.read_only or not library.needs_statistics:
            return

        def work(_progress: Any, _cancelled: Any) -> None:
            library.optimize()

        task = Task(work)
        task.signals.failed.connect(
            lambda message, _details: log.warning("statistics: %s", message)
        )
        self.runner.start(task)

    def show_about(self) -> None:
        """Show the About box."""
        from archive_app.gui.dialogs.about import about_text

        QMessageBox.about(self, f"About {APP_NAME}", about_text(self.library.location))
