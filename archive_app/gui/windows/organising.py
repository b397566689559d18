"""Organising: trash and restore, saved searches, batch edits, the sidebar."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QMessageBox,
)

from archive_app.core.errors import LibraryError
from archive_app.core.records import BatchEdit, Changes, Facets, SavedSearch
from archive_app.gui.dialogs.batch_edit import BatchEditDialog
from archive_app.gui.tasks import Task
from archive_app.gui.windows.base import WindowBase

log = logging.getLogger(__name__)

Choice = QMessageBox.StandardButton


class OrganisingMixin(WindowBase):
    """Trash, saved searches, batch edits, the sidebar: the window's part."""

    #: Selections of at least this many articles are written in the background, also on a
    #: small library.
    BACKGROUND_WRITE = 500
    #: Moving at least this many to or from the trash shows a progress dialog (a purge always
    #: does): smaller moves take about a second at most, and the first dialog of a session
    #: costs the window a tenth of a second to show, so they are said in the status bar.
    PROGRESS_DIALOG_MOVE = 20_000

    def delete_selected(self) -> None:
        """Move the selected articles to the trash (or, in the trash, delete for good).

        Then the row after them is selected (the last row if they were at the end).
        """
        ids = self.library_view.selected_ids()
        if not ids or self._writing:
            return
        library = self.library
        if self.model.showing_trash:
            if not self.confirm_purge(len(ids)):
                return
            self._write_selection(
                lambda: library.purge(ids),
                len(ids),
                "Deleting",
                "Delete Permanently",
                "",
                dialog=True,
            )
            return
        record = self.form.record
        # Save, Discard or Cancel first: edits never vanish with the article.
        if record is not None and record.id in ids and not self.resolve_unsaved():
            return
        self._write_selection(
            lambda: library.trash(ids),
            len(ids),
            "Moving to the trash",
            "Delete to Trash",
            f"Moved {len(ids)} article(s) to the trash (Trash in the sidebar to restore).",
        )

    def _write_selection(
        self,
        write: Callable[[], Changes],
        count: int,
        verb: str,
        title: str,
        message: str,
        *,
        dialog: bool = False,
    ) -> None:
        """Run a write of the selected articles; on success broadcast it, say ``message`` and
        select the row after them.

        A large library or selection is written in the background (the window stays
        responsive; Delete and Restore wait until it is done), with a progress dialog if
        ``dialog`` or the selection is very large, else said in the status bar.
        """
        ranges = self.library_view.selected_ranges()
        next_row = ranges[0][0] if ranges else 0
        trash = self.model.showing_trash

        def select_next() -> None:
            if self.model.showing_trash == trash:
                self.library_view.select_row(next_row)

        def done(changes: Changes) -> None:
            self.library_changed.emit(changes, self)
            if message:
                self.statusBar().showMessage(message, 5000)
            if background:
                # Showing the next article (form, preview, history) is an event of its own:
                # after the rows went, so no one piece of work holds the window long.
                QTimer.singleShot(0, select_next)
            else:
                select_next()

        background = count >= self.BACKGROUND_WRITE or self.model.is_large()
        if not background:
            done(write())
            return

        def work(_progress: Any, _cancelled: Any) -> Changes:
            return write()

        def finished() -> None:
            self._writing = False
            self._update_actions()

        self._writing = True
        self._update_actions()
        if dialog or count >= self.PROGRESS_DIALOG_MOVE:
            self._run_with_progress(work, title, verb, done, finished)
            return
        task = Task(work)
        task.signals.succeeded.connect(done)
        task.signals.failed.connect(
            lambda text, details: self._show_task_error(f"{title} failed", text, details)
        )
        task.signals.finished.connect(finished)
        self.statusBar().showMessage(f"{verb} {count} articles…")
        self.runner.start(task)

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
        """Bring the selected articles back from the trash (then select the row after them)."""
        ids = self.library_view.selected_ids()
        if ids and self.model.showing_trash and not self._writing:
            library = self.library
            self._write_selection(
                lambda: library.restore(ids),
                len(ids),
                "Restoring",
                "Restore from Trash",
                f"Restored {len(ids)} article(s).",
            )

    def toggle_trash(self, checked: bool | None = None) -> None:
        """Switch the table between the library and the trash."""
        show = self.show_trash_action.isChecked() if checked is None else bool(checked)
        self.show_trash_action.setChecked(show)
        if not self.resolve_unsaved():
            self.show_trash_action.setChecked(not show)
            return
        self.model.set_trash(show)
        self.library_view.restore_current(0)  # no current row: a click on any row opens it
        self.preview.set_placeholder(self.TRASH_PREVIEW_HINT if show else "")
        self.open_article(0)
        self._update_actions()
        self.refresh_sidebar()  # its counts are the trash's in the trash view

    def refresh_sidebar(self) -> None:
        """Recount the sidebar (SQL aggregates) and list the saved searches.

        On a large library the counts are made in the background (``sidebar_pending``); a
        refresh asked for meanwhile runs once that one is done, so a burst of changes costs
        at most two.
        """
        trash = self.model.showing_trash
        if not self.model.is_large():
            self._show_facets(self.library.facets(trash=trash), self.library.saved_searches())
            return
        if self.sidebar_pending:
            self._sidebar_again = True
            return
        library = self.library

        def work(_progress: Any, _cancelled: Any) -> tuple[Facets, list[SavedSearch], bool]:
            return library.facets(trash=trash), library.saved_searches(), trash

        def finished() -> None:
            self.sidebar_pending = False
            if self._sidebar_again:
                self._sidebar_again = False
                self.refresh_sidebar()

        task = Task(work)
        task.signals.succeeded.connect(lambda result: self._show_facets(*result))
        task.signals.failed.connect(lambda message, _details: log.warning("sidebar: %s", message))
        task.signals.finished.connect(finished)
        self.sidebar_pending = True
        self.runner.start(task)

    def _show_facets(
        self, facets: Facets, saved: list[SavedSearch], trash: bool | None = None
    ) -> None:
        if trash is not None and trash != self.model.showing_trash:
            self._sidebar_again = True  # counted for the other view: count again when done
            return
        self.sidebar.refresh(facets, saved, trash=self.model.showing_trash)
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
        self._show_collection(False, query)

    def _on_sidebar_trash_chosen(self, query: str) -> None:
        self._show_collection(True, query)

    def _show_collection(self, trash: bool, query: str) -> None:
        """List the library (or the trash) filtered by ``query``, as a sidebar click asks."""
        if self.model.showing_trash != trash:
            self.toggle_trash(trash)
            if self.model.showing_trash != trash:  # Cancel on the unsaved-edits question
                self.sidebar.show_current(self.model.showing_trash, self.model.query)
                return
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
        dialog = BatchEditDialog(self.library, ids, self, runner=self.runner)
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
