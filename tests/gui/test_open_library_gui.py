"""File › Open Library…: a file or a server, remembered without a password, named in the title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from archive_app.core.importer import import_paths
from archive_app.core.library import Library
from archive_app.gui import app as gui_app
from archive_app.gui.dialogs.open_library import PASSWORD_MESSAGE, OpenLibraryDialog
from archive_app.gui.windows import libraries
from archive_app.gui.windows.main_window import MainWindow
from tests import pg_server
from tests.gui.helpers import write_article


@pytest.fixture
def other_file(tmp_path: Path) -> Path:
    """A second library file with one article in it."""
    path = tmp_path / "other" / "team.sqlite3"
    with Library(path) as lib:
        import_paths(lib, [write_article(tmp_path / "in", "x.txt", "Another library's article")])
    return path


def _switch(qtbot: QtBot, window: MainWindow, location: str) -> MainWindow:
    new = window.open_library(location)
    assert isinstance(new, MainWindow)
    assert new is not window
    qtbot.addWidget(new)
    new.ask_unsaved_changes = window.ask_unsaved_changes  # type: ignore[method-assign]
    return new


def test_open_library_opens_a_file_in_the_window_and_remembers_it(
    qtbot: QtBot, window: MainWindow, other_file: Path
) -> None:
    assert window.open_library_action in window.menuBar().actions()[0].menu().actions()
    assert window.windowTitle() == f"{window.library.location} — Article Archive"
    new = _switch(qtbot, window, str(other_file))
    assert not window.isVisible()  # the new window took its place
    assert new.library.location == str(other_file)
    assert new.model.rowCount() == 1
    assert str(other_file) in new.windowTitle()
    new.library_view.select_id(new.model.ids()[0])
    assert new.windowTitle() == f"Another library's article[*] — {other_file} — Article Archive"
    assert libraries.remembered_library() == str(other_file)
    assert libraries.recent_libraries()[0] == str(other_file)
    # The next start without --library opens it.
    assert gui_app._remembered_or_default() == other_file
    new.close()


def test_the_dialog_refuses_a_password_in_a_server_address(qtbot: QtBot) -> None:
    dialog = OpenLibraryDialog("/tmp/x.sqlite3", ["postgresql://ann@db/archive"])
    qtbot.addWidget(dialog)
    assert dialog.file_radio.isChecked()
    dialog.recent_combo.setCurrentIndex(1)
    assert dialog.server_radio.isChecked()
    assert dialog.server_edit.text() == "postgresql://ann@db/archive"
    for url in ("postgresql://ann:s3cret@db/archive", "postgresql://ann@db/archive?password=x"):
        dialog.server_edit.setText(url)
        dialog.buttons.accepted.emit()
        assert dialog.location is None
        assert dialog.error_text() == PASSWORD_MESSAGE
        assert dialog.result() == 0  # not accepted
    dialog.server_edit.setText("postgresql://ann@db/archive")
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.accepted.emit()
    assert dialog.location == "postgresql://ann@db/archive"


def test_the_menu_opens_the_dialog_and_open_switches(
    qtbot: QtBot, window: MainWindow, other_file: Path
) -> None:
    window.open_library_action.trigger()
    dialog = window.last_open_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.file_edit.text() == window.library.location
    dialog.file_edit.setText(str(other_file))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not window.isVisible())
    [new] = [w for w in libraries._OPEN_WINDOWS if w.isVisible()]
    assert isinstance(new, MainWindow)
    qtbot.addWidget(new)
    assert new.library.location == str(other_file)
    new.close()


def test_a_file_without_a_library_is_made_only_when_confirmed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    target = tmp_path / "new" / "fresh.sqlite3"
    window.confirm_create_library = lambda _location: False  # type: ignore[method-assign]
    assert window.open_library(str(target)) is None
    assert not target.exists()
    assert window.isVisible()
    window.confirm_create_library = lambda _location: True  # type: ignore[method-assign]
    new = _switch(qtbot, window, str(target))
    assert target.exists()
    assert new.model.rowCount() == 0
    new.close()


def test_a_library_that_cannot_be_opened_leaves_the_window_as_it_was(
    window: MainWindow, tmp_path: Path
) -> None:
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a library")
    assert window.open_library(str(foreign)) is None
    assert window.isVisible()
    assert window.last_error_box is not None
    assert "not an Article Archive library" in window.last_error_box.text()
    assert libraries.remembered_library() is None


def test_the_settings_never_keep_a_password() -> None:
    libraries.remember_library("postgresql://ann:s3cret@db/archive?password=x&sslmode=require")
    kept = QSettings().value(libraries.LAST_KEY)
    assert kept == "postgresql://ann@db/archive?sslmode=require"
    assert all("s3cret" not in r and "password" not in r for r in libraries.recent_libraries())


@pytest.fixture
def server_url(postgres: pg_server.PgServer, tmp_path: Path) -> Iterator[str]:
    name = postgres.create_database()
    url = postgres.url(name)
    with Library(url) as lib:
        import_paths(lib, [write_article(tmp_path / "srv", "s.txt", "On the server")])
    yield url
    postgres.drop_database(name)


@pytest.mark.postgresql
def test_open_library_opens_a_server_library_and_names_it_in_the_title(
    qtbot: QtBot, window: MainWindow, server_url: str
) -> None:
    new = _switch(qtbot, window, server_url)
    assert new.library.file is None
    assert new.windowTitle() == f"{server_url} — Article Archive"
    assert new.model.rowCount() == 1
    assert libraries.remembered_library() == server_url
    assert gui_app._remembered_or_default() == server_url
    new.close()  # closes its library too (it owns it)
