"""What the main window's parts share: its signals, state and the progress-dialog runner."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QProgressDialog,
)

from archive_app.core.library import Library
from archive_app.core.records import BatchUndo
from archive_app.gui.dialogs.import_report import ImportReportDialog
from archive_app.gui.dialogs.recover_drafts import RecoverDraftsDialog
from archive_app.gui.dialogs.redecode import RedecodeDialog
from archive_app.gui.tasks import Task, TaskRunner
from archive_app.gui.views.article_table import ArticleTableModel
from archive_app.gui.views.editor_form import EditorForm
from archive_app.gui.views.library_view import LibraryView
from archive_app.gui.views.preview import PreviewView
from archive_app.gui.views.sidebar import Sidebar

log = logging.getLogger(__name__)


class WindowBase(QMainWindow):
    """The main window's shared part: signals, state declarations, background runs with progress.

    Signals:
        library_changed: A write changed the library: (Changes, initiator object).
        import_finished: An import ended, with its ``ImportReport``.
        export_finished: An export ended, with its ``ExportResult``.
        article_saved: The article with this id was saved.
        article_reparsed: The article with this id was re-decoded and parsed again.
        draft_saved: The form's unsaved edits of this article were written as a draft.
        revision_restored: An article (id) was put back as it was after a revision (id).
        library_checked: Tools › Check Library ended, with its list of problems.
        backup_written: A backup (automatic or Back Up Now) was written to this path.
    """

    #: How long after the last keystroke the form's unsaved values are written as a draft.
    DRAFT_DELAY_MS = 1000
    #: How wide (pixels) a file name may be in a progress dialog before it is elided.
    PROGRESS_NAME_WIDTH = 360
    #: The trashed article's banner.
    TRASH_BANNER = "In the trash: restore it to edit (Edit › Restore from Trash)."
    #: The preview's text in the trash view with no article chosen.
    TRASH_PREVIEW_HINT = (
        "Select an article in the trash to read it. Restore brings it back to the library; "
        "Delete Permanently removes it and its original file for good."
    )

    library_changed = Signal(object, object)
    import_finished = Signal(object)
    export_finished = Signal(object)
    article_saved = Signal(int)
    article_reparsed = Signal(int)
    draft_saved = Signal(int)
    revision_restored = Signal(int, int)
    library_checked = Signal(list)
    backup_written = Signal(object)

    # What the parts share; ``MainWindow.__init__`` sets each of these.
    library: Library
    runner: TaskRunner
    model: ArticleTableModel
    library_view: LibraryView
    form: EditorForm
    preview: PreviewView
    sidebar: Sidebar
    draft_timer: QTimer
    show_import_reports: bool
    auto_backup_on_quit: bool
    import_task: Task | None
    last_report_dialog: ImportReportDialog | None
    last_error_box: QMessageBox | None
    last_redecode_dialog: RedecodeDialog | None
    last_recovery_dialog: RecoverDraftsDialog | None
    last_check_box: QMessageBox | None
    show_trash_action: QAction
    _drafted: set[int]
    _batch_undo: list[BatchUndo]
    _redecoding: bool
    _columns_chosen: bool
    #: Whether the sidebar's counts are being made in the background.
    sidebar_pending: bool
    _sidebar_again: bool
    _writing: bool  # a delete, restore or purge is under way

    # Implemented by ``MainWindow`` (or another part); declared for the parts that call them.
    def resolve_unsaved(self) -> bool:
        raise NotImplementedError

    def open_article(self, article_id: int) -> None:
        raise NotImplementedError

    def refresh_history(self) -> None:
        raise NotImplementedError

    def refresh_sidebar(self) -> None:
        raise NotImplementedError

    def toggle_trash(self, checked: bool | None = None) -> None:
        raise NotImplementedError

    def _update_actions(self) -> None:
        raise NotImplementedError

    def _update_title(self) -> None:
        raise NotImplementedError

    def save_settings(self) -> None:
        raise NotImplementedError

    def _run_with_progress(
        self, work: Any, title: str, verb: str, on_success: Any, on_finished_too: Any = None
    ) -> Task:
        """Run ``work`` as a background task with a (delayed) progress dialog and Cancel.

        ``on_success`` gets the result; ``on_finished_too`` (if given) is called last, whatever
        the outcome.
        """
        task = Task(work)
        dialog = QProgressDialog(f"{verb}…", "Cancel", 0, 0, self)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(task.cancel)

        closed = False

        def on_progress(done: int, total: int, text: str) -> None:
            # A modal setValue() processes events: the task may finish (and the dialog go)
            # inside it, so check before and after touching the dialog.
            if closed or not shiboken6.isValid(dialog):
                return
            if done < 0:  # a message, e.g. waiting for another program's write
                # "Downloading <a long address>…" would stretch the dialog as a title would.
                width = self.PROGRESS_NAME_WIDTH + 60
                dialog.setLabelText(
                    dialog.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, width)
                )
                self.statusBar().showMessage(text, 5000)
                return
            dialog.setMaximum(total)
            dialog.setValue(done)
            if not closed and shiboken6.isValid(dialog):
                # An article title can be a paragraph long: elide it, or the dialog grows to it.
                name = dialog.fontMetrics().elidedText(
                    Path(text).name, Qt.TextElideMode.ElideMiddle, self.PROGRESS_NAME_WIDTH
                )
                dialog.setLabelText(f"{verb} {done} of {total}…\n{name}")

        def on_finished() -> None:
            nonlocal closed
            closed = True
            task.signals.progressed.disconnect(on_progress)  # late reports go nowhere
            dialog.reset()
            dialog.deleteLater()

        task.signals.progressed.connect(on_progress)
        task.signals.succeeded.connect(on_success)
        task.signals.failed.connect(
            lambda message, details: self._show_task_error(f"{title} failed", message, details)
        )
        task.signals.finished.connect(on_finished)
        if on_finished_too is not None:
            task.signals.finished.connect(on_finished_too)
        self.runner.start(task)
        return task

    def _show_task_error(self, title: str, message: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, message, parent=self)
        box.setDetailedText(details)
        box.open()
        self.last_error_box = box
