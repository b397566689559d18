"""File › Open Library…: a library file, or a team library on a PostgreSQL server."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
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

from archive_app.core.storage import has_password, is_server_url
from archive_app.gui import theme

#: What the dialog says of a password written in the address (it is refused).
PASSWORD_MESSAGE = (
    "Leave the password out of the address: put it in ~/.pgpass (or the PGPASSWORD "
    "environment variable). A password is never kept in the settings."
)


class OpenLibraryDialog(QDialog):
    """Choose the library to open: a file (new or existing) or a ``postgresql://`` URL.

    A URL with a password in it is refused with ``PASSWORD_MESSAGE``: libpq reads the
    password from ``~/.pgpass`` or ``PGPASSWORD``, and the address is remembered in the
    settings.

    Args:
        current: The open library's location (the starting point).
        recent: Libraries opened before (newest first), offered in a list.
    """

    def __init__(
        self, current: str, recent: Sequence[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open Library")
        self.setObjectName("openLibraryDialog")
        self._location: str | None = None

        self.file_radio = QRadioButton("A library &file on this computer")
        self.server_radio = QRadioButton("A team library on a PostgreSQL &server")
        group = QButtonGroup(self)
        group.addButton(self.file_radio)
        group.addButton(self.server_radio)
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(str(Path.home() / "library.sqlite3"))
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._on_browse_clicked)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        self.server_edit = QLineEdit()
        self.server_edit.setPlaceholderText("postgresql://user@host/dbname")
        server_hint = QLabel(
            "The password comes from ~/.pgpass or PGPASSWORD, never from the address. "
            "Several archivists can work in a server library at once."
        )
        server_hint.setWordWrap(True)
        server_hint.setStyleSheet(f"color: {theme.colors().muted};")
        self.recent_combo = QComboBox()
        self.recent_combo.addItem("")
        self.recent_combo.addItems(list(recent))
        self.recent_combo.setEnabled(bool(recent))
        self.recent_combo.currentTextChanged.connect(self._on_recent_combo_changed)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {theme.colors().error};")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow("Recent:", self.recent_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.file_radio)
        layout.addLayout(file_row)
        layout.addWidget(self.server_radio)
        layout.addWidget(self.server_edit)
        layout.addWidget(server_hint)
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.file_edit.textEdited.connect(lambda _t: self.file_radio.setChecked(True))
        self.server_edit.textEdited.connect(lambda _t: self.server_radio.setChecked(True))
        self.set_location(current)
        self.resize(560, self.sizeHint().height())

    def set_location(self, location: str) -> None:
        """Fill the field ``location`` belongs to and choose it."""
        if is_server_url(location):
            self.server_edit.setText(location)
            self.server_radio.setChecked(True)
        else:
            self.file_edit.setText(location)
            self.file_radio.setChecked(True)

    @property
    def location(self) -> str | None:
        """The library chosen (after Open), or ``None``."""
        return self._location

    def error_text(self) -> str:
        """What is wrong with the entry ("" when nothing is shown)."""
        return "" if self.error_label.isHidden() else self.error_label.text()

    def _fail(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _on_buttons_accepted(self) -> None:
        if self.server_radio.isChecked():
            url = self.server_edit.text().strip()
            if not is_server_url(url):
                self._fail("A server library's address starts with postgresql://")
                return
            if has_password(url):
                self._fail(PASSWORD_MESSAGE)
                return
            self._location = url
        else:
            text = self.file_edit.text().strip()
            if not text:
                self._fail("Choose a library file (a new name makes a new library).")
                return
            path = Path(text).expanduser()
            if path.is_dir():
                self._fail(f"{path} is a folder: choose a library file in it.")
                return
            self._location = str(path)
        self.accept()

    def _on_browse_clicked(self) -> None:
        start = self.file_edit.text() or str(Path.home())
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Library File",
            start,
            "Article Archive libraries (*.sqlite3 *.sqlite *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if name:
            self.file_edit.setText(name)
            self.file_radio.setChecked(True)

    def _on_recent_combo_changed(self, text: str) -> None:
        if text:
            self.set_location(text)
