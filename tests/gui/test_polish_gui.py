"""Rough edges found in use: progress after the end, status messages, queries, sorting, hints."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from archive_app.gui.windows.main_window import MainWindow


def _progress_dialogs(window: MainWindow) -> list[QProgressDialog]:
    return window.findChildren(QProgressDialog)


def test_progress_after_finished_never_touches_the_deleted_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    go = threading.Event()

    def work(progress: Any, _cancelled: Any) -> str:
        go.wait(10)
        for done in range(1, 40):
            progress(done, 40, f"/tmp/{'long title ' * 30}{done}.txt")
        return "done"

    task = window._run_with_progress(work, "Export", "Exporting", lambda _result: None)
    (dialog,) = _progress_dialogs(window)
    dialog.show()  # shown: a modal setValue() processes events, the end arrives inside it
    with qtbot.waitSignal(task.signals.finished, timeout=10_000):
        go.set()
    qtbot.waitUntil(lambda: not _progress_dialogs(window))  # deleteLater ran: it is gone
    # A late report (queued before the end, delivered after) finds no dialog to touch.
    task.signals.progressed.emit(1, 2, "late.txt")
    task.signals.progressed.emit(-1, 0, "The library is busy")
    assert not _progress_dialogs(window)
