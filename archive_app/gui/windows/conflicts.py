"""Saving over the version the form loaded: a newer stored version asks, nothing is lost."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog

from archive_app.core.errors import LibraryConflictError
from archive_app.core.records import ArticleFields, ArticleRecord, Changes
from archive_app.gui.dialogs.conflict import ConflictDialog, Decision, field_conflicts
from archive_app.gui.windows.base import WindowBase

log = logging.getLogger(__name__)


class ConflictsMixin(WindowBase):
    """Optimistic concurrency in the window: the save's part."""

    last_conflict_dialog: ConflictDialog | None = None

    def ask_conflict(
        self, conflict: LibraryConflictError, base: ArticleRecord
    ) -> tuple[Decision, ArticleFields] | None:
        """Show both versions (``ConflictDialog``); return the decision and the fields it
        keeps, or ``None`` when the person cancelled."""
        dialog = ConflictDialog(
            base,
            conflict.theirs,
            conflict.ours,
            their_version=conflict.their_version,
            parent=self,
        )
        self.last_conflict_dialog = dialog
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.decision is None:
                return None
            return dialog.decision, dialog.result_fields()
        finally:
            self.last_conflict_dialog = None
            dialog.deleteLater()

    def store_edits(
        self, record: ArticleRecord, fields: ArticleFields
    ) -> tuple[Changes, str] | None:
        """Save ``fields`` over the version ``record`` is; on a conflict, ask.

        Returns:
            What changed and the status message, or ``None`` when nothing was decided
            (the dialog was cancelled: the edits stay in the form, and their draft).

        Raises:
            ValidationError, LibraryError: As ``Library.update_article``.
        """
        expected = record.version
        while True:
            try:
                changes = self.library.update_article(record.id, fields, expected_version=expected)
            except LibraryConflictError as conflict:
                log.info("save of %s met version %s", record.id, conflict.their_version)
                if not field_conflicts(record, conflict.theirs, fields):
                    # They saved exactly what the form holds: nothing to choose.
                    return Changes(article_ids=frozenset({record.id})), "Saved."
                answer = self.ask_conflict(conflict, record)
                if answer is None:
                    return None
                decision, fields = answer
                if decision == "theirs":
                    return (
                        Changes(article_ids=frozenset({record.id}), tags=True),
                        "Kept their version; your edits were dropped.",
                    )
                expected = conflict.their_version  # and again, should a third save come
                continue
            return changes, "Saved."
