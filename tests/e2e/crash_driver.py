"""Test helper (not part of the app): starts the real window through ``archive_app``'s own
entry point and types into it like a person, then waits to be killed.

Usage: ``python -m tests.e2e.crash_driver LIBRARY TEXT``.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from archive_app.cli import main


def _type_when_ready(text: str) -> None:
    from archive_app.gui.windows.main_window import MainWindow

    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    window = windows[0] if windows else None
    if window is None or not window.model.ids():
        QTimer.singleShot(100, lambda: _type_when_ready(text))
        return
    if window.form.record is None:
        table = window.library_view.table
        rect = table.visualRect(window.model.index(0, 0))
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    window.form.title_edit.setFocus()
    window.form.title_edit.end(False)
    QTest.keyClicks(window.form.title_edit, text)
    sys.stderr.write(f"typed into article {window.form.record.id if window.form.record else 0}\n")
    sys.stderr.flush()


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    QTimer.singleShot(200, lambda: _type_when_ready(sys.argv[2]))
    sys.exit(main(["--library", sys.argv[1]]))
