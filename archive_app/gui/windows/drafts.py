"""Drafts (unsaved edits survive a crash) and restoring a revision from the history."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox

from archive_app.core.errors import LibraryError
from archive_app.core.history import Revision
from archive_app.gui.dialogs.recover_drafts import RecoverDraftsDialog, draft_entries
from archive_app.gui.views.history_panel import AS_IMPORTED, as_imported
from archive_app.gui.windows.base import WindowBase

log = logging.getLogger(__name__)

Choice = QMessageBox.StandardButton


class DraftsMixin(WindowBase):
    """Drafts of unsaved edits and restoring a revision: the window's part."""

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

    def confirm_restore(self, revision: Revision) -> bool:
        """Ask before putting the article back as it was after ``revision``."""
        title = self.form.record.title if self.form.record else ""
        question = (
            f"Put “{title}” back as it was imported?"
            if revision.id == AS_IMPORTED
            else f"Put “{title}” back as it was after revision {revision.id} ({revision.kind})?"
        )
        box = QMessageBox(QMessageBox.Icon.Question, "Restore this version", question, parent=self)
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
        revisions = self.library.history(record.id)
        if revision_id == AS_IMPORTED:
            revision = as_imported(revisions, record.created_at) if revisions else None
        else:
            revision = next((r for r in revisions if r.id == revision_id), None)
        if revision is None or not self.confirm_restore(revision):
            return False
        try:
            changes = self.library.revert(record.id, revision_id)
        except LibraryError as exc:
            QMessageBox.warning(self, "Not restored", str(exc))
            return False
        self.library_changed.emit(changes, self)
        self.statusBar().showMessage(
            "Restored the article as imported."
            if revision_id == AS_IMPORTED
            else f"Restored the version of revision {revision_id}.",
            8000,
        )
        self.revision_restored.emit(record.id, revision_id)
        return True

    def _on_history_panel_restore_requested(self, revision_id: int) -> None:
        self.restore_revision(revision_id)
