"""Re-decode As…: read an article's original bytes in another encoding."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
)

from archive_app.core.errors import ArticleNotFoundError
from archive_app.core.records import ArticleRecord, Changes
from archive_app.gui.dialogs.redecode import RedecodeDialog, reparsed_fields_text
from archive_app.gui.tasks import Task
from archive_app.gui.windows.base import WindowBase

if TYPE_CHECKING:
    from archive_app.core.reparse import ReparseReport

log = logging.getLogger(__name__)

Choice = QMessageBox.StandardButton


class RedecodingMixin(WindowBase):
    """Re-decode As…: the window's part."""

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

        from archive_app.core.reparse import reparse_articles  # the parsing stack: when used

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
