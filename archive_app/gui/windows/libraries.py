"""File › Open Library…: another library (a file or a server) in a window of its own, kept in
the settings (never with a password) for the next start."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from archive_app.core.errors import LibraryError, NoLibraryHereError
from archive_app.core.library import Library
from archive_app.core.storage import is_server_url, without_password
from archive_app.gui.dialogs.open_library import OpenLibraryDialog
from archive_app.gui.windows.base import WindowBase

log = logging.getLogger(__name__)

LAST_KEY = "library/last"
RECENT_KEY = "library/recent"
MAX_RECENT = 8

#: Windows opened by File › Open Library… (kept alive until they close).
_OPEN_WINDOWS: list[QMainWindow] = []


def settings_location(location: str) -> str:
    """What of a location the settings may keep: a server URL without its password."""
    return without_password(location) if is_server_url(location) else location


def recent_libraries() -> list[str]:
    """The libraries opened with File › Open Library…, newest first."""
    value = QSettings().value(RECENT_KEY, [])
    items: list[object] = (
        [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    )
    return [str(item) for item in items if item]


def remembered_library() -> str | None:
    """The library File › Open Library… opened last (the window's next start opens it)."""
    value = QSettings().value(LAST_KEY, "")
    return str(value) if value else None


def remember_library(location: str) -> None:
    """Keep ``location`` as the last library and first of the recent ones (no password)."""
    kept = settings_location(location)
    recent = [kept, *(r for r in recent_libraries() if r != kept)][:MAX_RECENT]
    settings = QSettings()
    settings.setValue(LAST_KEY, kept)
    settings.setValue(RECENT_KEY, recent)


def title_location(library: Library) -> str:
    """The library as the title bar names it: its file (``~`` for home) or its URL."""
    file = library.file
    if file is None:
        return library.location
    try:
        return "~/" + file.resolve().relative_to(Path.home().resolve()).as_posix()
    except ValueError:
        return str(file)


class LibrariesMixin(WindowBase):
    """Opening another library: the window's part."""

    #: Whether closing the window closes its library (one opened by File › Open Library…).
    owns_library = False
    last_open_dialog: OpenLibraryDialog | None = None

    def choose_library(self) -> OpenLibraryDialog:
        """Ask which library to open (File › Open Library…); opening follows Open."""
        dialog = OpenLibraryDialog(self.library.location, recent_libraries(), self)
        self.last_open_dialog = dialog

        def on_accepted() -> None:
            if dialog.location:
                self.open_library(dialog.location)

        dialog.accepted.connect(on_accepted)
        dialog.open()
        return dialog

    def confirm_create_library(self, location: str) -> bool:
        """Ask whether to make a new library at ``location``, which has none."""
        answer = QMessageBox.question(
            self,
            "Open Library",
            f"There is no library at {location} yet. Create a new, empty library there?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _open_failed(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Open Library", message, parent=self)
        box.open()
        self.last_error_box = box

    def open_library(self, location: str) -> WindowBase | None:
        """Open the library at ``location`` (a file or a ``postgresql://`` URL) in a new
        window that takes this one's place; return it (``None``: nothing was opened).

        Unsaved edits are resolved first; a location without a library asks before one is
        made there; an error is shown and this window stays.
        """
        if is_server_url(location):
            target: str | Path = location
        else:
            target = Path(location).expanduser()
            if self.library.file is not None and target.resolve() == self.library.file.resolve():
                return self
        if location == self.library.location:
            return self
        if not self.resolve_unsaved():
            return None
        try:
            try:
                library = Library(target, create=False)
            except NoLibraryHereError:
                if not self.confirm_create_library(settings_location(location)):
                    return None
                library = Library(target, create=True)
        except LibraryError as exc:
            self._open_failed(str(exc))
            return None
        factory: Callable[[Library], Any] = type(self)  # the main window's own kind
        window = cast(LibrariesMixin, factory(library))
        window.owns_library = True  # closing it closes the library
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _OPEN_WINDOWS.append(window)
        window.destroyed.connect(lambda *_args: _OPEN_WINDOWS.remove(window))
        remember_library(location)
        window.show()
        log.info("opened %s in a new window", library.location)
        self.close()
        return window
