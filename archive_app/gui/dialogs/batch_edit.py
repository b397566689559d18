"""Batch edit: add/remove tags, set section, publisher, language; preview before applying."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from archive_app.core.library import Library
from archive_app.core.records import BatchEdit, FieldChange
from archive_app.core.sections import split_section
from archive_app.gui.views.editor_form import split_tags

_FIELD_NAMES = {
    "tags": "Tags",
    "section_path": "Section",
    "publisher": "Publisher",
    "language": "Language",
}


class BatchEditDialog(QDialog):
    """Collects a ``BatchEdit`` for ``ids`` and previews every change it would make.

    Args:
        library: Where the articles are (read only here; the window applies the edit).
        ids: The selected articles.
    """

    def __init__(self, library: Library, ids: Sequence[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Batch Edit {len(ids)} Articles")
        self.resize(760, 480)
        self._library = library
        self._ids = list(ids)
        self.add_tags_edit = QLineEdit()
        self.add_tags_edit.setPlaceholderText("comma, separated")
        self.remove_tags_edit = QLineEdit()
        self.remove_tags_edit.setPlaceholderText("comma, separated")
        self.section_check = QCheckBox("Set section")
        self.section_edit = QLineEdit()
        self.section_edit.setPlaceholderText("Section / Subsection")
        self.publisher_check = QCheckBox("Set publisher")
        self.publisher_edit = QLineEdit()
        self.language_check = QCheckBox("Set language")
        self.language_edit = QLineEdit()
        self.language_edit.setPlaceholderText("en")

        form = QFormLayout()
        form.addRow("Add tags", self.add_tags_edit)
        form.addRow("Remove tags", self.remove_tags_edit)
        form.addRow(self.section_check, self.section_edit)
        form.addRow(self.publisher_check, self.publisher_edit)
        form.addRow(self.language_check, self.language_edit)

        self.preview = QTableWidget(0, 4)
        self.preview.setHorizontalHeaderLabels(["Article", "Field", "Before", "After"])
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.verticalHeader().hide()
        self.summary = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        apply = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        assert apply is not None
        apply.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("What will change:"))
        layout.addWidget(self.preview)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.update_preview)
        for edit in (
            self.add_tags_edit,
            self.remove_tags_edit,
            self.section_edit,
            self.publisher_edit,
            self.language_edit,
        ):
            edit.textChanged.connect(self._timer.start)
        for check in (self.section_check, self.publisher_check, self.language_check):
            check.toggled.connect(self._timer.start)
        self.changes: list[FieldChange] = []
        self.update_preview()

    def edit(self) -> BatchEdit:
        """Return the edit the dialog describes."""
        return BatchEdit(
            add_tags=split_tags(self.add_tags_edit.text()),
            remove_tags=split_tags(self.remove_tags_edit.text()),
            section_path=split_section(self.section_edit.text())
            if self.section_check.isChecked()
            else None,
            publisher=self.publisher_edit.text().strip()
            if self.publisher_check.isChecked()
            else None,
            language=self.language_edit.text().strip() if self.language_check.isChecked() else None,
        )

    def update_preview(self) -> None:
        """List every change the edit would make now."""
        self._timer.stop()
        self.changes = self._library.plan_batch_edit(self._ids, self.edit())
        self.preview.setRowCount(len(self.changes))
        for row, change in enumerate(self.changes):
            for column, text in enumerate(
                (change.title, _FIELD_NAMES[change.field], change.old, change.new)
            ):
                self.preview.setItem(row, column, QTableWidgetItem(text))
        articles = len({c.article_id for c in self.changes})
        self.summary.setText(
            f"{len(self.changes)} change(s) to {articles} of {len(self._ids)} article(s)."
        )
        apply = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        assert apply is not None
        apply.setEnabled(bool(self.changes))
