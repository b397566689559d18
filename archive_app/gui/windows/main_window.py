"""The main window: library table, editor form and preview in splitters; menus; drops."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QSplitter,
    QWidget,
)

from archive_app import APP_NAME
from archive_app.core.errors import ArticleNotFoundError, LibraryError, ValidationError
from archive_app.core.history import Revision
from archive_app.core.importer import ImportReport, import_paths
from archive_app.core.library import Library
from archive_app.core.records import ArticleRecord, BatchEdit, BatchUndo, Changes
from archive_app.core.reparse import ReparseReport, reparse_articles
from archive_app.export.common import ExportExistsError, ExportResult
from archive_app.export.run import export_records
from archive_app.gui import auto_backup
from archive_app.gui.dialogs.batch_edit import BatchEditDialog
from archive_app.gui.dialogs.export_dialog import ExportDialog, ExportOptions
from archive_app.gui.dialogs.import_report import ImportReportDialog
from archive_app.gui.dialogs.recover_drafts import RecoverDraftsDialog, draft_entries
from archive_app.gui.dialogs.redecode import RedecodeDialog, reparsed_fields_text
from archive_app.gui.icons import action_icon
from archive_app.gui.tasks import Task, TaskRunner
from archive_app.gui.views.article_table import ArticleTableModel
from archive_app.gui.views.editor_form import EditorForm
from archive_app.gui.views.library_view import LibraryView
from archive_app.gui.views.preview import PreviewView
from archive_app.gui.views.sidebar import Sidebar

log = logging.getLogger(__name__)

Choice = QMessageBox.StandardButton


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


class MainWindow(QMainWindow):
    """Composes the views; owns no SQL (everything goes through the ``Library``).

    Args:
        library: The open library.
        runner: Where background work runs (tests may pass a synchronous one).

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

    library_changed = Signal(object, object)
    import_finished = Signal(object)
    export_finished = Signal(object)
    article_saved = Signal(int)
    article_reparsed = Signal(int)
    draft_saved = Signal(int)
    revision_restored = Signal(int, int)
    library_checked = Signal(list)
    backup_written = Signal(object)

    def __init__(
        self,
        library: Library,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner or TaskRunner(self)
        self.show_import_reports = True
        self.import_task: Task | None = None
        self.last_report_dialog: ImportReportDialog | None = None
        self.last_error_box: QMessageBox | None = None
        self.last_redecode_dialog: RedecodeDialog | None = None
        self.last_recovery_dialog: RecoverDraftsDialog | None = None
        self.last_check_box: QMessageBox | None = None
        #: Write a rotating backup beside the library on quit (at most once a day).
        self.auto_backup_on_quit = True
        self._drafted: set[int] = set()
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(self.DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self._on_draft_timer_timeout)

        self.model = ArticleTableModel(library, self, load=False)
        self.library_view = LibraryView(self.model, self.runner)
        self.form = EditorForm()
        self.preview = PreviewView()

        self.sidebar = Sidebar()
        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.setObjectName("leftSplitter")
        self.left_splitter.addWidget(self.sidebar)
        self.left_splitter.addWidget(self.library_view)
        self.left_splitter.setStretchFactor(0, 2)
        self.left_splitter.setStretchFactor(1, 5)
        self._batch_undo: list[BatchUndo] = []
        self._redecoding = False

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.left_splitter)
        self.splitter.addWidget(self.form)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self._build_actions()
        self._build_menus()
        self.setAcceptDrops(True)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

        self.library_view.current_article_changed.connect(self._on_library_view_current_changed)
        self.library_view.selection_changed.connect(self._on_library_view_selection_changed)
        self.library_view.table.doubleClicked.connect(lambda _i: self.form.title_edit.setFocus())
        self.model.reloaded.connect(self._on_model_reloaded)
        self.form.edited.connect(self._on_form_edited)
        self.form.modified_changed.connect(self._on_form_modified_changed)
        self.form.redecode_requested.connect(self._on_form_redecode_requested)
        self.form.history_panel.restore_requested.connect(self._on_history_panel_restore_requested)
        self.library_changed.connect(self._on_library_changed)
        self.sidebar.query_chosen.connect(self._on_sidebar_query_chosen)
        self.library_view.columns.column_toggled.connect(self._on_columns_column_toggled)
        self._columns_chosen = QSettings().value("main/columnsChosen", False, type=bool)
        self.sidebar.saved_search_edit_requested.connect(self.edit_saved_search)
        self.sidebar.saved_search_delete_requested.connect(self.delete_saved_search)
        # Counting a big library takes a moment: show the window (and its rows) first.
        QTimer.singleShot(0, self.refresh_sidebar)

        self.resize(1400, 860)
        self._restore_settings()
        # The row count and selection live in a permanent label: showMessage() is for
        # transient news ("Moved 2 articles to the trash…"), which the count never overwrites.
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.statusBar().addPermanentWidget(self.count_label)
        self.read_only_label = QLabel()
        if library.read_only:
            self.read_only_label.setText(f"Read-only: {library.read_only_reason}")
            self.read_only_label.setToolTip(
                f"{library.path} is open read-only ({library.read_only_reason}): search, "
                "read and export work; imports and edits are refused."
            )
            self.statusBar().addPermanentWidget(self.read_only_label)
        # Opening never writes: planner statistics are made in the background when missing.
        QTimer.singleShot(0, self._refresh_statistics)
        self.model.reload()  # once, in the restored sort order
        self.form.set_tag_suggestions(library.all_tags())
        self._update_title()
        self._update_status()
        self._update_actions()
        try:
            self._drafted = set(library.drafts())
        except LibraryError as exc:  # an old library without the table: nothing to recover
            log.warning("drafts: %s", exc)
        # After the window shows: offer the edits a crash left behind.
        QTimer.singleShot(0, self.offer_draft_recovery)

    # -- construction ---------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Any,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.import_files_action = self._action(
            "&Import Files…", self.choose_import_files, "Ctrl+O", "Import article text files"
        )
        self.import_folder_action = self._action(
            "Import &Folder…", self.choose_import_folder, "Ctrl+Shift+O", "Import a folder"
        )
        self.import_url_action = self._action(
            "Import from &URL…",
            self.choose_import_url,
            "Ctrl+Shift+U",
            "Download a web page and import it",
        )
        self.export_action = self._action(
            "&Export Selected…", self.export_selected, "Ctrl+E", "Export to HTML, PDF or text"
        )
        self.save_action = self._action("&Save", self.save, "Ctrl+S", "Save the article")
        self.revert_action = self._action(
            "&Revert", self.revert, None, "Discard the edits and show the stored article"
        )
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        self.undo_action = self._action("&Undo", lambda: self._edit_call("undo"), "Ctrl+Z")
        self.redo_action = self._action("&Redo", lambda: self._edit_call("redo"), "Ctrl+Shift+Z")
        self.find_action = self._action("&Find", self.focus_search, "Ctrl+F", "Search")
        self.trash_action = self._action(
            "&Delete to Trash", self.delete_selected, QKeySequence.StandardKey.Delete
        )
        self.restore_action = self._action("Re&store from Trash", self.restore_selected)
        self.batch_edit_action = self._action(
            "&Batch Edit…", self.batch_edit_selected, "Ctrl+B", "Change many articles at once"
        )
        self.undo_batch_action = self._action("Undo Batch Edit", self.undo_batch_edit)
        self.redecode_action = self._action(
            "Re-&decode As…",
            self.redecode_current,
            None,
            "Read the article's original file again in another encoding and parse it again",
        )
        self.save_search_action = self._action(
            "Save &Search…", self.save_current_search, None, "Keep the current query"
        )
        self.show_trash_action = self._action("Show &Trash", self.toggle_trash)
        self.show_trash_action.setCheckable(True)
        self.samples_action = self._action("Import &Sample Articles", self.import_samples)
        self.about_action = self._action("&About Article Archive", self.show_about)
        self.check_library_action = self._action(
            "&Check Library",
            self.check_library,
            None,
            "Check the database, the search index and every original file's checksum",
        )
        self.backup_now_action = self._action(
            "&Back Up Now…", self.backup_now, None, "Write a copy of the library to a file"
        )
        # Delete acts on the table only when the table has focus, never on text fields.
        self.trash_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.removeAction(self.trash_action)
        self.library_view.table.addAction(self.trash_action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions(
            [self.import_files_action, self.import_folder_action, self.import_url_action]
        )
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.revert_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.find_action, self.trash_action, self.restore_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.batch_edit_action, self.undo_batch_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.redecode_action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.show_trash_action)
        view_menu.addAction(self.save_search_action)
        tools_menu = bar.addMenu("&Tools")
        tools_menu.addActions([self.check_library_action, self.backup_now_action])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.samples_action, self.about_action])

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action, icon in (
            (self.import_files_action, "import"),
            (self.export_action, "export"),
            (self.save_action, "save"),
            (self.trash_action, "delete"),
            (self.show_trash_action, "trash"),
        ):
            action.setIcon(action_icon(icon))
        toolbar.addActions(
            [self.import_files_action, self.export_action, self.save_action, self.trash_action]
        )
        toolbar.addAction(self.show_trash_action)

    # -- settings -------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("main/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([560, 420, 420])
        left = settings.value("main/leftSplitter")
        if isinstance(left, QByteArray):
            self.left_splitter.restoreState(left)
        header = settings.value("main/tableHeader")
        if isinstance(header, QByteArray):
            self.library_view.table.horizontalHeader().restoreState(header)

    def save_settings(self) -> None:
        """Remember the window geometry, splitter and table header state."""
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        settings.setValue("main/leftSplitter", self.left_splitter.saveState())
        settings.setValue(
            "main/tableHeader", self.library_view.table.horizontalHeader().saveState()
        )

    # -- status ---------------------------------------------------------------------------

    def _update_title(self) -> None:
        record = self.form.record
        name = (record.title or "(untitled)") if record else ""
        self.setWindowTitle(f"{name}[*] — {APP_NAME}" if record else APP_NAME)
        self.setWindowModified(self.form.is_modified)

    def _update_status(self) -> None:
        count = self.model.rowCount()
        what = "in the trash" if self.model.showing_trash else "article" + "s" * (count != 1)
        total = f"{count} {what}"
        if self.model.query:
            total = f"{count} matching “{self.model.query}”"
        if self.model.query_invalid:
            self.count_label.setText("")  # the error under the search field says it all
            return
        selected = len(self.library_view.selected_ids())
        text = total + (f" · {selected} selected" if selected else "")
        self.count_label.setText(text)

    def _update_actions(self) -> None:
        trash = self.model.showing_trash
        has_record = self.form.record is not None
        editable = has_record and not self.form.is_read_only
        self.save_action.setEnabled(editable and self.form.is_modified)
        self.revert_action.setEnabled(has_record and self.form.is_modified)
        selected = bool(self.library_view.selected_ids())
        self.restore_action.setEnabled(trash and selected)
        self.export_action.setEnabled(selected)
        self.trash_action.setEnabled(selected)
        self.undo_batch_action.setEnabled(bool(self._batch_undo))
        self.trash_action.setText("&Delete Permanently…" if trash else "&Delete to Trash")
        record = self.form.record
        can_redecode = (
            record is not None
            and record.source is not None
            and record.deleted_at is None
            and not self.library.read_only
            and not self._redecoding
        )
        self.redecode_action.setEnabled(can_redecode)
        self.form.set_redecode_enabled(can_redecode)

    # -- editing --------------------------------------------------------------------------

    def _edit_call(self, method: str) -> None:
        widget = QApplication.focusWidget()
        if isinstance(widget, QLineEdit | QPlainTextEdit) and not widget.isReadOnly():
            getattr(widget, method)()
        elif method == "undo" and self._batch_undo:
            self.undo_batch_edit()

    def focus_search(self) -> None:
        """Put the cursor in the search field."""
        self.library_view.search_edit.setFocus()
        self.library_view.search_edit.selectAll()

    def ask_unsaved_changes(self) -> Choice:
        """Ask what to do with unsaved edits: Save, Discard or Cancel."""
        title = self.form.record.title if self.form.record else ""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Unsaved changes",
            f"“{title}” has unsaved changes.",
            Choice.Save | Choice.Discard | Choice.Cancel,
            self,
        )
        box.setInformativeText("Save them before you go on?")
        box.setDefaultButton(Choice.Save)
        return Choice(box.exec())

    def resolve_unsaved(self) -> bool:
        """If the form has unsaved edits, ask; return whether it is fine to go on."""
        if not self.form.is_modified:
            return True
        choice = self.ask_unsaved_changes()
        if choice == Choice.Save:
            return self.save()
        if choice == Choice.Discard:
            self.revert()
            return True
        return False

    def open_article(self, article_id: int) -> None:
        """Show an article in the form and the preview."""
        try:
            record = self.library.get_article(article_id)
        except ArticleNotFoundError:
            record = None
        self.draft_timer.stop()  # unsaved edits were resolved before this
        self.form.load(record)
        trashed = record is not None and record.deleted_at is not None
        if self.library.read_only:
            self.form.set_read_only(
                record is not None, f"Read-only library ({self.library.read_only_reason})."
            )
        else:
            self.form.set_read_only(trashed, self.TRASH_BANNER if trashed else "")
        self.preview.show_fields(record)
        self.refresh_history()
        self._update_title()
        self._update_actions()

    def refresh_history(self) -> None:
        """List the form's article's revisions in the history panel."""
        record = self.form.record
        revisions: list[Revision] = []
        if record is not None:
            try:
                revisions = self.library.history(record.id)
            except LibraryError as exc:  # gone, or an old library without revisions
                log.warning("history of %s: %s", record.id, exc)
        self.form.history_panel.set_revisions(revisions)

    def save(self) -> bool:
        """Save the form through the library; return whether it was saved."""
        record = self.form.record
        if record is None:
            return True
        fields, errors = self.form.validated_fields()
        if errors:
            self.statusBar().showMessage("Not saved: " + " ".join(errors.values()), 8000)
            return False
        try:
            changes = self.library.update_article(record.id, fields)
        except ValidationError as exc:
            self.form.show_errors(exc.errors)
            return False
        except LibraryError as exc:
            QMessageBox.critical(self, "Not saved", str(exc))
            return False
        self.draft_timer.stop()
        self._forget_draft(record.id)
        self.form.load(self.library.get_article(record.id))
        self.library_changed.emit(changes, self.form)
        self.article_saved.emit(record.id)
        self.statusBar().showMessage("Saved.", 3000)
        return True

    def revert(self) -> None:
        """Discard the form's edits: show the stored article again."""
        record = self.form.record
        if record is not None:
            self.draft_timer.stop()
            self._forget_draft(record.id)
            self.open_article(record.id)

    # -- drafts (unsaved edits survive a crash) ---------------------------------------------

    def write_draft(self) -> bool:
        """Write the form's unsaved values as a draft now; return whether one was written.

        The form back at the stored values forgets the draft instead.
        """
        self.draft_timer.stop()
        record = self.form.record
        if record is None or self.form.is_read_only or self.library.read_only:
            return False
        if not self.form.is_modified:
            self._forget_draft(record.id)
            return False
        try:
            self.library.save_draft(record.id, self.form.draft_values())
        except LibraryError as exc:  # never lose the edits themselves over it
            log.warning("draft of %s not written: %s", record.id, exc)
            self.statusBar().showMessage(f"Could not keep a draft of the edits: {exc}", 8000)
            return False
        self._drafted.add(record.id)
        self.draft_saved.emit(record.id)
        return True

    def _forget_draft(self, article_id: int) -> None:
        if article_id not in self._drafted or self.library.read_only:
            return
        try:
            self.library.discard_draft(article_id)
        except LibraryError as exc:
            log.warning("draft of %s not discarded: %s", article_id, exc)
            return
        self._drafted.discard(article_id)

    def _on_draft_timer_timeout(self) -> None:
        self.write_draft()

    def offer_draft_recovery(self) -> RecoverDraftsDialog | None:
        """If a session left unsaved edits behind, list them with Recover / Discard each."""
        if self.library.read_only:
            return None
        try:
            entries = draft_entries(self.library, self.library.drafts())
        except LibraryError as exc:
            log.warning("drafts: %s", exc)
            return None
        if not entries:
            return None
        dialog = RecoverDraftsDialog(entries, self)
        dialog.recover_requested.connect(self._on_recovery_dialog_recover_requested)
        dialog.discard_requested.connect(self._on_recovery_dialog_discard_requested)
        self.last_recovery_dialog = dialog
        dialog.open()
        return dialog

    def recover_draft(self, article_id: int) -> bool:
        """Load an article's draft into the form, marked modified; return whether it was."""
        values = self.library.drafts().get(article_id)
        if values is None:
            return False
        record = self.form.record
        if record is None or record.id != article_id:
            if not self.resolve_unsaved():
                return False
            if self.model.showing_trash:
                self.toggle_trash(False)
            if not self.library_view.select_id(article_id):  # filtered out by the search
                self.open_article(article_id)
                self.library_view.restore_current(article_id)
        record = self.form.record
        if record is None or record.id != article_id or self.form.is_read_only:
            return False
        self.form.apply_draft(values)
        self._drafted.add(article_id)
        self.statusBar().showMessage("Edits recovered: save them (Ctrl+S) to keep them.", 8000)
        return True

    def _on_recovery_dialog_recover_requested(self, article_id: int) -> None:
        if self.recover_draft(article_id) and self.last_recovery_dialog is not None:
            self.last_recovery_dialog.mark_done(article_id, "Recovered into the form: save it.")

    def _on_recovery_dialog_discard_requested(self, article_id: int) -> None:
        self._drafted.add(article_id)
        self._forget_draft(article_id)
        if self.last_recovery_dialog is not None:
            self.last_recovery_dialog.mark_done(article_id, "Discarded.")

    # -- history ---------------------------------------------------------------------------

    def confirm_restore(self, revision: Revision) -> bool:
        """Ask before putting the article back as it was after ``revision``."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Restore this version",
            f"Put “{self.form.record.title if self.form.record else ''}” back as it was "
            f"after revision {revision.id} ({revision.kind})?",
            parent=self,
        )
        box.setInformativeText(
            "The restore is itself a new revision: the version you have now stays in the "
            "history and can be restored in turn."
        )
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(Choice.Cancel)
        box.setDefaultButton(restore)
        box.exec()
        return box.clickedButton() is restore

    def restore_revision(self, revision_id: int) -> bool:
        """Put the form's article back as it was right after ``revision_id``.

        Unsaved edits are resolved first (Save / Discard / Cancel), then confirmed.
        """
        record = self.form.record
        if record is None or self.form.is_read_only or self.library.read_only:
            return False
        if not self.resolve_unsaved():
            return False
        revision = next((r for r in self.library.history(record.id) if r.id == revision_id), None)
        if revision is None or not self.confirm_restore(revision):
            return False
        try:
            changes = self.library.revert(record.id, revision_id)
        except LibraryError as exc:
            QMessageBox.warning(self, "Not restored", str(exc))
            return False
        self.library_changed.emit(changes, self)
        self.statusBar().showMessage(f"Restored the version of revision {revision_id}.", 8000)
        self.revision_restored.emit(record.id, revision_id)
        return True

    def _on_history_panel_restore_requested(self, revision_id: int) -> None:
        self.restore_revision(revision_id)

    def delete_selected(self) -> None:
        """Move the selected articles to the trash (or, in the trash, delete for good)."""
        ids = self.library_view.selected_ids()
        if not ids:
            return
        if self.model.showing_trash:
            if not self.confirm_purge(len(ids)):
                return
            changes = self.library.purge(ids)
        else:
            record = self.form.record
            # Save, Discard or Cancel first: edits never vanish with the article.
            if record is not None and record.id in ids and not self.resolve_unsaved():
                return
            changes = self.library.trash(ids)
            self.statusBar().showMessage(
                f"Moved {len(ids)} article(s) to the trash (View › Show Trash to restore).", 5000
            )
        self.library_changed.emit(changes, self)

    def purge_confirmation(self, count: int) -> QMessageBox:
        """The question before deleting for good; Cancel is the default (and Escape)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Delete permanently",
            f"Delete {count} article{'' if count == 1 else 's'} and their original files for good?",
            parent=self,
        )
        box.setInformativeText("This cannot be undone: the history goes with them.")
        box.addButton("Delete Permanently", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(Choice.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        return box

    def confirm_purge(self, count: int) -> bool:
        """Ask before deleting ``count`` trashed articles for good."""
        box = self.purge_confirmation(count)
        box.exec()
        clicked = box.clickedButton()
        return clicked is not None and box.buttonRole(clicked) == (
            QMessageBox.ButtonRole.DestructiveRole
        )

    def restore_selected(self) -> None:
        """Bring the selected articles back from the trash."""
        ids = self.library_view.selected_ids()
        if ids and self.model.showing_trash:
            self.library_changed.emit(self.library.restore(ids), self)

    def toggle_trash(self, checked: bool | None = None) -> None:
        """Switch the table between the library and the trash."""
        show = self.show_trash_action.isChecked() if checked is None else bool(checked)
        self.show_trash_action.setChecked(show)
        if not self.resolve_unsaved():
            self.show_trash_action.setChecked(not show)
            return
        self.model.set_trash(show)
        self.library_view.restore_current(0)  # no current row: a click on any row opens it
        self.open_article(0)
        self._update_actions()

    # -- re-decoding ----------------------------------------------------------------------

    def ask_redecode_encoding(self, record: ArticleRecord, data: bytes) -> str | None:
        """Show the "Re-decode as…" dialog; return the chosen codec, or ``None``."""
        source = record.source
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # ranking the readings
        try:
            dialog = RedecodeDialog(
                data,
                file_name=source.file_name if source else "",
                current=source.encoding if source else "",
                parent=self,
            )
        finally:
            QApplication.restoreOverrideCursor()
        self.last_redecode_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen_encoding()

    def redecode_confirmation(self, record: ArticleRecord, encoding: str) -> tuple[str, str]:
        """Return the question and the explanation ``confirm_redecode`` shows."""
        question = f"Re-decode “{record.title or '(untitled)'}” as {encoding}?"
        text = (
            f"The article is parsed again from its original file read as {encoding}. This "
            f"replaces its {reparsed_fields_text()}. Your notes and tags stay.\n\n"
            "The original file is kept as it is: re-decoding again with another encoding "
            "brings the other reading back."
        )
        if self.form.is_modified:
            text += (
                "\n\nThe form has unsaved edits: you will be asked next whether to save or "
                "discard them."
            )
        return question, text

    def confirm_redecode(self, record: ArticleRecord, encoding: str) -> bool:
        """Ask before a re-parse replaces the parsed fields; say what stays and what goes."""
        question, text = self.redecode_confirmation(record, encoding)
        box = QMessageBox(QMessageBox.Icon.Question, "Re-decode", question, parent=self)
        box.setInformativeText(text)
        redecode = box.addButton("Re-decode", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(Choice.Cancel)
        box.setDefaultButton(redecode)
        box.exec()
        return box.clickedButton() is redecode

    def redecode_current(self) -> Task | None:
        """Re-decode the article in the form from its original bytes, as the archivist picks.

        Asks for the encoding, confirms, lets the archivist save or discard unsaved edits,
        then re-parses in the background and broadcasts the change.
        """
        record = self.form.record
        if record is None or record.source is None or self._redecoding:
            return None
        if self.library.read_only:
            self.statusBar().showMessage(
                f"The library is read-only ({self.library.read_only_reason}).", 5000
            )
            return None
        try:
            data = self.library.source_bytes(record.id)
        except ArticleNotFoundError as exc:
            QMessageBox.warning(self, "Re-decode", f"No original file to re-decode: {exc}")
            return None
        encoding = self.ask_redecode_encoding(record, data)
        if encoding is None or not self.confirm_redecode(record, encoding):
            return None
        if not self.resolve_unsaved():
            return None
        return self.start_redecode(record.id, encoding)

    def start_redecode(self, article_id: int, encoding: str) -> Task:
        """Re-parse one article from its original bytes read as ``encoding`` (in the background)."""
        library = self.library

        def work(progress: Any, _cancelled: Any) -> ReparseReport:
            return reparse_articles(
                library,
                [article_id],
                encoding=encoding,
                progress=lambda done, total: progress(done, total, ""),
            )

        def on_success(report: ReparseReport) -> None:
            if report.failed:
                _id, reason = report.failed[0]
                QMessageBox.warning(self, "Not re-decoded", f"Could not re-decode: {reason}")
                return
            self.library_changed.emit(Changes(article_ids=frozenset(report.reparsed)), self)
            self.statusBar().showMessage(
                f"Re-decoded as {report.encodings.get(article_id, encoding)} and parsed again.",
                8000,
            )
            self.article_reparsed.emit(article_id)

        def on_finished() -> None:
            self._redecoding = False
            self.form.setEnabled(self.form.record is not None)
            self._update_actions()

        # No typing into fields the re-parse is about to replace.
        self.form.setEnabled(False)
        self.statusBar().showMessage(f"Re-decoding as {encoding}…")
        self._redecoding = True
        self._update_actions()
        return self._run_with_progress(work, "Re-decode", "Re-decoding", on_success, on_finished)

    def _on_form_redecode_requested(self) -> None:
        self.redecode_current()

    # -- importing ------------------------------------------------------------------------

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
                dialog.setLabelText(text)
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

    def _show_task_error(self, title: str, message: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, message, parent=self)
        box.setDetailedText(details)
        box.open()
        self.last_error_box = box

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

    # -- exporting ------------------------------------------------------------------------

    def ask_export_options(self, count: int) -> ExportOptions | None:
        """Show the export dialog; return the choices, or ``None`` if cancelled."""
        dialog = ExportDialog(count, self)
        return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_overwrite(self, error: ExportExistsError) -> bool:
        """Ask whether to overwrite the files an export would replace."""
        names = "\n".join(p.name for p in error.paths[:8])
        more = f"\n… and {len(error.paths) - 8} more" if len(error.paths) > 8 else ""
        answer = QMessageBox.warning(
            self,
            "Replace existing files?",
            f"These files already exist:\n{names}{more}\n\nReplace them?",
            Choice.Yes | Choice.Cancel,
            Choice.Cancel,
        )
        return answer == Choice.Yes

    def ask_open_result(self, result: ExportResult) -> bool:
        """Offer to open what an export wrote."""
        count = len(result.files)
        answer = QMessageBox.question(
            self,
            "Export finished",
            f"Exported {count} file{'s' if count != 1 else ''}. Open the result now?",
            Choice.Open | Choice.Close,
            Choice.Open,
        )
        return answer == Choice.Open

    def export_selected(self) -> Task | None:
        """Export the selected articles (or the one in the form) as the dialog says."""
        ids = self.library_view.selected_ids()
        if not ids and self.form.record is not None:
            ids = [self.form.record.id]
        if not ids:
            self.statusBar().showMessage("Select the articles to export first.", 5000)
            return None
        if not self.resolve_unsaved():
            return None
        options = self.ask_export_options(len(ids))
        if options is None:
            return None
        return self.start_export(ids, options)

    def start_export(
        self, ids: Sequence[int], options: ExportOptions, *, force: bool = False
    ) -> Task:
        """Export articles in the background; ask before replacing files."""
        library = self.library
        id_list = list(ids)

        def work(progress: Any, cancelled: Any) -> ExportResult | ExportExistsError:
            records = [library.get_article(i) for i in id_list]
            try:
                return export_records(
                    records,
                    options.out,
                    fmt=options.fmt,
                    single_file=options.single_file,
                    force=force,
                    pdfa=options.pdfa,
                    page_size=options.page_size,
                    title=options.out.stem if options.single_file else "Exported articles",
                    library=library,  # a bag reads the originals and revisions from it
                    progress=progress,
                    cancel=cancelled,
                )
            except ExportExistsError as exc:
                return exc

        def on_success(result: ExportResult | ExportExistsError) -> None:
            if isinstance(result, ExportExistsError):
                if self.ask_overwrite(result):
                    self.start_export(id_list, options, force=True)
                else:
                    self.statusBar().showMessage("Export cancelled: nothing was replaced.", 5000)
                return
            what = "cancelled" if result.cancelled else "finished"
            self.statusBar().showMessage(
                f"Export {what}: {len(result.files)} file(s) in {options.out}", 8000
            )
            self.export_finished.emit(result)
            if not result.cancelled and result.files and self.ask_open_result(result):
                target = result.main_file or (options.out if options.out.is_dir() else None)
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(target or result.files[0])))

        self.statusBar().showMessage("Exporting…")
        return self._run_with_progress(work, "Export", "Exporting", on_success)

    # -- drag and drop --------------------------------------------------------------------

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

    # -- reacting -------------------------------------------------------------------------

    def _on_library_view_current_changed(self, new_id: int, old_id: int) -> None:
        record = self.form.record
        if new_id == 0 or (record is not None and new_id == record.id):
            return
        if not self.resolve_unsaved():
            self._reselect_form_row(record.id if record else old_id)
            return
        self.open_article(new_id)

    def _reselect_form_row(self, article_id: int) -> None:
        """Show ``article_id`` (the form's) as current and selected, without asking again.

        Once now, and once more after the event that moved the selection is done: a mouse
        press selects the clicked row after the current-row change that asked us.
        """
        self.library_view.restore_current(article_id)

        def again() -> None:
            record = self.form.record
            if record is not None and record.id == article_id:
                self.library_view.restore_current(article_id)

        QTimer.singleShot(0, again)

    def _on_model_reloaded(self) -> None:
        record = self.form.record
        if record is not None:
            self.library_view.restore_current(record.id)
        self._update_status()
        self._update_actions()

    def _on_library_view_selection_changed(self) -> None:
        self._update_status()
        self._update_actions()

    def _on_form_edited(self) -> None:
        record = self.form.record
        if record is not None:
            self.preview.schedule(self.form.preview_fields())
            if self.form.is_modified or record.id in self._drafted:
                self.draft_timer.start()  # restarts: written a second after the last keystroke

    def _on_form_modified_changed(self, _modified: bool) -> None:
        self._update_title()
        self._update_actions()

    def _on_library_changed(self, changes: Changes, initiator: object) -> None:
        self.model.apply_changes(changes)
        self.refresh_sidebar()
        if changes.tags:
            self.form.set_tag_suggestions(self.library.all_tags())
        record = self.form.record
        if record is not None and changes.removed and record.id in changes.article_ids:
            self.open_article(0)  # it went to the trash (or for good): nothing to edit
            record = None
        if (
            record is not None
            and initiator is not self.form
            and record.id in changes.article_ids
            and not self.form.is_modified
        ):
            self.open_article(record.id)
        elif record is not None and record.id in changes.article_ids:
            self.refresh_history()
        self._update_title()
        self._update_status()

    # -- organising ------------------------------------------------------------------------

    def refresh_sidebar(self) -> None:
        """Recount the sidebar (SQL aggregates) and list the saved searches."""
        facets = self.library.facets()
        self.sidebar.refresh(facets, self.library.saved_searches())
        if not self._columns_chosen:
            self._hide_empty_columns(bool(facets.sections), bool(facets.publishers))

    def _hide_empty_columns(self, has_sections: bool, has_publishers: bool) -> None:
        """Until the archivist picks columns (header menu), hide Section, Publisher and Date
        when nothing fills them (dates: judged by the first page of rows)."""
        header = self.library_view.table.horizontalHeader()
        has_dates = self.model.any_published_on()
        for column, filled in ((1, has_sections), (2, has_publishers), (3, has_dates)):
            header.setSectionHidden(column, not filled)

    def _on_columns_column_toggled(self, _column: int, _visible: bool) -> None:
        self._columns_chosen = True
        QSettings().setValue("main/columnsChosen", True)

    def _on_sidebar_query_chosen(self, query: str) -> None:
        if self.model.showing_trash:
            self.toggle_trash(False)
        self.library_view.search_edit.setText(query)
        self.library_view.apply_search()

    def ask_saved_search(self, name: str, query: str) -> tuple[str, str] | None:
        """Ask for a saved search's name (and query); ``None`` if cancelled."""
        name, ok = QInputDialog.getText(self, "Save Search", "Name:", text=name)
        if not ok:
            return None
        query, ok = QInputDialog.getText(self, "Save Search", "Query:", text=query)
        return (name, query) if ok else None

    def save_current_search(self) -> None:
        """Keep the search field's query under a name, listed in the sidebar."""
        query = self.library_view.search_edit.text().strip()
        answer = self.ask_saved_search(query[:40], query)
        if answer is not None:
            self._store_search(*answer)

    def edit_saved_search(self, search_id: int) -> None:
        """Change a saved search's name or query."""
        current = next((s for s in self.library.saved_searches() if s.id == search_id), None)
        if current is None:
            return
        answer = self.ask_saved_search(current.name, current.query)
        if answer is not None:
            self._store_search(*answer, search_id=search_id)

    def _store_search(self, name: str, query: str, search_id: int | None = None) -> None:
        try:
            self.library.save_search(name, query, search_id=search_id)
        except LibraryError as exc:
            QMessageBox.warning(self, "Search not saved", str(exc))
            return
        self.refresh_sidebar()

    def delete_saved_search(self, search_id: int) -> None:
        """Forget a saved search."""
        self.library.delete_saved_search(search_id)
        self.refresh_sidebar()

    def ask_batch_edit(self, ids: Sequence[int]) -> BatchEdit | None:
        """Show the batch-edit dialog with its preview; return the edit, or ``None``."""
        dialog = BatchEditDialog(self.library, ids, self)
        return dialog.edit() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def batch_edit_selected(self) -> None:
        """Edit the selected articles at once; Edit › Undo Batch Edit takes it back."""
        ids = self.library_view.selected_ids()
        if not ids:
            self.statusBar().showMessage("Select the articles to edit first.", 5000)
            return
        if not self.resolve_unsaved():
            return
        edit = self.ask_batch_edit(ids)
        if not edit:
            return
        changes, undo = self.library.apply_batch_edit(ids, edit)
        if undo.before:
            self._batch_undo.append(undo)
        self.library_changed.emit(changes, self)
        self.statusBar().showMessage(
            f"Changed {len(undo.before)} article(s). Edit › Undo Batch Edit takes it back.", 8000
        )
        self._update_actions()

    def undo_batch_edit(self) -> None:
        """Put back what the last batch edit changed."""
        if not self._batch_undo:
            return
        if not self.resolve_unsaved():
            return
        changes = self.library.undo_batch_edit(self._batch_undo.pop())
        self.library_changed.emit(changes, self)
        self.statusBar().showMessage("Batch edit undone.", 5000)
        self._update_actions()

    def show_about(self) -> None:
        """Show the About box."""
        from archive_app.gui.dialogs.about import about_text

        QMessageBox.about(self, f"About {APP_NAME}", about_text(self.library.path))

    # -- tools ---------------------------------------------------------------------------

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
                    f"{library.path.name}:",
                    parent=self,
                )
                box.setInformativeText("\n".join(problems[:20]))
                box.setDetailedText("\n".join(problems))
            else:
                counts = library.counts()
                box = QMessageBox(
                    QMessageBox.Icon.Information,
                    "Check Library",
                    f"All is well: {library.path.name} passed every check.",
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
        """Ask where Back Up Now writes; ``None`` if cancelled."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        suggested = self.library.path.with_name(f"{self.library.path.stem}-{stamp}.backup")
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

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask about unsaved edits; stop background work; back up; remember the layout."""
        if not self.resolve_unsaved():
            event.ignore()
            return
        self.draft_timer.stop()
        if self.import_task is not None:
            self.import_task.cancel()
        self.runner.wait(30_000)
        if self.auto_backup_on_quit:
            self.write_auto_backup()
        self.save_settings()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        event.accept()
