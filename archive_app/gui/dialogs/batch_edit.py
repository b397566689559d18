"""Batch edit: add/remove tags, set section, publisher, language; preview before applying."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from archive_app.core.library import Library, plan_batch
from archive_app.core.records import BatchEdit, BatchTarget, FieldChange
from archive_app.core.sections import split_section
from archive_app.gui.tasks import Task, TaskRunner
from archive_app.gui.views.editor_form import split_tags

Index = QModelIndex | QPersistentModelIndex

_FIELD_NAMES = {
    "tags": "Tags",
    "section_path": "Section",
    "publisher": "Publisher",
    "language": "Language",
}


class ChangesModel(QAbstractTableModel):
    """The planned changes as a table (a model: thousands of rows cost nothing to show)."""

    HEADERS = ("Article", "Field", "Before", "After")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.changes: list[FieldChange] = []

    def set_changes(self, changes: list[FieldChange]) -> None:
        """Show these changes."""
        self.beginResetModel()
        self.changes = changes
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.changes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            or not index.isValid()
            or not 0 <= index.row() < len(self.changes)
        ):
            return None
        change = self.changes[index.row()]
        return (change.title, _FIELD_NAMES[change.field], change.old, change.new)[index.column()]


class BatchEditDialog(QDialog):
    """Collects a ``BatchEdit`` for ``ids`` and previews every change it would make.

    The articles' fields are read once (in the background for a large selection, with a
    ``runner``); each keystroke then plans the edit in memory.

    Args:
        library: Where the articles are (read only here; the window applies the edit).
        ids: The selected articles.
        runner: Where to read a large selection.

    Signals:
        preview_updated: The preview shows the edit as it is now.
    """

    #: Selections of at least this many articles are read in the background (1,000 take
    #: about 20 ms to read, but the dialog's first show costs as much again).
    BACKGROUND_READ = 200

    preview_updated = Signal()

    def __init__(
        self,
        library: Library,
        ids: Sequence[int],
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Batch Edit {len(ids)} Articles")
        self.resize(760, 480)
        self._library = library
        self._ids = list(ids)
        self._targets: list[BatchTarget] | None = None
        #: Whether the articles are still being read (the preview follows once they are).
        self.pending = False
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

        self.preview_model = ChangesModel(self)
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.setWordWrap(False)
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
        if runner is not None and len(self._ids) >= self.BACKGROUND_READ:
            self._read_in_background(runner)
        else:
            self._targets = library.batch_targets(self._ids)
        self.update_preview()

    def _read_in_background(self, runner: TaskRunner) -> None:
        library, ids = self._library, self._ids

        def work(_progress: object, _cancelled: object) -> list[BatchTarget]:
            return library.batch_targets(ids)

        task = Task(work)
        task.signals.succeeded.connect(self._on_read_task_succeeded)
        self.pending = True
        self.summary.setText(f"Reading {len(ids)} articles…")
        runner.start(task)

    def _on_read_task_succeeded(self, targets: list[BatchTarget]) -> None:
        self._targets = targets
        self.pending = False
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
        apply = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        assert apply is not None
        if self._targets is None:  # still reading: the preview comes when they are in
            apply.setEnabled(False)
            return
        self.changes = plan_batch(self._targets, self.edit())
        self.preview_model.set_changes(self.changes)
        articles = len({c.article_id for c in self.changes})
        self.summary.setText(
            f"{len(self.changes)} change(s) to {articles} of {len(self._ids)} article(s)."
        )
        apply.setEnabled(bool(self.changes))
        self.preview_updated.emit()
