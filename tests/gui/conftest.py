"""GUI fixtures: an isolated QSettings store and main windows on temporary libraries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from archive_app.core.library import Library
from archive_app.gui.app import configure_application
from archive_app.gui.windows.main_window import MainWindow


@pytest.fixture(autouse=True)
def isolated_settings(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    configure_application(qapp)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[object]:
    windows: list[MainWindow] = []

    def make(library: Library) -> MainWindow:
        window = MainWindow(library)
        window.show_import_reports = False
        # A real prompt would block the suite (qtbot closes windows at teardown); tests that
        # are about the prompt replace this answer.
        window.ask_unsaved_changes = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.runner.wait(10_000)


@pytest.fixture
def window(make_window: object, library: Library) -> MainWindow:
    return make_window(library)  # type: ignore[operator,no-any-return]
