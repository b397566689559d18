"""The main window: library table, editor form and preview in splitters; menus; drops."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QWidget,
)

from archive_app import APP_NAME
from archive_app.core.errors import ArticleNotFoundError, LibraryError, ValidationError
from archive_app.core.history import Revision
from archive_app.core.library import Library
from archive_app.core.records import BatchUndo, Changes
from archive_app.gui.dialogs.import_report import ImportReportDialog
from archive_app.gui.dialogs.recover_drafts import RecoverDraftsDialog
from archive_app.gui.dialogs.redecode import RedecodeDialog
from archive_app.gui.tasks import Task, TaskRunner
from archive_app.gui.views.article_table import ArticleTableModel
from archive_app.gui.views.editor_form import EditorForm
from archive_app.gui.views.library_view import LibraryView
from archive_app.gui.views.preview import PreviewView
from archive_app.gui.views.sidebar import Sidebar
from archive_app.gui.windows.appearance import AppearanceMixin
from archive_app.gui.windows.base import WindowBase
from archive_app.gui.windows.conflicts import ConflictsMixin
from archive_app.gui.windows.drafts import DraftsMixin
from archive_app.gui.windows.exporting import ExportingMixin
from archive_app.gui.windows.importing import ImportingMixin, importable
from archive_app.gui.windows.libraries import LibrariesMixin, title_location
from archive_app.gui.windows.organising import OrganisingMixin
from archive_app.gui.windows.redecoding import RedecodingMixin
from archive_app.gui.windows.tools import ToolsMixin
from archive_app.gui.windows.watching import WatchingMixin

log = logging.getLogger(__name__)

__all__ = ["MainWindow", "importable"]

Choice = QMessageBox.StandardButton


class MainWindow(
    LibrariesMixin,
    ImportingMixin,
    ExportingMixin,
    ToolsMixin,
    RedecodingMixin,
    DraftsMixin,
    ConflictsMixin,
    WatchingMixin,
    OrganisingMixin,
    AppearanceMixin,
    WindowBase,
):
    """Composes the views; owns no SQL (everything goes through the ``Library``).

    Args:
        library: The open library.
        runner: Where background work runs (tests may pass a synchronous one).

    Signals:
        See :class:`WindowBase`, which declares them for every part of the window.
    """

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

        self.model = ArticleTableModel(library, self, load=False, runner=self.runner)
        self.library_view = LibraryView(self.model, self.runner)
        self.form = EditorForm()
        self.preview = PreviewView()

        self.sidebar = Sidebar()
        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.setObjectName("leftSplitter")
        self.left_splitter.addWidget(self.sidebar)
        self.left_splitter.addWidget(self.library_view)
        # The sidebar starts as tall as its entries (its sizeHint); the table takes the rest.
        self.left_splitter.setStretchFactor(0, 0)
        self.left_splitter.setStretchFactor(1, 1)
        self._batch_undo: list[BatchUndo] = []
        self._redecoding = False
        self._writing = False
        self.sidebar_pending = False
        self._sidebar_again = False

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
        self.model.loaded.connect(self._on_model_loaded)
        self.form.edited.connect(self._on_form_edited)
        self.form.modified_changed.connect(self._on_form_modified_changed)
        self.form.redecode_requested.connect(self._on_form_redecode_requested)
        self.form.history_panel.restore_requested.connect(self._on_history_panel_restore_requested)
        self.library_changed.connect(self._on_library_changed)
        self.sidebar.query_chosen.connect(self._on_sidebar_query_chosen)
        self.sidebar.trash_chosen.connect(self._on_sidebar_trash_chosen)
        self.library_view.columns.column_toggled.connect(self._on_columns_column_toggled)
        self._columns_chosen = bool(QSettings().value("main/columnsChosen", False, type=bool))
        fitter = self.library_view.column_fitter
        fitter.enabled = not QSettings().value("main/columnWidthsChosen", False, type=bool)
        fitter.widths_chosen.connect(lambda: QSettings().setValue("main/columnWidthsChosen", True))
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
                f"{library.location} is open read-only ({library.read_only_reason}): search, "
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
        self.start_watching()  # other windows' and machines' writes show within seconds

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
        self.open_library_action = self._action(
            "Open &Library…",
            self.choose_library,
            "Ctrl+Shift+L",
            "Open another library: a file, or a team library on a PostgreSQL server",
        )
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
        self.restore_action = self._action(
            "Re&store from Trash",
            self.restore_selected,
            None,
            "Bring the selected articles back into the library",
        )
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
        self.show_trash_action = self._action(
            "Show &Trash", self.toggle_trash, None, "List the trash (also in the sidebar)"
        )
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
        if self.library.file is None:  # on a server: backed up there, or exported as bags
            self.backup_now_action.setEnabled(False)
            self.backup_now_action.setStatusTip(
                "A library on a server is backed up by the server (pg_dump); "
                "File › Export Selected as a bag makes a portable copy"
            )
        # Delete acts on the table only when the table has focus, never on text fields.
        self.trash_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.removeAction(self.trash_action)
        self.library_view.table.addAction(self.trash_action)
        # The table's context menu: what applies to the selected rows.
        table = self.library_view.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.addActions([self.restore_action, self.export_action, self.batch_edit_action])

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_library_action)
        file_menu.addSeparator()
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
        self.apply_icons()
        # The trash is a sidebar entry; in it, Restore shows beside Delete Permanently.
        toolbar.addActions(
            [
                self.import_files_action,
                self.export_action,
                self.save_action,
                self.restore_action,
                self.trash_action,
            ]
        )

    def action_icons(self) -> dict[QAction, str]:
        """Each action with an icon, and the icon's name (see ``icons.THEME_NAMES``)."""
        return {
            self.import_files_action: "import",
            self.export_action: "export",
            self.save_action: "save",
            self.trash_action: "delete",
            self.restore_action: "restore",
            self.show_trash_action: "trash",
        }

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
        where = title_location(self.library)  # which library: a file, or a server's URL
        self.setWindowTitle(
            f"{name}[*] — {where} — {APP_NAME}" if record else f"{where} — {APP_NAME}"
        )
        self.setWindowModified(self.form.is_modified)

    def _update_status(self) -> None:
        count = self.model.rowCount()
        # Until every id is in (a large library, in the background) the count is a floor.
        shown = f"{count}" if self.model.complete else f"{count}+"
        what = "in the trash" if self.model.showing_trash else "article" + "s" * (count != 1)
        total = f"{shown} {what}"
        if self.model.query:
            total = f"{shown} matching “{self.model.query}”"
        if self.model.query_invalid:
            self.count_label.setText("")  # the error under the search field says it all
            return
        selected = self.library_view.selected_count()
        text = total + (f" · {selected} selected" if selected else "")
        self.count_label.setText(text)

    def _update_actions(self) -> None:
        trash = self.model.showing_trash
        has_record = self.form.record is not None
        editable = has_record and not self.form.is_read_only
        self.save_action.setEnabled(editable and self.form.is_modified)
        self.revert_action.setEnabled(has_record and self.form.is_modified)
        selected = self.library_view.selected_count() > 0
        self.restore_action.setEnabled(trash and selected and not self._writing)
        self.restore_action.setVisible(trash)
        self.export_action.setEnabled(selected)
        self.trash_action.setEnabled(selected and not self._writing)
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
        imported_at = record.created_at if record is not None else None
        self.form.history_panel.set_revisions(revisions, imported_at)

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
            stored = self.store_edits(record, fields)  # over the version the form loaded
        except ValidationError as exc:
            self.form.show_errors(exc.errors)
            return False
        except LibraryError as exc:
            QMessageBox.critical(self, "Not saved", str(exc))
            return False
        if stored is None:  # a conflict left undecided: the edits stay, with their draft
            self.write_draft()
            self.statusBar().showMessage("Not saved: your edits are still in the form.", 8000)
            return False
        changes, message = stored
        self.draft_timer.stop()
        self._forget_draft(record.id)
        self.form.load(self.library.get_article(record.id))
        self.library_changed.emit(changes, self.form)
        self.article_saved.emit(record.id)
        self.statusBar().showMessage(message, 3000)
        return True

    def revert(self) -> None:
        """Discard the form's edits: show the stored article again."""
        record = self.form.record
        if record is not None:
            self.draft_timer.stop()
            self._forget_draft(record.id)
            self.open_article(record.id)

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
        self.sidebar.show_current(self.model.showing_trash, self.model.query)
        record = self.form.record
        if record is not None:
            self.library_view.restore_current(record.id)
        self._update_status()
        self._update_actions()

    def _on_model_loaded(self) -> None:
        # Every id is in: the form's article may be listed beyond the first page.
        record = self.form.record
        if record is not None and not self.library_view.table.currentIndex().isValid():
            self.library_view.restore_current(record.id)
        self._update_status()

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

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask about unsaved edits; stop background work; back up; remember the layout."""
        if not self.resolve_unsaved():
            event.ignore()
            return
        self.draft_timer.stop()
        self.stop_watching()
        if self.import_task is not None:
            self.import_task.cancel()
        self.runner.wait(30_000)
        if self.auto_backup_on_quit:
            self.write_auto_backup()
        self.save_settings()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.owns_library:  # opened by File › Open Library…: nobody else closes it
            self.library.close()
        event.accept()
