"""The Export Selected dialog: format, one file or many, destination, page size, PDF/A."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from archive_app.export.common import safe_file_name
from archive_app.export.run import FORMATS, SUFFIXES
from archive_app.gui import theme


@dataclass(frozen=True)
class ExportOptions:
    """What the archivist chose."""

    fmt: str
    single_file: bool
    folder: Path
    file_name: str
    page_size: str
    pdfa: bool

    @property
    def out(self) -> Path:
        """The folder, or the combined file inside it (a bag: its folder, or its zip)."""
        if self.fmt == "bag":
            stem = safe_file_name(self.file_name.removesuffix(".zip").removesuffix(".ZIP"), "")
            return self.folder / (stem + ".zip" if self.single_file else stem)
        if self.single_file:
            suffix = SUFFIXES[self.fmt]
            stem = self.file_name.removesuffix(suffix).removesuffix(suffix.upper())
            return self.folder / safe_file_name(stem, suffix)
        return self.folder


def default_folder() -> Path:
    """The user's documents folder (the home folder if there is none)."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else Path.home()


class ExportDialog(QDialog):
    """Asks how to export ``count`` articles; remembers the last choices in QSettings.

    Args:
        count: How many articles are selected.
    """

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Selected")
        settings = QSettings()
        self.format_combo = QComboBox()
        for key, label in FORMATS.items():
            self.format_combo.addItem(label, key)
        fmt = str(settings.value("export/format", "html"))
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(fmt)))

        self.per_article = QRadioButton("One file per article (plus an index for HTML)")
        self.combined = QRadioButton("One combined file")
        combined = settings.value("export/single_file", False)
        (self.combined if combined in (True, "true") else self.per_article).setChecked(True)

        self.folder_edit = QLineEdit(str(settings.value("export/folder", str(default_folder()))))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._on_browse_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit)
        folder_row.addWidget(browse)

        self.name_edit = QLineEdit(f"articles-{dt.date.today().isoformat()}")
        self.page_combo = QComboBox()
        self.page_combo.addItems(["A4", "Letter"])
        self.page_combo.setCurrentText(str(settings.value("export/page_size", "A4")))
        self.pdfa_check = QCheckBox("PDF/A-1b for archiving")
        self.pdfa_check.setChecked(settings.value("export/pdfa", False) in (True, "true"))

        form = QFormLayout()
        form.addRow("Format", self.format_combo)
        form.addRow("", self.per_article)
        form.addRow("", self.combined)
        form.addRow("Destination", folder_row)
        form.addRow("File name", self.name_edit)
        form.addRow("Page size", self.page_combo)
        form.addRow("", self.pdfa_check)
        self.error_label = QLabel()
        theme.set_style(self.error_label, "color: {error};")
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(f"Export {count} article{'s' if count != 1 else ''}")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self.format_combo.currentIndexChanged.connect(self._update_enabled)
        self.combined.toggled.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        pdf = self.format_combo.currentData() == "pdf"
        self.page_combo.setEnabled(pdf)
        self.pdfa_check.setEnabled(pdf)
        # A bag is one folder (or its zip) named in the destination, whichever is chosen.
        self.name_edit.setEnabled(self.combined.isChecked() or self._is_bag())

    def _is_bag(self) -> bool:
        return bool(self.format_combo.currentData() == "bag")

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def options(self) -> ExportOptions:
        """Return the chosen options."""
        return ExportOptions(
            fmt=str(self.format_combo.currentData()),
            single_file=self.combined.isChecked(),
            folder=Path(self.folder_edit.text().strip()).expanduser(),
            file_name=self.name_edit.text().strip() or "articles",
            page_size=self.page_combo.currentText(),
            pdfa=self.pdfa_check.isChecked() and self.format_combo.currentData() == "pdf",
        )

    def accept(self) -> None:
        """Check the destination, remember the choices, close."""
        folder = self.folder_edit.text().strip()
        if not folder:
            self.error_label.setText("Choose a destination folder.")
            self.error_label.show()
            return
        if Path(folder).expanduser().is_file():
            self.error_label.setText("The destination is a file; choose a folder.")
            self.error_label.show()
            return
        opts = self.options()
        settings = QSettings()
        settings.setValue("export/format", opts.fmt)
        settings.setValue("export/single_file", opts.single_file)
        settings.setValue("export/folder", str(opts.folder))
        settings.setValue("export/page_size", opts.page_size)
        settings.setValue("export/pdfa", self.pdfa_check.isChecked())
        super().accept()
